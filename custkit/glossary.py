"""One glossary for the whole course: each English term with its one Persian term and a plain meaning.

The source is ``custkit/data/glossary.csv`` (UTF-8), one row per term, with the columns

- ``term``: the English term as the notebooks use it;
- ``persian``: its Persian term, one per concept across the course (churn is ریزش مشتری, a
  funnel's drop-off is افت قیف: no Persian term stands for two concepts);
- ``meaning``: what it means, in plain English;
- ``notebooks``: the numbers of the notebooks whose glossary shows it, e.g. ``03 04``.

The rows are in the order the course meets the terms: each notebook's table lists its terms in
the CSV's order, so a term shared by two notebooks sits where both tables want it (the loyalty
ladder's steps, say, read from potential customer to advocate in notebook 03).

Every notebook ends with a "## Glossary" markdown cell whose source is :func:`markdown` of its
number; :func:`write_notebook_glossaries` rewrites those cells and ``make docs`` runs it, with
the course-wide page ``docs/glossary.md`` (:mod:`custkit.docs`).

>>> from custkit import glossary
>>> glossary.for_notebook(3)[["term", "persian"]].iloc[2].tolist()
['drop-off', 'افت قیف']
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pandas as pd

from custkit.errors import CustkitError

GLOSSARY_FILE = "glossary.csv"
COLUMNS = ("term", "persian", "meaning", "notebooks")
HEADING = "## Glossary"
"""A notebook's glossary cell is the markdown cell whose source starts with this heading."""

NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

__all__ = ["glossary", "notebook_numbers", "for_notebook", "markdown", "write_notebook_glossaries"]


def glossary() -> pd.DataFrame:
    """Every term of the course, one row each: ``term``, ``persian``, ``meaning``, ``notebooks``.

    ``notebooks`` is the space-separated list of the notebook numbers that show the term
    (``"03 04"``). The rows are in the order the course meets them.
    """
    with resources.files("custkit.data").joinpath(GLOSSARY_FILE).open("rb") as fh:
        table = pd.read_csv(fh, dtype=str, keep_default_na=False, encoding="utf-8")
    if tuple(table.columns) != COLUMNS:
        raise CustkitError(f"{GLOSSARY_FILE} must have the columns {list(COLUMNS)}, not {list(table.columns)}")
    return table


def _numbers(cell: str) -> list[str]:
    return cell.split()


def notebook_numbers() -> tuple[str, ...]:
    """The notebook numbers the glossary has terms for, as two-digit strings (``"00"``, ``"01"``, ...)."""
    return tuple(sorted({n for cell in glossary()["notebooks"] for n in _numbers(cell)}))


def _number(number: int | str) -> str:
    """``3``, ``"3"`` or ``"03"`` -> ``"03"``; anything else is refused with the valid numbers."""
    valid = notebook_numbers()
    text = str(number).strip() if isinstance(number, int | str) and not isinstance(number, bool) else ""
    if text.isdigit() and f"{int(text):02d}" in valid:
        return f"{int(text):02d}"
    raise CustkitError(
        f"the glossary has no notebook {number!r}: give one of the notebook numbers "
        f"{', '.join(valid)} (as 3 or '03')"
    )


def for_notebook(number: int | str) -> pd.DataFrame:
    """The rows notebook ``number`` shows (``3`` or ``"03"``), in the order of its glossary table.

    Raises :class:`~custkit.errors.CustkitError` naming the valid numbers for an unknown notebook.
    """
    key = _number(number)
    table = glossary()
    shown = table["notebooks"].map(lambda cell: key in _numbers(cell))
    return table[shown].reset_index(drop=True)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def markdown(number: int | str) -> str:
    """The exact source of notebook ``number``'s glossary cell: the heading, then the table."""
    rows = for_notebook(number)
    lines = [HEADING, "", "| English term | Persian term | Meaning |", "|---|---|---|"]
    lines += [f"| {_cell(r.term)} | {_cell(r.persian)} | {_cell(r.meaning)} |" for r in rows.itertuples(index=False)]
    return "\n".join(lines)


_NOTEBOOK_NAME = re.compile(r"^(\d\d)_.*\.ipynb$")


def write_notebook_glossaries(notebooks_dir: str | Path = NOTEBOOKS_DIR) -> list[Path]:
    """Set each notebook's glossary cell to :func:`markdown` of its number; return the files changed.

    Reads every ``NN_*.ipynb`` in ``notebooks_dir`` with nbformat and replaces only the source of
    the markdown cell that starts with "## Glossary"; every other cell, the cell's metadata and
    all outputs stay as they are. A notebook already up to date is not rewritten. Refuses (before
    writing anything) a notebook the glossary has no terms for, one without exactly one glossary
    cell, and a glossary notebook number with no notebook in the folder.
    """
    import nbformat  # the notebooks extra; imported here so that `import custkit` stays light

    folder = Path(notebooks_dir)
    paths = sorted(p for p in folder.glob("*.ipynb") if _NOTEBOOK_NAME.match(p.name))
    valid = notebook_numbers()
    found = {_NOTEBOOK_NAME.match(p.name).group(1): p for p in paths}
    missing = [n for n in valid if n not in found]
    if missing:
        raise CustkitError(f"{folder} has no notebook numbered {', '.join(missing)}, which the glossary lists")
    planned = []
    for number, path in found.items():
        if number not in valid:
            raise CustkitError(f"{path.name}: the glossary has no terms for notebook {number}; "
                               f"add rows to custkit/data/{GLOSSARY_FILE}")
        nb = nbformat.read(path, as_version=4)
        cells = [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith(HEADING)]
        if len(cells) != 1:
            raise CustkitError(f"{path.name} has {len(cells)} markdown cells starting with {HEADING!r}; "
                               "it needs exactly one")
        planned.append((path, nb, cells[0], markdown(number)))
    written = []
    for path, nb, cell, text in planned:
        if cell.source != text:
            cell.source = text
            nbformat.write(nb, path)
            written.append(path)
    return written
