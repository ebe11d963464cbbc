"""Input checks shared by every public function.

Each check raises :class:`~custkit.errors.CustkitError` (or a subclass) with a message that names
the table, the column or argument, what was found and what to do. None of them modifies its input.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from numbers import Real

import numpy as np
import pandas as pd

from custkit.errors import CustkitError, SchemaError


# Dates before this year in a shop's log are not Gregorian dates of a real shop: Jalali (Persian
# calendar) years are 1300-1410, and numbers read as dates land in 1970.
EARLIEST_YEAR = 1900


def require_frame(df: object, name: str = "data") -> pd.DataFrame:
    """Return ``df`` if it is a non-empty DataFrame with unique column labels, else raise a SchemaError."""
    if not isinstance(df, pd.DataFrame):
        hint = " (a single column: pass the whole table, or series.to_frame())" if isinstance(df, pd.Series) else ""
        raise SchemaError(
            f"{name} must be a pandas DataFrame, got {type(df).__name__}{hint}; "
            f"pass a table such as shop.orders or pd.read_csv(...)."
        )
    if df.empty:
        raise SchemaError(f"{name} is empty (0 rows); pass a table with at least one row.")
    if not df.columns.is_unique:
        twice = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise SchemaError(
            f"{name} has duplicated column labels {twice}; give every column its own name "
            f"(e.g. df.loc[:, ~df.columns.duplicated()] keeps the first of each)."
        )
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
    """Raise a SchemaError unless ``df[column]`` holds finite numbers (booleans excluded; missing allowed)."""
    s = df[column]
    if not pd.api.types.is_numeric_dtype(s) or pd.api.types.is_bool_dtype(s):
        raise SchemaError(
            f"{name}[{column!r}] must hold numbers, found dtype {s.dtype}; "
            f"convert it with pd.to_numeric(...)."
        )
    if pd.api.types.is_float_dtype(s):
        infinite = int(np.isinf(s.to_numpy(dtype=float, na_value=np.nan)).sum())
        if infinite:
            raise SchemaError(
                f"{name}[{column!r}] holds {infinite} infinite value(s); replace them with real "
                f"amounts or drop those rows (df[{column!r}].replace([np.inf, -np.inf], np.nan))."
            )


def require_datetime(df: pd.DataFrame, column: str, name: str = "data") -> pd.Series:
    """Return ``df[column]`` as time-zone-free datetimes, or raise a SchemaError naming the problem.

    Strings in ISO format are accepted and converted (the input frame is left as it is). Refused,
    each with the conversion to use: numbers (Unix seconds, Excel serials and yyyymmdd integers
    would all be read as nanoseconds after 1970), time-zone-aware dates (the kit counts days on the
    shop's own clock, without a zone) and years before 1900 (Jalali dates read as Gregorian).
    """
    s = df[column]
    where = f"{name}[{column!r}]"
    numbers_as_objects = s.dtype == object and pd.api.types.infer_dtype(s, skipna=True) in (
        "integer", "floating", "mixed-integer-float", "decimal", "boolean")
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s) or numbers_as_objects:
        raise SchemaError(
            f"{where} holds numbers ({s.dtype}), not dates. Convert it first: Unix seconds with "
            f"pd.to_datetime(df[{column!r}], unit='s'), Excel serial days with "
            f"pd.to_datetime(df[{column!r}], unit='D', origin='1899-12-30'), numbers like 20241231 with "
            f"pd.to_datetime(df[{column!r}].astype(str), format='%Y%m%d')."
        )
    if not pd.api.types.is_datetime64_any_dtype(s):
        try:
            with warnings.catch_warnings():
                # pandas warns "Could not infer format" before failing; our error says it better.
                warnings.simplefilter("ignore", UserWarning)
                try:
                    # ISO first: it also reads date-only and date-time strings mixed in one column.
                    s = pd.to_datetime(s, errors="raise", format="ISO8601")
                except (ValueError, TypeError):
                    s = pd.to_datetime(s, errors="raise")
        except (ValueError, TypeError, OverflowError) as exc:
            raise SchemaError(
                f"{where} must hold dates (datetime64 or ISO strings like 2024-01-31); "
                f"could not read it: {exc}. Convert it with pd.to_datetime(...)."
            ) from None
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        raise SchemaError(
            f"{where} is time-zone aware ({s.dt.tz}); the kit counts days on the shop's own clock, "
            f"without a zone. Convert it first: df[{column!r}] = df[{column!r}].dt.tz_convert("
            f"'Asia/Tehran').dt.tz_localize(None), with your shop's zone."
        )
    earliest = s.min()
    if pd.notna(earliest) and earliest.year < EARLIEST_YEAR:
        raise SchemaError(
            f"{where} has dates in the year {earliest.year}, before {EARLIEST_YEAR}: if these are "
            f"Jalali (Persian calendar) dates, convert them to Gregorian first, e.g. with "
            f"jdatetime.date(y, m, d).togregorian(); otherwise fix the typos."
        )
    return s


def require_positive(value: object, name: str, *, allow_zero: bool = False) -> float:
    """Return ``value`` as a float if it is a finite positive real number (or zero when allowed)."""
    if isinstance(value, bool) or not isinstance(value, Real):
        raise CustkitError(f"{name} must be a number, got {value!r} ({type(value).__name__}).")
    ok = value >= 0 if allow_zero else value > 0
    if not ok or not math.isfinite(value):  # NaN fails both comparisons
        bound = ">= 0" if allow_zero else "> 0"
        raise CustkitError(f"{name} must be a finite number {bound}, got {value!r}.")
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


def require_names(value: object, name: str) -> list[str]:
    """Return ``value`` as a list of names (a list, tuple or set of strings); a lone string is refused.

    A lone string would be split into its letters (``exclude_types='C2B'`` excluding 'C', '2' and
    'B'), so the error shows the list to write instead.
    """
    if isinstance(value, str):
        raise CustkitError(f"{name} must be a list of names, got the string {value!r}; write [{value!r}].")
    if value is None or isinstance(value, (pd.DataFrame, dict)) or not isinstance(value, Iterable):
        raise CustkitError(f"{name} must be a list of names such as ['C2B'], got {type(value).__name__}.")
    names = list(value)
    bad = [v for v in names if not isinstance(v, str)]
    if bad:
        raise CustkitError(f"{name} must hold names (text), got {bad[:3]!r}.")
    return names


def require_ids(df: pd.DataFrame, column: str, name: str = "data", *, unique: bool = False) -> None:
    """Raise a SchemaError if ``df[column]`` has missing ids (or, when ``unique``, repeated ones)."""
    ids = df[column]
    if ids.isna().any():
        raise SchemaError(
            f"{name}[{column!r}] has {int(ids.isna().sum())} missing id(s); drop those rows or fill them."
        )
    if unique and not ids.is_unique:
        twice = ids[ids.duplicated()].unique()[:5].tolist()
        raise SchemaError(
            f"{name} must have one row per {column}, but ids {twice} appear more than once; "
            f"drop the duplicates (df.drop_duplicates({column!r})) or aggregate them first."
        )


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
    if isinstance(value, (bool, Real, np.bool_)):
        raise CustkitError(
            f"{name} must be a date such as '2024-12-31', got the number {value!r} (a number would "
            f"be read as nanoseconds after 1970); pass it as text or a Timestamp."
        )
    try:
        ts = pd.Timestamp(value)
    except (ValueError, TypeError):
        raise CustkitError(f"{name} must be a date such as '2024-12-31', got {value!r}.") from None
    if pd.isna(ts):
        raise CustkitError(f"{name} must be a date such as '2024-12-31', got a missing value ({value!r}).")
    if ts.year < EARLIEST_YEAR:
        raise CustkitError(
            f"{name} is {value!r}, before {EARLIEST_YEAR}: if it is a Jalali (Persian calendar) date, "
            f"pass its Gregorian day instead (jdatetime.date(y, m, d).togregorian())."
        )
    # A time-zone-aware day is that calendar day on its own clock.
    return ts.tz_localize(None).normalize() if ts.tzinfo is not None else ts.normalize()
