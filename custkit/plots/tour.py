"""Plots for :mod:`custkit.tour`: the shop's calendar of orders."""

from __future__ import annotations

import pandas as pd
import matplotlib.dates as mdates
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import new_axes

__all__ = ["plot_weekly_orders"]


def plot_weekly_orders(
    data: pd.DataFrame,
    *,
    week: str = "week",
    orders: str = "orders",
    promotion: str = "promotion_week",
    complete: str = "complete",
    ax: Axes | None = None,
) -> Axes:
    """Orders per week as a line, with the weeks that hold a promotion day marked (``weekly_orders``).

    Only complete weeks are joined by the line: a week the data window cuts (column
    ``complete`` False) holds fewer days of orders, so it is drawn as a hollow grey point off the
    line rather than as a fall. Without a ``complete`` column every week counts as complete.
    """
    require_frame(data)
    require_columns(data, [week, orders, promotion])
    ax = new_axes(ax)
    full = data[complete].astype(bool) if complete in data.columns else pd.Series(True, index=data.index)
    shown = data.loc[full]
    ax.plot(shown[week], shown[orders], color="C0", linewidth=1.5, label="Orders per week")
    promo = shown.loc[shown[promotion].astype(bool)]
    ax.scatter(promo[week], promo[orders], color="C3", zorder=3, s=30, label="Week with a promotion day")
    partial = data.loc[~full]
    if len(partial):
        ax.scatter(partial[week], partial[orders], facecolors="none", edgecolors="grey", zorder=3, s=30,
                   label="Partial week (the data start or end inside it)")
    ax.set(title="The shop's calendar: orders per week", xlabel="Week (Monday)", ylabel="Orders per week")
    ax.set_ylim(bottom=0)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=7)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.legend(loc="upper left")
    return ax
