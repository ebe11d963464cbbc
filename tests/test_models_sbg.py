"""Shifted-beta-geometric: Fader and Hardie (2007) reproduced, hand-computed values, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.reference_data import fader_hardie_2007_sbg
from custkit.retention.models import ShiftedBetaGeometric

# Published by Fader and Hardie (2007), "How to Project Customer Retention" (fit on periods 1-7 and the
# projected survival for periods 8-12); DERL from Fader and Hardie (2010).
PUBLISHED = {
    "regular_alive": {"alpha": 0.704, "beta": 1.182, "ll": -1680.27, "survival": [22.0, 20.4, 19.1, 18.0, 17.0]},
    "high_end_alive": {"alpha": 0.668, "beta": 3.806, "ll": -1611.16, "survival": [46.0, 43.6, 41.4, 39.5, 37.8]},
}


@pytest.fixture(scope="module")
def counts() -> pd.DataFrame:
    return fader_hardie_2007_sbg()


@pytest.mark.parametrize("segment", list(PUBLISHED))
def test_reproduces_fader_hardie_2007(counts, segment):
    ref = PUBLISHED[segment]
    model = ShiftedBetaGeometric().fit(counts[segment])
    assert model.params_.index.tolist() == ["alpha", "beta"]
    assert model.params_["alpha"] == pytest.approx(ref["alpha"], abs=5e-4)
    assert model.params_["beta"] == pytest.approx(ref["beta"], abs=5e-4)
    assert model.log_likelihood_ == pytest.approx(ref["ll"], abs=0.01)
    projected = 100 * model.survival([8, 9, 10, 11, 12])
    np.testing.assert_allclose(projected, ref["survival"], atol=0.05)


def test_regular_alpha_is_not_the_miscopied_value(counts):
    # the reference warns that a widely copied notebook has alpha = 0.688 for Regular
    model = ShiftedBetaGeometric().fit(counts["regular_alive"])
    assert abs(model.params_["alpha"] - 0.688) > 0.01


def test_derl_high_end(counts):
    # High End, d = 0.10, a customer at the end of period 7 (7 renewals): 7.530
    model = ShiftedBetaGeometric().fit(counts["high_end_alive"])
    assert model.derl(0.10, renewals=7) == pytest.approx(7.530, abs=5e-4)


def test_survival_and_retention_by_hand():
    # alpha = 1, beta = 2: S(t) = B(1, 2 + t) / B(1, 2) = (1 / (2 + t)) / (1 / 2) = 2 / (2 + t)
    #   S(0) = 1, S(1) = 2/3, S(2) = 1/2, S(3) = 2/5
    # P(T = t) = S(t - 1) - S(t): P(T = 1) = 1/3, P(T = 2) = 1/6
    # r(t) = (beta + t - 1) / (alpha + beta + t - 1): r(1) = 2/3, r(2) = 3/4
    model = ShiftedBetaGeometric().set_params(alpha=1.0, beta=2.0)
    np.testing.assert_allclose(model.survival([0, 1, 2, 3]), [1, 2 / 3, 1 / 2, 2 / 5])
    np.testing.assert_allclose(model.churn_probability([1, 2]), [1 / 3, 1 / 6])
    np.testing.assert_allclose(model.retention_rate([1, 2]), [2 / 3, 3 / 4])
    table = model.project(3, cohort_size=300)
    np.testing.assert_allclose(table["expected_alive"], [300, 200, 150, 120])
    assert np.isnan(table["retention_rate"].iloc[0])


def test_discounted_expected_lifetime_by_hand():
    # alpha = 1, beta = 2, d = 1: DEL = sum_{t>=0} S(t) / 2^t = sum_{t>=0} 2 / ((2 + t) 2^t)
    #   with k = t + 2: sum_{k>=2} 8 (1/2)^k / k = 8 (ln 2 - 1/2) = 1.54518...
    #   (first terms: 1 + 1/3 + 1/8 + 1/20 + ... )
    model = ShiftedBetaGeometric().set_params(alpha=1.0, beta=2.0)
    assert model.discounted_expected_lifetime(1.0) == pytest.approx(8 * (np.log(2) - 0.5), rel=1e-10)
    # DERL after 0 renewals (n = 1) = sum_{t>=1} S(t) / S(0) / 2^(t - 1): the next payment, if she
    #   renews, is not discounted = 2 (DEL - 1) = 2 (8 (ln 2 - 1/2) - 1) = 1.09035...
    assert model.derl(1.0, renewals=0) == pytest.approx(2 * (8 * (np.log(2) - 0.5) - 1), rel=1e-10)


def test_fit_recovers_simulated_parameters():
    rng = np.random.default_rng(7)
    theta = rng.beta(0.8, 2.5, size=200_000)
    lifetime = rng.geometric(theta)  # periods until churn, >= 1
    alive = [int(np.sum(lifetime > t)) for t in range(10)]
    model = ShiftedBetaGeometric().fit(alive)
    assert model.params_["alpha"] == pytest.approx(0.8, rel=0.05)
    assert model.params_["beta"] == pytest.approx(2.5, rel=0.05)


@pytest.mark.parametrize(
    "alive, match",
    [
        ([1000], "at least two counts"),
        ([1000, 1100], "never increase"),
        ([0, 0], "never increase"),
        ([100, 50.5], "never increase"),
        ([100, -1], ">= 0"),
        (["a", "b"], "must be a number"),
    ],
)
def test_fit_bad_input(alive, match):
    with pytest.raises(CustkitError, match=match):
        ShiftedBetaGeometric().fit(alive)


def test_bad_arguments_after_fit():
    model = ShiftedBetaGeometric()
    with pytest.raises(CustkitError, match="not fitted"):
        model.survival(3)
    model.set_params(alpha=1.0, beta=2.0)
    with pytest.raises(CustkitError, match="whole periods"):
        model.survival(1.5)
    with pytest.raises(CustkitError, match="whole periods >= 1"):
        model.retention_rate(0)
    with pytest.raises(CustkitError, match="discount"):
        model.derl(0.0, renewals=1)
    with pytest.raises(CustkitError, match="renewals"):
        model.derl(0.1, renewals=-1)
    with pytest.raises(CustkitError, match="periods"):
        model.project(0, cohort_size=10)
    with pytest.raises(CustkitError, match="cohort_size"):
        model.project(3)
    with pytest.raises(CustkitError, match="needs exactly"):
        model.set_params(alpha=1.0)


def test_survival_plot(counts):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from custkit.plots.models import sbg_survival

    model = ShiftedBetaGeometric().fit(counts["high_end_alive"])
    data = counts.rename(columns={"high_end_alive": "alive"})
    ax = sbg_survival(data, model, calibration_periods=7, periods=12)
    actual, projected = ax.get_lines()[:2]
    np.testing.assert_allclose(actual.get_ydata(), data["alive"] / 1000)
    np.testing.assert_allclose(projected.get_ydata()[8:], model.survival(range(8, 13)))
    assert ax.get_xlabel() == "years since acquisition"  # Fader and Hardie's periods are years
    assert sbg_survival(data, model, unit="quarters").get_xlabel() == "quarters since acquisition"
    with pytest.raises(CustkitError, match="start at 'period' = 0"):
        sbg_survival(data.iloc[1:], model)
    with pytest.raises(CustkitError, match="lacks column"):
        sbg_survival(counts, model)
    plt.close("all")
