"""Act on segments: a message and channel per segment, and a fair test of whom to target.

:func:`simulate_campaign` answers from a simulated shop's hidden truth what each contacted
customer would do with an offer and without it, so that students can compare targeting rules
(RFM segments, clusters, demographic groups, a model's scores) by what the offer *causes*, the
uplift, not by responses that would have come anyway (concepts E1, E2, E4).
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
    """Chance that each customer of ``truth`` buys in the campaign's weeks when sent ``offer``.

    ``p_with`` of :func:`custkit.simulate.response.purchase_probabilities`, for the offer's channel
    and discount; :func:`purchase_probabilities` gives both outcomes.
    """
    return purchase_probabilities(truth, offer)["p_with"]


def purchase_probabilities(truth: pd.DataFrame, offer: Offer) -> pd.DataFrame:
    """Both potential outcomes per customer of ``truth``: ``p_without`` and ``p_with`` the offer.

    The simulated customers' model, :func:`custkit.simulate.response.purchase_probabilities`:
    their chance to buy in the campaign's weeks anyway, and with the offer. The difference is
    what the offer causes (the uplift).
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    return response.purchase_probabilities(truth, channel=offer.channel, discount_pct=offer.discount_pct)


def simulate_campaign(
    shop: object,
    customer_ids: Iterable[int],
    offer: Offer,
    *,
    seed: int = 0,
    margin: float | None = None,
) -> CampaignResult:
    """Send ``offer`` to ``customer_ids`` in a simulated shop and see, from the hidden truth, what
    each would have done with the offer *and without it*. Deterministic for a given ``seed``.

    Each customer has two potential outcomes over the campaign's weeks
    (:func:`purchase_probabilities`): buying anyway (``p_without``) and buying with the offer
    (``p_with`` >= ``p_without``). One uniform draw per customer of the truth table, from ``seed``
    in customer-id order, decides both (bought without it if the draw < ``p_without``, with it if
    < ``p_with``), whichever list the customer is on: two targeting rules that reach the same
    customer see the same answer, and a customer who would buy anyway also buys with the offer
    (common random numbers). Customers who have not opted in to marketing e-mail cannot be
    e-mailed: on the ``email`` channel they are skipped (not contacted, no cost).

    A purchase is one order worth the customer's mean ``gross`` over past purchases (the mean of
    all buyers' means for someone who never bought). With the offer it is paid at ``1 - discount``
    and leaves ``basket x (margin - discount)``; without it, ``basket x margin``, where ``margin``
    is the gross margin at list price (default: 1 - cost of goods / list value of the items sold,
    from ``order_items`` and ``products``).

    Money: ``profit`` (the *response* profit, what a campaign report without a control group
    shows) = margin on every responder's order after the discount - contact cost; the
    *incremental* profit subtracts what the same customers would have brought without the offer:
    ``incremental_profit`` = profit - sum over contacted customers who would have bought anyway of
    ``basket x margin``. It is negative when the discount goes mostly to sure things. ``roi`` =
    incremental_profit / cost (NaN when cost is 0).

    Returns
    -------
    CampaignResult
        ``summary``: one row: ``contacted``, ``skipped_opt_out``, ``responders`` (bought with the
        offer), ``response_rate``, ``would_buy_anyway`` (contacted customers who would have bought
        without it), ``incremental_buyers`` (responders - would_buy_anyway), ``uplift``
        (incremental_buyers / contacted), ``revenue``, ``discount``, ``cost``, ``profit``,
        ``incremental_profit``, ``roi``;
        ``customers``: ``customer_id``, ``contacted``, ``p_without``, ``p_with`` (0 when not
        contacted), ``bought_without``, ``responded`` (bought with the offer), ``revenue``,
        ``profit`` (with the offer, before contact cost), ``profit_without`` (had they not been
        contacted), in the order given.
    """
    if not isinstance(offer, Offer):
        raise CustkitError(f"offer must be a custkit.segmentation.Offer, got {type(offer).__name__}.")
    truth = getattr(shop, "truth", None)
    if truth is None:
        raise CustkitError("this shop has no hidden truth: it was not simulated (make one with ck.generate(...)), "
                           "or it was loaded without it (add 'truth' to load_shop's tables=[...]); "
                           "simulate_campaign needs it.")
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
    tables = getattr(shop, "tables", {})
    needed = ("customers", "orders") + (("order_items", "products") if margin is None else ())
    absent = [t for t in needed if t not in tables]
    if absent:
        raise CustkitError(f"the shop lacks table(s) {absent}; simulate_campaign needs them (or pass margin=).")
    customers, orders = shop.customers, shop.orders
    require_columns(customers, ["customer_id", "marketing_opt_in"], "customers")
    m = _margin(shop) if margin is None else require_in_range(margin, "margin", 0, 1)
    draws = pd.Series(np.random.default_rng(seed).random(len(truth)), index=truth.index)
    both = purchase_probabilities(truth, offer).reindex(ids)
    consent = ids.map(customers.set_index("customer_id")["marketing_opt_in"]).fillna(False).astype(bool)
    contacted = consent.to_numpy() if offer.channel == "email" else np.ones(len(ids), dtype=bool)
    u = draws.reindex(ids).to_numpy()
    p0, p1 = both["p_without"].to_numpy(), both["p_with"].to_numpy()
    bought_without = u < p0
    responded = contacted & (u < p1)
    all_baskets = _baskets(orders)
    basket = all_baskets.reindex(ids).fillna(all_baskets.mean()).to_numpy(dtype=float)
    d = offer.discount_pct / 100
    revenue = np.where(responded, basket * (1 - d), 0.0)
    profit = np.where(responded, basket * (m - d), 0.0)
    profit_without = np.where(bought_without, basket * m, 0.0)
    per = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "contacted": contacted,
            "p_without": p0,
            "p_with": np.where(contacted, p1, 0.0),
            "bought_without": bought_without,
            "responded": responded,
            "revenue": revenue,
            "profit": profit,
            "profit_without": profit_without,
        }
    )
    n_contacted = int(contacted.sum())
    anyway = int((bought_without & contacted).sum())
    cost = n_contacted * offer.cost_per_contact
    total_profit = float(profit.sum()) - cost
    incremental = total_profit - float(profit_without[contacted].sum())
    summary = pd.DataFrame(
        {
            "contacted": [n_contacted],
            "skipped_opt_out": [int(len(ids) - n_contacted)],
            "responders": [int(responded.sum())],
            "response_rate": [responded.sum() / n_contacted if n_contacted else np.nan],
            "would_buy_anyway": [anyway],
            "incremental_buyers": [int(responded.sum()) - anyway],
            "uplift": [(int(responded.sum()) - anyway) / n_contacted if n_contacted else np.nan],
            "revenue": [float(revenue.sum())],
            "discount": [float(np.where(responded, basket * d, 0.0).sum())],
            "cost": [float(cost)],
            "profit": [total_profit],
            "incremental_profit": [incremental],
            "roi": [incremental / cost if cost > 0 else np.nan],
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
