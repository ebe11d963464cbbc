"""Notebook 06 (research playground): every sentence that states a direction or a size, checked.

The sweep sentences are checked on the notebook's own sweep (its parameters cell: knob, values,
seeds and shop size; the seeds make it a several-seed check already) and on a second set of seeds,
4-6. The sentences about the shop's data are checked on the four shops of ``conftest.py``; those
about the researcher's six-customer log on that log, read from the notebook itself.
"""

from __future__ import annotations

import functools
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

import custkit as ck
from custkit import experiments, explorer
from custkit.retention.equity import equity_from_orders
from custkit.retention.models._common import SHAPE_BOUNDS
from custkit.retention.models.bgnbd import BetaGeoNBD
from custkit.retention.yearly import yearly_margins
from custkit.segmentation.rfm import FREQUENCY_BINS

NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "06_research_playground.ipynb"
RET, REV, EQ = "period_retention", "revenue_per_customer", "customer_equity"


@functools.cache
def cells() -> tuple[str, ...]:
    return tuple(c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "code")


def cell_with(marker: str) -> str:
    found = [s for s in cells() if marker in s]
    assert found, f"no code cell of notebook 06 contains {marker!r}"
    return found[0]


@functools.cache
def params() -> dict:
    """The notebook's parameters cell, run."""
    namespace: dict = {}
    exec(cell_with("sweep_customers ="), namespace)
    return namespace


@functools.cache
def sweep_setup() -> dict:
    """``base`` and ``metrics`` exactly as the notebook's sweep cell defines them."""
    lines = [line for line in cell_with("experiments.sweep(").splitlines() if line.startswith(("base =", "metrics ="))]
    namespace = {"ck": ck}
    exec("\n".join(lines), namespace)
    return namespace


@functools.cache
def notebook_sweep(seeds: tuple[int, ...], **changes) -> tuple[pd.DataFrame]:
    """The notebook's sweep (its knob, values and shop size) on ``seeds`` (a 1-tuple, for callers
    that index it). Its speed is measured by ``benchmarks/bench_course.py``, not here."""
    p, setup = params(), sweep_setup()
    runs = experiments.sweep(setup["base"].replace(**changes), p["sweep_knob"], p["sweep_values"], list(seeds),
                             metrics=setup["metrics"], n_customers=p["sweep_customers"])
    return (runs,)


SEED_SETS = ("notebook", (4, 5, 6))


def seeds_of(name) -> tuple[int, ...]:
    return tuple(params()["sweep_seeds"]) if name == "notebook" else name


@pytest.fixture(params=SEED_SETS, ids=["notebook_seeds", "seeds_4_5_6"], scope="module")
def runs(request) -> pd.DataFrame:
    return notebook_sweep(seeds_of(request.param))[0]


def by_seed(runs: pd.DataFrame, metric: str) -> pd.DataFrame:
    """One row per seed, one column per knob value."""
    return runs[runs["metric"] == metric].pivot(index="seed", columns="knob_value", values="value")


def means(runs: pd.DataFrame, metric: str) -> pd.Series:
    summary = experiments.summarise_sweep(runs)
    return summary[summary["metric"] == metric].set_index("knob_value")["mean"]


def pairing_ratio(runs: pd.DataFrame, metric: str) -> pd.Series:
    """Paired sd of each value's change over the sd the change would have between unrelated shops."""
    summary = experiments.summarise_sweep(runs)
    sd = summary[summary["metric"] == metric].set_index("knob_value")["sd"]
    effects = experiments.summarise_sweep(experiments.paired_effects(runs))
    paired = effects[effects["metric"] == metric].set_index("knob_value")["sd"]
    unpaired = np.sqrt(sd.iloc[0] ** 2 + sd.iloc[1:] ** 2)
    return paired / unpaired


def paired_rows(runs: pd.DataFrame, metric: str = RET) -> pd.DataFrame:
    effects = experiments.summarise_sweep(experiments.paired_effects(runs))
    return effects[effects["metric"] == metric].set_index("knob_value")


# ------------------------------------------------------------------------------- section 1: the knobs


