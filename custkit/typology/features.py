"""Behavioural features per customer, from the observed tables only (input to the typology rules).

A customer's hidden type (concepts B1 and B2 of the concept map, articles [000] and [001]) is
never written down by a real shop; what the shop sees is behaviour: how people arrive, what they
do first in a visit, how much they look and search, whether they leave carts, wait for
discounts, ask for advice, complain, and come back. :func:`customer_features` turns the shop's
tables into one row of such facts per customer, so that rules (:mod:`custkit.typology.rules`)
or any model can infer the types.

Conventions follow :mod:`custkit.definitions`: a purchase is an order of type B2C, B2B or C2C
that was delivered or returned (:func:`~custkit.definitions.purchases_until`); visits made before
sign-up belong to the customer through ``visitor_id`` (:func:`~custkit.definitions.link_sessions`);
nothing after the day ``as_of`` counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_datetime, require_frame, require_ids, require_numeric
from custkit.definitions import PURCHASE_TYPES, _mode, as_of_cutoff, link_sessions, purchases_until
from custkit.errors import CustkitError
from custkit.schema import TABLES

BARGAIN_WORDS: tuple[str, ...] = (
    "cheap", "cheapest", "sale", "discount", "discounts", "deal", "deals", "coupon", "offer", "clearance",
    "ارزان", "تخفیف", "حراج", "ارزانترین",
)
"""Words that make a search a bargain hunt (English and Persian); pass your own list if needed."""

SHOPPING_WORDS: tuple[str, ...] = (
    "best", "buy", "price", "prices", "review", "reviews", "specs", "alternative", "to", "vs", "and",
    "or", "for", "the", "a", "new", "online", "near", "me", "compare", "better", "than",
    "بهترین", "قیمت", "خرید", "خوب", "نقد", "بررسی", "مشخصات", "جایگزین", "مقایسه", "بهتر", "از", "و", "با",
)
"""Common search words that are not brands; with the catalogue's own words they are the
vocabulary against which unknown (competitor) brand names stand out."""

REQUIRED: dict[str, tuple[str, ...]] = {
    "customers": ("customer_id", "signup_date", "acquisition_channel", "referred_by"),
    "sessions": ("session_id", "visitor_id", "customer_id", "start", "channel", "pages", "furthest_stage"),
    "events": ("session_id", "timestamp", "event_type", "product_id", "query"),
    "orders": ("order_id", "customer_id", "order_date", "transaction_type", "status", "campaign_id",
               "gross", "discount", "net"),
    "order_items": ("order_id",),
    "tickets": ("customer_id", "created", "stage", "resolved"),
    "surveys": ("customer_id", "sent_date", "responded", "csat", "nps"),
    "campaigns": ("campaign_id", "start_date", "end_date", "is_promotion_day"),
    "products": ("product_id", "name", "category", "brand"),
}
"""Columns each table must have (schema names of :mod:`custkit.schema`; rename with ``columns=``)."""

FEATURES: dict[str, str] = {
    "customer_id": "Account id.",
    "acquisition_channel": "Channel of the first visit (customers table).",
    "referred": "Referred by another customer (referred_by is set).",
    "tenure_days": "Days from sign-up to as_of.",
    "sessions": "Visits linked to the account (before sign-up too) up to as_of.",
    "pages_per_session": "Mean pages viewed per visit.",
    "product_views_per_session": "Mean product_view events per visit.",
    "seconds_per_event": "Mean seconds between two events of a visit.",
    "pace": "Mean time before an event relative to the shop's mean for that event type (1 = typical; "
            "above 1 deliberate, below 1 hasty).",
    "searches": "Search events.",
    "searches_per_session": "Mean searches per visit.",
    "competitor_search_share": "Share of searches that name a brand the shop does not sell (NaN without searches).",
    "bargain_search_share": "Share of searches asking for bargains (BARGAIN_WORDS; NaN without searches).",
    "category_focus": "Share of product views in the customer's most viewed category (needs products).",
    "first_page_view_share": "Share of visits whose first event is a page view (browsing categories).",
    "first_search_share": "Share of visits whose first event is a search.",
    "first_product_view_share": "Share of visits whose first event is a product page.",
    "search_channel_share": "Share of visits arriving from search engines.",
    "social_ads_share": "Share of visits arriving from social media or ads.",
    "direct_share": "Share of visits typed in directly (or bookmarked).",
    "main_channel": "Most frequent channel of the visits (ties: alphabetical).",
    "carts_abandoned": "Visits that reached add_to_cart or checkout but no purchase.",
    "cart_abandon_rate": "carts_abandoned / visits that reached add_to_cart (NaN if none).",
    "purchases": "Purchases (B2C/B2B/C2C, delivered or returned) up to as_of.",
    "spend": "Sum of net of those purchases (currency).",
    "offer_order_share": "Share of purchases that used a campaign offer (campaign_id set).",
    "promotion_order_share": "Share of purchases placed on a promotion day (needs campaigns).",
    "discount_share": "Total discount / total gross of the purchases.",
    "days_to_first_purchase": "Days from the first product view to the first purchase (NaN without one).",
    "sessions_before_first_purchase": "Visits before the first visit that ended in an order "
                                      "(furthest_stage purchase; NaN without one).",
    "first_session_purchase": "The first visit ended in an order (False for non-buyers).",
    "items_per_order": "Mean order lines per purchase (needs order_items).",
    "cancel_rate": "Cancelled orders / orders of purchase types placed (NaN without orders).",
    "return_rate": "Returned purchases / purchases (NaN without purchases).",
    "recency_days": "Days from the last purchase to as_of (NaN without purchases).",
    "days_since_last_visit": "Days from the last visit to as_of (NaN without visits).",
    "advice_tickets": "Tickets before purchase (asking for advice; needs tickets).",
    "support_tickets": "Tickets after purchase (needs tickets).",
    "unresolved_tickets": "Tickets not resolved (needs tickets).",
    "surveys_answered": "Survey invitations answered (needs surveys).",
    "csat_mean": "Mean CSAT 1-5 of the answers (NaN without answers).",
    "csat_last": "CSAT of the latest answer.",
    "nps_mean": "Mean likelihood to recommend 0-10.",
}
"""The feature columns of :func:`customer_features`, in order, with their meaning."""


def _standard(df: object, table: str, columns: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Check ``df`` and return it with schema column names (a renamed view; the input is untouched)."""
    df = require_frame(df, table)
    mapping = columns.get(table, {})
    if not isinstance(mapping, Mapping):
        raise CustkitError(f"columns[{table!r}] must map schema names to your names, e.g. "
                           f"{{'customer_id': 'client'}}; got {type(mapping).__name__}.")
    out = df.rename(columns={yours: ours for ours, yours in mapping.items()}) if mapping else df
    require_columns(out, REQUIRED[table], table)
    # The measures these features average or compare must be numbers (ids may be any label).
    for column in TABLES[table]:
        if column.kind in ("float", "int", "Int") and not column.name.endswith("_id") and column.name in out.columns:
            require_numeric(out, column.name, table)
    return out


