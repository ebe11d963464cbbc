"""audience_over_time: the roles of the audience on several days (concept A4)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import pandas as pd
import pytest

from custkit.definitions import audience_over_time
from custkit.errors import CustkitError
from custkit.plots.definitions import plot_audience_over_time


def _shop():
    customers = pd.DataFrame({
        "customer_id": [1, 2],
        "signup_date": pd.to_datetime(["2024-01-05", "2024-02-10"]),
    })
    sessions = pd.DataFrame({
        "visitor_id": [10, 11, 12],
        "customer_id": pd.array([1, 2, pd.NA], dtype="Int64"),
        "start": pd.to_datetime(["2024-01-05 10:00", "2024-02-10 10:00", "2024-01-20 10:00"]),
    })
    orders = pd.DataFrame({
        "customer_id": [1, 1, 2],
        "order_date": pd.to_datetime(["2024-01-06 12:00", "2024-03-01 12:00", "2024-02-20 12:00"]),
        "transaction_type": ["B2C", "B2C", "B2C"],
        "status": ["delivered", "delivered", "cancelled"],
    })
    return customers, sessions, orders


def test_hand_computed_timeline():
    customers, sessions, orders = _shop()
    out = audience_over_time(customers, sessions, orders, ["2024-03-31", "2024-01-31", "2024-01-31"])
    assert out.columns.tolist() == ["as_of", "role", "people", "share"]
    people = out.pivot(index="as_of", columns="role", values="people")
    # 2024-01-31: account 1 signed up and bought once; visitor 12 is anonymous; account 2 not yet.
    jan = people.loc[pd.Timestamp("2024-01-31")]
    assert (jan["visitor"], jan["lead"], jan["first_time_buyer"], jan["repeat_buyer"]) == (1, 0, 1, 0)
    # 2024-03-31: account 1 bought twice; account 2's only order was cancelled, so still a lead.
    mar = people.loc[pd.Timestamp("2024-03-31")]
    assert (mar["visitor"], mar["lead"], mar["first_time_buyer"], mar["repeat_buyer"]) == (1, 1, 0, 1)
    assert out["as_of"].drop_duplicates().tolist() == [pd.Timestamp("2024-01-31"), pd.Timestamp("2024-03-31")]
    # shares within a day: 1 of 2 people on 31 Jan
    assert out.loc[out["as_of"] == "2024-01-31", "share"].tolist() == [0.5, 0.0, 0.5, 0.0]


def test_inputs_not_mutated():
    customers, sessions, orders = _shop()
    before = [df.copy() for df in (customers, sessions, orders)]
    audience_over_time(customers, sessions, orders, ["2024-03-31"])
    for df, old in zip((customers, sessions, orders), before):
        pd.testing.assert_frame_equal(df, old)


def test_bad_dates():
    customers, sessions, orders = _shop()
    with pytest.raises(CustkitError, match="empty"):
        audience_over_time(customers, sessions, orders, [])
    with pytest.raises(CustkitError, match="list of days"):
        audience_over_time(customers, sessions, orders, "2024-03-31")
    with pytest.raises(CustkitError, match="date"):
        audience_over_time(customers, sessions, orders, ["not a day"])


def test_plot():
    customers, sessions, orders = _shop()
    out = audience_over_time(customers, sessions, orders, ["2024-01-31", "2024-03-31"])
    ax = plot_audience_over_time(out)
    assert ax.get_title() and ax.get_ylabel() == "People"
    assert len(ax.get_legend().get_texts()) == 4
    with pytest.raises(CustkitError):
        plot_audience_over_time(out.drop(columns="people"))
