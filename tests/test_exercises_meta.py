"""Every exercise of every notebook teaches: two levels of hints, and a lesson for typical mistakes.

The answers themselves are tested per notebook (``test_exercises_nbNN.py``, on four shops); this
module checks the shape every question must have, so a new question cannot skip it.
"""

from __future__ import annotations

import importlib

import pytest

import custkit as ck
from custkit.errors import CustkitError
from custkit.exercises import Choice, Exercise

NOTEBOOKS = ["00", "01", "02", "03", "04", "05", "06"]


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


def questions(shop, number):
    ex = importlib.import_module(f"custkit.exercises.nb{number}").exercises(shop)
    return {name: q for name, q in vars(ex).items() if isinstance(q, Exercise)}


@pytest.mark.parametrize("number", NOTEBOOKS)
def test_every_question_has_two_hints_and_lessons_for_mistakes(shop, number):
    found = questions(shop, number)
    assert found, f"notebook {number} has no exercise"
    problems = []
    for name, q in found.items():
        if name == "warmup":
            continue
        if len(q.hints) != 2:
            problems.append(f"{name}: {len(q.hints)} hint level(s), not 2")
        elif q.hints[1] == q.hints[0] or len(q.hints[0]) < 20:
            problems.append(f"{name}: the first hint is empty or the same as the second")
        if isinstance(q, Choice):
            # a data-dependent answer may be any letter; on the classroom shop every other letter must teach
            # (nb06's questions need the notebook's sweep first: there, all letters but one must teach)
            try:
                wrong = set(q.options) - {q.answer}
                allowed = 0
            except CustkitError:
                wrong, allowed = set(q.options), 1
            missing = sorted(w for w in wrong if w not in q.why)
            if len(missing) > allowed:
                problems.append(f"{name}: wrong options {missing} have no lesson (why=)")
        elif not q.mistakes:
            problems.append(f"{name}: no typical mistake with a lesson")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("number", NOTEBOOKS)
def test_every_notebook_has_a_computation_and_a_multiple_choice_question(shop, number):
    found = questions(shop, number)
    assert any(isinstance(q, Choice) for q in found.values()), f"notebook {number}: no multiple-choice question"
    by_hand = [n for n, q in found.items() if not isinstance(q, Choice)
               and any(w in q.question.casefold() for w in ("by hand", "yourself", "with pandas"))]
    assert by_hand, f"notebook {number}: no exercise asks to compute something by hand"
