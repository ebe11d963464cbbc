"""Who counts as what: customer definitions on a given day (concepts A1-A5 of the concept map).

Every function takes the shop's plain tables (column names as in :mod:`custkit.schema`, passed as
arguments when yours differ) and an ``as_of`` day. ``as_of`` is a calendar day: everything that
happened on that day or before counts, nothing after it does, so the same tables answer "who was a
customer on 1 March" as well as "who is one at the end".

Conventions shared by the analyses (and re-used by :mod:`custkit.funnel` and
:mod:`custkit.segmentation`):

- A *purchase* is an order whose ``transaction_type`` is in :data:`PURCHASE_TYPES` (B2C, B2B, C2C:
  the customer in ``orders.customer_id`` is the buyer; in C2B the shop buys from the customer, so
  it is not a purchase by them) and whose ``status`` is in :data:`PURCHASE_STATUSES` (delivered or
  returned: a returned order was still bought; a cancelled one was not).
- A person's sessions are linked through ``visitor_id``: a visitor who later registers keeps the
  visitor id, so the visits made before sign-up (``customer_id`` missing) belong to the customer
  too. A visitor id seen with several accounts is given to the smallest ``customer_id``.

References: [001] (four marks of a customer, five general types, B2C/B2B/C2C/C2B),
[000] (customer vs consumer), [003] (ability and aptitude); ``docs/concepts.md`` maps the concepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from custkit._checks import (
    require_columns,
    require_datetime,
    require_day,
    require_frame,
    require_ids,
    require_in_range,
    require_names,
    require_numeric,
    require_positive,
)
from custkit import vocabulary
from custkit.errors import CustkitError, SchemaError
from custkit.purchases import (  # noqa: F401 - PURCHASE_* and TRANSACTION_TYPES stay importable here
    PURCHASE_STATUSES,
    PURCHASE_TYPES,
    TRANSACTION_TYPES,
    check_vocabulary,
    purchase_mask,
)


FUNNEL_STAGES: tuple[str, ...] = vocabulary.FUNNEL_STAGES
"""The web funnel's steps in order (``sessions.furthest_stage``)."""

ROLES: tuple[str, ...] = ("visitor", "lead", "first_time_buyer", "repeat_buyer")
"""Roles by purchase history, from :func:`audience_counts`."""

GENERAL_TYPES: tuple[str, ...] = ("potential", "actual", "organisational", "internal")
"""Primary labels of :func:`general_types`; ``external`` is a separate flag (see there)."""



# --------------------------------------------------------------------------- shared helpers
def as_of_cutoff(as_of: object) -> pd.Timestamp:
    """Return the first moment *after* the day ``as_of`` (events before it count).

    Raises CustkitError when ``as_of`` is missing or not readable as a date.
    """
    return require_day(as_of, "as_of") + pd.Timedelta(days=1)


def purchases_until(
    orders: pd.DataFrame,
    as_of: object,
    *,
    customer: str = "customer_id",
    date: str = "order_date",
    transaction_type: str = "transaction_type",
    status: str = "status",
    types: Sequence[str] = PURCHASE_TYPES,
    statuses: Sequence[str] = PURCHASE_STATUSES,
) -> pd.DataFrame:
    """The orders that count as purchases, placed on or before ``as_of``.

    Parameters
    ----------
    orders
        The orders table.
    as_of
        Last day that counts.
    types, statuses
        Which transaction types and statuses count as a purchase (defaults: B2C, B2B, C2C;
        delivered and returned). Pass ``types=None`` or ``statuses=None`` to keep all. A table
        without the ``transaction_type`` or ``status`` column is taken to hold purchases only.

    Returns
    -------
    DataFrame
        A filtered copy of ``orders`` with ``date`` as datetimes.
    """
    require_frame(orders, "orders")
    require_columns(orders, [customer, date], "orders")
    cutoff = as_of_cutoff(as_of)
    when = require_datetime(orders, date, "orders")
    keep = (when < cutoff).to_numpy()
    # The one purchase rule of custkit.purchases (a bare log holds purchases only).
    keep = keep & purchase_mask(orders, transaction_type=transaction_type, status=status,
                                types=None if types is None else require_names(types, "types"),
                                statuses=None if statuses is None else require_names(statuses, "statuses"))
    out = orders.loc[keep].copy()
    out[date] = when[keep]
    return out


