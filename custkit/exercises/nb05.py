"""Exercises of notebook 05 (segmentation): demographic groups, RFM segments, whom to target.

Expected answers are computed from the shop passed in with :mod:`custkit.segmentation`, on the day
the observation window ends, so the questions check correctly on any shop the notebook's
parameters open. Only ``q4`` (the targeting experiment) reads the hidden truth, through
:func:`custkit.segmentation.experiment.compare_targeting`; the notebook asks it after its grading
step.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from functools import cache

import pandas as pd

from custkit import segmentation as seg
from custkit.exercises.core import Exercise, Mistake
from custkit.exercises.nb03 import _near, _top, observation_end
from custkit.segmentation.experiment import compare_targeting, lists_from_segments
from custkit.shop import Shop

TARGET_SEGMENTS: tuple[str, ...] = ("champions", "loyal", "potential_loyalists", "at_risk", "cant_lose",
                                    "hibernating", "lost")
"""The RFM segments the notebook's targeting experiment compares (with a random list)."""


def _is(answer: object, value: str) -> bool:
    return isinstance(answer, str) and answer.strip().casefold() == value.casefold()


def targeting_lists(shop: Shop, rfm: pd.DataFrame, segments: Sequence[str] = TARGET_SEGMENTS) -> dict:
    """The experiment's lists: each RFM segment in ``segments`` (those present), then ``random``
    (every registered customer, from which the budget draws a random sample)."""
    present = [s for s in segments if s in set(rfm["segment"])]
    return lists_from_segments(rfm, present) | {"random": shop.customers["customer_id"].to_numpy()}


