"""The exercise object: check, hint, solution; answers compared with a tolerance.

Messages are plain text so that stored notebook outputs stay stable under nbval.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

_SOLUTIONS_ENV = "CUSTKIT_HIDE_SOLUTIONS"
_state = {"solutions": os.environ.get(_SOLUTIONS_ENV, "") == ""}


def solutions_enabled() -> bool:
    """Whether ``solution()`` reveals answers (off in the student copies of the notebooks)."""
    return _state["solutions"]


def set_solutions_enabled(enabled: bool) -> None:
    """Turn ``solution()`` on or off for this session (the student build turns it off)."""
    _state["solutions"] = bool(enabled)


@dataclass(frozen=True)
class CheckResult:
    """The outcome of a check: ``status`` is ``correct``, ``incorrect`` or ``not_attempted``."""

    status: str
    message: str

    @property
    def correct(self) -> bool:
        return self.status == "correct"

    def __bool__(self) -> bool:
        return self.correct

    def __repr__(self) -> str:
        mark = {"correct": "Correct", "incorrect": "Not yet", "not_attempted": "Not attempted"}[self.status]
        return f"{mark}: {self.message}"


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer and what it teaches.

    ``answer`` is either the wrong value itself (compared like a correct answer, with the same
    tolerance) or a predicate ``answer -> bool``.
    """

    answer: Any
    message: str


def _to_comparable(value: Any) -> Any:
    if isinstance(value, pd.Series | pd.Index | np.ndarray | list | tuple | set | frozenset):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return value


def _matches(given: Any, expected: Any, rel_tol: float, abs_tol: float) -> bool:
    given, expected = _to_comparable(given), _to_comparable(expected)
    if isinstance(expected, bool) or isinstance(given, bool):
        return isinstance(given, bool) and given == expected
    if isinstance(expected, int | float) and not isinstance(expected, bool):
        if not isinstance(given, int | float) or isinstance(given, bool):
            return False
        return math.isclose(float(given), float(expected), rel_tol=rel_tol, abs_tol=abs_tol)
    if isinstance(expected, str):
        return isinstance(given, str) and given.strip().casefold() == expected.strip().casefold()
    if isinstance(expected, set | frozenset):
        try:
            return {str(x).casefold() for x in given} == {str(x).casefold() for x in expected}
        except TypeError:
            return False
    if isinstance(expected, pd.DataFrame):
        if not isinstance(given, pd.DataFrame):
            return False
        try:
            pd.testing.assert_frame_equal(
                given.reset_index(drop=True), expected.reset_index(drop=True),
                check_dtype=False, check_exact=False, rtol=rel_tol, atol=abs_tol, check_like=True,
            )
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    if isinstance(expected, pd.Series):
        if not isinstance(given, pd.Series):
            return False
        try:
            pd.testing.assert_series_equal(
                given.sort_index(), expected.sort_index(), check_dtype=False, check_names=False,
                check_exact=False, rtol=rel_tol, atol=abs_tol,
            )
        except (AssertionError, TypeError, ValueError):
            return False
        return True
    if isinstance(expected, list | tuple | np.ndarray):
        try:
            g, e = np.asarray(given, dtype=float), np.asarray(expected, dtype=float)
        except (TypeError, ValueError):
            return list(given) == list(expected)
        return g.shape == e.shape and bool(np.allclose(g, e, rtol=rel_tol, atol=abs_tol))
    return given == expected


class Exercise:
    """One question of a notebook.

    Parameters
    ----------
    name
        Short label, such as ``"Q1"``.
    question
        The question in one or two sentences (shown when the exercise is displayed).
    expected
        The correct answer, or a function of no arguments computing it from the data (evaluated
        once, when first needed, so that defining a question costs nothing).
    hint
        A nudge that does not give the answer away.
    solution
        Code (or prose) that answers the question.
    rel_tol, abs_tol
        Tolerances for numbers (and arrays, Series, DataFrames of numbers).
    mistakes
        Typical wrong answers and the lesson each teaches; checked before the generic message.
    """

    def __init__(
        self,
        name: str,
        question: str,
        expected: Any,
        hint: str,
        solution: str,
        *,
        rel_tol: float = 1e-3,
        abs_tol: float = 1e-9,
        mistakes: Sequence[Mistake] = (),
        wrong_message: str = "that is not the answer yet. Try hint() for a nudge.",
    ) -> None:
        self.name = name
        self.question = question
        self._expected = expected
        self.hint_text = hint
        self.solution_text = solution
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        self.mistakes = tuple(mistakes)
        self.wrong_message = wrong_message
        self._answer: Any = ...

    @property
    def answer(self) -> Any:
        """The expected answer (computed on first use)."""
        if self._answer is ...:
            self._answer = self._expected() if callable(self._expected) else self._expected
        return self._answer

    def check(self, answer: Any = ...) -> CheckResult:
        """Check ``answer``; returns a :class:`CheckResult` that displays its message."""
        if answer is ... or answer is None:
            return CheckResult(
                "not_attempted", f"{self.name}: replace ... with your answer, run the cell, then check again."
            )
        if _matches(answer, self.answer, self.rel_tol, self.abs_tol):
            return CheckResult("correct", f"{self.name}: well done.")
        for mistake in self.mistakes:
            if callable(mistake.answer):
                hit = bool(mistake.answer(answer))
            else:
                hit = _matches(answer, mistake.answer, self.rel_tol, self.abs_tol)
            if hit:
                return CheckResult("incorrect", f"{self.name}: {mistake.message}")
        return CheckResult("incorrect", f"{self.name}: {self.wrong_message}")

    def hint(self) -> None:
        """Print a nudge."""
        print(f"Hint ({self.name}): {self.hint_text}")

    def solution(self) -> None:
        """Print the solution, unless solutions are turned off (student copies)."""
        if not solutions_enabled():
            print(f"Solution ({self.name}): not available in the student copy; ask your trainer.")
            return
        print(f"Solution ({self.name}):\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"{self.name}: {self.question}"
