"""What each customer brought in the last year, and how the loyalty tiers compare.

The inputs of the value formulas of notebook 04 (concepts D1, D5 and D7): the margin a customer
leaves per year (``retention_clv`` and ``customer_equity`` take a margin per period), whether the
customer is new in that year (the cohort that ``customer_equity`` adds each period), and a
summary per loyalty tier (concept D7 [001]: loyalty rewards should be proportional, so the tiers
should separate customers who buy big for a long time from those with a few small purchases).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from custkit._checks import require_ids, require_in_range, require_positive
from custkit.errors import CustkitError
from custkit.retention._common import (
    EXCLUDED_STATUSES,
    EXCLUDED_TYPES,
    ONE_DAY,
    purchases,
    require_table,
)
from custkit.retention.cohorts import churn_flags
from custkit.vocabulary import LOYALTY_TIERS

__all__ = ["TIER_ORDER", "tier_summary", "yearly_margins"]

TIER_ORDER = LOYALTY_TIERS
"""Loyalty tiers from lowest to highest (custkit.schema.CUSTOMERS ``loyalty_tier``)."""


def yearly_margins(
    orders: pd.DataFrame,
    *,
    as_of: object,
    margin_rate: float = 1.0,
    window_days: int = 365,
    customer: str = "customer_id",
    date: str = "order_date",
    revenue: str = "shop_revenue",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Revenue and margin per year of every customer who bought in the last ``window_days`` days.

    The window is the ``window_days`` days ending on ``as_of`` (that day included). Revenue is
    ``shop_revenue`` of the purchases in the window (not cancelled, not C2B trade-ins by default,
    as in :func:`custkit.retention.cohorts.cohort_table`), scaled to 365 days, so that it is a
    yearly figure whatever the window; margin = ``margin_rate`` x revenue. Assumes the window is
    a typical stretch of the customer's year and that ``margin_rate`` is the same for every
    order (revenue is not profit; a shop that knows its costs, as ``order_items`` with
    ``products.unit_cost`` do here, can pass its measured margin as ``margin_rate``).

    Parameters
    ----------
    orders
        One row per order (custkit.schema.ORDERS).
    as_of
        Observation end (a date; that whole day counts).
    margin_rate
        Share of revenue that is margin, in (0, 1] (1 = work with revenue).
    window_days
        Length of the window in days (> 0); 365 for "the last year".

    Returns
    -------
    DataFrame
        One row per customer with a purchase in the window, sorted by customer: the customer
        column, ``first_purchase`` (day of the first purchase ever, up to ``as_of``), ``new``
        (that first purchase lies in the window: a customer won this year), ``orders`` (purchases
        in the window), ``revenue`` and ``margin`` (per year, shop's currency). ``attrs`` holds
        ``start``, ``as_of`` and ``margin_rate``.

    Examples
    --------
    >>> orders = pd.DataFrame({"customer_id": [1, 1, 2], "order_date": pd.to_datetime(
    ...     ["2023-06-01", "2024-03-01", "2024-05-01"]), "shop_revenue": [50.0, 80.0, 20.0]})
    >>> yearly_margins(orders, as_of="2024-12-31", margin_rate=0.5)[["customer_id", "new", "margin"]]
       customer_id    new  margin
    0            1  False    40.0
    1            2   True    10.0
    """
    rate = require_in_range(margin_rate, "margin_rate", 0.0, 1.0, low_open=True)
    if isinstance(window_days, bool) or not isinstance(window_days, int):
        raise CustkitError(f"window_days must be a whole number of days > 0, got {window_days!r}.")
    days = int(require_positive(window_days, "window_days"))
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[revenue],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    day = buys["date"].dt.normalize()
    start = end - pd.Timedelta(days=days) + ONE_DAY
    first = day.groupby(buys["customer"]).min()
    recent = buys[(day >= start).to_numpy()]
    if recent.empty:
        raise CustkitError(
            f"no purchase in the {days} days up to as_of ({end.date()}); use a later as_of or a longer window_days."
        )
    per = recent.groupby("customer", sort=True).agg(orders=("date", "size"), revenue=(revenue, "sum"))
    out = pd.DataFrame({"first_purchase": first.reindex(per.index)})
    out["new"] = out["first_purchase"] >= start
    out["orders"] = per["orders"].astype("int64")
    out["revenue"] = per["revenue"].astype(float) * (365.0 / days)
    out["margin"] = rate * out["revenue"]
    out.index.name = customer
    out = out.reset_index()
    out.attrs = {"start": start, "as_of": end, "margin_rate": rate}
    return out


