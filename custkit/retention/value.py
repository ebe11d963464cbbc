"""What a customer is worth: simple and retention-based lifetime value, and customer equity.

Concepts D1 (losing a customer loses the whole stream of purchases, [002]) and D5 (customer
equity, the summed lifetime values of current and future customers, [002]). The formulas here are
the textbook closed forms; the probability models that estimate each customer's future from
their own history live in ``custkit.retention.models``.
"""

from __future__ import annotations

from collections.abc import Iterable
from numbers import Real

import numpy as np
import pandas as pd

from custkit._checks import require_in_range, require_positive
from custkit.errors import CustkitError

__all__ = ["article_lost_customer_example", "customer_equity", "retention_clv", "simple_clv"]


def _number(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or value != value:
        raise CustkitError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    return float(value)


def simple_clv(spend_per_period: float, periods: float) -> float:
    """Undiscounted lifetime value: spend per period x number of periods.

    The back-of-the-envelope value of a customer used in [002] (concept D1): it assumes the
    customer keeps spending the same amount for a known number of periods, ignores the time value
    of money and the chance of leaving earlier. See :func:`retention_clv` for a version with both.

    Parameters
    ----------
    spend_per_period
        What the customer spends (or the margin they leave) per period, in the shop's currency, >= 0.
    periods
        How many periods they stay, >= 0 (may be fractional).

    Examples
    --------
    >>> simple_clv(5_200_000, 10)   # [002]: 5.2 million toman a year for 10 years
    52000000.0
    """
    spend = require_positive(spend_per_period, "spend_per_period", allow_zero=True)
    n = require_positive(periods, "periods", allow_zero=True)
    return spend * n


def retention_clv(margin: float, retention: float, discount: float) -> float:
    """Lifetime value with constant retention and discounting: ``margin * r / (1 + d - r)``.

    The infinite-horizon formula of Gupta and Lehmann (2003, "Customers as assets", *Journal of
    Interactive Marketing* 17(1), their margin-multiple formula; Berger and Nasr 1998, *Journal
    of Interactive Marketing* 12(1), case 1): ``CLV = sum_{t>=1} m r^t / (1 + d)^t = m r / (1 + d - r)``.

    Assumptions: the margin ``m`` per period is constant; each period the customer stays with
    probability ``r``, the same every period (a retention rate, as from
    :func:`custkit.retention.cohorts.period_retention`); the margin is received at the *end* of
    each period the customer survives into, so the acquisition-period margin is not included; the
    horizon is infinite (a long finite one differs little when r / (1 + d) is well below 1).

    Parameters
    ----------
    margin
        Margin per customer per period, in the shop's currency (may be negative: a loss-making
        customer).
    retention
        Per-period retention probability r, in [0, 1].
    discount
        Per-period discount rate d >= 0 (e.g. 0.10 for 10 % a year with yearly periods);
        r = 1 with d = 0 has no finite value and is refused.

    Examples
    --------
    >>> round(retention_clv(100.0, 0.8, 0.1), 6)   # 100 * 0.8 / 0.3
    266.666667
    """
    m = _number(margin, "margin")
    r = require_in_range(retention, "retention", 0.0, 1.0)
    d = require_positive(discount, "discount", allow_zero=True)
    if 1 + d - r <= 0:
        raise CustkitError(
            "retention = 1 with discount = 0 gives an infinite lifetime value; "
            "use a retention below 1 or a positive discount rate."
        )
    return m * r / (1 + d - r)


def article_lost_customer_example(
    weekly_spend: float = 100_000, weeks_per_year: float = 52, years: float = 10
) -> pd.DataFrame:
    """The worked example of [002] (concept D1): what losing one loyal customer costs.

    The article supposes a loyal customer who spends 100,000 toman a week, "about 5 million a
    year", and who, being loyal, would have stayed about 10 years on average: losing them costs
    "over 50 million toman", more if they tell others. With 52 weeks the year is 5.2 million and
    the loss 52 million (undiscounted, as in the article; see :func:`retention_clv` for the
    discounted, risk-adjusted version).

    Returns
    -------
    DataFrame
        One row per step: ``step``, ``formula``, ``value`` (toman) and ``article`` (what [002]
        says).
    """
    weekly = require_positive(weekly_spend, "weekly_spend")
    weeks = require_positive(weeks_per_year, "weeks_per_year")
    n_years = require_positive(years, "years")
    yearly = weekly * weeks
    lifetime = simple_clv(yearly, n_years)
    return pd.DataFrame(
        {
            "step": ["weekly spend", "yearly spend", "years a loyal customer stays", "lifetime spend lost"],
            "formula": ["given", "weekly spend x weeks per year", "given",
                        "yearly spend x years (simple_clv)"],
            "value": [weekly, yearly, n_years, lifetime],
            "article": ["100,000 toman a week", "about 5 million a year", "about 10 years on average",
                        "over 50 million toman"],
        }
    )


def customer_equity(
    current_clv: Iterable[float] | pd.Series,
    *,
    new_customers_per_period: float,
    new_customer_clv: float,
    discount: float,
    horizon: int,
    acquisition_cost: float = 0.0,
) -> pd.DataFrame:
    """Customer equity: the value of today's customers plus the discounted value of future cohorts.

    Concept D5 [002], in the form of Gupta, Lehmann and Stuart (2004, "Valuing customers",
    *Journal of Marketing Research* 41(1), the value of current and future cohorts, here with
    a finite horizon and constant cohorts)::

        CE = sum_i CLV_i + sum_{t=1}^{T} n (CLV_new - c) / (1 + d)^t

    where ``CLV_i`` is the remaining lifetime value of current customer i (already in today's
    money, e.g. from :func:`retention_clv` or a probability model), ``n`` the customers acquired
    per period, ``CLV_new`` the lifetime value of a new customer at acquisition, ``c`` the
    acquisition cost per new customer, ``d`` the per-period discount rate and ``T`` the horizon.

    Assumptions: every future cohort has the same size and value; a cohort acquired in period t is
    valued at the end of period t (discounted t periods); customers acquired after the horizon are
    left out.

    Parameters
    ----------
    current_clv
        Remaining lifetime value of each current customer (shop's currency); may be empty.
    new_customers_per_period
        Customers acquired per period, >= 0.
    new_customer_clv
        Lifetime value of one newly acquired customer.
    discount
        Per-period discount rate, >= 0.
    horizon
        Number of future periods whose cohorts count, an integer >= 0.
    acquisition_cost
        Cost of acquiring one customer (CAC), >= 0; subtracted from each new customer's value.

    Returns
    -------
    DataFrame
        The build-up, one row per source: ``period`` (0 = current customers, t = the cohort
        acquired in period t), ``source``, ``customers``, ``value_per_customer`` (net of
        acquisition cost for cohorts), ``value`` (undiscounted), ``discount_factor``,
        ``present_value`` and ``cumulative`` (running total of present values; its last entry is
        the customer equity).
    """
    try:
        clv = np.asarray(pd.Series(current_clv, dtype=float))
    except (TypeError, ValueError):
        clv = np.array([np.nan])
    if isinstance(current_clv, str) or clv.ndim != 1 or np.isnan(clv).any():
        raise CustkitError("current_clv must be a flat list or Series of numbers without missing values.")
    n = require_positive(new_customers_per_period, "new_customers_per_period", allow_zero=True)
    v_new = _number(new_customer_clv, "new_customer_clv")
    d = require_positive(discount, "discount", allow_zero=True)
    cac = require_positive(acquisition_cost, "acquisition_cost", allow_zero=True)
    if isinstance(horizon, bool) or not isinstance(horizon, (int, np.integer)) or horizon < 0:
        raise CustkitError(f"horizon must be a whole number of periods >= 0, got {horizon!r}.")
    t = np.arange(1, int(horizon) + 1)
    per_customer = np.concatenate([[clv.mean() if clv.size else 0.0], np.full(t.size, v_new - cac)])
    customers = np.concatenate([[clv.size], np.full(t.size, n)])
    value = np.concatenate([[clv.sum()], n * (v_new - cac) * np.ones(t.size)])
    factor = np.concatenate([[1.0], (1 + d) ** -t.astype(float)])
    table = pd.DataFrame(
        {
            "period": np.concatenate([[0], t]).astype("int64"),
            "source": ["current customers"] + [f"cohort {k}" for k in t],
            "customers": customers.astype(float),
            "value_per_customer": per_customer,
            "value": value,
            "discount_factor": factor,
        }
    )
    table["present_value"] = table["value"] * table["discount_factor"]
    table["cumulative"] = table["present_value"].cumsum()
    return table
