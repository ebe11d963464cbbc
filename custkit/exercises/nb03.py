"""Exercises of notebook 03 (funnel stages): the web funnel, time to convert, the loyalty ladder.

Expected answers are computed from the shop passed in with :mod:`custkit.funnel`, on the day the
observation window ends, so the questions check correctly on any shop the notebook's parameters
open (another seed, another preset). Q6 asks for by hand, with pandas, what ``funnel_counts``
gives; Q7 is a multiple-choice question whose right letter is computed from the data. Nothing
here reads the hidden truth.
"""

from __future__ import annotations

import types
from functools import cache

import numpy as np
import pandas as pd

from custkit import funnel as fn
from custkit.definitions import opened_since, purchases_until
from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.shop import Shop


def observation_end(shop: Shop) -> pd.Timestamp:
    """The ``as_of`` day of the notebooks: the shop's analysis day (:attr:`custkit.shop.Shop.end`)."""
    return shop.end


def _near(a: object, b: float, rel: float = 1e-3) -> bool:
    """True when ``a`` is a number within ``rel`` of ``b`` (for predicate mistakes)."""
    if isinstance(a, bool) or not isinstance(a, int | float | np.number):
        return False
    return bool(np.isclose(float(a), b, rtol=rel, atol=1e-12))


def _top(frame: pd.DataFrame, key: str, value: str) -> str:
    """The ``key`` of the row with the largest ``value`` (ties: the first in alphabetical order)."""
    best = frame.loc[frame[value] == frame[value].max(), key]
    return str(sorted(best.astype(str))[0])


