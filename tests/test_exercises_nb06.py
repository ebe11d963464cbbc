"""Notebook 06's exercises: solutions check as correct, typical mistakes teach, `...` is not attempted."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit import experiments
from custkit.errors import CustkitError
from custkit.exercises import nb06

NAMES = ["q1", "q2", "q3", "q4", "q5"]


def hand_runs() -> pd.DataFrame:
    """A sweep written by hand: the lowest *mean* retention is at 0.3, the lowest single run at 0.5."""
    retention = {0.0: [0.50, 0.52, 0.48], 0.3: [0.36, 0.37, 0.38], 0.5: [0.30, 0.45, 0.46]}
    revenue = {0.0: [300.0, 320.0, 280.0], 0.3: [250.0, 270.0, 260.0], 0.5: [200.0, 230.0, 260.0]}
    rows = []
    for metric, table in [("period_retention", retention), ("revenue_per_customer", revenue)]:
        for value, results in table.items():
            rows += [("late_delivery_rate", value, seed, metric, x) for seed, x in zip([1, 2, 3], results)]
    return pd.DataFrame(rows, columns=["knob", "knob_value", "seed", "metric", "value"])


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def runs():
    return hand_runs()


@pytest.fixture(scope="module")
def ex(shop, runs):
    return nb06.exercises(shop, runs=runs)


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, runs, ex, name):
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np, "runs": runs, "experiments": experiments}
    exec(getattr(ex, name).solution_text, namespace)
    assert getattr(ex, name).check(namespace["answer"]).correct


@pytest.mark.parametrize("name", NAMES)
def test_not_attempted(ex, name):
    assert getattr(ex, name).check(...).status == "not_attempted"
    assert getattr(ex, name).check(None).status == "not_attempted"


def test_q1_expected_by_hand_and_mistakes(ex):
    # means: 0.0 -> 0.50, 0.3 -> 0.37, 0.5 -> 0.403333: the lowest mean is at 0.3
    assert ex.q1.answer == 0.3
    single = ex.q1.check(0.5)  # the lowest single run (0.30) is at 0.5
    assert single.status == "incorrect" and "one seed" in single.message
    rate = ex.q1.check(0.37)  # the lowest mean itself, not where it is
    assert rate.status == "incorrect" and "knob value" in rate.message
    assert not ex.q1.check(0.0).correct


def test_q2_expected_by_hand_and_mistakes(ex):
    # revenue at 0.5: 200, 230, 260 -> mean 230, sd 30; t(0.975, 2) = 4.302653;
    # width = 2 * 4.302653 * 30 / sqrt(3) = 149.0484
    assert ex.q2.answer == pytest.approx(149.0484, abs=1e-3)
    assert ex.q2.check(149.05).correct
    assert "half-width" in ex.q2.check(149.0484 / 2).message
    assert "Student's t" in ex.q2.check(2 * 1.959964 * 30 / np.sqrt(3)).message  # 67.896
    assert "standard deviations" in ex.q2.check(60.0).message  # 2 sd
    assert "sqrt(n)" in ex.q2.check(149.0484 * np.sqrt(3)).message


def test_q3_expected_by_independent_count(shop, ex):
    # Counted with plain Python: distinct purchase days per customer, over the orders that are
    # neither cancelled nor C2B trade-ins; a repeat buyer has at least two distinct days.
    days: dict = {}
    for cid, day, status, kind in zip(shop.orders["customer_id"], shop.orders["order_date"],
                                      shop.orders["status"], shop.orders["transaction_type"]):
        if status != "cancelled" and kind != "C2B":
            days.setdefault(cid, set()).add(day.date())
    assert ex.q3.answer == sum(1 for d in days.values() if len(d) >= 2)


def test_q3_mistakes_teach(shop, ex):
    with_cancelled = nb06.repeat_buyers(shop.orders, drop_statuses=())
    if with_cancelled != ex.q3.answer:
        assert "cancelled" in ex.q3.check(with_cancelled).message
    with_trade_ins = nb06.repeat_buyers(shop.orders, drop_types=())
    if with_trade_ins != ex.q3.answer:
        assert "trade-ins" in ex.q3.check(with_trade_ins).message
    assert "share" in ex.q3.check(0.5).message
    buyers = shop.orders.loc[(shop.orders["status"] != "cancelled") & (shop.orders["transaction_type"] != "C2B"),
                             "customer_id"].nunique()
    assert "every buyer" in ex.q3.check(int(buyers)).message
    assert with_cancelled != ex.q3.answer or with_trade_ins != ex.q3.answer  # at least one trap is live


def test_q4_expected_from_field_metadata(ex):
    d3 = {f.name for f in dataclasses.fields(ck.ShopConfig) if f.metadata["concept"] == "D3"}
    assert ex.q4.answer == d3 and "late_delivery_rate" in d3
    assert ex.q4.check(sorted(d3)).correct  # a list of the same names is fine
    assert "missing" in ex.q4.check({"late_delivery_rate"}).message
    assert "other concepts" in ex.q4.check(d3 | {"seed"}).message
    assert "set of field names" in ex.q4.check("late_delivery_rate").message


def test_q5_paired_by_hand(ex, shop):
    # hand_runs at 0.5 minus 0.0, seed by seed: -0.20, -0.07, -0.02 -> mean -0.09667, sd 0.092916,
    # half = 4.302653 * 0.092916 / sqrt(3) = 0.23082: the interval (-0.3275, 0.1342) holds zero
    assert ex.q5.answer is False
    assert "True or False" in ex.q5.check("no").message


def test_q5_unpaired_reading_is_a_taught_mistake(shop):
    # seeds move together: 0.0 -> [0.50, 0.40, 0.60], 0.5 -> [0.45, 0.36, 0.54]
    # paired differences -0.05, -0.04, -0.06: mean -0.05, sd 0.01, half 4.302653 * 0.01 / sqrt(3) = 0.02484
    # -> excludes zero (True); the unpaired bands (half-width 0.248 at 0.0) overlap -> "no difference" (False)
    rows = [("late_delivery_rate", v, seed, "period_retention", x)
            for v, xs in [(0.0, [0.50, 0.40, 0.60]), (0.5, [0.45, 0.36, 0.54])] for seed, x in zip([1, 2, 3], xs)]
    runs = pd.DataFrame(rows, columns=["knob", "knob_value", "seed", "metric", "value"])
    ex = nb06.exercises(shop, runs=runs)
    assert ex.q5.answer is True and ex.q5.check(True).correct
    result = ex.q5.check(False)
    assert result.status == "incorrect" and "unpaired" in result.message


def test_sweep_questions_need_the_sweep(shop):
    plain = nb06.exercises(shop)
    with pytest.raises(CustkitError, match="runs=runs"):
        plain.q1.check(0.3)
    assert plain.q3.check(...).status == "not_attempted"


def test_sweep_without_the_metric_is_explained(shop, runs):
    only_revenue = runs[runs["metric"] == "revenue_per_customer"]
    with pytest.raises(CustkitError, match="period_retention"):
        nb06.exercises(shop, runs=only_revenue).q1.check(0.3)


def test_bad_input_raises():
    with pytest.raises(AttributeError):
        nb06.exercises(None)
