"""Loyalty x profitability quadrants (Reinartz and Kumar 2002) on four hand-made customers."""

import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention import QUADRANT_STRATEGIES, loyalty_quadrants, quadrant_summary


def make_orders() -> pd.DataFrame:
    rows = [
        (1, "2024-01-01", 100.0), (1, "2024-03-01", 100.0),  # tenure 60 days, profit 200
        (2, "2024-01-01", 300.0),                            # tenure 0, profit 300
        (3, "2024-01-01", 10.0), (3, "2024-02-20", 10.0),    # tenure 50, profit 20
        (4, "2024-02-01", 5.0),                              # tenure 0, profit 5
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "order_date", "shop_revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"])
    df["transaction_type"] = "B2C"
    df["status"] = "delivered"
    return df


def test_median_cutoffs_give_one_customer_per_quadrant():
    orders = make_orders()
    before = orders.copy()
    q = loyalty_quadrants(orders, as_of="2024-03-31")
    pd.testing.assert_frame_equal(orders, before)
    # median tenure of (0, 0, 50, 60) = 25; median profit of (5, 20, 200, 300) = 110
    assert q.attrs["loyalty_cutoff"] == 25.0 and q.attrs["profit_cutoff"] == 110.0
    assert q["tenure_days"].tolist() == [60, 0, 50, 0]
    assert q["profit"].tolist() == [200.0, 300.0, 20.0, 5.0]
    assert q["quadrant"].tolist() == ["true friends", "butterflies", "barnacles", "strangers"]
    assert q["strategy"].iloc[0] == QUADRANT_STRATEGIES["true friends"]


def test_cutoffs_and_measure_are_parameters():
    q = loyalty_quadrants(make_orders(), as_of="2024-03-31", profit_cutoff=250)
    # customer 1 (200) is no longer profitable: a barnacle; customer 2 (300) still a butterfly
    assert q["quadrant"].tolist() == ["barnacles", "butterflies", "barnacles", "strangers"]
    by_orders = loyalty_quadrants(make_orders(), as_of="2024-03-31", loyalty="orders")
    # orders (2, 1, 2, 1), median 1.5: the same split as tenure here
    assert by_orders.attrs["loyalty_cutoff"] == 1.5
    assert by_orders["loyal"].tolist() == [True, False, True, False]
    # a cut-off of 55 days leaves customer 3 (50 days) short-term
    assert loyalty_quadrants(make_orders(), as_of="2024-03-31", loyalty_cutoff=55)["loyal"].tolist() == [
        True, False, False, False]


def test_as_of_cuts_history():
    q = loyalty_quadrants(make_orders(), as_of="2024-02-15")
    # customer 1's March order is not yet seen: tenure 0, profit 100
    assert q.loc[q["customer_id"] == 1, "tenure_days"].item() == 0
    assert q.loc[q["customer_id"] == 1, "profit"].item() == 100.0


def test_summary():
    s = quadrant_summary(loyalty_quadrants(make_orders(), as_of="2024-03-31", profit_cutoff=250))
    assert s["quadrant"].tolist() == ["true friends", "butterflies", "barnacles", "strangers"]
    assert s["customers"].tolist() == [0, 1, 2, 1]
    assert s["share"].tolist() == [0.0, 0.25, 0.5, 0.25]
    # total profit 525: barnacles 200 + 20 = 220
    assert s["profit"].tolist() == [0.0, 300.0, 220.0, 5.0]
    assert s["profit_share"].iloc[2] == pytest.approx(220 / 525)
    assert s["mean_tenure_days"].iloc[2] == 55.0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda o: loyalty_quadrants(o, as_of="2024-03-31", loyalty="visits"), "loyalty"),
        (lambda o: loyalty_quadrants(o, as_of="2024-03-31", profit_cutoff="high"), "profit_cutoff"),
        (lambda o: loyalty_quadrants(o, as_of="2024-03-31", profit="margin"), "margin"),
        (lambda o: loyalty_quadrants(o, as_of=None), "as_of"),
        (lambda o: quadrant_summary(o), "quadrant"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(CustkitError, match=match):
        call(make_orders())
