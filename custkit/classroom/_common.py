"""What the three trainer builds share: finding notebooks, fresh output folders, zips, titles.

Output folders are written beside a temporary name and moved into place when complete, so a
failed build never leaves half a folder behind; an existing folder is replaced only when asked
(``force=True``) and only if an earlier build of this module wrote it (a marker file says so),
so that ``--out . --force`` cannot wipe a folder of someone's own files.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat

from custkit.errors import CustkitError, OutputExistsError

MARKER = ".custkit-classroom-build"
SOLUTION_TAG = "solution"

_OBJECTIVES = re.compile(r"\*\*Learning objectives\.?\*\*[^\n]*\n((?:[ \t]*\n)*(?:(?:[-*][ \t]|[ \t]+\S)[^\n]*\n?)+)",
                         re.IGNORECASE)


def find_notebooks(folder: str | Path) -> list[Path]:
    """Return the ``*.ipynb`` files of ``folder`` sorted by name (checkpoints left out).

    Raises
    ------
    CustkitError
        When the folder does not exist or holds no notebook.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise CustkitError(
            f"notebooks folder {str(folder)!r} does not exist; run from the project root or pass "
            f"--notebooks with the folder that holds the course's .ipynb files."
        )
    found = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if not found:
        raise CustkitError(f"no .ipynb notebook in {str(folder)!r}; pass the folder that holds the course notebooks.")
    return found


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Read a notebook (format 4), with a CustkitError naming the file if it is not valid JSON."""
    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several kinds (JSON, validation, Unicode)
        raise CustkitError(f"{path} is not a readable notebook ({exc}); open and save it in Jupyter.") from None


def is_solution(cell: nbformat.NotebookNode) -> bool:
    """Whether a cell is tagged ``solution`` (the real answer of an exercise)."""
    return SOLUTION_TAG in {str(t).strip().lower() for t in cell.get("metadata", {}).get("tags", [])}


@contextmanager
def fresh_output(out: str | Path, force: bool) -> Iterator[Path]:
    """Yield an empty temporary folder that replaces ``out`` when the block ends without error.

    Raises
    ------
    OutputExistsError
        When ``out`` exists and ``force`` is False, or exists, is not empty and was not written
        by an earlier classroom build (then even ``force`` does not delete it).
    """
    out = Path(out)
    if out.exists():
        if not force:
            raise OutputExistsError(
                f"output folder {str(out)!r} already exists; pass --force (force=True) to replace it, "
                f"or choose another --out."
            )
        if not out.is_dir() or (any(out.iterdir()) and not (out / MARKER).exists()):
            raise OutputExistsError(
                f"{str(out)!r} exists and was not written by a custkit classroom build; refusing to "
                f"delete it even with --force. Choose another --out or remove it yourself."
            )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; the build is meant to be shared
    try:
        (tmp / MARKER).write_text("Written by custkit.classroom; safe to delete.\n", encoding="utf-8")
        yield tmp
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)


def zip_folder(folder: Path, zip_path: Path, *, contents_at_root: bool) -> Path:
    """Zip ``folder`` to ``zip_path`` (replaced if present); the build marker is left out.

    ``contents_at_root`` puts ``index.html`` at the top of the archive (what a learning-management
    system expects); otherwise the archive holds one folder named like ``folder``.
    """
    import zipfile

    zip_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = zip_path.with_name(zip_path.name + ".part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_dir() or path.name == MARKER:
                continue
            rel = path.relative_to(folder)
            zf.write(path, rel.as_posix() if contents_at_root else f"{folder.name}/{rel.as_posix()}")
    tmp.replace(zip_path)
    return zip_path


def notebook_title(nb: nbformat.NotebookNode, fallback: str) -> str:
    """The text of the first level-1 heading of the notebook's markdown, else ``fallback``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^#\s+(.+?)\s*#*\s*$", cell.source, re.MULTILINE)
            if m:
                return m.group(1)
    return fallback


def learning_objectives(nb: nbformat.NotebookNode) -> str:
    """The markdown list after "**Learning objectives.**" in the notebook's first cells, or ``""``."""
    for cell in nb.cells[:3]:
        if cell.cell_type == "markdown":
            m = _OBJECTIVES.search(cell.source + "\n")
            if m:
                return m.group(1).strip("\n")
    return ""


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_NOTE = ("<p><em>Interactive widget: open this notebook in JupyterLab and run it to use it; "
               "the static output is shown here.</em></p>")


def static_widgets(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` whose widget outputs show their static fallback, and no widget state.

    An exported page that keeps widget state would load the widget manager from a CDN; without
    it, an output falls back to its other representations (an image or text). A short note
    takes the place of the widget when a text repr is all that is left.
    """
    nb = nbformat.from_dict(nb)
    nb.metadata.pop("widgets", None)
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data")
            if not data or WIDGET_VIEW not in data:
                continue
            del data[WIDGET_VIEW]
            if set(data) <= {"text/plain"}:
                data["text/html"] = WIDGET_NOTE
    return nb


def solution_free(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return a copy of ``nb`` without its cells tagged ``solution`` (outputs of the others kept)."""
    nb = nbformat.from_dict(nb)
    nb.cells = [c for c in nb.cells if not is_solution(c)]
    return nb


TEMPLATES = Path(__file__).parent / "templates"
