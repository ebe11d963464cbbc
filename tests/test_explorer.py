"""The interactive explorer: its plain functions (hand-computed cases) and the widget without a browser."""

from __future__ import annotations

import base64

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.figure import Figure

import custkit as ck
from custkit import experiments
from custkit.errors import ConfigError, CustkitError, SchemaError
from custkit.explorer import (
    draw,
    explorer,
    explorer_config,
    reweight_mix,
    simulate_summary,
    summarise_shop,
    summary_table,
    summary_text,
)
from custkit.plots.explorer import plot_clv_distribution, plot_equity_buildup, plot_period_retention

# ------------------------------------------------------------------------------------ reweight_mix


def test_reweight_mix_rescales_the_others_in_proportion():
    out = reweight_mix({"a": 0.5, "b": 0.3, "c": 0.2}, "a", 0.2)
    # the others had 0.5 together and now share 0.8: b = 0.3 * 0.8 / 0.5 = 0.48, c = 0.2 * 0.8 / 0.5 = 0.32
    assert out == pytest.approx({"a": 0.2, "b": 0.48, "c": 0.32})


def test_reweight_mix_splits_equally_when_the_others_had_nothing():
    # 1 - 0.4 = 0.6 split over two personas
    assert reweight_mix({"a": 1.0, "b": 0.0, "c": 0.0}, "a", 0.4) == pytest.approx({"a": 0.4, "b": 0.3, "c": 0.3})


def test_reweight_mix_does_not_change_its_input():
    mix = {"a": 0.5, "b": 0.5}
    reweight_mix(mix, "a", 0.1)
    assert mix == {"a": 0.5, "b": 0.5}


@pytest.mark.parametrize("mix, name, share", [({}, "a", 0.1), ({"a": 1.0}, "z", 0.1), ({"a": 0.5, "b": 0.5}, "a", 1.5),
                                              ("a", "a", 0.1)])
def test_reweight_mix_bad_input(mix, name, share):
    with pytest.raises(CustkitError):
        reweight_mix(mix, name, share)


# --------------------------------------------------------------------------------- explorer_config


def test_explorer_config_applies_the_sliders():
    cfg = explorer_config(n_customers=300, late_delivery_rate=0.3, support_response_hours=32.0, discount_depth=20.0,
                          loyalty_programme=False, persona="discount_seeker", persona_share=0.4)
    assert (cfg.n_customers, cfg.anonymous_visitors, cfg.horizon_weeks, cfg.seed) == (300, 0, 1, 42)
    assert (cfg.late_delivery_rate, cfg.discount_depth, cfg.loyalty_programme) == (0.3, 20.0, False)
    # classroom: 8 h before, 16 h after, so before keeps half of the new 32 h
    assert (cfg.support_response_hours_after, cfg.support_response_hours_before) == (32.0, 16.0)
    # searcher had 0.22 of the 0.82 left beside discount_seeker's 0.18: 0.22 * 0.6 / 0.82
    assert cfg.persona_mix["discount_seeker"] == 0.4
    assert cfg.persona_mix["searcher"] == pytest.approx(0.22 * 0.6 / 0.82)
    assert sum(cfg.persona_mix.values()) == pytest.approx(1.0)


def test_explorer_config_keeps_the_base_when_a_knob_is_none():
    base = ck.ShopConfig.preset("production_centric").replace(seed=7)
    cfg = explorer_config(base, n_customers=200)
    assert (cfg.seed, cfg.late_delivery_rate, cfg.loyalty_programme) == (7, base.late_delivery_rate, False)
    assert base.late_delivery_rate == 0.16  # the preset's value, not the classroom's 0.12
    assert cfg.persona_mix == base.persona_mix


@pytest.mark.parametrize("kwargs, error", [
    ({"late_delivery_rate": 1.5}, ConfigError),
    ({"n_customers": 5}, ConfigError),
    ({"support_response_hours": -2.0}, CustkitError),
    ({"persona": "searcher"}, CustkitError),
    ({"persona_share": 0.3}, CustkitError),
    ({"persona": "wizard", "persona_share": 0.3}, CustkitError),
    ({"base_config": {"seed": 1}}, CustkitError),
])
def test_explorer_config_bad_input(kwargs, error):
    with pytest.raises(error):
        explorer_config(**kwargs)


# ---------------------------------------------------------------------------------- summarise_shop


def _tiny_shop() -> ck.Shop:
    orders = pd.DataFrame({
        "customer_id": [1, 1, 2, 3],
        "order_date": pd.to_datetime(["2024-03-01", "2025-06-01", "2024-05-01", "2025-02-01"]),
        "shop_revenue": [100.0, 200.0, 50.0, 80.0],
        "transaction_type": ["B2C"] * 4,
        "status": ["delivered"] * 4,
    })
    return ck.Shop(tables={"orders": orders})


def test_summarise_shop_by_hand():
    s = summarise_shop(_tiny_shop(), as_of="2025-12-31", discount=0.10, horizon=3)
    # Yearly retention: 2024 buyers {1, 2}, of whom 1 buys in 2025: r = 0.5.
    assert s.metrics["yearly_retention"] == 0.5
    # Last 365 days (2025-01-01 .. 2025-12-31): customer 1 (200, not new) and 3 (80, new).
    # CLV multiple r / (1 + d - r) = 0.5 / 0.6 = 0.8333: CLV 166.667 and 66.667, mean 116.667.
    assert s.clv["customer_id"].tolist() == [1, 3]
    assert s.clv["new"].tolist() == [False, True]
    assert s.clv["clv"].tolist() == pytest.approx([200 / 1.2, 80 / 1.2])
    assert s.metrics["mean_clv"] == pytest.approx(140 / 1.2)
    # Equity: 233.333 now + one new customer worth 66.667 a year for 3 years, discounted 10 %:
    # 66.667 * (0.909091 + 0.826446 + 0.751315) = 165.790; total 399.123.
    assert s.metrics["customer_equity"] == pytest.approx(399.1235, abs=1e-3)
    assert s.equity["source"].tolist() == ["current customers", "cohort 1", "cohort 2", "cohort 3"]
    # No customer buys in two consecutive quarters: pooled quarterly retention 0.
    assert s.metrics["quarterly_retention"] == 0.0
    assert s.metrics["buyers"] == 2.0
    assert s.currency == ""


