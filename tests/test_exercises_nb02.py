"""Notebook 02's exercises: each solution text is correct, typical mistakes teach, ``...`` is not attempted."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.errors import CustkitError
from custkit.exercises import nb02

NAMES = ["q1", "q2", "q3", "q4", "q5"]


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


@pytest.fixture(scope="module")
def feats(shop):
    return nb02.shop_features(shop)


@pytest.fixture(scope="module")
def ex(shop, feats):
    return nb02.exercises(shop, features=feats)


@pytest.fixture(scope="module")
def solved(shop, feats):
    """Each solution text run as a student would, with shop, ck, pd, np; the slow feature step is
    replaced by the features already computed (the texts' first line computes exactly those)."""
    out = {}
    for name in NAMES:
        text = getattr(nb02.exercises(shop), name).solution_text
        assert text.startswith(nb02.FEATURES_CODE)
        ns = {"shop": shop, "ck": ck, "pd": pd, "np": np, "feats": feats}
        exec(text[len(nb02.FEATURES_CODE):], ns)
        out[name] = ns["answer"]
    return out


def test_features_line_of_the_solutions_computes_the_same_features(shop, feats):
    ns = {"shop": shop, "ck": ck, "pd": pd, "np": np}
    exec(nb02.FEATURES_CODE, ns)
    pd.testing.assert_frame_equal(ns["feats"], feats)


@pytest.mark.parametrize("name", NAMES)
def test_solution_is_correct(ex, solved, name):
    q = getattr(ex, name)
    assert q.check(solved[name]).correct
    assert q.check(...).status == "not_attempted"
    assert q.check(None).status == "not_attempted"


def test_exercises_without_features_agree(shop, ex):
    lazy = nb02.exercises(shop)
    assert lazy.q1.answer == pytest.approx(ex.q1.answer)


def test_q1_mistakes(ex, shop, feats, solved):
    share = solved["q1"]
    assert 0 < share < 1
    assert "percentage" in repr(ex.q1.check(100 * share))
    truth = shop.truth.set_index("customer_id").loc[feats["customer_id"], "persona"]
    true_share = float((truth == "hesitant").mean())
    assert true_share != pytest.approx(share, rel=1e-3)
    assert "hidden truth" in repr(ex.q1.check(true_share))
    types = ck.typology.sales_types(feats).merge(feats[["customer_id", "purchases"]])
    buyers = float((types.loc[types["purchases"] > 0, "persona"] == "hesitant").mean())
    assert "bought" in repr(ex.q1.check(buyers))


def test_q2_mistakes(ex, feats, solved):
    assert solved["q2"] in (1, 2, 3)
    assert "as a number" in repr(ex.q2.check(str(solved["q2"])))
    counts = ck.typology.knowledge_types(feats)["knowledge_type"].value_counts()
    largest = int(counts.idxmax())
    if largest != solved["q2"]:
        assert "largest knowledge type" in repr(ex.q2.check(largest))
    assert not ex.q2.check(4).correct


def test_q3_precision_is_not_recall(ex, feats, shop, solved):
    per_type = ck.typology.grade_typology(ck.typology.sales_types(feats), shop.truth)["persona"].per_type
    by_precision = per_type.loc[per_type["precision"].idxmax(), "type"]
    assert by_precision != solved["q3"]  # on the classroom shop the two differ, so the lesson shows
    assert "precision" in repr(ex.q3.check(by_precision))
    assert ex.q3.check(solved["q3"].upper()).correct  # names are compared case-insensitively


def test_q4_accuracy_and_baseline_are_explained(ex, feats, shop, solved):
    g = ck.typology.grade_typology(ck.typology.sales_types(feats), shop.truth)["persona"]
    assert g.baseline_macro_f1 < solved["q4"] < 1  # the rules beat always guessing the commonest type
    assert "accuracy" in repr(ex.q4.check(g.accuracy))
    assert "baseline" in repr(ex.q4.check(g.baseline_macro_f1))
    assert "percentage" in repr(ex.q4.check(100 * solved["q4"]))


def test_q5_smallest_value_and_recall_are_explained(ex, feats, shop, solved):
    sweep = ck.typology.tuning.threshold_sweep(feats, shop.truth, nb02.SWEEP_FIELD, list(nb02.SWEEP_VALUES))
    rows = sweep[sweep["type"] == nb02.SWEEP_TYPE].set_index(nb02.SWEEP_FIELD)
    assert rows.loc[solved["q5"], "recall"] >= nb02.RECALL_TARGET
    if solved["q5"] != min(nb02.SWEEP_VALUES):
        assert "largest value" in repr(ex.q5.check(min(nb02.SWEEP_VALUES)))
    assert "threshold value itself" in repr(ex.q5.check(float(rows.loc[solved["q5"], "recall"])))


def test_target_value_by_hand():
    sweep = pd.DataFrame({
        "competitor_share": [0.1, 0.2, 0.3, 0.1, 0.2, 0.3],
        "type": ["brand_switcher"] * 3 + ["searcher"] * 3,
        "recall": [0.7, 0.6, 0.5, 0.1, 0.2, 0.9],
    })
    # brand_switcher reaches 0.6 at 0.1 and 0.2: the largest is 0.2
    assert nb02.target_value(sweep, target=0.6) == pytest.approx(0.2)
    # the default target (0.5) is reached at 0.1, 0.2 and 0.3: the largest is 0.3
    assert nb02.RECALL_TARGET == 0.5 and nb02.target_value(sweep) == pytest.approx(0.3)
    # target 0.8 is never reached: the value with the highest recall (0.7 at 0.1)
    assert nb02.target_value(sweep, target=0.8) == pytest.approx(0.1)
    with pytest.raises(CustkitError, match="no rows of type"):
        nb02.target_value(sweep, type="impulsive")


def test_grading_questions_need_a_truth(shop, feats):
    bare = ck.Shop(tables=shop.tables, config=shop.config)
    ex = nb02.exercises(bare, features=feats)
    assert ex.q1.check(ex.q1.answer).correct  # observed-only questions still work
    with pytest.raises(CustkitError, match="hidden truth"):
        ex.q4.check(0.5)


def test_observation_end_falls_back_to_last_order(shop):
    bare = ck.Shop(tables=shop.tables)
    assert nb02.observation_end(bare) == shop.orders["order_date"].max().normalize()
    assert nb02.observation_end(shop) == pd.Timestamp(shop.config.end_date)
