"""Notebook 05's exercises: every solution is right on four shops, typical mistakes teach, ``...`` is not attempted."""

import functools

import numpy as np
import pandas as pd
import pytest
from claims.conftest import SHOPS, shop_named

import custkit as ck
from custkit.exercises import nb05
from custkit.segmentation import Offer

OFFER = Offer(10.0, 0.1, "email")
NAMES = ["q1", "q2", "q3", "q4", "q5", "q6"]


@functools.cache
def ex_for(name):
    return nb05.exercises(shop_named(name), offer=OFFER, budget=400, holdout=0.5)


@pytest.fixture(scope="module")
def shop():
    return shop_named("committed")


@pytest.fixture(scope="module")
def ex():
    return ex_for("committed")


@pytest.fixture(scope="module")
def rfm(shop):
    seg = ck.segmentation
    return seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.end)))


def _solve(ex, q, shop):
    ns = {"shop": shop, "ck": ck, "pd": pd, "np": np, "ex": ex}
    if q == "q4":  # the notebook's experiment table is in scope there
        seg = ck.segmentation
        rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.end)))
        ns["experiment"] = seg.compare_targeting(shop, nb05.targeting_lists(shop, rfm), OFFER, budget=400, holdout=0.5)
    exec(getattr(ex, q).solution_text, ns)
    return ns["answer"]


@pytest.mark.parametrize("shop_name", SHOPS)
@pytest.mark.parametrize("q", NAMES)
def test_solution_is_correct_on_four_shops(shop_name, q):
    ex, shop = ex_for(shop_name), shop_named(shop_name)
    assert getattr(ex, q).check(_solve(ex, q, shop)).correct
    assert getattr(ex, q).check(...).status == "not_attempted"


@pytest.mark.parametrize("q", NAMES)
def test_every_question_has_two_hints(ex, q):
    assert len(getattr(ex, q).hints) == 2


def test_q1_counting_every_order_or_a_share_is_explained(ex, shop, rfm):
    assert ex.q1.check(int((rfm["frequency"] >= 6).sum())).correct
    upto = shop.orders[shop.orders["order_date"] < shop.end + pd.Timedelta(days=1)]
    all_orders = int((upto.groupby("customer_id").size() >= 6).sum())
    assert all_orders != ex.q1.answer  # the trap exists on this shop
    assert "cancelled ones and trade-ins" in ex.q1.check(all_orders).message
    assert "share of the buyers" in ex.q1.check(ex.q1.answer / len(rfm)).message
    strictly = int((rfm["frequency"] > 6).sum())
    assert "use >=" in ex.q1.check(strictly).message


def test_q2_small_provinces_and_per_customer_are_explained(ex, shop):
    places = ck.segmentation.demographic_profile(shop.customers, shop.orders, shop.end, by="province")
    overall = places.loc[places["revenue_per_buyer"].idxmax(), "province"]
    big = places[places["customers"] >= 100]
    assert overall != ex.q2.answer  # the trap exists on this shop
    assert "fewer than 100" in ex.q2.check(overall).message
    total = big.loc[big["revenue"].idxmax(), "province"]
    if total != ex.q2.answer:
        assert "in total" in ex.q2.check(total).message
    assert "expected a name" in ex.q2.check(3).message


def test_q3_customer_share_and_percentage_are_explained(ex, rfm):
    p = ck.segmentation.segment_profile(rfm).set_index("segment")
    assert ex.q3.check(round(float(p.loc["champions", "revenue_share"]), 2)).correct  # printed precision
    assert "share of *customers*" in ex.q3.check(float(p.loc["champions", "customer_share"])).message
    assert "percentage" in ex.q3.check(100 * float(p.loc["champions", "revenue_share"])).message


def test_q4_rolls_out_to_the_reachable_customers_only(ex, shop):
    seg = ck.segmentation
    rfm = seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.end)))
    table = seg.compare_targeting(shop, nb05.targeting_lists(shop, rfm), OFFER, budget=400, holdout=0.5)
    best = table.loc[table["true_profit_per_contact"].idxmax()]
    assert best["rule"] != "champions"
    assert ex.q4.check(best["true_profit_per_contact"] * best["reachable"]).correct
    assert "agreed to marketing e-mail" in ex.q4.check(best["true_profit_per_contact"] * best["list_size"]).message
    assert "every responder" in ex.q4.check(best["response_profit_per_contact"] * best["reachable"]).message
    assert "one contact" in ex.q4.check(best["true_profit_per_contact"]).message
    assert "expected a number" in ex.q4.check(best["rule"]).message


def test_q5_all_opt_outs_rejected(ex, shop, rfm):
    everyone = int((~shop.customers["marketing_opt_in"]).sum())
    assert "keep only the champions" in ex.q5.check(everyone).message
    actions = ck.segmentation.suggest_actions(rfm, shop.customers)
    champs = actions[actions["segment"] == "champions"]
    emailed = int((champs["channel"] == "email").sum())
    if 2 * emailed != len(champs):
        assert "*can* be e-mailed" in ex.q5.check(emailed).message


def test_q6_each_wrong_option_teaches(ex):
    assert ex.q6.check("b").correct
    assert "cost_per_contact" in ex.q6.check("a").message
    assert "do read it" in ex.q6.check("c").message
    assert "did interest them" in ex.q6.check("d").message
    assert "one letter" in ex.q6.check("e").message


def test_targeting_lists_end_with_random(shop, rfm):
    lists = nb05.targeting_lists(shop, rfm, ["champions", "no_such_segment"])
    assert list(lists) == ["champions", "random"]
    assert len(lists["random"]) == len(shop.customers)
