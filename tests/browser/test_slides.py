"""Every deck in headless Chromium at 1280 x 720: nothing runs off a slide, and no code is shown.

The decks are built from the stored notebooks (``custkit.classroom.build_slides``) into a temporary
folder and opened from disk (``file://``: offline, as a trainer would open them from a USB stick).
The test steps through every slide with reveal.js's own API (``Reveal.slide``), lets the deck's
fitting script run, and measures the slide: its content may not be taller or wider than the
slide, no element inside it may end outside it, and no text may be smaller than 15 px.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from custkit.classroom import build_slides

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MIN_TEXT_PX = 15  # the smallest text readable from the back of a room on a 720p projector
MEASURE = """() => {
  const s = Reveal.getCurrentSlide();
  const W = Reveal.getConfig().width, H = Reveal.getConfig().height;
  const box = s.getBoundingClientRect();
  const scale = box.width / s.offsetWidth;
  let worst = 0, culprit = "", smallest = Infinity;
  for (const el of s.querySelectorAll("*")) {
    if (el.closest("aside.notes")) continue;
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const over = Math.max((r.bottom - box.top) / scale - H, (r.right - box.left) / scale - W);
    if (over > worst) { worst = over; culprit = el.tagName + " " + (el.textContent || "").slice(0, 60); }
    if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) {
      smallest = Math.min(smallest, parseFloat(getComputedStyle(el).fontSize));
    }
  }
  return {title: (s.querySelector("h1, h2") || {}).textContent || "",
          scrollH: s.scrollHeight, scrollW: s.scrollWidth, W, H, worst, culprit,
          font: parseFloat(getComputedStyle(s).fontSize), smallest,
          code: s.querySelectorAll(".jp-CodeCell, .jp-InputArea, .input_area, div.highlight").length};
}"""


@pytest.fixture(scope="module")
def decks(tmp_path_factory) -> Path:
    return build_slides(ROOT / "notebooks", tmp_path_factory.mktemp("decks") / "slides")


@pytest.mark.browser
@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_slide_fits_1280x720_and_shows_no_code(browser, decks, screenshots, path):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    try:
        page.goto((decks / f"{path.stem}.slides.html").as_uri())
        page.wait_for_function("() => window.Reveal && Reveal.isReady()")
        total = page.evaluate("() => Reveal.getTotalSlides()")
        assert total >= 5
        problems = []
        for index in range(total):
            page.evaluate(f"() => Reveal.slide({index})")
            page.wait_for_function("() => Reveal.getCurrentSlide().dataset.fitted === '1'")
            m = page.evaluate(MEASURE)
            if m["scrollH"] > m["H"] or m["scrollW"] > m["W"] or m["worst"] > 1:
                problems.append(f"slide {index + 1} {m['title'][:60]!r}: {m['scrollW']}x{m['scrollH']} at "
                                f"{m['font']:.0f}px, {m['worst']:.0f}px over ({m['culprit']})")
                page.screenshot(path=str(screenshots / f"{path.stem}-slide{index + 1}.png"))
            if m["smallest"] < MIN_TEXT_PX:
                problems.append(f"slide {index + 1} {m['title'][:60]!r}: text at {m['smallest']:.1f}px")
            if m["code"]:
                problems.append(f"slide {index + 1} {m['title'][:60]!r}: {m['code']} code cell(s)")
        assert problems == [], "\n".join(problems)
    finally:
        page.close()