def tier_summary(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of: object,
    inactivity_days: float = 90,
    customer: str = "customer_id",
    tier: str = "loyalty_tier",
    date: str = "order_date",
    revenue: str = "shop_revenue",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Buyers, tenure, spend and activity per loyalty tier (concept D7: proportional rewards).

    Only customers with a purchase on or before ``as_of`` are counted (a lead has no tier to
    earn). Tenure runs from the first purchase day to ``as_of`` (both included); revenue per year
    is the tier's revenue up to ``as_of`` divided by its customers' summed tenure in years (pooled,
    so that a customer won last week neither dominates nor is compared with a two-year customer
    on totals). A customer is active when
    their last purchase is at most ``inactivity_days`` before ``as_of``
    (:func:`custkit.retention.cohorts.churn_flags`).

    Parameters
    ----------
    customers
        One row per customer with ``customer`` and ``tier`` (the tier at ``as_of``).
    orders
        One row per order; purchases are chosen as in :func:`yearly_margins`.
    as_of
        Observation end (a date).
    inactivity_days
        Days without a purchase after which a customer counts as inactive (> 0).

    Returns
    -------
    DataFrame
        One row per tier, lowest first (none, bronze, silver, gold, then any other label in
        alphabetical order): ``tier``, ``customers``, ``share`` (of buyers), ``mean_tenure_days``,
        ``mean_orders``, ``revenue_per_year`` (per customer-year, pooled; shop's currency) and
        ``active_share``.
    """
    require_table(customers, [customer, tier], "customers")
    require_ids(customers, customer, "customers", unique=True)
    flags = churn_flags(
        orders, as_of=as_of, inactivity_days=inactivity_days, customer=customer, date=date,
        transaction_type=transaction_type, status=status, exclude_types=exclude_types, exclude_statuses=exclude_statuses,
    )
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[revenue],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    earned = buys.groupby("customer")[revenue].sum()
    tier_of = customers.drop_duplicates(customer).set_index(customer)[tier]
    frame = pd.DataFrame({
        "tier": tier_of.reindex(flags[customer]).to_numpy(),
        "tenure_days": ((end - flags["first_purchase"]) / ONE_DAY).to_numpy() + 1,
        "orders": flags["orders"].to_numpy(),
        "revenue": earned.reindex(flags[customer]).to_numpy(),
        "active": ~flags["churned"].to_numpy(),
    })
    if frame["tier"].isna().any():
        n_missing = int(frame["tier"].isna().sum())
        raise CustkitError(
            f"{n_missing} buyer(s) in orders have no {tier!r} in customers; pass the full customers "
            f"table of the same shop."
        )
    g = frame.groupby("tier")
    out = pd.DataFrame({
        "customers": g.size(),
        "mean_tenure_days": g["tenure_days"].mean(),
        "mean_orders": g["orders"].mean(),
        "revenue_per_year": g["revenue"].sum() / (g["tenure_days"].sum() / 365.0),
        "active_share": g["active"].mean(),
    })
    labels = [str(t) for t in out.index]
    order = [t for t in TIER_ORDER if t in labels] + sorted(t for t in labels if t not in TIER_ORDER)
    out = out.reindex(order)
    out.insert(1, "share", out["customers"] / out["customers"].sum())
    out.index.name = "tier"
    out = out.reset_index()
    out["tier"] = out["tier"].astype("str")
    out["customers"] = out["customers"].astype("int64")
    return out
