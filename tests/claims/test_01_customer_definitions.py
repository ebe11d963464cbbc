"""Notebook 01 (customer definitions): every sentence that states a direction or a size, on four shops."""

from __future__ import annotations

import pandas as pd
import pytest

import custkit as ck

d = ck.definitions

GIFT_LIKE = ("Toys & Baby", "Gifts & Flowers", "Jewellery & Watches", "Beauty & Personal Care", "Books & Stationery")


@pytest.fixture(scope="module")
def purchases(shop):
    return d.purchases_until(shop.orders, shop.end)


@pytest.fixture(scope="module")
def mix(shop):
    return d.transaction_mix(shop.orders).set_index("transaction_type")


def test_counting_cancelled_orders_or_trade_ins_inflates_the_customer_base(shop, purchases):
    """'Counting cancelled orders or trade-ins as purchases inflates the customer base'"""
    anyone = shop.orders["customer_id"].nunique()
    buyers = purchases["customer_id"].nunique()
    assert anyone > buyers
    assert len(purchases) < len(shop.orders)


def test_gift_like_categories_about_three_in_ten_for_someone_else(shop, purchases):
    """'In the gift-like ones ... about three in ten purchases are for someone else, against about
    one in eight elsewhere ... two and a half to three times as often; even there, seven in ten
    buyers are also the user.'"""
    share = d.buyer_vs_consumer(purchases, shop.order_items, shop.products).set_index("category")["share_for_others"]
    gift, other = share.loc[list(GIFT_LIKE)], share.drop(list(GIFT_LIKE))
    assert len(other) == 5
    assert gift.between(0.25, 0.40).all()
    assert other.between(0.08, 0.18).all()
    assert gift.min() > other.max()
    assert 2.2 <= gift.mean() / other.mean() <= 3.2
    assert gift.max() < 0.5  # most buyers of every category are also its users


def test_gift_like_bars_sit_at_the_top(shop, purchases):
    """'so their bars sit at the top of the chart' (the table is sorted by share, largest first)"""
    table = d.buyer_vs_consumer(purchases, shop.order_items, shop.products)
    assert set(table["category"].iloc[:5]) == set(GIFT_LIKE)


def test_most_purchases_are_for_the_buyer(purchases):
    """Summary / notebook 00: most buyers shop for themselves."""
    mix_ = d.recipient_mix(purchases).set_index("recipient")["share"]
    assert mix_.idxmax() == "self" and mix_["self"] > 0.7


def test_conversion_highest_with_both_lowest_with_neither(shop):
    """'Conversion is highest in the cell with both ability and aptitude, and lowest in the cell
    with neither; one of the two alone lifts it only part of the way.'"""
    status = d.customer_status(shop.customers, shop.orders, shop.end)
    graded = (shop.truth[["customer_id", "ability", "aptitude"]].merge(status, on="customer_id")
              .assign(bought=lambda t: t["purchases"] > 0))
    grid = d.ability_aptitude_table(graded, ability_threshold=0.3, aptitude_threshold=0.3)
    conv = grid.set_index(["has_ability", "has_aptitude"])["conversion"]
    both, neither = conv[(True, True)], conv[(False, False)]
    one = [conv[(True, False)], conv[(False, True)]]
    assert all(neither < c < both for c in one)
    assert max(one) < 0.6 * both  # only part of the way
    assert both > 0.75 and neither < 0.2


def test_organisational_and_internal_customers_are_few(shop):
    """'Organisational and internal customers are few in number'"""
    people = d.general_types(shop.customers, shop.sessions, shop.orders, shop.end)
    counts = people["general_type"].value_counts()
    assert counts["organisational"] < counts["actual"] / 5
    assert counts["internal"] < counts["actual"] / 5
    assert counts["potential"] > 10 * counts["actual"]
    kinds = people["potential_kind"].value_counts()
    assert kinds["browser"] > kinds["maybe_buyer"]


def test_business_accounts_weigh_far_more_in_money_than_in_heads(shop, mix):
    """'business accounts weigh far more in money than in heads'"""
    heads = (shop.customers["account_type"] == "business").mean()
    assert mix.loc["B2B", "revenue_share"] > 4 * heads


def test_every_line_of_the_audience_grows(shop):
    """'Every line grows because the shop keeps gaining people'"""
    days = pd.date_range(shop.orders["order_date"].min(), shop.end, freq="QE").union([shop.end])
    timeline = d.audience_over_time(shop.customers, shop.sessions, shop.orders, days)
    wide = timeline.pivot(index="as_of", columns="role", values="people")
    for role in ck.definitions.ROLES:
        assert wide[role].is_monotonic_increasing and wide[role].iloc[-1] > wide[role].iloc[0]


def test_b2b_small_share_of_orders_much_larger_share_of_money(mix):
    """'B2B is a small share of the orders but a much larger share of the money'"""
    assert mix.loc["B2B", "order_share"] < 0.1
    assert mix.loc["B2B", "revenue_share"] > 5 * mix.loc["B2B", "order_share"]


def test_c2c_visible_share_of_orders_tiny_share_of_revenue(mix):
    """'C2C orders are a visible share of the activity, yet ... their share of revenue is tiny.'"""
    assert mix.loc["C2C", "order_share"] > 0.02
    assert 0 < mix.loc["C2C", "revenue_share"] < mix.loc["C2C", "order_share"] / 10


def test_c2b_is_the_type_with_negative_shop_revenue(mix):
    """'C2B is the type with negative shop revenue'"""
    assert mix.index[mix["shop_revenue"] < 0].tolist() == ["C2B"]
