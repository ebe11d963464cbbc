"""Notebook 00 (start here): every sentence that states a direction or a size, on four shops."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit import tour
from custkit.plots import tour as tour_plots
from custkit.purchases import PURCHASE_STATUSES, PURCHASE_TYPES

from .conftest import SHOPS, shop_named

ONE_DAY_SALES = ("Independence Day", "Black Friday", "Cyber Monday")


def _weeks(shop):
    return tour.weekly_orders(shop.orders, shop.campaigns, start=shop.start, end=shop.end)


def _lift(shop):
    out = tour.promotion_lift(shop.orders, shop.campaigns, start=shop.start, end=shop.end)
    return out.assign(holiday=out["name"].str.replace(r"\s*\d{4}$", "", regex=True))


def test_a_small_online_store(shop):
    """'Our shop is a small online store (about ten orders a day, a few hundred thousand dollars of
    revenue a year)'"""
    days = (shop.end - shop.start).days + 1
    assert 7 <= len(shop.orders) / days <= 13
    assert shop.config.currency == "USD"
    per_year = shop.orders["shop_revenue"].sum() / (days / 365.25)
    assert 200_000 <= per_year <= 500_000


def test_older_accounts_without_an_order_in_the_window_are_not_exported(shop):
    """'the classroom configuration opens 5,000 accounts (n_customers), ... an account opened before
    the window that places no order in it is not exported, so the tables hold about four in five of
    them'"""
    assert shop.config.n_customers == 5000
    assert 0.75 <= len(shop.customers) / shop.config.n_customers <= 0.85
    o = shop.orders
    active = set(o["customer_id"]) | set(o["seller_customer_id"].dropna().astype(int))
    customers = shop.customers
    older = customers["signup_date"] < shop.start
    assert older.sum() > 100
    assert customers.loc[older, "customer_id"].isin(active).all()
    # accounts opened in the window are exported with or without an order: the filter is on older ones
    assert (~customers.loc[~older, "customer_id"].isin(active)).sum() > 100


def test_fact_sheet_late_share_counts_every_delivered_order_the_scorecard_purchases_only(shop):
    """'The share of delivered orders that came late counts every order with a delivery date,
    whatever its type (the shop's trade-ins too), and returned orders ...; the scorecard ... counts
    purchases only, so its late share can differ a little.'"""
    o = shop.orders
    dated = o["delivered_date"].notna()
    late = o["delivered_date"] > o["promised_date"]
    assert set(o.loc[dated, "transaction_type"]) == {"B2C", "B2B", "C2C", "C2B"}
    assert set(o.loc[dated, "status"]) == {"delivered", "returned"}
    facts = tour.shop_facts(shop.tables).set_index("fact")["value"]
    assert facts["share of delivered orders that came late"] == f"{late[dated].mean():.1%}"
    purchase = o["transaction_type"].isin(PURCHASE_TYPES) & o["status"].isin(PURCHASE_STATUSES)
    card = ck.realism.scorecard(shop).set_index("metric")
    assert card.loc["late_delivery_share", "value"] == pytest.approx(100 * late[purchase & dated].mean())
    assert 0 < abs(card.loc["late_delivery_share", "value"] - 100 * late[dated].mean()) < 1  # a little


def test_scorecard_returns_row_is_a_share_of_purchases_not_of_all_orders(shop):
    """'The late-delivery row and the returns row are shares of purchases (B2C, B2B and C2C orders
    that were delivered or returned): ... a share of all orders counts the cancelled ones in its
    denominator.'"""
    o = shop.orders
    purchase = o["transaction_type"].isin(PURCHASE_TYPES) & o["status"].isin(PURCHASE_STATUSES)
    card = ck.realism.scorecard(shop).set_index("metric")
    of_purchases = (o.loc[purchase, "status"] == "returned").mean()
    of_all = (o["status"] == "returned").mean()
    assert card.loc["returned_share", "value"] == pytest.approx(100 * of_purchases)
    assert of_all < of_purchases - 0.005


def test_most_accounts_are_private_consumers_who_buy_for_themselves(shop):
    """'Most accounts are private consumers who buy for themselves ... A few are businesses ...
    some employees.'"""
    kinds = shop.customers["account_type"].value_counts(normalize=True)
    assert kinds["consumer"] > 0.85
    assert 0 < kinds["business"] < 0.10 and 0 < kinds["employee"] < 0.05
    purchases = ck.definitions.purchases_until(shop.orders, shop.end)
    assert (purchases["recipient"] == "self").mean() > 0.7


