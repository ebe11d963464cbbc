"""A gradebook: run each handed-in notebook in a fresh kernel and record every exercise's outcome.

``custkit grade SUBMISSIONS... --out gradebook.csv`` (or :func:`grade`) runs every notebook,
each in its own kernel, in a separate process that is killed with everything it started when
the time limit is reached (the whole notebook, kernel start included, never longer). Outcomes
come from the exercises' own checks: :func:`custkit.exercises.core.last_checks` records the last
result of every ``ex.qN.check(answer)``, and a cell the grader adds at the end of the notebook
writes it to a file. Printed text is never parsed.

Choices, and why:

- **Which exercises exist** comes from the notebook's exercise module
  (``custkit.exercises.nbNN``, recognised from the notebook's set-up code ``nbNN.exercises(``
  or, failing that, from a course notebook's name in the file name), built on the classroom
  shop. A question whose cells a student deleted is still a row, "not attempted".
- **Where a notebook runs**: in the folder of the submission, so that a student's relative
  paths point at their own files. The course notebooks open the committed shop with
  ``ck.open_shop(None, ...)``, which finds ``datasets/`` beside the installed package from any
  folder.
- **A cell that raises** does not stop the run (as when a student runs the cells one by one):
  the later cells still run and their checks count. The notebook gets a row ``error`` with the
  first exception and its cell.
- **A foreign notebook** (no course exercise set-up and no course notebook's name) is not run.

Output: ``--out gradebook.csv`` holds one row per student, notebook and exercise (columns
``student, notebook, exercise, status, message, file``; ``status`` is ``correct``,
``incorrect`` or ``not_attempted``), plus a row with ``exercise = (notebook)`` for a notebook
that went wrong (``status`` ``error``, ``timeout``, ``foreign``, ``unreadable`` or ``empty``).
Two summaries are written next to it: ``gradebook_students.csv`` (per student: correct,
attempted, total, problems) and ``gradebook_exercises.csv`` (per notebook and exercise:
students, attempted, correct, share_correct). All three are written atomically.
"""

from __future__ import annotations

import csv
import functools
import importlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields
from pathlib import Path
from typing import Any

from custkit.errors import CustkitError, OutputExistsError

DEFAULT_TIMEOUT = 600.0
"""Seconds one notebook may take, kernel start included (the slowest course notebook needs ~2 min)."""

NOTEBOOK_ROW = "(notebook)"
"""The ``exercise`` of a row about a whole notebook (what went wrong with it)."""

EXERCISE_STATUSES = ("correct", "incorrect", "not_attempted")
PROBLEM_STATUSES = ("error", "timeout", "foreign", "unreadable", "empty")

_MODULE_IN_CODE = re.compile(r"\b(nb\d\d)\s*\.\s*exercises\s*\(")
_MODULE_IMPORTED = re.compile(r"custkit\.exercises(?:\s+import\s+|\.)(nb\d\d)\b")
_REPO_NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


@dataclass(frozen=True)
class Row:
    """One line of the gradebook."""

    student: str
    notebook: str
    exercise: str
    status: str
    message: str
    file: str


# ----------------------------------------------------------------------------------------------
# which notebook, which exercises, which student
# ----------------------------------------------------------------------------------------------


def course_notebooks() -> dict[str, str]:
    """Exercise module (``"nb00"``) -> course notebook name (``"00_start_here"``).

    Read from the repository's ``notebooks/`` folder; a module without a notebook there (an
    installed package without the repository) is named after itself.
    """
    names = {}
    for spec_name in _exercise_modules():
        found = sorted(_REPO_NOTEBOOKS.glob(f"{spec_name[2:]}_*.ipynb")) if _REPO_NOTEBOOKS.is_dir() else []
        names[spec_name] = found[0].stem if found else spec_name
    return names


@functools.lru_cache(maxsize=1)
def _exercise_modules() -> tuple[str, ...]:
    import custkit.exercises as package

    folder = Path(package.__file__).parent
    return tuple(sorted(p.stem for p in folder.glob("nb[0-9][0-9].py")))