def _tokens(text: pd.Series) -> pd.Series:
    """Lower-case words of each text (split on spaces)."""
    return text.astype("str").str.lower().str.split()


def _named_term_flags(queries: pd.Series, terms: set[str]) -> np.ndarray:
    """Whether each query contains one of ``terms`` (lower-case words). Works on distinct queries."""
    distinct = pd.Series(queries.unique(), dtype="str")
    words = _tokens(distinct).explode()
    hit = words.isin(terms).groupby(level=0).any()
    lookup = pd.Series(hit.to_numpy(), index=distinct.to_numpy())
    return lookup.reindex(queries.to_numpy()).to_numpy(dtype=bool)


def competitor_terms(
    queries: pd.Series, products: pd.DataFrame | None = None, competitor_brands: Iterable[str] | None = None
) -> set[str]:
    """Lower-case words that mark a search as naming another brand.

    With ``competitor_brands`` those names (each word of them). Otherwise inferred: words of the
    search texts that appear nowhere in the catalogue (product names, brands, categories) and are
    not common search words (:data:`SHOPPING_WORDS`, :data:`BARGAIN_WORDS`) or numbers. A brand the
    shop does not sell is exactly such a word; so is a typo, which is why a known list is better.
    """
    if competitor_brands is not None:
        if isinstance(competitor_brands, str):
            raise CustkitError("competitor_brands must be a list of names, e.g. ['Zentrova', 'Orvexa'], "
                               "not one string.")
        return {w for name in competitor_brands for w in str(name).lower().split()}
    if products is None:
        return set()
    catalogue = pd.concat([products["name"], products["brand"],
                           products["category"].astype("str").str.replace("_", " ")], ignore_index=True)
    vocab = set(_tokens(catalogue).explode().dropna())
    vocab |= set(SHOPPING_WORDS) | set(BARGAIN_WORDS)
    words = pd.Series(_tokens(pd.Series(queries.dropna().unique(), dtype="str")).explode().dropna().unique(),
                      dtype="str")
    unknown = words[~words.isin(vocab) & ~words.str.contains(r"\d", regex=True)]
    return set(unknown)


