"""The simulator's building blocks on small hand-computed cases, and their bad-input errors."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.config import ShopConfig
from custkit.errors import CustkitError, SchemaError
from custkit.simulate import feedback, fulfilment, lifecycle, population
from custkit.simulate.blocks import block_members, child_rng, conform, renumber
from custkit.simulate.calendar import Calendar, build_calendar, build_campaigns, signup_schedule
from custkit.simulate.locales import get_locale
from custkit.simulate.purchasing import ProductPools, demand_curves, simulate_orders, tier_of
from custkit.simulate.spend import marketing_spend


def test_tier_of_by_hand():
    cfg = ShopConfig()  # thresholds 100, 400, 1200 USD; silver needs 180 days, gold 365
    spend = np.array([50.0, 150.0, 500.0, 500.0, 1500.0, 1500.0, 1500.0])
    tenure = np.array([400, 10, 100, 200, 200, 365, 364])
    # 50 < 100 -> none; 150 -> bronze; 500 but 100 days -> bronze; 500 and 200 days -> silver;
    # 1500 and 200 days -> silver; 1500 and 365 days -> gold; 364 days -> silver
    assert tier_of(cfg, spend, tenure).tolist() == [0, 1, 1, 2, 2, 3, 2]
    assert tier_of(cfg.replace(loyalty_programme=False), spend, tenure).tolist() == [0] * 7


def test_dropout_probability_by_hand():
    cfg = ShopConfig()  # steepness k = 20: delight step 2k = 40 at 0.85, dissatisfaction step k at 0.59
    s = lambda x: np.round(1 / (1 + np.exp(-x)), 6)  # noqa: E731  (held, as custkit.simulate.precision)
    # sat 0.85, base 0.03: short = s(0) - s(-6) = 0.497527; q = 0.03 * (1 + 14 * 0.497527) = 0.238961;
    # the dissatisfaction term is 0 from 0.85 up
    p = feedback.dropout_probability(cfg, np.array([0.03]), np.array([0.85]), np.array([0]), np.array([False]))
    assert p[0] == pytest.approx(0.03 * (1 + 14 * (0.5 - s(-6.0))), abs=5e-7)
    assert p[0] == 0.238961  # held at 6 decimals
    # sat 0.59, base 0.1: q = 0.1 * (1 + 14 * (s(10.4) - s(-6))) = 1.5 -> capped at 0.8;
    # extra = s(0) - s(20 (0.59 - 0.85)) = 0.5 - s(-5.2) = 0.494514; p = 0.8 + 0.15 * 0.494514
    p = feedback.dropout_probability(cfg, np.array([0.1]), np.array([0.59]), np.array([0]), np.array([False]))
    assert p[0] == pytest.approx(0.8 + 0.15 * (0.5 - s(-5.2)), abs=5e-7)
    # completely satisfied: both terms 0 -> the baseline
    p = feedback.dropout_probability(cfg, np.array([0.1]), np.array([1.0]), np.array([0]), np.array([False]))
    assert p[0] == pytest.approx(0.1)
    # gold tier cuts it by half, an advocate keeps 30 %: 0.1 * 0.5 * 0.3 = 0.015
    p = feedback.dropout_probability(cfg, np.array([0.1]), np.array([1.0]), np.array([3]), np.array([True]))
    assert p[0] == pytest.approx(0.015)
    # steepness 0 removes the link to satisfaction
    flat = cfg.replace(satisfaction_churn_steepness=0.0)
    p = feedback.dropout_probability(flat, np.full(3, 0.2), np.array([0.0, 0.5, 1.0]), np.zeros(3, int), np.zeros(3, bool))
    assert p.tolist() == pytest.approx([0.2, 0.2, 0.2])
    assert feedback.repurchase_pace(flat, np.array([0.2, 0.85, 1.0])).tolist() == [1.0, 1.0, 1.0]


def test_merely_satisfied_customers_stop_far_more_often_than_completely_satisfied_ones():
    # Concept D2 (Jones & Sasser 1995): the fall from completely (1.0) to merely satisfied (0.8) costs
    # more loyalty than a fall of the same size among the dissatisfied (0.6 -> 0.4); the chance
    # keeps rising all the way down. Without the delight term p(0.8) would be ~0.06, not ~0.42.
    sat = np.array([1.0, 0.9, 0.85, 0.8, 0.6, 0.4])
    p = feedback.dropout_probability(ShopConfig(), np.full(6, 0.03), sat, np.zeros(6, int), np.zeros(6, bool))
    assert (np.diff(p) > 0).all()
    assert p[3] > 10 * p[0]
    assert p[3] - p[0] > p[5] - p[4]
    # ... and they buy again at half the pace (1 at the CSAT 4/5 border 0.85, about 2 when completely satisfied)
    pace = feedback.repurchase_pace(ShopConfig(), np.array([0.75, 0.85, 1.0]))
    assert pace.tolist() == pytest.approx([0.5, 1.0, 2.0], abs=0.02)


def test_gate_and_slowness_by_hand():
    # gate at (0.32, 0.32) = 0.5 * 0.5; at (1, 0.32) = s(17) * 0.5
    assert population.gate(np.array([0.32]), np.array([0.32]))[0] == pytest.approx(0.25)
    assert population.gate(np.array([1.0]), np.array([0.32]))[0] == pytest.approx(0.5 / (1 + np.exp(-17.0)))
    assert population.gate(np.array([0.2]), np.array([0.9]))[0] < 0.05
    # slowness(24 h) = 1 - e^-1
    assert feedback.slowness(np.array([0.0, 24.0, np.nan])).tolist() == pytest.approx([0.0, 1 - np.exp(-1), 0.0])
    # satisfaction update: old weight 0.65, but 0.5 after a disappointment (experience more than 0.1 below)
    upd = feedback.update(np.array([1.0, 0.5, 0.9]), np.array([0.0, 1.0, 0.85]))
    assert upd.tolist() == pytest.approx([0.5, 0.65 * 0.5 + 0.35, 0.65 * 0.9 + 0.35 * 0.85])


def test_age_band_and_birth_dates():
    assert population.age_band(np.array([18, 24, 25, 44, 64, 65, 90])).tolist() == [
        "18-24", "18-24", "25-34", "35-44", "55-64", "65+", "65+"]
    end = pd.Timestamp("2025-12-31")
    born = population.birth_dates(np.random.default_rng(0), np.full(1000, 30.7), end)
    years = (np.datetime64("2025-12-31") - born).astype(int) / 365.25
    assert (years >= 30).all() and (years < 31.01).all()


def test_lifecycle_state_by_hand():
    state = lifecycle.lifecycle_state(
        n_orders=np.array([0, 3, 3, 3, 3, 3]), alive=np.array([True, False, True, True, True, True]),
        satisfaction=np.array([0.9, 0.9, 0.5, 0.7, 0.9, 0.9]), last_day=np.array([-1, 700, 700, 700, 400, 700]),
        end_day=730)
    # leads; stopped; sat 0.5 < 0.6; sat 0.7 < 0.72; silent 330 days > 180; fine
    assert state.tolist() == ["never_bought", "lost", "dissatisfied", "at_risk", "at_risk", "active"]


def test_referrals_point_to_earlier_advocates():
    rng = np.random.default_rng(3)
    signup = np.sort(rng.integers(0, 700, 3000))
    adv = np.where(rng.random(3000) < 0.3, signup + rng.integers(0, 200, 3000), -1)
    ref = lifecycle.assign_referrals(rng, signup, adv, 1.0)
    has = ref >= 0
    assert 0.05 < has.mean() < 0.5
    assert (adv[ref[has]] >= 0).all() and (adv[ref[has]] < signup[has]).all()
    assert (lifecycle.assign_referrals(rng, signup, adv, 0.0) == -1).all()
    assert (lifecycle.assign_referrals(rng, signup, np.full(3000, -1), 5.0) == -1).all()


def _calendar(n: int, campaign_days=(), promo_days=()) -> Calendar:
    discount = np.zeros(n)
    camp = np.zeros(n, dtype=np.int64)
    promo = np.zeros(n, dtype=bool)
    for d in campaign_days:
        discount[d], camp[d] = 10.0, 1
    for d in promo_days:
        discount[d], camp[d], promo[d] = 30.0, 2, True
    days = np.datetime64("2024-01-01") + np.arange(n)
    return Calendar(days=days, start_day=0, end_day=n - 1, rhythm=np.ones(n), campaign_id=camp,
                    discount_pct=discount, promotion=promo, price_index=np.ones(n))


def test_demand_curves_by_hand():
    curves = demand_curves(_calendar(3, campaign_days=[1], promo_days=[2]))
    # discount seeker (row 1): ordinary day 1, campaign day 1 + 10 = 11, promotion day 1 + 15 = 16
    assert curves[1].tolist() == [0.0, 1.0, 12.0, 28.0]
    # searcher (row 0): 1, 1 + 0.3, 1 + 2
    assert curves[0].tolist() == pytest.approx([0.0, 1.0, 2.3, 5.3])


def test_fulfil_without_risks_delivers_on_the_promised_day():
    cfg = ShopConfig(cancel_rate=0.0, late_delivery_rate=0.0, return_rate=0.0, delivery_days=1)
    out = fulfilment.fulfil(cfg, np.random.default_rng(1), np.array([0, 5, 9]), np.array([0, 3, 4]), np.ones(3, bool))
    assert out["status"].tolist() == [0, 0, 0]
    assert out["promised"].tolist() == [1, 6, 10] and out["delivered"].tolist() == [1, 6, 10]
    late = fulfilment.fulfil(cfg.replace(late_delivery_rate=1.0), np.random.default_rng(1), np.zeros(500, int),
                             np.zeros(500, int), np.ones(500, bool))
    assert (late["late_days"] >= 1).all() and (late["delivered"] == 1 + late["late_days"]).all()
    assert late["late_days"].mean() == pytest.approx(2.5, rel=0.15)  # geometric(0.4)


def test_survey_answers_without_response_are_missing():
    out = feedback.survey_answers(ShopConfig(survey_response_rate=0.0), np.random.default_rng(0),
                                  np.full(50, 0.9), np.full(50, 0.3))
    assert not out["responded"].any() and (out["csat"] == -1).all() and np.isnan(out["share_of_wallet"]).all()


def _products() -> pd.DataFrame:
    return pd.DataFrame({"product_id": [1, 2, 3, 4, 5, 6], "list_price": [5.0, 6.0, 50.0, 60.0, 500.0, 600.0],
                         "gift_like": [False, True, False, True, False, True],
                         "popularity": [0.2, 0.1, 0.2, 0.1, 0.3, 0.1]})


def test_product_pools_draw_within_price_tier_and_gift_pool():
    pools = ProductPools.from_products(_products(), 100)
    assert pools.list_minor.tolist() == [500, 600, 5000, 6000, 50000, 60000]
    assert pools.gift_share == pytest.approx(0.3)  # 0.1 + 0.1 + 0.1 of popularity
    rng = np.random.default_rng(0)
    # pool = tier * 2 + gift: each pool of this catalogue holds exactly one product
    for pool, row in [(0, 0), (1, 1), (2, 2), (3, 3), (4, 4), (5, 5)]:
        assert (pools.draw(rng, np.full(50, pool)) == row).all()


def test_simulate_orders_loyalty_programme_keeps_customers_longer():
    # 3000 identical customers who buy often; the only difference is the programme (concept D7).
    n = 3000
    cal = _calendar(3 * 365)
    cust = {"persona": np.full(n, 4), "knowledge_type": np.full(n, 2), "account_type": np.zeros(n, int),
            "purchase_rate": np.full(n, 0.5), "dropout_prob": np.full(n, 0.15), "signup_day": np.zeros(n, int),
            "satisfaction": np.full(n, 0.9), "ability": np.full(n, 0.9), "age": np.full(n, 30.0),
            "buys_at_signup": np.zeros(n, bool)}
    pools = ProductPools.from_products(_products(), 100)
    cfg = ShopConfig(late_delivery_rate=0.0, c2c_share=0.0, c2b_share=0.0)
    mean_orders = []
    for programme in (True, False):
        run = simulate_orders(cfg.replace(loyalty_programme=programme), np.random.default_rng(4), cal, cust,
                              pools, 100, 1.0)
        mean_orders.append(len(run["orders"]["day"]) / n)
        assert run["orders"]["day"].max() < 3 * 365
    # seeds 4-7: ~1.45x the orders with the programme (tier cuts of 15-50 % of the dropout); sd of each mean ~0.3
    assert mean_orders[0] > 1.12 * mean_orders[1]


def test_build_campaigns_and_calendar():
    cfg = ShopConfig(campaigns_per_year=6)
    camps = build_campaigns(cfg, get_locale("en_US"), np.random.default_rng(0))
    assert camps["campaign_id"].tolist() == list(range(1, len(camps) + 1))
    assert camps["start_date"].is_monotonic_increasing
    promo = camps[camps["is_promotion_day"]]
    # en_US sales a year: Independence Day, Black Friday, Cyber Monday, Christmas (15-24 Dec, one
    # campaign); window and horizon span 2024-2026: 3 years x 4 (the horizon ends 2026-12-30)
    assert len(promo) == 3 * 4 and (promo["discount_pct"] == cfg.promotion_discount).all()
    assert pd.Timestamp("2024-11-29") in set(promo["start_date"])  # Black Friday 2024
    xmas = promo[promo["name"] == "Christmas 2024"].iloc[0]
    assert (xmas["start_date"], xmas["end_date"]) == (pd.Timestamp("2024-12-15"), pd.Timestamp("2024-12-24"))
    fa = build_campaigns(cfg, get_locale("fa_IR"), np.random.default_rng(0))
    nowruz = fa[fa["name"] == "حراج نوروز 2024"].iloc[0]
    # 1 Farvardin 1403 = 2024-03-20; the locale's Nowruz sale: 11 days from a week before it
    assert (nowruz["start_date"], nowruz["end_date"]) == (pd.Timestamp("2024-03-13"), pd.Timestamp("2024-03-23"))
    cal = build_calendar(cfg, camps)
    # day 0 is the opening, history_years (2) before the window: 2022-01-01
    assert cal.days[0] == np.datetime64("2022-01-01") and cal.days[cal.start_day] == np.datetime64("2024-01-01")
    bf = (np.datetime64("2024-11-29") - np.datetime64("2022-01-01")).astype(int)
    assert cal.promotion[bf] and cal.discount_pct[bf] == cfg.promotion_discount
    assert not cal.promotion[: cal.start_day].any() and (cal.discount_pct[: cal.start_day] == 0).all()
    assert cal.rhythm[:7].mean() == pytest.approx(1.0)
    assert cal.end_day - cal.start_day == 730 and cal.n_days == cal.start_day + 731 + 52 * 7
    assert (cal.price_index == 1.0).all()  # en_US keeps its prices flat


def test_campaigns_cover_the_window_and_the_horizon_alike():
    # one campaign per equal slot: every year has about the same share of offer days, so a model
    # fitted on the window is graded on a future of the same character
    for seed in range(4):
        cfg = ShopConfig(seed=seed)
        cal = build_calendar(cfg, build_campaigns(cfg, get_locale("en_US"), np.random.default_rng(seed)))
        regular = (cal.discount_pct > 0) & ~cal.promotion
        window = regular[cal.start_day: cal.end_day + 1].mean()
        horizon = regular[cal.end_day + 1:].mean()
        assert 0.15 < window < 0.32 and abs(horizon - window) < 0.08, (seed, window, horizon)


def test_prices_rise_in_a_fa_ir_shop():
    cfg = ShopConfig(locale="fa_IR")
    cal = build_calendar(cfg, build_campaigns(cfg, get_locale("fa_IR"), np.random.default_rng(0)))
    assert cal.price_index[cal.start_day] == 1.0
    assert cal.price_index[cal.start_day + 365] == pytest.approx(1.35, abs=1e-3)  # Iran's CPI, 2024
    assert ShopConfig(locale="fa_IR", price_rise_per_year=0.0).price_rise == 0.0


def test_signup_schedule_grows():
    cfg = ShopConfig(n_customers=40_000, growth_per_year=0.5, history_years=1.0)
    days = signup_schedule(cfg, np.random.default_rng(0))  # day 0: the opening, a year before the window
    assert (np.diff(days) >= 0).all() and days.min() >= 0 and days.max() <= 365 + 730
    history, first, second = (days < 365).sum(), ((days >= 365) & (days < 730)).sum(), (days >= 731).sum()
    assert first / history == pytest.approx(1.5, rel=0.06) and second / first == pytest.approx(1.5, rel=0.06)
    # a shop that opens on start_date starts with no one
    days = signup_schedule(cfg.replace(history_years=0.0), np.random.default_rng(0))
    assert days.min() >= 0 and days.max() <= 730


def test_marketing_spend_clicks_are_the_paid_visits():
    cfg = ShopConfig(start_date="2024-01-01", end_date="2024-01-31")
    sessions = pd.DataFrame({"start": pd.to_datetime(["2024-01-02 10:00", "2024-01-02 11:00", "2024-01-02 12:00",
                                                      "2024-01-05 09:00"]),
                             "channel": ["ads", "ads", "direct", "email"]})
    camps = pd.DataFrame({"channel": ["ads"], "start_date": [pd.Timestamp("2024-01-02")],
                          "end_date": [pd.Timestamp("2024-01-03")]})
    out = marketing_spend(cfg, np.random.default_rng(0), sessions, camps, 1.0)
    assert len(out) == 31 * 4
    clicks = out.set_index(["date", "channel"])["clicks"]
    # every display-ad and e-mail visit was a paid click, and some paid clicks never arrive
    assert clicks[(pd.Timestamp("2024-01-02"), "ads")] >= 2
    assert clicks[(pd.Timestamp("2024-01-05"), "email")] >= 1
    assert clicks.drop([(pd.Timestamp("2024-01-02"), "ads"), (pd.Timestamp("2024-01-05"), "email")]).sum() == 0
    assert (out["spend"] > 0).all() and (out["impressions"] >= out["clicks"]).all()


def test_marketing_spend_pays_for_part_of_search_and_more_clicks_than_visits():
    from custkit.simulate.spend import PAID_SHARE, VISITS_PER_CLICK
    cfg = ShopConfig(start_date="2024-01-01", end_date="2024-01-31")
    n = 20_000  # visits per channel over the month
    sessions = pd.DataFrame({"start": pd.Timestamp("2024-01-10 12:00") + pd.to_timedelta(np.arange(4 * n) % 20, unit="D"),
                             "channel": np.repeat(["search", "social", "ads", "email"], n)})
    empty = pd.DataFrame({"channel": [], "start_date": [], "end_date": []})
    clicks = marketing_spend(cfg, np.random.default_rng(0), sessions, empty, 1.0).groupby("channel")["clicks"].sum()
    for channel in ("search", "social", "ads", "email"):
        expected = n * PAID_SHARE[channel] / VISITS_PER_CLICK
        assert clicks[channel] == pytest.approx(expected, rel=0.03), channel
    assert clicks["search"] < n < clicks["ads"]  # organic search is free; paid clicks exceed visits


def test_renumber_gives_ids_in_time_order_and_moves_foreign_keys():
    t = lambda *s: pd.to_datetime(list(s))  # noqa: E731
    block = {
        "orders": pd.DataFrame({"order_id": [1, 2], "order_date": t("2024-01-05", "2024-01-02"),
                                "session_id": pd.array([1, 2], dtype="Int64")}),
        "order_items": pd.DataFrame({"order_id": [1, 2], "line": [1, 1]}),
        "sessions": pd.DataFrame({"session_id": [1, 2, 3], "start": t("2024-01-05", "2024-01-02", "2024-01-01"),
                                  "order_id": pd.array([1, 2, None], dtype="Int64")}),
        "events": pd.DataFrame({"event_id": [1, 2], "timestamp": t("2024-01-05", "2024-01-01"), "session_id": [1, 3]}),
        "tickets": pd.DataFrame({"ticket_id": [1], "created": t("2024-01-06"), "order_id": pd.array([1], dtype="Int64")}),
        "surveys": pd.DataFrame({"survey_id": [1], "sent_date": t("2024-01-09"), "order_id": [2]}),
    }
    out = renumber([block])
    # order 2 (Jan 2) becomes 1, order 1 (Jan 5) becomes 2; sessions: 3 -> 1, 2 -> 2, 1 -> 3
    assert out["orders"]["order_id"].tolist() == [1, 2]
    assert out["orders"]["session_id"].tolist() == [2, 3]
    assert out["sessions"]["order_id"].tolist()[1:] == [1, 2] and pd.isna(out["sessions"]["order_id"].iloc[0])
    assert out["events"]["session_id"].tolist() == [1, 3]
    assert out["order_items"]["order_id"].tolist() == [1, 2]
    assert out["tickets"]["order_id"].tolist() == [2] and out["surveys"]["order_id"].tolist() == [1]


def test_child_rng_is_the_spawned_child():
    cfg = ShopConfig(seed=99)
    children = np.random.SeedSequence(99).spawn(3)
    assert child_rng(cfg, 2).random() == np.random.default_rng(children[2]).random()


def test_conform_orders_columns_and_casts():
    df = pd.DataFrame({"spend": [1, 2], "clicks": [3.0, 4.0], "impressions": [5, 6], "channel": ["ads", "email"],
                       "date": ["2024-01-02", "2024-01-01"], "extra": [0, 0]})
    out = conform("marketing_spend", df)
    assert list(out.columns) == ["date", "channel", "spend", "impressions", "clicks"]
    assert out["date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2024-01-02")]
    assert str(out["clicks"].dtype) == "int64" and str(out["channel"].dtype) == "str"


def test_building_blocks_reject_bad_input():
    with pytest.raises(CustkitError, match="locale must be a Locale"):
        build_campaigns(ShopConfig(), "en_US", np.random.default_rng(0))
    with pytest.raises(SchemaError, match="unknown table 'not_a_table'"):
        conform("not_a_table", pd.DataFrame({"a": [1]}))
    with pytest.raises(SchemaError, match=r"marketing_spend lacks column\(s\) \['clicks'\]"):
        conform("marketing_spend", pd.DataFrame({"date": ["2024-01-01"], "channel": ["ads"], "spend": [1.0],
                                                 "impressions": [10]}))


def test_helpers_reject_bad_input():
    cfg = ShopConfig()
    with pytest.raises(SchemaError, match=r"sessions lacks column\(s\) \['channel'\]"):
        marketing_spend(cfg, np.random.default_rng(0), pd.DataFrame({"start": pd.to_datetime(["2024-01-01"])}),
                        pd.DataFrame(columns=["channel", "start_date", "end_date"]), 1.0)
    with pytest.raises(SchemaError, match=r"sessions\['start'\] must hold datetimes"):
        marketing_spend(cfg, np.random.default_rng(0), pd.DataFrame({"start": ["x"], "channel": ["ads"]}),
                        pd.DataFrame(columns=["channel", "start_date", "end_date"]), 1.0)
    with pytest.raises(SchemaError, match="campaigns must be a pandas DataFrame"):
        marketing_spend(cfg, np.random.default_rng(0), pd.DataFrame(columns=["start", "channel"]), None, 1.0)
    rng = np.random.default_rng(0)
    with pytest.raises(CustkitError, match="signup_day must be sorted"):
        lifecycle.assign_referrals(rng, np.array([3, 1]), np.array([-1, -1]), 1.0)
    with pytest.raises(CustkitError, match="equal length"):
        lifecycle.assign_referrals(rng, np.array([1, 3]), np.array([-1]), 1.0)
    with pytest.raises(CustkitError, match="strength must be >= 0"):
        lifecycle.assign_referrals(rng, np.array([1, 3]), np.array([-1, -1]), -1.0)
    with pytest.raises(CustkitError, match=r"block k must be an integer in \[0, 1\], got 2"):
        block_members(cfg, 2)


def test_experience_falls_with_lateness_and_slow_answers():
    # Means over 4000 orders (noise sd 0.06, so the sd of a mean is 0.001); hand arithmetic:
    n, rng = 4000, np.random.default_rng(0)
    none, ok = np.full(n, np.nan), np.zeros(n, bool)
    delivered = np.zeros(n, int)
    smooth = feedback.experience(rng, delivered, np.zeros(n, int), none, none, ok)
    assert smooth.mean() == pytest.approx(0.9, abs=0.01)  # 0.9, a little clipped at 1
    late = feedback.experience(rng, delivered, np.full(n, 2), none, none, ok)
    assert late.mean() == pytest.approx(0.9 - 0.30 - 0.04 * 2, abs=0.01)  # 0.52
    slow = feedback.experience(rng, delivered, np.zeros(n, int), none, np.full(n, 72.0), np.ones(n, bool))
    assert slow.mean() == pytest.approx(0.9 - 0.35 * (1 - np.exp(-3)), abs=0.01)  # 0.567
    fast = feedback.experience(rng, delivered, np.zeros(n, int), np.full(n, 1.0), none, ok)
    assert fast.mean() == pytest.approx(0.9 - 0.30 * (1 - np.exp(-1 / 24)), abs=0.01)  # 0.888


def test_acquisition_probabilities_keep_the_channel_mix_and_differ_by_knowledge():
    # Concept B1: the expected overall mix is channel_mix; type 1 leans to social/ads, type 3 to direct.
    cfg = ShopConfig()
    p = population.acquisition_probabilities(cfg)
    assert p.shape == (6, 3, 6) and np.allclose(p.sum(axis=2), 1.0)
    w = np.array([cfg.persona_mix[k] for k in population.PERSONAS])[:, None, None] * np.asarray(cfg.knowledge_mix)[None, :, None]
    assert np.allclose((w * p).sum(axis=(0, 1)), [cfg.channel_mix[c] for c in population.CHANNELS], atol=1e-6)
    by_type = (w * p).sum(axis=0) / w.sum(axis=0)
    assert by_type[0, 1] + by_type[0, 2] > 2 * (by_type[2, 1] + by_type[2, 2])
    assert by_type[2, 5] > 3 * by_type[0, 5]
