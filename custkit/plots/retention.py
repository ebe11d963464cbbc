"""Plots of the retention results (custkit.retention): one function per result, each returning an Axes.

Each function takes ``data=`` (the table the matching analysis returns), draws on ``ax`` or a new
Axes, labels the axes with units (and the currency when given) and never calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_choice
from custkit.plots.theme import (
    FEW_ANSWERS, FEW_COLOUR, SMALL_PT, TEXT_PT, format_money_axis, new_axes, words, wrap,
)
from custkit.retention._common import require_table
from custkit.retention.cohorts import cohort_matrix, retention_curve
from custkit.retention.loyalty import QUADRANTS

__all__ = [
    "plot_acquisition_cost",
    "plot_cohort_heatmap",
    "plot_csat_by_lateness",
    "plot_csat_by_response_time",
    "plot_customer_equity",
    "plot_loyalty_quadrants",
    "plot_repurchase_by_csat",
    "plot_retention_curves",
]

_PERCENT = mticker.PercentFormatter(xmax=1.0, decimals=0)
_PERIOD_UNITS = {"Q": "quarters", "M": "months", "Y": "years", "A": "years", "W": "weeks", "D": "days"}
_MAX_ANNOTATED = 12
"""A cohort heatmap shows its numbers when it has at most this many rows and columns (12 pt fits)."""
QUADRANT_SAMPLE = 1500
"""Customers drawn behind the loyalty quadrants' summary (a fixed sample: the plot is the same every run)."""


def _period_unit(data: pd.DataFrame) -> str:
    """``"quarters"``, ``"months"``... from the cohorts' period frequency; ``"periods"`` when unknown."""
    dtype = data["cohort"].dtype if "cohort" in data.columns else None
    if not isinstance(dtype, pd.PeriodDtype):
        return "periods"
    code = str(dtype).removeprefix("period[").upper().lstrip("0123456789")[:1]  # "period[Q-DEC]" -> "Q"
    return _PERIOD_UNITS.get(code, "periods")


def _count_bars(ax: Axes, bars, counts, *, tops=None) -> None:
    """Label each bar with its number of answers; grey the bars resting on fewer than FEW_ANSWERS.

    The label sits inside the bar's foot, or above ``tops`` (e.g. the top of each interval) when given.
    """
    few = False
    tops = [None] * len(bars) if tops is None else list(tops)
    for bar, n, top in zip(bars, counts, tops):
        if pd.isna(n):
            continue
        n = int(n)
        if n < FEW_ANSWERS:
            bar.set_facecolor(FEW_COLOUR)
            few = True
        x = bar.get_x() + bar.get_width() / 2
        if top is None and bar.get_height() > 0:
            ax.annotate(f"n={n:,}", (x, 0), xytext=(0, 6), textcoords="offset points", ha="center", va="bottom",
                        fontsize=TEXT_PT, color="white", fontweight="bold")
        else:
            ax.annotate(f"n={n:,}", (x, bar.get_height() if top is None else top), xytext=(0, 4),
                        textcoords="offset points",
                        ha="center", va="bottom", fontsize=TEXT_PT)
    if few:
        from matplotlib.patches import Patch

        ax.legend(handles=[Patch(color=FEW_COLOUR, label=f"fewer than {FEW_ANSWERS} answers: too few to trust")],
                  loc="upper right", fontsize=SMALL_PT)


def plot_cohort_heatmap(
    data: pd.DataFrame, *, value: str = "retention", currency: str | None = None,
    annot: bool = True, ax: Axes | None = None,
) -> Axes:
    """Heatmap of a cohort table (:func:`custkit.retention.cohort_table`): cohorts x periods since first purchase.

    ``value`` is ``"retention"`` (shares, the default), ``"customers"``, ``"revenue"`` or
    ``"revenue_per_customer"`` (in ``currency``, shown on the colour bar). Periods still running
    at ``as_of`` stay blank. Cells show their numbers (``annot``) for shares and counts when
    there are at most 400 cells.
    """
    matrix = cohort_matrix(data, value)
    matrix.index = matrix.index.astype(str)  # seaborn reads a PeriodIndex through a deprecated path
    ax = new_axes(ax, figsize=(10, 6.5))
    is_share = value == "retention"
    is_money = value in ("revenue", "revenue_per_customer")
    show_numbers = annot and not is_money and max(matrix.shape) <= _MAX_ANNOTATED
    label = {"retention": "share of the cohort active", "customers": "active customers",
             "revenue": "revenue", "revenue_per_customer": "revenue per acquired customer"}[value]
    sns.heatmap(matrix, ax=ax, cmap="viridis", annot=show_numbers, fmt=".0%" if is_share else ".0f",
                annot_kws={"size": SMALL_PT}, vmin=0, vmax=1 if is_share else None, cbar_kws={"label": label})
    colour_bar = ax.collections[0].colorbar
    if is_share:
        colour_bar.ax.yaxis.set_major_formatter(_PERCENT)
    elif is_money:
        format_money_axis(colour_bar.ax, currency, "y")
    ax.tick_params(axis="both", labelrotation=0)
    ax.set_xlabel(f"{_period_unit(data)} since first purchase")
    ax.set_ylabel("acquisition cohort")
    ax.set_title(f"Cohorts: {label}")
    return ax


