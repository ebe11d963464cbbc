"""People: registered customers and anonymous visitors, with their hidden traits and demographics.

Hidden traits drive behaviour, and only what a shop would see is written to ``customers``:

* persona (searcher, discount seeker, researcher, hesitant, impulsive, brand switcher; concept
  B2, article [001]) sets the purchase rate, the chance to stop, the taste for discounts, how
  often advice is asked, cancels and returns;
* knowledge type 1/2/3 (concept B1, [000]) sets awareness of the need (aptitude) and how a
  person first arrives (``KNOWLEDGE_CHANNEL``): type 1, who knows neither what nor where, is
  reached by social media and ads; type 2, who knows what but not where, searches; type 3, who
  knows both, comes direct or by search;
* ability to pay follows socio-economic class and occupation; a purchase needs *both* ability and
  aptitude (concept A3, [003]): the purchase rate is multiplied by a soft gate
  ``sigmoid(25 (ability - 0.32)) * sigmoid(25 (aptitude - 0.32))``, so people with only one of the
  two rarely buy and some accounts stay leads;
* the rate and dropout of each person are drawn as in the BG/NBD model (Fader, Hardie & Lee
  2005, "Counting your customers the easy way", assumptions (ii) and (iv): gamma-distributed
  rates, beta-distributed dropout probabilities) around the persona's means; satisfaction then
  moves both after every order (custkit.simulate.feedback: completely satisfied customers stay
  and come back sooner, merely satisfied ones often stop).

Types overlap on purpose: no single observed column gives the persona away.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit.config import ACCOUNT_TYPES, CHANNELS, PERSONAS, ShopConfig
from custkit.simulate.precision import MONEY_DECIMALS, held, logistic

from custkit.vocabulary import AGE_BANDS, DEVICES  # noqa: F401  (re-exported)
from custkit.vocabulary import SOCIO_ECONOMIC_CLASSES as CLASSES  # noqa: F401

# One row per persona (order of PERSONAS). Purchase rate in orders per week of a person with full
# ability and aptitude on an ordinary day, buying again at the CSAT 4/5 border of satisfaction
# (completely satisfied customers buy up to twice as fast, merely satisfied ones half as fast:
# custkit.simulate.feedback.repurchase_pace); dropout = mean chance to stop after a purchase of a
# *completely* satisfied customer (merely satisfied ones stop 8-15 times as often, Jones & Sasser
# 1995: custkit.simulate.feedback.dropout_probability). Calibrated so that, as in the CDNOW sample
# (Fader, Hardie & Lee 2005), about 60 % of a quarter's new buyers do not buy again within 39
# weeks and the group averages about 0.8 purchase days in weeks 40-78 (custkit.realism).
PERSONA_RATE = np.array([0.09, 0.052, 0.072, 0.058, 0.14, 0.085])
PERSONA_DROPOUT = np.array([0.0344, 0.0688, 0.0208, 0.0432, 0.052, 0.0656])
RATE_CAP = 3.0  # the heaviest buyers buy at most 3 times their persona's pace (about 5 % are capped):
# without it a handful of customers placed 30+ orders in 39 weeks, far beyond CDNOW's heaviest
RATE_SHAPE = 1.0  # gamma shape of the rates around the persona mean (CDNOW's fitted shape is 0.24)
DROPOUT_CONCENTRATION = 20.0  # a + b of the beta spread of dropouts around the persona mean
INITIAL_SATISFACTION = (6.0, 2.0)  # beta parameters of satisfaction before the first order (mean 0.75)
CAMPAIGN_PULL = np.array([0.3, 10.0, 0.2, 0.5, 0.6, 0.3])  # demand multiplier - 1 on campaign days
PROMO_PULL = np.array([2.0, 15.0, 1.0, 2.0, 3.0, 2.0])  # ... and on promotion days
USES_OFFER = np.array([0.55, 0.97, 0.45, 0.65, 0.5, 0.5])  # takes a running campaign's offer
# Chance to ask for advice before an order (times KNOWLEDGE_ADVICE in custkit.simulate.service):
# researchers and hesitant buyers ask most, and few orders need a question at all (about 2 per 100).
ADVICE_PROB = np.array([0.015, 0.008, 0.045, 0.035, 0.003, 0.012])
CANCEL_FACTOR = np.array([1.0, 1.0, 0.7, 2.5, 1.5, 1.2])
RETURN_FACTOR = np.array([1.0, 1.2, 0.6, 1.2, 1.8, 1.3])
EXTRA_LINES = np.array([0.45, 0.5, 0.35, 0.25, 0.8, 0.45])  # mean of extra order lines
SIGNUP_PURCHASE = np.array([0.55, 0.2, 0.5, 0.45, 0.8, 0.55])  # buys at the sign-up visit
# Chance that a first purchase which would otherwise come later is made at the sign-up visit instead
# (concept B2 [001]: the impulsive buyer "buys in the moment"): it shortens the sign-up-to-first-order
# gap to zero for most impulsive buyers without changing who buys at all (see
# custkit.simulate.purchasing.simulate_orders).
FIRST_ORDER_IN_MOMENT = np.array([0.0, 0.0, 0.0, 0.0, 0.85, 0.0])
OPT_IN = np.array([0.5, 0.8, 0.4, 0.55, 0.6, 0.5])
# Channel affinity (columns as CHANNELS: search, social, ads, email, referral, direct).
CHANNEL_AFFINITY = np.array([
    [2.0, 0.7, 0.8, 0.7, 1.0, 0.8],
    [0.8, 1.2, 1.6, 1.8, 1.0, 0.7],
    [1.6, 0.6, 0.6, 1.0, 1.2, 1.3],
    [1.0, 1.0, 1.0, 1.2, 1.2, 0.9],
    [0.6, 2.0, 1.6, 0.8, 1.0, 0.8],
    [1.2, 1.2, 1.2, 0.8, 1.2, 0.8],
])
# Channel multipliers by knowledge type (rows 1, 2, 3; columns as CHANNELS), concept B1 [000]:
# type 1 (knows neither what nor where) is found by social media and ads, type 2 (knows what, not
# where) searches for it, type 3 (knows both) types the address or searches the shop by name.
# They multiply config.channel_mix together with CHANNEL_AFFINITY; a per-channel factor is then
# fitted (see acquisition_probabilities) so that the expected overall mix stays channel_mix.
KNOWLEDGE_CHANNEL = np.array([
    [0.35, 2.3, 2.1, 0.7, 1.2, 0.25],
    [2.1, 0.6, 0.8, 0.9, 1.0, 0.45],
    [1.0, 0.3, 0.35, 1.4, 0.9, 3.2],
])
# Occupation groups in the locale's order: student, office worker, teacher, engineer, healthcare,
# shop owner, manual worker, driver, homemaker, retired, self-employed, IT professional.
OCCUPATION_CLASS_SCORE = np.array([-0.6, 0.1, 0.0, 0.8, 0.5, 0.4, -0.7, -0.5, -0.3, -0.2, 0.3, 1.0])
OCCUPATION_WEIGHT = np.array([0.10, 0.20, 0.07, 0.08, 0.07, 0.06, 0.10, 0.06, 0.08, 0.06, 0.07, 0.05])
CLASS_CUTS = np.array([-0.95, -0.3, 0.45, 1.15])
APTITUDE_MEAN = np.array([0.40, 0.55, 0.72])  # by knowledge type 1, 2, 3


def draw_index(rng: np.random.Generator, n: int, p: np.ndarray) -> np.ndarray:
    """Index draws with probabilities ``p`` (inverse CDF: one uniform per draw)."""
    cdf = np.cumsum(p) / np.sum(p)
    return np.minimum(np.searchsorted(cdf, rng.random(n), side="right"), len(p) - 1)


def _row_choice(rng: np.random.Generator, p: np.ndarray) -> np.ndarray:
    """One index per row of the probability matrix ``p`` (rows need not sum to 1)."""
    cdf = np.cumsum(p, axis=1)
    u = rng.random(len(p)) * cdf[:, -1]
    return np.minimum((cdf < u[:, None]).sum(axis=1), p.shape[1] - 1)


def acquisition_probabilities(cfg: ShopConfig) -> np.ndarray:
    """Acquisition-channel probabilities by persona and knowledge type: shape (6, 3, 6).

    ``p[persona, k - 1, channel]`` is proportional to ``channel_mix x CHANNEL_AFFINITY[persona] x
    KNOWLEDGE_CHANNEL[k - 1] x fit[channel]``. Assumption: persona and knowledge type are drawn
    independently (``persona_mix``, ``knowledge_mix``); ``fit`` is found by a few proportional-
    fitting passes so that the expected share of each channel over all people equals
    ``channel_mix`` (before referrals overwrite some channels). Knowledge type then changes *who*
    arrives by each channel (concept B1 [000]), not how many.
    """
    mix = np.array([cfg.channel_mix[c] for c in CHANNELS], float)
    w_p = np.array([cfg.persona_mix[p] for p in PERSONAS], float)
    w_k = np.asarray(cfg.knowledge_mix, float)
    base = mix[None, None, :] * CHANNEL_AFFINITY[:, None, :] * KNOWLEDGE_CHANNEL[None, :, :]
    weight = (w_p[:, None] * w_k[None, :] / (w_p.sum() * w_k.sum()))[:, :, None]
    fit = np.ones(len(CHANNELS))
    for _ in range(50):  # a 6 x 3 x 6 table: converges in a few passes
        p = base * fit
        p = p / p.sum(axis=2, keepdims=True)
        overall = (weight * p).sum(axis=(0, 1))
        fit = fit * np.divide(mix, overall, out=np.ones_like(mix), where=overall > 0)
    p = base * fit
    return p / p.sum(axis=2, keepdims=True)


def gate(ability: np.ndarray, aptitude: np.ndarray) -> np.ndarray:
    """Soft AND of ability and aptitude (concept A3): near 0 unless both exceed about 0.32.

    ``sigmoid(25 (ability - 0.32)) * sigmoid(25 (aptitude - 0.32))``: 0.25 at (0.32, 0.32),
    above 0.97 when both are 0.5, below 0.05 when either is 0.2.
    """
    return held(logistic(25.0 * (ability - 0.32)) * logistic(25.0 * (aptitude - 0.32)))


def draw_traits(cfg: ShopConfig, rng: np.random.Generator, n: int, end_date: pd.Timestamp,
                usd_rate: float, n_occupations: int) -> dict[str, np.ndarray]:
    """Hidden traits and demographic codes of ``n`` people (registered or not), as arrays.

    Returns a dict of equally long arrays: ``persona`` (index into PERSONAS), ``knowledge_type``
    (1-3), ``ability``, ``aptitude``, ``gender``, ``age``, ``occupation`` (index),
    ``ses`` (class index), ``account_type`` (index), ``channel`` (index into CHANNELS),
    ``device`` (index), ``purchase_rate`` (per week), ``dropout_prob``, ``wallet`` (currency
    per year), ``satisfaction`` (initial), ``opt_in``, ``buys_at_signup``.
    """
    persona = draw_index(rng, n, np.array([cfg.persona_mix[p] for p in PERSONAS]))
    knowledge = draw_index(rng, n, np.asarray(cfg.knowledge_mix)) + 1
    account = draw_index(rng, n, np.array([cfg.account_type_mix[a] for a in ACCOUNT_TYPES]))
    gender = rng.random(n) < 0.5  # True = female
    age = held(np.minimum(18.0 + rng.gamma(2.2, 8.5, size=n), 85.0))
    # Occupation depends on age: students are young, the retired old.
    occ_w = np.tile(OCCUPATION_WEIGHT[:n_occupations], (n, 1))
    occ_w[:, 0] *= np.where(age < 26, 6.0, np.where(age < 32, 1.0, 0.05))
    occ_w[:, 9] *= np.where(age >= 62, 25.0, np.where(age >= 55, 2.0, 0.02))
    occupation = _row_choice(rng, occ_w)
    class_score = OCCUPATION_CLASS_SCORE[occupation] + 0.25 * (account == 1) + rng.normal(0, 0.8, n)
    ses = np.searchsorted(CLASS_CUTS, class_score)
    ability = logistic(1.1 * class_score + rng.normal(0.15, 0.55, n))
    a_mean = APTITUDE_MEAN[knowledge - 1]
    aptitude = held(rng.beta(7.0 * a_mean, 7.0 * (1 - a_mean)))
    # BG/NBD heterogeneity: gamma rates, beta dropouts around the persona means.
    rate = PERSONA_RATE[persona] * np.minimum(rng.gamma(RATE_SHAPE, 1 / RATE_SHAPE, size=n), RATE_CAP)
    rate = held(rate * np.select([account == 1, account == 2], [0.4, 1.2], 1.0) * gate(ability, aptitude))
    m = PERSONA_DROPOUT[persona]
    dropout = held(rng.beta(DROPOUT_CONCENTRATION * m, DROPOUT_CONCENTRATION * (1 - m)))
    channel = _row_choice(rng, acquisition_probabilities(cfg)[persona, knowledge - 1])
    mobile = np.clip(0.78 - 0.009 * (age - 25) - 0.3 * (account == 1), 0.2, 0.9)
    device = _row_choice(rng, np.column_stack([mobile, (1 - mobile) * 0.82, (1 - mobile) * 0.18]))
    wallet_usd = np.exp(rng.normal(np.log(250 + 2200 * ability**2), 0.45)) * np.where(account == 1, 8.0, 1.0)
    satisfaction = held(rng.beta(*INITIAL_SATISFACTION, size=n))
    opt_in = rng.random(n) < OPT_IN[persona]
    # About half of those able and apt to buy register at their first checkout (discount
    # seekers rather register to get offers and wait for one).
    buys_at_signup = rng.random(n) < SIGNUP_PURCHASE[persona] * gate(ability, aptitude)
    return {
        "persona": persona, "knowledge_type": knowledge, "ability": ability, "aptitude": aptitude,
        "gender": gender, "age": age, "occupation": occupation, "ses": ses, "account_type": account,
        "channel": channel, "device": device, "purchase_rate": rate, "dropout_prob": dropout,
        "wallet": held(wallet_usd * usd_rate, MONEY_DECIMALS), "satisfaction": satisfaction, "opt_in": opt_in,
        "buys_at_signup": buys_at_signup,
    }


def age_band(age: np.ndarray) -> np.ndarray:
    """Age band labels (18-24 ... 65+) of ages in years."""
    return np.array(AGE_BANDS, dtype=object)[np.searchsorted([25, 35, 45, 55, 65], age, side="right")]


def birth_dates(rng: np.random.Generator, age: np.ndarray, end_date: pd.Timestamp) -> np.ndarray:
    """Birth days such that the age at ``end_date`` is ``floor(age)`` years."""
    years = np.floor(age).astype(np.int64)
    end = np.datetime64(end_date.date(), "D")
    # Born between (years + 1) and years before the end: a uniform day within that year
    # (ceil(365.25 years) days back is at least `years` calendar years, + 363 at most stays below years + 1).
    days_back = np.ceil(years * 365.25).astype(np.int64) + rng.integers(0, 364, size=len(age))
    return end - days_back
