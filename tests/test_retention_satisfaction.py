"""Repurchase by CSAT, CSAT by lateness and by response time, on hand-made surveys."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from custkit.errors import CustkitError
from custkit.retention import csat_by_lateness, csat_by_response_time, repurchase_by_csat


def make_surveys() -> pd.DataFrame:
    return pd.DataFrame({
        "survey_id": [1, 2, 3, 4, 5, 6, 7],
        "customer_id": [1, 2, 3, 4, 5, 6, 7],
        "order_id": [11, 12, 13, 14, 15, 16, 17],
        "sent_date": pd.to_datetime(["2024-01-10"] * 3 + ["2024-03-25"] + ["2024-01-10"] * 3),
        "responded": [True, True, True, True, False, True, True],
        "csat": pd.array([5, 1, 5, 5, pd.NA, 3, 2], dtype="Int64"),
    })


def make_orders() -> pd.DataFrame:
    rows = [
        # order_id, customer, date, status, type, promised, delivered
        (11, 1, "2024-01-02", "delivered", "B2C", "2024-01-05", "2024-01-04"),   # 1 day early
        (12, 2, "2024-01-02", "delivered", "B2C", "2024-01-05", "2024-01-12"),   # 7 days late
        (13, 3, "2024-01-02", "delivered", "B2C", "2024-01-05", "2024-01-07"),   # 2 days late
        (14, 4, "2024-03-15", "delivered", "B2C", "2024-03-20", "2024-03-23"),   # 3 days late
        (15, 5, "2024-01-02", "delivered", "B2C", "2024-01-05", "2024-01-05"),
        (16, 6, "2024-01-02", "delivered", "B2C", "2024-01-05", "2024-01-05"),   # on time
        (17, 7, "2024-01-02", "cancelled", "B2C", "2024-01-05", None),
        (21, 1, "2024-01-20", "delivered", "B2C", "2024-01-25", "2024-01-25"),   # 10 days after survey
        (22, 2, "2024-01-10", "delivered", "B2C", "2024-01-15", "2024-01-15"),   # same day: not after
        (23, 2, "2024-03-01", "delivered", "B2C", "2024-03-05", "2024-03-05"),   # 51 days after
        (24, 3, "2024-02-09", "delivered", "B2C", "2024-02-12", "2024-02-12"),   # day 30: inside
        (25, 6, "2024-01-15", "delivered", "C2C", "2024-01-20", "2024-01-20"),   # C2C marketplace: 6 buys
        (26, 7, "2024-01-15", "cancelled", "B2C", "2024-01-20", None),
    ]
    df = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_date", "status", "transaction_type",
                                     "promised_date", "delivered_date"])
    for col in ("order_date", "promised_date", "delivered_date"):
        df[col] = pd.to_datetime(df[col]).astype("datetime64[s]")
    return df


def make_tickets() -> pd.DataFrame:
    return pd.DataFrame({
        "ticket_id": [1, 2, 3, 4, 5],
        "customer_id": [1, 1, 2, 3, 4],
        "created": pd.to_datetime(["2024-01-08 10:00", "2024-01-09 12:00", "2023-11-01 00:00", "2024-01-10 09:00",
                                   "2024-03-26 00:00"]),
        "first_response_hours": [0.5, 30.0, 2.0, 0.0, 1.0],
    })


def test_repurchase_by_csat_by_hand():
    surveys, orders = make_surveys(), make_orders()
    before = surveys.copy(), orders.copy()
    r = repurchase_by_csat(surveys, orders, as_of="2024-03-31", within_days=30)
    pd.testing.assert_frame_equal(surveys, before[0])
    pd.testing.assert_frame_equal(orders, before[1])
    # counted: surveys sent 10 Jan (window ends 9 Feb <= 31 Mar); survey 4 (25 Mar) is too recent,
    # survey 5 unanswered. CSAT 5: customers 1 (bought 20 Jan) and 3 (9 Feb, day 30) -> 2 of 2.
    # CSAT 1: customer 2 (same day and day 51 only) -> 0 of 1. CSAT 3: customer 6 (a C2C marketplace
    # purchase on 15 Jan, day 5: a purchase) -> 1 of 1. CSAT 2: customer 7 (cancelled only) -> 0 of 1.
    assert r["csat"].tolist() == [1, 2, 3, 4, 5]
    assert r["surveys"].tolist() == [1, 1, 1, 0, 2]
    assert r["repurchased"].tolist() == [0, 0, 1, 0, 2]
    assert r["repurchase_rate"].iloc[2] == 1.0 and r["repurchase_rate"].iloc[4] == 1.0
    assert np.isnan(r["repurchase_rate"].iloc[3])
    # Wilson interval for n of n: low = 1 / (1 + z^2 / n), high = 1 (n = 2 for CSAT 5, 1 for CSAT 3)
    z = norm.ppf(0.975)
    assert r["ci_low"].iloc[4] == pytest.approx(1 / (1 + z**2 / 2))
    assert r["ci_high"].iloc[4] == pytest.approx(1.0)
    assert r["ci_low"].iloc[2] == pytest.approx(1 / (1 + z**2))
    assert r["ci_high"].iloc[2] == pytest.approx(1.0)


def test_repurchase_exclusions_are_parameters():
    # leaving C2C out as well (the old rule): customer 6's only later order is C2C -> 0 of 1
    r = repurchase_by_csat(make_surveys(), make_orders(), as_of="2024-03-31", within_days=30,
                           exclude_types=("C2C", "C2B"))
    assert r["repurchased"].tolist() == [0, 0, 0, 0, 2]
    assert r["repurchase_rate"].iloc[2] == 0.0


def test_repurchase_window_is_a_parameter():
    r = repurchase_by_csat(make_surveys(), make_orders(), as_of="2024-03-31", within_days=60)
    # customer 2's 1 March purchase (day 51) now counts
    assert r.loc[r["csat"] == 1, "repurchased"].item() == 1


def test_csat_by_lateness_by_hand():
    out = csat_by_lateness(make_surveys(), make_orders())
    assert out["lateness"].astype(str).tolist() == ["on time", "1-2 days late", "3-6 days late", "7+ days late"]
    # on time: surveys 1 (5) and 6 (3); 1-2: survey 3 (5); 3-6: survey 4 (5); 7+: survey 2 (1).
    # survey 7's order was cancelled (no delivery), survey 5 unanswered.
    assert out["surveys"].tolist() == [2, 1, 1, 1]
    assert out["mean_csat"].tolist() == [4.0, 5.0, 5.0, 1.0]
    assert out["share_satisfied"].tolist() == [0.5, 1.0, 1.0, 0.0]
    # standard error of (5, 3): sd sqrt(2) / sqrt(2) = 1
    assert out["csat_sem"].iloc[0] == pytest.approx(1.0)


def test_csat_by_lateness_custom_bins():
    out = csat_by_lateness(make_surveys(), make_orders(), bins=[-10, 2, 100])
    # (-10, 2]: surveys 1, 6, 3 -> (5 + 3 + 5) / 3; (2, 100]: surveys 4, 2 -> 3
    assert out["surveys"].tolist() == [3, 2]
    assert out["mean_csat"].tolist() == pytest.approx([13 / 3, 3.0])


def test_custom_bins_can_be_named():
    late = csat_by_lateness(make_surveys(), make_orders(), bins=[-10, 2, 100], labels=["up to 2 days", "later"])
    assert late["lateness"].astype(str).tolist() == ["up to 2 days", "later"]
    assert late["surveys"].tolist() == [3, 2]
    # survey 1's longest wait is 30 h -> over a day; survey 3's 0 h -> within a day
    fast = csat_by_response_time(make_surveys(), make_tickets(), bins=[0, 24, np.inf],
                                 labels=["within a day", "over a day"])
    assert fast["response_time"].astype(str).tolist() == ["no ticket", "within a day", "over a day"]
    assert fast["surveys"].tolist() == [4, 1, 1]


@pytest.mark.parametrize("labels", [["only one"], ["a", "a"], ["no ticket", "slow"]])
def test_bin_labels_must_name_each_bin_once(labels):
    with pytest.raises(CustkitError, match="labels"):
        csat_by_response_time(make_surveys(), make_tickets(), bins=[0, 24, np.inf], labels=labels)


def test_csat_by_response_time_by_hand():
    out = csat_by_response_time(make_surveys(), make_tickets())
    assert out["response_time"].astype(str).tolist() == ["no ticket", "within 1 h", "1-4 h", "4-24 h",
                                                         "1-3 days", "over 3 days"]
    # survey 1: tickets at 0.5 h and 30 h, longest 30 -> 1-3 days; survey 3: 0 h (same day) -> within 1 h;
    # survey 2's ticket is 70 days old and survey 4's opened after it: no ticket, with surveys 6 and 7.
    assert out["surveys"].tolist() == [4, 1, 0, 0, 1, 0]
    # no ticket: (1 + 5 + 3 + 2) / 4
    assert out["mean_csat"].iloc[0] == pytest.approx(11 / 4)
    quickest = csat_by_response_time(make_surveys(), make_tickets(), how="min")
    assert quickest["surveys"].tolist() == [4, 2, 0, 0, 0, 0]


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s, o, t: repurchase_by_csat(s.drop(columns="csat"), o, as_of="2024-03-31"), "csat"),
        (lambda s, o, t: repurchase_by_csat(s, o, as_of="2024-03-31", within_days=0), "within_days"),
        (lambda s, o, t: repurchase_by_csat(s, o, as_of="2024-01-15"), "no answered survey"),
        (lambda s, o, t: repurchase_by_csat(s.assign(csat=7), o, as_of="2024-03-31"), "1 to 5"),
        (lambda s, o, t: repurchase_by_csat(s.assign(csat=pd.NA).astype({"csat": "Int64"}), o,
                                            as_of="2024-03-31"), "no answered"),
        (lambda s, o, t: csat_by_lateness(s, o.drop(columns="promised_date")), "promised_date"),
        (lambda s, o, t: csat_by_lateness(s, o, bins=[3, 1]), "bins"),
        (lambda s, o, t: csat_by_response_time(s, t, how="median"), "how"),
        (lambda s, o, t: csat_by_response_time(s, t.iloc[:0]), "empty"),
        (lambda s, o, t: csat_by_response_time(s, t, window_days=-3), "window_days"),
        (lambda s, o, t: csat_by_response_time(s, t.assign(first_response_hours=-1.0)), "negative"),
        (lambda s, o, t: csat_by_response_time(s, t, bins=[0, 1, 10]), "end with inf"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(CustkitError, match=match):
        call(make_surveys(), make_orders(), make_tickets())
