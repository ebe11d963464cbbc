"""The gradebook: solution notebooks get full marks, student copies nothing, bad notebooks a row."""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

import custkit as ck
from custkit.classroom import student_notebook
from custkit.classroom.grade import (
    NOTEBOOK_ROW,
    Row,
    catalogue,
    exercise_summary,
    grade,
    gradebook_paths,
    identify,
    student_name,
    student_summary,
)
from custkit.errors import CustkitError, OutputExistsError
from custkit.exercises import nb00
from custkit.exercises.core import Exercise, clear_checks, last_checks

ROOT = Path(__file__).resolve().parents[1]
FASTEST = ROOT / "notebooks" / "00_start_here.ipynb"  # one shop load, no model fits: ~6 s
HANG_LIMIT = 8.0


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def broken_notebook() -> nbformat.NotebookNode:
    """Notebook 00's set-up, a right warm-up, a cell that raises, then a wrong Q1."""
    return new_notebook(cells=[
        new_markdown_cell("# 00 · Start here"),
        new_code_cell("import custkit as ck\nfrom custkit.exercises import nb00\n"
                      "shop = ck.open_shop(None)\nex = nb00.exercises(shop)"),
        new_code_cell("answer = len(shop.products)\nex.warmup.check(answer)"),
        new_code_cell("shop.orders['no_such_column']"),
        new_code_cell("answer = 0.5\nex.q1.check(answer)"),
    ])


def hanging_notebook() -> nbformat.NotebookNode:
    """A course notebook (it imports nb01) whose kernel starts a child process, then hangs."""
    return new_notebook(cells=[
        new_code_cell("from custkit.exercises import nb01  # a course notebook"),
        new_code_cell("import os, subprocess, sys, time\n"
                      "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
                      "open('pids.txt', 'w').write(f'{os.getpid()} {child.pid}')\n"
                      "time.sleep(600)"),
    ])


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z" if Path(f"/proc/{pid}").exists() else True


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """One run over a class: a solution notebook, a student copy, a broken, a foreign and an
    unreadable notebook, and a student who handed nothing in (the hanging one is timed apart)."""
    base = tmp_path_factory.mktemp("grade")
    sub = base / "submissions"
    for name in ("erin", "gus"):
        (sub / name).mkdir(parents=True)
    shutil.copy(FASTEST, sub / "erin" / FASTEST.name)                       # the trainer's solutions
    nbformat.write(student_notebook(nbformat.read(FASTEST, as_version=4)), sub / "frank_00_start_here.ipynb")
    nbformat.write(broken_notebook(), sub / "alice_00_start_here.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("print('my own analysis')")]), sub / "carol.ipynb")
    (sub / "dave.ipynb").write_text("{not json", encoding="utf-8")
    out = base / "marks" / "gradebook.csv"
    start = time.monotonic()
    rows = grade([sub], out, timeout=180)
    return {"rows": rows, "out": out, "seconds": time.monotonic() - start, "base": base}


def rows_of(graded, student: str) -> dict[str, Row]:
    return {r.exercise: r for r in graded["rows"] if r.student == student}


def test_solution_notebook_gets_full_marks(graded):
    rows = rows_of(graded, "erin")
    names = list(catalogue("nb00"))
    assert names == [e.name for e in vars(nb00.exercises(ck.load_shop())).values() if isinstance(e, Exercise)]
    assert list(rows) == names  # no notebook row: nothing went wrong
    assert {r.status for r in rows.values()} == {"correct"}
    assert {r.notebook for r in rows.values()} == {"00_start_here"}


def test_student_copy_is_nothing_attempted(graded):
    rows = rows_of(graded, "frank")
    assert list(rows) == list(catalogue("nb00"))
    assert {r.status for r in rows.values()} == {"not_attempted"}
    assert rows["Q1"].message == "Q1: replace ... with your answer, run the cell, then check again."


def test_broken_notebook_gets_an_error_row_and_the_checks_that_ran(graded):
    rows = rows_of(graded, "alice")
    problem = rows[NOTEBOOK_ROW]
    assert problem.status == "error"
    assert problem.message.startswith("error: KeyError: ")
    assert "no_such_column" in problem.message and "(cell 4:" in problem.message
    assert rows["Warm-up"].status == "correct"
    assert rows["Q1"].status == "incorrect"  # the cell after the error still ran
    assert {rows[n].status for n in ("Q2", "Q3", "Q4", "Q5")} == {"not_attempted"}
    assert "ex.q2.check(answer)" in rows["Q2"].message


def test_hanging_notebook_is_stopped_at_the_limit_and_the_run_goes_on(tmp_path):
    sub = tmp_path / "bob"
    sub.mkdir()
    nbformat.write(hanging_notebook(), sub / "01_customer_definitions.ipynb")
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), sub / "notes.ipynb")
    start = time.monotonic()
    rows = grade([sub], tmp_path / "g.csv", timeout=HANG_LIMIT)
    took = time.monotonic() - start
    assert took < HANG_LIMIT + 5, f"the limit was not enforced: {took:.1f} s"
    by = {(r.notebook, r.exercise): r for r in rows}
    assert by[("01_customer_definitions", NOTEBOOK_ROW)].status == "timeout"
    assert by[("01_customer_definitions", NOTEBOOK_ROW)].message.startswith(
        f"timeout: the notebook did not finish within {HANG_LIMIT:g} s")
    assert [r.exercise for r in rows if r.notebook == "01_customer_definitions"][1:] == list(catalogue("nb01"))
    assert by[("notes.ipynb", NOTEBOOK_ROW)].status == "foreign"  # the run went on
    pids = [int(x) for x in (sub / "pids.txt").read_text().split()]  # it ran in the submission's folder
    time.sleep(1)
    assert [pid for pid in pids if alive(pid)] == [], "the kernel or its child survived the time limit"


