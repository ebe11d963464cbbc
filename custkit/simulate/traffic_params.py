"""The behavioural knobs of the traffic stage (:mod:`custkit.simulate.traffic`), with defaults.

:class:`TrafficParams` gathers every number the traffic stage uses: a table per persona (concept
B2, [001]: research visits, returns, funnel step chances, searches, campaign pull, dwell time), a
table per knowledge type (concept B1, [000]: channel mix of visits, first action, pages and
searches), and scalar knobs (channel and device factors, stickiness, tails of activity). Change a
copy and pass it as ``simulate_traffic(..., params=...)`` to see what a number does.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from custkit._checks import require_in_range, require_positive
from custkit.errors import CustkitError

from custkit.vocabulary import CHANNELS, DEVICES, PERSONAS  # noqa: F401  (re-exported)


def _persona_table() -> pd.DataFrame:
    rows = {
        # research visits before the first / a later order, their spread in days, return visits per
        # week while active, product views per visit, funnel step chances of a non-order visit,
        # chance to stay in the favourite category, searches naming rivals / asking for bargains,
        # extra searches, chance a visit is drawn to a campaign day, time multiplier
        "searcher":        (2.0, 0.6, 6.0, 0.22, 3.2, 0.75, 0.22, 0.50, 0.92, 0.05, 0.10, 0.7, 0.10, 1.0),
        "discount_seeker": (1.0, 0.4, 4.0, 0.08, 2.2, 0.60, 0.25, 0.50, 0.45, 0.05, 0.55, 0.2, 0.70, 0.9),
        "researcher":      (3.5, 1.2, 16.0, 0.06, 5.0, 0.80, 0.20, 0.42, 0.50, 0.08, 0.10, 0.4, 0.10, 1.6),
        "hesitant":        (2.0, 0.8, 8.0, 0.07, 2.2, 0.70, 0.60, 0.15, 0.50, 0.05, 0.15, 0.2, 0.12, 1.2),
        "impulsive":       (0.2, 0.15, 1.5, 0.025, 2.0, 0.60, 0.35, 0.70, 0.35, 0.04, 0.15, 0.0, 0.12, 0.6),
        "brand_switcher":  (1.2, 0.4, 6.0, 0.06, 2.2, 0.70, 0.25, 0.50, 0.45, 0.40, 0.10, 0.3, 0.10, 1.0),
    }
    cols = ["research_first", "research_repeat", "research_days", "returns_per_week", "product_views",
            "p_view", "p_cart", "p_checkout", "same_category", "competitor_share", "bargain_share",
            "search_bonus", "campaign_affinity", "dwell"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


def _knowledge_table() -> pd.DataFrame:
    # concept B1 [000]: channel mix of the visits, first action, extra page views and searches
    cols = [*CHANNELS, "first_page", "first_search", "first_product", "pages", "searches", "specific_share"]
    rows = {
        1: (0.30, 0.22, 0.18, 0.08, 0.08, 0.14, 0.75, 0.10, 0.15, 0.9, 0.15, 0.10),
        2: (0.55, 0.06, 0.08, 0.07, 0.06, 0.18, 0.15, 0.70, 0.15, 0.4, 0.8, 0.20),
        3: (0.28, 0.04, 0.05, 0.10, 0.06, 0.47, 0.15, 0.15, 0.70, 0.25, 0.3, 0.60),
    }
    return pd.DataFrame.from_dict(rows, orient="index", columns=cols)


@dataclass(frozen=True, eq=False)
class TrafficParams:
    """The behavioural knobs of the traffic stage, with documented defaults.

    ``personas`` (one row per persona) and ``knowledge`` (one row per knowledge type 1-3) are
    tables so that a researcher can change one number and re-run. Channel and device factors
    multiply the funnel step chances of non-order visits; the priors mix with the knowledge
    type's channel mix (``knowledge_channel_weight``) and are tilted per persona.
    """

    personas: pd.DataFrame = field(default_factory=_persona_table)
    knowledge: pd.DataFrame = field(default_factory=_knowledge_table)
    knowledge_channel_weight: float = 0.45  # weight of the knowledge type's channel mix vs the priors
    browse_channel_prior: tuple = (0.40, 0.08, 0.07, 0.08, 0.07, 0.30)
    purchase_channel_prior: tuple = (0.33, 0.03, 0.04, 0.14, 0.08, 0.38)
    persona_channel_tilt: dict = field(default_factory=lambda: {
        "discount_seeker": (1.0, 1.0, 1.5, 2.2, 1.0, 0.8), "impulsive": (0.9, 1.6, 1.4, 1.0, 1.0, 0.8),
        "researcher": (1.4, 0.8, 0.8, 1.0, 1.0, 1.1), "brand_switcher": (1.4, 1.0, 1.0, 0.8, 1.0, 0.9),
    })
    channel_view_factor: tuple = (1.10, 0.70, 0.80, 1.05, 1.05, 1.15)
    channel_cart_factor: tuple = (1.00, 0.75, 0.80, 1.10, 1.10, 1.15)
    device_mix: tuple = (0.58, 0.34, 0.08)
    device_factor: tuple = (0.70, 1.10, 0.95)  # funnel steps cart and checkout, per DEVICES
    device_stickiness: float = 0.80  # chance a visit uses the preferred device
    mobile_to_desktop_for_orders: float = 0.35  # people who browse on phones often pay on computers
    acquisition_stickiness: float = 0.25  # chance a later visit comes through the first channel
    campaign_attribution: float = 0.30  # chance a paid-channel visit on a campaign day is the campaign's
    # (plus the persona's campaign_affinity)
    order_campaign_visit: float = 0.50  # chance a campaign order's visit came through the campaign
    promotion_weight: float = 8.0  # promotion days count this many campaign days when drawn
    active_tail_days: float = 90.0  # mean days a customer keeps visiting after the last order
    lead_tail_days: float = 40.0  # same for a registered person who never ordered
    anonymous_extra_visits: float = 0.4  # mean visits after the first one of an anonymous visitor
    anonymous_gap_days: float = 12.0
    anonymous_cart_factor: float = 0.6  # visitors without an account fill fewer carts ...
    anonymous_checkout_factor: float = 0.6  # ... and start fewer checkouts (they never pay)
    # Single-page visits ("bounces"), by arrival channel (as CHANNELS: search, social, ads, email,
    # referral, direct). Contentsquare's Digital Experience Benchmark (2021-2023) puts the mean
    # e-commerce bounce rate near 45 %, highest for paid social and display traffic and lowest for
    # e-mail and direct visits; a bounced visit loads one page (or runs one search) and leaves.
    bounce_by_channel: tuple = (0.36, 0.55, 0.58, 0.27, 0.32, 0.27)
    anonymous_bounce_factor: float = 1.15  # people without an account leave at once more often
    customer_bounce_factor: float = 0.4  # ... and registered customers less often
    engagement_sigma: float = 0.4  # lognormal spread of a person's activity around the persona's
    max_research_visits: int = 15
    offline_transaction_types: tuple = ("C2B",)  # trade-ins are agreed offline: no web visit
    hour_weights: tuple = (  # visits by hour of day: quiet nights, busy evenings
        1.5, 0.8, 0.4, 0.25, 0.2, 0.3, 0.6, 1.2, 2.0, 2.6, 3.0, 3.2,
        3.4, 3.2, 3.0, 3.1, 3.3, 3.6, 4.2, 5.0, 5.6, 5.8, 4.8, 3.0,
    )

    def __post_init__(self) -> None:
        """Refuse tables without every persona / knowledge type, negative numbers, chances
        outside [0, 1] and weight vectors of the wrong length."""
        chances = ["p_view", "p_cart", "p_checkout", "same_category", "competitor_share",
                   "bargain_share", "campaign_affinity"]
        for name, table, rows in (("personas", self.personas, list(PERSONAS)),
                                  ("knowledge", self.knowledge, [1, 2, 3])):
            default = _persona_table() if name == "personas" else _knowledge_table()
            if not isinstance(table, pd.DataFrame):
                raise CustkitError(f"TrafficParams.{name} must be a DataFrame like the default, got "
                                   f"{type(table).__name__}.")
            missing = [r for r in rows if r not in table.index] + [c for c in default.columns if c not in table.columns]
            if missing:
                raise CustkitError(f"TrafficParams.{name} lacks rows/columns {missing}; start from the "
                                   f"default table and change values.")
            values = table.loc[rows, list(default.columns)]
            if not all(pd.api.types.is_numeric_dtype(d) for d in values.dtypes) or (values < 0).any().any():
                raise CustkitError(f"TrafficParams.{name} must hold non-negative numbers.")
        if (self.personas.loc[list(PERSONAS), chances] > 1).any().any():
            raise CustkitError(f"TrafficParams.personas columns {chances} are chances: keep them in [0, 1].")
        for name, n in (("browse_channel_prior", 6), ("purchase_channel_prior", 6), ("channel_view_factor", 6),
                        ("bounce_by_channel", 6),
                        ("channel_cart_factor", 6), ("device_mix", 3), ("device_factor", 3), ("hour_weights", 24)):
            v = np.asarray(getattr(self, name), dtype=float)
            if v.shape != (n,) or (v < 0).any() or v.sum() <= 0:
                raise CustkitError(f"TrafficParams.{name} must be {n} non-negative numbers, got {getattr(self, name)!r}.")
        for name in ("knowledge_channel_weight", "device_stickiness", "mobile_to_desktop_for_orders",
                     "acquisition_stickiness", "campaign_attribution", "order_campaign_visit",
                     "anonymous_cart_factor", "anonymous_checkout_factor"):
            require_in_range(getattr(self, name), f"TrafficParams.{name}", 0.0, 1.0)
        if (np.asarray(self.bounce_by_channel, float) > 1).any():
            raise CustkitError("TrafficParams.bounce_by_channel holds chances: keep them in [0, 1].")
        for name in ("anonymous_bounce_factor", "customer_bounce_factor", "promotion_weight", "active_tail_days",
                     "lead_tail_days", "anonymous_extra_visits", "anonymous_gap_days", "engagement_sigma",
                     "max_research_visits"):
            require_positive(getattr(self, name), f"TrafficParams.{name}", allow_zero=True)


@functools.lru_cache(maxsize=1)
def _default_params() -> TrafficParams:
    """The default knobs, built and validated once (callers never modify them)."""
    return TrafficParams()
