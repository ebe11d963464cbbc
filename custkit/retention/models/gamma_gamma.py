"""Gamma-Gamma model of spend per transaction (Fader, Hardie and Lee 2005, JMR)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import gammaln

from custkit.errors import CustkitError
from custkit.retention.models._common import (
    ByCount,
    FittedModel,
    as_float_array,
    check_histories,
    check_weights,
    group_identical,
    maximise,
)


class GammaGamma(FittedModel):
    """Gamma-Gamma model: what a customer spends per purchase, on average, in the long run.

    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005), "RFM and CLV: Using Iso-Value Curves for
    Customer Base Analysis", *Journal of Marketing Research* 42(4), 415-430 (section "the spend
    model"); the likelihood and the conditional expectation are eqs. 3 and 5 of Fader and Hardie
    (2013), "The Gamma-Gamma Model of Monetary Value".

    Assumptions, in plain words:

    1. The amounts of one customer's purchases vary around her own mean; each amount is
       gamma(``p``, ``nu``) distributed, so the mean is p / nu.
    2. ``nu`` differs across customers: gamma(``q``, ``v``) (``v`` is called gamma in the paper).
    3. Spend per purchase is independent of how often one buys (check it: the correlation between
       frequency and monetary value should be near zero), so it combines with BG/NBD or Pareto/NBD.

    Fit it on customers with at least one repeat purchase, using ``monetary_value`` = mean of the
    repeat purchases and ``frequency`` = their number (:func:`custkit.transactions.customer_summary`).
    """

    _param_names = ("p", "q", "v")

    def fit(
        self,
        data: pd.DataFrame,
        frequency: str = "frequency",
        monetary_value: str = "monetary_value",
        weights: object = None,
    ) -> GammaGamma:
        """Fit by maximum likelihood on the repeat buyers of a customer summary.

        Rows with ``frequency`` = 0 are left out (they have no repeat spend to learn from);
        remaining rows need ``monetary_value`` > 0.

        Returns
        -------
        self
        """
        x, m = check_histories(data, [frequency, monetary_value], "data", integer=[frequency])
        w = check_weights(weights, len(x))
        buyers = x > 0
        if not np.any(buyers):
            raise CustkitError("data has no customer with a repeat purchase: nothing to fit the spend model on.")
        if np.any(m[buyers] <= 0):
            raise CustkitError(
                f"data[{monetary_value!r}] must be > 0 for customers with repeat purchases; drop free or "
                f"refunded-only histories first."
            )
        (x, m), counts = group_identical(x[buyers], m[buyers], weights=None if w is None else w[buyers])

        by_x = ByCount(x)

        def loglik(params: np.ndarray) -> float:
            return float(np.sum(counts * self._loglik_rows(params, x, m, by_x)))

        start = (1.0, 1.0, float(np.average(m, weights=counts)))
        self.params_, self.log_likelihood_ = maximise(loglik, start, self._param_names, shapes=("p", "q"),
                                                       model="the Gamma-Gamma model", n=float(counts.sum()),
                                                       hint=_spend_hint(m, counts))
        self.n_ = float(counts.sum())
        return self

    @staticmethod
    def _loglik_rows(params, x, m, by_x: ByCount | None = None) -> np.ndarray:
        """Density of the observed mean spend m of x purchases (Fader and Hardie 2013, eq. 3)."""
        p, q, v = params
        by_x = ByCount(x) if by_x is None else by_x
        per_count = by_x(lambda u: gammaln(p * u + q) - gammaln(p * u) - gammaln(q) + p * u * np.log(u))
        return per_count + q * np.log(v) + (p * x - 1) * np.log(m) - (p * x + q) * np.log(v + m * x)

    def log_likelihood(
        self, data: pd.DataFrame, frequency: str = "frequency", monetary_value: str = "monetary_value"
    ) -> np.ndarray:
        """Each repeat buyer's log-likelihood under the current parameters (rows with x = 0 get NaN)."""
        x, m = check_histories(data, [frequency, monetary_value], "data", integer=[frequency])
        params = np.array(self._params())
        out = np.full(len(x), np.nan)
        buyers = (x > 0) & (m > 0)
        out[buyers] = self._loglik_rows(params, x[buyers], m[buyers])
        return out

    def conditional_expected_average_spend(self, frequency: object, monetary_value: object) -> np.ndarray:
        """E[M | x, m]: expected spend per future purchase given x purchases averaging m (eq. 5).

        A weighted average of the population mean p v / (q - 1) and the customer's own mean m;
        the more purchases, the more weight on m. Customers with x = 0 get the population mean.
        Needs q > 1 (otherwise the population mean is infinite).
        """
        p, q, v = self._params()
        if q <= 1:
            raise CustkitError(f"q = {q:.3g} <= 1: the fitted spend distribution has no finite mean.")
        x = as_float_array(frequency, "frequency")
        m = as_float_array(monetary_value, "monetary_value")
        weight = p * x / (p * x + q - 1)
        return (1 - weight) * p * v / (q - 1) + weight * m


def _spend_hint(m: np.ndarray, counts: np.ndarray) -> str:
    """What in the spends leaves the Gamma-Gamma model unidentified."""
    if counts.sum() < 2:
        return "there is a single repeat buyer, and spread across customers cannot be measured from one"
    if np.all(m == m[0]):
        return "every repeat buyer has the same mean spend, so there is no spread to measure"
    return ""
