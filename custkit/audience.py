"""How the shop's audience changes over time: visitors, leads, first-time and repeat buyers per day.

Who counts as what depends on the day of the analysis (concept A4, [001]): a lead on one day is a
first-time buyer on a later one, and a first-time buyer a repeat buyer. :func:`audience_over_time`
repeats :func:`custkit.definitions.audience_counts` over several ``as_of`` days, so that the
movement between the roles can be read from one tidy table.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from custkit.definitions import as_of_cutoff, audience_counts
from custkit.errors import CustkitError


def audience_over_time(
    customers: pd.DataFrame,
    sessions: pd.DataFrame,
    orders: pd.DataFrame,
    dates: Iterable[object],
    **columns: str,
) -> pd.DataFrame:
    """Audience counts (visitors, leads, first-time and repeat buyers) on each day of ``dates``.

    Parameters
    ----------
    customers, sessions, orders
        The shop's tables (columns as in :mod:`custkit.schema`).
    dates
        The days of the analysis (anything ``pd.Timestamp`` reads); each is an ``as_of`` day of
        :func:`custkit.definitions.audience_counts`. Duplicates are dropped; order is kept sorted.
    **columns
        Column names passed on to :func:`~custkit.definitions.audience_counts` when yours differ
        (``customer=``, ``visitor=``, ``signup=``, ``start=``, ``date=``).

    Returns
    -------
    DataFrame
        Tidy: ``as_of`` (datetime), ``role``, ``people``, ``share`` (within the day), four rows per day.
    """
    days = sorted({as_of_cutoff(d) - pd.Timedelta(days=1) for d in _as_list(dates)})
    if not days:
        raise CustkitError("dates is empty; pass at least one day, e.g. ['2024-12-31', '2025-12-31'].")
    frames = [
        audience_counts(customers, sessions, orders, day, **columns).assign(as_of=day) for day in days
    ]
    out = pd.concat(frames, ignore_index=True)
    return out[["as_of", "role", "people", "share"]]


def _as_list(dates: Iterable[object]) -> list[object]:
    if isinstance(dates, str) or not isinstance(dates, Iterable):
        raise CustkitError(
            f"dates must be a list of days such as ['2024-12-31', '2025-12-31'], got {dates!r}."
        )
    return list(dates)


__all__ = ["audience_over_time"]
