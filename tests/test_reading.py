"""Numbers for readers: the precision rules of custkit.reading on hand-made values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.reading import readable, readable_table


@pytest.mark.parametrize("value, text", [
    (577767.009, "578,000"), (577764.465, "578,000"), (6370.648, "6,370"), (1234.5, "1,230"),
    (167.914, "168"), (466.397, "466"), (0.36249, "0.362"), (-0.0004, "-0.000"), (12.3456, "12.346"),
    (3275.0, "3,275"), (4679, "4,679"), (np.int64(7), "7"), (np.float64(0.5), "0.500"),
    (float("nan"), "-"), (None, "-"), (float("inf"), "inf"),
])
def test_readable_by_hand(value, text):
    assert readable(value) == text


def test_two_last_bit_neighbours_of_an_optimiser_read_the_same():
    # the CLV total of notebook 04 on an AVX-512 and on an AVX2 machine (issue: CPU-dependent output)
    assert readable(577764.465) == readable(577764.471)


def test_readable_rejects_text_and_booleans():
    with pytest.raises(CustkitError, match="formats numbers"):
        readable("12")
    with pytest.raises(CustkitError, match="formats numbers"):
        readable(True)


def test_readable_table_formats_numbers_only_and_leaves_the_input():
    frame = pd.DataFrame({"name": ["a", "b"], "total": [577767.009, 12.0], "flag": [True, False]})
    before = frame.copy()
    out = readable_table(frame)
    assert out["total"].tolist() == ["578,000", "12"]
    assert out["name"].tolist() == ["a", "b"] and out["flag"].tolist() == [True, False]
    pd.testing.assert_frame_equal(frame, before)
    with pytest.raises(CustkitError, match="DataFrame"):
        readable_table([1, 2])
