"""Plots for :mod:`custkit.funnel`: the web funnel, the funnel by group, the loyalty ladder,
the value of each step's loss, and time to convert."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import TEXT_PT, format_count_axis, format_money_axis, humanise_ticks, new_axes, words

__all__ = ["plot_funnel", "plot_funnel_by", "plot_intervention", "plot_ladder", "plot_time_to_convert"]

_CONVERSION_LABELS = {
    "overall_conversion": "Share of visits reaching the step (%)",
    "step_conversion": "Share of the step above that goes on (%)",
}


def plot_funnel(
    data: pd.DataFrame,
    *,
    stage: str = "stage",
    reached: str = "reached",
    step_conversion: str = "step_conversion",
    unit: str = "Visits",
    ax: Axes | None = None,
) -> Axes:
    """Horizontal funnel bars, each labelled with its count and its conversion from the step above."""
    require_frame(data)
    require_columns(data, [stage, reached, step_conversion])
    ax = new_axes(ax)
    sns.barplot(data=data, y=stage, x=reached, ax=ax, color="C0")
    labels = [
        f"{n:,.0f}" if i == 0 else f"{n:,.0f} ({c:.0%} of step above)"
        for i, (n, c) in enumerate(zip(data[reached], data[step_conversion]))
    ]
    ax.bar_label(ax.containers[0], labels=labels, padding=3, fontsize=TEXT_PT)
    ax.set(title="Web funnel: where visitors drop off", xlabel=unit, ylabel="Furthest step reached")
    ax.set_xlim(0, data[reached].max() * 1.6 if data[reached].max() > 0 else 1)
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v / 1000:,.0f}k" if v >= 1000 else f"{v:,.0f}")
    humanise_ticks(ax, "y")
    return ax


def plot_funnel_by(
    data: pd.DataFrame,
    *,
    by: str = "channel",
    stage: str = "stage",
    value: str = "overall_conversion",
    ax: Axes | None = None,
) -> Axes:
    """Conversion at each step per group (output of ``funnel_counts(..., by=...)``), one line per group."""
    require_frame(data)
    require_columns(data, [by, stage, value])
    ax = new_axes(ax)
    shown = data.assign(**{by: data[by].map(words)})
    sns.pointplot(data=shown, x=stage, y=value, hue=by, ax=ax)
    ylabel = _CONVERSION_LABELS.get(value, f"{words(value, capital=True)} (share)")
    ax.set(title=f"Funnel by {words(by)}", xlabel="Step", ylabel=ylabel)
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    # beside the plot, not over the lines: the groups' lines fill the whole height
    ax.legend(title=words(by, capital=True), loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    humanise_ticks(ax, "x", width=12)
    return ax


def plot_ladder(
    data: pd.DataFrame, *, step: str = "step", reached: str = "reached", ax: Axes | None = None
) -> Axes:
    """The loyalty ladder of [001]: people at or above each step, lowest step at the bottom.

    The counts run on a log scale: the market and the prospects are hundreds of times the
    advocates, and on a linear scale the upper steps would be invisible slivers.
    """
    require_frame(data)
    require_columns(data, [step, reached])
    ax = new_axes(ax)
    sns.barplot(data=data.iloc[::-1], y=step, x=reached, ax=ax, color="C2")
    ax.set_xscale("log")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", padding=3, fontsize=TEXT_PT)
    top = float(data[reached].max()) if len(data) else 1.0
    low = float(data.loc[data[reached] > 0, reached].min()) if (data[reached] > 0).any() else 1.0
    ax.set_xlim(max(low / 3, 0.5), max(top, 1.0) * 8)  # room for the labels on the log scale
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:,.0f}")
    ax.set(title="The loyalty ladder: the climb takes time", xlabel="People at or above the step (log scale)",
           ylabel="Step of the ladder")
    humanise_ticks(ax, "y")
    return ax


def plot_intervention(
    data: pd.DataFrame,
    *,
    stage: str = "stage",
    value: str = "value_of_uplift",
    currency: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Money at stake at each funnel step (output of ``intervention_value``): fix the longest bar first.

    The default bars are ``value_of_uplift``, what a realistic rise in the step's conversion would
    earn; ``value="value_lost"`` draws the whole loss instead, a ceiling that can exceed the revenue.
    """
    require_frame(data)
    require_columns(data, [stage, value])
    ax = new_axes(ax)
    sns.barplot(data=data, x=stage, y=value, ax=ax, color="C3")
    ylabel = {"value_of_uplift": "Value of the uplift",
              "value_lost": "Value of the whole loss (a ceiling)"}.get(value, value)
    ax.set(title="Where an intervention pays most", xlabel="Step lost before", ylabel=ylabel)
    format_money_axis(ax, currency)
    humanise_ticks(ax, "x", width=12)
    return ax


def plot_time_to_convert(
    data: pd.DataFrame,
    *,
    days: str = "days",
    converted: str = "converted",
    ax: Axes | None = None,
) -> Axes:
    """Histogram of days from first visit to first purchase, among customers who bought."""
    require_frame(data)
    require_columns(data, [days, converted])
    bought = data.loc[data[converted].astype(bool) & data[days].notna() & (data[days] >= 0)]
    ax = new_axes(ax)
    sns.histplot(data=bought, x=days, ax=ax, color="C4")
    ax.set(title="Time from first visit to first purchase", xlabel="Days from first visit to first purchase",
           ylabel="Customers")
    return ax
