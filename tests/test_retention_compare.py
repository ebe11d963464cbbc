"""Comparing two shops (concept D8) on hand-made tables."""

import numpy as np
import pandas as pd
import pytest

from custkit import Shop
from custkit.errors import CustkitError
from custkit.retention import compare_shops, shop_metrics


def make_shop(late_days: int = 3, response_hours=(2.0, 4.0)) -> Shop:
    d = pd.to_datetime
    orders = pd.DataFrame({
        "order_id": [1, 2, 3, 4],
        "customer_id": [1, 1, 2, 3],
        "order_date": d(["2024-01-01", "2024-03-20", "2024-01-15", "2024-02-01"]),
        "transaction_type": ["B2C"] * 4,
        "status": ["delivered", "delivered", "delivered", "cancelled"],
        "shop_revenue": [100.0, 50.0, 30.0, 0.0],
        "promised_date": d(["2024-01-03", "2024-03-22", "2024-01-17", "2024-02-03"]),
        "delivered_date": [d("2024-01-03"), d("2024-03-22") + pd.Timedelta(days=late_days), d("2024-01-16"), pd.NaT],
    })
    surveys = pd.DataFrame({"sent_date": d(["2024-01-05", "2024-01-20", "2024-03-30"]),
                            "csat": pd.array([4, pd.NA, 2], dtype="Int64")})
    tickets = pd.DataFrame({"created": d(["2024-01-02", "2024-03-21"]), "first_response_hours": list(response_hours)})
    return Shop(tables={"orders": orders, "surveys": surveys, "tickets": tickets})


def test_shop_metrics_by_hand():
    m = shop_metrics(make_shop(), as_of="2024-03-31", inactivity_days=90, retention_freq="M")
    # buyers 1 and 2 (3 only cancelled); 1 has two purchases; last purchases 11 and 76 days ago;
    # revenue (100 + 50 + 30) / 2; late: 1 of the 3 delivered orders; CSAT (4 + 2) / 2; hours (2 + 4) / 2
    assert m["customers"] == 2
    assert m["repeat_rate"] == 0.5
    assert m["active_share"] == 1.0
    assert m["revenue_per_customer"] == 90.0
    assert m["late_share"] == pytest.approx(1 / 3)
    assert m["mean_csat"] == 3.0
    assert m["mean_response_hours"] == 3.0
    # monthly buyers: Jan {1, 2}, Feb {}, Mar {1}: 0 of 2 kept into Feb, 0 of 0 into Mar
    assert m["period_retention"] == 0.0
    # quarterly: only Q1 is complete, no step to measure
    assert np.isnan(shop_metrics(make_shop(), as_of="2024-03-31")["period_retention"])
    # with a 60-day threshold customer 2 (76 days) has churned
    assert shop_metrics(make_shop(), as_of="2024-03-31", inactivity_days=60)["active_share"] == 0.5


def test_as_of_defaults_to_last_order_day_and_cuts_later_rows():
    m = shop_metrics(make_shop())
    # last order 20 Mar: the 30 Mar survey and nothing else drops out -> CSAT 4
    assert m["mean_csat"] == 4.0
    early = shop_metrics(make_shop(), as_of="2024-01-31")
    # by 31 Jan: orders 1 and 3 delivered on time, one ticket (2 h)
    assert early["late_share"] == 0.0 and early["mean_response_hours"] == 2.0


def test_compare_shops_is_tidy():
    fast, slow = make_shop(late_days=0, response_hours=(1.0, 1.0)), make_shop(late_days=5, response_hours=(48.0, 24.0))
    t = compare_shops(fast, slow, names=("customer_centric", "production_centric"), as_of="2024-03-31",
                      retention_freq="M")
    assert list(t.columns) == ["metric", "description", "unit", "shop", "value"]
    assert len(t) == 2 * 8
    wide = t.pivot(index="metric", columns="shop", values="value")
    assert wide.loc["late_share", "customer_centric"] == 0.0
    assert wide.loc["late_share", "production_centric"] == pytest.approx(1 / 3)
    assert wide.loc["mean_response_hours", "production_centric"] == 36.0
    assert np.isfinite(wide.to_numpy()).all()


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s: compare_shops(s, "not a shop"), "Shop"),
        (lambda s: compare_shops(s, s, names=("A", "A")), "names"),
        (lambda s: shop_metrics(s, as_of="2024-03-31", inactivity_days=0), "inactivity_days"),
        (lambda s: shop_metrics(Shop(tables={"orders": s.orders, "surveys": s.surveys.drop(columns="csat"),
                                             "tickets": s.tickets}), as_of="2024-03-31"), "csat"),
        (lambda s: shop_metrics(Shop(tables={"orders": s.orders}), as_of="2024-03-31"), "surveys"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(CustkitError, match=match):
        call(make_shop())
