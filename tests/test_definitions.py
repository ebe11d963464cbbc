"""Tests for custkit.definitions and custkit.plots.definitions on a hand-built tiny shop."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from _tiny_shop import tiny_shop

import custkit as ck
from custkit import definitions as d
from custkit.errors import CustkitError
from custkit.plots import definitions as pdef

AS_OF = "2024-06-30"

@pytest.fixture
def shop():
    return tiny_shop()


# Purchases by 2024-06-30 (B2C/B2B/C2C, delivered or returned): customer 1 orders 1, 2, 3
# (order 3 at 18:00 on the as_of day counts); customer 2 order 5 (order 4 is cancelled);
# customer 3 order 6; customer 5 has only a C2B sale (not a purchase) and order 8 after as_of;
# customer 6 signed up after as_of.
def test_purchases_until_filters_day_type_status(shop):
    _, orders, _ = shop
    got = d.purchases_until(orders, AS_OF)
    assert got["order_id"].tolist() == [1, 2, 3, 5, 6]
    assert d.purchases_until(orders, "2024-06-29")["order_id"].tolist() == [1, 2, 5, 6]
    assert len(d.purchases_until(orders, AS_OF, types=None, statuses=None)) == 7  # all but order 8


def test_customer_status_roles(shop):
    customers, orders, _ = shop
    got = d.customer_status(customers, orders, AS_OF)
    assert got["customer_id"].tolist() == [1, 2, 3, 4, 5]
    assert got["purchases"].tolist() == [3, 1, 1, 0, 0]
    assert got["role"].tolist() == ["repeat_buyer", "first_time_buyer", "first_time_buyer", "lead", "lead"]


def test_audience_counts(shop):
    customers, orders, sessions = shop
    got = d.audience_counts(customers, sessions, orders, AS_OF)
    # visitors 12 and 13 never had an account by as_of (15 first came on 2024-07-05;
    # 10 and 14 are customers 1 and 5 before sign-up); 2 leads, 2 first-time, 1 repeat: 7 people.
    assert got["role"].tolist() == list(d.ROLES)
    assert got["people"].tolist() == [2, 2, 2, 1]
    np.testing.assert_allclose(got["share"], [2 / 7, 2 / 7, 2 / 7, 1 / 7])


def test_link_sessions_gives_pre_signup_visits_to_the_account(shop):
    _, _, sessions = shop
    got = d.link_sessions(sessions, AS_OF)
    assert 9 not in got["session_id"].tolist()  # after as_of
    person = dict(zip(got["session_id"], got["person_id"]))
    assert person[1] == 1 and person[7] == 5  # visitor 10 -> customer 1, visitor 14 -> customer 5
    assert pd.isna(person[4]) and pd.isna(person[6])


def test_general_types_rules(shop):
    customers, orders, sessions = shop
    got = d.general_types(customers, sessions, orders, AS_OF)
    rows = {(r.customer_id if pd.notna(r.customer_id) else f"v{r.visitor_id}"): r for r in got.itertuples()}
    assert rows[1].general_type == "actual" and rows[2].general_type == "actual"
    assert rows[3].general_type == "organisational"  # business account, although it bought
    assert rows[4].general_type == "internal" and not rows[4].external
    # customer 5: no purchase, two product-view visits (one before sign-up) -> maybe-buyer
    assert (rows[5].general_type, rows[5].potential_kind) == ("potential", "maybe_buyer")
    # visitor 12: one product-view visit, no cart -> browser; visitor 13 reached the cart
    assert rows["v12"].potential_kind == "browser" and rows["v13"].potential_kind == "maybe_buyer"
    assert got["external"].sum() == 6
    # with a threshold of 3 product-view visits customer 5 becomes a browser
    strict = d.general_types(customers, sessions, orders, AS_OF, min_product_view_sessions=3, include_visitors=False)
    assert len(strict) == 5
    assert strict.loc[strict["customer_id"] == 5, "potential_kind"].item() == "browser"


def test_buyer_vs_consumer_overall_and_by_category(shop):
    _, orders, _ = shop
    overall = d.buyer_vs_consumer(orders, by=None)
    # recipients of the 8 orders: self, child, partner, self, friend, organisation, self, self
    assert overall["orders"].item() == 8 and overall["for_others"].item() == 4
    items = pd.DataFrame({"order_id": [1, 1, 2, 3, 5, 6, 7, 8], "product_id": [1, 2, 1, 3, 3, 2, 4, 2]})
    products = pd.DataFrame({"product_id": [1, 2, 3, 4],
                             "category": pd.array(["toys", "food", "clothes", "electronics"], dtype="str")})
    got = d.buyer_vs_consumer(orders, items, products)
    # clothes: orders 3 (partner), 5 (friend) -> 2/2; toys: 1 (self), 2 (child) -> 1/2;
    # food: 1 (self), 6 (organisation), 8 (self) -> 1/3; electronics: 7 (self) -> 0/1
    assert got["category"].tolist() == ["clothes", "toys", "food", "electronics"]
    assert got["orders"].tolist() == [2, 2, 3, 1]
    np.testing.assert_allclose(got["share_for_others"], [1, 0.5, 1 / 3, 0])


def test_recipient_mix(shop):
    _, orders, _ = shop
    got = d.recipient_mix(orders, by="transaction_type")
    b2c = got.loc[got["transaction_type"] == "B2C"].set_index("recipient")
    # B2C orders 1, 2, 3, 4, 8: self x3, child, partner
    assert b2c["orders"].to_dict() == {"child": 1, "partner": 1, "self": 3}
    assert b2c["share"]["self"] == pytest.approx(0.6)


def test_ability_aptitude_table():
    data = pd.DataFrame({
        "ability": [0.9, 0.8, 0.7, 0.2, 0.1, 0.6, 0.3, 0.95],
        "aptitude": [0.9, 0.2, 0.6, 0.8, 0.1, 0.55, 0.4, 0.1],
        "bought": [1, 0, 1, 0, 0, 0, 1, 0],
    })
    got = d.ability_aptitude_table(data)
    # threshold 0.5: (F,F) rows 4, 6 -> 2 people, 1 buyer; (F,T) row 3 -> 1, 0;
    # (T,F) rows 1, 7 -> 2, 0; (T,T) rows 0, 2, 5 -> 3, 2
    assert got["people"].tolist() == [2, 1, 2, 3]
    assert got["buyers"].tolist() == [1, 0, 0, 2]
    np.testing.assert_allclose(got["conversion"], [0.5, 0, 0, 2 / 3])
    # booleans work as they are, and a high threshold empties the high cells
    flags = pd.DataFrame({"a": [True, False], "b": [True, True], "y": [True, False]})
    assert d.ability_aptitude_table(flags, ability="a", aptitude="b", bought="y")["buyers"].tolist() == [0, 0, 0, 1]
    high = d.ability_aptitude_table(data, ability_threshold=1.0)
    # aptitude >= 0.5 in rows 0, 2, 3, 5 -> 4 high, 4 low; nobody has ability >= 1
    assert high["people"].tolist() == [4, 4, 0, 0] and np.isnan(high["conversion"].iloc[3])


def test_transaction_mix(shop):
    _, orders, _ = shop
    got = d.transaction_mix(orders).set_index("transaction_type")
    # without the cancelled order 4: B2C orders 1, 2, 3, 8 (net 100+50+80+120, revenue 100+0+80+120),
    # B2B order 6, C2C order 5 (commission 20), C2B order 7 (the shop paid 300)
    assert got["orders"].tolist() == [4, 1, 1, 1]
    assert got["net"].tolist() == [350, 1000, 200, 300]
    assert got["shop_revenue"].tolist() == [300, 1000, 20, -300]
    assert got.loc["B2C", "net_share"] == pytest.approx(350 / 1850)
    assert got.loc["C2B", "revenue_share"] == pytest.approx(-300 / 1020)
    assert d.transaction_mix(orders, statuses=None)["orders"].sum() == 8


def test_customer_profiles(shop):
    customers, orders, sessions = shop
    got = d.customer_profiles(customers, orders, AS_OF, sessions=sessions).set_index("customer_id")
    assert got.index.tolist() == [1, 2, 3, 4, 5]
    # customer 1: orders 1-3, net 100 + 50 + 80; recipients self, child, partner (a three-way tie:
    # the alphabetically first, child, is reported); 2 of 3 for someone else; weekdays Wednesday
    # 01-10, Friday 03-15, Sunday 06-30 -> Friday; visits 1 (search, before sign-up) and 2 (email)
    row = got.loc[1]
    assert (row["purchases"], row["spend"]) == (3, 230.0)
    assert row["share_for_others"] == pytest.approx(2 / 3)
    assert (row["main_recipient"], row["main_weekday"], row["main_transaction_type"]) == ("child", "Friday", "B2C")
    assert (row["visits"], row["main_channel"], row["main_device"]) == (2, "email", "mobile")
    assert got.loc[2, "main_transaction_type"] == "C2C" and got.loc[3, "visits"] == 0
    assert got.loc[5, "purchases"] == 0 and pd.isna(got.loc[5, "first_purchase"])
    assert "visits" not in d.customer_profiles(customers, orders, AS_OF).columns
    with pytest.raises(CustkitError, match="religion"):
        d.customer_profiles(customers, orders, AS_OF, traits=["religion"])


def test_inputs_not_mutated(shop):
    customers, orders, sessions = shop
    before = [t.copy() for t in shop]
    d.general_types(customers, sessions, orders, AS_OF)
    d.audience_counts(customers, sessions, orders, AS_OF)
    for b, a in zip(before, shop):
        pd.testing.assert_frame_equal(b, a)


def test_a_bare_log_without_type_or_status_counts_as_purchases(shop):
    _, orders, _ = shop
    bare = orders.drop(columns=["status", "transaction_type"])
    # every order up to AS_OF is kept: the filters only apply when their columns exist
    expected = int((pd.to_datetime(orders["order_date"]) < pd.Timestamp(AS_OF) + pd.Timedelta(days=1)).sum())
    assert len(d.purchases_until(bare, AS_OF)) == expected
    assert len(d.purchases_until(orders, AS_OF)) < expected  # the shop's table has cancelled/C2B rows


@pytest.mark.parametrize(
    "call",
    [
        lambda c, o, s: d.purchases_until(o, None),
        lambda c, o, s: d.purchases_until(o, "not a date"),
        lambda c, o, s: d.purchases_until(o.drop(columns="order_date"), AS_OF),
        lambda c, o, s: d.customer_status(c.iloc[0:0], o, AS_OF),
        lambda c, o, s: d.audience_counts(c, "sessions", o, AS_OF),
        lambda c, o, s: d.general_types(c, s.assign(furthest_stage="basket"), o, AS_OF),
        lambda c, o, s: d.general_types(c, s, o, AS_OF, min_product_view_sessions=-1),
        lambda c, o, s: d.buyer_vs_consumer(o, o[["order_id"]].assign(product_id=1)),
        lambda c, o, s: d.recipient_mix(o, by="no_such_column"),
        lambda c, o, s: d.transaction_mix(o.assign(transaction_type="P2P")),
        lambda c, o, s: d.link_sessions(s.drop(columns="visitor_id"), AS_OF),
    ],
)
def test_bad_input_raises(shop, call):
    with pytest.raises(CustkitError):
        call(*shop)


def test_ability_aptitude_bad_input():
    data = pd.DataFrame({"ability": [0.5, 1.5], "aptitude": [0.1, 0.2], "bought": [1, 0]})
    with pytest.raises(CustkitError, match="0, 1"):
        d.ability_aptitude_table(data)
    with pytest.raises(CustkitError):
        d.ability_aptitude_table(data.assign(ability=0.5), ability_threshold=2)
    with pytest.raises(CustkitError):
        d.ability_aptitude_table(data.assign(ability=0.5, bought=[2, 0]))


def test_plots_return_labelled_axes(shop):
    customers, orders, sessions = shop
    ax = pdef.plot_audience(d.audience_counts(customers, sessions, orders, AS_OF))
    assert ax.get_title() and ax.get_ylabel() == "People" and len(ax.patches) == 4
    ax = pdef.plot_general_types(d.general_types(customers, sessions, orders, AS_OF))
    assert len(ax.patches) == 5  # actual, organisational, internal, potential: maybe/browser
    assert "external = all but internal: 6" in ax.get_xlabel()
    ax = pdef.plot_buyer_vs_consumer(d.buyer_vs_consumer(orders, by=None).assign(category="all"))
    assert ax.get_xlim() == (0, 1.15)
    table = d.ability_aptitude_table(pd.DataFrame({"ability": [0.1, 0.9], "aptitude": [0.9, 0.9], "bought": [0, 1]}))
    ax = pdef.plot_ability_aptitude(table)
    assert "Ability" in ax.get_ylabel()
    ax = pdef.plot_transaction_mix(d.transaction_mix(orders))
    assert len(ax.patches) >= 12
    with pytest.raises(CustkitError):
        pdef.plot_transaction_mix(d.transaction_mix(orders).drop(columns="net_share"))
    plt.close("all")


@pytest.fixture(scope="module")
def generated():
    from custkit.config import ShopConfig
    from custkit.simulate import generate

    return generate(ShopConfig(n_customers=200, anonymous_visitors=300, seed=11))


@pytest.mark.slow
def test_smoke_on_a_generated_shop(generated):
    s = generated
    as_of = s.config.end_date
    counts = d.audience_counts(s.customers, s.sessions, s.orders, as_of).set_index("role")["people"]
    status = d.customer_status(s.customers, s.orders, as_of)
    assert counts.drop("visitor").sum() == len(status) == (pd.to_datetime(s.customers["signup_date"]) <= as_of).sum()
    types = d.general_types(s.customers, s.sessions, s.orders, as_of, include_visitors=False)
    internal = types.set_index("customer_id")["general_type"].eq("internal")
    employee = s.customers.set_index("customer_id")["account_type"].eq("employee").reindex(internal.index)
    assert (internal == employee).all()
    assert set(types["general_type"]) <= set(d.GENERAL_TYPES)
    mix = d.transaction_mix(s.orders)
    assert mix["order_share"].sum() == pytest.approx(1)
    gifts = d.buyer_vs_consumer(s.orders, s.order_items, s.products)
    assert gifts["share_for_others"].between(0, 1).all() and gifts["orders"].gt(0).all()
    profiles = d.customer_profiles(s.customers, s.orders, as_of, sessions=s.sessions)
    assert profiles["purchases"].sum() == len(d.purchases_until(s.orders, as_of))


def test_opened_since_keeps_the_accounts_of_the_window_and_refuses_bad_input():
    customers = pd.DataFrame({"customer_id": [1, 2, 3],
                              "signup_date": pd.to_datetime(["2023-12-31 23:59", "2024-01-01 00:00", "2024-06-01 00:00"])})
    assert ck.definitions.opened_since(customers, "2024-01-01").tolist() == [2, 3]
    assert ck.definitions.opened_since(customers, "2025-01-01").tolist() == []
    with pytest.raises(CustkitError, match="signup_date"):
        ck.definitions.opened_since(customers.drop(columns="signup_date"), "2024-01-01")


def test_the_shop_opens_with_older_accounts_and_their_first_purchase_in_the_window_is_not_their_first():
    shop = ck.load_shop()
    assert shop.start == pd.Timestamp("2024-01-01")
    new = ck.definitions.opened_since(shop.customers, shop.start)
    older = shop.customers.loc[~shop.customers["customer_id"].isin(new), "customer_id"]
    assert 0.15 < len(older) / len(shop.customers) < 0.4
    # older accounts buy in the window (that is why they are exported), with a first purchase in
    # the window's first weeks far more often than accounts that open later
    first = shop.orders.groupby("customer_id")["order_date"].min()
    early = first < shop.start + pd.Timedelta(weeks=12)
    assert early.reindex(older).mean() > 2 * early.reindex(new).fillna(False).mean()
