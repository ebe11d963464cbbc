"""Share of wallet (share of customer): the part of a customer's category spending the shop gets.

Concept D4 [002]: a shop grows not only by winning customers but by winning a larger share of each
customer's spending in its categories, through variety, cross-selling, up-selling and
recommendations (the article's Digikala example). Surveys ask customers what share of their
spending goes to the shop; with the spending the shop sees, that answer implies the size of the
whole wallet and the part still spent elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_datetime, require_ids, require_numeric, require_positive
from custkit.errors import CustkitError, SchemaError
from custkit.retention._common import EXCLUDED_TYPES, purchases, require_table

__all__ = ["customer_wallets", "share_of_wallet"]

WALLET_STATUSES = ("cancelled", "returned")
"""Order statuses left out of a customer's spending: money not spent, or refunded."""


def customer_wallets(
    surveys: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of: object,
    window_days: int = 365,
    customer: str = "customer_id",
    sent: str = "sent_date",
    share: str = "share_of_wallet",
    date: str = "order_date",
    spend: str = "net",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types=EXCLUDED_TYPES,
    exclude_statuses=WALLET_STATUSES,
) -> pd.DataFrame:
    """Each surveyed customer's stated share of wallet, yearly spend at the shop and implied wallet.

    * ``stated_share``: the customer's latest non-missing ``share_of_wallet`` answer sent on or
      before ``as_of`` (a share in [0, 1]).
    * ``yearly_spend``: what they paid the shop (``net`` by default: the customer's spending, not
      the shop's revenue) in the ``window_days`` days up to ``as_of``, scaled to 365 days.
      Cancelled and returned orders and C2B trade-ins are left out by default; C2C marketplace
      purchases count (the customer paid for them).
    * ``implied_wallet`` = yearly_spend / stated_share: their yearly spending in the shop's
      categories at all shops (NaN for a stated share of 0); ``untapped`` = implied_wallet -
      yearly_spend, what goes to competitors.

    Assumes the stated share holds for the whole window and that the window is typical of a year.

    Returns
    -------
    DataFrame
        One row per customer with an answer: the customer column, ``stated_share``,
        ``yearly_spend``, ``implied_wallet`` and ``untapped`` (shop's currency per year).
    """
    days = require_positive(window_days, "window_days")
    require_table(surveys, [customer, sent, share], "surveys")
    require_numeric(surveys, share, "surveys")
    sent_day = require_datetime(surveys, sent, "surveys").dt.normalize()
    shares = surveys[share].to_numpy(dtype=float, na_value=np.nan)
    if ((shares < 0) | (shares > 1)).any():
        raise SchemaError(f"surveys[{share!r}] must hold shares between 0 and 1 (or missing).")
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[spend],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    answers = pd.DataFrame({"customer": surveys[customer].to_numpy(), "sent": sent_day.to_numpy(),
                            "share": shares})
    answers = answers[answers["share"].notna() & (answers["sent"] <= end)]
    if answers.empty:
        raise CustkitError(f"surveys has no {share!r} answer sent on or before as_of ({end.date()}).")
    latest = answers.sort_values(["customer", "sent"], kind="stable").groupby("customer")["share"].last()
    start = end - pd.Timedelta(days=days)
    recent = buys[buys["date"].dt.normalize() > start]
    yearly = recent.groupby("customer")[spend].sum().reindex(latest.index, fill_value=0.0) * (365.0 / days)
    out = pd.DataFrame({"stated_share": latest, "yearly_spend": yearly})
    out["implied_wallet"] = out["yearly_spend"] / out["stated_share"].where(out["stated_share"] > 0)
    out["untapped"] = out["implied_wallet"] - out["yearly_spend"]
    out.index.name = customer
    return out.reset_index()


def share_of_wallet(
    wallets: pd.DataFrame,
    *,
    customers: pd.DataFrame | None = None,
    by: str | None = None,
    customer: str = "customer_id",
) -> pd.DataFrame:
    """Mean stated share of wallet and implied wallet, overall or by a customer segment.

    Parameters
    ----------
    wallets
        Output of :func:`customer_wallets`.
    customers
        Table holding the segment column ``by`` (e.g. ``shop.customers`` with
        ``socio_economic_class``); needed only when ``by`` is given.
    by
        Segment column of ``customers``; None for one row over all respondents.

    Returns
    -------
    DataFrame
        One row per segment (``segment``; "all" without ``by``): ``respondents``, ``mean_share``
        and ``median_share`` (of the stated answers), ``mean_yearly_spend``,
        ``mean_implied_wallet`` and ``pooled_share`` = total yearly spend / total implied wallet,
        the shop's share of the segment's whole category spending (customers who stated 0 are
        left out of the wallet figures).
    """
    require_table(wallets, [customer, "stated_share", "yearly_spend", "implied_wallet"], "wallets",
                  numeric=["stated_share", "yearly_spend", "implied_wallet"])
    frame = wallets
    if by is None:
        segment = pd.Series("all", index=frame.index, dtype="str")
    else:
        if customers is None:
            raise CustkitError(f"by={by!r} needs the customers table that holds it: pass customers=shop.customers.")
        require_table(customers, [customer], "customers")
        require_columns(customers, [by], "customers")
        require_ids(customers, customer, "customers", unique=True)
        lookup = customers.drop_duplicates(customer).set_index(customer)[by]
        segment = pd.Series(lookup.reindex(frame[customer]).to_numpy(), index=frame.index)
    frame = frame.assign(segment=segment)
    positive = frame[frame["implied_wallet"].notna()]
    g = frame.groupby("segment", sort=True)
    out = pd.DataFrame({
        "respondents": g.size(),
        "mean_share": g["stated_share"].mean(),
        "median_share": g["stated_share"].median(),
        "mean_yearly_spend": g["yearly_spend"].mean(),
        "mean_implied_wallet": g["implied_wallet"].mean(),
    })
    gp = positive.groupby("segment")
    out["pooled_share"] = gp["yearly_spend"].sum() / gp["implied_wallet"].sum()
    out.index.name = "segment"
    return out.reset_index()