def _session_features(sessions, events, products, as_of, terms, bargain, customer_ids) -> pd.DataFrame:
    linked = link_sessions(sessions, as_of)
    linked = linked.loc[linked["person_id"].isin(customer_ids)].astype({"person_id": "int64"})
    linked = linked.sort_values(["person_id", "start", "session_id"], kind="stable")
    ev = events.loc[events["session_id"].isin(linked["session_id"])]
    when = require_datetime(ev, "timestamp", "events")
    ev = ev.assign(timestamp=when).sort_values(["session_id", "timestamp"], kind="stable")
    ev = ev.assign(person_id=ev["session_id"].map(linked.set_index("session_id")["person_id"]))
    etype = ev["event_type"]
    # Time before each event (not the first of its visit), relative to the shop's mean for that
    # event type, so that the mix of event types does not masquerade as speed.
    gap = ev["timestamp"].diff().dt.total_seconds().where(ev["session_id"].eq(ev["session_id"].shift()))
    relative = gap / gap.groupby(etype).transform("mean")
    ev = ev.assign(_relative=relative)
    g_ev = ev.groupby("session_id")
    per_visit = pd.DataFrame({
        "n_events": g_ev.size(),
        "duration": (g_ev["timestamp"].max() - g_ev["timestamp"].min()).dt.total_seconds(),
        "first_event": g_ev["event_type"].first(),
        "product_views": ev.loc[etype == "product_view"].groupby("session_id").size(),
        "searches": ev.loc[etype == "search"].groupby("session_id").size(),
    })
    v = linked.join(per_visit, on="session_id")
    v["n_events"] = v["n_events"].fillna(0)
    for col in ("product_views", "searches"):
        v[col] = v[col].fillna(0)
    stage = v["furthest_stage"]
    carted = stage.isin(["add_to_cart", "checkout", "purchase"])
    v = v.assign(
        _gap=(v["duration"] / (v["n_events"] - 1)).where(v["n_events"] > 1),
        _first_page=(v["first_event"] == "page_view"), _first_search=(v["first_event"] == "search"),
        _first_product=(v["first_event"] == "product_view"),
        _search_ch=(v["channel"] == "search"), _social_ads=v["channel"].isin(["social", "ads"]),
        _direct=(v["channel"] == "direct"), _carted=carted,
        _abandoned=carted & (stage != "purchase"), _purchase=(stage == "purchase"),
    )
    g = v.groupby("person_id")
    out = pd.DataFrame({
        "sessions": g.size(),
        "pages_per_session": g["pages"].mean(),
        "product_views_per_session": g["product_views"].mean(),
        "seconds_per_event": g["_gap"].mean(),
        "pace": ev.groupby("person_id")["_relative"].mean(),
        "searches": g["searches"].sum(),
        "searches_per_session": g["searches"].mean(),
        "first_page_view_share": g["_first_page"].mean(),
        "first_search_share": g["_first_search"].mean(),
        "first_product_view_share": g["_first_product"].mean(),
        "search_channel_share": g["_search_ch"].mean(),
        "social_ads_share": g["_social_ads"].mean(),
        "direct_share": g["_direct"].mean(),
        "main_channel": _mode(v, "person_id", "channel"),
        "carts_abandoned": g["_abandoned"].sum(),
        "_carted": g["_carted"].sum(),
        "first_session_purchase": g["_purchase"].first(),
        "_last_visit": g["start"].max(),
    })
    # sessions before the first purchase visit: position of the first purchase within the person's visits
    rank = v.groupby("person_id").cumcount()
    first_buy = rank[v["_purchase"].to_numpy()].groupby(v.loc[v["_purchase"], "person_id"]).min()
    out["sessions_before_first_purchase"] = first_buy
    out["cart_abandon_rate"] = (out["carts_abandoned"] / out["_carted"]).where(out["_carted"] > 0)

    searches = ev.loc[etype == "search"]
    if len(searches):
        q = searches["query"].astype("str").fillna("")
        flags = pd.DataFrame({
            "person_id": searches["person_id"].to_numpy(),
            "_rival": _named_term_flags(q, terms) if terms else np.zeros(len(q), bool),
            "_bargain": _named_term_flags(q, bargain),
        }).groupby("person_id")
        out["competitor_search_share"] = flags["_rival"].mean() if terms else np.nan
        out["bargain_search_share"] = flags["_bargain"].mean()
    else:
        out["competitor_search_share"] = np.nan
        out["bargain_search_share"] = np.nan
    if products is not None:
        views = ev.loc[etype == "product_view", ["person_id", "product_id"]]
        cat = views["product_id"].map(products.drop_duplicates("product_id").set_index("product_id")["category"])
        counts = views.assign(_cat=cat).dropna(subset=["_cat"]).groupby(["person_id", "_cat"]).size()
        by_person = counts.groupby(level=0)
        out["category_focus"] = by_person.max() / by_person.sum()
    else:
        out["category_focus"] = np.nan
    first_view = ev.loc[etype == "product_view"].groupby("person_id")["timestamp"].min()
    out["_first_view"] = first_view
    return out