def test_many_only_browse_some_register_and_never_buy(shop):
    """'Many people only browse: some never register at all ..., some register and never buy.'"""
    known = set(shop.sessions.loc[shop.sessions["customer_id"].notna(), "visitor_id"])
    anonymous = shop.sessions.loc[~shop.sessions["visitor_id"].isin(known), "visitor_id"].nunique()
    assert anonymous > 10 * len(shop.customers)
    buyers = set(ck.definitions.purchases_until(shop.orders, shop.end)["customer_id"])
    never = (~shop.customers["customer_id"].isin(buyers)).mean()
    assert 0.15 < never < 0.5


def test_more_sign_ups_each_year(shop):
    """'with more sign-ups each year'"""
    per_year = shop.customers["signup_date"].dt.year.value_counts().sort_index()
    assert per_year.is_monotonic_increasing and per_year.index.is_unique


def test_some_deliveries_arrive_late(shop):
    """'Deliveries are promised a few days after the order, and some arrive late.'"""
    o = shop.orders
    delivered = o["delivered_date"].notna()
    late = (o.loc[delivered, "delivered_date"] > o.loc[delivered, "promised_date"]).mean()
    assert 0.05 < late < 0.25
    days = (o["promised_date"] - o["order_date"].dt.normalize()).dt.days.median()
    assert 2 <= days <= 7


def test_growth_from_the_first_year_to_the_second(shop):
    """'the second year has about a quarter to two-fifths more orders than the first'"""
    per_year = shop.orders["order_date"].dt.year.value_counts().sort_index()
    assert len(per_year) == 2
    assert 1.2 <= per_year.iloc[1] / per_year.iloc[0] <= 1.45


def test_no_slow_start(shop):
    """'there is no slow start from zero: ... it starts with the customers it already had'"""
    weeks = _weeks(shop)
    first_year = weeks.loc[weeks["complete"] & (weeks["week"].dt.year == weeks["week"].dt.year.min()), "orders"]
    assert weeks["orders"].iloc[:8].mean() >= 0.6 * first_year.median()


def test_christmas_sale_weeks_are_the_busiest_of_each_year(shop):
    """'the Christmas sale (15-24 December): its weeks are the busiest of each year, with half again
    to twice the orders of the weeks before it'"""
    weeks = _weeks(shop)
    full = weeks.loc[weeks["complete"]]
    for _, year in full.groupby(full["week"].dt.year):
        busiest = year.loc[year["orders"].idxmax(), "week"]
        assert busiest.month == 12 and 9 <= busiest.day <= 24  # a week that holds days of 15-24 December
    christmas = _lift(shop).query("holiday == 'Christmas'")
    assert len(christmas) == 2
    assert christmas["week_lift"].between(1.4, 2.4).all()
    assert christmas["day_lift"].between(1.7, 2.5).all()


def test_christmas_sale_lifts_whole_weeks_both_lifts_about_two(shop):
    """'The Christmas sale lasts ten days, so it lifts whole weeks: both of its lifts are about two.'"""
    christmas = _lift(shop).query("holiday == 'Christmas'")
    assert (christmas["days"] == 10).all()
    assert christmas[["day_lift", "week_lift"]].stack().between(1.5, 2.5).all()
    one_day = _lift(shop).query("holiday in @ONE_DAY_SALES")
    assert christmas["week_lift"].min() > one_day["week_lift"].median()


def test_one_day_sales_lift_their_day_much_more_than_their_week(shop):
    """Summary: 'A one-day sale lifts the orders of its own day one and a half to six times, but its
    week only about 0.85 to 2 times the four weeks before'"""
    one_day = _lift(shop).query("holiday in @ONE_DAY_SALES")
    assert len(one_day) == 6 and (one_day["days"] == 1).all()
    assert one_day["day_lift"].between(1.5, 6.5).all()
    assert one_day["week_lift"].between(0.8, 2.3).all()
    assert (one_day["week_lift"] < one_day["day_lift"]).all()


def test_a_one_day_sale_week_is_sometimes_no_higher_than_the_weeks_before():
    """Summary: '... and sometimes not at all: judge a one-day sale by its day, not by the weekly
    line.'"""
    lifts = pd.concat([_lift(shop_named(name)) for name in SHOPS])
    one_day = lifts.query("holiday in @ONE_DAY_SALES")
    assert (one_day["week_lift"] < 1.0).sum() >= 3
    assert (one_day["week_lift"] > 1.2).sum() >= 3


def test_partial_last_week_is_not_drawn_as_a_fall(shop):
    """'The data end on a Wednesday, so the last week is partial: it is drawn as a hollow point,
    not as a fall of the line.'"""
    weeks = _weeks(shop)
    assert shop.end.day_name() == "Wednesday"
    assert not weeks["complete"].iloc[-1] and weeks["days"].iloc[-1] == 3
    assert weeks["complete"].iloc[:-1].all()
    ax = tour_plots.plot_weekly_orders(weeks)
    line_weeks = pd.to_datetime(ax.lines[0].get_xdata())
    assert line_weeks.max() == weeks.loc[weeks["complete"], "week"].max()
    # the partial week would have looked like a crash: far below the complete weeks before it
    assert weeks["orders"].iloc[-1] < 0.6 * weeks["orders"].iloc[-5:-1].median()
    matplotlib.pyplot.close("all")


