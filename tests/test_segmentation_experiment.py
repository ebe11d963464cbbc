"""compare_targeting: same budget per rule, no e-mail without consent, agrees with simulate_campaign."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.errors import CustkitError
from custkit.segmentation import Offer, simulate_campaign
from custkit.segmentation.experiment import compare_targeting, lists_from_segments


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


def test_short_list_equals_simulate_campaign_on_its_reachable_ids(shop):
    ids = shop.customers["customer_id"].head(40)
    offer = Offer(10.0, 0.5, "email")
    got = compare_targeting(shop, {"first40": ids}, offer, budget=100).iloc[0]
    opted = shop.customers.set_index("customer_id").loc[ids, "marketing_opt_in"]
    reachable = opted.index[opted.to_numpy()].to_numpy()
    want = simulate_campaign(shop, reachable, offer).summary.iloc[0]
    assert got["list_size"] == 40 and got["reachable"] == len(reachable) == got["contacted"]
    assert got["skipped_opt_out"] == 0
    assert got["profit"] == pytest.approx(want["profit"])
    assert got["profit_per_contact"] == pytest.approx(want["profit"] / len(reachable))


def test_budget_caps_every_rule_and_is_seeded(shop):
    ids = shop.customers["customer_id"]
    lists = {"a": ids, "b": ids[::-1]}
    out = compare_targeting(shop, lists, Offer(channel="social"), budget=25, seed=3)
    assert out["contacted"].tolist() == [25, 25]
    # the same ids in another order give the same sample, so the same result
    assert out.loc[0, "profit"] == pytest.approx(out.loc[1, "profit"])
    again = compare_targeting(shop, lists, Offer(channel="social"), budget=25, seed=3)
    pd.testing.assert_frame_equal(out, again)
    assert out["reachable"].tolist() == [len(ids), len(ids)]  # social reaches everyone


def test_duplicates_are_dropped(shop):
    ids = shop.customers["customer_id"].head(10).tolist()
    out = compare_targeting(shop, {"twice": ids + ids}, Offer(channel="ads"))
    assert out.loc[0, "list_size"] == 10 and out.loc[0, "contacted"] == 10


def test_bad_inputs(shop):
    ids = shop.customers["customer_id"].head(5)
    with pytest.raises(CustkitError, match="non-empty dict"):
        compare_targeting(shop, {}, Offer())
    with pytest.raises(CustkitError, match="budget"):
        compare_targeting(shop, {"x": ids}, Offer(), budget=2.5)
    with pytest.raises(CustkitError, match="budget"):
        compare_targeting(shop, {"x": ids}, Offer(), budget=0)
    with pytest.raises(CustkitError, match="Offer"):
        compare_targeting(shop, {"x": ids}, {"discount_pct": 10})
    with pytest.raises(CustkitError, match="whole-number"):
        compare_targeting(shop, {"x": ["a", "b"]}, Offer())
    nobody = shop.customers.loc[~shop.customers["marketing_opt_in"], "customer_id"].head(3)
    with pytest.raises(CustkitError, match="reaches nobody"):
        compare_targeting(shop, {"opted_out": nobody}, Offer(channel="email"))


def test_lists_from_segments_by_hand():
    data = pd.DataFrame({"customer_id": [5, 2, 9, 4], "segment": ["a", "b", "a", "a"]})
    lists = lists_from_segments(data)
    assert list(lists) == ["a", "b"]  # largest segment first: a has 3, b has 1
    np.testing.assert_array_equal(lists["a"], [4, 5, 9])
    np.testing.assert_array_equal(lists_from_segments(data, ["b"])["b"], [2])
    with pytest.raises(CustkitError, match="not in data"):
        lists_from_segments(data, ["c"])
    with pytest.raises(CustkitError):
        lists_from_segments(data.drop(columns="segment"))
