"""How simulated customers respond to a marketing offer: the hidden model a campaign is graded by.

A real shop never sees this function; it is how the simulator's customers behave, so that a
targeting experiment (:func:`custkit.segmentation.simulate_campaign`, notebook 05) has a true
answer. The chance to respond rises with being alive and active, with the purchase rate and the
ability to pay; discount seekers respond most to a discount, researchers least.
"""

from __future__ import annotations

import pandas as pd

from custkit._checks import require_columns, require_frame, require_in_range, require_numeric
from custkit.errors import CustkitError

BASE_RESPONSE = {"email": 0.08, "social": 0.04, "ads": 0.02}
"""Chance that an active customer with median purchase rate and ability 0.5 responds, no discount."""

STATE_FACTOR = {"active": 1.0, "at_risk": 0.5, "dissatisfied": 0.25, "never_bought": 0.3, "lost": 0.05}
"""Multiplier by ``truth.lifecycle_state`` (a customer not ``alive_at_end`` counts as lost)."""

DISCOUNT_SENSITIVITY = {
    "discount_seeker": 10.0,
    "impulsive": 4.0,
    "hesitant": 4.0,
    "brand_switcher": 3.0,
    "searcher": 2.0,
    "researcher": 1.0,
}
"""Response lift per unit of discount by persona: lift = 1 + sensitivity x discount_pct / 100."""

MAX_RESPONSE = 0.95


def response_probability(truth: pd.DataFrame, *, channel: str, discount_pct: float) -> pd.Series:
    """The response model, per row of ``truth`` (index kept).

    p = min(0.95, base[channel] x state x activity x (0.5 + ability) x (1 + s[persona] x d)), with
    base from :data:`BASE_RESPONSE`, state from :data:`STATE_FACTOR` (lost when not alive at the
    end), activity = 2 r / (r + median r) for the purchase rate r (1 at the median, below 2), d
    the discount as a fraction and s from :data:`DISCOUNT_SENSITIVITY` (2 for an unknown persona).
    """
    cols = ["purchase_rate", "alive_at_end", "lifecycle_state", "ability", "persona"]
    require_frame(truth, "truth")
    require_columns(truth, cols, "truth")
    require_numeric(truth, "purchase_rate", "truth")
    require_numeric(truth, "ability", "truth")
    if channel not in BASE_RESPONSE:
        raise CustkitError(f"channel must be one of {list(BASE_RESPONSE)}, got {channel!r}.")
    d = require_in_range(discount_pct, "discount_pct", 0, 100, high_open=True) / 100
    state = truth["lifecycle_state"].map(STATE_FACTOR).fillna(STATE_FACTOR["lost"])
    state = state.where(truth["alive_at_end"].astype(bool), STATE_FACTOR["lost"])
    rate = truth["purchase_rate"].astype(float).clip(lower=0)
    median = float(rate.median())
    activity = 2 * rate / (rate + median) if median > 0 else pd.Series(1.0, index=truth.index)
    ability = 0.5 + truth["ability"].astype(float).clip(0, 1)
    lift = 1 + truth["persona"].map(DISCOUNT_SENSITIVITY).fillna(2.0) * d
    return (BASE_RESPONSE[channel] * state * activity * ability * lift).clip(upper=MAX_RESPONSE).astype(float)
