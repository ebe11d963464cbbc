"""Conformance: every public analysis that reads a shop's tables meets one battery of bad inputs.

In the manner of scikit-learn's estimator checks: each function in ``RECIPES`` is called once as a
user would (on a small simulated shop), then again with one thing wrong at a time:

- a table that is ``None``, a single column (Series), empty, or has a duplicated column label;
- each column dropped in turn (a column the function needs must give an error that names it);
- a date column the function needs as time-zone-aware datetimes, as numbers (Unix seconds), or as
  Jalali dates written like Gregorian ones (year 1403);
- a numeric column it needs as text, or with an infinite value;
- one row per customer promised, and a customer id missing or repeated;
- ``as_of`` given as a number (20241231) or a Jalali date; a list of names given as a lone string.

Each case must end in a :class:`~custkit.errors.CustkitError` whose message names the column or
argument (or, for an optional column, in a clean answer), never in another exception, and no call
may change its inputs. ``test_every_public_table_function_has_a_recipe`` lists the analysis
modules' public functions that take a table, so a new one cannot be forgotten.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.schema import TABLES
from custkit.simulate import generate

AS_OF = "2025-06-30"
MODULES = ("definitions", "funnel", "transactions", "retention", "segmentation", "tour", "typology", "realism")
NAME_LISTS = ("exclude_types", "exclude_statuses", "types", "statuses", "traits")


@dataclasses.dataclass(frozen=True)
class Recipe:
    """One valid call: ``function(**{param: table}, **kwargs)``, each table a shop table's name or a
    function of the shop (the output of another analysis); ``per_customer`` names the table params
    that promise one row per customer. With ``mapping``, the tables go together as one mapping
    under that parameter, ``function(**{mapping: {name: table}}, **kwargs)`` (a function that reads
    a whole shop, such as ``shop.tables``); each table of the mapping may be left out, so none is
    required, and every other case is made table by table as usual."""

    function: str
    tables: dict[str, str | Callable]
    kwargs: dict = dataclasses.field(default_factory=dict)
    per_customer: tuple[str, ...] = ()
    mapping: str | None = None

    def resolve(self) -> Callable:
        module, name = self.function.rsplit(".", 1)
        return getattr(importlib.import_module(f"custkit.{module}"), name)


RECIPES = [
    Recipe("definitions.audience_counts", {"customers": "customers", "sessions": "sessions", "orders": "orders"},
           {"as_of": AS_OF}, ("customers",)),
    Recipe("definitions.customer_profiles", {"customers": "customers", "orders": "orders", "sessions": "sessions"},
           {"as_of": AS_OF}, ("customers",)),
    Recipe("definitions.customer_status", {"customers": "customers", "orders": "orders"}, {"as_of": AS_OF}, ("customers",)),
    Recipe("definitions.general_types", {"customers": "customers", "sessions": "sessions", "orders": "orders"},
           {"as_of": AS_OF}, ("customers",)),
    Recipe("definitions.link_sessions", {"sessions": "sessions"}, {"as_of": AS_OF}),
    Recipe("definitions.opened_since", {"customers": "customers"}, {"since": "2024-01-01"}, ("customers",)),
    Recipe("definitions.purchases_until", {"orders": "orders"}, {"as_of": AS_OF}),
    Recipe("definitions.transaction_mix", {"orders": "orders"}),
    Recipe("definitions.recipient_mix", {"orders": "orders"}),
    Recipe("definitions.buyer_vs_consumer", {"orders": "orders", "order_items": "order_items", "products": "products"}),
    Recipe("funnel.loyalty_ladder", {"customers": "customers", "orders": "orders", "sessions": "sessions",
                                     "surveys": "surveys"}, {"as_of": AS_OF}, ("customers",)),
    Recipe("funnel.time_to_convert", {"sessions": "sessions", "orders": "orders"}, {"as_of": AS_OF}),
    Recipe("funnel.funnel_counts", {"sessions": "sessions"}),
    Recipe("funnel.furthest_stage_from_events", {"events": "events"}),
    Recipe("transactions.customer_summary", {"transactions": "orders"}, {"as_of": AS_OF, "freq": "W"}),
    Recipe("transactions.from_transactions", {"df": "orders"}, {"as_of": AS_OF}),
    Recipe("retention.churn_flags", {"orders": "orders"}, {"as_of": AS_OF}),
    Recipe("retention.cohort_table", {"orders": "orders"}, {"as_of": AS_OF, "freq": "Q"}),
    Recipe("retention.period_retention", {"orders": "orders"}, {"as_of": AS_OF, "freq": "Q"}),
    Recipe("retention.loyalty_quadrants", {"orders": "orders"}, {"as_of": AS_OF}),
    Recipe("retention.customer_wallets", {"surveys": "surveys", "orders": "orders"}, {"as_of": AS_OF}),
    Recipe("retention.repurchase_by_csat", {"surveys": "surveys", "orders": "orders"}, {"as_of": AS_OF}),
    Recipe("retention.csat_by_lateness", {"surveys": "surveys", "orders": "orders"}),
    Recipe("retention.csat_by_response_time", {"surveys": "surveys", "tickets": "tickets"}),
    Recipe("retention.acquisition_cost_by_channel", {"customers": "customers", "marketing_spend": "marketing_spend",
                                                     "orders": "orders"}, {"as_of": AS_OF}, ("customers",)),
    Recipe("retention.tier_summary", {"customers": "customers", "orders": "orders"}, {"as_of": AS_OF}, ("customers",)),
    Recipe("retention.yearly_margins", {"orders": "orders"}, {"as_of": AS_OF}),
    Recipe("segmentation.rfm_table", {"orders": "orders"}, {"as_of": AS_OF}),
    Recipe("segmentation.demographic_profile", {"customers": "customers", "orders": "orders"}, {"as_of": AS_OF},
           ("customers",)),
    Recipe("tour.weekly_orders", {"orders": "orders", "campaigns": "campaigns"}),
    Recipe("tour.promotion_lift", {"orders": "orders", "campaigns": "campaigns"}),
    Recipe("retention.equity_from_orders", {"orders": "orders"}, {"as_of": "2025-12-31"}),
    Recipe("definitions.audience_over_time", {"customers": "customers", "sessions": "sessions", "orders": "orders"},
           {"dates": ["2024-12-31", AS_OF]}, ("customers",)),
    Recipe("typology.customer_features", {"customers": "customers", "sessions": "sessions", "events": "events",
                                          "orders": "orders", "order_items": "order_items", "tickets": "tickets",
                                          "surveys": "surveys", "campaigns": "campaigns"},
           {"as_of": AS_OF}, ("customers",)),
    Recipe("realism.scorecard", {name: name for name in TABLES}, per_customer=("customers",), mapping="shop"),
]


# ----------------------------------------------------------------------------- tables other analyses make


def _features(shop):
    from custkit.typology import customer_features

    return customer_features(**shop.tables, as_of=AS_OF)


def _rfm(shop):
    from custkit.segmentation import rfm_table

    return rfm_table(shop.orders, AS_OF)


def _segments(shop):
    from custkit.segmentation import rfm_scores, rfm_segments

    return rfm_segments(rfm_scores(_rfm(shop)))


def _cohorts(shop):
    from custkit.retention import cohort_table

    return cohort_table(shop.orders, as_of=AS_OF, freq="Q")


def _predicted_clv(shop):
    from custkit.retention import BetaGeoNBD, GammaGamma, customer_lifetime_value
    from custkit.transactions import customer_summary

    summary = customer_summary(shop.orders, amount="shop_revenue", as_of=shop.end, freq="W")
    bgnbd = BetaGeoNBD().fit(summary)
    spend = GammaGamma().fit(summary[summary["monetary_value"] > 0])
    return customer_lifetime_value(bgnbd, spend, summary, horizon_months=12).reset_index()


def _graded(shop):
    from custkit.typology import sales_types

    return sales_types(_features(shop))


DERIVED_RECIPES = [
    Recipe("definitions.ability_aptitude_table",
           {"data": lambda shop: shop.truth.assign(bought=shop.truth["customer_id"].isin(shop.orders["customer_id"]))}),
    Recipe("funnel.intervention_value", {"funnel": lambda shop: __import__("custkit.funnel").funnel.funnel_counts(shop.sessions)},
           {"value_per_purchase": 50.0}),
    Recipe("funnel.ladder_counts", {"ladder": lambda shop: __import__("custkit.funnel").funnel.loyalty_ladder(
        shop.customers, shop.orders, AS_OF, sessions=shop.sessions, surveys=shop.surveys)}),
    Recipe("retention.cohort_matrix", {"cohorts": _cohorts}),
    Recipe("retention.retention_curve", {"cohorts": _cohorts}),
    Recipe("retention.pooled_retention", {"table": lambda shop: __import__("custkit.retention").retention.period_retention(
        shop.orders, as_of=AS_OF, freq="Q")}),
    Recipe("retention.quadrant_summary", {"quadrants": lambda shop: __import__("custkit.retention").retention.loyalty_quadrants(
        shop.orders, as_of=AS_OF)}),
    Recipe("retention.share_of_wallet", {"wallets": lambda shop: __import__("custkit.retention").retention.customer_wallets(
        shop.surveys, shop.orders, as_of=AS_OF).reset_index(), "customers": "customers"}, {"by": "age_band"}),
    Recipe("retention.score_clv", {"predicted": _predicted_clv, "truth": "truth"}),
    Recipe("segmentation.rfm_scores", {"rfm": _rfm}),
    Recipe("segmentation.rfm_segments", {"scores": lambda shop: __import__("custkit.segmentation").segmentation.rfm_scores(_rfm(shop))}),
    Recipe("segmentation.kmeans_segments", {"data": _rfm}, {"features": ["recency_days", "frequency", "monetary"], "k": 3}),
    Recipe("segmentation.choose_k", {"data": _rfm}, {"features": ["recency_days", "frequency", "monetary"], "k_values": [2, 3]}),
    Recipe("segmentation.segment_profile", {"data": _segments}),
    Recipe("segmentation.lists_from_segments", {"data": _segments}),
    Recipe("segmentation.suggest_actions", {"segments": _segments, "customers": "customers"}, per_customer=("customers",)),
    Recipe("typology.knowledge_types", {"features": _features}),
    Recipe("typology.persona_rules", {"features": _features}),
    Recipe("typology.relationship_rules", {"features": _features}),
    Recipe("typology.sales_types", {"features": _features}),
    Recipe("typology.threshold_sweep", {"features": _features, "truth": "truth"},
           {"field": "competitor_share", "values": [0.2, 0.4]}),
    Recipe("typology.grade", {"predicted": _graded, "truth": "truth"}),
    Recipe("typology.grade_typology", {"predicted": _graded, "truth": "truth"}),
    Recipe("realism.describe", {"card": lambda shop: __import__("custkit.realism").realism.scorecard(shop)}),
    Recipe("realism.readable", {"card": lambda shop: __import__("custkit.realism").realism.scorecard(shop)}),
    Recipe("realism.markdown", {"card": lambda shop: __import__("custkit.realism").realism.scorecard(shop)}),
    Recipe("segmentation.response_probability", {"truth": "truth"},
           {"offer": __import__("custkit.segmentation.targeting").segmentation.targeting.Offer()}),
    Recipe("segmentation.purchase_probabilities", {"truth": "truth"},
           {"offer": __import__("custkit.segmentation.targeting").segmentation.targeting.Offer()}),
]
RECIPES += DERIVED_RECIPES
BY_NAME = {r.function: r for r in RECIPES}


_DERIVED: dict[tuple[str, str], pd.DataFrame] = {}


def valid_inputs(recipe: Recipe, shop) -> dict[str, pd.DataFrame]:
    """The recipe's tables (derived ones computed once per test session); the caller may replace them."""
    out = {}
    for param, spec in recipe.tables.items():
        if isinstance(spec, str):
            out[param] = getattr(shop, spec)
        else:
            key = (recipe.function, param)
            if key not in _DERIVED:
                _DERIVED[key] = spec(shop)
            out[param] = _DERIVED[key]
    return out


