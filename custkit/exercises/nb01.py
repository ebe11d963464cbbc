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
from custkit.exercises.core import Exercise, Mistake
from custkit.shop import Shop


def analysis_day(shop: Shop) -> pd.Timestamp:
    """The day the notebook's questions are asked on: the shop's analysis day (:attr:`Shop.end`)."""
    return shop.end


def _near(value: Callable[[], float]) -> Callable[[object], bool]:
    """A predicate for :class:`Mistake` that compares a number with a wrong value computed lazily."""
    def test(answer: object) -> bool:
        if isinstance(answer, bool) or not isinstance(answer, int | float):
            return False
        return math.isclose(float(answer), float(value()), rel_tol=1e-3, abs_tol=1e-9)
    return test


def exercises(shop: Shop) -> types.SimpleNamespace:
    """Return the questions of notebook 01 as ``q1`` ... ``q4``."""
    if not isinstance(shop, Shop):
        raise CustkitError(f"exercises(shop) needs a custkit Shop such as ck.load_shop(), got {type(shop).__name__}.")
    customers, orders, sessions = shop.customers, shop.orders, shop.sessions
    products, items = shop.products, shop.order_items
    as_of = analysis_day(shop)
    day = f"{as_of:%Y-%m-%d}"

    @functools.cache
    def lead_share() -> float:
        status = d.customer_status(customers, orders, as_of)
        return float((status["role"] == "lead").mean())

    @functools.cache
    def lead_share_of_audience() -> float:
        counts = d.audience_counts(customers, sessions, orders, as_of).set_index("role")
        return float(counts.loc["lead", "share"])

    @functools.cache
    def lead_share_any_order() -> float:
        # every order counts (cancelled ones and C2B trade-ins too): too few leads
        placed = d.purchases_until(orders, as_of, types=None, statuses=None)
        return float((~customers["customer_id"].isin(placed["customer_id"])).mean())

    @functools.cache
    def purchases() -> pd.DataFrame:
        return d.purchases_until(orders, as_of)

    @functools.cache
    def top_category() -> str:
        table = d.buyer_vs_consumer(purchases(), items, products)
        table = table.sort_values(["orders", "category"], ascending=[False, True], kind="stable")
        return str(table.iloc[0]["category"])

    def gift_share(frame: pd.DataFrame) -> float:
        table = d.buyer_vs_consumer(frame, items, products).set_index("category")
        return float(table.loc[top_category(), "share_for_others"])

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

    @functools.cache
    def general(include_visitors: bool) -> pd.DataFrame:
        return d.general_types(customers, sessions, orders, as_of, include_visitors=include_visitors)

    def maybe_buyers(include_visitors: bool) -> int:
        return int((general(include_visitors)["potential_kind"] == "maybe_buyer").sum())

    q1 = Exercise(
        "Q1",
        f"On {day} (the last day of the data, shop.end), what share of the registered accounts are leads, "
        f"that is, registered but without a purchase yet? Give a share between 0 and 1.",
        expected=lead_share,
        hint="ck.definitions.customer_status(customers, orders, as_of) gives every account a role on "
             "that day; the mean of (role == 'lead') is the share.",
        solution=(
            'as_of = shop.end\n'
            "status = ck.definitions.customer_status(shop.customers, shop.orders, as_of)\n"
            'answer = (status["role"] == "lead").mean()'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, int | float) and not isinstance(a, bool) and 1 < a <= 100,
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(_near(lead_share_of_audience),
                    "that is the leads' share of the whole audience, anonymous visitors included; the "
                    "question asks for a share of the registered accounts only."),
            Mistake(_near(lead_share_any_order),
                    "that counts every order as a purchase. A cancelled order was never paid for, and in "
                    "a C2B trade-in the shop buys from the customer: neither makes someone a buyer (the "
                    "four marks: buys and pays)."),
        ],
    )
    q2 = Exercise(
        "Q2",
        "Take the category with the most purchases (orders that count: delivered or returned, B2C, B2B "
        "or C2C). What share of its purchases was bought for someone else (recipient not 'self')? "
        "Give a share between 0 and 1.",
        expected=lambda: gift_share(purchases()),
        hint="ck.definitions.purchases_until(shop.orders, as_of) keeps the purchases; pass them with "
             "shop.order_items and shop.products to ck.definitions.buyer_vs_consumer, then pick the row "
             "with the most orders.",
        solution=(
            'as_of = shop.end\n'
            "purchases = ck.definitions.purchases_until(shop.orders, as_of)\n"
            "table = ck.definitions.buyer_vs_consumer(purchases, shop.order_items, shop.products)\n"
            'answer = table.loc[table["orders"].idxmax(), "share_for_others"]'
        ),
        mistakes=[
            Mistake(lambda a: isinstance(a, int | float) and not isinstance(a, bool) and 1 < a <= 100,
                    "that looks like a percentage; give a share between 0 and 1."),
            Mistake(_near(lambda: gift_share(orders)),
                    "that counts all orders, cancelled ones and C2B trade-ins included; keep only the "
                    "purchases (ck.definitions.purchases_until)."),
            Mistake(_near(lambda: float(d.buyer_vs_consumer(purchases())["share_for_others"].iloc[0])),
                    "that is the share over all categories; the question asks about one category "
                    "(the one with the most purchases)."),
            Mistake(lambda a: isinstance(a, str),
                    "give the share as a number; the category itself is only the first step."),
        ],
    )
    q3 = Exercise(
        "Q3",
        "Which transaction type (B2C, B2B, C2C or C2B) brings the shop a negative revenue in total? "
        "(its code as text; then say in a comment why)",
        expected=negative_types,
        hint="ck.definitions.transaction_mix(shop.orders) lists shop_revenue per type; look for the sign, "
             "not the size.",
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
    q4 = Exercise(
        "Q4",
        f"On {day}, how many potential customers are maybe-buyers, counting both registered accounts "
        f"and anonymous visitors? (an integer)",
        expected=lambda: maybe_buyers(True),
        hint="ck.definitions.general_types(customers, sessions, orders, as_of) gives one row per person "
             "(anonymous visitors included by default); count potential_kind == 'maybe_buyer'.",
        solution=(
            'as_of = shop.end\n'
            "types = ck.definitions.general_types(shop.customers, shop.sessions, shop.orders, as_of)\n"
            'answer = int((types["potential_kind"] == "maybe_buyer").sum())'
        ),
        mistakes=[
            Mistake(_near(lambda: maybe_buyers(False)),
                    "that leaves out the anonymous visitors; people who never registered can be "
                    "maybe-buyers too (include_visitors=True)."),
            Mistake(_near(lambda: int((general(True)["general_type"] == "potential").sum())),
                    "that counts every potential customer; the browsers (who came to look) are the "
                    "other kind. Count only the maybe-buyers."),
        ],
    )
    return types.SimpleNamespace(q1=q1, q2=q2, q3=q3, q4=q4)
