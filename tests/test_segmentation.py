"""Tests for custkit.segmentation and custkit.plots.segmentation on hand-built frames."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from _tiny_shop import tiny_shop

from custkit import segmentation as sg
from custkit.errors import CustkitError
from custkit.plots import segmentation as ps
from custkit.shop import Shop

AS_OF = "2024-06-30"

@pytest.fixture
def shop():
    return tiny_shop()


def test_demographic_profile(shop):
    customers, orders, _ = shop
    got = sg.demographic_profile(customers, orders, AS_OF).set_index("age_band")
    # customers 1-5 (6 signed up later); revenue by as_of: c1 100+0+80, c2 20 (C2C commission),
    # c3 1000; c5 only sold to the shop (C2B): not a buyer.
    assert got["customers"].to_dict() == {"18-24": 1, "25-34": 2, "35-44": 2}
    assert got["buyers"].to_dict() == {"18-24": 0, "25-34": 2, "35-44": 1}
    assert got["revenue"].to_dict() == {"18-24": 0, "25-34": 200, "35-44": 1000}
    assert got.loc["35-44", "revenue_per_customer"] == 500 and got.loc["35-44", "revenue_per_buyer"] == 1000
    assert got.loc["25-34", "revenue_share"] == pytest.approx(200 / 1200)
    assert np.isnan(got.loc["18-24", "revenue_per_buyer"])
    # classes in their natural order, not alphabetical (high < low < middle)
    classes = sg.demographic_profile(customers, orders, AS_OF, by="socio_economic_class")
    assert classes["socio_economic_class"].tolist() == ["low", "middle", "high"]
    assert classes["customers"].tolist() == [1, 3, 1]
    two = sg.demographic_profile(customers, orders, AS_OF, by=["gender", "province"])
    assert two["customers"].sum() == 5 and list(two.columns[:2]) == ["gender", "province"]


def test_rfm_table(shop):
    _, orders, _ = shop
    got = sg.rfm_table(orders, AS_OF)
    # last purchases: c1 06-30 (0 days), c2 04-01 (29+31+30 = 90), c3 02-10 (19+31+30+31+30 = 141)
    assert got["customer_id"].tolist() == [1, 2, 3]
    assert got["recency_days"].tolist() == [0, 90, 141]
    assert got["frequency"].tolist() == [3, 1, 1]
    assert got["monetary"].tolist() == [180, 20, 1000]
    assert sg.rfm_table(orders, AS_OF, monetary="mean")["monetary"].tolist() == [60, 20, 1000]


def ten_buyers():
    rfm = pd.DataFrame({
        "customer_id": list(range(1, 11)),
        "recency_days": [5, 10, 20, 40, 80, 160, 320, 3, 1, 600],
        "frequency": [1, 1, 1, 2, 2, 3, 5, 8, 1, 1],
        "monetary": [10.0, 20, 30, 40, 50, 60, 70, 80, 90, 100],
    })
    return rfm.iloc[::-1]  # shuffled order: the scores must not depend on it


def test_rfm_scores_hand_ranks():
    got = sg.rfm_scores(ten_buyers())
    assert got["customer_id"].tolist() == list(range(1, 11))
    # R: recency ranked from oldest (600 -> rank 1) to newest (1 -> rank 10); two ranks per quintile
    assert got["R"].tolist() == [4, 4, 3, 3, 2, 2, 1, 5, 5, 1]
    # F: the five buyers with one order (ids 1, 2, 3, 9, 10) take ranks 1-5 in id order, so the tie
    # is split over F = 1, 2, 3 (the documented price of rank(method="first"))
    assert got["F"].tolist() == [1, 1, 2, 3, 4, 4, 5, 5, 2, 3]
    assert got["M"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert got.loc[7, "rfm_code"] == "554"


def test_rfm_segments_grid():
    assert len(sg.RF_GRID) == 25 and set(sg.RF_GRID.values()) == set(sg.RFM_SEGMENTS)
    assert sg.RF_GRID[(1, 1)] == "lost" and sg.RF_GRID[(2, 2)] == "hibernating"
    got = sg.rfm_segments(sg.rfm_scores(ten_buyers()))
    # (R, F): 1 (4,1) promising, 2 (4,1), 3 (3,2) about to sleep, 4 (3,3) need attention,
    # 5, 6 (2,4) at risk, 7 (1,5) can't lose, 8 (5,5) champions, 9 (5,2) potential loyalist, 10 (1,3)
    assert got["segment"].tolist() == [
        "promising", "promising", "about_to_sleep", "need_attention", "at_risk", "at_risk",
        "cant_lose", "champions", "potential_loyalists", "at_risk",
    ]


def test_segment_profile():
    data = pd.DataFrame({
        "segment": pd.array(["a", "a", "b", "c"], dtype="str"),
        "monetary": [100.0, 300, 50, 550],
        "clv": [1000.0, 2000, 10, 5000],
        "csat": pd.array([5, pd.NA, 3, 4], dtype="Int64"),
    })
    got = sg.segment_profile(data, clv="clv", csat="csat").set_index("segment")
    assert got.index.tolist() == ["c", "a", "b"]  # by revenue
    assert got.loc["a", "customers"] == 2 and got.loc["a", "customer_share"] == 0.5
    assert got.loc["a", "revenue_share"] == pytest.approx(400 / 1000)
    assert got.loc["a", "mean_clv"] == 1500 and got.loc["a", "mean_csat"] == 5  # the missing answer is ignored
    assert "mean_frequency" not in got.columns


def blobs(seed=3):
    rng = np.random.default_rng(seed)
    big = pd.DataFrame({"frequency": rng.normal(2, 0.3, 60), "monetary": rng.lognormal(3, 0.2, 60)})
    small = pd.DataFrame({"frequency": rng.normal(10, 0.3, 20), "monetary": rng.lognormal(7, 0.2, 20)})
    return pd.concat([big, small], ignore_index=True)


def test_kmeans_recovers_two_blobs_seeded():
    data = blobs()
    got = sg.kmeans_segments(data, ["frequency", "monetary"], 2, log_columns=["monetary"], seed=1)
    assert got["cluster"].tolist() == [0] * 60 + [1] * 20  # renamed by size: 0 is the larger
    again = sg.kmeans_segments(data, ["frequency", "monetary"], 2, log_columns=["monetary"], seed=1)
    pd.testing.assert_frame_equal(got, again)
    assert "cluster" not in data.columns


def test_choose_k():
    got = sg.choose_k(blobs(), ["frequency", "monetary"], k_values=range(2, 6), log_columns=["monetary"], seed=0)
    assert got["k"].tolist() == [2, 3, 4, 5]
    assert (np.diff(got["inertia"]) < 0).all()
    assert got.loc[got["silhouette"].idxmax(), "k"] == 2 and got["silhouette"].iloc[0] > 0.8


def test_playbook_and_suggest_actions(shop):
    customers, _, _ = shop
    book = sg.playbook()
    assert book["segment"].tolist() == list(sg.RFM_SEGMENTS)
    segments = pd.DataFrame({"customer_id": [1, 2, 6], "segment": pd.array(["champions", "champions", "lost"], dtype="str")})
    got = sg.suggest_actions(segments, customers)
    # customer 2 has not opted in: no e-mail, the fallback channel instead
    assert got["channel"].tolist() == ["email", "social", "ads"]
    assert got["message"].iloc[0] == sg.PLAYBOOK["champions"][0]


def campaign_shop():
    ids = [1, 2, 3, 4]
    customers = pd.DataFrame({"customer_id": ids, "marketing_opt_in": [True, False, True, True]})
    orders = pd.DataFrame({
        "customer_id": [1, 1, 2, 3, 3], "gross": [100.0, 300, 50, 80, 999],
        "transaction_type": pd.array(["B2C", "B2C", "B2C", "B2C", "C2B"], dtype="str"),
        "status": pd.array(["delivered", "returned", "delivered", "delivered", "delivered"], dtype="str"),
    })
    products = pd.DataFrame({"product_id": [1, 2], "unit_cost": [6.0, 30.0]})
    items = pd.DataFrame({"product_id": [1, 2], "quantity": [2, 1], "unit_price": [10.0, 50.0]})
    truth = pd.DataFrame({
        "customer_id": ids,
        "persona": pd.array(["researcher", "discount_seeker", "discount_seeker", "hesitant"], dtype="str"),
        "purchase_rate": [0.1, 0.3, 0.1, 0.1],
        "alive_at_end": [True, True, True, False],
        "lifecycle_state": pd.array(["active", "active", "active", "lost"], dtype="str"),
        "ability": [0.5, 1.0, 0.5, 0.5],
    })
    tables = {"customers": customers, "orders": orders, "products": products, "order_items": items}
    return Shop(tables=tables, truth=truth)


def test_response_probability_hand_values():
    s = campaign_shop()
    p = sg.response_probability(s.truth, sg.Offer(discount_pct=10, channel="email"))
    # median rate 0.1. Customer 1: 0.08 x 1 x 1 x 1 x (1 + 1 x 0.1) = 0.088.
    # Customer 2: activity 2 x 0.3 / 0.4 = 1.5, ability 1.5, lift 1 + 10 x 0.1 = 2 -> 0.08 x 1.5 x 1.5 x 2 = 0.36.
    # Customer 4: lost 0.05, lift 1 + 4 x 0.1 -> 0.08 x 0.05 x 1.4 = 0.0056.
    np.testing.assert_allclose(p, [0.088, 0.36, 0.16, 0.0056])


def test_simulate_campaign_money_and_opt_out():
    s = campaign_shop()
    offer = sg.Offer(discount_pct=20, cost_per_contact=2.0, channel="email")
    res = sg.simulate_campaign(s, [1, 2, 3, 4], offer, seed=5, margin=0.5)
    per = res.customers.set_index("customer_id")
    assert not per.loc[2, "contacted"] and not per.loc[2, "responded"]  # opted out of e-mail
    assert res.summary["contacted"].item() == 3 and res.summary["skipped_opt_out"].item() == 1
    assert res.summary["cost"].item() == 6.0
    # baskets: c1 mean gross (100 + 300) / 2 = 200; c3 80 (the C2B row is a sale to the shop);
    # c4 never bought: mean of the buyers' means (200 + 50 + 80) / 3 = 110
    basket = pd.Series({1: 200.0, 3: 80.0, 4: 110.0})
    responders = per.index[per["responded"]]
    assert per.loc[responders, "revenue"].tolist() == pytest.approx((basket[responders] * 0.8).tolist())
    assert res.summary["profit"].item() == pytest.approx((basket[responders] * (0.5 - 0.2)).sum() - 6.0)
    assert res.summary["roi"].item() == pytest.approx(res.summary["profit"].item() / 6.0)
    social = sg.simulate_campaign(s, [2], sg.Offer(channel="social"), seed=5)
    assert social.summary["contacted"].item() == 1


def test_simulate_campaign_deterministic_and_fair():
    s = campaign_shop()
    offer = sg.Offer(discount_pct=90, cost_per_contact=0, channel="social")
    a = sg.simulate_campaign(s, [1, 2, 3], offer, seed=11)
    b = sg.simulate_campaign(s, [3, 1], offer, seed=11)
    pd.testing.assert_frame_equal(a.summary, sg.simulate_campaign(s, [1, 2, 3], offer, seed=11).summary)
    # the same customer gives the same answer whichever list they are in (common random numbers)
    left = a.customers.set_index("customer_id").loc[[3, 1], "responded"].tolist()
    assert left == b.customers.set_index("customer_id")["responded"].tolist()
    assert np.isnan(a.summary["roi"].item())  # no contact cost
    # margin from the items: 1 - (2 x 6 + 30) / (2 x 10 + 50) = 0.4
    # with seed 0 and 50% off, customers 2 (basket 50) and 3 (basket 80) respond:
    # revenue 25 and 40, profit 50 x (0.4 - 0.5) = -5 and 80 x (0.4 - 0.5) = -8
    per = sg.simulate_campaign(s, [1, 2, 3, 4], sg.Offer(discount_pct=50, channel="social"), seed=0).customers
    assert per["responded"].tolist() == [False, True, True, False]
    assert per["revenue"].tolist() == pytest.approx([0, 25, 40, 0])
    assert per["profit"].tolist() == pytest.approx([0, -5, -8, 0])


def test_simulate_campaign_response_rates_follow_the_model():
    n = 4000
    rng = np.random.default_rng(0)
    persona = np.where(np.arange(n) % 2 == 0, "discount_seeker", "researcher")
    truth = pd.DataFrame({
        "customer_id": np.arange(1, n + 1), "persona": pd.array(persona, dtype="str"),
        "purchase_rate": rng.uniform(0.05, 0.2, n), "alive_at_end": True,
        "lifecycle_state": pd.array(["active"] * n, dtype="str"), "ability": 0.5,
    })
    tables = {
        "customers": pd.DataFrame({"customer_id": truth["customer_id"], "marketing_opt_in": True}),
        "orders": pd.DataFrame({"customer_id": [1], "gross": [10.0], "transaction_type": ["B2C"], "status": ["delivered"]}),
    }
    s = Shop(tables=tables, truth=truth)
    res = sg.simulate_campaign(s, truth["customer_id"], sg.Offer(discount_pct=30, channel="email"), seed=1, margin=0.5)
    rate = res.customers.assign(p=persona).groupby("p")["responded"].mean()
    # expected rates about 0.08 x 4 = 0.32 for seekers and 0.08 x 1.3 = 0.104 for researchers
    assert rate["discount_seeker"] == pytest.approx(0.32, abs=0.04)
    assert rate["researcher"] == pytest.approx(0.104, abs=0.03)


@pytest.mark.parametrize(
    "call",
    [
        lambda c, o, s: sg.demographic_profile(c, o, AS_OF, by="religion"),
        lambda c, o, s: sg.demographic_profile(c, o, None),
        lambda c, o, s: sg.rfm_table(o, "2023-01-01"),
        lambda c, o, s: sg.rfm_table(o, AS_OF, monetary="median"),
        lambda c, o, s: sg.rfm_scores(sg.rfm_table(o, AS_OF)),  # 3 buyers < 5 groups
        lambda c, o, s: sg.rfm_scores(ten_buyers(), q=0),
        lambda c, o, s: sg.rfm_segments(pd.DataFrame({"R": [6], "F": [1]})),
        lambda c, o, s: sg.segment_profile(pd.DataFrame({"segment": ["a"], "monetary": ["x"]})),
        lambda c, o, s: sg.kmeans_segments(blobs(), [], 2),
        lambda c, o, s: sg.kmeans_segments(blobs().assign(monetary=-1.0), ["monetary"], 2, log_columns=["monetary"]),
        lambda c, o, s: sg.kmeans_segments(blobs(), ["frequency"], 500),
        lambda c, o, s: sg.choose_k(blobs(), ["frequency"], k_values=[1, 2]),
        lambda c, o, s: sg.kmeans_pipeline(["a"], 2, log_columns=["b"]),
        lambda c, o, s: sg.suggest_actions(pd.DataFrame({"customer_id": [1], "segment": ["vip"]}), c),
        lambda c, o, s: sg.Offer(discount_pct=100),
        lambda c, o, s: sg.Offer(cost_per_contact=-1),
        lambda c, o, s: sg.Offer(channel="pigeon"),
        lambda c, o, s: sg.simulate_campaign(Shop(tables={}), [1], sg.Offer()),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), [1, 1], sg.Offer()),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), [99], sg.Offer()),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), [], sg.Offer()),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), [1], {"discount_pct": 10}),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), [1], sg.Offer(), margin=1.5),
        lambda c, o, s: sg.simulate_campaign(campaign_shop(), ["a"], sg.Offer()),
        lambda c, o, s: sg.simulate_campaign(Shop(tables={}, truth=campaign_shop().truth), [1], sg.Offer()),
    ],
)
def test_bad_input_raises(shop, call):
    with pytest.raises(CustkitError):
        call(*shop)


def test_plots(shop):
    customers, orders, _ = shop
    ax = ps.plot_demographics(sg.demographic_profile(customers, orders, AS_OF), currency="USD")
    assert len(ax.patches) == 3 and "USD" in ax.get_ylabel()
    scores = sg.rfm_segments(sg.rfm_scores(ten_buyers()))
    ax = ps.plot_rfm_grid(scores)
    assert any("champions" in t.get_text() for t in ax.texts)
    ax = ps.plot_segment_sizes(sg.segment_profile(scores))
    assert ax.get_legend() is not None
    ax = ps.plot_k_choice(sg.choose_k(blobs(), ["frequency", "monetary"], k_values=[2, 3]))
    assert "Inertia" in ax.get_ylabel()
    clusters = sg.kmeans_segments(blobs(), ["frequency", "monetary"], 2)
    ax = ps.plot_cluster_profiles(clusters, ["frequency", "monetary"])
    assert ax.get_yticklabels()[0].get_text() == "0 (n=60)"
    with pytest.raises(CustkitError):
        ps.plot_cluster_profiles(clusters, [])
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
    prof = sg.demographic_profile(s.customers, s.orders, as_of, by="socio_economic_class")
    assert prof["revenue_share"].sum() == pytest.approx(1)
    rfm = sg.rfm_segments(sg.rfm_scores(sg.rfm_table(s.orders, as_of)))
    assert rfm["R"].value_counts().max() - rfm["R"].value_counts().min() <= 1  # equal-size quintiles
    ks = sg.choose_k(rfm, ["recency_days", "frequency", "monetary"], k_values=[2, 3, 4], log_columns=["monetary"])
    assert (np.diff(ks["inertia"]) < 0).all()
    actions = sg.suggest_actions(rfm, s.customers)
    opted_out = actions["customer_id"].map(s.customers.set_index("customer_id")["marketing_opt_in"]) == False  # noqa: E712
    assert not (actions.loc[opted_out, "channel"] == "email").any()
    offer = sg.Offer(discount_pct=15, cost_per_contact=0.3, channel="social")
    first = sg.simulate_campaign(s, rfm["customer_id"], offer, seed=4)
    pd.testing.assert_frame_equal(first.summary, sg.simulate_campaign(s, rfm["customer_id"], offer, seed=4).summary)
    assert first.summary["contacted"].item() == len(rfm)
