"""The kit's one look: a seaborn theme readable on a projector, and money-aware axes."""

from __future__ import annotations

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

PALETTE = "colorblind"


def use_theme() -> None:
    """Apply the kit's theme: white grid, colour-blind palette, large fonts for projectors."""
    sns.set_theme(context="talk", style="whitegrid", palette=PALETTE, font_scale=0.8)
    plt.rcParams.update({"figure.figsize": (9, 5), "figure.dpi": 100, "axes.titleweight": "bold"})


def new_axes(ax: Axes | None = None) -> Axes:
    """Return ``ax``, or a fresh Axes on a new figure when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots()
    return ax


def _compact(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.0f}"


def format_money_axis(ax: Axes, currency: str | None, axis: str = "y") -> Axes:
    """Show compact money ticks (1.5M, 250k) and name the currency in the axis label."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: _compact(v)))
    if currency:
        label = target.get_label_text()
        if currency not in label:
            target.set_label_text(f"{label} ({currency})" if label else currency)
    return ax
