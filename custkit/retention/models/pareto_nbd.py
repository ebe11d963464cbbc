"""Pareto/NBD model of repeat buying (Schmittlein, Morrison and Colombo 1987)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln, hyp2f1

from custkit.errors import CustkitError
from custkit.retention.models._common import (
    FittedModel,
    as_float_array,
    check_histories,
    check_recency_t,
    check_weights,
    group_identical,
    history_hint,
    maximise,
)


class ParetoNBD(FittedModel):
    """Pareto/NBD model: Poisson purchasing while alive, an exponential lifetime of unknown length.

    Schmittlein, D. C., Morrison, D. G. and Colombo, R. (1987), "Counting Your Customers: Who Are
    They and What Will They Do Next?", *Management Science* 33(1), 1-24. Likelihood and P(alive)
    as written in Fader, P. S. and Hardie, B. G. S. (2005), "A Note on Deriving the Pareto/NBD
    Model and Related Expressions" (eqs. 22 and 25 there).

    Assumptions, in plain words:

    1. While alive, a customer buys at random with rate ``lambda`` (a Poisson process);
       ``lambda`` ~ gamma(shape ``r``, rate ``alpha``) across customers.
    2. Each customer stays alive for an exponentially distributed time with rate ``mu``, which may
       end at any moment (not only after a purchase, unlike the BG/NBD);
       ``mu`` ~ gamma(shape ``s``, rate ``beta``).
    3. ``lambda`` and ``mu`` are independent.

    Uses the same customer summary (frequency x, recency t_x, T) as :class:`BetaGeoNBD`.
    """

    _param_names = ("r", "alpha", "s", "beta")

    def fit(
        self,
        data: pd.DataFrame,
        frequency: str = "frequency",
        recency: str = "recency",
        T: str = "T",
        weights: object = None,
    ) -> ParetoNBD:
        """Fit by maximum likelihood on a customer summary; see :meth:`BetaGeoNBD.fit`."""
        x, tx, big_t = check_histories(data, [frequency, recency, T], "data", integer=[frequency])
        check_recency_t(x, tx, big_t, [frequency, recency, T])
        w = check_weights(weights, len(x))
        (x, tx, big_t), counts = group_identical(x, tx, big_t, weights=w)
        if not np.any(x > 0):
            raise CustkitError("data has no repeat purchase at all: the Pareto/NBD model cannot be fitted.")

        def loglik(params: np.ndarray) -> float:
            return float(np.sum(counts * self._loglik_rows(params, x, tx, big_t)))

        mean_rate = float(np.average(x / np.maximum(big_t, 1e-9), weights=counts))
        scale = 1.0 / max(mean_rate, 1e-3)
        start = (1.0, scale, 1.0, scale)
        self.params_, self.log_likelihood_ = maximise(loglik, start, self._param_names, shapes=("r", "s"),
                                                       model="the Pareto/NBD model", n=float(counts.sum()),
                                                       hint=history_hint(x, tx, big_t, counts))
        self.n_ = float(counts.sum())
        return self

    @staticmethod
    def _log_a0(params, x, tx, big_t) -> np.ndarray:
        """log of A0 in Fader and Hardie (2005 note, eq. 22): the term for dying in (t_x, T].

        The Gauss hypergeometric function takes the larger of alpha and beta so that its argument
        stays in [0, 1).
        """
        r, alpha, s, beta = params
        rsx = r + s + x
        if alpha >= beta:
            big, second = alpha, s + 1
        else:
            big, second = beta, r + x
        diff = abs(alpha - beta)
        z1 = diff / (big + tx)
        z2 = diff / (big + big_t)
        log_f1 = np.log(hyp2f1(rsx, second, rsx + 1, z1)) - rsx * np.log(big + tx)
        log_f2 = np.log(hyp2f1(rsx, second, rsx + 1, z2)) - rsx * np.log(big + big_t)
        with np.errstate(invalid="ignore", divide="ignore"):
            # F1 >= F2 always (A0 is a positive integral); log(F1 - F2) without cancellation loss.
            return log_f1 + np.log1p(-np.exp(log_f2 - log_f1))

    @classmethod
    def _loglik_rows(cls, params, x, tx, big_t) -> np.ndarray:
        r, alpha, s, beta = params
        head = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta)
        log_alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
        log_dead = np.log(s) - np.log(r + s + x) + cls._log_a0(params, x, tx, big_t)
        log_dead = np.where(np.isnan(log_dead), -np.inf, log_dead)
        return head + np.logaddexp(log_alive, log_dead)

    def log_likelihood(self, data: pd.DataFrame, frequency: str = "frequency", recency: str = "recency", T: str = "T") -> np.ndarray:
        """Each customer's log-likelihood under the current parameters."""
        x, tx, big_t = check_histories(data, [frequency, recency, T], "data", integer=[frequency])
        check_recency_t(x, tx, big_t, [frequency, recency, T])
        return self._loglik_rows(np.array(self._params()), x, tx, big_t)

    def probability_alive(self, frequency: object, recency: object, T: object) -> np.ndarray:
        """P(alive | x, t_x, T) (Fader and Hardie 2005 note, eq. 25)."""
        params = self._params()
        r, alpha, s, beta = params
        x, tx, big_t = self._history(frequency, recency, T)
        log_alive = -(r + x) * np.log(alpha + big_t) - s * np.log(beta + big_t)
        log_dead = np.log(s) - np.log(r + s + x) + self._log_a0(params, x, tx, big_t)
        log_dead = np.where(np.isnan(log_dead), -np.inf, log_dead)
        return np.exp(log_alive - np.logaddexp(log_alive, log_dead))

    def conditional_expected_purchases(self, t: object, frequency: object, recency: object, T: object) -> np.ndarray:
        """E[Y(t) | x, t_x, T]: expected purchases in the next ``t`` given a history.

        Schmittlein, Morrison and Colombo (1987), eq. 22: P(alive) x (r + x)(beta + T) /
        ((alpha + T)(s - 1)) x [1 - ((beta + T) / (beta + T + t))^(s - 1)] (s = 1 excluded).
        """
        r, alpha, s, beta = self._params()
        if abs(s - 1) < 1e-9:
            raise CustkitError("s = 1 makes this expression 0/0; refit or perturb s slightly.")
        t = as_float_array(t, "t")
        x, tx, big_t = self._history(frequency, recency, T)
        rate = (r + x) * (beta + big_t) / ((alpha + big_t) * (s - 1))
        horizon = 1 - ((beta + big_t) / (beta + big_t + t)) ** (s - 1)
        return rate * horizon * self.probability_alive(x, tx, big_t)

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
