"""Acquisition cohorts: who keeps buying, period after period, and who has gone quiet.

Concepts D1 and D7 (docs/concepts.md): losing a customer loses the whole stream of purchases [002], and
keeping former customers is cheaper than winning new ones [001]. A cohort table makes the stream
visible: customers are grouped by the period of their first purchase (their *acquisition
cohort*), and for each later period we count how many of them bought again and what they spent.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from custkit._checks import require_choice, require_positive
from custkit.errors import CustkitError
from custkit.retention._common import (
    EXCLUDED_STATUSES,
    EXCLUDED_TYPES,
    ONE_DAY,
    purchases,
    require_table,
)

__all__ = ["FREQUENCIES", "churn_flags", "cohort_matrix", "cohort_table", "period_retention", "retention_curve"]

FREQUENCIES = {"W": "week", "M": "month", "Q": "quarter", "Y": "year"}
"""Period lengths a cohort table can use (pandas period codes; weeks run Monday to Sunday)."""

_PANDAS_FREQ = {"W": "W-SUN", "M": "M", "Q": "Q", "Y": "Y"}

COHORT_COLUMNS = ["cohort", "period", "cohort_size", "customers", "retention", "revenue",
                  "revenue_per_customer", "complete"]


def _ordinals(dates: pd.Series, freq: str) -> np.ndarray:
    """Consecutive integer numbers of the periods the dates fall in (one step = one period)."""
    return dates.dt.to_period(_PANDAS_FREQ[freq]).array.asi8


def cohort_table(
    orders: pd.DataFrame,
    *,
    as_of: object,
    freq: str = "M",
    customer: str = "customer_id",
    date: str = "order_date",
    revenue: str = "shop_revenue",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Customers and revenue by acquisition cohort x periods since the first purchase.

    A customer's cohort is the period (week, month, ...) of their first purchase on or before
    ``as_of``; period 0 is that period itself, period 1 the next one, and so on. A customer is
    *active* in a period if they placed at least one purchase in it.

    Purchases are the orders that are not cancelled and not C2B trade-ins (concept A5: there the
    shop buys from the customer); C2C marketplace sales count as the buyer's purchases. Change
    this with ``exclude_types`` and ``exclude_statuses``. Revenue is ``shop_revenue`` by default,
    what the shop earns (0 for a returned order, the commission for a C2C sale); pass
    ``revenue="net"`` for what buyers paid instead.

    Parameters
    ----------
    orders
        One row per order (custkit.schema.ORDERS); only the named columns are used.
    as_of
        Observation end (a date; that whole day counts). Later orders are ignored, and periods
        that start after it are not listed (they are unobserved, not zero).
    freq
        Period length: ``"W"`` (weeks, Monday to Sunday), ``"M"`` (calendar months, default),
        ``"Q"`` or ``"Y"``.
    customer, date, revenue, transaction_type, status
        Column names in ``orders``.
    exclude_types, exclude_statuses
        Transaction types and statuses that are not purchases. Tables without the type or the
        status column are taken to hold purchases only.

    Returns
    -------
    DataFrame
        One row per cohort and observed period, sorted: ``cohort`` (pandas Period), ``period``
        (int, periods since the first purchase), ``cohort_size`` (customers acquired in the
        cohort), ``customers`` (of them, active in the period), ``retention``
        (customers / cohort_size; 1 in period 0), ``revenue`` (their revenue in the period, in the
        shop's currency), ``revenue_per_customer`` (revenue / cohort_size) and ``complete``
        (False for the period containing ``as_of`` when it has not ended: its numbers are still
        growing).

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2], "order_date": pd.to_datetime(
    ...     ["2024-01-05", "2024-02-10", "2024-01-20"]), "shop_revenue": [10.0, 20.0, 5.0]})
    >>> cohort_table(orders, as_of="2024-02-29")[["cohort", "period", "customers", "retention"]]
        cohort  period  customers  retention
    0  2024-01       0          2        1.0
    1  2024-01       1          1        0.5
    """
    require_choice(freq, "freq", list(FREQUENCIES))
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[revenue],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    ordinal = _ordinals(buys["date"], freq)
    buys = buys.assign(ordinal=ordinal)
    buys["cohort_ord"] = buys.groupby("customer")["ordinal"].transform("min")
    buys["period"] = buys["ordinal"] - buys["cohort_ord"]
    cells = buys.groupby(["cohort_ord", "period"]).agg(
        customers=("customer", "nunique"), revenue=(revenue, "sum")
    )
    sizes = buys.groupby("cohort_ord")["customer"].nunique()

    end_period = pd.Period(end, _PANDAS_FREQ[freq])
    end_ord = end_period.ordinal
    last_day_complete = end_period.end_time.normalize() == end
    grid = pd.MultiIndex.from_tuples(
        [(c, k) for c in sizes.index for k in range(end_ord - c + 1)], names=["cohort_ord", "period"]
    )
    table = cells.reindex(grid, fill_value=0).reset_index()
    table["cohort_size"] = sizes.reindex(table["cohort_ord"]).to_numpy()
    table["retention"] = table["customers"] / table["cohort_size"]
    table["revenue"] = table["revenue"].astype(float)
    table["revenue_per_customer"] = table["revenue"] / table["cohort_size"]
    calendar_ord = table["cohort_ord"] + table["period"]
    table["complete"] = (calendar_ord < end_ord) | last_day_complete
    table["cohort"] = pd.PeriodIndex.from_ordinals(table["cohort_ord"], freq=_PANDAS_FREQ[freq])
    table["period"] = table["period"].astype("int64")
    table["customers"] = table["customers"].astype("int64")
    table["cohort_size"] = table["cohort_size"].astype("int64")
    return table[COHORT_COLUMNS].reset_index(drop=True)


