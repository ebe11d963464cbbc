"""Orders of one block of customers: when they buy, what, for whom, at what discount, and when they stop.

The purchase process is BG/NBD-like (Fader, Hardie & Lee 2005, assumptions (i)-(v)): while
"alive", a customer buys at a personal rate; after each purchase they stop for good with a probability that
is lowest for completely satisfied customers and rises steeply below (Jones & Sasser 1995;
:func:`custkit.simulate.feedback.dropout_probability`), and completely satisfied customers come back
sooner (:func:`custkit.simulate.feedback.repurchase_pace`). The
intensity of purchases follows the weekly rhythm and the offers running (discount seekers wait
for campaigns and promotion days, concept B2 [001]); the loop runs over purchase rounds, each
vectorised over the customers still buying. Each order is then fulfilled, may trigger support tickets, and
updates satisfaction (concept D3 [003]) before the dropout draw, so a bad experience can end the
relationship at once (concept D2 [002]).

Assumptions: growth in sales comes from the growing customer base (sign-ups), not from rising
individual rates; business accounts buy less often but in bulk (concept A4, B2B of A5);
employees get the staff discount; a share of transactions are marketplace sales between customers
(C2C) or trade-ins bought by the shop (C2B) (concept A5 [001]). Money is computed in integer minor
units (cents; whole toman) so that order totals equal the sum of their lines exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from custkit.config import ShopConfig
from custkit.purchases import TRANSACTION_TYPES  # noqa: F401  (re-exported)
from custkit.simulate import feedback, fulfilment, service
from custkit.simulate.calendar import Calendar
from custkit.simulate.precision import held
from custkit.simulate.population import (
    CAMPAIGN_PULL,
    EXTRA_LINES,
    FIRST_ORDER_IN_MOMENT,
    PROMO_PULL,
    USES_OFFER,
)
from custkit.vocabulary import RECIPIENTS  # noqa: F401  (re-exported)

B2C, B2B, C2C, C2B = 0, 1, 2, 3
BUSINESS, EMPLOYEE = 1, 2
TIER_DISCOUNT_DAYS = (0, 0, 180, 365)  # tenure needed for none, bronze, silver, gold


@dataclass(frozen=True, eq=False)
class ProductPools:
    """Products grouped in 6 pools (price tertile x gift-like) for inverse-CDF sampling.

    ``key`` holds ``pool + cumulative popularity share within the pool``; ``searchsorted(key,
    pool + u)`` then draws a product of that pool by popularity. Empty pools fall back to the
    non-gift pool of the same price tier (``remap``).
    """

    key: np.ndarray
    row: np.ndarray  # product row (0-based) for each key entry
    remap: np.ndarray  # pool -> pool actually used
    list_minor: np.ndarray  # list price per product row, in minor units
    gift_share: float  # popularity share of gift-like products
    # hidden return propensity per product row, by its category (fulfilment.return_factor); None = 1
    return_factor: np.ndarray | None = None

    @classmethod
    def from_products(cls, products: pd.DataFrame, minor: int) -> ProductPools:
        price = products["list_price"].to_numpy(float)
        tier = np.searchsorted(np.quantile(price, [1 / 3, 2 / 3]), price, side="right")
        pool = tier * 2 + products["gift_like"].to_numpy(bool)
        order = np.lexsort((np.arange(len(price)), pool))
        pop = products["popularity"].to_numpy(float)[order]
        p_sorted = pool[order]
        cum = pd.Series(pop).groupby(p_sorted).cumsum().to_numpy()
        tot = pd.Series(pop).groupby(p_sorted).transform("sum").to_numpy()
        key = p_sorted + np.minimum(cum / tot, 1.0)
        key[np.r_[p_sorted[1:] != p_sorted[:-1], True]] = p_sorted[np.r_[p_sorted[1:] != p_sorted[:-1], True]] + 1.0
        present = np.isin(np.arange(6), pool)
        remap = np.arange(6)
        for p in range(6):
            if not present[p]:
                alt = [q for q in (p - (p % 2), p - (p % 2) + 1, 2, 3, 0, 1, 4, 5) if present[q]]
                remap[p] = alt[0]
        gift_share = float(pop[p_sorted % 2 == 1].sum() / pop.sum())
        ret = fulfilment.return_factor(products["category"]) if "category" in products else None
        return cls(key=key, row=order, remap=remap, list_minor=np.round(price * minor).astype(np.int64),
                   gift_share=gift_share, return_factor=ret)

    def draw(self, rng: np.random.Generator, pool: np.ndarray) -> np.ndarray:
        """Product rows for the given pools, by popularity."""
        p = self.remap[pool]
        pos = np.searchsorted(self.key, p + rng.random(len(p)) * 0.999999, side="left")
        return self.row[np.minimum(pos, len(self.row) - 1)]


def demand_curves(cal: Calendar) -> np.ndarray:
    """Cumulative demand multiplier by persona and day: shape (6, n_days + 1), starting at 0.

    On an ordinary day the multiplier is the weekday rhythm; a campaign day adds
    ``CAMPAIGN_PULL`` and a promotion day ``PROMO_PULL`` (times the rhythm), per persona.
    """
    campaign = (cal.discount_pct > 0) & ~cal.promotion
    mult = cal.rhythm[None, :] * (1 + CAMPAIGN_PULL[:, None] * campaign[None, :]
                                  + PROMO_PULL[:, None] * cal.promotion[None, :])
    return np.concatenate([np.zeros((6, 1)), np.cumsum(mult, axis=1)], axis=1)


def tier_of(cfg: ShopConfig, spend_usd: np.ndarray, tenure_days: np.ndarray) -> np.ndarray:
    """Loyalty tier 0-3 (none, bronze, silver, gold) from spend and tenure (concept D7 [001]).

    Bronze needs ``loyalty_tier_spend_usd[0]``; silver the second amount and 180 days since
    sign-up; gold the third and 365 days: credits proportional to how much and how long a
    customer has bought. Everyone is ``none`` when the programme does not run.
    """
    if not cfg.loyalty_programme:
        return np.zeros(len(spend_usd), dtype=np.int64)
    t = np.zeros(len(spend_usd), dtype=np.int64)
    for level, (amount, days) in enumerate(zip(cfg.loyalty_tier_spend_usd, TIER_DISCOUNT_DAYS[1:]), start=1):
        t = np.where((spend_usd >= amount) & (tenure_days >= days), level, t)
    return t


def simulate_orders(cfg: ShopConfig, rng: np.random.Generator, cal: Calendar, cust: dict[str, np.ndarray],
                    pools: ProductPools, minor: int, usd_rate: float) -> dict[str, object]:
    """Run the purchase and dropout process for one block of customers, to the end of the horizon.

    Purchases form a non-homogeneous Poisson process per customer with intensity
    ``purchase_rate / 7 * multiplier(persona, day)`` (see :func:`demand_curves`), at most one a
    day: the next purchase day solves ``integral of intensity = Exp(1)`` on the cumulative curve.
    The loop runs over *rounds* (the j-th purchase of every customer still buying), each
    vectorised over customers; after each purchase the customer stops with the probability of
    :func:`custkit.simulate.feedback.dropout_probability`. The first purchase falls on the sign-up
    day for those who register at checkout (``buys_at_signup``) and, with the persona's
    ``FIRST_ORDER_IN_MOMENT`` chance, for those whose first purchase would come later in the
    horizon (impulsive buyers, concept B2 [001]: their sign-up-to-first-order gap is mostly zero).

    Parameters
    ----------
    cust
        Arrays per customer of the block, sorted by sign-up: ``persona``, ``knowledge_type``,
        ``account_type``, ``purchase_rate``, ``dropout_prob``, ``signup_day``, ``satisfaction``
        (initial), ``ability``, ``age``, ``buys_at_signup`` (registers at the first checkout).
    pools
        Product pools of the catalog.
    minor
        Minor units per currency unit (100 for USD, 1 for toman).

    Returns
    -------
    dict
        ``orders`` (dict of arrays, one entry per order, day indices), ``items`` (dict of arrays
        per line, ``order`` = position in ``orders``), ``end`` (per-customer state at the
        observation end) and ``final`` (at the end of the horizon).
    """
    m = len(cust["persona"])
    g = cust["persona"]
    signup = cust["signup_day"]
    rate = cust["purchase_rate"]
    curves = demand_curves(cal)
    n_days = cal.n_days
    offset = curves[:, -1].max() + 1.0
    flat = (curves[:, 1:] + offset * np.arange(6)[:, None]).ravel()

    def next_day(who: np.ndarray, after: np.ndarray, pace: np.ndarray | float = 1.0) -> np.ndarray:
        """First purchase day >= ``after`` of each customer in ``who`` (n_days when none), buying
        at ``pace`` times the personal rate."""
        r = rate[who] * pace
        gap = np.divide(7.0 * rng.exponential(1.0, len(who)), r, out=np.full(len(who), np.inf), where=r > 0)
        target = curves[g[who], np.minimum(after, n_days)] + gap
        pos = np.searchsorted(flat, target + offset * g[who], side="left") - g[who] * n_days
        return np.where(target <= curves[g[who], -1], np.clip(pos, after, n_days - 1), n_days)

    sat = cust["satisfaction"].astype(float).copy()
    spend_minor = np.zeros(m, dtype=np.int64)  # kept sales in minor units: exact sums, exact tier thresholds
    n_orders = np.zeros(m, dtype=np.int64)
    churn_day = np.full(m, -1, dtype=np.int64)
    adv_day = np.full(m, -1, dtype=np.int64)
    end = {"alive": np.ones(m, dtype=bool), "satisfaction": sat.copy(), "spend_usd": np.zeros(m),
           "n_orders": np.zeros(m, dtype=np.int64), "last_day": np.full(m, -1, dtype=np.int64)}
    everyone = np.arange(m)
    # Many register at their first checkout: that order falls on the sign-up day.
    upcoming = np.where(cust["buys_at_signup"], signup, next_day(everyone, signup))
    # Impulsive buyers buy in the moment (concept B2 [001]): most first purchases that would come
    # later within the horizon are made at the sign-up visit instead (who buys does not change).
    in_moment = (upcoming < n_days) & (rng.random(m) < FIRST_ORDER_IN_MOMENT[g])
    upcoming = np.where(in_moment, signup, upcoming)
    parts: list[dict] = []
    item_parts: list[dict] = []
    n_done = 0
    while True:
        who = np.flatnonzero(upcoming < n_days)
        if not len(who):
            break
        day = upcoming[who]
        o, items = _orders_of(cfg, rng, cal, cust, who, day, sat, spend_minor, n_orders, adv_day,
                              signup, pools, minor, usd_rate)
        items["order"] = items["order"] + n_done
        n_done += len(who)
        parts.append(o)
        item_parts.append(items)
        dropped = o["dropped"]
        churn_day[who[dropped]] = day[dropped]
        seen = day <= cal.end_day
        w = who[seen]
        end["alive"][w] = ~dropped[seen]
        end["satisfaction"][w] = sat[w]
        end["spend_usd"][w] = spend_minor[w] / minor / usd_rate
        end["n_orders"][w] = n_orders[w]
        end["last_day"][w] = day[seen]
        upcoming[who[dropped]] = n_days
        stay = who[~dropped]
        # completely satisfied customers come back sooner than merely satisfied ones (concept D2)
        upcoming[stay] = next_day(stay, day[~dropped] + 1, feedback.repurchase_pace(cfg, sat[stay]))
    end["tier"] = tier_of(cfg, end["spend_usd"], cal.end_day - signup)
    end["advocate_day"] = np.where(adv_day <= cal.end_day, adv_day, -1)
    orders = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
    items = {k: np.concatenate([p[k] for p in item_parts]) for k in item_parts[0]} if item_parts else {}
    return {"orders": orders, "items": items, "end": end,
            "final": {"alive": churn_day < 0, "churn_day": churn_day, "advocate_day": adv_day}}


def _orders_of(cfg, rng, cal, cust, who, day, sat, spend_minor, n_orders, adv_day, signup, pools, minor, usd_rate):
    """Everything about this round's orders (one per buyer in ``who``); updates the state arrays."""
    n = len(who)
    g = cust["persona"][who]
    acct = cust["account_type"][who]
    seconds = _time_of_day(rng, n)
    # Transaction type (concept A5): business accounts buy B2B; consumers sometimes trade
    # between themselves through the marketplace (C2C) or sell a used item to the shop (C2B).
    u = rng.random(n)
    ttype = np.where(acct == BUSINESS, B2B,
                     np.select([u < cfg.c2c_share, u < cfg.c2c_share + cfg.c2b_share], [C2C, C2B], B2C))
    # C2C seller: another customer of the block already signed up by that day.
    n_signed = np.searchsorted(signup, day, side="right")
    seller = rng.integers(0, np.maximum(n_signed, 1))
    seller = np.where(seller == who, (seller + 1) % np.maximum(n_signed, 1), seller)
    ttype = np.where((ttype == C2C) & ((n_signed < 2) | (seller == who)), B2C, ttype)
    seller = np.where(ttype == C2C, seller, -1)
    # Whom it is for (concept A2 [000]: the customer is not always the consumer).
    recipient = _recipients(rng, cal.promotion[day], cust["age"][who], acct, ttype)
    # Offers: promotion days apply to everyone, campaigns to those who take them, staff always.
    sales = (ttype == B2C) | (ttype == B2B)
    running = cal.campaign_id[day] > 0
    takes = sales & running & (cal.promotion[day] | (rng.random(n) < USES_OFFER[g]))
    offer = np.where(takes, cal.discount_pct[day], 0.0)
    staff = sales & (acct == EMPLOYEE)
    pct = np.where(staff, np.maximum(offer, cfg.staff_discount), offer)
    campaign = np.where(takes & (offer >= np.where(staff, cfg.staff_discount, 0.0)) & (offer > 0),
                        cal.campaign_id[day], -1)
    items, totals = _items(cfg, rng, cust, who, g, acct, ttype, recipient, pct, pools, minor, cal.price_index[day])
    # What the order holds decides how likely it comes back: the mean return factor of its lines.
    category_factor = None
    if pools.return_factor is not None:
        lines = np.bincount(items["order"], minlength=n)
        category_factor = held(np.bincount(items["order"], pools.return_factor[items["product_row"]], n)
                               / np.maximum(lines, 1))
    ful = fulfilment.fulfil(cfg, rng, day, g, ttype != C2B, category_factor)
    adv = service.advice_tickets(cfg, rng, g, cust["knowledge_type"][who], sales)
    sup = service.support_tickets(cfg, rng, ful["status"], ful["late_days"], ful["damaged"])
    exp = feedback.experience(rng, ful["status"], ful["late_days"], adv["hours"], sup["hours"], sup["resolved"],
                              ful["damaged"])
    sat[who] = feedback.update(sat[who], exp)
    # what a survey about this order would read (kept as "sat_after", the input of the survey answers)
    rated = feedback.rating_basis(sat[who], exp)
    counted = ful["status"] != fulfilment.CANCELLED
    n_orders[who] += counted
    kept = ful["status"] == fulfilment.DELIVERED
    revenue = np.select([~kept & (ttype != C2B) | (ful["status"] == fulfilment.CANCELLED), ttype == C2C, ttype == C2B],
                        [0, _half_up(totals["net"] * cfg.marketplace_commission), -totals["net"]],
                        totals["net"])
    spend_minor[who] += np.where(kept & sales, totals["net"], 0)
    tier = tier_of(cfg, spend_minor[who] / minor / usd_rate, day - signup[who])
    becomes = (adv_day[who] < 0) & (sat[who] >= 0.8) & (n_orders[who] >= 3)
    adv_day[who[becomes]] = day[becomes]
    p_drop = feedback.dropout_probability(cfg, cust["dropout_prob"][who], sat[who], tier, adv_day[who] >= 0)
    dropped = rng.random(n) < p_drop
    o = {"cust": who, "day": day, "seconds": seconds, "ttype": ttype, "seller": seller,
         "recipient": recipient, "campaign": campaign, "gross": totals["gross"], "discount": totals["discount"],
         "net": totals["net"], "revenue": revenue, "sat_after": rated, "dropped": dropped,
         "tier": tier, **{k: ful[k] for k in ful},
         "adv_has": adv["has"], "adv_lead": adv["lead_hours"], "adv_hours": adv["hours"],
         "adv_resolved": adv["resolved"], "adv_topic": adv["topic"],
         "sup_has": sup["has"], "sup_hours": sup["hours"], "sup_resolved": sup["resolved"], "sup_topic": sup["topic"]}
    return o, items


