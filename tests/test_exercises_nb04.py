"""Notebook 04's exercises on the committed shop: solutions pass, typical mistakes teach, ``...`` is not attempted."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb04


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def ex(shop):
    return nb04.exercises(shop)


def _solve(question, shop):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(question.solution_text, namespace)
    return namespace["answer"]


@pytest.mark.parametrize("name", ["q1", "q2", "q3", "q4", "q5"])
def test_solution_is_correct_and_dots_are_not_attempted(ex, shop, name):
    question = getattr(ex, name)
    assert question.check(_solve(question, shop)).correct
    assert question.check(...).status == "not_attempted"


def test_q1_mistakes_teach(ex, shop):
    r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.config.end, freq="Y"))
    # no discounting: 100 r / (1 - r); this year's margin included: 100 (1.1) / (1.1 - r)
    assert "discount rate" in repr(ex.q1.check(100 * r / (1 - r)))
    assert "this year's margin" in repr(ex.q1.check(110 / (1.1 - r)))
    assert "article's shortcut" in repr(ex.q1.check(100 / (1 - r)))


def test_q1_expected_is_the_margin_multiple(ex, shop):
    r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.config.end, freq="Y"))
    assert 0 < r < 1
    assert ex.q1.answer == pytest.approx(100 * r / (1.1 - r))


def test_q2_mistakes_teach(ex):
    level = ex.q2.answer
    assert 2 <= level <= 5
    assert "already collapsed" in repr(ex.q2.check(level - 1))
    assert "CSAT level" in repr(ex.q2.check(0.5))


def test_q3_names_a_customer_and_rejects_truth_and_strategies(ex, shop):
    quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.config.end).set_index("customer_id")
    assert ex.q3.customer_id in quadrants.index
    assert str(ex.q3.customer_id) in ex.q3.question
    assert "hidden truth" in repr(ex.q3.check("active"))
    strategy = ck.retention.QUADRANT_STRATEGIES[ex.q3.answer]
    assert "strategy" in repr(ex.q3.check(strategy))
    by_orders = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.config.end, loyalty="orders")
    other = by_orders.set_index("customer_id").loc[ex.q3.customer_id, "quadrant"]
    if other != ex.q3.answer:
        assert "number of orders" in repr(ex.q3.check(other))


def test_q4_mistakes_teach(ex, shop):
    acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,
                                                   as_of=shop.config.end, margin_rate=1.0)
    revenue_payback = acq.loc[acq["cac"].idxmax(), "payback_months"]
    assert "revenue is not profit" in repr(ex.q4.check(revenue_payback))
    assert "acquisition cost itself" in repr(ex.q4.check(float(acq["cac"].max())))


def test_q5_matches_the_published_projection_and_teaches_units(ex):
    # Fader and Hardie (2007): High End, projected survival at period 12 = 37.8 %
    assert ex.q5.answer == pytest.approx(0.378, abs=0.001)
    assert "percentage" in repr(ex.q5.check(37.8))
    assert "Regular" in repr(ex.q5.check(0.170))


def test_csat_threshold_on_a_hand_made_curve():
    # rates 0.1, 0.15, 0.2, 0.6, 0.65: the biggest step (0.4) is between levels 3 and 4 -> 4
    curve = pd.DataFrame({"csat": [1, 2, 3, 4, 5], "repurchase_rate": [0.1, 0.15, 0.2, 0.6, 0.65]})
    assert nb04.csat_threshold(curve) == 4
    # level 3 empty (NaN): the step 2 -> 4 (0.45) counts for level 4
    gap = curve.assign(repurchase_rate=[0.1, 0.15, np.nan, 0.6, 0.65])
    assert nb04.csat_threshold(gap) == 4


def test_quadrant_customer_prefers_a_customer_whose_measures_disagree():
    # customer 1: 3 orders on one day (tenure 0, many orders); customer 2: 2 orders 100 days apart;
    # customer 3: one small order. Tenure median 0 -> only customer 2 is loyal by tenure;
    # orders median 2 -> only customer 1 is loyal by orders. Customer 1 is the smallest id that differs.
    orders = pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 2, 3],
        "order_date": pd.to_datetime(["2024-01-01"] * 3 + ["2024-01-01", "2024-04-10", "2024-02-01"]),
        "shop_revenue": [50.0, 50.0, 50.0, 10.0, 10.0, 5.0],
    })
    cid, by_tenure, by_orders = nb04.quadrant_customer(orders, "2024-12-31")
    assert cid == 1
    assert by_tenure == "butterflies" and by_orders == "true friends"
