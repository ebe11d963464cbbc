"""The simulator's mechanisms, each checked statistically on a seeded shop with honest margins.

Margins were set from several seeds: each assertion holds with room to spare, and would fail
if the mechanism were switched off (noted next to each test).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.config import ShopConfig
from custkit.simulate import generate
from custkit.simulate.catalog import CATEGORIES
from custkit.simulate.purchasing import tier_of

GIFTS = ["child", "partner", "parent", "friend", "colleague"]


@pytest.fixture(scope="module")
def cfg() -> ShopConfig:
    # A pronounced weekly rhythm (Saturday 0.6, Sunday 1.6) so that it can be seen in 3000 customers.
    return ShopConfig(n_customers=3000, anonymous_visitors=600, block_size=1000, n_products=150, seed=5,
                      weekly_rhythm=(1.0, 1.0, 1.0, 1.0, 1.0, 0.6, 1.6))


@pytest.fixture(scope="module")
def shop(cfg):
    return generate(cfg)


@pytest.fixture(scope="module")
def orders(shop):
    """Orders with the buyer's hidden persona and observed account type."""
    return shop.orders.merge(shop.truth[["customer_id", "persona"]]).merge(
        shop.customers[["customer_id", "account_type"]])


def _bought(shop) -> pd.Series:
    o = shop.orders
    return shop.truth["customer_id"].isin(o.loc[o["status"] != "cancelled", "customer_id"])


def test_a_purchase_needs_both_ability_and_aptitude(shop):
    # Concept A3. Seeds 1-5: both >= 0.86, one only ~0.08. Without the gate "one only" is ~0.7.
    t, bought = shop.truth, _bought(shop)
    both = (t["ability"] > 0.5) & (t["aptitude"] > 0.5)
    one = ((t["ability"] > 0.5) & (t["aptitude"] < 0.2)) | ((t["ability"] < 0.2) & (t["aptitude"] > 0.5))
    assert both.sum() > 500 and one.sum() > 100
    assert bought[both].mean() > 0.75
    assert bought[one].mean() < 0.2
    assert 0.15 < (~bought).mean() < 0.6  # some accounts stay leads
    # an account opened in the window that bought nothing is a lead (older accounts in the export
    # bought before the window, or only sold or cancelled in it)
    new = (shop.customers.set_index("customer_id")["signup_date"] >= pd.Timestamp(shop.config.start_date))
    new = new.reindex(t["customer_id"]).to_numpy()
    assert (t.loc[~bought & new, "lifecycle_state"] == "never_bought").all()


def _day_kind(shop, cfg) -> pd.Series:
    """Each day of the window: 'promotion', 'campaign' (a regular offer runs) or 'ordinary'."""
    days = pd.date_range(cfg.start_date, cfg.end_date)
    kind = pd.Series("ordinary", index=days)
    for row in shop.campaigns.itertuples():
        kind[(days >= row.start_date) & (days <= row.end_date) & (kind != "promotion")] = (
            "promotion" if row.is_promotion_day else "campaign")
    return kind


def test_discount_seekers_buy_mostly_on_discount_and_wait_for_promotion_days(cfg, shop, orders):
    sales = orders[orders["transaction_type"].isin(["B2C", "B2B"]) & (orders["account_type"] != "employee")]
    ds = sales["persona"] == "discount_seeker"
    discounted = sales["discount"] > 0
    # seeds 1-7: 0.73-0.81 vs 0.22-0.27
    assert discounted[ds].mean() > 0.6
    assert discounted[~ds].mean() < 0.35
    # Orders per promotion day relative to orders per ordinary day: discount seekers ~16x
    # (1 + PROMO_PULL), the others ~3x.
    kind = _day_kind(shop, cfg)
    n_days = kind.value_counts()
    day_kind = kind.reindex(sales["order_date"].dt.normalize()).to_numpy()
    lift = {}
    for who, sel in (("ds", ds.to_numpy()), ("others", ~ds.to_numpy())):
        per_day = pd.Series(day_kind[sel]).value_counts() / n_days
        lift[who] = per_day["promotion"] / per_day["ordinary"]
    assert lift["ds"] > 2 * lift["others"], lift


