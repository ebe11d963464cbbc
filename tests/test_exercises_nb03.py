"""Notebook 03's exercises on the classroom shop and three other seeds: each solution is correct,
typical mistakes teach, ``...`` is not attempted, and every question has two levels of hints."""

import numpy as np
import pandas as pd
import pytest
from claims.conftest import SHOPS, shop_named

import custkit as ck
from custkit.exercises import Choice, nb03

NAMES = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return shop_named(request.param)


@pytest.fixture(scope="module")
def ex(shop):
    return nb03.exercises(shop)


def _solve(ex, name, shop):
    ns = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, ns)
    return ns["answer"]


@pytest.mark.parametrize("name", NAMES)
def test_solution_is_correct(ex, shop, name):
    q = getattr(ex, name)
    assert q.check(_solve(ex, name, shop)).correct
    assert q.check(...).status == "not_attempted"


@pytest.mark.parametrize("name", NAMES)
def test_two_levels_of_hints_the_first_without_the_answer(ex, name, capsys):
    q = getattr(ex, name)
    assert len(q.hints) == 2
    q.hint()
    first = capsys.readouterr().out
    assert "hint(2)" in first
    q.hint(2)
    assert q.hints[1] in capsys.readouterr().out
    # the nudge gives no code and does not name the answer; the code is in the second level
    assert "ck." not in q.hints[0] and "shop." not in q.hints[0]
    assert "ck." in q.hints[1] or "shop." in q.hints[1]
    answer = q.answer
    if isinstance(answer, str) and not isinstance(q, Choice):
        assert answer not in q.hints[0]


def test_q1_percent_and_overall_are_explained(ex, shop):
    share = _solve(ex, "q1", shop)
    assert 0 < share < 1
    assert "percentage" in repr(ex.q1.check(100 * share))
    f = ck.funnel.funnel_counts(shop.sessions, by="device")
    row = f[(f["device"] == "mobile") & (f["stage"] == "checkout")].iloc[0]
    # overall = checkout / visits, by definition smaller than checkout / cart here
    assert "overall conversion" in repr(ex.q1.check(float(row["overall_conversion"])))
    # the table shows three decimals: the rounded value is accepted
    assert ex.q1.check(round(share, 3)).correct


def test_q2_naming_mistakes(ex, shop):
    f = ck.funnel.funnel_counts(shop.sessions)
    answer = _solve(ex, "q2", shop)
    assert answer == f.sort_values("lost").iloc[-1]["stage"]
    assert "nobody is lost" in repr(ex.q2.check("visit"))
    before = ck.funnel.FUNNEL_STAGES[ck.funnel.FUNNEL_STAGES.index(answer) - 1]
    if before != "visit":
        assert "did not reach" in repr(ex.q2.check(before))
    lowest = f.iloc[1:].sort_values("step_conversion").iloc[0]["stage"]
    assert lowest != answer  # on these shops the cart keeps the smallest share, the product page loses most
    assert "lowest step conversion" in repr(ex.q2.check(lowest))


def test_q3_exact_step_ratio_is_rejected(ex, shop):
    ladder = ck.funnel.loyalty_ladder(shop.customers, shop.orders, shop.config.end_date,
                                      sessions=shop.sessions, surveys=shop.surveys)
    counts = ladder["step"].value_counts()
    wrong = counts["repeat_buyer"] / counts["first_time_buyer"]
    assert "exactly" in repr(ex.q3.check(float(wrong)))


def test_q4_censored_and_old_accounts_are_explained(ex, shop):
    t = ck.funnel.time_to_convert(shop.sessions, shop.orders, shop.end)
    assert "opened before the data began" in repr(ex.q4.check(float(t.loc[t["converted"], "days"].median())))
    t = t[t["customer_id"].isin(ck.definitions.opened_since(shop.customers, shop.start))]
    assert (~t["converted"]).any()
    assert "censored" in repr(ex.q4.check(float(t["days"].median())))
    assert "median" in repr(ex.q4.check(float(t.loc[t["converted"], "days"].mean())))


def test_q5_counts_instead_of_rates(ex, shop):
    f = ck.funnel.funnel_counts(shop.sessions, by="channel")
    p = f[f["stage"] == "purchase"]
    most = p.loc[p["reached"].idxmax(), "channel"]
    assert most != _solve(ex, "q5", shop)  # search brings the most purchases, not the best rate
    assert "rate" in repr(ex.q5.check(most))
    assert not ex.q5.check("nowhere").correct


def test_q6_by_hand_equals_the_kit_and_the_exact_stage_count_is_explained(ex, shop):
    stage = shop.sessions["furthest_stage"]
    f = ck.funnel.funnel_counts(shop.sessions).set_index("stage")["reached"]
    assert ex.q6.answer == pytest.approx(f["purchase"] / f["add_to_cart"], rel=1e-12)
    only_cart = (stage == "purchase").sum() / (stage == "add_to_cart").sum()
    assert "passed the cart" in repr(ex.q6.check(float(only_cart)))
    assert "abandonment" in repr(ex.q6.check(1 - ex.q6.answer))
    assert "checkout" in repr(ex.q6.check(float(f["purchase"] / f["checkout"])))
    assert "percentage" in repr(ex.q6.check(100 * ex.q6.answer))


def test_q7_right_letter_comes_from_the_data_and_wrong_ones_teach(ex, shop):
    value = ck.definitions.purchases_until(shop.orders, shop.end)["shop_revenue"].mean()
    gains = ck.funnel.intervention_value(ck.funnel.funnel_counts(shop.sessions), value, uplift=0.05)
    best = gains.loc[gains["value_of_uplift"].idxmax(), "stage"]
    assert ex.q7.answer == {"product_view": "a", "add_to_cart": "b", "checkout": "c", "purchase": "d"}[best]
    assert ex.q7.check(ex.q7.answer.upper()).correct
    assert "downstream_conversion" in repr(ex.q7.check("a")) or ex.q7.answer == "a"
    for wrong in set("abcd") - {ex.q7.answer}:
        assert "value_of_uplift" in repr(ex.q7.check(wrong))
    assert "one letter" in repr(ex.q7.check(3))


def test_observation_end_falls_back_to_last_order():
    shop = shop_named("committed")
    bare = ck.Shop(tables=shop.tables)
    assert nb03.observation_end(bare) == shop.orders["order_date"].max().normalize()
    assert nb03.observation_end(shop) == pd.Timestamp(shop.config.end_date)