def test_customer_and_production_centric_differ_only_in_service_policies():
    """'`customer_centric` and `production_centric` differ from it only in their service policies'"""
    policy = {"late_delivery_rate", "delivery_days", "support_response_hours_before",
              "support_response_hours_after", "loyalty_programme"}
    classroom = ck.ShopConfig.preset("classroom").to_dict()
    for name in ("customer_centric", "production_centric"):
        other = ck.ShopConfig.preset(name).to_dict()
        changed = {k for k in classroom if classroom[k] != other[k]}
        assert changed and changed <= policy, (name, changed)
    better = ck.ShopConfig.preset("customer_centric")
    worse = ck.ShopConfig.preset("production_centric")
    assert better.late_delivery_rate < classroom["late_delivery_rate"] < worse.late_delivery_rate
    assert better.support_response_hours_after < classroom["support_response_hours_after"] \
        < worse.support_response_hours_after


def test_large_is_the_classroom_shop_scaled_up():
    """'`large` is the classroom shop scaled up for performance work'"""
    classroom = ck.ShopConfig.preset("classroom").to_dict()
    large = ck.ShopConfig.preset("large").to_dict()
    changed = {k for k in classroom if classroom[k] != large[k]}
    assert "n_customers" in changed
    assert changed <= {"n_customers", "anonymous_visitors", "n_products", "block_size"}, changed
    assert all(large[k] > classroom[k] for k in changed)
    assert large["n_customers"] >= 10 * classroom["n_customers"]


def small_config(seed: int = 7) -> ck.ShopConfig:
    """The notebook's small shop of section 1 (production_centric, 300 accounts, one week ahead)."""
    return ck.ShopConfig.preset("production_centric").replace(
        seed=seed, n_customers=300, anonymous_visitors=0, horizon_weeks=1)


def test_small_shop_customers_are_fewer_than_the_300_accounts_opened():
    """'Its `customers` table (below) holds fewer than 300 rows: accounts opened before the observation
    window that neither buy nor sell in it are not exported'"""
    small = ck.generate(small_config())
    customers = small.customers
    assert 0 < len(customers) < 300
    opened_in_window = customers["signup_date"] >= pd.Timestamp(small.config.start_date)
    older = customers[~opened_in_window.to_numpy()]
    assert opened_in_window.any() and len(older) > 0
    traders = pd.concat([small.orders["customer_id"], small.orders["seller_customer_id"].dropna()])
    assert older["customer_id"].isin(traders).all()                    # the older ones buy or sell in it
    assert not older["customer_id"].isin(small.orders["customer_id"]).all()  # some only sell: "or sell"


def test_classroom_shop_opened_5000_accounts_and_exports_about_4000(shop):
    """'as in the classroom shop (5,000 accounts opened, about 4,000 rows in `customers`)'"""
    assert ck.ShopConfig.preset("classroom").n_customers == shop.config.n_customers == 5000
    assert 3500 <= len(shop.customers) <= 4500
    older = shop.customers[shop.customers["signup_date"] < pd.Timestamp(shop.config.start_date)]
    traders = pd.concat([shop.orders["customer_id"], shop.orders["seller_customer_id"].dropna()])
    assert len(older) > 0 and older["customer_id"].isin(traders).all()


# ------------------------------------------------------------------------ section 2: same config, same shop


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_same_config_gives_the_same_tables_row_for_row(seed):
    """'the same config gives the same tables, row for row and byte for byte'"""
    first, second = ck.generate(small_config(seed)), ck.generate(small_config(seed))
    assert set(first.tables) == set(second.tables)
    for name in first.tables:
        assert first.tables[name].equals(second.tables[name]), name
        assert pd.util.hash_pandas_object(first.tables[name]).equals(pd.util.hash_pandas_object(second.tables[name]))


def test_another_seed_gives_another_shop_of_the_same_kind():
    """'Another seed gives another shop: the same kind of customers and the same policies, but other
    individual draws'"""
    shops = [ck.generate(small_config(seed)) for seed in (7, 8)]
    assert not shops[0].orders.equals(shops[1].orders)
    sizes = [len(s.orders) for s in shops]
    assert abs(sizes[0] - sizes[1]) < 0.3 * max(sizes)  # the same kind of shop, not a copy
    assert (shops[0].orders["order_date"].min().year == shops[1].orders["order_date"].min().year)


