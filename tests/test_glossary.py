"""The course has one glossary: one Persian term per concept, and every notebook's glossary cell shows it.

The notebook checks take the folder as an argument (:func:`glossary_cell_problems`), so the same
check runs on the course's notebooks and on a copy the writer has just rewritten.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import tomllib
from pathlib import Path

import nbformat
import pytest

from custkit import glossary
from custkit.errors import CustkitError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
CSV = ROOT / "custkit" / "data" / "glossary.csv"


def _number(path: Path) -> str:
    return path.name[:2]


def _glossary_cells(path: Path) -> list:
    nb = nbformat.read(path, as_version=4)
    return [c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Glossary")]


def glossary_cell_problems(folder: Path) -> list[str]:
    """What differs between each notebook's glossary cell in ``folder`` and the glossary."""
    problems = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        cells = _glossary_cells(path)
        if len(cells) != 1:
            problems.append(f"{path.name}: {len(cells)} glossary cells")
        elif cells[0].source != glossary.markdown(_number(path)):
            problems.append(f"{path.name}: the glossary cell differs from glossary.markdown({_number(path)!r})")
    return problems


def _key(persian: str) -> str:
    """A Persian term without the differences a reader does not see: spaces, half-spaces, Arabic letters."""
    return re.sub(r"[\s\u200c]+", "", persian).replace("\u064a", "\u06cc").replace("\u0643", "\u06a9")


def _table_rows(text: str) -> list[list[str]]:
    lines = [line for line in text.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[1:]]


# ---- the CSV --------------------------------------------------------------------------------

def test_the_csv_is_utf8_with_the_four_columns_and_no_empty_cell():
    text = CSV.read_bytes().decode("utf-8")  # fails on any other encoding
    assert text.splitlines()[0] == "term,persian,meaning,notebooks"
    table = glossary.glossary()
    assert list(table.columns) == ["term", "persian", "meaning", "notebooks"]
    assert len(table) >= 100, "the seven notebooks' glossaries held 101 distinct terms"
    for column in table.columns:
        blank = table.loc[table[column].str.strip() == "", "term"].tolist()
        assert blank == [], f"empty {column} for {blank}"
    assert table["notebooks"].str.fullmatch(r"\d\d( \d\d)*").all(), "notebooks: two-digit numbers, space-separated"


def test_no_term_appears_twice():
    terms = glossary.glossary()["term"].str.strip().str.casefold()
    assert sorted(terms[terms.duplicated()]) == []


def test_no_persian_term_stands_for_two_terms():
    table = glossary.glossary()
    shared = table.groupby(table["persian"].map(_key))["term"].agg(list)
    assert shared[shared.map(len) > 1].to_dict() == {}


def test_persian_terms_are_in_persian_letters():
    persian = " ".join(glossary.glossary()["persian"])
    assert "\u064a" not in persian and "\u0643" not in persian, "use Persian ی and ک, not Arabic ي and ك"


def test_churn_and_funnel_drop_off_have_different_words():
    table = glossary.glossary().set_index("term")
    assert table.loc["churn", "persian"] == "ریزش مشتری"
    assert "ریزش" not in table.loc["drop-off", "persian"]
    with_churn_word = table.index[table["persian"].str.contains("ریزش")].tolist()
    assert with_churn_word == ["churn"], "ریزش is churn's word only"


def test_terms_the_notebooks_share_have_one_row_and_one_persian_term():
    table = glossary.glossary().set_index("term")
    shared = {"repeat buyer": ("01 03", "خریدار تکراری"), "customer equity": ("04 06", "ارزش ویژه مشتری"),
              "potential customer": ("01 03", "مشتری بالقوه"),
              "customer lifetime value (CLV)": ("04 05", "ارزش طول عمر مشتری"),
              "on-time delivery": ("04 06", "تحویل به\u200cموقع"),
              "customer (buyer, purchaser, client)": ("00 01", "مشتری (خریدار)")}
    for term, (notebooks, persian) in shared.items():
        assert (table.loc[term, "notebooks"], table.loc[term, "persian"]) == (notebooks, persian), term


def test_every_notebook_number_in_the_csv_is_a_notebook_and_every_notebook_has_terms():
    on_disk = {_number(p) for p in NOTEBOOKS}
    assert len(on_disk) == 7
    assert set(glossary.notebook_numbers()) == on_disk


def test_the_csv_ships_with_the_package():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
        "tool"]["setuptools"]["package-data"]["custkit"]
    assert any(fnmatch.fnmatch("data/glossary.csv", p) for p in patterns), patterns
    assert (ROOT / "custkit" / "data" / "__init__.py").exists(), "custkit.data must be a package for importlib.resources"


# ---- one notebook's rows and its markdown ---------------------------------------------------

