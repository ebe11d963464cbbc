"""Exercises of notebook 01 (customer definitions, concepts A1-A6).

Expected answers are computed from the shop passed in with :mod:`custkit.definitions`, so the
questions check correctly on any shop the notebook's parameters open. Only observed tables are
used: the hidden truth is never part of an answer.
"""

from __future__ import annotations

import functools
import math
import types
from collections.abc import Callable

import pandas as pd

from custkit import definitions as d
from custkit.errors import CustkitError
from custkit.exercises.core import Choice, Exercise, Mistake
from custkit.purchases import PURCHASE_STATUSES, PURCHASE_TYPES
from custkit.shop import Shop


def analysis_day(shop: Shop) -> pd.Timestamp:
    """The day the notebook's questions are asked on: the shop's analysis day (:attr:`Shop.end`)."""
    return shop.end


GIFT_LIKE = ("Toys & Baby", "Gifts & Flowers", "Jewellery & Watches", "Beauty & Personal Care", "Books & Stationery")
"""The gift-like categories of notebook 01's A2 (the names of the classroom catalogue)."""


def repeat_day(shop: Shop) -> pd.Timestamp:
    """The day Q4 counts repeat buyers on: 230 days before :attr:`Shop.end`, a day no table of the
    notebook prints (2025-05-15 in the classroom shop)."""
    return shop.end - pd.Timedelta(days=230)


def _near(value: Callable[[], float]) -> Callable[[object], bool]:
    """A predicate for :class:`Mistake` that compares a number with a wrong value computed lazily."""
    def test(answer: object) -> bool:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        return math.isclose(float(answer), float(value()), rel_tol=1e-3, abs_tol=1e-9)
    return test


