"""A user's clone has nothing beside it: no tracked file of the kit reads a path outside the clone.

The kit was built next to a folder of the developers' notes (the parent folder's ``shared``), which
a student's or CI's clone does not have. Published data the tests need ships in ``custkit/data``.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHECKED = ("tests", "notebooks", "benchmarks", "custkit", "Makefile", ".ci")
# Spelled in pieces so that this file does not match its own pattern.
OUTSIDE = re.compile("|".join([
    r"\.\./" + "shared",                                  # a relative path to the parent's folder
    r"parents?\[?\d*\]?\s*/\s*[\"']" + "shared" + "[\"']",  # a Path joined with that folder name
    r"parent\s*/\s*[\"']" + "shared" + "[\"']",
]))


def tracked_files() -> list[Path]:
    """The files git tracks under the checked folders; every file there if this is no git checkout."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--", *CHECKED], cwd=ROOT, capture_output=True, check=True,
        ).stdout.decode("utf-8").split("\0")
        files = [ROOT / name for name in listed if name]
    except (OSError, subprocess.CalledProcessError):  # a downloaded archive without git
        files = [p for name in CHECKED for p in ([ROOT / name] if (ROOT / name).is_file()
                                                  else (ROOT / name).rglob("*")) if p.is_file()]
    return [p for p in files if p.is_file() and ".venv" not in p.parts]


def test_the_pattern_catches_the_ways_of_reaching_outside():
    for line in ['open("../' + 'shared/x.csv")', 'ROOT.parent / "' + 'shared" / "x"',
                 "Path(__file__).parents[2] / '" + "shared'"]:
        assert OUTSIDE.search(line), line
    assert not OUTSIDE.search('"""Shared fixtures"""') and not OUTSIDE.search("shared_parts(cfg)")


def test_no_tracked_file_refers_to_a_folder_outside_the_clone():
    files = tracked_files()
    assert len(files) > 50, "the listing found too few files to be the kit"
    offenders = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # fonts and other binary files
            continue
        offenders += [f"{path.relative_to(ROOT)}:{n}: {line.strip()[:100]}"
                      for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]
    assert offenders == [], "these read outside the clone; ship what they need inside it:\n" + "\n".join(offenders)
