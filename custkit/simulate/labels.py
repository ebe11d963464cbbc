"""Text columns from integer codes, the way the simulator builds every label column."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa


def labels(codes: np.ndarray, words, valid: np.ndarray | None = None) -> pd.Series:
    """A ``str`` column of ``words[codes]`` (missing where not ``valid``).

    Built as an Arrow dictionary array and cast once: going through Python objects costs seconds
    on millions of events (pandas' own ``Categorical`` would then have to be converted back).
    """
    if not isinstance(words, pa.Array):
        words = pa.array(list(words), type=pa.large_string())
    mask = None if valid is None else ~np.asarray(valid, bool)
    index = pa.array(np.asarray(codes, np.int32), mask=mask)
    return pd.Series(pa.DictionaryArray.from_arrays(index, words).cast(pa.large_string()), dtype="str")
