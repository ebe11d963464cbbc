"""Published customer-base models: fit, predict, value.

* :class:`ShiftedBetaGeometric`: contractual retention (Fader and Hardie 2007).
* :class:`BetaGeoNBD`: non-contractual repeat buying (Fader, Hardie and Lee 2005).
* :class:`ParetoNBD`: the model the BG/NBD simplifies (Schmittlein, Morrison and Colombo 1987).
* :class:`GammaGamma`: spend per purchase (Fader, Hardie and Lee 2005, JMR).
* :func:`customer_lifetime_value` and :func:`score_clv`: discounted CLV from the last two, and its
  grade against a simulated future.

Each model has the same small surface: ``fit(...)`` returns the model, ``params_`` is a named
Series, ``log_likelihood_`` the maximised log-likelihood; ``set_params(...)`` uses known values.
Build the input with :func:`custkit.transactions.customer_summary`.
"""

from custkit.retention.models.bgnbd import BetaGeoNBD
from custkit.retention.models.clv import customer_lifetime_value, score_clv
from custkit.retention.models.gamma_gamma import GammaGamma
from custkit.retention.models.pareto_nbd import ParetoNBD
from custkit.retention.models.sbg import ShiftedBetaGeometric

__all__ = [
    "BetaGeoNBD",
    "GammaGamma",
    "ParetoNBD",
    "ShiftedBetaGeometric",
    "customer_lifetime_value",
    "score_clv",
]
