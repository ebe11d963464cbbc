"""Exercises of notebook 04 (retention economics): CLV, satisfaction, loyalty quadrants, payback, sBG.

Every expected answer is computed from the shop with the kit's own functions, so the questions
stay right when the notebook runs on another shop (papermill parameters). The assumptions a
question needs (margin rate, discount rate, the margin itself) are fixed here and stated in the
question text, so that the answer does not depend on the notebook's knobs. Q2 asks for by hand,
with pandas, what :func:`custkit.retention.period_retention` gives; Q3 is a multiple-choice
question whose right letter is computed from the shop's retention.
"""

from __future__ import annotations

import types

import math

import numpy as np

from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.retention import (
    QUADRANT_STRATEGIES,
    acquisition_cost_by_channel,
    loyalty_quadrants,
    period_retention,
    pooled_retention,
    repurchase_by_csat,
    retention_clv,
)

__all__ = ["DISCOUNT_RATE", "MARGIN", "MARGIN_RATE", "exercises", "lever_letter", "quadrant_customer"]

MARGIN = 100.0
"""Q1: the yearly margin of the customer, in the shop's currency."""
DISCOUNT_RATE = 0.10
"""Q1: yearly discount rate."""
MARGIN_RATE = 0.30
"""Q6: share of revenue that is margin."""

_LIFECYCLE_STATES = {"never_bought", "active", "at_risk", "dissatisfied", "lost"}


def _as_of(shop):
    return shop.end


def lever_letter(margin: float, retention: float, discount: float) -> str:
    """Q3: "a" when ten more points of retention raise the CLV more than ten per cent more margin,
    "b" when the margin does, "c" when the two are within one per cent of each other."""
    from custkit.retention import retention_clv

    more_retention = retention_clv(margin, min(retention + 0.10, 0.999), discount)
    more_margin = retention_clv(1.10 * margin, retention, discount)
    if math.isclose(more_retention, more_margin, rel_tol=0.01):
        return "c"
    return "a" if more_retention > more_margin else "b"


def quadrant_customer(orders, as_of) -> tuple[int, str, str]:
    """A customer whose quadrant depends on how loyalty is measured (tenure vs orders).

    Returns the smallest such customer id with its quadrant by tenure (the default of
    :func:`custkit.retention.loyalty_quadrants`) and by number of orders; when the two measures
    agree for every customer, the first customer with its (identical) quadrants.
    """
    by_tenure = loyalty_quadrants(orders, as_of=as_of).set_index("customer_id")["quadrant"]
    by_orders = loyalty_quadrants(orders, as_of=as_of, loyalty="orders").set_index("customer_id")["quadrant"]
    differ = by_tenure.index[(by_tenure != by_orders.reindex(by_tenure.index)).to_numpy()]
    cid = differ.min() if len(differ) else by_tenure.index.min()
    return int(cid), str(by_tenure[cid]), str(by_orders[cid])


