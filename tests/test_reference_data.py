"""The kit's copy of the published sBG data is the one in ../shared/reference (when present)."""

from pathlib import Path

import pandas as pd
import pytest

from custkit.reference_data import fader_hardie_2007_sbg

SHARED = Path(__file__).resolve().parents[2] / "shared" / "reference" / "fader_hardie_2007_sbg.csv"


def test_shipped_copy_has_the_published_counts():
    df = fader_hardie_2007_sbg()
    assert df["period"].tolist() == list(range(8))
    # Table 1 of Fader & Hardie (2007): 1,000 acquired, 631 / 869 left after period 1, 241 / 491 after 7.
    assert df.loc[0, ["regular_alive", "high_end_alive"]].tolist() == [1000, 1000]
    assert df.loc[1, ["regular_alive", "high_end_alive"]].tolist() == [631, 869]
    assert df.loc[7, ["regular_alive", "high_end_alive"]].tolist() == [241, 491]
    assert (df[["regular_alive", "high_end_alive"]].diff().dropna() <= 0).all().all()


def test_shipped_copy_matches_the_shared_reference():
    if not SHARED.exists():
        pytest.skip("../shared/reference is not beside this clone (it is only on the developers' and CI machines)")
    pd.testing.assert_frame_equal(fader_hardie_2007_sbg(), pd.read_csv(SHARED))
