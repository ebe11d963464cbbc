"""RFM: recency, frequency and monetary value, scored in quintiles and named (concept E4).

RFM ranks buyers on three behaviours that predict the next purchase: how recently they bought
(R), how often (F) and how much (M). Scores are quintiles, 5 the best. The named segments use the
widely used R x F grid (R score first, F score second; M is reported but not used for the name):

=====================  =====================================================================
segment                R/F cells
=====================  =====================================================================
``champions``          R5 F4-5
``loyal``              R3-4 F4-5
``potential_loyalists`` R4-5 F2-3
``new``                R5 F1
``promising``          R4 F1
``need_attention``     R3 F3
``about_to_sleep``     R3 F1-2
``at_risk``            R1-2 F3-4
``cant_lose``          R1-2 F5
``hibernating``        R1 F2, R2 F1-2
``lost``               R1 F1
=====================  =====================================================================

The grid is the one spread by the open-source RFM notebooks (a regex map from "RF" codes to ten
names); we split its ``hibernating`` cell R1 F1 off as ``lost``, to name the eleventh segment.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_frame, require_numeric, require_positive
from custkit.definitions import as_of_cutoff, purchases_until
from custkit.errors import CustkitError, SchemaError

RFM_SEGMENTS: tuple[str, ...] = (
    "champions",
    "loyal",
    "potential_loyalists",
    "new",
    "promising",
    "need_attention",
    "about_to_sleep",
    "at_risk",
    "cant_lose",
    "hibernating",
    "lost",
)
"""The eleven named segments, from the best to the worst relationship."""


def _grid() -> dict[tuple[int, int], str]:
    rules = [
        ("champions", [5], [4, 5]),
        ("loyal", [3, 4], [4, 5]),
        ("potential_loyalists", [4, 5], [2, 3]),
        ("new", [5], [1]),
        ("promising", [4], [1]),
        ("need_attention", [3], [3]),
        ("about_to_sleep", [3], [1, 2]),
        ("at_risk", [1, 2], [3, 4]),
        ("cant_lose", [1, 2], [5]),
        ("hibernating", [1, 2], [1, 2]),
    ]
    grid = {(r, f): name for name, rs, fs in rules for r in rs for f in fs}
    grid[(1, 1)] = "lost"
    return grid


RF_GRID: dict[tuple[int, int], str] = _grid()
"""(R score, F score) -> segment name; covers all 25 cells (see the module notes)."""

FREQUENCY_BINS: tuple[int, ...] = (1, 2, 3, 4, 6)
"""Fewest purchases for F = 1 ... 5 when frequency quintiles tie: 1, 2, 3, 4-5, 6 or more.

