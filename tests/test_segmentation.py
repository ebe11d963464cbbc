"""Tests for custkit.segmentation and custkit.plots.segmentation on hand-built frames."""

import math

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
    # F: five of ten bought once, so the 20 % and 40 % quantiles are both 1: fixed bins 1, 2, 3, 4-5, 6+
    # give frequencies 1, 1, 1, 2, 2, 3, 5, 8, 1, 1 the scores 1, 1, 1, 2, 2, 3, 4, 5, 1, 1
    assert got["F"].tolist() == [1, 1, 1, 2, 2, 3, 4, 5, 1, 1]
    assert got["M"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert got.loc[7, "rfm_code"] == "554"


def test_rfm_frequency_ties_get_one_score_and_distinct_quintiles_stay_quintiles():
    tied = sg.rfm_scores(ten_buyers())
    assert tied.groupby("frequency")["F"].nunique().max() == 1  # the same count, the same score
    # equal-size groups on request: the five one-time buyers (ids 1, 2, 3, 9, 10) take ranks 1-5 in id
    # order, so the tie is split over F = 1, 2, 3 (the documented price of rank(method="first"))
    ranked = sg.rfm_scores(ten_buyers(), frequency_bins=None)
    assert ranked["F"].tolist() == [1, 1, 2, 3, 4, 4, 5, 5, 2, 3]
    # distinct quintile edges: quantile scores, two customers each
    spread = ten_buyers().assign(frequency=[10, 9, 8, 7, 6, 5, 4, 3, 2, 1])
    assert sg.rfm_scores(spread)["F"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    for bad in [(1, 2, 3), (1, 3, 2, 4, 5), (2, 3, 4, 5, 6), "abc"]:
        with pytest.raises(CustkitError, match="frequency_bins"):
            sg.rfm_scores(ten_buyers(), frequency_bins=bad)


def test_rfm_segments_grid():
    assert len(sg.RF_GRID) == 25 and set(sg.RF_GRID.values()) == set(sg.RFM_SEGMENTS)
    assert sg.RF_GRID[(1, 1)] == "lost" and sg.RF_GRID[(2, 2)] == "hibernating"
    got = sg.rfm_segments(sg.rfm_scores(ten_buyers()))
    # (R, F): 1 (4,1) promising, 2 (4,1), 3 (3,1) about to sleep, 4 (3,2) about to sleep,
    # 5 (2,2) hibernating, 6 (2,3) at risk, 7 (1,4) at risk, 8 (5,5) champions, 9 (5,1) new, 10 (1,1) lost
    assert got["segment"].tolist() == [
        "promising", "promising", "about_to_sleep", "about_to_sleep", "hibernating", "at_risk",
        "at_risk", "champions", "new", "lost",
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


def test_purchase_probabilities_hand_values():
    s = campaign_shop()
    both = sg.purchase_probabilities(s.truth, sg.Offer(discount_pct=10, channel="email"))
    # without the offer: 1 - exp(-4 weeks x rate x pace); customer 4 is not alive, so lost: pace 0
    p0 = [1 - math.exp(-0.4), 1 - math.exp(-1.2), 1 - math.exp(-0.4), 0.0]
    # persuasion q = 0.04 x state x (0.5 + ability) x (1 + sensitivity x 0.1):
    # 1 researcher 0.04 x 1 x 1 x 1.1; 2 seeker 0.04 x 1.5 x 2; 3 seeker 0.04 x 1 x 2; 4 lost 0.04 x 0.1 x 1.4
    q = [0.044, 0.12, 0.08, 0.0056]
    np.testing.assert_allclose(both["p_without"], p0, atol=1e-6)
    np.testing.assert_allclose(both["p_with"], [a + (1 - a) * b for a, b in zip(p0, q)], atol=1e-6)
    pd.testing.assert_series_equal(sg.response_probability(s.truth, sg.Offer(discount_pct=10, channel="email")),
                                   both["p_with"])
    # no discount, other channel: persuasion halves (social 0.02), the outcome without the offer stays
    social = sg.purchase_probabilities(s.truth, sg.Offer(discount_pct=0, channel="social"))
    np.testing.assert_allclose(social["p_without"], p0, atol=1e-6)
    assert (social["p_with"] < both["p_with"]).all() and (both["p_with"] >= both["p_without"]).all()


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
    anyway = per.index[per["bought_without"] & per["contacted"]]
    assert per.loc[responders, "revenue"].tolist() == pytest.approx((basket[responders] * 0.8).tolist())
    profit = (basket[responders] * (0.5 - 0.2)).sum() - 6.0
    assert res.summary["profit"].item() == pytest.approx(profit)
    # what the offer adds: minus the full-price margin of those who would have bought anyway
    incremental = profit - (basket[anyway] * 0.5).sum()
    assert res.summary["incremental_profit"].item() == pytest.approx(incremental)
    assert res.summary["roi"].item() == pytest.approx(incremental / 6.0)
    assert res.summary["would_buy_anyway"].item() == len(anyway)
    assert res.summary["incremental_buyers"].item() == len(responders) - len(anyway)
    assert set(anyway) <= set(responders)  # one draw decides both outcomes: a sure thing also buys with it
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
    # margin from the items: 1 - (2 x 6 + 30) / (2 x 10 + 50) = 0.4. Seed 0 draws 0.637, 0.270, 0.041,
    # 0.017 for customers 1-4. Without the offer c2 (p 0.699) and c3 (0.330) buy, c1 (0.330) does not;
    # with 50 % off on social c1 reaches 0.350 and c4 (lost) 0.006: still no. So the two buyers would have
    # bought anyway: revenue 25 and 40, profit 50 x (0.4 - 0.5) = -5 and 80 x (0.4 - 0.5) = -8, against
    # 20 and 32 at full price without the offer.
    res = sg.simulate_campaign(s, [1, 2, 3, 4], sg.Offer(discount_pct=50, channel="social"), seed=0)
    per = res.customers
    assert per["responded"].tolist() == [False, True, True, False]
    assert per["bought_without"].tolist() == [False, True, True, False]
    assert per["revenue"].tolist() == pytest.approx([0, 25, 40, 0])
    assert per["profit"].tolist() == pytest.approx([0, -5, -8, 0])
    assert per["profit_without"].tolist() == pytest.approx([0, 20, 32, 0])
    # four contacts at 0.5 each: profit -5 - 8 - 2 = -15; minus the 20 + 32 they would have left anyway
    assert res.summary["uplift"].item() == 0 and res.summary["incremental_profit"].item() == pytest.approx(-15 - 52)


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
    rates = res.customers.assign(p=persona).groupby("p")[["bought_without", "responded"]].mean()
    # without the offer: 1 - E exp(-4 r), r ~ U(0.05, 0.2): 1 - (e^-0.2 - e^-0.8) / 0.6 = 0.384 for both;
    # persuasion at 30 % off: seekers 0.04 x (1 + 10 x 0.3) = 0.16, researchers 0.04 x 1.3 = 0.052
    p0 = 1 - (math.exp(-0.2) - math.exp(-0.8)) / 0.6
    assert rates["bought_without"].to_numpy() == pytest.approx([p0, p0], abs=0.03)
    assert rates.loc["discount_seeker", "responded"] == pytest.approx(p0 + (1 - p0) * 0.16, abs=0.03)
    assert rates.loc["researcher", "responded"] == pytest.approx(p0 + (1 - p0) * 0.052, abs=0.03)


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


def test_plot_uplift_shows_both_readings_sorted_by_responses():
    experiment = pd.DataFrame({
        "rule": ["champions", "at_risk", "random"],
        "response_profit_per_contact": [5.0, 0.5, 1.0],
        "incremental_profit_per_contact": [-1.0, 0.4, 0.2],
        "profit_low": [-3.0, -0.2, -0.5], "profit_high": [1.0, 1.0, 0.9],
        "true_profit_per_contact": [-1.2, 0.6, 0.3],
    })
    ax = ps.plot_uplift(experiment, currency="USD")
    # bars from the smallest response profit (bottom) to the largest (top), names without underscores
    assert [t.get_text() for t in ax.get_yticklabels()] == ["at risk", "random", "champions"]
    assert [p.get_width() for p in ax.patches] == [0.5, 1.0, 5.0]
    assert ax.get_xlabel() == "Profit per contact (USD)"
    assert len(ax.get_legend().get_texts()) == 3 and min(t.get_fontsize() for t in ax.get_legend().get_texts()) >= 12
    assert len(ps.plot_uplift(experiment, truth=False).get_legend().get_texts()) == 2
    with pytest.raises(CustkitError):
        ps.plot_uplift(experiment.drop(columns="true_profit_per_contact"))
    plt.close("all")