def test_block_size_changes_the_draws_once_a_shop_has_more_customers_than_a_block():
    """'The `block_size` knob also changes the draws once a shop has more customers than one block'"""
    cfg = small_config()
    assert ck.ShopConfig.preset("classroom").block_size == 2500  # '2,500 in the classroom shop'
    assert cfg.block_size > cfg.n_customers
    one_block = ck.generate(cfg).orders
    assert ck.generate(cfg.replace(block_size=2 * cfg.block_size)).orders.equals(one_block)  # still one block
    assert not ck.generate(cfg.replace(block_size=100)).orders.equals(one_block)             # three blocks


# ---------------------------------------------------------------------------------- section 3: the sweep


def test_sweep_shops_have_a_few_hundred_accounts():
    """'Each sweep shop has a few hundred accounts' (that the sweep then finishes in seconds, and the
    other speed sentences of this notebook, are measured by ``benchmarks/bench_course.py``)."""
    assert 100 <= params()["sweep_customers"] < 1000


NOTEBOOK_04 = NOTEBOOK.parent / "04_retention_economics.ipynb"


@functools.cache
def notebook_04_cells() -> tuple[nbformat.NotebookNode, ...]:
    return tuple(c for c in nbformat.read(NOTEBOOK_04, as_version=4).cells if c.cell_type == "code")


def notebook_04_cell(marker: str) -> str:
    found = [c.source for c in notebook_04_cells() if marker in c.source]
    assert len(found) == 1, f"notebook 04 has {len(found)} code cells with {marker!r}"
    return found[0]


def test_period_retention_here_is_quarterly_and_04s_and_the_equitys_yearly(shop):
    """'This is *quarterly* retention; notebook 04 (section 2) and the customer equity below use
    *yearly* retention, from one year to the next'; the explorer: '*quarterly retention* is the
    sweep's `period_retention` ..., *yearly retention* is notebook 04's r ..., the one the lifetime
    values and the equity use'"""
    orders = shop.orders
    quarterly = ck.retention.pooled_retention(ck.retention.period_retention(orders, as_of=shop.end, freq="Q"))
    yearly = ck.retention.pooled_retention(ck.retention.period_retention(orders, as_of=shop.end, freq="Y"))
    assert experiments.measure(shop, [RET]).iloc[0] == pytest.approx(quarterly, rel=1e-12)
    assert abs(quarterly - yearly) > 1e-6  # two different measures, even when close
    assert 'period_retention(orders, as_of=as_of, freq="Y")' in notebook_04_cell("by_year = ")
    value = equity_from_orders(orders, as_of=shop.end)
    assert value.yearly_retention == pytest.approx(yearly, rel=1e-12)
    metrics = explorer.summarise_shop(shop).metrics
    assert metrics["quarterly_retention"] == pytest.approx(quarterly, rel=1e-12)
    assert metrics["yearly_retention"] == pytest.approx(yearly, rel=1e-12)
    clv = ck.retention.retention_clv(1.0, yearly, experiments.EQUITY_DISCOUNT)
    assert metrics["mean_clv"] == pytest.approx(float((value.clv["margin"] * clv).mean()), rel=1e-9)


def test_shop_equity_is_revenue_times_the_multiple_plus_three_cohorts_without_acquisition_cost(shop):
    """'Each of the last year's buyers is worth their yearly revenue times the margin multiple
    r / (1 + d − r) ... (r the yearly retention, d = 10 % a year); three future yearly cohorts follow,
    each as large as last year's new buyers and each new customer worth as much as they were ... it
    counts the whole revenue as margin ..., subtracts no acquisition cost, values a new customer from
    their second year on only'"""
    orders, end = shop.orders, shop.end
    margins = yearly_margins(orders, as_of=end, margin_rate=1.0)
    revenue = ck.definitions.purchases_until(orders, end)
    revenue = revenue[revenue["order_date"] >= margins.attrs["start"]].groupby("customer_id")["shop_revenue"].sum()
    assert margins.set_index("customer_id")["margin"].sort_index().to_numpy() == pytest.approx(
        revenue.sort_index().to_numpy(), rel=1e-9)  # 'their yearly revenue': the whole revenue as margin
    r = ck.retention.pooled_retention(ck.retention.period_retention(orders, as_of=end, freq="Y"))
    d = 0.10
    multiple = r / (1 + d - r)
    current = float(margins["margin"].sum() * multiple)
    new = margins[margins["new"]]
    future = sum(len(new) * float(new["margin"].mean()) * multiple / (1 + d) ** t for t in (1, 2, 3))
    assert experiments.EQUITY_DISCOUNT == d and experiments.EQUITY_HORIZON == 3
    assert experiments.shop_equity(shop) == pytest.approx(current + future, rel=1e-9)


