"""Notebook 06's exercises: solutions check as correct, typical mistakes teach, `...` is not attempted.

Every solution is checked on the committed shop and seeds 1-3, with the sweep the notebook runs
(its parameters cell) and a second sweep on seeds 4-6; the hand-written sweeps below pin the
expected values and the mistakes down exactly.
"""

from __future__ import annotations

import dataclasses
import functools
import re

import nbformat
import numpy as np
import pandas as pd
import pytest
from scipy import stats

import custkit as ck
from custkit import experiments
from custkit.errors import CustkitError
from custkit.exercises import nb06
from claims.conftest import SHOPS, shop_named
from claims.test_06_research_playground import NOTEBOOK, SEED_SETS, notebook_sweep, seeds_of, six_customer_history

NAMES = ["q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8"]


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


def run_solution(exercise, shop, runs) -> dict:
    namespace = {"shop": shop, "ck": ck, "pd": pd, "np": np, "runs": runs, "experiments": experiments,
                 "history": six_customer_history()}
    exec(exercise.solution_text, namespace)
    return namespace


@pytest.mark.parametrize("name", NAMES)
def test_solution_text_runs_and_is_correct(shop, runs, ex, name):
    assert getattr(ex, name).check(run_solution(getattr(ex, name), shop, runs)["answer"]).correct


@functools.cache
def sweep_runs(seed_set) -> pd.DataFrame:
    """The notebook's sweep (its parameters) on its own seeds or on seeds 4-6."""
    return notebook_sweep(seeds_of(seed_set))[0]


@pytest.mark.parametrize("seed_set", SEED_SETS, ids=["notebook_seeds", "seeds_4_5_6"])
@pytest.mark.parametrize("shop_name", SHOPS)
def test_every_solution_is_correct_on_four_shops_and_two_sweeps(shop_name, seed_set):
    shop, runs = shop_named(shop_name), sweep_runs(seed_set)
    ex = nb06.exercises(shop, runs=runs)
    for name in NAMES:
        result = getattr(ex, name).check(run_solution(getattr(ex, name), shop, runs)["answer"])
        assert result.correct, (name, result)


@pytest.mark.parametrize("name", NAMES)
def test_two_level_hints_the_first_does_not_give_the_answer_away(ex, name, capsys):
    exercise = getattr(ex, name)
    assert len(exercise.hints) == 2 and exercise.hints[0] != exercise.hints[1]
    code = [line.strip() for line in exercise.solution_text.splitlines() if len(line.strip()) > 15]
    assert not any(line in exercise.hints[0] for line in code)
    assert "answer =" not in exercise.hints[0] and "idxm" not in exercise.hints[0]
    exercise.hint()
    first = capsys.readouterr().out
    assert exercise.hints[0] in first and "hint(2)" in first
    exercise.hint(2)
    assert exercise.hints[1] in capsys.readouterr().out


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


# ------------------------------------------------------------------ Q1-Q5 on the real sweeps and shops


@pytest.mark.parametrize("seed_set", SEED_SETS, ids=["notebook_seeds", "seeds_4_5_6"])
def test_sweep_mistakes_teach_on_the_real_sweeps(shop, seed_set):
    runs = sweep_runs(seed_set)
    ex = nb06.exercises(shop, runs=runs)
    summary = experiments.summarise_sweep(runs)
    ret = summary[summary["metric"] == "period_retention"]
    assert "knob value" in ex.q1.check(float(ret["mean"].min())).message
    rev = summary[summary["metric"] == "revenue_per_customer"]
    top = rev.loc[rev["knob_value"].idxmax()]
    assert ex.q2.check(float(top["ci_high"] - top["ci_low"])).correct
    assert "half-width" in ex.q2.check(float(top["ci_high"] - top["ci_low"]) / 2).message
    assert "True or False" in ex.q5.check("yes").message


@pytest.mark.parametrize("shop_name", SHOPS)
def test_q3_on_four_shops_by_independent_count_and_its_mistakes(shop_name):
    shop = shop_named(shop_name)
    ex = nb06.exercises(shop)
    days: dict = {}
    for cid, day, status, kind in zip(shop.orders["customer_id"], shop.orders["order_date"],
                                      shop.orders["status"], shop.orders["transaction_type"]):
        if status != "cancelled" and kind != "C2B":
            days.setdefault(cid, set()).add(day.date())
    assert ex.q3.answer == sum(1 for d in days.values() if len(d) >= 2)
    with_cancelled = nb06.repeat_buyers(shop.orders, drop_statuses=())
    assert with_cancelled != ex.q3.answer and "cancelled" in ex.q3.check(with_cancelled).message
    with_trade_ins = nb06.repeat_buyers(shop.orders, drop_types=())
    assert with_trade_ins != ex.q3.answer
    if with_trade_ins != with_cancelled:  # on seed 3 both mistakes give the same count
        assert "trade-ins" in ex.q3.check(with_trade_ins).message
    buyers = len(days)
    assert "every buyer" in ex.q3.check(buyers).message


