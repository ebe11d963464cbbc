"""The trainer's documents stay true to the kit: docs/concepts.md and docs/course_guide.md.

- every concept code of the concept map has a row in docs/concepts.md, in the notebook the map
  assigns to it;
- every notebook the documents name exists, and every section heading quoted in docs/concepts.md
  or in the guide's timed plans is a heading of that notebook;
- every custkit function named in docs/concepts.md exists and is called in that notebook;
- every exercise the guide cites (``nbNN.qK``) is a question of ``custkit.exercises.nbNN`` and
  is asked in notebook NN, and every question of the kit is cited;
- the minutes of each timed block of the guide add up to the length it announces.

The concept map the kit was built from lists 25 concept codes in five sections, each taught in one
notebook; the kit carries that list below (a user's clone has nothing beside it to read).
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import json
import re
from pathlib import Path

import pytest

import custkit as ck

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
CONCEPTS_DOC = ROOT / "docs" / "concepts.md"
GUIDE_DOC = ROOT / "docs" / "course_guide.md"

# The codes of the concept map ("What the kit teaches: the concept map"), sections A-E, and the
# notebook each section names in its heading, e.g. "## A. Customer definitions (notebook 01)".
CONCEPT_CODES = (
    "A1", "A2", "A3", "A4", "A5", "A6",
    "B1", "B2", "B3",
    "C1", "C2", "C3",
    "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8", "D9",
    "E1", "E2", "E3", "E4",
)
CONCEPT_NOTEBOOK = {"A": "01", "B": "02", "C": "03", "D": "04", "E": "05"}

NOTEBOOK_NAME = re.compile(r"\b(0\d_[a-z]+(?:_[a-z]+)*)\b")
EXERCISE_CITE = re.compile(r"\bnb(\d\d)\.(q\d+|warmup)\b")
DOTTED_NAME = re.compile(r"`(custkit(?:\.[A-Za-z_]\w*)+)`")
QUOTED = re.compile(r'"([^"]+)"')
TIMED_HEADING = re.compile(r"^#{2,4} .*\((\d+) min\)\s*$")


# ----------------------------------------------------------------------------- readers


def table_rows(markdown: str, first_header: str) -> list[list[list[str]]]:
    """The body rows (as lists of cells) of every markdown table whose first header is ``first_header``."""
    tables, current, in_table = [], None, False
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped.startswith("|"):
            in_table, current = False, None
            continue
        cells = [c.strip() for c in stripped.strip("|").split("|")]
        if not in_table:
            in_table = True
            if cells[0] == first_header:
                current = []
                tables.append(current)
            continue
        if current is not None and not set(stripped) <= set("|-: "):
            current.append(cells)
    return tables


def notebook_cells(stem: str) -> list[dict]:
    return json.loads((NOTEBOOKS / f"{stem}.ipynb").read_text(encoding="utf-8"))["cells"]


def headings(cells: list[dict]) -> set[str]:
    """Text of every markdown heading (any level) of a notebook's cells."""
    found = set()
    for cell in cells:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                m = re.match(r"^#{1,6}\s+(.+?)\s*$", line)
                if m:
                    found.add(m.group(1))
    return found


def code_text(cells: list[dict]) -> str:
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


def question_names(source: str) -> set[str]:
    """Attributes of the namespace that ``exercises(...)`` returns in an exercises module's source."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef) and node.name == "exercises":
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Return) and isinstance(sub.value, ast.Call)
                        and getattr(sub.value.func, "attr", getattr(sub.value.func, "id", "")) == "SimpleNamespace"):
                    return {kw.arg for kw in sub.value.keywords}
    return set()


def exercise_module_source(number: str) -> str:
    spec = importlib.util.find_spec(f"custkit.exercises.nb{number}")
    assert spec is not None and spec.origin, f"custkit.exercises.nb{number} does not exist"
    return Path(spec.origin).read_text(encoding="utf-8")


def resolve(dotted: str) -> object:
    """Import the longest module prefix of ``dotted`` and fetch the rest as attributes."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(dotted)


