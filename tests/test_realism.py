"""Tests for custkit.realism: hand-computed values on tiny tables, CDNOW's published figures from the
shipped raw file, the one benchmark file, input errors, and the realism of the kit's own shops."""

from __future__ import annotations

import functools
import math
from importlib import resources
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

import custkit as ck
from custkit import realism
from custkit.errors import CustkitError, SchemaError
from custkit.shop import Shop

DAY0 = pd.Timestamp("2024-01-01")


def _days(values) -> pd.Series:
    return (DAY0 + pd.to_timedelta(list(values), unit="D")).astype("datetime64[s]")


def _tables() -> dict[str, pd.DataFrame]:
    """A hand-built shop; every expected value below is worked out from it by hand.

    Orders (day from 2024-01-01, buyer, type, status, net):
      1 A d0 B2C delivered 100 | 2 A d10 B2C returned 50 | 3 A d300 B2C returned 100
      4 B d5 B2C delivered 20  | 5 B d5 B2C delivered 30 (same day as 4) | 6 B d400 B2C returned 100
      7 C d90 B2C delivered 100 | 8 C d600 B2C delivered 100 | 14 C d760 B2C delivered 60
      9 D d20 B2B delivered 1000 | 10 D d272 B2C delivered 100 | 11 D d546 B2C cancelled 100
      12 E d1 B2C delivered 100 | 13 E d3 C2B delivered 40
    Purchases: all but 11 (cancelled) and 13 (C2B): 12 orders. Window: days 0-760 (761 days).
    """
    customers = pd.DataFrame({
        "customer_id": [1, 2, 3, 4, 5, 6],  # A B C D E F
        "signup_date": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-03-01", "2024-01-10",
                                       "2023-06-01", "2024-02-01"]).astype("datetime64[s]"),
        "acquisition_channel": pd.array(["ads", "social", "search", "direct", "ads", "ads"], dtype="str"),
    })
    day = [0, 10, 300, 5, 5, 400, 90, 600, 20, 272, 546, 1, 3, 760]
    status = ["delivered", "returned", "returned", "delivered", "delivered", "returned", "delivered",
              "delivered", "delivered", "delivered", "cancelled", "delivered", "delivered", "delivered"]
    late = {1, 7}  # orders delivered two days after the promise
    orders = pd.DataFrame({
        "order_id": range(1, 15),
        "customer_id": [1, 1, 1, 2, 2, 2, 3, 3, 4, 4, 4, 5, 5, 3],
        "order_date": _days(day) + pd.Timedelta(hours=12),
        "transaction_type": pd.array(["B2C"] * 8 + ["B2B"] + ["B2C"] * 3 + ["C2B", "B2C"], dtype="str"),
        "status": pd.array(status, dtype="str"),
        "net": [100.0, 50, 100, 20, 30, 100, 100, 100, 1000, 100, 100, 100, 40, 60],
        "promised_date": _days([d + 3 for d in day]),
        "delivered_date": _days([d + (5 if i + 1 in late else 3) for i, d in enumerate(day)]).where(
            [s != "cancelled" for s in status]),
    })
    # Products: 1 Fashion, 2 Electronics, 3 Books. First lines: orders 1-4 fashion (2 and 3
    # returned: 2/4), orders 5-8 electronics (6 returned: 1/4), the rest books. Order 1's second
    # line is electronics and order 5 lists its lines out of order: only line 1 decides.
    products = pd.DataFrame({"product_id": [1, 2, 3],
                             "category": pd.array(["Fashion", "Electronics", "Books & Stationery"], dtype="str")})
    first_product = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3]
    items = pd.DataFrame({
        "order_id": list(range(1, 15)) + [1],
        "line": [1] * 4 + [2] + [1] * 9 + [2],
        "product_id": first_product[:4] + [1] + first_product[5:] + [2],
        "unit_price": [10.0] * 8 + [50.0, 70.0, 70.0, 50.0, 10.0, 60.0] + [10.0],
    })
    items = pd.concat([items, pd.DataFrame({"order_id": [5], "line": [1], "product_id": [2], "unit_price": [10.0]})],
                      ignore_index=True)
    # 100 visits: 3 purchases, 2 more checkouts, 5 more carts (10 carts or further), 40 of one page,
    # 10 from social and 5 from ads.
    stages = ["purchase"] * 3 + ["checkout"] * 2 + ["add_to_cart"] * 5 + ["product_view"] * 50 + ["visit"] * 40
    sessions = pd.DataFrame({
        "session_id": range(1, 101),
        "furthest_stage": pd.array(stages, dtype="str"),
        "pages": [1] * 40 + [4] * 60,
        "channel": pd.array(["social"] * 10 + ["ads"] * 5 + ["search"] * 85, dtype="str"),
    })
    # 80 invitations, 10 answers: NPS 5 promoters, 2 passives, 3 detractors; one CSAT of 1.
    answers = 10
    surveys = pd.DataFrame({
        "survey_id": range(1, 81),
        "responded": [True] * answers + [False] * 70,
        "nps": pd.array([10, 10, 9, 9, 9, 8, 7, 6, 3, 0] + [pd.NA] * 70, dtype="Int64"),
        "csat": pd.array([5, 5, 5, 4, 4, 4, 3, 2, 1, 5] + [pd.NA] * 70, dtype="Int64"),
    })
    tickets = pd.DataFrame({"ticket_id": [1, 2, 3, 4], "created": _days([5, 100, 700, 900])})
    spend = pd.DataFrame({"date": _days([0, 30, 60]), "channel": pd.array(["ads", "social", "search"], dtype="str"),
                          "spend": [100.0, 50.0, 150.0]})
    return {"customers": customers, "orders": orders, "order_items": items, "products": products,
            "sessions": sessions, "surveys": surveys, "tickets": tickets, "marketing_spend": spend}


