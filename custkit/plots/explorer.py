"""Plots of the interactive explorer (:mod:`custkit.explorer`): retention, CLV and customer equity.

Each function draws one result of :func:`custkit.explorer.summarise_shop` for the shop the
sliders describe, with the shop the explorer started from (``baseline``) in grey behind it, so
that a student sees at once what the knob changed. Each takes ``data=`` plus column names,
draws on ``ax`` (a new Axes when None) and returns it; none calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import SMALL_PT, format_money_axis, new_axes

__all__ = ["plot_clv_distribution", "plot_equity_buildup", "plot_period_retention"]

_PERCENT = mticker.PercentFormatter(xmax=1.0, decimals=0)
_NOW, _START = "C0", "0.6"


def _checked(data: object, columns: list[str], name: str) -> pd.DataFrame:
    require_frame(data, name)
    require_columns(data, columns, name)
    return data


def _quarter(period: object) -> str:
    """``2024Q2`` -> ``Q2\n2024``: short enough to stand upright under a third of a figure."""
    text = str(period)
    year, _, quarter = text.partition("Q")
    return f"Q{quarter}\n{year}" if quarter and year.isdigit() else text


def plot_period_retention(
    data: pd.DataFrame, *, baseline: pd.DataFrame | None = None, period: str = "period",
    value: str = "retention", ax: Axes | None = None,
) -> Axes:
    """Quarter-to-quarter retention (:func:`custkit.retention.period_retention`, ``freq="Q"``).

    Each point is the share of one quarter's buyers who buy again in the next quarter (concept
    D1 [002]: a customer lost takes the rest of their purchases with them).
    """
    _checked(data, [period, value], "data")
    ax = new_axes(ax)
    for frame, colour, label, style in ((baseline, _START, "start", "--"), (data, _NOW, "now", "-")):
        if frame is None:
            continue
        _checked(frame, [period, value], "baseline")
        ax.plot([_quarter(p) for p in frame[period]], frame[value].to_numpy(dtype=float), style, color=colour,
                marker="o", linewidth=2, label=label)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("quarter")
    ax.set_ylabel("retained next quarter (%)")
    ticks = ax.get_xticks()
    if len(ticks) > 6:  # every other quarter: two-line labels of 8 quarters fill a third of the figure
        ax.set_xticks(ticks[::2])
    ax.set_title("Retention")
    ax.legend(loc="upper left", fontsize=SMALL_PT)
    return ax


def plot_clv_distribution(
    data: pd.DataFrame, *, baseline: pd.DataFrame | None = None, value: str = "clv",
    currency: str | None = None, bins: int = 20, ax: Axes | None = None,
) -> Axes:
    """Histogram of the lifetime value of each current customer, with the mean as a vertical line.

    ``data`` is the ``clv`` table of :func:`custkit.explorer.summarise_shop` (one row per buyer
    of the last year; CLV = yearly margin x r / (1 + d - r), Gupta and Lehmann 2003). The start
    and current shops share their bins so that the two histograms compare bar by bar; the bins
    reach the 95th percentile of both shops' values and the last bar holds everyone above it.
    """
    _checked(data, [value], "data")
    frames = [(baseline, _START, "start"), (data, _NOW, "now")]
    pooled = np.concatenate([f[value].to_numpy(dtype=float) for f, _, _ in frames if f is not None])
    # CLV is very skewed (a few big spenders): bins up to the 95th percentile, the rest in the last bar.
    top = float(np.quantile(pooled, 0.95))
    low = min(0.0, float(pooled.min()))
    edges = np.linspace(low, top if top > low else low + 1.0, bins + 1)
    ax = new_axes(ax)
    for frame, colour, label in frames:
        if frame is None:
            continue
        _checked(frame, [value], "baseline")
        v = frame[value].to_numpy(dtype=float)
        ax.hist(np.clip(v, edges[0], edges[-1]), bins=edges, histtype="step" if label == "start" else "stepfilled", color=colour,
                alpha=1.0 if label == "start" else 0.6, linewidth=2, label=f"{label} (mean {v.mean():,.0f})")
        ax.axvline(v.mean(), color=colour, linestyle="--" if label == "start" else "-", linewidth=2)
    ax.set_xlabel("CLV per customer (last bar: top 5 %)")
    ax.set_ylabel("customers")
    format_money_axis(ax, currency, "x")
    ax.set_title("Customer lifetime value")
    ax.legend(loc="upper right", fontsize=SMALL_PT)
    return ax


def plot_equity_buildup(
    data: pd.DataFrame, *, baseline: pd.DataFrame | None = None, source: str = "source",
    present_value: str = "present_value", currency: str | None = None, ax: Axes | None = None,
) -> Axes:
    """Customer equity as stacked bars: today's customers, then each future cohort (concept D5 [002]).

    ``data`` is a table of :func:`custkit.retention.customer_equity`; the bar's total is the
    customer equity (Gupta, Lehmann and Stuart 2004). One bar for the start shop (when given)
    and one for the current shop.
    """
    _checked(data, [source, present_value], "data")
    bars = [(label, f) for label, f in (("start", baseline), ("now", data)) if f is not None]
    ax = new_axes(ax)
    for x, (label, frame) in enumerate(bars):
        _checked(frame, [source, present_value], "baseline" if label == "start" else "data")
        bottom = 0.0
        for k, (name, pv) in enumerate(zip(frame[source], frame[present_value].to_numpy(dtype=float))):
            ax.bar(x, pv, bottom=bottom, color=f"C{k}", edgecolor="white", alpha=0.6 if label == "start" else 1.0,
                   label=str(name) if x == len(bars) - 1 else None)
            bottom += pv
        ax.annotate(f"{bottom:,.0f}", (x, bottom), ha="center", va="bottom", fontsize=SMALL_PT)
    ax.set_xticks(range(len(bars)), [label for label, _ in bars])
    ax.set_xlabel("shop")
    ax.set_xlim(-0.7, len(bars) + 1.3)  # room on the right for the legend
    ax.set_ylabel("present value")
    format_money_axis(ax, currency, "y")
    ax.set_title("Customer equity")
    ax.legend(loc="upper right", fontsize=SMALL_PT)
    return ax
