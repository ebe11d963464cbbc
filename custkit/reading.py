"""Numbers at the precision a reader needs (and that any CPU prints alike).

A model fitted by an optimiser stops within its tolerance, about one part in 10**8 from the exact
optimum, and where it stops depends on last-bit rounding, which differs between processors. A
printed total of 577,764.465 on one machine is 577,764.471 on another. Printed at the precision a
decision needs, both read the same: three significant figures for large amounts, whole units for
hundreds, three decimals for rates, probabilities and small amounts, and integers as they are.
"""

from __future__ import annotations

import math
import numbers

import pandas as pd

from custkit.errors import CustkitError

SIGNIFICANT = 3
DECIMALS = 3


def readable(value: object) -> str:
    """One number as text for a reader: ``577767.009 -> '578,000'``, ``167.914 -> '168'``,
    ``0.3624 -> '0.362'``, ``3275.0 -> '3,275'`` (a whole number is printed exactly).

    Missing values print as ``'-'``; anything that is not a number raises a CustkitError.
    """
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise CustkitError(f"readable() formats numbers; got {type(value).__name__} {value!r}.")
    x = float(value)
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == round(x):
        return f"{int(x):,}"
    if abs(x) >= 10 ** SIGNIFICANT:
        digits = int(math.floor(math.log10(abs(x)))) + 1 - SIGNIFICANT
        return f"{round(x, -digits):,.0f}"
    if abs(x) >= 100:
        return f"{x:,.0f}"
    return f"{x:.{DECIMALS}f}"


def readable_table(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with every numeric cell as :func:`readable` text (a copy; the input is untouched)."""
    if not isinstance(frame, pd.DataFrame):
        raise CustkitError(f"readable_table() takes a pandas DataFrame; got {type(frame).__name__}.")
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_numeric_dtype(out[column]) and not pd.api.types.is_bool_dtype(out[column]):
            out[column] = out[column].map(readable)
    return out
