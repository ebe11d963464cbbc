"""Notebook 04's sentences that state a direction or a size, checked on the four shops of conftest."""

from __future__ import annotations

import functools

import numpy as np
import pytest

import custkit as ck
from custkit.reference_data import fader_hardie_2007_sbg
from custkit.retention import models
from custkit.retention.yearly import tier_summary, yearly_margins

MARGIN_RATE, DISCOUNT = 0.30, 0.10  # the notebook's parameters
INF = float("inf")


def _r(shop):
    return ck.retention.pooled_retention(ck.retention.period_retention(shop.orders, as_of=shop.end, freq="Y"))


def _repurchase(shop):
    return ck.retention.repurchase_by_csat(shop.surveys, shop.orders, as_of=shop.end,
                                           within_days=90).set_index("csat")


def test_the_big_fall_comes_at_once_after_the_first_quarter(shop):
    """'here it comes at once, between the first and the second column, because most customers who
    buy once do not buy in the next quarter (fewer than one in four does). After that the colours
    change slowly.'"""
    won = ck.definitions.opened_since(shop.customers, shop.start)
    cohorts = ck.retention.cohort_table(shop.orders[shop.orders["customer_id"].isin(won)], as_of=shop.end, freq="Q")
    curve = ck.retention.retention_curve(cohorts, min_cohorts=3)["retention"].to_numpy()
    assert curve[1] < 0.25
    first_fall, later = curve[0] - curve[1], np.abs(np.diff(curve[1:]))
    assert first_fall > 5 * later.max()


def test_the_articles_rule_is_the_undiscounted_formula_and_discounting_halves_it():
    """'With r = 0.9 and no discounting, this year plus the years ahead gives exactly the article's
    52 million ... A 10 % discount rate alone cuts the value by about half, and a lower retention
    cuts it much further. ... at r = 0.9 and d = 10 %, this year and the years ahead are worth 5.5
    times one year's spend.'"""
    m = 100_000 * 52
    undiscounted = m + ck.retention.retention_clv(m, 0.9, 0.0)
    assert undiscounted == pytest.approx(52_000_000)
    assert ck.retention.retention_clv(m, 0.9, 0.10) == pytest.approx(ck.retention.retention_clv(m, 0.9, 0.0) / 2)
    discounted = m + ck.retention.retention_clv(m, 0.9, 0.10)
    assert discounted / m == pytest.approx(5.5)
    assert ck.retention.retention_clv(m, 0.7, 0.10) < ck.retention.retention_clv(m, 0.9, 0.10) / 2


def test_ten_points_of_retention_raise_the_value_by_about_half(shop):
    """'the closer r gets to 1, the faster CLV grows ... (here, ten points more retention raise it
    by about half)'."""
    r = _r(shop)
    low, mid, high = (ck.retention.retention_clv(1.0, x, DISCOUNT) for x in (r - 0.1, r, r + 0.1))
    assert high - mid > mid - low  # faster than linear
    assert 0.4 <= high / mid - 1 <= 0.6


def test_a_third_come_back_and_the_years_ahead_are_worth_less_than_a_year(shop):
    """'In this shop only about a third of a year's buyers come back the next year, so the years
    ahead of an average customer are worth less than one year's margin.'"""
    r = _r(shop)
    m = yearly_margins(shop.orders, as_of=shop.end, margin_rate=MARGIN_RATE)["margin"].mean()
    assert 0.28 <= r <= 0.40, r
    assert ck.retention.retention_clv(m, r, DISCOUNT) < m


def test_the_curve_falls_from_the_very_top(shop):
    """'It falls from the very top: a customer who answers 4, "satisfied", buys again far less often
    than one who answers 5 ... and the lower scores less often still (the lowest two rest on few
    answers ...)'; the summary: '"satisfied" customers already buy again far less often'."""
    r = _repurchase(shop)
    rate = r["repurchase_rate"]
    low = r.loc[[1, 2]]
    assert rate[5] >= rate[4] + 0.10
    assert rate[4] > rate[3] > low["repurchased"].sum() / low["surveys"].sum()
    assert (r.loc[[1, 2], "surveys"] < r.loc[3, "surveys"]).all()