@pytest.fixture(scope="module")
def shop():
    # big enough (about a hundred buyers) for the BG/NBD fit of score_clv's recipe to be identified
    return generate(ShopConfig(seed=3, n_customers=200, anonymous_visitors=60, n_products=40))


# ----------------------------------------------------------------------------- the cases


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    param: str | None       # the table or argument changed
    column: str | None      # the column changed, if any
    expect: str              # "error" (must raise, naming `names`) or "error_or_answer"
    names: str               # text the error message must contain


def _changed(case: Case, tables: dict[str, pd.DataFrame], kwargs: dict) -> tuple[dict, dict]:
    """The inputs of ``case``: copies of the valid ones with one thing changed."""
    tables = {k: v.copy(deep=True) for k, v in tables.items()}
    kwargs = dict(kwargs)
    kind = case.id.split(":", 1)[0]
    t = tables.get(case.param)
    if kind == "none":
        tables[case.param] = None
    elif kind == "series":
        tables[case.param] = t.iloc[:, 0]
    elif kind == "empty":
        tables[case.param] = t.iloc[:0]
    elif kind == "duplicated_label":
        tables[case.param] = pd.concat([t, t[[case.column]]], axis=1)
    elif kind == "dropped":
        tables[case.param] = t.drop(columns=case.column)
    elif kind == "tz_aware":
        t[case.column] = t[case.column].dt.tz_localize("UTC")
    elif kind == "unix_seconds":
        t[case.column] = t[case.column].astype("datetime64[s]").astype("int64")
    elif kind == "jalali_text":
        t[case.column] = pd.Series(["1403-10-11"] * len(t), index=t.index, dtype=object).where(t[case.column].notna())
    elif kind == "numbers_as_text":
        t[case.column] = t[case.column].astype(str).astype(object)
    elif kind == "infinite":
        values = t[case.column].to_numpy(dtype=float, copy=True)
        values[np.flatnonzero(~np.isnan(values))[:1]] = np.inf
        t[case.column] = values
    elif kind == "missing_id":
        t[case.column] = t[case.column].astype("Float64")
        t.loc[t.index[0], case.column] = pd.NA
    elif kind == "repeated_id":
        tables[case.param] = pd.concat([t, t.iloc[:1]], ignore_index=True)
    elif kind == "as_of_number":
        kwargs["as_of"] = 20241231
    elif kind == "as_of_jalali":
        kwargs["as_of"] = "1403-10-11"
    elif kind == "lone_string":
        kwargs[case.param] = "C2B"
    return tables, kwargs


