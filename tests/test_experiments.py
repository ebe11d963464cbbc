"""Parameter sweeps: the loop, the summary statistics, the equity metric and the sweep plot."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import custkit as ck  # noqa: E402
from custkit import experiments  # noqa: E402
from custkit.errors import ConfigError, CustkitError  # noqa: E402
from custkit.plots.experiments import plot_sweep  # noqa: E402
from custkit.shop import Shop  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def tidy(rows):
    return pd.DataFrame(rows, columns=["knob", "knob_value", "seed", "metric", "value"])


# ------------------------------------------------------------------------------------------ summarise


def test_summarise_hand_computed_t_interval():
    runs = tidy([("k", 0.1, 1, "m", 1.0), ("k", 0.1, 2, "m", 2.0), ("k", 0.1, 3, "m", 3.0)])
    out = experiments.summarise_sweep(runs)
    row = out.iloc[0]
    # mean = 2, sd (ddof 1) = sqrt(((1-2)^2 + 0 + (3-2)^2) / 2) = 1;
    # t(0.975, df=2) = 4.302653, half-width = 4.302653 * 1 / sqrt(3) = 2.484138
    assert row["n"] == 3 and row["mean"] == pytest.approx(2.0) and row["sd"] == pytest.approx(1.0)
    assert row["ci_low"] == pytest.approx(2.0 - 2.484138, abs=1e-6)
    assert row["ci_high"] == pytest.approx(2.0 + 2.484138, abs=1e-6)
    assert out.attrs["level"] == 0.95
    assert list(out.columns) == ["knob", "knob_value", "metric", "n", "mean", "sd", "ci_low", "ci_high"]


def test_summarise_other_level_single_run_and_missing_values():
    runs = tidy([("k", 0.5, 1, "a", 4.0), ("k", 0.5, 2, "a", 6.0),
                 ("k", 0.0, 1, "a", 7.0), ("k", 0.0, 2, "a", np.nan), ("k", 0.0, 3, "b", 1.0)])
    out = experiments.summarise_sweep(runs, level=0.90)
    # order of first appearance: 0.5 before 0.0
    assert out["knob_value"].tolist() == [0.5, 0.0, 0.0]
    two = out.iloc[0]
    # mean 5, sd = sqrt(2) = 1.414214, t(0.95, df=1) = 6.313752, half = 6.313752 * 1.414214 / sqrt(2) = 6.313752
    assert two["ci_low"] == pytest.approx(5 - 6.313752, abs=1e-5)
    assert two["ci_high"] == pytest.approx(5 + 6.313752, abs=1e-5)
    one = out.iloc[1]  # the NaN run does not count: one value, no interval
    assert one["n"] == 1 and one["mean"] == 7.0 and np.isnan(one["ci_low"]) and np.isnan(one["sd"])


def test_summarise_leaves_input_unchanged():
    runs = tidy([("k", 1, 1, "m", 1.0), ("k", 1, 2, "m", 3.0)])
    before = runs.copy()
    experiments.summarise_sweep(runs)
    pd.testing.assert_frame_equal(runs, before)


@pytest.mark.parametrize(
    "bad, kwargs, message",
    [
        ("empty", {}, "empty"),
        ("no_value", {}, "lacks column"),
        ("text", {}, "must hold numbers"),
        ("ok", {"level": 1.0}, "level"),
        ("ok", {"level": 0}, "level"),
    ],
)
def test_summarise_bad_input(bad, kwargs, message):
    good = tidy([("k", 1, 1, "m", 1.0)])
    data = {"empty": good.iloc[:0], "no_value": good.drop(columns="value"),
            "text": good.assign(value="high"), "ok": good}[bad]
    with pytest.raises(CustkitError, match=message):
        experiments.summarise_sweep(data, **kwargs)


# ------------------------------------------------------------------------------------------ paired effects


def test_paired_effects_hand_computed():
    runs = tidy([("k", 0.0, 1, "m", 0.50), ("k", 0.0, 2, "m", 0.40),
                 ("k", 0.5, 1, "m", 0.42), ("k", 0.5, 2, "m", 0.30),
                 ("k", 0.9, 1, "m", 0.35), ("k", 0.9, 3, "m", 0.10)])  # seed 3 has no baseline run
    effects = experiments.paired_effects(runs)
    # 0.42 - 0.50 = -0.08, 0.30 - 0.40 = -0.10, 0.35 - 0.50 = -0.15; seed 3 dropped
    assert effects["knob_value"].tolist() == [0.5, 0.5, 0.9]
    assert effects["seed"].tolist() == [1, 2, 1]
    assert np.allclose(effects["value"], [-0.08, -0.10, -0.15])
    assert (effects["baseline"] == 0.0).all()
    summary = experiments.summarise_sweep(effects)
    # mean -0.09, sd = sqrt((0.01^2 + 0.01^2) / 1) = 0.0141421; t(0.975, 1) = 12.706205;
    # half = 12.706205 * 0.0141421 / sqrt(2) = 0.127062
    assert summary.iloc[0]["mean"] == pytest.approx(-0.09)
    assert summary.iloc[0]["ci_high"] == pytest.approx(-0.09 + 0.127062, abs=1e-6)


def test_paired_effects_other_baseline():
    runs = tidy([("k", 0.0, 1, "m", 1.0), ("k", 0.5, 1, "m", 4.0)])
    effects = experiments.paired_effects(runs, baseline=0.5)
    assert effects["knob_value"].tolist() == [0.0] and effects["value"].tolist() == [-3.0]


def test_paired_effects_bad_input():
    runs = tidy([("k", 0.0, 1, "m", 1.0), ("k", 0.5, 1, "m", 4.0)])
    with pytest.raises(CustkitError, match="not a value"):
        experiments.paired_effects(runs, baseline=0.25)
    with pytest.raises(CustkitError, match="one run per seed"):
        experiments.paired_effects(pd.concat([runs, runs.iloc[:1]]))
    with pytest.raises(CustkitError, match="lacks column"):
        experiments.paired_effects(runs.drop(columns="seed"))


# ------------------------------------------------------------------------------------------ sweep loop


def fake_measure(shop, metrics):
    # the "shop" is the config itself (fake generator): values that reveal which config was used
    return pd.Series({"late_share": shop.late_delivery_rate, "customers": float(shop.n_customers + shop.seed)})[
        list(metrics)]


def test_sweep_loops_over_values_and_seeds_in_order(monkeypatch):
    monkeypatch.setattr(experiments, "measure", fake_measure)
    calls = []
    done = []
    runs = experiments.sweep(ck.ShopConfig(), "late_delivery_rate", [0.3, 0.0], seeds=[5, 9],
                             metrics=["customers", "late_share"], n_customers=120,
                             generator=lambda cfg: calls.append(cfg) or cfg,
                             progress=lambda d, t: done.append((d, t)))
    assert [(c.late_delivery_rate, c.seed, c.n_customers) for c in calls] == [
        (0.3, 5, 120), (0.3, 9, 120), (0.0, 5, 120), (0.0, 9, 120)]
    assert done == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert list(runs.columns) == ["knob", "knob_value", "seed", "metric", "value"]
    assert len(runs) == 8 and set(runs["knob"]) == {"late_delivery_rate"}
    assert runs["seed"].dtype == "int64" and runs["metric"].dtype == "str"
    first = runs.iloc[:2]
    assert first["metric"].tolist() == ["customers", "late_share"]
    assert first["value"].tolist() == [125.0, 0.3]  # 120 customers + seed 5; the knob value
    assert runs.attrs["n_customers"] == 120


def test_sweep_keeps_base_n_customers_when_not_given(monkeypatch):
    monkeypatch.setattr(experiments, "measure", fake_measure)
    runs = experiments.sweep(ck.ShopConfig(n_customers=77), "delivery_days", [2], seeds=[0],
                             metrics=["customers"], generator=lambda cfg: cfg)
    assert runs["value"].tolist() == [77.0]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"knob": "seed"}, CustkitError, "replications"),
        ({"knob": "lateness"}, CustkitError, "unknown knob"),
        ({"values": []}, CustkitError, "empty"),
        ({"values": 0.3}, CustkitError, "list"),
        ({"values": [0.1, 0.1]}, CustkitError, "repeats"),
        ({"seeds": [1, 1]}, CustkitError, "repeats"),
        ({"seeds": [-1]}, CustkitError, ">= 0"),
        ({"seeds": [1.5]}, CustkitError, "whole numbers"),
        ({"metrics": ["happiness"]}, CustkitError, "unknown"),
        ({"metrics": []}, CustkitError, "at least one"),
        ({"values": [0.1, 1.5]}, ConfigError, "late_delivery_rate"),
        ({"base_config": {"seed": 1}}, CustkitError, "ShopConfig"),
        ({"n_customers": 5}, ConfigError, "n_customers"),
        ({"generator": "fast"}, CustkitError, "generator"),
    ],
)
def test_sweep_bad_input_fails_before_simulating(kwargs, error, message):
    calls = []
    args = {"base_config": ck.ShopConfig(), "knob": "late_delivery_rate", "values": [0.1], "seeds": [1],
            "generator": lambda cfg: calls.append(cfg)}
    args.update(kwargs)
    with pytest.raises(error, match=message):
        experiments.sweep(**args)
    assert calls == []


@pytest.mark.slow
def test_real_sweep_is_deterministic_and_the_knob_acts():
    base = ck.ShopConfig().replace(anonymous_visitors=0, horizon_weeks=1)
    kwargs = dict(metrics=["late_share", "period_retention"], n_customers=200)
    runs = experiments.sweep(base, "late_delivery_rate", [0.0, 0.5], seeds=[3], **kwargs)
    again = experiments.sweep(base, "late_delivery_rate", [0.0, 0.5], seeds=[3], **kwargs)
    pd.testing.assert_frame_equal(runs, again)
    late = runs[runs["metric"] == "late_share"].set_index("knob_value")["value"]
    assert late[0.0] == 0.0  # no order is late when the rate is 0
    assert 0.35 < late[0.5] < 0.65  # about half, for a few hundred delivered orders
    retention = runs[runs["metric"] == "period_retention"]["value"]
    assert retention.between(0, 1).all()


# ------------------------------------------------------------------------------------------ equity


def tiny_shop() -> Shop:
    orders = pd.DataFrame({
        "customer_id": [1, 1, 2, 3],
        "order_date": pd.to_datetime(["2023-03-01", "2024-03-01", "2023-05-01", "2024-06-01"]),
        "shop_revenue": [100.0, 100.0, 50.0, 200.0],
    })
    return Shop(tables={"orders": orders})


def test_shop_equity_hand_computed():
    # Yearly retention: 2023 buyers {1, 2}, 2024 buyers {1, 3}: r = 1 / 2.
    # Last 365 days (2024-01-02 .. 2024-12-31): customer 1 (100, not new) and 3 (200, new).
    # CLV per unit margin = r / (1 + d - r) = 0.5 / 0.6 = 0.833333: current = 300 * 0.833333 = 250.
    # One new customer a year worth 200 * 0.833333 = 166.6667, for 3 years discounted at 10 %:
    # 166.6667 * (1/1.1 + 1/1.21 + 1/1.331) = 166.6667 * 2.486852 = 414.4754.  CE = 664.4754.
    value = experiments.shop_equity(tiny_shop(), as_of="2024-12-31")
    assert value == pytest.approx(664.4754, abs=1e-3)
    # no future cohorts: only the current buyers
    assert experiments.shop_equity(tiny_shop(), as_of="2024-12-31", horizon=0) == pytest.approx(250.0)


def test_measure_returns_named_metrics_in_order():
    out = experiments.measure(tiny_shop(), ["customer_equity"], as_of="2024-12-31")
    assert out.index.tolist() == ["customer_equity"] and out.name == "value"
    assert out["customer_equity"] == pytest.approx(664.4754, abs=1e-3)


def test_shop_equity_needs_two_complete_years():
    one_year = tiny_shop()
    with pytest.raises(CustkitError, match="two complete calendar years"):
        experiments.shop_equity(one_year, as_of="2023-12-31")


@pytest.mark.parametrize(
    "shop, kwargs, message",
    [
        ("not a shop", {}, "custkit Shop"),
        (None, {"discount": -0.1}, "discount"),
        (None, {"horizon": 1.5}, "horizon"),
        (None, {"margin_rate": 0}, "margin_rate"),
    ],
)
def test_shop_equity_bad_input(shop, kwargs, message):
    with pytest.raises(CustkitError, match=message):
        experiments.shop_equity(tiny_shop() if shop is None else shop, as_of="2024-12-31", **kwargs)


def test_measure_bad_metrics():
    with pytest.raises(CustkitError, match="unknown"):
        experiments.measure(tiny_shop(), ["wow"])
    with pytest.raises(CustkitError, match="repeated"):
        experiments.measure(tiny_shop(), ["customer_equity", "customer_equity"])


# ------------------------------------------------------------------------------------------ plot


def sweep_runs():
    rows = []
    for v, values in [(0.0, [0.50, 0.54, 0.46]), (0.3, [0.40, 0.43, 0.37]), (0.5, [0.30, 0.35, 0.31])]:
        rows += [("late_delivery_rate", v, s, "period_retention", x) for s, x in zip([1, 2, 3], values)]
        rows += [("late_delivery_rate", v, s, "revenue_per_customer", 100 * x) for s, x in zip([1, 2, 3], values)]
    return tidy(rows)


def test_plot_sweep_draws_line_band_and_dots():
    runs = sweep_runs()
    summary = experiments.summarise_sweep(runs)
    before = summary.copy()
    ax = plot_sweep(summary, "period_retention", runs=runs)
    line = [ln for ln in ax.get_lines() if ln.get_label() == "mean over seeds"][0]
    assert list(line.get_xdata()) == [0.0, 0.3, 0.5]
    assert np.allclose(line.get_ydata(), [0.50, 0.40, 0.32])
    assert len(ax.collections) == 2  # the band and the dots
    assert len(ax.collections[1].get_offsets()) == 9
    assert ax.get_xlabel() == "late delivery rate (share)"  # words, not the field's snake_case name
    assert "share" in ax.get_ylabel() and "late delivery rate" in ax.get_title()
    pd.testing.assert_frame_equal(summary, before)


def test_plot_sweep_money_axis_and_categorical_knob():
    runs = sweep_runs()
    ax = plot_sweep(experiments.summarise_sweep(runs), "revenue_per_customer", currency="USD")
    assert "USD" in ax.get_ylabel()
    effects = experiments.summarise_sweep(experiments.paired_effects(runs))
    ax = plot_sweep(effects, "period_retention", ylabel="change in period retention")
    assert ax.get_ylabel() == "change in period retention"
    assert list(ax.get_lines()[0].get_xdata()) == [0.3, 0.5]  # the baseline 0.0 is not an effect
    flags = tidy([("loyalty_programme", flag, s, "repeat_rate", x)
                  for flag, xs in [(True, [0.5, 0.6]), (False, [0.4, 0.5])] for s, x in zip([1, 2], xs)])
    ax = plot_sweep(experiments.summarise_sweep(flags), "repeat_rate", runs=flags)
    assert [t.get_text() for t in ax.get_xticklabels()] == ["True", "False"]


def test_plot_sweep_bad_input():
    summary = experiments.summarise_sweep(sweep_runs())
    with pytest.raises(CustkitError, match="no rows for metric"):
        plot_sweep(summary, "customer_equity")
    with pytest.raises(CustkitError, match="lacks column"):
        plot_sweep(summary.drop(columns="ci_low"), "period_retention")


def test_readable_sweep_refuses_a_table_that_is_not_a_sweep():
    import pandas as pd

    from custkit.errors import CustkitError
    from custkit.experiments import readable_sweep

    for bad in (pd.DataFrame({"value": [1.0]}), [1, 2], None):
        with pytest.raises(CustkitError, match="sweep table with a 'metric' column"):
            readable_sweep(bad)