def test_promotion_days_weekly_rhythm_and_growth_show_in_daily_sales(cfg, shop):
    o = shop.orders
    days = pd.date_range(cfg.start_date, cfg.end_date)
    daily = o.groupby(o["order_date"].dt.normalize()).size().reindex(days, fill_value=0)
    promo = (_day_kind(shop, cfg) == "promotion").to_numpy()
    assert daily[promo].mean() > 2.5 * daily[~promo].mean()  # ~4x
    weekday = o["order_date"].dt.day_of_week.value_counts()
    assert 2.2 < weekday[6] / weekday[5] < 3.6  # rhythm 1.6 / 0.6 = 2.67; seen 2.7-2.9
    year = o["order_date"].dt.year.value_counts()
    # the shop opens with the customers it already has, so orders grow like sign-ups (+35 % a year)
    assert 1.2 < year[2025] / year[2024] < 1.5


def test_business_accounts_buy_less_often_in_bulk(orders):
    # B2B (concept A5): ~14x the order value, ~8 units a line, fewer orders per buyer.
    b2b = orders[orders["transaction_type"] == "B2B"]
    b2c = orders[(orders["transaction_type"] == "B2C") & (orders["account_type"] == "consumer")]
    assert len(b2b) > 100
    assert (b2b["account_type"] == "business").all()
    assert b2b["gross"].mean() > 5 * b2c["gross"].mean()
    kept = orders[orders["status"] != "cancelled"]
    per_buyer = kept.groupby(["customer_id", "account_type"]).size().groupby("account_type").mean()
    assert per_buyer["business"] < per_buyer["consumer"]


def test_employees_get_the_staff_discount(cfg, orders):
    staff = orders[(orders["account_type"] == "employee") & (orders["transaction_type"] == "B2C")]
    assert len(staff) > 30
    # every line gets at least staff_discount %, rounded to the cent per line
    assert (staff["discount"] / staff["gross"] >= cfg.staff_discount / 100 - 0.005).all()


def test_gift_orders_concentrate_in_gift_like_categories(cfg, shop):
    gift_like = set(CATEGORIES.loc[CATEGORIES["gift_like"], "category"])
    lines = shop.order_items.merge(shop.orders[["order_id", "recipient", "transaction_type"]]).merge(
        shop.products[["product_id", "category"]])
    lines = lines[lines["transaction_type"] == "B2C"]
    is_gift_like = lines["category"].isin(gift_like)
    gift = lines["recipient"].isin(GIFTS)
    assert gift.sum() > 200
    assert is_gift_like[gift].mean() > 0.65  # ~0.8
    assert is_gift_like[~gift].mean() < 0.5  # ~0.38, the catalogue's popularity share
    # gifts are likelier on promotion days (holiday sales)
    o = shop.orders[shop.orders["transaction_type"] == "B2C"]
    promo_days = _day_kind(shop, cfg).pipe(lambda k: k[k == "promotion"].index)
    promo = o["order_date"].dt.normalize().isin(promo_days)
    assert o.loc[promo, "recipient"].isin(GIFTS).mean() > 1.5 * o.loc[~promo, "recipient"].isin(GIFTS).mean()


def test_deliveries_are_late_at_the_policy_rate_and_late_orders_come_back_more(cfg, shop):
    o = shop.orders[shop.orders["status"] != "cancelled"]
    late = o["delivered_date"] > o["promised_date"]
    assert abs(late.mean() - cfg.late_delivery_rate) < 0.03  # binomial sd ~0.004 on ~5000 orders
    returned = o["status"] == "returned"
    assert returned[late].mean() > 1.7 * returned[~late].mean()  # 2.5x by design, seen ~2.3x


def test_first_response_hours_follow_the_policy(cfg, shop):
    t = shop.tickets
    mean = t.groupby("stage")["first_response_hours"].mean()
    # gamma(shape 2) around the policy mean: sd of the mean ~ mean / sqrt(2 n), n ~ 900
    assert mean["before_purchase"] == pytest.approx(cfg.support_response_hours_before, rel=0.15)
    assert mean["after_purchase"] == pytest.approx(cfg.support_response_hours_after, rel=0.15)
    topics = t.loc[t["stage"] == "after_purchase", "topic"].value_counts()
    assert topics.index[0] in ("delivery_delay", "return")


