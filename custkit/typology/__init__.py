"""Customer typology: infer the hidden types of [000] and [001] from behaviour, and grade them.

Concepts B1-B3 of the concept map (notebook 02_typology):

>>> from custkit.typology import customer_features, sales_types, knowledge_types, grade_typology
>>> feats = customer_features(**shop.tables, as_of="2025-12-31")          # doctest: +SKIP
>>> types = sales_types(feats).merge(knowledge_types(feats))                 # doctest: +SKIP
>>> grades = grade_typology(types, shop.truth)                               # doctest: +SKIP
>>> grades["persona"].per_type                                               # doctest: +SKIP

Modules: :mod:`~custkit.typology.features` (one row of observed behaviour per customer),
:mod:`~custkit.typology.rules` (documented, tunable rules: :class:`Thresholds`),
:mod:`~custkit.typology.grading` (confusion matrix, per-type scores, majority baseline) and
:mod:`~custkit.typology.tactics` (what [001] recommends for each type).
"""

from custkit.typology.features import BARGAIN_WORDS, FEATURES, competitor_terms, customer_features
from custkit.typology.grading import Grade, grade, grade_typology
from custkit.typology.rules import (
    KNOWLEDGE_TYPES,
    PERSONAS,
    RELATIONSHIPS,
    Thresholds,
    knowledge_types,
    persona_rules,
    relationship_rules,
    sales_types,
)
from custkit.typology.tactics import knowledge_table, tactics_table
from custkit.typology.tuning import threshold_sweep

__all__ = [
    "BARGAIN_WORDS",
    "FEATURES",
    "Grade",
    "KNOWLEDGE_TYPES",
    "PERSONAS",
    "RELATIONSHIPS",
    "Thresholds",
    "competitor_terms",
    "customer_features",
    "grade",
    "grade_typology",
    "knowledge_table",
    "knowledge_types",
    "persona_rules",
    "relationship_rules",
    "sales_types",
    "tactics_table",
    "threshold_sweep",
]
