"""Generated reference pages are current, and every notebook they point to exists."""

import dataclasses
import shutil
from pathlib import Path

import nbformat

from custkit import docs, glossary
from custkit.config import ShopConfig
from custkit.docs import GLOSSARY_PAGE, PARAMETERS_PAGE, glossary_markdown, parameters_markdown

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def test_parameters_page_is_current():
    assert PARAMETERS_PAGE.read_text(encoding="utf-8") == parameters_markdown(), (
        "docs/parameters.md is out of date: run `make docs`"
    )


def test_every_field_is_documented_and_points_to_a_real_notebook():
    names = {p.stem for p in NOTEBOOKS.glob("*.ipynb")}
    for f in dataclasses.fields(ShopConfig):
        assert f.metadata["doc"].strip(), f.name
        assert f.metadata["notebook"] in names, f"{f.name} points to missing notebook {f.metadata['notebook']!r}"


def test_page_lists_every_field_once():
    text = parameters_markdown()
    for f in dataclasses.fields(ShopConfig):
        assert text.count(f"| `{f.name}` |") == 1


def test_glossary_page_is_current():
    assert GLOSSARY_PAGE.read_text(encoding="utf-8") == glossary_markdown(), (
        "docs/glossary.md is out of date: run `make docs`"
    )


def test_glossary_page_lists_every_term_once_in_alphabetical_order_with_its_notebooks():
    rows = [line.strip("|").split(" | ") for line in glossary_markdown().splitlines() if line.startswith("| ")][1:]
    table = glossary.glossary()
    assert sorted(r[0].strip() for r in rows) == sorted(table["term"])
    assert [r[0].strip().casefold() for r in rows] == sorted(r[0].strip().casefold() for r in rows)
    shown = {r[0].strip(): (r[1].strip(), r[3].strip()) for r in rows}
    for t in table.itertuples(index=False):
        assert shown[t.term] == (t.persian, ", ".join(t.notebooks.split())), t.term


def test_make_docs_writes_both_pages_and_the_notebooks_glossary_cells(tmp_path, capsys):
    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOKS, notebooks, ignore=shutil.ignore_patterns(".*"))
    stale = next(notebooks.glob("03_*.ipynb"))
    nb = nbformat.read(stale, as_version=4)
    cell = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Glossary"))
    cell.source = "## Glossary\n\nout of date"
    nbformat.write(nb, stale)

    docs.main(tmp_path / "parameters.md", tmp_path / "glossary.md", notebooks)

    assert (tmp_path / "parameters.md").read_text(encoding="utf-8") == parameters_markdown()
    assert (tmp_path / "glossary.md").read_text(encoding="utf-8") == glossary_markdown()
    cell = next(c for c in nbformat.read(stale, as_version=4).cells if c.source.startswith("## Glossary"))
    assert cell.source == glossary.markdown(3)
    assert f"wrote the glossary cell of {stale}" in capsys.readouterr().out