def test_the_low_scores_rest_on_few_answers(shop):
    """'the low scores rest on few answers (unhappy customers are rare ...), so their bars are wide'."""
    r = _repurchase(shop)
    assert (r.loc[[1, 2, 3], "surveys"] < r.loc[4, "surveys"] / 3).all()
    width = r["ci_high"] - r["ci_low"]
    assert (width[[1, 2, 3]] > width[[4, 5]].max()).all()


def test_one_late_delivery_costs_more_than_a_point_and_a_half(shop):
    """'look at how far the first late group already falls below "on time": more than a point and a
    half on the five-point scale'; the pooled groups all rest on at least 20 answers."""
    late = ck.retention.csat_by_lateness(shop.surveys, shop.orders, bins=[-INF, 0, 2, INF],
                                         labels=["on time", "1-2 days late", "3+ days late"]).set_index("lateness")
    assert late.loc["on time", "mean_csat"] - late.loc["1-2 days late", "mean_csat"] > 1.5
    assert late.loc["3+ days late", "mean_csat"] < late.loc["1-2 days late", "mean_csat"]
    assert (late["surveys"] >= 20).all()
    # without pooling, the week-late group alone is a handful of answers
    default = ck.retention.csat_by_lateness(shop.surveys, shop.orders).set_index("lateness")
    assert default.loc["7+ days late", "surveys"] < 20


def test_slow_answers_go_with_lower_scores_on_few_answers(shop):
    """'Answers that took over a day go with clearly lower scores, but that group rests on few
    answers'; 'Few surveyed customers had a ticket'."""
    resp = ck.retention.csat_by_response_time(shop.surveys, shop.tickets, bins=[0, 24, INF],
                                              labels=["within a day", "over a day"]).set_index("response_time")
    assert resp.loc["within a day", "mean_csat"] - resp.loc["over a day", "mean_csat"] > 0.5
    assert resp.loc["over a day", "surveys"] < 20 <= resp.loc["within a day", "surveys"]
    assert resp.loc[["within a day", "over a day"], "surveys"].sum() < 0.1 * resp.loc["no ticket", "surveys"]


def test_more_than_half_the_buyers_sit_at_zero_days(shop):
    """'More than half of the buyers pile up at zero days'; 'most buyers (more than half) have not
    bought a second time'."""
    quadrants = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.end)
    assert (quadrants["tenure_days"] == 0).mean() > 0.5
    flags = ck.retention.churn_flags(shop.orders, as_of=shop.end, inactivity_days=90)
    assert (flags["orders"] == 1).mean() > 0.5


def test_organic_channels_cost_nothing(shop):
    """'Referral and direct visits cost no marketing money (organic), so their bars are zero'."""
    acq = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,
                                                   as_of=shop.end, margin_rate=MARGIN_RATE).set_index("channel")
    assert (acq.loc[["direct", "referral"], "spend"] == 0).all()
    assert (acq.drop(["direct", "referral"])["spend"] > 0).all()


def test_tiers_rise_from_none_to_gold(shop):
    """'tenure, orders and revenue per year should rise from none to gold if the rewards are
    proportional, and here they do.'"""
    tiers = tier_summary(shop.customers, shop.orders, as_of=shop.end, inactivity_days=90).set_index("tier")
    tiers = tiers.loc[["none", "bronze", "silver", "gold"]]
    for column in ("mean_tenure_days", "mean_orders", "revenue_per_year"):
        assert (np.diff(tiers[column].to_numpy()) > 0).all(), column