# ---------------------------------------------------------------------- Q6: the interval by hand


def q6_numbers(values, *, q=0.975, df_less=1, ddof=1, root=True, z=False, sign=1.0) -> float:
    n = len(values)
    t = 1.959964 if z else stats.t.ppf(q, n - df_less)
    return float(np.mean(values) + sign * t * np.std(values, ddof=ddof) / (np.sqrt(n) if root else 1.0))


def test_q6_expected_by_hand(ex):
    # hand_runs at 0.5: 0.30, 0.45, 0.46 -> mean 0.403333, sd 0.089629; t(0.975, 2) = 4.302653
    # ci_high = 0.403333 + 4.302653 * 0.089629 / sqrt(3) = 0.625983
    assert ex.q6.answer == pytest.approx(0.625983, abs=1e-6)
    assert ex.q6.check(q6_numbers([0.30, 0.45, 0.46])).correct


@pytest.mark.parametrize("variant, words", [
    ({"z": True}, "Student's t"),
    ({"ddof": 0}, "ddof=0"),
    ({"root": False}, "sqrt(n)"),
    ({"df_less": 0}, "n - 1"),
    ({"q": 0.95}, "90 %"),
    ({"sign": -1.0}, "lower end"),
])
def test_q6_typical_mistakes_teach(ex, variant, words):
    result = ex.q6.check(q6_numbers([0.30, 0.45, 0.46], **variant))
    assert result.status == "incorrect" and words in result.message


def test_q6_other_rows_teach(ex):
    assert "first knob value" in ex.q6.check(q6_numbers([0.50, 0.52, 0.48])).message
    pooled = [0.50, 0.52, 0.48, 0.36, 0.37, 0.38, 0.30, 0.45, 0.46]
    assert "pools" in ex.q6.check(q6_numbers(pooled)).message
    assert "close: do not round" in ex.q6.check(round(ex.q6.answer, 3)).message


@pytest.mark.parametrize("seed_set", SEED_SETS, ids=["notebook_seeds", "seeds_4_5_6"])
def test_q6_on_the_real_sweeps_equals_summarise_sweep_and_rejects_1_96(shop, seed_set):
    runs = sweep_runs(seed_set)
    ex = nb06.exercises(shop, runs=runs)
    summary = experiments.summarise_sweep(runs)
    ret = summary[summary["metric"] == "period_retention"]
    assert ex.q6.answer == pytest.approx(float(ret.loc[ret["knob_value"].idxmax(), "ci_high"]), rel=1e-12)
    one = runs[(runs["metric"] == "period_retention") & (runs["knob_value"] == runs["knob_value"].max())]
    assert ex.q6.check(q6_numbers(one["value"].to_numpy())).correct
    assert "Student's t" in ex.q6.check(q6_numbers(one["value"].to_numpy(), z=True)).message
    assert "ddof=0" in ex.q6.check(q6_numbers(one["value"].to_numpy(), ddof=0)).message


# ------------------------------------------------------------------ readable: the notebook's tables


def test_readable_prints_shares_at_3_decimals_and_money_in_whole_units():
    runs = pd.DataFrame({"knob": "late_delivery_rate", "knob_value": [0.0, 0.0, 0.0], "seed": [1, 1, 1],
                         "metric": ["period_retention", "revenue_per_customer", "customer_equity"],
                         "value": [0.39812, 296.382, 35255.5]})
    shown = experiments.readable_sweep(runs)
    assert shown["value"].tolist() == ["0.398", "296", "35,256"]
    assert shown[["knob", "knob_value", "seed", "metric"]].equals(runs[["knob", "knob_value", "seed", "metric"]])
    assert runs["value"].tolist() == [0.39812, 296.382, 35255.5]  # the table itself is left alone
    summary = experiments.summarise_sweep(pd.concat([runs, runs.assign(seed=2, value=[0.41, 300.0, 40000.4])]))
    shown = experiments.readable_sweep(summary)
    row = shown.set_index("metric").loc["customer_equity"]
    assert row["mean"] == "37,628" and row["sd"] == "3,355" and "." not in row["ci_low"] + row["ci_high"]
    assert shown.set_index("metric").loc["period_retention", "mean"] == "0.404"
    assert (shown["n"] == 2).all()  # counts stay numbers
    assert experiments.readable_sweep(summary.assign(sd=np.nan))["sd"].eq("").all()


def test_readable_tables_of_the_notebook_show_no_cents_and_no_long_decimals():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    outputs = [o for c in notebook.cells if c.cell_type == "code" and "experiments.readable_sweep(" in c.source
               for o in c.outputs if "data" in o]
    assert len(outputs) == 2
    for output in outputs:
        text = output["data"]["text/plain"]
        assert re.search(r"\d{1,3},\d{3}(?![.,\d])", text)            # money in whole units
        assert not re.search(r"\d{3}\.\d", text.replace("0.", "#."))  # no money with decimals
        assert not re.search(r"\d\.\d{4}", text)                     # nothing beyond 3 decimals