def identify(nb: Any, path: Path) -> str | None:
    """The exercise module (``"nb03"``) a notebook belongs to, or None for a foreign notebook.

    From the set-up code (``ex = nb03.exercises(shop)``, else ``from custkit.exercises import
    nb03``), else from a course notebook's name inside the file name (``alice_03_funnel_stages``).
    """
    known = set(_exercise_modules())
    code = "\n".join(c.get("source", "") for c in nb.get("cells", []) if c.get("cell_type") == "code")
    for pattern in (_MODULE_IN_CODE, _MODULE_IMPORTED):
        for match in pattern.finditer(code):
            if match.group(1) in known:
                return match.group(1)
    for module, stem in course_notebooks().items():
        if stem != module and stem in path.stem:
            return module
    return None


@functools.lru_cache(maxsize=None)
def catalogue(module: str) -> tuple[str, ...]:
    """The exercise names (``"Warm-up"``, ``"Q1"`` ...) of an exercise module, in notebook order.

    Built as the notebooks build them, on the classroom shop (questions cost nothing until
    checked). Empty when the shop cannot be loaded: then only the checks that ran are rows.
    """
    from custkit.exercises.core import Exercise

    try:
        namespace = importlib.import_module(f"custkit.exercises.{module}").exercises(_classroom_shop())
    except Exception:  # noqa: BLE001 - no shop, or a module that needs more: fall back to the checks
        return ()
    return tuple(v.name for v in vars(namespace).values() if isinstance(v, Exercise))


@functools.lru_cache(maxsize=1)
def _classroom_shop():
    from custkit.io import load_shop

    return load_shop()


def student_name(notebook: Path, given: Path, course_stem: str | None) -> str:
    """Who handed ``notebook`` in (found in the SUBMISSION ``given``, a file or a folder).

    1. the sub-folder of ``given`` it is in (``given/alice/00_start_here.ipynb`` -> alice);
    2. else its file name, less ``.ipynb`` and a course notebook's name
       (``alice_00_start_here.ipynb`` -> alice; ``alice.ipynb`` -> alice);
    3. when nothing is left, the name of its folder (``alice/00_start_here.ipynb`` -> alice).
    """
    if given.is_dir():
        rel = notebook.relative_to(given)
        if len(rel.parts) > 1:
            return rel.parts[0]
    stem = notebook.stem
    if course_stem and course_stem in stem:
        stem = stem.replace(course_stem, "")
    stem = stem.strip(" _-.")
    return stem or notebook.resolve().parent.name


def find_submissions(submissions: Iterable[str | Path]) -> list[tuple[Path, Path | None]]:
    """``(given, notebook)`` for every notebook in the SUBMISSIONS (a folder's, at any depth).

    A folder with no notebook (given, or a sub-folder of one given) gives ``(folder, None)``: a
    student who handed nothing in.

    Raises
    ------
    CustkitError
        A submission that does not exist, or a file that is not an ``.ipynb``.
    """
    found: list[tuple[Path, Path | None]] = []
    for item in submissions:
        given = Path(item)
        if given.is_dir():
            inside = sorted(p for p in given.rglob("*.ipynb") if p.is_file() and not any(
                part.startswith(".") for part in p.relative_to(given).parts))
            if not inside:
                found.append((given, None))
                continue
            found.extend((given, p) for p in inside)
            # a student's folder inside it with nothing handed in
            found.extend((d, None) for d in sorted(given.iterdir()) if d.is_dir() and not d.name.startswith(".")
                         and not any(p.is_relative_to(d) for p in inside))
        elif given.is_file():
            if given.suffix != ".ipynb":
                raise CustkitError(f"submission {str(given)!r} is not a notebook (.ipynb); pass notebooks "
                                   f"or folders of notebooks.")
            found.append((given, given))
        else:
            raise CustkitError(f"submission {str(given)!r} does not exist; check the path.")
    if not found:
        raise CustkitError("no submission given; pass notebooks or folders of notebooks.")
    return found


# ----------------------------------------------------------------------------------------------
# running one notebook (in a worker process that the grader kills at the limit)
# ----------------------------------------------------------------------------------------------

