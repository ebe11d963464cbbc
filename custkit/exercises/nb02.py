"""Exercises of notebook 02 (customer typology, concepts B1-B3).

Expected answers are computed from the shop passed in with :mod:`custkit.typology`, on the day the
observation window ends, so the questions check correctly on any shop the notebook's parameters
open. Q1 and Q2 use only observed behaviour; Q3-Q5 belong to the grading step and read the hidden
truth (``shop.truth``), as the notebook does after its heading "Grading step".
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable
from functools import cache

import pandas as pd

from custkit import typology as ty
from custkit.errors import CustkitError
from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.purchases import PURCHASE_STATUSES, PURCHASE_TYPES
from custkit.shop import Shop
from custkit.typology.tuning import threshold_sweep

SWEEP_FIELD = "competitor_share"
"""Q5 tunes this threshold of :class:`custkit.typology.Thresholds` ..."""
SWEEP_TYPE = "brand_switcher"
"""... and watches the recall of this persona ..."""
SWEEP_VALUES: tuple[float, ...] = (0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
"""... over these values ..."""
RECALL_TARGET = 0.5
"""... against this target recall."""
RECALL_BY_HAND = "hesitant"
"""Q3 computes the recall of this persona by hand (the hardest one to find)."""

__all__ = ["FEATURES_CODE", "RECALL_BY_HAND", "RECALL_TARGET", "SWEEP_FIELD", "SWEEP_TYPE", "SWEEP_VALUES", "exercises", "observation_end",
           "shop_features", "target_value"]


def observation_end(shop: Shop) -> pd.Timestamp:
    """The ``as_of`` day of the notebook: the shop's analysis day (:attr:`custkit.shop.Shop.end`)."""
    return shop.end


def shop_features(shop: Shop, as_of: object = None) -> pd.DataFrame:
    """:func:`custkit.typology.customer_features` of every table of ``shop`` (``as_of``: default
    :func:`observation_end`)."""
    return ty.customer_features(**shop.tables, as_of=observation_end(shop) if as_of is None else as_of)


def target_value(sweep: pd.DataFrame, *, field: str = SWEEP_FIELD, type: str = SWEEP_TYPE,  # noqa: A002
                 target: float = RECALL_TARGET) -> float:
    """The largest value of ``field`` in ``sweep`` whose recall of ``type`` is at least ``target``.

    ``sweep`` is the output of :func:`custkit.typology.tuning.threshold_sweep`. When no value
    reaches the target, the value with the highest recall (the smallest such value on a tie).
    The largest value is asked for because, of all values that reach the target, it gives up the
    least precision.
    """
    rows = sweep.loc[sweep["type"] == type, [field, "recall"]]
    if rows.empty:
        raise CustkitError(f"sweep has no rows of type {type!r}; sweep a family that contains it.")
    reach = rows.loc[rows["recall"] >= target - 1e-12, field]
    if len(reach):
        return float(reach.max())
    best = rows.loc[rows["recall"] == rows["recall"].max(), field]
    return float(best.min())


def _near(value: Callable[[], float], rel: float = 1e-3) -> Callable[[object], bool]:
    """A :class:`Mistake` predicate: the answer is a number close to ``value()`` (computed lazily)."""
    def test(answer: object) -> bool:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        return math.isclose(float(answer), float(value()), rel_tol=rel, abs_tol=1e-9)
    return test


def _top(values: pd.Series) -> object:
    """The index label of the largest value (ties: the first in sorted order)."""
    best = values.loc[values == values.max()].index
    return sorted(best, key=str)[0]


FEATURES_CODE = (
    "feats = ck.typology.customer_features(**shop.tables, as_of=shop.config.end_date)\n"
)