def _card(tables=None, **kwargs) -> pd.DataFrame:
    return realism.scorecard(_tables() if tables is None else tables, **kwargs).set_index("metric")


# ----------------------------------------------------------------------------- hand-computed values


def test_session_metrics_by_hand():
    card = _card()
    expected = {"purchase_sessions": 3.0, "cart_sessions": 10.0, "cart_abandonment": 70.0,
                "checkout_to_purchase": 60.0, "single_page_sessions": 40.0, "social_and_ads_sessions": 15.0}
    for metric, value in expected.items():
        assert card.loc[metric, "value"] == pytest.approx(value), metric
        assert card.loc[metric, "verdict"] == "in range", metric
    assert card.loc["purchase_sessions", "unit"] == "%"


def test_survey_metrics_by_hand():
    card = _card()
    assert card.loc["survey_response_rate", "value"] == pytest.approx(12.5)   # 10 of 80
    assert card.loc["nps", "value"] == pytest.approx(20.0)                    # 50 % - 30 %
    assert card.loc["nps", "verdict"] == "in range"                           # the low bound counts
    assert card.loc["csat_1_share", "value"] == pytest.approx(10.0)           # 1 of 10 answers


def test_the_cohort_by_hand():
    # Cohort (first purchase in days 0-83, signed up in the window): A (d0), B (d5), D (d20); E
    # bought on d1 but signed up before the window, C first bought on d90. Within 39 weeks A
    # repeats (d10) and D repeats (d272); B's second order is the same day: 1 of 3 without repeat.
    # Weeks 40-78 (days 273-545): A d300, B d400; D's d546 is outside (and cancelled): 2 / 3.
    card = _card()
    assert card.loc["first_quarter_no_repeat_39w", "value"] == pytest.approx(100 / 3)
    assert card.loc["first_quarter_repeats_weeks_40_78", "value"] == pytest.approx(2 / 3)
    # 95 % margins: binomial 1.96 sqrt(p (1 - p) / 3) for the share; the mean's 1.96 sd / sqrt(3)
    # with repeats (1, 1, 0): sd = sqrt(1/3)
    assert card.loc["first_quarter_no_repeat_39w", "margin"] == pytest.approx(100 * 1.96 * math.sqrt(2 / 27))
    assert card.loc["first_quarter_repeats_weeks_40_78", "margin"] == pytest.approx(1.96 * math.sqrt(1 / 3) / math.sqrt(3))
    assert math.isnan(card.loc["nps", "margin"])  # large-sample metrics carry no margin
    # 33.3 % +/- 53.3: three customers cannot be told apart from CDNOW's 52-68 %
    assert card.loc["first_quarter_no_repeat_39w", "verdict"] == "in range"


