"""Parameter sweeps: change one knob of the simulated shop, re-simulate over seeds, measure.

A researcher's question such as "what do late deliveries do to retention?" (concept D3 [003]:
on-time delivery is one of the two conditions of satisfaction) becomes an experiment: simulate
the shop at several values of one :class:`~custkit.config.ShopConfig` field, each with several
random seeds, and measure the same outcomes on every shop. :func:`sweep` returns one tidy row per
(knob value, seed, metric); :func:`summarise_sweep` gives the mean, the standard deviation and a
95 % interval of the mean per knob value; :func:`paired_effects` turns the runs into each seed's
difference from a baseline value (the knob's effect, seed by seed);
:func:`custkit.plots.experiments.plot_sweep` draws either.

The seeds are the replications: a small shop (a few hundred customers) is a noisy sample, so
one run per value can show an effect that is only chance, or hide a real one. The same seeds
are used at every knob value, so the shops of one seed share their random streams (common random
numbers: largely the same customers), and a difference along one seed's runs owes more to the
knob than a difference between seeds does.

>>> runs = sweep(ShopConfig(), "late_delivery_rate", [0.0, 0.3], seeds=[1, 2],
...              n_customers=300)                                    # doctest: +SKIP
>>> summarise_sweep(runs)                                            # doctest: +SKIP
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Sequence
from numbers import Real

import numpy as np
import pandas as pd
from scipy import stats

from custkit._checks import require_columns, require_frame, require_in_range
from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.retention.compare import COMPARISON_METRICS, shop_metrics
from custkit.retention.equity import equity_from_orders
from custkit.shop import Shop

__all__ = [
    "DEFAULT_METRICS",
    "METRICS",
    "measure",
    "paired_effects",
    "readable_sweep",
    "shop_equity",
    "summarise_sweep",
    "sweep",
]

EQUITY_DISCOUNT = 0.10
"""Yearly discount rate of :func:`shop_equity` (10 % a year)."""
EQUITY_HORIZON = 3
"""Future yearly cohorts counted by :func:`shop_equity`."""

METRICS: dict[str, tuple[str, str]] = {
    **COMPARISON_METRICS,
    "customer_equity": (
        "customer equity: this year's buyers plus 3 yearly cohorts like this year's new buyers, "
        "revenue as margin, discounted 10 % a year", "currency"),
}
"""What :func:`measure` can compute: name -> (what it measures, unit). The first eight are
:func:`custkit.retention.shop_metrics`; ``customer_equity`` is :func:`shop_equity`."""

DEFAULT_METRICS: tuple[str, ...] = ("period_retention", "revenue_per_customer", "customer_equity")
"""Metrics of a sweep when none are named: retention, revenue per customer and customer equity."""

SWEEP_COLUMNS = ["knob", "knob_value", "seed", "metric", "value"]


def shop_equity(
    shop: object,
    *,
    as_of: object = None,
    discount: float = EQUITY_DISCOUNT,
    horizon: int = EQUITY_HORIZON,
    margin_rate: float = 1.0,
) -> float:
    """Customer equity of one shop, measured from its orders (concept D5 [002]).

    Built from the kit's retention functions in four steps, all in yearly periods:

    1. each buyer of the last 365 days leaves a yearly margin m_i
       (:func:`custkit.retention.yearly.yearly_margins`, revenue x ``margin_rate``);
    2. the yearly retention r is measured on the orders
       (:func:`custkit.retention.period_retention`, pooled over complete years);
    3. each of those buyers is worth ``retention_clv(m_i, r, discount)`` = m_i r / (1 + d - r)
       (Gupta and Lehmann 2003), the remaining value of a current customer;
    4. :func:`custkit.retention.customer_equity` adds ``horizon`` future yearly cohorts, each as
       large as the number of customers won in the last year and each new customer worth the
       mean value of those new customers (Gupta, Lehmann and Stuart 2004).

    Assumptions: one retention rate for every customer and year; last year's margins and
    acquisitions repeat; no acquisition cost (the tables hold marketing spend per channel, not
    per customer). It is an index for comparing shops, not a valuation.

    Parameters
    ----------
    shop
        A :class:`custkit.Shop` (only ``shop.orders`` is used).
    as_of
        Observation end; defaults to ``shop.end`` (the end of the shop's config window, or the last
        order day of a shop without config).
    discount
        Yearly discount rate d >= 0.
    horizon
        Future yearly cohorts counted, a whole number >= 0.
    margin_rate
        Share of revenue that is margin, in (0, 1].

    Returns
    -------
    float
        Customer equity in the shop's currency.

    Raises
    ------
    CustkitError
        If the orders do not cover two complete calendar years before ``as_of`` (the yearly
        retention cannot be measured), or for bad arguments.
    """
    orders = _orders(shop)
    end = _as_of(shop, orders, as_of)
    return equity_from_orders(orders, as_of=end, discount=discount, horizon=horizon, margin_rate=margin_rate).total


def measure(shop: object, metrics: Iterable[str] = DEFAULT_METRICS, *, as_of: object = None) -> pd.Series:
    """The named metrics of one shop (see :data:`METRICS`) as a Series indexed by metric name.

    ``as_of`` defaults to the end of the shop's observation window (:func:`shop_metrics`).
    """
    names = _check_metrics(metrics)
    out: dict[str, float] = {}
    if any(m in COMPARISON_METRICS for m in names):
        basic = shop_metrics(shop, as_of=as_of)
        out.update({m: float(basic[m]) for m in names if m in COMPARISON_METRICS})
    if "customer_equity" in names:
        out["customer_equity"] = shop_equity(shop, as_of=as_of)
    return pd.Series([out[m] for m in names], index=pd.Index(names, dtype="str", name="metric"),
                     name="value", dtype=float)


def sweep(
    base_config: ShopConfig,
    knob: str,
    values: Sequence[object],
    seeds: Sequence[int],
    *,
    metrics: Iterable[str] = DEFAULT_METRICS,
    n_customers: int | None = None,
    generator: Callable[[ShopConfig], object] | None = None,
    progress: Callable[[int, int], object] | None = None,
) -> pd.DataFrame:
    """Simulate ``base_config`` at every value of one knob and every seed, and measure each shop.

    For each value v and seed s the shop ``base_config.replace(knob=v, seed=s[, n_customers=n])``
    is simulated and :func:`measure` computes ``metrics`` on its observed tables (the hidden truth
    is not used). The same seeds serve every value, so the shops of one seed share their random
    streams (common random numbers), and the spread across seeds shows how much a result of one
    small shop owes to chance.

    Parameters
    ----------
    base_config
        The shop every run starts from, e.g. ``ShopConfig.preset("classroom")``.
    knob
        A :class:`ShopConfig` field (``ShopConfig.describe()`` lists them), other than ``seed``.
    values
        Values of the knob (at least one, no repeats); each must be valid for the field.
    seeds
        Random seeds, the replications (at least one, no repeats, whole numbers >= 0).
    metrics
        Names from :data:`METRICS`; default :data:`DEFAULT_METRICS`.
    n_customers
        Registered customers of every shop; ``None`` keeps the base config's. A few hundred keep a
        sweep quick (about a second per shop) but noisy.
    generator
        The simulator, ``config -> Shop``; default :func:`custkit.generate`. (Another function
        with that contract, e.g. a cached one, may stand in.)
    progress
        Optional callback ``progress(done, total)`` after each shop.

    Returns
    -------
    DataFrame
        Tidy, one row per knob value x seed x metric, in the order given: ``knob`` (str),
        ``knob_value``, ``seed`` (int), ``metric`` (str) and ``value`` (float). ``attrs`` records
        the base config (as a dict) and ``n_customers``.

    Raises
    ------
    CustkitError
        For an unknown knob or metric, empty or repeated values or seeds, or a value the field
        does not accept (a :class:`~custkit.errors.ConfigError` naming the allowed range).
    """
    if not isinstance(base_config, ShopConfig):
        raise CustkitError(f"base_config must be a ShopConfig (e.g. ShopConfig.preset('classroom')), "
                           f"got {type(base_config).__name__}.")
    fields = [f.name for f in dataclasses.fields(ShopConfig)]
    if knob == "seed":
        raise CustkitError("knob cannot be 'seed': the seeds are the replications; pass them as seeds=[...].")
    if knob not in fields:
        raise CustkitError(f"unknown knob {knob!r}; choose a ShopConfig field: {sorted(set(fields) - {'seed'})}.")
    values = _distinct(values, "values")
    seeds = [_seed(s) for s in _distinct(seeds, "seeds")]
    names = _check_metrics(metrics)
    changes: dict[str, object] = {}
    if n_customers is not None:
        changes["n_customers"] = n_customers
    if generator is None:
        from custkit.simulate import generate as generator
    elif not callable(generator):
        raise CustkitError(f"generator must be a function config -> Shop, got {generator!r}.")
    if progress is not None and not callable(progress):
        raise CustkitError(f"progress must be a function progress(done, total) or None, got {progress!r}.")
    # Build every config first: a bad value fails at once, before minutes of simulation.
    configs = [(v, s, base_config.replace(**changes, **{knob: v}, seed=s)) for v in values for s in seeds]
    rows = []
    for done, (v, s, cfg) in enumerate(configs, start=1):
        result = measure(generator(cfg), names)
        rows.extend((knob, v, s, m, float(result[m])) for m in names)
        if progress is not None:
            progress(done, len(configs))
    out = pd.DataFrame(rows, columns=SWEEP_COLUMNS)
    out = out.astype({"knob": "str", "seed": "int64", "metric": "str", "value": float})
    out.attrs = {"base_config": base_config.to_dict(), "n_customers": n_customers}
    return out


def summarise_sweep(
    results: pd.DataFrame,
    *,
    x: str = "knob_value",
    metric: str = "metric",
    value: str = "value",
    level: float = 0.95,
) -> pd.DataFrame:
    """Mean, standard deviation and a confidence interval of the mean per knob value and metric.

    The interval is Student's t interval for a mean: mean +/- t_{n-1} sd / sqrt(n), with the
    quantile t_{n-1} = ``scipy.stats.t.ppf((1 + level) / 2, n - 1)``. It assumes the seeds are
    independent replications and that the metric is roughly normal across them; with three seeds
    t is 4.30 for 95 %, so the interval is wide: that width is the honest price of few runs.

    Parameters
    ----------
    results
        Output of :func:`sweep` (or any tidy table with the named columns).
    x, metric, value
        Column names: the knob value, the metric name and the measured value.
    level
        Confidence level in (0, 1).

    Returns
    -------
    DataFrame
        One row per knob value and metric, in the order of first appearance: ``knob`` (when the
        input has it), ``x``, ``metric``, ``n`` (runs with a value), ``mean``, ``sd`` (sample
        standard deviation, ddof = 1), ``ci_low`` and ``ci_high`` (NaN when n < 2).
        ``attrs["level"]`` records the level.
    """
    require_frame(results, "results")
    require_columns(results, [x, metric, value], "results")
    if not pd.api.types.is_numeric_dtype(results[value]) or pd.api.types.is_bool_dtype(results[value]):
        raise CustkitError(f"results[{value!r}] must hold numbers, found dtype {results[value].dtype}.")
    level = require_in_range(level, "level", 0.0, 1.0, low_open=True, high_open=True)
    keys = (["knob"] if "knob" in results.columns and "knob" not in (x, metric, value) else []) + [x, metric]
    grouped = results.groupby(keys, sort=False, dropna=False)[value]
    out = grouped.agg(n="count", mean="mean", sd="std").reset_index()
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(n >= 2, stats.t.ppf((1 + level) / 2, np.maximum(n - 1, 1)), np.nan)
        half = t * out["sd"].to_numpy(dtype=float) / np.sqrt(n)
    out["n"] = out["n"].astype("int64")
    out["ci_low"] = out["mean"] - half
    out["ci_high"] = out["mean"] + half
    out.attrs = {"level": level}
    return out


def paired_effects(
    results: pd.DataFrame,
    baseline: object = None,
    *,
    x: str = "knob_value",
    seed: str = "seed",
    metric: str = "metric",
    value: str = "value",
) -> pd.DataFrame:
    """Each run's difference from the baseline run of the same seed: the knob's effect, seed by seed.

    A sweep uses the same seeds at every knob value (common random numbers), so the runs of one
    seed are paired: subtracting the baseline run of the same seed removes the part of the chance
    that the two shops share, and the differences vary much less than the runs themselves. Pass
    the result to :func:`summarise_sweep` for the mean effect and its interval (the paired t
    interval). Assumes each seed ran once at each value; a seed without a baseline run is dropped.

    Parameters
    ----------
    results
        Output of :func:`sweep`.
    baseline
        The knob value to compare with; default the first value of the sweep.
    x, seed, metric, value
        Column names.

    Returns
    -------
    DataFrame
        The rows of ``results`` other than the baseline's, with ``value`` replaced by the
        difference (run minus baseline run of the same seed and metric) and a ``baseline``
        column.
    """
    require_frame(results, "results")
    require_columns(results, [x, seed, metric, value], "results")
    if baseline is None:
        baseline = results[x].iloc[0]
    is_base = (results[x] == baseline).to_numpy()
    if not is_base.any():
        raise CustkitError(f"baseline {baseline!r} is not a value of results[{x!r}]: "
                           f"{results[x].drop_duplicates().tolist()}.")
    base = results[is_base]
    if base.duplicated([seed, metric]).any():
        raise CustkitError(f"the baseline has several runs with the same {seed!r} and {metric!r}; "
                           f"paired effects need one run per seed and value.")
    reference = base.set_index([seed, metric])[value]
    others = results[~is_base]
    keys = pd.MultiIndex.from_frame(others[[seed, metric]])
    diff = others[value].to_numpy(dtype=float) - reference.reindex(keys).to_numpy(dtype=float)
    out = others.assign(**{value: diff, "baseline": baseline})
    return out[~np.isnan(diff)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- helpers


READABLE_COLUMNS = ("value", "mean", "sd", "ci_low", "ci_high")
"""The columns of a sweep table that :func:`readable_sweep` writes by the unit of the row's metric."""