def test_notebook_04s_equity_takes_30_percent_acquisition_cost_first_year_and_five_years(shop):
    """'(04 takes 30 % of it), subtracts no acquisition cost, values a new customer from their second
    year on only (04 adds their first year), and looks three years ahead (04 looks five). So it is much
    larger than 04's figure'"""
    namespace: dict = {}
    exec(next(c.source for c in notebook_04_cells() if "parameters" in c.metadata.get("tags", [])), namespace)
    assert namespace["margin_rate"] == 0.30 and namespace["discount_rate"] == 0.10
    cell = notebook_04_cell("ck.retention.customer_equity(")
    assert "horizon=5" in cell and "acquisition_cost=cac" in cell and '(1 + multiple)' in cell
    namespace.update(ck=ck, pd=pd, shop=shop, orders=shop.orders, as_of=shop.config.end,
                     currency=shop.config.currency, yearly_margins=yearly_margins)
    exec(notebook_04_cell("by_year = "), namespace)
    exec(cell, namespace)
    equity_04 = float(namespace["equity"]["cumulative"].iloc[-1])
    assert len(namespace["equity"]) == 6 and namespace["cac"] > 0  # today's customers and five cohorts
    assert experiments.shop_equity(shop) > 2 * equity_04


def test_with_three_seeds_t_is_4_30_not_1_96():
    """'with three seeds t is 4.30, not the 1.96 of large samples'"""
    assert round(float(stats.t.ppf(0.975, 2)), 2) == 4.30
    assert round(float(stats.norm.ppf(0.975)), 2) == 1.96
    values = pd.DataFrame({"knob_value": 0.0, "metric": "m", "value": [1.0, 2.0, 4.0]})
    row = experiments.summarise_sweep(values).iloc[0]
    assert (row["ci_high"] - row["mean"]) / (row["sd"] / np.sqrt(3)) == pytest.approx(4.302653, abs=1e-6)


def test_retention_falls_at_every_step_in_every_seed_from_over_40_to_under_20_percent(runs):
    """'in every seed's shops, quarterly retention falls at each step of the knob, from a little over
    40 % with no late deliveries to under 20 % when half the orders are late, more than 25 points less'"""
    table = by_seed(runs, RET)
    assert (table.diff(axis=1).iloc[:, 1:] < 0).all().all()
    mean = means(runs, RET)
    assert 0.40 < mean.iloc[0] < 0.50 and mean.iloc[-1] < 0.20
    assert 0.25 < mean.iloc[0] - mean.iloc[-1] < 0.35


def test_revenue_and_equity_fall_with_it(runs):
    """'Revenue per customer and customer equity fall with it, in every seed.'"""
    for metric in (REV, EQ):
        assert (by_seed(runs, metric).diff(axis=1).iloc[:, 1:] < 0).all().all(), metric


def test_the_intervals_at_the_two_ends_do_not_overlap(runs):
    """'the direction is clear: ... and the intervals at the two ends do not overlap'"""
    summary = experiments.summarise_sweep(runs)
    ret = summary[summary["metric"] == RET].set_index("knob_value")
    assert ret["ci_high"].iloc[-1] < ret["ci_low"].iloc[0]


def test_same_seed_shops_share_largely_the_same_customers():
    """'the shops of one seed share their random streams (largely the same customers)'"""
    p, setup = params(), sweep_setup()
    for seed in p["sweep_seeds"]:
        cfg = setup["base"].replace(seed=seed, n_customers=p["sweep_customers"])
        low = ck.generate(cfg.replace(**{p["sweep_knob"]: min(p["sweep_values"])})).customers
        high = ck.generate(cfg.replace(**{p["sweep_knob"]: max(p["sweep_values"])})).customers
        same = low.merge(high, on=["customer_id", "signup_date", "gender", "occupation"])
        assert len(same) >= 0.8 * len(low), seed