def test_surveys_answer_lower_after_late_deliveries(shop):
    s = shop.surveys.merge(shop.orders[["order_id", "promised_date", "delivered_date"]])
    assert (s["csat"].isna() == ~s["responded"]).all() and (s["nps"].isna() == ~s["responded"]).all()
    assert (s["share_of_wallet"].isna() == ~s["responded"]).all()
    answered = s[s["responded"]]
    assert answered["csat"].between(1, 5).all() and answered["nps"].between(0, 10).all()
    assert answered["share_of_wallet"].between(0, 1).all()
    assert np.allclose(answered["share_of_wallet"] * 20, np.round(answered["share_of_wallet"] * 20))
    late = answered["delivered_date"] > answered["promised_date"]
    # concept D3: seeds 1-7 show 2.0-2.4 after late vs 4.35-4.5 after on-time deliveries
    assert answered.loc[~late, "csat"].mean() - answered.loc[late, "csat"].mean() > 0.6
    # few answer: e-mail surveys of consumers get 13-16 % (Satmetrix), SMS NPS 13.7 % (Digikala);
    # seeds 1-7: 0.13-0.14 (before the recalibration: 0.33)
    assert 0.08 < s["responded"].mean() < 0.2


def test_survey_answers_are_j_shaped_with_an_angry_tail(shop):
    # Brag and moan (Hu, Pavlou & Zhang 2009): many 5s, fewer 4s, few 3s and 2s, a tail of 1s, because
    # the very dissatisfied answer far more often than the indifferent. Seeds 1-7: 1s 3.5-8.4 %
    # (0 % before, when answers were a symmetric blur of satisfaction), 2s and 3s 10-14 % together,
    # NPS +27 to +38.
    answered = shop.surveys[shop.surveys["responded"]]
    share = answered["csat"].value_counts(normalize=True).reindex(range(1, 6), fill_value=0.0)
    assert share[5] > share[4] > max(share[3], share[2])
    assert share[2] + share[3] < 0.2
    assert share[1] >= 0.02
    nps = 100 * ((answered["nps"] >= 9).mean() - (answered["nps"] <= 6).mean())
    assert 20 < nps < 45  # e-commerce NPS benchmarks


def test_completely_satisfied_customers_repurchase_far_more_than_merely_satisfied_ones(cfg, shop):
    # Concept D2 (Jones & Sasser 1995): 90-day repurchase after a CSAT 5 answer clearly above that after
    # a 4, and the 4 above the 3-or-below. Seeds 1-7: 5 - 4 = 0.14-0.23, 4 - (<= 3) = 0.16-0.31;
    # without the delight mechanism 5 and 4 repurchase alike (0.54 vs 0.53 before the recalibration).
    from custkit.retention import repurchase_by_csat

    r = repurchase_by_csat(shop.surveys, shop.orders, as_of=cfg.end, within_days=90).set_index("csat")
    low = r.loc[[1, 2, 3]]
    assert r.loc[5, "repurchase_rate"] > r.loc[4, "repurchase_rate"] + 0.1
    assert r.loc[4, "repurchase_rate"] > low["repurchased"].sum() / low["surveys"].sum() + 0.05


@pytest.mark.slow
@pytest.mark.parametrize("seed", [42, 1, 2, 3, 4, 5])
def test_the_steep_satisfaction_curve_holds_on_the_classroom_shop_and_five_seeds(seed):
    # Concept D2 as the calibration asks of it: 90-day repurchase after a CSAT 5 at least 10 points
    # above that after a 4, each lower score lower again (the scores 2 and 1 pooled: few answers),
    # and at least 30 answers of 2 or below so that the low end can be estimated.
    from custkit.retention import repurchase_by_csat

    shop = generate(ShopConfig(seed=seed))
    r = repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.end, within_days=90).set_index("csat")
    rate = r["repurchase_rate"]
    low = r.loc[r.index <= 2]
    assert low["surveys"].sum() >= 30
    low_rate = low["repurchased"].sum() / low["surveys"].sum()
    assert rate[5] >= rate[4] + 0.10 and rate[4] > rate[3] > low_rate, rate.round(3).to_dict()


