"""The events of each visit: page views, searches, product views, carts, checkout and purchase.

:func:`custkit.simulate.traffic.simulate_traffic` decides *which* visits happen and how deep each
one goes in the web funnel (concept C2 of the kit's concept map); this module fills each visit with
its click stream, vectorised over all visits at once:

* the first action follows the visitor's knowledge type (concept B1, [000]): type 1 (knows
  neither what nor where) lands on category pages, type 2 (knows what, not where) searches with
  generic words, type 3 (knows both) goes straight to a product page;
* product views concentrate on the visit's focus category (searchers compare within one
  category, [001]);
* search queries are written in the shop's language (Persian for fa_IR) and name competitor
  brands for brand switchers ([001]: "wants to leave another brand");
* an add-to-cart always follows the view of the same product; checkout and purchase close the
  visit, and the purchase of an order visit carries exactly the order's products.

Event order within a visit is fixed by an integer sort key (first action 0, browsing events a
random even key below 2**20, an add-to-cart its view's key + 1, checkout 2**21, purchase
2**21 + 1); the seconds between events are exponential with a mean per event type, stretched for
deliberate personas.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from custkit._checks import require_columns, require_frame
from custkit.errors import CustkitError

EVENT_TYPES = ("page_view", "search", "product_view", "add_to_cart", "checkout", "purchase")
PAGE_VIEW, SEARCH, PRODUCT_VIEW, ADD_TO_CART, CHECKOUT, PURCHASE = range(6)

MEAN_GAP_SECONDS = np.array([35.0, 20.0, 55.0, 15.0, 80.0, 100.0])
"""Mean seconds spent before each event type (index as EVENT_TYPES)."""

COMPETITOR_BRANDS = {
    # Fictional brands the shop does not sell; brand switchers search for them ([001]).
    "en": ("Zentrova", "Orvexa", "Quillmere", "Tarnelli", "Brivana", "Velquist", "Moravex", "Candrel"),
    "fa": ("آوین‌مارک", "زرنیکا", "تیراوند", "کاریزان", "آرمینو", "نیلوفام", "بهرسان", "سپیدانه"),
}

# One-slot templates: query = pre + term + post. Two-slot ones add mid + second term.
_GENERIC = {
    "en": (("", ""), ("best ", ""), ("", " price"), ("buy ", ""), ("", " reviews")),
    "fa": (("", ""), ("بهترین ", ""), ("قیمت ", ""), ("خرید ", ""), ("", " خوب")),
}
_BARGAIN = {
    "en": (("cheap ", ""), ("", " sale"), ("", " discount"), ("", " deals")),
    "fa": (("", " ارزان"), ("تخفیف ", ""), ("حراج ", ""), ("", " با تخفیف")),
}
_SPECIFIC = {  # slot: a product name or "brand term"
    "en": (("", ""), ("", " review"), ("", " price"), ("", " specs")),
    "fa": (("", ""), ("نقد و بررسی ", ""), ("قیمت ", ""), ("مشخصات ", "")),
}
_COMPETITOR = {  # slot 1: competitor brand, slot 2: term or the shop's brand
    "en": (("alternative to ", "", ""), ("", " ", ""), ("", " vs ", ""), ("", "", " alternative")),
    "fa": (("جایگزین ", "", ""), ("", " ", ""), ("مقایسه ", " و ", ""), ("بهتر از ", "", "")),
}


@dataclass(frozen=True, eq=False)
class Catalog:
    """Products arranged for fast sampling within a category, weighted by popularity.

    ``key`` holds, for products sorted by category, ``category code + cumulative popularity
    share within the category``, so ``searchsorted(key, c + u)`` draws a product of category
    ``c`` (inverse-CDF sampling for many categories at once).
    """

    product_id: np.ndarray
    category: np.ndarray  # category code per product (sorted)
    key: np.ndarray
    cat_start: np.ndarray
    cat_end: np.ndarray
    cat_share: np.ndarray  # popularity share of each category
    categories: np.ndarray  # category names
    term: pa.Array  # generic words naming the item ("wireless earbuds")
    brand: pa.Array
    name: pa.Array

    @classmethod
    def from_products(cls, products: pd.DataFrame) -> Catalog:
        """Arrange a ``products`` table (product_id, name, category, brand; optional popularity)."""
        require_frame(products, "products")
        require_columns(products, ("product_id", "name", "category", "brand"), "products")
        pop = (
            products["popularity"].to_numpy(float)
            if "popularity" in products.columns
            else np.ones(len(products))
        )
        pop = np.where(np.isfinite(pop) & (pop > 0), pop, 1e-9)
        categories, code = np.unique(products["category"].astype(str).to_numpy(), return_inverse=True)
        order = sort_order(products["product_id"].to_numpy(), code)
        code, pop = code[order], pop[order]
        cat_total = np.bincount(code, weights=pop, minlength=len(categories))
        within = pd.Series(pop / cat_total[code]).groupby(code).cumsum().to_numpy()
        starts = np.searchsorted(code, np.arange(len(categories)), side="left")
        ends = np.searchsorted(code, np.arange(len(categories)), side="right")
        sorted_products = products.iloc[order]
        return cls(
            product_id=sorted_products["product_id"].to_numpy(np.int64),
            category=code,
            key=code + np.minimum(within, 1.0),
            cat_start=starts,
            cat_end=ends,
            cat_share=cat_total / cat_total.sum(),
            categories=categories,
            term=pa.array(list(_item_terms(sorted_products)), type=pa.large_string()),
            brand=pa.array(sorted_products["brand"].astype(str).tolist(), type=pa.large_string()),
            name=pa.array(sorted_products["name"].astype(str).tolist(), type=pa.large_string()),
        )

    def sample(self, rng: np.random.Generator, category: np.ndarray) -> np.ndarray:
        """Row positions of one popularity-weighted product per entry of ``category`` (codes)."""
        pos = np.searchsorted(self.key, category + rng.random(len(category)), side="left")
        return np.clip(pos, self.cat_start[category], self.cat_end[category] - 1)

    def sample_category(self, rng: np.random.Generator, n: int) -> np.ndarray:
        """``n`` category codes drawn by category popularity."""
        return rng.choice(len(self.categories), size=n, p=self.cat_share)


def _item_terms(products: pd.DataFrame) -> np.ndarray:
    """Generic words for each product: its name without the brand and without model codes.

    "Novaline Wireless Earbuds X2" -> "wireless earbuds". Falls back to the category name when
    nothing is left.
    """
    name = products["name"].astype(str)
    brand = products["brand"].astype(str)
    # Per-row brand removal has no vectorised pandas form; the catalog has at most a few
    # thousand rows, so a comprehension over products is cheap.
    stripped = [n.replace(b, " ") for n, b in zip(name.tolist(), brand.tolist(), strict=True)]
    words = pd.Series(stripped, dtype="str").str.split()
    term = words.map(lambda ws: " ".join(w for w in ws if not any(ch.isdigit() for ch in w)))
    term = term.str.lower().str.strip()
    category = products["category"].astype(str).str.replace("_", " ").str.lower()
    return np.where(term.str.len().to_numpy() > 0, term.to_numpy(), category.to_numpy()).astype(object)


def sort_order(*keys: np.ndarray) -> np.ndarray:
    """Like ``np.lexsort(keys)`` (last key primary), by repeated stable argsorts.

    ``np.lexsort`` takes about 2 s on a million rows here; a stable argsort per key takes a
    few hundredths, so a least-significant-key-first pass over the keys is much faster.
    """
    if not keys or len({len(k) for k in keys}) != 1:
        raise CustkitError(f"sort_order needs one or more keys of equal length, got lengths {[len(k) for k in keys]}.")
    order = np.argsort(keys[0], kind="stable")
    for key in keys[1:]:
        order = order[np.argsort(np.asarray(key)[order], kind="stable")]
    return order


def _within_rank(group: np.ndarray) -> np.ndarray:
    """0, 1, 2, ... within runs of equal values of a sorted ``group`` array."""
    if len(group) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.r_[0, np.flatnonzero(np.diff(group)) + 1]
    sizes = np.diff(np.r_[starts, len(group)])
    return np.arange(len(group)) - np.repeat(starts, sizes)


def _template_table(lang: str) -> tuple[list[str], list[str], list[str], np.ndarray, np.ndarray]:
    """All query templates of a language as (pre, mid, post) lists, with the first template and
    the number of templates of each query kind (generic, bargain, specific, rival)."""
    one_slot = [_GENERIC[lang], _BARGAIN[lang], _SPECIFIC[lang]]
    rows = [(p, "", q) for group in one_slot for p, q in group] + list(_COMPETITOR[lang])
    sizes = np.array([len(g) for g in one_slot] + [len(_COMPETITOR[lang])])
    pre, mid, post = (list(col) for col in zip(*rows, strict=True))
    return pre, mid, post, np.cumsum(sizes) - sizes, sizes


def make_queries(
    rng: np.random.Generator,
    lang: str,
    kind: np.ndarray,
    product_row: np.ndarray,
    catalog: Catalog,
) -> tuple[pa.Array, np.ndarray]:
    """Search texts for searches of the given kinds.

    ``kind``: 0 generic words, 1 bargain words, 2 a specific product or brand, 3 a competitor
    brand ([001]: brand switchers look for alternatives to the brand they want to leave).
    ``product_row`` is a catalog row that sets the words (the visit's focus category).

    Returns the distinct texts (an Arrow string array) and, per search, the position of its text:
    the few thousand distinct queries are written once in Python, not once per search.
    """
    kind = np.asarray(kind)
    product_row = np.asarray(product_row)
    if len(kind) != len(product_row):
        raise CustkitError(f"make_queries: kind ({len(kind)}) and product_row ({len(product_row)}) differ in length.")
    if len(kind) and (kind.min() < 0 or kind.max() > 3 or product_row.min() < 0
                      or product_row.max() >= len(catalog.product_id)):
        raise CustkitError("make_queries: kind must hold 0-3 and product_row catalog rows "
                           f"0-{len(catalog.product_id) - 1}.")
    lang = lang if lang in _GENERIC else "en"
    n = len(kind)
    pre, mid, post, first, sizes = _template_table(lang)
    template = first[kind] + (rng.random(n) * sizes[kind]).astype(np.int64)
    local = template - first[kind]  # position within the kind's templates
    rival = np.where(kind == 3, rng.integers(len(COMPETITOR_BRANDS[lang]), size=n), 0)
    by_name = (kind == 2) & (rng.random(n) < 0.5)  # else "brand + item words"
    # rival templates 1 and 2 use the product (item words, shop brand); 0 and 3 do not
    uses_product = (kind != 3) | (local == 1) | (local == 2)
    n_rows = len(catalog.product_id)
    code = ((template * (n_rows + 1) + np.where(uses_product, product_row + 1, 0)) * 8 + rival) * 2 + by_name
    unique, index = np.unique(code, return_inverse=True)
    u_flag = unique % 2
    u_rival = unique // 2 % 8
    u_row = unique // 16 % (n_rows + 1) - 1
    u_template = unique // 16 // (n_rows + 1)
    term, brand, name = catalog.term.to_pylist(), catalog.brand.to_pylist(), catalog.name.to_pylist()
    rivals = COMPETITOR_BRANDS[lang]
    rival_first = first[3]
    texts = []
    # one pass over the distinct queries (at most templates x products x rivals, a few thousand)
    for t, r, f, v in zip(u_template.tolist(), u_row.tolist(), u_flag.tolist(), u_rival.tolist(), strict=True):
        if t >= rival_first:
            second = term[r] if t - rival_first == 1 else brand[r] if t - rival_first == 2 else ""
            texts.append(pre[t] + rivals[v] + mid[t] + second + post[t])
        elif first[2] <= t:
            texts.append(pre[t] + (name[r] if f else f"{brand[r]} {term[r]}") + post[t])
        else:
            texts.append(pre[t] + term[r] + post[t])
    return pa.array(texts, type=pa.large_string()), index.astype(np.int64)


@dataclass(frozen=True, eq=False)
class VisitPlan:
    """What :func:`build_events` needs to know about each visit (arrays of one length)."""

    stage: np.ndarray  # deepest funnel step 0..4 (visit .. purchase)
    bounce: np.ndarray  # leaves after the first page or search (stage 0 only)
    knowledge: np.ndarray  # knowledge type 1..3
    persona: np.ndarray  # persona code
    engage: np.ndarray  # person's engagement multiplier
    category: np.ndarray  # focus category code
    product_views: np.ndarray  # mean product views of the persona
    search_bonus: np.ndarray  # extra mean searches of the persona
    competitor_share: np.ndarray  # chance that a search names a competitor
    bargain_share: np.ndarray  # chance that a search asks for a bargain
    dwell: np.ndarray  # time multiplier of the persona
    first_probs: np.ndarray  # (n, 3) chance that the first action is page_view/search/product_view
    extra_pages: np.ndarray  # (n, 2) mean extra page views and searches
    specific_share: np.ndarray  # chance that a search names a product/brand


def build_events(
    rng: np.random.Generator,
    plan: VisitPlan,
    line_visit: np.ndarray,
    line_product: np.ndarray,
    catalog: Catalog,
    lang: str,
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The click stream of every visit.

    Parameters
    ----------
    plan
        One entry per visit. Visits with ``stage == 4`` are order visits.
    line_visit, line_product
        For order visits: one entry per order line, the visit position and the product's catalog
        row; each line becomes a product_view followed by an add_to_cart.
    catalog, lang
        The products (:class:`Catalog`) and the language of the search texts ("en" or "fa").

    Returns
    -------
    events
        Dict of equally long arrays sorted by visit and time: ``visit`` (position in ``plan``),
        ``offset`` (seconds after the visit start), ``event_type`` (code of EVENT_TYPES),
        ``product_row`` (catalog row or -1), ``query`` (position in ``queries`` or -1).
    queries
        The distinct search texts (Arrow string array).
    duration
        Seconds from the first to the last event of each visit.
    """
    n = len(plan.stage)
    if len(line_visit) != len(line_product) or any(
            len(getattr(plan, f.name)) != n for f in dataclasses.fields(plan)):
        raise CustkitError("build_events: every VisitPlan array needs one entry per visit, and "
                           "line_visit and line_product one entry per order line.")
    stage = plan.stage
    first = _choose_first(rng, plan.first_probs, stage)
    stay = ~plan.bounce  # a bounced visit is its first action alone
    n_page = stay * rng.poisson(plan.extra_pages[:, 0]) + (first == PAGE_VIEW)
    n_search = stay * rng.poisson(plan.extra_pages[:, 1] + plan.search_bonus) + (first == SEARCH)
    is_order = stage == 4
    # browsing product views: >= 1 from the product_view stage on; fewer extra looks in order visits
    mean_more = np.maximum(plan.product_views - 1.0, 0.0) * plan.engage * np.where(is_order, 0.3, 1.0)
    n_view = np.where(stage >= 1, (~is_order).astype(int) + rng.poisson(mean_more), 0)
    n_cart = np.where((stage >= 2) & ~is_order, np.minimum(n_view, 1 + rng.poisson(0.3, n)), 0)

    parts = []

    def add(visit, etype, key, product_row, query=None):
        parts.append((visit, np.full(len(visit), etype, np.int8), key, product_row, query))

    # page views and searches
    v = np.repeat(np.arange(n), n_page)
    add(v, PAGE_VIEW, _keys(rng, v, first == PAGE_VIEW), np.full(len(v), -1))
    v = np.repeat(np.arange(n), n_search)
    kind = _query_kind(rng, plan, v)
    query_product = catalog.sample(rng, plan.category[v])
    queries, query_index = make_queries(rng, lang, kind, query_product, catalog)
    add(v, SEARCH, _keys(rng, v, first == SEARCH), np.full(len(v), -1), query_index)
    # browsing product views, mostly in the focus category
    v = np.repeat(np.arange(n), n_view)
    cat = np.where(rng.random(len(v)) < 0.85, plan.category[v], catalog.sample_category(rng, len(v)))
    rows = catalog.sample(rng, cat)
    first_view = (first == PRODUCT_VIEW) & ~is_order
    key = _keys(rng, v, first_view)
    add(v, PRODUCT_VIEW, key, rows)
    carted = _within_rank(v) < n_cart[v]
    add(v[carted], ADD_TO_CART, key[carted] + 1, rows[carted])
    # the order's own products: viewed, then added to the cart
    key = _keys(rng, line_visit, (first == PRODUCT_VIEW) & is_order)
    add(line_visit, PRODUCT_VIEW, key, line_product)
    add(line_visit, ADD_TO_CART, key + 1, line_product)
    v = np.flatnonzero(stage >= 3)
    add(v, CHECKOUT, np.full(len(v), _CHECKOUT_KEY), np.full(len(v), -1))
    v = np.flatnonzero(is_order)
    add(v, PURCHASE, np.full(len(v), _CHECKOUT_KEY + 1), np.full(len(v), -1))

    visit = np.concatenate([p[0] for p in parts])
    etype = np.concatenate([p[1] for p in parts])
    key = np.concatenate([p[2] for p in parts])
    product_row = np.concatenate([p[3] for p in parts]).astype(np.int64)
    query = np.concatenate([np.full(len(p[0]), -1) if p[4] is None else p[4] for p in parts])
    order = np.argsort((visit.astype(np.int64) << 22) | key, kind="stable")
    visit, etype, product_row, query = visit[order], etype[order], product_row[order], query[order]

    gap = rng.exponential(MEAN_GAP_SECONDS[etype] * plan.dwell[visit])
    gap = np.ceil(gap).astype(np.int64)
    rank = _within_rank(visit)
    gap[rank == 0] = 0
    cum = np.cumsum(gap)
    # every visit has at least one event (its first action), so runs and visits match one to one
    offset = cum - np.repeat(cum[rank == 0], np.bincount(visit, minlength=n))
    duration = np.zeros(n, dtype=np.int64)
    last = np.r_[rank[1:] == 0, True] if len(rank) else np.zeros(0, bool)
    duration[visit[last]] = offset[last]
    events = {"visit": visit, "offset": offset, "event_type": etype, "product_row": product_row, "query": query}
    return events, queries, duration


def _choose_first(rng: np.random.Generator, probs: np.ndarray, stage: np.ndarray) -> np.ndarray:
    """First action per visit (PAGE_VIEW, SEARCH or PRODUCT_VIEW) by knowledge type.

    A visit that never reaches a product page cannot start on one: it starts on a page instead.
    """
    cum = np.cumsum(probs, axis=1)
    first = (rng.random(len(stage))[:, None] > cum[:, :-1]).sum(axis=1)  # 0, 1 or 2
    first = np.where((first == 2) & (stage == 0), 0, first)
    return np.array([PAGE_VIEW, SEARCH, PRODUCT_VIEW])[first]


_CHECKOUT_KEY = 1 << 21


def _keys(rng: np.random.Generator, visit: np.ndarray, first_here: np.ndarray) -> np.ndarray:
    """Sort keys for events of one type: random even numbers in [2, 2**20); the visit's first one
    gets 0 when ``first_here`` (per visit) says the visit starts with this type. ``visit`` must be
    sorted."""
    key = 2 * rng.integers(1, 1 << 19, len(visit))
    lead = (_within_rank(visit) == 0) & first_here[visit]
    key[lead] = 0
    return key


def _query_kind(rng: np.random.Generator, plan: VisitPlan, visit: np.ndarray) -> np.ndarray:
    """0 generic, 1 bargain, 2 specific, 3 competitor, drawn per search."""
    u = rng.random(len(visit))
    competitor = plan.competitor_share[visit]
    specific = plan.specific_share[visit] * (1 - competitor)
    kind = np.where(u < competitor, 3, np.where(u < competitor + specific, 2, 0))
    bargain = (kind == 0) & (rng.random(len(visit)) < plan.bargain_share[visit])
    return np.where(bargain, 1, kind)
