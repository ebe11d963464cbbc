"""Plots for :mod:`custkit.definitions`: roles, the five general types, buyer vs consumer,
ability x aptitude, and transaction types."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import TEXT_PT, format_count_axis, humanise_ticks, new_axes, words

__all__ = [
    "plot_ability_aptitude", "plot_audience", "plot_audience_over_time", "plot_buyer_vs_consumer",
    "plot_general_types", "plot_transaction_mix",
]


def plot_audience(data: pd.DataFrame, *, role: str = "role", count: str = "people", ax: Axes | None = None) -> Axes:
    """Bars of visitors, leads, first-time and repeat buyers (output of ``audience_counts``)."""
    require_frame(data)
    require_columns(data, [role, count])
    ax = new_axes(ax)
    sns.barplot(data=data, x=role, y=count, ax=ax, color="C0")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", fontsize=TEXT_PT)
    ax.set(title="Who the shop's audience is", xlabel="Role", ylabel="People")
    format_count_axis(ax, "y")
    humanise_ticks(ax, "x", width=12)
    return ax


def plot_general_types(
    data: pd.DataFrame, *, general_type: str = "general_type", kind: str = "potential_kind", ax: Axes | None = None
) -> Axes:
    """Bars of people per general type, potential customers split into maybe-buyers and browsers.

    ``data`` is the per-person output of ``general_types``; the external type (everyone but the
    internal customers) overlaps the others, so its count is given in the axis label.
    """
    require_frame(data)
    require_columns(data, [general_type, kind])
    label = data[general_type].where(data[kind].isna(), data[general_type] + ": " + data[kind].fillna(""))
    counts = label.value_counts().rename_axis("type").reset_index(name="people")
    ax = new_axes(ax)
    sns.barplot(data=counts, y="type", x="people", ax=ax, color="C0")
    ax.bar_label(ax.containers[0], fmt="{:,.0f}", fontsize=TEXT_PT)
    external = int((data[general_type] != "internal").sum())
    ax.set(title="The five general types of customer [001]", ylabel="Type",
           xlabel=f"People (the fifth type, external = all but internal: {external:,})")
    ax.set_xlim(0, counts["people"].max() * 1.15 if len(counts) else 1)  # room for the labels
    humanise_ticks(ax, "y")
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v / 1000:,.0f}k" if v else "0")
    return ax


def plot_buyer_vs_consumer(
    data: pd.DataFrame, *, by: str = "category", share: str = "share_for_others", ax: Axes | None = None
) -> Axes:
    """Share of orders bought for someone else, per group (output of ``buyer_vs_consumer``)."""
    require_frame(data)
    require_columns(data, [by, share])
    ax = new_axes(ax)
    sns.barplot(data=data, y=by, x=share, ax=ax, color="C1")
    ax.bar_label(ax.containers[0], fmt="{:.0%}", fontsize=TEXT_PT)
    ax.set(title="Customer is not always the consumer", xlabel="Share of orders bought for someone else",
           ylabel=words(by, capital=True))
    humanise_ticks(ax, "y")
    ax.xaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    ax.set_xlim(0, 1.15)  # room for the 100% labels
    return ax


def plot_ability_aptitude(
    data: pd.DataFrame,
    *,
    ability: str = "has_ability",
    aptitude: str = "has_aptitude",
    conversion: str = "conversion",
    people: str = "people",
    ax: Axes | None = None,
) -> Axes:
    """2 x 2 heatmap of conversion by ability and aptitude (output of ``ability_aptitude_table``)."""
    require_frame(data)
    require_columns(data, [ability, aptitude, conversion, people])
    grid = data.pivot(index=ability, columns=aptitude, values=conversion).sort_index(ascending=False)
    n = data.pivot(index=ability, columns=aptitude, values=people).sort_index(ascending=False)
    notes = grid.map(lambda v: "n/a" if pd.isna(v) else f"{v:.0%}") + n.map(lambda v: f"\n(n={v:,})")
    ax = new_axes(ax)
    sns.heatmap(grid.astype(float), annot=notes, fmt="", cmap="Blues", vmin=0, ax=ax,
                annot_kws={"fontsize": TEXT_PT}, cbar_kws={"label": "Conversion (share who bought)"})
    ax.collections[0].colorbar.ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    yes_no = {"True": "yes", "False": "no"}
    ax.set_xticks(ax.get_xticks(), [yes_no.get(t.get_text(), t.get_text()) for t in ax.get_xticklabels()])
    ax.set_yticks(ax.get_yticks(), [yes_no.get(t.get_text(), t.get_text()) for t in ax.get_yticklabels()],
                  rotation=0)
    ax.set(
        title="Buying needs both ability and aptitude [003]",
        xlabel="Aptitude (sees how it meets a need)",
        ylabel="Ability (can pay)",
    )
    return ax


def plot_transaction_mix(
    data: pd.DataFrame, *, transaction_type: str = "transaction_type", ax: Axes | None = None
) -> Axes:
    """Share of orders, of money exchanged and of shop revenue per transaction type."""
    require_frame(data)
    shares = {"order_share": "Orders", "net_share": "Money exchanged (net)", "revenue_share": "Shop revenue"}
    require_columns(data, [transaction_type, *shares])
    long = data.melt(id_vars=transaction_type, value_vars=list(shares), var_name="measure", value_name="share")
    long["measure"] = long["measure"].map(shares)
    ax = new_axes(ax)
    sns.barplot(data=long, x=transaction_type, y="share", hue="measure", ax=ax)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.legend(title="Share of")
    ax.set(title="B2C, B2B, C2C, C2B: count vs value [001]", xlabel="Transaction type", ylabel="Share of total")
    ax.yaxis.set_major_formatter(lambda v, _p: f"{v:.0%}")
    return ax

def plot_audience_over_time(
    data: pd.DataFrame,
    *,
    as_of: str = "as_of",
    role: str = "role",
    count: str = "people",
    ax: Axes | None = None,
) -> Axes:
    """One line per role (visitor, lead, first-time and repeat buyer) across the analysis days.

    ``data`` is the output of :func:`custkit.definitions.audience_over_time`.
    """
    require_frame(data)
    require_columns(data, [as_of, role, count])
    ax = new_axes(ax)
    shown = data.assign(**{role: data[role].map(words)})
    sns.lineplot(data=shown, x=as_of, y=count, hue=role, marker="o", ax=ax)
    ax.set(title="Who counts as what depends on the day", xlabel="Day of the analysis",
           ylabel="People")
    ax.set_ylim(bottom=0)
    format_count_axis(ax, "y")
    ax.legend(title="Role on that day")
    return ax
