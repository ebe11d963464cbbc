"""customer_summary and from_transactions: hand-computed cases, the CDNOW counts, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.transactions import customer_summary, from_transactions


@pytest.fixture
def log() -> pd.DataFrame:
    # customer 1: two orders on Mon 2024-01-01 (10 + 5), then 01-08 (20), 01-22 (40), and one order
    #             after as_of (02-05, 100) that must be ignored.
    # customer 2: one order on 01-15 (50).
    # customer 3: two orders on Wed 01-10 (8 at 09:00, 12 at 18:30) and one on Thu 01-11 (30).
    return pd.DataFrame(
        {
            "customer_id": [1, 1, 1, 1, 1, 2, 3, 3, 3],
            "order_date": pd.to_datetime(
                ["2024-01-01", "2024-01-01", "2024-01-08", "2024-01-22", "2024-02-05", "2024-01-15",
                 "2024-01-10 09:00", "2024-01-10 18:30", "2024-01-11"],
                format="ISO8601",
            ),
            "net": [10.0, 5.0, 20.0, 40.0, 100.0, 50.0, 8.0, 12.0, 30.0],
        }
    )


def test_summary_in_days_by_hand(log):
    # as_of 2024-01-29.
    # c1: purchase days 01-01, 01-08, 01-22 -> frequency 2; recency 01-22 - 01-01 = 21 days;
    #     T = 01-29 - 01-01 = 28 days; monetary = mean(20, 40) = 30 (first day left out).
    # c2: one day -> frequency 0, recency 0, T = 01-29 - 01-15 = 14 days, monetary 0.
    # c3: days 01-10 (8 + 12) and 01-11 (30) -> frequency 1, recency 1, T = 19 days, monetary 30.
    s = customer_summary(log, as_of="2024-01-29")
    expected = pd.DataFrame(
        {
            "frequency": np.array([2, 0, 1], dtype="int64"),
            "recency": [21.0, 0.0, 1.0],
            "T": [28.0, 14.0, 19.0],
            "monetary_value": [30.0, 0.0, 30.0],
        },
        index=pd.Index([1, 2, 3], name="customer_id"),
    )
    pd.testing.assert_frame_equal(s, expected)
    assert s.attrs["freq"] == "D"
    assert s.attrs["as_of"] == pd.Timestamp("2024-01-29")


def test_summary_in_weeks_by_hand(log):
    # the same days divided by 7: c1 recency 3, T 4; c2 T 2; c3 recency 1/7, T 19/7.
    s = customer_summary(log, as_of="2024-01-29", freq="W")
    np.testing.assert_allclose(s["recency"], [3.0, 0.0, 1 / 7])
    np.testing.assert_allclose(s["T"], [4.0, 2.0, 19 / 7])
    assert s["frequency"].tolist() == [2, 0, 1]


def test_summary_counting_per_week(log):
    # weeks start on Monday: c1 buys in the weeks of 01-01, 01-08 and 01-22 -> frequency 2, unchanged;
    # c3's 01-10 and 01-11 fall in one week -> frequency 0, recency 0, monetary 0.
    s = customer_summary(log, as_of="2024-01-29", count_per="W")
    assert s["frequency"].tolist() == [2, 0, 0]
    assert s["recency"].tolist() == [21.0, 0.0, 0.0]
    assert s["monetary_value"].tolist() == [30.0, 0.0, 0.0]


def test_summary_window_start_and_default_as_of(log):
    # start 01-05 drops c1's first day: c1 then buys 01-08 (first), 01-22 -> frequency 1,
    # recency 14, T = 29 - 8 = 21, monetary 40. Default as_of = last day in the log (02-05).
    s = customer_summary(log, as_of="2024-01-29", start="2024-01-05")
    assert s.loc[1].tolist() == [1, 14.0, 21.0, 40.0]
    full = customer_summary(log)
    assert full.attrs["as_of"] == pd.Timestamp("2024-02-05")
    assert full.loc[1, "frequency"] == 3


def test_summary_without_amount_and_custom_names(log):
    renamed = log.rename(columns={"customer_id": "who", "order_date": "when"})
    s = customer_summary(renamed, customer="who", time="when", amount=None, as_of="2024-01-29")
    assert list(s.columns) == ["frequency", "recency", "T"]
    assert s.index.name == "who"


def test_summary_does_not_mutate_input(log):
    before = log.copy()
    customer_summary(log, as_of="2024-01-29", freq="W")
    pd.testing.assert_frame_equal(log, before)


def test_cdnow_calibration_counts(cdnow_summary):
    # Fader, Hardie and Lee (2005): 2,357 customers, 1,411 without a repeat purchase, 39 weeks.
    assert len(cdnow_summary) == 2357
    assert int((cdnow_summary["frequency"] == 0).sum()) == 1411
    assert cdnow_summary["T"].max() == pytest.approx(272 / 7)  # 1997-01-01 .. 1997-09-30


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"customer": "client"}, "lacks column"),
        ({"freq": "M"}, "freq must be one of"),
        ({"count_per": "H"}, "count_per must be one of"),
        ({"as_of": "not a date"}, "as_of must be a date"),
        ({"as_of": "2023-01-01"}, "no transaction"),
        ({"start": "2024-03-01", "as_of": "2024-01-29"}, "lies after as_of"),
    ],
)
def test_summary_bad_arguments(log, kwargs, match):
    with pytest.raises(CustkitError, match=match):
        customer_summary(log, **kwargs)


@pytest.mark.filterwarnings("ignore:Could not infer format")  # pandas' note on the bad date
def test_summary_bad_tables(log):
    with pytest.raises(CustkitError, match="must be a pandas DataFrame"):
        customer_summary(log.to_dict())
    with pytest.raises(CustkitError, match="empty"):
        customer_summary(log.iloc[:0])
    with pytest.raises(CustkitError, match="must hold numbers"):
        customer_summary(log.assign(net=log["net"].astype(str)))
    with pytest.raises(CustkitError, match="must hold dates"):
        customer_summary(log.assign(order_date="yesterday"))
    with pytest.raises(CustkitError, match="missing customer ids"):
        customer_summary(log.assign(customer_id=[1, None, 1, 1, 1, 2, 3, 3, 3]))


def test_from_transactions_renames_and_fills_defaults():
    df = pd.DataFrame(
        {
            "client": ["b", "a", "b"],
            "paid_at": ["2024-03-02 10:00", "2024-03-01 00:00", "2024-03-05 12:00"],
            "amount": [3, 7, 11],
        }
    )
    tables = from_transactions(df, customer="client", time="paid_at", amount="amount", as_of="2024-03-04")
    orders, customers = tables["orders"], tables["customers"]
    # the 03-05 order lies after as_of; the rest sorted in time: a (03-01), b (03-02)
    assert orders.columns.tolist() == ["order_id", "customer_id", "order_date", "net", "shop_revenue", "status"]
    assert orders["order_id"].tolist() == [1, 2]
    assert orders["customer_id"].tolist() == ["a", "b"]
    assert orders["net"].tolist() == [7.0, 3.0]
    assert orders["shop_revenue"].tolist() == [7.0, 3.0]
    assert orders["status"].tolist() == ["delivered", "delivered"]
    assert str(orders["order_date"].dtype) == "datetime64[s]"
    assert customers["customer_id"].tolist() == ["a", "b"]
    assert customers["signup_date"].tolist() == [pd.Timestamp("2024-03-01"), pd.Timestamp("2024-03-02")]
    assert df["paid_at"].tolist()[0] == "2024-03-02 10:00"  # input untouched


def test_from_transactions_bad_input():
    df = pd.DataFrame({"customer_id": [1], "order_date": ["2024-01-01"], "net": [1.0]})
    with pytest.raises(CustkitError, match="lacks column"):
        from_transactions(df, amount="price")
    with pytest.raises(CustkitError, match="no purchase on or before"):
        from_transactions(df, as_of="2023-12-31")
    with pytest.raises(CustkitError, match="missing values"):
        from_transactions(df.assign(net=[np.nan]))
    with pytest.raises(CustkitError, match="empty"):
        from_transactions(df.iloc[:0])


def test_from_transactions_is_at_the_top_level():
    import custkit as ck
    from custkit.transactions import from_transactions

    assert ck.from_transactions is from_transactions
    assert "from_transactions" in dir(ck) and "from_transactions" in ck.__all__
