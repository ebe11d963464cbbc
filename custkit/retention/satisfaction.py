"""Satisfaction and what drives it: repurchase by CSAT, CSAT by late delivery and by support speed.

Concept D2 [002]: there are big gaps between less, somewhat and completely satisfied customers, and
even a slight fall in satisfaction cuts loyalty sharply. Concept D3 [003]: satisfaction rests on
on-time delivery and on fitting answers before (advice) and after (support) the purchase.
Survey answers (custkit.schema.SURVEYS) are joined to what happened around them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from scipy.stats import binomtest

from custkit._checks import require_choice, require_datetime, require_numeric, require_positive
from custkit.errors import CustkitError, SchemaError
from custkit.retention._common import (
    EXCLUDED_STATUSES,
    EXCLUDED_TYPES,
    ONE_DAY,
    purchases,
    require_table,
)

__all__ = [
    "LATENESS_BINS",
    "RESPONSE_BINS",
    "csat_by_lateness",
    "csat_by_response_time",
    "repurchase_by_csat",
]

LATENESS_BINS = (-np.inf, 0, 2, 6, np.inf)
"""Default bins of days late, right-closed: on time or early, 1-2, 3-6, 7 or more days late."""
_LATENESS_LABELS = ["on time", "1-2 days late", "3-6 days late", "7+ days late"]

RESPONSE_BINS = (0, 1, 4, 24, 72, np.inf)
"""Default bins of first-response hours, right-closed: up to 1 h, 1-4 h, 4-24 h, 1-3 days, > 3 days."""
_RESPONSE_LABELS = ["within 1 h", "1-4 h", "4-24 h", "1-3 days", "over 3 days"]

NO_TICKET = "no ticket"


def _answers(surveys: pd.DataFrame, customer: str, date: str, csat: str) -> pd.DataFrame:
    """Checked copy of the answered surveys: row, customer, sent (day), csat (int 1-5)."""
    require_table(surveys, [customer, date, csat], "surveys")
    require_numeric(surveys, csat, "surveys")
    sent = require_datetime(surveys, date, "surveys").dt.normalize()
    scores = surveys[csat].to_numpy(dtype=float, na_value=np.nan)
    answered = ~np.isnan(scores)
    if ((scores[answered] < 1) | (scores[answered] > 5)).any():
        raise SchemaError(f"surveys[{csat!r}] must hold CSAT scores from 1 to 5 (or missing).")
    out = pd.DataFrame({"row": np.arange(len(surveys)), "customer": surveys[customer].to_numpy(),
                        "sent": sent.to_numpy(), "csat": scores})[answered]
    if out.empty:
        raise CustkitError(f"surveys has no answered {csat!r}; every CSAT is missing.")
    return out.reset_index(drop=True)


def _csat_summary(frame: pd.DataFrame, by: str, order: Sequence[str]) -> pd.DataFrame:
    g = frame.groupby(by, observed=False)["csat"]
    out = pd.DataFrame({
        "surveys": g.size(),
        "mean_csat": g.mean(),
        "csat_sem": g.sem(),
        "share_satisfied": g.apply(lambda s: (s >= 4).mean() if len(s) else np.nan),
    }).reindex(order)
    out["surveys"] = out["surveys"].fillna(0).astype("int64")
    out.index = pd.CategoricalIndex(out.index, categories=list(order), ordered=True, name=by)
    return out.reset_index()


def repurchase_by_csat(
    surveys: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    as_of: object,
    within_days: int = 90,
    customer: str = "customer_id",
    sent: str = "sent_date",
    csat: str = "csat",
    date: str = "order_date",
    transaction_type: str = "transaction_type",
    status: str = "status",
    exclude_types: Iterable[str] = EXCLUDED_TYPES,
    exclude_statuses: Iterable[str] = EXCLUDED_STATUSES,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Share of customers who buy again within ``within_days`` after a survey, by their CSAT answer.

    Concept D2 [002]: the curve is steep, since even a slight fall in satisfaction cuts loyalty.
    For every answered survey, the customer *repurchased* if they placed a purchase (not
    cancelled, not a C2B trade-in by default) on one of the ``within_days`` days after ``sent_date``.
    Surveys whose window is not over by ``as_of`` are left out, so that recent answers do not look
    like non-repurchases.

    Parameters
    ----------
    surveys
        One row per survey invitation (custkit.schema.SURVEYS); unanswered ones are ignored.
    orders
        One row per order.
    as_of
        Observation end (a date).
    within_days
        Length of the repurchase window in days (> 0).
    confidence
        Level of the Wilson score interval on each rate (scipy.stats.binomtest).

    Returns
    -------
    DataFrame
        One row per CSAT level 1-5: ``csat``, ``surveys``, ``repurchased``, ``repurchase_rate``,
        ``ci_low`` and ``ci_high`` (NaN for a level nobody chose).
    """
    days = require_positive(within_days, "within_days")
    level = require_positive(confidence, "confidence")
    if level >= 1:
        raise CustkitError(f"confidence must lie in (0, 1), got {confidence!r}.")
    answers = _answers(surveys, customer, sent, csat)
    buys, end = purchases(
        orders, as_of=as_of, customer=customer, date=date, transaction_type=transaction_type,
        status=status, exclude_types=exclude_types, exclude_statuses=exclude_statuses,
    )
    window = pd.Timedelta(days=days)
    answers = answers[answers["sent"] + window <= end]
    if answers.empty:
        raise CustkitError(
            f"no answered survey was sent at least {days:g} days before as_of ({end.date()}); "
            f"use a later as_of or a shorter within_days."
        )
    days_of = buys.assign(day=buys["date"].dt.normalize())[["customer", "day"]].drop_duplicates()
    pairs = answers.merge(days_of, on="customer", how="inner")
    hit = pairs[(pairs["day"] > pairs["sent"]) & (pairs["day"] <= pairs["sent"] + window)]
    answers = answers.assign(repurchased=answers["row"].isin(hit["row"]))
    rows = []
    for score in range(1, 6):
        picked = answers.loc[answers["csat"] == score, "repurchased"]
        n, k = len(picked), int(picked.sum())
        if n:
            ci = binomtest(k, n).proportion_ci(confidence_level=level, method="wilson")
            rows.append((score, n, k, k / n, ci.low, ci.high))
        else:
            rows.append((score, 0, 0, np.nan, np.nan, np.nan))
    return pd.DataFrame(rows, columns=["csat", "surveys", "repurchased", "repurchase_rate", "ci_low", "ci_high"])