def _order_features(orders, order_items, campaigns, as_of) -> pd.DataFrame:
    bought = purchases_until(orders, as_of)
    cutoff = as_of_cutoff(as_of)
    when_all = require_datetime(orders, "order_date", "orders")
    placed = orders.loc[((when_all < cutoff) & orders["transaction_type"].isin(PURCHASE_TYPES)).to_numpy()]
    g_placed = placed.groupby("customer_id")
    day = bought["order_date"].dt.normalize()
    promo = pd.Series(False, index=bought.index)
    if campaigns is not None:
        c = campaigns.loc[campaigns["is_promotion_day"].astype(bool)]
        start = require_datetime(c, "start_date", "campaigns").dt.normalize()
        end = require_datetime(c, "end_date", "campaigns").dt.normalize()
        days = [pd.date_range(s, e, freq="D") for s, e in zip(start, end, strict=True) if s <= e]
        if days:
            promo_days = days[0].append(days[1:]) if len(days) > 1 else days[0]
            promo = day.isin(promo_days.astype(day.dtype))
    b = bought.assign(_offer=bought["campaign_id"].notna().to_numpy(), _promo=promo.to_numpy(dtype=bool),
                      _returned=(bought["status"] == "returned").to_numpy())
    g = b.groupby("customer_id")
    out = pd.DataFrame({
        "purchases": g.size(),
        "spend": g["net"].sum().astype(float),
        "offer_order_share": g["_offer"].mean(),
        "promotion_order_share": g["_promo"].mean() if campaigns is not None else np.nan,
        "discount_share": g["discount"].sum() / g["gross"].sum().where(g["gross"].sum() > 0),
        "return_rate": g["_returned"].mean(),
        "_first_purchase": g["order_date"].min(),
        "_last_purchase": g["order_date"].max(),
    })
    out = out.join(pd.DataFrame({
        "cancel_rate": (placed["status"] == "cancelled").groupby(placed["customer_id"]).mean(),
        "_placed": g_placed.size(),
    }), how="outer")
    if order_items is not None:
        lines = order_items.loc[order_items["order_id"].isin(b["order_id"])].groupby("order_id").size()
        out["items_per_order"] = b["order_id"].map(lines).fillna(0).groupby(b["customer_id"]).mean()
    else:
        out["items_per_order"] = np.nan
    return out


