"""Student copies of the notebooks: solutions stripped, ``solution()`` switched off, outputs cleared.

A course notebook's exercise is four cells: the question (markdown), the answer cell
(``answer = ...`` then ``ex.qN.check(answer)``), a commented ``hint()``/``solution()`` cell and a
code cell tagged ``solution`` holding the real answer. The student copy keeps the first three and
drops the fourth with its output, in the manner of nbgrader's "release" step.

Two choices, and why:

- ``solution()`` is switched off by the first lines of the set-up cell (the one that builds
  ``ex``), not by a separate cell: no exercise can run before that cell, and re-running it, or
  restarting the kernel and running from there, switches solutions off again. Only a deliberate
  ``set_solutions_enabled(True)`` turns them back on. A markdown note under the title says so.
- Every output is cleared, not only those of the removed cells: students run the notebook
  themselves, and an output-free copy cannot leak a removed cell through an execution count, a
  printed value or a widget state. The executed notebooks are on the course site (``make site``).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, ClearMetadataPreprocessor

from custkit.classroom._common import find_notebooks, fresh_output, is_solution, read_notebook, zip_folder
from custkit.errors import CustkitError

LOCK_LINES = (
    "# Student copy: solution() is switched off here, in the set-up cell every exercise needs.\n"
    "from custkit.exercises import set_solutions_enabled\n"
    "set_solutions_enabled(False)\n"
    "\n"
)
NOTE = (
    "> **Student copy.** The worked solutions of the exercises have been removed, and "
    "`solution()` is switched off by the first lines of the set-up cell below, so it stays off "
    "however often you re-run or restart: `check()` and `hint()` work as usual; ask your trainer "
    "for the solutions. Outputs are cleared: run the notebook from the top "
    "(*Run → Run All Cells*) to see them."
)
_DEFINES_EX = re.compile(r"^ex\s*=", re.MULTILINE)


def _setup_cell_index(cells: list) -> int | None:
    """Index of the cell that builds ``ex`` (else the first untagged code cell, else None)."""
    code = [i for i, c in enumerate(cells) if c.cell_type == "code"]
    for i in code:
        if _DEFINES_EX.search(cells[i].source):
            return i
    for i in code:
        if "parameters" not in cells[i].get("metadata", {}).get("tags", []):
            return i
    return None


def student_notebook(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return the student copy of a notebook; ``nb`` itself is left unchanged.

    Cells tagged ``solution`` are removed; every output and execution count is cleared; the
    set-up cell gets :data:`LOCK_LINES` first (a new code cell after the title when there is
    no code cell); a markdown :data:`NOTE` follows the title cell; widget state is dropped.

    Raises
    ------
    CustkitError
        When ``nb`` is not a notebook (no ``cells``).
    """
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise CustkitError(
            f"student_notebook needs a notebook read with nbformat.read(path, 4), got {type(nb).__name__}."
        )
    copy = nbformat.from_dict({**nb, "cells": [], "metadata": dict(nb.get("metadata", {}))})
    copy.cells = [nbformat.from_dict(c) for c in nb["cells"] if not is_solution(c)]
    copy.metadata.pop("widgets", None)
    copy.metadata.pop("papermill", None)
    copy, _ = ClearOutputPreprocessor().preprocess(copy, {})
    copy, _ = ClearMetadataPreprocessor(
        clear_cell_metadata=True, preserve_cell_metadata_mask={"tags", "slideshow"}, clear_notebook_metadata=False
    ).preprocess(copy, {})
    after_title = 1 if copy.cells and copy.cells[0].cell_type == "markdown" else 0
    setup = _setup_cell_index(copy.cells)
    if setup is None:
        copy.cells.insert(after_title, nbformat.v4.new_code_cell(LOCK_LINES.rstrip("\n")))
    else:
        copy.cells[setup].source = LOCK_LINES + copy.cells[setup].source
    copy.cells.insert(after_title, nbformat.v4.new_markdown_cell(NOTE))
    # Cell ids need format 4.5; the new cells got fresh ones, old 4.4 cells get one here.
    copy.nbformat, copy.nbformat_minor = 4, max(5, int(nb.get("nbformat_minor", 5)))
    for i, cell in enumerate(copy.cells):
        cell.setdefault("id", f"student-{i:03d}")
    nbformat.validate(copy)
    return copy


def build_student(notebooks: str | Path = "notebooks", out: str | Path = "build/student", *,
                  force: bool = False, zip_path: str | Path | None = None) -> Path:
    """Write the student copy of every notebook of ``notebooks`` to ``out`` and zip it.

    Parameters
    ----------
    notebooks
        Folder of the course notebooks (``*.ipynb``, taken in name order).
    out
        Output folder; refused if it exists unless ``force``.
    force
        Replace ``out`` (only if an earlier classroom build wrote it).
    zip_path
        The archive to hand out; default ``<out>.zip`` beside the folder (one folder inside).

    Returns
    -------
    Path
        The output folder.

    Raises
    ------
    CustkitError
        Missing or empty notebooks folder; existing ``out`` without ``force``.
    """
    sources = find_notebooks(notebooks)
    out = Path(out)
    with fresh_output(out, force) as tmp:
        for path in sources:
            nbformat.write(student_notebook(read_notebook(path)), tmp / path.name)
        (tmp / "README.md").write_text(
            "# Course notebooks: student copy\n\n"
            "Open them in JupyterLab with custkit installed (`make lab` in the course repository) "
            "and run each from the top. Solutions are not included; `check()` and `hint()` work.\n",
            encoding="utf-8",
        )
    zip_folder(out, Path(zip_path) if zip_path is not None else out.with_suffix(".zip"), contents_at_root=False)
    return out
