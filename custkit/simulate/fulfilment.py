"""Fulfilment of orders: cancellations, promised and actual delivery days, lateness and returns.

On-time delivery is the first of the two conditions of satisfaction in article [003] (concept D3);
``late_delivery_rate`` and ``delivery_days`` are the policy knobs, and late orders are returned
more often. What is bought matters too: clothes and shoes come back far more often than
electronics (:data:`CATEGORY_RETURN_SHARE`). All functions work on arrays with one entry per order
(vectorised).
"""

from __future__ import annotations

import numpy as np

from custkit.config import ShopConfig
from custkit.purchases import ORDER_STATUSES as STATUSES  # noqa: F401
from custkit.simulate.catalog import CATEGORIES
from custkit.simulate.population import CANCEL_FACTOR, RETURN_FACTOR
from custkit.simulate.precision import held

DELIVERED, RETURNED, CANCELLED = 0, 1, 2

CATEGORY_RETURN_SHARE = {
    # Typical share of online orders returned, by category. Anchors: apparel and shoes 20-30 % and
    # consumer electronics about 8-10 % (category return benchmarks of US e-commerce); all
    # categories together 16.9 % online (NRF & Appriss Retail 2024, "Consumer returns in the
    # retail industry"). The others are assumptions in the same spirit: fit and taste decide most
    # returns (sports gear with its shoes, jewellery), opened hygiene products, books and
    # perishable flowers rarely come back. Only the ratios are used (return_factor); the level
    # is ShopConfig.return_rate.
    "Electronics": 0.08,
    "Mobile Accessories": 0.09,
    "Home & Kitchen": 0.13,
    "Fashion": 0.27,
    "Beauty & Personal Care": 0.07,
    "Books & Stationery": 0.07,
    "Toys & Baby": 0.12,
    "Sports & Outdoors": 0.18,
    "Jewellery & Watches": 0.15,
    "Gifts & Flowers": 0.05,
}
"""Typical online return share by catalog category (see the comment for the sources)."""

# Some parcels arrive damaged, faulty or not as described, whatever the shop's policies (an
# assumption in line with the often-quoted figure that about a fifth of online returns are of
# items that arrived damaged, Invesp): 3 % of orders. Half of them are sent back; the rest are
# kept (replaced or refunded in part) and spoil the order's experience, the angry tail of the
# survey answers even in a well-run shop (custkit.simulate.feedback.experience).
DAMAGE_RATE = 0.03
DAMAGED_RETURN = 0.5


def return_factor(category) -> np.ndarray:
    """Relative return propensity of products of the given categories (hidden, per product).

    ``CATEGORY_RETURN_SHARE`` divided by its mean weighted by the categories' ``popularity``, so
    that an order of the average category mix keeps ``return_rate``: Fashion about 2.1, Electronics
    about 0.6. Categories not in the table get 1.
    """
    shares = CATEGORIES["category"].map(CATEGORY_RETURN_SHARE).to_numpy(float)
    mean = float(np.sum(shares * CATEGORIES["popularity"].to_numpy(float)) / CATEGORIES["popularity"].sum())
    table = {c: v / mean for c, v in zip(CATEGORIES["category"], shares)}
    return held([table.get(c, 1.0) for c in np.asarray(category, dtype=object)])


def fulfil(cfg: ShopConfig, rng: np.random.Generator, day: np.ndarray, persona: np.ndarray,
           returnable: np.ndarray, category_factor: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """Status, promised day, delivery day and days late of orders placed on ``day``.

    Parameters
    ----------
    day
        Day index of each order.
    persona
        Persona index of each buyer (hesitant buyers cancel more, impulsive ones return more).
    returnable
        False for trade-ins (C2B), which cannot be returned.
    category_factor
        Return propensity of what each order holds (mean of its lines' :func:`return_factor`);
        None = 1 for every order.

    Returns
    -------
    dict
        ``status`` (0 delivered, 1 returned, 2 cancelled), ``promised`` and ``delivered`` day
        indices (``delivered`` is -1 for cancelled orders), ``late_days`` (0 when on time) and
        ``damaged`` (the parcel arrived damaged or not as described).

    Notes
    -----
    A delivery is late with probability ``late_delivery_rate``, by a geometric number of days
    (mean 2.5); an on-time one sometimes arrives a day early. The return probability is
    ``return_rate`` times the persona's factor, times the order's category factor, times 2.5
    when the delivery was late (at most 0.95). A share ``DAMAGE_RATE`` of the parcels arrive
    damaged (``damaged``); they come back with probability at least ``DAMAGED_RETURN``.
    """
    n = len(day)
    cancelled = rng.random(n) < np.minimum(cfg.cancel_rate * CANCEL_FACTOR[persona], 0.95)
    late = ~cancelled & (rng.random(n) < cfg.late_delivery_rate)
    late_days = np.where(late, rng.geometric(0.4, size=n), 0)
    promised = day + cfg.delivery_days
    early = (~late) & (rng.random(n) < 0.25) & (cfg.delivery_days > 1)
    delivered = np.where(cancelled, -1, promised + late_days - early)
    cat = 1.0 if category_factor is None else category_factor
    damaged = ~cancelled & returnable & (rng.random(n) < DAMAGE_RATE)
    p_return = np.minimum(cfg.return_rate * RETURN_FACTOR[persona] * cat * np.where(late, 2.5, 1.0), 0.95)
    p_return = np.where(damaged, np.maximum(p_return, DAMAGED_RETURN), p_return)
    returned = ~cancelled & returnable & (rng.random(n) < p_return)
    status = np.select([cancelled, returned], [CANCELLED, RETURNED], DELIVERED)
    return {"status": status, "promised": promised, "delivered": delivered, "late_days": late_days,
            "damaged": damaged}
