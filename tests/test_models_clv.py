"""customer_lifetime_value and score_clv: hand-computed cases, CDNOW invariants, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention.models import BetaGeoNBD, GammaGamma, customer_lifetime_value, score_clv
from custkit.retention.models.clv import DAYS_PER_MONTH


class OnePerMonth:
    """Stand-in purchase model: exactly one purchase per month (30.4375 days), whatever the history."""

    def conditional_expected_purchases(self, t, frequency, recency, T):
        return np.asarray(t, dtype=float) / DAYS_PER_MONTH * np.ones_like(np.asarray(frequency, dtype=float))


class FlatSpend:
    """Stand-in spend model: 100 per purchase."""

    def conditional_expected_average_spend(self, frequency, monetary_value):
        return np.full(np.shape(frequency), 100.0)


@pytest.fixture
def summary() -> pd.DataFrame:
    return pd.DataFrame(
        {"frequency": [2, 0], "recency": [10.0, 0.0], "T": [30.0, 5.0], "monetary_value": [50.0, 0.0]},
        index=pd.Index([7, 8], name="customer_id"),
    )


def test_clv_discounting_by_hand(summary):
    # one purchase of 100 a month for 3 months, discounted at 10% a month, cash at each month's end:
    # 100/1.1 + 100/1.1^2 + 100/1.1^3 = 90.909 + 82.645 + 75.131 = 248.685
    out = customer_lifetime_value(OnePerMonth(), FlatSpend(), summary, horizon_months=3,
                                  monthly_discount_rate=0.10, freq="D")
    assert out.columns.tolist() == ["expected_orders", "expected_spend", "expected_revenue", "clv"]
    assert out.index.tolist() == [7, 8]
    np.testing.assert_allclose(out["expected_orders"], [3.0, 3.0])
    np.testing.assert_allclose(out["expected_revenue"], [300.0, 300.0])
    np.testing.assert_allclose(out["clv"], 100 / 1.1 + 100 / 1.1**2 + 100 / 1.1**3)


@pytest.mark.slow
def test_clv_on_cdnow_invariants(cdnow_summary):
    bg = BetaGeoNBD().fit(cdnow_summary)
    gg = GammaGamma().fit(cdnow_summary)
    plain = customer_lifetime_value(bg, gg, cdnow_summary, horizon_months=12, monthly_discount_rate=0.0)
    discounted = customer_lifetime_value(bg, gg, cdnow_summary, horizon_months=12, monthly_discount_rate=0.01)
    # months add up to the conditional expectation over the whole horizon (weeks: 12 months = 52.18 weeks)
    whole = bg.conditional_expected_purchases(
        12 * DAYS_PER_MONTH / 7, cdnow_summary["frequency"], cdnow_summary["recency"], cdnow_summary["T"]
    )
    np.testing.assert_allclose(plain["expected_orders"], whole, rtol=1e-10)
    np.testing.assert_allclose(plain["clv"], plain["expected_revenue"], rtol=1e-10)
    assert np.all(discounted["clv"] < plain["clv"])
    # discounting by at most (1.01)^12 and at least (1.01)^1
    assert np.all(discounted["clv"] >= plain["clv"] / 1.01**12)
    assert np.all(discounted["clv"] <= plain["clv"] / 1.01)


def test_score_clv_by_hand():
    predicted = pd.DataFrame(
        {"expected_orders": [4.0, 3.0, 2.0, 1.0], "expected_revenue": [40.0, 30.0, 20.0, 10.0]},
        index=pd.Index([1, 2, 3, 4], name="customer_id"),
    )
    # customer 5 never bought in calibration: not predicted, left out of the score
    truth = pd.DataFrame(
        {"customer_id": [4, 3, 2, 1, 5], "future_orders": [0, 1, 3, 3, 9], "future_revenue": [0.0, 10.0, 30.0, 30.0, 99.0]}
    )
    scores = score_clv(predicted, truth, top=0.25).set_index("target")
    orders = scores.loc["orders"]
    # errors 4-3, 3-3, 2-1, 1-0 = 1, 0, 1, 1: MAE 3/4, RMSE sqrt(3/4)
    assert orders["n_customers"] == 4
    assert orders["mae"] == pytest.approx(0.75)
    assert orders["rmse"] == pytest.approx(np.sqrt(0.75))
    # Pearson: deviations (1.5, .5, -.5, -1.5) and (1.25, 1.25, -.75, -1.75):
    #   5.5 / sqrt(5 * 6.75) = 0.946729
    assert orders["pearson"] == pytest.approx(5.5 / np.sqrt(5 * 6.75))
    # Spearman: ranks (4, 3, 2, 1) and (3.5, 3.5, 2, 1): 4.5 / sqrt(5 * 4.5) = 0.948683
    assert orders["spearman"] == pytest.approx(4.5 / np.sqrt(5 * 4.5))
    # totals 10 vs 7: aggregate error 10/7 - 1
    assert orders["aggregate_error"] == pytest.approx(10 / 7 - 1)
    # top 25% = 1 customer: the prediction's top (customer 1) bought 3 of the 7 orders; the best
    # possible single customer also holds 3 -> share 3/7, capture 1
    assert orders["top_decile_share"] == pytest.approx(3 / 7)
    assert orders["top_decile_capture"] == pytest.approx(1.0)
    revenue = scores.loc["revenue"]
    assert revenue["actual_total"] == pytest.approx(70.0)
    assert revenue["mae"] == pytest.approx((10 + 0 + 10 + 10) / 4)


def test_score_clv_bad_input():
    predicted = pd.DataFrame({"customer_id": [1, 2], "expected_orders": [1.0, 2.0], "expected_revenue": [5.0, 9.0]})
    truth = pd.DataFrame({"customer_id": [1, 2], "future_orders": [1, 1], "future_revenue": [3.0, 4.0]})
    with pytest.raises(CustkitError, match="missing from truth"):
        score_clv(predicted.assign(customer_id=[1, 3]), truth)
    with pytest.raises(CustkitError, match="lacks column"):
        score_clv(predicted, truth.drop(columns="future_revenue"))
    with pytest.raises(CustkitError, match="one row per customer"):
        score_clv(predicted.assign(customer_id=[1, 1]), truth)
    with pytest.raises(CustkitError, match="top must lie"):
        score_clv(predicted, truth, top=0.0)
    with pytest.raises(CustkitError, match="empty"):
        score_clv(predicted.iloc[:0], truth)
    with pytest.raises(CustkitError, match="finite numbers"):
        score_clv(predicted.assign(expected_orders=[np.nan, 1.0]), truth)


def test_clv_bad_input(summary):
    with pytest.raises(CustkitError, match="BetaGeoNBD or ParetoNBD"):
        customer_lifetime_value(FlatSpend(), FlatSpend(), summary, freq="D")
    with pytest.raises(CustkitError, match="GammaGamma"):
        customer_lifetime_value(OnePerMonth(), OnePerMonth(), summary, freq="D")
    with pytest.raises(CustkitError, match="horizon_months"):
        customer_lifetime_value(OnePerMonth(), FlatSpend(), summary, horizon_months=0, freq="D")
    with pytest.raises(CustkitError, match="monthly_discount_rate"):
        customer_lifetime_value(OnePerMonth(), FlatSpend(), summary, monthly_discount_rate=-0.1, freq="D")
    with pytest.raises(CustkitError, match="freq must be"):
        customer_lifetime_value(OnePerMonth(), FlatSpend(), summary)  # no attrs, no freq
    with pytest.raises(CustkitError, match="lacks column"):
        customer_lifetime_value(OnePerMonth(), FlatSpend(), summary.drop(columns="T"), freq="D")
