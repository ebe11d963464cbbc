"""Shifted-beta-geometric (sBG) model of contractual retention (Fader and Hardie 2007)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import betaln, hyp2f1

from custkit._checks import require_in_range
from custkit.errors import CustkitError
from custkit.retention.models._common import FittedModel, as_float_array, maximise


class ShiftedBetaGeometric(FittedModel):
    """Shifted-beta-geometric model: how many subscribers of a cohort renew, period after period.

    Fader, P. S. and Hardie, B. G. S. (2007), "How to Project Customer Retention", *Journal of
    Interactive Marketing* 21(1), 76-90.

    Assumptions, in plain words:

    1. Contractual, discrete setting: at the end of each period a customer renews or leaves, and
       a customer who leaves never comes back.
    2. Each customer has a constant churn probability ``theta`` per period, so her lifetime is
       shifted-geometric: P(T = t | theta) = theta (1 - theta)^(t - 1) (their eq. 1).
    3. Customers differ: ``theta`` follows a beta(alpha, beta) distribution across the cohort
       (their eq. 3).

    Together (their eqs. 5-8)::

        P(T = t) = B(alpha + 1, beta + t - 1) / B(alpha, beta)          churn in period t
        S(t)     = B(alpha, beta + t) / B(alpha, beta)                  still a customer after t
        r(t)     = (beta + t - 1) / (alpha + beta + t - 1)              retention rate in period t

    The cohort's retention rate rises over time although no customer's own churn changes: the
    customers most likely to leave leave first. Parameters are fitted by maximum likelihood on the
    counts still active at the start of each period (their eq. 9).

    Attributes
    ----------
    params_ : Series
        ``alpha`` and ``beta``.
    log_likelihood_ : float
        Maximised log-likelihood.
    """

    _param_names = ("alpha", "beta")

    def fit(self, alive: object) -> ShiftedBetaGeometric:
        """Fit from the number of customers still active at the start of periods 0, 1, ..., n.

        Parameters
        ----------
        alive
            Counts, first the cohort size at period 0 (acquisition), then how many renewed into
            periods 1, 2, ...; non-increasing whole numbers (a list, array or Series).

        Returns
        -------
        self
        """
        counts = self._check_alive(alive)
        lost = counts[:-1] - counts[1:]
        t = np.arange(1, len(counts))

        def loglik(params: np.ndarray) -> float:
            a, b = params
            log_churn = betaln(a + 1, b + t - 1) - betaln(a, b)
            log_survive = betaln(a, b + t[-1]) - betaln(a, b)
            return float(np.sum(lost * log_churn) + counts[-1] * log_survive)

        self.params_, self.log_likelihood_ = maximise(loglik, (1.0, 1.0), self._param_names, shapes=("alpha", "beta"),
                                                       model="the sBG model", n=float(counts[0]))
        self.n_ = float(counts[0])
        return self

    @staticmethod
    def _check_alive(alive: object) -> np.ndarray:
        counts = as_float_array(alive, "alive")
        if counts.ndim != 1 or len(counts) < 2:
            raise CustkitError(
                "alive must list at least two counts: the cohort size at period 0 and the number "
                "still active at period 1 (and later periods)."
            )
        if counts[0] <= 0 or np.any(counts != np.round(counts)) or np.any(np.diff(counts) > 0):
            raise CustkitError(
                "alive must be whole numbers that never increase, starting with a cohort size > 0 "
                f"(customers who left do not come back); got {counts.tolist()}."
            )
        return counts

    def churn_probability(self, t: object) -> np.ndarray:
        """P(T = t): probability that a new customer leaves at the end of period t (t = 1, 2, ...)."""
        a, b = self._params()
        t = self._periods(t, minimum=1)
        return np.exp(betaln(a + 1, b + t - 1) - betaln(a, b))

    def survival(self, t: object) -> np.ndarray:
        """S(t): share of a new cohort still active after t periods (S(0) = 1)."""
        a, b = self._params()
        t = self._periods(t, minimum=0)
        return np.exp(betaln(a, b + t) - betaln(a, b))

    def retention_rate(self, t: object) -> np.ndarray:
        """r(t) = S(t) / S(t - 1): share of those active in period t - 1 who renew into t (t >= 1)."""
        a, b = self._params()
        t = self._periods(t, minimum=1)
        return (b + t - 1) / (a + b + t - 1)

    def project(self, periods: int, cohort_size: float | None = None) -> pd.DataFrame:
        """Survival, retention and expected active customers for periods 0 .. ``periods``.

        Parameters
        ----------
        periods
            Last period to project (an integer >= 1).
        cohort_size
            Customers acquired at period 0; defaults to the cohort the model was fitted on.

        Returns
        -------
        DataFrame
            Columns ``period``, ``survival``, ``retention_rate`` (NaN at period 0) and
            ``expected_alive``.
        """
        if isinstance(periods, bool) or not isinstance(periods, (int, np.integer)) or periods < 1:
            raise CustkitError(f"periods must be a whole number >= 1, got {periods!r}.")
        size = self.n_ if cohort_size is None else float(as_float_array(cohort_size, "cohort_size", allow_zero=False))
        if size is None:
            raise CustkitError("cohort_size is needed when the model was not fitted on counts.")
        t = np.arange(periods + 1)
        surv = self.survival(t)
        retention = np.concatenate([[np.nan], self.retention_rate(t[1:])])
        return pd.DataFrame(
            {"period": t, "survival": surv, "retention_rate": retention, "expected_alive": size * surv}
        )

    def discounted_expected_lifetime(self, discount: float) -> float:
        """DEL: expected discounted number of payments of a customer just acquired.

        Fader and Hardie (2010), "Customer-Base Valuation in a Contractual Setting: The Perils of
        Ignoring Heterogeneity", *Marketing Science* 29(1), 85-93, eq. 5:
        DEL(d) = 2F1(1, beta; alpha + beta; 1 / (1 + d)), payments at the start of each period,
        the first undiscounted. Multiply by the margin per period to get a new customer's CLV.
        """
        a, b = self._params()
        d = require_in_range(discount, "discount", 0.0, np.inf, low_open=True, high_open=True)
        return float(hyp2f1(1.0, b, a + b, 1.0 / (1.0 + d)))

    def derl(self, discount: float, renewals: int) -> float:
        """DERL: discounted expected residual lifetime of a customer who has renewed ``renewals`` times.

        Fader and Hardie (2010), *Marketing Science* 29(1), eq. 6, with n - 1 = ``renewals``::

            DERL(d | n - 1 renewals) = sum_{t >= n} S(t | T > n - 1) / (1 + d)^(t - n)
                                     = B(alpha, beta + n) / B(alpha, beta + n - 1)
                                       * 2F1(1, beta + n; alpha + beta + n; 1 / (1 + d))

        The customer stands at the end of period n - 1, about to decide on renewal n; the payments
        still to come are counted with the chance she is there to make them, the next one (if she
        renews) undiscounted. Multiply by the margin per period to value an existing customer.

        Parameters
        ----------
        discount
            Discount rate per period (0.10 for 10%), > 0.
        renewals
            Renewals made so far: a customer counted as active at period t of the ``alive`` table
            has renewed t times.
        """
        a, b = self._params()
        d = require_in_range(discount, "discount", 0.0, np.inf, low_open=True, high_open=True)
        if isinstance(renewals, bool) or not isinstance(renewals, (int, np.integer)) or renewals < 0:
            raise CustkitError(f"renewals must be a whole number >= 0, got {renewals!r}.")
        n = renewals + 1
        ratio = np.exp(betaln(a, b + n) - betaln(a, b + n - 1))
        return float(ratio * hyp2f1(1.0, b + n, a + b + n, 1.0 / (1.0 + d)))

    @staticmethod
    def _periods(t: object, minimum: int) -> np.ndarray:
        arr = as_float_array(t, "t")
        if np.any(arr < minimum) or np.any(arr != np.round(arr)):
            raise CustkitError(f"t must hold whole periods >= {minimum}, got {t!r}.")
        return arr
