"""A running timer's display, cheap over SSH: a large countdown and a session progress line.

Textual 8 sends a changed cell by re-sending its widget's line from the widget's left edge to
that cell, so a one-widget "12:34" re-sends every glyph when only the 4 becomes a 3, and a
one-widget progress bar re-sends the whole bar whenever its edge moves. Here the countdown's
last glyph is a widget of its own, and the bar is a row of short chunks under one container
(so a frame that does not touch the bar does not render its chunks either): a tick sends the
last glyph, the label, and now and then the few cells where the bar's edge moved.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.app import ComposeResult
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Digits, Static

BAR = "━"
HALF = "╸"  # the bar's edge at half a cell
CHUNK = 4  # cells per widget along the progress bar: fewer cells re-sent, but each widget costs CPU per frame


def clock_text(seconds: int) -> str:
    """Whole seconds as M:SS, MM:SS, or H:MM:SS from an hour up."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Countdown(Widget):
    """Shows whole seconds left in large digits; `show(n)` is cheap to call on every tick.

    Two Digits widgets: the last glyph (it changes every second) and the rest (every ten
    seconds). More pieces would send even less, but every widget costs CPU on every frame."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; width: auto; height: 3; }
    Countdown > Digits { width: auto; }
    """

    def __init__(self, seconds: int = 0, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.seconds = max(0, int(seconds))
        self.value = clock_text(self.seconds)

    def compose(self) -> ComposeResult:
        yield Digits(self.value[:-1])
        yield Digits(self.value[-1:])

    def show(self, seconds: int) -> bool:
        """Display `seconds`; returns True only if the text changed (and so was repainted)."""
        text = clock_text(seconds)
        self.seconds = max(0, int(seconds))
        if text == self.value:
            return False
        old, self.value = self.value, text
        if self.is_mounted:
            head, last = self.query(Digits)
            if text[:-1] != old[:-1]:
                head.update(text[:-1])  # (a new width, H:MM:SS <-> MM:SS, lays it out anew)
            last.update(text[-1:])
        return True


class ProgressLine(Widget):
    """A one-line session progress bar, drawn as a row of CHUNK-cell widgets, with its
    "done / total" label on the right; `update(total=, progress=, label=)` repaints only the
    chunk where the bar's edge moved, and the label when it changed."""

    COMPONENT_CLASSES = {"progress-line--done", "progress-line--left"}
    DEFAULT_CSS = """
    ProgressLine { layout: horizontal; height: 1; width: 1fr; }
    ProgressLine > .progress-line--done { color: $primary; }
    ProgressLine > .progress-line--left { color: $surface; }
    ProgressLine > .progress-bar { layout: horizontal; width: 1fr; height: 1; }
    ProgressLine > .progress-label { width: auto; padding: 0 0 0 1; color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.total = 1.0
        self.progress = 0.0
        self.label = ""

    def update(self, *, total: float | None = None, progress: float | None = None, label: str | None = None) -> None:
        if total is not None:
            self.total = max(1.0, float(total))
        if progress is not None:
            self.progress = max(0.0, min(float(progress), self.total))
        if label is not None and label != self.label:
            width_changes = len(label) != len(self.label)
            self.label = label
            if self.is_mounted:
                self.query_one(".progress-label", Static).update(label, layout=width_changes)
        self._show()

    def bar(self, width: int) -> list[tuple[str, str]]:
        """The bar as (character, role) cells: done, a half cell at the edge, the rest."""
        halves = int(2 * width * self.progress / self.total)
        full, half = divmod(halves, 2)
        return [(BAR, "done")] * full + [(HALF, "done")] * half + [(BAR, "left")] * (width - full - half)

    def compose(self) -> ComposeResult:
        yield _Bar(classes="progress-bar")
        yield Static(self.label, classes="progress-label", markup=False)

    def _show(self) -> None:
        bar = self.query_one(_Bar) if self.is_mounted else None
        if bar is None:
            return
        cells = self.bar(bar.size.width)
        start = 0
        for chunk in bar.query(_Chunk):
            chunk.show(cells[start:start + chunk.cells])
            start += chunk.cells


class _Bar(Widget):
    """The bar part of a ProgressLine: CHUNK-cell widgets across its width."""

    def __init__(self, classes: str) -> None:
        super().__init__(classes=classes)
        self._width = 0

    def compose(self) -> ComposeResult:
        for start in range(0, self._width, CHUNK):
            yield _Chunk(min(CHUNK, self._width - start))

    def on_resize(self) -> None:
        if self.size.width != self._width:
            self._width = self.size.width
            self.refresh(recompose=True)

    async def recompose(self) -> None:
        await super().recompose()
        self.query_ancestor(ProgressLine)._show()  # the new chunks show the bar at once


class _Chunk(Widget):
    """A few cells of the progress bar, repainted only when they change."""

    def __init__(self, cells: int) -> None:
        super().__init__()
        self.styles.width = self.cells = cells
        self.shown: list[tuple[str, str]] = []

    def show(self, cells: list[tuple[str, str]]) -> None:
        if cells != self.shown:
            self.shown = cells
            self.refresh()

    def render_line(self, y: int) -> Strip:
        line = self.query_ancestor(ProgressLine)
        if y != 0 or not self.shown:
            return Strip.blank(self.cells, self.rich_style)
        style = line.get_component_rich_style
        return Strip([Segment(char, style(f"progress-line--{role}")) for char, role in self.shown], self.cells).simplify()
