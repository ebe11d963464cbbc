"""Tests for custkit.typology and custkit.plots.typology.

Hand-built tiny shop for the features (expected values worked out by hand in the comments), one
hand-built feature row per rule, a hand-computed grade, and the classroom shop for the claim that
the persona rules clearly beat the majority baseline while staying imperfect.
"""

import dataclasses
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.plots import typology as pt
from custkit.typology import (
    FEATURES,
    PERSONAS,
    Thresholds,
    competitor_terms,
    customer_features,
    grade,
    grade_typology,
    knowledge_table,
    knowledge_types,
    persona_rules,
    relationship_rules,
    sales_types,
    tactics_table,
)

AS_OF = "2024-03-31"


def _dt(values):
    return pd.to_datetime(values).astype("datetime64[s]")


def _s(values):
    return pd.array(values, dtype="str")


def tiny_shop():
    """Two customers who count (3 signs up after AS_OF); see the expected values in the tests."""
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3],
        "signup_date": _dt(["2024-01-01", "2024-01-10", "2024-05-01"]),
        "acquisition_channel": _s(["search", "social", "ads"]),
        "referred_by": pd.array([pd.NA, 1, pd.NA], dtype="Int64"),
    })
    products = pd.DataFrame({
        "product_id": [1, 2, 3],
        "name": _s(["Acme Kettle K1", "Acme Toaster T2", "Bolt Phone Case"]),
        "category": _s(["kitchen", "kitchen", "phone"]),
        "brand": _s(["Acme", "Acme", "Bolt"]),
    })
    sessions = pd.DataFrame({
        "session_id": [1, 2, 3, 4, 5, 6],
        "visitor_id": [100, 100, 100, 200, 200, 300],
        "customer_id": pd.array([pd.NA, 1, 1, 2, 2, 3], dtype="Int64"),
        "start": _dt(["2024-01-01 10:00", "2024-01-05 10:00", "2024-02-01 10:00", "2024-01-10 12:00",
                      "2024-04-05 09:00", "2024-05-01 09:00"]),
        "channel": _s(["search", "direct", "social", "social", "search", "ads"]),
        "pages": [3, 4, 2, 2, 5, 1],
        "furthest_stage": _s(["product_view", "purchase", "add_to_cart", "add_to_cart", "purchase", "visit"]),
    })
    ev = [  # session, time, type, product, query
        (1, "2024-01-01 10:00:00", "search", None, "cheap kettle"),
        (1, "2024-01-01 10:00:30", "product_view", 1, None),
        (1, "2024-01-01 10:01:30", "product_view", 2, None),
        (2, "2024-01-05 10:00:00", "product_view", 1, None),
        (2, "2024-01-05 10:00:40", "add_to_cart", 1, None),
        (2, "2024-01-05 10:01:40", "checkout", None, None),
        (2, "2024-01-05 10:02:00", "purchase", None, None),
        (3, "2024-02-01 10:00:00", "page_view", None, None),
        (3, "2024-02-01 10:00:20", "search", None, "Zentrova kettle"),
        (3, "2024-02-01 10:00:50", "product_view", 3, None),
        (3, "2024-02-01 10:01:00", "add_to_cart", 3, None),
        (4, "2024-01-10 12:00:00", "search", None, "acme kettle"),
        (4, "2024-01-10 12:00:10", "search", None, "kettle sale"),
        (4, "2024-01-10 12:00:40", "product_view", 1, None),
        (4, "2024-01-10 12:00:50", "add_to_cart", 1, None),
        (5, "2024-04-05 09:00:00", "search", None, "Zentrova toaster"),  # after AS_OF
        (5, "2024-04-05 09:09:00", "purchase", None, None),
        (6, "2024-05-01 09:00:00", "page_view", None, None),
    ]
    events = pd.DataFrame({
        "event_id": range(1, len(ev) + 1),
        "session_id": [e[0] for e in ev],
        "timestamp": _dt([e[1] for e in ev]),
        "event_type": _s([e[2] for e in ev]),
        "product_id": pd.array([e[3] for e in ev], dtype="Int64"),
        "query": _s([e[4] for e in ev]),
    })
    orders = pd.DataFrame({
        "order_id": [1, 2, 3, 4, 5],
        "customer_id": [1, 1, 1, 1, 2],
        "order_date": _dt(["2024-01-05 10:02", "2024-03-10 15:00", "2024-03-20 09:00", "2024-03-25 09:00",
                           "2024-04-05 09:09"]),
        "transaction_type": _s(["B2C", "B2C", "B2C", "C2B", "B2C"]),
        "status": _s(["delivered", "returned", "cancelled", "delivered", "delivered"]),
        "campaign_id": pd.array([pd.NA, 1, pd.NA, pd.NA, pd.NA], dtype="Int64"),
        "gross": [100.0, 50.0, 20.0, 40.0, 10.0],
        "discount": [0.0, 15.0, 0.0, 0.0, 0.0],
        "net": [100.0, 35.0, 20.0, 40.0, 10.0],
    })
    order_items = pd.DataFrame({"order_id": [1, 1, 2, 3, 4, 5], "line": [1, 2, 1, 1, 1, 1]})
    tickets = pd.DataFrame({
        "customer_id": [1, 1, 2],
        "created": _dt(["2024-01-04 08:00", "2024-03-12 08:00", "2024-04-02 08:00"]),
        "stage": _s(["before_purchase", "after_purchase", "after_purchase"]),
        "resolved": [True, False, False],
    })
    surveys = pd.DataFrame({
        "customer_id": [1, 1, 1],
        "order_id": [1, 2, 2],
        "sent_date": _dt(["2024-01-08", "2024-03-15", "2024-03-20"]),
        "responded": [True, True, False],
        "csat": pd.array([4, 2, pd.NA], dtype="Int64"),
        "nps": pd.array([8, 3, pd.NA], dtype="Int64"),
    })
    campaigns = pd.DataFrame({
        "campaign_id": [1, 2],
        "start_date": _dt(["2024-03-09", "2024-02-01"]),
        "end_date": _dt(["2024-03-11", "2024-02-05"]),
        "is_promotion_day": [True, False],
    })
    return dict(customers=customers, sessions=sessions, events=events, orders=orders, order_items=order_items,
                tickets=tickets, surveys=surveys, campaigns=campaigns, products=products)


