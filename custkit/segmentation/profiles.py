"""Segment profiles: size, value and satisfaction of each segment, whatever made the segments."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from custkit._checks import require_columns, require_frame, require_numeric


def segment_profile(
    data: pd.DataFrame,
    *,
    segment: str = "segment",
    revenue: str = "monetary",
    clv: str | None = None,
    csat: str | None = None,
    means: Sequence[str] = (),
) -> pd.DataFrame:
    """One row per segment: how big it is, what share of revenue it brings, what it is worth.

    [004]: aim the marketing spend at the most profitable groups and value a customer's lifetime,
    not one purchase; so give ``clv`` (a lifetime value column) when you have one. Works on RFM
    segments, k-means clusters or demographic groups alike (one row per customer in ``data``).

    Returns
    -------
    DataFrame
        ``segment``, ``customers``, ``customer_share``, ``revenue``, ``revenue_share``,
        ``revenue_per_customer``, then ``mean_clv``, ``mean_csat`` (when given; missing values
        ignored) and ``mean_<col>`` for each of ``means``; largest revenue first.
    """
    require_frame(data)
    extra = [c for c in (clv, csat) if c] + list(means)
    require_columns(data, [segment, revenue] + extra)
    for col in [revenue] + extra:
        require_numeric(data, col)
    g = data.groupby(segment, dropna=False)
    out = pd.DataFrame({"customers": g.size(), "revenue": g[revenue].sum().astype(float)})
    out["customer_share"] = out["customers"] / out["customers"].sum()
    total = out["revenue"].sum()
    out["revenue_share"] = out["revenue"] / total if total else np.nan
    out["revenue_per_customer"] = out["revenue"] / out["customers"]
    named = [("mean_clv", clv), ("mean_csat", csat)] + [(f"mean_{c}", c) for c in means]
    for name, col in named:
        if col:
            out[name] = g[col].mean().astype(float)
    out = out[["customers", "customer_share", "revenue", "revenue_share", "revenue_per_customer"]
              + [n for n, c in named if c]]
    out["customers"] = out["customers"].astype("int64")
    return out.rename_axis(segment).reset_index().sort_values(
        "revenue", ascending=False, kind="stable", ignore_index=True
    )
