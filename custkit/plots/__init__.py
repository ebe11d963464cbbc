"""Plots: one function per analysis result, each taking ``data=`` and returning a matplotlib Axes.

One module per family of analyses (``ck.plots.funnel``, ``ck.plots.retention``, ...), imported on
first use; all share one theme (:func:`use_theme`) sized for a classroom projector.
"""

from __future__ import annotations

import importlib
from typing import Any

from custkit.plots.theme import format_money_axis, new_axes, use_theme

_FAMILIES = (
    "definitions", "typology", "funnel", "retention", "models", "segmentation", "tour", "experiments",
    "explorer",
)


def __getattr__(name: str) -> Any:
    if name in _FAMILIES:
        return importlib.import_module(f"custkit.plots.{name}")
    raise AttributeError(f"module 'custkit.plots' has no attribute {name!r}")


__all__ = ["format_money_axis", "new_axes", "use_theme", *_FAMILIES]