def link_sessions(
    sessions: pd.DataFrame,
    as_of: object,
    *,
    visitor: str = "visitor_id",
    customer: str = "customer_id",
    start: str = "start",
) -> pd.DataFrame:
    """Sessions up to ``as_of`` with ``person_id``: the account each visit belongs to, if any.

    The visits a visitor made before registering get the account id through ``visitor_id``
    (see the module notes). ``person_id`` is missing for visitors who never had an account by
    ``as_of``.
    """
    require_frame(sessions, "sessions")
    require_columns(sessions, [visitor, customer, start], "sessions")
    when = require_datetime(sessions, start, "sessions")
    keep = (when < as_of_cutoff(as_of)).to_numpy()
    out = sessions.loc[keep].copy()
    out[start] = when[keep]
    known = out.loc[out[customer].notna(), [visitor, customer]]
    owner = known.groupby(visitor)[customer].min()
    out["person_id"] = out[visitor].map(owner).astype("Int64")
    return out


def _customers_until(customers: pd.DataFrame, as_of: object, customer: str, signup: str) -> pd.DataFrame:
    require_frame(customers, "customers")
    require_columns(customers, [customer, signup], "customers")
    require_ids(customers, customer, "customers", unique=True)
    when = require_datetime(customers, signup, "customers")
    return customers.loc[(when < as_of_cutoff(as_of)).to_numpy()]


def opened_since(customers: pd.DataFrame, since: object, *, customer: str = "customer_id",
                 signup: str = "signup_date") -> pd.Index:
    """The ids of the accounts opened on or after ``since`` (the first day of the data).

    An account opened earlier bought before the data begin too, and those orders are not in the
    tables: its first purchase *in the data* is not its first purchase, so it does not belong in
    an acquisition cohort, a time-to-first-purchase or a cost-per-new-customer. (The classroom
    shop opened two years before its window: its older accounts are such customers.)

    >>> customers = pd.DataFrame({"customer_id": [1, 2], "signup_date": pd.to_datetime(["2023-05-01", "2024-02-01"])})
    >>> opened_since(customers, "2024-01-01").tolist()
    [2]
    """
    require_frame(customers, "customers")
    require_columns(customers, [customer, signup], "customers")
    require_ids(customers, customer, "customers", unique=True)
    day = require_day(since, "since")
    when = require_datetime(customers, signup, "customers")
    return pd.Index(customers.loc[(when >= day).to_numpy(), customer], name=customer)


# --------------------------------------------------------------------------- A1: roles
def customer_status(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    customer: str = "customer_id",
    signup: str = "signup_date",
    date: str = "order_date",
) -> pd.DataFrame:
    """Label each registered account as lead, first-time buyer or repeat buyer on ``as_of``.

    Rules ([001], the four marks of a customer: someone who actually buys and pays):
    ``lead`` = registered on or before ``as_of`` and no purchase yet; ``first_time_buyer`` = exactly
    one purchase; ``repeat_buyer`` = two or more. Purchases as in :func:`purchases_until`.
    Accounts registered after ``as_of`` are left out.

    Returns
    -------
    DataFrame
        ``customer_id``, ``purchases`` (int), ``role`` (str), one row per account.
    """
    people = _customers_until(customers, as_of, customer, signup)
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    counts = bought.groupby(customer).size()
    n = people[customer].map(counts).fillna(0).astype("int64").to_numpy()
    role = np.select([n == 0, n == 1], ["lead", "first_time_buyer"], "repeat_buyer")
    return pd.DataFrame(
        {customer: people[customer].to_numpy(), "purchases": n, "role": pd.array(role, dtype="str")}
    )