def timed_blocks(markdown: str) -> list[tuple[str, int, list[int], list[list[str]], str]]:
    """Every block of the guide under a heading ending in "(N min)".

    Returns (heading, announced minutes, the minutes of each table row, those rows as lists of
    cells, the block's text up to the next heading).
    """
    blocks, current = [], None
    for line in markdown.splitlines():
        if line.startswith("#"):
            m = TIMED_HEADING.match(line)
            current = (line, int(m.group(1)), [], [], []) if m else None
            if current:
                blocks.append(current)
            continue
        if current is None:
            continue
        current[4].append(line)
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.lstrip().startswith("|") and re.fullmatch(r"\d+", cells[0]):
            current[2].append(int(cells[0]))
            current[3].append(cells)
    return [(h, n, minutes, rows, "\n".join(text)) for h, n, minutes, rows, text in blocks]


CONCEPTS_TEXT = CONCEPTS_DOC.read_text(encoding="utf-8")
GUIDE_TEXT = GUIDE_DOC.read_text(encoding="utf-8")
TABLES = table_rows(CONCEPTS_TEXT, "concept")
ALL_ROWS = [row for table in TABLES for row in table]


# ----------------------------------------------------------------------------- the readers themselves


def test_question_names_reads_the_returned_namespace():
    source = ("import types\n"
              "def helper():\n    return types.SimpleNamespace(x=1)\n"
              "def exercises(shop):\n    q1 = 1\n    return types.SimpleNamespace(warmup=0, q1=q1)\n")
    assert question_names(source) == {"warmup", "q1"}


def test_timed_blocks_sum_the_minutes_column():
    text = "### Day 1 (20 min)\n\n| min | what |\n|---|---|\n| 5 | a |\n| 10 | b |\n\n## Other\n| 7 | c |\n"
    (heading, announced, minutes, rows, _), = timed_blocks(text)
    # 5 + 10 = 15 listed against 20 announced: the mismatch test_minutes_of_each_timed_block_add_up catches
    assert (heading, announced, minutes) == ("### Day 1 (20 min)", 20, [5, 10])
    assert rows == [["5", "a"], ["10", "b"]]


# ----------------------------------------------------------------------------- concept codes


def test_the_concept_list_has_25_distinct_codes_in_five_sections():
    assert len(set(CONCEPT_CODES)) == len(CONCEPT_CODES) == 25
    assert sorted({code[0] for code in CONCEPT_CODES}) == sorted(CONCEPT_NOTEBOOK)


def test_every_concept_code_has_a_row():
    codes = list(CONCEPT_CODES)
    assert len(TABLES) == 2, "docs/concepts.md should hold the main table and the table of second looks"
    primary = [row[0] for row in TABLES[0]]
    assert primary == codes, "the main table has one row per concept code, in the order of the concept map"
    assert {row[0] for row in ALL_ROWS} <= set(codes)


def test_each_concept_is_taught_in_the_notebook_the_map_assigns():
    notebooks = CONCEPT_NOTEBOOK
    for code, _name, _source, notebook, *_ in TABLES[0]:
        assert notebook.strip("`").startswith(notebooks[code[0]] + "_"), f"{code} is taught in {notebook}"


def test_rows_have_six_filled_cells_and_a_known_source():
    for row in ALL_ROWS:
        assert len(row) == 6 and all(row), row
        assert re.fullmatch(r"\[00[0-4]\]|kit", row[2]), row


# ----------------------------------------------------------------------------- notebooks and sections


@pytest.mark.parametrize("doc", [CONCEPTS_DOC, GUIDE_DOC], ids=lambda p: p.name)
def test_every_notebook_named_exists(doc):
    names = set(NOTEBOOK_NAME.findall(doc.read_text(encoding="utf-8")))
    assert names, f"{doc.name} names no notebook"
    missing = sorted(n for n in names if not (NOTEBOOKS / f"{n}.ipynb").is_file())
    assert missing == []