def readable_sweep(frame: pd.DataFrame, decimals: int = 3) -> pd.DataFrame:
    """A sweep table (``runs``, a summary or paired effects) at the precision a reader needs.

    In the columns of :data:`READABLE_COLUMNS`, each row is written by the unit of its metric
    (:data:`METRICS`): money (``currency``) in whole currency units with thousands separators,
    everything else (shares, CSAT, hours) at ``decimals`` decimals; missing values as "". The
    result holds text, for display only (a copy: compute with the table itself). Unlike
    :func:`custkit.reading.readable_table`, which formats by column, a sweep table mixes units
    within a column, one metric per row.
    """
    if not isinstance(frame, pd.DataFrame) or "metric" not in frame:
        raise CustkitError("readable_sweep() takes a sweep table with a 'metric' column "
                           "(runs, summarise_sweep(runs) or paired_effects(runs, ...)).")
    out = frame.copy()
    money = frame["metric"].map(lambda m: METRICS.get(m, ("", ""))[1] == "currency").to_numpy(bool)
    for column in READABLE_COLUMNS:
        if column in out:
            out[column] = [("" if pd.isna(v) else f"{v:,.0f}" if is_money else f"{v:.{decimals}f}")
                           for v, is_money in zip(frame[column], money)]
    return out