def test_busiest_week_is_a_promotion_week(shop):
    """Printed under the figure: 'Busiest week: ... (a promotion week: yes)'"""
    weeks = _weeks(shop)
    assert bool(weeks.loc[weeks["orders"].idxmax(), "promotion_week"])


@pytest.fixture(scope="module")
def card(shop):
    return ck.realism.scorecard(shop).set_index("metric")


def test_scorecard_reads_as_the_text_says(card):
    """'Only a few visits in a hundred end in a purchase; most carts are left without buying; more
    than half of the new customers never buy a second time within their first nine months, like
    CDNOW's; and some survey answers give the lowest satisfaction score'"""
    assert 1 <= card.loc["purchase_sessions", "value"] <= 5
    assert card.loc["cart_abandonment", "value"] > 50
    assert card.loc["first_quarter_no_repeat_39w", "value"] > 50
    assert card.loc["first_quarter_no_repeat_39w", "cdnow"] > 50
    assert card.loc["csat_1_share", "value"] > 0


def test_every_scorecard_row_is_in_range(card):
    """'Every row is judged in range, here and in the shops of other seeds'"""
    measurable = card.loc[card["verdict"] != "not measurable", "verdict"]
    assert len(measurable) >= 15 and (measurable == "in range").all()


REPEAT_ROWS = ("first_quarter_no_repeat_39w", "first_quarter_repeats_weeks_40_78")


def _outside(card):
    return card[(card["value"] < card["low"]) | (card["value"] > card["high"])]


def test_only_the_repeat_rows_can_pass_with_the_value_outside_its_range(card):
    """'Only these two rows, with their "±", can pass that way; every other value lies inside its
    range.' and 'a value counts as in range when that interval reaches the range'"""
    outside = _outside(card)
    assert set(outside.index) <= set(REPEAT_ROWS)
    assert card.loc[list(REPEAT_ROWS), "margin"].notna().all()
    assert card.drop(list(REPEAT_ROWS))["margin"].isna().all()
    for _, row in outside.iterrows():  # they pass on their interval, not on the value
        assert row["value"] - row["margin"] <= row["high"] and row["value"] + row["margin"] >= row["low"]


def test_in_range_does_not_always_mean_the_value_lies_inside():
    """'but "in range" does not always mean that the value itself lies inside the range'"""
    cards = [ck.realism.scorecard(shop_named(name)).set_index("metric") for name in SHOPS]
    assert sum(len(_outside(c)) > 0 for c in cards) >= 2


def test_classroom_repeat_values_lie_outside_on_the_side_of_too_little_repeat_buying():
    """'In the classroom shop both repeat-buying values lie outside their ranges, on the side of
    too little repeat buying: its new customers buy again a little less than real shops' do'"""
    card = ck.realism.scorecard(shop_named("committed")).set_index("metric")
    assert set(_outside(card).index) == set(REPEAT_ROWS)
    no_repeat, repeats = card.loc["first_quarter_no_repeat_39w"], card.loc["first_quarter_repeats_weeks_40_78"]
    assert no_repeat["value"] > no_repeat["high"] and repeats["value"] < repeats["low"]
    assert no_repeat["value"] - no_repeat["high"] < 5 and repeats["low"] - repeats["value"] < 0.25  # a little


def test_a_repeat_value_outside_its_range_is_always_on_the_side_of_too_little(card):
    """On every shop, a repeat-buying value outside its range shows too little repeat buying,
    never too much (the direction the classroom sentence names)."""
    outside = _outside(card)
    if "first_quarter_no_repeat_39w" in outside.index:
        assert outside.loc["first_quarter_no_repeat_39w", "value"] > outside.loc["first_quarter_no_repeat_39w", "high"]
    if "first_quarter_repeats_weeks_40_78" in outside.index:
        row = outside.loc["first_quarter_repeats_weeks_40_78"]
        assert row["value"] < row["low"]


def test_repeat_rows_rest_on_about_a_hundred_new_customers(card):
    """'The two repeat-buying rows are measured on the hundred or so new customers of the first
    twelve weeks'"""
    row = card.loc["first_quarter_no_repeat_39w"]
    p, margin = row["value"] / 100, row["margin"] / 100
    n = 1.96**2 * p * (1 - p) / margin**2  # the margin of a 95 % interval of a share
    assert 60 <= n <= 200
    assert np.isfinite(card.loc["first_quarter_repeats_weeks_40_78", "margin"])
