"""Customer-centric against production-centric: the same key numbers for two shops side by side.

Concept D8 [001]: a customer-oriented organisation earns more retention, more frequent repeat
buying and more word of mouth than a production-oriented one, which ignores customers while demand
exceeds supply. Run two shops (e.g. the ``customer_centric`` and ``production_centric`` presets,
or two real shops) through :func:`compare_shops` to see the gap.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_day, require_positive
from custkit.errors import CustkitError
from custkit.retention._common import ONE_DAY, purchases
from custkit.retention.cohorts import churn_flags, period_retention, pooled_retention
from custkit.shop import Shop

__all__ = ["COMPARISON_METRICS", "compare_shops", "shop_metrics"]

COMPARISON_METRICS = {
    "customers": ("customers with a purchase", "customers"),
    "repeat_rate": ("share of customers with 2+ purchases", "share"),
    "period_retention": ("share of a period's buyers who buy again in the next period (pooled)", "share"),
    "active_share": ("share of customers who bought within the inactivity threshold", "share"),
    "revenue_per_customer": ("shop_revenue per customer", "currency"),
    "mean_csat": ("mean CSAT of answered surveys", "1-5"),
    "late_share": ("share of delivered orders delivered after the promised date", "share"),
    "mean_response_hours": ("mean first-response hours of support tickets", "hours"),
}
"""The metrics of :func:`shop_metrics`: name -> (what it measures, unit)."""


def _table(shop: object, name: str) -> pd.DataFrame:
    tables = getattr(shop, "tables", None)
    if not isinstance(tables, dict) or name not in tables:
        raise CustkitError(
            f"expected a custkit Shop (from ck.generate or ck.load_shop) with a {name!r} table, "
            f"got {type(shop).__name__}."
        )
    return tables[name]


def shop_metrics(
    shop: object, *, as_of: object = None, inactivity_days: float = 90, retention_freq: str = "Q",
) -> pd.Series:
    """The comparison metrics of one shop (see :data:`COMPARISON_METRICS`) as a Series.

    Parameters
    ----------
    shop
        A :class:`custkit.Shop` (its ``orders``, ``surveys`` and ``tickets`` tables are used).
    as_of
        Observation end. Defaults to the end of the observation window of the shop's config
        (``shop.config.end``), or for a shop without config to the day of its last order (the
        data's own end, never today). Later orders, surveys and tickets are ignored.
    inactivity_days
        Threshold of :func:`custkit.retention.cohorts.churn_flags` for ``active_share``.
    retention_freq
        Period of ``period_retention`` (:func:`custkit.retention.cohorts.period_retention`,
        quarters by default); NaN when fewer than two complete periods were observed.
    """
    orders = _table(shop, "orders")
    if as_of is None:
        as_of = shop.end if isinstance(shop, Shop) else Shop(tables={"orders": orders}).end
    end = require_day(as_of)
    require_positive(inactivity_days, "inactivity_days")
    flags = churn_flags(orders, as_of=end, inactivity_days=inactivity_days)
    buys, _ = purchases(orders, as_of=end, value_cols=["shop_revenue"])
    m = {
        "customers": float(len(flags)),
        "repeat_rate": float((flags["orders"] >= 2).mean()),
        "period_retention": pooled_retention(period_retention(orders, as_of=end, freq=retention_freq)),
        "active_share": float((~flags["churned"]).mean()),
        "revenue_per_customer": float(buys["shop_revenue"].sum() / len(flags)),
    }
    surveys = _table(shop, "surveys")
    require_columns(surveys, ["sent_date", "csat"], "surveys")
    sent = pd.to_datetime(surveys["sent_date"])
    csat = surveys.loc[(sent < end + ONE_DAY).to_numpy(), "csat"].astype(float)
    m["mean_csat"] = float(csat.mean()) if csat.notna().any() else np.nan
    require_columns(orders, ["promised_date", "delivered_date"], "orders")
    in_window = pd.to_datetime(orders["order_date"]) < end + ONE_DAY
    done = orders[in_window & orders["delivered_date"].notna()]
    late = pd.to_datetime(done["delivered_date"]) > pd.to_datetime(done["promised_date"])
    m["late_share"] = float(late.mean()) if len(done) else np.nan
    tickets = _table(shop, "tickets")
    require_columns(tickets, ["created", "first_response_hours"], "tickets")
    opened = pd.to_datetime(tickets["created"]) < end + ONE_DAY
    hours = tickets.loc[opened.to_numpy(), "first_response_hours"].astype(float)
    m["mean_response_hours"] = float(hours.mean()) if hours.notna().any() else np.nan
    return pd.Series(m, name="value")


def compare_shops(
    shop_a: object,
    shop_b: object,
    *,
    names: tuple[str, str] = ("A", "B"),
    as_of: object = None,
    inactivity_days: float = 90,
    retention_freq: str = "Q",
) -> pd.DataFrame:
    """A tidy table of retention, revenue per customer, CSAT, late share and response hours for two shops.

    Works on any two :class:`custkit.Shop` objects with the standard tables (concept D8: compare
    a customer-centric with a production-centric shop). ``as_of`` applies to both shops; by
    default each shop is measured up to its own observation end (see :func:`shop_metrics`).

    Returns
    -------
    DataFrame
        One row per metric and shop: ``metric``, ``description``, ``unit``, ``shop`` (from
        ``names``) and ``value``. Pivot it with ``.pivot(index="metric", columns="shop",
        values="value")`` for a side-by-side view.
    """
    if len(names) != 2 or names[0] == names[1]:
        raise CustkitError(f"names must be two different labels, got {names!r}.")
    rows = []
    for label, shop in zip(names, (shop_a, shop_b)):
        values = shop_metrics(shop, as_of=as_of, inactivity_days=inactivity_days, retention_freq=retention_freq)
        for metric, (description, unit) in COMPARISON_METRICS.items():
            rows.append((metric, description, unit, label, values[metric]))
    out = pd.DataFrame(rows, columns=["metric", "description", "unit", "shop", "value"])
    return out.astype({"metric": "str", "description": "str", "unit": "str", "shop": "str"})
