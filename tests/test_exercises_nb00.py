"""Notebook 00's exercises: on the classroom shop and three other seeds every solution checks as
correct, and a typical mistake of each exercise is told what it got wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit import tour
from custkit.exercises import nb00
from tests.claims.conftest import SHOPS, shop_named

NAMES = ["warmup", "q1", "q2", "q3", "q4", "q5"]


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return shop_named(request.param)


@pytest.fixture(scope="module")
def ex(shop):
    return nb00.exercises(shop)


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, ex, name):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np, "tour": tour}
    exec(getattr(ex, name).solution_text, namespace)
    assert getattr(ex, name).check(namespace["answer"]).correct


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted_and_two_level_hints(ex, name, capsys):
    q = getattr(ex, name)
    assert q.check(...).status == "not_attempted"
    assert len(q.hints) == 2 and q.hints[0] != q.hints[1]
    q.hint()
    q.hint(2)
    out = capsys.readouterr().out
    assert q.hints[0] in out and q.hints[1] in out and "hint(2)" in out


def test_expected_values_by_independent_counts(shop, ex):
    # Counted here with plain Python over the rows, not with the exercise's pandas code.
    assert ex.warmup.answer == sum(1 for _ in shop.products.itertuples())
    statuses = shop.orders["status"].tolist()
    assert ex.q2.answer == pytest.approx(statuses.count("returned") / len(statuses))
    assert ex.q3.answer in set(shop.customers["acquisition_channel"])
    pairs = [(d, p) for d, p in zip(shop.orders["delivered_date"], shop.orders["promised_date"]) if not pd.isna(d)]
    assert ex.q1.answer == pytest.approx(sum(d > p for d, p in pairs) / len(pairs))


def test_q1_agrees_with_the_fact_sheet(shop, ex):
    # the kit's fact sheet prints the same share, as a percentage with one decimal
    facts = tour.shop_facts(shop.tables).set_index("fact")["value"]
    assert facts["share of delivered orders that came late"] == f"{ex.q1.answer:.1%}"
    assert ex.q1.check(round(ex.q1.answer, 3)).correct  # the printed precision is accepted


def test_q1_mistakes_teach(shop, ex):
    o = shop.orders
    all_orders = float((o["delivered_date"] > o["promised_date"]).mean())
    assert "cancelled" in ex.q1.check(all_orders).message
    delivered = o[o["delivered_date"].notna()]
    on_the_day = float((delivered["delivered_date"] >= delivered["promised_date"]).mean())
    assert "compare with >" in ex.q1.check(on_the_day).message
    assert "percentage" in ex.q1.check(100 * ex.q1.answer).message
    assert "do not round" in ex.q1.check(round(ex.q1.answer, 1)).message


def test_warmup_mistake_categories(shop, ex):
    result = ex.warmup.check(shop.products["category"].nunique())
    assert result.status == "incorrect" and "categories" in result.message


def test_q2_percent_and_cancelled_mistakes(shop, ex):
    share = ex.q2.answer
    assert "percentage" in ex.q2.check(share * 100).message
    both = shop.orders["status"].isin(["returned", "cancelled"]).mean()
    assert "cancelled" in ex.q2.check(float(both)).message
    assert not ex.q2.check(share + 0.05).correct


def test_q3_wrong_type_and_sessions_teach(shop, ex):
    result = ex.q3.check(1234)
    assert result.status == "incorrect" and "as text" in result.message
    by_visits = shop.sessions["channel"].value_counts().idxmax()
    if by_visits != ex.q3.answer:
        assert "sessions" in ex.q3.check(by_visits).message


def test_q4_short_weekday_teaches(ex):
    short = ex.q4.answer[:3]
    result = ex.q4.check(short)
    assert result.status == "incorrect" and "in full" in result.message
    assert ex.q4.check(ex.q4.answer.upper()).correct  # case does not matter


def test_q5_answer_follows_the_data_and_wrong_options_teach(shop, ex):
    lift = tour.promotion_lift(shop.orders, shop.campaigns, start=shop.start, end=shop.end)
    black_friday = lift[lift["name"].str.startswith("Black Friday")]
    assert len(black_friday) == 2
    assert (black_friday["day_lift"] > 1.5).all() and (black_friday["week_lift"] < black_friday["day_lift"]).all()
    assert ex.q5.answer == "b"
    assert "day_lift" in ex.q5.check("a").message
    # option (c) is false on the data: some promotion weeks are not the busiest of their year
    weeks = tour.weekly_orders(shop.orders, shop.campaigns, start=shop.start, end=shop.end)
    busiest = weeks.groupby(weeks["week"].dt.year)["orders"].transform("max")
    assert (weeks["promotion_week"] & (weeks["orders"] < busiest)).any()
    assert "Christmas" in ex.q5.check("c").message
    assert "one letter" in ex.q5.check(2).message


def test_bad_input_raises():
    with pytest.raises(ck.CustkitError, match="needs a custkit Shop"):
        nb00.exercises(None)


def test_q1_scorecard_late_row_teaches(shop, ex):
    # the scorecard's late row counts purchases only; a student who copies it is told so
    card = ck.realism.scorecard(shop).set_index("metric")
    copied = card.loc["late_delivery_share", "value"] / 100
    result = ex.q1.check(copied)
    if abs(copied - ex.q1.answer) > 0.0005:
        assert result.status == "incorrect"
        assert "scorecard" in result.message and "trade-ins" in result.message
    else:  # equal at the printed precision (three decimals): accepted
        assert result.correct


def test_q1_scorecard_row_is_told_apart_on_the_classroom_shop():
    shop = shop_named("committed")
    ex = nb00.exercises(shop)
    copied = ck.realism.scorecard(shop).set_index("metric").loc["late_delivery_share", "value"] / 100
    assert "scorecard" in ex.q1.check(copied).message


def test_q2_scorecard_returns_row_teaches(shop, ex):
    card = ck.realism.scorecard(shop).set_index("metric")
    of_purchases = card.loc["returned_share", "value"]
    assert of_purchases / 100 > ex.q2.answer + 0.005
    for copied in (of_purchases / 100, round(of_purchases / 100, 3), of_purchases, round(of_purchases, 1)):
        result = ex.q2.check(copied)
        assert result.status == "incorrect"
        assert "scorecard" in result.message and "len(shop.orders)" in result.message
    assert ex.q2.check(ex.q2.answer).correct