@pytest.mark.parametrize("number", glossary.notebook_numbers())
def test_the_markdown_table_has_one_row_per_term_of_the_notebook(number):
    text = glossary.markdown(number)
    assert text.startswith("## Glossary\n\n| English term | Persian term | Meaning |\n|---|---|---|\n")
    assert not text.endswith("\n")
    rows = _table_rows(text)
    terms = glossary.for_notebook(number)
    assert [r[0] for r in rows] == terms["term"].tolist()
    assert [r[1] for r in rows] == terms["persian"].tolist()
    assert all(len(r) == 3 for r in rows)
    assert all(number in cell.split() for cell in terms["notebooks"])


def test_a_notebook_number_may_be_given_as_an_int_or_a_string():
    assert glossary.markdown(3) == glossary.markdown("3") == glossary.markdown("03")
    assert glossary.markdown(3) != glossary.markdown(4)


@pytest.mark.parametrize("bad", [7, "7", "12", -1, "three", None, 3.0, True])
def test_an_unknown_notebook_number_is_refused_with_the_valid_ones(bad):
    with pytest.raises(CustkitError, match="00, 01, 02, 03, 04, 05, 06"):
        glossary.markdown(bad)
    with pytest.raises(CustkitError, match=re.escape(repr(bad))):
        glossary.for_notebook(bad)


def test_the_loyalty_ladder_reads_bottom_to_top_in_notebook_03():
    terms = glossary.for_notebook(3)["term"].tolist()
    ladder = ["potential customer", "prospect", "first-time buyer", "repeat buyer", "loyal customer", "advocate"]
    assert [t for t in terms if t in ladder] == ladder
    assert terms.index("loyalty ladder") < terms.index("potential customer")


def test_a_pipe_in_a_cell_does_not_break_the_table(monkeypatch):
    table = glossary.glossary()
    table.loc[0, "meaning"] = "buys | pays"
    monkeypatch.setattr(glossary, "glossary", lambda: table)
    rows = _table_rows(glossary.markdown(0))
    assert rows[0][2] == "buys \\| pays"


# ---- the notebooks' glossary cells and the writer --------------------------------------------

@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_notebooks_glossary_cell_is_the_glossary(path):
    problems = glossary_cell_problems(path.parent)
    assert [p for p in problems if p.startswith(path.name)] == [], (
        "run `make docs` (custkit.glossary.write_notebook_glossaries) to rewrite the glossary cells"
    )


@pytest.fixture
def notebook_copy(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    for path in NOTEBOOKS:
        shutil.copy(path, folder / path.name)
    return folder


def _without_glossary(path: Path) -> list:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return [c for c in cells if not "".join(c.get("source", "")).startswith("## Glossary")]


def test_the_writer_makes_every_glossary_cell_current_and_touches_nothing_else(notebook_copy):
    stale = notebook_copy / NOTEBOOKS[3].name
    nb = nbformat.read(stale, as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("## Glossary"))
    cell.source = "## Glossary\n\n| English term | Persian term | Meaning |\n|---|---|---|\n| drop-off | ریزش | old |"
    nbformat.write(nb, stale)
    before = {p.name: (_without_glossary(p), _glossary_cells(p)[0].metadata) for p in notebook_copy.glob("*.ipynb")}

    written = glossary.write_notebook_glossaries(notebook_copy)

    assert stale in written
    assert glossary_cell_problems(notebook_copy) == []
    for path in notebook_copy.glob("*.ipynb"):
        assert (_without_glossary(path), _glossary_cells(path)[0].metadata) == before[path.name], path.name
    assert glossary.write_notebook_glossaries(notebook_copy) == [], "a current notebook is not rewritten"


def test_the_writer_refuses_a_folder_without_a_glossary_notebook(notebook_copy):
    (notebook_copy / NOTEBOOKS[6].name).unlink()
    with pytest.raises(CustkitError, match="06"):
        glossary.write_notebook_glossaries(notebook_copy)


def test_the_writer_refuses_two_glossary_cells_and_writes_nothing(notebook_copy):
    first, second = notebook_copy / NOTEBOOKS[0].name, notebook_copy / NOTEBOOKS[1].name
    nb = nbformat.read(first, as_version=4)
    cell = next(c for c in nb.cells if c.source.startswith("## Glossary"))
    cell.source = "## Glossary\n\nstale"
    nbformat.write(nb, first)
    nb = nbformat.read(second, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("## Glossary\n\nagain"))
    nbformat.write(nb, second)
    with pytest.raises(CustkitError, match=f"{second.name} has 2 markdown cells"):
        glossary.write_notebook_glossaries(notebook_copy)
    assert _glossary_cells(first)[0].source == "## Glossary\n\nstale", "nothing is written before every notebook is checked"


def test_the_writer_refuses_a_notebook_the_glossary_does_not_know(notebook_copy):
    shutil.copy(NOTEBOOKS[0], notebook_copy / "07_extra.ipynb")
    with pytest.raises(CustkitError, match="07"):
        glossary.write_notebook_glossaries(notebook_copy)


def test_the_course_reaches_the_glossary_from_the_top_level():
    import custkit as ck

    assert ck.glossary.for_notebook(4)["term"].iloc[0] == "retention"