def test_sbg_matches_the_paper_and_projects_within_two_points():
    """'The fitted alpha and beta match the published ones'; 'Seven periods of data project five more
    within two percentage points'; '`retention_rate` rises period after period'; DERL 7.53."""
    fh = fader_hardie_2007_sbg()
    regular = models.ShiftedBetaGeometric().fit(fh["regular_alive"])
    high_end = models.ShiftedBetaGeometric().fit(fh["high_end_alive"])
    assert tuple(regular.params_[["alpha", "beta"]]) == pytest.approx((0.704, 1.182), abs=0.001)
    assert tuple(high_end.params_[["alpha", "beta"]]) == pytest.approx((0.668, 3.806), abs=0.001)
    periods = np.arange(8, 13)
    actual = {"regular": [0.223, 0.207, 0.194, 0.183, 0.173], "high": [0.468, 0.445, 0.427, 0.409, 0.394]}
    assert np.abs(regular.survival(periods) - actual["regular"]).max() < 0.02
    assert np.abs(high_end.survival(periods) - actual["high"]).max() < 0.02
    rate = high_end.project(12)["retention_rate"].dropna().to_numpy()
    assert (np.diff(rate) > 0).all()
    assert high_end.derl(0.10, renewals=7) == pytest.approx(7.53, abs=0.005)


@functools.cache
def _clv_score(shop):
    buys = ck.definitions.purchases_until(shop.orders, shop.end)
    summary = ck.transactions.customer_summary(buys, amount="shop_revenue", as_of=shop.end, freq="W")
    bgnbd = models.BetaGeoNBD().fit(summary)
    spend = models.GammaGamma().fit(summary[summary["monetary_value"] > 0])
    horizon = round(shop.config.horizon_weeks * 7 / (365.25 / 12))
    predicted = models.customer_lifetime_value(bgnbd, spend, summary, horizon_months=horizon,
                                               monthly_discount_rate=0.01)
    truth = shop.truth.assign(future_revenue=shop.truth["future_revenue"].clip(lower=0))
    return models.score_clv(predicted, truth).set_index("target")["aggregate_error"], summary


def test_bgnbd_over_predicts_the_hidden_year_by_ten_to_forty_percent(shop):
    """'The model therefore predicts more purchases than the customers made: on the classroom shop
    and on three other draws of it, 10 % to 40 % too many, and the revenue total errs the same way,
    by less.'"""
    error, _ = _clv_score(shop)
    assert 0.10 <= error["orders"] <= 0.40, error.to_dict()
    assert 0 < error["revenue"] < error["orders"], error.to_dict()


def test_a_fit_on_five_customers_fails_and_says_why(shop):
    """'Fitted on the first five customers alone, it cannot: the kit then refuses with a
    CustkitError that says why'."""
    _, summary = _clv_score(shop)
    with pytest.raises(ck.CustkitError, match="too few customers"):
        models.BetaGeoNBD().fit(summary.head(5))


def test_the_customer_centric_shop_keeps_more_customers(shop):
    """Section 11: 'Start with the causes (late_share, mean_response_hours), then follow them
    through mean_csat to the results ...'; 'The gap in retention is the price it will pay'."""
    def small(preset):
        config = ck.ShopConfig.preset(preset).replace(n_customers=2000, anonymous_visitors=0, seed=shop.config.seed)
        return ck.generate(config)

    cc = small("customer_centric")
    c = ck.retention.compare_shops(cc, small("production_centric"), names=("cc", "pc"))
    v = c.pivot(index="metric", columns="shop", values="value")
    # 'Here period_retention is quarter to quarter (the default of compare_shops), not the
    # year-to-year r of section 2'
    quarterly = ck.retention.pooled_retention(ck.retention.period_retention(cc.orders, as_of=cc.end, freq="Q"))
    assert v.loc["period_retention", "cc"] == pytest.approx(quarterly, rel=1e-12)
    assert v.loc["late_share", "cc"] < v.loc["late_share", "pc"]
    assert v.loc["mean_response_hours", "cc"] < v.loc["mean_response_hours", "pc"]
    for better in ("mean_csat", "period_retention", "repeat_rate", "active_share", "revenue_per_customer"):
        assert v.loc[better, "cc"] > v.loc[better, "pc"], better


def _gross_margin(shop):
    """Gross margin of the shop's own sales (B2C and B2B, delivered) from products.unit_cost."""
    buys = ck.definitions.purchases_until(shop.orders, shop.end)
    sold = buys[buys["transaction_type"].isin(["B2C", "B2B"]) & (buys["status"] == "delivered")]
    lines = shop.order_items[shop.order_items["order_id"].isin(sold["order_id"])].merge(
        shop.products[["product_id", "unit_cost"]], on="product_id", how="left")
    assert lines["unit_cost"].notna().all()
    assert lines["line_net"].sum() == pytest.approx(sold["shop_revenue"].sum(), rel=1e-9)
    return 1 - (lines["quantity"] * lines["unit_cost"]).sum() / lines["line_net"].sum()


