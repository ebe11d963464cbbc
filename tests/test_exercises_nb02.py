"""Notebook 02's exercises: each solution text is correct, typical mistakes teach, ``...`` is not attempted."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.errors import CustkitError
from custkit.exercises import nb02
from tests.claims.conftest import SHOPS, shop_named

NAMES = ["q1", "q2", "q3", "q4", "q5"]


@pytest.fixture(scope="module", params=SHOPS)
def shop(request):
    return shop_named(request.param)


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


def test_two_level_hints(ex):
    for name in NAMES:
        q = getattr(ex, name)
        assert len(q.hints) == 2 and q.hints[0] != q.hints[1]


def test_exercises_without_features_agree(shop, ex):
    lazy = nb02.exercises(shop)
    assert lazy.q1.answer == pytest.approx(ex.q1.answer)


def test_q1_by_hand_equals_the_feature_and_mistakes_teach(ex, shop, feats, solved):
    assert solved["q1"] == pytest.approx(feats["purchases"].mean())
    o = shop.orders
    kept = o[o["transaction_type"].isin(["B2C", "B2B", "C2C"]) & o["status"].isin(["delivered", "returned"])
             & (o["order_date"] < shop.end + pd.Timedelta(days=1))]
    buyers_only = float(kept.groupby("customer_id").size().mean())
    assert buyers_only > solved["q1"]
    assert "buyers only" in repr(ex.q1.check(buyers_only))
    every_order = float(o.groupby("customer_id").size().reindex(feats["customer_id"], fill_value=0).mean())
    assert "every order" in repr(ex.q1.check(every_order))
    assert "do not round" in repr(ex.q1.check(float(round(solved["q1"]))))


def test_q2_answer_follows_the_data_and_wrong_options_teach(ex, feats):
    data = feats.merge(ck.typology.knowledge_types(feats)).astype({"first_session_purchase": "float"})
    means = data.groupby("knowledge_type")[["first_session_purchase", "purchases"]].mean()
    assert means["first_session_purchase"].idxmax() == 3 and means["purchases"].idxmax() == 3
    assert ex.q2.answer == "a"
    assert "smallest share" in repr(ex.q2.check("b"))
    assert "evidence" in repr(ex.q2.check("c"))


def test_q3_recall_is_not_precision(ex, feats, shop, solved):
    per_type = ck.typology.grade_typology(ck.typology.sales_types(feats), shop.truth)["persona"].per_type
    row = per_type.set_index("type").loc[nb02.RECALL_BY_HAND]
    assert solved["q3"] == pytest.approx(row["recall"])
    assert row["precision"] != pytest.approx(row["recall"], abs=1e-3)
    assert "precision" in repr(ex.q3.check(float(row["precision"])))
    called = float((ck.typology.sales_types(feats)["persona"] == nb02.RECALL_BY_HAND).mean())
    assert "true members" in repr(ex.q3.check(called))
    assert "percentage" in repr(ex.q3.check(100 * solved["q3"]))


def test_q4_answer_follows_the_data_and_wrong_options_teach(ex, feats, shop):
    g = ck.typology.grade_typology(ck.typology.sales_types(feats), shop.truth)["relationship"]
    assert g.macro_f1 > g.baseline_macro_f1 and g.accuracy <= g.baseline_accuracy
    assert ex.q4.answer == "b"
    assert "twice the baseline" in repr(ex.q4.check("a"))
    assert "accuracies" in repr(ex.q4.check("c"))


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
    assert ex.q2.answer in ("a", "b", "c")
    with pytest.raises(CustkitError, match="hidden truth"):
        ex.q3.check(0.5)
    with pytest.raises(CustkitError, match="hidden truth"):
        ex.q4.check("b")


def test_observation_end_falls_back_to_last_order(shop):
    bare = ck.Shop(tables=shop.tables)
    assert nb02.observation_end(bare) == shop.orders["order_date"].max().normalize()
    assert nb02.observation_end(shop) == pd.Timestamp(shop.config.end_date)
