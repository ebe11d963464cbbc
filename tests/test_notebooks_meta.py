"""The course notebooks are well formed: papermill parameters, one clean run, the promised parts.

nbval re-runs every notebook and compares outputs; these checks cover what nbval cannot see.
"""

import json
import re
from pathlib import Path

import papermill
import pytest

NOTEBOOK_DIR = Path(__file__).resolve().parents[1] / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
EXPECTED = [
    "00_start_here", "01_customer_definitions", "02_customer_typology", "03_funnel_stages",
    "04_retention_economics", "05_segmentation", "06_research_playground",
]


def _cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell):
    return "".join(cell["source"])


def test_the_seven_notebooks_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_parameters_cell_is_readable_by_papermill(path):
    cells = _cells(path)
    tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(tagged) == 1, "exactly one cell tagged 'parameters'"
    assigned = set(re.findall(r"^(\w+)\s*=", _source(tagged[0]), flags=re.M))
    seen = set(papermill.inspect_notebook(str(path)))
    # a comment papermill cannot parse silently drops that parameter
    assert assigned == seen, f"papermill does not see {sorted(assigned - seen)}"
    assert {"data_path", "preset", "seed"} <= seen


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_outputs_come_from_one_clean_run(path):
    code = [c for c in _cells(path) if c["cell_type"] == "code"]
    counts = [c.get("execution_count") for c in code]
    assert counts == list(range(1, len(code) + 1)), "restart the kernel and run all (make notebooks)"
    errors = [o for c in code for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    text = json.dumps([c.get("outputs", []) for c in code])
    assert not re.search(r"at 0x[0-9a-f]{6,}", text), "a memory address is stored in an output"
    assert "/work/" not in text and "/home/" not in text, "an absolute path is stored in an output"
    timed = [c for c in code if "execution" in c.get("metadata", {})]
    assert not timed, "cell metadata records today's execution times: run `make notebooks`"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_notebook_has_the_promised_parts(path):
    cells = _cells(path)
    markdown = "\n".join(_source(c) for c in cells if c["cell_type"] == "markdown")
    for heading in ("## Summary", "## Glossary", "## Discussion questions"):
        assert heading in markdown, f"missing {heading!r}"
    assert re.search(r"objectives", markdown, flags=re.I)
    code = "\n".join(_source(c) for c in cells if c["cell_type"] == "code")
    assert len(set(re.findall(r"ex\.(\w+)\.check\(", code))) >= 3, "at least three exercises"
    ignored = code.count("NBVAL_IGNORE_OUTPUT") + code.count("NBVAL_SKIP")
    assert ignored <= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_truth_is_opened_only_after_a_grading_heading(path):
    opened = False
    for cell in _cells(path):
        src = _source(cell)
        if cell["cell_type"] == "markdown" and "Grading step" in src:
            opened = True
        if cell["cell_type"] == "code" and re.search(r"\.truth\b", src) and "solution" not in cell.get("metadata", {}).get("tags", []):
            assert opened, f"shop.truth used before a 'Grading step' heading: {src[:80]!r}"
