"""The exercise objects: check, hint (two levels), solution; answers compared with a tolerance.

:class:`Exercise` takes a value (a number, a name, a table); :class:`Choice` a multiple-choice
letter. A check teaches: it recognises the typical mistakes an exercise lists, tells a rounded
number "close: do not round", unwraps a one-element Series or list, and says what type was
expected when the answer is of another kind (text that looks like a number, a whole table where
one value was asked). Messages are plain text so that stored notebook outputs stay stable under
nbval.
"""

from __future__ import annotations

import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from custkit.errors import CustkitError

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


_last_checks: dict[str, CheckResult] = {}


def last_checks() -> dict[str, CheckResult]:
    """The last :class:`CheckResult` of every exercise checked in this process, by exercise name.

    A registry for graders: ``custkit grade`` (custkit.classroom.grade) runs a handed-in notebook
    and reads it at the end, so that outcomes come from the checks themselves, not from printed
    text. Keys are the exercises' names (``"Q1"``, ``"Warm-up"``); checking an exercise again
    replaces its entry (the last run of a cell counts). An exercise never checked is absent.
    Returns a copy.
    """
    return dict(_last_checks)


def clear_checks() -> None:
    """Forget every recorded check (see :func:`last_checks`)."""
    _last_checks.clear()


def _recorded(check):
    """Record what ``check`` returns in :func:`last_checks`; the result itself is unchanged."""

    @functools.wraps(check)
    def wrapper(self, answer: Any = ...) -> CheckResult:
        result = check(self, answer)
        _last_checks[self.name] = result
        return result

    return wrapper


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


def _kind(value: Any) -> str:
    """A student's word for what ``value`` is."""
    if isinstance(value, bool):
        return "True/False"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) of {len(value)} rows and {value.shape[1]} columns"
    if isinstance(value, pd.Series | pd.Index | np.ndarray | list | tuple | set | frozenset):
        return f"a {type(value).__name__} of {len(value)} values"
    return f"a {type(value).__name__}"


