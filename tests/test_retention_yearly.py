"""Yearly margins per customer and the loyalty-tier summary (custkit.retention.yearly)."""

from __future__ import annotations

import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention.yearly import tier_summary, yearly_margins


@pytest.fixture
def orders():
    return pd.DataFrame({
        "customer_id": [1, 1, 2, 3, 3, 4],
        "order_date": pd.to_datetime(["2023-06-01", "2024-03-01", "2024-05-01", "2024-07-01", "2024-08-01",
                                      "2024-09-01"]),
        "transaction_type": ["B2C", "B2C", "B2C", "B2C", "C2B", "B2C"],
        "status": ["delivered", "delivered", "delivered", "delivered", "delivered", "cancelled"],
        "shop_revenue": [50.0, 80.0, 20.0, 40.0, -30.0, 0.0],
    })


def test_yearly_margins_by_hand(orders):
    out = yearly_margins(orders, as_of="2024-12-31", margin_rate=0.5)
    # window 2024-01-01 .. 2024-12-31 (2024 has 366 days, the window 365: it starts on 2024-01-02)
    # customer 1: 80 in the window, first purchase 2023 -> not new; margin 0.5 x 80 = 40
    # customer 2: 20, new; customer 3: 40 (the C2B trade-in is not a purchase); customer 4: cancelled only
    assert out["customer_id"].tolist() == [1, 2, 3]
    assert out["new"].tolist() == [False, True, True]
    assert out["orders"].tolist() == [1, 1, 1]
    assert out["revenue"].tolist() == [80.0, 20.0, 40.0]
    assert out["margin"].tolist() == [40.0, 10.0, 20.0]
    assert out.attrs["start"] == pd.Timestamp("2024-01-02")


def test_yearly_margins_scales_a_short_window_to_a_year(orders):
    out = yearly_margins(orders, as_of="2024-12-31", window_days=200)
    # window 2024-06-15 .. 2024-12-31: customer 3 only (the cancelled order of 4 does not count)
    # customer 3: 40 in 200 days -> 40 x 365 / 200 = 73.0 a year
    assert out["customer_id"].tolist() == [3]
    assert out["revenue"].iloc[0] == pytest.approx(73.0)


def test_yearly_margins_bad_input(orders):
    with pytest.raises(CustkitError, match="margin_rate"):
        yearly_margins(orders, as_of="2024-12-31", margin_rate=0)
    with pytest.raises(CustkitError, match="window_days"):
        yearly_margins(orders, as_of="2024-12-31", window_days=30.5)
    with pytest.raises(CustkitError, match="as_of"):
        yearly_margins(orders, as_of=None)
    with pytest.raises(CustkitError, match="no purchase in the 10 days"):
        yearly_margins(orders, as_of="2024-12-31", window_days=10)
    with pytest.raises(CustkitError):
        yearly_margins(orders.drop(columns="shop_revenue"), as_of="2024-12-31")


def test_tier_summary_by_hand(orders):
    customers = pd.DataFrame({"customer_id": [1, 2, 3, 4, 5], "loyalty_tier": ["gold", "none", "none", "none", "bronze"]})
    out = tier_summary(customers, orders, as_of="2024-12-31", inactivity_days=200)
    # buyers: 1 (gold), 2 and 3 (none); 4 only cancelled, 5 never bought -> not counted
    assert out["tier"].tolist() == ["none", "gold"]
    assert out["customers"].tolist() == [2, 1]
    assert out["share"].tolist() == pytest.approx([2 / 3, 1 / 3])
    # tenure (first purchase day to as_of, both included): 1: 2023-06-01..2024-12-31 = 580 days;
    # 2: 2024-05-01.. = 245 days; 3: 2024-07-01.. = 184 days
    assert out["mean_tenure_days"].tolist() == pytest.approx([(245 + 184) / 2, 580])
    # revenue per year, pooled: none (20 + 40) / ((245 + 184) / 365); gold 130 / (580 / 365)
    assert out["revenue_per_year"].tolist() == pytest.approx([60 / (429 / 365), 130 / (580 / 365)])
    # days since last purchase: 1: 305 (> 200, inactive); 2: 244 (inactive); 3: 183 (active)
    assert out["active_share"].tolist() == pytest.approx([0.5, 0.0])


def test_tier_summary_bad_input(orders):
    with pytest.raises(CustkitError, match="loyalty_tier"):
        tier_summary(pd.DataFrame({"customer_id": [1]}), orders, as_of="2024-12-31")
    partial = pd.DataFrame({"customer_id": [1], "loyalty_tier": ["gold"]})
    with pytest.raises(CustkitError, match="no 'loyalty_tier'"):
        tier_summary(partial, orders, as_of="2024-12-31")
    with pytest.raises(CustkitError, match="inactivity_days"):
        tier_summary(partial, orders, as_of="2024-12-31", inactivity_days=-1)
