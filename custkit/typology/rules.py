"""Rules that infer the customer types of [000] and [001] from behavioural features.

Three families of labels, each from the output of :func:`custkit.typology.customer_features`:

- **knowledge type** (concept B1, [000]): 1 knows neither what they want nor where to find it,
  2 knows what but not where, 3 knows both (:func:`knowledge_types`);
- **persona** (concept B2, [001], the six behavioural sales-view types): searcher, discount
  seeker, researcher, hesitant, impulsive, brand switcher (:func:`sales_types`, column
  ``persona``);
- **relationship** (concept B2, [001], the lifecycle sales-view types): active, at risk,
  dissatisfied, lost (``never_bought`` before a first purchase), and the flag ``referred``
  (:func:`sales_types`, columns ``relationship`` and ``referred``).

A customer carries one label of each family: a discount seeker can be active or lost, and referred.
Every number a rule uses lives in :class:`Thresholds`, so that students can tune them and watch
the grades (:func:`custkit.typology.grade`) move. The rules are deliberately simple: the
simulated types overlap on purpose, so no rule recovers them all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from numbers import Real

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_frame
from custkit import vocabulary
from custkit.errors import CustkitError

PERSONAS: tuple[str, ...] = vocabulary.PERSONAS
"""The six behavioural types of [001], in the article's order."""

RELATIONSHIPS: tuple[str, ...] = vocabulary.LIFECYCLE_STATES
"""Relationship labels; the last four are types 7-10 of [001] (``never_bought``: no purchase yet)."""

KNOWLEDGE_TYPES: tuple[int, ...] = (1, 2, 3)
"""1 knows neither what nor where, 2 knows what not where, 3 knows both ([000])."""


@dataclass(frozen=True)
class Thresholds:
    """Every threshold of the typology rules, with defaults tuned on the classroom shop.

    Shares and rates are fractions (0.3 = 30 %); ``pace`` is time per event relative to the
    shop's mean (1 = typical); days are calendar days. Change one with
    ``dataclasses.replace(Thresholds(), competitor_share=0.2)``.

    Attributes
    ----------
    competitor_share, competitor_searches
        Brand switcher: at least this share of searches, and this many searches, name a brand
        the shop does not sell ([001]: wants to leave another brand).
    bargain_share, bargain_searches
        Discount seeker: at least this share (and number) of searches ask for bargains ...
    offer_share, offer_purchases
        ... or at least this share of purchases used an offer, over at least this many
        purchases ([001]: buys for the discount).
    research_views
        Researcher: at least this many product views per visit ...
    research_pace, research_pace_views
        ... or a pace of at least ``research_pace`` with at least ``research_pace_views``
        product views per visit ([001]: buys after research, details matter).
    impulsive_pace
        Impulsive: a pace of at most this, or a purchase in the very first visit ([001]: buys in
        the moment).
    abandon_rate, abandoned_carts
        Hesitant: at least this share of carts abandoned (and this many) ...
    hesitant_pace, hesitant_advice
        ... or any cancelled order, or a pace of at least ``hesitant_pace``, or at least this many
        advice tickets ([001]: undecided, like a searcher who does not know which way to go).
    knowledge_channel_weight
        Knowledge types: weight of the arrival channel next to the first action (see
        :func:`knowledge_types`).
    at_risk_days, lost_days
        Relationship: no purchase for more than ``at_risk_days`` is at risk, for more than
        ``lost_days`` lost.
    dissatisfied_csat, at_risk_csat
        Relationship: a latest CSAT at or below ``dissatisfied_csat`` (or an unresolved ticket)
        is dissatisfied; at or below ``at_risk_csat`` at risk.
    """

    competitor_share: float = 0.3
    competitor_searches: int = 1
    bargain_share: float = 0.35
    bargain_searches: int = 1
    offer_share: float = 0.75
    offer_purchases: int = 2
    research_views: float = 6.0
    research_pace: float = 1.1
    research_pace_views: float = 2.5
    impulsive_pace: float = 0.55
    abandon_rate: float = 0.6
    abandoned_carts: int = 1
    hesitant_pace: float = 1.1
    hesitant_advice: int = 2
    knowledge_channel_weight: float = 0.1
    at_risk_days: int = 180
    lost_days: int = 270
    dissatisfied_csat: int = 2
    at_risk_csat: int = 3

    def __post_init__(self) -> None:
        shares = ("competitor_share", "bargain_share", "offer_share", "abandon_rate")
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, Real) or value != value:
                raise CustkitError(f"Thresholds.{f.name} must be a number, got {value!r}.")
            if value < 0:
                raise CustkitError(f"Thresholds.{f.name} must be >= 0, got {value!r}.")
            if f.name in shares and value > 1:
                raise CustkitError(f"Thresholds.{f.name} is a share and must lie in [0, 1], got {value!r}.")
        if self.lost_days < self.at_risk_days:
            raise CustkitError(f"Thresholds.lost_days ({self.lost_days}) must be >= at_risk_days "
                               f"({self.at_risk_days}): a customer is at risk before being lost.")