def audience_counts(
    customers: pd.DataFrame,
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    customer: str = "customer_id",
    visitor: str = "visitor_id",
    signup: str = "signup_date",
    start: str = "start",
    date: str = "order_date",
) -> pd.DataFrame:
    """How many visitors, leads, first-time and repeat buyers the shop has on ``as_of``.

    ``visitor`` = a visitor id with at least one visit by ``as_of`` that never had an account by
    then (sessions without an account, linked as in :func:`link_sessions`); the other roles come
    from :func:`customer_status`.

    Returns
    -------
    DataFrame
        ``role`` (in the order of :data:`ROLES`), ``people``, ``share`` (of all four).
    """
    linked = link_sessions(sessions, as_of, visitor=visitor, customer=customer, start=start)
    visitors = linked.loc[linked["person_id"].isna(), visitor].nunique()
    status = customer_status(customers, orders, as_of, customer=customer, signup=signup, date=date)
    counts = status["role"].value_counts()
    people = [int(visitors)] + [int(counts.get(r, 0)) for r in ROLES[1:]]
    out = pd.DataFrame({"role": pd.array(ROLES, dtype="str"), "people": people})
    total = out["people"].sum()
    out["share"] = out["people"] / total if total else np.nan
    return out


def audience_over_time(
    customers: pd.DataFrame,
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    dates: Iterable[object],
    **columns: str,
) -> pd.DataFrame:
    """Audience counts (visitors, leads, first-time and repeat buyers) on each day of ``dates``.

    Who counts as what depends on the day of the analysis (concept A4, [001]): a lead on one day
    is a first-time buyer on a later one. This repeats :func:`audience_counts` over several
    ``as_of`` days, so that the movement between the roles can be read from one tidy table.

    Parameters
    ----------
    customers, sessions, orders
        The shop's tables (columns as in :mod:`custkit.schema`).
    dates
        The days of the analysis (anything ``pd.Timestamp`` reads); each is an ``as_of`` day of
        :func:`audience_counts`. Duplicates are dropped; order is kept sorted.
    **columns
        Column names passed on to :func:`audience_counts` when yours differ (``customer=``,
        ``visitor=``, ``signup=``, ``start=``, ``date=``).

    Returns
    -------
    DataFrame
        Tidy: ``as_of`` (datetime), ``role``, ``people``, ``share`` (within the day), four rows per day.
    """
    if isinstance(dates, str) or not isinstance(dates, Iterable):
        raise CustkitError(f"dates must be a list of days such as ['2024-12-31', '2025-12-31'], got {dates!r}.")
    days = sorted({as_of_cutoff(d) - pd.Timedelta(days=1) for d in dates})
    if not days:
        raise CustkitError("dates is empty; pass at least one day, e.g. ['2024-12-31', '2025-12-31'].")
    frames = [audience_counts(customers, sessions, orders, day, **columns).assign(as_of=day) for day in days]
    return pd.concat(frames, ignore_index=True)[["as_of", "role", "people", "share"]]


