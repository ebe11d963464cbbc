"""Act on segments: a message and channel per segment, and a fair test of whom to target.

:func:`simulate_campaign` answers from a simulated shop's hidden truth who would respond to an
offer and what it would earn, so that students can compare targeting rules (RFM segments,
clusters, demographic groups, a model's scores) on the same footing (concepts E1, E2, E4).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_frame, require_ids, require_in_range, require_positive
from custkit.errors import CustkitError, SchemaError
from custkit.simulate import response

OFFER_CHANNELS: tuple[str, ...] = ("email", "social", "ads")
"""Channels a campaign can reach known customers on (``email`` needs their consent)."""

PLAYBOOK: dict[str, tuple[str, str, str]] = {
    # segment: (message, channel, channel when the customer has not opted in to e-mail)
    "champions": ("Thank them: early access to new arrivals and a reward for referring friends", "email", "social"),
    "loyal": ("Reward the habit: loyalty points and related products they have not tried", "email", "social"),
    "potential_loyalists": ("Invite them to the loyalty programme with a reward on the next order", "email", "social"),
    "new": ("Welcome and onboard: how to get the most from the first purchase", "email", "social"),
    "promising": ("Recommend products that go with the first purchase; free delivery on the second", "email", "social"),
    "need_attention": ("A limited-time offer on the categories they buy", "email", "social"),
    "about_to_sleep": ("Remind them: popular products and a small discount", "email", "social"),
    "at_risk": ("Ask what went wrong, apologise, and offer to fix it (a personal message)", "email", "social"),
    "cant_lose": ("Win them back personally: the best service and a generous offer", "email", "social"),
    "hibernating": ("Reactivate with bestsellers at a discount; stop if they do not respond", "social", "social"),
    "lost": ("Spend little: keep them in broad ads only", "ads", "ads"),
}
"""Segment -> (message, channel, fallback channel): one suggestion per RFM segment.

[004] (E1): tailor the message and the channel to the group, and do not e-mail people who do not
read e-mail: the fallback channel is used for customers whose ``marketing_opt_in`` is False.
The messages follow the tactics of [001] (B2: active, lost, dissatisfied, at-risk, referred).
"""


def playbook() -> pd.DataFrame:
    """The :data:`PLAYBOOK` as a table: ``segment``, ``message``, ``channel``, ``fallback_channel``."""
    rows = [(s, *v) for s, v in PLAYBOOK.items()]
    return pd.DataFrame(rows, columns=["segment", "message", "channel", "fallback_channel"]).astype("str")


def suggest_actions(
    segments: pd.DataFrame,
    customers: pd.DataFrame,
    *,
    segment: str = "segment",
    customer: str = "customer_id",
    opt_in: str = "marketing_opt_in",
) -> pd.DataFrame:
    """One message and channel per customer from their segment; no e-mail without consent.

    Returns
    -------
    DataFrame
        ``customer_id``, ``segment``, ``message``, ``channel`` (the fallback channel when the
        playbook says e-mail and ``marketing_opt_in`` is False or unknown).
    """
    require_frame(segments, "segments")
    require_columns(segments, [customer, segment], "segments")
    require_frame(customers, "customers")
    require_columns(customers, [customer, opt_in], "customers")
    require_ids(customers, customer, "customers", unique=True)
    unknown = sorted(set(segments[segment].dropna()) - set(PLAYBOOK))
    if unknown or segments[segment].isna().any():
        raise SchemaError(f"segments[{segment!r}] holds {unknown or 'missing values'}; expected {list(PLAYBOOK)}.")
    consent = segments[customer].map(customers.set_index(customer)[opt_in]).fillna(False).astype(bool).to_numpy()
    book = playbook().set_index("segment").reindex(segments[segment].to_numpy())
    channel = np.where(consent, book["channel"].to_numpy(), book["fallback_channel"].to_numpy())
    return pd.DataFrame(
        {
            customer: segments[customer].to_numpy(),
            "segment": segments[segment].to_numpy(),
            "message": book["message"].to_numpy(),
            "channel": pd.array(channel, dtype="str"),
        }
    )


@dataclass(frozen=True)
class Offer:
    """A campaign offer: a discount in percent, what one contact costs, and the channel.

    ``discount_pct`` in [0, 100); ``cost_per_contact`` >= 0 in the shop's currency; ``channel``
    one of :data:`OFFER_CHANNELS`.
    """

    discount_pct: float = 10.0
    cost_per_contact: float = 0.5
    channel: str = "email"

    def __post_init__(self) -> None:
        require_in_range(self.discount_pct, "Offer.discount_pct", 0, 100, high_open=True)
        require_positive(self.cost_per_contact, "Offer.cost_per_contact", allow_zero=True)
        if self.channel not in OFFER_CHANNELS:
            raise CustkitError(f"Offer.channel must be one of {list(OFFER_CHANNELS)}, got {self.channel!r}.")




@dataclass(frozen=True)
class CampaignResult:
    """What :func:`simulate_campaign` returns: a one-row ``summary`` and per-customer ``customers``."""

    summary: pd.DataFrame
    customers: pd.DataFrame


def response_probability(truth: pd.DataFrame, offer: Offer) -> pd.Series:
    """Chance that each customer of ``truth`` responds to ``offer`` (index kept).

    The simulated customers' response model, :func:`custkit.simulate.response.response_probability`,
    for the offer's channel and discount; :func:`simulate_campaign` draws the answers from it.
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    return response.response_probability(truth, channel=offer.channel, discount_pct=offer.discount_pct)


