"""Reference pages generated from the code, so that they cannot drift from it.

``docs/parameters.md`` lists every :class:`~custkit.config.ShopConfig` field with its unit,
default, allowed range, what it drives, the concept it serves and the notebook that shows its
effect. ``make docs`` rewrites it; ``tests/test_docs.py`` fails when it is out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from custkit.config import ShopConfig

PARAMETERS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"


def _cell(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, dict | list | tuple):
        value = json.dumps(value, ensure_ascii=False)
    return str(value).replace("|", "\\|").replace("\n", " ")


def parameters_markdown() -> str:
    """The parameter reference as Markdown: one table row per ShopConfig field, then the presets."""
    rows = ShopConfig.describe()
    lines = [
        "# Parameters of the simulated shop",
        "",
        "Generated from `custkit.config.ShopConfig` by `make docs`; do not edit by hand.",
        "Change a knob with `ShopConfig().replace(name=value)`, in a config file "
        "(`custkit generate --config FILE`), or as a notebook parameter with papermill.",
        "Concept codes refer to the concept map ([concepts.md](concepts.md)).",
        "",
        "| field | default | unit | range | concept | shown in | what it drives |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows.itertuples(index=False):
        low, high = r.low, r.high
        span = f"{_cell(low)} to {_cell(high)}" if low is not None and high is not None else ""
        lines.append(
            f"| `{r.field}` | {_cell(r.default)} | {_cell(r.unit)} | {span} | {_cell(r.concept)} | "
            f"{_cell(r.notebook)} | {_cell(r.doc)} |"
        )
    lines += ["", "## Presets", "", "Fields that differ from the classroom shop (`ShopConfig()`):", ""]
    base = ShopConfig().to_dict()
    for name in ("classroom", "customer_centric", "production_centric", "large"):
        changed = {k: v for k, v in ShopConfig.preset(name).to_dict().items() if base[k] != v}
        text = ", ".join(f"`{k}` = {_cell(v)}" for k, v in changed.items()) or "none (the default)"
        lines.append(f"- **{name}**: {text}")
    return "\n".join(lines) + "\n"


def write_parameters_page(path: Path = PARAMETERS_PAGE) -> Path:
    """Write :func:`parameters_markdown` to ``docs/parameters.md`` (or ``path``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(parameters_markdown(), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_parameters_page()}")
