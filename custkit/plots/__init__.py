"""Plots: one function per analysis result, each taking ``data=`` and returning a matplotlib Axes.

All of them share one theme (:func:`custkit.plots.theme.use_theme`) sized for a classroom projector.
"""

from custkit.plots.theme import format_money_axis, use_theme

__all__ = ["format_money_axis", "use_theme"]
