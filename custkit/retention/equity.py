"""Customer equity measured from a shop's orders: the one recipe the explorer and the sweeps share.

Concept D5 [002]. In yearly periods:

1. each buyer of the last 365 days leaves a yearly margin m_i (:func:`yearly_margins`, revenue x
   ``margin_rate``);
2. the yearly retention r is measured on the orders (:func:`period_retention`, pooled over
   complete years, :func:`pooled_retention`);
3. each of those buyers is worth ``retention_clv(m_i, r, discount)`` = m_i r / (1 + d - r)
   (Gupta and Lehmann 2003), the remaining value of a current customer;
4. :func:`customer_equity` adds ``horizon`` future yearly cohorts, each as large as the number of
   customers won in the last year and each new customer worth the mean value of those new
   customers (Gupta, Lehmann and Stuart 2004).

Assumptions: one retention rate for every customer and year; last year's margins and acquisitions
repeat; no acquisition cost (the tables hold marketing spend per channel, not per customer). It is
an index for comparing shops, not a valuation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from custkit._checks import require_day, require_positive
from custkit.errors import CustkitError
from custkit.retention.cohorts import period_retention, pooled_retention
from custkit.retention.value import customer_equity, retention_clv
from custkit.retention.yearly import yearly_margins


@dataclass(frozen=True)
class OrdersEquity:
    """The steps of :func:`equity_from_orders`: the number and the tables behind it.

    Attributes
    ----------
    yearly_retention
        r, pooled over the complete years before ``as_of``.
    clv
        One row per buyer of the last year: ``customer_id``, ``new``, ``margin`` (per year), ``clv``.
    equity
        The build-up table of :func:`custkit.retention.customer_equity`.
    total
        The customer equity: the last ``cumulative`` value of ``equity``.
    """

    yearly_retention: float
    clv: pd.DataFrame
    equity: pd.DataFrame
    total: float


def equity_from_orders(orders: pd.DataFrame, *, as_of: object, discount: float = 0.10, horizon: int = 3,
                       margin_rate: float = 1.0) -> OrdersEquity:
    """Customer equity of a shop from its orders table, with the steps of the module's recipe.

    Raises a CustkitError when the orders do not cover two complete calendar years before
    ``as_of`` (no yearly retention can be measured), or for bad arguments.
    """
    end = require_day(as_of)
    d = require_positive(discount, "discount", allow_zero=True)
    margins = yearly_margins(orders, as_of=end, margin_rate=margin_rate)
    r = pooled_retention(period_retention(orders, as_of=end, freq="Y"))
    if not np.isfinite(r):
        raise CustkitError(
            f"the orders up to {end.date()} do not cover two complete calendar years, so the yearly "
            f"retention cannot be measured; use a window of at least two calendar years (in a sweep: "
            f"start_date .. end_date), or leave customer_equity out of a sweep's metrics."
        )
    clv = margins[["customer_id", "new", "margin"]].assign(
        clv=margins["margin"].to_numpy(dtype=float) * retention_clv(1.0, r, d))
    is_new = clv["new"].to_numpy(dtype=bool)
    new_clv = float(clv.loc[is_new, "clv"].mean()) if is_new.any() else 0.0
    equity = customer_equity(clv["clv"], new_customers_per_period=float(is_new.sum()),
                             new_customer_clv=new_clv, discount=d, horizon=horizon)
    return OrdersEquity(float(r), clv, equity, float(equity["cumulative"].iloc[-1]))