DUMP_CELL = (
    "# Added by custkit grade: write every exercise's last check to a file (no check ran if\n"
    "# custkit's exercises were never imported: then nothing heavy is imported here).\n"
    "import sys as _custkit_sys\n"
    "if 'custkit.exercises.core' in _custkit_sys.modules:\n"
    "    import custkit.classroom.grade as _custkit_grade\n"
    "    _custkit_grade.dump_checks({path!r}, globals().get('ex'), details={details!r})\n"
    "else:\n"
    "    open({path!r}, 'w').write('{{\"checks\": {{}}}}')"
)


def dump_checks(path: str, ex: Any = None, *, details: bool = False) -> None:
    """Write the checks recorded in this process (and, with ``details``, every question of ``ex``).

    Runs inside the graded kernel, as its last cell. ``details`` (the answer sheet) adds each
    question of ``ex``: question, expected answer, hints, solution, options.
    """
    from custkit.exercises.core import last_checks

    data: dict[str, Any] = {"checks": {name: {"status": r.status, "message": r.message}
                                       for name, r in last_checks().items()}}
    if details:
        from custkit.classroom.answers import describe_exercises

        data["exercises"] = describe_exercises(ex)
    _write_json(Path(path), data)


def _write_json(path: Path, data: Any) -> None:
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)


def _error_line(output: dict) -> str:
    value = str(output.get("evalue", "")).strip().splitlines()
    return f"{output.get('ename', 'Error')}: {value[0] if value else ''}".rstrip(": ")


def _worker(notebook: str, cwd: str, result: str, deadline: float, details: bool) -> None:
    """Execute ``notebook`` cell by cell until the ``deadline`` (a ``time.time()``), then dump the checks.

    The result file is written before the kernel is shut down, so that it survives a kill at
    the deadline during the shutdown.
    """
    import nbformat
    from nbconvert.preprocessors import ExecutePreprocessor  # nbclient's NotebookClient, via nbconvert

    seconds = deadline - time.time()
    nb = nbformat.read(notebook, as_version=4)
    dump = Path(result).with_name(Path(result).stem + "-checks.json")
    nb.cells.append(nbformat.v4.new_code_cell(DUMP_CELL.format(path=str(dump), details=details)))
    # The checks are dumped in the reserve left at the end, even after a cell ran out of time.
    reserve = min(20.0, max(2.0, 0.25 * seconds))
    client = ExecutePreprocessor(kernel_name="python3", allow_errors=True, record_timing=False,
                                 shutdown_kernel="immediate")
    client.nb, client.resources = nb, {"metadata": {"path": cwd}}
    errors: list[dict] = []
    stopped = None
    with client.setup_kernel():
        kernel_pid = getattr(client.km.provisioner, "pid", None)
        if kernel_pid is not None:  # for the grader, to kill the kernel's process group at the limit
            _write_json(Path(result).with_name("kernel.json"), {"pid": kernel_pid})
        last = len(nb.cells) - 1
        for index, cell in enumerate(nb.cells):
            if cell.cell_type != "code" or (index < last and stopped is not None):
                continue
            left = deadline - time.time() - (0 if index == last else reserve)
            client.timeout = max(1, int(left))
            try:
                client.execute_cell(cell, index)
            except Exception as exc:  # nbclient's CellTimeoutError and DeadKernelError, by name
                kind = type(exc).__name__
                if kind == "CellTimeoutError" and index < last and kernel_pid is not None and os.name == "posix":
                    stopped = {"kind": "timeout", "cell": index + 1}
                    os.kill(kernel_pid, signal.SIGINT)  # what interrupt_kernel does, then dump the checks
                    continue
                if kind == "CellTimeoutError":
                    stopped = stopped or {"kind": "timeout", "cell": index + 1}
                elif kind == "DeadKernelError":
                    stopped = {"kind": "dead", "cell": index + 1}
                else:
                    raise
                break
            if index < last and "raises-exception" not in cell.get("metadata", {}).get("tags", []):
                for output in cell.get("outputs", []):
                    if output.get("output_type") == "error":
                        errors.append({"cell": index + 1, "line": _error_line(output),
                                       "source": next((s.strip() for s in cell.source.splitlines() if s.strip()), "")})
        checks = json.loads(dump.read_text(encoding="utf-8")) if dump.is_file() else None
        _write_json(Path(result), {"errors": errors, "stopped": stopped, "dump": checks, "cells": len(nb.cells) - 1})