def test_pairing_narrows_revenue_and_equity_but_hardly_retention(runs):
    """'For retention most ratios lie near 1: at this size the shops of one seed move together little
    ..., so pairing hardly narrows retention's interval. For revenue per customer and customer equity
    ... the paired spread is smaller at every value.'"""
    for metric in (REV, EQ):
        assert (pairing_ratio(runs, metric) < 1).all(), metric
    near_one = pairing_ratio(runs, RET).between(0.75, 1.25)
    assert near_one.mean() > 0.5
    assert pairing_ratio(runs, RET).median() > pairing_ratio(runs, REV).median()


def test_equity_band_is_wider_than_retentions_relative_to_the_mean(runs):
    """'Relative to its mean, its band is wider than retention's at every value of the knob'"""
    summary = experiments.summarise_sweep(runs)
    width = ((summary["ci_high"] - summary["ci_low"]) / summary["mean"]).groupby(
        [summary["metric"], summary["knob_value"]]).first().unstack("metric")
    assert (width[EQ] > width[RET]).all()


def test_at_half_the_orders_late_retention_keeps_a_third_equity_under_a_fifth(runs):
    """'At half the orders late, retention is about a third of its value with none, and customer
    equity less than a fifth.'"""
    ret, eq = means(runs, RET), means(runs, EQ)
    assert 0.25 <= ret.iloc[-1] / ret.iloc[0] <= 0.45
    assert eq.iloc[-1] / eq.iloc[0] < 0.2
    assert eq.iloc[-1] / eq.iloc[0] < ret.iloc[-1] / ret.iloc[0]


def test_three_seed_intervals_are_wide(runs):
    """'the intervals with three seeds are wide' (the widest retention interval spans over 10 points)"""
    summary = experiments.summarise_sweep(runs)
    ret = summary[summary["metric"] == RET]
    assert (ret["ci_high"] - ret["ci_low"]).max() > 0.10


def test_more_seeds_narrow_the_interval_faster_than_the_square_root_while_few():
    """'on average the interval narrows with the square root of the number of seeds, and faster while
    the seeds are few, because t falls too (4.30 with three seeds, 2.36 with eight)'"""
    assert round(float(stats.t.ppf(0.975, 7)), 2) == 2.36
    three = [notebook_sweep(seeds_of(name))[0] for name in SEED_SETS]
    six = experiments.summarise_sweep(pd.concat(three, ignore_index=True))
    for runs in three:
        alone = experiments.summarise_sweep(runs)
        narrower = (six["ci_high"] - six["ci_low"]) < (alone["ci_high"] - alone["ci_low"])
        assert narrower.mean() > 0.5
    # expected width ratio from 3 to 6 seeds: t_5 / t_2 * sqrt(3 / 6), below 1 / sqrt(2)
    assert stats.t.ppf(0.975, 5) / stats.t.ppf(0.975, 2) * np.sqrt(0.5) < np.sqrt(0.5)


def test_without_the_satisfaction_link_the_sweep_loses_only_a_few_points():
    """'the simulated customers react to late deliveries because the simulator was built that way
    (through satisfaction, ...`satisfaction_churn_steepness`): set it to 0 and the same sweep loses only
    a few points of retention'"""
    for name in SEED_SETS:
        seeds = seeds_of(name)
        with_link = paired_rows(notebook_sweep(seeds)[0]).iloc[-1]["mean"]
        without = paired_rows(notebook_sweep(seeds, satisfaction_churn_steepness=0.0)[0]).iloc[-1]["mean"]
        assert with_link < -0.20
        assert abs(without) < 0.06 and abs(without) < 0.25 * abs(with_link)


# --------------------------------------------------------------------------------------- the explorer


def test_explorer_a_change_of_a_few_points_may_be_chance():
    """'a change of a few points after a small move of a slider may be chance': shops of the same
    knobs and other seeds already differ by more than that"""
    retention = [explorer.simulate_summary(explorer.explorer_config(ck.ShopConfig(seed=seed), n_customers=400))
                 .metrics["quarterly_retention"] for seed in (42, 43, 44)]
    assert max(retention) - min(retention) > 0.03


# -------------------------------------------------------------- section 4: a shop larger than memory


