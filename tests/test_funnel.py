"""Tests for custkit.funnel and custkit.plots.funnel on a hand-built tiny shop."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from _tiny_shop import tiny_shop

from custkit import funnel as f
from custkit.errors import CustkitError
from custkit.plots import funnel as pf

AS_OF = "2024-06-30"

@pytest.fixture
def shop():
    return tiny_shop()


# Furthest stages of the 10 visits: pv, purchase, cart, visit, pv, cart, pv, pv, checkout, visit.
# Reached: visit 10, product_view 8, add_to_cart 4 (visits 2, 3, 6, 9), checkout 2 (2, 9), purchase 1.
def test_funnel_counts_per_visit(shop):
    _, _, sessions = shop
    got = f.funnel_counts(sessions)
    assert got["stage"].tolist() == list(f.FUNNEL_STAGES)
    assert got["reached"].tolist() == [10, 8, 4, 2, 1]
    assert got["lost"].tolist() == [0, 2, 4, 2, 1]
    np.testing.assert_allclose(got["step_conversion"], [1, 0.8, 0.5, 0.5, 0.5])
    np.testing.assert_allclose(got["drop_off"], [0, 0.2, 0.5, 0.5, 0.5])
    np.testing.assert_allclose(got["overall_conversion"], [1, 0.8, 0.4, 0.2, 0.1])


def test_funnel_counts_by_group_and_per_visitor(shop):
    _, _, sessions = shop
    got = f.funnel_counts(sessions, by="device", per="visitor_id").set_index(["device", "stage"])
    # mobile visits 1-5: visitor 10 (pv, purchase) -> purchase; 11 -> cart; 12 (visit, pv) -> pv
    assert got.loc["mobile", "reached"].tolist() == [3, 3, 2, 1, 1]
    # desktop visits 6-10: visitor 13 cart, 14 pv, 15 checkout, 16 visit
    assert got.loc["desktop", "reached"].tolist() == [4, 3, 2, 1, 0]
    by_two = f.funnel_counts(sessions, by=["device", "channel"])
    assert len(by_two) == 5 * sessions.groupby(["device", "channel"]).ngroups


def test_furthest_stage_from_events():
    events = pd.DataFrame({
        "session_id": [1, 1, 1, 2, 2, 3],
        "event_type": pd.array(["page_view", "product_view", "search", "search", "page_view", "checkout"], dtype="str"),
    })
    got = f.furthest_stage_from_events(events)
    assert got["session_id"].tolist() == [1, 2, 3]
    assert got["furthest_stage"].tolist() == ["product_view", "visit", "checkout"]
    with pytest.raises(CustkitError, match="wishlist"):
        f.furthest_stage_from_events(events.assign(event_type="wishlist"))


def test_intervention_value_hand_funnel():
    funnel = pd.DataFrame({
        "stage": list(f.FUNNEL_STAGES), "step": [1, 2, 3, 4, 5],
        "reached": [1000, 600, 150, 100, 80], "lost": [0, 400, 450, 50, 20],
        "step_conversion": [1, 0.6, 0.25, 2 / 3, 0.8],
    })
    got = f.intervention_value(funnel, 50.0, uplift=0.1)
    # value_lost = lost x (80 / reached) x 50: pv 400*80/600*50 = 2666.67; cart 450*80/150*50 = 12000;
    # checkout 50*80/100*50 = 2000; purchase 20*1*50 = 1000
    np.testing.assert_allclose(got["value_lost"], [8000 / 3, 12000, 2000, 1000])
    assert got["best"].tolist() == [False, True, False, False]
    # uplift 0.1: pv 1000 x 0.1 x 80/600 x 50 = 666.67; cart 600 x 0.1 x 80/150 x 50 = 1600;
    # checkout 150 x 0.1 x 0.8 x 50 = 600; purchase 100 x min(0.1, 0.2) x 1 x 50 = 500
    np.testing.assert_allclose(got["value_of_uplift"], [2000 / 3, 1600, 600, 500])


def test_value_lost_is_the_revenue_times_lost_over_reached():
    # the whole loss prices a step that loses nobody: revenue n5 x value times lost_k / n_k,
    # so at the cart (150 of 600 kept) it is three times the 80 x 50 = 4000 the funnel earned
    funnel = pd.DataFrame({
        "stage": list(f.FUNNEL_STAGES), "step": [1, 2, 3, 4, 5],
        "reached": [1000, 600, 150, 100, 80], "lost": [0, 400, 450, 50, 20],
        "step_conversion": [1, 0.6, 0.25, 2 / 3, 0.8],
    })
    got = f.intervention_value(funnel, 50.0).set_index("stage")
    revenue = 80 * 50.0
    assert got.loc["add_to_cart", "value_lost"] == pytest.approx(3 * revenue)
    np.testing.assert_allclose(got["value_lost"], revenue * np.array([400 / 600, 450 / 150, 50 / 100, 20 / 80]))


def test_best_is_the_largest_uplift():
    # a 5-point rise on the product page, which keeps 100 of 10,000 visits, is worth
    # 10,000 x 0.05 x 10/100 = 50 purchases; at checkout, which keeps 10 of 100, 100 x 0.05 x 1 = 5
    funnel = pd.DataFrame({
        "stage": list(f.FUNNEL_STAGES), "step": [1, 2, 3, 4, 5],
        "reached": [10000, 100, 100, 10, 10], "lost": [0, 9900, 0, 90, 0],
        "step_conversion": [1, 0.01, 1.0, 0.1, 1.0],
    })
    got = f.intervention_value(funnel, 1.0, uplift=0.05).set_index("stage")
    assert got.loc["product_view", "value_of_uplift"] == pytest.approx(50)
    assert got.loc["checkout", "value_of_uplift"] == pytest.approx(5)
    assert got["best"].tolist() == [True, False, False, False]
    # with no uplift to value, no step is marked
    assert not f.intervention_value(funnel, 1.0, uplift=0.0)["best"].any()


def test_time_to_convert(shop):
    _, orders, sessions = shop
    got = f.time_to_convert(sessions, orders, AS_OF).set_index("customer_id")
    assert got.index.tolist() == [1, 2, 3, 4, 5]
    # customer 1: first visit 01-01 09:00 (before sign-up), first purchase 01-10 10:00 -> 9 days 1 hour
    assert got.loc[1, "days"] == pytest.approx(9 + 1 / 24) and got.loc[1, "visits"] == 2
    # customer 2: 01-05 10:00 to 04-01 12:00: 26 + 29 (leap February) + 31 + 1 = 87 days and 2 hours
    assert got.loc[2, "days"] == pytest.approx(87 + 2 / 24)
    # customer 3 bought without any recorded visit
    assert np.isnan(got.loc[3, "days"]) and got.loc[3, "converted"]
    # customer 4 has not bought: censored at the end of 06-30, 02-02 -> 07-01 = 27+31+30+31+30+1 = 150 days
    assert not got.loc[4, "converted"] and got.loc[4, "days"] == pytest.approx(150)


def test_loyalty_ladder_rules(shop):
    customers, orders, sessions = shop
    default = f.loyalty_ladder(customers, orders, AS_OF, sessions=sessions)
    # customer 1: 3 purchases 01-10 .. 06-30 = 172 days < 6 months -> repeat buyer only
    assert default["step"].tolist() == ["repeat_buyer", "first_time_buyer", "first_time_buyer",
                                        "prospect", "prospect", "prospect", "prospect"]
    assert default["visitor_id"].dropna().tolist() == [12, 13]
    # over 5 months (152 days) customer 1 is loyal, and referred customer 2 -> advocate
    five = f.loyalty_ladder(customers, orders, AS_OF, loyal_min_months=5)
    assert five.loc[0, "step"] == "advocate" and len(five) == 5
    no_referral = customers.assign(referred_by=pd.array([pd.NA] * 6, dtype="Int64"))
    assert f.loyalty_ladder(no_referral, orders, AS_OF, loyal_min_months=5).loc[0, "step"] == "loyal"
    surveys = pd.DataFrame({"customer_id": [1, 1], "sent_date": pd.to_datetime(["2024-02-01", "2024-05-01"]),
                            "nps": pd.array([10, 8], dtype="Int64")})
    # the latest answer (8) counts, not the earlier 10
    assert f.loyalty_ladder(no_referral, orders, AS_OF, surveys=surveys, loyal_min_months=5).loc[0, "step"] == "loyal"
    assert f.loyalty_ladder(no_referral, orders, AS_OF, surveys=surveys, loyal_min_months=5,
                            advocate_min_nps=8).loc[0, "step"] == "advocate"
    # a last purchase more than 30 days before as_of is no longer loyal
    stale = f.loyalty_ladder(customers, orders, "2024-08-15", loyal_min_months=5, loyal_within_days=30)
    assert stale.loc[0, "step"] == "repeat_buyer"


def test_ladder_counts(shop):
    customers, orders, sessions = shop
    ladder = f.loyalty_ladder(customers, orders, AS_OF, sessions=sessions)
    got = f.ladder_counts(ladder, market_size=10)
    # 4 prospects, 2 first-time, 1 repeat; 3 more potential customers make the market of 10
    assert got["people"].tolist() == [3, 4, 2, 1, 0, 0]
    assert got["reached"].tolist() == [10, 7, 3, 1, 0, 0]
    np.testing.assert_allclose(got["step_conversion"][:5], [1, 0.7, 3 / 7, 1 / 3, 0])
    assert np.isnan(got["step_conversion"].iloc[5])
    assert f.ladder_counts(ladder)["reached"].tolist()[:2] == [7, 7]


@pytest.mark.parametrize(
    "call",
    [
        lambda c, o, s: f.funnel_counts(s.assign(furthest_stage="basket")),
        lambda c, o, s: f.funnel_counts(s, by="persona"),
        lambda c, o, s: f.funnel_counts(s, per="customer_id"),  # has missing ids
        lambda c, o, s: f.intervention_value(f.funnel_counts(s), -5),
        lambda c, o, s: f.intervention_value(f.funnel_counts(s), 5, uplift=2),
        lambda c, o, s: f.intervention_value(f.funnel_counts(s).iloc[:3], 5),
        lambda c, o, s: f.time_to_convert(s.assign(customer_id=pd.array([pd.NA] * 10, dtype="Int64")), o, AS_OF),
        lambda c, o, s: f.loyalty_ladder(c, o, AS_OF, loyal_min_orders=0),
        lambda c, o, s: f.loyalty_ladder(c, o, AS_OF, advocate_min_nps=11),
        lambda c, o, s: f.loyalty_ladder(c.drop(columns="referred_by"), o, AS_OF),
        lambda c, o, s: f.ladder_counts(pd.DataFrame({"step": ["vip"]})),
        lambda c, o, s: f.ladder_counts(f.loyalty_ladder(c, o, AS_OF), market_size=2),
        lambda c, o, s: f.furthest_stage_from_events(pd.DataFrame()),
    ],
)
def test_bad_input_raises(shop, call):
    with pytest.raises(CustkitError):
        call(*shop)


def test_plots(shop):
    customers, orders, sessions = shop
    counts = f.funnel_counts(sessions)
    ax = pf.plot_funnel(counts)
    assert len(ax.patches) == 5 and "50%" in ax.texts[-1].get_text()
    ax = pf.plot_funnel_by(f.funnel_counts(sessions, by="device"), by="device")
    assert ax.get_legend() is not None
    ax = pf.plot_ladder(f.ladder_counts(f.loyalty_ladder(customers, orders, AS_OF)))
    assert len(ax.patches) == 6
    ax = pf.plot_intervention(f.intervention_value(counts, 100), currency="USD")
    assert "USD" in ax.get_ylabel() and "uplift" in ax.get_ylabel()
    ax = pf.plot_intervention(f.intervention_value(counts, 100), value="value_lost")
    assert "ceiling" in ax.get_ylabel()
    ax = pf.plot_time_to_convert(f.time_to_convert(sessions, orders, AS_OF))
    assert ax.get_xlabel() == "Days from first visit to first purchase"
    with pytest.raises(CustkitError):
        pf.plot_funnel(counts.drop(columns="reached"))
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
    counts = f.funnel_counts(s.sessions)
    assert (np.diff(counts["reached"]) <= 0).all() and counts["reached"].iloc[0] == len(s.sessions)
    # the events tell the same furthest stage as the sessions table
    derived = f.furthest_stage_from_events(s.events).merge(s.sessions[["session_id", "furthest_stage"]], on="session_id")
    assert (derived["furthest_stage_x"] == derived["furthest_stage_y"]).all()
    by_channel = f.funnel_counts(s.sessions, by="channel")
    assert by_channel.groupby("stage")["reached"].sum().reindex(f.FUNNEL_STAGES).tolist() == counts["reached"].tolist()
    assert f.intervention_value(counts, 50.0)["best"].sum() >= 1
    ladder = f.loyalty_ladder(s.customers, s.orders, as_of, sessions=s.sessions, surveys=s.surveys)
    steps = f.ladder_counts(ladder).set_index("step")["reached"]
    buyers = (ladder["purchases"] > 0).sum()
    assert steps["first_time_buyer"] == buyers and (np.diff(steps.to_numpy()) <= 0).all()
    ttc = f.time_to_convert(s.sessions, s.orders, as_of)
    assert ttc["converted"].sum() == buyers
