"""Grading inferred types against the simulator's hidden truth (or any labelled sample).

Students infer types from behaviour (:mod:`custkit.typology.rules`) and then lift the curtain:
:func:`grade` compares the predicted labels with the true ones, type by type, and against the
simplest rival there is, always guessing the most common type (the majority-class baseline). A
rule that does not beat that baseline in macro F1 has learnt nothing about the smaller types.
Metrics come from :mod:`sklearn.metrics`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.metrics import accuracy_score, confusion_matrix, f1_score, precision_recall_fscore_support

from custkit._checks import require_columns, require_frame
from custkit.errors import CustkitError, SchemaError


@dataclass(frozen=True)
class Grade:
    """The grade of one family of labels.

    Attributes
    ----------
    column
        The label column graded.
    confusion
        Counts, true labels as rows (index name ``truth``) and predicted labels as columns
        (``predicted``), over ``labels`` in order.
    per_type
        One row per label: ``type``, ``precision``, ``recall``, ``f1``, ``support`` (true count),
        ``predicted`` (predicted count). Precision is 0 for a type never predicted.
    accuracy, macro_f1
        Share of customers labelled right; unweighted mean of the per-type F1.
    baseline_label, baseline_accuracy, baseline_macro_f1
        The most common true label, and the scores of predicting it for everyone.
    n
        Customers graded (those in both ``predicted`` and ``truth``, with a label in ``labels``).
    """

    column: str
    confusion: pd.DataFrame
    per_type: pd.DataFrame
    accuracy: float
    macro_f1: float
    baseline_label: object
    baseline_accuracy: float
    baseline_macro_f1: float
    n: int

    def summary(self) -> pd.Series:
        """The headline numbers as one Series (for a notebook table)."""
        return pd.Series({
            "n": self.n, "accuracy": self.accuracy, "macro_f1": self.macro_f1,
            "baseline_label": self.baseline_label, "baseline_accuracy": self.baseline_accuracy,
            "baseline_macro_f1": self.baseline_macro_f1,
        }, name=self.column, dtype=object)


def _labels_of(values: pd.Series) -> list:
    return sorted(pd.unique(values.dropna()).tolist(), key=str)


def grade(
    predicted: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    column: str = "persona",
    truth_column: str | None = None,
    labels: Sequence[object] | None = None,
    mapping: dict | None = None,
    customer: str = "customer_id",
) -> Grade:
    """Confusion matrix, per-type precision/recall/F1 and the majority-class baseline.

    Parameters
    ----------
    predicted
        One row per customer with ``customer`` and the predicted ``column`` (e.g. the output
        of :func:`custkit.typology.sales_types`).
    truth
        One row per customer with ``customer`` and the true labels (e.g. ``shop.truth``).
    column
        Predicted label column; ``truth_column`` (default: the same name) in ``truth``.
    labels
        Types to grade, in order. Default: every label seen in either table. Customers whose
        true label is not in ``labels`` are left out (e.g. ``never_bought`` when grading the
        four relationship types); predictions outside ``labels`` count as errors.
    mapping
        Optional renaming of true labels before grading (``{"churned": "lost"}``).

    Returns
    -------
    Grade
        See :class:`Grade`. Customers are matched on ``customer``; those missing in either
        table are left out.
    """
    truth_column = truth_column or column
    require_frame(predicted, "predicted")
    require_frame(truth, "truth")
    require_columns(predicted, [customer, column], "predicted")
    require_columns(truth, [customer, truth_column], "truth")
    for df, name in ((predicted, "predicted"), (truth, "truth")):
        if df[customer].duplicated().any():
            raise SchemaError(f"{name}[{customer!r}] has duplicates; give one label per customer.")
    if mapping is not None and not isinstance(mapping, dict):
        raise CustkitError(f"mapping must be a dict of true label -> label, got {type(mapping).__name__}.")
    t = truth[[customer, truth_column]].rename(columns={truth_column: "_truth"})
    if mapping:
        t = t.assign(_truth=t["_truth"].map(lambda v: mapping.get(v, v)))
    both = predicted[[customer, column]].rename(columns={column: "_pred"}).merge(t, on=customer, how="inner")
    both = both.dropna(subset=["_truth"])
    if labels is None:
        labels = sorted(set(_labels_of(both["_truth"])) | set(_labels_of(both["_pred"])), key=str)
    else:
        if isinstance(labels, str) or not isinstance(labels, Sequence) or len(labels) == 0:
            raise CustkitError(f"labels must be a non-empty list of types, got {labels!r}.")
        labels = list(labels)
        both = both.loc[both["_truth"].isin(labels)]
    if both.empty:
        raise CustkitError(f"no customer is in both tables with a true label in {list(labels)[:8]}; check "
                           f"that predicted and truth share {customer!r} values and label names.")
    y_true = both["_truth"].to_numpy(dtype=object)
    y_pred = both["_pred"].astype(object).where(both["_pred"].notna(), "<missing>").to_numpy(dtype=object)
    # Predictions outside `labels` are errors: score them against extra columns. Labels are coded
    # as integers for sklearn, which cannot type object arrays of numbers (knowledge types 1-3).
    extra = sorted({p for p in y_pred if p not in set(labels)}, key=str)
    all_labels = list(labels) + extra
    code = {label: i for i, label in enumerate(all_labels)}
    t_code = np.array([code[v] for v in y_true], dtype=np.int64)
    p_code = np.array([code[v] for v in y_pred], dtype=np.int64)
    graded = list(range(len(labels)))
    cm = confusion_matrix(t_code, p_code, labels=list(range(len(all_labels))))
    confusion = pd.DataFrame(cm[: len(labels)], index=pd.Index(labels, name="truth"),
                             columns=pd.Index(all_labels, name="predicted"))
    p, r, f1, support = precision_recall_fscore_support(t_code, p_code, labels=graded, zero_division=0)
    per_type = pd.DataFrame({
        "type": labels, "precision": p, "recall": r, "f1": f1, "support": support.astype("int64"),
        "predicted": cm[:, : len(labels)].sum(axis=0).astype("int64"),
    })
    counts = pd.Series(t_code).value_counts()
    majority_code = int(counts[counts == counts.max()].index.min())
    majority = all_labels[majority_code]
    base = np.full(len(t_code), majority_code, dtype=np.int64)
    return Grade(
        column=column,
        confusion=confusion,
        per_type=per_type,
        accuracy=float(accuracy_score(t_code, p_code)),
        macro_f1=float(f1_score(t_code, p_code, labels=graded, average="macro", zero_division=0)),
        baseline_label=majority,
        baseline_accuracy=float(accuracy_score(t_code, base)),
        baseline_macro_f1=float(f1_score(t_code, base, labels=graded, average="macro", zero_division=0)),
        n=int(len(y_true)),
    )


def grade_typology(predicted: pd.DataFrame, truth: pd.DataFrame, *, customer: str = "customer_id") -> dict[str, Grade]:
    """Grade every family of labels that ``predicted`` holds against the simulator's truth.

    - ``persona`` against ``truth.persona`` over the six behavioural types;
    - ``knowledge_type`` against ``truth.knowledge_type`` over 1, 2, 3;
    - ``relationship`` against ``truth.lifecycle_state`` over active, at_risk, dissatisfied and
      lost (the four lifecycle types of [001] that the truth records; customers who never bought
      are left out, since that label is read straight from the orders).

    ``predicted`` may be the merge of :func:`~custkit.typology.sales_types` and
    :func:`~custkit.typology.knowledge_types`; families it lacks are skipped.

    Returns
    -------
    dict
        Family name -> :class:`Grade`, for the families present.
    """
    from custkit.typology.rules import PERSONAS

    require_frame(predicted, "predicted")
    plan = {
        "persona": ("persona", list(PERSONAS)),
        "knowledge_type": ("knowledge_type", [1, 2, 3]),
        "relationship": ("lifecycle_state", ["active", "at_risk", "dissatisfied", "lost"]),
    }
    present = [name for name in plan if name in predicted.columns]
    if not present:
        raise SchemaError(f"predicted has none of the label columns {list(plan)}; pass the output of "
                          f"sales_types and/or knowledge_types.")
    return {name: grade(predicted, truth, column=name, truth_column=plan[name][0], labels=plan[name][1],
                        customer=customer) for name in present}