def _unwrap(value: Any) -> Any:
    """A one-element Series, Index, array, list, tuple or 1x1 DataFrame as its single value."""
    if isinstance(value, pd.DataFrame):
        return _unwrap(value.iloc[0, 0]) if value.shape == (1, 1) else value
    if isinstance(value, pd.Series | pd.Index | np.ndarray | list | tuple):
        if len(value) == 1 and np.ndim(value) == 1:
            return _unwrap(value.iloc[0] if isinstance(value, pd.Series) else list(value)[0])
        return value
    return _to_comparable(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _looks_like_number(text: str) -> bool:
    try:
        float(text.strip().replace(",", "").rstrip("%"))
    except ValueError:
        return False
    return True


def _rounded_version(given: float, expected: float) -> bool:
    """Whether ``given`` is ``expected`` rounded (0-6 decimals, or 1-3 significant figures)."""
    if not (math.isfinite(given) and math.isfinite(expected)) or expected == 0:
        return False
    candidates = [round(expected, k) for k in range(7)]
    magnitude = math.floor(math.log10(abs(expected)))
    candidates += [round(expected, s - 1 - magnitude) for s in (1, 2, 3)]
    return any(math.isclose(given, c, rel_tol=1e-9, abs_tol=1e-12) for c in candidates)


class Exercise:
    """One question of a notebook, answered with a value.

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
        A nudge that does not give the answer away, or two levels ``(nudge, stronger hint)``:
        ``hint()`` prints the first, ``hint(2)`` the second.
    solution
        Code (or prose) that answers the question.
    rel_tol, abs_tol
        Tolerances for numbers (and arrays, Series, DataFrames of numbers).
    decimals
        The precision the notebook prints this number at (2 for a share shown as ``0.32``): an
        answer equal to the expected one at that precision is accepted. ``None`` (default): only
        ``rel_tol`` / ``abs_tol``, and a rounded answer is told "close: do not round".
    mistakes
        Typical wrong answers and the lesson each teaches; checked before the generic messages.
    """

    def __init__(
        self,
        name: str,
        question: str,
        expected: Any,
        hint: str | Sequence[str],
        solution: str,
        *,
        rel_tol: float = 1e-3,
        abs_tol: float = 1e-9,
        decimals: int | None = None,
        mistakes: Sequence[Mistake] = (),
        wrong_message: str = "that is not the answer yet. Try hint() for a nudge.",
    ) -> None:
        self.name = name
        self.question = question
        self._expected = expected
        self.hints = (hint,) if isinstance(hint, str) else tuple(hint)
        if not 1 <= len(self.hints) <= 2 or not all(isinstance(h, str) for h in self.hints):
            raise CustkitError(f"{name}: hint must be a string or a pair of strings (nudge, stronger hint).")
        self.solution_text = solution
        self.rel_tol = rel_tol
        self.abs_tol = abs_tol
        if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0):
            raise CustkitError(f"{name}: decimals must be a whole number >= 0 or None, got {decimals!r}.")
        self.decimals = decimals
        self.mistakes = tuple(mistakes)
        self.wrong_message = wrong_message
        self._answer: Any = ...

    @property
    def hint_text(self) -> str:
        """The first hint."""
        return self.hints[0]

    @property
    def answer(self) -> Any:
        """The expected answer (computed on first use)."""
        if self._answer is ...:
            self._answer = self._expected() if callable(self._expected) else self._expected
        return self._answer

    def _accepts(self, given: Any) -> bool:
        expected = _to_comparable(self.answer)
        if _matches(given, expected, self.rel_tol, self.abs_tol):
            return True
        if self.decimals is not None and _is_number(given) and _is_number(expected):
            half_step = 0.5 * 10.0 ** -self.decimals
            return abs(float(given) - float(expected)) <= half_step * (1 + 1e-9)
        return False

    def _guidance(self, given: Any) -> str | None:
        """What kind of answer was expected, when ``given`` is of another kind (or rounded)."""
        expected = _to_comparable(self.answer)
        if isinstance(expected, bool):
            return None if isinstance(given, bool) else f"expected True or False, got {_kind(given)}."
        if _is_number(expected):
            if isinstance(given, str):
                if _looks_like_number(given):
                    return (f"{given!r} is text (it is in quotes); give the number itself, "
                            f"without quotes: {given.strip().strip('%')}.")
                return f"expected a number, got text ({given!r})."
            if _is_number(given):
                g, e = float(given), float(expected)
                if 0 < abs(e) < 1 and math.isclose(g, 100 * e, rel_tol=max(self.rel_tol, 5e-3)):
                    return "that looks like a percentage; give a share between 0 and 1."
                if _rounded_version(g, e) or math.isclose(g, e, rel_tol=0.01):
                    return "close: do not round; give the value as Python computes it."
                return None
            if isinstance(given, pd.DataFrame | pd.Series | pd.Index | np.ndarray | list | tuple | set | frozenset):
                return (f"expected one number, got {_kind(given)}; pick the one value you need "
                        "(for example with .loc[...], .iloc[0], .max() or len(...)).")
            return f"expected a number, got {_kind(given)}."
        if isinstance(expected, str):
            if isinstance(given, str):
                return None
            if isinstance(given, pd.DataFrame | pd.Series | pd.Index | np.ndarray | list | tuple | set | frozenset):
                return f"expected one name (text), got {_kind(given)}; pick the one value you need."
            return f"expected a name (text in quotes), got {_kind(given)}."
        if isinstance(expected, pd.DataFrame) and not isinstance(given, pd.DataFrame):
            return f"expected a table (DataFrame), got {_kind(given)}."
        if isinstance(expected, pd.Series) and not isinstance(given, pd.Series):
            return f"expected a Series, got {_kind(given)}."
        return None

    @_recorded
    def check(self, answer: Any = ...) -> CheckResult:
        """Check ``answer``; returns a :class:`CheckResult` that displays its message."""
        if answer is ... or answer is None:
            return CheckResult(
                "not_attempted", f"{self.name}: replace ... with your answer, run the cell, then check again."
            )
        expected = _to_comparable(self.answer)
        scalar = _is_number(expected) or isinstance(expected, str | bool)
        given = _unwrap(answer) if scalar else answer
        if self._accepts(given):
            return CheckResult("correct", f"{self.name}: well done.")
        for mistake in self.mistakes:
            if callable(mistake.answer):
                try:
                    hit = bool(mistake.answer(given))
                except (TypeError, ValueError, KeyError, AttributeError):
                    hit = False
            else:
                hit = _matches(given, mistake.answer, self.rel_tol, self.abs_tol)
            if hit:
                return CheckResult("incorrect", f"{self.name}: {mistake.message}")
        guidance = self._guidance(given)
        return CheckResult("incorrect", f"{self.name}: {guidance or self.wrong_message}")

    def hint(self, level: int = 1) -> None:
        """Print the first hint, or with ``level=2`` the stronger one."""
        if level not in (1, 2) or isinstance(level, bool):
            print(f"Hint ({self.name}): ask for hint() or hint(2).")
            return
        if len(self.hints) == 1:
            print(f"Hint ({self.name}): {self.hints[0]}")
            return
        print(f"Hint {level} of 2 ({self.name}): {self.hints[level - 1]}")
        if level == 1:
            print("Still stuck? hint(2) gives a stronger hint.")

    def solution(self) -> None:
        """Print the solution, unless solutions are turned off (student copies)."""
        if not solutions_enabled():
            print(f"Solution ({self.name}): not available in the student copy; ask your trainer.")
            return
        print(f"Solution ({self.name}):\n{self.solution_text}")

    def __repr__(self) -> str:
        return f"{self.name}: {self.question}"