# --------------------------------------------------------------------------- A4: five types
def general_types(
    customers: pd.DataFrame,
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    min_product_view_sessions: int = 2,
    include_visitors: bool = True,
    customer: str = "customer_id",
    visitor: str = "visitor_id",
    account_type: str = "account_type",
    signup: str = "signup_date",
    start: str = "start",
    stage: str = "furthest_stage",
    date: str = "order_date",
) -> pd.DataFrame:
    """The five general types of customer of [001] on ``as_of``, with the rules written out.

    The article's types overlap (an employee is internal *and* may have bought), so each person
    gets one primary ``general_type`` by the first rule that applies, in this order:

    1. ``internal``: ``account_type == "employee"`` (staff who use the product);
    2. ``organisational``: ``account_type == "business"`` (companies, bulk buyers);
    3. ``actual``: at least one purchase by ``as_of`` (:func:`purchases_until`);
    4. ``potential``: everyone else, split by ``potential_kind``:
       ``maybe_buyer`` (engaged but undecided: some visit reached ``add_to_cart`` or further, or
       at least ``min_product_view_sessions`` visits reached ``product_view``) or ``browser``
       (came to look: fewer product-viewing visits and never a cart).

    ``external`` is a separate flag: everyone outside the organisation (``general_type !=
    "internal"``). With ``include_visitors`` the anonymous visitors (no account by ``as_of``) are
    added as potential customers, with ``customer_id`` missing and their ``visitor_id``.

    Returns
    -------
    DataFrame
        ``customer_id`` (Int64), ``visitor_id`` (Int64, only for anonymous visitors),
        ``general_type``, ``potential_kind`` (missing unless potential), ``external`` (bool).
    """
    require_positive(min_product_view_sessions, "min_product_view_sessions")
    people = _customers_until(customers, as_of, customer, signup)
    require_columns(people, [account_type], "customers")
    linked = link_sessions(sessions, as_of, visitor=visitor, customer=customer, start=start)
    require_columns(linked, [stage], "sessions")
    depth = _stage_depth(linked[stage], "sessions", stage)
    linked = linked.assign(
        _cart=depth >= FUNNEL_STAGES.index("add_to_cart"),
        _view=depth >= FUNNEL_STAGES.index("product_view"),
    )
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    buyers = set(bought[customer].tolist())

    def engagement(key: str, frame: pd.DataFrame) -> pd.DataFrame:
        return frame.groupby(key).agg(cart=("_cart", "any"), views=("_view", "sum"))

    by_person = engagement("person_id", linked.loc[linked["person_id"].notna()])
    ids = people[customer].to_numpy()
    eng = by_person.reindex(ids)
    kind = people[account_type].to_numpy()
    is_buyer = np.isin(ids, list(buyers))
    maybe = eng["cart"].fillna(False).astype(bool).to_numpy() | (
        eng["views"].fillna(0).to_numpy() >= min_product_view_sessions
    )
    gtype = np.select(
        [kind == "employee", kind == "business", is_buyer], ["internal", "organisational", "actual"], "potential"
    )
    pkind = np.where(gtype == "potential", np.where(maybe, "maybe_buyer", "browser"), None)
    out = pd.DataFrame(
        {
            customer: pd.array(ids, dtype="Int64"),
            visitor: pd.array([pd.NA] * len(ids), dtype="Int64"),
            "general_type": pd.array(gtype, dtype="str"),
            "potential_kind": pd.array(pkind, dtype="str"),
        }
    )
    if include_visitors:
        anon = engagement(visitor, linked.loc[linked["person_id"].isna()])
        vmaybe = anon["cart"].to_numpy() | (anon["views"].to_numpy() >= min_product_view_sessions)
        extra = pd.DataFrame(
            {
                customer: pd.array([pd.NA] * len(anon), dtype="Int64"),
                visitor: pd.array(anon.index.to_numpy(), dtype="Int64"),
                "general_type": pd.array(["potential"] * len(anon), dtype="str"),
                "potential_kind": pd.array(np.where(vmaybe, "maybe_buyer", "browser"), dtype="str"),
            }
        )
        out = pd.concat([out, extra], ignore_index=True) if len(extra) else out
    out["external"] = (out["general_type"] != "internal").to_numpy(dtype=bool)
    return out


def _stage_depth(values: pd.Series, name: str, column: str) -> np.ndarray:
    """Position of each funnel stage in :data:`FUNNEL_STAGES`; raises on unknown values."""
    depth = values.map({s: i for i, s in enumerate(FUNNEL_STAGES)})
    bad = values[depth.isna()]
    if len(bad):
        raise SchemaError(
            f"{name}[{column!r}] holds value(s) {sorted(map(str, bad.unique()))[:5]} that are not "
            f"funnel stages; expected one of {list(FUNNEL_STAGES)}."
        )
    return depth.to_numpy(dtype="int64")