In most shops over half the buyers bought once, so the 20 % and 40 % quintiles of frequency are
both 1 and equal-size quintiles would have to give identical customers different scores. Fixed
bins give every customer with the same number of purchases the same score; these edges are our
choice (they follow the counts' long tail), not a published standard.
"""


def rfm_table(
    orders: pd.DataFrame,
    as_of: object,
    *,
    customer: str = "customer_id",
    date: str = "order_date",
    value: str = "shop_revenue",
    monetary: str = "sum",
) -> pd.DataFrame:
    """Recency, frequency and monetary value of every buyer on ``as_of``.

    Only purchases by ``as_of`` count (:func:`custkit.definitions.purchases_until`), so customers
    who never bought are not in the table (RFM describes buyers).

    Parameters
    ----------
    value
        Money column per order (default ``shop_revenue``; ``net`` for what the customer paid).
    monetary
        ``"sum"`` (total spend, the usual choice) or ``"mean"`` (spend per order).

    Returns
    -------
    DataFrame
        ``customer_id``, ``recency_days`` (whole days from the last purchase day to ``as_of``),
        ``frequency`` (purchases), ``monetary``, sorted by customer.
    """
    if monetary not in ("sum", "mean"):
        raise CustkitError(f"monetary must be 'sum' or 'mean', got {monetary!r}.")
    require_frame(orders, "orders")
    require_columns(orders, [value], "orders")
    require_numeric(orders, value, "orders")
    bought = purchases_until(orders, as_of, customer=customer, date=date)
    if bought.empty:
        raise CustkitError(f"no purchase on or before {as_of}; choose a later as_of.")
    g = bought.groupby(customer)
    last_day = as_of_cutoff(as_of) - pd.Timedelta(days=1)
    out = pd.DataFrame(
        {
            "recency_days": (last_day - g[date].max().dt.normalize()).dt.days.astype("int64"),
            "frequency": g.size().astype("int64"),
            "monetary": g[value].agg(monetary).astype(float),
        }
    )
    return out.rename_axis(customer).reset_index()


def rfm_scores(
    rfm: pd.DataFrame,
    *,
    q: int = 5,
    customer: str = "customer_id",
    recency: str = "recency_days",
    frequency: str = "frequency",
    monetary: str = "monetary",
    frequency_bins: tuple[int, ...] | None = FREQUENCY_BINS,
) -> pd.DataFrame:
    """Scores R, F and M (1 = worst, ``q`` = best) for the rows of :func:`rfm_table`.

    R and M are quantiles: each measure is ranked with ``rank(method="first")`` before
    ``pd.qcut`` into ``q`` groups of equal size (recency in reverse: the most recent buyers get
    R = ``q``). Recency in days and money rarely tie, and ranking first splits the few ties
    deterministically (rows are sorted by ``customer`` first; lower ids get the lower rank).

    F is a quantile too when the quantile edges of ``frequency`` are distinct. When they tie (most
    buyers bought once, so several edges are 1), F uses the fixed bins ``frequency_bins`` (lower
    edges of F = 1 ... ``q``; default :data:`FREQUENCY_BINS`: 1, 2, 3, 4-5, 6+), so that two
    customers with the same number of purchases always get the same F; the groups are then of
    unequal size. ``frequency_bins=None`` keeps equal-size groups by ranking first, splitting tied
    customers between neighbouring scores by their id.

    Returns
    -------
    DataFrame
        A copy of ``rfm`` sorted by customer, with ``R``, ``F``, ``M`` (int) and ``rfm_code``
        (e.g. ``"545"``).
    """
    require_frame(rfm, "rfm")
    require_columns(rfm, [customer, recency, frequency, monetary], "rfm")
    for col in (recency, frequency, monetary):
        require_numeric(rfm, col, "rfm")
        if rfm[col].isna().any():
            raise SchemaError(f"rfm[{col!r}] has missing values; fill or drop them first.")
    q = int(require_positive(q, "q"))
    if q < 2 or len(rfm) < q:
        raise CustkitError(f"need q >= 2 and at least q rows to form {q} groups; got q={q}, {len(rfm)} rows.")
    bins = None if frequency_bins is None else _check_bins(frequency_bins, q)
    out = rfm.sort_values(customer, kind="stable").reset_index(drop=True)
    labels = list(range(1, q + 1))

    def score(s: pd.Series) -> np.ndarray:
        return pd.qcut(s.rank(method="first"), q, labels=labels).astype("int64").to_numpy()

    out["R"] = score(-out[recency])
    edges = out[frequency].quantile(np.linspace(0, 1, q + 1)[1:-1]).to_numpy()
    if bins is not None and len(np.unique(edges)) < len(edges):
        out["F"] = np.searchsorted(np.asarray(bins), out[frequency].to_numpy(), side="right").clip(1, q).astype("int64")
    else:
        out["F"] = score(out[frequency])
    out["M"] = score(out[monetary])
    out["rfm_code"] = (out["R"].astype(str) + out["F"].astype(str) + out["M"].astype(str)).astype("str")
    return out


def _check_bins(bins: object, q: int) -> tuple[int, ...]:
    try:
        edges = tuple(int(b) for b in bins)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise CustkitError(f"frequency_bins must be whole numbers of purchases, got {bins!r}.") from None
    if len(edges) != q or any(b >= c for b, c in zip(edges, edges[1:])) or edges[0] > 1:
        raise CustkitError(
            f"frequency_bins must give the fewest purchases for each of the {q} F scores, rising and "
            f"starting at 1 or below (the default for q=5 is {FREQUENCY_BINS}); got {bins!r}. "
            "Pass frequency_bins=None for equal-size groups."
        )
    return edges


def rfm_segments(scores: pd.DataFrame, *, r: str = "R", f: str = "F") -> pd.DataFrame:
    """Name each customer's segment from their R and F quintile scores (grid in the module notes).

    Returns
    -------
    DataFrame
        A copy of ``scores`` with ``segment`` (str, one of :data:`RFM_SEGMENTS`).
    """
    require_frame(scores, "scores")
    require_columns(scores, [r, f], "scores")
    pairs = list(zip(scores[r].tolist(), scores[f].tolist()))
    bad = [p for p in pairs if p not in RF_GRID]
    if bad:
        raise SchemaError(
            f"scores[{r!r}], scores[{f!r}] must be quintile scores 1-5 (rfm_scores with q=5); found {bad[:3]}."
        )
    return scores.assign(segment=pd.array([RF_GRID[p] for p in pairs], dtype="str"))
