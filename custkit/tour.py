"""A guided tour of a shop's tables: what each records, its columns, and the shop's calendar.

Notebook 00 (start here) uses these to introduce the data before any analysis: one line per
table, a column guide built from :mod:`custkit.schema` (the contract every table follows), a
short fact sheet of the shop computed from its tables, and the weekly rhythm of orders with the
promotion days marked. Everything works on plain tables, so a researcher's own shop (written in
the same schema) gets the same tour.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_datetime, require_day, require_frame
from custkit.errors import CustkitError
from custkit.schema import ALL_TABLES, HIDDEN_TABLES, TABLES
from custkit.vocabulary import ACCOUNT_TYPES, LOYALTY_TIERS

TABLE_NOTES: dict[str, str] = {
    "customers": "one row per registered account: who they are and how they arrived",
    "products": "the catalogue: category, brand, list price and unit cost of each product",
    "sessions": "one row per visit to the website, by account holders and anonymous visitors",
    "events": "the clicks inside each visit: page views, searches, product views, carts",
    "orders": "one row per order: who bought, for whom, what type of deal, status and money",
    "order_items": "the lines of each order: which products, how many, at what price",
    "tickets": "support tickets: advice before a purchase and support after it",
    "surveys": "satisfaction surveys after delivered orders (CSAT, NPS, share of wallet)",
    "campaigns": "discount campaigns and promotion days (holiday sales)",
    "marketing_spend": "daily spend, impressions and clicks of each paid channel",
    "truth": "hidden: the simulated traits and future of each customer (for grading only)",
}
"""One line per table on what it records (the hidden ``truth`` last)."""

_KIND_WORDS = {
    "int": "integer",
    "Int": "integer or missing",
    "float": "number",
    "bool": "True / False",
    "str": "text",
    "date": "date",
    "datetime": "date and time",
}


def table_overview(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per observed table: its size and one line on what it records.

    Parameters
    ----------
    tables
        Tables by name, e.g. ``shop.tables``; names must be among :data:`custkit.schema.TABLES`
        (the hidden ``truth`` is refused: the tour does not open it).

    Returns
    -------
    DataFrame
        ``table``, ``rows``, ``columns``, ``records``, in the order of :data:`custkit.schema.TABLES`.
    """
    if not isinstance(tables, Mapping) or not tables:
        raise CustkitError("tables must be a non-empty mapping of name -> DataFrame, e.g. shop.tables.")
    if set(tables) & set(HIDDEN_TABLES):
        raise CustkitError("the hidden truth is not part of the tour; pass the observed tables (shop.tables).")
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise CustkitError(f"unknown table name(s) {unknown}; expected names among {list(TABLES)}.")
    rows = []
    for name in TABLES:
        if name in tables:
            df = require_frame(tables[name], name)
            rows.append((name, len(df), df.shape[1], TABLE_NOTES[name]))
    out = pd.DataFrame(rows, columns=["table", "rows", "columns", "records"])
    return out.astype({"table": "str", "records": "str", "rows": "int64", "columns": "int64"})


def column_guide(table: str) -> pd.DataFrame:
    """The columns of ``table`` with their type, unit and meaning, from :mod:`custkit.schema`.

    Reads only the schema, never the data, so it can show the columns of the hidden ``truth``
    without revealing a single value.

    Returns
    -------
    DataFrame
        ``column``, ``type``, ``unit``, ``meaning``; optional columns (Jalali dates of fa_IR
        shops) are marked in ``meaning``.
    """
    if table not in ALL_TABLES:
        raise CustkitError(f"unknown table {table!r}; expected one of {list(ALL_TABLES)}.")
    rows = [
        (c.name, _KIND_WORDS[c.kind], c.unit, c.description + (" (only in fa_IR shops)" if c.optional else ""))
        for c in ALL_TABLES[table]
    ]
    return pd.DataFrame(rows, columns=["column", "type", "unit", "meaning"]).astype("str")