def simulate_campaign(
    shop: object,
    customer_ids: Iterable[int],
    offer: Offer,
    *,
    seed: int = 0,
    margin: float | None = None,
) -> CampaignResult:
    """Send ``offer`` to ``customer_ids`` in a simulated shop and see, from the hidden truth, who
    responds and what the campaign earns. Deterministic for a given ``seed``.

    Response model (:func:`response_probability`): the chance to respond rises with being alive
    and active (``lifecycle_state``, ``alive_at_end``), with the purchase rate and the ability to
    pay; discount seekers respond most to a discount, researchers least. Customers who have not
    opted in to marketing e-mail cannot be e-mailed: on the ``email`` channel they are skipped
    (not contacted, no cost). Each customer of the truth table gets one uniform draw from
    ``seed`` (in customer-id order), whatever list they are in, so two targeting rules that both
    contact a customer see the same answer from them: a fair comparison (common random numbers).

    A responder places one order worth their mean ``gross`` over past purchases (the mean of all
    buyers' means for someone who never bought), at ``1 - discount``. Money:
    ``revenue`` = sum of those orders after discount; ``cost`` = contacts x cost per contact;
    ``profit`` = sum of basket x (margin - discount) - cost, where ``margin`` is the gross margin
    at list price (default: 1 - cost of goods / list value of the items sold, from
    ``order_items`` and ``products``); ``roi`` = profit / cost (NaN when cost is 0).

    Returns
    -------
    CampaignResult
        ``summary``: one row: ``contacted``, ``skipped_opt_out``, ``responders``,
        ``response_rate``, ``revenue``, ``discount``, ``cost``, ``profit``, ``roi``;
        ``customers``: ``customer_id``, ``contacted``, ``p_response``, ``responded``,
        ``revenue``, ``profit`` (profit before contact cost), in the order given.
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    truth = getattr(shop, "truth", None)
    if truth is None:
        raise CustkitError("this shop has no hidden truth (not simulated); simulate_campaign needs ck.generate(...).")
    try:
        ids = pd.Series(list(customer_ids), dtype="int64")
    except (TypeError, ValueError):
        raise CustkitError("customer_ids must be a list (or Series) of whole-number customer ids.") from None
    if ids.empty:
        raise CustkitError("customer_ids is empty; pass the ids of the customers to contact.")
    if ids.duplicated().any():
        raise CustkitError(f"customer_ids has duplicates (e.g. {ids[ids.duplicated()].iloc[0]}); contact each once.")
    truth = truth.sort_values("customer_id", kind="stable").set_index("customer_id")
    missing = ids[~ids.isin(truth.index)]
    if len(missing):
        raise CustkitError(f"customer_ids {missing.head(3).tolist()} are not customers of this shop.")
    draws = pd.Series(np.random.default_rng(seed).random(len(truth)), index=truth.index)
    p_all = response_probability(truth, offer)
    tables = getattr(shop, "tables", {})
    needed = ("customers", "orders") + (("order_items", "products") if margin is None else ())
    absent = [t for t in needed if t not in tables]
    if absent:
        raise CustkitError(f"the shop lacks table(s) {absent}; simulate_campaign needs them (or pass margin=).")
    customers, orders = shop.customers, shop.orders
    require_columns(customers, ["customer_id", "marketing_opt_in"], "customers")
    consent = ids.map(customers.set_index("customer_id")["marketing_opt_in"]).fillna(False).astype(bool)
    contacted = consent.to_numpy() if offer.channel == "email" else np.ones(len(ids), dtype=bool)
    p = p_all.reindex(ids).to_numpy()
    responded = contacted & (draws.reindex(ids).to_numpy() < p)
    basket = _baskets(orders).reindex(ids)
    basket = basket.fillna(_baskets(orders).mean()).to_numpy(dtype=float)
    m = _margin(shop) if margin is None else require_in_range(margin, "margin", 0, 1)
    d = offer.discount_pct / 100
    revenue = np.where(responded, basket * (1 - d), 0.0)
    profit = np.where(responded, basket * (m - d), 0.0)
    per = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "contacted": contacted,
            "p_response": np.where(contacted, p, 0.0),
            "responded": responded,
            "revenue": revenue,
            "profit": profit,
        }
    )
    n_contacted = int(contacted.sum())
    cost = n_contacted * offer.cost_per_contact
    total_profit = float(profit.sum()) - cost
    summary = pd.DataFrame(
        {
            "contacted": [n_contacted],
            "skipped_opt_out": [int(len(ids) - n_contacted)],
            "responders": [int(responded.sum())],
            "response_rate": [responded.sum() / n_contacted if n_contacted else np.nan],
            "revenue": [float(revenue.sum())],
            "discount": [float(np.where(responded, basket * d, 0.0).sum())],
            "cost": [float(cost)],
            "profit": [total_profit],
            "roi": [total_profit / cost if cost > 0 else np.nan],
        }
    )
    return CampaignResult(summary=summary, customers=per)


def _baskets(orders: pd.DataFrame) -> pd.Series:
    """Mean ``gross`` per purchase for each customer (B2C/B2B/C2C, delivered or returned)."""
    require_frame(orders, "orders")
    require_columns(orders, ["customer_id", "gross", "transaction_type", "status"], "orders")
    from custkit.purchases import purchase_mask

    bought = orders.loc[purchase_mask(orders)]
    if bought.empty:
        raise CustkitError("the shop has no purchases to value a response by.")
    return bought.groupby("customer_id")["gross"].mean()


def _margin(shop: object) -> float:
    """Gross margin at list price of the items sold: 1 - sum(qty x unit_cost) / sum(qty x unit_price)."""
    items, products = shop.order_items, shop.products
    require_columns(items, ["product_id", "quantity", "unit_price"], "order_items")
    require_columns(products, ["product_id", "unit_cost"], "products")
    cost = items["product_id"].map(products.set_index("product_id")["unit_cost"]).astype(float)
    value = float((items["quantity"] * items["unit_price"]).sum())
    if value <= 0:
        raise CustkitError("cannot estimate the margin from order_items; pass margin= explicitly.")
    return float(1 - (items["quantity"] * cost).sum() / value)