def test_returns_depend_on_the_category_and_few_orders_need_support(shop):
    # NRF 2024: 16.9 % of online orders come back; apparel 20-30 %, electronics 8-10 %. Seeds 1-7:
    # 16-18 % returned, Fashion / Electronics 2.0-3.1 (~1.1 without the category table of
    # custkit.simulate.fulfilment).
    o = shop.orders[shop.orders["status"].isin(["delivered", "returned"])]
    returned = o["status"] == "returned"
    assert 0.12 < returned.mean() < 0.25
    first = shop.order_items[shop.order_items["line"] == 1].merge(shop.products[["product_id", "category"]])
    category = o[["order_id"]].merge(first[["order_id", "category"]], how="left")["category"].to_numpy()
    by_cat = pd.Series(returned.to_numpy()).groupby(category).mean()
    assert by_cat["Fashion"] > 1.6 * by_cat["Electronics"]
    # Gorgias benchmark: 6.7 tickets per 100 orders; seeds 1-7: 5.9-7.0 (25 before the recalibration)
    assert 3 < 100 * len(shop.tickets) / len(shop.orders) < 10


def test_low_satisfaction_goes_with_churn(shop):
    t = shop.truth[_bought(shop)]
    lost = ~t["alive_at_end"]
    low, high = t["satisfaction"] < 0.65, t["satisfaction"] >= 0.8
    assert low.sum() > 100 and high.sum() > 500
    assert lost[low].mean() > 1.3 * lost[high].mean()  # seeds 1-5: 0.77-0.82 vs 0.38-0.43


def test_loyalty_tiers_follow_spend_and_tenure_in_the_observed_data(cfg, shop):
    # Recompute every tier from the tables: spend on kept B2C/B2B orders up to the end, tenure at the end.
    o = shop.orders
    kept = o[(o["status"] == "delivered") & o["transaction_type"].isin(["B2C", "B2B"])]
    spend = kept.groupby("customer_id")["net"].sum().reindex(shop.customers["customer_id"], fill_value=0.0)
    tenure = (pd.Timestamp(cfg.end_date) - shop.customers["signup_date"]).dt.days.to_numpy()
    expected = tier_of(cfg, spend.to_numpy(), tenure)
    tiers = pd.Index(["none", "bronze", "silver", "gold"])
    tier = tiers.get_indexer(shop.customers["loyalty_tier"].astype(str))
    # accounts opened in the window: everything they spent is in the tables
    new = (shop.customers["signup_date"] >= pd.Timestamp(cfg.start_date)).to_numpy()
    assert new.sum() > 1000 and (tier[new] == expected[new]).all()
    # older accounts also spent before the window (not recorded): at least the window's tier
    assert (tier[~new] >= expected[~new]).all() and (tier[~new] > expected[~new]).any()
    assert set(shop.customers["loyalty_tier"]) == {"none", "bronze", "silver", "gold"}


def test_advocates_refer_within_their_block(cfg, shop):
    c = shop.customers
    ref = c.dropna(subset=["referred_by"])
    assert len(ref) > 50
    advocate = shop.truth.set_index("customer_id")["advocate"]
    assert advocate.loc[ref["referred_by"].to_numpy()].all()
    assert ((ref["customer_id"] - 1) % cfg.n_blocks == (ref["referred_by"] - 1) % cfg.n_blocks).all()
    assert 0.03 < shop.truth["advocate"].mean() < 0.4


def test_future_lives_only_in_the_truth(cfg, shop):
    t = shop.truth
    end = pd.Timestamp(cfg.end_date)
    assert t["future_orders"].sum() > 500 and t["future_revenue"].sum() > 0
    assert (t.loc[~t["alive_at_end"], "future_orders"] == 0).all()  # the dead do not come back
    assert (t["churn_date"].notna() | t["alive_at_end"]).all()
    assert ((t["churn_date"] <= end) == ~t["alive_at_end"]).all()
    assert (t["churn_date"] > end).sum() > 50  # stopped during the horizon
    assert set(t["lifecycle_state"]) == {"never_bought", "active", "at_risk", "dissatisfied", "lost"}
    assert (t.loc[t["lifecycle_state"] == "lost", "alive_at_end"] == False).all()  # noqa: E712