def test_a_small_sample_is_judged_with_its_margin():
    # 200 cohort customers, none repeats: 0 % +/- 0 is far below 52-68 %; 100 % is far above
    customer = np.arange(200)
    got = realism.cohort_repeats(customer, np.zeros(200), window_days=546)
    assert got["first_quarter_no_repeat_39w"] == 100.0 and got["first_quarter_no_repeat_39w_margin"] == 0.0
    # 120 customers, a mean of 1.25 repeats with a wide spread: the interval reaches 1.0
    day = np.r_[np.zeros(120), np.full(30, 300), np.full(30, 301), np.full(30, 302), np.full(30, 303), np.full(30, 304)]
    who = np.r_[np.arange(120), np.tile(np.arange(30), 5)]
    got = realism.cohort_repeats(who, day, window_days=546)
    assert got["first_quarter_repeats_weeks_40_78"] == pytest.approx(150 / 120)
    per = np.r_[np.full(30, 5.0), np.zeros(90)]
    assert got["first_quarter_repeats_weeks_40_78_margin"] == pytest.approx(1.96 * per.std(ddof=1) / math.sqrt(120))


def test_cohort_repeats_counts_days_and_respects_eligibility():
    customer = np.array([1, 1, 2, 2, 3, 3])
    day = np.array([0, 0, 3, 300, 50, 100])  # customer 1 buys twice on day 0: no repeat
    got = realism.cohort_repeats(customer, day, window_days=546)
    assert {k: v for k, v in got.items() if not k.endswith("_margin")} == {
        "cohort_size": 3.0, "first_quarter_no_repeat_39w": pytest.approx(200 / 3),
        "first_quarter_repeats_weeks_40_78": pytest.approx(1 / 3)}
    only = realism.cohort_repeats(customer, day, window_days=546, eligible=np.array([3]))
    assert only["cohort_size"] == 1 and only["first_quarter_no_repeat_39w"] == 0.0
    short = realism.cohort_repeats(customer, day, window_days=300)
    assert math.isnan(short["first_quarter_repeats_weeks_40_78"]) and not math.isnan(short["first_quarter_no_repeat_39w"])


def test_order_metrics_by_hand():
    card = _card()
    # 3 returned (2, 3, 6) of 12 purchases.
    assert card.loc["returned_share", "value"] == pytest.approx(25.0)
    # First lines: fashion 2 of 4 returned, electronics 1 of 4: 0.5 / 0.25.
    assert card.loc["fashion_vs_electronics_returns", "value"] == pytest.approx(2.0)
    # Late: orders 1 and 7 of the 12 purchases.
    assert card.loc["late_delivery_share", "value"] == pytest.approx(200 / 12)
    # 3 tickets in days 0-760 (the 4th is on day 900) per 14 orders.
    assert card.loc["tickets_per_100_orders", "value"] == pytest.approx(300 / 14)
    assert card.loc["tickets_per_100_orders", "verdict"] == "too high"
    # Buyers' net: A 250, B 150, C 260, D 1100, E 100; the top 20 % is D alone.
    assert card.loc["top_20pct_revenue_share", "value"] == pytest.approx(100 * 1100 / 1860)
    # One purchase day: E only, of 5 buyers.
    assert card.loc["one_time_buyer_share", "value"] == pytest.approx(20.0)
    # B2C purchases: 11, net 860.
    assert card.loc["mean_order_usd", "value"] == pytest.approx(860 / 11)
    # Purchases in days 0-364: 9; days 365-729: 2 (d400, d600).
    assert card.loc["order_growth_year_2", "value"] == pytest.approx(100 * (2 / 9 - 1))
    # Spend 300 / new paid buyers A (ads), B (social), C (search); D is direct, E signed up before.
    assert card.loc["paid_cost_per_new_buyer", "value"] == pytest.approx(100.0)
    assert card.loc["paid_cost_per_new_buyer", "verdict"] == "in range"  # the high bound counts


def test_a_toman_shop_converts_with_its_rate_and_measures_prices():
    card = _card(usd_rate=2.0)
    assert card.loc["toman_per_usd", "value"] == 2.0
    assert card.loc["toman_per_usd", "verdict"] == "too low"
    assert card.loc["mean_b2c_order_usd", "value"] == pytest.approx(860 / 11 / 2)
    # the acquisition benchmark is of US shops: a toman shop's is not measured against it
    assert card.loc["paid_cost_per_new_buyer", "verdict"] == "not measurable"
    assert card.loc["mean_order_usd", "verdict"] == "not measurable"
    # Product 3: median unit price 50 in days 0-90 (orders 9 and 12), 60 in the last 91 days
    # (order 14, day 760); 670 days lie between the two quarters.
    assert card.loc["price_rise_per_year", "value"] == pytest.approx(100 * (1.2 ** (365.25 / 670) - 1))