def _bin_labels(
    bins: Sequence[float], defaults: Sequence[float], labels: list[str], given: Sequence[str] | None = None
) -> list[str] | None:
    """The labels of the bins: ``given`` (one per bin), the default labels, or None (pandas' intervals)."""
    if given is not None:
        names = [str(x) for x in given]
        if len(names) != len(bins) - 1 or len(set(names)) != len(names) or NO_TICKET in names:
            raise CustkitError(
                f"labels must name each of the {len(bins) - 1} bins once (not {NO_TICKET!r}), got {list(given)!r}."
            )
        return names
    return labels if tuple(bins) == tuple(defaults) else None


def _check_bins(bins: Sequence[float], name: str) -> np.ndarray:
    edges = np.asarray(bins, dtype=float)
    if edges.ndim != 1 or edges.size < 2 or np.isnan(edges).any() or (np.diff(edges) <= 0).any():
        raise CustkitError(f"{name} must be at least two increasing numbers (bin edges), got {bins!r}.")
    return edges


def csat_by_lateness(
    surveys: pd.DataFrame,
    orders: pd.DataFrame,
    *,
    bins: Sequence[float] = LATENESS_BINS,
    labels: Sequence[str] | None = None,
    order: str = "order_id",
    csat: str = "csat",
    sent: str = "sent_date",
    customer: str = "customer_id",
    promised: str = "promised_date",
    delivered: str = "delivered_date",
) -> pd.DataFrame:
    """Mean CSAT of the surveyed orders by how many days late they were delivered (concept D3).

    Days late = ``delivered_date`` - ``promised_date`` in whole days (0 or less is on time).
    Orders without a delivery date (cancelled) are left out.

    Parameters
    ----------
    bins
        Right-closed bin edges in days late; the default gives on time, 1-2, 3-6 and 7+ days late.
        Custom edges are labelled with pandas' interval notation unless ``labels`` names them;
        answers outside them are left out (use -inf and inf as the outer edges to keep all).
    labels
        One name per bin, such as ``["on time", "1-2 days late", "3+ days late"]`` for
        ``bins=[-inf, 0, 2, inf]``: pooling small groups keeps every row on enough answers.

    Returns
    -------
    DataFrame
        One row per bin (an ordered categorical ``lateness``): ``surveys`` (answers),
        ``mean_csat``, ``csat_sem`` (standard error) and ``share_satisfied`` (CSAT 4 or 5).
    """
    edges = _check_bins(bins, "bins")
    answers = _answers(surveys, customer, sent, csat)
    require_table(surveys, [order], "surveys")
    require_table(orders, [order, promised, delivered], "orders")
    promised_day = require_datetime(orders, promised, "orders").dt.normalize()
    delivered_day = require_datetime(orders, delivered, "orders").dt.normalize()
    late = pd.Series(((delivered_day - promised_day) / ONE_DAY).to_numpy(), index=orders[order].to_numpy())
    late = late[~late.index.duplicated()]
    answers["days_late"] = late.reindex(surveys[order].to_numpy()[answers["row"]]).to_numpy()
    answers = answers.dropna(subset=["days_late"])
    if answers.empty:
        raise CustkitError("no answered survey matches a delivered order; check that surveys and orders "
                           "come from the same shop.")
    labels = _bin_labels(bins, LATENESS_BINS, _LATENESS_LABELS, labels)
    answers["lateness"] = pd.cut(answers["days_late"], edges, labels=labels, right=True)
    levels = list(answers["lateness"].cat.categories.astype(str))
    answers["lateness"] = answers["lateness"].astype(str)
    return _csat_summary(answers, "lateness", levels)


