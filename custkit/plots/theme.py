"""The kit's one look: a seaborn theme readable on a projector, money-aware axes, and words for names.

Every text a plot function draws is at least :data:`SMALL_PT` points after :func:`use_theme`;
annotations and cell texts use :data:`TEXT_PT`. Column names and category codes
(``first_time_buyer``) are shown as words (``first-time buyer``) through :func:`words`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

__all__ = [
    "FEW_ANSWERS", "FEW_COLOUR", "SMALL_PT", "TEXT_PT", "format_count_axis", "format_money_axis", "humanise_ticks", "new_axes",
    "use_theme", "words", "wrap",
]

PALETTE = "colorblind"

TEXT_PT = 13.0
"""Font size (points) of annotations, bar labels and heatmap cell texts."""
SMALL_PT = 12.0
"""Smallest font size (points) of any text: legends of crowded panels."""
FEW_ANSWERS = 10
"""A bar resting on fewer answers than this is greyed and labelled with its count."""
FEW_COLOUR = "0.65"
"""Colour of a bar resting on fewer than :data:`FEW_ANSWERS` answers."""

WORDS: dict[str, str] = {
    "first_time_buyer": "first-time buyer",
    "maybe_buyer": "maybe-buyer",
    "cant_lose": "can't lose",
    "as_of": "analysis day",
    "recency_days": "recency (days)",
    "monetary": "monetary (money spent)",
    "frequency": "frequency (orders)",
    "never_bought": "never bought",
    "socio_economic_class": "socio-economic class",
}
"""Names whose words are not just the name with spaces for underscores."""


def words(name: object, *, capital: bool = False) -> str:
    """A column name or category code as words: ``"add_to_cart"`` -> ``"add to cart"``.

    Parts joined by ``": "`` are translated one by one (``"potential: maybe_buyer"``). With
    ``capital`` the first letter is upper case.
    """
    text = str(name)
    parts = [WORDS.get(part, part.replace("_", " ")) for part in text.split(": ")]
    out = ": ".join(parts)
    return out[:1].upper() + out[1:] if capital else out


def wrap(text: str, width: int = 12) -> str:
    """Break ``text`` into lines of at most ``width`` characters, at spaces (tick labels that fit)."""
    return textwrap.fill(str(text), width, break_long_words=False, break_on_hyphens=False)


def humanise_ticks(ax: Axes, axis: str = "x", *, width: int | None = None) -> Axes:
    """Replace the category tick labels of ``axis`` by their :func:`words`, wrapped at ``width``,
    and keep them horizontal."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    ticks = target.get_ticklocs()
    labels = [words(t.get_text()) for t in target.get_ticklabels()]
    if width:
        labels = [wrap(label, width) for label in labels]
    target.set_ticks(ticks, labels)
    ax.tick_params(axis=axis, labelrotation=0)
    return ax


def use_theme() -> None:
    """Apply the kit's theme: white grid, colour-blind palette, large fonts for projectors.

    Seaborn's "talk" context at 0.8 gives titles and axis labels 14.4 pt, ticks and legends 13.2 pt;
    the plot functions set annotations to :data:`TEXT_PT` and never go below :data:`SMALL_PT`
    (matplotlib's "small", 12.0 pt here, rounds to 11.99 and is not used).
    """
    sns.set_theme(context="talk", style="whitegrid", palette=PALETTE, font_scale=0.8)
    plt.rcParams.update({"figure.figsize": (9, 5), "figure.dpi": 100, "axes.titleweight": "bold"})


def new_axes(ax: Axes | None = None, *, figsize: tuple[float, float] | None = None) -> Axes:
    """Return ``ax``, or a fresh Axes on a new figure (of ``figsize`` when given) when ``ax`` is None."""
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


def _compact(value: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.0f}"


def format_count_axis(ax: Axes, axis: str = "y") -> Axes:
    """Show counts with thousands separators (175,000) on ``axis``."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: f"{v:,.0f}"))
    return ax


def format_money_axis(ax: Axes, currency: str | None, axis: str = "y") -> Axes:
    """Show compact money ticks (1.5M, 250k) and name the currency (or "money") in the axis label."""
    target = ax.yaxis if axis == "y" else ax.xaxis
    target.set_major_formatter(FuncFormatter(lambda v, _pos: _compact(v)))
    unit = currency or "money"
    label = target.get_label_text()
    if unit not in label:
        target.set_label_text(f"{label} ({unit})" if label else unit)
    return ax
