"""``python -m custkit.classroom student|slides|site|answers [--notebooks DIR] [--out DIR] [--force]``.

``site --with-solutions --answers`` is the trainer's site with the answer sheet (``make
trainer-site``); ``answers --out FILE.html`` writes the answer sheet alone. Grading handed-in
notebooks is ``custkit grade`` (custkit.classroom.grade).
"""

from __future__ import annotations

import argparse
import sys

from custkit.errors import CustkitError


def main(argv: list[str] | None = None) -> int:
    """Run one build; a CustkitError is printed as one line and gives exit status 2."""
    parser = argparse.ArgumentParser(prog="python -m custkit.classroom",
                                     description="Build trainer deliverables from the course notebooks.")
    sub = parser.add_subparsers(dest="what", required=True)
    for name, help_text in [("student", "notebooks without solutions, and a zip to hand out"),
                            ("slides", "reveal.js slides per notebook, offline"),
                            ("site", "static HTML site of the executed notebooks, offline, and a zip"),
                            ("answers", "the trainer's answer sheet (HTML), computed by running the notebooks")]:
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--notebooks", default="notebooks", help="folder of the .ipynb files (default: notebooks)")
        if name == "answers":
            p.add_argument("--out", default="build/answers.html", help="the HTML file (default: build/answers.html)")
        else:
            p.add_argument("--out", default=f"build/{name}", help=f"output folder (default: build/{name})")
        p.add_argument("--force", action="store_true", help="replace the output folder of an earlier build")
        if name == "site":
            p.add_argument("--guide", default="docs/course_guide.md", help="course guide in markdown")
            p.add_argument("--with-solutions", action="store_true",
                           help="keep the cells tagged solution: the trainer's site (default: the students')")
            p.add_argument("--answers", action="store_true",
                           help="add the answer sheet (runs every notebook; needs --with-solutions)")
        if name in ("site", "answers"):
            p.add_argument("--timeout", type=float, default=None, metavar="SECONDS",
                           help="time limit of each notebook run for the answer sheet")
    args = parser.parse_args(argv)

    from custkit import classroom

    try:
        if args.what == "student":
            out = classroom.build_student(args.notebooks, args.out, force=args.force)
        elif args.what == "slides":
            out = classroom.build_slides(args.notebooks, args.out, force=args.force)
        elif args.what == "answers":
            from custkit.classroom.answers import DEFAULT_TIMEOUT

            out = classroom.write_answers(args.notebooks, args.out, force=args.force,
                                          timeout=args.timeout or DEFAULT_TIMEOUT)
        else:
            out = classroom.build_site(args.notebooks, args.out, guide=args.guide, force=args.force,
                                       include_solutions=args.with_solutions, answers=args.answers,
                                       answers_timeout=args.timeout)
    except CustkitError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
