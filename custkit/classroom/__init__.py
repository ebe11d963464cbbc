"""Trainer deliverables built from the course notebooks: student copies, slides, a site, grading.

``build_student`` (notebooks without solutions, zipped to hand out), ``build_slides`` (reveal.js
decks from the slide tags), ``build_site`` (static HTML of the executed notebooks with an
index and the course guide; the trainer's edition adds the answer sheet of
:mod:`custkit.classroom.answers`) and :func:`custkit.classroom.grade.grade` (a gradebook of handed-in
notebooks). Every output opens offline: nothing is fetched from a CDN.
Command line: ``python -m custkit.classroom student|slides|site|answers`` and ``custkit grade``.

The names are imported on first use, so that the grader's cell inside a student's kernel does
not import nbconvert.
"""

from __future__ import annotations

import importlib

_WHERE = {
    "build_site": "custkit.classroom.site",
    "build_slides": "custkit.classroom.slides",
    "build_student": "custkit.classroom.student",
    "student_notebook": "custkit.classroom.student",
    "answer_sheet": "custkit.classroom.answers",
    "write_answers": "custkit.classroom.answers",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str):
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name]), name)
    raise AttributeError(f"module 'custkit.classroom' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