@pytest.fixture
def tiny():
    return tiny_shop()


@pytest.fixture
def feats(tiny):
    return customer_features(**tiny, as_of=AS_OF).set_index("customer_id")


# ----------------------------------------------------------------------------- features
def test_features_shape_and_columns(feats):
    assert list(feats.reset_index().columns) == list(FEATURES)
    assert feats.index.tolist() == [1, 2]  # customer 3 signed up after AS_OF


def test_features_visits(feats):
    c1, c2 = feats.loc[1], feats.loc[2]
    # customer 1: visit 1 (before sign-up, same visitor 100), 2 and 3
    assert c1["sessions"] == 3 and c2["sessions"] == 1  # visit 5 of customer 2 is after AS_OF
    assert c1["pages_per_session"] == pytest.approx((3 + 4 + 2) / 3)
    assert c1["product_views_per_session"] == pytest.approx((2 + 1 + 1) / 3)
    assert c1["searches"] == 2 and c2["searches"] == 2
    assert c2["searches_per_session"] == pytest.approx(2.0)
    # seconds between events: visit 1 90 s / 2 gaps, visit 2 120 / 3, visit 3 60 / 3
    assert c1["seconds_per_event"] == pytest.approx((45 + 40 + 20) / 3)
    assert c2["seconds_per_event"] == pytest.approx(50 / 3)
    # first actions: search, product_view, page_view -> a third each
    assert c1[["first_page_view_share", "first_search_share", "first_product_view_share"]].tolist() == \
        pytest.approx([1 / 3, 1 / 3, 1 / 3])
    assert c2["first_search_share"] == 1.0
    assert c1[["search_channel_share", "social_ads_share", "direct_share"]].tolist() == pytest.approx([1 / 3] * 3)
    assert c1["main_channel"] == "direct"  # one visit each: ties go alphabetically
    assert c2["main_channel"] == "social" and c2["social_ads_share"] == 1.0
    # carts: visit 2 bought, visit 3 left its cart -> 1 abandoned of 2 carted
    assert c1["carts_abandoned"] == 1 and c1["cart_abandon_rate"] == pytest.approx(0.5)
    assert c2["carts_abandoned"] == 1 and c2["cart_abandon_rate"] == 1.0
    assert not c1["first_session_purchase"] and not c2["first_session_purchase"]
    assert c1["sessions_before_first_purchase"] == 1 and np.isnan(c2["sessions_before_first_purchase"])
    # product views by category: kitchen, kitchen, kitchen, phone
    assert c1["category_focus"] == pytest.approx(3 / 4) and c2["category_focus"] == 1.0
    assert c1["days_since_last_visit"] == 59  # 2024-02-01 -> 2024-03-31 (29 + 30 days)


