"""Tuning one threshold of the typology rules: how precision trades against recall (concept B2).

Every rule of :mod:`custkit.typology.rules` compares a feature with a number of
:class:`~custkit.typology.rules.Thresholds`. A looser number catches more of a type (recall rises)
but also more people of other types (precision falls); a stricter one the reverse. The types of
[001] overlap in behaviour, so no number wins both. :func:`threshold_sweep` grades the rules at
several values of one threshold, so a notebook can show the trade-off and a manager can choose
the value that fits the cost of each kind of error.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import pandas as pd

from custkit._checks import require_choice, require_columns, require_frame
from custkit.errors import CustkitError
from custkit.typology.grading import grade
from custkit.typology.rules import (
    KNOWLEDGE_TYPES,
    PERSONAS,
    Thresholds,
    knowledge_types,
    persona_rules,
    relationship_rules,
)

_FAMILIES: dict[str, tuple[str, list]] = {
    # family -> (column of the truth it is graded against, labels graded)
    "persona": ("persona", list(PERSONAS)),
    "knowledge_type": ("knowledge_type", list(KNOWLEDGE_TYPES)),
    "relationship": ("lifecycle_state", ["active", "at_risk", "dissatisfied", "lost"]),
}


def _predict(features: pd.DataFrame, thresholds: Thresholds, family: str, customer: str) -> pd.DataFrame:
    """One family of labels per customer (only the rules that family needs, to keep sweeps quick)."""
    if family == "knowledge_type":
        return knowledge_types(features, thresholds, customer=customer)
    rules = persona_rules if family == "persona" else relationship_rules
    return pd.DataFrame({customer: features[customer].to_numpy(),
                         family: rules(features, thresholds).to_numpy()})


def threshold_sweep(
    features: pd.DataFrame,
    truth: pd.DataFrame,
    field: str,
    values: Sequence[float],
    *,
    family: str = "persona",
    thresholds: Thresholds | None = None,
    customer: str = "customer_id",
) -> pd.DataFrame:
    """Grade one family of typology rules at several values of one threshold.

    Parameters
    ----------
    features
        Output of :func:`custkit.typology.customer_features` (one row per customer).
    truth
        True labels per customer, e.g. ``shop.truth`` (columns ``customer_id`` and ``persona``,
        ``knowledge_type`` or ``lifecycle_state``, as :func:`custkit.typology.grade_typology`
        uses them).
    field
        Name of a :class:`Thresholds` attribute, e.g. ``"competitor_share"``.
    values
        Values to try for ``field``; each must be valid for :class:`Thresholds` (shares in
        [0, 1], nothing negative).
    family
        ``"persona"`` (default), ``"knowledge_type"`` or ``"relationship"``.
    thresholds
        The other thresholds (default: :class:`Thresholds` defaults); only ``field`` changes.

    Returns
    -------
    DataFrame
        One row per value and graded type, values in the given order and types in the order of
        the family: ``field`` (the value tried), ``type``, ``precision``, ``recall``, ``f1``,
        ``support`` (true count), ``predicted`` (predicted count) and ``macro_f1`` (of the whole
        family at that value). Scores come from :func:`custkit.typology.grade`
        (scikit-learn), graded as in :func:`custkit.typology.grade_typology`.

    Notes
    -----
    The rules of a family are applied in order with "first match wins", so loosening one type's
    threshold also takes customers away from the types that come after it.
    """
    require_frame(features, "features")
    require_frame(truth, "truth")
    require_columns(features, [customer], "features")
    require_columns(truth, [customer], "truth")
    require_choice(family, "family", list(_FAMILIES))
    base = Thresholds() if thresholds is None else thresholds
    if not isinstance(base, Thresholds):
        raise CustkitError(f"thresholds must be a custkit.typology.Thresholds, got {type(base).__name__}.")
    names = [f.name for f in dataclasses.fields(Thresholds)]
    if field not in names:
        raise CustkitError(f"field {field!r} is not a threshold; choose one of {names}.")
    if isinstance(values, str) or not isinstance(values, Sequence) or len(values) == 0:
        raise CustkitError(f"values must be a non-empty list of numbers for {field}, e.g. [0.1, 0.3, 0.5]; "
                           f"got {values!r}.")
    truth_column, labels = _FAMILIES[family]
    rows = []
    for value in values:
        t = dataclasses.replace(base, **{field: value})  # Thresholds validates the value
        g = grade(_predict(features, t, family, customer), truth, column=family, truth_column=truth_column,
                  labels=labels, customer=customer)
        rows.append(g.per_type.assign(macro_f1=g.macro_f1).assign(**{field: value}))
    out = pd.concat(rows, ignore_index=True)
    return out[[field, "type", "precision", "recall", "f1", "support", "predicted", "macro_f1"]]