def _worker_main() -> None:  # pragma: no cover - runs in the worker process
    notebook, cwd, result, deadline, details = sys.argv[1:6]
    _worker(notebook, cwd, result, float(deadline), details == "1")


def _kill_tree(pid: int, kernel_file: Path) -> None:
    """Kill the worker and the kernel with every process they started.

    The worker runs in a session of its own, and jupyter_client starts the kernel in another:
    each process group is killed (POSIX); on Windows ``taskkill /T`` kills the tree.
    """
    kernel = json.loads(kernel_file.read_text(encoding="utf-8"))["pid"] if kernel_file.is_file() else None
    if os.name != "posix":  # pragma: no cover - Windows
        for target in (pid, kernel):
            if target is not None:
                subprocess.run(["taskkill", "/F", "/T", "/PID", str(target)], capture_output=True, check=False)
        return
    for group in (pid, kernel):
        if group is None:
            continue
        try:
            os.killpg(group, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass


def run_notebook(path: Path, *, timeout: float = DEFAULT_TIMEOUT, cwd: Path | None = None,
                 details: bool = False) -> dict:
    """Run a notebook in a fresh kernel, in a process killed at ``timeout`` seconds.

    Returns ``{"errors": [...], "stopped": None | {"kind": "timeout"|"dead", "cell": n},
    "dump": {"checks": {...}, ...} | None, "cells": n}``; ``stopped`` is ``{"kind": "killed"}``
    when the process had to be killed at the limit, ``{"kind": "crashed", ...}`` when the worker
    failed.
    """
    path = Path(path).resolve()
    with tempfile.TemporaryDirectory(prefix="custkit-grade-") as tmp:
        result = Path(tmp) / "result.json"
        log = Path(tmp) / "worker.log"
        cmd = [sys.executable, "-c", "from custkit.classroom.grade import _worker_main; _worker_main()",
               str(path), str(cwd or path.parent), str(result), repr(time.time() + timeout), "1" if details else "0"]
        with open(log, "wb") as err:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                _kill_tree(proc.pid, Path(tmp) / "kernel.json")
                proc.wait()
                if not result.is_file():  # else: killed while shutting the kernel down, work done
                    return {"errors": [], "stopped": {"kind": "killed"}, "dump": None, "cells": 0}
        if result.is_file():
            return json.loads(result.read_text(encoding="utf-8"))
        tail = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines() if line.strip()]
        return {"errors": [], "stopped": {"kind": "crashed", "line": tail[-1] if tail else f"exit status {proc.returncode}"},
                "dump": None, "cells": 0}


# ----------------------------------------------------------------------------------------------
# grading
# ----------------------------------------------------------------------------------------------


def grade_notebook(path: Path, student: str, *, timeout: float = DEFAULT_TIMEOUT,
                   module: str | None = None, file_label: str | None = None) -> list[Row]:
    """The gradebook rows of one handed-in notebook (never raises on a bad notebook)."""
    import nbformat

    label = file_label or str(path)
    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as exc:  # noqa: BLE001 - JSON, validation or encoding errors: a row, not a crash
        first = str(exc).strip().splitlines()
        return [Row(student, path.name, NOTEBOOK_ROW, "unreadable",
                    f"not a readable notebook ({type(exc).__name__}: {first[0] if first else ''}); "
                    "ask the student to open it in Jupyter, save it and hand it in again.", label)]
    module = module or identify(nb, path)
    if module is None:
        return [Row(student, path.name, NOTEBOOK_ROW, "foreign",
                    "not one of the course notebooks (no custkit.exercises set-up such as "
                    "ex = nb00.exercises(shop), and no course notebook's name); not run.", label)]
    notebook = course_notebooks().get(module, module)
    outcome = run_notebook(path, timeout=timeout)
    checks = (outcome.get("dump") or {}).get("checks", {})
    rows: list[Row] = []
    problem = _problem(outcome, timeout)
    if problem is not None:
        rows.append(Row(student, notebook, NOTEBOOK_ROW, problem[0], problem[1], label))
    names = list(catalogue(module))
    names += [n for n in checks if n not in names]
    for name in names:
        if name in checks:
            status, message = checks[name]["status"], checks[name]["message"]
        elif problem is not None and problem[0] == "timeout":
            status, message = "not_attempted", f"{name}: not checked before the notebook was stopped at the time limit."
        else:
            status, message = "not_attempted", f"{name}: its check never ran (the cell with ex.{_attr(name)}.check(answer) was not run or was deleted)."
        rows.append(Row(student, notebook, name, status, message, label))
    return rows