def test_features_pace(feats):
    # mean gap per event type over the counted visits: product_view (30+60+30+30)/4 = 37.5,
    # add_to_cart (40+10+10)/3 = 20, checkout 60, purchase 20, search (20+10)/2 = 15
    c1 = np.mean([30 / 37.5, 60 / 37.5, 40 / 20, 60 / 60, 20 / 20, 20 / 15, 30 / 37.5, 10 / 20])
    c2 = np.mean([10 / 15, 30 / 37.5, 10 / 20])
    assert feats.loc[1, "pace"] == pytest.approx(c1)
    assert feats.loc[2, "pace"] == pytest.approx(c2)


def test_features_searches(feats):
    # customer 1: "cheap kettle" (bargain), "Zentrova kettle" (a brand not in the catalogue)
    assert feats.loc[1, "competitor_search_share"] == pytest.approx(0.5)
    assert feats.loc[1, "bargain_search_share"] == pytest.approx(0.5)
    # customer 2: "acme kettle" (the shop's brand), "kettle sale" (bargain)
    assert feats.loc[2, "competitor_search_share"] == 0.0
    assert feats.loc[2, "bargain_search_share"] == pytest.approx(0.5)


def test_features_orders(feats):
    c1, c2 = feats.loc[1], feats.loc[2]
    assert c1["purchases"] == 2  # orders 1 and 2; 3 cancelled, 4 is a C2B trade-in
    assert c1["spend"] == pytest.approx(135.0)
    assert c1["offer_order_share"] == pytest.approx(0.5)
    assert c1["promotion_order_share"] == pytest.approx(0.5)  # order 2 on 2024-03-10, inside campaign 1
    assert c1["discount_share"] == pytest.approx(15 / 150)
    assert c1["return_rate"] == pytest.approx(0.5)
    assert c1["cancel_rate"] == pytest.approx(1 / 3)  # 1 of the 3 B2C orders placed
    assert c1["items_per_order"] == pytest.approx((2 + 1) / 2)
    assert c1["recency_days"] == 21  # 2024-03-10 -> 2024-03-31
    # first product view 2024-01-01 10:00:30, first purchase 2024-01-05 10:02:00
    assert c1["days_to_first_purchase"] == pytest.approx(4 + 90 / 86400)
    assert c1["tenure_days"] == 90 and c2["tenure_days"] == 81
    assert c2["purchases"] == 0 and c2["spend"] == 0.0
    assert np.isnan(c2["recency_days"]) and np.isnan(c2["cancel_rate"])
    assert bool(c2["referred"]) and not bool(c1["referred"])


def test_features_service(feats):
    c1, c2 = feats.loc[1], feats.loc[2]
    assert (c1["advice_tickets"], c1["support_tickets"], c1["unresolved_tickets"]) == (1, 1, 1)
    assert (c2["advice_tickets"], c2["support_tickets"], c2["unresolved_tickets"]) == (0, 0, 0)  # after AS_OF
    assert c1["surveys_answered"] == 2
    assert c1["csat_mean"] == pytest.approx(3.0) and c1["csat_last"] == 2.0
    assert c1["nps_mean"] == pytest.approx(5.5)
    assert np.isnan(c2["csat_mean"])


