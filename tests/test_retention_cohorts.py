"""Cohort tables, retention curves, period retention and churn flags on a hand-made order log."""

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError, SchemaError
from custkit.retention import churn_flags, cohort_matrix, cohort_table, period_retention, pooled_retention, retention_curve


def make_orders() -> pd.DataFrame:
    # customer 1: Jan, Feb, Mar purchases; customer 2: Jan purchase plus a cancelled order;
    # customer 3: Feb purchase, a C2C marketplace purchase in March (a purchase: customer 3 is the
    # buyer; shop_revenue 1.0 is the shop's commission) and a purchase after as_of;
    # customer 4: only a C2B trade-in (the shop buys from them), so never a buyer.
    rows = [
        (1, "2024-01-05", "B2C", "delivered", 10.0),
        (1, "2024-02-10", "B2C", "delivered", 20.0),
        (1, "2024-03-02", "B2B", "returned", 4.0),
        (2, "2024-01-20", "B2C", "delivered", 5.0),
        (2, "2024-01-25", "B2C", "cancelled", 99.0),
        (3, "2024-02-03", "B2C", "delivered", 7.0),
        (3, "2024-03-15", "C2C", "delivered", 1.0),
        (3, "2024-04-01", "B2C", "delivered", 8.0),
        (4, "2024-01-10", "C2B", "delivered", -50.0),
    ]
    df = pd.DataFrame(rows, columns=["customer_id", "order_date", "transaction_type", "status", "shop_revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"]).astype("datetime64[s]")
    return df