def shop_facts(tables: Mapping[str, pd.DataFrame], currency: str | None = None) -> pd.DataFrame:
    """A short fact sheet of the shop, computed from its observed tables.

    Facts: the observation window (first and last visit), accounts by type, anonymous visitors,
    products and categories, orders and the share delivered after the promised date, the
    delivery promise (median days between order and promised date), regular campaigns and
    promotion days, and the loyalty tiers held at the end. Nothing is read from the simulator's
    config, so the sheet describes any shop written in the schema.

    Parameters
    ----------
    tables
        The observed tables (``shop.tables``); needs customers, products, sessions, orders and
        campaigns.
    currency
        Shown as a fact when given (e.g. ``shop.config.currency``).

    Returns
    -------
    DataFrame
        ``fact``, ``value`` (both text, ready to read).
    """
    if not isinstance(tables, Mapping):
        raise CustkitError("tables must be a mapping of name -> DataFrame, e.g. shop.tables.")
    need = {
        "customers": ["customer_id", "account_type", "loyalty_tier"],
        "products": ["product_id", "category"],
        "sessions": ["visitor_id", "customer_id", "start"],
        "orders": ["order_id", "order_date", "promised_date", "delivered_date", "status"],
        "campaigns": ["campaign_id", "is_promotion_day"],
    }
    for name, cols in need.items():
        if name not in tables:
            raise CustkitError(f"shop_facts needs the {name!r} table; pass shop.tables.")
        require_frame(tables[name], name)
        require_columns(tables[name], cols, name)
    customers, sessions, orders = tables["customers"], tables["sessions"], tables["orders"]
    products, campaigns = tables["products"], tables["campaigns"]

    start = require_datetime(sessions, "start", "sessions")
    ordered = require_datetime(orders, "order_date", "orders").dt.normalize()
    promised = require_datetime(orders, "promised_date", "orders")
    delivered = require_datetime(orders, "delivered_date", "orders")
    was_delivered = delivered.notna().to_numpy()
    late = float((delivered[was_delivered] > promised[was_delivered]).mean()) if was_delivered.any() else np.nan
    promise_days = float((promised - ordered).dt.days.median()) if len(orders) else np.nan
    known_visitors = set(sessions.loc[sessions["customer_id"].notna(), "visitor_id"])
    anonymous = sessions.loc[~sessions["visitor_id"].isin(known_visitors), "visitor_id"].nunique()
    accounts = customers["account_type"].value_counts()
    tiers = customers["loyalty_tier"].value_counts()
    promo = campaigns["is_promotion_day"].astype(bool)

    facts = [
        ("observation window", f"{start.min():%Y-%m-%d} to {start.max():%Y-%m-%d}"),
        ("currency", currency or "not given"),
        ("registered accounts", f"{len(customers):,}"),
        ("  of which consumers / businesses / employees",
         " / ".join(f"{int(accounts.get(k, 0)):,}" for k in ACCOUNT_TYPES)),
        ("anonymous visitors (never registered)", f"{anonymous:,}"),
        ("products / categories", f"{len(products):,} / {products['category'].nunique():,}"),
        ("orders (all statuses)", f"{len(orders):,}"),
        ("delivery promise (median days after the order)", f"{promise_days:g}"),
        ("share of delivered orders that came late", f"{late:.1%}"),
        ("regular campaigns / promotion days", f"{int((~promo).sum()):,} / {int(promo.sum()):,}"),
        ("loyalty tiers at the end (none / bronze / silver / gold)",
         " / ".join(f"{int(tiers.get(k, 0)):,}" for k in LOYALTY_TIERS)),
    ]
    return pd.DataFrame(facts, columns=["fact", "value"]).astype("str")


def weekly_orders(
    orders: pd.DataFrame,
    campaigns: pd.DataFrame | None = None,
    *,
    start: object = None,
    end: object = None,
    date: str = "order_date",
    status: str = "status",
    start_date: str = "start_date",
    end_date: str = "end_date",
    promotion: str = "is_promotion_day",
) -> pd.DataFrame:
    """Orders per calendar week (Monday to Sunday), with the weeks that hold a promotion day.

    Cancelled orders are counted too: the calendar is about demand, not about what was kept.
    A week the data window cuts (the window starts after its Monday or ends before its Sunday)
    holds fewer than seven days of orders; ``complete`` marks the full weeks, so that a partial
    first or last week is not read as a fall in demand.

    Parameters
    ----------
    orders
        The orders table.
    campaigns
        Optional campaigns table; a week is a ``promotion_week`` when a promotion-day campaign
        runs on one of its days.
    start, end
        First and last day of the data window (e.g. ``shop.start`` and ``shop.end``); default:
        the days of the first and the last order.

    Returns
    -------
    DataFrame
        ``week`` (the Monday), ``orders`` (int), ``cancelled`` (int), ``promotion_week`` (bool),
        ``days`` (days of the week inside the window, 1-7), ``complete`` (``days == 7``); every
        week of the window is listed, with zeros where nothing sold.
    """
    require_frame(orders, "orders")
    require_columns(orders, [date, status], "orders")
    when = require_datetime(orders, date, "orders")
    if when.isna().all():
        raise CustkitError(f"orders[{date!r}] has no dates; weekly_orders needs at least one order.")
    first, last = _window(when, start, end)
    inside = ((when >= first) & (when < last + pd.Timedelta(days=1))).to_numpy(dtype=bool)
    when = when[inside]
    week = (when.dt.normalize() - pd.to_timedelta(when.dt.day_of_week, unit="D")).rename("week")
    frame = pd.DataFrame({"week": week, "cancelled": (orders.loc[inside, status] == "cancelled").to_numpy(dtype=bool)})
    out = frame.groupby("week").agg(orders=("cancelled", "size"), cancelled=("cancelled", "sum"))
    weeks = pd.date_range(_monday(first), _monday(last), freq="7D")
    out = out.reindex(weeks, fill_value=0).rename_axis("week").reset_index()
    out = out.astype({"orders": "int64", "cancelled": "int64"})
    out["promotion_week"] = False
    if campaigns is not None:
        mondays = {_monday(d) for d in _promotion_days(campaigns, start_date, end_date, promotion)}
        out["promotion_week"] = out["week"].isin(list(mondays)).to_numpy(dtype=bool)
    week_end = out["week"] + pd.Timedelta(days=6)
    days = (week_end.clip(upper=last) - out["week"].clip(lower=first)).dt.days + 1
    out["days"] = days.astype("int64")
    out["complete"] = (out["days"] == 7).to_numpy(dtype=bool)
    return out


