"""Satisfaction after each order, and what surveys record of it (CSAT, NPS, share of wallet).

Satisfaction is a latent 0-1 score per customer, updated after every order by an exponential
average with the order's *experience*. The experience falls with late delivery and with slow
answers before and after the purchase, the two conditions of satisfaction in article [003]
(concept D3). Surveys follow some delivered orders; very satisfied and very dissatisfied customers
answer more often (non-response is not random), and stated share of wallet is noisy and rounded
as people state it (concept D4, article [002]).
"""

from __future__ import annotations

import numpy as np

from custkit.config import ShopConfig
from custkit.simulate.fulfilment import CANCELLED, RETURNED
from custkit.simulate.precision import held, logistic

MEMORY = 0.65  # weight of the old satisfaction in the update
CSAT_CUTS = np.array([0.35, 0.55, 0.7, 0.85])  # latent satisfaction -> CSAT 1..5


def slowness(hours: np.ndarray) -> np.ndarray:
    """How much a response time hurts: 0 for an instant answer, near 1 after a few days."""
    return held(1.0 - np.exp(-np.nan_to_num(hours) / 24.0))


def experience(rng: np.random.Generator, status: np.ndarray, late_days: np.ndarray,
               advice_hours: np.ndarray, support_hours: np.ndarray, support_resolved: np.ndarray) -> np.ndarray:
    """Experience of each order, 0-1: 0.9 for a smooth order, less for each thing that went wrong."""
    late = late_days > 0
    has_support = ~np.isnan(support_hours)
    x = (0.9 - 0.30 * late - 0.04 * np.minimum(late_days, 10)
         - 0.30 * slowness(advice_hours) - 0.35 * slowness(support_hours)
         - 0.15 * (has_support & ~support_resolved)
         - 0.12 * (status == RETURNED) - 0.08 * (status == CANCELLED)
         + rng.normal(0.0, 0.06, size=len(status)))
    return held(np.clip(x, 0.0, 1.0))


def update(satisfaction: np.ndarray, exp: np.ndarray) -> np.ndarray:
    """Exponential average: ``MEMORY * old + (1 - MEMORY) * experience``."""
    return held(MEMORY * satisfaction + (1.0 - MEMORY) * exp)


def dropout_probability(cfg: ShopConfig, base: np.ndarray, satisfaction: np.ndarray,
                        tier: np.ndarray, advocate: np.ndarray) -> np.ndarray:
    """Chance to stop after a purchase: the baseline plus a steep logistic term in dissatisfaction.

    ``p = base + (0.8 - base) * max(0, s(k (0.55 - sat)) - s(-0.45 k))`` with ``s`` the logistic
    function and ``k = satisfaction_churn_steepness``: near the baseline for satisfied customers,
    rising sharply once satisfaction drops (concept D2, article [002]: even a slight fall in
    satisfaction cuts loyalty sharply). Loyalty tiers cut it by 15/30/50 % when the programme
    runs (concept D7), and advocates, who "never switch" (concept C1), keep 30 % of it.
    """
    k = cfg.satisfaction_churn_steepness
    extra = np.maximum(logistic(k * (0.55 - satisfaction)) - logistic(-0.45 * k), 0.0)
    p = base + (0.8 - base) * extra
    if cfg.loyalty_programme:
        p = p * (1.0 - np.array([0.0, 0.15, 0.30, 0.50])[tier])
    return held(np.where(advocate, 0.3 * p, p))


def survey_answers(cfg: ShopConfig, rng: np.random.Generator, satisfaction: np.ndarray,
                   true_share: np.ndarray) -> dict[str, np.ndarray]:
    """Response, CSAT (1-5), NPS (0-10) and stated share of wallet for each invitation.

    ``satisfaction`` is the customer's latent satisfaction after the order surveyed;
    ``true_share`` the share of the customer's category spending that goes to the shop.
    Missing answers are -1 (CSAT, NPS) and NaN (share).
    """
    n = len(satisfaction)
    p = np.clip(cfg.survey_response_rate * (0.6 + 2.0 * np.abs(satisfaction - 0.65)), 0.0, 1.0)
    responded = rng.random(n) < p
    latent = satisfaction + rng.normal(0.0, 0.08, size=n)
    csat = 1 + np.searchsorted(CSAT_CUTS, latent)
    nps = np.clip(np.round(12.0 * latent - 1.2 + rng.normal(0.0, 1.0, size=n)), 0, 10).astype(np.int64)
    share = np.clip(true_share + 0.15 * (satisfaction - 0.7) + rng.normal(0.0, 0.1, size=n), 0.0, 1.0)
    share = np.round(share * 20.0) / 20.0  # people answer in steps of 5 %
    return {"responded": responded, "csat": np.where(responded, csat, -1), "nps": np.where(responded, nps, -1),
            "share_of_wallet": np.where(responded, share, np.nan)}
