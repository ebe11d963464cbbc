"""The kit's copy of the published sBG data: Table 1 of Fader and Hardie (2007), periods 0-7."""

from custkit.reference_data import fader_hardie_2007_sbg

# Fader, P. S. and Hardie, B. G. S. (2007), "How to Project Customer Retention", Journal of
# Interactive Marketing 21(1), 76-90, Table 1: customers still active, out of 1,000 acquired.
PUBLISHED_REGULAR = [1000, 631, 468, 382, 326, 289, 262, 241]
PUBLISHED_HIGH_END = [1000, 869, 743, 653, 593, 551, 517, 491]


def test_shipped_copy_has_the_published_counts():
    df = fader_hardie_2007_sbg()
    assert df.columns.tolist() == ["period", "regular_alive", "high_end_alive"]
    assert df["period"].tolist() == list(range(8))
    assert df["regular_alive"].tolist() == PUBLISHED_REGULAR
    assert df["high_end_alive"].tolist() == PUBLISHED_HIGH_END
    assert (df[["regular_alive", "high_end_alive"]].diff().dropna() <= 0).all().all()
