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
from custkit.exercises.core import Exercise, Mistake
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

__all__ = ["FEATURES_CODE", "RECALL_TARGET", "SWEEP_FIELD", "SWEEP_TYPE", "SWEEP_VALUES", "exercises", "observation_end",
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


def _is(value: Callable[[], object]) -> Callable[[object], bool]:
    """A :class:`Mistake` predicate: the answer names the label ``value()`` (case-insensitive)."""
    def test(answer: object) -> bool:
        return str(answer).strip().casefold() == str(value()).strip().casefold()
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
    def hesitant_share() -> float:
        return float((types_()["persona"] == "hesitant").mean())

    def true_hesitant_share() -> float:
        t = shop.truth
        if t is None:
            return math.nan
        known = t.loc[t["customer_id"].isin(feats()["customer_id"]), "persona"]
        return float((known == "hesitant").mean())

    def buyers_hesitant_share() -> float:
        ty_ = types_().merge(feats()[["customer_id", "purchases"]], on="customer_id")
        return float((ty_.loc[ty_["purchases"] > 0, "persona"] == "hesitant").mean())

    q1 = Exercise(
        "Q1",
        "What share of the customers do the persona rules (default thresholds) call hesitant? "
        "(a share between 0 and 1, over all customers with a row of features)",
        expected=hesitant_share,
        hint="ck.typology.sales_types(feats) gives one persona per customer; the mean of "
             "(persona == 'hesitant') is the share.",
        solution=FEATURES_CODE + (
            "types = ck.typology.sales_types(feats)\n"
            'answer = (types["persona"] == "hesitant").mean()'
        ),
        mistakes=[
            Mistake(_near(lambda: 100 * hesitant_share()), "that looks like a percentage; give a share between 0 and 1."),
            Mistake(_near(true_hesitant_share),
                    "that is the share in the hidden truth; a real shop never sees it. Infer the persona "
                    "from behaviour with sales_types and count those."),
            Mistake(_near(buyers_hesitant_share),
                    "that counts only customers who bought; the hesitant are often the ones who have not "
                    "bought yet, so keep every customer."),
        ],
    )

    # Q2 ---------------------------------------------------------------------------------------
    def by_knowledge(column: str) -> pd.Series:
        data = feats()[["customer_id", column]].merge(types_()[["customer_id", "knowledge_type"]], on="customer_id")
        return data.groupby("knowledge_type")[column].mean()

    def search_type() -> int:
        return int(_top(by_knowledge("search_channel_share")))

    def largest_type() -> int:
        return int(_top(types_()["knowledge_type"].value_counts()))

    q2 = Exercise(
        "Q2",
        "Which inferred knowledge type (1, 2 or 3) arrives most through search engines, i.e. has the "
        "highest mean share of visits whose channel is search? (an integer)",
        expected=search_type,
        hint="Merge feats with ck.typology.knowledge_types(feats) and compare the mean of "
             "search_channel_share per knowledge_type.",
        solution=FEATURES_CODE + (
            "with_knowledge = feats.merge(ck.typology.knowledge_types(feats))\n"
            'answer = int(with_knowledge.groupby("knowledge_type")["search_channel_share"].mean().idxmax())'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, str), "give the type as a number (1, 2 or 3), not as text."),
            Mistake(lambda a: isinstance(a, int | float) and not isinstance(a, bool) and a == largest_type()
                    and largest_type() != search_type(),
                    "that is the largest knowledge type; more customers also means more search visits. "
                    "Compare the mean share per customer, not the counts."),
        ],
    )

    # Q3 ---------------------------------------------------------------------------------------
    def best_recall() -> str:
        return str(_top(per_type()["recall"]))

    q3 = Exercise(
        "Q3",
        "Grading step: which persona do the rules recover best in the sense of recall (the largest "
        "share of its true members found)? (a persona name)",
        expected=best_recall,
        hint="ck.typology.grade_typology(types, shop.truth)['persona'].per_type has a recall column; "
             "take the type with the largest one.",
        solution=FEATURES_CODE + (
            "types = ck.typology.sales_types(feats)\n"
            'per_type = ck.typology.grade_typology(types, shop.truth)["persona"].per_type\n'
            'answer = per_type.loc[per_type["recall"].idxmax(), "type"]'
        ),
        mistakes=[
            Mistake(lambda a: _is(lambda: _top(per_type()["precision"]))(a) and _top(per_type()["precision"]) != best_recall(),
                    "that type has the highest precision (when the rules say it, they are most often "
                    "right); recall asks the other way round: of the true members, how many were found."),
            Mistake(lambda a: _is(lambda: _top(per_type()["f1"]))(a) and _top(per_type()["f1"]) != best_recall(),
                    "that type has the best F1, the balance of precision and recall; the question asks "
                    "for recall alone."),
            Mistake(lambda a: _is(lambda: _top(per_type()["predicted"]))(a) and _top(per_type()["predicted"]) != best_recall(),
                    "that is the type the rules hand out most often; a rule that labels many people "
                    "is not necessarily one that finds its true members."),
        ],
    )

    # Q4 ---------------------------------------------------------------------------------------
    q4 = Exercise(
        "Q4",
        "Grading step: what is the macro F1 of the persona rules (default thresholds)? (a number "
        "between 0 and 1; then compare it with the majority-class baseline)",
        expected=lambda: persona_grade().macro_f1,
        hint="grade_typology(...)['persona'] is a Grade; look at its attributes (summary() lists them).",
        solution=FEATURES_CODE + (
            "types = ck.typology.sales_types(feats)\n"
            'answer = ck.typology.grade_typology(types, shop.truth)["persona"].macro_f1'
        ),
        mistakes=[
            Mistake(_near(lambda: 100 * persona_grade().macro_f1), "that looks like a percentage; give a number between 0 and 1."),
            Mistake(_near(lambda: persona_grade().accuracy),
                    "that is the accuracy (share labelled right), which big types dominate; macro F1 "
                    "averages the F1 of every type with equal weight."),
            Mistake(_near(lambda: persona_grade().baseline_macro_f1),
                    "that is the baseline's macro F1 (everyone called the most common type); the question "
                    "asks for the rules' own score."),
        ],
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
        hint=f"threshold_sweep(feats, shop.truth, '{SWEEP_FIELD}', values) from custkit.typology.tuning "
             f"grades every value; keep the {SWEEP_TYPE} rows with recall >= {RECALL_TARGET:g}.",
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