@pytest.fixture(scope="module")
def dask_client():
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
            Client(cluster) as client:
        yield client


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_streamed_shop_has_the_rows_ids_and_values_of_generate_whatever_the_workers(seed, dask_client, tmp_path):
    """'Its rows, ids and values are those that `ck.generate` would give for the same config, whatever
    the number of workers'"""
    from custkit.simulate.stream import write_partitioned

    cfg = small_config(seed).replace(anonymous_visitors=3000, block_size=100)  # three blocks
    want = ck.generate(cfg)
    got = ck.load_shop(ck.stream_shop(cfg, tmp_path / "two", scheduler=dask_client))
    for name, df in want.tables.items():
        pd.testing.assert_frame_equal(got.tables[name], df, check_exact=True, obj=name)
    pd.testing.assert_frame_equal(got.truth, want.truth, check_exact=True)
    # two workers, and none (the in-memory shop written block by block): the same files
    assert _files(tmp_path / "two") == _files(write_partitioned(want, tmp_path / "memory"))


def test_the_functions_of_the_course_run_on_the_columns_read_back(dask_client, tmp_path):
    """'Read back only the tables and columns an analysis needs; the analyses of this course take them
    as they take the classroom shop's' (the notebook's column list: the summary and RFM come out
    exactly as from the whole shop)"""
    from custkit.purchases import purchase_mask
    from custkit.segmentation import rfm_scores, rfm_table
    from custkit.transactions import customer_summary

    markdown = [c.source for c in nbformat.read(NOTEBOOK, as_version=4).cells if c.cell_type == "markdown"]
    line = next(line for text in markdown for line in text.splitlines() if line.startswith("big = ck.load_shop("))
    cfg = small_config().replace(anonymous_visitors=3000, block_size=100)
    folder = ck.stream_shop(cfg, tmp_path / "big", scheduler=dask_client)
    namespace = {"ck": ck}
    exec(line.replace('"big"', repr(str(folder))), namespace)
    big, full = namespace["big"], ck.generate(cfg)
    assert list(big.tables) == ["orders"]

    def analyses(orders):
        log = orders.loc[purchase_mask(orders), ["customer_id", "order_date", "net"]].reset_index(drop=True)
        return customer_summary(log, as_of=cfg.end, freq="W"), rfm_scores(rfm_table(log, cfg.end, value="net"))

    for mine, theirs in zip(analyses(big.orders), analyses(full.orders)):
        pd.testing.assert_frame_equal(mine, theirs, check_exact=True)


# -------------------------------------------------------------------------- section 5: your own log


@functools.cache
def researcher() -> dict:
    """The notebook's log of six customers and what its cells make of it."""
    namespace = {"pd": pd, "ck": ck}
    exec(cell_with("my_log = pd.DataFrame("), namespace)
    exec(cell_with("from_transactions(my_log"), namespace)
    return namespace


def test_cohorts_of_the_log_have_one_to_three_customers():
    """'Each cohort here has one to three customers (0.67 is two of three)'"""
    orders = researcher()["mine"]["orders"]
    first = orders.groupby("customer_id")["order_date"].min().dt.to_period("Q")
    assert sorted(first.value_counts().tolist()) == [1, 2, 3]
    matrix = ck.retention.cohort_matrix(ck.retention.cohort_table(orders, as_of=researcher()["as_of"], freq="Q"))
    assert matrix.loc[matrix.index[0], 1] == pytest.approx(2 / 3)


def test_rfm_of_six_is_a_ranking_and_f_uses_fixed_bins():
    """'R and M are quintiles, so each score holds one or two of the six customers, and F uses the fixed
    bins 1, 2, 3, 4-5 and 6+ purchases because the frequency quintiles of six people tie (A17's four
    purchases give F = 4)'"""
    ns = researcher()
    rfm = ck.segmentation.rfm_table(ns["mine"]["orders"].assign(transaction_type="B2C"), as_of=ns["as_of"])
    scores = ck.segmentation.rfm_scores(rfm).set_index("customer_id")
    assert len(scores) == 6
    for col in ("R", "M"):
        assert scores[col].value_counts().max() <= 2 and scores[col].nunique() == 5
    edges = rfm["frequency"].quantile([0.2, 0.4, 0.6, 0.8]).to_numpy()
    assert len(np.unique(edges)) < len(edges)  # the quintiles tie
    assert tuple(FREQUENCY_BINS) == (1, 2, 3, 4, 6)
    fixed = np.searchsorted(np.asarray(FREQUENCY_BINS), scores["frequency"].to_numpy(), side="right")
    assert (scores["F"].to_numpy() == fixed).all()
    assert scores.loc["A17", "frequency"] == 4 and scores.loc["A17", "F"] == 4