def _call(recipe: Recipe, tables: dict, kwargs: dict):
    if recipe.mapping is not None:
        return recipe.resolve()(**{recipe.mapping: tables}, **kwargs)
    return recipe.resolve()(**tables, **kwargs)


def _is_id(column: str) -> bool:
    return column.endswith("_id") or column in ("referred_by", "seller_customer_id")


def _uses(recipe: Recipe, shop, param: str, column: str) -> bool:
    """Whether the valid call needs ``column`` of ``param``: dropping it raises a CustkitError."""
    tables = valid_inputs(recipe, shop)
    tables[param] = tables[param].drop(columns=column)
    try:
        _call(recipe, tables, recipe.kwargs)
    except CustkitError:
        return True
    except Exception:  # noqa: BLE001 - a raw exception is reported by the "dropped" case itself
        return True
    return False


def cases_for(recipe: Recipe, shop) -> list[Case]:
    sig = inspect.signature(recipe.resolve())
    out = []
    for param, table in valid_inputs(recipe, shop).items():
        optional = recipe.mapping is not None or sig.parameters[param].default is None
        if not optional:
            out.append(Case(f"none:{param}", param, None, "error", param))
        out += [Case(f"series:{param}", param, None, "error", param),
                Case(f"empty:{param}", param, None, "error_or_answer", param)]
        for column in table.columns:
            col = str(column)
            out.append(Case(f"dropped:{param}.{col}", param, col, "error_or_answer", col))
            if not _uses(recipe, shop, param, col):
                continue
            out.append(Case(f"duplicated_label:{param}.{col}", param, col, "error", col))
            s = table[column]
            if pd.api.types.is_datetime64_any_dtype(s):
                out += [Case(f"{kind}:{param}.{col}", param, col, "error", col)
                        for kind in ("tz_aware", "unix_seconds", "jalali_text")]
            elif pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s) and not _is_id(col):
                out.append(Case(f"numbers_as_text:{param}.{col}", param, col, "error", col))
                if pd.api.types.is_float_dtype(s):
                    out.append(Case(f"infinite:{param}.{col}", param, col, "error", col))
            if param in recipe.per_customer and col == "customer_id":
                out += [Case(f"missing_id:{param}.{col}", param, col, "error", col),
                        Case(f"repeated_id:{param}.{col}", param, col, "error", col)]
    if "as_of" in recipe.kwargs:
        out += [Case("as_of_number", "as_of", None, "error", "as_of"),
                Case("as_of_jalali", "as_of", None, "error", "as_of")]
    out += [Case(f"lone_string:{p}", p, None, "error", p) for p in sig.parameters if p in NAME_LISTS]
    return out


