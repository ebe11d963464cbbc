"""The product catalog of a general online shop: categories, fictional brands, prices and costs.

Every brand is invented (no real trademark); ``OWN_BRAND`` is the shop's own label. Product
names are in the shop's language (English, or Persian with Latin brand names). Prices are
drawn in US dollars from a lognormal around each category's median, then scaled by the locale's
``usd_rate`` and rounded the way shops round: USD to .99, toman to whole thousands. Gift-like
categories (toys, jewellery, beauty, flowers and gifts, books) are the ones bought for someone
else, the customer-vs-consumer case of concept A2 ([000]). Ten categories give the shop the
variety that share of wallet grows with (concept D4, [002]): a customer can find most of what
they buy in these categories here.
"""

from __future__ import annotations

from numbers import Integral

import numpy as np
import pandas as pd

from custkit.errors import CustkitError
from custkit.schema import PANDAS_DTYPE, PRODUCTS
from custkit.simulate.precision import held, held_exp

OWN_BRAND = "Custkit Basics"
"""The shop's own brand (private label), sold in the everyday categories."""

_CATEGORY_ROWS = [
    # category, gift_like, median_price_usd, price_sigma, margin, popularity, brands
    ("Electronics", False, 120.0, 0.80, 0.15, 0.12,
     ("Novaline", "Voltrick", "Kestrelon", "Lumaforge")),
    ("Mobile Accessories", False, 18.0, 0.55, 0.45, 0.14,
     ("Novaline", "Cordelle", "Snapverra", OWN_BRAND)),
    ("Home & Kitchen", False, 35.0, 0.70, 0.35, 0.14,
     ("Hearthwell", "Copperlane", "Brightwick", OWN_BRAND)),
    ("Fashion", False, 30.0, 0.60, 0.50, 0.15,
     ("Tallowby", "Larkvale", "Ondrea", OWN_BRAND)),
    ("Beauty & Personal Care", True, 15.0, 0.50, 0.45, 0.11,
     ("Velunna", "Mirelle", "Purabloom", OWN_BRAND)),
    ("Books & Stationery", True, 12.0, 0.50, 0.30, 0.08,
     ("Quillcrest Press", "Inkmoor", "Paperfinch", OWN_BRAND)),
    ("Toys & Baby", True, 22.0, 0.60, 0.40, 0.09,
     ("Pebblecraft", "Tinywhirl", "Bramblebear")),
    ("Sports & Outdoors", False, 40.0, 0.70, 0.35, 0.07,
     ("Ridgeborn", "Stridewell", "Cindermoss")),
    ("Jewellery & Watches", True, 80.0, 0.80, 0.55, 0.05,
     ("Orlavie", "Goldenmere", "Sablecourt")),
    ("Gifts & Flowers", True, 30.0, 0.50, 0.50, 0.05,
     ("Petalwick", "Giftory Lane", OWN_BRAND)),
]

CATEGORIES = pd.DataFrame(
    _CATEGORY_ROWS,
    columns=["category", "gift_like", "median_price_usd", "price_sigma", "margin", "popularity", "brands"],
).astype({"category": "str", "gift_like": "bool"})
"""One row per category.

Columns: ``category``; ``gift_like`` (often bought for someone else); ``median_price_usd`` and
``price_sigma`` (list prices are lognormal: ``median * exp(sigma * Z)``); ``margin`` (the share of
the list price the shop keeps, 0-1: thin on electronics, thick on fashion and jewellery, as in
retail); ``popularity`` (share of demand, sums to 1); ``brands`` (fictional, a tuple).
"""