def test_cohort_table_counts_revenue_and_retention_by_hand():
    orders = make_orders()
    before = orders.copy()
    t = cohort_table(orders, as_of="2024-03-31")
    pd.testing.assert_frame_equal(orders, before)  # input untouched
    # Jan cohort = {1, 2}: Jan 2 active (10 + 5), Feb customer 1 (20), Mar customer 1 (4).
    # Feb cohort = {3}: Feb 1 active (7), Mar 1 active (the C2C purchase, commission 1).
    # Customer 2's cancelled order and customer 4's C2B trade-in are left out.
    assert [str(c) for c in t["cohort"]] == ["2024-01"] * 3 + ["2024-02"] * 2
    assert t["period"].tolist() == [0, 1, 2, 0, 1]
    assert t["cohort_size"].tolist() == [2, 2, 2, 1, 1]
    assert t["customers"].tolist() == [2, 1, 1, 1, 1]
    assert t["revenue"].tolist() == [15.0, 20.0, 4.0, 7.0, 1.0]
    np.testing.assert_allclose(t["retention"], [1.0, 0.5, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(t["revenue_per_customer"], [7.5, 10.0, 2.0, 7.0, 1.0])
    assert t["complete"].all()  # as_of is the last day of March


def test_cohort_table_marks_running_period_incomplete_and_drops_later_orders():
    t = cohort_table(make_orders(), as_of="2024-03-10")
    # March has not ended on 10 March: Jan cohort period 2 and Feb cohort period 1 are running.
    assert t["complete"].tolist() == [True, True, False, True, False]
    # customer 1's 2 March purchase is already counted in the running period; customer 3's
    # 15 March C2C purchase is after as_of, so the Feb cohort has nobody active in March yet
    assert t["customers"].tolist() == [2, 1, 1, 1, 0]


def test_exclusions_are_parameters():
    # The old rule, C2C left out too: customer 3's March C2C purchase no longer counts, so the
    # Feb cohort has nobody active in March; the Jan cohort is unchanged.
    old = cohort_table(make_orders(), as_of="2024-03-31", exclude_types=("C2C", "C2B"))
    assert old["cohort_size"].tolist() == [2, 2, 2, 1, 1]
    assert old["customers"].tolist() == [2, 1, 1, 1, 0]
    assert old["revenue"].tolist() == [15.0, 20.0, 4.0, 7.0, 0.0]
    # Nothing left out by type: customer 4's C2B trade-in (10 Jan, -50) makes them a Jan buyer,
    # so the Jan cohort is {1, 2, 4} with Jan revenue 10 + 5 - 50 = -35.
    t = cohort_table(make_orders(), as_of="2024-03-31", exclude_types=())
    jan = t[t["cohort"].astype(str) == "2024-01"]
    assert jan["cohort_size"].tolist() == [3, 3, 3]
    assert jan["customers"].tolist() == [3, 1, 1]
    assert jan["revenue"].tolist() == [-35.0, 20.0, 4.0]
    feb = t[t["cohort"].astype(str) == "2024-02"]
    assert feb["customers"].tolist() == [1, 1]
    assert feb["revenue"].tolist() == [7.0, 1.0]
    # Nothing left out by status either: customer 2's cancelled 25 Jan order (99) joins Jan.
    every = cohort_table(make_orders(), as_of="2024-03-31", exclude_types=(), exclude_statuses=())
    assert every["revenue"].iloc[0] == -35.0 + 99.0


def test_weekly_cohorts_split_sunday_from_monday():
    orders = pd.DataFrame({"customer_id": [1, 1], "order_date": pd.to_datetime(["2024-01-07", "2024-01-08"]),
                           "shop_revenue": [1.0, 2.0]})
    t = cohort_table(orders, as_of="2024-01-14", freq="W")
    # 7 Jan 2024 is a Sunday: the Monday after starts period 1
    assert t["period"].tolist() == [0, 1]
    assert t["customers"].tolist() == [1, 1]


def test_matrix_and_pooled_curve():
    t = cohort_table(make_orders(), as_of="2024-03-31")
    m = cohort_matrix(t)
    assert m.shape == (2, 3)
    assert np.isnan(m.iloc[1, 2])  # Feb cohort has no period 2 yet
    curve = retention_curve(t)
    # period 1: (1 + 1) active of (2 + 1) acquired (customer 3's C2C purchase in March counts);
    # period 2: only the Jan cohort, 1 of 2
    assert curve["acquired"].tolist() == [3, 3, 2]
    assert curve["active"].tolist() == [3, 2, 1]
    np.testing.assert_allclose(curve["retention"], [1.0, 2 / 3, 0.5])


def test_curve_can_drop_thin_periods():
    t = cohort_table(make_orders(), as_of="2024-03-31")
    # period 2 rests on the Jan cohort alone
    assert retention_curve(t, min_cohorts=2)["period"].tolist() == [0, 1]
    with pytest.raises(CustkitError, match="min_cohorts"):
        retention_curve(t, min_cohorts=0)


def test_matrix_blanks_running_period():
    t = cohort_table(make_orders(), as_of="2024-03-10")
    m = cohort_matrix(t, "customers")
    assert np.isnan(m.iloc[0, 2]) and m.iloc[0, 1] == 1
    assert cohort_matrix(t, "customers", complete_only=False).iloc[0, 2] == 1
    curve = retention_curve(t)
    # period 1 only from the Jan cohort (Feb cohort's March is running): 1 of 2
    assert curve["acquired"].tolist() == [3, 2]


def test_period_retention_monthly():
    r = period_retention(make_orders(), as_of="2024-03-31", freq="M")
    # active: Jan {1, 2}, Feb {1, 3}, Mar {1, 3} (3's C2C purchase); kept Jan->Feb {1}, Feb->Mar {1, 3}
    assert [str(p) for p in r["period"]] == ["2024-02", "2024-03"]
    assert r["active_before"].tolist() == [2, 2]
    assert r["retained"].tolist() == [1, 2]
    np.testing.assert_allclose(r["retention"], [0.5, 1.0])
    assert pooled_retention(r) == pytest.approx(3 / 4)
    # on 30 March, March is not complete: only the Jan -> Feb step
    assert len(period_retention(make_orders(), as_of="2024-03-30", freq="M")) == 1


def test_churn_flags_threshold_is_strict():
    f = churn_flags(make_orders(), as_of="2024-03-31", inactivity_days=29)
    # last purchases to 31 Mar: 1 on 2 Mar (29 days), 2 on 20 Jan (11 + 29 + 31 = 71),
    # 3 on 15 Mar (16; the C2C purchase). Orders: 1 has 3; 2 has 1 (one cancelled); 3 has 2
    # (3 Feb, 15 Mar; 1 Apr is after as_of). Customer 4 (C2B only) is no buyer.
    assert f["customer_id"].tolist() == [1, 2, 3]
    assert f["days_since_last"].tolist() == [29, 71, 16]
    assert f["orders"].tolist() == [3, 1, 2]
    assert f["churned"].tolist() == [False, True, False]
    # 29 days is not more than 29, but is more than 28
    assert churn_flags(make_orders(), as_of="2024-03-31", inactivity_days=28)["churned"].tolist() == [
        True, True, False]
    assert churn_flags(make_orders(), as_of="2024-03-31", inactivity_days=15)["churned"].tolist() == [True] * 3


def test_string_dates_are_accepted():
    orders = make_orders().assign(order_date=lambda d: d["order_date"].dt.strftime("%Y-%m-%d"))
    assert cohort_table(orders, as_of="2024-03-31")["customers"].tolist() == [2, 1, 1, 1, 1]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda o: cohort_table(o.drop(columns="shop_revenue"), as_of="2024-03-31"), "shop_revenue"),
        (lambda o: cohort_table(o, as_of=None), "as_of is required"),
        (lambda o: cohort_table(o, as_of="not a date"), "as_of must be a date"),
        (lambda o: cohort_table(o, as_of="2024-03-31", freq="D"), "freq"),
        (lambda o: cohort_table(o.iloc[:0], as_of="2024-03-31"), "empty"),
        (lambda o: cohort_table(o, as_of="2020-01-01"), "no purchase"),
        (lambda o: cohort_table(o.assign(order_date="2024-13-45"), as_of="2024-03-31"), "must hold dates"),
        (lambda o: cohort_table(o.assign(shop_revenue="x"), as_of="2024-03-31"), "numbers"),
        (lambda o: churn_flags(o, as_of="2024-03-31", inactivity_days=-1), "inactivity_days"),
        (lambda o: period_retention(o, as_of="2024-03-31", freq="hour"), "freq"),
        (lambda o: cohort_matrix(cohort_table(o, as_of="2024-03-31"), "margin"), "value"),
        (lambda o: retention_curve(o), "lacks column"),
    ],
)
def test_bad_input_raises_custkit_error(call, match):
    with pytest.raises(CustkitError, match=match):
        call(make_orders())


def test_missing_customer_id_is_named():
    orders = make_orders().astype({"customer_id": "Int64"})
    orders.loc[0, "customer_id"] = pd.NA
    with pytest.raises(SchemaError, match="missing customer ids"):
        cohort_table(orders, as_of="2024-03-31")