def test_the_cost_of_goods_puts_the_margin_near_30_to_35_percent(shop):
    """Parameters cell: 'share of revenue that is margin (products.unit_cost puts it near 30-35 %)';
    section 2: 'the margin rate of the parameters cell (30 %, near the gross margin that the cost of
    goods in products.unit_cost implies)'."""
    margin = _gross_margin(shop)
    assert 0.29 <= margin <= 0.37, margin
    assert abs(margin - MARGIN_RATE) < 0.07


def _acquisition_reading(shop):
    r = _r(shop)
    margins = yearly_margins(shop.orders, as_of=shop.end, margin_rate=MARGIN_RATE)
    multiple = ck.retention.retention_clv(1.0, r, DISCOUNT)
    last_year = ck.retention.acquisition_cost_by_channel(shop.customers, shop.marketing_spend, shop.orders,
                                                         as_of=shop.end, start=margins.attrs["start"],
                                                         margin_rate=MARGIN_RATE)
    paid = last_year[last_year["paid"]]
    cac_all = last_year["spend"].sum() / last_year["new_customers"].sum()
    cac_paid = paid["spend"].sum() / paid["new_customers"].sum()
    new_value = margins.loc[margins["new"], "margin"].mean() * (1 + multiple)
    return r, cac_all, cac_paid, new_value


def test_paid_acquisition_does_not_pay_for_itself_on_average(shop):
    """'Over all channels, a new customer brings more margin than winning them cost, but only thanks
    to the organic ones: a customer won through a paid channel cost more than the margin an average
    new customer brings in the first year and all the years ahead. As the shop is now, paid
    acquisition does not pay for itself on average.'; the summary: 'Here a customer won through a paid
    channel costs more than the margin a new customer brings, this year and in all the years ahead.'"""
    _, cac_all, cac_paid, new_value = _acquisition_reading(shop)
    assert cac_all < new_value < cac_paid, (cac_all, new_value, cac_paid)
    assert cac_paid > 1.1 * new_value  # not a near tie


def test_a_customer_stays_about_a_year_and_a_half(shop):
    """'about a year and a half on average, so a channel that needs longer loses money on most of the
    customers it wins' (most customers leave after their first year: 1 - r > 1/2)."""
    r, *_ = _acquisition_reading(shop)
    assert 1.4 <= 1 / (1 - r) <= 1.6, 1 / (1 - r)
    assert 1 - r > 0.5


def test_the_quadrants_cut_at_zero_days_and_count_revenue(shop):
    """'So the median tenure, the line between loyal and not, is 0 days: "loyal" here means "bought on
    two different days". And the profit columns are revenue (shop_revenue), not margin: with one
    margin rate for every order, margin would put every customer in the same quadrant.'"""
    q = ck.retention.loyalty_quadrants(shop.orders, as_of=shop.end)
    assert q.attrs["loyalty_cutoff"] == 0
    assert (q["loyal"] == (q["tenure_days"] > 0)).all()
    revenue = ck.definitions.purchases_until(shop.orders, shop.end).groupby("customer_id")["shop_revenue"].sum()
    assert np.allclose(q.set_index("customer_id")["profit"], revenue.reindex(q["customer_id"]).to_numpy())
    buys = ck.definitions.purchases_until(shop.orders, shop.end)
    margin = buys.assign(margin=MARGIN_RATE * buys["shop_revenue"])
    by_margin = ck.retention.loyalty_quadrants(margin, as_of=shop.end, profit="margin")
    assert (by_margin["quadrant"].to_numpy() == q["quadrant"].to_numpy()).all()


def test_the_model_horizon_is_the_next_12_months(shop):
    """'the clv column is the expected revenue over the horizon (the next 12 months here)'."""
    assert round(shop.config.horizon_weeks * 7 / (365.25 / 12)) == 12
