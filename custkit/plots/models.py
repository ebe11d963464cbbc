"""Plots of the customer-base models (custkit.retention.models): fit against data, and what they infer.

Each function takes ``data=`` plus column names and a fitted model, draws on ``ax`` or a new Axes,
labels the axes with units and never calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.ticker as mticker
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from custkit._checks import require_columns, require_frame
from custkit.errors import CustkitError
from custkit.plots.theme import new_axes

__all__ = ["sbg_survival", "repeat_purchase_histogram", "probability_alive_curves"]

_PERCENT = mticker.PercentFormatter(xmax=1.0, decimals=0)


def _whole(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise CustkitError(f"{name} must be a whole number >= {minimum}, got {value!r}.")
    return int(value)


def sbg_survival(
    data: pd.DataFrame,
    model,
    period: str = "period",
    alive: str = "alive",
    calibration_periods: int | None = None,
    periods: int | None = None,
    ax: Axes | None = None,
    *,
    unit: str = "years",
) -> Axes:
    """Share of a cohort still active: actual counts against the sBG projection.

    Parameters
    ----------
    data
        One row per period: ``period`` (0, 1, ...) and ``alive`` (customers active at its start;
        period 0 holds the cohort size). May run past the calibration periods.
    model
        A fitted :class:`~custkit.retention.models.ShiftedBetaGeometric`.
    calibration_periods
        Last period used in the fit; marked with a vertical line when given.
    periods
        Last period of the projection; defaults to the last period in ``data``.
    unit
        What one period is, for the axis label: ``"years"`` (the contract renewals of Fader and
        Hardie 2007, the kit's reference data), ``"quarters"``, ``"months"``...
    """
    require_frame(data, "data")
    require_columns(data, [period, alive], "data")
    table = data.sort_values(period)
    t = table[period].to_numpy(dtype=float)
    counts = table[alive].to_numpy(dtype=float)
    if t[0] != 0 or counts[0] <= 0:
        raise CustkitError(f"data must start at {period!r} = 0 with the cohort size (> 0) in {alive!r}.")
    last = int(t.max()) if periods is None else _whole(periods, "periods", 1)
    grid = np.arange(last + 1)
    ax = new_axes(ax)
    ax.plot(t, counts / counts[0], "o", label="actual")
    ax.plot(grid, model.survival(grid), "-", label="sBG model")
    if calibration_periods is not None:
        ax.axvline(_whole(calibration_periods, "calibration_periods", 1), color="grey", linestyle="--",
                   label="end of calibration")
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"{unit} since acquisition")
    ax.set_ylabel("share of the cohort still active (%)")
    ax.set_title("Retention: actual vs shifted-beta-geometric")
    ax.legend()
    return ax


def repeat_purchase_histogram(
    data: pd.DataFrame,
    model,
    frequency: str = "frequency",
    T: str = "T",
    max_purchases: int = 7,
    ax: Axes | None = None,
) -> Axes:
    """Customers by number of repeat purchases in calibration: actual against the BG/NBD's expectation.

    The expected number of customers with x repeat purchases is the sum, over customers, of
    P(X(T_i) = x) (Fader, Hardie and Lee 2005, eq. 8), each evaluated at that customer's own
    calibration length T_i; the last bar gathers ``max_purchases`` and more (their Figure 2).
    """
    require_frame(data, "data")
    require_columns(data, [frequency, T], "data")
    k = _whole(max_purchases, "max_purchases", 1)
    x = data[frequency].to_numpy(dtype=float)
    lengths, n_each = np.unique(data[T].to_numpy(dtype=float), return_counts=True)
    counts = np.arange(k)
    expected = np.array(
        [np.dot(n_each, model.probability_of_purchases(lengths, c)) for c in counts]
    )
    expected = np.append(expected, len(x) - expected.sum())
    actual = np.append([np.sum(x == c) for c in counts], np.sum(x >= k))
    labels = [str(c) for c in counts] + [f"{k}+"]
    tidy = pd.DataFrame(
        {
            "repeat purchases": labels * 2,
            "customers": np.concatenate([actual, expected]),
            "source": ["actual"] * (k + 1) + ["BG/NBD model"] * (k + 1),
        }
    )
    ax = new_axes(ax)
    sns.barplot(data=tidy, x="repeat purchases", y="customers", hue="source", ax=ax)
    ax.set_xlabel("repeat purchases in the calibration period")
    ax.set_ylabel("customers")
    ax.get_legend().set_title(None)
    ax.set_title("Repeat purchases: actual vs BG/NBD")
    return ax


def probability_alive_curves(
    data: pd.DataFrame,
    model,
    frequency: str = "frequency",
    recency: str = "recency",
    label: str | None = None,
    horizon: float = 52.0,
    unit: str = "weeks",
    ax: Axes | None = None,
) -> Axes:
    """How the chance that a customer is still active fades while she does not buy.

    Each row of ``data`` is a history (repeat purchases and the time of the last one since the
    first); its curve shows P(alive) as time since the first purchase runs from the last purchase
    to ``horizon`` later, with no further purchase. Works with BetaGeoNBD and ParetoNBD.

    Parameters
    ----------
    label
        Column naming each history in the legend; defaults to "x repeat purchases, the last at t_x
        (unit)".
    horizon
        How far past the last purchase to draw, in the model's time unit.
    unit
        Name of that unit for the axis label ("weeks" or "days").
    """
    require_frame(data, "data")
    require_columns(data, [frequency, recency] + ([label] if label else []), "data")
    if not (isinstance(horizon, (int, float)) and horizon > 0):
        raise CustkitError(f"horizon must be a number > 0, got {horizon!r}.")
    ax = new_axes(ax)
    for _, row in data.iterrows():
        x, tx = float(row[frequency]), float(row[recency])
        big_t = np.linspace(tx, tx + horizon, 200)
        name = str(row[label]) if label else f"{x:g} repeat purchases, the last at {tx:g} {unit}"
        ax.plot(big_t, model.probability_alive(x, tx, big_t), label=name)
    ax.yaxis.set_major_formatter(_PERCENT)
    ax.set_ylim(0, 1.02)
    ax.set_xlabel(f"time since first purchase ({unit})")
    ax.set_ylabel("probability still active (%)")
    ax.set_title("P(alive) while no purchase comes")
    ax.legend(title="history")
    return ax
