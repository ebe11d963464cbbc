"""Slides: one reveal.js deck per notebook from the slide tags, opening offline (no CDN)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from custkit.classroom import build_slides
from custkit.classroom.offline import missing_local_files, remote_references, require_offline
from custkit.errors import CustkitError, OutputExistsError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
# A crude check written independently of custkit.classroom.offline: any src=/href= to another host.
LOADS_REMOTE = re.compile(r"""<(?!a[\s>])[a-z]+\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)


def test_remote_references_on_hand_written_pages():
    page = """<html><head>
    <script src="https://cdn.example.org/require.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/font.css">
    <style>@import url(https://fonts.example.org/x.css); .a { background: url('img/local.png'); }</style>
    <script type="module">import m from 'https://cdn.example.org/mermaid.esm.min.mjs';</script>
    </head><body>
    <img src="data:image/png;base64,AAAA"> <img src="figures/local.png">
    <a href="https://papermill.readthedocs.io">papermill</a>
    <div style="background-image: url(http://example.org/bg.png)"></div>
    </body></html>"""
    # expected by hand: the script, the link, the @import, the module import and the inline style;
    # not the data URI, the local files or the hyperlink
    assert sorted(remote_references(page)) == sorted([
        "https://cdn.example.org/require.js", "//fonts.example.org/font.css", "https://fonts.example.org/x.css",
        "https://cdn.example.org/mermaid.esm.min.mjs", "http://example.org/bg.png",
    ])
    with pytest.raises(CustkitError, match="would load 5 file"):
        require_offline(page, "page.html")
    with pytest.raises(CustkitError, match="HTML page"):
        remote_references(b"<html></html>")


def test_missing_local_files(tmp_path):
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "a.css").write_text("@import url(./b.css); .x { background: url(img.png) }")
    (tmp_path / "css" / "b.css").write_text("")
    page = tmp_path / "p.html"
    page.write_text('<link href="css/a.css" rel="stylesheet"><script src="gone.js"></script><a href="#top">t</a>')
    assert sorted(missing_local_files(page)) == ["gone.js", "img.png"]
    with pytest.raises(CustkitError, match="not a file"):
        missing_local_files(tmp_path / "nope.html")


@pytest.fixture(scope="module")
def slides(tmp_path_factory) -> Path:
    return build_slides(ROOT / "notebooks", tmp_path_factory.mktemp("classroom") / "slides")


def test_one_deck_per_notebook_with_local_reveal(slides):
    assert sorted(p.name for p in slides.glob("*.slides.html")) == [f"{p.stem}.slides.html" for p in NOTEBOOKS]
    assert (slides / "reveal.js" / "LICENSE").read_text().startswith("Copyright (C) 2011-2024 Hakim El Hattab")
    index = (slides / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{p.stem}.slides.html"' in index for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_deck_follows_slide_tags_and_opens_offline(slides, path):
    page = slides / f"{path.stem}.slides.html"
    text = page.read_text(encoding="utf-8")
    assert remote_references(text) == []
    assert LOADS_REMOTE.search(text) is None
    assert missing_local_files(page) == []
    soup = BeautifulSoup(text, "html.parser")
    assert [s["src"] for s in soup.find_all("script", src=True)] == ["reveal.js/dist/reveal.js"]
    nb = nbformat.read(path, as_version=4)
    starts = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "slide"]
    # nbconvert wraps each slide in an outer <section> holding its sub-slides' <section>s
    outer = [s for s in soup.select("div.slides > section")]
    assert len(outer) == len(starts)
    answers = [line.strip() for c in nb.cells if "solution" in c.metadata.get("tags", [])
               for line in c.source.splitlines() if re.match(r"\s*answer\s*=", line)]
    assert answers  # the solution cells are left out of the slides shown to the class
    assert not [a for a in answers if a in soup.get_text()]
    if any(o.get("data", {}).get("image/png") for c in nb.cells for o in c.get("outputs", [])):
        assert soup.find("img", src=re.compile(r"^data:image/png;base64,"))


def test_bad_input(tmp_path):
    with pytest.raises(CustkitError, match="does not exist"):
        build_slides(tmp_path / "nowhere", tmp_path / "out")
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# T", metadata={"slideshow": {"slide_type": "slide"}}),
                                       new_code_cell("1 + 1")]), src / "a.ipynb")
    out = build_slides(src, tmp_path / "out")
    with pytest.raises(OutputExistsError, match="already exists"):
        build_slides(src, out)
    nbformat.write(new_notebook(cells=[new_markdown_cell('# T\n\n<img src="https://example.org/x.png">')]),
                   src / "b.ipynb")
    with pytest.raises(CustkitError, match="b.slides.html would load 1 file"):
        build_slides(src, out, force=True)
    assert (out / "a.slides.html").exists()  # the failed build left the earlier one in place
