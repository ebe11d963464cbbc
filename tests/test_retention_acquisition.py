"""Acquisition cost by channel and payback months, computed by hand on a tiny shop."""

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention import acquisition_cost_by_channel, payback_months


def make_tables():
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5],
                              "acquisition_channel": ["search", "search", "referral", "social", "email"]})
    spend = pd.DataFrame({
        "date": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-15", "2023-12-01"]),
        "channel": ["search", "search", "social", "email"],
        "spend": [100.0, 200.0, 50.0, 30.0],
    })
    orders = pd.DataFrame({
        "customer_id": [1, 1, 2, 3, 5, 5, 4],
        "order_date": pd.to_datetime(["2024-01-01", "2024-01-15", "2024-01-31", "2024-01-10",
                                      "2023-12-15", "2024-01-05", "2024-01-20"]),
        "shop_revenue": [60.0, 60.0, 30.0, 90.0, 40.0, 40.0, 0.0],
        "transaction_type": ["B2C"] * 7,
        "status": ["delivered"] * 6 + ["cancelled"],  # customer 4 only cancelled: not a customer
    })
    return customers, spend, orders


def test_cac_margin_and_payback_by_hand():
    customers, spend, orders = make_tables()
    copies = [t.copy() for t in (customers, spend, orders)]
    out = acquisition_cost_by_channel(customers, spend, orders, as_of="2024-01-31", start="2024-01-01",
                                      margin_rate=0.5)
    for t, c in zip((customers, spend, orders), copies):
        pd.testing.assert_frame_equal(t, c)
    assert out["channel"].tolist() == ["email", "referral", "search", "social"]
    assert out["paid"].tolist() == [True, False, True, True]
    # email spend (Dec) and customer 5 (first bought in Dec) lie before start
    assert out["spend"].tolist() == [0.0, 0.0, 300.0, 50.0]
    assert out["new_customers"].tolist() == [0, 1, 2, 0]
    search = out.set_index("channel").loc["search"]
    # CAC = 300 / 2; margin 0.5 x (120 + 30) = 75 over (31 + 1) observed days = 32 / 30.4375 months
    assert search["cac"] == 150.0
    monthly = 75 / (32 / 30.4375)
    assert search["monthly_margin_per_customer"] == pytest.approx(monthly)
    assert search["payback_months"] == pytest.approx(150 / monthly)
    referral = out.set_index("channel").loc["referral"]
    # organic: CAC 0, pays back at once; margin 0.5 x 90 over 22 days (10 to 31 Jan)
    assert referral["cac"] == 0.0 and referral["payback_months"] == 0.0
    assert referral["monthly_margin_per_customer"] == pytest.approx(45 / (22 / 30.4375))
    social = out.set_index("channel").loc["social"]
    assert np.isnan(social["cac"]) and np.isnan(social["payback_months"])


def test_an_account_opened_before_the_window_is_not_a_new_customer_of_it():
    customers, spend, orders = make_tables()
    # customer 2 opened the account in 2022: the January purchase is not a newly won customer
    customers = customers.assign(signup_date=pd.to_datetime(["2024-01-01", "2022-06-01", "2024-01-02",
                                                             "2024-01-03", "2023-11-01"]))
    out = acquisition_cost_by_channel(customers, spend, orders, as_of="2024-01-31", start="2024-01-01").set_index("channel")
    assert out.loc["search", "new_customers"] == 1 and out.loc["search", "cac"] == 300.0
    # without the column (or with signup=None), every first purchase in the window counts
    again = acquisition_cost_by_channel(customers, spend, orders, as_of="2024-01-31", start="2024-01-01",
                                        signup=None).set_index("channel")
    assert again.loc["search", "new_customers"] == 2


def test_start_defaults_to_first_spend_day():
    customers, spend, orders = make_tables()
    out = acquisition_cost_by_channel(customers, spend, orders, as_of="2024-01-31").set_index("channel")
    # window starts 1 Dec 2023: email's 30 and customer 5 now count
    assert out.loc["email", "spend"] == 30.0 and out.loc["email", "new_customers"] == 1
    assert out.loc["email", "cac"] == 30.0


def test_payback_months():
    assert payback_months(120.0, 40.0) == 3.0
    assert payback_months(100.0, 0.0) == float("inf")
    assert payback_months(100.0, -5.0) == float("inf")
    assert payback_months(0.0, 0.0) == 0.0


@pytest.mark.parametrize(
    "change, kwargs, match",
    [
        (lambda c, s, o: (c.drop(columns="acquisition_channel"), s, o), {}, "acquisition_channel"),
        (lambda c, s, o: (c, s.drop(columns="spend"), o), {}, "spend"),
        (lambda c, s, o: (c, s, o), {"margin_rate": 0}, "margin_rate"),
        (lambda c, s, o: (c, s, o), {"start": "2024-03-01"}, "after as_of"),
        (lambda c, s, o: (c[c["customer_id"] != 1], s, o), {}, "no 'acquisition_channel'"),
        (lambda c, s, o: (c, s.iloc[:0], o), {}, "empty"),
    ],
)
def test_bad_input(change, kwargs, match):
    customers, spend, orders = change(*make_tables())
    with pytest.raises(CustkitError, match=match):
        acquisition_cost_by_channel(customers, spend, orders, as_of="2024-01-31", **kwargs)


def test_payback_bad_input():
    with pytest.raises(CustkitError, match="cac"):
        payback_months(-1.0, 10.0)
    with pytest.raises(CustkitError, match="monthly_margin"):
        payback_months(1.0, "10")
