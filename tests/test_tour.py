"""The tour of notebook 00: table overview, column guide, fact sheet, weekly orders."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pandas as pd
import pytest

from custkit import tour
from custkit.errors import CustkitError
from custkit.plots import tour as tour_plots
from custkit.schema import TABLES


def _tables():
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3],
        "account_type": ["consumer", "consumer", "business"],
        "loyalty_tier": ["none", "gold", "none"],
    })
    products = pd.DataFrame({"product_id": [1, 2], "category": ["Toys", "Toys"]})
    sessions = pd.DataFrame({
        "visitor_id": [10, 10, 11, 12, 12],
        "customer_id": pd.array([pd.NA, 1, 2, pd.NA, pd.NA], dtype="Int64"),
        "start": pd.to_datetime(["2024-01-01 09:00", "2024-01-02 00:00", "2024-01-03 00:00", "2024-01-05 00:00", "2024-01-20 23:00"]),
    })
    orders = pd.DataFrame({
        "order_id": [1, 2, 3, 4],
        "order_date": pd.to_datetime(["2024-01-01 10:00", "2024-01-03 00:00", "2024-01-10 00:00", "2024-01-17 00:00"]),
        "promised_date": pd.to_datetime(["2024-01-04", "2024-01-06", "2024-01-13", "2024-01-20"]),
        "delivered_date": pd.to_datetime(["2024-01-04", "2024-01-08", None, "2024-01-20"]),
        "status": ["delivered", "returned", "cancelled", "delivered"],
    })
    campaigns = pd.DataFrame({
        "campaign_id": [1, 2],
        "start_date": pd.to_datetime(["2024-01-10", "2024-01-02"]),
        "end_date": pd.to_datetime(["2024-01-10", "2024-01-05"]),
        "is_promotion_day": [True, False],
    })
    return {"customers": customers, "products": products, "sessions": sessions, "orders": orders,
            "campaigns": campaigns}


def test_table_overview_counts_and_order():
    tables = _tables()
    out = tour.table_overview(tables)
    # schema order: customers, products, sessions, orders, campaigns
    assert out["table"].tolist() == ["customers", "products", "sessions", "orders", "campaigns"]
    assert out["rows"].tolist() == [3, 2, 5, 4, 2]
    assert out["columns"].tolist() == [3, 2, 3, 5, 4]
    assert out["records"].str.len().gt(10).all()


def test_table_notes_cover_every_observed_table():
    assert set(TABLES) <= set(tour.TABLE_NOTES)


def test_table_overview_bad_input():
    with pytest.raises(CustkitError, match="non-empty mapping"):
        tour.table_overview([])
    with pytest.raises(CustkitError, match="unknown table"):
        tour.table_overview({"order": pd.DataFrame({"a": [1]})})
    with pytest.raises(CustkitError, match="truth"):
        tour.table_overview({"truth": pd.DataFrame({"a": [1]})})


def test_column_guide_reads_schema_only():
    guide = tour.column_guide("truth")
    assert guide.columns.tolist() == ["column", "type", "unit", "meaning"]
    assert guide["column"].iloc[0] == "customer_id" and "persona" in guide["column"].tolist()
    orders = tour.column_guide("orders")
    jalali = orders.loc[orders["column"] == "order_date_jalali", "meaning"].item()
    assert "only in fa_IR shops" in jalali
    assert orders.loc[orders["column"] == "session_id", "type"].item() == "integer or missing"
    with pytest.raises(CustkitError, match="unknown table"):
        tour.column_guide("ordres")


def test_shop_facts_hand_computed():
    facts = tour.shop_facts(_tables(), currency="USD").set_index("fact")["value"]
    assert facts["observation window"] == "2024-01-01 to 2024-01-20"
    assert facts["currency"] == "USD"
    assert facts["  of which consumers / businesses / employees"] == "2 / 1 / 0"
    # visitors 10 and 11 had an account at some visit; only 12 stayed anonymous
    assert facts["anonymous visitors (never registered)"] == "1"
    assert facts["products / categories"] == "2 / 1"
    # delivered dates exist for orders 1, 2, 4; only order 2 came after its promise: 1/3
    assert facts["share of delivered orders that came late"] == "33.3%"
    assert facts["delivery promise (median days after the order)"] == "3"
    assert facts["regular campaigns / promotion days"] == "1 / 1"
    assert facts["loyalty tiers at the end (none / bronze / silver / gold)"] == "2 / 0 / 0 / 1"


def test_shop_facts_bad_input():
    tables = _tables()
    del tables["campaigns"]
    with pytest.raises(CustkitError, match="campaigns"):
        tour.shop_facts(tables)
    tables = _tables()
    tables["orders"] = tables["orders"].drop(columns="status")
    with pytest.raises(CustkitError, match="status"):
        tour.shop_facts(tables)


def test_weekly_orders_hand_computed():
    tables = _tables()
    out = tour.weekly_orders(tables["orders"], tables["campaigns"])
    # Mondays: 2024-01-01 (orders 1 and 2), 01-08 (order 3, cancelled), 01-15 (order 4)
    assert out["week"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-08", "2024-01-15"]
    assert out["orders"].tolist() == [2, 1, 1]
    assert out["cancelled"].tolist() == [0, 1, 0]
    # promotion day 2024-01-10 lies in the week of 01-08; the regular campaign does not count
    assert out["promotion_week"].tolist() == [False, True, False]
    # the orders run from Monday 01-01 to Wednesday 01-17: the last week holds 3 days
    assert out["days"].tolist() == [7, 7, 3]
    assert out["complete"].tolist() == [True, True, False]


def test_weekly_orders_window_marks_partial_weeks_and_drops_orders_outside():
    orders = _tables()["orders"]
    # a window from Wednesday 01-03 to Sunday 01-14: order 1 (01-01) and order 4 (01-17) fall outside
    out = tour.weekly_orders(orders, start="2024-01-03", end="2024-01-14")
    assert out["week"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-01", "2024-01-08"]
    assert out["orders"].tolist() == [1, 1]
    assert out["days"].tolist() == [5, 7]
    assert out["complete"].tolist() == [False, True]
    # a window longer than the orders lists its empty weeks, all complete
    longer = tour.weekly_orders(orders, start="2024-01-01", end="2024-01-28")
    assert longer["orders"].tolist() == [2, 1, 1, 0] and longer["complete"].all()
    with pytest.raises(CustkitError, match="before start"):
        tour.weekly_orders(orders, start="2024-01-10", end="2024-01-01")


def _sale_orders():
    # five weeks from Monday 2024-01-01: 2 orders a day; the promotion day Friday 01-26 has 10
    days = pd.date_range("2024-01-01", "2024-02-04")
    counts = [10 if d == pd.Timestamp("2024-01-26") else 2 for d in days]
    when = [d + pd.Timedelta(hours=12) for d, k in zip(days, counts) for _ in range(k)]
    orders = pd.DataFrame({"order_date": pd.to_datetime(when), "status": "delivered"})
    campaigns = pd.DataFrame({
        "campaign_id": [1, 2], "name": ["Sale day 2024", "Spring deals"],
        "start_date": pd.to_datetime(["2024-01-26", "2024-01-08"]),
        "end_date": pd.to_datetime(["2024-01-26", "2024-01-09"]),
        "is_promotion_day": [True, False],
    })
    return orders, campaigns


def test_promotion_lift_hand_computed():
    orders, campaigns = _sale_orders()
    out = tour.promotion_lift(orders, campaigns)
    assert out["name"].tolist() == ["Sale day 2024"]  # regular campaigns are not promotion days
    row = out.iloc[0]
    assert row["days"] == 1
    # the sale day: 10 orders against 2 on each of the four Fridays before
    assert row["day_orders"] == 10 and row["day_baseline"] == 2 and row["day_lift"] == pytest.approx(5)
    # its week (Monday 01-22): 6 x 2 + 10 = 22 orders against 14 in each of the four weeks before
    assert row["week_orders"] == 22 and row["week_baseline"] == 14
    assert row["week_lift"] == pytest.approx(22 / 14)
    fewer = tour.promotion_lift(orders, campaigns, weeks_before=2)
    assert fewer["week_baseline"].item() == 14
    with pytest.raises(CustkitError, match="weeks_before"):
        tour.promotion_lift(orders, campaigns, weeks_before=0)


def test_promotion_lift_without_a_yardstick_is_missing():
    orders, campaigns = _sale_orders()
    early = campaigns.assign(start_date=pd.to_datetime(["2024-01-01", "2024-01-08"]),
                             end_date=pd.to_datetime(["2024-01-01", "2024-01-09"]))
    row = tour.promotion_lift(orders, early).iloc[0]
    assert np.isnan(row["day_lift"]) and np.isnan(row["week_lift"])
    # a sale outside the window is left out
    late = campaigns.assign(start_date=pd.to_datetime(["2024-03-01", "2024-01-08"]),
                            end_date=pd.to_datetime(["2024-03-01", "2024-01-09"]))
    assert tour.promotion_lift(orders, late).empty


def test_weekly_orders_fills_empty_weeks_and_keeps_input():
    orders = _tables()["orders"].iloc[[0, 3]]
    before = orders.copy()
    out = tour.weekly_orders(orders)
    assert out["orders"].tolist() == [1, 0, 1]
    assert not out["promotion_week"].any()
    pd.testing.assert_frame_equal(orders, before)


def test_weekly_orders_bad_input():
    with pytest.raises(CustkitError, match="lacks column"):
        tour.weekly_orders(pd.DataFrame({"order_date": ["2024-01-01"]}))
    with pytest.raises(CustkitError, match="dates"):
        tour.weekly_orders(pd.DataFrame({"order_date": ["soon"], "status": ["delivered"]}))


def test_plot_weekly_orders():
    out = tour.weekly_orders(_tables()["orders"], _tables()["campaigns"])
    ax = tour_plots.plot_weekly_orders(out)
    assert ax.get_title() and "Orders" in ax.get_ylabel()
    # the partial last week (3 days) is off the line, drawn as its own marked point
    assert len(ax.lines[0].get_xdata()) == 2
    labels = ax.get_legend_handles_labels()[1]
    assert any("Partial week" in label for label in labels)
    whole = tour_plots.plot_weekly_orders(out.drop(columns=["days", "complete"]))
    assert len(whole.lines[0].get_xdata()) == 3  # without the column every week is complete
    with pytest.raises(CustkitError):
        tour_plots.plot_weekly_orders(out.drop(columns="promotion_week"))
