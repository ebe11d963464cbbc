"""Slides: one reveal.js deck per notebook for a room (no code, notes, long tables split), offline."""

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
def test_deck_opens_offline_without_code_or_solutions(slides, path):
    page = slides / f"{path.stem}.slides.html"
    text = page.read_text(encoding="utf-8")
    assert remote_references(text) == []
    assert LOADS_REMOTE.search(text) is None
    assert missing_local_files(page) == []
    soup = BeautifulSoup(text, "html.parser")
    assert [s["src"] for s in soup.find_all("script", src=True)] == ["reveal.js/dist/reveal.js",
                                                                   "reveal.js/plugin/notes/notes.js"]
    nb = nbformat.read(path, as_version=4)
    shown = soup.select("div.slides > section")
    visible = " ".join(s.get_text(" ") for s in shown for a in [s.find("aside")] if True)
    # no code: not a single line of any code cell's source appears on a slide (notes excluded)
    for s in shown:
        for aside in s.find_all("aside"):
            aside.decompose()
    on_slides = "\n".join(s.get_text("\n") for s in shown)
    code_lines = {line.strip() for c in nb.cells if c.cell_type == "code" for line in c.source.splitlines()
                  if len(line.strip()) > 25 and not line.strip().startswith("#")}
    assert [line for line in code_lines if line in on_slides] == []
    answers = [line.strip() for c in nb.cells if "solution" in c.metadata.get("tags", [])
               for line in c.source.splitlines() if re.match(r"\s*answer\s*=", line)]
    assert answers  # the solution cells are left out of the slides shown to the class
    assert not [a for a in answers if a in text]
    assert visible
    figures = sum(1 for c in nb.cells for o in c.get("outputs", []) if o.get("data", {}).get("image/png")
                  and c.metadata.get("slideshow", {}).get("slide_type") != "skip")
    assert len(soup.find_all("img", src=re.compile(r"^data:image/png;base64,"))) == figures
    titles = [s.find(["h1", "h2"]).get_text() for s in soup.select("div.slides > section")]
    assert titles[0] == nbformat.read(path, as_version=4).cells[0].source.splitlines()[0].lstrip("# ").strip()
    assert "What you will be able to do" in titles and "Key results" in " ".join(titles)
    assert any(t.startswith("Discussion questions") for t in titles)
    assert any(t.startswith("What a manager would do") for t in titles)
    assert any(t.startswith("Glossary") for t in titles)
    assert not any("Exercises" in t for t in titles)


def _md(text, **meta):
    return new_markdown_cell(text, metadata=meta)


def _table_output(rows: int, columns: int):
    head = "".join(f"<th>col_{j}</th>" for j in range(columns))
    body = "".join("<tr><th>" + str(i) + "</th>" + "".join(f"<td>{i * j}</td>" for j in range(columns)) + "</tr>"
                   for i in range(rows))
    return {"output_type": "execute_result", "execution_count": 1, "metadata": {},
            "data": {"text/plain": "t", "text/html": f'<table class="dataframe"><thead><tr><th></th>{head}'
                                                     f"</tr></thead><tbody>{body}</tbody></table>"}}


def test_deck_by_hand():
    from custkit.classroom.slides import TABLE_ROWS, deck

    table = new_code_cell("segments.head(30)")
    table.outputs = [_table_output(2 * TABLE_ROWS + 1, 12)]
    figure = new_code_cell("ax = plot()", metadata={"custkit": {"slide_title": "Phones lose most carts"}})
    figure.outputs = [{"output_type": "display_data", "metadata": {}, "data": {"image/png": "iVBOR", "text/plain": "F"}},
                      {"output_type": "stream", "name": "stdout", "text": "Carts left: 69%\n"}]
    nb = new_notebook(cells=[
        _md("# 09 · A lesson\n\nShops lose carts. A second sentence.\n\n**Learning objectives.** You can\n\n"
            "- read a funnel;\n- compare devices and\n  channels."),
        new_code_cell("import custkit", metadata={"slideshow": {"slide_type": "skip"}}),
        _md("## 1. The funnel\n\nWhy funnels matter."),
        _md("The question: where do visits end?"),
        table,
        _md("**What it shows.** Most visits end before the cart: the shop loses them early.\n\n"
            "**What a manager would do.** Fix the product page first."),
        figure,
        _md("## Exercises\n\nQ1."),
        new_code_cell("answer = 1", metadata={"tags": ["solution"]}),
        _md("## Summary\n\n- one\n- two"),
        _md("## Glossary\n\n| English | Persian |\n|---|---|\n" + "".join(f"| t{i} | p{i} |\n" for i in range(9))),
        _md("## Discussion questions\n\n1. Why?\n2. How?"),
    ])
    slides = deck(nb)
    titles = [s.title for s in slides]
    assert titles[:3] == ["09 · A lesson", "What you will be able to do", "1. The funnel"]
    assert "compare devices and channels." in slides[1].body  # continuation lines kept
    assert slides[0].notes and "A second sentence" in slides[0].notes[0]
    # 29 rows x 12 columns: the row numbers (a nameless index of whole numbers) are dropped, so col_0
    # labels the rows and is repeated: two column groups (col 0-6, col 0 and 7-11) of three row chunks
    # (10 + 10 + 9), titled by the finding's first sentence
    tables = [s for s in slides if s.kind == "table"]
    finding = "Most visits end before the cart: the shop loses them early"
    assert [t.title for t in tables] == [f"{finding} ({n}/6)" for n in range(1, 7)]
    assert [t.body.count("<tr>") for t in tables] == [11, 11, 10, 11, 11, 10]
    assert "col_0" not in tables[0].body and "<th>28</th>" not in tables[2].body
    assert all("<th>col 0</th>" in t.body for t in tables)
    assert "<th>col 6</th>" in tables[0].body and "<th>col 7</th>" not in tables[0].body
    assert "<th>col 7</th>" in tables[3].body and "<th>col 6</th>" not in tables[3].body
    assert "where do visits end" in tables[0].notes[0]
    assert "Most visits end" in tables[-1].notes[-2] and "Fix the product page" in tables[-1].notes[-1]
    fig = next(s for s in slides if s.kind == "figure")
    assert fig.title == "Phones lose most carts" and 'src="data:image/png;base64,iVBOR"' in fig.body
    numbers = next(s for s in slides if s.kind == "numbers")
    assert "Carts left: 69%" in numbers.body
    assert titles[-5:] == ["Key results", "What a manager would do", "Glossary (1/2)", "Glossary (2/2)",
                           "Discussion questions"]
    assert "Fix the product page first" in slides[-4].body and "1. The funnel" in slides[-4].body
    assert all("answer = 1" not in s.html() for s in slides)
    html_text = "".join(s.html() for s in slides)
    assert "import custkit" not in html_text and "segments.head" not in html_text
    assert '<aside class="notes">' in html_text


def test_bad_input(tmp_path):
    with pytest.raises(CustkitError, match="does not exist"):
        build_slides(tmp_path / "nowhere", tmp_path / "out")
    src = tmp_path / "src"
    src.mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# T"), new_code_cell("1 + 1")]), src / "a.ipynb")
    out = build_slides(src, tmp_path / "out")
    with pytest.raises(OutputExistsError, match="already exists"):
        build_slides(src, out)
    nbformat.write(new_notebook(cells=[new_markdown_cell('# T\n\n<img src="https://example.org/x.png">')]),
                   src / "b.ipynb")
    with pytest.raises(CustkitError, match="b.slides.html would load 1 file"):
        build_slides(src, out, force=True)
    assert (out / "a.slides.html").exists()  # the failed build left the earlier one in place
