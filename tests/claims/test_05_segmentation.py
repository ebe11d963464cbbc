"""Claims of notebook 05 (segmentation), checked on the committed shop and seeds 1-3.

Each test quotes the sentence it guards. The notebook's targeting experiment is rebuilt with the
notebook's own parameters (10 % off by e-mail at 0.1 a contact, 400 customers per rule, half held
out, seed 0).
"""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from custkit import segmentation as seg
from custkit.exercises.nb05 import targeting_lists
from custkit.segmentation.rfm import FREQUENCY_BINS

from .conftest import SHOPS, shop_named

OFFER = seg.Offer(discount_pct=10.0, cost_per_contact=0.1, channel="email")
BUDGET, HOLDOUT = 400, 0.5


@functools.cache
def rfm(name: str) -> pd.DataFrame:
    s = shop_named(name)
    return seg.rfm_segments(seg.rfm_scores(seg.rfm_table(s.orders, s.end)))


@functools.cache
def experiment(name: str) -> pd.DataFrame:
    s = shop_named(name)
    return seg.compare_targeting(s, targeting_lists(s, rfm(name)), OFFER, budget=BUDGET, holdout=HOLDOUT).set_index("rule")


@functools.cache
def profile(name: str) -> pd.DataFrame:
    data = rfm(name).assign(order_value=lambda t: t["monetary"] / t["frequency"])
    return seg.segment_profile(data, means=["frequency", "order_value"]).set_index("segment")


names = pytest.mark.parametrize("name", SHOPS)


@names
def test_the_band_with_most_revenue_is_the_biggest_band(name):
    """"the band that brings the most revenue is often simply the biggest band"."""
    s = shop_named(name)
    ages = seg.demographic_profile(s.customers, s.orders, s.end, by="age_band").set_index("age_band")
    assert ages["revenue"].idxmax() == ages["customers"].idxmax()


@names
def test_class_shows_in_whether_people_buy_and_in_how_much_buyers_spend(name):
    """"class shows twice: in whether people buy at all (about a third of the low class buy, against more
    than 60 % of the others) and in how much the buyers spend (revenue per buyer is higher in the two
    upper classes than in the two lower ones)"."""
    s = shop_named(name)
    classes = seg.demographic_profile(s.customers, s.orders, s.end, by="socio_economic_class")
    classes = classes.set_index("socio_economic_class")
    assert 0.25 <= classes.loc["low", "buyer_share"] <= 0.42
    assert classes.drop(index="low")["buyer_share"].min() > 0.6
    per_buyer = classes["revenue_per_buyer"]
    assert per_buyer[["upper_middle", "high"]].min() > per_buyer[["low", "lower_middle"]].max()


@names
def test_one_time_buyers_are_more_than_half_and_the_f1_column(name):
    """"The F = 1 column, the buyers who bought once, is by far the largest: it holds more than half
    of all buyers"; and F counts purchases (1, 2, 3, 4-5, 6+) because quintiles of frequency tie."""
    scores = rfm(name)
    counts = scores["F"].value_counts()
    assert counts.idxmax() == 1 and counts[1] > 0.5 * len(scores)
    assert (scores.loc[scores["F"] == 1, "frequency"] == 1).all()
    assert (scores.loc[scores["F"] == 5, "frequency"] >= FREQUENCY_BINS[-1]).all()


@names
def test_champions_and_loyal_are_one_buyer_in_seven_with_two_fifths_to_half_of_revenue(name):
    """"Champions and loyal customers are about one buyer in seven but bring between two fifths and a
    half of the revenue"."""
    top = profile(name).loc[["champions", "loyal"]]
    assert 0.1 <= top["customer_share"].sum() <= 0.2
    assert 0.38 <= top["revenue_share"].sum() <= 0.52


@names
def test_champions_orders_are_ordinary_but_they_come_back(name):
    """"A champion's orders are about as large as a lost customer's (within a factor of two), yet a
    champion brought five to twelve times as much revenue"."""
    p = profile(name)
    assert 0.5 <= p.loc["champions", "mean_order_value"] / p.loc["lost", "mean_order_value"] <= 2
    assert 5 <= p.loc["champions", "revenue_per_customer"] / p.loc["lost", "revenue_per_customer"] <= 12


