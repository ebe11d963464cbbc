"""compare_targeting: a holdout per rule, the same test size, no e-mail without consent, honest uplift."""

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit.errors import CustkitError
from custkit.segmentation import Offer, purchase_probabilities, simulate_campaign
from custkit.segmentation.experiment import MIN_GROUP, compare_targeting, lists_from_segments


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


def test_a_short_list_is_split_into_treated_and_control_and_answered_by_simulate_campaign(shop):
    ids = shop.customers["customer_id"].head(40)
    offer = Offer(10.0, 0.5, "email")
    got = compare_targeting(shop, {"first40": ids}, offer, budget=100, seed=7).iloc[0]
    opted = shop.customers.set_index("customer_id").loc[ids, "marketing_opt_in"]
    reachable = opted.index[opted.to_numpy()].to_numpy()
    assert got["list_size"] == 40 and got["reachable"] == len(reachable)
    assert got["treated"] + got["control"] == len(reachable)
    assert got["control"] == round(0.5 * len(reachable))
    # the whole reachable list answered with the offer: treated see these answers, control the other outcome
    per = simulate_campaign(shop, reachable, offer, seed=7).customers
    assert 0 <= got["response_rate"] <= 1 and 0 <= got["control_rate"] <= 1
    assert got["uplift"] == pytest.approx(got["response_rate"] - got["control_rate"])
    # a dozen customers per group: no interval, the estimate stands alone
    assert got["control"] < MIN_GROUP
    assert np.isnan(got[["uplift_low", "uplift_high", "profit_low", "profit_high"]].astype(float)).all()
    # the truth columns: the mean of p_with - p_without over the reachable list
    both = purchase_probabilities(shop.truth.set_index("customer_id").loc[reachable], offer)
    assert got["true_uplift"] == pytest.approx((both["p_with"] - both["p_without"]).mean())
    assert per["p_without"].to_numpy() == pytest.approx(both["p_without"].to_numpy())


def test_treated_and_control_rates_are_those_of_the_two_outcomes(shop):
    ids = shop.customers["customer_id"]
    offer = Offer(20.0, 0.0, "social")
    out = compare_targeting(shop, {"all": ids}, offer, holdout=0.3, seed=2).iloc[0]
    assert out["control"] == round(0.3 * len(ids)) and out["treated"] == len(ids) - out["control"]
    per = simulate_campaign(shop, ids, offer, seed=2).customers
    assert out["uplift_low"] <= out["uplift"] <= out["uplift_high"]
    assert out["profit_low"] <= out["incremental_profit_per_contact"] <= out["profit_high"]
    assert out["uplift_high"] - out["uplift_low"] < 0.1  # thousands of customers: a narrow interval
    # large groups: each rate is close to its outcome's rate over everyone (common random numbers)
    assert out["response_rate"] == pytest.approx(per["responded"].mean(), abs=0.015)
    assert out["control_rate"] == pytest.approx(per["bought_without"].mean(), abs=0.015)
    assert out["true_uplift"] == pytest.approx(per["p_with"].mean() - per["p_without"].mean())


def test_the_rule_with_most_responses_can_lose_on_incremental_profit(shop):
    """Champions respond most, but a discount sent to them goes mostly to sure things."""
    rfm = ck.segmentation.rfm_segments(ck.segmentation.rfm_scores(ck.segmentation.rfm_table(shop.orders, shop.end)))
    lists = lists_from_segments(rfm, ["champions", "hibernating"])
    out = compare_targeting(shop, lists, Offer(10.0, 0.1, "email"), budget=400).set_index("rule")
    assert out.loc["champions", "control_rate"] > out.loc["hibernating", "control_rate"]
    assert out.loc["champions", "response_profit_per_contact"] > out.loc["hibernating", "response_profit_per_contact"]
    assert out.loc["champions", "true_profit_per_contact"] < out.loc["hibernating", "true_profit_per_contact"]


def test_the_test_size_caps_every_rule_and_is_seeded(shop):
    ids = shop.customers["customer_id"]
    lists = {"a": ids, "b": ids[::-1]}
    out = compare_targeting(shop, lists, Offer(channel="social"), budget=50, seed=3)
    assert (out["treated"] + out["control"]).tolist() == [50, 50] and out["control"].tolist() == [25, 25]
    again = compare_targeting(shop, lists, Offer(channel="social"), budget=50, seed=3)
    pd.testing.assert_frame_equal(out, again)
    assert out["reachable"].tolist() == [len(ids), len(ids)]  # social reaches everyone
    other = compare_targeting(shop, lists, Offer(channel="social"), budget=50, seed=4)
    assert not out[["response_rate", "control_rate"]].equals(other[["response_rate", "control_rate"]])


def test_duplicates_are_dropped(shop):
    ids = shop.customers["customer_id"].head(10).tolist()
    out = compare_targeting(shop, {"twice": ids + ids}, Offer(channel="ads"))
    assert out.loc[0, "list_size"] == 10 and out.loc[0, "treated"] + out.loc[0, "control"] == 10


def test_bad_inputs(shop):
    ids = shop.customers["customer_id"].head(5)
    with pytest.raises(CustkitError, match="non-empty dict"):
        compare_targeting(shop, {}, Offer())
    for budget in (2.5, 0, 1):
        with pytest.raises(CustkitError, match="budget"):
            compare_targeting(shop, {"x": ids}, Offer(channel="ads"), budget=budget)
    for holdout in (0, 1, 1.5, True, "half"):
        with pytest.raises(CustkitError, match="holdout"):
            compare_targeting(shop, {"x": ids}, Offer(channel="ads"), holdout=holdout)
    with pytest.raises(CustkitError, match="Offer"):
        compare_targeting(shop, {"x": ids}, {"discount_pct": 10})
    with pytest.raises(CustkitError, match="whole-number"):
        compare_targeting(shop, {"x": ["a", "b"]}, Offer())
    with pytest.raises(CustkitError, match="not customers of this shop"):
        compare_targeting(shop, {"x": [10**9, 10**9 + 1]}, Offer(channel="ads"))
    nobody = shop.customers.loc[~shop.customers["marketing_opt_in"], "customer_id"].head(3)
    with pytest.raises(CustkitError, match="needs at least 2"):
        compare_targeting(shop, {"opted_out": nobody}, Offer(channel="email"))
    with pytest.raises(CustkitError, match="no hidden truth"):
        compare_targeting(ck.Shop(tables=shop.tables), {"x": ids}, Offer(channel="ads"))


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
