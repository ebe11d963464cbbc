"""The exercise object: accepts correct answers within tolerance, teaches on typical mistakes."""

import pandas as pd
import pytest

from custkit.exercises import Exercise, Mistake, set_solutions_enabled


@pytest.fixture
def q():
    return Exercise(
        "Q1", "What share of customers bought twice or more?", expected=lambda: 0.25,
        hint="Count customers with 2+ orders.", solution="(orders_per_customer >= 2).mean()",
        mistakes=[Mistake(25, "give a share between 0 and 1, not a percentage."),
                  Mistake(lambda a: isinstance(a, float) and a > 0.9, "that counts everyone who bought once.")],
    )


def test_not_attempted(q):
    assert q.check().status == "not_attempted"
    assert q.check(None).status == "not_attempted"
    assert "replace ..." in repr(q.check())


def test_correct_within_tolerance(q):
    assert q.check(0.25).correct
    assert q.check(0.2500001).correct
    assert not q.check(0.26).correct


def test_typical_mistakes_teach(q):
    assert "not a percentage" in repr(q.check(25))
    assert "everyone who bought once" in repr(q.check(0.95))
    assert "hint()" in repr(q.check(0.5))


def test_wrong_types_are_wrong_not_errors(q):
    assert q.check("0.25").status == "incorrect"
    assert q.check(True).status == "incorrect"


def test_frames_and_sets():
    frame = pd.DataFrame({"segment": ["a", "b"], "n": [1.0, 2.0]})
    qf = Exercise("Q2", "table", expected=frame, hint="", solution="")
    assert qf.check(frame[["n", "segment"]].copy()).correct
    assert not qf.check(frame.assign(n=[1.0, 3.0])).correct
    qs = Exercise("Q3", "which", expected={"Hesitant", "Impulsive"}, hint="", solution="")
    assert qs.check(["impulsive", "hesitant"]).correct
    assert not qs.check(["impulsive"]).correct


def test_solution_hidden_in_student_mode(q, capsys):
    q.solution()
    assert ">= 2" in capsys.readouterr().out
    set_solutions_enabled(False)
    try:
        q.solution()
        out = capsys.readouterr().out
        assert "not available in the student copy" in out and ">= 2" not in out
    finally:
        set_solutions_enabled(True)
