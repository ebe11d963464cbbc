"""What winning a customer costs, by channel, and how many months of margin pay it back.

Concept D7 [001]: keeping former customers is easier and cheaper than winning new ones, yet a
business needs both. The customer acquisition cost (CAC) of a channel is its marketing spend
divided by the new customers it brought; the payback period is CAC over the monthly margin a
customer leaves.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from custkit._checks import require_datetime, require_day, require_ids, require_in_range, require_numeric, require_positive
from custkit.errors import CustkitError
from custkit.retention._common import (
    EXCLUDED_STATUSES,
    EXCLUDED_TYPES,
    ONE_DAY,
    purchases,
    require_table,
)

__all__ = ["DAYS_PER_MONTH", "acquisition_cost_by_channel", "payback_months"]

from custkit.vocabulary import DAYS_PER_MONTH  # noqa: F401  (re-exported: days to months)


def payback_months(cac: float, monthly_margin: float) -> float:
    """Months of margin needed to earn back the cost of acquiring a customer: ``cac / monthly_margin``.

    Assumes a constant margin per month and ignores discounting and the chance that the customer
    leaves before the cost is paid back (so it is optimistic for short-lived customers). A
    margin of 0 or less never pays back: the result is ``inf`` (0 when ``cac`` is 0).

    Examples
    --------
    >>> payback_months(120.0, 40.0)
    3.0
    """
    c = require_positive(cac, "cac", allow_zero=True)
    if isinstance(monthly_margin, bool) or not isinstance(monthly_margin, (int, float, np.floating, np.integer)) \
            or monthly_margin != monthly_margin:
        raise CustkitError(f"monthly_margin must be a number, got {monthly_margin!r}.")
    if c == 0:
        return 0.0
    return c / float(monthly_margin) if monthly_margin > 0 else float("inf")


def acquisition_cost_by_channel(
    customers: pd.DataFrame,
    marketing_spend: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of: object,
    start: object = None,
    margin_rate: float = 1.0,
    customer: str = "customer_id",
    channel: str = "acquisition_channel",
    signup: str | None = "signup_date",
    spend_date: str = "date",
    spend_channel: str = "channel",
    spend: str = "spend",
    date: str = "order_date",
    revenue: str = "shop_revenue",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Acquisition cost (CAC), monthly margin per customer and payback months, by acquisition channel.

    * New customers of a channel: customers whose ``acquisition_channel`` is that channel and whose
      *first purchase* lies in [``start``, ``as_of``] (someone who signed up but never bought is
      not a customer yet, concept A1), and, when ``customers`` has the ``signup`` column, who
      opened the account in that window too: an older account's first purchase in the window is
      not its first ever (its earlier orders are simply not in the data), so the spend of the
      window did not win it.
    * CAC = marketing spend of the channel in [``start``, ``as_of``] / its new customers. Channels
      without spend rows (referral, direct) are organic: spend and CAC 0, ``paid`` False.
    * Monthly margin per customer = ``margin_rate`` x revenue of those new customers from their
      first purchase to ``as_of``, divided by the customer-months they were observed (days from
      the first purchase day to ``as_of``, inclusive, / 30.44). Pooling over customers this way
      lets recent customers count for the few months they have had.
    * Payback months = CAC / monthly margin (:func:`payback_months`).

    Revenue is ``shop_revenue`` (what the shop earns: 0 for returns, the commission for a C2C
    marketplace sale) of non-cancelled orders other than C2B trade-ins by default. It is revenue,
    not margin: set ``margin_rate`` (e.g. 0.3 for a 30 % gross margin) to turn it into margin.

    Parameters
    ----------
    customers
        One row per customer with ``customer`` and ``channel`` (and ``signup``, when present).
    signup
        The sign-up day column of ``customers``; None (or a table without it) counts every first
        purchase in the window as a new customer.
    marketing_spend
        One row per day and channel (custkit.schema.MARKETING_SPEND).
    orders
        One row per order.
    as_of
        End of the window (a date).
    start
        First day of the window; defaults to the first day of ``marketing_spend``.
    margin_rate
        Share of revenue that is margin, in (0, 1].

    Returns
    -------
    DataFrame
        One row per channel that has spend rows or new customers (sorted by name): ``channel``,
        ``paid`` (has spend rows at all), ``spend``, ``new_customers``,
        ``cac``, ``monthly_margin_per_customer`` and ``payback_months`` (NaN without new customers).
    """
    require_table(customers, [customer, channel], "customers")
    require_ids(customers, customer, "customers", unique=True)
    require_table(marketing_spend, [spend_date, spend_channel, spend], "marketing_spend")
    require_numeric(marketing_spend, spend, "marketing_spend")
    rate = require_in_range(margin_rate, "margin_rate", 0.0, 1.0, low_open=True)
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[revenue],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    spend_day = require_datetime(marketing_spend, spend_date, "marketing_spend").dt.normalize()
    first_day = require_day(start, "start") if start is not None else spend_day.min()
    if first_day > end:
        raise CustkitError(f"start ({first_day.date()}) lies after as_of ({end.date()}); swap them.")
    in_window = ((spend_day >= first_day) & (spend_day <= end)).to_numpy()
    spent = (
        pd.DataFrame({"channel": marketing_spend[spend_channel].to_numpy(),
                      "spend": marketing_spend[spend].to_numpy(dtype=float)})[in_window]
        .groupby("channel")["spend"].sum()
    )
    paid_channels = {str(c) for c in marketing_spend[spend_channel].dropna().unique()}

    buys = buys.assign(day=buys["date"].dt.normalize())
    first_buy = buys.groupby("customer")["day"].min()
    new = first_buy[(first_buy >= first_day) & (first_buy <= end)]
    if signup is not None and signup in customers.columns:
        opened = require_datetime(customers, signup, "customers").dt.normalize()
        older = customers.loc[(opened < first_day).to_numpy(), customer]
        new = new[~new.index.isin(older)]
    channel_of = customers.drop_duplicates(customer).set_index(customer)[channel]
    new_frame = pd.DataFrame({"customer": new.index, "first": new.to_numpy()})
    new_frame["channel"] = channel_of.reindex(new_frame["customer"]).to_numpy()
    if new_frame["channel"].isna().any():
        n_missing = int(new_frame["channel"].isna().sum())
        raise CustkitError(
            f"{n_missing} buyer(s) in orders have no {channel!r} in customers; pass the full "
            f"customers table of the same shop."
        )
    new_frame["months"] = ((end - new_frame["first"]) / ONE_DAY + 1) / DAYS_PER_MONTH
    earned = buys[buys["customer"].isin(new_frame["customer"])].groupby("customer")[revenue].sum()
    new_frame["margin"] = rate * earned.reindex(new_frame["customer"]).to_numpy()
    per_channel = new_frame.groupby("channel").agg(
        new_customers=("customer", "size"), margin=("margin", "sum"), months=("months", "sum")
    )
    channels = sorted(set(per_channel.index) | paid_channels)
    out = pd.DataFrame({"channel": pd.Series(channels, dtype="str")})
    out["paid"] = out["channel"].isin(paid_channels)
    out["spend"] = spent.reindex(channels, fill_value=0.0).to_numpy()
    out["new_customers"] = per_channel["new_customers"].reindex(channels, fill_value=0).to_numpy().astype("int64")
    n_new = out["new_customers"].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        out["cac"] = np.where(n_new > 0, out["spend"] / np.maximum(n_new, 1), np.nan)
        months = per_channel["months"].reindex(channels).to_numpy()
        out["monthly_margin_per_customer"] = per_channel["margin"].reindex(channels).to_numpy() / months
    out["payback_months"] = [
        payback_months(c, m) if n > 0 else float("nan")
        for c, m, n in zip(out["cac"], out["monthly_margin_per_customer"], n_new)
    ]
    out.attrs = {"start": first_day, "as_of": end, "margin_rate": rate}
    return out
