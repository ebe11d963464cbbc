"""What every customer-base model shares: input checks, weights for identical histories, the fit.

Maximum likelihood runs in log-parameter space (every parameter of these models is positive), so
the optimiser searches without bounds; a fit on many customers stays fast because identical
histories are evaluated once and weighted by their count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
from scipy import optimize

from custkit._checks import require_columns, require_frame, require_numeric
from custkit.errors import CustkitError


def check_histories(
    data: pd.DataFrame, columns: Sequence[str], name: str = "data", integer: Sequence[str] = ()
) -> list[np.ndarray]:
    """Return the named columns of ``data`` as float arrays after checking them.

    Every column must exist, hold finite numbers >= 0; columns in ``integer`` whole numbers.
    """
    require_frame(data, name)
    require_columns(data, columns, name)
    out = []
    for col in columns:
        require_numeric(data, col, name)
        values = data[col].to_numpy(dtype=float)
        if not np.all(np.isfinite(values)) or np.any(values < 0):
            raise CustkitError(
                f"{name}[{col!r}] must hold finite numbers >= 0 (found missing, infinite or negative "
                f"values); build it with custkit.transactions.customer_summary(...)."
            )
        if col in integer and np.any(values != np.round(values)):
            raise CustkitError(f"{name}[{col!r}] must hold whole numbers (counts of repeat purchases).")
        out.append(values)
    return out


def check_recency_t(frequency: np.ndarray, recency: np.ndarray, T: np.ndarray, names: Sequence[str]) -> None:
    """Recency cannot exceed T, and a customer without repeat purchase has recency 0."""
    if np.any(recency > T + 1e-9):
        raise CustkitError(
            f"{names[1]!r} exceeds {names[2]!r} for some rows: the last purchase cannot come after the "
            f"end of the calibration period. Check as_of and the column order."
        )
    if np.any((frequency == 0) & (recency > 0)):
        raise CustkitError(
            f"rows with {names[0]!r} = 0 must have {names[1]!r} = 0 (no repeat purchase, no recency)."
        )


def group_identical(*columns: np.ndarray, weights: np.ndarray | None = None) -> tuple[list[np.ndarray], np.ndarray]:
    """Unique rows of the given columns and how many customers (or how much weight) share each."""
    stacked = np.column_stack(columns)
    # np.unique(axis=0) sorts a structured view, which is slow; lexsort on the columns is not.
    order = np.lexsort(stacked.T[::-1])
    ordered = stacked[order]
    new_row = np.ones(len(ordered), dtype=bool)
    new_row[1:] = np.any(ordered[1:] != ordered[:-1], axis=1)
    group = np.cumsum(new_row) - 1
    w = np.ones(len(stacked)) if weights is None else np.asarray(weights, dtype=float)[order]
    counts = np.bincount(group, weights=w)
    unique = ordered[new_row]
    return [unique[:, j] for j in range(unique.shape[1])], counts


class ByCount:
    """Evaluate a function of the purchase count once per distinct count, then spread it to rows.

    The special functions (gammaln, betaln) of these likelihoods depend on the parameters and on
    the count x only, and a customer base has few distinct counts: this makes each likelihood
    evaluation on 100,000 histories cost little more than a few logarithms.
    """

    def __init__(self, x: np.ndarray) -> None:
        self.values, self.index = np.unique(x, return_inverse=True)

    def __call__(self, func: Callable[[np.ndarray], np.ndarray]) -> np.ndarray:
        return np.asarray(func(self.values))[self.index]


def check_weights(weights: object, n: int) -> np.ndarray | None:
    if weights is None:
        return None
    w = np.asarray(weights, dtype=float)
    if w.shape != (n,) or not np.all(np.isfinite(w)) or np.any(w < 0):
        raise CustkitError(f"weights must be {n} finite numbers >= 0, one per row of data.")
    return w


# Shape parameters (r, a, b, s, p, q, and the sBG's alpha and beta) are free of the time unit. Past
# these bounds a gamma or beta mixing distribution has collapsed onto a point (no heterogeneity, no
# dropout): the maximum lies on the edge of the parameter space, where the optimiser drifts along a
# flat ridge and stops wherever rounding (and so the CPU) takes it. Published fits lie far inside:
# CDNOW's BG/NBD has r 0.24, a 0.79, b 2.43; Fader and Hardie's sBG alpha 0.67-0.70, beta 1.2-3.8.
SHAPE_BOUNDS = (1e-3, 1e3)


def maximise(
    loglik: Callable[[np.ndarray], float], start: Sequence[float], names: Sequence[str],
    shapes: Sequence[str] = (), model: str = "the model", n: float | None = None, hint: str = "",
) -> tuple[pd.Series, float]:
    """Maximise ``loglik(params)`` over positive parameters; return them (named) and the maximum.

    The search runs on log-parameters: BFGS from ``start``; when BFGS reports no clean convergence
    (often only lost precision near the optimum), Nelder-Mead from a small simplex around its point
    confirms the optimum or walks on (the published estimates are reproduced to 3 decimals).

    ``shapes`` names the shape parameters; if one of them ends outside :data:`SHAPE_BOUNDS`, the
    data cannot identify ``model`` (typically too few customers, ``n``) and a
    :class:`~custkit.errors.CustkitError` says so instead of returning an arbitrary point, with
    ``hint`` (what in the data is degenerate, from :func:`history_hint` or the caller).
    """

    def objective(log_params: np.ndarray) -> float:
        value = loglik(np.exp(log_params))
        return -value if np.isfinite(value) else 1e300

    x0 = np.log(np.asarray(start, dtype=float))
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        best = optimize.minimize(objective, x0, method="BFGS", options={"gtol": 1e-7})
        if not (best.success and np.isfinite(best.fun)):
            simplex = best.x + np.vstack([np.zeros(len(x0)), 0.02 * np.eye(len(x0))])
            second = optimize.minimize(
                objective, best.x, method="Nelder-Mead",
                options={"initial_simplex": simplex, "xatol": 1e-7, "fatol": 1e-9, "maxiter": 20000},
            )
            best = second if second.fun < best.fun else best
    if not np.isfinite(best.fun) or best.fun >= 1e300:
        raise CustkitError(
            "the fit did not converge to a finite likelihood; check the data (enough customers, "
            "some repeat purchases) or try other starting values."
        )
    estimate = pd.Series(np.exp(best.x), index=list(names), name="estimate")
    check_identified(estimate, shapes, model, n, hint)
    return estimate, float(-best.fun)


def history_hint(x: np.ndarray, tx: np.ndarray, big_t: np.ndarray, weights: np.ndarray) -> str:
    """What in a set of (grouped) purchase histories leaves a repeat-buying model unidentified."""
    hints = []
    if weights.sum() < 2:
        hints.append("there is a single customer, and spread across customers cannot be measured from one")
    if np.all(tx[x > 0] == big_t[x > 0]):
        hints.append("every repeat buyer's last purchase is at T, so nobody looks lapsed and dropout "
                     "cannot be measured")
    if len(np.unique(x)) == 1:
        hints.append("every customer has the same number of repeat purchases")
    return "; ".join(hints)


def check_identified(estimate: pd.Series, shapes: Sequence[str], model: str, n: float | None,
                     hint: str = "") -> None:
    """Raise a CustkitError if a shape parameter of a fit ran to the edge (see :data:`SHAPE_BOUNDS`)."""
    low, high = SHAPE_BOUNDS
    # Where on the ridge the optimiser stopped, and so which parameters crossed a bound, is
    # arbitrary (and CPU-dependent): the message names neither.
    if any(not low <= estimate[name] <= high for name in shapes):
        size = f" ({n:,.0f} customers here)" if n is not None else ""
        raise CustkitError(
            f"the data cannot pin down {model}: its fit ran to the edge of the parameters (one of "
            f"{', '.join(shapes)} left {low:g} to {high:g}), where the model collapses to a limiting case. "
            f"This happens with too few customers{size} or too few "
            "repeat purchases; fit it on a log of hundreds of customers, or use set_params(...) "
            "with known values." + (f" In this data: {hint}." if hint else "")
        )


class FittedModel:
    """Shared surface: ``params_`` (named Series) and ``log_likelihood_`` after ``fit``."""

    _param_names: tuple[str, ...] = ()

    def __init__(self) -> None:
        self.params_: pd.Series | None = None
        self.log_likelihood_: float | None = None
        self.n_: float | None = None

    def _params(self) -> tuple[float, ...]:
        if self.params_ is None:
            raise CustkitError(
                f"this {type(self).__name__} is not fitted yet; call .fit(...) first "
                f"(or set_params(...) with known values)."
            )
        return tuple(float(self.params_[k]) for k in self._param_names)

    def set_params(self, **params: float) -> FittedModel:
        """Use known parameter values (a published fit, or the truth of a simulation) without fitting."""
        if set(params) != set(self._param_names):
            raise CustkitError(f"{type(self).__name__} needs exactly {list(self._param_names)}, got {sorted(params)}.")
        for key, value in params.items():
            if not (isinstance(value, (int, float, np.floating)) and np.isfinite(value) and value > 0):
                raise CustkitError(f"{key} must be a finite number > 0, got {value!r}.")
        self.params_ = pd.Series({k: float(params[k]) for k in self._param_names}, name="estimate")
        self.log_likelihood_ = None
        return self

    def __repr__(self) -> str:
        if self.params_ is None:
            return f"{type(self).__name__}(not fitted)"
        values = ", ".join(f"{k}={v:.4g}" for k, v in self.params_.items())
        return f"{type(self).__name__}({values})"


def as_float_array(value: object, name: str, *, allow_zero: bool = True) -> np.ndarray:
    """A number or array of numbers >= 0 (> 0 unless ``allow_zero``), as a float array."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise CustkitError(f"{name} must be a number or an array of numbers, got {value!r}.") from None
    bad = ~np.isfinite(arr) | (arr < 0 if allow_zero else arr <= 0)
    if np.any(bad):
        raise CustkitError(f"{name} must be {'>= 0' if allow_zero else '> 0'} and finite, got {value!r}.")
    return arr