def _attr(name: str) -> str:
    return "warmup" if name.casefold().replace("-", "") == "warmup" else name.casefold()


def _problem(outcome: dict, timeout: float) -> tuple[str, str] | None:
    stopped = outcome.get("stopped")
    errors = outcome.get("errors") or []
    first = errors[0] if errors else None
    also = f"; {len(errors) - 1} later cell(s) raised too" if len(errors) > 1 else ""
    if stopped and stopped["kind"] in ("timeout", "killed"):
        where = f" (stopped in cell {stopped['cell']})" if "cell" in stopped else ""
        graded = "; the checks that ran before are graded" if outcome.get("dump") else ""
        return "timeout", f"timeout: the notebook did not finish within {timeout:g} s{where}{graded}."
    if stopped and stopped["kind"] == "dead":
        return "error", f"error: the kernel died in cell {stopped['cell']} (out of memory, or exit() called); the checks of the cells before are graded."
    if stopped and stopped["kind"] == "crashed":
        return "error", f"error: the notebook could not be run ({stopped.get('line', '')})."
    if first is not None:
        return "error", f"error: {first['line']} (cell {first['cell']}: {first['source'][:60]}){also}."
    if outcome.get("dump") is None:
        return "error", "error: the grader's last cell did not run, so no check could be read."
    return None


def gradebook_paths(out: str | Path) -> tuple[Path, Path, Path]:
    """The three files of a gradebook: rows, per-student and per-exercise summaries."""
    out = Path(out)
    return out, out.with_name(f"{out.stem}_students{out.suffix}"), out.with_name(f"{out.stem}_exercises{out.suffix}")


def student_summary(rows: Sequence[Row]) -> list[dict]:
    """Per student: correct, attempted and total exercises, and notebooks that went wrong."""
    table: dict[str, dict] = {}
    for r in rows:
        s = table.setdefault(r.student, {"student": r.student, "correct": 0, "attempted": 0, "total": 0,
                                         "problems": 0})
        if r.exercise == NOTEBOOK_ROW:
            s["problems"] += 1
            continue
        s["total"] += 1
        s["attempted"] += r.status != "not_attempted"
        s["correct"] += r.status == "correct"
    return [table[k] for k in sorted(table)]


def exercise_summary(rows: Sequence[Row]) -> list[dict]:
    """Per notebook and exercise: students graded, attempted, correct, share correct (of the students)."""
    table: dict[tuple[str, str], dict] = {}
    for r in rows:
        if r.exercise == NOTEBOOK_ROW:
            continue
        e = table.setdefault((r.notebook, r.exercise), {"notebook": r.notebook, "exercise": r.exercise,
                                                        "students": 0, "attempted": 0, "correct": 0})
        e["students"] += 1
        e["attempted"] += r.status != "not_attempted"
        e["correct"] += r.status == "correct"
    for e in table.values():
        e["share_correct"] = round(e["correct"] / e["students"], 4)
    return list(table.values())


