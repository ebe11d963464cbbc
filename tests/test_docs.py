"""Generated reference pages are current, and every notebook they point to exists."""

import dataclasses
from pathlib import Path

from custkit.config import ShopConfig
from custkit.docs import PARAMETERS_PAGE, parameters_markdown

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