def test_features_do_not_mutate_and_follow_renamed_columns(tiny):
    copies = {k: v.copy() for k, v in tiny.items()}
    base = customer_features(**tiny, as_of=AS_OF)
    for k, v in tiny.items():
        pd.testing.assert_frame_equal(v, copies[k])
    renamed = dict(tiny, orders=tiny["orders"].rename(columns={"order_date": "date"}))
    other = customer_features(**renamed, as_of=AS_OF, columns={"orders": {"order_date": "date"}})
    pd.testing.assert_frame_equal(base, other)


def test_features_optional_tables_and_known_brands(tiny):
    core = {k: tiny[k] for k in ("customers", "sessions", "events", "orders")}
    f = customer_features(**core, as_of=AS_OF).set_index("customer_id")
    assert np.isnan(f.loc[1, "category_focus"]) and np.isnan(f.loc[1, "items_per_order"])
    assert np.isnan(f.loc[1, "competitor_search_share"])  # no catalogue and no brand list
    assert f.loc[1, "advice_tickets"] == 0
    f = customer_features(**core, as_of=AS_OF, competitor_brands=["Acme"]).set_index("customer_id")
    assert f.loc[2, "competitor_search_share"] == pytest.approx(0.5)  # "acme kettle" now counts


def test_features_earlier_as_of_drops_later_facts(tiny):
    f = customer_features(**tiny, as_of="2024-01-31").set_index("customer_id")
    assert f.loc[1, "sessions"] == 2 and f.loc[1, "purchases"] == 1
    assert f.loc[1, "recency_days"] == 26  # 2024-01-05 -> 2024-01-31


def test_competitor_terms(tiny):
    terms = competitor_terms(tiny["events"]["query"], tiny["products"])
    assert terms == {"zentrova"}
    assert competitor_terms(tiny["events"]["query"], None, ["Big Brand"]) == {"big", "brand"}
    with pytest.raises(CustkitError, match="list of names"):
        competitor_terms(tiny["events"]["query"], None, "Zentrova")


@pytest.mark.parametrize("change, match", [
    (lambda t: t.update(orders=t["orders"].drop(columns="status")), "status"),
    (lambda t: t.update(events="not a table"), "DataFrame"),
    (lambda t: t.update(sessions=t["sessions"].iloc[0:0]), "empty"),
    (lambda t: t.update(customers=pd.concat([t["customers"], t["customers"]])), "duplicates"),
    (lambda t: t.update(tickets=t["tickets"].drop(columns="stage")), "stage"),
])
def test_features_bad_tables(tiny, change, match):
    change(tiny)
    with pytest.raises(CustkitError, match=match):
        customer_features(**tiny, as_of=AS_OF)


@pytest.mark.parametrize("kwargs, match", [
    ({"as_of": None}, "as_of"),
    ({"as_of": "not a date"}, "as_of"),
    ({"as_of": "2023-01-01"}, "no customer"),
    ({"columns": {"ordres": {}}}, "unknown table"),
    ({"columns": ["orders"]}, "columns must be"),
    ({"bargain_words": "cheap"}, "bargain_words"),
    ({"competitor_brands": "Zentrova"}, "list of names"),
])
def test_features_bad_arguments(tiny, kwargs, match):
    args = {"as_of": AS_OF} | kwargs
    with pytest.raises(CustkitError, match=match):
        customer_features(**tiny, **args)


# ----------------------------------------------------------------------------- rules
def feature_rows(*rows):
    """Feature rows that fire no rule, changed by each dict of ``rows``."""
    neutral = {
        "customer_id": 0, "searches": 0, "competitor_search_share": np.nan, "bargain_search_share": np.nan,
        "purchases": 0, "offer_order_share": np.nan, "product_views_per_session": 1.5, "pace": 0.9,
        "first_session_purchase": False, "cart_abandon_rate": np.nan, "carts_abandoned": 0,
        "cancel_rate": np.nan, "advice_tickets": 0, "recency_days": np.nan, "csat_last": np.nan,
        "unresolved_tickets": 0, "referred": False,
        "first_page_view_share": 0.0, "first_search_share": 0.0, "first_product_view_share": 0.0,
        "social_ads_share": 0.0, "search_channel_share": 0.0, "direct_share": 0.0,
    }
    return pd.DataFrame([neutral | {"customer_id": i + 1} | r for i, r in enumerate(rows)])