def promotion_lift(
    orders: pd.DataFrame,
    campaigns: pd.DataFrame,
    *,
    start: object = None,
    end: object = None,
    weeks_before: int = 4,
    date: str = "order_date",
    status: str = "status",
) -> pd.DataFrame:
    """What each holiday sale (promotion-day campaign) did to the orders of its days and weeks.

    Two yardsticks, both from the weeks just before the sale, so that growth and season change
    them little: a sale day is compared with the same weekday in the ``weeks_before`` weeks
    before it, and the weeks that hold a sale day with the ``weeks_before`` complete weeks before
    the first of them. Only complete weeks count (see :func:`weekly_orders`).

    Parameters
    ----------
    orders, campaigns
        The orders and campaigns tables.
    start, end
        The data window, as in :func:`weekly_orders`.
    weeks_before
        How many weeks before the sale make the yardstick.

    Returns
    -------
    DataFrame
        One row per promotion-day campaign, by start day: ``name``, ``start_date``, ``end_date``,
        ``days`` (sale days), ``day_orders`` (mean orders per sale day), ``day_baseline`` (mean
        orders on the same weekdays before), ``day_lift`` (their ratio), ``week_orders`` (mean
        orders of the complete weeks that hold a sale day), ``week_baseline``, ``week_lift``.
        A lift is missing when its yardstick has no data (a sale at the very start of the window).
    """
    require_frame(campaigns, "campaigns")
    require_columns(campaigns, ["name", "start_date", "end_date", "is_promotion_day"], "campaigns")
    if int(weeks_before) < 1:
        raise CustkitError(f"weeks_before must be at least 1, got {weeks_before!r}.")
    weeks = weekly_orders(orders, campaigns, start=start, end=end, date=date, status=status)
    when = require_datetime(orders, date, "orders")
    first, last = _window(when, start, end)
    when = when.dt.normalize()
    daily = when.value_counts().reindex(pd.date_range(first, last), fill_value=0)
    full = weeks.loc[weeks["complete"]].set_index("week")["orders"]
    rows = []
    promo = campaigns.loc[campaigns["is_promotion_day"].astype(bool)]
    for row in promo.sort_values("start_date", kind="stable").itertuples(index=False):
        days = pd.date_range(pd.Timestamp(row.start_date).normalize(), pd.Timestamp(row.end_date).normalize())
        days = days[(days >= first) & (days <= last)]
        if days.empty:
            continue
        before = [d - pd.Timedelta(days=7 * k) for d in days for k in range(1, int(weeks_before) + 1)]
        before = [d for d in before if d >= first]
        mondays = sorted({_monday(d) for d in days})
        sale_weeks = full.reindex(mondays).dropna()
        earlier = full.loc[full.index < mondays[0]].tail(int(weeks_before))
        day_orders = float(daily.reindex(days).mean())
        day_base = float(daily.reindex(before).mean()) if before else np.nan
        week_orders = float(sale_weeks.mean()) if len(sale_weeks) else np.nan
        week_base = float(earlier.mean()) if len(earlier) else np.nan
        rows.append((str(row.name), days[0], days[-1], len(days), day_orders, day_base,
                     day_orders / day_base if day_base > 0 else np.nan,
                     week_orders, week_base, week_orders / week_base if week_base > 0 else np.nan))
    columns = ["name", "start_date", "end_date", "days", "day_orders", "day_baseline", "day_lift",
               "week_orders", "week_baseline", "week_lift"]
    return pd.DataFrame(rows, columns=columns).astype({"name": "str", "days": "int64"})


def _window(when: pd.Series, start: object, end: object) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of the data window: ``start``/``end``, else the first and last order day."""
    first = when.min().normalize() if start is None else require_day(start, "start")
    last = when.max().normalize() if end is None else require_day(end, "end")
    if last < first:
        raise CustkitError(f"end ({last:%Y-%m-%d}) lies before start ({first:%Y-%m-%d}); pass the window's "
                           f"first and last day.")
    return first, last


def _monday(day: pd.Timestamp) -> pd.Timestamp:
    day = pd.Timestamp(day).normalize()
    return day - pd.Timedelta(days=day.day_of_week)


def _promotion_days(campaigns: pd.DataFrame, start_date: str, end_date: str, promotion: str) -> list[pd.Timestamp]:
    require_frame(campaigns, "campaigns")
    require_columns(campaigns, [start_date, end_date, promotion], "campaigns")
    starts = require_datetime(campaigns, start_date, "campaigns")
    ends = require_datetime(campaigns, end_date, "campaigns")
    promo = campaigns[promotion].astype(bool).to_numpy()
    return [d for s, e in zip(starts[promo], ends[promo]) for d in pd.date_range(s, e, freq="D")]


__all__ = ["TABLE_NOTES", "column_guide", "shop_facts", "promotion_lift", "table_overview", "weekly_orders"]