def _service_features(tickets, surveys, as_of) -> pd.DataFrame:
    cutoff = as_of_cutoff(as_of)
    parts = []
    if tickets is not None:
        t = tickets.loc[(require_datetime(tickets, "created", "tickets") < cutoff).to_numpy()]
        g = t.groupby("customer_id")
        parts.append(pd.DataFrame({
            "advice_tickets": (t["stage"] == "before_purchase").groupby(t["customer_id"]).sum(),
            "support_tickets": (t["stage"] == "after_purchase").groupby(t["customer_id"]).sum(),
            "unresolved_tickets": (~t["resolved"].astype(bool)).groupby(t["customer_id"]).sum(),
            "_tickets": g.size(),
        }))
    if surveys is not None:
        sent = require_datetime(surveys, "sent_date", "surveys")
        s = surveys.loc[((sent < cutoff) & surveys["responded"].astype(bool)).to_numpy()]
        s = s.assign(sent_date=sent.loc[s.index]).sort_values(["customer_id", "sent_date"], kind="stable")
        g = s.groupby("customer_id")
        parts.append(pd.DataFrame({
            "surveys_answered": g.size(),
            "csat_mean": g["csat"].mean().astype(float),
            "csat_last": g["csat"].last().astype(float),
            "nps_mean": g["nps"].mean().astype(float),
        }))
    return pd.concat(parts, axis=1) if parts else pd.DataFrame()