# ----------------------------------------------------------------------------- the tests


def _assert_unchanged(before: dict, after: dict) -> None:
    for name, frame in before.items():
        if isinstance(frame, pd.DataFrame) and isinstance(after.get(name), pd.DataFrame):
            pd.testing.assert_frame_equal(after[name], frame, obj=f"input {name!r}")


@pytest.mark.slow
@pytest.mark.parametrize("function", sorted(BY_NAME))
def test_bad_inputs_get_a_custkit_error_that_names_them(function, shop):
    recipe = BY_NAME[function]
    valid = valid_inputs(recipe, shop)
    pristine = {k: v.copy(deep=True) for k, v in valid.items()}
    _call(recipe, valid, recipe.kwargs)
    _assert_unchanged(pristine, valid)

    problems = []
    cases = cases_for(recipe, shop)
    for case in cases:
        tables, kwargs = _changed(case, valid, recipe.kwargs)
        given = {k: v.copy(deep=True) for k, v in tables.items() if isinstance(v, pd.DataFrame)}
        try:
            _call(recipe, tables, kwargs)
        except CustkitError as err:
            if case.names not in str(err):
                problems.append(f"{case.id}: the error does not name {case.names!r}: {err}")
        except Exception as err:  # noqa: BLE001 - exactly what the suite is here to catch
            problems.append(f"{case.id}: raw {type(err).__name__}: {str(err)[:160]}")
        else:
            if case.expect == "error":
                problems.append(f"{case.id}: answered instead of refusing")
        try:
            _assert_unchanged(given, tables)
        except AssertionError as err:
            problems.append(f"{case.id}: changed its input: {str(err)[:160]}")
    assert len(cases) >= 8
    assert problems == [], f"{len(problems)} of {len(cases)} cases fail:\n" + "\n".join(problems)


