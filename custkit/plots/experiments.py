"""Plots of parameter sweeps (:mod:`custkit.experiments`): the effect of one knob, with its spread."""

from __future__ import annotations

import dataclasses

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.config import ShopConfig
from custkit.errors import CustkitError
from custkit.experiments import METRICS
from custkit.plots.theme import SMALL_PT, format_money_axis, new_axes, words

__all__ = ["plot_sweep"]

_PERCENT = mticker.PercentFormatter(xmax=1.0, decimals=0)


def _knob_label(knob: str) -> str:
    meta = {f.name: f.metadata for f in dataclasses.fields(ShopConfig)}.get(knob)
    unit = meta.get("unit") if meta else ""
    return f"{words(knob)} ({unit})" if unit else words(knob)


def plot_sweep(
    data: pd.DataFrame,
    metric: str,
    *,
    runs: pd.DataFrame | None = None,
    x: str = "knob_value",
    mean: str = "mean",
    low: str = "ci_low",
    high: str = "ci_high",
    currency: str | None = None,
    ylabel: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """The mean of one metric against the knob's values, with its confidence band.

    Parameters
    ----------
    data
        Output of :func:`custkit.experiments.summarise_sweep`.
    metric
        Which metric to draw (a value of ``data["metric"]``, e.g. ``"period_retention"``).
    runs
        Optional output of :func:`custkit.experiments.sweep`: each seed's value is drawn as a dot,
        so that the spread behind the band is visible.
    x, mean, low, high
        Column names of the knob value, the mean and the interval bounds.
    currency
        Shown on the y axis for money metrics (e.g. ``shop.config.currency``).
    ylabel
        Label of the y axis; default the metric's name (pass e.g. "change in period retention" for
        a summary of :func:`custkit.experiments.paired_effects`).
    ax
        Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        Line = mean over seeds; band = the interval of ``data`` (95 % by default); the y axis in
        percent for shares and in compact money for currency metrics.
    """
    require_frame(data, "data")
    require_columns(data, [x, "metric", mean, low, high], "data")
    rows = data[data["metric"] == metric]
    if rows.empty:
        raise CustkitError(f"data has no rows for metric {metric!r}; it has {sorted(data['metric'].unique())}.")
    description, unit = METRICS.get(metric, (metric, ""))
    values = rows[x].tolist()
    numeric = all(isinstance(v, (int, float, np.number)) and not isinstance(v, (bool, np.bool_)) for v in values)
    positions = np.asarray(values, dtype=float) if numeric else np.arange(len(values), dtype=float)
    ax = new_axes(ax)
    level = data.attrs.get("level", 0.95)
    n = int(rows["n"].max()) if "n" in rows else None
    band = f"{level:.0%} interval of the mean" + (f" ({n} seeds)" if n else "")
    ax.fill_between(positions, rows[low].to_numpy(dtype=float), rows[high].to_numpy(dtype=float),
                    color="C0", alpha=0.25, label=band)
    ax.plot(positions, rows[mean].to_numpy(dtype=float), color="C0", marker="o", linewidth=2.5,
            label="mean over seeds")
    if runs is not None:
        require_frame(runs, "runs")
        require_columns(runs, [x, "metric", "value"], "runs")
        dots = runs[runs["metric"] == metric]
        where = dict(zip(values, positions))
        if not numeric:
            dots = dots[dots[x].isin(values)]
        dot_x = dots[x].map(where) if not numeric else dots[x].astype(float)
        ax.scatter(dot_x, dots["value"], color="0.35", s=22, zorder=3, label="one seed (one shop)")
    if not numeric:
        ax.set_xticks(positions, [str(v) for v in values])
    knob = str(rows["knob"].iloc[0]) if "knob" in rows else x
    ax.set_xlabel(_knob_label(knob))
    default_label = words(metric) + (f" ({unit})" if unit not in ("", "currency") else "")
    ax.set_ylabel(default_label if ylabel is None else ylabel)
    if unit == "share":
        ax.yaxis.set_major_formatter(_PERCENT)
    elif unit == "currency":
        format_money_axis(ax, currency, "y")
    ax.set_title(f"{words(metric, capital=True)} as {words(knob)} changes")
    ax.legend(loc="best", fontsize=SMALL_PT)
    return ax
