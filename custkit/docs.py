"""Reference pages generated from the code, so that they cannot drift from it.

``docs/parameters.md`` lists every :class:`~custkit.config.ShopConfig` field with its unit,
default, allowed range, what it drives, the concept it serves and the notebook that shows its
effect. ``docs/glossary.md`` is the course's one glossary (:mod:`custkit.glossary`): every term
with its Persian term, its meaning and the notebooks that show it. ``make docs`` rewrites both
pages and each notebook's "## Glossary" cell; ``tests/test_docs.py`` and ``tests/test_glossary.py``
fail when one of them is out of date.
"""

from __future__ import annotations

import json
from pathlib import Path

from custkit import glossary
from custkit.config import ShopConfig

PARAMETERS_PAGE = Path(__file__).resolve().parents[1] / "docs" / "parameters.md"
GLOSSARY_PAGE = PARAMETERS_PAGE.with_name("glossary.md")


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


def glossary_markdown() -> str:
    """The course glossary as Markdown: one table row per term of ``custkit/data/glossary.csv``."""
    lines = [
        "# Glossary",
        "",
        "Generated from `custkit/data/glossary.csv` by `make docs`; do not edit by hand.",
        "One Persian term per concept for the whole course, in alphabetical order; each notebook's "
        "\"Glossary\" cell shows its own rows of this table.",
        "",
        "| English term | Persian term | Meaning | Notebooks |",
        "|---|---|---|---|",
    ]
    terms = glossary.glossary()
    terms = terms.iloc[terms["term"].str.casefold().argsort(kind="stable")]
    for r in terms.itertuples(index=False):
        shown = ", ".join(r.notebooks.split())
        lines.append(f"| {_cell(r.term)} | {_cell(r.persian)} | {_cell(r.meaning)} | {shown} |")
    return "\n".join(lines) + "\n"


def write_glossary_page(path: Path = GLOSSARY_PAGE) -> Path:
    """Write :func:`glossary_markdown` to ``docs/glossary.md`` (or ``path``)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(glossary_markdown(), encoding="utf-8")
    return path


def main(parameters_page: Path = PARAMETERS_PAGE, glossary_page: Path = GLOSSARY_PAGE,
         notebooks_dir: Path = glossary.NOTEBOOKS_DIR) -> None:
    """``make docs``: the parameters page, the glossary page and the notebooks' glossary cells."""
    print(f"wrote {write_parameters_page(parameters_page)}")
    print(f"wrote {write_glossary_page(glossary_page)}")
    for path in glossary.write_notebook_glossaries(notebooks_dir):
        print(f"wrote the glossary cell of {path}")


if __name__ == "__main__":
    main()
