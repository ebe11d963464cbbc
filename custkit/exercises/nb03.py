"""Exercises of notebook 03 (funnel stages): the web funnel, time to convert, the loyalty ladder.

Expected answers are computed from the shop passed in with :mod:`custkit.funnel`, on the day the
observation window ends, so the questions check correctly on any shop the notebook's parameters
open (another seed, another preset). Nothing here reads the hidden truth.
"""

from __future__ import annotations

import types
from functools import cache

import numpy as np
import pandas as pd

from custkit import funnel as fn
from custkit.exercises.core import Exercise, Mistake
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
    """Return the questions of notebook 03 as ``q1`` ... ``q5``."""
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
    def waits() -> pd.DataFrame:
        return fn.time_to_convert(shop.sessions, shop.orders, as_of)

    def mobile(col: str, device: str = "mobile") -> float:
        return float(by_device().loc[(device, "checkout"), col])

    q1 = Exercise(
        "Q1",
        "Of the mobile visits that put something in the cart, what share went on to checkout? "
        "(a share between 0 and 1; compare it with desktop)",
        expected=lambda: mobile("step_conversion"),
        hint='ck.funnel.funnel_counts(shop.sessions, by="device") has one row per device and step; the '
             '"checkout" row\'s step_conversion is checkout / add to cart.',
        solution=(
            'f = ck.funnel.funnel_counts(shop.sessions, by="device")\n'
            'row = f[(f["device"] == "mobile") & (f["stage"] == "checkout")]\n'
            'answer = float(row["step_conversion"].iloc[0])'
        ),
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
        hint="funnel_counts(shop.sessions) has a 'lost' column: visits that reached the step above but not "
             "this one. Take the stage of its largest value.",
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
        hint="ck.funnel.ladder_counts(ladder) gives 'reached' (at or above each step); divide the "
             "repeat buyers reached by the first-time buyers reached.",
        solution=(
            "end = shop.config.end_date  # the last day of the data\n"
            "ladder = ck.funnel.loyalty_ladder(shop.customers, shop.orders, end,\n"
            "                                  sessions=shop.sessions, surveys=shop.surveys)\n"
            "counts = ck.funnel.ladder_counts(ladder).set_index(\"step\")\n"
            "answer = counts.loc[\"repeat_buyer\", \"reached\"] / counts.loc[\"first_time_buyer\", \"reached\"]"
        ),
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

    def median_days() -> float:
        w = waits()
        return float(w.loc[w["converted"], "days"].median())

    q4 = Exercise(
        "Q4",
        "Among the customers who have bought, what is the median number of days from their first visit to "
        "their first purchase? (a number of days)",
        expected=median_days,
        hint="ck.funnel.time_to_convert(shop.sessions, shop.orders, as_of) has 'days' and 'converted'; keep "
             "the converted customers before taking the median.",
        solution=(
            "end = shop.config.end_date  # the last day of the data\n"
            "t = ck.funnel.time_to_convert(shop.sessions, shop.orders, end)\n"
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
        ],
    )

    def best_channel() -> str:
        return _top(by_channel(), "channel", "overall_conversion")

    q5 = Exercise(
        "Q5",
        "Which channel's visits end in a purchase most often (highest conversion per visit)? (a channel name)",
        expected=best_channel,
        hint='funnel_counts(shop.sessions, by="channel"): look at the "purchase" rows and their '
             "overall_conversion.",
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
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)
