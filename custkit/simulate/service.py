"""Support tickets: advice before a purchase and support after it, with first-response times.

"Fitting responses before (advice) and after (support) the purchase" is the second condition of
satisfaction in article [003] (concept D3). The mean first-response time is a policy knob
(``support_response_hours_before`` / ``_after``); each response time is gamma distributed with
shape 2 around that mean, so a few answers are much slower than the typical one.
"""

from __future__ import annotations

import numpy as np

from custkit.config import ShopConfig
from custkit.simulate.fulfilment import CANCELLED, RETURNED
from custkit.simulate.population import ADVICE_PROB
from custkit.simulate.precision import held

BEFORE_TOPICS = ("product_question", "availability", "delivery_options", "payment")
AFTER_TOPICS = ("delivery_delay", "return", "cancellation", "product_question", "warranty", "payment")
KNOWLEDGE_ADVICE = np.array([1.6, 1.0, 0.5])  # knowledge type 1 asks most (concept B1)
# Chance that an order leads to a support ticket, by what happened: returned, late (not returned),
# cancelled, kept although damaged, anything else. Most customers never write: returns go through
# the returns form and a late parcel is tracked online, so only some ask "where is my order?" (the
# most common ticket topic); an ordinary order rarely needs help. Together with the advice tickets
# before purchases (ADVICE_PROB) this gives about 6-7 tickets per 100 orders, as in e-commerce help
# desks (Gorgias benchmark: 6.7 tickets per 100 orders). The shares per cause are assumptions.
SUPPORT_PROB = np.array([0.10, 0.20, 0.12, 0.30, 0.01])


def _response_hours(rng: np.random.Generator, mean: float, n: int) -> np.ndarray:
    return np.round(rng.gamma(2.0, mean / 2.0, size=n), 2)


def _resolved(rng: np.random.Generator, hours: np.ndarray) -> np.ndarray:
    # Slow answers leave more issues unresolved.
    return rng.random(len(hours)) < held(0.97 - 0.25 * (1.0 - np.exp(-hours / 48.0)))


def advice_tickets(cfg: ShopConfig, rng: np.random.Generator, persona: np.ndarray,
                   knowledge: np.ndarray, eligible: np.ndarray) -> dict[str, np.ndarray]:
    """Which orders were preceded by an advice ticket, and how it went.

    Researchers and hesitant buyers, and people who know little (knowledge type 1), ask most.
    Returns ``has`` (bool per order), ``lead_hours`` (hours between ticket and order), ``hours``
    (first response, NaN without ticket), ``resolved`` and ``topic`` (index into BEFORE_TOPICS).
    """
    n = len(persona)
    p = ADVICE_PROB[persona] * KNOWLEDGE_ADVICE[knowledge - 1]
    has = eligible & (rng.random(n) < p)
    hours = np.where(has, _response_hours(rng, cfg.support_response_hours_before, n), np.nan)
    lead = hours + rng.exponential(20.0, size=n)  # the order follows the answer
    topic = np.searchsorted(np.cumsum([0.5, 0.2, 0.15, 0.15]), rng.random(n) * 0.9999)
    return {"has": has, "lead_hours": lead, "hours": hours, "resolved": has & _resolved(rng, np.nan_to_num(hours)),
            "topic": topic}


def support_tickets(cfg: ShopConfig, rng: np.random.Generator, status: np.ndarray,
                    late_days: np.ndarray, damaged: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """After-purchase tickets: late deliveries, returns and cancellations trigger most of them.

    The chance per order is ``SUPPORT_PROB``: 10 % of returned, 20 % of late, 12 % of cancelled,
    30 % of kept damaged parcels (``damaged``, topic warranty) and 1 % of other orders.

    Returns ``has``, ``topic`` (index into AFTER_TOPICS), ``hours`` (first response, NaN without
    ticket) and ``resolved``.
    """
    n = len(status)
    late = late_days > 0
    broken = np.zeros(n, dtype=bool) if damaged is None else damaged & (status != RETURNED)
    p = np.select([status == RETURNED, late, status == CANCELLED, broken], list(SUPPORT_PROB[:4]), SUPPORT_PROB[4])
    has = rng.random(n) < p
    other = 3 + np.searchsorted([0.5, 0.8], rng.random(n))  # product_question, warranty, payment
    topic = np.select([status == RETURNED, late, status == CANCELLED, broken], [1, 0, 2, 4], other)
    hours = np.where(has, _response_hours(rng, cfg.support_response_hours_after, n), np.nan)
    return {"has": has, "topic": topic, "hours": hours, "resolved": has & _resolved(rng, np.nan_to_num(hours))}
