"""Satisfaction after each order, and what surveys record of it (CSAT, NPS, share of wallet).

Satisfaction is a latent 0-1 score per customer, updated after every order by an exponential
average with the order's *experience*. The experience falls with late delivery and with slow
answers before and after the purchase, the two conditions of satisfaction in article [003]
(concept D3). Bad experiences weigh more than good ones (:func:`update`), and the chance to stop
after a purchase falls steeply between merely and completely satisfied customers
(:func:`dropout_probability`, concept D2). Surveys follow some delivered orders; few customers
answer, the very dissatisfied far more often than the indifferent (non-response is not random,
:func:`survey_answers`), and stated share of wallet is noisy and rounded as people state it
(concept D4, article [002]).
"""

from __future__ import annotations

import numpy as np

from custkit.config import ShopConfig
from custkit.simulate.fulfilment import CANCELLED, RETURNED
from custkit.simulate.precision import held, logistic

MEMORY = 0.65  # weight of the old satisfaction after an order that did not disappoint
# ... and after one that did: a disappointment moves satisfaction more than a pleasant surprise
# (Mittal, Ross & Baldasare 1998, "The asymmetric impact of negative and positive attribute-level
# performance on overall satisfaction and repurchase intentions", J. Marketing 62(1); Anderson &
# Sullivan 1993, Marketing Science 12(2): negative disconfirmation weighs more than positive).
MEMORY_WORSE = 0.5
# ... counting as a disappointment only below a zone of tolerance (Zeithaml, Berry & Parasuraman
# 1993, "The nature and determinants of customer expectations of service", J. Academy of
# Marketing Science 21(1)): an order a little below the usual is taken in stride.
TOLERANCE = 0.1
# Latent answer -> CSAT 1..5. The 1 band is wide: a customer let down enough to answer in anger
# picks the bottom of the scale rather than a 2 (brag and moan, Hu, Pavlou & Zhang 2009).
CSAT_CUTS = np.array([0.47, 0.57, 0.7, 0.85])
# The steep satisfaction curve (concept D2; Jones & Sasser 1995, see dropout_probability): a
# completely satisfied customer (satisfaction 1) stops with the baseline dropout; below the CSAT
# 4/5 border DELIGHT_AT the chance rises to DELIGHT_GAP times the baseline, in a step of steepness
# DELIGHT_STEEPNESS x satisfaction_churn_steepness; the pace of buying again halves there
# (PACE_LOG, repurchase_pace).
DELIGHT_AT = 0.85
DELIGHT_GAP = 15.0
DELIGHT_STEEPNESS = 2.0
PACE_LOG = 0.693147  # log 2, held: completely satisfied buy twice, merely satisfied half as often as at 0.85
# Dissatisfaction: a second logistic term, centred at ANGER_AT and 0 from ANGER_FROM up, lifts the
# chance to stop towards STOP_MAX (a customer as dissatisfied as can be).
ANGER_AT = 0.59
ANGER_FROM = DELIGHT_AT
STOP_MAX = 0.95
TIER_CUT = np.array([0.0, 0.15, 0.30, 0.50])  # share of the delight-term chance a loyalty tier takes away
# A survey about one order reads that order's experience besides the customer's satisfaction
# after it (transaction-specific against cumulative satisfaction; Anderson, Fornell & Lehmann
# 1994, J. Marketing 58(3)): weight of the order's experience in the answer.
RATING_ORDER_WEIGHT = 0.25
ANSWER_NOISE = 0.04  # sd of the latent answer around the rating basis
# Likelihood to recommend, 0-10: round(NPS_SLOPE * latent answer + NPS_OFFSET + N(0, NPS_NOISE)).
NPS_SLOPE = 8.0
NPS_OFFSET = 2.1
NPS_NOISE = 2.0


def slowness(hours: np.ndarray) -> np.ndarray:
    """How much a response time hurts: 0 for an instant answer, near 1 after a few days."""
    return held(1.0 - np.exp(-np.nan_to_num(hours) / 24.0))