# --------------------------------------------------------------------------- A2: buyer vs consumer
def buyer_vs_consumer(
    orders: pd.DataFrame,
    order_items: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    *,
    by: str | None = "category",
    recipient: str = "recipient",
    order: str = "order_id",
    product: str = "product_id",
    self_value: str = "self",
) -> pd.DataFrame:
    """Share of orders bought for someone else: the customer who buys is not the consumer ([000]).

    An order is *for someone else* when ``recipient != "self"`` (a child, partner, parent, friend,
    colleague or organisation uses it). With ``order_items`` and ``products`` the share is given
    per product ``by`` column (default ``category``): an order counts once in every category it
    contains. Without them (or with ``by=None``) one overall row is returned. Pass the orders you
    want counted (e.g. :func:`purchases_until`); this function does not filter them.

    Returns
    -------
    DataFrame
        ``[by]``, ``orders``, ``for_others``, ``share_for_others``, sorted by share, largest first.
    """
    require_frame(orders, "orders")
    require_columns(orders, [order, recipient], "orders")
    data = orders[[order, recipient]]
    if by is not None and (order_items is not None or products is not None):
        if order_items is None or products is None:
            raise CustkitError("pass both order_items and products to split by a product column, or by=None.")
        require_frame(order_items, "order_items")
        require_frame(products, "products")
        require_columns(order_items, [order, product], "order_items")
        require_columns(products, [product, by], "products")
        lines = order_items[[order, product]].merge(products[[product, by]], on=product, how="left")
        pairs = lines[[order, by]].drop_duplicates()
        data = data.merge(pairs, on=order, how="inner")
        keys = [by]
    else:
        keys = []
    data = data.assign(_other=(data[recipient] != self_value).to_numpy(dtype=bool))
    if keys:
        out = data.groupby(keys, as_index=False).agg(orders=("_other", "size"), for_others=("_other", "sum"))
    else:
        out = pd.DataFrame({"orders": [len(data)], "for_others": [int(data["_other"].sum())]})
    out["for_others"] = out["for_others"].astype("int64")
    out["share_for_others"] = out["for_others"] / out["orders"]
    return out.sort_values("share_for_others", ascending=False, kind="stable").reset_index(drop=True)


def recipient_mix(orders: pd.DataFrame, *, by: str | None = None, recipient: str = "recipient") -> pd.DataFrame:
    """Orders by whom they were bought for (``recipient``), optionally within groups ``by``.

    Returns
    -------
    DataFrame
        ``[by]``, ``recipient``, ``orders``, ``share`` (within the group), tidy (long) form.
    """
    require_frame(orders, "orders")
    keys = ([by] if by else []) + [recipient]
    require_columns(orders, keys, "orders")
    out = orders.groupby(keys, as_index=False).size().rename(columns={"size": "orders"})
    total = out.groupby(by)["orders"].transform("sum") if by else out["orders"].sum()
    out["share"] = out["orders"] / total
    return out


# --------------------------------------------------------------------------- A3: ability x aptitude
def ability_aptitude_table(
    data: pd.DataFrame,
    *,
    ability: str = "ability",
    aptitude: str = "aptitude",
    bought: str = "bought",
    ability_threshold: float = 0.5,
    aptitude_threshold: float = 0.5,
) -> pd.DataFrame:
    """Conversion in the four cells of ability (can pay) x aptitude (sees the need) ([003]).

    [003]: a member of the audience becomes a customer only with both; either alone forms no
    purchase. The table shows how far the data agree. ``ability`` and ``aptitude`` may be
    booleans or numbers in [0, 1]; numbers count as *high* when ``>= threshold``. ``bought`` is a
    boolean or 0/1 column. Works on any frame (e.g. ``shop.truth`` merged with a bought flag).

    Returns
    -------
    DataFrame
        Four rows: ``has_ability``, ``has_aptitude`` (bool), ``people``, ``buyers``,
        ``conversion`` (NaN for an empty cell), in the order (F,F), (F,T), (T,F), (T,T).
    """
    require_frame(data)
    require_columns(data, [ability, aptitude, bought])
    require_in_range(ability_threshold, "ability_threshold", 0, 1)
    require_in_range(aptitude_threshold, "aptitude_threshold", 0, 1)
    high_a = _high(data[ability], ability, ability_threshold)
    high_b = _high(data[aptitude], aptitude, aptitude_threshold)
    flag = data[bought]
    if flag.isna().any() or not flag.isin([0, 1, True, False]).all():
        raise SchemaError(f"data[{bought!r}] must be boolean or 0/1 without missing values.")
    frame = pd.DataFrame({"has_ability": high_a, "has_aptitude": high_b, "b": flag.astype(bool).to_numpy()})
    grid = pd.MultiIndex.from_product([[False, True], [False, True]], names=["has_ability", "has_aptitude"])
    out = frame.groupby(["has_ability", "has_aptitude"]).agg(people=("b", "size"), buyers=("b", "sum"))
    out = out.reindex(grid, fill_value=0).reset_index()
    out["people"] = out["people"].astype("int64")
    out["buyers"] = out["buyers"].astype("int64")
    out["conversion"] = out["buyers"] / out["people"].where(out["people"] > 0)
    return out