def customer_features(
    customers: pd.DataFrame,
    sessions: pd.DataFrame,
    events: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of: object,
    order_items: pd.DataFrame | None = None,
    tickets: pd.DataFrame | None = None,
    surveys: pd.DataFrame | None = None,
    campaigns: pd.DataFrame | None = None,
    products: pd.DataFrame | None = None,
    marketing_spend: pd.DataFrame | None = None,
    competitor_brands: Iterable[str] | None = None,
    bargain_words: Iterable[str] = BARGAIN_WORDS,
    columns: Mapping[str, Mapping[str, str]] | None = None,
) -> pd.DataFrame:
    """One row of observed behaviour per customer, up to and including the day ``as_of``.

    The features (:data:`FEATURES`) are the traces the types of [000] and [001] leave in a shop's
    data: channels and the first action of a visit (knowledge types, B1), searches naming other
    brands (brand switchers), bargain searches and orders on offers (discount seekers), visits and
    days before buying, advice tickets and slow browsing (researchers), abandoned carts and
    cancellations (the hesitant), first-visit purchases and many items (impulsive buyers),
    recency, CSAT and tickets (active, at-risk, dissatisfied and lost customers), and referrals.

    Parameters
    ----------
    customers, sessions, events, orders
        The shop's tables (columns of :mod:`custkit.schema`; see :data:`REQUIRED`).
    as_of
        Last day that counts; only customers who signed up by then get a row.
    order_items, tickets, surveys, campaigns, products
        Optional tables; the features that need them are NaN (0 for ticket counts) without them.
    marketing_spend
        Accepted and ignored, so that ``customer_features(**shop.tables, as_of=...)`` works.
    competitor_brands
        Names of brands the shop does not sell. ``None`` infers them from the search texts and the
        catalogue (:func:`competitor_terms`; needs ``products``, else the share is NaN).
    bargain_words
        Words that make a search a bargain hunt (:data:`BARGAIN_WORDS`).
    columns
        Your column names per table, as ``{table: {schema name: your name}}``, e.g.
        ``{"orders": {"order_date": "date"}}``.

    Returns
    -------
    DataFrame
        The columns of :data:`FEATURES`, one row per customer signed up by ``as_of``, in the
        order of ``customers``. Counts are 0 and rates NaN where a customer has nothing to count.

    Notes
    -----
    Assumptions: every visit with a ``customer_id`` belongs to that account, and earlier visits of
    the same ``visitor_id`` too; a search names another brand when it contains a word of
    :func:`competitor_terms`; a purchase is as in :func:`custkit.definitions.purchases_until`.
    """
    if columns is None:
        columns = {}
    if not isinstance(columns, Mapping):
        raise CustkitError(f"columns must be a dict like {{'orders': {{'order_date': 'date'}}}}, "
                           f"got {type(columns).__name__}.")
    unknown = sorted(set(columns) - set(REQUIRED))
    if unknown:
        raise CustkitError(f"columns names unknown table(s) {unknown}; use {sorted(REQUIRED)}.")
    customers = _standard(customers, "customers", columns)
    sessions = _standard(sessions, "sessions", columns)
    events = _standard(events, "events", columns)
    orders = _standard(orders, "orders", columns)
    optional = {}
    for name, df in (("order_items", order_items), ("tickets", tickets), ("surveys", surveys),
                     ("campaigns", campaigns), ("products", products)):
        optional[name] = None if df is None else _standard(df, name, columns)
    if isinstance(bargain_words, str):
        raise CustkitError("bargain_words must be a list of words, e.g. ['cheap', 'sale'], not one string.")
    bargain = {str(w).lower() for w in bargain_words}
    cutoff = as_of_cutoff(as_of)
    signup = require_datetime(customers, "signup_date", "customers")
    require_ids(customers, "customer_id", "customers", unique=True)
    people = customers.loc[(signup < cutoff).to_numpy()]
    if people.empty:
        raise CustkitError(f"no customer signed up by as_of={as_of!r}; choose a later as_of.")
    terms = competitor_terms(events["query"], optional["products"], competitor_brands)

    ids = people["customer_id"].astype("int64")
    out = pd.DataFrame({
        "customer_id": ids.to_numpy(),
        "acquisition_channel": people["acquisition_channel"].to_numpy(),
        "referred": people["referred_by"].notna().to_numpy(dtype=bool),
        "tenure_days": ((cutoff - pd.Timedelta(days=1)) - signup.loc[people.index].dt.normalize()).dt.days.to_numpy(),
    })
    sess = _session_features(sessions, events, optional["products"], as_of, terms, bargain, set(ids))
    ords = _order_features(orders, optional["order_items"], optional["campaigns"], as_of)
    serv = _service_features(optional["tickets"], optional["surveys"], as_of)
    out = out.join(sess, on="customer_id").join(ords, on="customer_id")
    if len(serv.columns):
        out = out.join(serv, on="customer_id")
    last_day = cutoff - pd.Timedelta(days=1)
    out["days_to_first_purchase"] = (out["_first_purchase"] - out["_first_view"]).dt.total_seconds() / 86400
    out["days_to_first_purchase"] = out["days_to_first_purchase"].clip(lower=0)
    out["recency_days"] = (last_day - out["_last_purchase"].dt.normalize()).dt.days.astype(float)
    out["days_since_last_visit"] = (last_day - out["_last_visit"].dt.normalize()).dt.days.astype(float)
    counts = ["sessions", "searches", "carts_abandoned", "purchases", "advice_tickets", "support_tickets",
              "unresolved_tickets", "surveys_answered"]
    for col in counts:
        out[col] = out[col].fillna(0).astype("int64") if col in out else np.int64(0)
    out["spend"] = out["spend"].fillna(0.0)
    out["first_session_purchase"] = out["first_session_purchase"].fillna(False).astype(bool)
    for col in FEATURES:
        if col not in out:
            out[col] = np.nan
    floats = [c for c in FEATURES if c not in counts + ["customer_id", "acquisition_channel", "referred",
                                                          "tenure_days", "main_channel", "first_session_purchase"]]
    out[floats] = out[floats].astype(float)
    out["acquisition_channel"] = out["acquisition_channel"].astype("str")
    out["main_channel"] = out["main_channel"].astype("str")
    return out[list(FEATURES)].reset_index(drop=True)
