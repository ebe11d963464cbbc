"""k-means segments on behavioural features, with a helper to choose k (concept E4).

The pipeline is scikit-learn's: an optional ``log1p`` of skewed columns (money is skewed: a few
big spenders would otherwise decide the clusters alone), ``StandardScaler`` so that every feature
weighs the same, then ``KMeans`` with a fixed seed. Cluster numbers are renamed by size
(0 = largest) so that a re-run with the same seed tells the same story.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.compose import ColumnTransformer
from sklearn.metrics import silhouette_score
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import FunctionTransformer, StandardScaler
from threadpoolctl import threadpool_limits

from custkit._checks import require_columns, require_frame, require_numeric, require_positive
from custkit.errors import CustkitError, SchemaError


def kmeans_pipeline(
    features: Sequence[str], k: int, *, log_columns: Sequence[str] = (), seed: int = 0
) -> Pipeline:
    """An unfitted pipeline: log1p on ``log_columns``, StandardScaler on all, KMeans(k, seed).

    The pipeline takes a DataFrame holding ``features`` (by name).
    """
    k = int(require_positive(k, "k"))
    unknown = [c for c in log_columns if c not in features]
    if unknown:
        raise CustkitError(f"log_columns {unknown} are not among the features {list(features)}.")
    plain = [c for c in features if c not in log_columns]
    parts = []
    if log_columns:
        parts.append(("log", make_pipeline(FunctionTransformer(np.log1p), StandardScaler()), list(log_columns)))
    if plain:
        parts.append(("scale", StandardScaler(), plain))
    prep = ColumnTransformer(parts)
    return Pipeline([("prep", prep), ("kmeans", KMeans(n_clusters=k, n_init=10, random_state=seed))])


def _features(data: pd.DataFrame, features: Sequence[str], log_columns: Sequence[str]) -> pd.DataFrame:
    require_frame(data)
    features = list(features)
    if not features:
        raise CustkitError("features is empty; name at least one numeric column, e.g. ['recency_days', 'frequency'].")
    require_columns(data, features)
    for col in features:
        require_numeric(data, col)
        if data[col].isna().any():
            raise SchemaError(f"data[{col!r}] has missing values; fill or drop them before clustering.")
    for col in log_columns:
        if (data[col] < 0).any():
            raise SchemaError(f"data[{col!r}] has negative values; a log transform needs values >= 0.")
    return data[features]


# One OpenMP thread for k-means: on a small shared machine (2 cores, a classroom laptop) the
# default thread pool oversubscribes and runs many times slower, and one thread gives the same
# floating-point sums on every machine.
def _single_threaded(func):
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with threadpool_limits(limits=1, user_api="openmp"):
            return func(*args, **kwargs)

    return wrapper


@_single_threaded
def choose_k(
    data: pd.DataFrame,
    features: Sequence[str],
    *,
    k_values: Iterable[int] = range(2, 9),
    log_columns: Sequence[str] = (),
    seed: int = 0,
    sample_size: int = 5000,
) -> pd.DataFrame:
    """Inertia (elbow) and silhouette score for each k, to choose the number of clusters.

    Inertia always falls as k grows; look for the bend. The silhouette (-1..1, higher is better
    separated) is computed on the scaled features, on a seeded sample of at most ``sample_size``
    rows because it costs n squared.

    Returns
    -------
    DataFrame
        ``k``, ``inertia``, ``silhouette``.
    """
    X = _features(data, features, log_columns)
    ks = sorted({int(require_positive(k, "k")) for k in k_values})
    if not ks or ks[0] < 2 or ks[-1] >= len(X):
        raise CustkitError(f"k_values must lie in [2, {len(X) - 1}] (2 to rows - 1); got {ks}.")
    rows = []
    for k in ks:
        pipe = kmeans_pipeline(features, k, log_columns=log_columns, seed=seed).fit(X)
        Z = pipe[:-1].transform(X)
        labels = pipe[-1].labels_
        n = min(int(sample_size), len(X))
        sil = silhouette_score(Z, labels, sample_size=n, random_state=seed) if len(set(labels)) > 1 else np.nan
        rows.append({"k": k, "inertia": float(pipe[-1].inertia_), "silhouette": float(sil)})
    return pd.DataFrame(rows)


@_single_threaded
def kmeans_segments(
    data: pd.DataFrame,
    features: Sequence[str],
    k: int,
    *,
    log_columns: Sequence[str] = (),
    seed: int = 0,
    column: str = "cluster",
) -> pd.DataFrame:
    """Assign each row to one of ``k`` k-means clusters (numbered by size, 0 = largest).

    Returns
    -------
    DataFrame
        A copy of ``data`` with ``column`` (int).
    """
    X = _features(data, features, log_columns)
    if int(require_positive(k, "k")) > len(X):
        raise CustkitError(f"k={k} is more than the {len(X)} rows; choose a smaller k.")
    pipe = kmeans_pipeline(features, k, log_columns=log_columns, seed=seed).fit(X)
    raw = pipe[-1].labels_
    sizes = np.bincount(raw, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rename = np.empty(k, dtype="int64")
    rename[order] = np.arange(k)
    return data.assign(**{column: rename[raw]})
