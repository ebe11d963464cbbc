"""Student copies: no solution survives, exercises and checks stay, solution() is off, it runs."""

from __future__ import annotations

import copy
import importlib
import json
import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

import custkit as ck
from custkit.classroom import build_student, student_notebook
from custkit.errors import CustkitError, OutputExistsError
from custkit.exercises.core import Exercise

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
FASTEST = ROOT / "notebooks" / "00_start_here.ipynb"  # the orientation notebook: one shop load, no fits


def tags(cell) -> list[str]:
    return cell.get("metadata", {}).get("tags", [])


def all_text(node) -> str:
    """Every string anywhere in a notebook (sources, outputs, metadata), joined."""
    if isinstance(node, str):
        return node
    if isinstance(node, dict):
        return "\n".join(all_text(k) + "\n" + all_text(v) for k, v in node.items())
    if isinstance(node, list):
        return "\n".join(all_text(v) for v in node)
    return ""


def tiny_notebook() -> nbformat.NotebookNode:
    """Title, parameters, set-up (builds ex), question, answer cell, commented cell, solution."""
    solution = new_code_cell("answer = 6 * 7\nex.q1.check(answer)", metadata={"tags": ["solution"]})
    solution.outputs = [new_output("execute_result", {"text/plain": "Correct: Q1: well done."}, execution_count=4)]
    setup = new_code_cell("import types\nex = make_exercises()\nex", execution_count=2)
    setup.outputs = [new_output("execute_result", {"text/plain": "namespace(q1=...)"}, execution_count=2)]
    return new_notebook(cells=[
        new_markdown_cell("# Tiny\n\nA notebook."),
        new_code_cell("seed = None", metadata={"tags": ["parameters"]}),
        setup,
        new_markdown_cell("**Q1.** What is six times seven?"),
        new_code_cell("answer = ...  # your code here\nex.q1.check(answer)"),
        new_code_cell("# ex.q1.hint()\n# ex.q1.solution()"),
        solution,
    ], metadata={"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {}}}})


def test_student_notebook_of_a_small_case():
    nb = tiny_notebook()
    before = copy.deepcopy(nb)
    out = student_notebook(nb)
    assert nb == before  # the input is not mutated
    sources = [c.source for c in out.cells]
    # Expected by hand: the note after the title, the lock prepended to the set-up cell (the one
    # that builds ex), the solution cell gone, every other cell kept in order.
    assert sources[0] == "# Tiny\n\nA notebook."
    assert sources[1].startswith("> **Student copy.**")
    assert sources[2] == "seed = None"
    assert sources[3] == (
        "# Student copy: solution() is switched off here, in the set-up cell every exercise needs.\n"
        "from custkit.exercises import set_solutions_enabled\n"
        "set_solutions_enabled(False)\n\n"
        "import types\nex = make_exercises()\nex"
    )
    assert sources[4:] == ["**Q1.** What is six times seven?",
                           "answer = ...  # your code here\nex.q1.check(answer)",
                           "# ex.q1.hint()\n# ex.q1.solution()"]
    assert all(c.outputs == [] and c.execution_count is None for c in out.cells if c.cell_type == "code")
    assert "widgets" not in out.metadata
    assert "6 * 7" not in all_text(out)
    nbformat.validate(out)


def test_student_notebook_without_code_gets_a_lock_cell():
    out = student_notebook(new_notebook(cells=[new_markdown_cell("# Reading only")]))
    assert [c.cell_type for c in out.cells] == ["markdown", "markdown", "code"]
    assert "set_solutions_enabled(False)" in out.cells[2].source


def test_student_notebook_rejects_non_notebooks():
    with pytest.raises(CustkitError, match="nbformat.read"):
        student_notebook("notebooks/00_start_here.ipynb")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("classroom") / "student"
    return build_student(ROOT / "notebooks", out)


@pytest.fixture(scope="module")
def shop():
    return ck.load_shop()


def solution_texts(path: Path, shop) -> list[str]:
    """The solution text of every exercise object of the notebook's exercise module."""
    module = importlib.import_module(f"custkit.exercises.nb{path.name[:2]}")
    ns = module.exercises(shop)
    return [v.solution_text for v in vars(ns).values() if isinstance(v, Exercise)]


def test_every_notebook_is_copied_and_zipped(built):
    assert sorted(p.name for p in built.glob("*.ipynb")) == [p.name for p in NOTEBOOKS]
    with zipfile.ZipFile(built.with_suffix(".zip")) as zf:
        names = set(zf.namelist())
    assert {f"student/{p.name}" for p in NOTEBOOKS} <= names
    assert not any(".custkit-classroom-build" in n for n in names)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_survives_and_exercises_stay(built, shop, path):
    original = nbformat.read(path, as_version=4)
    raw = (built / path.name).read_text(encoding="utf-8")
    student = nbformat.reads(raw, as_version=4)
    text = all_text(json.loads(raw)) + "\n" + all_text(student)
    solutions = [c for c in original.cells if "solution" in tags(c)]
    assert solutions, f"{path.name} has no cell tagged solution: is the tag missing?"
    assert not [c for c in student.cells if "solution" in tags(c)]
    for cell in solutions:
        assert cell.source not in text
        for line in cell.source.splitlines():
            if re.match(r"\s*answer\s*=", line):
                assert line.strip() not in text, f"solution line {line!r} survives in {path.name}"
    for solution in solution_texts(path, shop):
        assert solution.strip() not in text
    kept = [c.source for c in original.cells if "solution" not in tags(c)]
    copied = [c.source for c in student.cells]
    # every non-solution cell is kept (the set-up cell with the lock lines in front of it)
    assert sum(any(c == k or c.endswith("\n" + k) for c in copied) for k in kept) == len(kept)
    checks = [c for c in student.cells if re.search(r"^answer = \.\.\.", c.source, re.MULTILINE)]
    assert len(checks) == len(solutions) and all(".check(answer)" in c.source for c in checks)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in student.cells)
    assert sum("set_solutions_enabled(False)" in c.source for c in student.cells) == 1


def test_student_copy_runs_top_to_bottom_with_solutions_off(built, tmp_path):
    nb = nbformat.read(built / FASTEST.name, as_version=4)
    nb.cells.append(new_code_cell("ex.q1.solution()"))
    NotebookClient(nb, timeout=600, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    last = "".join(o.get("text", "") for o in nb.cells[-1].outputs)
    assert last.strip() == "Solution (Q1): not available in the student copy; ask your trainer."
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("answer = ...")]
    assert "Not attempted" in str(checks[0].outputs[0]["data"]["text/plain"])


def test_bad_input(tmp_path):
    with pytest.raises(CustkitError, match="does not exist"):
        build_student(tmp_path / "nowhere", tmp_path / "out")
    (tmp_path / "empty").mkdir()
    with pytest.raises(CustkitError, match="no .ipynb"):
        build_student(tmp_path / "empty", tmp_path / "out")
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(tiny_notebook(), src / "00_tiny.ipynb")
    out = build_student(src, tmp_path / "out")
    with pytest.raises(OutputExistsError, match="--force"):
        build_student(src, out)
    assert build_student(src, out, force=True) == out  # a folder of an earlier build may be replaced
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.txt").write_text("precious")
    with pytest.raises(OutputExistsError, match="refusing to delete"):
        build_student(src, mine, force=True)
    assert (mine / "thesis.txt").read_text() == "precious"


def test_command_line(tmp_path, capsys):
    from custkit.classroom.__main__ import main

    assert main(["student", "--notebooks", str(tmp_path / "none"), "--out", str(tmp_path / "o")]) == 2
    assert "does not exist" in capsys.readouterr().err