@pytest.mark.parametrize("row, expected", [
    ({}, "searcher"),
    ({"searches": 4, "competitor_search_share": 0.5}, "brand_switcher"),
    ({"searches": 4, "competitor_search_share": 0.25}, "searcher"),  # below 0.3
    ({"searches": 10, "competitor_search_share": 0.3}, "brand_switcher"),  # at the threshold
    ({"searches": 3, "bargain_search_share": 1 / 3}, "searcher"),  # 0.33 < 0.35
    ({"searches": 5, "bargain_search_share": 0.4}, "discount_seeker"),
    ({"purchases": 2, "offer_order_share": 1.0}, "discount_seeker"),
    ({"purchases": 1, "offer_order_share": 1.0}, "searcher"),  # one offer order proves little
    ({"product_views_per_session": 6.0}, "researcher"),
    ({"pace": 1.2, "product_views_per_session": 3.0}, "researcher"),
    ({"pace": 1.2, "product_views_per_session": 2.0}, "hesitant"),  # slow but looks at little
    ({"pace": 0.5}, "impulsive"),
    ({"first_session_purchase": True}, "impulsive"),
    ({"cart_abandon_rate": 0.75, "carts_abandoned": 3}, "hesitant"),
    ({"cart_abandon_rate": 0.5, "carts_abandoned": 1}, "searcher"),  # 0.5 < 0.6
    ({"cancel_rate": 0.2}, "hesitant"),
    ({"advice_tickets": 2}, "hesitant"),
    ({"searches": 4, "competitor_search_share": 0.5, "bargain_search_share": 0.5}, "brand_switcher"),
    ({"purchases": 3, "offer_order_share": 1.0, "pace": 0.3}, "discount_seeker"),
])
def test_persona_rules(row, expected):
    assert persona_rules(feature_rows(row)).tolist() == [expected]


def test_persona_rules_follow_thresholds():
    rows = feature_rows({"searches": 4, "competitor_search_share": 0.25})
    assert persona_rules(rows, dataclasses.replace(Thresholds(), competitor_share=0.2)).tolist() == ["brand_switcher"]


@pytest.mark.parametrize("row, expected", [
    ({}, "never_bought"),
    ({"purchases": 1, "recency_days": 271}, "lost"),
    ({"purchases": 1, "recency_days": 270}, "at_risk"),
    ({"purchases": 1, "recency_days": 181}, "at_risk"),
    ({"purchases": 1, "recency_days": 180}, "active"),
    ({"purchases": 2, "recency_days": 10, "csat_last": 2}, "dissatisfied"),
    ({"purchases": 2, "recency_days": 10, "unresolved_tickets": 1}, "dissatisfied"),
    ({"purchases": 2, "recency_days": 10, "csat_last": 3}, "at_risk"),
    ({"purchases": 2, "recency_days": 10, "csat_last": 4}, "active"),
    ({"purchases": 2, "recency_days": 300, "csat_last": 1}, "lost"),
])
def test_relationship_rules(row, expected):
    assert relationship_rules(feature_rows(row)).tolist() == [expected]


def test_knowledge_types_by_first_action_and_channel():
    rows = feature_rows(
        {"first_page_view_share": 0.8, "first_search_share": 0.2},
        {"first_search_share": 0.6, "first_product_view_share": 0.4},
        {"first_product_view_share": 0.7, "first_page_view_share": 0.3},
        # 0.5 + 0.1 x 1 (search engine) beats 0.5 + 0.1 x 0
        {"first_page_view_share": 0.5, "first_search_share": 0.5, "search_channel_share": 1.0},
        {"first_page_view_share": 0.5, "first_search_share": 0.5},  # a tie goes to the lower type
    )
    out = knowledge_types(rows)
    assert out["knowledge_type"].tolist() == [1, 2, 3, 2, 1]
    assert out["knowledge_type"].dtype == "int64" and out["customer_id"].tolist() == [1, 2, 3, 4, 5]


