"""Plots for :mod:`custkit.segmentation`: demographic bars, the RFM grid and segment sizes,
choosing k, and cluster profiles."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.ticker import MaxNLocator

from custkit._checks import require_columns, require_frame
from custkit.errors import CustkitError
from custkit.plots.theme import SMALL_PT, TEXT_PT, format_money_axis, humanise_ticks, new_axes, words, wrap

__all__ = [
    "plot_cluster_profiles", "plot_demographics", "plot_k_choice", "plot_rfm_grid", "plot_segment_sizes",
    "plot_uplift",
]
from custkit.segmentation.demographics import level_order
from custkit.segmentation.rfm import RF_GRID


def plot_demographics(
    data: pd.DataFrame,
    *,
    by: str = "age_band",
    value: str = "revenue_per_customer",
    currency: str | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Bars of one measure per demographic group (output of ``demographic_profile``), groups in
    their natural order (low to high class, young to old)."""
    require_frame(data)
    require_columns(data, [by, value])
    ax = new_axes(ax)
    sns.barplot(data=data, x=by, y=value, ax=ax, color="C0", order=level_order(data[by], by))
    ax.set(title=f"{words(value, capital=True)} by {words(by)}", xlabel=words(by, capital=True),
           ylabel=words(value, capital=True))
    if "revenue" in value:
        format_money_axis(ax, currency)
    humanise_ticks(ax, "x", width=12)
    return ax


def plot_rfm_grid(
    data: pd.DataFrame, *, r: str = "R", f: str = "F", ax: Axes | None = None
) -> Axes:
    """Heatmap of customers in each R x F cell, each cell named by its RFM segment."""
    require_frame(data)
    require_columns(data, [r, f])
    counts = pd.crosstab(data[r], data[f]).reindex(index=range(5, 0, -1), columns=range(1, 6), fill_value=0)
    notes = pd.DataFrame(
        [[f"{wrap(words(RF_GRID[(ri, fi)]), 10)}\n{counts.loc[ri, fi]:,}" for fi in counts.columns]
         for ri in counts.index],
        index=counts.index, columns=counts.columns,
    )
    ax = new_axes(ax, figsize=(11, 8))
    sns.heatmap(counts, annot=notes, fmt="", cmap="Blues", ax=ax, annot_kws={"fontsize": SMALL_PT},
                cbar_kws={"label": "Customers"})
    ax.set(title="RFM segments on the R x F grid", xlabel="F score (frequency, 5 = most orders)",
           ylabel="R score (recency, 5 = most recent)")
    ax.tick_params(axis="both", labelrotation=0)
    return ax


def plot_segment_sizes(
    data: pd.DataFrame,
    *,
    segment: str = "segment",
    customer_share: str = "customer_share",
    revenue_share: str = "revenue_share",
    ax: Axes | None = None,
) -> Axes:
    """Share of customers next to share of revenue per segment (output of ``segment_profile``)."""
    require_frame(data)
    require_columns(data, [segment, customer_share, revenue_share])
    long = data.melt(id_vars=segment, value_vars=[customer_share, revenue_share],
                     var_name="measure", value_name="share")
    long["measure"] = long["measure"].map({customer_share: "Customers", revenue_share: "Revenue"})
    ax = new_axes(ax)
    sns.barplot(data=long, y=segment, x="share", hue="measure", ax=ax)
    ax.set(title="Segments: size vs value", xlabel="Share of total", ylabel="RFM segment")
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    ax.get_legend().set_title("Share of")
    humanise_ticks(ax, "y")
    return ax


def plot_k_choice(
    data: pd.DataFrame,
    *,
    k: str = "k",
    inertia: str = "inertia",
    silhouette: str = "silhouette",
    ax: Axes | None = None,
) -> Axes:
    """Inertia (elbow, left axis) and silhouette (right axis) against k (output of ``choose_k``)."""
    require_frame(data)
    require_columns(data, [k, inertia, silhouette])
    ax = new_axes(ax)
    ax.plot(data[k], data[inertia], marker="o", color="C0", label="Inertia")
    ax.set(title="Choosing the number of clusters", xlabel="Number of clusters (k)",
           ylabel="Inertia (within-cluster sum of squares)")
    right = ax.twinx()
    right.plot(data[k], data[silhouette], marker="s", color="C1", label="Silhouette")
    right.set_ylabel("Silhouette score (higher is better)")
    right.grid(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    handles = ax.get_legend_handles_labels()[0] + right.get_legend_handles_labels()[0]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2, frameon=False)
    return ax