def _best_single_column_accuracy(feature: pd.Series, persona: pd.Series) -> float:
    """Accuracy of predicting persona by the majority persona of each value (numbers: deciles)."""
    f = feature
    if pd.api.types.is_numeric_dtype(f) and not pd.api.types.is_bool_dtype(f) and f.nunique() > 10:
        f = pd.qcut(f.rank(method="first"), 10, labels=False)
    f = f.astype("object").where(f.notna(), "missing")
    counts = pd.crosstab(f, persona)
    return counts.max(axis=1).sum() / len(persona)


def _per_customer_features(shop) -> pd.DataFrame:
    c, o, s, t, sv = shop.customers, shop.orders, shop.sessions, shop.tickets, shop.surveys
    kind = _day_kind(shop, shop.config)
    promo = kind[kind == "promotion"].index
    o = o.assign(disc=o["discount"] > 0, promo=o["order_date"].dt.normalize().isin(promo),
                 gift=o["recipient"].isin(GIFTS), ret=o["status"] == "returned", canc=o["status"] == "cancelled")
    g = o.groupby("customer_id")
    first = g["order_date"].min()
    agg = pd.DataFrame({
        "n_orders": g.size(), "net_sum": g["net"].sum(), "net_mean": g["net"].mean(), "disc_share": g["disc"].mean(),
        "promo_share": g["promo"].mean(), "gift_share": g["gift"].mean(), "return_share": g["ret"].mean(),
        "cancel_share": g["canc"].mean(), "gap_days": g["order_date"].agg(lambda d: d.diff().dt.days.mean()),
        "lines": shop.order_items.merge(o[["order_id", "customer_id"]]).groupby("customer_id").size() / g.size(),
    })
    sess = s.dropna(subset=["customer_id"]).assign(mobile=lambda d: d["device"] == "mobile")
    gs = sess.groupby("customer_id")
    agg = agg.join(pd.DataFrame({"n_sessions": gs.size(), "pages": gs["pages"].mean(), "mobile": gs["mobile"].mean(),
                                 "purchase_visits": gs["order_id"].count() / gs.size()}), how="outer")
    agg = agg.join(t.pivot_table(index="customer_id", columns="stage", values="ticket_id", aggfunc="count"), how="outer")
    agg = agg.join(sv.groupby("customer_id").agg(responded=("responded", "mean"), csat=("csat", "mean")), how="outer")
    out = c.set_index("customer_id").drop(columns=["name", "email", "phone", "company", "birth_date"])
    out["referred"] = out.pop("referred_by").notna()
    out = out.join(agg)
    out["first_order_delay"] = (first - c.set_index("customer_id")["signup_date"]).dt.days
    return out.astype({"signup_date": "int64"})


def test_no_single_observed_column_reveals_the_persona(shop):
    features = _per_customer_features(shop)
    persona = shop.truth.set_index("customer_id")["persona"].reindex(features.index)
    # The check itself can fail: the hidden persona column predicts itself perfectly.
    assert _best_single_column_accuracy(persona, persona) == 1.0
    accuracy = {col: _best_single_column_accuracy(features[col], persona) for col in features.columns}
    assert len(accuracy) > 25
    worst = max(accuracy, key=accuracy.get)
    assert accuracy[worst] <= 0.9, (worst, accuracy[worst])
    assert accuracy[worst] < 0.6  # seen ~0.3-0.4: types overlap a lot


@pytest.fixture(scope="module")
def policies():
    base = dict(n_customers=1500, anonymous_visitors=200, block_size=750, n_products=100, seed=21)
    return {name: generate(ShopConfig.preset(name).replace(**base))
            for name in ("customer_centric", "production_centric")}


def test_customer_centric_retains_more_and_earns_more_per_customer(policies):
    # Concept D8: same seed, same people; only the policies differ. Both presets are real shops (7 % and
    # 16 % of parcels late, within the published 5-20 %), so the gaps are moderate; seeds 1-5 and 21:
    # alive +0.08 to +0.10, revenue 1.2-1.7x, satisfaction +0.03, CSAT +0.3 to +0.5 (all 0 with equal
    # policies).
    cc, pc = policies["customer_centric"], policies["production_centric"]
    alive = {k: s.truth.loc[_bought(s), "alive_at_end"].mean() for k, s in policies.items()}
    assert alive["customer_centric"] > alive["production_centric"] + 0.04
    revenue = {k: (s.orders["shop_revenue"].sum() + s.truth["future_revenue"].sum()) / len(s.customers)
               for k, s in policies.items()}
    assert revenue["customer_centric"] > 1.1 * revenue["production_centric"]
    assert cc.truth["satisfaction"].mean() > pc.truth["satisfaction"].mean() + 0.02
    assert cc.surveys["csat"].mean() > pc.surveys["csat"].mean() + 0.25
    assert cc.customers["referred_by"].notna().sum() > pc.customers["referred_by"].notna().sum()
    assert (pc.customers["loyalty_tier"] == "none").all()  # no programme
    assert (cc.customers["loyalty_tier"] != "none").any()


