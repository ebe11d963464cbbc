"""Seeds, customer blocks, and the assembly of blocks into one :class:`~custkit.shop.Shop`.

Reproducibility and scale rest on one rule: every random draw comes from a child of
``np.random.SeedSequence(cfg.seed)`` with a fixed spawn key. Global parts (catalog, campaigns,
sign-up schedule, visitor ids, marketing spend) use keys 0-7; block ``k`` uses key ``8 + k``.
A block holds every ``n_blocks``-th customer in sign-up order (customer ids are given in sign-up
order, so each block spans the whole window) and every ``n_blocks``-th anonymous visitor, and
depends on nothing but its own key and the global parts: generating block ``k`` alone gives the
block-``k`` rows of a full run. Ids of orders, visits, events, tickets and surveys are local to a
block and renumbered in time order when blocks are assembled (ties broken by block, then local id).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from custkit._checks import require_columns
from custkit.config import ACCOUNT_TYPES, CHANNELS, PERSONAS, ShopConfig
from custkit.errors import CustkitError, SchemaError
from custkit.schema import ALL_TABLES, PANDAS_DTYPE
from custkit.shop import Shop
from custkit.simulate import lifecycle, population
from custkit.simulate.calendar import Calendar, build_calendar, build_campaigns, signup_schedule
from custkit.simulate.catalog import build_catalog
from custkit.simulate.events import Catalog, sort_order
from custkit.simulate.feedback import survey_answers
from custkit.simulate.fulfilment import DELIVERED, STATUSES
from custkit.simulate.locales import (company_pool, get_locale, make_emails, make_phones, people_pool,
                                      sample_names, to_jalali)
from custkit.simulate.purchasing import RECIPIENTS, TRANSACTION_TYPES, ProductPools, simulate_orders
from custkit.simulate.service import AFTER_TOPICS, BEFORE_TOPICS
from custkit.simulate.spend import paid_visit_counts, spend_from_visits
from custkit.simulate.labels import labels
from custkit.simulate.traffic import simulate_traffic
from custkit.vocabulary import LOYALTY_TIERS

KEY_CATALOG, KEY_CAMPAIGNS, KEY_SCHEDULE, KEY_SPEND = 0, 1, 2, 3
N_GLOBAL_KEYS = 8
ID_TABLES = {  # table -> (id column, time column used to renumber; events go by visit)
    "orders": ("order_id", "order_date"),
    "sessions": ("session_id", "start"),
    "events": ("event_id", "timestamp"),
    "tickets": ("ticket_id", "created"),
    "surveys": ("survey_id", "sent_date"),
}
FOREIGN_KEYS = {  # table -> [(column, table whose ids it holds)]
    "orders": [("session_id", "sessions")],
    "order_items": [("order_id", "orders")],
    "sessions": [("order_id", "orders")],
    "events": [("session_id", "sessions")],
    "tickets": [("order_id", "orders")],
    "surveys": [("order_id", "orders")],
}
JALALI_COLUMNS = {"customers": ["signup_date"], "orders": ["order_date"]}  # fa_IR shops: *_jalali beside them
# Faker builds the name pools (slowly, ~3,000 names a second); one fixed pool per locale is cached
# for every shop, and each shop samples it with its own seed.
NAME_POOL_SEED, NAME_POOL_SIZE = 0, 1200


def child_rng(cfg: ShopConfig, key: int) -> np.random.Generator:
    """Generator of spawn key ``key`` under ``SeedSequence(cfg.seed)`` (equal to ``spawn()``'s child)."""
    return np.random.default_rng(np.random.SeedSequence(cfg.seed, spawn_key=(key,)))


@dataclass(frozen=True, eq=False)
class SharedParts:
    """What every block needs: locale, catalog, campaigns, calendar, sign-up days, visitor ids."""

    locale: object
    products: pd.DataFrame  # with hidden gift_like and popularity
    campaigns: pd.DataFrame  # window and horizon
    calendar: Calendar
    signup_day: np.ndarray  # per customer rank (customer_id - 1)
    visitor_id: np.ndarray  # customers first, then anonymous visitors
    pools: ProductPools
    minor: int
    catalog: Catalog  # the products as the traffic stage samples them (built once, not per block)


def catalog_parts(cfg: ShopConfig) -> tuple[object, pd.DataFrame, pd.DataFrame]:
    """The locale, products and campaigns of a shop: what its global tables need (no per-person
    arrays, whose visitor permutation alone takes seconds at tens of millions of visitors)."""
    locale = get_locale(cfg.locale, cfg.toman_per_usd)
    products = build_catalog(locale, child_rng(cfg, KEY_CATALOG), cfg.n_products)
    return locale, products, build_campaigns(cfg, locale, child_rng(cfg, KEY_CAMPAIGNS))


def shared_parts(cfg: ShopConfig) -> SharedParts:
    """Build the global parts of a shop from their own seed children."""
    locale, products, campaigns = catalog_parts(cfg)
    rng = child_rng(cfg, KEY_SCHEDULE)
    signup = signup_schedule(cfg, rng)
    visitor = rng.permutation(cfg.n_customers + cfg.anonymous_visitors).astype(np.int64) + 1
    minor = 100 if locale.currency == "USD" else 1
    return SharedParts(locale=locale, products=products, campaigns=campaigns,
                       calendar=build_calendar(cfg, campaigns), signup_day=signup, visitor_id=visitor,
                       pools=ProductPools.from_products(products, minor), minor=minor,
                       catalog=Catalog.from_products(products))


def block_members(cfg: ShopConfig, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Customer ranks (customer_id - 1) and anonymous-visitor ranks of block ``k``."""
    nb = cfg.n_blocks
    if isinstance(k, bool) or not (isinstance(k, (int, np.integer)) and 0 <= k < nb):
        raise CustkitError(f"block k must be an integer in [0, {nb - 1}], got {k!r}.")
    return np.arange(k, cfg.n_customers, nb), np.arange(k, cfg.anonymous_visitors, nb)


def _dates(first: np.datetime64, day: np.ndarray) -> np.ndarray:
    return (first + day.astype("timedelta64[D]")).astype("datetime64[s]")


def generate_block(cfg: ShopConfig, k: int, shared: SharedParts | None = None) -> dict[str, pd.DataFrame]:
    """All tables of block ``k`` (``0 <= k < cfg.n_blocks``), and its ``truth``.

    Order, visit, event, ticket and survey ids are local to the block (1.., in time order);
    customer, product, campaign and visitor ids are global. ``orders`` keeps the hidden helper
    column ``day`` and every order of the horizon is left out. Assemble blocks with
    :func:`assemble`; ``shared`` (built when None) must come from :func:`shared_parts` of the same
    config.
    """
    if isinstance(k, bool) or not (isinstance(k, (int, np.integer)) and 0 <= k < cfg.n_blocks):
        raise CustkitError(f"block k must be an integer in [0, {cfg.n_blocks - 1}], got {k!r}.")
    shared = shared or shared_parts(cfg)
    rng = child_rng(cfg, N_GLOBAL_KEYS + int(k))
    loc, cal = shared.locale, shared.calendar
    first = np.datetime64(cfg.opening.date(), "D")
    ranks, anon = block_members(cfg, k)
    m, a = len(ranks), len(anon)
    customer_id = ranks.astype(np.int64) + 1
    signup_day = shared.signup_day[ranks]
    tr = population.draw_traits(cfg, rng, m + a, cfg.end, loc.usd_rate, len(loc.occupations))
    c = {key: v[:m] for key, v in tr.items()}
    c["signup_day"] = signup_day

    run = simulate_orders(cfg, rng, cal, c, shared.pools, shared.minor, loc.usd_rate)
    end, final = run["end"], run["final"]
    referrer = lifecycle.assign_referrals(rng, signup_day, final["advocate_day"], cfg.referral_strength)
    # string columns are written from codes through Arrow (no object arrays of Python strings)
    channel = tr["channel"].copy()
    channel[:m] = np.where(referrer >= 0, CHANNELS.index("referral"), channel[:m])

    exported = _exported(cal, run["orders"], signup_day)
    customers = _customers(cfg, rng, shared, c, customer_id, channel[:m], referrer, end)
    orders_all, items_all, tickets, surveys_src = _order_tables(cfg, rng, shared, run, customer_id, c)
    # recorded: the window only (orders of the years before it shaped the base the shop opens with)
    observed = (orders_all["day"].to_numpy() >= cal.start_day) & (orders_all["day"].to_numpy() <= cal.end_day)
    orders_obs = orders_all[observed]
    kept = orders_obs["order_id"].to_numpy(np.int64)  # local ids, ascending
    items_obs = _local_order_ids(items_all[items_all["order_id"].isin(kept)], kept)
    orders_obs = _local_order_ids(orders_obs, kept)

    people = pd.DataFrame({
        "visitor_id": shared.visitor_id[np.r_[ranks, cfg.n_customers + anon]],
        "customer_id": pd.array(np.r_[customer_id, np.full(a, -1)], dtype="Int64"),
        "signup_date": np.r_[_dates(first, signup_day), np.full(a, np.datetime64("NaT"), "datetime64[s]")],
        "persona": labels(tr["persona"], PERSONAS),
        "knowledge_type": tr["knowledge_type"],
        "ability": tr["ability"], "aptitude": tr["aptitude"],
        "acquisition_channel": labels(channel, CHANNELS),
        "device_preference": labels(tr["device"], population.DEVICES),
        "account_type": labels(tr["account_type"], ACCOUNT_TYPES),
    })
    people.loc[people.index[m:], "customer_id"] = pd.NA
    people = people[np.r_[exported, np.ones(a, bool)]].reset_index(drop=True)  # lapsed accounts do not visit
    if len(people):
        sessions, events, order_session = simulate_traffic(
            cfg, rng, people, orders_obs[["order_id", "customer_id", "order_date", "campaign_id", "transaction_type"]],
            items_obs[["order_id", "line", "product_id"]], shared.products, shared.campaigns, loc,
            {"session_id": 1, "event_id": 1}, catalog=shared.catalog)
    else:  # no account in the export and no anonymous visitor (a tiny shop): a block without visits
        sessions, events = _empty("sessions"), _empty("events")
        order_session = pd.Series(dtype="Int64")
    orders_obs = orders_obs.assign(session_id=pd.array(
        order_session.reindex(orders_obs["order_id"].to_numpy()).to_numpy(), dtype="Int64"))

    truth = _truth(cfg, run, c, customer_id, orders_all, signup_day)[exported].reset_index(drop=True)
    surveys = _surveys(cfg, rng, surveys_src, customers, c, end, cal, loc.usd_rate, shared.minor, signup_day)
    # a ticket or survey of the window about an order placed before it is left out with that order
    tickets = _local_order_ids(tickets[tickets["order_id"].isna().to_numpy()
                                       | tickets["order_id"].isin(kept).to_numpy()], kept, "ticket_id")
    surveys = _local_order_ids(surveys[surveys["order_id"].isin(kept).to_numpy()], kept, "survey_id")
    local = {"orders": orders_obs, "order_items": items_obs, "sessions": sessions, "events": events,
             "tickets": tickets, "surveys": surveys}
    customers = customers[exported].reset_index(drop=True)
    customers["referred_by"] = customers["referred_by"].where(customers["referred_by"].isin(customer_id[exported]))
    return {"customers": customers, **renumber([local]), "truth": truth}


def _exported(cal, orders: dict, signup_day: np.ndarray) -> np.ndarray:
    """Which customers of the block are in the export: every account opened in the window, and
    the older accounts that placed or sold an order in it (the export is of the customers the
    window saw). An older account that bought nothing in the window is left out: its earlier
    orders are not recorded, so it would be an empty row that looks like a lead who never
    bought, and neither the shop nor a student could type it."""
    keep = signup_day >= cal.start_day
    if orders:
        recent = (orders["day"] >= cal.start_day) & (orders["day"] <= cal.end_day)
        keep[orders["cust"][recent]] = True
        seller = orders["seller"][recent]
        keep[seller[seller >= 0]] = True
    return keep


def _local_order_ids(df: pd.DataFrame, kept: np.ndarray, own_id: str | None = None) -> pd.DataFrame:
    """``df`` with its local ``order_id`` moved to 1..n over the recorded orders ``kept``
    (ascending local ids), missing ones kept missing; ``own_id`` (a table's own id column) is
    numbered 1..n again after a filter."""
    ids = df["order_id"]
    new = np.searchsorted(kept, ids.to_numpy(np.int64, na_value=0)) + 1
    if ids.dtype == "Int64":
        new = pd.array(new, dtype="Int64")
        new[ids.isna().to_numpy()] = pd.NA
    df = df.assign(order_id=new)
    if own_id is not None:
        df[own_id] = np.arange(1, len(df) + 1, dtype=np.int64)
    return df


def _customers(cfg, rng, shared, c, customer_id, channel, referrer, end) -> pd.DataFrame:
    loc = shared.locale
    m = len(customer_id)
    first = np.datetime64(cfg.opening.date(), "D")
    gender = np.where(c["gender"], "female", "male").astype(object)
    names, latin = sample_names(rng, people_pool(cfg.locale, NAME_POOL_SEED, NAME_POOL_SIZE), gender)
    cities = loc.cities
    city_row = population.draw_index(rng, m, cities["weight"].to_numpy())
    business = c["account_type"] == 1
    companies = company_pool(cfg.locale, NAME_POOL_SEED, 200)
    company = np.where(business, companies[rng.integers(0, len(companies), size=m)], None)
    birth = population.birth_dates(rng, c["age"], cfg.end).astype("datetime64[s]")
    return pd.DataFrame({
        "customer_id": customer_id,
        "name": names,
        "email": make_emails(rng, latin, customer_id),
        "phone": make_phones(rng, cfg.locale, m),
        "gender": gender,
        "birth_date": birth,
        "age_band": population.age_band(_age_at(birth, cfg.end)),
        "city": cities["city"].to_numpy(object)[city_row],
        "province": cities["province"].to_numpy(object)[city_row],
        "occupation": labels(c["occupation"], loc.occupations),
        "socio_economic_class": labels(c["ses"], population.CLASSES),
        "account_type": labels(c["account_type"], ACCOUNT_TYPES),
        "company": company,
        "signup_date": _dates(first, c["signup_day"]),
        "acquisition_channel": labels(channel, CHANNELS),
        "referred_by": pd.array(np.where(referrer >= 0, customer_id[np.maximum(referrer, 0)], -1), dtype="Int64"),
        "loyalty_tier": labels(end["tier"], LOYALTY_TIERS),
        "marketing_opt_in": c["opt_in"],
    }).assign(referred_by=lambda d: d["referred_by"].mask(d["referred_by"] < 0))


def _age_at(birth: np.ndarray, when: pd.Timestamp) -> np.ndarray:
    b = pd.DatetimeIndex(birth)
    before_birthday = (b.month > when.month) | ((b.month == when.month) & (b.day > when.day))
    return (when.year - b.year - before_birthday).to_numpy()


def _order_tables(cfg, rng, shared, run, customer_id, c):
    """orders (all, incl. the horizon; local ids in time order), order_items, observed tickets,
    and the orders that may be surveyed."""
    o, it = run["orders"], run["items"]
    first = np.datetime64(cfg.opening.date(), "D")
    minor = shared.minor
    if not o:
        empty = {name: _empty(name) for name in ("orders", "order_items", "tickets")}
        return empty["orders"].assign(day=np.zeros(0, np.int64)), empty["order_items"], empty["tickets"], {}
    when = _dates(first, o["day"]) + o["seconds"].astype("timedelta64[s]")
    order = np.lexsort((o["cust"], when))
    local_id = np.empty(len(order), dtype=np.int64)
    local_id[order] = np.arange(1, len(order) + 1)
    cal = shared.calendar
    delivered = np.where(o["delivered"] >= 0, o["delivered"], 0)
    orders = pd.DataFrame({
        "order_id": local_id,
        "customer_id": customer_id[o["cust"]],
        "order_date": when,
        "transaction_type": labels(o["ttype"], TRANSACTION_TYPES),
        "seller_customer_id": pd.array(np.where(o["seller"] >= 0, customer_id[np.maximum(o["seller"], 0)], -1),
                                       dtype="Int64"),
        "recipient": labels(o["recipient"], RECIPIENTS),
        "status": labels(o["status"], STATUSES),
        "campaign_id": pd.array(o["campaign"], dtype="Int64"),
        "gross": o["gross"] / minor,
        "discount": o["discount"] / minor,
        "net": o["net"] / minor,
        "shop_revenue": o["revenue"] / minor,
        "promised_date": _dates(first, o["promised"]),
        "delivered_date": pd.Series(_dates(first, delivered)).where(o["delivered"] >= 0).to_numpy(),
        "day": o["day"],
    })
    for col in ("seller_customer_id", "campaign_id"):
        orders[col] = orders[col].mask(orders[col] < 0)
    orders = orders.sort_values("order_id").reset_index(drop=True)
    pid = shared.products["product_id"].to_numpy()
    items = pd.DataFrame({
        "order_id": local_id[it["order"]], "line": it["line"], "product_id": pid[it["product_row"]],
        "quantity": it["quantity"], "unit_price": it["unit_price"] / minor, "discount": it["discount"] / minor,
        "line_net": it["line_net"] / minor,
    }).sort_values(["order_id", "line"]).reset_index(drop=True)
    tickets = _tickets(cfg, rng, o, when, local_id, customer_id, c, cal, first)
    src = {key: v for key, v in o.items()}
    src["order_id"] = local_id
    return orders, items, tickets, src


def _tickets(cfg, rng, o, when, local_id, customer_id, c, cal, first) -> pd.DataFrame:
    """Advice tickets (before the order) and support tickets (after it), observed part only."""
    adv = np.flatnonzero(o["adv_has"])
    signup_s = _dates(first, c["signup_day"][o["cust"][adv]])
    adv_created = np.maximum(when[adv] - (o["adv_lead"][adv] * 3600).astype("timedelta64[s]"), signup_s)
    sup = np.flatnonzero(o["sup_has"])
    topic = o["sup_topic"][sup]
    base_day = np.select([topic == 0, topic == 2], [o["promised"][sup] + 1, o["day"][sup]],
                         np.maximum(o["delivered"][sup], o["day"][sup]))
    offset_h = np.select([topic == 0, topic == 2, topic == 1], [rng.uniform(8, 40, len(sup)),
                         rng.uniform(0.5, 12, len(sup)), rng.uniform(24, 240, len(sup))], rng.uniform(24, 480, len(sup)))
    sup_created = np.maximum(_dates(first, base_day) + (offset_h * 3600).astype("timedelta64[s]"), when[sup])
    t = pd.DataFrame({
        "customer_id": customer_id[o["cust"][np.r_[adv, sup]]],
        "order_id": pd.array(np.r_[np.full(len(adv), -1), local_id[sup]], dtype="Int64"),
        "created": np.r_[adv_created, sup_created].astype("datetime64[s]"),
        "stage": np.r_[np.full(len(adv), "before_purchase", dtype=object), np.full(len(sup), "after_purchase", dtype=object)],
        "topic": np.r_[np.array(BEFORE_TOPICS, dtype=object)[o["adv_topic"][adv]],
                       np.array(AFTER_TOPICS, dtype=object)[topic]],
        "first_response_hours": np.r_[o["adv_hours"][adv], o["sup_hours"][sup]],
        "resolved": np.r_[o["adv_resolved"][adv], o["sup_resolved"][sup]],
    })
    t["order_id"] = t["order_id"].mask(t["order_id"] < 0)
    end = np.datetime64(cfg.end_date, "D") + np.timedelta64(1, "D")
    created = t["created"].to_numpy()
    t = t[(created >= np.datetime64(cfg.start_date, "D")) & (created < end)]
    t = t.sort_values(["created", "customer_id", "stage"], kind="stable").reset_index(drop=True)
    t.insert(0, "ticket_id", np.arange(1, len(t) + 1, dtype=np.int64))
    return t


def _surveys(cfg, rng, src, customers, c, end, cal, usd_rate, minor, signup_day) -> pd.DataFrame:
    """Survey invitations after delivered orders, answered or not (observed part only)."""
    if not src:
        return _empty("surveys")
    first = np.datetime64(cfg.opening.date(), "D")
    chosen = np.flatnonzero((src["status"] == DELIVERED) & (rng.random(len(src["status"])) < cfg.survey_rate))
    sent = src["delivered"][chosen] + rng.integers(1, 4, size=len(chosen))
    keep = (sent >= cal.start_day) & (sent <= cal.end_day)
    chosen, sent = chosen[keep], sent[keep]
    cust = src["cust"][chosen]
    tenure_years = np.maximum((cal.end_day - signup_day) / 365.25, 0.25)
    true_share = np.minimum(end["spend_usd"] * usd_rate / tenure_years / c["wallet"], 1.0)[cust]
    ans = survey_answers(cfg, rng, src["sat_after"][chosen], true_share)
    s = pd.DataFrame({
        "customer_id": customers["customer_id"].to_numpy()[cust],
        "order_id": src["order_id"][chosen],
        "sent_date": _dates(first, sent),
        "responded": ans["responded"],
        "csat": pd.array(ans["csat"], dtype="Int64"),
        "nps": pd.array(ans["nps"], dtype="Int64"),
        "share_of_wallet": ans["share_of_wallet"],
    })
    for col in ("csat", "nps"):
        s[col] = s[col].mask(s[col] < 0)
    s = s.sort_values(["sent_date", "order_id"], kind="stable").reset_index(drop=True)
    s.insert(0, "survey_id", np.arange(1, len(s) + 1, dtype=np.int64))
    return s


def _truth(cfg, run, c, customer_id, orders_all, signup_day) -> pd.DataFrame:
    end, final = run["end"], run["final"]
    cal_end = (np.datetime64(cfg.end_date, "D") - np.datetime64(cfg.opening.date(), "D")).astype(np.int64)
    # The future counts purchases only, by the kit's one rule (custkit.retention._common): no
    # cancelled orders and no C2B trade-ins, so that CLV predictions are scored like for like.
    future = orders_all[
        (orders_all["day"].to_numpy() > cal_end)
        & (orders_all["status"] != "cancelled").to_numpy()
        & (orders_all["transaction_type"] != "C2B").to_numpy()
    ]
    pos = np.searchsorted(customer_id, future["customer_id"].to_numpy())
    f_orders = np.bincount(pos, minlength=len(customer_id)).astype(np.int64)
    f_rev = np.round(np.bincount(pos, future["shop_revenue"].to_numpy(), minlength=len(customer_id)), 2)
    first = np.datetime64(cfg.opening.date(), "D")
    churn = final["churn_day"]
    return pd.DataFrame({
        "customer_id": customer_id,
        "persona": labels(c["persona"], PERSONAS),
        "knowledge_type": c["knowledge_type"].astype(np.int64),
        "ability": c["ability"], "aptitude": c["aptitude"],
        "purchase_rate": c["purchase_rate"], "dropout_prob": c["dropout_prob"], "wallet": np.round(c["wallet"], 2),
        "satisfaction": end["satisfaction"],
        "alive_at_end": end["alive"],
        "churn_date": pd.Series(_dates(first, np.maximum(churn, 0))).where(churn >= 0).to_numpy(),
        "lifecycle_state": lifecycle.lifecycle_state(end["n_orders"], end["alive"], end["satisfaction"],
                                                     end["last_day"], int(cal_end)),
        "advocate": (end["advocate_day"] >= 0),
        "future_orders": f_orders,
        "future_revenue": f_rev,
    })


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame({c.name: pd.Series(dtype=PANDAS_DTYPE[c.kind]) for c in ALL_TABLES[table]
                         if not c.optional})


# ---------------------------------------------------------------------------------------- assembly
def _map_ids(values: pd.Series, block: np.ndarray, offsets: np.ndarray, lookup: np.ndarray) -> pd.Series:
    """New ids for old (block-local) ids ``values``; missing stays missing (plain integer columns,
    which cannot hold missing values, stay plain: millions of event rows map without masks)."""
    if isinstance(values.dtype, np.dtype) and values.dtype.kind in "iu":
        return pd.Series(lookup[offsets[block] + values.to_numpy(np.int64) - 1], index=values.index)
    v = values.astype("Int64")
    ok = v.notna().to_numpy()
    out = np.zeros(len(v), dtype=np.int64)
    out[ok] = lookup[offsets[block[ok]] + v.to_numpy(np.int64, na_value=1)[ok] - 1]
    return pd.Series(pd.array(out, dtype="Int64"), index=values.index).mask(~ok)


def renumber(blocks: list[dict[str, pd.DataFrame]]) -> dict[str, pd.DataFrame]:
    """Concatenate the id tables of blocks and give new ids 1..n, rows in id order.

    Orders, visits, tickets and surveys are numbered in time order (ties: block, then old id);
    events by visit (in the visits' new order), then old id (time order within a visit). Foreign
    keys (``orders.session_id``, ``sessions.order_id``, ``events.session_id``,
    ``order_items``/``tickets``/``surveys.order_id``) follow their targets. Each block's old ids
    must be 1..n. Applied to one block it makes its ids chronological, so that assembling blocks
    later keeps each block's order.
    """
    tables: dict[str, pd.DataFrame] = {}
    blocks_of: dict[str, np.ndarray] = {}
    maps: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for name in ("orders", "sessions", "events", "tickets", "surveys", "order_items"):
        parts = [b[name] for b in blocks]
        sizes = np.array([len(p) for p in parts], dtype=np.int64)
        df = pd.concat(parts, ignore_index=True)
        block = np.repeat(np.arange(len(parts)), sizes)
        if name in ID_TABLES:
            id_col, time_col = ID_TABLES[name]
            local = df[id_col].to_numpy(np.int64)
            # sort_order = np.lexsort by stable argsorts (np.lexsort takes seconds on millions of events)
            if name == "events":
                key = _map_ids(df["session_id"], block, *maps["sessions"]).to_numpy(np.int64)
                # (new session, old event id) pairs are unique: one argsort of a combined key
                span = int(local.max()) + 1 if len(local) else 1
                rank = np.argsort(key * span + local) if len(key) and int(key.max()) < 2**62 // span \
                    else sort_order(local, key)
            else:
                rank = sort_order(local, block, df[time_col].to_numpy())
            new = np.empty(len(df), dtype=np.int64)
            new[rank] = np.arange(1, len(df) + 1)
            offsets = np.r_[0, np.cumsum(sizes)[:-1]]
            lookup = np.zeros(len(df), dtype=np.int64)
            lookup[offsets[block] + local - 1] = new
            maps[name] = (offsets, lookup)
            if (np.diff(rank) < 0).any():  # reorder only when needed: tables of millions of rows
                df = df.take(rank).reset_index(drop=True)
                block = block[rank]
            df[id_col] = np.arange(1, len(df) + 1, dtype=np.int64)
        tables[name], blocks_of[name] = df, block
    for name, fks in FOREIGN_KEYS.items():
        for col, target in fks:
            tables[name][col] = _map_ids(tables[name][col], blocks_of[name], *maps[target])
    items = tables["order_items"]
    tables["order_items"] = items.sort_values(["order_id", "line"], kind="stable").reset_index(drop=True)
    return tables


def assemble(cfg: ShopConfig, shared: SharedParts, blocks: list[dict[str, pd.DataFrame]]) -> Shop:
    """Concatenate blocks, renumber local ids in time order, add the global tables, cast dtypes."""
    tables = renumber(blocks)
    tables["customers"] = pd.concat([b["customers"] for b in blocks], ignore_index=True)
    truth = pd.concat([b["truth"] for b in blocks], ignore_index=True)
    tables.update(global_tables(cfg, shared, paid_visit_counts(cfg, tables["sessions"])))
    out = {name: finish_table(cfg, name, tables[name]) for name in ALL_TABLES if name != "truth"}
    return Shop(tables=out, truth=finish_table(cfg, "truth", truth), config=cfg)


def global_tables(cfg: ShopConfig, shared: SharedParts, paid_visits: np.ndarray) -> dict[str, pd.DataFrame]:
    """products, campaigns and marketing_spend: the tables of no block, the last from the paid
    visits per day and channel of the whole shop (:func:`~custkit.simulate.spend.paid_visit_counts`).
    ``shared`` needs only ``locale``, ``products`` and ``campaigns`` (see :func:`catalog_parts`)."""
    campaigns = shared.campaigns[shared.campaigns["start_date"] <= cfg.end].reset_index(drop=True)
    return {"products": shared.products.drop(columns=["gift_like", "popularity"]),
            "campaigns": campaigns,
            "marketing_spend": spend_from_visits(cfg, child_rng(cfg, KEY_SPEND), paid_visits, campaigns,
                                                 shared.locale.usd_rate)}


def finish_table(cfg: ShopConfig, name: str, df: pd.DataFrame) -> pd.DataFrame:
    """A table as written: the helper column ``orders.day`` dropped, the Jalali dates of a fa_IR
    shop added, then :func:`conform`. Row by row, so a block's rows finish as the whole table's."""
    if name == "orders" and "day" in df.columns:
        df = df.drop(columns=["day"])
    if cfg.locale == "fa_IR" and name in JALALI_COLUMNS:
        df = df.assign(**{f"{col}_jalali": to_jalali(df[col]) for col in JALALI_COLUMNS[name]})
    return conform(name, df)


def conform(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Columns in schema order (optional ones only when present), schema dtypes, sorted by id.

    Raises SchemaError for an unknown table or a missing column; extra columns are dropped.
    """
    if name not in ALL_TABLES:
        raise SchemaError(f"unknown table {name!r}; the tables are {list(ALL_TABLES)}.")
    require_columns(df, [c.name for c in ALL_TABLES[name] if not c.optional], name)
    cols = [c for c in ALL_TABLES[name] if not c.optional or c.name in df.columns]
    out = pd.DataFrame({c.name: _cast(df[c.name], c.kind) for c in cols})
    key = {"order_items": ["order_id", "line"], "marketing_spend": ["date", "channel"]}.get(name, [cols[0].name])
    return out.sort_values(key, kind="stable").reset_index(drop=True)


def _cast(s: pd.Series, kind: str) -> pd.Series:
    s = s.reset_index(drop=True)
    if str(s.dtype) == PANDAS_DTYPE[kind] and kind != "date":
        return s
    if kind in ("date", "datetime"):
        s = pd.to_datetime(s)
        if kind == "date":
            s = s.dt.normalize()
        return s.astype("datetime64[s]")
    if kind == "str":
        return s.astype("str").where(s.notna(), None).astype("str") if s.isna().any() else s.astype("str")
    return s.astype(PANDAS_DTYPE[kind])