def plot_cluster_profiles(
    data: pd.DataFrame, features: Sequence[str], *, cluster: str = "cluster", ax: Axes | None = None
) -> Axes:
    """Heatmap of each cluster's mean features, coloured by how far (in SDs) it lies from the mean.

    ``data`` is one row per customer with a ``cluster`` column (output of ``kmeans_segments``);
    cells show the raw means, colours the standardised means.
    """
    require_frame(data)
    features = list(features)
    if not features:
        raise CustkitError("features is empty; name the columns to profile.")
    require_columns(data, [cluster, *features])
    means = data.groupby(cluster)[features].mean()
    sd = data[features].std(ddof=0).replace(0, 1)
    z = (means - data[features].mean()) / sd
    ax = new_axes(ax, figsize=(max(9.0, 1.45 * len(features) + 3.5), 5.5))
    # symmetric limits instead of seaborn's center=, which trips a matplotlib deprecation warning
    lim = max(float(z.abs().max().max()), 1e-9)
    sns.heatmap(z, annot=means, fmt=",.1f", cmap="RdBu_r", vmin=-lim, vmax=lim, ax=ax,
                annot_kws={"fontsize": TEXT_PT}, cbar_kws={"label": "SDs from the mean"})
    sizes = data[cluster].value_counts().reindex(means.index)
    ax.set_yticks(ax.get_yticks(), [f"{words(c)} (n={n:,})" for c, n in sizes.items()], rotation=0)
    ax.set(title="Cluster profiles (mean of each feature)", xlabel="Feature", ylabel=words(cluster, capital=True))
    humanise_ticks(ax, "x", width=10)
    return ax


def plot_uplift(
    experiment: pd.DataFrame, *, currency: str | None = None, truth: bool = True, ax: Axes | None = None
) -> Axes:
    """Per rule of :func:`~custkit.segmentation.compare_targeting`: the profit per contact a report
    without a control group shows, against what the offer adds (with its interval) and, in a
    simulated shop, what the rule truly earns.

    Grey bars: ``response_profit_per_contact``; dots with whiskers: ``incremental_profit_per_contact``
    from ``profit_low`` to ``profit_high``; open diamonds: ``true_profit_per_contact`` (when
    ``truth``). Rules are sorted by their response profit, so the gap between the two readings is
    what the eye follows.
    """
    cols = ["rule", "response_profit_per_contact", "incremental_profit_per_contact", "profit_low", "profit_high"]
    require_frame(experiment)
    require_columns(experiment, cols + (["true_profit_per_contact"] if truth else []))
    data = experiment.sort_values("response_profit_per_contact").reset_index(drop=True)
    ax = new_axes(ax)
    y = range(len(data))
    names = data["rule"].map(words)
    ax.barh(y, data["response_profit_per_contact"], color="0.8", label="counting every responder (no control group)")
    est = data["incremental_profit_per_contact"]
    ax.errorbar(est, y, xerr=[est - data["profit_low"], data["profit_high"] - est], fmt="o", color="C0",
                capsize=4, label="what the offer adds: treated minus control (95 % interval)")
    if truth:
        ax.scatter(data["true_profit_per_contact"], y, marker="D", facecolors="none", edgecolors="C3", s=70,
                   zorder=3, label="what the rule truly earns (hidden truth)")
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(list(y), names, fontsize=12)
    unit = f" ({currency})" if currency else ""
    ax.set(title="The rule with most responses need not earn most", xlabel=f"Profit per contact{unit}",
           ylabel="Targeting rule")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, fontsize=12, frameon=False)
    ax.figure.set_size_inches(9, 6.5)
    ax.figure.tight_layout()
    return ax
