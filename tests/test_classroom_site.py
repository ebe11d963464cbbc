"""Course site: a page per executed notebook, an index with objectives, the guide, offline, zipped."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from custkit.classroom import build_site
from custkit.classroom.offline import missing_local_files, remote_references
from custkit.errors import CustkitError, OutputExistsError

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
LOADS_REMOTE = re.compile(r"""<(?!a[\s>])[a-z]+\b[^>]*\b(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
GUIDE = """# Course guide

Work through the notebooks in order: start with [the tour](notebooks/00_start_here.ipynb), then
[definitions](01_customer_definitions.ipynb).

| Session | Notebook |
|---|---|
| 1 | 00 |
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("classroom")
    (base / "guide.md").write_text(GUIDE, encoding="utf-8")
    return build_site(ROOT / "notebooks", base / "site", guide=base / "guide.md")


def first_heading(path: Path) -> str:
    first = nbformat.read(path, as_version=4).cells[0].source
    return first.splitlines()[0].removeprefix("# ").strip()


def test_index_lists_notebooks_with_titles_and_objectives(site):
    soup = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "html.parser")
    items = soup.select("li.notebook")
    assert [li.a["href"] for li in items] == [f"{p.stem}.html" for p in NOTEBOOKS]
    assert [li.a.get_text() for li in items] == [first_heading(p) for p in NOTEBOOKS]
    # notebook 00's first objective, read off its first cell by hand
    assert "run a notebook, re-run it from a clean start" in items[0].get_text()
    assert soup.find("a", href="course_guide.html")


def test_guide_is_rendered_with_links_to_the_pages(site):
    soup = BeautifulSoup((site / "course_guide.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.title.get_text() == "Course guide"
    hrefs = [a["href"] for a in soup.find_all("a") if not a["href"].startswith("#")]
    assert hrefs == ["index.html", "00_start_here.html", "01_customer_definitions.html"]
    assert soup.find("table")


@pytest.mark.parametrize("name", [f"{p.stem}.html" for p in NOTEBOOKS] + ["index.html", "course_guide.html"])
def test_every_page_opens_offline(site, name):
    text = (site / name).read_text(encoding="utf-8")
    assert remote_references(text) == []
    assert LOADS_REMOTE.search(text) is None
    assert "<script src" not in text
    assert missing_local_files(site / name) == []


def test_pages_hold_the_stored_outputs(site):
    soup = BeautifulSoup((site / "00_start_here.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.find("img", src=re.compile(r"^data:image/png;base64,"))  # the weekly-orders figure
    # the stored output of a solution cell is in the trainer's site only (test below)
    assert "Correct: Warm-up: well done." not in soup.get_text()
    assert soup.find("a", href="index.html")


def test_zip_has_index_at_its_root(site):
    with zipfile.ZipFile(site.with_suffix(".zip")) as zf:
        names = set(zf.namelist())
    assert {"index.html", "course_guide.html"} | {f"{p.stem}.html" for p in NOTEBOOKS} == names


def widget_notebook() -> nbformat.NotebookNode:
    widget = new_code_cell("explorer", execution_count=1)
    widget.outputs = [new_output("display_data", {
        "application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/plain": "interactive(children=(IntSlider(value=5),))",
    })]
    answer = new_code_cell("answer = 42\nex.q1.check(answer)", execution_count=2, metadata={"tags": ["solution"]})
    answer.outputs = [new_output("execute_result", {"text/plain": "Correct: Q1: well done."}, execution_count=2)]
    kept = new_code_cell("print('kept output')", execution_count=3)
    kept.outputs = [new_output("stream", name="stdout", text="kept output\n")]
    state = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0, "state": {}}}
    return new_notebook(cells=[new_markdown_cell("# Widgets\n\nNo objectives here."), widget, answer, kept],
                        metadata={"widgets": state})


def test_widgets_degrade_and_solutions_can_be_left_out(tmp_path):
    src = tmp_path / "nb"
    src.mkdir()
    nbformat.write(widget_notebook(), src / "07_widgets.ipynb")
    out = build_site(src, tmp_path / "site", guide=tmp_path / "no_guide.md", include_solutions=False)
    text = (out / "07_widgets.html").read_text(encoding="utf-8")
    assert remote_references(text) == [] and "widget-state" not in text and "unpkg" not in text
    assert "Interactive widget: open this notebook in JupyterLab" in text
    assert "kept output" in text
    assert "answer = 42" not in text and "Correct: Q1" not in text
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "course_guide.html" not in index and not (out / "course_guide.html").exists()
    assert "07_widgets.html" in index and "Learning objectives" not in index


def test_bad_input(tmp_path):
    with pytest.raises(CustkitError, match="does not exist"):
        build_site(tmp_path / "nowhere", tmp_path / "out")
    src = tmp_path / "nb"
    src.mkdir()
    with pytest.raises(CustkitError, match="no .ipynb"):
        build_site(src, tmp_path / "out")
    nbformat.write(new_notebook(cells=[new_markdown_cell("# T")]), src / "a.ipynb")
    with pytest.raises(CustkitError, match="not a file"):
        build_site(src, tmp_path / "out", guide=src)
    out = build_site(src, tmp_path / "out", guide=None)
    with pytest.raises(OutputExistsError, match="--force"):
        build_site(src, out, guide=None)
    (src / "broken.ipynb").write_text("{not json")
    with pytest.raises(CustkitError, match="broken.ipynb is not a readable notebook"):
        build_site(src, out, guide=None, force=True)


# ----------------------------------------------------------------------------- students' and trainer's sites


def _page_text(folder: Path) -> str:
    """The visible text of every page of a site, whitespace collapsed."""
    texts = [BeautifulSoup(p.read_text(encoding="utf-8"), "html.parser").get_text() for p in sorted(folder.glob("*.html"))]
    return re.sub(r"\s+", " ", " ".join(texts))


def _solution_lines() -> list[str]:
    """Every distinctive line of the real notebooks' solution cells (assignments and calls)."""
    from custkit.classroom._common import is_solution

    lines, visible = set(), []
    for path in NOTEBOOKS:
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code" and is_solution(cell):
                lines |= {re.sub(r"\s+", " ", line.strip()) for line in cell.source.splitlines()
                          if len(line.strip()) > 25 and not line.strip().startswith("#")}
            else:
                visible.append(re.sub(r"\s+", " ", cell.source))
    shown = "\n".join(visible)
    return sorted(line for line in lines if line not in shown)  # what a visible cell shows is no secret


@pytest.fixture(scope="module")
def two_sites(tmp_path_factory):
    base = tmp_path_factory.mktemp("sites")
    student = build_site(ROOT / "notebooks", base / "student", guide=None)
    trainer = build_site(ROOT / "notebooks", base / "trainer", guide=None, include_solutions=True)
    return _page_text(student), _page_text(trainer)


def test_no_solution_reaches_the_students_site_and_the_trainers_site_has_them(two_sites):
    student, trainer = two_sites
    lines = _solution_lines()
    assert len(lines) >= 20, "the notebooks' solution cells should have been found"
    assert [line for line in lines if line in student] == []
    assert [line for line in lines if line not in trainer] == []
    assert "Trainer's edition" in trainer and "Trainer's edition" not in student
    assert "Correct: Warm-up: well done." in trainer and "Correct: Warm-up: well done." not in student


# ----------------------------------------------------------------------------- the answer sheet (trainer only)


def _answer_sheet_lines() -> list[str]:
    """Every distinctive line of the exercises' solution texts (what the answer sheet shows),
    less what a visible notebook cell shows anyway."""
    import importlib

    import custkit as ck
    from custkit.classroom._common import is_solution
    from custkit.exercises.core import Exercise

    shop = ck.load_shop()
    visible = "\n".join(re.sub(r"\s+", " ", c.source) for p in NOTEBOOKS
                        for c in nbformat.read(p, as_version=4).cells if not is_solution(c))
    lines = set()
    for path in NOTEBOOKS:
        namespace = importlib.import_module(f"custkit.exercises.nb{path.name[:2]}").exercises(shop)
        for exercise in vars(namespace).values():
            if isinstance(exercise, Exercise):
                lines |= {re.sub(r"\s+", " ", line.strip()) for line in exercise.solution_text.splitlines()
                          if len(line.strip()) > 25 and not line.strip().startswith("#")}
    return sorted(line for line in lines if line not in visible)


def test_no_answer_sheet_text_reaches_the_students_site(two_sites, tmp_path):
    student, _ = two_sites
    lines = _answer_sheet_lines()
    assert len(lines) >= 20, "the exercises' solution texts should have been found"
    assert [line for line in lines if line in student] == []
    assert "Answer sheet" not in student and "answer sheet" not in student
    with pytest.raises(CustkitError, match="trainer's site only"):
        build_site(ROOT / "notebooks", tmp_path / "s", guide=None, answers=True)
    assert not (tmp_path / "s").exists()


def test_trainers_site_holds_the_answer_sheet(tmp_path):
    src = tmp_path / "nb"
    src.mkdir()
    solution = new_code_cell("answer = len(shop.products)\nex.warmup.check(answer)", metadata={"tags": ["solution"]})
    nbformat.write(new_notebook(cells=[
        new_markdown_cell("# 00 · Tiny"),
        new_code_cell("import custkit as ck\nfrom custkit.exercises import nb00\nshop = ck.load_shop()\n"
                      "ex = nb00.exercises(shop)"),
        new_code_cell("answer = ...  # your code here\nex.warmup.check(answer)"),
        solution,
    ]), src / "00_tiny.ipynb")
    out = build_site(src, tmp_path / "trainer", guide=None, include_solutions=True, answers=True)
    index = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert index.find("a", href="answers.html")
    text = (out / "answers.html").read_text(encoding="utf-8")
    assert remote_references(text) == [] and missing_local_files(out / "answers.html") == []
    from custkit.exercises import nb00
    import custkit as ck

    warmup = nb00.exercises(ck.load_shop()).warmup
    visible = re.sub(r"\s+", " ", BeautifulSoup(text, "html.parser").get_text())
    assert f"Expected answer: {warmup.answer:,}" in visible
    assert visible.count("The notebook's solution cell checks: correct.") == 1  # the warm-up's solution ran
    assert visible.count("did not check this exercise") == 5  # Q1 ... Q5 have no solution cell here
    with zipfile.ZipFile(out.with_suffix(".zip")) as zf:
        assert "answers.html" in zf.namelist()
