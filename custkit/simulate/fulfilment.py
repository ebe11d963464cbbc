"""Fulfilment of orders: cancellations, promised and actual delivery days, lateness and returns.

On-time delivery is the first of the two conditions of satisfaction in article [003] (concept D3);
``late_delivery_rate`` and ``delivery_days`` are the policy knobs, and late orders are returned
more often. All functions work on arrays with one entry per order (vectorised).
"""

from __future__ import annotations

import numpy as np

from custkit.config import ShopConfig
from custkit.purchases import ORDER_STATUSES as STATUSES  # noqa: F401
from custkit.simulate.population import CANCEL_FACTOR, RETURN_FACTOR

DELIVERED, RETURNED, CANCELLED = 0, 1, 2


def fulfil(cfg: ShopConfig, rng: np.random.Generator, day: np.ndarray, persona: np.ndarray,
           returnable: np.ndarray) -> dict[str, np.ndarray]:
    """Status, promised day, delivery day and days late of orders placed on ``day``.

    Parameters
    ----------
    day
        Day index of each order.
    persona
        Persona index of each buyer (hesitant buyers cancel more, impulsive ones return more).
    returnable
        False for trade-ins (C2B), which cannot be returned.

    Returns
    -------
    dict
        ``status`` (0 delivered, 1 returned, 2 cancelled), ``promised`` and ``delivered`` day
        indices (``delivered`` is -1 for cancelled orders) and ``late_days`` (0 when on time).

    Notes
    -----
    A delivery is late with probability ``late_delivery_rate``, by a geometric number of days
    (mean 2.5); an on-time one sometimes arrives a day early. The return probability is
    ``return_rate`` times the persona's factor, times 2.5 when the delivery was late.
    """
    n = len(day)
    cancelled = rng.random(n) < np.minimum(cfg.cancel_rate * CANCEL_FACTOR[persona], 0.95)
    late = ~cancelled & (rng.random(n) < cfg.late_delivery_rate)
    late_days = np.where(late, rng.geometric(0.4, size=n), 0)
    promised = day + cfg.delivery_days
    early = (~late) & (rng.random(n) < 0.25) & (cfg.delivery_days > 1)
    delivered = np.where(cancelled, -1, promised + late_days - early)
    p_return = np.minimum(cfg.return_rate * RETURN_FACTOR[persona] * np.where(late, 2.5, 1.0), 0.95)
    returned = ~cancelled & returnable & (rng.random(n) < p_return)
    status = np.select([cancelled, returned], [CANCELLED, RETURNED], DELIVERED)
    return {"status": status, "promised": promised, "delivered": delivered, "late_days": late_days}
