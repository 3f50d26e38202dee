"""The Linux console (TERM=linux): every line drawn goes through glyphs.console_text, so only
glyphs its font has reach it, whoever drew them (our widgets, Textual's borders and Digits).
Colours for it are in styles/terminal.tcss (the App's `-console` class)."""

from __future__ import annotations

from rich.color import Color
from rich.segment import Segment
from textual.filter import LineFilter

from neck_tui.glyphs import console_text


class ConsoleGlyphs(LineFilter):
    """A line filter: each segment's text in glyphs the console font has, cell for cell."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            segment if segment.control else Segment(console_text(segment.text), segment.style)
            for segment in segments
        ]
