"""Demographic profiles: who the customers are and what each group is worth (concept E1, [004])."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_datetime, require_frame, require_ids, require_numeric
from custkit.definitions import as_of_cutoff, purchases_until
from custkit.vocabulary import AGE_BANDS, SOCIO_ECONOMIC_CLASSES

DEMOGRAPHIC_COLUMNS: tuple[str, ...] = ("age_band", "gender", "province", "socio_economic_class")
"""The customers' columns [004] groups by: age, gender, place of living, socio-economic class."""

LEVELS: dict[str, tuple[str, ...]] = {
    "socio_economic_class": SOCIO_ECONOMIC_CLASSES,
    "age_band": AGE_BANDS,
}
"""The natural order of the ordered demographic columns (tables and plots follow it)."""


def level_order(values: pd.Series, column: str) -> list:
    """The distinct ``values`` in their natural order (:data:`LEVELS`), unknown ones last, sorted."""
    known = LEVELS.get(column, ())
    present = list(dict.fromkeys(values.dropna().tolist()))
    return [v for v in known if v in present] + sorted(v for v in present if v not in known)


def demographic_profile(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    by: str | Sequence[str] = "age_band",
    customer: str = "customer_id",
    signup: str = "signup_date",
    revenue: str = "shop_revenue",
    date: str = "order_date",
) -> pd.DataFrame:
    """Size, buyers and revenue of each demographic group on ``as_of`` ([004]: group customers by
    age, gender, place and socio-economic conditions, and aim spending at the profitable groups).

    Customers are the accounts registered by ``as_of``; revenue is the ``shop_revenue`` of their
    purchases by ``as_of`` (:func:`custkit.definitions.purchases_until`). Missing group values
    form their own group. Rows follow the natural order of age bands and classes (:data:`LEVELS`).

    Returns
    -------
    DataFrame
        ``[by]``, ``customers``, ``buyers``, ``buyer_share``, ``revenue``, ``revenue_share``,
        ``revenue_per_customer``, ``revenue_per_buyer`` (NaN without buyers).
    """
    keys = [by] if isinstance(by, str) else list(by)
    require_frame(customers, "customers")
    require_columns(customers, [customer, signup] + keys, "customers")
    require_ids(customers, customer, "customers", unique=True)
    require_frame(orders, "orders")
    require_columns(orders, [revenue], "orders")
    require_numeric(orders, revenue, "orders")
    signed = require_datetime(customers, signup, "customers") < as_of_cutoff(as_of)
    people = customers.loc[signed.to_numpy(), [customer] + keys]
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    spend = bought.groupby(customer)[revenue].sum()
    people = people.assign(
        _revenue=people[customer].map(spend).fillna(0.0).to_numpy(dtype=float),
        _buyer=people[customer].isin(spend.index).to_numpy(),
    )
    out = people.groupby(keys, dropna=False, as_index=False).agg(
        customers=(customer, "size"), buyers=("_buyer", "sum"), revenue=("_revenue", "sum")
    )
    out["buyers"] = out["buyers"].astype("int64")
    out["buyer_share"] = out["buyers"] / out["customers"]
    total = out["revenue"].sum()
    out["revenue_share"] = out["revenue"] / total if total else np.nan
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    out["revenue_per_buyer"] = out["revenue"] / out["buyers"].where(out["buyers"] > 0)
    order = ["customers", "buyers", "buyer_share", "revenue", "revenue_share",
             "revenue_per_customer", "revenue_per_buyer"]
    rank = {k: {v: i for i, v in enumerate(level_order(out[k], k))} for k in keys}
    out = out.sort_values(keys, key=lambda s: s.map(rank[s.name]), kind="stable", ignore_index=True)
    return out[keys + order]
