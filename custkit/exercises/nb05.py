"""Exercises of notebook 05 (segmentation): demographic groups, RFM segments, whom to target.

Expected answers are computed from the shop passed in with :mod:`custkit.segmentation`, on the day
the observation window ends, so the questions check correctly on any shop the notebook's
parameters open. ``q1`` asks for RFM's frequency by hand with pandas; ``q4`` and ``q6`` (the
targeting experiment) read the hidden truth, through
:func:`custkit.segmentation.experiment.compare_targeting`; the notebook asks them after its
grading step.
"""

from __future__ import annotations

import types
from collections.abc import Sequence
from functools import cache

import pandas as pd

from custkit import segmentation as seg
from custkit.definitions import purchases_until
from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.exercises.nb03 import _near, _top, observation_end
from custkit.segmentation.experiment import compare_targeting, lists_from_segments
from custkit.segmentation.rfm import FREQUENCY_BINS
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
    budget: int = 400,
    holdout: float = 0.5,
    segments: Sequence[str] = TARGET_SEGMENTS,
    seed: int = 0,
) -> types.SimpleNamespace:
    """Return the questions of notebook 05 as ``q1`` ... ``q6``.

    ``offer``, ``budget``, ``holdout``, ``segments`` and ``seed`` must be those of the notebook's
    targeting experiment (``q4``, ``q6``); the default offer is ``Offer()`` (10 % off by e-mail).
    """
    as_of = observation_end(shop)
    offer = seg.Offer() if offer is None else offer
    heavy = FREQUENCY_BINS[-1]

    @cache
    def rfm() -> pd.DataFrame:
        return seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, as_of)))

    @cache
    def profile() -> pd.DataFrame:
        return seg.segment_profile(rfm()).set_index("segment")

    @cache
    def places() -> pd.DataFrame:
        return seg.demographic_profile(shop.customers, shop.orders, as_of, by="province")

    @cache
    def experiment() -> pd.DataFrame:
        return compare_targeting(shop, targeting_lists(shop, rfm(), segments), offer, budget=budget,
                                 holdout=holdout, seed=seed)

    def champions() -> int:
        return int((rfm()["segment"] == "champions").sum())

    def heavy_buyers() -> int:
        return int((purchases_until(shop.orders, as_of).groupby("customer_id").size() >= heavy).sum())

    def all_orders_heavy() -> int:
        upto = shop.orders[shop.orders["order_date"] < as_of + pd.Timedelta(days=1)]
        return int((upto.groupby("customer_id").size() >= heavy).sum())

    q1 = Exercise(
        "Q1",
        f"By hand, with pandas: count each buyer's purchases up to the end of the data and give how many "
        f"buyers bought {heavy} times or more (the F = 5 column of the grid). (a whole number)",
        expected=heavy_buyers,
        hint=("A purchase is an order that ck.definitions.purchases_until keeps (delivered or returned, "
              "not a cancelled order or a trade-in); count such rows per customer.",
              f"purchases = ck.definitions.purchases_until(shop.orders, as_of), then "
              f"purchases.groupby('customer_id').size(), and count the customers with {heavy} or more."),
        solution=(
            "as_of = shop.end  # the last day of the data\n"
            "purchases = ck.definitions.purchases_until(shop.orders, as_of)\n"
            "per_buyer = purchases.groupby('customer_id').size()\n"
            f"answer = int((per_buyer >= {heavy}).sum())"
        ),
        mistakes=[
            Mistake(lambda a: heavy_buyers() != all_orders_heavy() and _near(a, all_orders_heavy()),
                    "that counts every order, cancelled ones and trade-ins included. RFM counts purchases: "
                    "filter with ck.definitions.purchases_until first."),
            Mistake(lambda a: _near(a, heavy_buyers() / len(rfm())),
                    "that is a share of the buyers; the question asks how many buyers."),
            Mistake(lambda a: _near(a, int((seg.rfm_table(shop.orders, as_of)["frequency"] > heavy).sum()))
                    and not _near(a, heavy_buyers()),
                    f"that counts more than {heavy} purchases; the F = 5 column starts at {heavy} (use >=)."),
        ],
    )

    def big_places() -> pd.DataFrame:
        return places()[places()["customers"] >= 100]

    def best_place() -> str:
        return _top(big_places(), "province", "revenue_per_buyer")

    q2 = Exercise(
        "Q2",
        "Among the provinces with at least 100 registered customers, which one brings the most revenue "
        "per buyer? (a province name as in the table)",
        expected=best_place,
        hint=("Start from ck.segmentation.demographic_profile(..., by='province'); small provinces have "
              "extreme values by chance, so keep only those with enough customers.",
              "places[places['customers'] >= 100], then the row with the largest revenue_per_buyer "
              "(idxmax)."),
        solution=(
            "places = ck.segmentation.demographic_profile(shop.customers, shop.orders, shop.end, by='province')\n"
            "big = places[places['customers'] >= 100]\n"
            "answer = big.loc[big['revenue_per_buyer'].idxmax(), 'province']"
        ),
        mistakes=[
            Mistake(lambda a: _is(a, _top(places(), "province", "revenue_per_buyer")) and not _is(a, best_place()),
                    "that province has the highest revenue per buyer of all, but it has fewer than 100 "
                    "customers: a handful of big spenders. Filter on customers first."),
            Mistake(lambda a: _is(a, _top(big_places(), "province", "revenue_per_customer")) and not _is(a, best_place()),
                    "that is the best per registered *customer*; the question divides by buyers only."),
            Mistake(lambda a: _is(a, _top(big_places(), "province", "revenue")) and not _is(a, best_place()),
                    "that province brings the most revenue in total, because it has many customers; the "
                    "question asks per buyer."),
        ],
    )

    def champion_share() -> float:
        return float(profile().loc["champions", "revenue_share"])

    q3 = Exercise(
        "Q3",
        "What share of the buyers' revenue comes from the champions? (a share between 0 and 1)",
        expected=champion_share,
        hint=("The segments' profile has a column for each segment's share of the revenue.",
              "ck.segmentation.segment_profile(rfm).set_index('segment').loc['champions', 'revenue_share']"),
        solution=(
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.end)))\n"
            'profile = seg.segment_profile(rfm).set_index("segment")\n'
            'answer = profile.loc["champions", "revenue_share"]'
        ),
        decimals=2,
        mistakes=[
            Mistake(lambda a: _near(a, 100 * champion_share(), rel=0.05),
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(lambda a: _near(a, float(profile().loc["champions", "customer_share"]), rel=0.03),
                    "that is the champions' share of *customers*; the question asks for their share of "
                    "revenue. Compare the two: that gap is why segments matter."),
        ],
    )

    def best_rule() -> pd.Series:
        table = experiment()
        return table.loc[table["rule"] == _top(table, "rule", "true_profit_per_contact")].iloc[0]

    def rollout(row: pd.Series, per: str = "true_profit_per_contact", size: str = "reachable") -> float:
        return float(row[per] * row[size])

    q4 = Exercise(
        "Q4",
        "In the targeting experiment, take the rule that the hidden truth says earns most per contact "
        "(true_profit_per_contact). If the shop sent the offer to every customer of that rule it can "
        "e-mail, how much would the campaign add to its profit in total? (money in the shop's currency)",
        expected=lambda: rollout(best_rule()),
        hint=("Profit per contact times the number of contacts. Which customers of the rule can the shop "
              "contact by e-mail?",
              "In the row with the largest true_profit_per_contact, multiply it by reachable (the rule's "
              "customers who agreed to e-mail), not by list_size."),
        solution=(
            'best = experiment.loc[experiment["true_profit_per_contact"].idxmax()]\n'
            'answer = best["true_profit_per_contact"] * best["reachable"]'
        ),
        rel_tol=0.005,
        mistakes=[
            Mistake(lambda a: _near(a, rollout(best_rule(), size="list_size"), rel=0.005),
                    "that multiplies by list_size, every customer of the rule; only those who agreed to "
                    "marketing e-mail can be sent it (reachable)."),
            Mistake(lambda a: _near(a, rollout(best_rule(), size="treated"), rel=0.005),
                    "that is the treated group of the test only; the question rolls the offer out to every "
                    "reachable customer of the rule."),
            Mistake(lambda a: _near(a, rollout(best_rule(), per="response_profit_per_contact"), rel=0.005),
                    "that counts every responder as won by the campaign; use what the offer truly adds "
                    "(true_profit_per_contact)."),
            Mistake(lambda a: _near(a, float(best_rule()["true_profit_per_contact"]), rel=0.005),
                    "that is the profit of one contact; multiply by the number of customers the offer reaches."),
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
        hint=("suggest_actions gives every customer a channel, and never e-mail without consent.",
              "actions = ck.segmentation.suggest_actions(rfm, shop.customers); count the rows whose segment is "
              "'champions' and whose channel is not 'email'."),
        solution=(
            "seg = ck.segmentation\n"
            "rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.end)))\n"
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

    q6 = Choice(
        "Q6",
        "In the experiment the champions respond most, yet the hidden truth says an offer sent to them "
        "earns the least per contact. Why?",
        {
            "a": "E-mails to champions cost more than e-mails to other customers.",
            "b": "Many champions would have bought anyway, so the discount goes to orders the shop already had.",
            "c": "Champions do not read marketing e-mail.",
            "d": "The discount was too small to interest them.",
        },
        "b",
        hint=("Look at the control_rate column: who buys without any offer?",
              "Compare the champions' response_rate with their control_rate, and remember that the discount "
              "is paid on every responder's order."),
        solution=(
            "# The champions' control group, which got no offer, bought almost as often as the treated group:\n"
            "# they are 'sure things'. The discount on their orders is margin given away, so the offer adds\n"
            "# little and costs much. (Every contact costs the same; only customers who opted in were e-mailed;\n"
            "# their response rate is the highest, so the offer did interest them.)\n"
            'answer = "b"'
        ),
        why={
            "a": "every contact costs the same cost_per_contact in this test; the difference lies in who "
                 "would buy without the offer.",
            "c": "only customers who agreed to e-mail were contacted, and the champions have the highest "
                 "response rate of all: they do read it.",
            "d": "their response rate is the highest of all the rules: the offer did interest them. Look at "
                 "their control_rate: almost as many bought without it.",
        },
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5, q6=q6)
