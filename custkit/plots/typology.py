"""Plots for :mod:`custkit.typology`: how well the types were recovered, and what sets them apart."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame, require_numeric
from custkit.errors import CustkitError
from custkit.plots.theme import TEXT_PT, format_money_axis, humanise_ticks, new_axes, words

__all__ = ["plot_confusion", "plot_feature_by_type", "plot_type_scores"]
from custkit.typology.rules import PERSONAS, RELATIONSHIPS

MONEY_FEATURES: tuple[str, ...] = ("spend",)
"""Features of :func:`custkit.typology.customer_features` measured in the shop's currency."""


def plot_confusion(
    data: pd.DataFrame, *, normalize: bool = True, title: str | None = None, ax: Axes | None = None
) -> Axes:
    """Heatmap of a confusion matrix (``Grade.confusion``: true types as rows, predicted as columns).

    With ``normalize`` each row is divided by its total, so a cell reads "share of the customers of
    this true type that the rules called that type" and the diagonal is each type's recall.
    """
    require_frame(data, "data")
    if not all(pd.api.types.is_numeric_dtype(data[c]) for c in data.columns):
        raise CustkitError("data must be a confusion matrix of counts (e.g. grade(...).confusion); "
                           "found non-numeric columns.")
    ax = new_axes(ax, figsize=(10, 6.5))
    cells = {"annot": True, "cmap": "Blues", "cbar": False, "ax": ax, "annot_kws": {"fontsize": TEXT_PT}}
    if normalize:
        totals = data.sum(axis=1)
        shown = data.div(totals.where(totals > 0), axis=0).fillna(0.0)
        sns.heatmap(shown, fmt=".0%", vmin=0, vmax=1, **cells)
    else:
        sns.heatmap(data, fmt="d", **cells)
    ax.set(title=title or ("Confusion matrix (share of each true type)" if normalize else "Confusion matrix (customers)"),
           xlabel="Predicted type", ylabel="True type")
    humanise_ticks(ax, "x", width=9)
    humanise_ticks(ax, "y")
    return ax


def plot_type_scores(
    data: pd.DataFrame,
    *,
    type: str = "type",  # noqa: A002 - the column is called "type" in Grade.per_type
    metrics: Sequence[str] = ("precision", "recall"),
    ax: Axes | None = None,
) -> Axes:
    """Grouped bars of per-type scores (``Grade.per_type``): precision and recall by type, 0-100 %."""
    require_frame(data, "data")
    metrics = list(metrics)
    if not metrics:
        raise CustkitError("metrics must name at least one score column, e.g. ['precision', 'recall'].")
    require_columns(data, [type] + metrics, "data")
    for m in metrics:
        require_numeric(data, m, "data")
    long = data[[type] + metrics].melt(id_vars=type, var_name="score", value_name="value")
    long[type] = long[type].astype("str")
    long["score"] = long["score"].map(words)
    ax = new_axes(ax, figsize=(10, 5.5))
    sns.barplot(data=long, x=type, y="value", hue="score", ax=ax)
    ax.set(title="How well each type was recovered", xlabel="Type", ylabel="Score (%)", ylim=(0, 1))
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    ax.get_legend().set_title("Score")
    humanise_ticks(ax, "x", width=9)
    return ax


def plot_feature_by_type(
    data: pd.DataFrame,
    *,
    feature: str,
    by: str = "persona",
    unit: str = "",
    currency: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Median of one behavioural feature per (predicted or true) type, with its interquartile range.

    Bars show the median, lines the middle half of the customers (25th to 75th percentile):
    robust to the long tails of counts and money.

    Parameters
    ----------
    data
        Features (:func:`custkit.typology.customer_features`) merged with the types.
    feature, by
        The numeric feature to show and the type column to split by.
    unit
        Unit for the axis label (e.g. ``"visits"``); money features (:data:`MONEY_FEATURES`)
        take ``currency`` instead.
    """
    require_frame(data, "data")
    require_columns(data, [feature, by], "data")
    require_numeric(data, feature, "data")
    shown = data[[feature, by]].dropna().assign(**{by: lambda d: d[by].astype("str")})
    if shown.empty:
        raise CustkitError(f"data[{feature!r}] has no values to plot; choose a feature the customers have.")
    ax = new_axes(ax, figsize=(10, 5.5))
    seen = set(shown[by].unique())
    known = [p for p in PERSONAS + RELATIONSHIPS if p in seen]  # the article's order where it applies
    order = known if len(known) == len(seen) else sorted(seen)
    # A bar of the median with a percentile interval, not a box plot: seaborn's box plot passes an
    # argument that matplotlib 3.11 deprecates, and the warning would clutter every notebook.
    sns.barplot(data=shown, x=by, y=feature, order=order, estimator="median", errorbar=("pi", 50),
                color="C0", ax=ax)
    label = words(feature, capital=True)
    ax.set(title=f"{label} by {words(by)} (median, middle half)", xlabel=words(by, capital=True),
           ylabel=f"{label} ({unit})" if unit else label)
    if feature in MONEY_FEATURES or currency:
        format_money_axis(ax, currency)
    humanise_ticks(ax, "x", width=9)
    return ax