def test_sales_types_on_tiny_shop(feats):
    out = sales_types(feats.reset_index()).set_index("customer_id")
    # customer 1: half of the searches name "Zentrova"; customer 2: half ask for a sale
    assert out["persona"].tolist() == ["brand_switcher", "discount_seeker"]
    # customer 1 bought 21 days ago, latest CSAT 2; customer 2 never bought
    assert out["relationship"].tolist() == ["dissatisfied", "never_bought"]
    assert out["referred"].tolist() == [False, True]
    assert str(out["persona"].dtype) == "str"
    assert knowledge_types(feats.reset_index())["knowledge_type"].tolist() == [1, 2]


@pytest.mark.parametrize("kwargs", [
    {"competitor_share": -0.1}, {"bargain_share": 1.5}, {"at_risk_days": 300, "lost_days": 200},
    {"impulsive_pace": "fast"}, {"research_views": float("nan")},
    {"abandoned_carts": True},
])
def test_thresholds_bad_values(kwargs):
    with pytest.raises(CustkitError, match="Thresholds"):
        Thresholds(**kwargs)


@pytest.mark.parametrize("func", [persona_rules, relationship_rules, knowledge_types, sales_types])
def test_rules_bad_input(func):
    rows = feature_rows({})
    with pytest.raises(CustkitError, match="thresholds"):
        func(rows, {"competitor_share": 0.2})
    with pytest.raises(CustkitError):
        func(rows.drop(columns=["pace", "recency_days", "first_search_share"]))
    with pytest.raises(CustkitError):
        func(rows.iloc[0:0])


def test_rules_reject_text_features():
    rows = feature_rows({}).astype({"pace": "str", "referred": "str"})
    with pytest.raises(CustkitError, match="pace"):
        persona_rules(rows)
    with pytest.raises(CustkitError, match="referred"):
        sales_types(feature_rows({}).astype({"referred": "str"}))


# ----------------------------------------------------------------------------- grading
def test_grade_by_hand():
    predicted = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5, 6, 7], "persona": _s(list("abbbaca"))})
    truth = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5, 6], "persona": _s(list("aabbcc"))})
    g = grade(predicted, truth)  # customer 7 has no truth and is left out
    assert g.n == 6
    # rows truth a, b, c; columns predicted a, b, c
    assert g.confusion.to_numpy().tolist() == [[1, 1, 0], [0, 2, 0], [1, 0, 1]]
    assert g.confusion.index.name == "truth" and g.confusion.columns.name == "predicted"
    pt_ = g.per_type.set_index("type")
    assert pt_["precision"].tolist() == pytest.approx([1 / 2, 2 / 3, 1.0])
    assert pt_["recall"].tolist() == pytest.approx([1 / 2, 1.0, 1 / 2])
    # F1: a 0.5; b 2(2/3)(1)/(5/3) = 0.8; c 2(1)(1/2)/(3/2) = 2/3
    assert pt_["f1"].tolist() == pytest.approx([0.5, 0.8, 2 / 3])
    assert pt_["support"].tolist() == [2, 2, 2] and pt_["predicted"].tolist() == [2, 3, 1]
    assert g.accuracy == pytest.approx(4 / 6)
    assert g.macro_f1 == pytest.approx((0.5 + 0.8 + 2 / 3) / 3)
    # three-way tie for the majority: the first label, a; F1 of a = 2(1/3)(1)/(4/3) = 0.5
    assert g.baseline_label == "a"
    assert g.baseline_accuracy == pytest.approx(2 / 6)
    assert g.baseline_macro_f1 == pytest.approx(0.5 / 3)
    assert g.summary()["n"] == 6


