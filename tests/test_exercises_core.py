"""The exercise object: accepts correct answers within tolerance, teaches on typical mistakes."""

import pandas as pd
import pytest

from custkit.errors import CustkitError
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


def test_text_that_looks_like_a_number_is_told_to_give_a_number(q):
    result = q.check("0.25")
    assert result.status == "incorrect" and "is text" in result.message and "without quotes: 0.25" in result.message
    assert "expected a number, got text" in q.check("a quarter").message


def test_one_element_containers_are_unwrapped(q):
    assert q.check(pd.Series([0.25], index=["x"])).correct
    assert q.check([0.25]).correct
    assert q.check(pd.DataFrame({"share": [0.25]})).correct
    many = q.check(pd.Series([0.25, 0.5]))
    assert many.status == "incorrect" and "expected one number, got a Series of 2 values" in many.message
    assert "got a table (DataFrame) of 2 rows" in q.check(pd.DataFrame({"a": [1, 2], "b": [3, 4]})).message
    assert "expected a number, got True/False" in q.check(True).message


def test_rounded_answers_are_told_not_to_round():
    q = Exercise("Q1", "share", expected=0.318271, hint="", solution="")
    assert "close: do not round" in q.check(0.32).message
    assert "close: do not round" in q.check(0.3).message
    assert "percentage" in q.check(31.8271).message
    assert "close" not in q.check(0.5).message


def test_decimals_accepts_the_printed_precision_only():
    q = Exercise("Q1", "share", expected=0.318271, hint="", solution="", decimals=2)
    assert q.check(0.32).correct and q.check(0.3183).correct
    assert not q.check(0.33).correct
    assert "close: do not round" in q.check(0.3).message
    with pytest.raises(CustkitError, match="decimals"):
        Exercise("Q1", "share", expected=0.3, hint="", solution="", decimals=-1)


def test_a_name_is_expected_as_text():
    q = Exercise("Q2", "which segment", expected="champions", hint="", solution="")
    assert q.check(pd.Series(["Champions"])).correct
    assert "expected a name (text in quotes), got a number" in q.check(3).message
    assert "expected one name (text), got a list of 2 values" in q.check(["champions", "loyal"]).message


def test_two_level_hints(capsys):
    q = Exercise("Q1", "share", expected=0.25, hint=("Think of repeat buyers.", "Use (n >= 2).mean()."),
                 solution="")
    q.hint()
    out = capsys.readouterr().out
    assert "Hint 1 of 2 (Q1): Think of repeat buyers." in out and "hint(2)" in out and "mean()" not in out
    q.hint(2)
    assert "Hint 2 of 2 (Q1): Use (n >= 2).mean()." in capsys.readouterr().out
    q.hint(3)
    assert "hint() or hint(2)" in capsys.readouterr().out
    with pytest.raises(CustkitError, match="pair of strings"):
        Exercise("Q1", "x", 1, ("a", "b", "c"), "")


def test_a_mistake_predicate_that_raises_is_no_match():
    q = Exercise("Q1", "x", expected=3, hint="", solution="",
                 mistakes=[Mistake(lambda a: a["key"] == 1, "never shown")])
    assert q.check(4).status == "incorrect" and "never shown" not in q.check(4).message


@pytest.fixture
def choice():
    from custkit.exercises import Choice

    return Choice(
        "Q6", "Which step loses most visitors?",
        {"a": "Product view to cart", "b": "Cart to checkout", "c": "Checkout to purchase"},
        answer=lambda: "a", hint=("Compare the conversions.", "Look for the smallest one."),
        solution="answer = 'a'",
        why={"c": "checkout keeps most of those who reach it; the loss happens earlier."},
    )


def test_choice_accepts_the_letter_in_any_spelling(choice):
    assert choice.check("a").correct and choice.check(" A ").correct and choice.check("(a)").correct
    assert choice.check("Product view to cart").correct
    assert choice.check(pd.Series(["a"])).correct


def test_choice_teaches_on_a_wrong_option_and_rejects_non_letters(choice):
    assert "the loss happens earlier" in choice.check("c").message
    assert "not the answer yet" in choice.check("b").message
    bad = choice.check("d")
    assert bad.status == "incorrect" and "one letter, in quotes: 'a', 'b', 'c'" in bad.message
    assert "one letter" in choice.check(1).message
    assert choice.check(...).status == "not_attempted"


def test_choice_shows_its_options_and_validates_itself(choice):
    from custkit.exercises import Choice

    assert repr(choice).splitlines() == ["Q6: Which step loses most visitors?", "  (a) Product view to cart",
                                         "  (b) Cart to checkout", "  (c) Checkout to purchase"]
    with pytest.raises(CustkitError, match="not options"):
        Choice("Q", "x", {"a": "1", "b": "2"}, "a", "", "", why={"z": "?"})
    broken = Choice("Q", "x", {"a": "1", "b": "2"}, lambda: "e", "", "")
    with pytest.raises(CustkitError, match="not one of"):
        broken.check("a")