def test_every_public_table_function_has_a_recipe():
    """Each public function of the analysis modules whose first parameter is a table is covered."""
    found = set()
    for module_name in MODULES:
        module = importlib.import_module(f"custkit.{module_name}")
        for name in getattr(module, "__all__", []):
            fn = getattr(module, name)
            if not inspect.isfunction(fn):
                continue
            params = list(inspect.signature(fn).parameters.values())
            if params and "DataFrame" in str(params[0].annotation):
                found.add(f"{module_name}.{name}")
    uncovered = sorted(found - set(BY_NAME) - set(NOT_YET))
    assert uncovered == [], f"public table functions without a conformance recipe: {uncovered}"


# Public functions whose first parameter is a table but which the battery above does not call,
# each with the reason and the test that checks it instead.
NOT_YET: dict[str, str] = {
    "tour.table_overview": "takes a mapping of tables (shop.tables): test_a_mapping_of_tables_is_checked_table_by_table",
    "tour.shop_facts": "takes a mapping of tables (shop.tables): test_a_mapping_of_tables_is_checked_table_by_table",
}


@pytest.mark.parametrize("function", ["table_overview", "shop_facts"])
def test_a_mapping_of_tables_is_checked_table_by_table(function, shop):
    from custkit import tour

    fn = getattr(tour, function)
    orders = shop.orders
    bad = [None, orders, {}, {k: v for k, v in shop.tables.items() if k != "orders"},
           {**shop.tables, "orders": pd.concat([orders, orders[["net"]]], axis=1)},
           {**shop.tables, "orders": orders.assign(order_date=orders["order_date"].dt.tz_localize("UTC"))}]
    fn(shop.tables)
    for tables in bad[:3] + (bad[3:] if function == "shop_facts" else bad[4:5]):
        with pytest.raises(CustkitError):
            fn(tables)


def test_one_dialect_names_columns_everywhere():
    """Column names are parameters named after their role (customer=, date=, revenue=), never *_col=."""
    odd = []
    for module_name in MODULES:
        module = importlib.import_module(f"custkit.{module_name}")
        for name in getattr(module, "__all__", []):
            fn = getattr(module, name)
            if inspect.isfunction(fn):
                odd += [f"{module_name}.{name}({p})" for p in inspect.signature(fn).parameters
                        if p.endswith("_col") or p.endswith("_cols")]
    assert odd == [], f"parameters in another dialect: {odd}"


def test_the_simulators_response_model_checks_its_inputs(shop):
    from custkit.simulate.response import response_probability

    p = response_probability(shop.truth, channel="email", discount_pct=10)
    assert ((p >= 0) & (p <= 0.95)).all() and p.index.equals(shop.truth.index)
    with pytest.raises(CustkitError, match="channel must be one of"):
        response_probability(shop.truth, channel="fax", discount_pct=10)
    with pytest.raises(CustkitError, match="discount_pct"):
        response_probability(shop.truth, channel="email", discount_pct=150)
