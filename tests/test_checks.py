"""The shared input checks: each bad input gets a CustkitError naming the problem, inputs untouched."""

import numpy as np
import pandas as pd
import pytest

from custkit import CustkitError
from custkit._checks import (
    require_choice,
    require_columns,
    require_datetime,
    require_frame,
    require_in_range,
    require_numeric,
    require_positive,
)
from custkit.errors import SchemaError


def test_require_frame_rejects_non_frames_and_empty_tables():
    with pytest.raises(SchemaError, match="orders must be a pandas DataFrame, got list"):
        require_frame([1, 2], "orders")
    with pytest.raises(SchemaError, match="orders is empty"):
        require_frame(pd.DataFrame({"a": []}), "orders")
    df = pd.DataFrame({"a": [1]})
    assert require_frame(df) is df


def test_require_columns_lists_every_missing_column():
    df = pd.DataFrame({"customer_id": [1], "net": [2.0]})
    with pytest.raises(SchemaError, match=r"\['order_date', 'status'\]"):
        require_columns(df, ["customer_id", "order_date", "status"], "orders")
    require_columns(df, ["net"])


def test_require_numeric_refuses_text_and_booleans():
    df = pd.DataFrame({"n": ["1", "2"], "b": [True, False], "x": [1.5, 2.0]})
    with pytest.raises(SchemaError, match=r"pd.to_numeric"):
        require_numeric(df, "n")
    with pytest.raises(SchemaError):
        require_numeric(df, "b")
    require_numeric(df, "x")


def test_require_datetime_converts_iso_strings_without_touching_the_input():
    df = pd.DataFrame({"d": ["2024-01-31", "2024-02-29"]})
    out = require_datetime(df, "d")
    assert out.iloc[1] == pd.Timestamp("2024-02-29")
    assert df["d"].dtype == object or str(df["d"].dtype) == "str"  # input left as text
    with pytest.raises(SchemaError, match=r"must hold dates"):
        require_datetime(pd.DataFrame({"d": ["yesterday"]}), "d")


@pytest.mark.parametrize("bad", [-1, 0, float("nan"), "3", True, None])
def test_require_positive_rejects(bad):
    with pytest.raises(CustkitError):
        require_positive(bad, "rate")


def test_require_positive_and_zero():
    assert require_positive(np.float64(2.5), "rate") == 2.5
    assert require_positive(0, "rate", allow_zero=True) == 0.0


def test_require_in_range_names_the_interval():
    with pytest.raises(CustkitError, match=r"retention must lie in \[0, 1\), got 1"):
        require_in_range(1, "retention", 0, 1, high_open=True)
    assert require_in_range(0.5, "retention", 0, 1) == 0.5


def test_require_choice():
    with pytest.raises(CustkitError, match=r"freq must be one of \['D', 'W'\], got 'M'"):
        require_choice("M", "freq", ["D", "W"])


def test_require_day_normalises_and_names_the_argument():
    from custkit._checks import require_day

    assert require_day("2024-03-05 17:45") == pd.Timestamp("2024-03-05")
    assert require_day(pd.Timestamp("2024-03-05 23:00", tz="Asia/Tehran")) == pd.Timestamp("2024-03-05")
    with pytest.raises(CustkitError, match="as_of is required"):
        require_day(None)
    with pytest.raises(CustkitError, match=r"start must be a date such as '2024-12-31', got 'soon'"):
        require_day("soon", "start")
    with pytest.raises(CustkitError, match="missing value"):
        require_day(pd.NaT)


# ----------------------------------------------------------------------------- real-world logs


def test_require_frame_refuses_series_and_duplicated_labels():
    with pytest.raises(SchemaError, match=r"got Series \(a single column"):
        require_frame(pd.Series([1, 2]), "orders")
    twice = pd.DataFrame([[1, 2, 3]], columns=["id", "net", "net"])
    with pytest.raises(SchemaError, match=r"duplicated column labels \['net'\]"):
        require_frame(twice, "orders")


@pytest.mark.parametrize("values, message", [
    (pd.Series([1_700_000_000, 1_700_086_400]), r"holds numbers .*unit='s'"),
    (pd.Series([45_000, 45_001]), r"Excel serial days"),
    (pd.Series([20241231, 20250101]), r"format='%Y%m%d'"),
    (pd.Series([1_700_000_000, None], dtype=object), r"holds numbers"),
    (pd.Series(pd.to_datetime(["2024-01-01 10:00"]).tz_localize("UTC")), r"time-zone aware \(UTC\).*tz_convert"),
    (pd.Series(["2024-01-01T10:00:00+03:30"]), r"time-zone aware"),
    (pd.Series(["1403-10-11", "1403-10-12"]), r"year 1403, before 1900: .*Jalali"),
])
def test_require_datetime_refuses_numbers_zones_and_jalali_dates(values, message):
    df = pd.DataFrame({"d": values})
    before = df.copy()
    with pytest.raises(SchemaError, match=message):
        require_datetime(df, "d", "orders")
    pd.testing.assert_frame_equal(df, before)


def test_require_numeric_refuses_infinity_and_allows_missing():
    require_numeric(pd.DataFrame({"x": [1.0, np.nan]}), "x")
    with pytest.raises(SchemaError, match=r"orders\['net'\] holds 1 infinite value"):
        require_numeric(pd.DataFrame({"net": [1.0, np.inf]}), "net", "orders")


@pytest.mark.parametrize("bad", [float("inf"), -float("inf")])
def test_require_positive_refuses_infinity(bad):
    with pytest.raises(CustkitError, match="finite"):
        require_positive(bad, "rate")


@pytest.mark.parametrize("bad, message", [
    (20251231, r"the number 20251231"), (45000.0, "the number"), (True, "the number"),
    ("1403-10-11", r"before 1900: if it is a Jalali"),
])
def test_require_day_refuses_numbers_and_jalali_days(bad, message):
    from custkit._checks import require_day

    with pytest.raises(CustkitError, match=message):
        require_day(bad)


def test_require_names_refuses_a_lone_string_and_non_text():
    from custkit._checks import require_names

    assert require_names(("C2B",), "exclude_types") == ["C2B"]
    with pytest.raises(CustkitError, match=r"got the string 'C2B'; write \['C2B'\]"):
        require_names("C2B", "exclude_types")
    with pytest.raises(CustkitError, match="must hold names"):
        require_names([1, 2], "exclude_types")
    with pytest.raises(CustkitError, match="list of names"):
        require_names(None, "exclude_types")


def test_require_ids_refuses_missing_and_repeated_ids():
    from custkit._checks import require_ids

    require_ids(pd.DataFrame({"customer_id": [1, 2]}), "customer_id", unique=True)
    with pytest.raises(SchemaError, match="1 missing id"):
        require_ids(pd.DataFrame({"customer_id": [1.0, np.nan]}), "customer_id", "customers")
    with pytest.raises(SchemaError, match=r"one row per customer_id, but ids \[2\]"):
        require_ids(pd.DataFrame({"customer_id": [1, 2, 2]}), "customer_id", "customers", unique=True)