# Product types per category: English name, Persian name (fa_IR shops), and a price factor
# relative to the category median, so that a cable costs less than a power bank. The factors
# (rescaled to geometric mean 1) multiply the lognormal draw.
_PRODUCT_TYPES = {
    "Electronics": [
        ("Wireless Earbuds", "هندزفری بی‌سیم", 0.6), ("Bluetooth Speaker", "اسپیکر بلوتوثی", 0.7),
        ("Smartwatch", "ساعت هوشمند", 1.4), ("Tablet", "تبلت", 2.5),
        ("Action Camera", "دوربین ورزشی", 2.0), ("Noise-Cancelling Headphones", "هدفون نویزگیر", 1.6),
        ("E-Reader", "کتاب‌خوان الکترونیکی", 1.2), ("Smart Home Hub", "هاب خانه هوشمند", 0.9)],
    "Mobile Accessories": [
        ("USB-C Cable", "کابل شارژ USB-C", 0.5), ("Power Bank", "پاوربانک", 1.6),
        ("Phone Case", "قاب گوشی", 0.8), ("Screen Protector", "محافظ صفحه نمایش", 0.5),
        ("Fast Charger", "شارژر سریع", 1.2), ("Car Phone Mount", "پایه نگهدارنده گوشی", 0.9),
        ("Wireless Charging Pad", "شارژر بی‌سیم", 1.5)],
    "Home & Kitchen": [
        ("Chef's Knife", "چاقوی آشپزخانه", 1.0), ("Non-Stick Pan", "تابه نچسب", 1.1),
        ("Electric Kettle", "کتری برقی", 1.0), ("Coffee Grinder", "آسیاب قهوه", 1.3),
        ("Storage Jar Set", "ست بانکه", 0.6), ("Bath Towel Set", "ست حوله حمام", 0.9),
        ("Table Lamp", "چراغ رومیزی", 1.2), ("Blender", "مخلوط‌کن", 1.8)],
    "Fashion": [
        ("T-Shirt", "تی‌شرت", 0.5), ("Denim Jeans", "شلوار جین", 1.3), ("Sneakers", "کفش اسپرت", 2.0),
        ("Scarf", "شال", 0.7), ("Hoodie", "هودی", 1.2), ("Leather Belt", "کمربند چرمی", 0.8),
        ("Backpack", "کوله‌پشتی", 1.5)],
    "Beauty & Personal Care": [
        ("Face Serum", "سرم صورت", 1.3), ("Hand Cream", "کرم دست", 0.6), ("Shampoo", "شامپو", 0.7),
        ("Perfume", "عطر", 2.5), ("Lipstick", "رژ لب", 0.9), ("Beard Trimmer", "ماشین اصلاح ریش", 2.2),
        ("Sunscreen", "کرم ضدآفتاب", 0.9)],
    "Books & Stationery": [
        ("Notebook", "دفتر یادداشت", 0.6), ("Fountain Pen", "خودنویس", 1.5), ("Novel", "رمان", 1.0),
        ("Cookbook", "کتاب آشپزی", 1.6), ("Planner", "برنامه‌ریز", 1.0),
        ("Colouring Pencils", "مداد رنگی", 0.8)],
    "Toys & Baby": [
        ("Building Blocks", "بلوک ساختنی", 1.4), ("Plush Bear", "عروسک خرس", 0.8), ("Puzzle", "پازل", 0.7),
        ("Baby Blanket", "پتوی نوزاد", 1.0), ("Toy Car", "ماشین اسباب‌بازی", 0.6),
        ("Board Game", "بازی فکری", 1.3)],
    "Sports & Outdoors": [
        ("Yoga Mat", "مت یوگا", 0.7), ("Water Bottle", "قمقمه", 0.4), ("Running Shoes", "کفش دویدن", 2.0),
        ("Camping Tent", "چادر مسافرتی", 2.5), ("Dumbbell Set", "ست دمبل", 1.5),
        ("Cycling Gloves", "دستکش دوچرخه‌سواری", 0.6)],
    "Jewellery & Watches": [
        ("Silver Necklace", "گردنبند نقره", 1.0), ("Analog Watch", "ساعت عقربه‌ای", 1.6),
        ("Earrings", "گوشواره", 0.6), ("Bracelet", "دستبند", 0.7), ("Gold-Plated Ring", "انگشتر آب‌طلا", 1.2)],
    "Gifts & Flowers": [
        ("Rose Bouquet", "دسته گل رز", 1.0), ("Gift Box", "باکس هدیه", 1.2),
        ("Scented Candle Set", "ست شمع معطر", 0.6), ("Potted Orchid", "گلدان ارکیده", 1.1),
        ("Chocolate Hamper", "سبد شکلات", 1.3)],
}

_MARGIN_NOISE = 0.05  # sd of the product's margin around its category's margin
_POPULARITY_SIGMA = 1.0  # lognormal spread of products' popularity within a category


