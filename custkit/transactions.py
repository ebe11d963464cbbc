"""From a transaction log to the tables the analyses and the customer-base models need.

Two jobs:

* :func:`customer_summary` condenses each customer's purchases into the "RFM" summary of the
  probability models (frequency, recency, T, monetary value), with the conventions of Fader,
  Hardie and Lee (2005, *Marketing Science* 24(2), section 4) and of ``lifetimes``'
  ``summary_data_from_transaction_data``.
* :func:`from_transactions` renames a researcher's own log (any column names) into the kit's
  ``orders`` and ``customers`` tables, so that the same analyses run on real data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import (
    require_choice,
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_numeric,
)
from custkit.errors import CustkitError
from custkit.purchases import purchase_mask

__all__ = ["customer_summary", "from_transactions", "UNIT_DAYS"]

UNIT_DAYS = {"D": 1.0, "W": 7.0}
"""Length of one time unit in days: ``freq="D"`` measures recency and T in days, ``"W"`` in weeks."""


def _window(
    transactions: pd.DataFrame, customer: str, time: str, amount: str | None, as_of, start, name: str
) -> tuple[pd.DataFrame, pd.Timestamp]:
    """Checked copy of the log with columns customer, day [, amount], cut to [start, as_of]."""
    require_frame(transactions, name)
    require_columns(transactions, [customer, time] + ([amount] if amount is not None else []), name)
    if transactions[customer].isna().any():
        raise CustkitError(
            f"{name}[{customer!r}] has missing customer ids; drop those rows (anonymous purchases "
            f"cannot be followed over time)."
        )
    when = require_datetime(transactions, time, name)
    if when.isna().any():
        raise CustkitError(f"{name}[{time!r}] has missing dates; drop or fill those rows first.")
    cols = {"customer": transactions[customer].to_numpy(), "day": when.dt.normalize().to_numpy()}
    if amount is not None:
        require_numeric(transactions, amount, name)
        if transactions[amount].isna().any():
            raise CustkitError(f"{name}[{amount!r}] has missing amounts; fill them or drop those rows.")
        cols["amount"] = transactions[amount].to_numpy(dtype=float)
    log = pd.DataFrame(cols)
    end = log["day"].max() if as_of is None else require_day(as_of, "as_of")
    # The one purchase rule (custkit.purchases): a log with the kit's transaction_type and status
    # columns drops cancelled orders and trade-ins; a bare log holds purchases only.
    keep = (log["day"] <= end).to_numpy() & purchase_mask(transactions, name=name)
    if start is not None:
        first = require_day(start, "start")
        if first > end:
            raise CustkitError(f"start ({first.date()}) lies after as_of ({end.date()}); swap them.")
        keep &= (log["day"] >= first).to_numpy()
    log = log[keep]
    if log.empty:
        raise CustkitError(
            f"{name} has no transaction between start and as_of ({end.date()}); widen the window."
        )
    return log, end


def customer_summary(
    transactions: pd.DataFrame,
    customer: str = "customer_id",
    time: str = "order_date",
    amount: str | None = "net",
    as_of: object = None,
    start: object = None,
    freq: str = "D",
    count_per: str = "D",
) -> pd.DataFrame:
    """Summarise each customer's purchases as frequency, recency, T and monetary value.

    These are the sufficient statistics of the BG/NBD and Pareto/NBD models and the input of the
    Gamma-Gamma spend model (Fader, Hardie and Lee 2005, *Marketing Science* 24(2), section 4;
    the same definitions as ``lifetimes.utils.summary_data_from_transaction_data``):

    * ``frequency``: number of *repeat* purchases, i.e. distinct purchase periods (days by default,
      see ``count_per``) after the first one. Several orders on one day count once.
    * ``recency``: time from the first to the last purchase (0 when there is no repeat purchase;
      with ``count_per="W"``, to the first purchase of the last week with purchases).
    * ``T``: time from the first purchase to ``as_of``, the end of the calibration period.
    * ``monetary_value``: mean amount of the repeat periods (the amounts of one period are added
      up); 0 for customers without a repeat purchase. The first purchase is left out, as in Fader,
      Hardie and Lee (2005, *JMR* 42(4)), because it is often atypical.

    Times are whole calendar days divided by the unit, so ``freq="W"`` gives weeks as fractions
    (272 days = 38.857 weeks), as in the published CDNOW analyses (``lifetimes`` with ``freq="W"``
    instead rounds every date down to its week).

    Parameters
    ----------
    transactions
        One row per order (or order line): customer, time and amount columns.
    customer, time, amount
        Column names; ``amount=None`` skips ``monetary_value``.
    as_of
        End of the calibration period (a date). Later transactions are ignored. Defaults to the
        last transaction day: pass it explicitly whenever the log runs on past your analysis date.
    start
        Optional first day of the window; earlier transactions are ignored.
    freq
        Unit of ``recency`` and ``T``: ``"D"`` (days) or ``"W"`` (weeks).
    count_per
        Grain at which purchases count as one: ``"D"`` distinct days (the published convention)
        or ``"W"`` distinct calendar weeks (Monday to Sunday).

    Returns
    -------
    DataFrame
        Indexed by customer (sorted), columns ``frequency`` (int), ``recency``, ``T`` and
        ``monetary_value`` (floats). ``attrs["freq"]`` and ``attrs["as_of"]`` record the unit and
        the calibration end.

    Examples
    --------
    >>> log = pd.DataFrame({"customer_id": [1, 1, 2], "order_date": ["2024-01-01", "2024-01-08",
    ...                     "2024-01-03"], "net": [10.0, 30.0, 5.0]})
    >>> customer_summary(log, as_of="2024-01-15", freq="W").round(3)  # doctest: +NORMALIZE_WHITESPACE
                 frequency  recency      T  monetary_value
    customer_id
    1                    1      1.0  2.000            30.0
    2                    0      0.0  1.714             0.0
    """
    require_choice(freq, "freq", list(UNIT_DAYS))
    require_choice(count_per, "count_per", ["D", "W"])
    log, end = _window(transactions, customer, time, amount, as_of, start, "transactions")
    if count_per == "W":
        period = log["day"].dt.to_period("W").dt.start_time
    else:
        period = log["day"]
    log = log.assign(period=period.to_numpy())
    agg = {"day_first": ("day", "min")}
    if amount is not None:
        agg["amount"] = ("amount", "sum")
    periods = log.groupby(["customer", "period"], sort=True).agg(**agg).reset_index()
    by_customer = periods.groupby("customer", sort=True)
    first_day = by_customer["day_first"].min()
    # the last purchase period counts from its first day, so that one period means recency 0
    last_day = by_customer["day_first"].max()
    unit = pd.Timedelta(days=UNIT_DAYS[freq])
    out = pd.DataFrame(
        {
            "frequency": (by_customer.size() - 1).astype("int64"),
            "recency": (last_day - first_day) / unit,
            "T": (end - first_day) / unit,
        }
    )
    if amount is not None:
        # periods are sorted by (customer, period): the first row of each customer is the first
        # purchase period, which the monetary value leaves out.
        is_first = ~periods["customer"].duplicated()
        repeat = periods.loc[~is_first.to_numpy()].groupby("customer", sort=True)["amount"].mean()
        out["monetary_value"] = repeat.reindex(out.index, fill_value=0.0).astype(float)
    out.index.name = customer
    out.attrs = {"freq": freq, "as_of": end}
    return out


def from_transactions(
    df: pd.DataFrame,
    customer: str = "customer_id",
    time: str = "order_date",
    amount: str = "net",
    as_of: object = None,
) -> dict[str, pd.DataFrame]:
    """Turn any transaction log into the kit's minimal ``orders`` and ``customers`` tables.

    A researcher's own data (one row per purchase, with whatever column names) then goes through
    the same retention, segmentation and model code as the simulated shop. Columns follow
    :data:`custkit.schema.ORDERS` and :data:`custkit.schema.CUSTOMERS`; what a bare log cannot
    tell is filled with a documented default.

    Parameters
    ----------
    df
        One row per purchase.
    customer, time, amount
        Names of the customer id, purchase time and amount paid columns in ``df``.
    as_of
        Observation end; purchases after it are dropped. Defaults to the last purchase day.

    Returns
    -------
    dict
        ``"orders"``: ``order_id`` (1, 2, ... in time order), ``customer_id``, ``order_date``
        (datetime64[s]), ``net`` (float), ``shop_revenue`` (= ``net``: the log says nothing of
        commissions or returns) and ``status`` (``"delivered"`` for every row).
        ``"customers"``: one row per customer, ``customer_id`` and ``signup_date`` (the day of the
        first purchase, which stands in for the sign-up day a bare log lacks).
    """
    name = "df"
    require_frame(df, name)
    require_columns(df, [customer, time, amount], name)
    require_numeric(df, amount, name)
    when = require_datetime(df, time, name)
    if when.isna().any() or df[customer].isna().any() or df[amount].isna().any():
        raise CustkitError(
            f"{name} has missing values in {customer!r}, {time!r} or {amount!r}; drop or fill those rows."
        )
    orders = pd.DataFrame(
        {
            "customer_id": df[customer].to_numpy(),
            "order_date": when.astype("datetime64[s]").to_numpy(),
            "net": df[amount].to_numpy(dtype=float),
        }
    )
    if as_of is not None:
        end = require_day(as_of, "as_of") + pd.Timedelta(days=1)
        orders = orders[orders["order_date"] < end]
        if orders.empty:
            raise CustkitError(f"{name} has no purchase on or before as_of ({as_of}); check the date.")
    orders = orders.sort_values(["order_date", "customer_id"], kind="stable").reset_index(drop=True)
    orders.insert(0, "order_id", np.arange(1, len(orders) + 1, dtype="int64"))
    orders["shop_revenue"] = orders["net"]
    orders["status"] = pd.Series("delivered", index=orders.index, dtype="str")
    customers = (
        orders.groupby("customer_id", sort=True)["order_date"]
        .min()
        .dt.normalize()
        .rename("signup_date")
        .reset_index()
    )
    return {"orders": orders, "customers": customers}
