"""Trainer deliverables built from the course notebooks: student copies, slides and a site.

``build_student`` (notebooks without solutions, zipped to hand out), ``build_slides`` (reveal.js
decks from the slide tags) and ``build_site`` (static HTML of the executed notebooks with an
index and the course guide). Every output opens offline: nothing is fetched from a CDN.
Command line: ``python -m custkit.classroom student|slides|site``.
"""

from custkit.classroom.site import build_site
from custkit.classroom.slides import build_slides
from custkit.classroom.student import build_student, student_notebook

__all__ = ["build_site", "build_slides", "build_student", "student_notebook"]
