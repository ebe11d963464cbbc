"""Every retention plot returns a labelled Axes, draws its data, and leaves the input as it was."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from custkit.errors import CustkitError  # noqa: E402
from custkit.plots import retention as rp  # noqa: E402
from custkit.retention import (  # noqa: E402
    cohort_table,
    customer_equity,
    loyalty_quadrants,
)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def orders() -> pd.DataFrame:
    rows = [(1, "2024-01-05", 10.0), (1, "2024-02-10", 20.0), (2, "2024-01-20", 5.0), (3, "2024-02-03", 7.0),
            (3, "2024-03-15", 3.0), (4, "2024-03-01", 50.0)]
    df = pd.DataFrame(rows, columns=["customer_id", "order_date", "shop_revenue"])
    df["order_date"] = pd.to_datetime(df["order_date"])
    return df


def labelled(ax) -> bool:
    return bool(ax.get_title()) and bool(ax.get_xlabel()) and bool(ax.get_ylabel())


def test_cohort_heatmap_and_curves():
    t = cohort_table(orders(), as_of="2024-03-31")
    before = t.copy()
    ax = rp.plot_cohort_heatmap(t)
    assert labelled(ax)
    # Jan cohort {1, 2}: 100%, 50%, 0%; Feb {3}: 100%, 100%; Mar {4}: 100%; unobserved cells blank
    texts = [x.get_text() for x in ax.texts]
    assert sorted(texts) == sorted(["100%", "50%", "0%", "100%", "100%", "100%"])
    ax = rp.plot_cohort_heatmap(t, value="revenue", currency="USD")
    assert "USD" in ax.figure.axes[-1].get_ylabel()  # colour bar label
    ax = rp.plot_retention_curves(t, min_cohorts=1)
    assert labelled(ax)
    # pooled line: period 1 = (1 of 2 in Jan cohort + 1 of 1 in Feb) / 3; period 2 = 0 of 2
    pooled = ax.get_lines()[-1]
    np.testing.assert_allclose(pooled.get_ydata(), [1.0, 2 / 3, 0.0])
    pd.testing.assert_frame_equal(t, before)


def test_satisfaction_plots():
    rep = pd.DataFrame({"csat": [1, 2, 3, 4, 5], "surveys": [10] * 5, "repurchased": [1, 2, 3, 5, 8],
                        "repurchase_rate": [0.1, 0.2, 0.3, 0.5, 0.8], "ci_low": [0.0, 0.1, 0.2, 0.3, 0.6],
                        "ci_high": [0.3, 0.4, 0.5, 0.7, 0.9]})
    ax = rp.plot_repurchase_by_csat(rep)
    assert labelled(ax)
    late = pd.DataFrame({"lateness": ["on time", "1-2 days late"], "surveys": [3, 2], "mean_csat": [4.5, 3.0],
                         "csat_sem": [0.2, 0.4], "share_satisfied": [1.0, 0.5]})
    ax = rp.plot_csat_by_lateness(late)
    assert labelled(ax) and [p.get_height() for p in ax.patches] == [4.5, 3.0]
    resp = late.rename(columns={"lateness": "response_time"})
    assert labelled(rp.plot_csat_by_response_time(resp))


def test_quadrant_cac_and_equity_plots():
    q = loyalty_quadrants(orders(), as_of="2024-03-31")
    ax = rp.plot_loyalty_quadrants(q, currency="toman")
    assert labelled(ax) and "toman" in ax.get_ylabel()
    cac = pd.DataFrame({"channel": ["ads", "email", "referral"], "paid": [True, True, False],
                        "cac": [120.0, 50.0, 0.0], "payback_months": [3.0, float("inf"), 0.0]})
    ax = rp.plot_acquisition_cost(cac, currency="USD")
    assert labelled(ax) and [t.get_text() for t in ax.texts] == ["3.0 mo", "never", "organic"]
    eq = customer_equity([100, 200], new_customers_per_period=10, new_customer_clv=50, discount=0.1, horizon=2)
    ax = rp.plot_customer_equity(eq, currency="USD")
    assert labelled(ax) and "USD" in ax.get_ylabel()
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), eq["cumulative"])


def test_plots_use_a_given_axes():
    _, given = plt.subplots()
    t = cohort_table(orders(), as_of="2024-03-31")
    assert rp.plot_retention_curves(t, ax=given) is given
    # by default the pooled line stops where fewer than 3 cohorts remain: only period 0 here
    assert len(given.get_lines()[-1].get_xdata()) == 1


@pytest.mark.parametrize(
    "call",
    [
        lambda: rp.plot_cohort_heatmap(pd.DataFrame({"x": [1]})),
        lambda: rp.plot_retention_curves(pd.DataFrame({"x": [1]})),
        lambda: rp.plot_repurchase_by_csat(pd.DataFrame({"csat": [1]})),
        lambda: rp.plot_csat_by_lateness(pd.DataFrame({"mean_csat": [1]})),
        lambda: rp.plot_csat_by_response_time(pd.DataFrame({"mean_csat": [1]})),
        lambda: rp.plot_loyalty_quadrants(pd.DataFrame({"profit": [1]})),
        lambda: rp.plot_acquisition_cost(pd.DataFrame({"cac": [1]})),
        lambda: rp.plot_customer_equity(pd.DataFrame({"value": [1]})),
    ],
)
def test_bad_input(call):
    with pytest.raises(CustkitError, match="lacks column"):
        call()
