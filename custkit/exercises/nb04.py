"""Exercises of notebook 04 (retention economics): CLV, satisfaction, loyalty quadrants, payback, sBG.

Every expected answer is computed from the shop with the kit's own functions, so the questions
stay right when the notebook runs on another shop (papermill parameters). The assumptions a
question needs (margin rate, discount rate, the margin itself) are fixed here and stated in the
question text, so that the answer does not depend on the notebook's knobs.
"""

from __future__ import annotations

import types

import numpy as np

from custkit.exercises.core import Exercise, Mistake
from custkit.retention import (
    QUADRANT_STRATEGIES,
    acquisition_cost_by_channel,
    loyalty_quadrants,
    period_retention,
    pooled_retention,
    repurchase_by_csat,
    retention_clv,
)

__all__ = ["DISCOUNT_RATE", "MARGIN", "MARGIN_RATE", "csat_threshold", "exercises", "quadrant_customer"]

MARGIN = 100.0
"""Q1: the yearly margin of the customer, in the shop's currency."""
DISCOUNT_RATE = 0.10
"""Q1: yearly discount rate."""
MARGIN_RATE = 0.30
"""Q4: share of revenue that is margin."""

_LIFECYCLE_STATES = {"never_bought", "active", "at_risk", "dissatisfied", "lost"}


def _as_of(shop):
    return shop.end


def csat_threshold(curve) -> int:
    """The CSAT level L with the biggest fall in repurchase rate between L and L - 1.

    ``curve`` is :func:`custkit.retention.repurchase_by_csat`; levels nobody chose are skipped, so
    the step is then measured to the next lower level that has answers.
    """
    steps = curve.set_index("csat")["repurchase_rate"].dropna().diff()
    return int(steps.idxmax())


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
    """The questions of notebook 04 for ``shop``: q1 (CLV) ... q5 (sBG projection).

    Q3 is about one customer, chosen from the data: its id is ``ex.q3.customer_id``.
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
        hint="Measure r with ck.retention.pooled_retention(ck.retention.period_retention(..., freq='Y')), then use "
             "ck.retention.retention_clv(margin, r, discount) = m r / (1 + d - r).",
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

    def curve():
        return repurchase_by_csat(shop.surveys, shop.orders, as_of=as_of)

    def q2_wrong(answer: object, offset: int) -> bool:
        level = csat_threshold(curve()) + offset
        return isinstance(answer, (int, float, np.number)) and not isinstance(answer, bool) and float(answer) == level

    q2 = Exercise(
        "Q2",
        "Below which CSAT level does repurchase collapse? Give the level L (1-5) such that the "
        "repurchase rate falls the most between L and L - 1.",
        lambda: csat_threshold(curve()),
        hint="Take ck.retention.repurchase_by_csat(...), index it by csat, and look at the step "
             "between neighbouring levels (Series.diff); skip levels nobody chose.",
        solution=(
            "curve = ck.retention.repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.config.end)\n"
            "steps = curve.set_index('csat')['repurchase_rate'].dropna().diff()\n"
            "answer = int(steps.idxmax())"
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, float) and 0 < a < 1,
                    "that looks like a repurchase rate (a share); the question asks for a CSAT level, 1 to 5."),
            Mistake(lambda a: q2_wrong(a, -1),
                    "that is the level where repurchase has already collapsed. We asked for L, the "
                    "higher of the two levels around the big fall."),
            Mistake(lambda a: isinstance(a, (int, float, np.number)) and not isinstance(a, bool) and a == 5,
                    "5 is the best score, but the question is where the biggest step is, not which "
                    "level has the highest rate."),
        ],
    )

    cid, by_tenure, by_orders = quadrant_customer(shop.orders, as_of)
    q3 = Exercise(
        "Q3",
        f"Which loyalty-profitability quadrant (true friends, butterflies, barnacles or strangers) is "
        f"customer {cid} in, with the default measures of ck.retention.loyalty_quadrants (loyalty = "
        f"days from first to last purchase, both cut-offs at the median)?",
        by_tenure,
        hint="Build the quadrants for all customers, then look up the row of this customer_id.",
        solution=(
            "quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.config.end)\n"
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
    q3.customer_id = cid

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

    q4 = Exercise(
        "Q4",
        f"Which acquisition channel costs the most per new customer (CAC), and how many months of "
        f"margin does it take to pay that cost back? Assume {MARGIN_RATE:.0%} of revenue is margin; "
        f"answer with the payback months.",
        lambda: costliest_payback(MARGIN_RATE),
        hint="ck.retention.acquisition_cost_by_channel(..., margin_rate=0.3) gives cac and "
             "payback_months per channel; pick the row with the largest cac.",
        solution=(
            "acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,\n"
            f"                                               as_of=shop.config.end, margin_rate={MARGIN_RATE!r})\n"
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

    q5 = Exercise(
        "Q5",
        "Fit the sBG model to the 'High End' customers of Fader and Hardie (2007), periods 0-7. "
        "What share of the 1,000 customers does it project to be still active at period 12?",
        lambda: sbg_survival("high_end_alive"),
        hint="ShiftedBetaGeometric().fit(counts) takes the counts still active at periods 0..7; "
             "survival(12) gives the share still active after 12 periods.",
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
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)
