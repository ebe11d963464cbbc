"""How simulated customers answer a marketing offer: both outcomes, with and without it.

A real shop never sees this module; it is how the simulator's customers behave, so that a
targeting experiment (:func:`custkit.segmentation.simulate_campaign`, notebook 05) has a true
answer. Every customer has two potential outcomes over the campaign's weeks (Rubin's causal
model; for marketing, Lo 2002, "The true lift model", SIGKDD Explorations 4(2)):

- **without the offer** some would buy anyway, at their own pace: the *sure things* of
  Radcliffe and Surry (2011, "Real-world uplift modelling with significance-based uplift
  trees"), mostly the shop's best, most active customers;
- **with the offer** some of the others are persuaded: the *persuadables*, more often customers
  who are drifting away (at risk) and discount seekers than the lost, the *lost causes*.

What a campaign *causes* is the difference (the uplift). Responses alone count the sure things
too, so the rule with the most responses is not the one that earns most.

Stylised magnitudes (stated in the datasheet): the pace is ``truth.purchase_rate`` (per week);
the persuasion rates are set so that a 10 % e-mail offer lifts the four-week purchase rate of a
random opted-in list by about 3 percentage points (from about 3.5 % to 6.5 %). Holdout tests of
direct-marketing offers report uplifts of a few points (Radcliffe and Surry 2011); Hillstrom's
(2008, MineThatData) e-mail test without a discount measured 0.7 points of purchases in two
weeks (1.25 % against 0.57 %), so this shop's discounted four-week offer sits at the generous end.
"""

from __future__ import annotations

import pandas as pd

from custkit._checks import require_columns, require_frame, require_in_range, require_numeric
from custkit.errors import CustkitError
from custkit.simulate.precision import held, held_exp

CAMPAIGN_WEEKS = 4
"""Weeks over which a campaign's purchases are counted, with and without the offer."""

PACE_BY_STATE = {"active": 1.0, "at_risk": 0.5, "dissatisfied": 0.3, "never_bought": 0.3, "lost": 0.0}
"""Share of their own pace (``purchase_rate``) at which customers buy without an offer, by
``truth.lifecycle_state``; a customer not ``alive_at_end`` counts as lost and buys nothing."""

PERSUASION = {"email": 0.04, "social": 0.02, "ads": 0.01}
"""Chance that the offer persuades a typical customer who would not have bought (state factor 1,
ability 0.5, no discount), by channel."""

PERSUADABLE_BY_STATE = {"active": 1.0, "at_risk": 1.6, "dissatisfied": 0.4, "never_bought": 0.6, "lost": 0.1}
"""Multiplier of :data:`PERSUASION` by lifecycle state: a reminder works best on customers who
are drifting away; the dissatisfied and the lost are hard to win with a discount."""

DISCOUNT_SENSITIVITY = {
    "discount_seeker": 10.0,
    "impulsive": 4.0,
    "hesitant": 4.0,
    "brand_switcher": 3.0,
    "searcher": 2.0,
    "researcher": 1.0,
}
"""Persuasion lift per unit of discount by persona: lift = 1 + sensitivity x discount_pct / 100."""

MAX_PERSUASION = 0.95

_COLUMNS = ["purchase_rate", "alive_at_end", "lifecycle_state", "ability", "persona"]


def _state(truth: pd.DataFrame) -> pd.Series:
    state = truth["lifecycle_state"].astype("str").where(truth["alive_at_end"].astype(bool), "lost")
    return state.where(state.isin(list(PACE_BY_STATE)), "lost")


def purchase_probabilities(truth: pd.DataFrame, *, channel: str, discount_pct: float) -> pd.DataFrame:
    """Both potential outcomes per row of ``truth`` (index kept): ``p_without`` and ``p_with``.

    p_without = 1 - exp(-weeks x purchase_rate x pace[state]), the chance to buy in the
    :data:`CAMPAIGN_WEEKS` anyway; q = min(0.95, persuasion[channel] x persuadable[state] x
    (0.5 + ability) x (1 + s[persona] x d)), the chance that the offer persuades someone who would
    not have bought (d the discount as a fraction, s from :data:`DISCOUNT_SENSITIVITY`, 2 for an
    unknown persona); p_with = p_without + (1 - p_without) x q. So p_with >= p_without: in this
    model an offer never puts anyone off (no "sleeping dogs").
    """
    require_frame(truth, "truth")
    require_columns(truth, _COLUMNS, "truth")
    require_numeric(truth, "purchase_rate", "truth")
    require_numeric(truth, "ability", "truth")
    if channel not in PERSUASION:
        raise CustkitError(f"channel must be one of {list(PERSUASION)}, got {channel!r}.")
    d = require_in_range(discount_pct, "discount_pct", 0, 100, high_open=True) / 100
    state = _state(truth)
    rate = truth["purchase_rate"].astype(float).clip(lower=0)
    # held_exp: the same bits on every CPU dispatch target, so no draw flips with the CPU
    weekly = rate.to_numpy() * state.map(PACE_BY_STATE).astype(float).to_numpy()
    p_without = pd.Series(held(1 - held_exp(-CAMPAIGN_WEEKS * weekly)), index=truth.index)
    ability = 0.5 + truth["ability"].astype(float).clip(0, 1)
    lift = 1 + truth["persona"].map(DISCOUNT_SENSITIVITY).fillna(2.0).astype(float) * d
    q = (PERSUASION[channel] * state.map(PERSUADABLE_BY_STATE).astype(float) * ability * lift).clip(upper=MAX_PERSUASION)
    p_with = pd.Series(held(p_without + (1 - p_without) * q), index=truth.index)
    return pd.DataFrame({"p_without": p_without.astype(float), "p_with": p_with.astype(float)}, index=truth.index)


def response_probability(truth: pd.DataFrame, *, channel: str, discount_pct: float) -> pd.Series:
    """Chance that each customer buys in the campaign's weeks when sent the offer (``p_with`` of
    :func:`purchase_probabilities`), index kept."""
    return purchase_probabilities(truth, channel=channel, discount_pct=discount_pct)["p_with"]