def test_a_shop_config_sets_the_window_rate_and_growth_range():
    tables = _tables()
    config = ck.ShopConfig(start_date="2024-01-01", end_date="2026-01-31", growth_per_year=0.2)
    card = realism.scorecard(Shop(tables, config=config)).set_index("metric")
    assert (card.loc["order_growth_year_2", "low"], card.loc["order_growth_year_2", "high"]) == (10.0, 30.0)
    assert "growth_per_year" in card.loc["order_growth_year_2", "source"]
    assert card.loc["order_growth_year_2", "verdict"] == "too low"
    assert card.loc["toman_per_usd", "verdict"] == "not measurable"   # a USD shop
    # Without a config the generic range of the data file applies.
    generic = realism.benchmarks().set_index("metric").loc["order_growth_year_2"]
    assert _card().loc["order_growth_year_2", ["low", "high"]].tolist() == [generic["low"], generic["high"]]


def test_the_toman_rate_is_the_knob_if_the_config_has_it_else_the_locales():
    from custkit.simulate.locales import get_locale

    base = dict(locale="fa_IR", start_date="2024-01-01", end_date="2026-01-31", growth_per_year=0.2)
    with_knob = realism.scorecard(Shop(_tables(), config=SimpleNamespace(**base, toman_per_usd=115_000.0)))
    without = realism.scorecard(Shop(_tables(), config=SimpleNamespace(**base)))
    assert with_knob.set_index("metric").loc["toman_per_usd", "verdict"] == "in range"
    assert with_knob.set_index("metric").loc["toman_per_usd", "value"] == 115_000.0
    assert without.set_index("metric").loc["toman_per_usd", "value"] == get_locale("fa_IR").market_rate


def test_verdicts_and_the_columns():
    card = realism.scorecard(_tables())
    assert tuple(card.columns) == realism.COLUMNS
    assert set(card["verdict"]) <= set(realism.VERDICTS)
    measured = card["value"].notna()
    assert (card.loc[~measured, "verdict"] == "not measurable").all()
    assert (card.loc[measured, "verdict"] != "not measurable").all()
    # a small-sample value is judged with its 95 % margin (the cohort metrics)
    margin = card["margin"].fillna(0.0)
    low, high, value = card["low"] - margin, card["high"] + margin, card["value"]
    assert (card.loc[measured & (value < low), "verdict"] == "too low").all()
    assert (card.loc[measured & (value > high), "verdict"] == "too high").all()


def test_other_benchmarks_replace_the_rows_they_list():
    mine = realism.benchmarks().query("metric == 'tickets_per_100_orders'").assign(low=0.0, high=50.0)
    card = _card(benchmarks=mine)
    assert card.loc["tickets_per_100_orders", "verdict"] == "in range"
    assert card.loc["purchase_sessions", "low"] == realism.benchmarks().set_index("metric").loc["purchase_sessions", "low"]
    with pytest.raises(SchemaError, match="unknown metric"):
        realism.scorecard(_tables(), benchmarks=pd.DataFrame({"metric": ["conversion"], "low": [1.0], "high": [2.0]}))
    with pytest.raises(SchemaError, match="low > high"):
        realism.scorecard(_tables(), benchmarks=mine.assign(low=60.0))


def test_describe_writes_one_line_per_metric():
    card = realism.scorecard(_tables())
    text = realism.describe(card)
    assert len(text.splitlines()) == len(card)
    assert "purchase_sessions" in text and "in range" in text


# ----------------------------------------------------------------------------- not measurable


def test_a_missing_table_makes_its_metrics_not_measurable():
    tables = _tables()
    del tables["sessions"], tables["surveys"]
    card = _card(tables)
    for metric in ("purchase_sessions", "cart_abandonment", "single_page_sessions", "nps", "csat_1_share"):
        assert math.isnan(card.loc[metric, "value"]) and card.loc[metric, "verdict"] == "not measurable"
    assert card.loc["returned_share", "verdict"] != "not measurable"
    only_sessions = _card({"sessions": _tables()["sessions"]})
    assert (only_sessions["value"].notna()).sum() == 6