def test_the_guide_names_every_notebook():
    assert set(NOTEBOOK_NAME.findall(GUIDE_TEXT)) >= {p.stem for p in NOTEBOOKS.glob("*.ipynb")}


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: f"{r[0]}-{r[3].strip('`')[:2]}")
def test_quoted_sections_are_headings_of_the_notebook(row):
    stem = row[3].strip("`")
    quoted = QUOTED.findall(row[4])
    assert quoted, f"row {row[0]}: quote the section heading"
    assert set(quoted) <= headings(notebook_cells(stem)), f"row {row[0]}: not a heading of {stem}"


@pytest.mark.parametrize("row", ALL_ROWS, ids=lambda r: f"{r[0]}-{r[3].strip('`')[:2]}")
def test_functions_exist_and_are_called_in_the_notebook(row):
    stem = row[3].strip("`")
    names = DOTTED_NAME.findall(row[5])
    assert names, f"row {row[0]}: name the custkit function that computes it"
    code = code_text(notebook_cells(stem))
    for dotted in names:
        assert callable(resolve(dotted)), dotted
        assert re.search(rf"\b{dotted.rsplit('.', 1)[1]}\b", code), f"{dotted} is not used in {stem}"


def test_every_custkit_name_in_the_guide_exists():
    for dotted in DOTTED_NAME.findall(GUIDE_TEXT):
        resolve(dotted)


# ----------------------------------------------------------------------------- exercises and timing


def test_every_exercise_cited_exists_and_is_asked_in_its_notebook():
    cited = set(EXERCISE_CITE.findall(GUIDE_TEXT))
    assert cited
    for number, name in sorted(cited):
        assert name in question_names(exercise_module_source(number)), f"nb{number}.{name}"
        stem = next(p.stem for p in NOTEBOOKS.glob(f"{number}_*.ipynb"))
        assert f"ex.{name}.check(" in code_text(notebook_cells(stem)), f"nb{number}.{name} is not asked in {stem}"


def test_every_exercise_of_the_kit_is_cited():
    cited = set(EXERCISE_CITE.findall(GUIDE_TEXT))
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        number = path.stem[:2]
        names = question_names(exercise_module_source(number))
        assert names, f"custkit.exercises.nb{number} defines no question"
        assert {(number, n) for n in names} <= cited, f"the guide leaves out questions of nb{number}"


def test_the_guide_maps_every_concept_code():
    codes = list(CONCEPT_CODES)
    assert [c for c in codes if not re.search(rf"\b{c}\b", GUIDE_TEXT)] == []


def test_minutes_of_each_timed_block_add_up():
    blocks = timed_blocks(GUIDE_TEXT)
    assert len(blocks) >= 7, "one timed block per session"
    for heading, announced, minutes, _rows, _text in blocks:
        assert minutes, f"{heading}: no minutes"
        assert sum(minutes) == announced, f"{heading}: {sum(minutes)} minutes listed"


def test_sections_quoted_in_the_timed_plans_are_headings():
    checked = 0
    for heading, _n, _minutes, rows, text in timed_blocks(GUIDE_TEXT):
        session_notebooks = re.findall(r"\*\*Notebook:\*\* `([^`]+)`", text)
        for cells in rows:
            stems = NOTEBOOK_NAME.findall(cells[2]) or session_notebooks
            for quoted in QUOTED.findall(cells[2]):
                assert stems, f"{heading}: a quoted section without a notebook"
                assert any(quoted in headings(notebook_cells(s)) for s in stems), f"{heading}: {quoted!r}"
                checked += 1
    assert checked >= 40


def test_the_guide_tells_the_class_what_the_shop_stylises():
    text = GUIDE_DOC.read_text(encoding="utf-8")
    assert "## What the simulated shop stylises" in text
    section = text.split("## What the simulated shop stylises", 1)[1].split("\n## ", 1)[0]
    # every name it sends the trainer to exists
    assert callable(ck.definitions.opened_since)
    assert "opened_since" in section and "notebook 00" in section and "datasets/README.md" in section
    assert section.count("\n- **") >= 6
