"""A static HTML site of the executed notebooks, with an index and the course guide, offline.

Each notebook is rendered with its stored outputs (``make notebooks`` re-executes and stores
them) by nbconvert's HTMLExporter with the ``custkit_lab`` template: the JupyterLab look, figures
embedded as data URIs, and no script from a CDN (require.js, MathJax, mermaid and the widget
manager are left out; widget outputs show their static fallback). ``index.html`` lists the
notebooks with their titles and learning objectives and links ``course_guide.html``, rendered
from ``docs/course_guide.md`` when it exists. All links are relative, so the folder (or
``site.zip``, with ``index.html`` at its root) can be uploaded to a learning-management system.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.filters.markdown_mistune import markdown2html_mistune

from custkit.classroom._common import (
    TEMPLATES,
    find_notebooks,
    fresh_output,
    learning_objectives,
    notebook_title,
    read_notebook,
    solution_free,
    static_widgets,
    zip_folder,
)
from custkit.classroom.offline import require_offline
from custkit.errors import CustkitError

_STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 52em;
       margin: 2em auto; padding: 0 1em; line-height: 1.5; color: #222; }
li.notebook { margin-bottom: 1.2em; } li.notebook > a { font-weight: 600; font-size: 1.1em; }
.objectives { font-size: 0.95em; } .missing { color: #a00; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccc; padding: 0.2em 0.5em; }
code, pre { background: #f4f4f4; } a.anchor-link { display: none; }
"""


def page(title: str, body_html: str) -> str:
    """A small self-contained HTML page (inline style, no script, no remote file)."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        f"{body_html}\n</body>\n</html>\n"
    )


def _executed(nb: nbformat.NotebookNode) -> bool:
    code = [c for c in nb.cells if c.cell_type == "code" and c.source.strip()]
    return not code or any(c.get("outputs") for c in code)


def notebook_list_html(entries: list[tuple[str, nbformat.NotebookNode]]) -> str:
    """An ``<ol>`` linking each ``(href, notebook)`` with its title and learning objectives."""
    items = []
    for href, nb in entries:
        title = html.escape(notebook_title(nb, Path(href).stem))
        objectives = learning_objectives(nb)
        block = f'<li class="notebook"><a href="{html.escape(href)}">{title}</a>'
        if not _executed(nb):
            block += ' <span class="missing">(no stored outputs: run <code>make notebooks</code>)</span>'
        if objectives:
            block += f'\n<div class="objectives"><em>Learning objectives.</em>{markdown2html_mistune(objectives)}</div>'
        items.append(block + "</li>")
    return "<ol>\n" + "\n".join(items) + "\n</ol>"


def render_guide(markdown_text: str) -> str:
    """The course guide as an HTML page; links to ``*.ipynb`` are pointed at the site's pages."""
    body = markdown2html_mistune(markdown_text)
    body = re.sub(r'href="(?:[^"]*/)?([^"/]+)\.ipynb"', r'href="\1.html"', body)
    m = re.search(r"^#\s+(.+)$", markdown_text, re.MULTILINE)
    title = m.group(1).strip() if m else "Course guide"
    return page(title, '<p><a href="index.html">&larr; All notebooks</a></p>\n' + body)


def site_exporter() -> HTMLExporter:
    """An HTMLExporter set up for offline pages (lab look, embedded images, no CDN script)."""
    return HTMLExporter(template_name="custkit_lab", extra_template_basedirs=[str(TEMPLATES)], embed_images=True)


def build_site(notebooks: str | Path = "notebooks", out: str | Path = "build/site", *,
               guide: str | Path | None = "docs/course_guide.md", force: bool = False,
               include_solutions: bool = False, zip_path: str | Path | None = None,
               answers: bool = False, answers_timeout: float | None = None) -> Path:
    """Write the course site to ``out`` and zip it (``index.html`` at the archive's root).

    By default it is the students' site: no cell tagged ``solution`` and so none of its outputs.
    ``include_solutions=True`` builds the trainer's site, the notebooks as they are.

    Parameters
    ----------
    notebooks
        Folder of the executed course notebooks, taken in name order.
    out
        Output folder; refused if it exists unless ``force``.
    guide
        Markdown course guide rendered to ``course_guide.html``; skipped (and not linked) when
        the file does not exist or ``guide`` is None.
    include_solutions
        False (the default) leaves out the cells tagged ``solution`` (a site for students; the
        outputs of the other cells are kept); True keeps them (the trainer's site).
    zip_path
        Default ``<out>.zip``.
    answers
        Add ``answers.html``, the answer sheet (:mod:`custkit.classroom.answers`: it executes
        every notebook), linked from the index. Trainer's site only: refused without
        ``include_solutions``.
    answers_timeout
        Seconds each notebook may run for the answer sheet (default: the sheet's own).

    Raises
    ------
    CustkitError
        Missing or empty notebooks folder; existing ``out`` without ``force``; ``guide`` given
        but not a file; ``answers`` without ``include_solutions``.
    """
    if answers and not include_solutions:
        raise CustkitError("the answer sheet is for the trainer's site only; add --with-solutions "
                           "(include_solutions=True) or leave out --answers.")
    sources = find_notebooks(notebooks)
    guide_path = Path(guide) if guide is not None else None
    if guide_path is not None and guide_path.exists() and not guide_path.is_file():
        raise CustkitError(f"guide {str(guide_path)!r} is not a file; pass the course guide's .md file.")
    has_guide = guide_path is not None and guide_path.is_file()
    exporter = site_exporter()
    out = Path(out)
    with fresh_output(out, force) as tmp:
        entries = []
        for path in sources:
            nb = read_notebook(path)
            nb = static_widgets(nb if include_solutions else solution_free(nb))
            resources = {"metadata": {"name": notebook_title(nb, path.stem)}, "custkit_back_link": "index.html"}
            body, _ = exporter.from_notebook_node(nb, resources=resources)
            (tmp / f"{path.stem}.html").write_text(require_offline(body, path.name), encoding="utf-8")
            entries.append((f"{path.stem}.html", nb))
        intro = "<h1>custkit: knowing your customers</h1>\n"
        if include_solutions:
            intro += "<p><strong>Trainer's edition: the exercises' solutions are shown. Do not upload it.</strong></p>\n"
        if has_guide:
            guide_html = render_guide(guide_path.read_text(encoding="utf-8"))
            (tmp / "course_guide.html").write_text(require_offline(guide_html, guide_path.name), encoding="utf-8")
            intro += ('<p>Start with the <a href="course_guide.html">course guide</a>, '
                      "then the notebooks in order.</p>\n")
        else:
            intro += "<p>The notebooks, in order.</p>\n"
        if answers:
            from custkit.classroom import answers as answer_module

            timeout = answers_timeout if answers_timeout is not None else answer_module.DEFAULT_TIMEOUT
            sheet = answer_module.answer_sheet(notebooks, timeout=timeout, paths=sources)
            (tmp / "answers.html").write_text(require_offline(answer_module.render_html(sheet), "answers.html"),
                                              encoding="utf-8")
            intro += ('<p>The <a href="answers.html">answer sheet</a>: every exercise\'s expected answer '
                      "on the classroom shop, with its hints and solution.</p>\n")
        (tmp / "index.html").write_text(page("custkit course", intro + notebook_list_html(entries)),
                                        encoding="utf-8")
    zip_folder(out, Path(zip_path) if zip_path is not None else out.with_suffix(".zip"), contents_at_root=True)
    return out
