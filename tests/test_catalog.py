"""Tests of custkit.simulate.catalog: categories, products, prices and costs."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.schema import PANDAS_DTYPE, PRODUCTS
from custkit.simulate.catalog import CATEGORIES, OWN_BRAND, _allocate, _shop_round, build_catalog
from custkit.simulate.locales import get_locale

US, FA = get_locale("en_US"), get_locale("fa_IR")


def test_categories_table():
    assert len(CATEGORIES) == 10 and CATEGORIES["category"].is_unique
    assert CATEGORIES["popularity"].sum() == pytest.approx(1.0)
    assert CATEGORIES["margin"].between(0, 1).all()
    gifts = set(CATEGORIES.loc[CATEGORIES["gift_like"], "category"])
    assert gifts == {"Beauty & Personal Care", "Books & Stationery", "Toys & Baby", "Jewellery & Watches",
                     "Gifts & Flowers"}
    assert any(OWN_BRAND in b for b in CATEGORIES["brands"])


def test_products_follow_the_schema():
    products = build_catalog(US, np.random.default_rng(1), 120)
    expected = [c.name for c in PRODUCTS] + ["gift_like", "popularity"]
    assert list(products.columns) == expected
    for col in PRODUCTS:
        assert str(products[col.name].dtype) == PANDAS_DTYPE[col.kind], col.name
    assert products["product_id"].tolist() == list(range(1, 121))
    assert products["name"].is_unique
    assert products["popularity"].sum() == pytest.approx(1.0)
    assert (products["popularity"] > 0).all()
    gift = products["category"].map(CATEGORIES.set_index("category")["gift_like"])
    assert (products["gift_like"] == gift).all()


def test_names_read_brand_type_model():
    products = build_catalog(US, np.random.default_rng(1), 60)
    assert (products.apply(lambda r: r["name"].startswith(r["brand"] + " "), axis=1)).all()
    assert products["name"].str.fullmatch(r".+ [XSMPQRZ]\d( Mk\d+)?").all()
    assert products["name"].str.contains("Wireless Earbuds|Power Bank|T-Shirt|Perfume").any()


def test_persian_names_for_fa_shops():
    products = build_catalog(FA, np.random.default_rng(1), 60)
    assert products["name"].is_unique
    # Persian type first, then the Latin brand, then the model code.
    assert products.apply(lambda r: f" {r['brand']} " in r["name"], axis=1).all()
    assert products["name"].str.match("[\u0600-\u06ff]").all()
    text = "".join(products["name"])
    assert "\u064a" not in text and "\u0643" not in text  # no Arabic yeh or kaf


def test_allocation_by_largest_remainder():
    shares = np.array([0.5, 0.3, 0.2])
    # n=7: one each, then 4 split as 2.0, 1.2, 0.8 -> floors 2,1,0 and the largest remainder
    # (0.8) gets the last one: 1+2, 1+1, 1+0+1.
    assert _allocate(shares, 7).tolist() == [3, 2, 2]
    # n=2 < 3 shares: no floor of one; 1.0, 0.6, 0.4 -> 1, 0, 0 and 0.6 wins the last.
    assert _allocate(shares, 2).tolist() == [1, 1, 0]


def test_few_products_go_to_the_most_popular_categories():
    # n=5 < 10: 5 x popularity = .6 .7 .7 .75 .55 .4 .45 .35 .25 .25, all floors 0; the five
    # largest remainders: Fashion .75, Mobile .7, Home .7, Electronics .6, Beauty .55.
    products = build_catalog(US, np.random.default_rng(0), 5)
    assert set(products["category"]) == {"Fashion", "Mobile Accessories", "Home & Kitchen", "Electronics",
                                         "Beauty & Personal Care"}
    assert build_catalog(US, np.random.default_rng(0), 10)["category"].is_unique


def test_shop_rounding():
    assert _shop_round(np.array([12.30, 0.40, 129.0]), "en_US").tolist() == pytest.approx([12.99, 0.99, 129.99])
    # 1,234,567 / 1000 = 1234.567 -> 1235 thousand; 400 -> at least 1,000; 2,499 -> 2,000.
    assert _shop_round(np.array([1_234_567.0, 400.0, 2_499.0]), "fa_IR").tolist() == [1_235_000, 1_000, 2_000]


def test_prices_costs_and_margins():
    products = build_catalog(US, np.random.default_rng(2), 4000)
    cents = np.round(products["list_price"] * 100).astype(int) % 100
    assert (cents == 99).all()
    ratio = products["unit_cost"] / products["list_price"]
    assert ratio.between(0.2, 0.95).all()
    margin = 1 - ratio
    by_cat = margin.groupby(products["category"]).mean()
    target = CATEGORIES.set_index("category")["margin"]
    assert (by_cat - target[by_cat.index]).abs().max() < 0.03  # up to .99 rounding and clipping
    med = products.groupby("category")["list_price"].median()
    usd = CATEGORIES.set_index("category")["median_price_usd"]
    assert (np.log(med / usd[med.index]).abs() < 0.25).all()


def test_toman_prices_scale_the_dollar_prices():
    usd = build_catalog(US, np.random.default_rng(3), 300)
    toman = build_catalog(FA, np.random.default_rng(3), 300)
    assert (usd[["category", "brand"]] == toman[["category", "brand"]]).all().all()
    assert (toman["list_price"] % 1000 == 0).all()
    # USD = floor(raw) + .99, so raw lies in (USD - 0.99, USD]; toman is raw x rate to the nearest
    # 1,000, i.e. within 500 toman.
    raw_hi = usd["list_price"] * FA.usd_rate + 500
    raw_lo = (usd["list_price"] - 0.99) * FA.usd_rate - 500
    assert toman["list_price"].between(raw_lo, raw_hi).all()


def test_same_seed_same_catalog_in_any_process():
    a = build_catalog(FA, np.random.default_rng(9), 50)
    pd.testing.assert_frame_equal(a, build_catalog(FA, np.random.default_rng(9), 50))
    assert not a.equals(build_catalog(FA, np.random.default_rng(10), 50))
    code = (
        "import numpy as np, pandas as pd;"
        "from custkit.simulate.catalog import build_catalog;"
        "from custkit.simulate.locales import get_locale;"
        "d = build_catalog(get_locale('fa_IR'), np.random.default_rng(9), 50);"
        "print(int(pd.util.hash_pandas_object(d, index=False).sum()))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(other.stdout) == int(pd.util.hash_pandas_object(a, index=False).sum())


def test_bad_input():
    rng = np.random.default_rng(0)
    with pytest.raises(CustkitError, match="n_products"):
        build_catalog(US, rng, 0)
    with pytest.raises(CustkitError, match="n_products"):
        build_catalog(US, rng, 2.5)
    with pytest.raises(CustkitError, match="Generator"):
        build_catalog(US, 42, 10)
    with pytest.raises(CustkitError, match="get_locale"):
        build_catalog("en_US", rng, 10)


def test_shop_does_not_sell_the_competitor_brands_searched_for():
    from custkit.simulate.events import COMPETITOR_BRANDS

    sold = {b for brands in CATEGORIES["brands"] for b in brands}
    rivals = {b for names in COMPETITOR_BRANDS.values() for b in names}
    assert not sold & rivals
    assert OWN_BRAND in sold