@names
def test_clusters_of_value_mix_personas(name):
    """"Clusters built on recency, frequency and money describe value, not personality: expect each
    cluster to mix personas"."""
    s = shop_named(name)
    features = ["recency_days", "frequency", "monetary"]
    k_scores = seg.choose_k(rfm(name), features, k_values=range(2, 7), log_columns=["frequency", "monetary"],
                            sample_size=1000)
    k = int(k_scores.loc[k_scores["silhouette"].idxmax(), "k"])
    clusters = seg.kmeans_segments(rfm(name), features, k, log_columns=["frequency", "monetary"])
    persona = clusters["customer_id"].map(s.truth.set_index("customer_id")["persona"])
    assert pd.crosstab(clusters["cluster"], persona, normalize="index").to_numpy().max() < 0.5


@names
def test_champions_respond_most_and_buy_most_without_the_offer(name):
    """"The champions respond most" and "`control_rate` ...: the champions lead that column too"."""
    out = experiment(name)
    assert out["response_rate"].idxmax() == "champions"
    assert out["control_rate"].idxmax() == "champions"


@names
def test_on_the_champions_the_offer_loses_money_and_they_are_the_worst_rule(name):
    """"on the champions the offer loses money" and "The rule that looks best by its responses is the
    worst by what it earns"."""
    out = experiment(name)
    assert out.loc["champions", "true_profit_per_contact"] < 0
    assert out["true_profit_per_contact"].idxmin() == "champions"
    assert out["response_profit_per_contact"].idxmax() != out["true_profit_per_contact"].idxmax()


@names
def test_most_uplift_intervals_include_zero(name):
    """"With a hundred or so customers per group, most intervals include 0"."""
    out = experiment(name).drop(index="random")
    assert out[["treated", "control"]].to_numpy().max() <= 160  # a hundred or so
    shown = out.dropna(subset=["uplift_low", "uplift_high"])
    includes_zero = (shown["uplift_low"] <= 0) & (shown["uplift_high"] >= 0)
    assert includes_zero.sum() > len(shown) / 2


@names
def test_small_groups_get_no_interval(name):
    """"Where a group has fewer than 30 customers the interval is left empty"."""
    out = experiment(name)
    small = out[["treated", "control"]].min(axis=1) < 30
    assert out.loc[small, "uplift_low"].isna().all() and out.loc[~small, "uplift_low"].notna().all()


@names
def test_the_models_expect_more_than_champions_and_loyal_spent(name):
    """"The models expect more than the champions and the loyal customers really spent"."""
    from custkit.retention import models
    from custkit.transactions import customer_summary

    s = shop_named(name)
    summary = customer_summary(ck_purchases(s), amount="shop_revenue", as_of=s.end, freq="W")
    value = models.customer_lifetime_value(
        models.BetaGeoNBD().fit(summary),
        models.GammaGamma().fit(summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]),
        summary, horizon_months=12)
    scores = rfm(name)
    truth = s.truth.set_index("customer_id")["future_revenue"]
    graded = scores.assign(clv=scores["customer_id"].map(value["clv"]), future=scores["customer_id"].map(truth))
    means = graded.groupby("segment")[["clv", "future"]].mean()
    assert (means.loc[["champions", "loyal"], "clv"] > means.loc[["champions", "loyal"], "future"]).all()


def ck_purchases(s):
    from custkit.definitions import purchases_until

    return purchases_until(s.orders, s.end)


@names
def test_the_test_on_everyone_has_a_narrower_interval(name):
    """"The same test on everyone who agreed to e-mail, about a thousand customers per group, gives a
    narrower interval"; and a random list's true uplift is about 3 points (simulate.response)."""
    s = shop_named(name)
    everyone = seg.compare_targeting(s, {"everyone": s.customers["customer_id"]}, OFFER, holdout=HOLDOUT).iloc[0]
    random_rule = experiment(name).loc["random"]
    assert 900 <= everyone["treated"] <= 1300
    assert everyone["uplift_high"] - everyone["uplift_low"] < random_rule["uplift_high"] - random_rule["uplift_low"]
    assert 0.02 <= everyone["true_uplift"] <= 0.04