def exercises(shop) -> types.SimpleNamespace:
    """The questions of notebook 04 for ``shop``, numbered in the order the notebook asks them: q1
    (CLV), q2 (retention by hand), q3 (retention or margin, multiple choice), q4 (the gap at the
    top of the satisfaction curve), q5 (the quadrant of one customer), q6 (payback of the costliest
    channel), q7 (sBG projection).

    Q5 is about one customer, chosen from the data: its id is ``ex.q5.customer_id``.
    """
    as_of = _as_of(shop)

    def retention_by(freq: str) -> float:
        return pooled_retention(period_retention(shop.orders, as_of=as_of, freq=freq))

    def q1_wrong(answer: object, kind: str) -> bool:
        r, d, m = retention_by("Y"), DISCOUNT_RATE, MARGIN
        value = {"undiscounted": m * r / (1 - r), "this_year": m * (1 + d) / (1 + d - r),
                 "lifetime": m / (1 - r)}[kind]
        return isinstance(answer, (int, float, np.number)) and bool(np.isclose(float(answer), value, rtol=1e-3))

    q1 = Exercise(
        "Q1",
        f"A customer leaves a margin of {MARGIN:g} (in the shop's currency) every year. With the shop's "
        f"pooled year-to-year retention rate and a discount rate of {DISCOUNT_RATE:.0%} a year, what is "
        f"her discounted lifetime value, counting the years after this one?",
        lambda: retention_clv(MARGIN, retention_by("Y"), DISCOUNT_RATE),
        hint=("Two steps: measure the yearly retention r on the shop (section 2 does it), then put m, r "
              "and d into the formula of section 2, whose sum starts next year.",
              "r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, "
              "freq='Y')); then ck.retention.retention_clv(100, r, 0.10), which is m r / (1 + d - r)."),
        solution=(
            "r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, freq='Y'))\n"
            f"answer = ck.retention.retention_clv({MARGIN!r}, r, {DISCOUNT_RATE!r})"
        ),
        mistakes=[
            Mistake(lambda a: q1_wrong(a, "undiscounted"),
                    "you left out the discount rate: money that arrives in five years is worth less "
                    "than money today. Use 1 + d - r in the denominator."),
            Mistake(lambda a: q1_wrong(a, "this_year"),
                    "you counted this year's margin too. The formula m r / (1 + d - r) starts with "
                    "the margin of next year, which the customer brings only if she stays."),
            Mistake(lambda a: q1_wrong(a, "lifetime"),
                    "that is the article's shortcut: margin x expected years (1 / (1 - r)), with no "
                    "discounting. Use retention_clv, which discounts each year."),
            Mistake(lambda a: isinstance(a, (int, float, np.number)) and not isinstance(a, bool)
                    and np.isclose(float(a), retention_clv(MARGIN, retention_by("Q"), DISCOUNT_RATE), rtol=1e-3),
                    "that uses the quarterly retention rate with a yearly margin and discount rate. "
                    "Periods must match: take freq='Y'."),
        ],
    )

    def rates():
        return repurchase_by_csat(shop.surveys, shop.orders, as_of=as_of, within_days=90).set_index("csat")[
            "repurchase_rate"]

    def top_gap() -> float:
        r = rates()
        return float(r[5] - r[4])

    def near(answer: object, value: float) -> bool:
        return (isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool)
                and bool(np.isclose(float(answer), value, rtol=1e-3)))

    q4 = Exercise(
        "Q4",
        "How much more often does a customer who answered 5 (completely satisfied) buy again within 90 "
        "days than one who answered 4 (satisfied)? Give the repurchase rate after a 5 minus the rate "
        "after a 4, as a share (0.10 = ten points).",
        top_gap,
        hint=("The table of section 3 has one repurchase rate per CSAT score; the question is the gap "
              "between the two top rows.",
              "rates = ck.retention.repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.end, "
              "within_days=90).set_index('csat')['repurchase_rate']; then rates[5] - rates[4]."),
        solution=(
            "curve = ck.retention.repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.end, within_days=90)\n"
            "rates = curve.set_index('csat')['repurchase_rate']\n"
            "answer = rates[5] - rates[4]\n"
            "# 'satisfied' is not safe: the step from 5 to 4 already costs many repeat buyers"
        ),
        decimals=3,
        mistakes=[
            Mistake(lambda a: near(a, -top_gap()),
                    "that is the rate after a 4 minus the rate after a 5 (negative): take the 5 first, "
                    "rates[5] - rates[4]."),
            Mistake(lambda a: near(a, float(rates()[5] / rates()[4])),
                    "that is a ratio (how many times as often); the question asks for the difference in "
                    "points, rates[5] - rates[4]."),
            Mistake(lambda a: near(a, float(rates()[5])),
                    "that is the rate after a 5 alone; subtract the rate after a 4."),
            Mistake(lambda a: isinstance(a, (int, float, np.number)) and not isinstance(a, bool)
                    and float(a) in (4.0, 5.0, 1.0),
                    "that is a CSAT score (or the step between two scores); the question asks for the gap "
                    "between their repurchase rates, a share."),
        ],
    )

    cid, by_tenure, by_orders = quadrant_customer(shop.orders, as_of)
    q5 = Exercise(
        "Q5",
        f"Which loyalty-profitability quadrant (true friends, butterflies, barnacles or strangers) is "
        f"customer {cid} in, with the default measures of ck.retention.loyalty_quadrants (loyalty = "
        f"days from first to last purchase, both cut-offs at the median)?",
        by_tenure,
        hint=("Build the quadrants for every customer first (section 7 did), then find this one "
              "customer's row.",
              "quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.end); then "
              "quadrants.set_index('customer_id').loc[ex.q5.customer_id, 'quadrant']."),
        solution=(
            "quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.end)\n"
            f"answer = quadrants.set_index('customer_id').loc[{cid}, 'quadrant']"
        ),
        mistakes=[
            Mistake(lambda a: by_orders != by_tenure and isinstance(a, str)
                    and a.strip().casefold() == by_orders.casefold(),
                    "that is the quadrant when loyalty is the number of orders. Reinartz and Kumar "
                    "(and the default here) measure loyalty as the length of the relationship."),
            Mistake(lambda a: isinstance(a, str) and a.strip() in _LIFECYCLE_STATES,
                    "that is a lifecycle state from the hidden truth, which a real shop never sees. "
                    "Use the quadrants built from the orders."),
            Mistake(lambda a: isinstance(a, str) and a.strip() in QUADRANT_STRATEGIES.values(),
                    "that is the strategy of a quadrant; answer with the quadrant's name."),
        ],
    )
    q5.customer_id = cid

    def acquisition(rate: float):
        return acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,
                                           as_of=as_of, margin_rate=rate)

    def costliest_payback(rate: float, by: str = "cac") -> float:
        table = acquisition(rate)
        return float(table.loc[table[by].idxmax(), "payback_months"])

    def costliest_cac() -> float:
        table = acquisition(MARGIN_RATE)
        return float(table["cac"].max())

    def close(answer: object, value: float) -> bool:
        return (isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool)
                and bool(np.isclose(float(answer), value, rtol=0.01)))

    q6 = Exercise(
        "Q6",
        f"Which acquisition channel costs the most per new customer (CAC), and how many months of "
        f"margin does it take to pay that cost back? Assume {MARGIN_RATE:.0%} of revenue is margin; "
        f"answer with the payback months.",
        lambda: costliest_payback(MARGIN_RATE),
        hint=("Find the channel first (the largest cost per new customer, not the largest total "
              "spend), then read its payback in months with the margin rate of the question.",
              "acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, "
              "shop.orders, as_of=shop.end, margin_rate=0.3); then acq.loc[acq['cac'].idxmax(), "
              "'payback_months']."),
        solution=(
            "acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,\n"
            f"                                               as_of=shop.end, margin_rate={MARGIN_RATE!r})\n"
            "answer = acq.loc[acq['cac'].idxmax(), 'payback_months']"
        ),
        rel_tol=0.01,
        mistakes=[
            Mistake(lambda a: close(a, costliest_payback(1.0)),
                    "that divides by the revenue a customer brings, not by the margin: revenue is not "
                    "profit. Pass margin_rate=0.3."),
            Mistake(lambda a: close(a, costliest_payback(MARGIN_RATE, by="spend")),
                    "that is the channel with the largest total spend; the costliest channel is the one "
                    "with the largest cost per new customer (cac)."),
            Mistake(lambda a: close(a, costliest_cac()),
                    "that is the acquisition cost itself (money); the question asks how many months "
                    "of margin pay it back."),
        ],
    )

    def sbg_survival(column: str) -> float:
        from custkit.reference_data import fader_hardie_2007_sbg
        from custkit.retention.models import ShiftedBetaGeometric

        model = ShiftedBetaGeometric().fit(fader_hardie_2007_sbg()[column])
        return float(model.survival(12))

    q7 = Exercise(
        "Q7",
        "Fit the sBG model to the 'High End' customers of Fader and Hardie (2007), periods 0-7. "
        "What share of the 1,000 customers does it project to be still active at period 12?",
        lambda: sbg_survival("high_end_alive"),
        hint=("Fit the model to the High End counts of periods 0 to 7 only; the model's survival at a "
              "period is the share of the 1,000 still active then.",
              "models.ShiftedBetaGeometric().fit(fader_hardie_2007_sbg()['high_end_alive']) then "
              ".survival(12)."),
        solution=(
            "from custkit.reference_data import fader_hardie_2007_sbg\n"
            "from custkit.retention.models import ShiftedBetaGeometric\n"
            "model = ShiftedBetaGeometric().fit(fader_hardie_2007_sbg()['high_end_alive'])\n"
            "answer = float(model.survival(12))"
        ),
        rel_tol=0.005,
        mistakes=[
            Mistake(lambda a: close(a, 100 * sbg_survival("high_end_alive")),
                    "that is a percentage; give the share (between 0 and 1)."),
            Mistake(lambda a: close(a, 1000 * sbg_survival("high_end_alive")),
                    "that is the number of customers out of 1,000; give the share (between 0 and 1)."),
            Mistake(lambda a: close(a, sbg_survival("regular_alive")),
                    "that is the 'Regular' segment; the question is about 'High End'."),
        ],
    )
    def retention_table():
        return period_retention(shop.orders, as_of=as_of, freq="Y")

    last = retention_table().iloc[-1]
    year = int(last["period"].year)

    def buyers(year_: int, kept_only: bool = True) -> set:
        o = shop.orders
        if kept_only:
            o = o[(o["status"] != "cancelled") & (o["transaction_type"] != "C2B")]
        return set(o.loc[o["order_date"].dt.year == year_, "customer_id"])

    q2 = Exercise(
        "Q2",
        f"By hand, with pandas on shop.orders (no period_retention): of the customers who bought in "
        f"{year - 1}, what share bought again in {year}? A purchase is an order that was not cancelled "
        f"and is not a trade-in the shop bought (transaction_type C2B). Then compare it with "
        f"period_retention.",
        lambda: float(last["retention"]),
        hint=("Two sets of customers: those with a purchase in the first year and those with one in the "
              "second. The share is the overlap divided by the first set, counting customers, not orders.",
              "buys = shop.orders[(shop.orders['status'] != 'cancelled') & (shop.orders['transaction_type'] "
              "!= 'C2B')]; year = buys['order_date'].dt.year; before = set(buys.loc[year == "
              f"{year - 1}, 'customer_id']); after likewise for {year}; len(before & after) / len(before)."),
        solution=(
            "o = shop.orders\n"
            "buys = o[(o['status'] != 'cancelled') & (o['transaction_type'] != 'C2B')]\n"
            "year = buys['order_date'].dt.year\n"
            f"before = set(buys.loc[year == {year - 1}, 'customer_id'])\n"
            f"after = set(buys.loc[year == {year}, 'customer_id'])\n"
            "answer = len(before & after) / len(before)\n"
            "# the kit gives the same: the last row of\n"
            "# ck.retention.period_retention(shop.orders, as_of=shop.end, freq='Y')"
        ),
        decimals=3,
        mistakes=[
            Mistake(lambda a: near(a, len(buyers(year - 1, False) & buyers(year, False)) / len(buyers(year - 1, False)))
                    and not near(a, float(last["retention"])),
                    "that counts every order, cancelled ones and trade-ins (C2B) included; a cancelled "
                    "order or a trade-in the shop bought is not a purchase. Filter them out first."),
            Mistake(lambda a: near(a, len(buyers(year - 1) & buyers(year)) / len(buyers(year))),
                    f"that divides by the customers who bought in {year}; retention starts from last "
                    f"year's buyers: divide by those of {year - 1}."),
            Mistake(lambda a: near(a, 1 - float(last["retention"])),
                    "that is the share who did not buy again (churn); the question asks for the share "
                    "who did."),
        ],
    )

    def lever() -> str:
        return lever_letter(MARGIN, retention_by("Y"), DISCOUNT_RATE)

    q3 = Choice(
        "Q3",
        f"A customer brings a margin of {MARGIN:g} a year and the shop keeps its measured yearly "
        f"retention; the discount rate is {DISCOUNT_RATE:.0%}. Which raises the value of her years "
        f"ahead (retention_clv) more? (answer with a letter)",
        options={
            "a": "ten more points of retention (r + 0.10)",
            "b": "ten per cent more margin a year (1.1 m)",
            "c": "both raise it by about the same",
        },
        answer=lever,
        hint=("Margin multiplies the value in proportion. Look at where r sits in m r / (1 + d - r): in "
              "more than one place.",
              "r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, "
              "freq='Y')); compare ck.retention.retention_clv(100, r + 0.10, 0.10) with "
              "ck.retention.retention_clv(110, r, 0.10)."),
        solution=(
            "import math\n"
            "r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, freq='Y'))\n"
            f"more_retention = ck.retention.retention_clv({MARGIN!r}, r + 0.10, {DISCOUNT_RATE!r})\n"
            f"more_margin = ck.retention.retention_clv({round(1.1 * MARGIN, 6)!r}, r, {DISCOUNT_RATE!r})\n"
            "if math.isclose(more_retention, more_margin, rel_tol=0.01):\n"
            "    answer = 'c'\n"
            "else:\n"
            "    answer = 'a' if more_retention > more_margin else 'b'\n"
            "# ten per cent more margin adds ten per cent; r sits in the numerator and, with a minus, in\n"
            "# the denominator of m r / (1 + d - r), so ten points of retention add far more: about half\n"
            "# at the shop's r. Keeping customers is the bigger lever."
        ),
        why={
            "a": "compute both: ten points of retention on this shop's r add less than ten per cent more "
                 "margin here. Compare retention_clv(100, r + 0.10, 0.10) with retention_clv(110, r, 0.10).",
            "b": "ten per cent more margin adds exactly ten per cent to the value; ten points of retention "
                 "raise both the top (r) and shrink the bottom (1 + d - r) of m r / (1 + d - r), so they "
                 "add more. Compute both with retention_clv and compare.",
            "c": "they are not close: compute retention_clv(100, r + 0.10, 0.10) and "
                 "retention_clv(110, r, 0.10) and compare.",
        },
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5, q6=q6, q7=q7)