def exercises(shop: Shop, features: pd.DataFrame | None = None) -> types.SimpleNamespace:
    """Return the questions of notebook 02 as ``q1`` ... ``q5``.

    Parameters
    ----------
    shop
        The shop the notebook opened. Q3-Q5 need its hidden ``truth`` (a simulated shop).
    features
        :func:`custkit.typology.customer_features` of ``shop`` on :func:`observation_end`, if the
        notebook has computed it already (it takes a few seconds); computed on first use otherwise.
    """

    @cache
    def feats() -> pd.DataFrame:
        return shop_features(shop) if features is None else features

    @cache
    def types_() -> pd.DataFrame:
        f = feats()
        return ty.sales_types(f).merge(ty.knowledge_types(f), on="customer_id")

    @cache
    def persona_grade() -> ty.Grade:
        if shop.truth is None:
            raise CustkitError("this shop has no hidden truth (it was not simulated); Q3-Q5 grade against it.")
        return ty.grade_typology(types_()[["customer_id", "persona"]], shop.truth)["persona"]

    @cache
    def per_type() -> pd.Series:
        return persona_grade().per_type.set_index("type")

    @cache
    def sweep() -> pd.DataFrame:
        return threshold_sweep(feats(), shop.truth, SWEEP_FIELD, list(SWEEP_VALUES))

    # Q1 ---------------------------------------------------------------------------------------
    def purchases_by_hand(kind: str) -> float:
        """Mean purchases per customer from the orders, with one of the typical slips (``kind``)."""
        o = shop.orders
        o = o.loc[o["order_date"] < observation_end(shop) + pd.Timedelta(days=1)]
        if kind != "all_orders":
            o = o.loc[o["transaction_type"].isin(PURCHASE_TYPES) & o["status"].isin(PURCHASE_STATUSES)]
        counts = o.groupby("customer_id").size()
        if kind == "buyers_only":
            return float(counts.mean())
        return float(counts.reindex(feats()["customer_id"], fill_value=0).mean())

    q1 = Exercise(
        "Q1",
        "By hand, from shop.orders: how many purchases does a customer make on average, over every "
        "customer with a row in feats (a customer without a purchase counts as 0)? A purchase is a B2C, "
        "B2B or C2C order, delivered or returned, placed by as_of. Your number must equal "
        'feats["purchases"].mean(), the kit\'s feature. (a number)',
        expected=lambda: float(feats()["purchases"].mean()),
        hint=("Count the purchases of each customer first; then think about the customers who have none: "
              "they are not in the orders at all, but they are in the average.",
              'Filter the orders as in notebook 01, groupby("customer_id").size(), then '
              'reindex(feats["customer_id"], fill_value=0) before taking the mean.'),
        solution=FEATURES_CODE + (
            "o = shop.orders\n"
            'kept = o[(o["order_date"] < shop.end + pd.Timedelta(days=1))\n'
            '         & o["transaction_type"].isin(["B2C", "B2B", "C2C"])\n'
            '         & o["status"].isin(["delivered", "returned"])]\n'
            'per_customer = kept.groupby("customer_id").size().reindex(feats["customer_id"], fill_value=0)\n'
            "answer = per_customer.mean()"
        ),
        mistakes=[
            Mistake(_near(lambda: purchases_by_hand("buyers_only")),
                    "that averages over the buyers only; customers without a purchase are rows of feats too, "
                    "with 0 purchases. Reindex the counts on every customer, filling 0."),
            Mistake(_near(lambda: purchases_by_hand("all_orders")),
                    "that counts every order; cancelled orders and C2B trade-ins are not purchases "
                    "(notebook 01, A1)."),
        ],
    )

    # Q2 ---------------------------------------------------------------------------------------
    def knowledge_means() -> pd.DataFrame:
        data = feats()[["customer_id", "first_session_purchase", "purchases"]].merge(
            types_()[["customer_id", "knowledge_type"]], on="customer_id")
        return data.astype({"first_session_purchase": "float"}).groupby("knowledge_type")[
            ["first_session_purchase", "purchases"]].mean()

    def q2_answer() -> str:
        means = knowledge_means()
        if _top(means["first_session_purchase"]) == 3 and _top(means["purchases"]) == 3:
            return "a"
        if _top(means["first_session_purchase"]) == 1:
            return "b"
        return "c"

    q2 = Choice(
        "Q2",
        "The knowledge rule reads the first step of a visit and, with a small weight, the arrival channel. "
        "Which statement does the profile of the inferred knowledge types (section 3) support, in the "
        "columns the rule does not read at all?",
        options={
            "a": "Type 3 (knows what and where) buys in its first visit more often than the other types, "
                 "and makes the most purchases.",
            "b": "Type 1 (knows neither) buys in its first visit most often, because browsing shows it the most.",
            "c": "The types differ only in the columns the rule reads; in the others they look the same.",
        },
        answer=q2_answer,
        hint=("Look at the columns first_session_purchase and purchases, not at the three the rule reads.",
              "The printed lines under the heatmap give, per type, the share who bought in their first "
              "visit and the mean number of purchases; find the type with the largest of both."),
        solution=FEATURES_CODE + (
            "by_knowledge = feats.merge(ck.typology.knowledge_types(feats))\n"
            'means = by_knowledge.astype({"first_session_purchase": "float"}).groupby("knowledge_type")[\n'
            '    ["first_session_purchase", "purchases"]].mean()\n'
            "print(means.round(2))\n"
            "# Type 3 has the largest share of first-visit purchases and the most purchases:\n"
            "# evidence the rule did not use, so the types mean something.\n"
            'top = means.idxmax()\n'
            'answer = "a" if top["first_session_purchase"] == 3 and top["purchases"] == 3 else ("b" if top["first_session_purchase"] == 1 else "c")'
        ),
        why={
            "b": "compare the first_session_purchase column: type 1 has the smallest share. Browsing without "
                 "knowing what you want takes more visits, not fewer.",
            "c": "the columns the rule does not read differ too (first-visit purchases, number of purchases); "
                 "that is the evidence that the types are more than the rule.",
        },
    )

    # Q3 ---------------------------------------------------------------------------------------
    def hesitant_precision() -> float:
        return float(per_type().loc[RECALL_BY_HAND, "precision"])

    def hesitant_called_share() -> float:
        return float((types_()["persona"] == RECALL_BY_HAND).mean())

    q3 = Exercise(
        "Q3",
        f"Grading step, by hand: of the customers whose true persona (shop.truth) is {RECALL_BY_HAND}, what "
        f"share did the rules (ck.typology.sales_types(feats)) also call {RECALL_BY_HAND}? That is the "
        f"recall of {RECALL_BY_HAND}; grade_typology's per_type table gives it to compare. (a share "
        f"between 0 and 1)",
        expected=lambda: float(per_type().loc[RECALL_BY_HAND, "recall"]),
        hint=("Recall starts from the truth: take the true members of the type, then ask how many of them "
              "the rules found.",
              'Merge types with shop.truth[["customer_id", "persona"]] (suffixes tell the two persona '
              "columns apart), keep the rows whose true persona is the type, and take the mean of "
              "(called persona == the type)."),
        solution=FEATURES_CODE + (
            "types = ck.typology.sales_types(feats)\n"
            'both = types.merge(shop.truth[["customer_id", "persona"]], on="customer_id", suffixes=("_called", "_true"))\n'
            f'true_members = both[both["persona_true"] == "{RECALL_BY_HAND}"]\n'
            f'answer = (true_members["persona_called"] == "{RECALL_BY_HAND}").mean()'
        ),
        mistakes=[
            Mistake(_near(hesitant_precision),
                    "that is the precision: it starts from the customers the rules called the type. "
                    "Recall starts from the true members and asks how many were found."),
            Mistake(_near(hesitant_called_share),
                    "that is the share of all customers the rules call the type; recall looks only at "
                    "its true members."),
            Mistake(_near(lambda: persona_grade().accuracy),
                    "that is the accuracy over all types; the question asks about one type's true members."),
        ],
    )

    # Q4 ---------------------------------------------------------------------------------------
    @cache
    def relationship_grade() -> ty.Grade:
        if shop.truth is None:
            raise CustkitError("this shop has no hidden truth (it was not simulated); Q4 grades against it.")
        return ty.grade_typology(types_()[["customer_id", "relationship"]], shop.truth)["relationship"]

    def q4_answer() -> str:
        g = relationship_grade()
        if g.macro_f1 <= g.baseline_macro_f1:
            return "a"
        return "b" if g.accuracy <= g.baseline_accuracy else "c"

    q4 = Choice(
        "Q4",
        "Grading step: look at the relationship line of section 5 (macro F1 and accuracy of the rules, "
        "each against the majority-class baseline). What do the numbers say about the relationship rules?",
        options={
            "a": "They are no better than guessing the commonest type: drop them.",
            "b": "They beat the baseline in macro F1 but not in accuracy: the baseline earns its accuracy by "
                 "calling everyone the biggest type, and finds none of the small ones.",
            "c": "They beat the baseline in both accuracy and macro F1.",
        },
        answer=q4_answer,
        hint=("Compare two pairs of numbers: the rules' macro F1 with the baseline's, and the rules' "
              "accuracy with the baseline's.",
              "Accuracy counts every customer once, so a big type dominates it; macro F1 gives each type "
              "the same weight. grades['relationship'] has macro_f1, baseline_macro_f1, accuracy and "
              "baseline_accuracy."),
        solution=FEATURES_CODE + (
            "types = ck.typology.sales_types(feats)\n"
            'g = ck.typology.grade_typology(types, shop.truth)["relationship"]\n'
            'print(f"macro F1 {g.macro_f1:.2f} (baseline {g.baseline_macro_f1:.2f}), "\n'
            '      f"accuracy {g.accuracy:.2f} (baseline {g.baseline_accuracy:.2f})")\n'
            "# macro F1 about twice the baseline's, accuracy a little below it: the baseline is right about\n"
            "# the biggest type (lost) and wrong about every other one.\n"
            'answer = "a" if g.macro_f1 <= g.baseline_macro_f1 else ("b" if g.accuracy <= g.baseline_accuracy else "c")'
        ),
        why={
            "a": "compare the macro F1 values: the rules score about twice the baseline, so they do find the "
                 "smaller types. Accuracy alone hides that.",
            "c": "compare the accuracies: the baseline's is a little higher, because the biggest type "
                 "is right for most customers. Macro F1 is where the rules win.",
        },
    )

    # Q5 ---------------------------------------------------------------------------------------
    def recall_at(value: float) -> float:
        s = sweep()
        row = s.loc[(s["type"] == SWEEP_TYPE) & (s[SWEEP_FIELD] == value), "recall"]
        return float(row.iloc[0])

    values_text = ", ".join(f"{v:g}" for v in SWEEP_VALUES)
    q5 = Exercise(
        "Q5",
        f"Grading step: try Thresholds.{SWEEP_FIELD} = {values_text}. What is the largest of these "
        f"values at which the recall of {SWEEP_TYPE} is at least {RECALL_TARGET:g}? (If none reaches it, "
        f"the value with the highest recall.)",
        expected=lambda: target_value(sweep()),
        hint=(f"A stricter threshold finds fewer true {SWEEP_TYPE}s; look for the point where recall "
              f"drops below the target.",
              f"threshold_sweep(feats, shop.truth, '{SWEEP_FIELD}', values) from custkit.typology.tuning "
              f"grades every value; keep the {SWEEP_TYPE} rows with recall >= {RECALL_TARGET:g} and take "
              f"the largest {SWEEP_FIELD}."),
        solution=FEATURES_CODE + (
            "from custkit.typology.tuning import threshold_sweep\n"
            f"values = [{values_text}]\n"
            f'sweep = threshold_sweep(feats, shop.truth, "{SWEEP_FIELD}", values)\n'
            f'rows = sweep[sweep["type"] == "{SWEEP_TYPE}"]\n'
            f'reach = rows[rows["recall"] >= {RECALL_TARGET!r}]\n'
            f'answer = reach["{SWEEP_FIELD}"].max() if len(reach) else '
            f'rows.loc[rows["recall"].idxmax(), "{SWEEP_FIELD}"]'
        ),
        mistakes=[
            Mistake(lambda a: _near(lambda: min(SWEEP_VALUES))(a) and target_value(sweep()) != min(SWEEP_VALUES),
                    "the smallest value reaches the target too, but it calls many more people brand "
                    "switchers than needed and precision falls; the question asks for the largest value "
                    "that still reaches the target."),
            Mistake(lambda a: _near(lambda: recall_at(target_value(sweep())))(a),
                    "that is the recall at the right value; give the threshold value itself."),
            Mistake(lambda a: _near(lambda: getattr(ty.Thresholds(), SWEEP_FIELD))(a)
                    and target_value(sweep()) != getattr(ty.Thresholds(), SWEEP_FIELD),
                    "that is the default value; check the recall it gives against the target in the sweep."),
        ],
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4, q5=q5)
