"""Notebook 04's exercises on the classroom shop and three other seeds: solutions pass, typical
mistakes teach, ``...`` is not attempted, and every question has two levels of hints."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from claims.conftest import SHOPS, shop_named

import custkit as ck
from custkit.exercises import Choice, nb04

NAMES = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return shop_named(request.param)


@pytest.fixture(scope="module")
def ex(shop):
    return nb04.exercises(shop)


def _solve(question, shop):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(question.solution_text, namespace)
    return namespace["answer"]


@pytest.mark.parametrize("name", NAMES)
def test_solution_is_correct_and_dots_are_not_attempted(ex, shop, name):
    question = getattr(ex, name)
    assert question.check(_solve(question, shop)).correct
    assert question.check(...).status == "not_attempted"


@pytest.mark.parametrize("name", NAMES)
def test_two_levels_of_hints_the_first_without_code(ex, name, capsys):
    q = getattr(ex, name)
    assert len(q.hints) == 2
    q.hint()
    assert "hint(2)" in capsys.readouterr().out
    q.hint(2)
    assert q.hints[1] in capsys.readouterr().out
    assert "ck." not in q.hints[0] and "shop." not in q.hints[0]
    assert "ck." in q.hints[1] or "models." in q.hints[1] or "shop." in q.hints[1]
    if isinstance(q.answer, str) and not isinstance(q, Choice):
        assert q.answer not in q.hints[0]


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


def test_q4_is_the_gap_at_the_top_and_mistakes_teach(ex, shop):
    rates = ck.retention.repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.end,
                                            within_days=90).set_index("csat")["repurchase_rate"]
    gap = rates[5] - rates[4]
    assert ex.q4.answer == pytest.approx(gap)
    assert gap > 0.10  # the same kind of answer on every shop: 'satisfied' already buys again far less
    assert "negative" in repr(ex.q4.check(-gap))
    assert "ratio" in repr(ex.q4.check(rates[5] / rates[4]))
    assert "percentage" in repr(ex.q4.check(100 * gap))
    assert "rate after a 5 alone" in repr(ex.q4.check(rates[5]))
    assert ex.q4.check(round(gap, 3)).correct


def test_q5_names_a_customer_and_rejects_truth_and_strategies(ex, shop):
    quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.config.end).set_index("customer_id")
    assert ex.q5.customer_id in quadrants.index
    assert str(ex.q5.customer_id) in ex.q5.question
    assert "hidden truth" in repr(ex.q5.check("active"))
    strategy = ck.retention.QUADRANT_STRATEGIES[ex.q5.answer]
    assert "strategy" in repr(ex.q5.check(strategy))
    by_orders = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.config.end, loyalty="orders")
    other = by_orders.set_index("customer_id").loc[ex.q5.customer_id, "quadrant"]
    if other != ex.q5.answer:
        assert "number of orders" in repr(ex.q5.check(other))


def test_q6_mistakes_teach(ex, shop):
    acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,
                                                   as_of=shop.config.end, margin_rate=1.0)
    revenue_payback = acq.loc[acq["cac"].idxmax(), "payback_months"]
    assert "revenue is not profit" in repr(ex.q6.check(revenue_payback))
    assert "acquisition cost itself" in repr(ex.q6.check(float(acq["cac"].max())))


def test_q7_matches_the_published_projection_and_teaches_units(ex):
    # Fader and Hardie (2007): High End, projected survival at period 12 = 37.8 %
    assert ex.q7.answer == pytest.approx(0.378, abs=0.001)
    assert "percentage" in repr(ex.q7.check(37.8))
    assert "Regular" in repr(ex.q7.check(0.170))


def test_q2_by_hand_equals_period_retention_and_mistakes_teach(ex, shop):
    table = ck.retention.period_retention(shop.orders, as_of=shop.end, freq="Y")
    assert ex.q2.answer == pytest.approx(table["retention"].iloc[-1], rel=1e-12)
    o = shop.orders
    year = o["order_date"].dt.year
    last = int(table["period"].iloc[-1].year)
    every = len(set(o.loc[year == last - 1, "customer_id"]) & set(o.loc[year == last, "customer_id"])) / len(
        set(o.loc[year == last - 1, "customer_id"]))
    assert not np.isclose(every, ex.q2.answer, rtol=1e-3)  # cancelled orders and trade-ins change it
    assert "not a purchase" in repr(ex.q2.check(every))
    buys = o[(o["status"] != "cancelled") & (o["transaction_type"] != "C2B")]
    y = buys["order_date"].dt.year
    before, after = set(buys.loc[y == last - 1, "customer_id"]), set(buys.loc[y == last, "customer_id"])
    assert "last year's buyers" in repr(ex.q2.check(len(before & after) / len(after)))
    assert "churn" in repr(ex.q2.check(1 - ex.q2.answer))


def test_q3_letter_is_computed_from_the_shop_and_the_margin_lever_is_explained(ex, shop):
    r = ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, freq="Y"))
    more_retention = ck.retention.retention_clv(100.0, r + 0.10, 0.10)
    more_margin = ck.retention.retention_clv(110.0, r, 0.10)
    assert more_retention > 1.3 * more_margin  # on every shop retention is the bigger lever, by far
    assert ex.q3.answer == "a"
    assert "exactly ten per cent" in repr(ex.q3.check("b"))
    assert "not close" in repr(ex.q3.check("c"))
    assert "one letter" in repr(ex.q3.check(0.1))


def test_lever_letter_on_hand_made_numbers():
    # r = 0.5, d = 0.1: m r / (1 + d - r) = 100 x 0.5 / 0.6 = 83.3; r + 0.1: 100 x 0.6 / 0.5 = 120;
    # margin 110: 91.7 -> retention wins
    assert nb04.lever_letter(100.0, 0.5, 0.1) == "a"
    # r = 0.005: retention +0.1 gives 100 x 0.105 / 0.995 = 10.55, margin 110 x 0.005 / 1.095 = 0.50
    assert nb04.lever_letter(100.0, 0.005, 0.1) == "a"


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
