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