def exercises(
    shop: Shop,
    *,
    offer: seg.Offer | None = None,
    budget: int = 200,
    segments: Sequence[str] = TARGET_SEGMENTS,
    seed: int = 0,
) -> types.SimpleNamespace:
    """Return the questions of notebook 05 as ``q1`` ... ``q5``.

    ``offer``, ``budget``, ``segments`` and ``seed`` must be those of the notebook's targeting
    experiment (``q4``); the default offer is ``Offer()`` (10 % off by e-mail).
    """
    as_of = observation_end(shop)
    offer = seg.Offer() if offer is None else offer

    @cache
    def rfm() -> pd.DataFrame:
        return seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, as_of)))

    @cache
    def profile() -> pd.DataFrame:
        return seg.segment_profile(rfm()).set_index("segment")

    @cache
    def ages() -> pd.DataFrame:
        return seg.demographic_profile(shop.customers, shop.orders, as_of, by="age_band")

    @cache
    def experiment() -> pd.DataFrame:
        return compare_targeting(shop, targeting_lists(shop, rfm(), segments), offer, budget=budget, seed=seed)

    def champions() -> int:
        return int((rfm()["segment"] == "champions").sum())

    q1 = Exercise(
        "Q1",
        "How many customers are in the RFM segment 'champions'? (a whole number)",
        expected=champions,
        hint="Build rfm_table -> rfm_scores -> rfm_segments, then count the rows whose segment is 'champions'.",
        solution=(
            "end = shop.config.end_date  # the last day of the data\n"
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, end)))\n"
            'answer = int((rfm["segment"] == "champions").sum())'
        ),
        mistakes=[
            Mistake(lambda a: _near(a, champions() / len(rfm())),
                    "that is the champions' share of buyers; the question asks how many customers."),
            Mistake(lambda a: _near(a, 100 * champions() / len(rfm())),
                    "that is a percentage of buyers; the question asks for the number of customers."),
        ],
    )

    def best_age() -> str:
        return _top(ages(), "age_band", "revenue_per_customer")

    q2 = Exercise(
        "Q2",
        "Which age band earns the shop the most revenue per registered customer? (an age band, e.g. '25-34')",
        expected=best_age,
        hint="ck.segmentation.demographic_profile(..., by='age_band') has revenue_per_customer; take the band "
             "with the largest value.",
        solution=(
            "end = shop.config.end_date\n"
            'ages = ck.segmentation.demographic_profile(shop.customers, shop.orders, end, by="age_band")\n'
            'answer = ages.loc[ages["revenue_per_customer"].idxmax(), "age_band"]'
        ),
        mistakes=[
            Mistake(lambda a: _is(a, _top(ages(), "age_band", "revenue")) and not _is(a, best_age()),
                    "that band brings the most revenue in total because it has the most customers; the "
                    "question asks per customer."),
            Mistake(lambda a: _is(a, _top(ages(), "age_band", "revenue_per_buyer")) and not _is(a, best_age()),
                    "that is the best band per *buyer*; the question divides by every registered customer, "
                    "those who never bought included."),
            Mistake(lambda a: _is(a, _top(ages(), "age_band", "customers")) and not _is(a, best_age()),
                    "that is the largest band; a big group is not the same as a valuable one."),
        ],
    )

    def champion_share() -> float:
        return float(profile().loc["champions", "revenue_share"])

    q3 = Exercise(
        "Q3",
        "What share of the buyers' revenue comes from the champions? (a share between 0 and 1)",
        expected=champion_share,
        hint="ck.segmentation.segment_profile(rfm) has revenue_share per segment.",
        solution=(
            "end = shop.config.end_date\n"
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, end)))\n"
            'profile = seg.segment_profile(rfm).set_index("segment")\n'
            'answer = profile.loc["champions", "revenue_share"]'
        ),
        mistakes=[
            Mistake(lambda a: _near(a, 100 * champion_share()),
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(lambda a: _near(a, float(profile().loc["champions", "customer_share"])),
                    "that is the champions' share of *customers*; the question asks for their share of "
                    "revenue. Compare the two: that gap is why segments matter."),
        ],
    )

    def best_rule() -> str:
        return _top(experiment(), "rule", "profit")

    q4 = Exercise(
        "Q4",
        "In the targeting experiment (same offer, same budget), which rule earns the highest profit? "
        "(a rule name as in the table's 'rule' column)",
        expected=best_rule,
        hint="compare_targeting returns one row per rule; profit is after the discount and the contact cost.",
        solution=(
            "from custkit.segmentation.experiment import compare_targeting\n"
            "from custkit.exercises.nb05 import targeting_lists\n"
            "end = shop.config.end_date\n"
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, end)))\n"
            f"offer = seg.Offer(discount_pct={offer.discount_pct!r}, cost_per_contact={offer.cost_per_contact!r}, "
            f"channel={offer.channel!r})\n"
            f"result = compare_targeting(shop, targeting_lists(shop, rfm, {tuple(segments)!r}), offer, "
            f"budget={budget!r}, seed={seed!r})\n"
            'answer = result.loc[result["profit"].idxmax(), "rule"]'
        ),
        mistakes=[
            Mistake(lambda a: _is(a, _top(experiment(), "rule", "response_rate")) and not _is(a, best_rule()),
                    "that rule has the highest response rate, but responders differ in what they spend and "
                    "the discount costs on every order: compare profit."),
            Mistake(lambda a: _is(a, _top(experiment(), "rule", "revenue")) and not _is(a, best_rule()),
                    "that rule brings the most revenue, but revenue is not profit: subtract the margin lost "
                    "to the discount and the contact cost."),
            Mistake(lambda a: _is(a, "everyone"),
                    "contacting everyone is not one of the rules at this budget; with the same budget, "
                    "which list earns most?"),
        ],
    )

    @cache
    def actions() -> pd.DataFrame:
        return seg.suggest_actions(rfm(), shop.customers)

    def champions_not_emailed() -> int:
        a = actions()
        return int(((a["segment"] == "champions") & (a["channel"] != "email")).sum())

    q5 = Exercise(
        "Q5",
        "The playbook e-mails champions, but only those who agreed to marketing e-mail. How many champions "
        "must be reached on another channel? (a whole number)",
        expected=champions_not_emailed,
        hint="ck.segmentation.suggest_actions(rfm, shop.customers) gives each customer's channel; count the "
             "champions whose channel is not 'email'.",
        solution=(
            "end = shop.config.end_date\n"
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, end)))\n"
            "actions = seg.suggest_actions(rfm, shop.customers)\n"
            'answer = int(((actions["segment"] == "champions") & (actions["channel"] != "email")).sum())'
        ),
        mistakes=[
            Mistake(lambda a: _near(a, champions() - champions_not_emailed())
                    and champions_not_emailed() * 2 != champions(),
                    "that counts the champions who *can* be e-mailed; the question asks for the others."),
            Mistake(lambda a: _near(a, int((~shop.customers["marketing_opt_in"].astype(bool)).sum())),
                    "that counts every registered customer who opted out; keep only the champions."),
        ],
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)
