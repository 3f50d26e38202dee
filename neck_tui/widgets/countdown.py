"""A running timer's display, cheap over SSH: a large countdown and a session progress line.

Textual 8 sends a changed cell by re-sending its widget's line from the widget's left edge to
that cell, so a one-widget "12:34" re-sends every glyph when only the 4 becomes a 3, and a
one-widget progress bar with its label on the right re-sends the whole bar each second. Here
each glyph of the countdown is its own small Digits widget, and the progress line is a row of
short chunks: a tick then sends only the glyph and the few cells that changed.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits

BAR = "━"
HALF = "╸"  # the bar's edge at half a cell
CHUNK = 4  # cells per widget along the progress line


def clock_text(seconds: int) -> str:
    """Whole seconds as M:SS, MM:SS, or H:MM:SS from an hour up."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Countdown(Widget):
    """Shows whole seconds left in large digits; `show(n)` is cheap to call on every tick."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; width: auto; height: 3; }
    Countdown > Digits { width: 3; }
    """

    def __init__(self, seconds: int = 0, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.seconds = max(0, int(seconds))
        self.value = clock_text(self.seconds)

    def compose(self) -> ComposeResult:
        for char in self.value:
            yield Digits(char)

    def show(self, seconds: int) -> bool:
        """Display `seconds`; returns True only if the text changed (and so was repainted)."""
        text = clock_text(seconds)
        self.seconds = max(0, int(seconds))
        if text == self.value:
            return False
        old, self.value = self.value, text
        glyphs = list(self.query(Digits)) if self.is_mounted else []
        if len(glyphs) != len(text):
            if self.is_mounted:
                self.refresh(recompose=True)  # H:MM:SS <-> MM:SS: a new number of glyphs
            return True
        for glyph, before, after in zip(glyphs, old, text):
            if before != after:
                glyph.update(after)
        return True


class ProgressLine(Widget):
    """A one-line session progress bar with its "done / total" label on the right, drawn as a row
    of CHUNK-cell widgets; `update(total=, progress=, label=)` repaints only the chunks that change."""

    COMPONENT_CLASSES = {"progress-line--done", "progress-line--left", "progress-line--label"}
    DEFAULT_CSS = """
    ProgressLine { layout: horizontal; height: 1; width: 1fr; }
    ProgressLine > .progress-line--done { color: $primary; }
    ProgressLine > .progress-line--left { color: $surface; }
    ProgressLine > .progress-line--label { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.total = 1.0
        self.progress = 0.0
        self.label = ""
        self._width = 0

    def update(self, *, total: float | None = None, progress: float | None = None, label: str | None = None) -> None:
        if total is not None:
            self.total = max(1.0, float(total))
        if progress is not None:
            self.progress = max(0.0, min(float(progress), self.total))
        if label is not None:
            self.label = label
        self._show()

    def line(self, width: int) -> list[tuple[str, str]]:
        """The line as (character, role) cells: done bar, a half cell at the edge, the rest, the label."""
        label = f" {self.label}" if self.label else ""
        bar = max(0, width - len(label))
        halves = int(2 * bar * self.progress / self.total)
        full, half = divmod(halves, 2)
        cells = [(BAR, "done")] * full + [(HALF, "done")] * half + [(BAR, "left")] * (bar - full - half)
        return (cells + [(c, "label") for c in label])[:width]

    def compose(self) -> ComposeResult:
        for start in range(0, self._width, CHUNK):
            yield _Chunk(min(CHUNK, self._width - start))

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.call_after_refresh(self._show)
            self.refresh(recompose=True)

    def _show(self) -> None:
        cells = self.line(self._width)
        start = 0
        for chunk in self.query(_Chunk):
            chunk.show(cells[start:start + chunk.cells])
            start += chunk.cells


class _Chunk(Widget):
    """A few cells of the progress line, repainted only when they change."""

    def __init__(self, cells: int) -> None:
        super().__init__()
        self.styles.width = self.cells = cells
        self.shown: list[tuple[str, str]] = []

    def show(self, cells: list[tuple[str, str]]) -> None:
        if cells != self.shown:
            self.shown = cells
            self.refresh()

    def render_line(self, y: int) -> Strip:
        if y != 0 or not self.shown or not isinstance(self.parent, ProgressLine):
            return Strip.blank(self.cells, self.rich_style)
        style = self.parent.get_component_rich_style
        return Strip([Segment(char, style(f"progress-line--{role}")) for char, role in self.shown], self.cells).simplify()
