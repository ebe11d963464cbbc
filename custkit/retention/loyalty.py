"""Loyalty against profitability: four kinds of customer relationship, one strategy each.

Concept D6 [002]: not every loyal customer is profitable and some disloyal ones are, so customers
are managed as assets with one strategy per kind of relationship. The four kinds and their
strategies follow Reinartz and Kumar (2002, "The mismanagement of customer loyalty", *Harvard
Business Review* 80(7), 86-94), who measured loyalty as the length of the relationship
(long-term vs short-term customers) and set it against the profit a customer brings.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from custkit._checks import require_choice
from custkit.errors import CustkitError
from custkit.retention._common import EXCLUDED_STATUSES, EXCLUDED_TYPES, ONE_DAY, purchases, require_table

__all__ = ["QUADRANT_STRATEGIES", "loyalty_quadrants", "quadrant_summary"]

QUADRANT_STRATEGIES = {
    "true friends": "loyal and profitable: communicate consistently but not too often, reward and "
                    "delight them to build attitudinal as well as behavioural loyalty",
    "butterflies": "profitable but short-lived: enjoy them while they buy, aim for satisfaction "
                   "in each transaction, and stop investing soon after they go quiet",
    "barnacles": "loyal but unprofitable: measure their wallet and share of wallet; up-sell and "
                 "cross-sell if the share is small, cut the cost to serve if the wallet is small",
    "strangers": "neither loyal nor profitable: no relationship investment, make a profit on "
                 "every transaction",
}
"""Reinartz and Kumar's (2002) name and recommended strategy for each quadrant."""

QUADRANTS = list(QUADRANT_STRATEGIES)

_LOYALTY = {"tenure": "tenure_days", "orders": "orders"}


def loyalty_quadrants(
    orders: pd.DataFrame,
    *,
    as_of: object,
    loyalty: str = "tenure",
    loyalty_cutoff: float | None = None,
    profit_cutoff: float | None = None,
    customer: str = "customer_id",
    date: str = "order_date",
    profit: str = "shop_revenue",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
) -> pd.DataFrame:
    """Place every customer in a loyalty x profitability quadrant (Reinartz and Kumar 2002).

    Loyalty is measured from purchases up to ``as_of``: ``"tenure"`` (default, the measure of
    Reinartz and Kumar) is the number of days from the first to the last purchase; ``"orders"``
    the number of purchases. Profitability is the sum of ``profit`` over those purchases:
    ``shop_revenue`` by default, which is revenue, not profit, and so a proxy. Pass a column of
    per-order margin if you have one (for instance ``shop_revenue`` minus the cost of goods from
    ``order_items`` and ``products``).

    A customer is *loyal* when their loyalty measure is strictly above ``loyalty_cutoff`` and
    *profitable* when their profit is strictly above ``profit_cutoff``. Both cut-offs default to
    the median over the customers, which splits them roughly in halves; with many one-time buyers
    the median tenure is 0, and "loyal" then means "bought on more than one day".

    Parameters
    ----------
    orders
        One row per order; purchases are chosen as in
        :func:`custkit.retention.cohorts.cohort_table` (no cancelled orders or C2B trade-ins by default).
    as_of
        Observation end (a date).
    loyalty
        ``"tenure"`` or ``"orders"``.
    loyalty_cutoff, profit_cutoff
        Thresholds in the unit of the measure (days or orders; the shop's currency); None for the
        median.

    Returns
    -------
    DataFrame
        One row per customer: the customer column, ``orders``, ``tenure_days``, ``profit``,
        ``loyal``, ``profitable``, ``quadrant`` (true friends, butterflies, barnacles, strangers)
        and ``strategy``. ``attrs`` holds the cut-offs used.
    """
    require_choice(loyalty, "loyalty", list(_LOYALTY))
    buys, _ = purchases(
        orders, as_of=as_of, customer=customer, date=date, value_cols=[profit],
        transaction_type=transaction_type, status=status, exclude_types=exclude_types,
        exclude_statuses=exclude_statuses,
    )
    out = buys.groupby("customer", sort=True).agg(
        orders=("date", "size"), first=("date", "min"), last=("date", "max"), profit=(profit, "sum")
    )
    out["tenure_days"] = ((out["last"].dt.normalize() - out["first"].dt.normalize()) / ONE_DAY).astype("int64")
    measure = out[_LOYALTY[loyalty]]
    l_cut = float(measure.median()) if loyalty_cutoff is None else _cutoff(loyalty_cutoff, "loyalty_cutoff")
    p_cut = float(out["profit"].median()) if profit_cutoff is None else _cutoff(profit_cutoff, "profit_cutoff")
    out["loyal"] = measure > l_cut
    out["profitable"] = out["profit"] > p_cut
    quadrant = pd.Series("strangers", index=out.index, dtype="str")
    quadrant[out["loyal"] & out["profitable"]] = "true friends"
    quadrant[~out["loyal"] & out["profitable"]] = "butterflies"
    quadrant[out["loyal"] & ~out["profitable"]] = "barnacles"
    out["quadrant"] = quadrant
    out["strategy"] = quadrant.map(QUADRANT_STRATEGIES).astype("str")
    out.index.name = customer
    out = out.reset_index()[[customer, "orders", "tenure_days", "profit", "loyal", "profitable",
                             "quadrant", "strategy"]]
    out.attrs = {"loyalty": loyalty, "loyalty_cutoff": l_cut, "profit_cutoff": p_cut}
    return out


def _cutoff(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise CustkitError(f"{name} must be a number or None (None = the median), got {value!r}.")
    return float(value)


def quadrant_summary(quadrants: pd.DataFrame) -> pd.DataFrame:
    """Customers, share, profit and strategy per quadrant, from :func:`loyalty_quadrants`.

    Returns
    -------
    DataFrame
        One row per quadrant in the order true friends, butterflies, barnacles, strangers:
        ``quadrant``, ``customers``, ``share`` (of customers), ``profit`` (total),
        ``profit_share``, ``mean_profit``, ``mean_tenure_days`` and ``strategy``.
    """
    require_table(quadrants, ["quadrant", "profit", "tenure_days"], "quadrants", numeric=["profit", "tenure_days"])
    g = quadrants.groupby("quadrant").agg(
        customers=("profit", "size"), profit=("profit", "sum"), mean_profit=("profit", "mean"),
        mean_tenure_days=("tenure_days", "mean"),
    ).reindex(QUADRANTS)
    g["customers"] = g["customers"].fillna(0).astype("int64")
    g["profit"] = g["profit"].fillna(0.0)
    g["share"] = g["customers"] / g["customers"].sum()
    total = g["profit"].sum()
    g["profit_share"] = g["profit"] / total if total != 0 else float("nan")
    g["strategy"] = pd.Series(QUADRANT_STRATEGIES, dtype="str")
    g.index.name = "quadrant"
    return g.reset_index()[["quadrant", "customers", "share", "profit", "profit_share", "mean_profit",
                            "mean_tenure_days", "strategy"]]