# ----------------------------------------------------------------- Q7: reading a paired interval


def two_value_runs(low, high) -> pd.DataFrame:
    rows = [("late_delivery_rate", v, seed, "period_retention", x)
            for v, xs in [(0.0, low), (0.15, high)] for seed, x in zip([1, 2, 3], xs)]
    return pd.DataFrame(rows, columns=["knob", "knob_value", "seed", "metric", "value"])


def test_q7_answer_follows_the_interval(shop, ex):
    # hand_runs, 0.3 against 0.0: -0.14, -0.15, -0.10 -> mean -0.13, sd 0.02646, half 0.0657: below zero
    assert ex.q7.answer == "a"
    # changes -0.10, +0.02, -0.01: mean -0.03, sd 0.0624, half 0.155: straddles zero
    assert nb06.exercises(shop, runs=two_value_runs([0.5, 0.4, 0.6], [0.4, 0.42, 0.59])).q7.answer == "b"
    # changes +0.05, +0.04, +0.06: above zero
    assert nb06.exercises(shop, runs=two_value_runs([0.5, 0.4, 0.6], [0.55, 0.44, 0.66])).q7.answer == "e"


def test_q7_on_the_real_sweeps(shop):
    # seeds 1-3: the first step's paired interval straddles zero; seeds 4-6: it lies below zero
    assert nb06.exercises(shop, runs=sweep_runs("notebook")).q7.answer == "b"
    assert nb06.exercises(shop, runs=sweep_runs((4, 5, 6))).q7.answer == "a"


def test_q7_wrong_readings_teach(shop):
    ex = nb06.exercises(shop, runs=sweep_runs("notebook"))
    assert "not the same as no effect" in ex.q7.check("c").message
    assert "by chance" in ex.q7.check("d").message
    assert "ci_high" in ex.q7.check("a").message
    assert "one letter" in ex.q7.check(0.023).message
    assert ex.q7.check("(b)").correct
    assert "(e)" in repr(ex.q7)


# --------------------------------------------------------------------- Q8: reading the refusal


def word_runs(text: str, n: int = 5) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words of ``text`` (lower case, punctuation dropped)."""
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}


@functools.cache
def notebook_prose() -> str:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    return "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")


@pytest.mark.parametrize("name", ["q7", "q8"])
def test_no_option_is_a_quote_of_the_notebook_or_the_refusal(ex, name):
    """An option must be reasoned out, not recognised: no five words in a row of it appear in the
    notebook's prose or in the kit's refusal (the old Q7 (b) and Q8 (b) did)."""
    with pytest.raises(CustkitError) as refusal:
        ck.retention.BetaGeoNBD().fit(six_customer_history())
    for letter, text in getattr(ex, name).options.items():
        shared = word_runs(text) & (word_runs(notebook_prose()) | word_runs(str(refusal.value)))
        assert not shared, (name, letter, shared)


def test_q8_right_answer_applies_the_refusals_second_way_out(shop, ex):
    with pytest.raises(CustkitError) as refusal:
        ck.retention.BetaGeoNBD().fit(six_customer_history())
    message = str(refusal.value)
    assert "hundreds of customers" in message and "set_params" in message  # the two ways out
    assert "more customers" in ex.q8.question  # the first way is closed in the question
    assert "set_params" in ex.q8.options["b"] and "hundreds of customers" not in ex.q8.options["b"]
    assert ex.q8.check("b").correct
    # option (b) is sound: known values from the shop's fit give a prediction for each of the six
    buys = ck.definitions.purchases_until(shop.orders, shop.end)
    fitted = ck.retention.BetaGeoNBD().fit(ck.transactions.customer_summary(buys, as_of=shop.end, freq="W"))
    history = six_customer_history()
    alive = ck.retention.BetaGeoNBD().set_params(**dict(fitted.params_)).probability_alive(
        history["frequency"], history["recency"], history["T"])
    assert len(alive) == 6 and np.all((alive > 0) & (alive <= 1))
    assert alive[history["frequency"].to_numpy() == 0].max() == 1.0  # no repeat purchase: no sign of leaving
    assert alive.min() < 1.0


def test_q8_dropping_the_one_time_buyers_leaves_the_model_no_better_off():
    """Option (d) fails: the four repeat buyers alone cannot pin the model down either."""
    history = six_customer_history()
    with pytest.raises(CustkitError, match="cannot pin down"):
        ck.retention.BetaGeoNBD().fit(history[history["frequency"] > 0])


def test_q8_wrong_answers_teach(ex):
    assert "mean nothing" in ex.q8.check("a").message
    assert "further" in ex.q8.check("c").message
    assert "worse" in ex.q8.check("d").message
