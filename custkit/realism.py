"""A realism scorecard: does a shop look like a real online shop?

:func:`scorecard` measures a shop's tables on a short list of figures that published studies
report for real online shops (conversion, cart abandonment, bounces, returns, repeat buying,
tickets, survey answers, acquisition cost, prices) and says, for each, whether the shop's value
lies in the published range. A trainer runs it on a simulated shop before a class, so that what
students find in the data matches what the textbooks and the industry reports say.

The ranges and their sources live in one data file, ``custkit/data/realism_benchmarks.csv``
(:func:`benchmarks` reads it); nothing in the code repeats them. Two figures are also computed
for CDNOW, the classic data set of Fader, Hardie and Lee (2005), from the raw sample that ships
in ``custkit/data/cdnow_sample.txt`` (:func:`cdnow_sample`, :func:`cdnow_reference`), with the
same code as the shop's.

Assumptions, shared by every metric:

- *Purchases* follow the kit's one rule (:mod:`custkit.purchases`): B2C, B2B and C2C orders that
  were delivered or returned. A table without ``transaction_type`` or ``status`` holds purchases
  only (a researcher's bare log).
- *The window* is the shop's observation window: ``config.start_date`` .. ``config.end_date``
  when the shop has a config, else the first to the last day of ``orders``. Order-based metrics
  count the orders of the window; days are counted from its first day (day 0).
- *Money* is converted to US dollars with the rate the shop used: the config's
  ``toman_per_usd`` when it has one, else the locale's rate
  (:func:`custkit.simulate.locales.get_locale`); a mapping of tables without a config is in US
  dollars unless ``usd_rate=`` says otherwise (a rate other than 1 marks a toman shop).
- A metric is ``not measurable`` (value NaN) when the tables lack what it needs (no sessions
  table, an optional column such as ``orders.delivered_date`` missing, nothing to divide by, a
  window too short) or when it applies to the other locale (the toman rate of a USD shop).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from importlib import resources
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from custkit._checks import (
    require_columns,
    require_datetime,
    require_frame,
    require_ids,
    require_numeric,
    require_positive,
)
from custkit.definitions import FUNNEL_STAGES, _stage_depth, opened_since
from custkit.errors import CustkitError, SchemaError
from custkit.purchases import purchase_mask
from custkit.schema import ALL_TABLES

if TYPE_CHECKING:
    from custkit.shop import Shop

__all__ = [
    "COLUMNS",
    "VERDICTS",
    "benchmarks",
    "cdnow_reference",
    "cdnow_sample",
    "cohort_repeats",
    "describe",
    "scorecard",
]

BENCHMARKS_FILE = "realism_benchmarks.csv"
CDNOW_FILE = "cdnow_sample.txt"
CDNOW_START = "1997-01-01"
"""First day of the CDNOW window (the cohort's first purchases start on it)."""

COLUMNS: tuple[str, ...] = ("metric", "description", "value", "margin", "low", "high", "unit", "source", "verdict",
                            "cdnow")
"""Columns of :func:`scorecard`, in order."""

VERDICTS: tuple[str, ...] = ("in range", "too low", "too high", "not measurable")

# Definitions of the metrics (not benchmarks): the CDNOW periods of Fader, Hardie & Lee (2005),
# in days from the window start, the quarter used for price changes, the top share of buyers.
COHORT_DAYS = 12 * 7          # the cohort: first purchase in weeks 1-12
CALIBRATION_DAYS = 39 * 7     # "no repeat within 39 weeks": days [0, 273)
HOLDOUT_END_DAYS = 78 * 7     # weeks 40-78: days [273, 546)
YEAR_DAYS = 365
QUARTER_DAYS = 91
TOP_SHARE = 0.20
GROWTH_TOLERANCE_POINTS = 10.0
"""``order_growth_year_2`` is in range within this many points of the config's ``growth_per_year``."""

FASHION_PATTERN = r"fashion|apparel|cloth"
ELECTRONICS_PATTERN = r"electronic"

_REQUIRED: dict[str, list[str]] = {
    "sessions": ["furthest_stage", "pages", "channel"],
    "orders": ["order_id", "customer_id", "order_date", "net"],
    "order_items": ["order_id", "line", "product_id", "unit_price"],
    "products": ["product_id", "category"],
    "customers": ["customer_id"],
    "tickets": ["created"],
    "surveys": ["responded", "nps", "csat"],
    "marketing_spend": ["date", "channel", "spend"],
}
"""Columns each table must have when it is given (the kit's schema names)."""

# Columns that are used when present and make their metrics "not measurable" when absent (a bare
# log from custkit.transactions.from_transactions has none of them):
# orders.transaction_type and orders.status (the purchase rule: a table without them holds
# purchases only), orders.promised_date and orders.delivered_date, customers.signup_date and
# customers.acquisition_channel.


# --------------------------------------------------------------------------- the data files
def benchmarks() -> pd.DataFrame:
    """The published ranges, one row per metric, from ``custkit/data/realism_benchmarks.csv``.

    Columns ``metric``, ``description``, ``low``, ``high`` (NaN: no bound on that side),
    ``unit``, ``source`` (where the range comes from) and ``note`` (how the metric is measured,
    and where the range departs from a source). Edit a copy and pass it to
    :func:`scorecard` (``benchmarks=``) to try other ranges.
    """
    return _benchmark_file().copy()


@functools.lru_cache(maxsize=1)
def _benchmark_file() -> pd.DataFrame:
    with resources.files("custkit.data").joinpath(BENCHMARKS_FILE).open("rb") as fh:
        raw = pd.read_csv(fh, dtype={"low": "float64", "high": "float64"}, keep_default_na=False,
                          na_values={"low": [""], "high": [""]})
    text = ["metric", "description", "unit", "source", "note"]
    return raw.astype({c: "str" for c in text})[text[:2] + ["low", "high"] + text[2:]]


def cdnow_sample() -> pd.DataFrame:
    """The raw CDNOW sample (2,357 customers, first purchase in Q1 1997, tracked to June 1998).

    Made available by Bruce Hardie and used in Fader, Hardie & Lee (2005), "Counting your
    customers the easy way", Marketing Science 24(2); see ``custkit/data/CDNOW_README.md``.

    Returns
    -------
    DataFrame
        One row per transaction record: ``master_id`` (id in the full CDNOW file),
        ``customer_id`` (id in the sample), ``order_date`` (datetime64[s]), ``cds`` (number of
        CDs), ``net`` (US dollars).
    """
    with resources.files("custkit.data").joinpath(CDNOW_FILE).open("rb") as fh:
        raw = pd.read_csv(fh, sep=r"\s+", header=None, names=["master_id", "customer_id", "date", "cds", "net"],
                          dtype={"master_id": "int64", "customer_id": "int64", "date": "str",
                                 "cds": "int64", "net": "float64"})
    when = pd.to_datetime(raw["date"], format="%Y%m%d").astype("datetime64[s]")
    return raw.drop(columns="date").assign(order_date=when)[["master_id", "customer_id", "order_date", "cds", "net"]]


@functools.lru_cache(maxsize=1)
def _cdnow() -> dict[str, float]:
    tx = cdnow_sample()
    day = ((tx["order_date"] - pd.Timestamp(CDNOW_START)) // pd.Timedelta(days=1)).to_numpy(dtype="int64")
    window = int(day.max()) + 1  # 1997-01-01 .. 1998-06-30: 546 days, exactly 78 weeks
    return cohort_repeats(tx["customer_id"].to_numpy(), day, window_days=window)


def cdnow_reference() -> dict[str, float]:
    """CDNOW's own values of the cohort metrics, computed from the raw sample by :func:`cohort_repeats`.

    Window start 1997-01-01 (the sample's first day), every customer new (the sample is a
    cohort of first-time buyers). Keys: ``cohort_size``, ``first_quarter_no_repeat_39w`` (%),
    ``first_quarter_repeats_weeks_40_78`` (per customer).
    """
    return dict(_cdnow())


# --------------------------------------------------------------------------- CDNOW-style cohort
def cohort_repeats(customer: np.ndarray, day: np.ndarray, *, window_days: int,
                   eligible: np.ndarray | None = None) -> dict[str, float]:
    """Repeat buying of a first-quarter cohort, as Fader, Hardie & Lee (2005) measure CDNOW.

    Parameters
    ----------
    customer, day
        One entry per purchase: the buyer and the day of the purchase counted from the window's
        first day (0). Several purchases of a customer on one day count as one purchase day, as
        in the published analyses of CDNOW.
    window_days
        Days observed (from day 0). A metric whose period the window does not cover is NaN.
    eligible
        Customers who may join the cohort (the new ones, signed up on or after the window
        start); ``None``: everyone.

    Returns
    -------
    dict
        ``cohort_size``: customers whose first purchase day lies in weeks 1-12 (days 0-83);
        ``first_quarter_no_repeat_39w``: % of them with no purchase day after the first one
        before day 273 (the 39-week calibration period); ``first_quarter_repeats_weeks_40_78``:
        their purchase days in days 273-545 (weeks 40-78, the holdout period) per cohort
        customer. Both NaN for an empty cohort. ``..._margin``: the half-width of each one's
        95 % sampling interval (1.96 standard errors: binomial for the share, the customers'
        spread for the mean), because a cohort of a hundred customers is a small sample: CDNOW's
        0.80 repeats per customer is estimated on 2,357.
    """
    days = pd.DataFrame({"customer": np.asarray(customer), "day": np.asarray(day, dtype="int64")}).drop_duplicates()
    first = days.groupby("customer")["day"].min()
    cohort = first[(first >= 0) & (first < COHORT_DAYS)]
    if eligible is not None:
        cohort = cohort[cohort.index.isin(eligible)]
    n = len(cohort)
    out = {"cohort_size": float(n), "first_quarter_no_repeat_39w": math.nan,
           "first_quarter_repeats_weeks_40_78": math.nan, "first_quarter_no_repeat_39w_margin": math.nan,
           "first_quarter_repeats_weeks_40_78_margin": math.nan}
    if n == 0:
        return out
    first_of = cohort.reindex(days["customer"]).to_numpy(dtype=float)
    later = days.loc[days["day"].to_numpy() > first_of]  # NaN (not in the cohort) compares False
    if window_days >= CALIBRATION_DAYS:
        repeaters = later.loc[later["day"] < CALIBRATION_DAYS, "customer"].nunique()
        share = (n - repeaters) / n
        out["first_quarter_no_repeat_39w"] = 100.0 * share
        out["first_quarter_no_repeat_39w_margin"] = 100.0 * 1.96 * math.sqrt(share * (1.0 - share) / n)
    if window_days >= HOLDOUT_END_DAYS:
        in_holdout = later.loc[(later["day"] >= CALIBRATION_DAYS) & (later["day"] < HOLDOUT_END_DAYS), "customer"]
        per_customer = in_holdout.value_counts().reindex(cohort.index, fill_value=0).to_numpy(dtype=float)
        out["first_quarter_repeats_weeks_40_78"] = float(per_customer.sum()) / n
        out["first_quarter_repeats_weeks_40_78_margin"] = (1.96 * float(per_customer.std(ddof=1)) / math.sqrt(n)
                                                           if n > 1 else math.nan)
    return out


# --------------------------------------------------------------------------- the scorecard
def scorecard(shop: Shop | Mapping[str, pd.DataFrame], *, benchmarks: pd.DataFrame | None = None,
              usd_rate: float | None = None) -> pd.DataFrame:
    """How realistic a shop is: one row per metric, its value against a published range.

    Parameters
    ----------
    shop
        A :class:`custkit.Shop` (``ck.load_shop()``, ``ck.generate(config)``), or a mapping of
        table name -> DataFrame in the kit's schema (:mod:`custkit.schema`), e.g.
        ``shop.tables`` or ``{"sessions": my_sessions}``. Tables may be left out (their metrics
        are not measurable); a table that is given must have the columns the scorecard reads
        (sessions: furthest_stage, pages, channel; orders: order_id, customer_id, order_date,
        net; order_items: order_id, line, product_id, unit_price; products: product_id,
        category; customers: customer_id; tickets: created; surveys: responded, nps, csat;
        marketing_spend: date, channel, spend).
    benchmarks
        Other ranges to score against: rows of :func:`benchmarks` (at least ``metric``, ``low``
        and ``high``), which replace the packaged rows of the metrics they list.
    usd_rate
        Local currency units per US dollar. Default: the shop's own rate (config), or 1 (US
        dollars) for tables without a config. A rate other than 1 marks a toman (fa_IR) shop.

    Returns
    -------
    DataFrame
        One row per metric of the benchmark file, in its order: ``metric`` (a stable key),
        ``description``, ``value`` (shares in percent: 2.6 means 2.6 %), ``low``, ``high``,
        ``unit``, ``source``, ``verdict`` (:data:`VERDICTS`) and ``cdnow`` (CDNOW's own value of
        the two cohort metrics, NaN for the others). ``order_growth_year_2`` is scored against
        the config's ``growth_per_year`` +/- 10 points when the shop has a config.

    Metrics (definitions; ranges and sources in the benchmark file):

    - sessions: ``purchase_sessions`` (furthest_stage purchase), ``cart_sessions``
      (add_to_cart or further), ``cart_abandonment`` (cart-or-further visits without a
      purchase), ``checkout_to_purchase``, ``single_page_sessions`` (pages == 1),
      ``social_and_ads_sessions`` (channel social or ads);
    - acquisition: ``paid_cost_per_new_buyer``: spend of the window on the channels of
      marketing_spend / customers who signed up in the window (when customers has
      signup_date) and made their first purchase in it, with an acquisition_channel among those
      channels, in US dollars (USD shops only: the range is of US e-commerce);
    - repeat buying, CDNOW style (:func:`cohort_repeats`): ``first_quarter_no_repeat_39w``,
      ``first_quarter_repeats_weeks_40_78``, for the new customers (signup_date on or after the
      window start, when known) whose first purchase lies in the window's first 12 weeks;
      ``one_time_buyer_share`` (buyers with one purchase day in the window);
    - orders: ``returned_share`` (returned / purchases), ``fashion_vs_electronics_returns``
      (return rate of orders whose first line is a fashion product over that of electronics),
      ``late_delivery_share`` (delivered after the promised date), ``tickets_per_100_orders``
      (every order of the window counts), ``top_20pct_revenue_share`` (of buyers' net),
      ``order_growth_year_2`` (purchases in days 365-729 over days 0-364, minus 1),
      ``mean_order_usd`` (USD shops) and ``mean_b2c_order_usd`` (toman shops): mean net of
      B2C purchases in US dollars;
    - surveys: ``survey_response_rate``, ``nps`` (% 9-10 minus % 0-6 among answers),
      ``csat_1_share`` (answers of 1; real ratings are J-shaped, Hu, Pavlou & Zhang 2009);
    - toman shops only: ``toman_per_usd`` (the rate used), ``price_rise_per_year`` (median
      over products of the change in median unit_price of B2C and B2B purchases between the
      first and the last 91 days of the window, annualised).

    Raises
    ------
    CustkitError
        For a ``shop`` that is neither a Shop nor a mapping of tables, an unknown table name, a
        table that is not a DataFrame, lacks a column or holds values of the wrong kind, a bad
        ``benchmarks`` table or ``usd_rate``.

    Examples
    --------
    >>> import custkit as ck
    >>> card = ck.realism.scorecard(ck.load_shop())                           # doctest: +SKIP
    >>> card.loc[card["verdict"] != "in range", ["metric", "value", "low", "high"]]  # doctest: +SKIP
    """
    tables, config = _tables_and_config(shop)
    bench = _merged_benchmarks(benchmarks)
    rate, toman = _rate(config, usd_rate)
    t = {name: _checked(tables, name) for name in _REQUIRED}
    orders = _orders(t["orders"], config) if t["orders"] is not None else None

    values: dict[str, float] = {}
    values.update(_session_metrics(t["sessions"]))
    values.update(_survey_metrics(t["surveys"]))
    values.update(_order_metrics(orders, t, rate, toman))
    values["toman_per_usd"] = rate if toman else math.nan

    out = bench[["metric", "description", "low", "high", "unit", "source"]].copy()
    out["value"] = [float(values.get(m, math.nan)) for m in out["metric"]]
    out["margin"] = [float(values.get(f"{m}_margin", math.nan)) for m in out["metric"]]
    if config is not None and hasattr(config, "growth_per_year"):
        growth = 100.0 * float(config.growth_per_year)
        row = (out["metric"] == "order_growth_year_2").to_numpy()
        out.loc[row, "low"] = growth - GROWTH_TOLERANCE_POINTS
        out.loc[row, "high"] = growth + GROWTH_TOLERANCE_POINTS
        out.loc[row, "source"] = (f"The shop's own setting: ShopConfig.growth_per_year = {config.growth_per_year:g} "
                                  f"(+/- {GROWTH_TOLERANCE_POINTS:g} points).")
    # a value measured on a small sample is in range when its 95 % interval reaches the range
    margin = np.nan_to_num(out["margin"].to_numpy(dtype=float))
    out["verdict"] = _verdicts(out["value"].to_numpy(), out["low"].to_numpy() - margin,
                               out["high"].to_numpy() + margin)
    reference = _cdnow()
    out["cdnow"] = [float(reference[m]) if m in reference and m != "cohort_size" else math.nan for m in out["metric"]]
    out = out[list(COLUMNS)].reset_index(drop=True)
    return out.astype({c: "str" for c in ("metric", "description", "unit", "source", "verdict")})


def describe(card: pd.DataFrame) -> str:
    """The scorecard as plain text, one line per metric: value, range and verdict.

    >>> print(describe(scorecard(ck.load_shop())))    # doctest: +SKIP
    purchase_sessions        2.7 %   range 1.5 to 4 %   in range
    ...
    """
    require_frame(card, "card")
    require_columns(card, ["metric", "value", "low", "high", "unit", "verdict"], "card")
    for column in ("value", "low", "high"):
        require_numeric(card, column, "card")

    def num(x: float) -> str:
        return "-" if pd.isna(x) else f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"

    width = int(card["metric"].astype(str).str.len().max())
    lines = []
    for r in card.itertuples(index=False):
        value = "NaN" if pd.isna(r.value) else f"{num(r.value)} {r.unit}"
        lines.append(f"{str(r.metric):<{width}}  {value:>22}   range {num(r.low)} to {num(r.high)} {r.unit}   {r.verdict}")
    return "\n".join(lines)


def readable(card: pd.DataFrame, *, measured_only: bool = True) -> pd.DataFrame:
    """The scorecard for a reader: what is measured, the shop's value and the range of real shops
    as text at three significant figures with their unit, the verdict and the source.

    ``measured_only`` leaves out the metrics the shop cannot be measured on (the toman metrics of
    a dollar shop). Used by notebook 00 and by :func:`markdown`.
    """
    require_frame(card, "card")
    require_columns(card, ["description", "value", "margin", "low", "high", "unit", "source", "verdict"], "card")
    for column in ("value", "margin", "low", "high"):
        require_numeric(card, column, "card")
    rows = card[card["verdict"] != "not measurable"] if measured_only else card

    def num(x: float) -> str:
        return "-" if pd.isna(x) else f"{x:,.3g}" if abs(x) < 1000 else f"{x:,.0f}"

    def unit(u: str) -> str:
        return u if u == "%" else f" {u}"

    return pd.DataFrame({
        "what": rows["description"].astype(str).to_numpy(),
        "this shop": [f"{num(v)}{'' if pd.isna(e) else ' ± ' + num(e)}{unit(u)}"
                      for v, e, u in zip(rows["value"], rows["margin"], rows["unit"], strict=True)],
        "real shops": [f"{num(lo)}-{num(hi)}{unit(u)}" for lo, hi, u in zip(rows["low"], rows["high"], rows["unit"],
                                                                              strict=True)],
        "verdict": rows["verdict"].astype(str).to_numpy(),
        "source": rows["source"].astype(str).to_numpy(),
    })


def markdown(card: pd.DataFrame, *, measured_only: bool = True) -> str:
    """The scorecard as a Markdown table (the columns of :func:`readable`), e.g. for a datasheet."""
    table = readable(card, measured_only=measured_only)
    lines = ["| " + " | ".join(table.columns) + " |", "|---|---:|---:|---|---|"]
    for row in table.itertuples(index=False):
        lines.append("| " + " | ".join(str(c).replace("|", "/") for c in row) + " |")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- inputs
def _tables_and_config(shop: object) -> tuple[Mapping[str, object], object | None]:
    from custkit.shop import Shop

    if isinstance(shop, Shop):
        tables, config = shop.tables, shop.config
    elif isinstance(shop, Mapping):
        tables, config = shop, None
    else:
        hint = " (one table: pass {'orders': df}, or the whole shop)" if isinstance(shop, (pd.DataFrame, pd.Series)) else ""
        raise CustkitError(
            f"shop must be a custkit.Shop or a mapping of table name -> DataFrame, got "
            f"{type(shop).__name__}{hint}; pass ck.load_shop() or shop.tables."
        )
    if not isinstance(tables, Mapping):
        raise CustkitError(f"shop.tables must be a mapping of table name -> DataFrame, got {type(tables).__name__}.")
    unknown = sorted(str(k) for k in tables if k not in ALL_TABLES)
    if unknown:
        raise CustkitError(f"unknown table name(s) {unknown} in shop; expected names among {list(ALL_TABLES)}.")
    for name, df in tables.items():  # the tables the scorecard does not read are still tables
        if df is not None and not isinstance(df, pd.DataFrame):
            require_frame(df, str(name))
    return tables, config


def _checked(tables: Mapping[str, object], name: str) -> pd.DataFrame | None:
    """The table ``name`` after the edge checks, or None when it is not given.

    An empty table is accepted (a shop without tickets yet); its metrics have nothing to count.
    """
    df = tables.get(name)
    if df is None:
        return None
    # require_frame refuses empty tables; an empty one is checked for its labels alone.
    require_frame(df.reindex(range(1)) if isinstance(df, pd.DataFrame) and df.empty else df, name)
    require_columns(df, _REQUIRED[name], name)
    numeric = {"sessions": ["pages"], "orders": ["net"], "order_items": ["line", "unit_price"],
               "surveys": ["nps", "csat"], "marketing_spend": ["spend"]}.get(name, [])
    for column in numeric:
        require_numeric(df, column, name)
    if name == "customers":
        require_ids(df, "customer_id", "customers", unique=True)
    return df


def _day(df: pd.DataFrame, column: str, name: str) -> pd.Series:
    """A date column as midnight datetimes, read by the kit's date check."""
    return require_datetime(df, column, name).dt.normalize()


def _rate(config: object | None, usd_rate: object) -> tuple[float, bool]:
    """Local currency units per US dollar, and whether the shop is a toman (fa_IR) shop."""
    if usd_rate is not None:
        rate = require_positive(usd_rate, "usd_rate")
        toman = getattr(config, "locale", None) == "fa_IR" if config is not None else rate != 1.0
        return rate, toman
    if config is None or getattr(config, "locale", "en_US") != "fa_IR":
        return 1.0, False
    from custkit.simulate.locales import get_locale

    # the market rate: the simulator prices at Iran's own price level, so converting at it gives
    # the dollars an Iranian shopper's order is worth on the market
    return float(get_locale(config.locale, getattr(config, "toman_per_usd", None)).market_rate), True


def _merged_benchmarks(given: object) -> pd.DataFrame:
    packaged = _benchmark_file()
    if given is None:
        return packaged
    require_frame(given, "benchmarks")
    require_columns(given, ["metric", "low", "high"], "benchmarks")
    for column in ("low", "high"):
        require_numeric(given, column, "benchmarks")
    require_ids(given, "metric", "benchmarks", unique=True)
    unknown = sorted(set(map(str, given["metric"])) - set(packaged["metric"]))
    if unknown:
        raise SchemaError(f"benchmarks lists unknown metric(s) {unknown}; the metrics are {packaged['metric'].tolist()}.")
    low, high = given["low"].to_numpy(dtype=float), given["high"].to_numpy(dtype=float)
    if (low > high).any():
        bad = given.loc[low > high, "metric"].tolist()
        raise SchemaError(f"benchmarks has low > high for {bad}; swap the two bounds.")
    out = packaged.set_index("metric")
    mine = given.assign(metric=given["metric"].astype(str)).set_index("metric")
    for column in ("description", "low", "high", "unit", "source", "note"):
        if column in mine.columns:
            out.loc[mine.index, column] = mine[column].astype(out[column].dtype).to_numpy()
    return out.reset_index()


def _verdicts(value: np.ndarray, low: np.ndarray, high: np.ndarray) -> list[str]:
    with np.errstate(invalid="ignore"):
        verdict = np.select(
            [np.isnan(value), value < np.where(np.isnan(low), -np.inf, low),
             value > np.where(np.isnan(high), np.inf, high)],
            ["not measurable", "too low", "too high"], "in range")
    return verdict.tolist()


def _share(part: float, whole: float) -> float:
    """``100 * part / whole``, NaN when there is nothing to divide by."""
    return 100.0 * part / whole if whole > 0 else math.nan


# --------------------------------------------------------------------------- sessions and surveys
def _session_metrics(sessions: pd.DataFrame | None) -> dict[str, float]:
    if sessions is None:
        return {}
    depth = _stage_depth(sessions["furthest_stage"], "sessions", "furthest_stage")
    last = FUNNEL_STAGES.index("purchase")
    n = len(depth)
    bought, cart, checkout = (depth == last).sum(), (depth >= 2).sum(), (depth >= 3).sum()
    pages = sessions["pages"].to_numpy(dtype=float, na_value=np.nan)
    return {
        "purchase_sessions": _share(bought, n),
        "cart_sessions": _share(cart, n),
        "cart_abandonment": _share(cart - bought, cart),
        "checkout_to_purchase": _share(bought, checkout),
        "single_page_sessions": _share((pages == 1).sum(), n),
        "social_and_ads_sessions": _share(sessions["channel"].isin(["social", "ads"]).sum(), n),
    }


def _survey_metrics(surveys: pd.DataFrame | None) -> dict[str, float]:
    if surveys is None:
        return {}
    responded = surveys["responded"]
    if pd.api.types.is_bool_dtype(responded) and not responded.isna().any():
        answered = responded.to_numpy(dtype=bool)
    elif pd.api.types.is_numeric_dtype(responded) and responded.isin([0, 1]).all():
        answered = responded.to_numpy(dtype=float) == 1
    else:
        raise SchemaError(
            f"surveys['responded'] must hold True/False for every invitation, found dtype {responded.dtype}"
            f"{' with missing values' if responded.isna().any() else ''}; convert it, e.g. "
            f"surveys['responded'] = surveys['responded'].eq('yes')."
        )
    nps = surveys["nps"].to_numpy(dtype=float, na_value=np.nan)
    csat = surveys["csat"].to_numpy(dtype=float, na_value=np.nan)
    for column, values, low, high in (("nps", nps, 0, 10), ("csat", csat, 1, 5)):
        given = values[~np.isnan(values)]
        if ((given < low) | (given > high)).any():
            raise SchemaError(f"surveys[{column!r}] holds answers outside {low}-{high}; fix or drop those rows.")
    nps, csat = nps[~np.isnan(nps)], csat[~np.isnan(csat)]
    return {
        "survey_response_rate": _share(answered.sum(), len(answered)),
        "nps": _share((nps >= 9).sum(), len(nps)) - _share((nps <= 6).sum(), len(nps)),
        "csat_1_share": _share((csat == 1).sum(), len(csat)),
    }


# --------------------------------------------------------------------------- orders
def _orders(orders: pd.DataFrame, config: object | None) -> dict[str, object]:
    """The checked orders: one frame of what the metrics read, the window and its length."""
    when = _day(orders, "order_date", "orders")
    if when.isna().any():
        raise SchemaError(f"orders['order_date'] has {int(when.isna().sum())} missing date(s); drop or fill those rows.")
    if orders["customer_id"].isna().any():
        raise SchemaError("orders['customer_id'] has missing ids; drop those rows (a purchase needs a buyer).")
    if config is not None and hasattr(config, "start_date"):
        start, end = pd.Timestamp(config.start_date), pd.Timestamp(config.end_date)
    elif len(when):
        start, end = when.min(), when.max()
    else:
        start = end = None
    frame = pd.DataFrame({
        "order_id": orders["order_id"].to_numpy(),
        "customer": orders["customer_id"].to_numpy(),
        "purchase": purchase_mask(orders),
        "net": orders["net"].to_numpy(dtype=float, na_value=np.nan),
    })
    has_type = "transaction_type" in orders.columns
    frame["b2c"] = orders["transaction_type"].eq("B2C").to_numpy(dtype=bool) if has_type else True
    frame["own_price"] = orders["transaction_type"].isin(["B2C", "B2B"]).to_numpy(dtype=bool) if has_type else True
    frame["returned"] = orders["status"].eq("returned").to_numpy(dtype=bool) if "status" in orders.columns else np.nan
    if "promised_date" in orders.columns and "delivered_date" in orders.columns:
        promised = _day(orders, "promised_date", "orders").to_numpy()
        delivered = _day(orders, "delivered_date", "orders").to_numpy()
        both = ~(pd.isna(promised) | pd.isna(delivered))
        frame["late"] = np.where(both, delivered > promised, np.nan)
    else:
        frame["late"] = np.nan
    if start is None:
        frame["day"] = np.zeros(0, dtype="int64")
        return {"frame": frame, "start": None, "days": 0}
    frame["day"] = ((when - start) // pd.Timedelta(days=1)).to_numpy(dtype="int64")
    days = int((end - start) // pd.Timedelta(days=1)) + 1
    frame["in_window"] = (frame["day"] >= 0) & (frame["day"] < days)
    return {"frame": frame, "start": start, "days": days}


def _order_metrics(orders: dict | None, t: dict, rate: float, toman: bool) -> dict[str, float]:
    if orders is None or orders["start"] is None:
        return {}
    o, start, days = orders["frame"], orders["start"], orders["days"]
    window = o.loc[o["in_window"].to_numpy()]
    bought = window.loc[window["purchase"].to_numpy()]
    out: dict[str, float] = {}

    # Returns and lateness, among purchases.
    if "status" in t["orders"].columns:
        out["returned_share"] = _share(bought["returned"].astype(bool).sum(), len(bought))
        out["fashion_vs_electronics_returns"] = _category_return_ratio(bought, t["order_items"], t["products"])
    late = bought["late"].to_numpy(dtype=float)
    late = late[~np.isnan(late)]
    out["late_delivery_share"] = _share(late.sum(), len(late))

    # Buyers: concentration and one-time buyers.
    spend = bought.groupby("customer")["net"].sum().sort_values(ascending=False)
    if len(spend) and spend.sum() > 0:
        top = int(math.ceil(TOP_SHARE * len(spend)))
        out["top_20pct_revenue_share"] = _share(spend.iloc[:top].sum(), spend.sum())
    purchase_days = bought.groupby("customer")["day"].nunique()
    out["one_time_buyer_share"] = _share((purchase_days == 1).sum(), len(purchase_days))

    # Order value in US dollars, and growth of purchases from year 1 to year 2.
    b2c = bought.loc[bought["b2c"].to_numpy(dtype=bool), "net"]
    mean_usd = float(b2c.mean()) / rate if len(b2c) else math.nan
    out["mean_b2c_order_usd" if toman else "mean_order_usd"] = mean_usd
    if days >= 2 * YEAR_DAYS:
        year_1 = (bought["day"] < YEAR_DAYS).sum()
        year_2 = ((bought["day"] >= YEAR_DAYS) & (bought["day"] < 2 * YEAR_DAYS)).sum()
        out["order_growth_year_2"] = _share(year_2, year_1) - 100.0 if year_1 > 0 else math.nan

    # Tickets per 100 orders of the window (every order counts).
    if t["tickets"] is not None:
        created = ((_day(t["tickets"], "created", "tickets") - start) // pd.Timedelta(days=1)).to_numpy(dtype=float)
        in_window = ((created >= 0) & (created < days)).sum()
        out["tickets_per_100_orders"] = _share(in_window, len(window))

    # New customers: accounts opened in the window (when the sign-up day is known).
    customers = t["customers"]
    new_ids = None
    if customers is not None and "signup_date" in customers.columns:
        new_ids = opened_since(customers, start).to_numpy()

    # CDNOW-style repeat buying of the first quarter's new customers.
    every = o.loc[o["purchase"].to_numpy()]
    out.update({k: v for k, v in cohort_repeats(every["customer"].to_numpy(), every["day"].to_numpy(),
                                                window_days=days, eligible=new_ids).items()
                if k != "cohort_size"})

    # Paid acquisition cost per new buyer, in US dollars.
    # (USD shops only: the benchmark is of US e-commerce, and Iranian advertising is priced at
    # Iran's price level, like everything else in a toman shop)
    out["paid_cost_per_new_buyer"] = (math.nan if toman else
                                      _paid_cost(t["orders"], customers, t["marketing_spend"], start, days, rate))

    if toman:
        out["price_rise_per_year"] = _price_rise(bought, t["order_items"], days)
    return out


def _category_return_ratio(bought: pd.DataFrame, items: pd.DataFrame | None, products: pd.DataFrame | None) -> float:
    """Return rate of orders whose first line is a fashion product over that of electronics."""
    if items is None or products is None or bought.empty or items.empty or products.empty:
        return math.nan
    first = (items[["order_id", "line", "product_id"]].sort_values(["order_id", "line"], kind="stable")
             .drop_duplicates("order_id"))
    category = products.drop_duplicates("product_id").set_index("product_id")["category"].astype("str")
    of_order = pd.Series(category.reindex(first["product_id"]).to_numpy(), index=first["order_id"].to_numpy())
    cat = pd.Series(of_order.reindex(bought["order_id"].to_numpy()).to_numpy(), dtype="str")
    returned = bought["returned"].to_numpy(dtype=bool)
    rates = []
    for pattern in (FASHION_PATTERN, ELECTRONICS_PATTERN):
        hit = cat.str.contains(pattern, case=False, regex=True, na=False).to_numpy(dtype=bool)
        rates.append(returned[hit].mean() if hit.any() else math.nan)
    fashion, electronics = rates
    return fashion / electronics if electronics > 0 else math.nan  # NaN compares False


def _paid_cost(orders: pd.DataFrame, customers: pd.DataFrame | None, spend: pd.DataFrame | None,
               start: pd.Timestamp, days: int, rate: float) -> float:
    """Spend on the paid channels / new customers they brought, in US dollars: the kit's
    :func:`custkit.retention.acquisition_cost_by_channel` over the window, its paid channels pooled
    (new customers: first purchase in the window, account opened in it when sign-up days are known)."""
    if customers is None or spend is None or "acquisition_channel" not in customers.columns or orders.empty:
        return math.nan
    from custkit.retention.acquisition import acquisition_cost_by_channel

    end = start + pd.Timedelta(days=days - 1)
    buyers = orders[orders["customer_id"].isin(customers["customer_id"])]
    table = acquisition_cost_by_channel(customers, spend, buyers, as_of=end, start=start, revenue="net")
    paid = table[table["paid"]]
    new_paid = int(paid["new_customers"].sum())
    return float(paid["spend"].sum()) / new_paid / rate if new_paid else math.nan


def _price_rise(bought: pd.DataFrame, items: pd.DataFrame | None, days: int) -> float:
    """Yearly rise of the median unit price of the same products, first vs last quarter of the window."""
    if items is None or days < 2 * QUARTER_DAYS or items.empty:
        return math.nan
    own = bought.loc[bought["own_price"].to_numpy(dtype=bool), ["order_id", "day"]].drop_duplicates("order_id")
    lines = items[["order_id", "product_id", "unit_price"]].merge(own, on="order_id", how="inner")
    quarter = np.select([lines["day"] < QUARTER_DAYS, lines["day"] >= days - QUARTER_DAYS], ["first", "last"], "")
    lines = lines.assign(quarter=quarter).loc[quarter != ""]
    medians = lines.groupby(["product_id", "quarter"])["unit_price"].median().unstack()
    if not {"first", "last"} <= set(medians.columns):
        return math.nan
    both = medians.dropna()
    both = both[both["first"] > 0]
    if both.empty:
        return math.nan
    ratio = float(np.median(both["last"] / both["first"]))
    return 100.0 * (ratio ** (365.25 / (days - QUARTER_DAYS)) - 1.0)
