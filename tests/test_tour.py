"""The tour of notebook 00: table overview, column guide, fact sheet, weekly orders."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

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
    assert len(ax.lines[0].get_xdata()) == 3
    with pytest.raises(CustkitError):
        tour_plots.plot_weekly_orders(out.drop(columns="promotion_week"))
