"""Plots for :mod:`custkit.tour`: the shop's calendar of orders."""

from __future__ import annotations

import pandas as pd
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import new_axes


def plot_weekly_orders(
    data: pd.DataFrame,
    *,
    week: str = "week",
    orders: str = "orders",
    promotion: str = "promotion_week",
    ax: Axes | None = None,
) -> Axes:
    """Orders per week as a line, with the weeks that hold a promotion day marked (``weekly_orders``)."""
    require_frame(data)
    require_columns(data, [week, orders, promotion])
    ax = new_axes(ax)
    ax.plot(data[week], data[orders], color="C0", linewidth=1.5, label="Orders per week")
    promo = data.loc[data[promotion].astype(bool)]
    ax.scatter(promo[week], promo[orders], color="C3", zorder=3, s=30, label="Week with a promotion day")
    ax.set(title="The shop's calendar: orders per week", xlabel="Week (Monday)", ylabel="Orders per week")
    ax.set_ylim(bottom=0)
    ax.legend(loc="upper left")
    return ax