def experience(rng: np.random.Generator, status: np.ndarray, late_days: np.ndarray,
               advice_hours: np.ndarray, support_hours: np.ndarray, support_resolved: np.ndarray,
               damaged: np.ndarray | None = None) -> np.ndarray:
    """Experience of each order, 0-1: 0.9 for a smooth order, less for each thing that went wrong.

    Late: -0.30 and -0.04 a day (up to 10); slow answers: -0.30 (advice) and -0.35 (support) times
    :func:`slowness`; an unresolved support ticket -0.15; returned -0.12, cancelled -0.08; a parcel
    kept although it arrived damaged or not as described -0.60 (``damaged``); noise sd 0.06.
    """
    late = late_days > 0
    has_support = ~np.isnan(support_hours)
    x = (0.9 - 0.30 * late - 0.04 * np.minimum(late_days, 10)
         - 0.30 * slowness(advice_hours) - 0.35 * slowness(support_hours)
         - 0.15 * (has_support & ~support_resolved)
         - 0.12 * (status == RETURNED) - 0.08 * (status == CANCELLED)
         - (0.0 if damaged is None else 0.60 * (damaged & (status != RETURNED)))
         + rng.normal(0.0, 0.06, size=len(status)))
    return held(np.clip(x, 0.0, 1.0))


