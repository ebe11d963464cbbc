"""Tests for custkit.typology.tuning.threshold_sweep on a hand-built case of four customers."""

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.typology import Thresholds
from custkit.typology.tuning import threshold_sweep


def _features() -> pd.DataFrame:
    # Four customers, each with 4 searches except c4 (none). Share of searches naming a rival brand:
    # c1 0.5 (2 searches), c2 0.25 (1), c3 0.25 (1), c4 none. Everything else is neutral (pace 1,
    # one product view per visit, no purchase, no cart, no ticket), so no other persona rule fires
    # and whoever is not a brand switcher falls through to "searcher".
    n = 4
    return pd.DataFrame({
        "customer_id": [1, 2, 3, 4],
        "searches": [4, 4, 4, 0],
        "competitor_search_share": [0.5, 0.25, 0.25, np.nan],
        "bargain_search_share": [0.0, 0.0, 0.0, np.nan],
        "purchases": [0] * n,
        "offer_order_share": [np.nan] * n,
        "product_views_per_session": [1.0] * n,
        "pace": [1.0] * n,
        "first_session_purchase": [False] * n,
        "cart_abandon_rate": [np.nan] * n,
        "carts_abandoned": [0] * n,
        "cancel_rate": [np.nan] * n,
        "advice_tickets": [0] * n,
    })


TRUTH = pd.DataFrame({"customer_id": [1, 2, 3, 4],
                      "persona": ["brand_switcher", "brand_switcher", "searcher", "searcher"]})


def test_sweep_trades_precision_for_recall_by_hand():
    out = threshold_sweep(_features(), TRUTH, "competitor_share", [0.2, 0.4])
    assert list(out.columns) == ["competitor_share", "type", "precision", "recall", "f1", "support",
                                 "predicted", "macro_f1"]
    assert len(out) == 2 * 6  # six persona types per value
    bs = out[out["type"] == "brand_switcher"].set_index("competitor_share")
    # 0.2: c1, c2, c3 called switchers (share >= 0.2 and >= 1 rival search): 2 of 3 right, both found
    assert bs.loc[0.2, "predicted"] == 3
    assert bs.loc[0.2, "precision"] == pytest.approx(2 / 3)
    assert bs.loc[0.2, "recall"] == pytest.approx(1.0)
    # 0.4: only c1 is called a switcher: always right, but finds 1 of 2
    assert bs.loc[0.4, "precision"] == pytest.approx(1.0)
    assert bs.loc[0.4, "recall"] == pytest.approx(0.5)
    se = out[out["type"] == "searcher"].set_index("competitor_share")
    # 0.4: searchers predicted c2, c3, c4, of whom c3, c4 are searchers: precision 2/3, recall 2/2
    assert se.loc[0.4, "precision"] == pytest.approx(2 / 3)
    assert se.loc[0.4, "recall"] == pytest.approx(1.0)
    # macro F1 at 0.4: switcher F1 = 2*1*0.5/1.5 = 2/3, searcher F1 = 2*(2/3)*1/(5/3) = 0.8,
    # the four types nobody has score 0: (2/3 + 0.8) / 6
    assert bs.loc[0.4, "macro_f1"] == pytest.approx((2 / 3 + 0.8) / 6)


def test_sweep_keeps_other_thresholds_and_leaves_input_alone():
    feats = _features()
    before = feats.copy()
    # with at least 2 rival searches required, c2 and c3 (1 each) never qualify
    strict = Thresholds(competitor_searches=2)
    out = threshold_sweep(feats, TRUTH, "competitor_share", [0.2], thresholds=strict)
    bs = out[out["type"] == "brand_switcher"].iloc[0]
    assert bs["predicted"] == 1 and bs["recall"] == pytest.approx(0.5)
    pd.testing.assert_frame_equal(feats, before)


def test_sweep_other_families():
    feats = _features().assign(
        purchases=[1, 0, 1, 1], recency_days=[10.0, np.nan, 400.0, 200.0], csat_last=[5.0, np.nan, 5.0, 5.0],
        unresolved_tickets=[0, 0, 0, 0], referred=[False] * 4,
    )
    truth = TRUTH.assign(lifecycle_state=["active", "never_bought", "lost", "lost"])
    out = threshold_sweep(feats, truth, "lost_days", [270, 180], family="relationship")
    lost = out[out["type"] == "lost"].set_index("lost_days")
    # lost_days 270: only c3 (400 days) is lost -> recall 1/2; 180: c3 and c4 (200 days) -> recall 1
    assert lost.loc[270, "recall"] == pytest.approx(0.5)
    assert lost.loc[180, "recall"] == pytest.approx(1.0)
    # c2 never bought: left out of the grade
    assert out.groupby("lost_days")["support"].sum().tolist() == [3, 3]


@pytest.mark.parametrize("kwargs, message", [
    ({"field": "no_such_threshold", "values": [0.1]}, "not a threshold"),
    ({"field": "competitor_share", "values": []}, "non-empty"),
    ({"field": "competitor_share", "values": "0.3"}, "non-empty"),
    ({"field": "competitor_share", "values": [1.5]}, "share"),
    ({"field": "competitor_share", "values": [0.3], "family": "mood"}, "family"),
    ({"field": "competitor_share", "values": [0.3], "thresholds": {"competitor_share": 0.3}}, "Thresholds"),
])
def test_bad_input(kwargs, message):
    with pytest.raises(CustkitError, match=message):
        threshold_sweep(_features(), TRUTH, **kwargs)


def test_empty_features_rejected():
    with pytest.raises(CustkitError):
        threshold_sweep(_features().iloc[0:0], TRUTH, "competitor_share", [0.3])


def test_the_sweep_follows_a_renamed_customer_column():
    # customer= names the id column of features and truth: with "client" the result is the same
    renamed = threshold_sweep(_features().rename(columns={"customer_id": "client"}),
                              TRUTH.rename(columns={"customer_id": "client"}), "competitor_share", [0.2, 0.4],
                              customer="client")
    pd.testing.assert_frame_equal(renamed, threshold_sweep(_features(), TRUTH, "competitor_share", [0.2, 0.4]))
