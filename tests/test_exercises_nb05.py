"""Notebook 05's exercises: each solution text is correct, typical mistakes teach, ``...`` is not attempted."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb05
from custkit.segmentation import Offer


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def ex(shop):
    return nb05.exercises(shop, offer=Offer(10.0, 0.5, "email"), budget=200)


@pytest.fixture(scope="module")
def rfm(shop):
    seg = ck.segmentation
    return seg.rfm_segments(seg.rfm_scores(seg.rfm_table(shop.orders, shop.config.end_date)))


def _solve(ex, name, shop):
    ns = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, ns)
    return ns["answer"]


@pytest.mark.parametrize("name", ["q1", "q2", "q3", "q4", "q5"])
def test_solution_is_correct(ex, shop, name):
    q = getattr(ex, name)
    assert q.check(_solve(ex, name, shop)).correct
    assert q.check(...).status == "not_attempted"


def test_q1_share_instead_of_count(ex, rfm):
    n = int((rfm["segment"] == "champions").sum())
    assert ex.q1.check(n).correct
    assert "how many customers" in repr(ex.q1.check(n / len(rfm)))


def test_q2_total_instead_of_per_customer(ex, shop):
    ages = ck.segmentation.demographic_profile(shop.customers, shop.orders, shop.config.end_date, by="age_band")
    total = ages.loc[ages["revenue"].idxmax(), "age_band"]
    per = ages.loc[ages["revenue_per_customer"].idxmax(), "age_band"]
    if total != per:
        assert "in total" in repr(ex.q2.check(total))
    assert not ex.q2.check("17-").correct


def test_q3_customer_share_is_explained(ex, rfm):
    p = ck.segmentation.segment_profile(rfm).set_index("segment")
    assert "share of *customers*" in repr(ex.q3.check(float(p.loc["champions", "customer_share"])))
    assert "percentage" in repr(ex.q3.check(100 * float(p.loc["champions", "revenue_share"])))


def test_q4_everyone_is_not_a_rule(ex):
    assert "not one of the rules" in repr(ex.q4.check("everyone"))


def test_q5_all_opt_outs_rejected(ex, shop):
    everyone = int((~shop.customers["marketing_opt_in"]).sum())
    assert "keep only the champions" in repr(ex.q5.check(everyone))


def test_targeting_lists_end_with_random(shop, rfm):
    lists = nb05.targeting_lists(shop, rfm, ["champions", "no_such_segment"])
    assert list(lists) == ["champions", "random"]
    assert len(lists["random"]) == len(shop.customers)


def test_q5_emailable_champions_rejected(ex, shop, rfm):
    actions = ck.segmentation.suggest_actions(rfm, shop.customers)
    champs = actions[actions["segment"] == "champions"]
    emailed = int((champs["channel"] == "email").sum())
    if 2 * emailed != len(champs):
        assert "*can* be e-mailed" in repr(ex.q5.check(emailed))