def exercises(shop: Shop) -> types.SimpleNamespace:
    """Return the questions of notebook 01 as ``q1`` ... ``q4``."""
    # q2 is a multiple-choice reading of the gift table; q4 builds a customer role by hand.
    if not isinstance(shop, Shop):
        raise CustkitError(f"exercises(shop) needs a custkit Shop such as ck.load_shop(), got {type(shop).__name__}.")
    customers, orders, sessions = shop.customers, shop.orders, shop.sessions
    products, items = shop.products, shop.order_items
    as_of = analysis_day(shop)
    day = f"{as_of:%Y-%m-%d}"
    # roles count the accounts opened in the window, as the notebook does: an older account may have
    # bought before the data begin, in orders the tables do not hold
    opened = d.opened_since(customers, shop.start)
    opened_here = customers.loc[customers["customer_id"].isin(opened)]

    @functools.cache
    def lead_share(accounts: str = "opened") -> float:
        people = opened_here if accounts == "opened" else customers
        status = d.customer_status(people, orders, as_of)
        return float((status["role"] == "lead").mean())

    @functools.cache
    def lead_share_of_audience(accounts: str) -> float:
        people = opened_here if accounts == "opened" else customers
        counts = d.audience_counts(people, sessions, orders, as_of).set_index("role")
        return float(counts.loc["lead", "share"])

    @functools.cache
    def lead_share_any_order() -> float:
        # every order counts (cancelled ones and C2B trade-ins too): too few leads
        placed = d.purchases_until(orders, as_of, types=None, statuses=None)
        return float((~opened_here["customer_id"].isin(placed["customer_id"])).mean())

    @functools.cache
    def purchases() -> pd.DataFrame:
        return d.purchases_until(orders, as_of)

    @functools.cache
    def mix() -> pd.DataFrame:
        return d.transaction_mix(orders)

    def revenue_sign(answer: object, sign: int) -> bool:
        if not isinstance(answer, str):
            return False
        table = mix().set_index("transaction_type")
        code = answer.strip().upper()
        return code in table.index and (table.loc[code, "shop_revenue"] * sign > 0)

    def negative_types() -> str | set[str]:
        negative = mix().loc[mix()["shop_revenue"] < 0, "transaction_type"].tolist()
        return negative[0] if len(negative) == 1 else set(negative)

    q1 = Exercise(
        "Q1",
        f"On {day} (the last day of the data, shop.end), what share of the accounts opened in the window "
        f"(signup_date on or after shop.start) are leads, that is, registered but without a purchase yet? "
        f"Give a share between 0 and 1.",
        expected=lead_share,
        hint=("A lead has an account but no purchase yet; the kit gives every account a role on a day. "
              "Keep only the accounts whose purchase history the data hold, as A4 does.",
              "ck.definitions.customer_status(shop.customers, shop.orders, as_of) has a role column; keep its "
              "rows whose customer_id is in ck.definitions.opened_since(shop.customers, shop.start), then "
              "the mean of (role == 'lead') is the share."),
        solution=(
            'as_of = shop.end\n'
            "opened = ck.definitions.opened_since(shop.customers, shop.start)  # accounts opened in the window\n"
            "status = ck.definitions.customer_status(shop.customers, shop.orders, as_of)\n"
            'status = status[status["customer_id"].isin(opened)]\n'
            'answer = (status["role"] == "lead").mean()'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, int | float) and not isinstance(a, bool) and 1 < a <= 100,
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(_near(lambda: lead_share("all")),
                    "that counts the accounts opened before the window too. They are in the tables only "
                    "because they placed an order in the window, and they may have bought before it, so "
                    "their role cannot be read from these data. Keep the accounts opened on or after "
                    "shop.start (ck.definitions.opened_since)."),
            Mistake(lambda a: any(_near(lambda k=k: lead_share_of_audience(k))(a) for k in ("opened", "all")),
                    "that is the leads' share of the whole audience, anonymous visitors included; the "
                    "question asks for a share of the accounts opened in the window only."),
            Mistake(_near(lead_share_any_order),
                    "that counts every order as a purchase. A cancelled order was never paid for, and in "
                    "a C2B trade-in the shop buys from the customer: neither makes someone a buyer (the "
                    "four marks: buys and pays)."),
        ],
    )
    @functools.cache
    def gift_groups() -> tuple[pd.Series, pd.Series]:
        share = d.buyer_vs_consumer(purchases(), items, products).set_index("category")["share_for_others"]
        gift = share.loc[share.index.isin(GIFT_LIKE)]
        return gift, share.loc[~share.index.isin(GIFT_LIKE)]

    def q2_answer() -> str:
        gift, other = gift_groups()
        if len(gift) and gift.mean() >= 0.5:
            return "a"
        if len(gift) == 0 or len(other) == 0 or gift.mean() < 1.5 * other.mean():
            return "c"
        return "b"

    q2 = Choice(
        "Q2",
        "Read the table of buyer_vs_consumer in A2 (share of purchases bought for someone else, per "
        "category). Which statement do the data support?",
        options={
            "a": "In the gift-like categories most purchases are for someone else: there the customer is "
                 "usually not the consumer.",
            "b": "Purchases for someone else are much more common in the gift-like categories than in the "
                 "others, but even there most purchases are for the buyer.",
            "c": "Whom a purchase is for hardly depends on the category.",
        },
        answer=q2_answer,
        hint=("Compare the shares of the gift-like categories with those of the others, and compare each "
              "with one half.",
              "A share of 0.32 means 32 purchases in 100 were for someone else, so 68 were for the buyer."),
        solution=(
            "purchases = ck.definitions.purchases_until(shop.orders, shop.end)\n"
            "gifts = ck.definitions.buyer_vs_consumer(purchases, shop.order_items, shop.products)\n"
            'print(gifts[["category", "share_for_others"]].round(2))\n'
            "# Gift-like categories: about 0.3 for someone else, the others about 0.12: much more\n"
            "# common, yet below one half, so most purchases are still for the buyer.\n"
            f"gift_like = gifts['category'].isin({sorted(GIFT_LIKE)!r})\n"
            "gift, other = gifts.loc[gift_like, 'share_for_others'].mean(), gifts.loc[~gift_like, 'share_for_others'].mean()\n"
            'answer = "a" if gift >= 0.5 else ("b" if gift >= 1.5 * other else "c")'
        ),
        why={
            "a": "look at the largest share in the table: it is below one half, so even in the gift-like "
                 "categories most purchases are for the buyer. 'More often than elsewhere' is not 'mostly'.",
            "c": "compare the top five shares with the bottom five: the gift-like categories are bought for "
                 "someone else two to three times as often. The category matters.",
        },
    )
    q3 = Exercise(
        "Q3",
        "Which transaction type (B2C, B2B, C2C or C2B) brings the shop a negative revenue in total? "
        "(its code as text; then say in a comment why)",
        expected=negative_types,
        hint=("Ask, for each type, who pays whom: in which deal is the shop the buyer?",
              "ck.definitions.transaction_mix(shop.orders) lists shop_revenue per type; look for the sign, "
              "not the size."),
        solution=(
            "mix = ck.definitions.transaction_mix(shop.orders)\n"
            'answer = mix.loc[mix["shop_revenue"] < 0, "transaction_type"].item()\n'
            "# In C2B the shop buys from a customer (a trade-in): it pays out instead of earning."
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, str) and a.strip().upper() == "C2C" and revenue_sign(a, +1),
                    "that type earns little (the shop keeps only a commission on a sale between two "
                    "customers), but what it earns is still positive. Look for the type in which the "
                    "shop pays money out."),
            Mistake(lambda a: isinstance(a, str) and a.strip().upper() in {"B2C", "B2B"} and revenue_sign(a, +1),
                    "the shop sells in that type and keeps the whole price: its revenue is positive. "
                    "Which type makes the shop the buyer?"),
        ],
    )
    day4 = repeat_day(shop)

    @functools.cache
    def repeat_count(kind: str) -> int:
        """Repeat buyers on day4 counted with one of the typical slips (``kind``)."""
        by_day = orders["order_date"] < day4 + pd.Timedelta(days=1)
        sale = orders["transaction_type"].isin(PURCHASE_TYPES)
        paid = orders["status"].isin(PURCHASE_STATUSES)
        new = orders["customer_id"].isin(opened)
        mask, minimum = {
            "all": (new & by_day, 2),
            "not_cancelled": (new & by_day & (orders["status"] != "cancelled"), 2),
            "all_dates": (new & sale & paid, 2),
            "buyers": (new & by_day & sale & paid, 1),
            "older_too": (by_day & sale & paid, 2),
        }[kind]
        counts = orders.loc[mask].groupby("customer_id").size()
        return int((counts >= minimum).sum())

    def kit_repeat() -> int:
        status = d.customer_status(opened_here, orders, day4)
        return int((status["role"] == "repeat_buyer").sum())

    q4 = Exercise(
        "Q4",
        f"By hand, with pandas, shop.orders and shop.customers only: how many accounts opened in the "
        f"window (signup_date on or after shop.start) were repeat buyers on {day4:%Y-%m-%d}, that is, had "
        f"two or more purchases by that day (a purchase: a B2C, B2B or C2C order, delivered or returned, "
        f"placed on or before the day)? ck.definitions.customer_status gives the kit's answer to compare "
        f"with. (an integer)",
        expected=kit_repeat,
        hint=("Build the rule of A1 as filters on the rows of shop.orders (the day, the type, the status, "
              "and accounts opened in the window), then count the purchases of each customer.",
              'Take the ids of shop.customers with signup_date >= shop.start; keep the orders of those ids '
              'with order_date < day + 1 day, transaction_type in ["B2C", "B2B", "C2C"] and status in '
              '["delivered", "returned"]; then groupby("customer_id").size() and count the values >= 2.'),
        solution=(
            f'day = pd.Timestamp("{day4:%Y-%m-%d}")\n'
            "o = shop.orders\n"
            'opened = shop.customers.loc[shop.customers["signup_date"] >= shop.start, "customer_id"]\n'
            'kept = o[(o["order_date"] < day + pd.Timedelta(days=1))\n'
            '         & o["customer_id"].isin(opened)\n'
            '         & o["transaction_type"].isin(["B2C", "B2B", "C2C"])\n'
            '         & o["status"].isin(["delivered", "returned"])]\n'
            'answer = int((kept.groupby("customer_id").size() >= 2).sum())\n'
            "# the kit agrees: customer_status on the accounts opened in the window, role 'repeat_buyer'"
        ),
        mistakes=[
            Mistake(_near(lambda: repeat_count("all")),
                    "that counts every order as a purchase. Cancelled orders were never paid for, and a C2B "
                    "trade-in is the shop buying from the customer: keep only the purchases (A1)."),
            Mistake(_near(lambda: repeat_count("not_cancelled")),
                    "that still counts the C2B trade-ins; in a trade-in the customer sells, so it is not "
                    "a purchase. Keep B2C, B2B and C2C only."),
            Mistake(_near(lambda: repeat_count("all_dates")),
                    f"that counts purchases after {day4:%Y-%m-%d} too; a role belongs to a day, so only "
                    f"orders placed on or before it count."),
            Mistake(_near(lambda: repeat_count("buyers")),
                    "that counts everyone with at least one purchase (first-time buyers too); a repeat "
                    "buyer has two or more."),
            Mistake(_near(lambda: repeat_count("older_too")),
                    "that counts the accounts opened before the window too. Their purchases before the data "
                    "begin are missing, so the data cannot say whether they were repeat buyers: keep the "
                    "accounts with signup_date on or after shop.start."),
        ],
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4)