def _high(s: pd.Series, name: str, threshold: float) -> np.ndarray:
    if pd.api.types.is_bool_dtype(s):
        return s.fillna(False).to_numpy(dtype=bool)
    if not pd.api.types.is_numeric_dtype(s):
        raise SchemaError(f"data[{name!r}] must be boolean or a number in [0, 1], found dtype {s.dtype}.")
    if s.isna().any() or (s < 0).any() or (s > 1).any():
        raise SchemaError(f"data[{name!r}] must lie in [0, 1] without missing values; rescale it first.")
    return (s >= threshold).to_numpy(dtype=bool)


# --------------------------------------------------------------------------- A5: transaction types
def transaction_mix(
    orders: pd.DataFrame,
    *,
    transaction_type: str = "transaction_type",
    net: str = "net",
    revenue: str = "shop_revenue",
    status: str = "status",
    statuses: Sequence[str] | None = PURCHASE_STATUSES,
) -> pd.DataFrame:
    """Orders and money by transaction type: B2C, B2B, C2C, C2B ([001]).

    ``net`` is what changed hands between the two parties; ``shop_revenue`` is what the shop
    earns (all of it for B2C/B2B, a commission for C2C, a payment *out* for C2B: negative). The
    gap between the two shares is the lesson: C2C can be many orders but little revenue.
    Only orders with a status in ``statuses`` count (default delivered and returned; ``None``:
    all). All four types are listed, with zeros when absent.

    Returns
    -------
    DataFrame
        ``transaction_type``, ``orders``, ``net``, ``shop_revenue``, ``order_share``,
        ``net_share``, ``revenue_share`` (shop_revenue / total shop_revenue).
    """
    require_frame(orders, "orders")
    require_columns(orders, [transaction_type, net, revenue] + ([status] if statuses is not None else []), "orders")
    require_numeric(orders, net, "orders")
    require_numeric(orders, revenue, "orders")
    if statuses is not None:
        statuses = require_names(statuses, "statuses")
        check_vocabulary(orders, transaction_type=transaction_type, status=status, extra_statuses=statuses)
    data = orders if statuses is None else orders.loc[orders[status].isin(statuses)]
    unknown = sorted(set(data[transaction_type].dropna()) - set(TRANSACTION_TYPES))
    if unknown:
        raise SchemaError(f"orders[{transaction_type!r}] holds {unknown}; expected {list(TRANSACTION_TYPES)}.")
    out = data.groupby(transaction_type).agg(orders=(net, "size"), net=(net, "sum"), shop_revenue=(revenue, "sum"))
    out = out.reindex(list(TRANSACTION_TYPES), fill_value=0).rename_axis(transaction_type).reset_index()
    out["orders"] = out["orders"].astype("int64")
    for col, share in (("orders", "order_share"), ("net", "net_share"), ("shop_revenue", "revenue_share")):
        total = out[col].sum()
        out[share] = out[col] / total if total else np.nan
    return out