def plot_retention_curves(
    data: pd.DataFrame, *, show_cohorts: bool = True, min_cohorts: int = 3, ax: Axes | None = None,
) -> Axes:
    """Retention by periods since first purchase: one thin line per cohort and the pooled curve.

    ``data`` is a cohort table (:func:`custkit.retention.cohort_table`); only complete periods are
    drawn. The bold line is :func:`custkit.retention.retention_curve`, drawn for the periods that
    at least ``min_cohorts`` cohorts have reached (later ones rest on a handful of customers).
    """
    curve = retention_curve(data, min_cohorts=min_cohorts)
    ax = new_axes(ax)
    if show_cohorts:
        done = data[data["complete"]]
        for _, one in done.groupby("cohort"):
            ax.plot(one["period"], one["retention"], color="0.75", linewidth=0.8)
    ax.plot(curve["period"], curve["retention"], color="C0", linewidth=2.5, marker="o",
            label="all cohorts (pooled)")
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(f"{_period_unit(data)} since first purchase")
    ax.set_ylabel("customers active (% of cohort)")
    ax.set_title("Retention curves by acquisition cohort")
    ax.legend(loc="upper right")
    return ax


def plot_repurchase_by_csat(data: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Repurchase rate by CSAT answer with its confidence interval (:func:`custkit.retention.repurchase_by_csat`).

    One bar per answer; with a ``surveys`` column each bar is labelled with its number of answers,
    and a bar resting on fewer than :data:`~custkit.plots.theme.FEW_ANSWERS` is grey.
    """
    require_table(data, ["csat", "repurchase_rate", "ci_low", "ci_high"], "data")
    ax = new_axes(ax)
    rate = data["repurchase_rate"].to_numpy(dtype=float)
    err = np.vstack([rate - data["ci_low"].to_numpy(dtype=float), data["ci_high"].to_numpy(dtype=float) - rate])
    bars = ax.bar(data["csat"], rate, yerr=err, capsize=4, color="C0", width=0.7)
    if "surveys" in data.columns:
        _count_bars(ax, bars, data["surveys"], tops=data["ci_high"].to_numpy(dtype=float))
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.05)
    ax.set_xticks(range(1, 6))
    ax.set_xlabel("satisfaction (CSAT, 1 = very dissatisfied, 5 = very satisfied)")
    ax.set_ylabel("bought again within the window (%)")
    ax.set_title("Satisfied customers come back")
    return ax


def _csat_bars(data: pd.DataFrame, x: str, xlabel: str, title: str, ax: Axes | None) -> Axes:
    require_table(data, [x, "mean_csat", "surveys"], "data")
    ax = new_axes(ax)
    labels = [wrap(label, 14) for label in data[x].astype(str)]
    bars = ax.bar(labels, data["mean_csat"], yerr=data.get("csat_sem"), capsize=4, color="C0")
    _count_bars(ax, bars, data["surveys"].where(data["mean_csat"].notna()))
    ax.set_ylim(0, 5.6)  # room for the legend of the grey bars
    ax.set_yticks(range(6))
    ax.set_xlabel(xlabel)
    ax.set_ylabel("mean CSAT score (1-5)")
    ax.set_title(title)
    return ax


def plot_csat_by_lateness(data: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Mean CSAT by delivery lateness (:func:`custkit.retention.csat_by_lateness`)."""
    return _csat_bars(data, "lateness", "delivery (days after the promised date)",
                      "Late deliveries lower satisfaction", ax)


def plot_csat_by_response_time(data: pd.DataFrame, *, ax: Axes | None = None) -> Axes:
    """Mean CSAT by support first-response time (:func:`custkit.retention.csat_by_response_time`)."""
    return _csat_bars(data, "response_time", "first response to the customer's tickets",
                      "Slow answers lower satisfaction", ax)


def plot_loyalty_quadrants(
    data: pd.DataFrame, *, loyalty: str | None = None, currency: str | None = None, ax: Axes | None = None,
) -> Axes:
    """The four loyalty x profit quadrants as a 2 x 2 summary (:func:`custkit.retention.loyalty_quadrants`).

    Each corner of the plot holds one quadrant's summary in large type: its name, how many
    customers it holds (and their share) and their mean profit. Behind it a fixed sample of at most
    :data:`QUADRANT_SAMPLE` customers is drawn as small translucent points, coloured by quadrant,
    with profit on a log scale (a few big spenders would flatten everyone else onto the floor).
    The dashed lines are the cut-offs stored in ``data.attrs`` (when present). ``loyalty`` is
    ``"tenure_days"`` or ``"orders"``; by default the measure the quadrants were built on.
    """
    require_table(data, ["tenure_days", "orders", "profit", "quadrant"], "data")
    measure = {"tenure": "tenure_days", "orders": "orders"}.get(data.attrs.get("loyalty"), "tenure_days")
    x = loyalty or measure
    require_choice(x, "loyalty", ["tenure_days", "orders"])
    ax = new_axes(ax, figsize=(10, 6.5))
    shown = data.sample(n=QUADRANT_SAMPLE, random_state=0) if len(data) > QUADRANT_SAMPLE else data
    colours = dict(zip(QUADRANTS, sns.color_palette(n_colors=len(QUADRANTS))))
    ax.scatter(shown[x], shown["profit"], s=8, alpha=0.3, linewidths=0,
               c=[colours.get(q, "0.5") for q in shown["quadrant"]], zorder=1)
    if x == measure and "loyalty_cutoff" in data.attrs:
        ax.axvline(data.attrs["loyalty_cutoff"], color="0.3", linestyle="--", linewidth=1.5, zorder=2)
    if "profit_cutoff" in data.attrs:
        ax.axhline(data.attrs["profit_cutoff"], color="0.3", linestyle="--", linewidth=1.5, zorder=2)
    ax.set_yscale("symlog", linthresh=10)
    top = float(data["profit"].max()) if len(data) else 10.0
    ax.set_ylim(min(0.0, float(data["profit"].min()) if len(data) else 0.0), max(top, 10.0) * 30)
    right = float(data[x].max()) if len(data) else 1.0
    ax.set_xlim(-0.04 * max(right, 1.0), max(right, 1.0) * 1.04)
    # corner of the plot -> the quadrant it holds (loyal to the right, profitable at the top)
    corners = {"true friends": (0.98, 0.97, "right", "top"), "butterflies": (0.02, 0.97, "left", "top"),
               "barnacles": (0.98, 0.03, "right", "bottom"), "strangers": (0.02, 0.03, "left", "bottom")}
    total = len(data)
    unit = f" {currency}" if currency else ""
    for quadrant, (cx, cy, ha, va) in corners.items():
        members = data.loc[data["quadrant"] == quadrant, "profit"]
        mean = f"{members.mean():,.0f}{unit}" if len(members) else "n/a"
        share = f" ({len(members) / total:.0%})" if total else ""
        ax.text(cx, cy, f"{quadrant.capitalize()}\n{len(members):,} customers{share}\nmean profit {mean}",
                transform=ax.transAxes, ha=ha, va=va, fontsize=TEXT_PT + 1, zorder=4,
                color=colours.get(quadrant, "black"), fontweight="bold",
                bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": colours.get(quadrant, "0.5"),
                      "alpha": 0.85})
    ax.set_xlabel("days from first to last purchase" if x == "tenure_days" else "purchases (orders)")
    ax.set_ylabel("profit per customer, log scale")
    format_money_axis(ax, currency, "y")
    ax.set_title("Loyalty vs profitability (Reinartz and Kumar 2002)")
    return ax