def test_a_bare_log_gets_the_metrics_it_can_support():
    # Orders without type, status or delivery dates (custkit.transactions.from_transactions).
    tables = _tables()
    tables["orders"] = tables["orders"][["order_id", "customer_id", "order_date", "net"]]
    card = _card(tables)
    for metric in ("returned_share", "fashion_vs_electronics_returns", "late_delivery_share"):
        assert card.loc[metric, "verdict"] == "not measurable", metric
    assert card.loc["one_time_buyer_share", "verdict"] != "not measurable"


def test_the_other_locales_metrics_and_empty_tables_are_not_measurable():
    card = _card()
    for metric in ("toman_per_usd", "mean_b2c_order_usd", "price_rise_per_year"):
        assert card.loc[metric, "verdict"] == "not measurable"
    tables = _tables()
    tables["surveys"] = tables["surveys"].iloc[:0]
    tables["tickets"] = tables["tickets"].iloc[:0]
    card = _card(tables)
    assert card.loc["nps", "verdict"] == "not measurable"
    assert card.loc["tickets_per_100_orders", "value"] == 0.0   # no tickets is a count: 0


# ----------------------------------------------------------------------------- input errors


def test_input_errors_name_the_problem():
    tables = _tables()
    with pytest.raises(CustkitError, match="Shop or a mapping"):
        realism.scorecard(tables["orders"])
    with pytest.raises(CustkitError, match="Shop or a mapping"):
        realism.scorecard(42)
    with pytest.raises(SchemaError, match="orders must be a pandas DataFrame"):
        realism.scorecard({**tables, "orders": tables["orders"]["net"]})
    with pytest.raises(SchemaError, match="pages"):
        realism.scorecard({**tables, "sessions": tables["sessions"].drop(columns="pages")})
    with pytest.raises(SchemaError, match="net"):
        realism.scorecard({**tables, "orders": tables["orders"].assign(net=tables["orders"]["net"].astype(str))})
    with pytest.raises(SchemaError, match="furthest_stage"):
        realism.scorecard({**tables, "sessions": tables["sessions"].assign(furthest_stage="bought")})
    with pytest.raises(SchemaError, match="order_date"):
        realism.scorecard({**tables, "orders": tables["orders"].assign(
            order_date=tables["orders"]["order_date"].dt.tz_localize("UTC"))})
    with pytest.raises(CustkitError, match="unknown table"):
        realism.scorecard({"order": tables["orders"]})
    with pytest.raises(CustkitError, match="usd_rate"):
        realism.scorecard(tables, usd_rate=0)
    with pytest.raises(SchemaError, match="nps"):
        realism.scorecard({**tables, "surveys": tables["surveys"].assign(nps=pd.array([11] * 80, dtype="Int64"))})


def test_inputs_are_not_changed():
    tables = _tables()
    before = {k: v.copy(deep=True) for k, v in tables.items()}
    realism.scorecard(tables)
    for name, frame in before.items():
        pd.testing.assert_frame_equal(tables[name], frame)


# ----------------------------------------------------------------------------- CDNOW


def test_the_shipped_cdnow_file_is_the_raw_sample(cdnow_transactions):
    raw = realism.cdnow_sample()
    assert len(raw) == 6919 and raw["customer_id"].nunique() == 2357
    assert raw["order_date"].min() == pd.Timestamp("1997-01-01") and raw["order_date"].max() == pd.Timestamp("1998-06-30")
    np.testing.assert_array_equal(raw["customer_id"], cdnow_transactions["customer_id"])
    np.testing.assert_array_equal(raw["net"], cdnow_transactions["net"])
    assert resources.files("custkit.data").joinpath("CDNOW_README.md").is_file()