def _half_up(x: np.ndarray) -> np.ndarray:
    """Round to whole minor units, halves up, as shops round money (not NumPy's half-to-even)."""
    return np.floor(np.asarray(x) + 0.5).astype(np.int64)


def _time_of_day(rng: np.random.Generator, n: int) -> np.ndarray:
    """Seconds after midnight: most orders at lunch time and in the evening."""
    hour_w = np.array([1.0, 0.5, 0.3, 0.2, 0.2, 0.3, 0.6, 1.2, 2.0, 2.6, 3.0, 3.3,
                       3.6, 3.3, 3.0, 3.0, 3.2, 3.5, 4.2, 5.0, 5.6, 5.6, 4.4, 2.6])
    hour = np.searchsorted(np.cumsum(hour_w) / hour_w.sum(), rng.random(n), side="right")
    return np.minimum(hour, 23) * 3600 + rng.integers(0, 3600, size=n)


def _recipients(rng, promo, age, acct, ttype) -> np.ndarray:
    """Recipient index (RECIPIENTS): gifts are likelier on promotion days (holiday sales)."""
    n = len(promo)
    gift = rng.random(n) < np.where(promo, 0.35, 0.14)
    # child weight peaks for parents of young children (ages 28-50)
    w = np.column_stack([np.where((age > 28) & (age < 50), 2.0, 0.4), np.full(n, 1.3), np.full(n, 0.9),
                         np.full(n, 1.5), np.full(n, 0.5)])
    cdf = np.cumsum(w, axis=1)
    who = 1 + np.minimum((cdf < (rng.random(n) * cdf[:, -1])[:, None]).sum(axis=1), 4)
    out = np.where(gift, who, 0)
    out = np.where(acct == BUSINESS, 6, out)
    return np.where((ttype == C2B), 0, out)