def _csv_text(header: Sequence[str], records: Iterable[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(records)
    return buffer.getvalue()


def grade(submissions: Iterable[str | Path], out: str | Path = "gradebook.csv", *,
          timeout: float = DEFAULT_TIMEOUT, force: bool = False, progress=None) -> list[Row]:
    """Grade every handed-in notebook and write the gradebook (see the module's docstring).

    Parameters
    ----------
    submissions
        Notebooks and folders of notebooks (every ``.ipynb`` inside, at any depth, hidden
        folders such as ``.ipynb_checkpoints`` left out). The student is named by
        :func:`student_name`.
    out
        The gradebook CSV; ``<stem>_students.csv`` and ``<stem>_exercises.csv`` go beside it.
    timeout
        Seconds one notebook may run, kernel start included; it is stopped at the limit.
    force
        Replace an existing gradebook.
    progress
        Called with ``(student, notebook_path)`` before each notebook runs (the CLI prints it).

    Returns
    -------
    list of Row
        The gradebook's rows.

    Raises
    ------
    CustkitError
        A submission that does not exist or is not a notebook; an existing output without
        ``force`` (raised before anything runs); a timeout that is not a positive number.
    """
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise CustkitError(f"timeout must be a positive number of seconds, got {timeout!r}.")
    paths = gradebook_paths(out)
    if paths[0].suffix.lower() != ".csv":
        raise CustkitError(f"--out {str(paths[0])!r} should be a .csv file, such as gradebook.csv.")
    existing = [str(p) for p in paths if p.exists()]
    if existing and not force:
        raise OutputExistsError(f"{', '.join(existing)} already exist(s); pass --force (force=True) to replace "
                                f"the gradebook, or choose another --out.")
    found = find_submissions(submissions)
    rows: list[Row] = []
    for given, notebook in found:
        if notebook is None:
            student = given.resolve().name
            rows.append(Row(student, "", NOTEBOOK_ROW, "empty", f"no notebook (.ipynb) in {given}.", str(given)))
            continue
        module = _module_of(notebook)
        student = student_name(notebook, given, course_notebooks().get(module) if module else None)
        if progress is not None:
            progress(student, notebook)
        rows.extend(grade_notebook(notebook, student, timeout=timeout, module=module, file_label=str(notebook)))
    _write_gradebook(rows, paths)
    return rows


def _module_of(path: Path) -> str | None:
    import nbformat

    try:
        return identify(nbformat.read(path, as_version=4), path)
    except Exception:  # noqa: BLE001 - unreadable: grade_notebook says so
        return None


def _write_gradebook(rows: Sequence[Row], paths: tuple[Path, Path, Path]) -> None:
    header = [f.name for f in fields(Row)]
    students = student_summary(rows)
    exercises = exercise_summary(rows)
    texts = [
        _csv_text(header, (astuple(r) for r in rows)),
        _csv_text(["student", "correct", "attempted", "total", "problems"],
                  ([s[k] for k in ("student", "correct", "attempted", "total", "problems")] for s in students)),
        _csv_text(["notebook", "exercise", "students", "attempted", "correct", "share_correct"],
                  ([e[k] for k in ("notebook", "exercise", "students", "attempted", "correct", "share_correct")]
                   for e in exercises)),
    ]
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    temps = []
    try:
        for path, text in zip(paths, texts):
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
            os.chmod(name, 0o644)
            temps.append((Path(name), path))
        for tmp, path in temps:
            tmp.replace(path)
    finally:
        for tmp, _ in temps:
            tmp.unlink(missing_ok=True)


def cli_main(args) -> int:
    """The ``custkit grade`` command (arguments parsed by :mod:`custkit.cli`)."""
    def progress(student: str, notebook: Path) -> None:
        print(f"grading {student}: {notebook}", file=sys.stderr, flush=True)

    rows = grade(args.submissions, args.out, timeout=args.timeout, force=args.force, progress=progress)
    students = student_summary(rows)
    paths = gradebook_paths(args.out)
    problems = sum(r.exercise == NOTEBOOK_ROW for r in rows)
    print(f"Graded {len(students)} student(s): {sum(s['correct'] for s in students)} correct of "
          f"{sum(s['total'] for s in students)} exercises; {problems} notebook(s) with a problem.")
    print("Wrote " + ", ".join(str(p) for p in paths))
    return 0