def cohort_matrix(cohorts: pd.DataFrame, value: str = "retention", *, complete_only: bool = True) -> pd.DataFrame:
    """The cohort table as a wide matrix: one row per cohort, one column per period since first purchase.

    Parameters
    ----------
    cohorts
        Output of :func:`cohort_table`.
    value
        Which measure fills the cells: ``"retention"``, ``"customers"``, ``"revenue"`` or
        ``"revenue_per_customer"``. Unobserved cells (periods after ``as_of``) are NaN.
    complete_only
        Also leave the period still running at ``as_of`` empty (NaN), since its numbers are still
        growing (default).
    """
    require_choice(value, "value", ["retention", "customers", "revenue", "revenue_per_customer"])
    require_table(cohorts, ["cohort", "period", "complete", value], "cohorts", numeric=["period", value])
    cells = cohorts[value].where(cohorts["complete"]) if complete_only else cohorts[value]
    return cohorts.assign(**{value: cells}).pivot(index="cohort", columns="period", values=value)


def retention_curve(cohorts: pd.DataFrame, *, complete_only: bool = True, min_cohorts: int = 1) -> pd.DataFrame:
    """Average retention by periods since the first purchase, pooled over cohorts.

    For period k the curve is the number of active customers over the number of customers
    acquired, summed over every cohort that has been observed for k periods. Pooling weights each
    cohort by its size, so a small early cohort does not dominate.

    Parameters
    ----------
    cohorts
        Output of :func:`cohort_table`.
    complete_only
        Leave out periods that have not ended at ``as_of`` (default), which would pull the curve
        down.
    min_cohorts
        Leave out periods observed in fewer cohorts than this (the late periods rest on the oldest
        few cohorts and are noisy).

    Returns
    -------
    DataFrame
        ``period``, ``cohorts`` (how many cohorts contribute), ``acquired`` (their customers),
        ``active`` (of them, active in the period) and ``retention`` (active / acquired).
    """
    require_table(cohorts, ["period", "cohort_size", "customers", "complete"], "cohorts",
                  numeric=["period", "cohort_size", "customers"])
    if isinstance(min_cohorts, bool) or not isinstance(min_cohorts, (int, np.integer)) or min_cohorts < 1:
        raise CustkitError(f"min_cohorts must be a whole number >= 1, got {min_cohorts!r}.")
    rows = cohorts[cohorts["complete"]] if complete_only else cohorts
    if rows.empty:
        return pd.DataFrame({"period": pd.Series(dtype="int64"), "cohorts": pd.Series(dtype="int64"),
                             "acquired": pd.Series(dtype="int64"), "active": pd.Series(dtype="int64"),
                             "retention": pd.Series(dtype=float)})
    curve = rows.groupby("period", as_index=False).agg(
        cohorts=("cohort_size", "size"), acquired=("cohort_size", "sum"), active=("customers", "sum")
    )
    curve = curve[curve["cohorts"] >= min_cohorts].reset_index(drop=True)
    curve["retention"] = curve["active"] / curve["acquired"]
    return curve


