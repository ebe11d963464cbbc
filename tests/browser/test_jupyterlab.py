"""Every notebook, run through JupyterLab's own UI in headless Chromium, as a student would.

For each notebook: open it, Run -> Run All Cells, wait until no cell is busy, then check that
every code cell ran, that no cell shows an error, that an exercise check printed its message,
and save a screenshot to ``build/screenshots/NAME.png``. In a notebook with the explorer
(:mod:`custkit.explorer`), moving a slider must redraw its figure. Run with ``pytest -m browser
tests/browser`` after ``.ci/install-browser``.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

# The same folder as the lab_server fixture copies (conftest.py).
NOTEBOOKS = Path(os.environ.get("CUSTKIT_BROWSER_NOTEBOOKS", Path(__file__).resolve().parents[2] / "notebooks"))
NAMES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))
RUN_TIMEOUT_S = 240
# The notebook in the main area (another tab, if a workspace restored one, is hidden).
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
STDERR = f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']"
EXPLORER_CALL = re.compile(r"\bexplorer\(")
CHECK_MESSAGE = re.compile(r"\b(Correct|Not yet|Not attempted): ")


def _code_sources(name: str) -> list[str]:
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def _prompts(page) -> list[str]:
    return page.locator(f"{PANEL} .jp-CodeCell .jp-InputPrompt").all_inner_texts()


def _wait_until_idle(page, n_cells: int) -> list[str]:
    """Poll the input prompts until none is busy ``[*]`` and the run reached its end or stopped on an error."""
    deadline = time.monotonic() + RUN_TIMEOUT_S
    while time.monotonic() < deadline:
        prompts = [p.strip() for p in _prompts(page)]
        busy = any("*" in p for p in prompts)
        done = len(prompts) == n_cells and all(re.search(r"\d", p) for p in prompts)
        stopped = page.locator(STDERR, has_text="Traceback").count() > 0
        if not busy and (done or stopped):
            return prompts
        time.sleep(1.0)
    raise AssertionError(f"cells still running after {RUN_TIMEOUT_S} s: {_prompts(page)}")


def _wait_for_kernel(server, name: str) -> None:
    """Wait until the notebook's kernel has started and is idle (Run All before that only queues)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        states = [s["kernel"]["execution_state"] for s in server.api("/api/sessions")
                  if s.get("path", "").endswith(name) and s.get("kernel")]
        if "idle" in states:
            return
        time.sleep(0.5)
    raise AssertionError(f"{name}: no idle kernel after 120 s")


def _explorer_image(page) -> str:
    image = page.locator(f"{PANEL} .widget-vbox .widget-output img").first
    image.wait_for(state="visible", timeout=60_000)
    return image.get_attribute("src") or ""


def _move_slider(page) -> None:
    handle = page.locator(f"{PANEL} .widget-vbox .widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    handle.focus()
    page.keyboard.press("ArrowRight")


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_in_jupyterlab(name, lab_server, browser, screenshots):
    sources = _code_sources(name)
    has_explorer = any(EXPLORER_CALL.search(s) for s in sources)
    if name.startswith("06_"):
        assert has_explorer, "notebook 06 should call custkit.explorer.explorer() in a cell"
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.set_default_timeout(60_000)
    try:
        # ?reset: a fresh workspace, so that the tabs of the notebooks before are not reopened.
        page.goto(f"{lab_server.url}/lab/tree/{name}?reset&token={lab_server.token}")
        page.locator(f"{PANEL} .jp-CodeCell").first.wait_for(state="visible", timeout=120_000)
        _wait_for_kernel(lab_server, name)
        page.locator(".lm-MenuBar-item", has_text=re.compile(r"^Run$")).first.click()
        page.locator(".lm-Menu-item[data-command='runmenu:run-all']").click()
        prompts = _wait_until_idle(page, len(sources))

        errors = page.locator(STDERR, has_text="Traceback")
        assert errors.count() == 0, f"{name}: a cell shows an error:\n{errors.first.inner_text()[:2000]}"
        not_run = [i for i, p in enumerate(prompts) if not re.search(r"\d", p) and sources[i].strip()]
        assert not not_run, f"{name}: code cells {not_run} did not run (prompts {prompts})"
        outputs = "\n".join(page.locator(f"{PANEL} .jp-OutputArea-output").all_inner_texts())
        assert CHECK_MESSAGE.search(outputs), f"{name}: no exercise check printed Correct / Not yet / Not attempted"

        if has_explorer:
            before = _explorer_image(page)
            assert before.startswith("data:image/png;base64,"), f"{name}: the explorer shows no figure"
            _move_slider(page)
            page.wait_for_function(
                "([selector, src]) => { const img = document.querySelector(selector);"
                " return img !== null && img.src !== src; }",
                arg=[f"{PANEL} .widget-vbox .widget-output img", before], timeout=90_000)
            after = _explorer_image(page)
            assert after != before and after.startswith("data:image/png;base64,")
            page.locator(f"{PANEL} .widget-vbox .widget-output img").first.scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / f"{name.removesuffix('.ipynb')}.png"), full_page=False)
    finally:
        page.close()
        lab_server.shutdown_kernels()
