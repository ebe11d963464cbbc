"""Small published data sets that ship with the kit, for reproducing published results.

- :func:`fader_hardie_2007_sbg`: customers still active per period, out of 1,000 acquired, for the
  "Regular" and "High End" segments of Fader, P. S. and Hardie, B. G. S. (2007), "How to Project
  Customer Retention", Journal of Interactive Marketing 21(1), 76-90, Table 1 (periods 0-7, the
  calibration data of their worked example).
"""

from __future__ import annotations

from importlib import resources

import pandas as pd


def fader_hardie_2007_sbg() -> pd.DataFrame:
    """Customers alive at the start of periods 0-7: columns period, regular_alive, high_end_alive."""
    with resources.files("custkit.data").joinpath("fader_hardie_2007_sbg.csv").open("rb") as fh:
        return pd.read_csv(fh, dtype="int64")
