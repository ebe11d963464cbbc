"""Fixtures used by many test modules: the CDNOW sample, read from the installed lifetimes package."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest

@pytest.fixture(scope="session")
def cdnow_transactions() -> pd.DataFrame:
    """CDNOW sample (2,357 customers), read as a plain file from the installed lifetimes package.

    lifetimes' own loader needs pkg_resources, which recent setuptools dropped; the file is only
    data: master id, sample id, date yyyymmdd, number of CDs, dollar value.
    """
    spec = importlib.util.find_spec("lifetimes")
    assert spec is not None, "lifetimes (a test dependency) is not installed: pip install lifetimes==0.11.3"
    path = Path(spec.submodule_search_locations[0]) / "datasets" / "CDNOW_sample.txt"
    raw = pd.read_csv(
        path, sep=r"\s+", header=None, names=["master_id", "customer_id", "date", "cds", "net"],
        dtype={"date": "str"},
    )
    return raw.assign(order_date=pd.to_datetime(raw["date"], format="%Y%m%d")).drop(columns="date")


@pytest.fixture(scope="session")
def cdnow_summary(cdnow_transactions: pd.DataFrame) -> pd.DataFrame:
    """Calibration summary of Fader, Hardie and Lee (2005): 1997-01-01 .. 1997-09-30, in weeks."""
    from custkit.transactions import customer_summary

    return customer_summary(cdnow_transactions, as_of="1997-09-30", freq="W")
