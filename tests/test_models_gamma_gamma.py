"""Gamma-Gamma spend model: Fader, Hardie and Lee (2005, JMR) on CDNOW, hand-computed values, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention.models import GammaGamma


@pytest.mark.slow
def test_reproduces_cdnow(cdnow_summary):
    # 946 repeat buyers' mean repeat spend: p = 6.25, q = 3.74, v = 15.44 (2 decimals), LL -4055.92
    model = GammaGamma().fit(cdnow_summary)
    assert model.n_ == 946
    assert model.params_.index.tolist() == ["p", "q", "v"]
    for name, value in {"p": 6.25, "q": 3.74, "v": 15.44}.items():
        assert model.params_[name] == pytest.approx(value, abs=0.01), name
    assert model.log_likelihood_ == pytest.approx(-4055.92, abs=0.01)
    assert np.nansum(model.log_likelihood(cdnow_summary)) == pytest.approx(model.log_likelihood_, abs=1e-6)


def test_density_by_hand():
    # p = q = v = 1, x = 1, m = 1: f = Gamma(2)/(Gamma(1) Gamma(1)) * 1^1 * 1^0 * 1^1 / (1 + 1)^2 = 1/4
    # x = 2, m = 1: f = Gamma(3)/(Gamma(2) Gamma(1)) * 1 * 1^1 * 2^2 / (1 + 2)^3 = 2 * 4 / 27 = 8/27
    model = GammaGamma().set_params(p=1.0, q=1.0, v=1.0)
    data = pd.DataFrame({"frequency": [1, 2, 0], "monetary_value": [1.0, 1.0, 0.0]})
    ll = model.log_likelihood(data)
    np.testing.assert_allclose(np.exp(ll[:2]), [1 / 4, 8 / 27])
    assert np.isnan(ll[2])


def test_conditional_expected_spend_by_hand():
    # p = 2, q = 3, v = 10: population mean p v / (q - 1) = 10.
    # x = 2, m = 20: weight p x / (p x + q - 1) = 4 / 6 -> 10 * 2/6 + 20 * 4/6 = 16.667
    # x = 0: the population mean, 10.
    model = GammaGamma().set_params(p=2.0, q=3.0, v=10.0)
    np.testing.assert_allclose(
        model.conditional_expected_average_spend([2, 0], [20.0, 0.0]), [10 / 3 + 40 / 3, 10.0]
    )


def test_fit_recovers_simulated_parameters():
    rng = np.random.default_rng(3)
    p, q, v, n = 4.0, 3.0, 20.0, 5000
    nu = rng.gamma(q, 1 / v, n)
    x = rng.integers(1, 8, n)
    spends = [rng.gamma(p, 1 / nu[i], x[i]).mean() for i in range(n)]
    data = pd.DataFrame({"frequency": x, "monetary_value": spends})
    model = GammaGamma().fit(data)
    np.testing.assert_allclose(model.params_, [p, q, v], rtol=0.15)


def test_bad_input(cdnow_summary):
    with pytest.raises(CustkitError, match="lacks column"):
        GammaGamma().fit(cdnow_summary.drop(columns="monetary_value"))
    with pytest.raises(CustkitError, match="no customer with a repeat purchase"):
        GammaGamma().fit(cdnow_summary.assign(frequency=0))
    with pytest.raises(CustkitError, match="must be > 0 for customers with repeat purchases"):
        GammaGamma().fit(cdnow_summary.assign(monetary_value=0.0))
    with pytest.raises(CustkitError, match="not fitted"):
        GammaGamma().conditional_expected_average_spend(1, 10.0)
    with pytest.raises(CustkitError, match="no finite mean"):
        GammaGamma().set_params(p=1.0, q=0.5, v=1.0).conditional_expected_average_spend(1, 10.0)
    with pytest.raises(CustkitError, match="> 0"):
        GammaGamma().set_params(p=1.0, q=-2.0, v=1.0)


@pytest.mark.parametrize("spends, hint", [([25.0], "a single repeat buyer"), ([25.0] * 200, "the same mean spend")])
def test_identical_or_single_spends_are_refused_with_the_reason(spends, hint):
    data = pd.DataFrame({"frequency": ([1, 2, 3, 4] * 50)[: len(spends)], "monetary_value": spends})
    with pytest.raises(CustkitError, match=f"cannot pin down the Gamma-Gamma model.*{hint}"):
        GammaGamma().fit(data)
