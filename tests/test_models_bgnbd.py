"""BG/NBD and Pareto/NBD: Fader, Hardie and Lee (2005) on CDNOW, hand-computed values, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from custkit.errors import CustkitError
from custkit.retention.models import BetaGeoNBD, ParetoNBD


@pytest.fixture(scope="module")
def bgnbd(cdnow_summary) -> BetaGeoNBD:
    return BetaGeoNBD().fit(cdnow_summary)


@pytest.mark.slow
def test_bgnbd_reproduces_cdnow(bgnbd):
    # Fader, Hardie and Lee (2005), Marketing Science 24(2), section 4
    published = {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426}
    assert bgnbd.params_.index.tolist() == list(published)
    for name, value in published.items():
        assert bgnbd.params_[name] == pytest.approx(value, abs=1e-3), name
    assert bgnbd.log_likelihood_ == pytest.approx(-9582.43, abs=0.01)
    assert bgnbd.n_ == 2357


@pytest.mark.slow
def test_bgnbd_fit_is_the_same_on_grouped_rows(cdnow_summary, bgnbd):
    grouped = cdnow_summary.groupby(["frequency", "recency", "T"]).size().rename("n").reset_index()
    again = BetaGeoNBD().fit(grouped, weights=grouped["n"])
    np.testing.assert_allclose(again.params_, bgnbd.params_, rtol=1e-4)
    assert again.log_likelihood_ == pytest.approx(bgnbd.log_likelihood_, abs=1e-6)
    # the log-likelihood of each customer adds up to the maximum
    assert bgnbd.log_likelihood(cdnow_summary).sum() == pytest.approx(bgnbd.log_likelihood_, abs=1e-6)


@pytest.mark.slow
def test_pareto_nbd_reproduces_cdnow(cdnow_summary):
    # Fader, Hardie and Lee (2005), Table 1 / the reference README: log-likelihood about -9595.0
    model = ParetoNBD().fit(cdnow_summary)
    published = {"r": 0.553, "alpha": 10.578, "s": 0.606, "beta": 11.669}
    for name, value in published.items():
        assert model.params_[name] == pytest.approx(value, abs=1e-3), name
    assert model.log_likelihood_ == pytest.approx(-9595.0, abs=0.05)
    p_alive = model.probability_alive([0, 2, 2], [0.0, 30.43, 5.0], 38.86)
    assert np.all((p_alive > 0) & (p_alive < 1))
    assert p_alive[1] > p_alive[2]  # same frequency, a more recent purchase: more likely alive


def test_probability_alive_is_one_without_repeat_purchase():
    model = BetaGeoNBD().set_params(r=0.5, alpha=3.0, a=0.8, b=2.0)
    np.testing.assert_array_equal(model.probability_alive(0, 0.0, [1.0, 10.0, 100.0]), [1.0, 1.0, 1.0])


def test_probability_alive_by_hand():
    # r = 1, alpha = 1, a = 1, b = 2; x = 1, t_x = 1, T = 3:
    # odds = a / (b + x - 1) * ((alpha + T) / (alpha + t_x))^(r + x) = 1/2 * (4/2)^2 = 2 -> P = 1/3
    model = BetaGeoNBD().set_params(r=1.0, alpha=1.0, a=1.0, b=2.0)
    assert model.probability_alive(1, 1.0, 3.0) == pytest.approx(1 / 3)


def test_likelihood_by_hand():
    # FHL (2005) eq. 6, r = alpha = a = 1, b = 2.
    # x = 0, T = 1: L = B(1, 2)/B(1, 2) * Gamma(1) 1^1 / (Gamma(1) 2^1) = 1/2
    # x = 1, t_x = 1, T = 3: Gamma(2) = 1,
    #   B(1, 3)/B(1, 2) = (1/3)/(1/2) = 2/3, times 1 / 4^2 = 1/24;
    #   B(2, 2)/B(1, 2) = (1/6)/(1/2) = 1/3, times 1 / 2^2 = 1/12;  L = 1/24 + 1/12 = 1/8
    model = BetaGeoNBD().set_params(r=1.0, alpha=1.0, a=1.0, b=2.0)
    data = pd.DataFrame({"frequency": [0, 1], "recency": [0.0, 1.0], "T": [1.0, 3.0]})
    np.testing.assert_allclose(np.exp(model.log_likelihood(data)), [1 / 2, 1 / 8])


def test_expected_purchases_and_distribution_agree():
    model = BetaGeoNBD().set_params(r=0.243, alpha=4.414, a=0.793, b=2.426)
    t = 39.0
    n = np.arange(0, 400)
    probs = model.probability_of_purchases(t, n)
    assert probs.sum() == pytest.approx(1.0, abs=1e-6)
    assert np.dot(n, probs) == pytest.approx(float(model.expected_purchases(t)), rel=1e-5)
    # P(X(t) = 0) by hand from eq. 8: B(a, b)/B(a, b) (alpha / (alpha + t))^r
    assert probs[0] == pytest.approx((4.414 / 43.414) ** 0.243)
    # a new customer's history (x = 0, T = 0) gives the unconditional expectation
    assert model.conditional_expected_purchases(t, 0, 0.0, 0.0) == pytest.approx(model.expected_purchases(t))


def test_conditional_expectation_by_hand():
    # eq. 10 with r = alpha = 1, a = b = 2; history x = 0, t_x = 0, T = 1; t = 1:
    # head = (2 + 2 - 1)/(2 - 1) = 3; 2F1(1, 2; 3; z) with z = t/(alpha + T + t) = 1/3:
    #   2F1(1, 2; 3; z) = -2 (z + ln(1 - z)) / z^2 = -2 (1/3 + ln(2/3)) / (1/9) = 1.29837...
    # body = 1 - (2/3)^1 * 1.29837 = 0.13442; P(alive) = 1 for x = 0 -> 3 * 0.13442 = 0.40326
    model = BetaGeoNBD().set_params(r=1.0, alpha=1.0, a=2.0, b=2.0)
    z = 1 / 3
    f = -2 * (z + np.log(1 - z)) / z**2
    assert model.conditional_expected_purchases(1.0, 0, 0.0, 1.0) == pytest.approx(3 * (1 - 2 / 3 * f))


def test_fit_recovers_simulated_parameters():
    # seeded BG/NBD process: Poisson buying at gamma(r, alpha) rates, dropping out after each
    # purchase with beta(a, b) probability; 39 time units of calibration for everyone.
    rng = np.random.default_rng(11)
    r, alpha, a, b, n, horizon = 0.5, 5.0, 0.8, 2.5, 20_000, 39.0
    lam = rng.gamma(r, 1 / alpha, n)
    p = rng.beta(a, b, n)
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    active = np.ones(n, dtype=bool)
    while active.any():
        t[active] += rng.exponential(1 / lam[active])
        bought = active & (t <= horizon)
        x[bought] += 1
        tx[bought] = t[bought]
        active = bought & (rng.random(n) >= p)
    data = pd.DataFrame({"frequency": x, "recency": tx, "T": horizon})
    model = BetaGeoNBD().fit(data)
    np.testing.assert_allclose(model.params_, [r, alpha, a, b], rtol=0.15)


def test_fit_bad_input(cdnow_summary):
    with pytest.raises(CustkitError, match="lacks column"):
        BetaGeoNBD().fit(cdnow_summary.drop(columns="T"))
    with pytest.raises(CustkitError, match="whole numbers"):
        BetaGeoNBD().fit(cdnow_summary.assign(frequency=0.5))
    with pytest.raises(CustkitError, match="exceeds"):
        BetaGeoNBD().fit(cdnow_summary.assign(recency=cdnow_summary["T"] + 1))
    with pytest.raises(CustkitError, match=">= 0"):
        BetaGeoNBD().fit(cdnow_summary.assign(T=-1.0))
    with pytest.raises(CustkitError, match="no repeat purchase"):
        BetaGeoNBD().fit(cdnow_summary.assign(frequency=0, recency=0.0))
    with pytest.raises(CustkitError, match="weights"):
        BetaGeoNBD().fit(cdnow_summary, weights=[1, 2])
    with pytest.raises(CustkitError, match="empty"):
        ParetoNBD().fit(cdnow_summary.iloc[:0])
    with pytest.raises(CustkitError, match="not fitted"):
        BetaGeoNBD().probability_alive(1, 1.0, 2.0)
    with pytest.raises(CustkitError, match="not fitted"):
        ParetoNBD().probability_alive(1, 1.0, 2.0)
    model = BetaGeoNBD().set_params(r=1.0, alpha=1.0, a=2.0, b=2.0)
    with pytest.raises(CustkitError, match="must be >= 0"):
        model.expected_purchases(-1.0)
    with pytest.raises(CustkitError, match="with 'frequency' = 0"):
        model.probability_alive(0, 2.0, 3.0)


def test_plots_of_the_bgnbd(cdnow_summary, bgnbd):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from custkit.plots.models import probability_alive_curves, repeat_purchase_histogram

    ax = repeat_purchase_histogram(cdnow_summary, bgnbd, max_purchases=7)
    heights = np.array([patch.get_height() for patch in ax.patches if patch.get_width() > 0])
    actual, expected = heights[:8], heights[8:16]
    assert actual[0] == 1411 and actual.sum() == 2357  # bars 0..6 and 7+
    assert expected.sum() == pytest.approx(2357)
    assert abs(expected[0] - 1411) < 30  # the model fits the zero class closely
    assert "customers" in ax.get_ylabel()
    histories = pd.DataFrame({"frequency": [0, 3], "recency": [0.0, 20.0], "who": ["new", "regular"]})
    ax2 = probability_alive_curves(histories, bgnbd, label="who", horizon=30)
    first, second = ax2.get_lines()
    np.testing.assert_array_equal(first.get_ydata(), 1.0)  # BG/NBD: no repeat purchase, alive
    assert np.all(np.diff(second.get_ydata()) < 0)  # fades while no purchase comes
    assert second.get_xdata()[0] == 20.0 and second.get_xdata()[-1] == 50.0
    with pytest.raises(CustkitError, match="lacks column"):
        repeat_purchase_histogram(cdnow_summary.drop(columns="T"), bgnbd)
    with pytest.raises(CustkitError, match="max_purchases"):
        repeat_purchase_histogram(cdnow_summary, bgnbd, max_purchases=0)
    with pytest.raises(CustkitError, match="horizon"):
        probability_alive_curves(histories, bgnbd, horizon=-1)
    plt.close("all")


def test_pareto_nbd_against_numerical_integration():
    # Schmittlein et al. (1987): given lambda and mu, a history (x, t_x, T) has likelihood
    #   lambda^x e^{-(lambda + mu) T}                               (still alive at T)
    # + lambda^x mu / (lambda + mu) [e^{-(lambda + mu) t_x} - e^{-(lambda + mu) T}]  (died in (t_x, T])
    # mixed over lambda ~ gamma(r, alpha), mu ~ gamma(s, beta). Integrate that numerically with
    # generalised Gauss-Laguerre quadrature (u^(r-1) e^(-u) weights), independently of the closed
    # form with the hypergeometric function.
    from scipy.special import gamma as gamma_fn
    from scipy.special import roots_genlaguerre

    # both branches of the closed form: alpha < beta, then alpha > beta
    for r, alpha, s, beta in [(0.8, 2.0, 1.5, 3.0), (1.3, 6.0, 0.7, 2.5)]:
        model = ParetoNBD().set_params(r=r, alpha=alpha, s=s, beta=beta)
        u, wu = roots_genlaguerre(120, r - 1)
        v, wv = roots_genlaguerre(120, s - 1)
        lam, mu = np.meshgrid(u / alpha, v / beta, indexing="ij")
        weight = np.outer(wu, wv) / (gamma_fn(r) * gamma_fn(s))
        for x, tx, big_t in [(2, 1.0, 3.0), (0, 0.0, 2.0), (5, 4.0, 4.5)]:
            rate = lam + mu
            alive = lam**x * np.exp(-rate * big_t)
            dead = lam**x * mu / rate * (np.exp(-rate * tx) - np.exp(-rate * big_t))
            total = np.sum(weight * (alive + dead))
            data = pd.DataFrame({"frequency": [x], "recency": [tx], "T": [big_t]})
            assert model.log_likelihood(data)[0] == pytest.approx(np.log(total), abs=1e-6)
            p_alive = np.sum(weight * alive) / total
            assert model.probability_alive(x, tx, big_t) == pytest.approx(p_alive, rel=1e-6)
    model = ParetoNBD().set_params(r=0.8, alpha=2.0, s=1.5, beta=3.0)
    # E[X(t)] of a new customer: r beta / (alpha (s - 1)) [1 - (beta / (beta + t))^(s - 1)]
    # = 0.8 * 3 / (2 * 0.5) * (1 - (3/4)^0.5) = 2.4 * 0.133975 = 0.321539 (t = 1)
    expected = 2.4 * (1 - np.sqrt(0.75))
    assert model.conditional_expected_purchases(1.0, 0, 0.0, 0.0) == pytest.approx(expected)


# Six customers, the toy log of notebook 06: weekly frequency, recency and T.
SIX = pd.DataFrame({"frequency": [3, 2, 2, 1, 0, 0], "recency": [36.57, 47.43, 38.86, 25.71, 0.0, 0.0],
                    "T": [51.0, 49.43, 43.43, 37.71, 26.29, 21.43]})


def test_a_fit_that_runs_to_the_edge_is_refused_not_returned():
    # The likelihood of six histories keeps rising as r -> infinity (no heterogeneity) and a -> 0 (no
    # dropout); an optimiser stops anywhere on that ridge, so the kit refuses instead of answering.
    with pytest.raises(CustkitError, match=r"cannot pin down the BG/NBD model.*\(6 customers here\)"):
        BetaGeoNBD().fit(SIX)
    with pytest.raises(CustkitError, match="cannot pin down the Pareto/NBD model"):
        ParetoNBD().fit(SIX)


def test_the_same_histories_repeated_a_hundred_times_still_cannot_identify_it():
    # more copies of the same six people add no heterogeneity to estimate: still refused
    with pytest.raises(CustkitError, match="cannot pin down"):
        BetaGeoNBD().fit(SIX, weights=np.full(6, 100.0))


def _by_integral(model: BetaGeoNBD, t: float, x: int, tx: float, big_t: float) -> float:
    """E[Y(t) | x, t_x, T] by one-dimensional quadrature, independent of the closed form.

    Alive at T, a customer's rate is gamma(r + x, alpha + T) and her dropout chance beta(a, b + x);
    given both, E[purchases in t] = (1 - exp(-lambda p t)) / p. Averaging over lambda in closed form
    leaves an integral over p; P(alive) multiplies it.
    """
    from scipy import integrate, stats

    r, alpha, a, b = model.params_[["r", "alpha", "a", "b"]]
    scale = alpha + big_t
    f = lambda p: (1 - (scale / (scale + p * t)) ** (r + x)) / p * stats.beta.pdf(p, a, b + x)  # noqa: E731
    alive = float(model.probability_alive(x, tx, big_t))
    return integrate.quad(f, 0, 1, limit=200, epsabs=0, epsrel=1e-11)[0] * alive


@pytest.mark.parametrize("a", [0.793, 0.9999, 1.0, 1.00005, 1.3, 3.0])
@pytest.mark.parametrize("t, x, tx, big_t", [
    (1000, 300, 39, 39), (1000, 1100, 1000, 1000), (520, 300, 39, 39), (52, 2, 30.43, 38.86), (52, 0, 0, 38.86),
])
def test_conditional_expectation_is_finite_and_matches_an_integral(a, t, x, tx, big_t):
    # heavy buyers over long horizons gave NaN with eq. 10 as printed; a = 1 divided by zero
    model = BetaGeoNBD().set_params(r=0.243, alpha=4.414, a=a, b=2.426)
    got = float(model.conditional_expected_purchases(t, x, tx, big_t))
    assert np.isfinite(got)
    assert got == pytest.approx(_by_integral(model, t, x, tx, big_t), rel=2e-7)


def test_expected_purchases_at_a_equal_one_and_at_zero_time():
    model = BetaGeoNBD().set_params(r=0.5, alpha=5.0, a=1.0, b=2.0)
    values = model.expected_purchases([0.0, 10.0])
    assert values[0] == 0.0
    assert values[1] == pytest.approx(_by_integral(model, 10.0, 0, 0.0, 0.0), rel=2e-7)


@pytest.mark.parametrize("data, hint", [
    (pd.DataFrame({"frequency": [3], "recency": [20.0], "T": [30.0]}), "a single customer"),
    (pd.DataFrame({"frequency": [1, 2, 3, 4] * 50, "recency": [30.0] * 200, "T": [30.0] * 200}),
     "last purchase is at T"),
])
def test_degenerate_histories_are_refused_with_what_is_degenerate(data, hint):
    for model in (BetaGeoNBD(), ParetoNBD()):
        with pytest.raises(CustkitError, match=f"cannot pin down.*In this data: .*{hint}"):
            model.fit(data)