def test_foreign_unreadable_and_empty_get_a_row(graded):
    assert [(r.exercise, r.status) for r in rows_of(graded, "carol").values()] == [(NOTEBOOK_ROW, "foreign")]
    dave = rows_of(graded, "dave")[NOTEBOOK_ROW]
    assert dave.status == "unreadable" and "open it in Jupyter" in dave.message
    assert rows_of(graded, "gus")[NOTEBOOK_ROW].status == "empty"


def test_files_and_summaries(graded):
    rows, out = graded["rows"], graded["out"]
    main, students, exercises = gradebook_paths(out)
    assert (students.name, exercises.name) == ("gradebook_students.csv", "gradebook_exercises.csv")
    written = read_csv(main)
    assert list(written[0]) == ["student", "notebook", "exercise", "status", "message", "file"]
    assert [tuple(r.values()) for r in written] == [tuple(vars(r).values()) for r in rows]
    per_student = {r["student"]: r for r in read_csv(students)}
    n00 = len(catalogue("nb00"))
    assert per_student["erin"] == {"student": "erin", "correct": str(n00), "attempted": str(n00),
                                   "total": str(n00), "problems": "0"}
    assert per_student["alice"] == {"student": "alice", "correct": "1", "attempted": "2",
                                    "total": str(n00), "problems": "1"}
    assert per_student["frank"]["attempted"] == "0" and per_student["carol"]["total"] == "0"
    per_exercise = {(r["notebook"], r["exercise"]): r for r in read_csv(exercises)}
    # three students handed notebook 00 in: erin right everywhere, alice right at the warm-up only
    assert per_exercise[("00_start_here", "Warm-up")] == {
        "notebook": "00_start_here", "exercise": "Warm-up", "students": "3", "attempted": "2",
        "correct": "2", "share_correct": "0.6667"}
    assert per_exercise[("00_start_here", "Q1")]["share_correct"] == "0.3333"
    assert not list(out.parent.glob("*.part"))


def test_existing_gradebook_needs_force(graded, tmp_path):
    out = graded["out"]
    before = out.read_text(encoding="utf-8")
    with pytest.raises(OutputExistsError, match="--force"):
        grade([tmp_path], out)
    assert out.read_text(encoding="utf-8") == before
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp_path / "x.ipynb")
    rows = grade([tmp_path / "x.ipynb"], out, force=True)
    assert [r.status for r in rows] == ["foreign"] and "foreign" in out.read_text(encoding="utf-8")


