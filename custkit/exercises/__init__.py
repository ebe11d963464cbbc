"""Self-checking exercises, in the manner of Kaggle's learntools.

Each question is an :class:`Exercise` (a value) or a :class:`Choice` (multiple choice) with
``check(answer)``, ``hint()`` / ``hint(2)`` and ``solution()``.
``check`` accepts any correct answer within a tolerance, recognises typical mistakes and explains
them, and says so when the exercise was not attempted (the answer is still ``...`` or ``None``).
The notebooks' question sets live in ``custkit.exercises.nbXX`` modules, one per notebook.
"""

from custkit.exercises.core import (
    CheckResult,
    Choice,
    Exercise,
    Mistake,
    solutions_enabled,
    set_solutions_enabled,
)

__all__ = ["CheckResult", "Choice", "Exercise", "Mistake", "solutions_enabled", "set_solutions_enabled"]