def _items(cfg, rng, cust, who, g, acct, ttype, recipient, pct, pools, minor, price_index):
    """Order lines and order totals, in integer minor units (exact sums).

    ``price_index`` (per order) lifts the list price to the order's day when prices rise
    (:attr:`Calendar.price_index`); a lifted toman price is rounded to whole thousands, as shops
    price, and a dollar price to the cent."""
    n = len(who)
    business = acct == BUSINESS
    single = (ttype == C2C) | (ttype == C2B)
    n_lines = np.where(single, 1, 1 + np.minimum(rng.poisson(np.where(business, 1.5, EXTRA_LINES[g])), 7))
    order = np.repeat(np.arange(n), n_lines)
    starts = np.cumsum(n_lines) - n_lines
    line = np.arange(len(order)) - starts[order] + 1
    k = len(order)
    ability = cust["ability"][who][order]
    tier = np.clip(np.round(ability * 2.2 - 0.1 + rng.normal(0, 0.7, k)), 0, 2).astype(np.int64)
    # Gifts come mostly from gift-like categories; own purchases from them at about their share
    # of the catalogue's popularity.
    is_gift = (recipient[order] >= 1) & (recipient[order] <= 5)
    gift = rng.random(k) < np.where(is_gift, 0.8, pools.gift_share)
    product = pools.draw(rng, tier * 2 + gift)
    qty = np.where(business[order], 2 + rng.poisson(6.0, k),
                   1 + (rng.random(k) < 0.1) * rng.poisson(0.8, k))
    qty = np.where(single[order], 1, qty)
    price = pools.list_minor[product]
    if np.any(price_index != 1.0):
        step = 1000 if minor == 1 else 1
        price = np.maximum(_half_up(price * price_index[order] / step) * step, step).astype(np.int64)
    # Second-hand prices: marketplace sellers ask 35-70 % of list; trade-ins fetch 25-50 %.
    factor = np.select([ttype[order] == C2C, ttype[order] == C2B],
                       [rng.uniform(0.35, 0.7, k), rng.uniform(0.25, 0.5, k)], 1.0)
    price = np.where(single[order], np.maximum(_half_up(price * factor), 1), price).astype(np.int64)
    gross_line = price * qty
    disc = _half_up(gross_line * pct[order] / 100.0)
    net_line = gross_line - disc
    items = {"order": order, "line": line, "product_row": product, "quantity": qty.astype(np.int64),
             "unit_price": price, "discount": disc, "line_net": net_line}
    totals = {"gross": np.bincount(order, gross_line, n).astype(np.int64),
              "discount": np.bincount(order, disc, n).astype(np.int64),
              "net": np.bincount(order, net_line, n).astype(np.int64)}
    return items, totals
