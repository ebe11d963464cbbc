"""Web traffic of the simulated shop: who visits when, how they arrive, and how deep they go.

The orders already exist when traffic is simulated (the purchasing stage decided who buys what and
when); this stage writes the visits around them, so that the web funnel of concept C2 (visit ->
product view -> add to cart -> checkout -> purchase) can be studied from the ``sessions`` and
``events`` tables:

* one **order visit** per order, ending with checkout and a purchase at the order's moment;
* **research visits** before each order (researchers many, over weeks; impulsive buyers
  mostly none, so they buy in their first visit) -- [001]'s sales typology;
* a **sign-up visit** on the sign-up day (the first order visit when the first order falls on
  that day);
* **return visits** while a customer is active (searchers come back often and compare);
* **anonymous visits** of people who never register (browsers, concept A4 [001]): they never
  buy, and they are most of the shop's traffic.

Non-order visits stop at a funnel step drawn from per-persona step probabilities, lowered on
mobile, on social/ads traffic, and by a lack of aptitude or of ability to pay (concept A3 [003]:
the article says either alone forms no purchase; here each is a soft gate, so one without the
other makes a purchase much less likely, not impossible). Every behaviour is a shifted distribution with a per-person
engagement multiplier, never a rule, so no single column reveals a persona.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_datetime, require_frame
from custkit.errors import CustkitError, SchemaError
from custkit.schema import EVENTS, PANDAS_DTYPE, SESSIONS
from custkit.simulate.events import ADD_TO_CART, EVENT_TYPES, Catalog, VisitPlan, build_events, sort_order
from custkit.simulate.labels import labels as _labels
from custkit.simulate.precision import held, logistic
from custkit.simulate.traffic_params import CHANNELS, DEVICES, PERSONAS, TrafficParams, _default_params
from custkit.vocabulary import FUNNEL_STAGES

STAGES = FUNNEL_STAGES
ORDER, RESEARCH, SIGNUP, RETURN, ANONYMOUS = range(5)
DAY = 86_400
PEOPLE_COLUMNS = (
    "visitor_id", "customer_id", "signup_date", "persona", "knowledge_type", "ability", "aptitude",
    "acquisition_channel", "device_preference",
)

__all__ = ["PEOPLE_COLUMNS", "TrafficParams", "simulate_traffic"]


def simulate_traffic(
    cfg,
    rng: np.random.Generator,
    people: pd.DataFrame,
    orders: pd.DataFrame,
    order_items: pd.DataFrame,
    products: pd.DataFrame,
    campaigns: pd.DataFrame,
    locale,
    id_start: dict | None = None,
    *,
    params: TrafficParams | None = None,
    catalog: Catalog | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.Series]:
    """Visits and click streams of one block of people.

    Parameters
    ----------
    cfg
        The :class:`~custkit.config.ShopConfig`; read: ``start_date``, ``end_date`` (the
        observation window), ``growth_per_year`` and ``weekly_rhythm`` (7 weights, Monday first)
        when present.
    rng
        The block's random generator; the result is a function of its state.
    people
        One row per person who ever visits (see ``PEOPLE_COLUMNS``): ``customer_id`` NA and
        ``signup_date`` NaT for anonymous visitors.
    orders, order_items
        The block's orders (order_id, customer_id, order_date with its time of day, campaign_id,
        optionally transaction_type) and their lines (order_id, product_id). May be empty.
    products
        The catalog (product_id, name, category, brand; optional hidden popularity).
    campaigns
        The campaigns table of :data:`custkit.schema.CAMPAIGNS` (may be empty).
    locale
        The shop's :class:`~custkit.simulate.locales.Locale` or its code; fa_IR writes Persian
        search queries.
    id_start
        ``{"session_id": first id, "event_id": first id}`` for this block; defaults to 1 and 1.
    params
        Behavioural knobs; :class:`~custkit.simulate.traffic_params.TrafficParams` defaults when
        None.
    catalog
        ``Catalog.from_products(products)`` when already built (the simulator builds it once for
        all blocks); None builds it here. It must come from the same ``products``.

    Returns
    -------
    sessions, events
        Tables with exactly the columns and dtypes of :data:`custkit.schema.SESSIONS` and
        :data:`~custkit.schema.EVENTS`, sorted by id. Session ids follow start times.
    order_session
        ``session_id`` (Int64) indexed by ``order_id`` for every order given; NA for orders made
        offline (``params.offline_transaction_types``).

    Notes
    -----
    Assumptions: orders lie in the observation window and each order's buyer is in ``people``;
    an order's purchase event happens at ``order_date`` (the visit starts a few minutes earlier);
    visits outside the window other than order visits are not recorded (left and right
    censoring); a registered person's visits carry ``customer_id`` from the sign-up visit on;
    ``pages`` counts the events that load a page (all but add_to_cart).

    Most visits never buy, as in a real shop: anonymous visitors (``cfg.anonymous_visitors``)
    bring most of the traffic, many visits leave after one page (``bounce_by_channel``), and carts
    and checkouts of non-order visits are abandoned, so that about 2-3 % of visits end in a
    purchase, 8-9 % reach the cart and 65-75 % of carts are abandoned (the scorecard of
    :mod:`custkit.realism` holds the published ranges). Impulsive buyers buy
    in their first visit only when the purchasing stage puts their first order on the sign-up
    day (it does for most of them, :data:`custkit.simulate.population.FIRST_ORDER_IN_MOMENT`); a
    visitor's first visit uses ``acquisition_channel``, so the channel mix by knowledge type is
    only as strong as that column's link to knowledge type (the simulator draws it by knowledge
    type, :data:`custkit.simulate.population.KNOWLEDGE_CHANNEL`, concept B1).
    """
    params = params or _default_params()
    if not isinstance(rng, np.random.Generator):
        raise CustkitError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}; "
                           f"pass np.random.default_rng(seed).")
    first_session, first_event = _id_start(id_start)
    window = _window(cfg)
    person = _people_arrays(people)
    products = _check_products(products)
    if catalog is None:
        catalog = Catalog.from_products(products)
    elif not isinstance(catalog, Catalog) or len(catalog.product_id) != len(products):
        raise CustkitError("catalog must be Catalog.from_products(products) of the same products, or None.")
    ords, lines = _check_orders(orders, order_items, person, catalog, params)
    camp = _campaign_days(campaigns, window, params)
    lang = "fa" if str(getattr(locale, "code", locale)).startswith("fa") else "en"
    rhythm = _weekly_rhythm(cfg, lang)

    plan = _schedule(rng, person, ords, camp, window, rhythm, catalog, params, cfg)
    plan = _assign_channels(rng, plan, person, ords, camp, params)
    plan = _assign_devices_and_stages(rng, plan, person, params)
    return _assemble(rng, plan, person, ords, lines, catalog, window, lang, params,
                     first_session, first_event)


# ----------------------------------------------------------------------------- input checks


def _id_start(id_start: dict | None) -> tuple[int, int]:
    if id_start is None:
        return 1, 1
    if not isinstance(id_start, dict):
        raise CustkitError(f"id_start must be a dict like {{'session_id': 1, 'event_id': 1}}, got {id_start!r}.")
    out = []
    for key in ("session_id", "event_id"):
        value = id_start.get(key, 1)
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise CustkitError(f"id_start[{key!r}] must be an integer >= 1, got {value!r}.")
        out.append(int(value))
    return out[0], out[1]


def _window(cfg) -> tuple[int, int]:
    """Observation window as epoch seconds [first day 00:00, day after the last day 00:00)."""
    try:
        start = pd.Timestamp(cfg.start_date).normalize()
        end = pd.Timestamp(cfg.end_date).normalize()
    except (AttributeError, ValueError, TypeError) as exc:
        raise CustkitError(f"cfg needs start_date and end_date (dates or ISO strings): {exc}; "
                           f"pass a custkit ShopConfig.") from None
    if end < start:
        raise CustkitError(f"cfg.end_date ({end.date()}) is before cfg.start_date ({start.date()}).")
    return int(start.timestamp()), int((end + pd.Timedelta(days=1)).timestamp())


def _weekly_rhythm(cfg, lang: str) -> np.ndarray:
    """Relative visits per weekday, Monday first (cfg.weekly_rhythm when it is 7 numbers)."""
    given = getattr(cfg, "weekly_rhythm", None)
    if given is not None and not isinstance(given, str) and len(given) == 7:
        w = np.asarray(given, dtype=float)
    elif lang == "fa":  # Iranian weekend: Friday quiet, Saturday and Sunday busy
        w = np.array([1.0, 1.0, 1.05, 0.95, 0.80, 1.15, 1.1])
    else:  # Sunday evening and Monday busiest, Saturday quiet
        w = np.array([1.1, 1.0, 1.0, 1.0, 0.92, 0.85, 1.13])
    if (w < 0).any() or w.sum() <= 0:
        raise CustkitError(f"cfg.weekly_rhythm must hold 7 non-negative weights, got {given!r}.")
    return w / w.sum()


def _people_arrays(people: pd.DataFrame) -> dict:
    require_frame(people, "people")
    require_columns(people, PEOPLE_COLUMNS, "people")
    if people["visitor_id"].duplicated().any():
        raise SchemaError("people['visitor_id'] has duplicates; give each person one visitor_id.")
    signup = require_datetime(people, "signup_date", "people").astype("datetime64[s]")
    customer = people["customer_id"].astype("Int64")
    registered = customer.notna().to_numpy()
    if (registered & signup.isna().to_numpy()).any():
        raise SchemaError("people: a registered person (customer_id set) lacks signup_date; "
                          "give every customer its sign-up day.")
    out = {
        "visitor_id": people["visitor_id"].to_numpy(np.int64),
        "customer_id": customer.to_numpy(dtype=np.int64, na_value=-1),
        "registered": registered,
        "signup": np.where(registered, signup.to_numpy().astype("int64", copy=False), 0),
    }
    for col, allowed in (("persona", PERSONAS), ("acquisition_channel", CHANNELS), ("device_preference", DEVICES)):
        code = pd.Index(allowed).get_indexer(people[col].astype("str"))
        if (code < 0).any():
            bad = sorted(set(people[col].astype(str)) - set(allowed))[:5]
            raise SchemaError(f"people[{col!r}] has unknown values {bad}; allowed: {list(allowed)}.")
        out[col] = code.astype(np.int64)
    kt = pd.to_numeric(people["knowledge_type"], errors="coerce")
    if not kt.isin([1, 2, 3]).all():
        raise SchemaError("people['knowledge_type'] must be 1, 2 or 3 (concept B1).")
    out["knowledge"] = kt.to_numpy(np.int64)
    for col in ("ability", "aptitude"):
        v = pd.to_numeric(people[col], errors="coerce").to_numpy(float)
        if not np.all((v >= 0) & (v <= 1)):
            raise SchemaError(f"people[{col!r}] must hold numbers in [0, 1] without gaps.")
        out[col] = v
    return out


def _check_products(products: pd.DataFrame) -> pd.DataFrame:
    require_frame(products, "products")
    require_columns(products, ("product_id", "name", "category", "brand"), "products")
    return products


def _check_orders(orders, order_items, person, catalog, params):
    for df, name, cols in ((orders, "orders", ("order_id", "customer_id", "order_date", "campaign_id")),
                           (order_items, "order_items", ("order_id", "product_id"))):
        if not isinstance(df, pd.DataFrame):
            raise SchemaError(f"{name} must be a pandas DataFrame, got {type(df).__name__}.")
        require_columns(df, cols, name)
    when = require_datetime(orders, "order_date", "orders").astype("datetime64[s]")
    if when.isna().any():
        raise SchemaError("orders['order_date'] has missing values; every order needs its moment.")
    customers = pd.Index(person["customer_id"][person["registered"]])
    who = customers.get_indexer(orders["customer_id"].astype("Int64").to_numpy(np.int64, na_value=-1))
    if (who < 0).any():
        missing = orders["customer_id"][who < 0].head(3).tolist()
        raise SchemaError(f"orders name customer_id(s) {missing} that are not in people; "
                          f"pass the people of the same block.")
    online = np.ones(len(orders), bool)
    if "transaction_type" in orders.columns:
        online = ~orders["transaction_type"].isin(params.offline_transaction_types).to_numpy()
    ords = pd.DataFrame({
        "order_id": orders["order_id"].to_numpy(np.int64),
        "person": np.flatnonzero(person["registered"])[who] if len(who) else np.zeros(0, np.int64),
        "t": when.to_numpy().astype("int64"),
        "campaign_id": orders["campaign_id"].astype("Int64").to_numpy(np.int64, na_value=-1),
        "online": online,
    })
    row = pd.Index(catalog.product_id).get_indexer(order_items["product_id"].to_numpy(np.int64))
    if (row < 0).any():
        raise SchemaError("order_items name product_id(s) missing from products; pass the same catalog.")
    pos = pd.Index(ords["order_id"]).get_indexer(order_items["order_id"].to_numpy(np.int64))
    if (pos < 0).any():
        raise SchemaError("order_items name order_id(s) missing from orders; pass the same block's tables.")
    line = order_items["line"].to_numpy() if "line" in order_items.columns else np.zeros(len(pos))
    lines = pd.DataFrame({"order": pos, "line": line, "row": row}).sort_values(["order", "line"], kind="stable")
    first = lines.drop_duplicates("order")
    category = np.full(len(ords), -1, np.int64)
    category[first["order"].to_numpy()] = catalog.category[first["row"].to_numpy()]
    ords["category"] = category
    return ords, lines.reset_index(drop=True)


def _campaign_days(campaigns, window, params) -> pd.DataFrame:
    """One row per campaign and day inside the window: day (epoch s), campaign_id, channel code,
    weight (promotion days count more)."""
    cols = ("campaign_id", "channel", "start_date", "end_date", "is_promotion_day")
    if not isinstance(campaigns, pd.DataFrame):
        raise SchemaError(f"campaigns must be a pandas DataFrame, got {type(campaigns).__name__}.")
    require_columns(campaigns, cols, "campaigns")
    c = campaigns[campaigns["channel"].isin(CHANNELS)]
    first = require_datetime(c, "start_date", "campaigns").to_numpy().astype("datetime64[D]").astype(np.int64)
    last = require_datetime(c, "end_date", "campaigns").to_numpy().astype("datetime64[D]").astype(np.int64)
    ndays = np.maximum(last - first + 1, 0)
    day = (np.repeat(first, ndays) + _ranks(ndays)) * DAY
    out = pd.DataFrame({
        "day": day,
        "campaign_id": np.repeat(c["campaign_id"].to_numpy(np.int64), ndays),
        "channel": np.repeat(pd.Categorical(c["channel"], categories=CHANNELS).codes.astype(np.int64), ndays),
        "weight": np.repeat(np.where(c["is_promotion_day"].to_numpy(bool), params.promotion_weight, 1.0), ndays),
    })
    out = out[(out["day"] >= window[0]) & (out["day"] < window[1])]
    return out.sort_values(["day", "campaign_id"], kind="stable").reset_index(drop=True)


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0..size-1 for each entry of ``sizes``, concatenated."""
    total = int(sizes.sum())
    return np.arange(total) - np.repeat(np.cumsum(sizes) - sizes, sizes)


