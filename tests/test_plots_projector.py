"""Every plot function draws a figure that reads on a classroom projector.

For each public function of ``custkit.plots.*`` (found by inspection, so a new plot function without
a case here fails :func:`test_every_plot_function_has_a_case`), the input is built from the
committed classroom shop the way the notebooks build it, the function is called after
``ck.plots.use_theme()`` and every Axes of the returned figure is inspected:

* no snake_case: no "_" in any visible text (title, axis labels, tick labels, legend, annotations);
* every visible text at 12 pt or more;
* both axes of numeric data labelled, and a numeric axis label naming its unit (a word of
  :data:`UNIT_WORDS` or the shop's currency);
* no rotated tick label;
* plot-specific checks: the loyalty ladder on a log scale, bars resting on fewer than 10 answers
  greyed and labelled with their count, the loyalty quadrants summarised in 4 texts.

A failure lists every violation of every function at once.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import custkit as ck  # noqa: E402
import custkit.plots  # noqa: E402

MIN_POINTS = 12.0
"""Smallest font size (points) of any text on a figure meant for a projector."""

MIN_GAP_POINTS = 4.0
"""Neighbouring tick labels must stand at least this far apart (points), or they read as one."""

UNIT_WORDS = (
    "share", "%", "customers", "people", "visits", "orders", "purchases", "days", "weeks", "months",
    "quarters", "years", "hours", "score", "csat", "sds", "sum of squares", "clusters",
)
"""Words of which a numeric axis label must contain one (besides the shop's currency)."""


# ----------------------------------------------------------------------------------- the cases
# Each case takes the classroom shop (and a cache of intermediate tables shared by the cases) and
# returns the Axes the plot function returns, called as a notebook calls it.


class Inputs:
    """The tables the notebooks build before plotting, computed once per test session."""

    def __init__(self, shop: ck.Shop):
        self.shop = shop
        self.currency = shop.config.currency if shop.config else None
        self._cache: dict[str, object] = {}

    def get(self, name: str, make: Callable[[], object]) -> object:
        if name not in self._cache:
            self._cache[name] = make()
        return self._cache[name]

    # notebook 01 / 03 / 05 analyse the shop on the last day of its data
    @property
    def as_of(self) -> pd.Timestamp:
        return pd.Timestamp(self.shop.end)

    def features(self) -> pd.DataFrame:
        return self.get("feats", lambda: ck.typology.customer_features(**self.shop.tables, as_of=self.as_of))

    def typed(self) -> pd.DataFrame:
        def make():
            feats = self.features()
            know = ck.typology.knowledge_types(feats)
            return feats.merge(ck.typology.sales_types(feats)).merge(know)
        return self.get("typed", make)

    def grades(self) -> dict:
        cols = ["customer_id", "persona", "relationship", "knowledge_type"]
        return self.get("grades", lambda: ck.typology.grade_typology(self.typed()[cols], self.shop.truth))

    def funnel(self) -> pd.DataFrame:
        return self.get("funnel", lambda: ck.funnel.funnel_counts(self.shop.sessions))

    def rfm(self) -> pd.DataFrame:
        seg = ck.segmentation
        return self.get("rfm", lambda: seg.rfm_segments(seg.rfm_scores(seg.rfm_table(self.shop.orders, self.as_of))))

    def summary(self) -> pd.DataFrame:
        from custkit.transactions import customer_summary

        buys = ck.definitions.purchases_until(self.shop.orders, self.as_of)
        return self.get("summary", lambda: customer_summary(buys, amount="shop_revenue", as_of=self.as_of, freq="W"))

    def bgnbd(self):
        from custkit.retention import models

        return self.get("bgnbd", lambda: models.BetaGeoNBD().fit(self.summary()))

    def csat_table(self, name: str) -> pd.DataFrame:
        """The table behind one of the bar charts of answers (notebook 04's bins and labels)."""
        s, r = self.shop, ck.retention
        as_of = pd.Timestamp(s.config.end)
        make = {
            "plot_repurchase_by_csat": lambda: r.repurchase_by_csat(s.surveys, s.orders, as_of=as_of, within_days=90),
            "plot_csat_by_lateness": lambda: r.csat_by_lateness(
                s.surveys, s.orders, bins=[-float("inf"), 0, 2, float("inf")],
                labels=["on time", "1-2 days late", "3+ days late"]),
            "plot_csat_by_response_time": lambda: r.csat_by_response_time(
                s.surveys, s.tickets, bins=[0, 24, float("inf")], labels=["within a day", "over a day"]),
        }[name]
        return self.get(name, make)

    def quadrants(self) -> pd.DataFrame:
        return self.get("quadrants", lambda: ck.retention.loyalty_quadrants(self.shop.orders,
                                                                          as_of=pd.Timestamp(self.shop.config.end)))

    def explorer(self):
        from custkit.explorer import summarise_shop

        return self.get("explorer", lambda: summarise_shop(self.shop))

    def sweep(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        from custkit import experiments

        def make():
            base = ck.ShopConfig.preset("classroom").replace(anonymous_visitors=0, horizon_weeks=1)
            runs = experiments.sweep(base, "late_delivery_rate", [0.0, 0.5], [1, 2],
                                     metrics=["period_retention", "customer_equity"], n_customers=150)
            return experiments.summarise_sweep(runs), runs
        return self.get("sweep", make)


def _definitions(name: str) -> Callable[[Inputs], Axes]:
    d, p = ck.definitions, custkit.plots.definitions

    def case(i: Inputs) -> Axes:
        s, as_of = i.shop, i.as_of
        if name == "plot_audience":
            return p.plot_audience(d.audience_counts(s.customers, s.sessions, s.orders, as_of))
        if name == "plot_general_types":
            return p.plot_general_types(d.general_types(s.customers, s.sessions, s.orders, as_of))
        if name == "plot_buyer_vs_consumer":
            purchases = d.purchases_until(s.orders, as_of)
            return p.plot_buyer_vs_consumer(d.buyer_vs_consumer(purchases, s.order_items, s.products))
        if name == "plot_ability_aptitude":
            status = d.customer_status(s.customers, s.orders, as_of)
            graded = (s.truth[["customer_id", "ability", "aptitude"]].merge(status, on="customer_id")
                      .assign(bought=lambda t: t["purchases"] > 0))
            return p.plot_ability_aptitude(d.ability_aptitude_table(graded, ability_threshold=0.3,
                                                                    aptitude_threshold=0.3))
        if name == "plot_audience_over_time":
            days = pd.date_range(s.orders["order_date"].min(), as_of, freq="QE").union([as_of])
            return p.plot_audience_over_time(d.audience_over_time(s.customers, s.sessions, s.orders, days))
        if name == "plot_transaction_mix":
            return p.plot_transaction_mix(d.transaction_mix(s.orders))
        raise KeyError(name)
    return case


def _typology(name: str) -> Callable[[Inputs], Axes]:
    p = custkit.plots.typology

    def case(i: Inputs) -> Axes:
        if name == "plot_confusion":
            return p.plot_confusion(i.grades()["persona"].confusion,
                                    title="Personas: true type (rows) against the rules' call (columns)")
        if name == "plot_type_scores":
            return p.plot_type_scores(i.grades()["persona"].per_type)
        if name == "plot_feature_by_type":
            return p.plot_feature_by_type(i.typed(), feature="days_to_first_purchase", by="persona", unit="days")
        raise KeyError(name)
    return case


def _funnel(name: str) -> Callable[[Inputs], Axes]:
    f, p = ck.funnel, custkit.plots.funnel

    def case(i: Inputs) -> Axes:
        s = i.shop
        if name == "plot_funnel":
            return p.plot_funnel(i.funnel(), unit="Visits")
        if name == "plot_funnel_by":
            return p.plot_funnel_by(f.funnel_counts(s.sessions, by="device"), by="device", value="step_conversion")
        if name == "plot_time_to_convert":
            waits = f.time_to_convert(s.sessions, s.orders, i.as_of)
            return p.plot_time_to_convert(waits[waits["customer_id"].isin(ck.definitions.opened_since(s.customers, s.start))])
        if name == "plot_intervention":
            value = ck.definitions.purchases_until(s.orders, i.as_of)["shop_revenue"].mean()
            return p.plot_intervention(f.intervention_value(i.funnel(), value, uplift=0.05), currency=i.currency)
        if name == "plot_ladder":
            ladder = f.loyalty_ladder(s.customers, s.orders, i.as_of, sessions=s.sessions, surveys=s.surveys)
            return p.plot_ladder(f.ladder_counts(ladder, market_size=4 * len(ladder)))
        raise KeyError(name)
    return case


def _retention(name: str) -> Callable[[Inputs], Axes]:
    r, p = ck.retention, custkit.plots.retention

    def case(i: Inputs) -> Axes:
        s, orders, as_of = i.shop, i.shop.orders, pd.Timestamp(i.shop.config.end)
        if name in ("plot_cohort_heatmap", "plot_retention_curves"):
            won_here = ck.definitions.opened_since(s.customers, s.start)
            cohorts = r.cohort_table(orders[orders["customer_id"].isin(won_here)], as_of=as_of, freq="Q")
            return getattr(p, name)(cohorts)
        if name in ("plot_repurchase_by_csat", "plot_csat_by_lateness", "plot_csat_by_response_time"):
            return getattr(p, name)(i.csat_table(name))
        if name == "plot_customer_equity":
            from custkit.retention.yearly import yearly_margins

            margins = yearly_margins(orders, as_of=as_of, margin_rate=0.3)
            rate = r.pooled_retention(r.period_retention(orders, as_of=as_of, freq="Y"))
            multiple = r.retention_clv(1.0, rate, 0.10)
            new = margins[margins["new"]]
            equity = r.customer_equity(margins["margin"] * multiple, new_customers_per_period=len(new),
                                       new_customer_clv=new["margin"].mean() * (1 + multiple),
                                       discount=0.10, horizon=5, acquisition_cost=50.0)
            return p.plot_customer_equity(equity, currency=i.currency)
        if name == "plot_loyalty_quadrants":
            return p.plot_loyalty_quadrants(i.quadrants(), currency=i.currency)
        if name == "plot_acquisition_cost":
            acquisition = r.acquisition_cost_by_channel(s.customers, s.marketing_spend, orders, as_of=as_of,
                                                        margin_rate=0.3)
            return p.plot_acquisition_cost(acquisition, currency=i.currency)
        raise KeyError(name)
    return case


def _models(name: str) -> Callable[[Inputs], Axes]:
    from custkit.reference_data import fader_hardie_2007_sbg
    from custkit.retention import models

    p = custkit.plots.models

    def case(i: Inputs) -> Axes:
        if name == "sbg_survival":
            fh = fader_hardie_2007_sbg()
            high_end = models.ShiftedBetaGeometric().fit(fh["high_end_alive"])
            holdout = pd.DataFrame({"period": [8, 9, 10, 11, 12], "high_end_alive": [468, 445, 427, 409, 394]})
            observed = pd.concat([fh[["period", "high_end_alive"]], holdout])
            return p.sbg_survival(observed, high_end, alive="high_end_alive", calibration_periods=7)
        if name == "repeat_purchase_histogram":
            summary = i.summary()
            return p.repeat_purchase_histogram(summary[summary["T"] > 0], i.bgnbd())
        if name == "probability_alive_curves":
            histories = pd.DataFrame({"frequency": [0, 3], "recency": [0.0, 20.0],
                                      "who": ["one purchase", "four purchases"]})
            return p.probability_alive_curves(histories, i.bgnbd(), label="who", horizon=52)
        raise KeyError(name)
    return case


def _segmentation(name: str) -> Callable[[Inputs], Axes]:
    seg, p = ck.segmentation, custkit.plots.segmentation
    features = ["recency_days", "frequency", "monetary"]

    def case(i: Inputs) -> Axes:
        s = i.shop
        if name == "plot_demographics":
            ages = seg.demographic_profile(s.customers, s.orders, i.as_of, by="socio_economic_class")
            return p.plot_demographics(ages, by="socio_economic_class", value="revenue_per_customer",
                                       currency=i.currency)
        if name == "plot_rfm_grid":
            return p.plot_rfm_grid(i.rfm())
        if name == "plot_segment_sizes":
            return p.plot_segment_sizes(seg.segment_profile(i.rfm(), means=["recency_days", "frequency"]))
        if name == "plot_k_choice":
            return p.plot_k_choice(seg.choose_k(i.rfm(), features, k_values=range(2, 7),
                                                log_columns=["frequency", "monetary"], sample_size=1000))
        if name == "plot_cluster_profiles":
            clusters = seg.kmeans_segments(i.rfm(), features, 4, log_columns=["frequency", "monetary"])
            return p.plot_cluster_profiles(clusters, features)
        if name == "plot_uplift":
            from custkit.exercises import nb05

            offer = seg.Offer(discount_pct=10.0, cost_per_contact=0.1, channel="email")
            experiment = seg.compare_targeting(s, nb05.targeting_lists(s, i.rfm()), offer, budget=400, holdout=0.5)
            return p.plot_uplift(experiment, currency=i.currency)
        raise KeyError(name)
    return case


def _tour(name: str) -> Callable[[Inputs], Axes]:
    def case(i: Inputs) -> Axes:
        s = i.shop
        if name == "plot_weekly_orders":
            weeks = ck.tour.weekly_orders(s.orders, s.campaigns, start=s.start, end=s.end)
            return custkit.plots.tour.plot_weekly_orders(weeks)
        raise KeyError(name)
    return case


def _experiments(name: str) -> Callable[[Inputs], Axes]:
    def case(i: Inputs) -> Axes:
        if name == "plot_sweep":
            summary, runs = i.sweep()
            return custkit.plots.experiments.plot_sweep(summary, "customer_equity", runs=runs,
                                                        currency=i.currency)
        raise KeyError(name)
    return case


def _explorer(name: str) -> Callable[[Inputs], Axes]:
    p = importlib.import_module("custkit.plots.explorer")

    def case(i: Inputs) -> Axes:
        now = i.explorer()
        if name == "plot_period_retention":
            return p.plot_period_retention(now.retention, baseline=now.retention)
        if name == "plot_clv_distribution":
            return p.plot_clv_distribution(now.clv, baseline=now.clv, currency=now.currency)
        if name == "plot_equity_buildup":
            return p.plot_equity_buildup(now.equity, baseline=now.equity, currency=now.currency)
        raise KeyError(name)
    return case


FAMILIES: dict[str, Callable[[str], Callable[[Inputs], Axes]]] = {
    "definitions": _definitions, "typology": _typology, "funnel": _funnel, "retention": _retention,
    "models": _models, "segmentation": _segmentation, "tour": _tour, "experiments": _experiments,
    "explorer": _explorer,
}

CASES: dict[str, tuple[str, ...]] = {
    "definitions": ("plot_audience", "plot_general_types", "plot_buyer_vs_consumer", "plot_ability_aptitude",
                    "plot_audience_over_time", "plot_transaction_mix"),
    "typology": ("plot_confusion", "plot_type_scores", "plot_feature_by_type"),
    "funnel": ("plot_funnel", "plot_funnel_by", "plot_time_to_convert", "plot_intervention", "plot_ladder"),
    "retention": ("plot_cohort_heatmap", "plot_retention_curves", "plot_repurchase_by_csat",
                  "plot_csat_by_lateness", "plot_csat_by_response_time", "plot_customer_equity",
                  "plot_loyalty_quadrants", "plot_acquisition_cost"),
    "models": ("sbg_survival", "repeat_purchase_histogram", "probability_alive_curves"),
    "segmentation": ("plot_demographics", "plot_rfm_grid", "plot_segment_sizes", "plot_k_choice",
                     "plot_cluster_profiles", "plot_uplift"),
    "tour": ("plot_weekly_orders",),
    "experiments": ("plot_sweep",),
    "explorer": ("plot_period_retention", "plot_clv_distribution", "plot_equity_buildup"),
}
"""Module of ``custkit.plots`` -> the plot functions with a case here."""

CASE_IDS = [f"{module}.{name}" for module, names in CASES.items() for name in names]


def public_plot_functions() -> list[str]:
    """Every public function defined in a ``custkit.plots`` module (the theme's helpers aside)."""
    found = []
    for info in pkgutil.iter_modules(custkit.plots.__path__):
        if info.name.startswith("_") or info.name == "theme":
            continue
        module = importlib.import_module(f"custkit.plots.{info.name}")
        for name, obj in vars(module).items():
            if inspect.isfunction(obj) and obj.__module__ == module.__name__ and not name.startswith("_"):
                found.append(f"{info.name}.{name}")
    return sorted(found)


def run_case(case_id: str, inputs: Inputs) -> Axes:
    module, name = case_id.split(".")
    ck.plots.use_theme()
    return FAMILIES[module](name)(inputs)


# ------------------------------------------------------------------------------- the inspection


def _visible(text: Text) -> bool:
    return text.get_visible() and bool(text.get_text().strip()) and text.get_alpha() != 0


def _texts(ax: Axes) -> list[tuple[str, Text]]:
    """Every visible text of one Axes, with where it sits."""
    out: list[tuple[str, Text]] = [("title", t) for t in (ax.title, ax._left_title, ax._right_title)]
    out += [("x label", ax.xaxis.label), ("y label", ax.yaxis.label)]
    out += [("x tick", t) for t in ax.get_xticklabels(which="both")]
    out += [("y tick", t) for t in ax.get_yticklabels(which="both")]
    out += [("x offset", ax.xaxis.get_offset_text()), ("y offset", ax.yaxis.get_offset_text())]
    legend = ax.get_legend()
    if legend is not None and legend.get_visible():
        out += [("legend", t) for t in legend.get_texts()] + [("legend title", legend.get_title())]
    out += [("text", t) for t in ax.texts]
    return [(where, t) for where, t in out if _visible(t)]


def _is_numeric_axis(ax: Axes, which: str) -> bool:
    """True when the axis shows a quantity (its ticks are numbers), not categories."""
    labels = [t.get_text() for t in (ax.get_xticklabels() if which == "x" else ax.get_yticklabels())]
    labels = [t for t in labels if t.strip()]
    if not labels:
        return False
    number = re.compile(r"^[−\-+]?[\d.,]+\s*(%|[kMB])?$")
    return all(number.match(t.strip()) for t in labels)


def _overlapping_ticks(ax: Axes, which: str) -> list[str]:
    """Pairs of neighbouring tick labels closer than :data:`MIN_GAP_POINTS` (labels that run into each other)."""
    renderer = ax.figure.canvas.get_renderer()
    lo, hi = sorted(ax.get_xlim() if which == "x" else ax.get_ylim())
    ticks = (ax.xaxis if which == "x" else ax.yaxis).get_major_ticks()
    boxes = []
    for tick in ticks:
        label = tick.label1
        where = tick.get_loc()
        if not (_visible(label) and lo - 1e-9 <= where <= hi + 1e-9):
            continue
        boxes.append((label.get_text(), label.get_window_extent(renderer)))
    boxes.sort(key=lambda b: b[1].x0 if which == "x" else b[1].y0)
    found = []
    least = MIN_GAP_POINTS * ax.figure.dpi / 72
    for (a, box_a), (b, box_b) in zip(boxes, boxes[1:]):
        gap = box_b.x0 - box_a.x1 if which == "x" else box_b.y0 - box_a.y1
        side_by_side = (box_a.y0 < box_b.y1 and box_b.y0 < box_a.y1) if which == "x" else \
            (box_a.x0 < box_b.x1 and box_b.x0 < box_a.x1)
        if side_by_side and gap < least:
            found.append(f"{which} tick labels {a!r} and {b!r} overlap or touch ({gap * 72 / ax.figure.dpi:.1f} pt apart)")
    return found


def _has_data(ax: Axes) -> bool:
    return bool(ax.lines or ax.patches or ax.collections or ax.images)


def violations(ax: Axes, currency: str | None) -> list[str]:
    """Everything on the figure of ``ax`` that would not read on a projector."""
    found: list[str] = []
    fig = ax.figure
    fig.canvas.draw()  # tick labels and offsets exist only once drawn
    units = tuple(UNIT_WORDS) + ((currency.lower(),) if currency else ())
    for k, one in enumerate(fig.axes):
        where_ax = "axes" if one is ax else f"axes {k}"
        is_colourbar = hasattr(one, "_colorbar")
        for where, text in _texts(one):
            s = text.get_text()
            if "_" in s:
                found.append(f"{where_ax} {where} {s!r}: snake_case (an '_' in visible text)")
            if text.get_fontsize() < MIN_POINTS:
                found.append(f"{where_ax} {where} {s!r}: {text.get_fontsize():.1f} pt < {MIN_POINTS:g}")
            if where.endswith("tick") and text.get_rotation() % 360 != 0:
                found.append(f"{where_ax} {where} {s!r}: rotated {text.get_rotation():g} degrees")
        for which in ("x", "y"):
            found += [f"{where_ax} {msg}" for msg in _overlapping_ticks(one, which)]
        if not (_has_data(one) or is_colourbar):
            continue
        for which in ("x", "y"):
            if not (one.xaxis if which == "x" else one.yaxis).get_visible():
                continue  # the hidden x axis of a twin Axes
            label = (one.get_xlabel() if which == "x" else one.get_ylabel()).strip()
            numeric = _is_numeric_axis(one, which)
            if is_colourbar and not numeric:
                continue
            if is_colourbar and which == "x":
                continue
            if not label and (numeric or one is ax):
                found.append(f"{where_ax} {which} axis: no label")
            elif numeric and not any(u in label.lower() for u in units):
                found.append(f"{where_ax} {which} axis label {label!r}: no unit (one of {', '.join(units)})")
    return found


# ------------------------------------------------------------------------------- the tests


@pytest.fixture(scope="session")
def inputs() -> Inputs:
    return Inputs(ck.load_shop())


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_plot_function_has_a_case():
    """A new plot function must be added to :data:`CASES`, so that it is inspected too."""
    missing = sorted(set(public_plot_functions()) - set(CASE_IDS))
    stale = sorted(set(CASE_IDS) - set(public_plot_functions()))
    assert not missing, f"plot functions without a projector case in {__name__}: {missing}"
    assert not stale, f"cases for functions that no longer exist: {stale}"


def test_every_module_lists_its_plot_functions():
    """``__all__`` of each plot module names exactly its public plot functions."""
    wrong = {}
    for module, names in CASES.items():
        declared = getattr(importlib.import_module(f"custkit.plots.{module}"), "__all__", None)
        if declared is None or sorted(declared) != sorted(names):
            wrong[module] = declared
    assert not wrong, f"__all__ of these plot modules does not list their plot functions: {wrong}"


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_figure_reads_on_a_projector(case_id, inputs):
    ax = run_case(case_id, inputs)
    assert isinstance(ax, Axes), f"{case_id} returned {type(ax).__name__}, not an Axes"
    found = violations(ax, inputs.currency)
    assert not found, f"{case_id}: {len(found)} problem(s)\n  " + "\n  ".join(found)


# --------------------------------------------------------------------------- plot-specific checks


def _is_grey(colour) -> bool:
    r, g, b = to_rgb(colour)
    return abs(r - g) < 0.02 and abs(g - b) < 0.02


def count_bar_problems(ax: Axes, counts: list[int]) -> list[str]:
    """Each bar carries an "n=" label with its count; the bars on fewer than 10 answers are grey, no other."""
    bars = [p for p in ax.patches if p.get_width() > 0]
    labels = {}
    for text in ax.texts:
        m = re.fullmatch(r"n=([\d,]+)", text.get_text())
        if m:
            labels[round(float(text.xy[0]), 6)] = int(m.group(1).replace(",", ""))
    found = []
    if len(bars) != len(counts):
        return [f"{len(bars)} bars for {len(counts)} groups of answers"]
    for bar, n in zip(bars, counts):
        x = round(bar.get_x() + bar.get_width() / 2, 6)
        shown = labels.get(x)
        if shown is None:
            found.append(f"the bar at x={x:g} (n={n}) carries no 'n=' label with its count")
        elif shown != n:
            found.append(f"the bar at x={x:g} is labelled n={shown}, but rests on {n} answers")
        grey = _is_grey(bar.get_facecolor())
        if n < 10 and not grey:
            found.append(f"the bar at x={x:g} rests on {n} answers (< 10) but is not grey")
        if n >= 10 and grey:
            found.append(f"the bar at x={x:g} rests on {n} answers (>= 10) but is grey")
    return found


def specific_problems(case_id: str, ax: Axes, inputs: Inputs) -> list[str]:
    name = case_id.split(".")[1]
    if name == "plot_ladder":
        return [] if ax.get_xscale() == "log" else [f"the ladder's count axis is {ax.get_xscale()!r}, not 'log'"]
    if name in ("plot_repurchase_by_csat", "plot_csat_by_lateness", "plot_csat_by_response_time"):
        table = inputs.csat_table(name)
        if "mean_csat" in table:
            table = table[table["mean_csat"].notna()]
        return count_bar_problems(ax, [int(n) for n in table["surveys"]])
    if name == "plot_loyalty_quadrants":
        data = inputs.quadrants()
        sizes = data["quadrant"].value_counts()
        found = []
        texts = [t for t in ax.texts if _visible(t)]
        if len(texts) != 4:
            found.append(f"{len(texts)} summary texts, expected 4 (one per quadrant)")
        for quadrant in ("true friends", "butterflies", "barnacles", "strangers"):
            holding = [t for t in texts if t.get_text().lower().startswith(quadrant)]
            if len(holding) != 1:
                found.append(f"{len(holding)} summary texts name {quadrant!r}, expected 1")
                continue
            text = holding[0]
            if f"{int(sizes.get(quadrant, 0)):,} customers" not in text.get_text():
                found.append(f"the {quadrant!r} summary does not give its {int(sizes.get(quadrant, 0)):,} customers")
            if "mean profit" not in text.get_text():
                found.append(f"the {quadrant!r} summary does not give the mean profit")
            if text.get_fontsize() < 13:
                found.append(f"the {quadrant!r} summary is at {text.get_fontsize():g} pt, not large (>= 13)")
        points = [c for c in ax.collections if len(c.get_offsets()) > 100]
        if not points:
            found.append("no scatter of customers behind the summary")
        for c in points:
            if len(c.get_offsets()) >= len(data) and len(data) > 1500:
                found.append(f"the scatter is not thinned: {len(c.get_offsets())} of {len(data)} customers")
            if (c.get_alpha() or 1.0) > 0.5 or float(np.max(c.get_sizes())) > 12:
                found.append("the scatter's points are not small and translucent")
        return found
    return []


@pytest.mark.parametrize("case_id", [c for c in CASE_IDS if c.split(".")[1] in (
    "plot_ladder", "plot_repurchase_by_csat", "plot_csat_by_lateness", "plot_csat_by_response_time",
    "plot_loyalty_quadrants")])
def test_plot_specific_rules(case_id, inputs):
    """The ladder on a log scale; bars on fewer than 10 answers grey with their count; quadrants in 4 texts."""
    ax = run_case(case_id, inputs)
    found = specific_problems(case_id, ax, inputs)
    assert not found, f"{case_id}:\n  " + "\n  ".join(found)


def test_bars_on_few_answers_are_grey_and_counted():
    """A hand-made table: 3 answers (grey, "n=3") next to 50 answers (coloured, "n=50")."""
    ck.plots.use_theme()
    late = pd.DataFrame({"lateness": ["on time", "late"], "surveys": [50, 3], "mean_csat": [4.5, 2.0],
                         "csat_sem": [0.1, 0.8]})
    ax = custkit.plots.retention.plot_csat_by_lateness(late)
    assert count_bar_problems(ax, [50, 3]) == []
    assert [_is_grey(p.get_facecolor()) for p in ax.patches] == [False, True]
    assert "fewer than 10 answers" in ax.get_legend().get_texts()[0].get_text()
    rep = pd.DataFrame({"csat": [1, 2, 3, 4, 5], "surveys": [4, 9, 10, 40, 80],
                        "repurchase_rate": [0.1, 0.2, 0.3, 0.5, 0.8], "ci_low": [0.0, 0.1, 0.2, 0.3, 0.6],
                        "ci_high": [0.3, 0.4, 0.5, 0.7, 0.9]})
    ax = custkit.plots.retention.plot_repurchase_by_csat(rep)
    assert count_bar_problems(ax, [4, 9, 10, 40, 80]) == []
    assert [_is_grey(p.get_facecolor()) for p in ax.patches] == [True, True, False, False, False]
    # and the check notices a bar that should be grey but is not, or a count left off
    ax.patches[0].set_facecolor("C0")
    ax.texts[1].set_text("")
    found = count_bar_problems(ax, [4, 9, 10, 40, 80])
    assert any("rests on 4 answers (< 10) but is not grey" in f for f in found)
    assert any("(n=9) carries no 'n=' label" in f for f in found)


def test_the_inspection_finds_each_defect():
    """The checks can fail: a figure with every defect of the issue gets every one reported."""
    ck.plots.use_theme()
    _, ax = plt.subplots()
    ax.bar(["first_time_buyer", "repeat_buyer"], [3, 5])
    ax.set_title("customers_by_role")
    ax.set_ylabel("count")
    ax.annotate("n=3", (0, 1), fontsize=8)
    ax.tick_params(axis="x", labelrotation=45)
    found = violations(ax, "USD")
    assert any("title 'customers_by_role': snake_case" in f for f in found)
    assert any("x tick 'first_time_buyer': snake_case" in f for f in found)
    assert any("text 'n=3': 8.0 pt" in f for f in found)
    assert any("rotated 45 degrees" in f for f in found)
    assert any("y axis label 'count': no unit" in f for f in found)
    assert any("x axis: no label" in f for f in found)
    _, ax = plt.subplots()
    ax.plot([1, 2, 3], [1, 2, 3])
    ax.set_xticks([1, 1.02, 3], ["a long label", "another long label", "c"])
    ax.set_xlabel("days")
    ax.set_ylabel("")
    found = violations(ax, None)
    assert any("overlap" in f for f in found) and any("y axis: no label" in f for f in found)