def six_customer_history() -> pd.DataFrame:
    ns = researcher()
    return ck.transactions.customer_summary(ns["mine"]["orders"], as_of=ns["as_of"], freq="W")


def test_six_customers_cannot_pin_down_the_four_parameters():
    """'the data cannot pin down the BG/NBD model: no single set of its four parameters (r, α, a, b)
    fits these customers best; ... too few customers (6 customers here) ... fit it on a log of hundreds
    of customers, or use set_params(...)'"""
    history = six_customer_history()
    assert len(history) == 6
    with pytest.raises(ck.CustkitError) as refusal:
        BetaGeoNBD().fit(history)
    message = str(refusal.value)
    for part in ("cannot pin down", "edge of the parameters", "6 customers here", "hundreds of customers",
                 "set_params"):
        assert part in message


def test_likelihood_keeps_rising_towards_one_rate_and_nobody_leaving():
    """'the likelihood kept rising as the search drove a parameter towards 0 or towards infinity. Here
    the limit is every customer buying at the same rate and nobody ever leaving'"""
    history = six_customer_history()
    x, tx, big_t = (history[c].to_numpy(float) for c in ("frequency", "recency", "T"))

    def loglik(p):
        return float(BetaGeoNBD._loglik_rows(np.asarray(p, float), x, tx, big_t).sum())

    rate = x.sum() / big_t.sum()
    # along r, alpha -> infinity at a fixed mean rate (no spread of rates) and a -> 0, b -> infinity
    # (no dropout), the likelihood rises at every step
    path = [loglik([k, k / rate, 1 / k, k]) for k in (1.0, 10.0, 100.0, 1e3, 1e4, 1e5)]
    assert all(b > a for a, b in zip(path, path[1:]))
    # and an unbounded search walks off to that corner
    best = optimize.minimize(lambda lp: -loglik(np.exp(lp)), np.log([1.0, 1 / rate, 1.0, 1.0]),
                             method="Nelder-Mead", options={"maxiter": 20000, "xatol": 1e-8, "fatol": 1e-10})
    r, alpha, a, b = np.exp(best.x)
    assert r > SHAPE_BOUNDS[1] and r / alpha ** 2 < 1e-3 * rate ** 2  # spread of rates collapses
    assert a / (a + b) < 1e-6                                          # the dropout chance collapses to 0


def test_the_summary_came_out_exactly_as_on_the_shop(shop):
    """'The summary came out exactly as on the shop': the bare-log path gives the shop's own summary."""
    orders = shop.orders
    keep = ((orders["status"] != "cancelled") & (orders["transaction_type"] != "C2B")).to_numpy()
    log = ck.transactions.from_transactions(orders[keep], customer="customer_id", time="order_date",
                                            amount="net", as_of=shop.end)
    bare = ck.transactions.customer_summary(log["orders"], as_of=shop.end, freq="W")
    direct = ck.transactions.customer_summary(orders[keep], as_of=shop.end, freq="W")
    pd.testing.assert_frame_equal(bare, direct)


def test_the_same_fit_on_the_shops_purchases_fits_without_complaint(shop):
    """'The same fit on the shop's purchases (notebook 04's first step, thousands of customers) runs
    without complaint' (the refusal's 'fit it on a log of hundreds of customers', followed)"""
    buys = ck.definitions.purchases_until(shop.orders, shop.end)
    history = ck.transactions.customer_summary(buys, as_of=shop.end, freq="W")
    assert len(history) > 1000
    model = BetaGeoNBD().fit(history)
    low, high = SHAPE_BOUNDS
    assert all(low < model.params_[k] < high for k in ("r", "a", "b"))
    assert 0 < model.params_["r"] < 1  # rates differ across customers (gamma shape below 1)