def _orders(shop: object) -> pd.DataFrame:
    tables = getattr(shop, "tables", None)
    if not isinstance(tables, dict) or "orders" not in tables:
        raise CustkitError(f"expected a custkit Shop (from ck.generate or ck.load_shop) with an orders table, "
                           f"got {type(shop).__name__}.")
    return tables["orders"]


def _as_of(shop: object, orders: pd.DataFrame, as_of: object) -> object:
    if as_of is not None:
        return as_of
    if isinstance(shop, Shop):
        return shop.end
    require_frame(orders, "orders")
    require_columns(orders, ["order_date"], "orders")
    return Shop(tables={"orders": orders}).end


def _check_metrics(metrics: Iterable[str]) -> list[str]:
    if isinstance(metrics, str):
        metrics = [metrics]
    names = list(metrics)
    unknown = [m for m in names if m not in METRICS]
    if not names or unknown:
        raise CustkitError(f"metrics must name at least one of {list(METRICS)}; unknown: {unknown}.")
    if len(set(names)) != len(names):
        raise CustkitError(f"metrics are repeated: {names}; name each once.")
    return names


def _distinct(items: object, name: str) -> list:
    if isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise CustkitError(f"{name} must be a list of at least one value, got {items!r}.")
    items = list(items)
    if not items:
        raise CustkitError(f"{name} is empty; give at least one value.")
    seen = []
    for item in items:
        if item in seen:
            raise CustkitError(f"{name} repeats {item!r}; give each value once.")
        seen.append(item)
    return items


def _seed(value: object) -> int:
    ok = isinstance(value, Real) and not isinstance(value, bool) and np.isfinite(value)
    if not ok or value != int(value) or value < 0:
        raise CustkitError(f"seeds must be whole numbers >= 0, got {value!r}.")
    return int(value)
