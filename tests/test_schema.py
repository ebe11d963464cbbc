"""The table contract is coherent: unique names, known kinds, ids first."""

import pytest

from custkit.schema import ALL_TABLES, PANDAS_DTYPE, TABLES, column_names


@pytest.mark.parametrize("table", sorted(ALL_TABLES))
def test_columns_are_unique_and_of_known_kinds(table):
    names = column_names(table)
    assert len(names) == len(set(names))
    assert all(c.kind in PANDAS_DTYPE for c in ALL_TABLES[table])
    assert all(c.description.strip() for c in ALL_TABLES[table])


def test_money_columns_say_their_unit():
    for table, cols in ALL_TABLES.items():
        for c in cols:
            if c.name in {"gross", "discount", "net", "shop_revenue", "list_price", "unit_cost", "spend"}:
                assert c.unit == "currency", (table, c.name)


def test_truth_is_not_an_observed_table():
    assert "truth" not in TABLES
    assert column_names("orders", include_optional=False).count("order_date_jalali") == 0