def exercises(shop: Shop) -> types.SimpleNamespace:
    """Return the questions of notebook 03 as ``q1`` ... ``q7``."""
    as_of = observation_end(shop)

    @cache
    def by_device() -> pd.DataFrame:
        return fn.funnel_counts(shop.sessions, by="device").set_index(["device", "stage"])

    @cache
    def overall() -> pd.DataFrame:
        return fn.funnel_counts(shop.sessions)

    @cache
    def by_channel() -> pd.DataFrame:
        f = fn.funnel_counts(shop.sessions, by="channel")
        return f.loc[f["stage"] == "purchase"]

    @cache
    def ladder() -> pd.DataFrame:
        lad = fn.loyalty_ladder(shop.customers, shop.orders, as_of, sessions=shop.sessions, surveys=shop.surveys)
        return fn.ladder_counts(lad).set_index("step")

    @cache
    def all_waits() -> pd.DataFrame:
        return fn.time_to_convert(shop.sessions, shop.orders, as_of)

    @cache
    def waits() -> pd.DataFrame:
        """As in section 4: only accounts opened in the window (older ones bought before the data)."""
        w = all_waits()
        return w[w["customer_id"].isin(opened_since(shop.customers, shop.start))]

    def mobile(col: str, device: str = "mobile") -> float:
        return float(by_device().loc[(device, "checkout"), col])

    q1 = Exercise(
        "Q1",
        "Of the mobile visits that put something in the cart, what share went on to checkout? "
        "(a share between 0 and 1; compare it with desktop)",
        expected=lambda: mobile("step_conversion"),
        hint=('The funnel split by device has one row per device and step; the step conversion of a row is '
              'the share of the step above that got there.',
              'ck.funnel.funnel_counts(shop.sessions, by="device"): take the row with device "mobile" and '
              'stage "checkout", column step_conversion.'),
        solution=(
            'f = ck.funnel.funnel_counts(shop.sessions, by="device")\n'
            'row = f[(f["device"] == "mobile") & (f["stage"] == "checkout")]\n'
            'answer = float(row["step_conversion"].iloc[0])'
        ),
        decimals=3,
        mistakes=[
            Mistake(lambda a: _near(a, 100 * mobile("step_conversion")),
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(lambda a: _near(a, mobile("overall_conversion")),
                    "that is the overall conversion (checkout / all mobile visits); the question starts "
                    "from the visits that reached the cart: use step_conversion."),
            Mistake(lambda a: _near(a, mobile("drop_off")),
                    "that is the drop-off (the share lost); the question asks for the share that went on."),
            Mistake(lambda a: _near(a, mobile("step_conversion", "desktop")),
                    "that is the desktop figure; filter the rows of device == 'mobile'."),
        ],
    )

    def biggest_loss() -> str:
        return _top(overall(), "stage", "lost")

    q2 = Exercise(
        "Q2",
        "At which step of the web funnel are the most visits lost? Give the stage name as funnel_counts "
        "writes it (the step they failed to reach).",
        expected=biggest_loss,
        hint=("Count visits, not shares: a step where the share that goes on is low may still lose fewer "
              "visits than a step with many more visits above it.",
              "funnel_counts(shop.sessions) has a 'lost' column: visits that reached the step above but not "
              "this one. Take the stage of its largest value (idxmax)."),
        solution=(
            "f = ck.funnel.funnel_counts(shop.sessions)\n"
            'answer = f.loc[f["lost"].idxmax(), "stage"]'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, str) and a.strip().casefold() == "visit",
                    "nobody is lost at the first step: every visit is a visit. Look at the 'lost' column."),
            Mistake(lambda a: isinstance(a, str) and a.strip().casefold() == "purchase"
                    and biggest_loss() != "purchase",
                    "purchase is the step with the fewest visits, not the one that loses the most; compare "
                    "the 'lost' counts, not the 'reached' counts."),
            Mistake(lambda a: isinstance(a, str) and a.strip() in fn.FUNNEL_STAGES
                    and fn.FUNNEL_STAGES.index(a.strip()) == fn.FUNNEL_STAGES.index(biggest_loss()) - 1,
                    "that is the step the lost visits left from; funnel_counts names a loss by the step they "
                    "did not reach (the row whose 'lost' is largest)."),
            Mistake(lambda a: isinstance(a, str) and a.strip() == _lowest_step(overall())
                    and a.strip() != biggest_loss(),
                    "that step has the lowest step conversion (the largest share lost), but fewer visits "
                    "arrive there; the question counts visits lost: use 'lost'."),
        ],
    )

    def repeat_share() -> float:
        return float(ladder().loc["repeat_buyer", "step_conversion"])

    def exact_ratio() -> float:
        lad = ladder()
        return float(lad.loc["repeat_buyer", "people"] / lad.loc["first_time_buyer", "people"])

    q3 = Exercise(
        "Q3",
        "On the loyalty ladder, what share of the customers who bought at least once have bought again "
        "(reached the repeat-buyer step or higher)? (a share between 0 and 1)",
        expected=repeat_share,
        hint=("Everyone who stands on a higher step (loyal, advocate) has also bought again: count people "
              "at or above a step, not only on it.",
              "ck.funnel.ladder_counts(ladder) gives 'reached' (at or above each step); divide the "
              "repeat buyers reached by the first-time buyers reached."),
        solution=(
            "end = shop.end  # the analysis day: the last day of the data\n"
            "ladder = ck.funnel.loyalty_ladder(shop.customers, shop.orders, end,\n"
            "                                  sessions=shop.sessions, surveys=shop.surveys)\n"
            "counts = ck.funnel.ladder_counts(ladder).set_index(\"step\")\n"
            "answer = counts.loc[\"repeat_buyer\", \"reached\"] / counts.loc[\"first_time_buyer\", \"reached\"]"
        ),
        decimals=3,
        mistakes=[
            Mistake(lambda a: _near(a, 100 * repeat_share()),
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(lambda a: _near(a, exact_ratio()),
                    "that divides the people *exactly* on each step; loyal customers and advocates have also "
                    "bought again, so use 'reached' (at or above the step)."),
            Mistake(lambda a: _near(a, float(ladder().loc["repeat_buyer", "share_of_market"])),
                    "that is the share of everyone on the ladder (prospects included); the question starts "
                    "from those who bought at least once."),
        ],
    )

    def median_days(frame: pd.DataFrame) -> float:
        return float(frame.loc[frame["converted"], "days"].median())

    q4 = Exercise(
        "Q4",
        "Among the accounts opened in the data window (as in section 4) that have bought, what is the "
        "median number of days from their first visit to their first purchase? (a number of days)",
        expected=lambda: median_days(waits()),
        hint=("People who have not bought yet have a 'days' too, but it is only how long they have waited "
              "so far; and accounts opened before the data began bought before it.",
              "Take ck.funnel.time_to_convert(...), keep the accounts in "
              "ck.definitions.opened_since(shop.customers, shop.start), then the rows with converted True, "
              "then the median of 'days'."),
        solution=(
            "t = ck.funnel.time_to_convert(shop.sessions, shop.orders, shop.end)\n"
            "t = t[t[\"customer_id\"].isin(ck.definitions.opened_since(shop.customers, shop.start))]\n"
            'answer = t.loc[t["converted"], "days"].median()'
        ),
        rel_tol=1e-2,
        mistakes=[
            Mistake(lambda a: _near(a, float(waits()["days"].median()), 1e-2),
                    "that includes customers who have not bought yet; their 'days' is only how long they have "
                    "waited so far (censored), not a time to convert."),
            Mistake(lambda a: _near(a, float(waits().loc[waits()["converted"], "days"].mean()), 1e-2),
                    "that is the mean; a few slow deciders pull it far above the typical customer. Use the "
                    "median."),
            Mistake(lambda a: _near(a, median_days(all_waits()), 1e-2),
                    "that includes the accounts opened before the data began: their first visit and first "
                    "purchase are not in the tables, so their wait looks short. Keep the accounts of "
                    "opened_since(shop.customers, shop.start), as section 4 does."),
        ],
    )

    def best_channel() -> str:
        return _top(by_channel(), "channel", "overall_conversion")

    q5 = Exercise(
        "Q5",
        "Which channel's visits end in a purchase most often (highest conversion per visit)? (a channel name)",
        expected=best_channel,
        hint=("A channel that brings many visits also brings many purchases; the question is about "
              "purchases per visit.",
              'funnel_counts(shop.sessions, by="channel"): keep the "purchase" rows and take the channel '
              "with the largest overall_conversion."),
        solution=(
            'f = ck.funnel.funnel_counts(shop.sessions, by="channel")\n'
            'purchases = f[f["stage"] == "purchase"]\n'
            'answer = purchases.loc[purchases["overall_conversion"].idxmax(), "channel"]'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, str) and a.strip().casefold() == _top(by_channel(), "channel", "reached"),
                    "that channel brings the most purchases because it brings the most visits; the question "
                    "asks for the rate (purchases per visit)."),
        ],
    )

    def reached(stage: str) -> int:
        return int(overall().set_index("stage").loc[stage, "reached"])

    def cart_to_purchase() -> float:
        return reached("purchase") / reached("add_to_cart")

    def exact_stage_ratio() -> float:
        stages = shop.sessions["furthest_stage"]
        return float((stages == "purchase").sum() / (stages == "add_to_cart").sum())

    q6 = Exercise(
        "Q6",
        "By hand, with pandas on shop.sessions (no funnel_counts): of the visits that reached the cart, "
        "what share ended in a purchase? (a share between 0 and 1; then compare it with funnel_counts)",
        expected=cart_to_purchase,
        hint=("A visit reached the cart if its furthest stage is the cart or any step after it: a visit "
              "that paid also put something in the cart.",
              'stage = shop.sessions["furthest_stage"]; the visits that reached the cart are '
              'stage.isin(["add_to_cart", "checkout", "purchase"]); divide (stage == "purchase").sum() by '
              "their number."),
        solution=(
            'stage = shop.sessions["furthest_stage"]\n'
            'reached_cart = stage.isin(["add_to_cart", "checkout", "purchase"]).sum()\n'
            'bought = (stage == "purchase").sum()\n'
            "answer = bought / reached_cart\n"
            "# the kit gives the same from its 'reached' column:\n"
            'f = ck.funnel.funnel_counts(shop.sessions).set_index("stage")["reached"]\n'
            'assert answer == f["purchase"] / f["add_to_cart"]'
        ),
        mistakes=[
            Mistake(lambda a: _near(a, exact_stage_ratio()),
                    "that divides by the visits whose furthest stage is exactly add_to_cart; a visit that went "
                    "on to checkout or paid also passed the cart. Count add_to_cart, checkout and purchase."),
            Mistake(lambda a: _near(a, 1 - cart_to_purchase()),
                    "that is the share of carts left without buying (cart abandonment); the question asks "
                    "for the share that bought."),
            Mistake(lambda a: _near(a, reached("purchase") / reached("checkout")),
                    "that starts from the checkout (purchases / visits that reached checkout); the question "
                    "starts one step earlier, at the cart."),
            Mistake(lambda a: _near(a, reached("purchase") / reached("visit")),
                    "that divides by all visits (the overall conversion); the question starts from the "
                    "visits that reached the cart."),
        ],
    )

    letters = {"product_view": "a", "add_to_cart": "b", "checkout": "c", "purchase": "d"}

    def gains() -> pd.DataFrame:
        value = float(purchases_until(shop.orders, as_of)["shop_revenue"].mean())
        return fn.intervention_value(overall(), value, uplift=0.05)

    def best_letter() -> str:
        g = gains()
        return letters[str(g.loc[g["value_of_uplift"].idxmax(), "stage"])]

    q7 = Choice(
        "Q7",
        "A team can raise the conversion of one funnel step by five points this quarter. Where does "
        "that earn the shop most? (answer with a letter)",
        options={
            "a": "product_view: the product page",
            "b": "add_to_cart: putting something in the cart",
            "c": "checkout: starting to pay",
            "d": "purchase: finishing the payment",
        },
        answer=best_letter,
        hint=("Five points of a step reach the visits at the step above it, and each visit won back is "
              "worth what it goes on to buy: both count.",
              "ck.funnel.intervention_value(ck.funnel.funnel_counts(shop.sessions), value, uplift=0.05) "
              "has value_of_uplift per step; take the step where it is largest."),
        solution=(
            'value = ck.definitions.purchases_until(shop.orders, shop.end)["shop_revenue"].mean()\n'
            "gains = ck.funnel.intervention_value(ck.funnel.funnel_counts(shop.sessions), value, uplift=0.05)\n"
            'best = gains.loc[gains["value_of_uplift"].idxmax(), "stage"]\n'
            'answer = {"product_view": "a", "add_to_cart": "b", "checkout": "c", "purchase": "d"}[best]\n'
            "# five points at a step reach the visits above it (many at the top, few at the bottom), and a\n"
            "# visit won back is worth its downstream conversion: the product is largest where the step\n"
            "# keeps the smallest share. Losing the most visits is not the same as paying most to fix."
        ),
        why={
            "a": "five points on the product page reach the most visits, but a visit won back there rarely "
                 "goes on to buy (look at downstream_conversion). Losing many visits is not the same as "
                 "paying most to fix: compare value_of_uplift, not lost.",
            "b": "five points at the cart reach the visits that viewed a product, and a cart won back is "
                 "worth its downstream conversion; in this shop another step earns more. Compare "
                 "value_of_uplift.",
            "c": "five points at checkout reach only the visits that already put something in the cart, "
                 "fewer than at the cart step. Compare value_of_uplift.",
            "d": "each visit won back at the last step surely pays, but few visits get that far: five points "
                 "of few visits is little. Compare value_of_uplift.",
        },
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5, q6=q6, q7=q7)


def _lowest_step(funnel: pd.DataFrame) -> str:
    """The stage (after the first) with the lowest step conversion."""
    rest = funnel.iloc[1:]
    return str(rest.loc[rest["step_conversion"].idxmin(), "stage"])