def test_bad_arguments(tmp_path):
    with pytest.raises(CustkitError, match="does not exist"):
        grade([tmp_path / "nowhere"], tmp_path / "g.csv")
    (tmp_path / "essay.txt").write_text("hi")
    with pytest.raises(CustkitError, match="not a notebook"):
        grade([tmp_path / "essay.txt"], tmp_path / "g.csv")
    with pytest.raises(CustkitError, match="positive number"):
        grade([tmp_path], tmp_path / "g.csv", timeout=0)
    with pytest.raises(CustkitError, match=r"\.csv"):
        grade([tmp_path], tmp_path / "g.xlsx")
    assert not (tmp_path / "g.csv").exists()


def test_student_names(tmp_path):
    (tmp_path / "class" / "alice").mkdir(parents=True)
    given = tmp_path / "class"
    assert student_name(given / "alice" / "00_start_here.ipynb", given, "00_start_here") == "alice"
    assert student_name(given / "bob_00_start_here.ipynb", given, "00_start_here") == "bob"
    assert student_name(given / "carol.ipynb", given, None) == "carol"
    file = given / "alice" / "00_start_here.ipynb"
    assert student_name(file, file, "00_start_here") == "alice"


def test_identify_from_setup_code_or_name():
    setup = new_notebook(cells=[new_code_cell("from custkit.exercises import nb03\nex = nb03.exercises(shop)")])
    assert identify(setup, Path("anything.ipynb")) == "nb03"
    assert identify(new_notebook(), Path("alice_04_retention_economics.ipynb")) == "nb04"
    assert identify(new_notebook(cells=[new_code_cell("import pandas")]), Path("04_mine.ipynb")) is None
    assert identify(new_notebook(cells=[new_code_cell("ex = nb99.exercises(shop)")]), Path("x.ipynb")) is None


def test_summaries_by_hand():
    rows = [Row("a", "n", "Q1", "correct", "", ""), Row("a", "n", "Q2", "incorrect", "", ""),
            Row("b", "n", "Q1", "not_attempted", "", ""), Row("b", "n", NOTEBOOK_ROW, "error", "", ""),
            Row("b", "n", "Q2", "correct", "", "")]
    assert student_summary(rows) == [
        {"student": "a", "correct": 1, "attempted": 2, "total": 2, "problems": 0},
        {"student": "b", "correct": 1, "attempted": 1, "total": 2, "problems": 1}]
    assert exercise_summary(rows) == [
        {"notebook": "n", "exercise": "Q1", "students": 2, "attempted": 1, "correct": 1, "share_correct": 0.5},
        {"notebook": "n", "exercise": "Q2", "students": 2, "attempted": 2, "correct": 1, "share_correct": 0.5}]


def test_registry_records_the_last_check_and_changes_nothing():
    clear_checks()
    q = Exercise("Q9", "Six times seven?", 42, "multiply", "answer = 6 * 7")
    first = q.check(41)
    assert last_checks()["Q9"] is first and first.status == "incorrect"
    assert q.check(42).status == "correct" and last_checks()["Q9"].status == "correct"
    snapshot = last_checks()
    snapshot.clear()
    assert "Q9" in last_checks()  # a copy
    clear_checks()
    assert last_checks() == {}


def test_command_line(tmp_path, capsys):
    from custkit.cli import GRADE_TIMEOUT, main
    from custkit.classroom.grade import DEFAULT_TIMEOUT

    assert GRADE_TIMEOUT == DEFAULT_TIMEOUT
    nbformat.write(new_notebook(cells=[new_code_cell("x = 1")]), tmp_path / "zoe.ipynb")
    out = tmp_path / "g.csv"
    assert main(["grade", str(tmp_path / "zoe.ipynb"), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "Graded 1 student(s)" in printed and "1 notebook(s) with a problem" in printed
    assert read_csv(out)[0]["status"] == "foreign"
    assert main(["grade", str(tmp_path / "zoe.ipynb"), "--out", str(out)]) == 2
    assert "--force" in capsys.readouterr().err


def test_a_worker_past_the_limit_is_killed(tmp_path):
    from custkit.classroom.grade import run_notebook

    path = tmp_path / "00_start_here.ipynb"
    nbformat.write(hanging_notebook(), path)
    start = time.monotonic()
    outcome = run_notebook(path, timeout=1.0)  # not even time to start the kernel
    assert time.monotonic() - start < 4
    assert outcome["stopped"] == {"kind": "killed"} and outcome["dump"] is None
    assert not (tmp_path / "pids.txt").exists()
