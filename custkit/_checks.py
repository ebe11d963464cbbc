"""Input checks shared by every public function.

Each check raises :class:`~custkit.errors.CustkitError` (or a subclass) with a message that names
the table, the column or argument, what was found and what to do. None of them modifies its input.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from numbers import Real

import pandas as pd

from custkit.errors import CustkitError, SchemaError


def require_frame(df: object, name: str = "data") -> pd.DataFrame:
    """Return ``df`` if it is a non-empty DataFrame, else raise a SchemaError naming ``name``."""
    if not isinstance(df, pd.DataFrame):
        raise SchemaError(
            f"{name} must be a pandas DataFrame, got {type(df).__name__}; "
            f"pass a table such as shop.orders or pd.read_csv(...)."
        )
    if df.empty:
        raise SchemaError(f"{name} is empty (0 rows); pass a table with at least one row.")
    return df


def require_columns(df: pd.DataFrame, columns: Iterable[str], name: str = "data") -> None:
    """Raise a SchemaError listing every column of ``columns`` that ``df`` lacks."""
    columns = list(columns)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        have = ", ".join(map(str, df.columns[:12])) + (" ..." if len(df.columns) > 12 else "")
        raise SchemaError(
            f"{name} lacks column(s) {missing}; it has: {have}. "
            f"Rename your columns or pass the column names as arguments."
        )


def require_numeric(df: pd.DataFrame, column: str, name: str = "data") -> None:
    """Raise a SchemaError unless ``df[column]`` holds numbers (booleans excluded)."""
    s = df[column]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise SchemaError(
            f"{name}[{column!r}] must hold numbers, found dtype {s.dtype}; "
            f"convert it with pd.to_numeric(...)."
        )


def require_datetime(df: pd.DataFrame, column: str, name: str = "data") -> pd.Series:
    """Return ``df[column]`` as datetimes, or raise a SchemaError naming the bad values.

    Strings in ISO format are accepted and converted (the input frame is left as it is).
    """
    s = df[column]
    if pd.api.types.is_datetime64_any_dtype(s):
        return s
    try:
        with warnings.catch_warnings():
            # pandas warns "Could not infer format" before failing; our error says it better.
            warnings.simplefilter("ignore", UserWarning)
            try:
                # ISO first: it also reads date-only and date-time strings mixed in one column.
                return pd.to_datetime(s, errors="raise", format="ISO8601")
            except (ValueError, TypeError):
                return pd.to_datetime(s, errors="raise")
    except (ValueError, TypeError) as exc:
        raise SchemaError(
            f"{name}[{column!r}] must hold dates (datetime64 or ISO strings like 2024-01-31); "
            f"could not read it: {exc}. Convert it with pd.to_datetime(...)."
        ) from None


def require_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a positive real number (or zero when allowed)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise CustkitError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    ok = value >= 0 if allow_zero else value > 0
    if not ok or value != value:  # NaN fails both comparisons
        bound = ">= 0" if allow_zero else "> 0"
        raise CustkitError(f"{name} must be {bound}, got {value!r}.")
    return float(value)


def require_in_range(
    value: object, name: str, low: float, high: float, *, low_open: bool = False, high_open: bool = False
) -> float:
    """Return ``value`` as a float if it lies in the interval, else raise naming the interval."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise CustkitError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    v = float(value)
    lo_ok = v > low if low_open else v >= low
    hi_ok = v < high if high_open else v <= high
    if not (lo_ok and hi_ok):
        interval = f"{'(' if low_open else '['}{low}, {high}{')' if high_open else ']'}"
        raise CustkitError(f"{name} must lie in {interval}, got {value!r}.")
    return v


def require_choice(value: object, name: str, choices: Iterable[object]) -> object:
    """Return ``value`` if it is one of ``choices``, else raise listing them."""
    choices = list(choices)
    if value not in choices:
        raise CustkitError(f"{name} must be one of {choices}, got {value!r}.")
    return value


def require_day(value: object, name: str = "as_of") -> pd.Timestamp:
    """Return ``value`` as a calendar day (a midnight, time-zone-free Timestamp).

    Every analysis reads its ``as_of`` (and other dates) through this one function, so that a
    missing or unreadable date gets the same clear message everywhere.
    """
    if value is None:
        raise CustkitError(f"{name} is required: pass a day such as {name}='2024-12-31'.")
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise CustkitError(f"{name} must be a date such as '2024-12-31', got {value!r}.") from None
    if pd.isna(ts):
        raise CustkitError(f"{name} must be a date such as '2024-12-31', got a missing value ({value!r}).")
    return ts.tz_localize(None).normalize() if ts.tzinfo is not None else ts.normalize()
