"""reveal.js slides of every notebook, from the cells' slide tags, that open without a network.

The slides follow each cell's ``metadata.slideshow.slide_type`` (slide, sub-slide, fragment,
skip, notes), as Jupyter's "Slide Type" menu sets it: in the course notebooks the title cell
with its learning objectives, each section, each key figure and the discussion questions open a
slide. nbconvert's SlidesExporter renders them; solution cells are left out (the slides are shown
to the class).

Offline: nbconvert's reveal template loads reveal.js, require.js, jQuery, MathJax, mermaid and
the widget manager from CDNs. The template ``custkit_reveal`` drops all but reveal.js (no course
notebook uses TeX math, diagrams or saved widget state; widget outputs show their static
fallback) and loads reveal.js with a plain script tag from ``reveal.js/`` beside the slides, a
copy of the reveal.js 5.2.1 files vendored in ``custkit/classroom/vendor/reveal.js`` (MIT licence
kept there), so ``make slides`` needs no download on a fresh clone. Figures are embedded as data
URIs. Speaker notes (slide type "notes") stay hidden: the notes plugin is not bundled.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nbconvert import SlidesExporter

from custkit.classroom._common import (
    TEMPLATES,
    find_notebooks,
    fresh_output,
    read_notebook,
    solution_free,
    static_widgets,
)
from custkit.classroom.offline import require_offline

VENDOR = Path(__file__).parent / "vendor" / "reveal.js"
REVEAL_PREFIX = "reveal.js"


def slides_exporter() -> SlidesExporter:
    """A SlidesExporter set up for offline slides (local reveal.js, embedded images)."""
    return SlidesExporter(
        template_name="custkit_reveal",
        extra_template_basedirs=[str(TEMPLATES)],
        reveal_url_prefix=REVEAL_PREFIX,
        reveal_theme="white",  # the vendored theme; others (simple, ...) load Google fonts
        embed_images=True,
    )


def build_slides(notebooks: str | Path = "notebooks", out: str | Path = "build/slides", *,
                 force: bool = False) -> Path:
    """Write ``<name>.slides.html`` for every notebook of ``notebooks`` into ``out``.

    ``out`` also receives ``reveal.js/`` (the vendored files) and an ``index.html`` linking the
    slide decks, so the folder can be copied anywhere and opened from disk.

    Raises
    ------
    CustkitError
        Missing or empty notebooks folder; existing ``out`` without ``force``.
    """
    from custkit.classroom.site import page, notebook_list_html

    sources = find_notebooks(notebooks)
    exporter = slides_exporter()
    with fresh_output(out, force) as tmp:
        shutil.copytree(VENDOR, tmp / REVEAL_PREFIX)
        entries = []
        for path in sources:
            nb = static_widgets(solution_free(read_notebook(path)))
            html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem}})
            target = f"{path.stem}.slides.html"
            (tmp / target).write_text(require_offline(html, target), encoding="utf-8")
            entries.append((target, nb))
        (tmp / "index.html").write_text(
            page("Course slides", "<h1>Course slides</h1>\n" + notebook_list_html(entries)), encoding="utf-8"
        )
    return Path(out)
