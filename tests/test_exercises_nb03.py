"""Notebook 03's exercises: each solution text is correct, typical mistakes teach, ``...`` is not attempted."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.exercises import nb03


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def ex(shop):
    return nb03.exercises(shop)


def _solve(ex, name, shop):
    ns = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(getattr(ex, name).solution_text, ns)
    return ns["answer"]


@pytest.mark.parametrize("name", ["q1", "q2", "q3", "q4", "q5"])
def test_solution_is_correct(ex, shop, name):
    q = getattr(ex, name)
    assert q.check(_solve(ex, name, shop)).correct
    assert q.check(...).status == "not_attempted"


def test_q1_percent_and_overall_are_explained(ex, shop):
    share = _solve(ex, "q1", shop)
    assert 0 < share < 1
    assert "percentage" in repr(ex.q1.check(100 * share))
    f = ck.funnel.funnel_counts(shop.sessions, by="device")
    row = f[(f["device"] == "mobile") & (f["stage"] == "checkout")].iloc[0]
    # overall = checkout / visits, by definition smaller than checkout / cart here
    assert "overall conversion" in repr(ex.q1.check(float(row["overall_conversion"])))


def test_q2_naming_mistakes(ex, shop):
    f = ck.funnel.funnel_counts(shop.sessions)
    answer = _solve(ex, "q2", shop)
    assert answer == f.sort_values("lost").iloc[-1]["stage"]
    assert "nobody is lost" in repr(ex.q2.check("visit"))
    before = ck.funnel.FUNNEL_STAGES[ck.funnel.FUNNEL_STAGES.index(answer) - 1]
    if before != "visit":
        assert "did not reach" in repr(ex.q2.check(before))


def test_q3_exact_step_ratio_is_rejected(ex, shop):
    ladder = ck.funnel.loyalty_ladder(shop.customers, shop.orders, shop.config.end_date,
                                      sessions=shop.sessions, surveys=shop.surveys)
    counts = ladder["step"].value_counts()
    wrong = counts["repeat_buyer"] / counts["first_time_buyer"]
    assert "exactly" in repr(ex.q3.check(float(wrong)))


def test_q4_censored_customers_are_explained(ex, shop):
    t = ck.funnel.time_to_convert(shop.sessions, shop.orders, shop.config.end_date)
    assert (~t["converted"]).any()
    assert "censored" in repr(ex.q4.check(float(t["days"].median())))


def test_q5_counts_instead_of_rates(ex, shop):
    f = ck.funnel.funnel_counts(shop.sessions, by="channel")
    p = f[f["stage"] == "purchase"]
    most = p.loc[p["reached"].idxmax(), "channel"]
    if most != _solve(ex, "q5", shop):
        assert "rate" in repr(ex.q5.check(most))
    assert not ex.q5.check("nowhere").correct


def test_observation_end_falls_back_to_last_order(shop):
    bare = ck.Shop(tables=shop.tables)
    assert nb03.observation_end(bare) == shop.orders["order_date"].max().normalize()
    assert nb03.observation_end(shop) == pd.Timestamp(shop.config.end_date)
