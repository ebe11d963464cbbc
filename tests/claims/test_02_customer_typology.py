"""Notebook 02 (customer typology): every sentence that states a direction or a size, on four shops."""

from __future__ import annotations

import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb02
from custkit.typology.tuning import threshold_sweep

ty = ck.typology
OFFER_COLUMNS = ["offer_order_share", "discount_share", "cart_abandon_rate", "first_session_purchase"]


@pytest.fixture(scope="module")
def feats(shop):
    return nb02.shop_features(shop)


@pytest.fixture(scope="module")
def data(feats):
    return feats.merge(ty.sales_types(feats)).merge(ty.knowledge_types(feats))


@pytest.fixture(scope="module")
def grades(shop, data):
    return ty.grade_typology(data[["customer_id", "persona", "relationship", "knowledge_type"]], shop.truth)


def test_type_3_buys_in_its_first_visit_more_often_and_buys_more(data):
    """'whether the type that knows both what and where buys in its first visit more often and buys
    more in total: customers who know what they want and where to get it waste no visits.'"""
    means = data.astype({"first_session_purchase": "float"}).groupby("knowledge_type")[
        ["first_session_purchase", "purchases", "search_channel_share"]].mean()
    assert means["first_session_purchase"].idxmax() == 3
    assert means["purchases"].idxmax() == 3
    assert means["first_session_purchase"].is_monotonic_increasing  # 1 < 2 < 3
    assert means["search_channel_share"].idxmax() == 2  # the type that searches arrives by search


def test_impulsive_fastest_to_decide_deliberate_types_slowest(data):
    """'the types the article describes as deliberate should take longer than those it calls impulsive'"""
    days = data.groupby("persona")["days_to_first_purchase"].median()
    assert days.idxmin() == "impulsive" and days.idxmax() == "researcher"
    assert days["hesitant"] > days["searcher"] > days["impulsive"]
    assert days["researcher"] > 10 * max(days["impulsive"], 1.0)


def test_about_a_third_of_customers_leave_a_cart_now_and_then(feats):
    """'about a third of the customers leave a cart now and then'"""
    share = (feats["carts_abandoned"] > 0).mean()
    assert 0.25 <= share <= 0.40


def test_researchers_slow_impulsive_fast_middle_halves_overlap(shop, feats):
    """'The medians differ (researchers are slow, impulsive buyers fast, the others in between),
    but the middle halves overlap'"""
    true = feats.merge(shop.truth[["customer_id", "persona"]])
    q = true.groupby("persona")["pace"].quantile([0.25, 0.5, 0.75]).unstack()
    assert q[0.5].idxmax() == "researcher" and q[0.5].idxmin() == "impulsive"
    for persona, row in q.iterrows():
        others = q.drop(index=persona)
        overlaps = (others[0.25] < row[0.75]) & (others[0.75] > row[0.25])
        assert overlaps.any(), persona


def test_every_family_at_least_twice_its_baseline_and_far_from_perfect(grades):
    """'every family's macro F1 at least twice the majority-class baseline's and far from perfect'"""
    for family, g in grades.items():
        assert g.macro_f1 >= 2 * g.baseline_macro_f1, family
        assert g.macro_f1 < 0.85, family


def test_knowledge_types_easier_relationship_types_harder(grades):
    """'The knowledge types are easier to read ...; the relationship types are harder'"""
    assert grades["knowledge_type"].macro_f1 > grades["persona"].macro_f1 > grades["relationship"].macro_f1


def test_searcher_is_the_catch_all_and_hesitant_and_searcher_leak_into_each_other(grades):
    """'every type leaks into it [the searcher column] ... expect those two rows [hesitant and
    searcher] to leak into each other'"""
    conf = grades["persona"].confusion
    assert (conf["searcher"] > 0).all()
    off = conf.copy()
    for t in off.index:
        off.loc[t, t] = 0
    assert off.loc["hesitant"].idxmax() == "searcher"
    assert off.loc["searcher"].idxmax() == "hesitant"


def test_rare_dissatisfied_type_easily_confused_few_never_bought(grades):
    """'the rare dissatisfied type is easily confused ... the few customers in the never_bought column'"""
    rel = grades["relationship"]
    per = rel.per_type.set_index("type")
    assert per["support"].idxmin() == "dissatisfied"
    assert per.loc["dissatisfied", "recall"] < 0.25
    assert 0 < rel.confusion["never_bought"].sum() < 0.05 * rel.n


@pytest.fixture(scope="module")
def switchers(shop, feats):
    sweep = threshold_sweep(feats, shop.truth, nb02.SWEEP_FIELD, list(nb02.SWEEP_VALUES))
    return sweep[sweep["type"] == nb02.SWEEP_TYPE].set_index(nb02.SWEEP_FIELD)


def test_stricter_threshold_recall_falls_precision_mostly_rises(switchers):
    """'From left to right the rule gets stricter: recall falls ... while precision mostly rises
    ... a loose threshold hands the label to many more people.'"""
    assert switchers["recall"].is_monotonic_decreasing
    assert switchers["predicted"].is_monotonic_decreasing
    rises = (switchers["precision"].diff().dropna() > 0).sum()
    assert rises >= len(switchers) - 2
    assert switchers["precision"].iloc[-1] > 2 * switchers["precision"].iloc[0]


def test_f1_peaks_in_the_middle_near_the_default(switchers):
    """'Somewhere in the middle the F1 and the macro F1 of the whole family peak; the default
    threshold sits near there.'"""
    values = list(switchers.index)
    default = getattr(ty.Thresholds(), nb02.SWEEP_FIELD)
    for column in ("f1", "macro_f1"):
        peak = values.index(switchers[column].idxmax())
        assert 0 < peak < len(values) - 1
        assert abs(peak - values.index(default)) <= 1


@pytest.fixture(scope="module")
def offers(data):
    return data.astype({"first_session_purchase": "float"}).groupby("persona")[OFFER_COLUMNS].mean()


def test_discount_email_speaks_to_one_type_much_more(offers):
    """'The discount e-mail speaks to one type much more than to the others'"""
    top = offers["offer_order_share"].sort_values(ascending=False)
    assert top.index[0] == "discount_seeker"
    assert top.iloc[0] > 2 * top.iloc[1]
    assert offers["discount_share"].idxmax() == "discount_seeker"


def test_cart_leavers_are_held_back_by_doubt_not_price(offers):
    """'The types that leave carts behind are held back by doubt, not by price.'"""
    assert offers["cart_abandon_rate"].idxmax() == "hesitant"
    assert offers.loc["hesitant", "offer_order_share"] < offers.loc["discount_seeker", "offer_order_share"] / 2
    assert offers["first_session_purchase"].idxmax() == "impulsive"


def test_the_pattern_holds_for_the_true_types(shop, feats):
    """'the grading step lets us check that the pattern holds for the true types too'"""
    true = feats.merge(shop.truth[["customer_id", "persona"]])
    means = true.astype({"first_session_purchase": "float"}).groupby("persona")[OFFER_COLUMNS].mean()
    assert means["offer_order_share"].idxmax() == "discount_seeker"
    assert means["cart_abandon_rate"].idxmax() == "hesitant"
    assert means["first_session_purchase"].idxmax() == "impulsive"
