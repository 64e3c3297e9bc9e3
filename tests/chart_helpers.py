"""Helpers shared by the chart and report tests."""

from __future__ import annotations

GLYPH_WARNING_MARKERS = ("missing from font", "Glyph")


def glyph_warnings(messages: list[str]) -> list[str]:
    """The warnings that say a glyph was missing from the font (a label would show empty boxes)."""
    return [m for m in messages if any(marker in m for marker in GLYPH_WARNING_MARKERS)]