def csat_by_response_time(
    surveys: pd.DataFrame,
    tickets: pd.DataFrame,
    *,
    window_days: int = 30,
    bins: Sequence[float] = RESPONSE_BINS,
    labels: Sequence[str] | None = None,
    how: str = "max",
    customer: str = "customer_id",
    sent: str = "sent_date",
    csat: str = "csat",
    created: str = "created",
    hours: str = "first_response_hours",
) -> pd.DataFrame:
    """Mean CSAT by how fast support answered the customer around the purchase (concept D3).

    A survey is linked to the tickets the same customer opened in the ``window_days`` days before
    it was sent (up to and including the sent day), both advice before the purchase and support
    after it. Their first-response hours are summarised by ``how`` (default ``"max"``: the longest
    wait, the one a customer remembers) and binned; surveys with no ticket in the window form
    their own group, ``"no ticket"``, listed first.

    Parameters
    ----------
    window_days
        How many days before the survey a ticket may have been opened (> 0).
    bins
        Right-closed bin edges in hours (the first bin includes its lower edge); the default gives
        within 1 h, 1-4 h, 4-24 h, 1-3 days and over 3 days.
    labels
        One name per bin for custom ``bins`` (``["within a day", "over a day"]`` for
        ``[0, 24, inf]``); without it custom bins get pandas' interval notation.
    how
        ``"max"``, ``"mean"`` or ``"min"`` over a survey's tickets.

    Returns
    -------
    DataFrame
        One row per group (an ordered categorical ``response_time``): ``surveys``, ``mean_csat``,
        ``csat_sem`` and ``share_satisfied`` (CSAT 4 or 5).
    """
    days = require_positive(window_days, "window_days")
    require_choice(how, "how", ["max", "mean", "min"])
    edges = _check_bins(bins, "bins")
    if edges[0] > 0 or edges[-1] != np.inf:
        raise CustkitError(f"bins must start at 0 or below and end with inf so that every wait has a bin, got {bins!r}.")
    answers = _answers(surveys, customer, sent, csat)
    require_table(tickets, [customer, created, hours], "tickets")
    require_numeric(tickets, hours, "tickets")
    opened = require_datetime(tickets, created, "tickets").dt.normalize()
    waits = pd.DataFrame({"customer": tickets[customer].to_numpy(), "opened": opened.to_numpy(),
                          "hours": tickets[hours].to_numpy(dtype=float, na_value=np.nan)}).dropna()
    if (waits["hours"] < 0).any():
        raise SchemaError(f"tickets[{hours!r}] has negative hours; a first response cannot come before the ticket.")
    pairs = answers[["row", "customer", "sent"]].merge(waits, on="customer", how="inner")
    pairs = pairs[(pairs["opened"] <= pairs["sent"]) & (pairs["opened"] > pairs["sent"] - pd.Timedelta(days=days))]
    wait = pairs.groupby("row")["hours"].agg(how)
    answers["hours"] = wait.reindex(answers["row"]).to_numpy()
    labels = _bin_labels(bins, RESPONSE_BINS, _RESPONSE_LABELS, labels)
    binned = pd.cut(answers["hours"], edges, labels=labels, right=True, include_lowest=True)
    order = [NO_TICKET] + list(binned.cat.categories.astype(str))
    answers["response_time"] = binned.astype(str).where(answers["hours"].notna(), NO_TICKET)
    return _csat_summary(answers, "response_time", order)