def test_cdnow_figures_match_the_published_ones():
    # Fader, Hardie & Lee (2005): 1,411 of the 2,357 customers made no repeat purchase in the
    # 39-week calibration period (59.9 %). The raw file gives exactly that, counting purchase days.
    ref = realism.cdnow_reference()
    assert ref["cohort_size"] == 2357
    assert ref["first_quarter_no_repeat_39w"] == pytest.approx(100 * 1411 / 2357, abs=1e-12)
    assert round(ref["first_quarter_no_repeat_39w"], 1) == 59.9
    # Weeks 40-78: 1,882 repeat purchase days of the 2,357 customers (0.80 per customer).
    assert ref["first_quarter_repeats_weeks_40_78"] == pytest.approx(1882 / 2357, abs=1e-12)
    card = _card()
    assert card.loc["first_quarter_no_repeat_39w", "cdnow"] == ref["first_quarter_no_repeat_39w"]
    assert card.loc["first_quarter_repeats_weeks_40_78", "cdnow"] == ref["first_quarter_repeats_weeks_40_78"]
    assert card["cdnow"].notna().sum() == 2


def test_cdnow_as_a_shop_gives_the_same_figures():
    # The same code path: CDNOW's log passed as a shop's orders (window 1997-01-01 .. 1998-06-30).
    raw = realism.cdnow_sample()
    orders = raw.assign(order_id=np.arange(1, len(raw) + 1))[["order_id", "customer_id", "order_date", "net"]]
    card = _card({"orders": orders})
    ref = realism.cdnow_reference()
    assert card.loc["first_quarter_no_repeat_39w", "value"] == ref["first_quarter_no_repeat_39w"]
    assert card.loc["first_quarter_repeats_weeks_40_78", "value"] == ref["first_quarter_repeats_weeks_40_78"]
    assert card.loc["first_quarter_no_repeat_39w", "verdict"] == "in range"
    assert card.loc["first_quarter_repeats_weeks_40_78", "verdict"] == "in range"


# ----------------------------------------------------------------------------- the one data file


def _file() -> pd.DataFrame:
    with resources.files("custkit.data").joinpath("realism_benchmarks.csv").open("rb") as fh:
        return pd.read_csv(fh)


def test_the_data_file_is_the_only_copy_of_the_ranges():
    file = _file()
    assert file.columns.tolist() == ["metric", "description", "low", "high", "unit", "source", "note"]
    card = realism.scorecard(_tables())
    assert card["metric"].tolist() == file["metric"].tolist()          # every metric, in the file's order
    assert file["metric"].is_unique
    assert file["metric"].str.fullmatch(r"[a-z][a-z0-9_]*").all()       # stable snake_case keys
    for column in ("description", "unit", "source", "note"):
        assert file[column].fillna("").str.strip().str.len().gt(0).all(), column
    assert (file["low"].isna() | file["high"].isna() | (file["low"] <= file["high"])).all()
    same = card.set_index("metric")
    rows = file.set_index("metric").drop(index="order_growth_year_2")
    pd.testing.assert_series_equal(same.loc[rows.index, "low"], rows["low"], check_names=False)
    pd.testing.assert_series_equal(same.loc[rows.index, "high"], rows["high"], check_names=False)
    assert (same.loc[rows.index, "source"] == rows["source"]).all()
    pd.testing.assert_frame_equal(realism.benchmarks().reset_index(drop=True),
                                  file.astype({c: "str" for c in ("metric", "description", "unit", "source", "note")}),
                                  check_dtype=False)


def test_scorecard_is_reached_from_the_package():
    assert ck.realism.scorecard is realism.scorecard


# ----------------------------------------------------------------------------- the kit's own shops

SHOPS = ("committed", "seed_1", "seed_2", "seed_3", "customer_centric", "production_centric")


@functools.lru_cache(maxsize=None)
def _shop(name: str):
    if name == "committed":
        return ck.load_shop()
    if name.startswith("seed_"):
        return ck.generate(ck.ShopConfig(seed=int(name.split("_")[1])))
    return ck.generate(ck.ShopConfig.preset(name))


@pytest.fixture(scope="module")
def shop_card():
    """Each shop generated and scored once per module."""
    return lambda name: realism.scorecard(_shop(name))


@pytest.mark.slow
@pytest.mark.parametrize("name", SHOPS)
def test_the_kits_shops_look_like_real_shops(name, shop_card):
    """The final requirement of the simulator's calibration: every measurable metric in its range."""
    card = shop_card(name)
    measured = card.loc[card["verdict"] != "not measurable"]
    assert len(measured) >= 18, f"too few measurable metrics:\n{card}"
    off = measured.loc[measured["verdict"] != "in range", ["metric", "value", "low", "high", "unit", "verdict"]]
    assert off.empty, f"{name}: {len(off)} metric(s) outside their published range:\n{off.to_string(index=False)}"