def test_summarise_shop_agrees_with_the_sweeps_equity():
    shop = ck.generate(explorer_config(n_customers=300))
    s = summarise_shop(shop)
    assert s.metrics["customer_equity"] == pytest.approx(experiments.shop_equity(shop), rel=1e-12)
    assert s.metrics["quarterly_retention"] == pytest.approx(experiments.measure(shop, ["period_retention"]).iloc[0])
    assert s.currency == "USD" and s.config is shop.config


def test_summarise_shop_bad_input():
    with pytest.raises(CustkitError, match="custkit Shop"):
        summarise_shop(pd.DataFrame({"a": [1]}))
    # without a config the analysis day is the last order's (Shop.end), too short a window here
    with pytest.raises(CustkitError, match="two complete calendar years"):
        summarise_shop(_tiny_shop())
    with pytest.raises(CustkitError, match="two complete calendar years"):
        summarise_shop(_tiny_shop(), as_of="2024-12-31")
    with pytest.raises(CustkitError, match="discount"):
        summarise_shop(_tiny_shop(), as_of="2025-12-31", discount=-0.1)


# -------------------------------------------------------------------------- simulation, text, figure


@pytest.fixture(scope="module")
def two_summaries():
    start = simulate_summary(explorer_config(n_customers=300))
    late = simulate_summary(explorer_config(n_customers=300, late_delivery_rate=0.6))
    return start, late


def test_simulate_summary_is_deterministic_and_uses_the_config(two_summaries):
    start, late = two_summaries
    again = simulate_summary(explorer_config(n_customers=300))
    assert summary_text(again) == summary_text(start)
    assert late.config.late_delivery_rate == 0.6
    assert summary_text(late, start) != summary_text(start)


def test_summary_text_and_table(two_summaries):
    start, late = two_summaries
    table = summary_table(late, start)
    assert table.columns.tolist() == ["metric", "start", "now"]
    assert table["metric"].tolist() == ["buyers in the last year", "quarterly retention", "yearly retention",
                                        "mean CLV per buyer", "customer equity"]
    assert table["now"].iloc[-1] == f"{late.metrics['customer_equity']:,.0f} USD"
    text = summary_text(start)
    assert text.startswith("Explorer shop: 300 accounts, seed 42, late deliveries 12%")
    assert "start" not in summary_table(start).columns


def test_draw_makes_three_panels_outside_pyplot(two_summaries):
    start, late = two_summaries
    figures_before = plt.get_fignums()
    fig = draw(late, start)
    assert isinstance(fig, Figure) and plt.get_fignums() == figures_before
    assert [ax.get_title() for ax in fig.axes] == ["Retention", "Customer lifetime value", "Customer equity"]
    assert "USD" in fig.axes[2].get_ylabel() and "USD" in fig.axes[1].get_xlabel()


def test_plot_functions_bad_input(two_summaries):
    start, _ = two_summaries
    with pytest.raises(SchemaError):
        plot_period_retention(start.retention.drop(columns="retention"))
    with pytest.raises(SchemaError):
        plot_clv_distribution(pd.DataFrame())
    with pytest.raises(SchemaError):
        plot_equity_buildup(start.equity, baseline=start.equity.drop(columns="present_value"))


def test_plot_equity_buildup_stacks_to_the_equity(two_summaries):
    start, _ = two_summaries
    fig = Figure()
    ax = plot_equity_buildup(start.equity, ax=fig.subplots())
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == pytest.approx(start.metrics["customer_equity"])


# ------------------------------------------------------------------------------------------- widget


def test_explorer_widget_static_repr_and_a_slider_move():
    panel = explorer(n_customers=300)
    bundle = panel._repr_mimebundle_()
    assert bundle["text/plain"] == summary_text(panel.baseline)
    assert base64.b64decode(bundle["image/png"]).startswith(b"\x89PNG")
    assert "application/vnd.jupyter.widget-view+json" in bundle
    first = panel.figure.outputs[0]["data"]["image/png"]
    panel.late.value = 0.5
    assert panel.current.config.late_delivery_rate == 0.5
    assert panel.current.config.seed == panel.baseline.config.seed
    assert panel.figure.outputs[0]["data"]["image/png"] != first
    assert "Re-simulated" in panel.status.value and "start" in panel.numbers.value
    # the static repr keeps the start shop, whatever the sliders say now
    assert panel._repr_mimebundle_()["text/plain"] == bundle["text/plain"]
    panel.persona.value = "impulsive"
    assert panel.persona_share.value == pytest.approx(0.14)
    panel.persona_share.value = 0.5
    assert panel.current.config.persona_mix["impulsive"] == 0.5


@pytest.mark.parametrize("kwargs, error", [({"discount": -0.1}, CustkitError), ({"horizon": -1}, CustkitError),
                                           ({"n_customers": 5}, ConfigError)])
def test_explorer_bad_input(kwargs, error):
    with pytest.raises(error):
        explorer(**kwargs)