def plot_acquisition_cost(data: pd.DataFrame, *, currency: str | None = None, ax: Axes | None = None) -> Axes:
    """Acquisition cost per new customer by channel, each bar labelled with its payback months.

    ``data`` is :func:`custkit.retention.acquisition_cost_by_channel`; organic channels (``paid``
    False) show a zero bar labelled "organic".
    """
    require_table(data, ["channel", "cac", "payback_months"], "data")
    ax = new_axes(ax)
    bars = ax.bar([wrap(words(c), 10) for c in data["channel"].astype(str)], data["cac"].fillna(0.0), color="C1")
    paid = data["paid"] if "paid" in data.columns else pd.Series(True, index=data.index)
    for bar, months, is_paid in zip(bars, data["payback_months"], paid):
        if pd.notna(months):
            text = "organic" if not is_paid else ("never" if np.isinf(months) else f"{months:.1f} mo")
            ax.annotate(text, (bar.get_x() + bar.get_width() / 2, bar.get_height()),
                        ha="center", va="bottom", fontsize=TEXT_PT)
    ax.set_xlabel("acquisition channel")
    ax.set_ylabel("acquisition cost per new customer")
    format_money_axis(ax, currency, "y")
    ax.set_title("Acquisition cost and payback by channel")
    return ax


def plot_customer_equity(data: pd.DataFrame, *, currency: str | None = None, ax: Axes | None = None) -> Axes:
    """Customer equity built up from current customers and future cohorts (:func:`custkit.retention.customer_equity`).

    Bars are each source's present value; the line is the running total, ending at the customer
    equity.
    """
    require_table(data, ["source", "present_value", "cumulative"], "data")
    ax = new_axes(ax)
    labels = [wrap(words(s), 10) for s in data["source"].astype(str)]
    ax.bar(labels, data["present_value"], color="C2", label="present value of the source")
    ax.plot(labels, data["cumulative"], color="C3", marker="o", linewidth=2, label="customer equity so far")
    ax.set_xlabel("source of value (current customers, then future cohorts)")
    ax.set_ylabel("present value")
    format_money_axis(ax, currency, "y")
    ax.set_title("Customer equity: current plus future customers")
    ax.legend(loc="upper left")
    return ax
