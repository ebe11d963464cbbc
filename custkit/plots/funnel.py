"""Plots for :mod:`custkit.funnel`: the web funnel, the funnel by group, the loyalty ladder,
the value of each step's loss, and time to convert."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import format_money_axis, new_axes


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
    ax.bar_label(ax.containers[0], labels=labels, padding=3)
    ax.set(title="Web funnel: where visitors drop off", xlabel=unit, ylabel="Furthest step reached")
    ax.set_xlim(0, data[reached].max() * 1.45 if data[reached].max() > 0 else 1)
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
    sns.pointplot(data=data, x=stage, y=value, hue=by, ax=ax)
    ax.set(title=f"Funnel by {by}", xlabel="Step", ylabel=value.replace("_", " ").capitalize())
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    return ax


def plot_ladder(
    data: pd.DataFrame, *, step: str = "step", reached: str = "reached", ax: Axes | None = None
) -> Axes:
    """The loyalty ladder of [001]: people at or above each step, lowest step at the bottom."""
    require_frame(data)
    require_columns(data, [step, reached])
    ax = new_axes(ax)
    sns.barplot(data=data.iloc[::-1], y=step, x=reached, ax=ax, color="C2")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", padding=3)
    ax.set(title="The loyalty ladder: the climb takes time", xlabel="People at or above the step", ylabel="")
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
    ax.set(title="Time from first visit to first purchase", xlabel="Days", ylabel="Customers")
    return ax