# ----------------------------------------------------------------------------- when visits happen


def _time_of_day(rng, n, params) -> np.ndarray:
    """Seconds after midnight, by the hourly weights (quiet nights, busy evenings)."""
    w = np.asarray(params.hour_weights, float)
    hour = rng.choice(24, size=n, p=w / w.sum())
    return hour * 3600 + rng.integers(0, 3600, n)


def _with_rhythm(rng, day, lo, hi, rhythm) -> np.ndarray:
    """Move each day (epoch s at midnight) to a weekday drawn from the weekly rhythm, in the same
    week or, to stay inside [lo, hi), the week after or before; kept where neither fits."""
    weekday = (day // DAY + 3) % 7  # 1970-01-01 was a Thursday
    target = day + (rng.choice(7, size=len(day), p=rhythm) - weekday) * DAY
    lo_day = lo // DAY * DAY
    target = np.where(target < lo_day, target + 7 * DAY, target)
    target = np.where(target >= hi, target - 7 * DAY, target)
    return np.where((target >= lo_day) & (target < hi), target, day)


def _days_between(rng, lo, hi, rhythm) -> np.ndarray:
    """Day starts (epoch s) uniform in [lo, hi), then moved by the weekly rhythm."""
    day = (lo + rng.random(len(lo)) * np.maximum(hi - lo, 0)).astype(np.int64) // DAY * DAY
    return _with_rhythm(rng, day, lo, hi, rhythm)


def _schedule(rng, person, ords, camp, window, rhythm, catalog, params, cfg) -> pd.DataFrame:
    """One row per planned visit: person, kind, anchor time ``t`` (the start; the purchase moment
    for order visits), order position, focus category, campaign and a forced channel (-1 when
    free), and whether it is the sign-up visit."""
    P = params.personas.loc[list(PERSONAS)]
    n_people = len(person["visitor_id"])
    person["engage"] = held(rng.lognormal(-params.engagement_sigma**2 / 2, params.engagement_sigma, n_people))
    person["favourite"] = catalog.sample_category(rng, n_people)
    orders, research = _order_and_research_visits(rng, person, ords, P, params)
    first_order, last_order = _first_and_last_order(orders, n_people)
    parts = [
        orders,
        research,
        _signup_visits(rng, person, orders, params),
        _return_visits(rng, person, first_order, last_order, camp, window, rhythm, catalog, P, params),
        _anonymous_visits(rng, person, camp, window, rhythm, catalog, P, params, cfg),
    ]
    return pd.concat(parts, ignore_index=True)


def _order_and_research_visits(rng, person, ords, P, params):
    """A visit per online order, and research visits before it: Poisson in number (more before a
    first order), each an exponential number of days earlier (researchers: weeks; [001])."""
    persona, engage, favourite = person["persona"], person["engage"], person["favourite"]
    o = ords[ords["online"].to_numpy()].sort_values(["person", "t", "order_id"], kind="stable")
    pos = o.index.to_numpy()
    who = o["person"].to_numpy()
    t = o["t"].to_numpy()
    cat = np.where(ords["category"].to_numpy() >= 0, ords["category"].to_numpy(), favourite[ords["person"].to_numpy()])
    first = np.r_[True, who[1:] != who[:-1]][: len(who)]
    # the first order visit on the sign-up day is the sign-up visit (people register at checkout)
    on_signup_day = t // DAY == person["signup"][who] // DAY
    signup = on_signup_day & np.r_[True, ~((who[1:] == who[:-1]) & on_signup_day[:-1])][: len(who)]
    orders = _rows(who, ORDER, t, order=pos, category=cat[pos], signup=signup)

    lam = np.where(first, P["research_first"].to_numpy()[persona[who]],
                   P["research_repeat"].to_numpy()[persona[who]]) * engage[who]
    n = np.minimum(rng.poisson(lam), params.max_research_visits)
    r = np.repeat(np.arange(len(o)), n)
    r_who = who[r]
    lag = 2 * 3600 + rng.exponential(P["research_days"].to_numpy()[persona[r_who]] * DAY)
    r_t = t[r] - lag.astype(np.int64)
    evening = r_t // DAY * DAY + _time_of_day(rng, len(r_t), params)  # same day, usual hours
    r_t = np.where(evening < t[r] - 2 * 3600, evening, r_t)
    r_cat = np.where(rng.random(len(r_t)) < 0.8, cat[pos[r]], favourite[r_who])
    return orders, _rows(r_who, RESEARCH, r_t, category=r_cat)


def _first_and_last_order(orders: pd.DataFrame, n_people: int) -> tuple[np.ndarray, np.ndarray]:
    """Moment of each person's first and last order visit (-1 without any)."""
    first = np.full(n_people, -1, np.int64)
    last = np.full(n_people, -1, np.int64)
    o = orders.drop_duplicates("person", keep="first")  # sorted by person, then time
    first[o["person"].to_numpy()] = o["t"].to_numpy()
    o = orders.drop_duplicates("person", keep="last")
    last[o["person"].to_numpy()] = o["t"].to_numpy()
    return first, last


def _signup_visits(rng, person, orders, params) -> pd.DataFrame:
    """A visit on the sign-up day for every account whose first order is not placed that day."""
    reg = np.flatnonzero(person["registered"])
    has = np.zeros(len(person["visitor_id"]), bool)
    has[orders.loc[orders["signup_visit"], "person"].to_numpy()] = True
    own = reg[~has[reg]]
    t = person["signup"][own] // DAY * DAY + _time_of_day(rng, len(own), params)
    return _rows(own, SIGNUP, t, category=person["favourite"][own], signup=np.ones(len(own), bool))


def _return_visits(rng, person, first_order, last_order, camp, window, rhythm, catalog, P, params):
    """Visits without a planned purchase while a customer is active: from the day after sign-up
    (buyers: after the first order; research visits cover the time before it) to an exponential
    tail after the last order. Searchers come back most and stay with their category ([001])."""
    persona, engage, favourite = person["persona"], person["engage"], person["favourite"]
    reg = np.flatnonzero(person["registered"])
    signup_day = person["signup"][reg] // DAY * DAY
    bought = last_order[reg] >= 0
    tail = rng.exponential(np.where(bought, params.active_tail_days, params.lead_tail_days) * DAY)
    lo = np.maximum(np.where(bought, first_order[reg] // DAY * DAY, signup_day) + DAY, window[0])
    hi = np.minimum(np.where(bought, last_order[reg], signup_day) + tail.astype(np.int64), window[1])
    weeks = np.maximum(hi - lo, 0) / (7 * DAY)
    n = rng.poisson(P["returns_per_week"].to_numpy()[persona[reg]] * weeks * engage[reg])
    who = np.repeat(reg, n)
    lo, hi = np.repeat(lo, n), np.repeat(hi, n)
    day = _days_between(rng, lo, hi, rhythm)
    campaign, channel, day = _pull_to_campaigns(rng, who, day, lo, hi, camp, P, persona)
    t = day + _time_of_day(rng, len(day), params)
    cat = np.where(rng.random(len(t)) < P["same_category"].to_numpy()[persona[who]],
                   favourite[who], catalog.sample_category(rng, len(t)))
    return _rows(who, RETURN, t, category=cat, campaign=campaign, channel=channel)


def _anonymous_visits(rng, person, camp, window, rhythm, catalog, P, params, cfg):
    """People who never register: a first visit (more of them as the shop grows), then a few
    returns some days apart. Discount seekers among them come for campaigns too."""
    persona, engage, favourite = person["persona"], person["engage"], person["favourite"]
    anon = np.flatnonzero(~person["registered"])
    n = 1 + rng.poisson(params.anonymous_extra_visits * engage[anon])
    who = np.repeat(anon, n)
    first_day = np.repeat(_growth_days(rng, len(anon), window, getattr(cfg, "growth_per_year", 0.0), rhythm), n)
    k = _ranks(n)
    gaps = np.where(k == 0, 0, rng.exponential(params.anonymous_gap_days * DAY, len(who))).astype(np.int64)
    day = (first_day + pd.Series(gaps).groupby(who).cumsum().to_numpy()) // DAY * DAY
    end = np.full(len(day), window[1])
    day = np.where(k > 0, _with_rhythm(rng, day, first_day + DAY, end, rhythm), day)
    campaign, channel, day = _pull_to_campaigns(rng, who, day, np.maximum(day - 3 * DAY, window[0]),
                                                np.minimum(day + 4 * DAY, end), camp, P, persona)
    t = day + _time_of_day(rng, len(day), params)
    cat = np.where(rng.random(len(t)) < 0.5, favourite[who], catalog.sample_category(rng, len(t)))
    return _rows(who, ANONYMOUS, t, category=cat, campaign=campaign, channel=channel)


def _rows(who, kind, t, order=None, category=None, campaign=None, channel=None, signup=None) -> pd.DataFrame:
    n = len(who)
    minus = np.full(n, -1, np.int64)
    return pd.DataFrame({
        "person": np.asarray(who, np.int64), "kind": np.full(n, kind, np.int8),
        "t": np.asarray(t, np.int64), "order": minus if order is None else np.asarray(order, np.int64),
        "category": minus if category is None else np.asarray(category, np.int64),
        "campaign": minus if campaign is None else np.asarray(campaign, np.int64),
        "channel": minus if channel is None else np.asarray(channel, np.int64),
        "signup_visit": np.zeros(n, bool) if signup is None else np.asarray(signup, bool),
    })


def _growth_days(rng, n, window, growth, rhythm) -> np.ndarray:
    """Days in the window with density growing like (1 + growth)^years (inverse CDF), then moved
    by the weekly rhythm. A negative growth gives a shrinking shop."""
    span_years = (window[1] - window[0]) / (365.25 * DAY)
    g = np.log1p(float(growth or 0.0))
    u = rng.random(n)
    years = u * span_years if g == 0 else np.log1p(u * np.expm1(g * span_years)) / g
    day = (window[0] + (years * 365.25 * DAY).astype(np.int64)) // DAY * DAY
    return _with_rhythm(rng, day, np.full(n, window[0]), np.full(n, window[1]), rhythm)


def _pull_to_campaigns(rng, who, day, lo, hi, camp, P, persona):
    """Move some visits onto a campaign day within [lo, hi) and tie them to that campaign.

    Discount seekers are drawn most ([001]: they buy for the discount); promotion days weigh
    ``promotion_weight`` times an ordinary campaign day.
    """
    n = len(day)
    camp_id = np.full(n, -1, np.int64)
    channel = np.full(n, -1, np.int64)
    if camp.empty or n == 0:
        return camp_id, channel, day
    weight = camp["weight"].to_numpy()
    cum = np.cumsum(weight)
    cum_before = np.r_[0.0, cum]
    a = np.searchsorted(camp["day"].to_numpy(), lo, side="left")
    b = np.searchsorted(camp["day"].to_numpy(), hi, side="left")
    pulled = (rng.random(n) < P["campaign_affinity"].to_numpy()[persona[who]]) & (b > a)
    target = cum_before[a] + rng.random(n) * (cum_before[b] - cum_before[a])
    pick = np.clip(np.searchsorted(cum, target, side="right"), a, np.maximum(b - 1, a))
    pick = np.minimum(pick, len(camp) - 1)
    camp_id = np.where(pulled, camp["campaign_id"].to_numpy()[pick], -1)
    channel = np.where(pulled, camp["channel"].to_numpy()[pick], -1)
    day = np.where(pulled, camp["day"].to_numpy()[pick], day)
    return camp_id, channel, day


# ----------------------------------------------------------------------------- how visits arrive


def _draw_by_table(rng, table: np.ndarray, row: np.ndarray) -> np.ndarray:
    """One column index per entry of ``row``, drawn with the probabilities of ``table[row]``
    (rows need not sum to 1): inverse CDF on the table's rows laid end to end, one uniform each."""
    cum = np.cumsum(table / table.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0
    flat = (cum + np.arange(len(table))[:, None]).ravel()
    k = table.shape[1]
    pos = np.searchsorted(flat, row + rng.random(len(row)), side="right") - row * k
    return np.minimum(pos, k - 1)


def _assign_channels(rng, plan, person, ords, camp, params) -> pd.DataFrame:
    """Channel and campaign of every visit.

    Channel mix: the knowledge type's mix (type 1 social/ads, type 2 search, type 3
    direct/search; concept B1 [000]) blended with a prior that differs for order and other visits
    (so conversion differs by channel), tilted per persona; some visits return through the first
    channel. Campaign orders mostly arrive through their campaign; the first visit of every person
    arrives through ``acquisition_channel``.
    """
    n = len(plan)
    who = plan["person"].to_numpy()
    kind = plan["kind"].to_numpy()
    is_order = kind == ORDER
    know = params.knowledge.loc[[1, 2, 3], list(CHANNELS)].to_numpy(float)
    know = know / know.sum(axis=1, keepdims=True)
    prior = np.array([params.browse_channel_prior, params.purchase_channel_prior], float)
    prior = prior / prior.sum(axis=1, keepdims=True)
    tilt = np.array([params.persona_channel_tilt.get(p, (1.0,) * 6) for p in PERSONAS], float)
    w = params.knowledge_channel_weight
    # the mix depends on (order visit or not, knowledge type, persona) only: 2 x 3 x 6 rows, drawn
    # for millions of visits with one table lookup each
    table = (w * know[None, :, None, :] + (1 - w) * prior[:, None, None, :]) * tilt[None, None, :, :]
    combo = (is_order.astype(np.int64) * 3 + person["knowledge"][who] - 1) * len(PERSONAS) + person["persona"][who]
    channel = _draw_by_table(rng, table.reshape(-1, len(CHANNELS)), combo)
    acq = person["acquisition_channel"][who]
    registered = person["registered"][who]
    channel = np.where(registered & (rng.random(n) < params.acquisition_stickiness), acq, channel)
    forced = plan["channel"].to_numpy()
    channel = np.where(forced >= 0, forced, channel)
    campaign = plan["campaign"].to_numpy().copy()

    camp_channel = camp.drop_duplicates("campaign_id").set_index("campaign_id")["channel"]
    order_pos = plan["order"].to_numpy()
    order_campaign = _gather(ords["campaign_id"].to_numpy(np.int64), order_pos)
    oc_channel = camp_channel.reindex(order_campaign).fillna(-1).to_numpy(np.int64)
    via = is_order & (order_campaign >= 0) & (oc_channel >= 0) & (rng.random(n) < params.order_campaign_visit)
    channel = np.where(via, oc_channel, channel)
    campaign = np.where(via, order_campaign, campaign)

    # other visits on a paid channel during a campaign of that channel: some came through it
    day = plan["t"].to_numpy() // DAY * DAY
    # first campaign (in camp's day, campaign_id order) of each (day, channel), looked up by one
    # integer key per visit (faster than a MultiIndex reindex over a million visits)
    camp_key = camp["day"].to_numpy(np.int64) // DAY * len(CHANNELS) + camp["channel"].to_numpy(np.int64)
    keys, first_row = np.unique(camp_key, return_index=True)
    visit_key = day // DAY * len(CHANNELS) + channel
    at = np.minimum(np.searchsorted(keys, visit_key), max(len(keys) - 1, 0))
    hit = (keys[at] == visit_key) if len(keys) else np.zeros(n, bool)
    found = np.where(hit, camp["campaign_id"].to_numpy(np.int64)[first_row[at]] if len(keys) else -1, -1)
    affinity = params.personas.loc[list(PERSONAS), "campaign_affinity"].to_numpy()[person["persona"][who]]
    attr = (campaign < 0) & ~is_order & (found >= 0) & (rng.random(n) < params.campaign_attribution + affinity)
    campaign = np.where(attr, found, campaign)

    first = np.zeros(n, bool)
    by_time = sort_order(plan["t"].to_numpy(), who)
    first[by_time[np.r_[True, who[by_time][1:] != who[by_time][:-1]]]] = True
    # a customer's first visit came through the acquisition channel; an anonymous visitor's
    # first visit keeps its drawn channel (the web's mix, not the mix that wins customers)
    first &= registered
    campaign = np.where(first & (campaign >= 0) & (channel != acq), -1, campaign)
    channel = np.where(first, acq, channel)
    return plan.assign(channel=channel, campaign=campaign)


def _soft_gate(x: np.ndarray) -> np.ndarray:
    """Near 0 below about 0.2, near 1 above about 0.4 (one factor of concept A3's AND)."""
    return logistic(14.0 * (x - 0.3))


def _assign_devices_and_stages(rng, plan, person, params) -> pd.DataFrame:
    """Device of every visit and the funnel step a non-order visit reaches.

    Step chances (concept C2): product view = persona's ``p_view`` x channel factor x aptitude
    factor; add to cart = ``p_cart`` x device x channel x aptitude factors; checkout =
    ``p_checkout`` x device factor x ability factor x aptitude factor (x
    ``anonymous_checkout_factor`` for visitors without an account). Each factor is the soft
    threshold ``sigmoid(14 (x - 0.3))`` that the purchasing stage also uses, so people lacking
    either ability or aptitude almost never reach checkout (A3 [003]). Visitors without an account
    fill fewer carts and start fewer checkouts (``anonymous_cart_factor``,
    ``anonymous_checkout_factor``). A non-order visit bounces (one page or one search, then
    leaves) with its channel's ``bounce_by_channel`` chance, times ``customer_bounce_factor`` or
    ``anonymous_bounce_factor``.
    """
    n = len(plan)
    who = plan["person"].to_numpy()
    kind = plan["kind"].to_numpy()
    is_order = kind == ORDER
    P = params.personas.loc[list(PERSONAS)]
    persona = person["persona"][who]
    device = np.where(rng.random(n) < params.device_stickiness, person["device_preference"][who],
                      rng.choice(3, size=n, p=np.asarray(params.device_mix) / np.sum(params.device_mix)))
    device = np.where(is_order & (device == 0) & (rng.random(n) < params.mobile_to_desktop_for_orders), 1, device)
    channel = plan["channel"].to_numpy()
    f_apt = _soft_gate(person["aptitude"][who])
    f_abl = _soft_gate(person["ability"][who])
    dev_f = np.asarray(params.device_factor)[device]
    p_view = P["p_view"].to_numpy()[persona] * np.asarray(params.channel_view_factor)[channel] * (0.5 + 0.5 * f_apt)
    p_cart = P["p_cart"].to_numpy()[persona] * dev_f * np.asarray(params.channel_cart_factor)[channel] * (0.3 + 0.7 * f_apt)
    p_checkout = P["p_checkout"].to_numpy()[persona] * dev_f * f_abl * f_apt
    p_cart = p_cart * np.where(kind == ANONYMOUS, params.anonymous_cart_factor, 1.0)
    p_checkout = p_checkout * np.where(kind == ANONYMOUS, params.anonymous_checkout_factor, 1.0)
    u = rng.random((n, 3))
    viewed = u[:, 0] < np.clip(p_view, 0, 0.97)
    carted = viewed & (u[:, 1] < np.clip(p_cart, 0, 0.95))
    checked = carted & (u[:, 2] < np.clip(p_checkout, 0, 0.95))
    stage = viewed.astype(np.int8) + carted + checked
    # some visits leave after their first page (bounces): never an order visit
    factor = np.where(person["registered"][who], params.customer_bounce_factor, params.anonymous_bounce_factor)
    p_bounce = np.clip(np.asarray(params.bounce_by_channel, float)[channel] * factor, 0.0, 0.95)
    bounce = ~is_order & (rng.random(n) < p_bounce)
    stage = np.where(is_order, 4, np.where(bounce, 0, stage))
    return plan.assign(device=device, stage=stage, bounce=bounce)


# ----------------------------------------------------------------------------- tables


def _assemble(rng, plan, person, ords, lines, catalog, window, lang, params, first_session, first_event):
    """Fill the visits with events, drop visits outside the window or overlapping another, and
    write the sessions and events tables and the order -> session map."""
    is_order = plan["kind"].to_numpy() == ORDER
    order_visit = np.full(len(ords), -1, np.int64)
    order_visit[plan["order"].to_numpy()[is_order]] = np.flatnonzero(is_order)
    line_visit, line_product = _order_lines(order_visit, lines)
    events, queries, duration = build_events(rng, _visit_plan(rng, plan, person, params), line_visit,
                                             line_product, catalog, lang)
    # an order visit ends with the purchase at the order's moment; other visits start at t
    t = plan["t"].to_numpy()
    # an order placed minutes after the window opens gets a visit squeezed into those minutes
    cap = np.where(is_order, np.maximum(t - window[0], 0), duration)
    squeeze = duration > cap
    if squeeze.any():
        v = events["visit"]
        events["offset"] = np.where(squeeze[v], events["offset"] * cap[v] // np.maximum(duration[v], 1), events["offset"])
        duration = np.minimum(duration, cap)
    start = np.where(is_order, t - duration, t)
    end = start + duration
    who = plan["person"].to_numpy()
    is_signup = plan["signup_visit"].to_numpy()
    keep = is_order | ((start >= window[0]) & (end < window[1]))
    keep &= _no_overlaps(who, start, end, is_order | is_signup, keep)

    kept = np.flatnonzero(keep)  # session ids follow start times
    kept = kept[sort_order(plan["kind"].to_numpy()[kept], person["visitor_id"][who[kept]], start[kept])]
    new_id = np.full(len(plan), -1, np.int64)
    new_id[kept] = first_session + np.arange(len(kept))
    signup_moment = np.full(len(person["visitor_id"]), np.iinfo(np.int64).max)
    np.minimum.at(signup_moment, who[is_signup], start[is_signup])
    logged_in = person["registered"][who] & ((start >= signup_moment[who]) | is_order)
    sessions = _session_table(plan, person, ords, events, kept, new_id, start, logged_in)
    event_table = _event_table(events, queries, catalog, kept, new_id, start, first_event)
    order_session = pd.Series(
        _nullable(_gather(new_id, order_visit), order_visit >= 0),
        index=pd.Index(ords["order_id"].to_numpy(), name="order_id"), name="session_id",
    )
    return sessions, event_table, order_session


def _visit_plan(rng, plan, person, params) -> VisitPlan:
    """The per-visit inputs of :func:`build_events`, looked up from the persona and knowledge
    tables; dwell times vary around the persona's by a lognormal factor per visit."""
    P = params.personas.loc[list(PERSONAS)]
    K = params.knowledge.loc[[1, 2, 3]]
    who = plan["person"].to_numpy()
    persona = person["persona"][who]
    kt = person["knowledge"][who] - 1
    return VisitPlan(
        stage=plan["stage"].to_numpy(),
        bounce=plan["bounce"].to_numpy(),
        knowledge=kt + 1,
        persona=persona,
        engage=person["engage"][who],
        category=plan["category"].to_numpy(),
        product_views=P["product_views"].to_numpy()[persona],
        search_bonus=P["search_bonus"].to_numpy()[persona],
        competitor_share=P["competitor_share"].to_numpy()[persona],
        bargain_share=P["bargain_share"].to_numpy()[persona],
        dwell=P["dwell"].to_numpy()[persona] * rng.lognormal(0.0, 0.3, len(plan)),
        first_probs=K[["first_page", "first_search", "first_product"]].to_numpy(float)[kt],
        extra_pages=K[["pages", "searches"]].to_numpy(float)[kt],
        specific_share=K["specific_share"].to_numpy(float)[kt],
    )


def _order_lines(order_visit: np.ndarray, lines: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Visit and catalog row of every line of an order placed online, sorted by visit and line."""
    visit = order_visit[lines["order"].to_numpy()]
    online = visit >= 0
    order = sort_order(lines["line"].to_numpy()[online], visit[online])
    return visit[online][order], lines["row"].to_numpy()[online][order]


def _session_table(plan, person, ords, events, kept, new_id, start, logged_in) -> pd.DataFrame:
    """The sessions table (schema SESSIONS) of the kept visits, in id order. ``pages`` counts every
    event that loads a page: all but add_to_cart."""
    who = plan["person"].to_numpy()[kept]
    order_pos = plan["order"].to_numpy()[kept]
    campaign = plan["campaign"].to_numpy()[kept]
    pages = np.bincount(events["visit"], weights=events["event_type"] != ADD_TO_CART, minlength=len(plan))
    return _typed({
        "session_id": new_id[kept],
        "visitor_id": person["visitor_id"][who],
        "customer_id": _nullable(person["customer_id"][who], logged_in[kept]),
        "start": start[kept].astype("datetime64[s]"),
        "channel": _labels(plan["channel"].to_numpy()[kept], CHANNELS),
        "device": _labels(plan["device"].to_numpy()[kept], DEVICES),
        "campaign_id": _nullable(campaign, campaign >= 0),
        "pages": pages[kept].astype(np.int64),
        "furthest_stage": _labels(plan["stage"].to_numpy()[kept], STAGES),
        "order_id": _nullable(_gather(ords["order_id"].to_numpy(np.int64), order_pos), order_pos >= 0),
    }, SESSIONS)


def _event_table(events, queries, catalog, kept, new_id, start, first_event) -> pd.DataFrame:
    """The events table (schema EVENTS) of the kept visits, ordered by session id and time."""
    # events come grouped by visit in time order: lay the kept visits' runs out in id order
    visits = events["visit"]
    run_len = np.bincount(visits, minlength=len(new_id))
    run_start = np.cumsum(run_len) - run_len
    rows = np.repeat(run_start[kept], run_len[kept]) + _ranks(run_len[kept])
    visit = visits[rows]
    product = events["product_row"][rows]
    query = events["query"][rows]
    return _typed({
        "event_id": first_event + np.arange(len(rows), dtype=np.int64),
        "session_id": new_id[visit],
        "timestamp": (start[visit] + events["offset"][rows]).astype("datetime64[s]"),
        "event_type": _labels(events["event_type"][rows], EVENT_TYPES),
        "product_id": _nullable(_gather(catalog.product_id, product), product >= 0),
        "query": _labels(np.maximum(query, 0), queries, valid=query >= 0),
    }, EVENTS)


def _gather(values: np.ndarray, pos: np.ndarray) -> np.ndarray:
    """``values[pos]`` with -1 where ``pos`` is -1 (also when ``values`` is empty)."""
    return np.r_[values, -1][np.where(pos >= 0, pos, len(values))]


def _nullable(values: np.ndarray, valid: np.ndarray) -> pd.arrays.IntegerArray:
    """Int64 array of ``values`` with NA where not ``valid``."""
    return pd.arrays.IntegerArray(np.where(valid, values, 0).astype(np.int64), ~np.asarray(valid, bool))



def _no_overlaps(who, start, end, protected, keep) -> np.ndarray:
    """Drop visits of a person that start before that person's previous visit ended (plus a
    minute); a protected (order or sign-up) visit wins over an unprotected one."""
    keep = keep.copy()
    # one int64 key orders by person, then start (seconds since the earliest start fit in 32 bits)
    key = (who.astype(np.int64) << 32) | (start - start.min() if len(start) else start)
    by_person_time = np.argsort(key, kind="stable")
    for _ in range(6):  # a few passes settle chains of clashes; each pass is vectorised
        o = by_person_time[keep[by_person_time]]
        clash = np.r_[False, (who[o][1:] == who[o][:-1]) & (start[o][1:] < end[o][:-1] + 60)]
        later = o[clash]
        earlier = o[np.flatnonzero(clash) - 1]
        drop_later = ~protected[later]
        drop_earlier = protected[later] & ~protected[earlier]
        if not (drop_later.any() or drop_earlier.any()):
            break
        keep[later[drop_later]] = False
        keep[earlier[drop_earlier]] = False
    return keep


def _typed(columns_by_name: dict, columns) -> pd.DataFrame:
    """A frame with exactly the schema's columns, in order, with the schema's dtypes."""
    out = {}
    for c in columns:
        col = pd.Series(columns_by_name[c.name], copy=False)
        out[c.name] = col if str(col.dtype) == PANDAS_DTYPE[c.kind] else col.astype(PANDAS_DTYPE[c.kind])
    return pd.DataFrame(out, copy=False)
