"""Share of wallet: stated shares, yearly spend and implied wallets, by hand."""

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention import customer_wallets, share_of_wallet


def make_surveys() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [1, 1, 2, 3, 4],
        "sent_date": pd.to_datetime(["2024-01-10", "2024-02-10", "2024-02-01", "2024-02-01", "2024-04-05"]),
        "share_of_wallet": [0.5, 0.25, 0.0, np.nan, 0.8],
    })


def make_orders() -> pd.DataFrame:
    return pd.DataFrame({
        "customer_id": [1, 1, 1, 2, 2],
        "order_date": pd.to_datetime(["2024-01-20", "2023-03-01", "2024-02-01", "2024-02-01", "2024-03-01"]),
        "net": [100.0, 1000.0, 500.0, 40.0, 60.0],
        "status": ["delivered", "delivered", "returned", "delivered", "delivered"],
        "transaction_type": ["B2C", "B2C", "B2C", "B2C", "C2B"],
    })


def test_customer_wallets_by_hand():
    surveys, orders = make_surveys(), make_orders()
    before = surveys.copy(), orders.copy()
    w = customer_wallets(surveys, orders, as_of="2024-03-31")
    pd.testing.assert_frame_equal(surveys, before[0])
    pd.testing.assert_frame_equal(orders, before[1])
    # customer 1: latest answer 0.25; spend in the year to 31 Mar: 100 (the 2023-03-01 order is older,
    # the 500 was returned) -> wallet 100 / 0.25 = 400, untapped 300.
    # customer 2: share 0 -> no implied wallet; spend 40 (the C2B trade-in is not spending).
    # customer 3 gave no share; customer 4 answered after as_of.
    assert w["customer_id"].tolist() == [1, 2]
    assert w["stated_share"].tolist() == [0.25, 0.0]
    assert w["yearly_spend"].tolist() == [100.0, 40.0]
    assert w["implied_wallet"].iloc[0] == 400.0 and np.isnan(w["implied_wallet"].iloc[1])
    assert w["untapped"].iloc[0] == 300.0


def test_short_window_is_scaled_to_a_year():
    w = customer_wallets(make_surveys(), make_orders(), as_of="2024-03-31", window_days=73)
    # 73 days = a fifth of a year: customer 1's 100 (20 Jan) -> 500 a year, wallet 2000
    assert w["yearly_spend"].iloc[0] == pytest.approx(500.0)
    assert w["implied_wallet"].iloc[0] == pytest.approx(2000.0)


def test_share_of_wallet_overall_and_by_segment():
    w = customer_wallets(make_surveys(), make_orders(), as_of="2024-03-31")
    overall = share_of_wallet(w)
    assert overall["segment"].tolist() == ["all"]
    # mean of (0.25, 0); mean spend (100 + 40) / 2; wallet only from customer 1; pooled 100 / 400
    assert overall["respondents"].item() == 2
    assert overall["mean_share"].item() == pytest.approx(0.125)
    assert overall["mean_yearly_spend"].item() == 70.0
    assert overall["mean_implied_wallet"].item() == 400.0
    assert overall["pooled_share"].item() == 0.25
    customers = pd.DataFrame({"customer_id": [1, 2], "socio_economic_class": ["high", "low"]})
    by = share_of_wallet(w, customers=customers, by="socio_economic_class")
    assert by["segment"].tolist() == ["high", "low"]
    assert by["mean_share"].tolist() == [0.25, 0.0]
    assert by["pooled_share"].iloc[0] == 0.25 and np.isnan(by["pooled_share"].iloc[1])


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda s, o: customer_wallets(s.assign(share_of_wallet=1.5), o, as_of="2024-03-31"), "between 0 and 1"),
        (lambda s, o: customer_wallets(s.drop(columns="share_of_wallet"), o, as_of="2024-03-31"), "share_of_wallet"),
        (lambda s, o: customer_wallets(s, o.drop(columns="net"), as_of="2024-03-31"), "net"),
        (lambda s, o: customer_wallets(s, o, as_of="2024-03-31", window_days=0), "window_days"),
        (lambda s, o: customer_wallets(s, o, as_of="2024-01-05"), "no 'share_of_wallet' answer"),
        (lambda s, o: share_of_wallet(customer_wallets(s, o, as_of="2024-03-31"), by="city"), "customers"),
        (lambda s, o: share_of_wallet(customer_wallets(s, o, as_of="2024-03-31"),
                                      customers=pd.DataFrame({"customer_id": [1]}), by="city"), "city"),
        (lambda s, o: share_of_wallet(s), "stated_share"),
    ],
)
def test_bad_input(call, match):
    with pytest.raises(CustkitError, match=match):
        call(make_surveys(), make_orders())