def period_retention(
    orders: pd.DataFrame,
    *,
    as_of: object,
    freq: str = "Y",
    customer: str = "customer_id",
    date: str = "order_date",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Period-to-period retention rate: of the customers who bought in one period, the share who buy in the next.

    This is the ``retention`` r of :func:`custkit.retention.value.retention_clv` measured on the
    data (the "retention rate" of Gupta and Lehmann 2003, with yearly periods by default). Only
    complete periods (ended on or before ``as_of``) are used. In non-contractual data a customer
    who skips one period and comes back counts as lost in that step and as won back later.

    Returns
    -------
    DataFrame
        One row per pair of consecutive complete periods: ``period`` (pandas Period, the later
        one), ``active_before`` (customers active in the earlier period), ``retained`` (of them,
        active in this one) and ``retention``. :func:`pooled_retention` of it is the pooled
        rate, sum(retained) / sum(active_before), the number to pass to ``retention_clv``.
    """
    require_choice(freq, "freq", list(FREQUENCIES))
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, transaction_type=transaction_type,
        status=status, exclude_types=exclude_types, exclude_statuses=exclude_statuses,
    )
    pfreq = _PANDAS_FREQ[freq]
    end_period = pd.Period(end, pfreq)
    last_complete = end_period.ordinal if end_period.end_time.normalize() == end else end_period.ordinal - 1
    active = pd.DataFrame({"customer": buys["customer"], "ordinal": _ordinals(buys["date"], freq)})
    active = active[active["ordinal"] <= last_complete].drop_duplicates()
    nxt = active.assign(ordinal=active["ordinal"] + 1)
    kept = active.merge(nxt, on=["customer", "ordinal"], how="inner")
    first = active["ordinal"].min() if not active.empty else last_complete
    steps = np.arange(first + 1, last_complete + 1)
    before = active.groupby("ordinal")["customer"].nunique().reindex(steps - 1, fill_value=0).to_numpy()
    retained = kept.groupby("ordinal")["customer"].nunique().reindex(steps, fill_value=0).to_numpy()
    out = pd.DataFrame({
        "period": pd.PeriodIndex.from_ordinals(steps, freq=pfreq),
        "active_before": before.astype("int64"),
        "retained": retained.astype("int64"),
    })
    with np.errstate(invalid="ignore", divide="ignore"):
        out["retention"] = np.where(before > 0, retained / np.maximum(before, 1), np.nan)
    return out


def pooled_retention(table: pd.DataFrame) -> float:
    """The pooled retention of a :func:`period_retention` table: sum(retained) / sum(active_before).

    Every step weighs by its customers, so a period with few customers moves it little; NaN when
    no complete pair of periods was observed.
    """
    if isinstance(table, pd.DataFrame) and table.empty and {"active_before", "retained"} <= set(table.columns):
        return float("nan")  # period_retention found no complete pair of periods
    require_table(table, ["active_before", "retained"], "table", numeric=["active_before", "retained"])
    total = table["active_before"].sum()
    return float(table["retained"].sum() / total) if total > 0 else float("nan")


def churn_flags(
    orders: pd.DataFrame,
    *,
    as_of: object,
    inactivity_days: float = 90,
    customer: str = "customer_id",
    date: str = "order_date",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Flag customers as churned when they have not bought for more than ``inactivity_days``.

    In non-contractual settings (a shop, not a subscription) nobody announces that they leave, so
    a churn flag is a rule on inactivity at ``as_of`` (concept D7). It is a working definition,
    not the truth: a slow buyer may come back, and the probability models of
    ``custkit.retention.models`` weigh this per customer.

    Parameters
    ----------
    orders
        One row per order; purchases are chosen as in :func:`cohort_table`.
    as_of
        Observation end (a date).
    inactivity_days
        Days without a purchase after which a customer counts as churned (> 0).

    Returns
    -------
    DataFrame
        One row per customer with a purchase on or before ``as_of``: the customer column,
        ``first_purchase``, ``last_purchase`` (days), ``orders`` (purchases counted),
        ``days_since_last`` (from the last purchase day to ``as_of``) and ``churned``
        (days_since_last > inactivity_days).
    """
    days = require_positive(inactivity_days, "inactivity_days")
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, transaction_type=transaction_type,
        status=status, exclude_types=exclude_types, exclude_statuses=exclude_statuses,
    )
    buys = buys.assign(day=buys["date"].dt.normalize())
    out = buys.groupby("customer", sort=True).agg(
        first_purchase=("day", "min"), last_purchase=("day", "max"), orders=("day", "size")
    )
    out["days_since_last"] = ((end - out["last_purchase"]) / ONE_DAY).astype("int64")
    out["churned"] = out["days_since_last"] > days
    out.index.name = customer
    return out.reset_index()
