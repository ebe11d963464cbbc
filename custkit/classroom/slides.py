"""reveal.js decks for a room: no code, one figure or one table per slide, narrative in the notes.

A notebook is written to be read on a laptop; a deck is shown on a wall. :func:`deck` turns one
executed notebook into slides a trainer can project:

- a title slide, then the learning objectives;
- per section a title slide (its prose goes to the speaker notes);
- per figure, table or printed result one slide, titled by its finding: a cell's own
  ``metadata.custkit.slide_title`` if it has one, else the first sentence of the "**What it
  shows.**" paragraph that follows it (the sentence the notebook's claims tests check). A table
  or printed result that no finding describes (a preview of the data, a worked step) is left to
  the laptop; a figure without one keeps the section's heading. The paragraphs around it ("what
  it shows", the question, the reading) become its speaker notes;
- the key results (the notebook's summary), the manager's takeaway (every "**What a manager
  would do.**" paragraph, one per section) and the discussion questions, split over as many
  slides as they need; long tables (the glossary) likewise.

Code never reaches a slide, nor do the exercises or their solutions (the slides are shown to the
class). A long table is cut into slides of :data:`TABLE_ROWS` rows; a small script shrinks a
slide's text (never below :data:`MIN_FONT_PX`) when it would run off the 1280 x 720 slide, and a
browser test (``tests/browser/test_slides.py``) steps through every deck and checks that nothing
overflows.

Offline: the decks load reveal.js and its notes plugin (press ``S`` for the speaker view) from
``reveal.js/`` beside them, a copy of the reveal.js 5.2.1 files vendored in
``custkit/classroom/vendor/reveal.js`` (MIT licence kept there); figures are embedded as data
URIs, so ``make slides`` needs no download and the folder can be copied anywhere.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from bs4 import BeautifulSoup
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from custkit.classroom._common import (
    find_notebooks,
    fresh_output,
    learning_objectives,
    notebook_title,
    read_notebook,
    solution_free,
)
from custkit.classroom.offline import require_offline

VENDOR = Path(__file__).parent / "vendor" / "reveal.js"
REVEAL_PREFIX = "reveal.js"
WIDTH, HEIGHT = 1280, 720
"""The slide's size in CSS pixels (16:9, a projector's 720p); reveal.js scales it to the screen."""
TABLE_ROWS = 14
"""Most body rows of a table on one slide; a longer table continues on the next."""
TABLE_COLUMNS = 9
"""Most data columns of a table on one slide; a wider table shows the rest on the next (its index,
or else its first column, repeated)."""
LIST_ITEMS = {"objectives": 6, "summary": 4, "takeaway": 2, "discussion": 3, "numbers": 7, "glossary": 7}
"""Most items per slide of each kind of list."""
MIN_FONT_PX = 15
"""The fitting script never shrinks any text below this size (about 2 % of the slide's height:
readable from the back of a classroom on a 720p projector)."""
TITLE_CHARS = 110
"""A finding longer than this is cut at its first colon or semicolon, else the heading is used."""

SKIPPED_SECTIONS = ("exercises",)
"""Sections left out of the decks (the class works them on laptops)."""


@dataclass
class Slide:
    """One slide: its title, the HTML shown, the speaker notes (HTML) and a kind for styling."""

    title: str
    body: str = ""
    notes: list[str] = field(default_factory=list)
    kind: str = "content"
    kicker: str = ""
    title_from_cell: bool = False
    finding: bool = False  # titled by a finding (the cell's slide_title or a "What it shows" sentence)

    def html(self) -> str:
        notes = "".join(self.notes)
        kicker = f'<p class="kicker">{html.escape(self.kicker)}</p>' if self.kicker else ""
        heading = "h1" if self.kind == "title" else "h2"
        aside = f'<aside class="notes">{notes}</aside>' if notes else ""
        return (f'<section class="{self.kind}">{kicker}<{heading}>{_inline(self.title)}</{heading}>'
                f"{self.body}{aside}</section>")


def _inline(text: str) -> str:
    """Markdown of one line (bold, code, emphasis) as HTML without the paragraph."""
    text = re.sub(r"^(\s*\d+)\.(\s)", r"\1\\.\2", text)  # "2. Demographic groups" is a title, not a list
    out = markdown2html_mistune(text).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.DOTALL)


def _html(markdown: str) -> str:
    return markdown2html_mistune(markdown).strip()


def _paragraphs(markdown: str) -> list[str]:
    """Blocks of a markdown cell separated by blank lines (a list stays one block)."""
    return [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def _plain(markdown: str) -> str:
    text = re.sub(r"[*_`]", "", markdown)
    return re.sub(r"\s+", " ", text).strip()


INSTRUCTIONS = ("read", "compare", "look", "follow", "each", "put", "change", "count", "see", "note", "remember", "give",
                "find", "try", "move")
"""First words of a sentence that tells the reader what to do rather than what the data show."""


def _finding(paragraph: str) -> str | None:
    """The title a "**What it shows.**" paragraph offers: its first sentence that states a finding
    (not an instruction such as "Read the heatmap ...") and is short enough, whole or up to its
    first colon or semicolon; None when no sentence qualifies."""
    body = re.sub(r"^\*\*What it shows\.?\*\*\s*", "", paragraph.strip())
    for sentence in re.split(r"(?<=[.!?])\s+(?=[A-Z(`*])", body):
        sentence = sentence.strip()
        words = _plain(sentence).split()
        if (not words or words[0].casefold().strip(",") in INSTRUCTIONS or sentence[0] in "(`"
                or re.search(r"\b(exercise|question) Q\d|\basks you\b|\bby definition\b", sentence)
                or re.match(r"(Here|The bars|The dashed|The line|Each|In the \w+ chart)\b", sentence)):
            continue  # an instruction, a definition or a pointer to an exercise, not a finding
        if len(_plain(sentence)) <= TITLE_CHARS:
            return sentence.rstrip(".")
        head = re.split(r"[:;]", sentence, maxsplit=1)[0].strip()
        if 25 <= len(_plain(head)) <= TITLE_CHARS:
            return head
    return None


def _items(markdown: str) -> list[str]:
    """The items of a markdown list (bulleted or numbered), each as markdown text."""
    items: list[str] = []
    for line in markdown.splitlines():
        m = re.match(r"^\s*(?:[-*]|\d+\.)\s+(.*)$", line)
        if m:
            items.append(m.group(1))
        elif items and line.strip():
            items[-1] += " " + line.strip()
    return items


def _chunks(items: list, size: int) -> list[list]:
    """``items`` in as few chunks of at most ``size`` as possible, of (nearly) equal length."""
    if not items:
        return [[]]
    n = -(-len(items) // size)
    step = -(-len(items) // n)
    return [items[i:i + step] for i in range(0, len(items), step)]


def _numbered(title: str, n: int, total: int) -> str:
    return title if total == 1 else f"{title} ({n}/{total})"


def _column_groups(table) -> list:
    """``table`` split into tables of at most :data:`TABLE_COLUMNS` data columns, index kept."""
    rows = table.find_all("tr")
    if any(c.has_attr("colspan") for c in table.find_all(["th", "td"])) or not rows:
        return [table]
    body = table.find("tbody")
    first = body.find("tr") if body else None
    index = max(1, len(first.find_all("th", recursive=False)) if first else 0)  # the row labels stay
    width = max(len(r.find_all(["th", "td"], recursive=False)) for r in rows)
    data = width - index
    if data <= TABLE_COLUMNS:
        return [table]
    groups = []
    for columns in _chunks(list(range(index, width)), TABLE_COLUMNS):
        keep = set(range(index)) | set(columns)
        copy = BeautifulSoup(str(table), "html.parser").find("table")
        for row in copy.find_all("tr"):
            for i, cell in enumerate(row.find_all(["th", "td"], recursive=False)):
                if i not in keep:
                    cell.decompose()
        groups.append(copy)
    return groups


def _drop_row_numbers(table) -> None:
    """Remove a plain row-number index (no name, whole numbers): it means nothing on a slide."""
    body = table.find("tbody")
    rows = body.find_all("tr", recursive=False) if body else []
    if not rows or any(len(r.find_all("th", recursive=False)) != 1 for r in rows):
        return
    if not all(re.fullmatch(r"\d+", r.find("th").get_text(strip=True)) for r in rows):
        return
    head = table.find("thead")
    head_rows = head.find_all("tr", recursive=False) if head else []
    if len(head_rows) != 1 or head_rows[0].find(["th", "td"]).get_text(strip=True):
        return
    head_rows[0].find(["th", "td"]).decompose()
    for r in rows:
        r.find("th").decompose()


def _table_slides(table_html: str) -> list[str]:
    """A DataFrame's HTML as tables of at most :data:`TABLE_ROWS` rows and :data:`TABLE_COLUMNS`
    data columns each (column groups first, then rows)."""
    soup = BeautifulSoup(table_html, "html.parser")
    table = soup.find("table")
    if table is None:
        return []
    for cell in table.find_all(["th", "td"]):
        if cell.string:
            cell.string = cell.string.replace("_", " ")
    _drop_row_numbers(table)
    table.attrs = {"class": "dataframe"}
    parts = []
    for group in _column_groups(table):
        body = group.find("tbody")
        rows = body.find_all("tr", recursive=False) if body else []
        if len(rows) <= TABLE_ROWS:
            parts.append(str(group))
            continue
        for chunk in _chunks(rows, TABLE_ROWS):
            copy = BeautifulSoup(str(group), "html.parser")
            tbody = copy.find("tbody")
            tbody.clear()
            for row in chunk:
                tbody.append(BeautifulSoup(str(row), "html.parser"))
            parts.append(str(copy))
    return parts


def _list_slides(title: str, items: list[str], kind: str, kicker: str = "", ordered: bool = False) -> list[Slide]:
    tag = "ol" if ordered else "ul"
    chunks = _chunks(items, LIST_ITEMS[kind])
    slides = []
    start = 1
    for n, chunk in enumerate(chunks, 1):
        first = f' start="{start}"' if ordered and start > 1 else ""
        body = f"<{tag}{first}>" + "".join(f"<li>{_inline(i)}</li>" for i in chunk) + f"</{tag}>"
        slides.append(Slide(_numbered(title, n, len(chunks)), body, kind=kind, kicker=kicker))
        start += len(chunk)
    return slides


def _glossary_slides(markdown: str) -> list[Slide]:
    rows = [r for r in markdown.splitlines() if r.strip().startswith("|")]
    if len(rows) < 3:
        return [Slide("Glossary", _html(markdown.split("\n", 1)[-1]), kind="glossary")]
    header, body = rows[:2], rows[2:]
    chunks = _chunks(body, LIST_ITEMS["glossary"])
    return [Slide(_numbered("Glossary", n, len(chunks)), _html("\n".join(header + chunk)), kind="glossary")
            for n, chunk in enumerate(chunks, 1)]


def deck(nb: nbformat.NotebookNode) -> list[Slide]:
    """The slides of one executed notebook (see the module notes); solution cells are dropped."""
    nb = solution_free(nb)
    slides: list[Slide] = []
    takeaways: list[str] = []
    section = ""
    subsection = ""
    skipping = False
    pending: list[str] = []      # prose since the last slide: notes of the next visual
    last_visual: Slide | _Group | None = None
    described: list[Slide | _Group] = []  # visuals since the last prose: what the next finding titles
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            source = cell.source.strip()
            m = re.match(r"^(#{1,2})\s+(.+?)\s*$", source.splitlines()[0]) if source else None
            if m and m.group(1) == "#" and not slides:
                rest = source.split("\n", 1)[1] if "\n" in source else ""
                blocks = _paragraphs(rest)
                lead = next((b for b in blocks if not b.startswith("**")), "")
                first = re.split(r"(?<=[.!?])\s+", _plain(lead), maxsplit=1)[0] if lead else ""
                slides.append(Slide(m.group(2), f'<p class="lead">{html.escape(first)}</p>' if first else "",
                                    [_html(lead)] if lead else [], kind="title"))
                objectives = learning_objectives(nb)
                if objectives:
                    slides += _list_slides("What you will be able to do", _items(objectives), "objectives")
                continue
            if m and m.group(1) == "##":
                heading = m.group(2)
                rest = source.split("\n", 1)[1].strip() if "\n" in source else ""
                name = heading.casefold()
                skipping = any(name.startswith(s) for s in SKIPPED_SECTIONS)
                pending, last_visual, subsection, described = [], None, "", []
                if skipping:
                    continue
                if name.startswith("summary"):
                    slides += _list_slides("Key results", _items(rest), "summary")
                    if takeaways:
                        slides += _list_slides("What a manager would do", takeaways, "takeaway")
                        takeaways = []
                    continue
                if name.startswith("glossary"):
                    slides += _glossary_slides(source)
                    continue
                if name.startswith("discussion"):
                    slides += _list_slides("Discussion questions", _items(rest), "discussion", ordered=True)
                    continue
                section = heading
                slides.append(Slide(heading, kind="section"))
                markdown = rest
                opens_section = True
            else:
                opens_section = False
                if skipping or not slides:
                    continue
                markdown = source
            for block in _paragraphs(markdown):
                sub = re.match(r"^#{3,6}\s+(.+?)\s*$", block.splitlines()[0])
                if sub:
                    subsection = sub.group(1)
                    block = block.split("\n", 1)[1].strip() if "\n" in block else ""
                    if not block:
                        continue
                if block.startswith("**What it shows"):
                    found = _finding(block)
                    for visual in described:
                        if found and not visual.title_from_cell:
                            visual.title = found
                            visual.finding = True
                    if last_visual is not None:
                        last_visual.notes.append(_html(block))
                    else:
                        pending.append(_html(block))
                elif block.startswith("**What a manager would do"):
                    body = re.sub(r"^\*\*What a manager would do\.?\*\*\s*", "", block)
                    takeaways.append(f"**{section}.** {body}" if section else body)
                    (last_visual.notes if last_visual is not None else pending).append(_html(block))
                else:
                    pending.append(_html(block))
            if opens_section:  # the section's own prose is the notes of its title slide
                slides[-1].notes += pending
                pending = []
            described = []
            continue
        if skipping or cell.cell_type != "code" or not slides:
            continue
        if cell.metadata.get("slideshow", {}).get("slide_type") == "skip":
            continue
        explicit = cell.metadata.get("custkit", {}).get("slide_title")
        heading = subsection or section
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            made: list[Slide] = []
            if "image/png" in data:
                made = [Slide(heading, f'<img alt="figure" src="data:image/png;base64,{data["image/png"].strip()}">',
                              kind="figure", kicker=section)]
            elif "<table" in str(data.get("text/html", "")):
                parts = _table_slides(data["text/html"])
                made = [Slide(_numbered(heading, n, len(parts)), part, kind="table", kicker=section)
                        for n, part in enumerate(parts, 1)]
            elif output.get("output_type") == "stream" and output.get("name") == "stdout":
                lines = [ln for ln in str(output.get("text", "")).splitlines() if ln.strip()]
                chunks = _chunks(lines, LIST_ITEMS["numbers"])
                made = [Slide(_numbered(heading, n, len(chunks)),
                              "<ul>" + "".join(f"<li>{html.escape(ln.strip())}</li>" for ln in chunk) + "</ul>",
                              kind="numbers", kicker=section) for n, chunk in enumerate(chunks, 1)]
            for s in made:
                s.title_from_cell = s.finding = bool(explicit)
                if explicit:
                    s.title = explicit
            if made:
                made[0].notes = pending + made[0].notes
                pending = []
                slides += made
                last_visual = made[-1] if len(made) == 1 else _Group(made)  # a long table's parts share a title
                described.append(last_visual)
    if takeaways:
        slides += _list_slides("What a manager would do", takeaways, "takeaway")
    return _room_only(slides)


def _room_only(slides: list[Slide]) -> list[Slide]:
    """Drop the tables and printed numbers that no finding describes (data previews, worked steps):
    they belong on a laptop, not on a wall. Their notes move to the slide before them; every
    figure stays."""
    kept: list[Slide] = []
    for s in slides:
        if s.kind in ("table", "numbers") and not s.finding:
            if kept:
                kept[-1].notes += s.notes
            continue
        kept.append(s)
    return kept


class _Group:
    """Several slides of one output (a long table) that share the finding and notes that follow."""

    def __init__(self, slides: list[Slide]) -> None:
        self.slides = slides
        self.kicker = slides[0].kicker
        self.title_from_cell = slides[0].title_from_cell

    @property
    def notes(self) -> list[str]:
        return self.slides[-1].notes

    @property
    def title(self) -> str:
        return self.slides[0].title

    @title.setter
    def title(self, value: str) -> None:
        for n, s in enumerate(self.slides, 1):
            s.title = _numbered(value, n, len(self.slides))

    @property
    def finding(self) -> bool:
        return self.slides[0].finding

    @finding.setter
    def finding(self, value: bool) -> None:
        for s in self.slides:
            s.finding = value


STYLE = f"""
.reveal {{ font-size: 28px; }}
.reveal .slides section {{ height: {HEIGHT}px; box-sizing: border-box; padding: 8px 24px; text-align: left; }}
.reveal h1 {{ font-size: 2.0em; margin-top: 3em; }}
.reveal h2 {{ font-size: 1.35em; line-height: 1.2; text-transform: none; margin: 0 0 0.5em 0; }}
.reveal .kicker {{ font-size: 0.6em; color: #666; margin: 0 0 0.2em 0; text-transform: uppercase; letter-spacing: 0.05em; }}
.reveal .lead {{ font-size: 0.9em; color: #444; }}
.reveal section.section h2 {{ font-size: 1.8em; margin-top: 5em; }}
.reveal section.figure img {{ display: block; margin: 0 auto; max-width: 100%; max-height: {HEIGHT - 170}px; }}
.reveal table {{ font-size: 0.7em; border-collapse: collapse; margin: 0; }}
.reveal table th, .reveal table td {{ padding: 0.15em 0.5em; border-bottom: 1px solid #ccc; text-align: right; }}
.reveal table th {{ font-weight: 600; }}
.reveal section.glossary table td, .reveal section.glossary table th {{ text-align: left; }}
.reveal ul, .reveal ol {{ display: block; margin-left: 1em; }}
.reveal li {{ margin-bottom: 0.35em; line-height: 1.3; }}
.reveal section.takeaway li, .reveal section.summary li {{ font-size: 0.85em; }}
"""

FIT_SCRIPT = f"""
// Shrink a slide's text when it would run off the {WIDTH} x {HEIGHT} slide, but never so far that
// its smallest text falls below {MIN_FONT_PX}px: a slide that still does not fit is a build error
// (split it), which the browser test reports.
function custkitSmallest(section) {{
  let least = Infinity;
  for (const el of section.querySelectorAll("*")) {{
    if (el.closest("aside.notes") || !el.childNodes.length) continue;
    if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) {{
      least = Math.min(least, parseFloat(getComputedStyle(el).fontSize));
    }}
  }}
  return least;
}}
function custkitFit(section) {{
  if (!section || section.dataset.fitted) return;
  let size = parseFloat(getComputedStyle(section).fontSize);
  while ((section.scrollHeight > {HEIGHT} || section.scrollWidth > {WIDTH})) {{
    const next = size - 1;
    if (custkitSmallest(section) * next / size < {MIN_FONT_PX}) break;
    size = next;
    section.style.fontSize = size + "px";
  }}
  section.dataset.fitted = "1";
}}
Reveal.on("ready", e => custkitFit(e.currentSlide));
Reveal.on("slidechanged", e => custkitFit(e.currentSlide));
"""


def render_deck(slides: list[Slide], title: str) -> str:
    """One self-contained reveal.js page for ``slides`` (loading reveal.js from ``reveal.js/``)."""
    body = "\n".join(s.html() for s in slides)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{html.escape(title)}</title>
<link rel="stylesheet" href="{REVEAL_PREFIX}/dist/reveal.css">
<link rel="stylesheet" href="{REVEAL_PREFIX}/dist/theme/white.css">
<style>{STYLE}</style>
</head>
<body>
<div class="reveal"><div class="slides">
{body}
</div></div>
<script src="{REVEAL_PREFIX}/dist/reveal.js"></script>
<script src="{REVEAL_PREFIX}/plugin/notes/notes.js"></script>
<script>
Reveal.initialize({{ width: {WIDTH}, height: {HEIGHT}, margin: 0.04, center: false, hash: true,
                     slideNumber: "c/t", transition: "none", plugins: [RevealNotes] }});
{FIT_SCRIPT}
</script>
</body>
</html>
"""


def build_slides(notebooks: str | Path = "notebooks", out: str | Path = "build/slides", *,
                 force: bool = False) -> Path:
    """Write ``<name>.slides.html`` for every notebook of ``notebooks`` into ``out``.

    ``out`` also receives ``reveal.js/`` (the vendored files) and an ``index.html`` linking the
    slide decks, so the folder can be copied anywhere and opened from disk.

    Raises
    ------
    CustkitError
        Missing or empty notebooks folder; existing ``out`` without ``force``; a page that would
        load a file from the network.
    """
    from custkit.classroom.site import notebook_list_html, page

    sources = find_notebooks(notebooks)
    with fresh_output(out, force) as tmp:
        shutil.copytree(VENDOR, tmp / REVEAL_PREFIX)
        entries = []
        for path in sources:
            nb = read_notebook(path)
            text = render_deck(deck(nb), notebook_title(nb, path.stem))
            target = f"{path.stem}.slides.html"
            (tmp / target).write_text(require_offline(text, target), encoding="utf-8")
            entries.append((target, nb))
        (tmp / "index.html").write_text(
            page("Course slides", "<h1>Course slides</h1>\n" + notebook_list_html(entries)), encoding="utf-8"
        )
    return Path(out)
