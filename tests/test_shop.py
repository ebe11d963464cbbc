"""Shop.end: the one default analysis day of every analysis that takes as_of."""

from __future__ import annotations

import pandas as pd
import pytest

from custkit import CustkitError, Shop, ShopConfig


def test_the_end_is_the_configs_last_day():
    shop = Shop(tables={"orders": pd.DataFrame({"order_date": pd.to_datetime(["2024-03-01 10:00"])})},
                config=ShopConfig(end_date="2025-06-30"))
    assert shop.end == pd.Timestamp("2025-06-30")


def test_without_a_config_the_end_is_the_day_of_the_last_order():
    orders = pd.DataFrame({"order_date": pd.to_datetime(["2024-03-01 10:00", "2024-05-07 23:59"])})
    assert Shop(tables={"orders": orders}).end == pd.Timestamp("2024-05-07")


@pytest.mark.parametrize("tables", [{}, {"orders": pd.DataFrame({"order_date": pd.to_datetime([])})},
                                    {"orders": pd.DataFrame({"day": [1]})}])
def test_a_shop_with_neither_asks_for_as_of(tables):
    with pytest.raises(CustkitError, match="pass as_of"):
        Shop(tables=tables).end


def test_the_notebooks_exercises_and_comparisons_use_it():
    from custkit.exercises import nb01, nb02, nb03
    from custkit.io import load_shop

    shop = load_shop()
    assert nb01.analysis_day(shop) == nb02.observation_end(shop) == nb03.observation_end(shop) == shop.end
