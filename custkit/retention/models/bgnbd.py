"""BG/NBD model of repeat buying in a non-contractual setting (Fader, Hardie and Lee 2005)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, gammaln, hyp2f1, xlogy
from scipy.stats import nbinom

from custkit.errors import CustkitError
from custkit.retention.models._common import (
    ByCount,
    FittedModel,
    as_float_array,
    check_histories,
    check_recency_t,
    check_weights,
    group_identical,
    history_hint,
    maximise,
)


# Within this distance of a = 1 the closed forms are 0/0 (see _purchases_while_watched).
_A_NEAR_ONE = 1e-4


def _purchases_while_watched(t, x, scale, r, a, b) -> np.ndarray:
    """``(a + b + x - 1) / (a - 1) * [1 - (1 - z)^(r + x) 2F1(r + x, b + x; a + b + x - 1; z)]``.

    With ``z = t / (scale + t)``, ``scale = alpha + T``, this is FHL (2005) eq. 10 without its
    P(alive) factor (and eq. 9 for ``x = 0``, ``scale = alpha``). As printed it overflows: 2F1's
    parameters grow with ``x`` while ``(1 - z)^(r + x)`` underflows, and NaN comes back for heavy
    buyers over long horizons. Euler's transformation, ``2F1(p, q; c; z) = (1 - z)^(c - p - q)
    2F1(c - p, c - q; c; z)`` (Abramowitz and Stegun 15.3.3), turns the bracket into
    ``1 - (1 - z)^(a - 1) 2F1(a + b - 1 - r, a - 1; a + b + x - 1; z)``, whose parameters no longer
    grow with ``x`` but for ``c``, which only speeds the series up.

    At ``a = 1`` both factors are 0/0 while the product is smooth (analytic) in ``a``; within
    :data:`_A_NEAR_ONE` of 1 the value is interpolated linearly between ``a = 1 -/+ 2e-4`` (the
    error is below 1e-7 relative; ``tests/test_models_bgnbd.py`` checks it against an integral).
    """
    t, x = np.asarray(t, dtype=float), np.asarray(x, dtype=float)
    if abs(a - 1.0) < _A_NEAR_ONE:
        low, high = 1.0 - 2 * _A_NEAR_ONE, 1.0 + 2 * _A_NEAR_ONE
        w = (a - low) / (high - low)
        return (1 - w) * _purchases_while_watched(t, x, scale, r, low, b) + w * _purchases_while_watched(t, x, scale, r, high, b)
    z = t / (scale + t)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        bracket = 1.0 - (1.0 - z) ** (a - 1.0) * hyp2f1(a + b - 1.0 - r, a - 1.0, a + b + x - 1.0, z)
    return np.where(t > 0, (a + b + x - 1.0) / (a - 1.0) * bracket, 0.0)


class BetaGeoNBD(FittedModel):
    """Beta-geometric/NBD model: how often customers buy, and whether they are still "alive".

    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "'Counting Your Customers' the Easy Way:
    An Alternative to the Pareto/NBD Model", *Marketing Science* 24(2), 275-284.

    Nobody tells a shop that they stopped buying; the model infers it from each customer's
    history: ``frequency`` x (repeat purchases), ``recency`` t_x (time of the last one since the
    first) and ``T`` (time since the first purchase). Assumptions, in plain words:

    1. While alive, a customer buys at random with a steady rate ``lambda`` (a Poisson process).
    2. Rates differ across customers: ``lambda`` ~ gamma(shape ``r``, rate ``alpha``).
    3. Right after each purchase she may drop out for good, with probability ``p``.
    4. Drop-out chances differ: ``p`` ~ beta(``a``, ``b``).
    5. ``lambda`` and ``p`` are independent of each other.

    Implemented: the likelihood (their eq. 6), E[X(t)] (eq. 9), the conditional expectation
    E[Y(t) | x, t_x, T] (eq. 10), P(alive | x, t_x, T) (their appendix / eq. A.4 of the technical
    note) and P(X(t) = x) (eq. 8). Time is in the unit of the summary (days or weeks), and
    ``alpha`` is in that unit too.

    Attributes
    ----------
    params_ : Series
        ``r``, ``alpha``, ``a``, ``b``.
    log_likelihood_ : float
        Maximised log-likelihood (sum over customers).
    """

    _param_names = ("r", "alpha", "a", "b")

    def fit(
        self,
        data: pd.DataFrame,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        weights: object = None,
    ) -> BetaGeoNBD:
        """Fit by maximum likelihood on a customer summary (one row per customer).

        Parameters
        ----------
        data
            A customer summary, e.g. from :func:`custkit.transactions.customer_summary`.
        frequency, recency, T
            Column names.
        weights
            Optional number of customers each row stands for (rows of an already grouped table).

        Returns
        -------
        self
        """
        x, tx, big_t = check_histories(data, [frequency, recency, T], "data", integer=[frequency])
        check_recency_t(x, tx, big_t, [frequency, recency, T])
        w = check_weights(weights, len(x))
        (x, tx, big_t), counts = group_identical(x, tx, big_t, weights=w)
        if not np.any(x > 0):
            raise CustkitError("data has no repeat purchase at all: the BG/NBD model cannot be fitted.")

        by_x = ByCount(x)

        def loglik(params: np.ndarray) -> float:
            return float(np.sum(counts * self._loglik_rows(params, x, tx, big_t, by_x)))

        mean_rate = float(np.average(x / np.maximum(big_t, 1e-9), weights=counts))
        start = (1.0, 1.0 / max(mean_rate, 1e-3), 1.0, 1.0)
        self.params_, self.log_likelihood_ = maximise(loglik, start, self._param_names, shapes=("r", "a", "b"),
                                                       model="the BG/NBD model", n=float(counts.sum()),
                                                       hint=history_hint(x, tx, big_t, counts))
        self.n_ = float(counts.sum())
        return self

    @staticmethod
    def _loglik_rows(
        params: np.ndarray, x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, by_x: ByCount | None = None
    ) -> np.ndarray:
        """Individual log-likelihoods, FHL (2005) eq. 6, summed in log space for stability."""
        r, alpha, a, b = params
        by_x = ByCount(x) if by_x is None else by_x
        log_b0 = betaln(a, b)
        common = by_x(lambda u: gammaln(r + u) - gammaln(r)) + r * np.log(alpha)
        log_a1 = by_x(lambda u: betaln(a, b + u) - log_b0) - (r + x) * np.log(alpha + big_t)
        with np.errstate(invalid="ignore", divide="ignore"):
            log_a2 = by_x(
                lambda u: np.where(u > 0, betaln(a + 1, np.maximum(b + u - 1, 1e-300)) - log_b0, -np.inf)
            ) - (r + x) * np.log(alpha + tx)
        return common + np.logaddexp(log_a1, log_a2)

    def log_likelihood(self, data: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T") -> np.ndarray:
        """Each customer's log-likelihood under the current parameters."""
        x, tx, big_t = check_histories(data, [frequency, recency, T], "data", integer=[frequency])
        check_recency_t(x, tx, big_t, [frequency, recency, T])
        return self._loglik_rows(np.array(self._params()), x, tx, big_t)

    def expected_purchases(self, t: object) -> np.ndarray:
        """E[X(t)]: expected repeat purchases of a new customer in (0, t] (FHL 2005 eq. 9)."""
        r, alpha, a, b = self._params()
        t = as_float_array(t, "t")
        return _purchases_while_watched(t, np.zeros_like(t), alpha, r, a, b)

    def conditional_expected_purchases(self, t: object, frequency: object, recency: object, T: object) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` given a history (eq. 10).

        Evaluated in the stable form of :func:`_purchases_while_watched`, finite for any history
        (eq. 10 as printed gives NaN once x is in the hundreds over a long horizon).
        """
        r, alpha, a, b = self._params()
        t = as_float_array(t, "t")
        x, tx, big_t = self._history(frequency, recency, T)
        t, x, tx, big_t = np.broadcast_arrays(t, x, tx, big_t)
        watched = _purchases_while_watched(t, x, alpha + big_t, r, a, b)
        return watched * self.probability_alive(x, tx, big_t)

    def probability_alive(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """P(alive | x, t_x, T) = 1 / (1 + [x > 0] a / (b + x - 1) ((alpha + T) / (alpha + t_x))^(r + x)).

        A customer without repeat purchase is alive with probability 1: under the BG/NBD a
        customer can only drop out right after a purchase (FHL 2005, eq. 10's denominator).
        """
        r, alpha, a, b = self._params()
        x, tx, big_t = self._history(frequency, recency, T)
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            log_ratio = np.log(a) - np.log(np.maximum(b + x - 1, 1e-300)) + (r + x) * (
                np.log(alpha + big_t) - np.log(alpha + tx)
            )
            odds = np.where(x > 0, np.exp(log_ratio), 0.0)
        return 1.0 / (1.0 + odds)

    def probability_of_purchases(self, t: object, n: object) -> np.ndarray:
        """P(X(t) = n): probability that a new customer makes exactly ``n`` repeat purchases in (0, t] (eq. 8)."""
        r, alpha, a, b = self._params()
        t = as_float_array(t, "t")
        n = as_float_array(n, "n")
        if np.any(n != np.round(n)):
            raise CustkitError(f"n must hold whole numbers of purchases, got {n!r}.")
        t, n = np.broadcast_arrays(t, n)
        log_p0 = r * np.log(alpha / (alpha + t))
        # xlogy gives 0 for n = 0 even at t = 0, where n * log(q) would be 0 * -inf = NaN.
        first = np.exp(
            betaln(a, b + n) - betaln(a, b) + gammaln(r + n) - gammaln(r) - gammaln(n + 1) + log_p0
            + xlogy(n, t / (alpha + t))
        )
        # 1 - P(NBD count < n): the sum in eq. 8 is the NBD's distribution function.
        tail = np.where(n > 0, nbinom.sf(n - 1, r, alpha / (alpha + t)), 0.0)
        with np.errstate(invalid="ignore"):
            second = np.where(n > 0, np.exp(betaln(a + 1, np.maximum(b + n - 1, 1e-300)) - betaln(a, b)) * tail, 0.0)
        return first + second

    @staticmethod
    def _history(frequency: object, recency: object, T: object) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        x = as_float_array(frequency, "frequency")
        tx = as_float_array(recency, "recency")
        big_t = as_float_array(T, "T")
        x, tx, big_t = np.broadcast_arrays(x, tx, big_t)
        if np.any(x != np.round(x)):
            raise CustkitError("frequency must hold whole numbers (counts of repeat purchases).")
        check_recency_t(x, tx, big_t, ["frequency", "recency", "T"])
        return x, tx, big_t
