"""Plots for :mod:`custkit.audience`: the roles of the audience over time."""

from __future__ import annotations

import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.plots.theme import new_axes


def plot_audience_over_time(
    data: pd.DataFrame,
    *,
    as_of: str = "as_of",
    role: str = "role",
    count: str = "people",
    ax: Axes | None = None,
) -> Axes:
    """One line per role (visitor, lead, first-time and repeat buyer) across the analysis days.

    ``data`` is the output of :func:`custkit.audience.audience_over_time`.
    """
    require_frame(data)
    require_columns(data, [as_of, role, count])
    ax = new_axes(ax)
    sns.lineplot(data=data, x=as_of, y=count, hue=role, marker="o", ax=ax)
    ax.set(title="Who counts as what depends on the day", xlabel="Day of the analysis (as_of)",
           ylabel="People")
    ax.set_ylim(bottom=0)
    ax.legend(title="Role on that day")
    return ax
