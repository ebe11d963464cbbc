"""The answer sheet: every exercise's expected answer, computed by running the notebook."""

from __future__ import annotations

import re
import shutil
import types
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import custkit as ck
from custkit.classroom.answers import answer_sheet, describe_exercises, readable, render_html, write_answers
from custkit.errors import OutputExistsError
from custkit.exercises import nb00
from custkit.exercises.core import Choice, Exercise

ROOT = Path(__file__).resolve().parents[1]
FASTEST = ROOT / "notebooks" / "00_start_here.ipynb"


@pytest.fixture(scope="module")
def sheet(tmp_path_factory):
    folder = tmp_path_factory.mktemp("answers")
    shutil.copy(FASTEST, folder / FASTEST.name)
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Notes"), new_code_cell("x = 1")]), folder / "99_notes.ipynb")
    return answer_sheet(folder, timeout=180)


def test_every_exercise_of_notebook_00_with_its_expected_answer(sheet):
    entry = sheet[0]
    assert (entry.notebook, entry.title, entry.problem) == ("00_start_here", "00 · Start here", None)
    expected = [e for e in vars(nb00.exercises(ck.load_shop())).values() if isinstance(e, Exercise)]
    assert [i["name"] for i in entry.exercises] == [e.name for e in expected]
    for item, ex in zip(entry.exercises, expected):
        want = f"({ex.answer}) {ex.options[ex.answer]}" if isinstance(ex, Choice) else readable(ex.answer)
        assert item["answer"] == want, item["name"]
        assert item["question"] == ex.question and item["solution"] == ex.solution_text
        assert item["hints"] == list(ex.hints)
    # and the notebook's own solution cells check correct against them
    assert {name: c["status"] for name, c in entry.checks.items()} == {e.name: "correct" for e in expected}


def test_a_notebook_without_exercises_is_named_not_fatal(sheet):
    assert sheet[1].notebook == "99_notes" and sheet[1].exercises == []
    assert "not a course notebook" in sheet[1].problem


def test_page_shows_question_answer_hints_and_solution(sheet):
    text = render_html(sheet)
    soup = BeautifulSoup(text, "html.parser")
    visible = re.sub(r"\s+", " ", soup.get_text())
    warmup = sheet[0].exercises[0]
    assert f"Expected answer: {warmup['answer']}" in visible
    assert warmup["hints"][1] in visible and soup.find("pre").get_text() == warmup["solution"]
    assert visible.count("The notebook's solution cell checks: correct.") == len(sheet[0].exercises)
    assert soup.find("a", href="00_start_here.html") and soup.find("a", href="index.html")
    assert "Problem: no exercises" in visible


def test_readable_precision():
    assert readable(0.3172413) == "0.3172"
    assert readable(12345.678) == "12,345.68"
    assert readable(4200) == "4,200"
    assert readable(True) == "True"
    assert readable({"b", "a"}) == "a, b"
    assert readable(pd.Series([0.123456], index=["x"], name="share")) == "   share\nx 0.1235"


def test_describe_exercises_by_hand():
    boom = Exercise("Q3", "Fails", lambda: 1 / 0, "h", "s")
    ex = types.SimpleNamespace(
        q1=Exercise("Q1", "A share?", 0.3172413, ("nudge", "stronger"), "answer = 0.3172413", decimals=3),
        q2=Choice("Q2", "Which?", {"a": "this", "b": "that"}, "b", "h", 'answer = "b"'),
        q3=boom, other=42)
    items = describe_exercises(ex)
    assert [i["attr"] for i in items] == ["q1", "q2", "q3"]
    assert items[0]["answer"] == "0.3172"
    assert items[0]["accepted"] == "equal at 3 decimals (0.317), or within a relative 0.001"
    assert items[1]["answer"] == "(b) that" and items[1]["options"] == {"a": "this", "b": "that"}
    assert items[2]["error"] == "ZeroDivisionError: division by zero" and "answer" not in items[2]
    frame = describe_exercises(types.SimpleNamespace(q1=Exercise("Q1", "T", pd.DataFrame({"x": [1.5]}), "h", "s")))
    assert "<table" in frame[0]["answer_html"]
    assert describe_exercises(None) == []


def test_write_answers_refuses_to_overwrite(tmp_path):
    src = tmp_path / "nb"
    src.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# Notes")]), src / "a.ipynb")
    out = write_answers(src, tmp_path / "answers.html")
    assert "Answer sheet" in out.read_text(encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force"):
        write_answers(src, out)
    assert write_answers(src, out, force=True) == out
