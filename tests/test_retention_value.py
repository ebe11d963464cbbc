"""Lifetime value formulas, the article's worked example and customer equity, checked by hand."""

import numpy as np
import pytest

from custkit.errors import CustkitError
from custkit.retention import article_lost_customer_example, customer_equity, retention_clv, simple_clv


def test_simple_clv():
    assert simple_clv(100, 3) == 300.0
    assert simple_clv(2.5, 0) == 0.0


def test_retention_clv_closed_form_and_series():
    # 100 * 0.8 / (1 + 0.1 - 0.8) = 80 / 0.3
    assert retention_clv(100, 0.8, 0.1) == pytest.approx(80 / 0.3)
    # the same as the discounted survival series sum_{t>=1} m r^t / (1+d)^t, summed far out
    t = np.arange(1, 3000)
    assert retention_clv(100, 0.8, 0.1) == pytest.approx(np.sum(100 * 0.8**t / 1.1**t))
    assert retention_clv(-20, 0.5, 0.0) == pytest.approx(-20 * 0.5 / 0.5)
    assert retention_clv(100, 0.0, 0.1) == 0.0


def test_article_example_reproduces_the_numbers():
    t = article_lost_customer_example()
    # [002]: 100,000 toman a week; 52 x 100,000 = 5,200,000 a year; 10 years: 52,000,000 (> 50 million)
    assert t["value"].tolist() == [100_000, 5_200_000, 10, 52_000_000]
    assert t["value"].iloc[-1] > 50_000_000
    assert list(t.columns) == ["step", "formula", "value", "article"]
    assert article_lost_customer_example(weekly_spend=10, weeks_per_year=50, years=2)["value"].iloc[-1] == 1000


def test_customer_equity_by_hand():
    t = customer_equity([100, 200], new_customers_per_period=10, new_customer_clv=50, discount=0.1,
                        horizon=2, acquisition_cost=10)
    # current: 100 + 200 = 300; cohort 1: 10 x (50 - 10) / 1.1 = 363.6364; cohort 2: 400 / 1.21 = 330.5785
    np.testing.assert_allclose(t["present_value"], [300, 400 / 1.1, 400 / 1.21])
    np.testing.assert_allclose(t["cumulative"].iloc[-1], 300 + 400 / 1.1 + 400 / 1.21)
    assert t["cumulative"].iloc[-1] == pytest.approx(994.2148760)
    assert t["source"].tolist() == ["current customers", "cohort 1", "cohort 2"]
    assert t["customers"].tolist() == [2, 10, 10]


def test_customer_equity_without_future_or_current():
    assert customer_equity([5.0], new_customers_per_period=3, new_customer_clv=9, discount=0.0,
                           horizon=0)["cumulative"].iloc[-1] == 5.0
    # no current customers, 2 periods of 1 new customer worth 10 undiscounted: 20
    assert customer_equity([], new_customers_per_period=1, new_customer_clv=10, discount=0.0,
                           horizon=2)["cumulative"].iloc[-1] == 20.0


def equity(**changes):
    args = {"current_clv": [1.0], "new_customers_per_period": 1, "new_customer_clv": 1, "discount": 0.1, "horizon": 1}
    args.update(changes)
    return customer_equity(args.pop("current_clv"), **args)


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: simple_clv(-1, 3), "spend_per_period"),
        (lambda: simple_clv(10, "3"), "periods"),
        (lambda: retention_clv(100, 1.2, 0.1), "retention"),
        (lambda: retention_clv(100, 1.0, 0.0), "infinite"),
        (lambda: retention_clv("100", 0.5, 0.1), "margin"),
        (lambda: retention_clv(100, 0.5, -0.1), "discount"),
        (lambda: article_lost_customer_example(weekly_spend=0), "weekly_spend"),
        (lambda: equity(horizon=-1), "horizon"),
        (lambda: equity(horizon=1.5), "horizon"),
        (lambda: equity(current_clv=[1, np.nan]), "current_clv"),
        (lambda: equity(new_customers_per_period=-1), "new_customers"),
        (lambda: equity(acquisition_cost=-5), "acquisition_cost"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(CustkitError, match=match):
        call()


def test_customer_equity_rejects_text():
    with pytest.raises(CustkitError, match="current_clv"):
        customer_equity(["a", "b"], new_customers_per_period=1, new_customer_clv=1, discount=0.1, horizon=1)