def update(satisfaction: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """Exponential average, asymmetric: ``m * old + (1 - m) * experience``.

    ``m = MEMORY`` (0.65) unless the experience falls more than ``TOLERANCE`` (0.1) short of the
    old satisfaction, then ``MEMORY_WORSE`` (0.5): one late parcel costs more satisfaction than
    one smooth order gives back (Mittal, Ross & Baldasare 1998; Anderson & Sullivan 1993).
    """
    m = np.where(exp >= satisfaction - TOLERANCE, MEMORY, MEMORY_WORSE)
    return held(m * satisfaction + (1.0 - m) * exp)


def rating_basis(satisfaction: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """What a survey about one order reads: ``w * experience + (1 - w) * satisfaction after it``.

    ``w = RATING_ORDER_WEIGHT`` (0.25): a post-purchase survey asks about that order, so a late
    parcel or an unanswered complaint shows in the answer at once, on top of what it did to the
    customer's satisfaction (built over all orders, :func:`update`), which carries the rest.
    """
    return held(RATING_ORDER_WEIGHT * exp + (1.0 - RATING_ORDER_WEIGHT) * satisfaction)


def dropout_probability(cfg: ShopConfig, base: np.ndarray, satisfaction: np.ndarray,
                        tier: np.ndarray, advocate: np.ndarray) -> np.ndarray:
    """Chance to stop after a purchase: steeply lower for completely than for merely satisfied customers.

    Two logistic terms in satisfaction, both scaled by ``k = satisfaction_churn_steepness``
    (``s`` is the logistic function, ``sat`` the satisfaction after the purchase):

    * *delight* (Jones & Sasser 1995, "Why satisfied customers defect", Harvard Business Review
      73(6): at Xerox totally satisfied customers were six times as likely to repurchase as merely
      satisfied ones; satisfied is not enough, only complete satisfaction makes loyalty; concept
      D2, article [002]: do not aim to satisfy customers, delight them):
      ``q = base * (1 + (DELIGHT_GAP - 1) * max(0, s(2 k (0.85 - sat)) - s(-0.3 k)))``, at most
      0.8. ``base`` (the customer's ``dropout_prob``) is the chance of a completely satisfied
      customer (satisfaction 1); with ``k = 20`` it is 1.2 times that at 0.95, 2.6 times at 0.9,
      8 times at the CSAT 4/5 border (0.85) and 13-15 times for merely satisfied customers (0.8 and
      below). Loyalty tiers cut ``q`` by 15/30/50 % when the programme runs (concept D7), and
      advocates, who "never switch" (concept C1), keep 30 % of it;
    * *dissatisfaction*: ``p = q + (0.95 - q) * max(0, s(k (0.59 - sat)) - s(-0.26 k))``, 0 from
      0.85 up: even a slight further fall cuts loyalty, and a bad enough experience ends the
      relationship whatever the tier (0.95 at most).

    With ``base = 0.03``: 0.03 at satisfaction 1, 0.08 at 0.9, 0.24 at 0.85, 0.40 at 0.8, 0.50 at
    0.7, 0.67 at 0.6, 0.88 at 0.5, 0.94 at 0.4: each CSAT step down loses customers again (the
    centre 0.59 lies inside CSAT 3, so a 3 repurchases clearly less than a 4). ``k = 0`` removes the link to satisfaction
    (``p = base`` before tiers). Completely satisfied customers also come back sooner
    (:func:`repurchase_pace`).
    """
    k = cfg.satisfaction_churn_steepness
    kd = DELIGHT_STEEPNESS * k
    short = np.maximum(logistic(kd * (DELIGHT_AT - satisfaction)) - logistic(kd * (DELIGHT_AT - 1.0)), 0.0)
    q = np.minimum(base * (1.0 + (DELIGHT_GAP - 1.0) * short), 0.8)
    if cfg.loyalty_programme:
        q = q * (1.0 - TIER_CUT[tier])
    q = np.where(advocate, 0.3 * q, q)
    extra = np.maximum(logistic(k * (ANGER_AT - satisfaction)) - logistic(k * (ANGER_AT - ANGER_FROM)), 0.0)
    return held(q + (STOP_MAX - q) * extra)


def repurchase_pace(cfg: ShopConfig, satisfaction: np.ndarray) -> np.ndarray:
    """Multiplier of the purchase rate after an order: completely satisfied customers buy again sooner.

    ``exp(PACE_LOG * (2 s(2 k (sat - 0.85)) - 1))`` with ``k = satisfaction_churn_steepness`` and
    ``PACE_LOG = log 2``: 1 at the CSAT 4/5 border (0.85, so ``purchase_rate`` is the pace of a
    customer there), 1.7 at 0.9 and about 2 for the completely satisfied, 0.6 at 0.8 and 0.5 for
    merely satisfied customers and below. With the delight term of :func:`dropout_probability`
    this gives the steep repurchase curve of Jones & Sasser (1995) (concept D2; concept D4,
    article [002]: satisfied customers give the shop a larger share of what they spend).
    ``k = 0`` gives 1. The first purchase is not affected (there is no experience yet).
    """
    kd = DELIGHT_STEEPNESS * cfg.satisfaction_churn_steepness
    return held(np.exp(PACE_LOG * (2.0 * logistic(kd * (satisfaction - DELIGHT_AT)) - 1.0)))


def response_weight(rating: np.ndarray) -> np.ndarray:
    """Relative chance to answer a survey, by the rating basis: the angry answer most.

    Brag and moan (Hu, Pavlou & Zhang 2009, "Overcoming the J-shaped distribution of product
    reviews", Communications of the ACM 52(10)): people with an extreme experience report it,
    the indifferent middle mostly does not, and the disappointed most of all.
    ``0.7 + 0.5 s(20 (r - 0.92)) + 3 s(15 (0.45 - r))``: 0.75 in the middle (0.7-0.8), 1.1 for
    the delighted (rating 1), 1.7 at 0.5 and up to 3.7 for the very dissatisfied; the mean over
    the classroom shop's invitations is about 0.9.
    """
    return held(0.7 + 0.5 * logistic(20.0 * (rating - 0.92)) + 3.0 * logistic(15.0 * (0.45 - rating)))


def survey_answers(cfg: ShopConfig, rng: np.random.Generator, satisfaction: np.ndarray,
                   true_share: np.ndarray) -> dict[str, np.ndarray]:
    """Response, CSAT (1-5), NPS (0-10) and stated share of wallet for each invitation.

    ``satisfaction`` is what a survey about the order reads (:func:`rating_basis` of the
    customer's latent satisfaction after the order and the order's experience); ``true_share``
    the share of the customer's category spending that goes to the shop. An invitation is
    answered with probability ``survey_response_rate * response_weight`` (capped at 1): few
    answer, the very dissatisfied two to five times as often as the indifferent, so the
    answers are J-shaped (many 5s, few 2s and 3s, a tail of 1s; Hu, Pavlou & Zhang 2009). The
    latent answer is the rating plus noise (sd ``ANSWER_NOISE``), cut into CSAT at ``CSAT_CUTS``;
    the likelihood to recommend is ``round(8 * latent + 2.1 + N(0, 2))`` clipped to 0-10, a
    noisier read of the same experience (most promoters gave a delighted answer; after a late
    parcel about two in five are detractors). Missing answers are -1 (CSAT, NPS) and NaN (share).
    """
    n = len(satisfaction)
    p = np.clip(cfg.survey_response_rate * response_weight(satisfaction), 0.0, 1.0)
    responded = rng.random(n) < p
    latent = satisfaction + rng.normal(0.0, ANSWER_NOISE, size=n)
    csat = 1 + np.searchsorted(CSAT_CUTS, latent)
    nps = np.clip(np.round(NPS_SLOPE * latent + NPS_OFFSET + rng.normal(0.0, NPS_NOISE, size=n)), 0, 10).astype(np.int64)
    share = np.clip(true_share + 0.15 * (satisfaction - 0.7) + rng.normal(0.0, 0.1, size=n), 0.0, 1.0)
    share = np.round(share * 20.0) / 20.0  # people answer in steps of 5 %
    return {"responded": responded, "csat": np.where(responded, csat, -1), "nps": np.where(responded, nps, -1),
            "share_of_wallet": np.where(responded, share, np.nan)}