def build_catalog(locale, rng: np.random.Generator, n_products: int) -> pd.DataFrame:
    """The shop's ``products`` table, plus two hidden columns the simulator uses.

    Products are shared among categories in proportion to their ``popularity`` (largest
    remainders, at least one per category when ``n_products >= 10``). Each product gets a brand
    of its category, a product type and a model code, e.g. ``"Novaline Wireless Earbuds X2"``
    (fa_IR: the type in Persian first, ``"هندزفری بی‌سیم Novaline X2"``; brands stay in Latin
    letters, as Iranian shops write imported brands). Category names are English in both locales:
    they are codes the analyses group by.
    The list price in USD is ``median * type_factor * exp(sigma * Z)``, Z standard normal, then
    multiplied by ``locale.usd_rate`` and rounded (USD: up to the next .99; toman: to the nearest
    1,000, at least 1,000). The unit cost is ``list_price * (1 - m)`` with ``m`` the category
    margin plus normal noise (sd 0.05), clipped to [0.05, 0.8].

    Parameters
    ----------
    locale
        A :class:`~custkit.simulate.locales.Locale` (its ``code`` and ``usd_rate`` are used).
    rng
        NumPy random generator; the same state gives the same catalog.
    n_products
        Number of products, >= 1.

    Returns
    -------
    DataFrame
        The columns of :data:`custkit.schema.PRODUCTS` (``product_id`` 1..n, ``name``,
        ``category``, ``brand``, ``list_price``, ``unit_cost``), then ``gift_like`` (bool) and
        ``popularity`` (float, sums to 1: category popularity split among its products by a
        lognormal weight). Drop the last two before writing the table.
    """
    if not isinstance(rng, np.random.Generator):
        raise CustkitError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}.")
    if isinstance(n_products, bool) or not isinstance(n_products, Integral) or n_products < 1:
        raise CustkitError(f"n_products must be an integer >= 1, got {n_products!r}.")
    rate = getattr(locale, "usd_rate", None)
    code = getattr(locale, "code", None)
    if code not in ("en_US", "fa_IR") or not isinstance(rate, (int, float)) or not rate > 0:
        raise CustkitError(f"locale must be a Locale from get_locale('en_US' or 'fa_IR'), got {locale!r}.")

    counts = _allocate(CATEGORIES["popularity"].to_numpy(), int(n_products))
    cat_idx = np.repeat(np.arange(len(CATEGORIES)), counts)
    n = len(cat_idx)
    cats = CATEGORIES.iloc[cat_idx].reset_index(drop=True)

    brand = np.empty(n, dtype=object)
    ptype = np.empty(n, dtype=object)
    factor = np.empty(n)
    for i, row in enumerate(CATEGORIES.itertuples(index=False)):
        where = np.flatnonzero(cat_idx == i)
        types = _PRODUCT_TYPES[row.category]
        pick = rng.integers(0, len(types), size=len(where))
        brand[where] = np.array(row.brands, dtype=object)[rng.integers(0, len(row.brands), size=len(where))]
        ptype[where] = np.array([t[1] if code == "fa_IR" else t[0] for t in types], dtype=object)[pick]
        raw = np.array([t[2] for t in types])
        factor[where] = held(raw / np.exp(np.log(raw).mean()))[pick]  # geometric mean 1 keeps the median

    z = rng.standard_normal(n)
    usd = cats["median_price_usd"].to_numpy() * factor * held_exp(cats["price_sigma"].to_numpy() * z)
    list_price = _shop_round(usd * float(rate), code)
    margin = np.clip(cats["margin"].to_numpy() + rng.normal(0.0, _MARGIN_NOISE, n), 0.05, 0.8)
    unit_cost = np.round(list_price * (1.0 - margin), 2 if code == "en_US" else 0)

    weight = held_exp(_POPULARITY_SIGMA * rng.standard_normal(n))
    within = weight / pd.Series(weight).groupby(cat_idx).transform("sum").to_numpy()
    popularity = cats["popularity"].to_numpy() * within
    popularity = popularity / popularity.sum()

    out = pd.DataFrame(
        {
            "product_id": np.arange(1, n + 1, dtype=np.int64),
            "name": _unique_names(rng, brand, ptype, persian=code == "fa_IR"),
            "category": cats["category"].to_numpy(dtype=object),
            "brand": brand,
            "list_price": list_price.astype(np.float64),
            "unit_cost": unit_cost.astype(np.float64),
        }
    )
    out = out.astype({c.name: PANDAS_DTYPE[c.kind] for c in PRODUCTS})
    out["gift_like"] = cats["gift_like"].to_numpy(dtype=bool)
    out["popularity"] = popularity
    return out


def _allocate(shares: np.ndarray, n: int) -> np.ndarray:
    """Split n items by shares with largest remainders; one per share first when n allows."""
    k = len(shares)
    base = np.ones(k, dtype=np.int64) if n >= k else np.zeros(k, dtype=np.int64)
    rest = n - base.sum()
    exact = shares / shares.sum() * rest
    counts = base + np.floor(exact).astype(np.int64)
    short = n - counts.sum()
    order = np.argsort(-(exact - np.floor(exact)), kind="stable")
    counts[order[:short]] += 1
    return counts


def _shop_round(price: np.ndarray, code: str) -> np.ndarray:
    """USD: to the x.99 of the same dollar (12.30 -> 12.99, 0.40 -> 0.99); toman: nearest 1,000 (>= 1,000)."""
    if code == "en_US":
        return np.floor(price) + 0.99
    return np.maximum(np.round(price / 1000.0), 1.0) * 1000.0


_MODEL_LETTERS = np.array(list("XSMPQRZ"), dtype=object)


def _unique_names(rng: np.random.Generator, brand: np.ndarray, ptype: np.ndarray, *, persian: bool) -> np.ndarray:
    """Distinct names with a model code: ``"Novaline Wireless Earbuds X2"``; in Persian shops
    the type comes first, as they write it: ``"هندزفری بی‌سیم Novaline X2"``. A name drawn twice
    gets a mark: ``"... X2 Mk2"``."""
    n = len(brand)
    letter = _MODEL_LETTERS[rng.integers(0, len(_MODEL_LETTERS), size=n)]
    model = letter + rng.integers(1, 10, size=n).astype(str).astype(object)
    names = ptype + " " + brand + " " + model if persian else brand + " " + ptype + " " + model
    seen: dict[str, int] = {}
    out = names.copy()
    for i, name in enumerate(names):  # rare clashes, numbered in order: deterministic
        k = seen.get(name, 0)
        seen[name] = k + 1
        if k:
            out[i] = f"{name} Mk{k + 1}"
    return out