PERSONA_FEATURES: tuple[str, ...] = (
    "searches", "competitor_search_share", "bargain_search_share", "purchases", "offer_order_share",
    "product_views_per_session", "pace", "first_session_purchase", "cart_abandon_rate", "carts_abandoned",
    "cancel_rate", "advice_tickets",
)
KNOWLEDGE_FEATURES: tuple[str, ...] = (
    "first_page_view_share", "first_search_share", "first_product_view_share",
    "social_ads_share", "search_channel_share", "direct_share",
)
RELATIONSHIP_FEATURES: tuple[str, ...] = ("purchases", "recency_days", "csat_last", "unresolved_tickets", "referred")


def _thresholds(thresholds: object) -> Thresholds:
    if thresholds is None:
        return Thresholds()
    if not isinstance(thresholds, Thresholds):
        raise CustkitError(f"thresholds must be a custkit.typology.Thresholds, got {type(thresholds).__name__}; "
                           f"use Thresholds(...) or dataclasses.replace(Thresholds(), ...).")
    return thresholds


def _check_features(features: object, needed: tuple[str, ...], customer: str | None) -> pd.DataFrame:
    """``features`` checked for the ``needed`` columns and, when given, the id column ``customer``."""
    features = require_frame(features, "features")
    require_columns(features, ((customer,) if customer is not None else ()) + needed, "features")
    return features


def _num(features: pd.DataFrame, column: str) -> np.ndarray:
    s = features[column]
    if s.dtype == object or pd.api.types.is_string_dtype(s):
        raise CustkitError(f"features[{column!r}] must hold numbers, found dtype {s.dtype}; "
                           f"pass the output of customer_features.")
    values = pd.to_numeric(s, errors="coerce").astype(float).to_numpy()
    if np.isinf(values).any():
        raise CustkitError(f"features[{column!r}] holds infinite values; features are shares, counts and "
                           f"days, so recompute them with customer_features.")
    return values


def _at_least(x: np.ndarray, v: float) -> np.ndarray:
    """x >= v, False where x is missing (no evidence is not evidence)."""
    return np.nan_to_num(x, nan=-np.inf) >= v


def _at_most(x: np.ndarray, v: float) -> np.ndarray:
    return np.nan_to_num(x, nan=np.inf) <= v


def _first_match(conditions: list[tuple[str, np.ndarray]], default: str) -> np.ndarray:
    """The label of the first true condition per row, else ``default`` (``np.select`` semantics)."""
    return np.select([c for _, c in conditions], [name for name, _ in conditions], default).astype(object)