def test_knowledge_types_are_acquired_through_different_channels(shop):
    # Concept B1 [000]: type 1 (knows neither what nor where) is reached by social media and ads,
    # type 3 (knows both) comes direct. Seeds 1, 2, 5: social+ads ~0.66 vs ~0.10, direct ~0.5 vs
    # ~0.05. Without KNOWLEDGE_CHANNEL (persona only) both gaps are below 0.15.
    c = shop.customers.merge(shop.truth[["customer_id", "knowledge_type"]])
    mix = pd.crosstab(c["knowledge_type"], c["acquisition_channel"], normalize="index")
    social_ads = mix["social"] + mix["ads"]
    assert social_ads[1] > social_ads[3] + 0.3
    assert mix.loc[3, "direct"] > mix.loc[1, "direct"] + 0.3
    assert mix["search"].idxmax() == 2
    # ... while the overall mix stays near channel_mix (referrals add to "referral")
    overall = c["acquisition_channel"].value_counts(normalize=True)
    for channel in ("search", "social", "ads", "direct"):
        assert abs(overall[channel] - shop.config.channel_mix[channel]) < 0.06, channel


def test_impulsive_buyers_place_their_first_order_in_their_first_visit(shop):
    # Concept B2 [001]: impulsive buyers buy in the moment (FIRST_ORDER_IN_MOMENT). Seeds 1, 2, 5:
    # ~0.8 of their first orders come in the visitor's first session, the other personas <= ~0.2;
    # without the mechanism impulsive buyers show ~0.55.
    s = shop.sessions
    first_session = s.sort_values(["start", "session_id"]).drop_duplicates("visitor_id").set_index("visitor_id")
    visitor = s.dropna(subset=["customer_id"]).drop_duplicates("customer_id").set_index("customer_id")["visitor_id"]
    o = shop.orders.dropna(subset=["session_id"]).sort_values("order_date").drop_duplicates("customer_id")
    o = o.merge(shop.truth[["customer_id", "persona"]])
    in_first = o["session_id"].to_numpy() == first_session.loc[visitor.loc[o["customer_id"]].to_numpy(),
                                                                   "session_id"].to_numpy()
    share = pd.Series(in_first).groupby(o["persona"].to_numpy()).mean()
    assert share["impulsive"] >= 0.7
    assert share["impulsive"] > share.drop("impulsive").max() + 0.35


@pytest.mark.slow
@pytest.mark.parametrize("seed", [42, 1, 2])
def test_bgnbd_over_predicts_the_hidden_year_because_dropout_grows_with_bad_experiences(seed):
    # Notebook 04's grading step: fitted on the window, BG/NBD predicts more purchases in the hidden
    # 52 weeks than the customers make (seeds 42, 1, 2: +36 %, +14 %, +28 %), because satisfaction
    # falls with late parcels and slow answers and the dissatisfied stop sooner, against BG/NBD's
    # constant chance of stopping (without that link, satisfaction_churn_steepness=0, seed 42 gives
    # +12 %; on other seeds BG/NBD then cannot even be identified, every customer being alike).
    from custkit.purchases import purchase_mask
    from custkit.retention.models import BetaGeoNBD
    from custkit.transactions import customer_summary

    def error(cfg):
        shop = generate(cfg)
        summary = customer_summary(shop.orders[purchase_mask(shop.orders)], as_of=shop.end, freq="W")
        fit = BetaGeoNBD().fit(summary)
        predicted = fit.conditional_expected_purchases(52, summary["frequency"], summary["recency"], summary["T"]).sum()
        actual = shop.truth.set_index("customer_id")["future_orders"].reindex(summary.index).sum()
        return predicted / actual - 1

    assert error(ShopConfig(seed=seed)) > 0.05