def test_grade_labels_subset_mapping_and_numbers():
    predicted = pd.DataFrame({"customer_id": [1, 2, 3, 4], "state": _s(["lost", "active", "lost", "active"])})
    truth = pd.DataFrame({"customer_id": [1, 2, 3, 4], "lifecycle_state": _s(["churned", "active", "never", "lost"])})
    g = grade(predicted, truth, column="state", truth_column="lifecycle_state", labels=["active", "lost"],
              mapping={"churned": "lost"})
    # customer 3 (never) is outside the labels; 1 lost->lost, 2 active->active, 4 lost->active
    assert g.n == 3 and g.accuracy == pytest.approx(2 / 3)
    assert g.confusion.loc["lost"].tolist() == [1, 1]
    pred = pd.DataFrame({"customer_id": [1, 2, 3], "knowledge_type": [1, 2, 9]})
    true = pd.DataFrame({"customer_id": [1, 2, 3], "knowledge_type": [1, 2, 3]})
    g = grade(pred, true, column="knowledge_type", labels=[1, 2, 3])
    # the prediction 9 is outside the labels: an error, shown in an extra column
    assert g.accuracy == pytest.approx(2 / 3) and list(g.confusion.columns) == [1, 2, 3, 9]
    assert g.per_type["recall"].tolist() == pytest.approx([1.0, 1.0, 0.0])


def test_grade_bad_input():
    p = pd.DataFrame({"customer_id": [1, 2], "persona": _s(["a", "b"])})
    with pytest.raises(CustkitError, match="persona"):
        grade(p, pd.DataFrame({"customer_id": [1, 2], "type": _s(["a", "b"])}))
    with pytest.raises(CustkitError, match="duplicates"):
        grade(p, pd.DataFrame({"customer_id": [1, 1], "persona": _s(["a", "b"])}))
    with pytest.raises(CustkitError, match="no customer"):
        grade(p, pd.DataFrame({"customer_id": [5, 6], "persona": _s(["a", "b"])}))
    with pytest.raises(CustkitError, match="labels"):
        grade(p, p, labels="ab")
    with pytest.raises(CustkitError, match="mapping"):
        grade(p, p, mapping=[("a", "b")])
    with pytest.raises(CustkitError, match="DataFrame"):
        grade(p, None)


def test_grade_typology_families_and_bad_input():
    predicted = pd.DataFrame({"customer_id": [1, 2], "persona": _s(["searcher", "impulsive"]),
                              "relationship": _s(["active", "never_bought"])})
    truth = pd.DataFrame({"customer_id": [1, 2], "persona": _s(["searcher", "hesitant"]),
                          "knowledge_type": [1, 2], "lifecycle_state": _s(["active", "never_bought"])})
    grades = grade_typology(predicted, truth)
    assert set(grades) == {"persona", "relationship"}
    assert grades["persona"].accuracy == 0.5
    assert grades["relationship"].n == 1  # never_bought is not one of the four graded states
    with pytest.raises(CustkitError, match="label columns"):
        grade_typology(predicted[["customer_id"]], truth)


# ----------------------------------------------------------------------------- tactics
def test_tactics_table():
    t = tactics_table()
    assert len(t) == 11 and t["number"].tolist() == list(range(1, 12))
    assert t["type"].tolist()[:6] == list(PERSONAS)
    assert t["type"].tolist()[6:] == ["active", "lost", "dissatisfied", "at_risk", "referred"]
    assert t.set_index("type").loc["hesitant", "name_fa"] == "مشتری مردد"
    assert t["tactics"].str.len().min() > 40 and t["name_fa"].str.contains("مشتری").all()
    assert len(tactics_table("relationship")) == 5 and len(tactics_table("persona")) == 6
    with pytest.raises(CustkitError, match="family"):
        tactics_table("personas")
    k = knowledge_table()
    assert k["knowledge_type"].tolist() == [1, 2, 3] and k["name_fa"].str.len().min() > 10