def persona_rules(features: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.Series:
    """The behavioural persona of each customer by an ordered list of rules (first match wins).

    Rules, in order (thresholds of :class:`Thresholds`; [001] for the types):

    1. ``brand_switcher``: competitor_search_share >= competitor_share and competitor searches
       (share x searches) >= competitor_searches;
    2. ``discount_seeker``: bargain_search_share >= bargain_share with >= bargain_searches bargain
       searches, or offer_order_share >= offer_share over >= offer_purchases purchases;
    3. ``researcher``: product_views_per_session >= research_views, or pace >= research_pace
       with product_views_per_session >= research_pace_views;
    4. ``impulsive``: pace <= impulsive_pace, or a purchase in the first visit;
    5. ``hesitant``: cart_abandon_rate >= abandon_rate with >= abandoned_carts abandoned carts,
       or any cancelled order, or pace >= hesitant_pace, or advice_tickets >= hesitant_advice;
    6. ``searcher`` otherwise: the article's searcher compares and comes back, the common case.

    The order puts the most specific evidence first (searches naming rival brands or bargains are
    rare outside their types). A missing feature (no searches, no purchase) never fires a rule.
    """
    t = _thresholds(thresholds)
    f = _check_features(features, PERSONA_FEATURES, None)
    searches = _num(f, "searches")
    comp_n = np.nan_to_num(_num(f, "competitor_search_share") * searches)
    barg_n = np.nan_to_num(_num(f, "bargain_search_share") * searches)
    views = _num(f, "product_views_per_session")
    pace = _num(f, "pace")
    first_buy = np.nan_to_num(_num(f, "first_session_purchase")) > 0
    conditions = [
        ("brand_switcher", _at_least(_num(f, "competitor_search_share"), t.competitor_share)
         & (comp_n >= t.competitor_searches - 1e-9)),
        ("discount_seeker", (_at_least(_num(f, "bargain_search_share"), t.bargain_share)
                             & (barg_n >= t.bargain_searches - 1e-9))
         | (_at_least(_num(f, "offer_order_share"), t.offer_share) & (_num(f, "purchases") >= t.offer_purchases))),
        ("researcher", _at_least(views, t.research_views)
         | (_at_least(pace, t.research_pace) & _at_least(views, t.research_pace_views))),
        ("impulsive", _at_most(pace, t.impulsive_pace) | first_buy),
        ("hesitant", (_at_least(_num(f, "cart_abandon_rate"), t.abandon_rate)
                      & (_num(f, "carts_abandoned") >= t.abandoned_carts))
         | (np.nan_to_num(_num(f, "cancel_rate")) > 0) | _at_least(pace, t.hesitant_pace)
         | (_num(f, "advice_tickets") >= t.hesitant_advice)),
    ]
    return pd.Series(_first_match(conditions, "searcher"), index=f.index, name="persona", dtype="str")


def relationship_rules(features: pd.DataFrame, thresholds: Thresholds | None = None) -> pd.Series:
    """The relationship label of each customer (types 7-10 of [001]), first match wins.

    1. ``never_bought``: no purchase yet (not a relationship type; a lead);
    2. ``lost``: no purchase for more than ``lost_days`` ([001]: left, for some reason);
    3. ``dissatisfied``: latest CSAT <= ``dissatisfied_csat`` or an unresolved ticket ([001]:
       bought and is unhappy);
    4. ``at_risk``: no purchase for more than ``at_risk_days``, or latest CSAT <=
       ``at_risk_csat`` ([001]: not happy and may stop);
    5. ``active`` otherwise ([001]: buys now, but would leave for a better offer).

    The latent "has stopped" of a lost customer is never observed; a long silence is the proxy,
    so some lost customers who left recently look active, and some slow buyers look lost.
    """
    t = _thresholds(thresholds)
    f = _check_features(features, RELATIONSHIP_FEATURES, None)
    purchases = _num(f, "purchases")
    recency = _num(f, "recency_days")
    csat = _num(f, "csat_last")
    conditions = [
        ("never_bought", ~(purchases > 0)),
        ("lost", _at_least(recency, t.lost_days + 1e-9)),
        ("dissatisfied", _at_most(csat, t.dissatisfied_csat) | (_num(f, "unresolved_tickets") > 0)),
        ("at_risk", _at_least(recency, t.at_risk_days + 1e-9) | _at_most(csat, t.at_risk_csat)),
    ]
    return pd.Series(_first_match(conditions, "active"), index=f.index, name="relationship", dtype="str")


def knowledge_types(
    features: pd.DataFrame, thresholds: Thresholds | None = None, *, customer: str = "customer_id"
) -> pd.DataFrame:
    """Knowledge type 1, 2 or 3 of [000] per customer, from first actions and channels.

    The three types leave different first steps in a visit: type 1 (knows neither what nor where)
    browses category pages, type 2 (knows what, not where) starts with a search, type 3 (knows
    both) lands on the product page. Each customer gets the type with the largest score

    - type 1: first_page_view_share + w x social_ads_share (pushed by feeds and ads),
    - type 2: first_search_share + w x search_channel_share (found through a search engine),
    - type 3: first_product_view_share + w x direct_share (comes straight to the shop),

    with ``w = thresholds.knowledge_channel_weight``; ties go to the lower type.

    Returns
    -------
    DataFrame
        ``customer`` (the id column of ``features``, ``customer_id`` by default) and
        ``knowledge_type`` (int64), in the order of ``features``.
    """
    t = _thresholds(thresholds)
    f = _check_features(features, KNOWLEDGE_FEATURES, customer)
    w = t.knowledge_channel_weight
    score = np.column_stack([
        np.nan_to_num(_num(f, "first_page_view_share")) + w * np.nan_to_num(_num(f, "social_ads_share")),
        np.nan_to_num(_num(f, "first_search_share")) + w * np.nan_to_num(_num(f, "search_channel_share")),
        np.nan_to_num(_num(f, "first_product_view_share")) + w * np.nan_to_num(_num(f, "direct_share")),
    ])
    return pd.DataFrame({customer: f[customer].to_numpy(),
                         "knowledge_type": (score.argmax(axis=1) + 1).astype("int64")})


def sales_types(
    features: pd.DataFrame, thresholds: Thresholds | None = None, *, customer: str = "customer_id"
) -> pd.DataFrame:
    """The eleven sales-view types of [001]: a persona, a relationship label and a referral flag.

    Parameters
    ----------
    features
        Output of :func:`custkit.typology.customer_features` (or any frame with the columns
        the rules read: ``customer_id`` and :data:`PERSONA_FEATURES`, :data:`RELATIONSHIP_FEATURES`).
    thresholds
        :class:`Thresholds`; the defaults when None.

    Returns
    -------
    DataFrame
        ``customer_id``; ``persona`` (one of :data:`PERSONAS`, rules of :func:`persona_rules`);
        ``relationship`` (one of :data:`RELATIONSHIPS`, :func:`relationship_rules`); ``referred``
        (type 11 of [001]: introduced by another customer, bool). One row per row of
        ``features``, in order.
    """
    t = _thresholds(thresholds)
    f = _check_features(features, PERSONA_FEATURES + RELATIONSHIP_FEATURES, customer)
    referred = f["referred"]
    if not pd.api.types.is_bool_dtype(referred):
        raise CustkitError(f"features['referred'] must hold True/False, found dtype {referred.dtype}; "
                           f"pass the output of customer_features.")
    return pd.DataFrame({
        customer: f[customer].to_numpy(),
        "persona": persona_rules(f, t).to_numpy(),
        "relationship": relationship_rules(f, t).to_numpy(),
        "referred": referred.to_numpy(dtype=bool),
    }).astype({"persona": "str", "relationship": "str"})