class Choice(Exercise):
    """A multiple-choice question: the answer is one letter of ``options``.

    Parameters
    ----------
    options
        Letter -> the option's text, in display order (``{"a": "...", "b": "..."}``).
    answer
        The right letter, or a function of no arguments returning it (computed from the data, so
        that the question holds on any shop).
    why
        Letter -> what a student who chose that wrong option should learn; a wrong letter without
        an entry gets a generic message.
    """

    def __init__(
        self,
        name: str,
        question: str,
        options: dict[str, str],
        answer: Any,
        hint: str | Sequence[str],
        solution: str,
        *,
        why: dict[str, str] | None = None,
    ) -> None:
        if not isinstance(options, dict) or len(options) < 2:
            raise CustkitError(f"{name}: options must be a dict of at least two letters -> texts.")
        self.options = {str(k).strip().casefold(): str(v) for k, v in options.items()}
        self.why = {str(k).strip().casefold(): str(v) for k, v in (why or {}).items()}
        stray = sorted(set(self.why) - set(self.options))
        if stray:
            raise CustkitError(f"{name}: why has letters {stray} that are not options.")
        super().__init__(name, question, answer, hint, solution)

    @property
    def answer(self) -> str:
        """The right letter (computed on first use)."""
        if self._answer is ...:
            letter = self._expected() if callable(self._expected) else self._expected
            letter = str(letter).strip().casefold()
            if letter not in self.options:
                raise CustkitError(f"{self.name}: the right answer {letter!r} is not one of {list(self.options)}.")
            self._answer = letter
        return self._answer

    def _letter(self, answer: Any) -> str | None:
        answer = _unwrap(answer)
        if not isinstance(answer, str):
            return None
        text = answer.strip().strip("().").strip().casefold()
        if text in self.options:
            return text
        by_text = [k for k, v in self.options.items() if v.strip().casefold() == answer.strip().casefold()]
        return by_text[0] if by_text else None

    @_recorded
    def check(self, answer: Any = ...) -> CheckResult:
        """Check a letter such as ``"b"``; a wrong option gets the lesson written for it."""
        if answer is ... or answer is None:
            return CheckResult(
                "not_attempted", f"{self.name}: replace ... with your answer, run the cell, then check again."
            )
        letters = ", ".join(repr(k) for k in self.options)
        letter = self._letter(answer)
        if letter is None:
            return CheckResult("incorrect", f"{self.name}: answer with one letter, in quotes: {letters}.")
        if letter == self.answer:
            return CheckResult("correct", f"{self.name}: well done.")
        return CheckResult("incorrect", f"{self.name}: {self.why.get(letter, self.wrong_message)}")

    def __repr__(self) -> str:
        lines = [f"{self.name}: {self.question}"] + [f"  ({k}) {v}" for k, v in self.options.items()]
        return "\n".join(lines)