# --------------------------------------------------------------------------- A6: customer science
def _mode(frame: pd.DataFrame, key: str, column: str) -> pd.Series:
    """Most frequent value of ``column`` per ``key``; ties go to the alphabetically first value."""
    counts = frame.groupby([key, column]).size().rename("_n").reset_index()
    counts = counts.sort_values([key, "_n", column], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates(key).set_index(key)[column]


def customer_profiles(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    as_of: object,
    *,
    sessions: pd.DataFrame | None = None,
    traits: Sequence[str] = ("gender", "age_band", "province", "socio_economic_class", "account_type"),
    customer: str = "customer_id",
    signup: str = "signup_date",
    date: str = "order_date",
    net: str = "net",
    recipient: str = "recipient",
    transaction_type: str = "transaction_type",
) -> pd.DataFrame:
    """One profile row per customer: who they are, and what, how, for whom and when they buy.

    Customer science ([003], A6) gathers the hidden and visible facts about customers: traits,
    motives, purchase type and process, time and place; [001] (D9) asks for customer profiles of
    gender, job, age, social status, area and purchase history. This table puts the observed part
    side by side: the ``traits`` columns of ``customers``, then from purchases by ``as_of``
    (:func:`purchases_until`) ``purchases``, ``spend`` (sum of ``net``), ``first_purchase``,
    ``last_purchase``, ``share_for_others`` (orders whose recipient is not ``self``),
    ``main_recipient``, ``main_transaction_type`` and ``main_weekday`` (most frequent; ties go
    to the alphabetically first), and with ``sessions`` the ``visits``, ``main_channel`` and
    ``main_device`` of the visits linked to the account (:func:`link_sessions`). Customers
    without purchases have 0 purchases and missing values elsewhere.

    Returns
    -------
    DataFrame
        One row per account registered by ``as_of``, in the order of ``customers``.
    """
    traits = require_names(traits, "traits")
    people = _customers_until(customers, as_of, customer, signup)
    require_columns(people, traits, "customers")
    require_frame(orders, "orders")
    require_columns(orders, [net, recipient, transaction_type], "orders")
    require_numeric(orders, net, "orders")
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    bought = bought.assign(_other=(bought[recipient] != "self").to_numpy(dtype=bool),
                           _weekday=bought[date].dt.day_name().astype("str"))
    g = bought.groupby(customer)
    facts = pd.DataFrame({
        "purchases": g.size(),
        "spend": g[net].sum().astype(float),
        "first_purchase": g[date].min(),
        "last_purchase": g[date].max(),
        "share_for_others": g["_other"].mean(),
        "main_recipient": _mode(bought, customer, recipient),
        "main_transaction_type": _mode(bought, customer, transaction_type),
        "main_weekday": _mode(bought, customer, "_weekday"),
    })
    out = people[[customer] + traits].reset_index(drop=True)
    out = out.join(facts, on=customer)
    out["purchases"] = out["purchases"].fillna(0).astype("int64")
    out["spend"] = out["spend"].fillna(0.0)
    if sessions is not None:
        linked = link_sessions(sessions, as_of, customer=customer)
        require_columns(linked, ["channel", "device"], "sessions")
        mine = linked.loc[linked["person_id"].notna()].astype({"person_id": "int64"})
        visits = mine.groupby("person_id").size()
        out["visits"] = out[customer].map(visits).fillna(0).astype("int64")
        out["main_channel"] = out[customer].map(_mode(mine, "person_id", "channel"))
        out["main_device"] = out[customer].map(_mode(mine, "person_id", "device"))
    return out


__all__ = [
    "FUNNEL_STAGES",
    "GENERAL_TYPES",
    "PURCHASE_STATUSES",
    "PURCHASE_TYPES",
    "ROLES",
    "TRANSACTION_TYPES",
    "ability_aptitude_table",
    "as_of_cutoff",
    "audience_counts",
    "audience_over_time",
    "buyer_vs_consumer",
    "customer_profiles",
    "customer_status",
    "general_types",
    "opened_since",
    "link_sessions",
    "purchases_until",
    "recipient_mix",
    "transaction_mix",
]