# ----------------------------------------------------------------------------- plots
def test_plots_return_labelled_axes(feats):
    predicted = pd.DataFrame({"customer_id": [1, 2, 3, 4], "persona": _s(["a", "b", "b", "a"])})
    truth = pd.DataFrame({"customer_id": [1, 2, 3, 4], "persona": _s(["a", "b", "a", "a"])})
    g = grade(predicted, truth)
    ax = pt.plot_confusion(g.confusion)
    # row-normalised: truth a = 3 customers, 2 called a -> 67 %
    assert [t.get_text() for t in ax.texts] == ["67%", "33%", "0%", "100%"]
    assert ax.get_xlabel() == "Predicted type" and ax.get_ylabel() == "True type"
    ax = pt.plot_confusion(g.confusion, normalize=False)
    assert [t.get_text() for t in ax.texts] == ["2", "1", "0", "1"]
    ax = pt.plot_type_scores(g.per_type)
    assert ax.get_title() and ax.get_ylim() == (0, 1) and len(ax.patches) >= 4
    data = feats.reset_index().assign(persona=_s(["brand_switcher", "discount_seeker"]))
    ax = pt.plot_feature_by_type(data, feature="spend", currency="USD")
    assert "USD" in ax.get_ylabel() and ax.get_title().startswith("Spend by persona")
    assert len(ax.patches) == 2  # one bar per type
    ax = pt.plot_feature_by_type(data, feature="sessions", unit="visits")
    assert ax.get_ylabel() == "Sessions (visits)"
    plt.close("all")


def test_plots_bad_input(feats):
    with pytest.raises(CustkitError):
        pt.plot_confusion(pd.DataFrame({"a": _s(["x"])}))
    with pytest.raises(CustkitError):
        pt.plot_type_scores(pd.DataFrame({"type": ["a"], "precision": [0.5]}))  # no recall column
    with pytest.raises(CustkitError, match="metrics"):
        pt.plot_type_scores(pd.DataFrame({"type": ["a"], "precision": [0.5]}), metrics=[])
    with pytest.raises(CustkitError, match="numbers"):
        pt.plot_feature_by_type(feats.reset_index().assign(persona="x"), feature="main_channel")
    with pytest.raises(CustkitError, match="no values"):
        pt.plot_feature_by_type(feats.reset_index().assign(persona="x", csat_mean=np.nan), feature="csat_mean")
    plt.close("all")


# ----------------------------------------------------------------------------- classroom shop
@pytest.fixture(scope="module")
def classroom():
    from custkit.config import ShopConfig
    from custkit.simulate import generate

    shop = generate(ShopConfig())
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        feats = customer_features(**shop.tables, as_of=shop.config.end_date)
    types = sales_types(feats).merge(knowledge_types(feats), on="customer_id")
    return shop, feats, types, grade_typology(types, shop.truth)


def test_classroom_personas_beat_baseline_but_stay_imperfect(classroom):
    shop, feats, types, grades = classroom
    assert len(feats) == len(shop.customers) == len(types)
    g = grades["persona"]
    assert g.n == len(shop.truth)
    assert g.macro_f1 >= 0.5  # clearly above the majority baseline (about 0.06)
    assert g.macro_f1 > g.baseline_macro_f1 + 0.35 and g.accuracy > g.baseline_accuracy + 0.2
    assert g.accuracy < 0.8  # real rules are imperfect
    assert (g.per_type["recall"] > 0.3).all()  # every persona is found at least in part


def test_classroom_knowledge_and_relationship_beat_baseline(classroom):
    _, _, _, grades = classroom
    k, r = grades["knowledge_type"], grades["relationship"]
    assert k.macro_f1 > k.baseline_macro_f1 + 0.3 and k.accuracy < 0.95
    assert r.macro_f1 > r.baseline_macro_f1 + 0.15
    # Most buyers are lost by the end (customers defect as in CDNOW, Fader, Hardie & Lee 2005: about
    # 60 % of new buyers do not come back within 39 weeks), and a customer who stopped at a recent
    # purchase looks active, so calling
    # everyone lost is right more often than the rules are. The rules still carry information: their
    # "lost" is right clearly more often than the share of lost buyers (seen 0.75-0.8 against 0.6-0.65),
    # and they find the active customers (recall ~0.95).
    lost = r.per_type.set_index("type").loc["lost"]
    assert lost["precision"] > lost["support"] / r.per_type["support"].sum() + 0.08
    assert r.per_type.set_index("type").loc["active", "recall"] > 0.8
