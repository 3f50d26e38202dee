"""The breathing pacer: a square outline, a marker that travels along it, and three text rows.

Built to be cheap over SSH. Textual repaints a dirty cell by re-sending its widget's line
from that widget's left edge, so the outline is made of widgets no wider than they must be:
the left and right sides are one-column line-API widgets, and each cell of the top and
bottom sides is its own one-cell widget. A move of the marker then sends only the two or
three cells it leaves and enters. The phase word, the count and the "cycle 2 of 4" note are
small widgets of their own, changed only when their text changes. The marker moves in
sub-cell steps (eighth blocks; half blocks on the Linux console, whose font has no eighths),
drawn with glyphs and reverse video, so it shows without colour (NO_COLOR).

The widget knows nothing about time: the screen sets `position` (0-4 sides of the square:
0 is the bottom-left corner, 1 top-left, 2 top-right, 3 bottom-right) and the texts.
"""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

LOWER = " ▁▂▃▄▅▆▇█"  # LOWER[n]: the bottom n/8 of a cell filled
LEFT = " ▏▎▍▌▋▊▉█"  # LEFT[n]: the left n/8 of a cell filled
REVERSE = Style(reverse=True)

MIN_ROWS = 5  # outline + three text rows
MAX_ROWS = 45  # the app's choice: the square grows with the room (styles/breathing.tcss) up to this
CHUNK = 6  # cells per widget along the top and bottom sides

Cell = tuple[int, int]  # (row, col) inside the square
Mark = tuple[str, bool]  # glyph, reverse video


def marker_cells(side: int, cell: int, eighths: int, rows: int, cols: int) -> list[tuple[Cell, str, bool]]:
    """The cells a one-cell marker covers at `cell` + eighths/8 along `side`.

    Returns (row, col), glyph, reversed. Sides run: 0 up the left, 1 right along the top,
    2 down the right, 3 left along the bottom. A partly covered cell is drawn with an eighth
    block; a block filled from the other end is the reverse video of its complement.
    """
    k = eighths

    def at(i: int) -> Cell:
        if side == 0:
            return (rows - 1 - i, 0)
        if side == 1:
            return (0, i)
        if side == 2:
            return (i, cols - 1)
        return (rows - 1, cols - 1 - i)

    if k == 0:
        return [(at(cell), "█", False)]
    if side == 0:  # going up: the trailing cell keeps its top, the leading cell gains its bottom
        return [(at(cell), LOWER[k], True), (at(cell + 1), LOWER[k], False)]
    if side == 1:  # going right
        return [(at(cell), LEFT[k], True), (at(cell + 1), LEFT[k], False)]
    if side == 2:  # going down
        return [(at(cell), LOWER[8 - k], False), (at(cell + 1), LOWER[8 - k], True)]
    return [(at(cell), LEFT[8 - k], False), (at(cell + 1), LEFT[8 - k], True)]  # going left


class _Part(Widget):
    """A piece of the outline; takes its styles from the Pacer it sits in."""

    _pacer: "Pacer | None" = None

    def pacer_style(self, marked: bool) -> Style:
        if self._pacer is None:
            self._pacer = next(w for w in self.ancestors if isinstance(w, Pacer))
        return self._pacer.get_component_rich_style("pacer--marker" if marked else "pacer--outline")


class EdgeRow(_Part):
    """A stretch of the top or bottom side: one line-API row."""

    def __init__(self, width: int, classes: str) -> None:
        super().__init__(classes=f"pacer-row {classes}")
        self.styles.width = width
        self.cells = width
        self.marks: dict[int, Mark] = {}

    def set_marks(self, marks: dict[int, Mark]) -> None:
        changed = [col for col in {*self.marks, *marks} if self.marks.get(col) != marks.get(col)]
        self.marks = marks
        if changed:
            self.refresh(Region(min(changed), 0, max(changed) - min(changed) + 1, 1))

    def render_line(self, y: int) -> Strip:
        if y != 0:
            return Strip.blank(self.cells, self.rich_style)
        outline = self.pacer_style(False)
        segments = []
        start = 0
        for col in sorted(self.marks):
            if col > start:
                segments.append(Segment("─" * (col - start), outline))
            glyph, reverse = self.marks[col]
            style = self.pacer_style(True)
            segments.append(Segment(glyph, style + REVERSE if reverse else style))
            start = col + 1
        if start < self.cells:
            segments.append(Segment("─" * (self.cells - start), outline))
        return Strip(segments, self.cells)


class EdgeColumn(_Part):
    """The left or right side, corners included: one column, one line per row."""

    def __init__(self, rows: int, top: str, bottom: str) -> None:
        super().__init__(classes="pacer-column")
        self.styles.height = rows
        self.glyphs = [top, *("│" * (rows - 2)), bottom]
        self.marks: dict[int, Mark] = {}

    def set_marks(self, marks: dict[int, Mark]) -> None:
        for row in {*self.marks, *marks}:
            if self.marks.get(row) != marks.get(row):
                self.refresh(Region(0, row, 1, 1))
        self.marks = marks

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < len(self.glyphs):
            return Strip.blank(1, self.rich_style)
        mark = self.marks.get(y)
        if mark is None:
            return Strip([Segment(self.glyphs[y], self.pacer_style(False))], 1)
        style = self.pacer_style(True)
        return Strip([Segment(mark[0], style + REVERSE if mark[1] else style)], 1)


class PacerText(Static):
    """One of the three text rows; repainted only when its text changes."""

    def __init__(self, text: str, classes: str) -> None:
        super().__init__(text, markup=False, classes=classes)
        self.text = text

    def show(self, text: str) -> None:
        if text != self.text:
            width_changes = cell_len(text) != cell_len(self.text)
            self.text = text
            self.update(text, layout=width_changes)


class Pacer(Widget):
    """A square pacer, or (reduced motion, or too little room) just the three text rows."""

    COMPONENT_CLASSES = {"pacer--outline", "pacer--marker"}

    def __init__(self, *, reduced: bool = False, steps: int = 8, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reduced = reduced
        self.steps = steps  # sub-cell steps: 8 (eighth blocks) or 2 (half blocks)
        self.word = ""
        self.count = ""
        self.note: tuple[str, ...] = ("",)
        self.position: float | None = 0.0
        self.rows = self.cols = 0
        self._marker_key: tuple[int, int, int] | None = None
        self._columns: list[EdgeColumn] = []
        self._tops: list[EdgeRow] = []
        self._bottoms: list[EdgeRow] = []
        self._texts: list[PacerText] = []

    # -- what the screen sets ----------------------------------------------------------
    def set_texts(self, word: str, count: str, note: str | tuple[str, ...]) -> None:
        """Change the three text rows; each is repainted only if its text changed.

        `note` may give shorter alternatives: the first that fits is shown."""
        note = (note,) if isinstance(note, str) else note
        if (word, count, note) != (self.word, self.count, self.note):
            self.word, self.count, self.note = word, count, note
            self._show_texts()

    def set_position(self, position: float | None) -> None:
        """Move the marker (0-4 sides around the square); repaints only the cells that change."""
        self.position = position
        self._place_marker()

    @property
    def animated(self) -> bool:
        """Whether the square is drawn (False in reduced motion or when there is no room)."""
        return self.rows > 0

    @property
    def shown_texts(self) -> tuple[str, str, str]:
        """The three rows as shown now (phase word, count, note)."""
        return (self.word, self.count, self._fitting(self.note))

    # -- layout -------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        texts = Vertical(
            Center(PacerText(self.word, classes="pacer-word")),
            Center(PacerText(self.count, classes="pacer-count")),
            Center(PacerText(self._fitting(self.note), classes="pacer-note")),
            classes="pacer-texts",
        )
        if not self.rows:
            yield texts
            return
        inner = self.cols - 2
        with Horizontal(classes="pacer-square") as square:
            square.styles.width, square.styles.height = self.cols, self.rows
            yield EdgeColumn(self.rows, "┌", "└")
            with Vertical(classes="pacer-middle"):
                with Horizontal(classes="pacer-edge"):
                    for start in range(0, inner, CHUNK):
                        yield EdgeRow(min(CHUNK, inner - start), "pacer-top")
                yield texts
                with Horizontal(classes="pacer-edge"):
                    for start in range(0, inner, CHUNK):
                        yield EdgeRow(min(CHUNK, inner - start), "pacer-bottom")
            yield EdgeColumn(self.rows, "┐", "┘")

    def on_resize(self) -> None:
        rows = self._rows_for(self.size)
        if rows != self.rows:
            self.rows = rows
            self.cols = 2 * (rows - 1) + 1 if rows else 0
            self._marker_key = None
            self.refresh(recompose=True)

    def on_mount(self) -> None:
        self.call_after_refresh(self._after_compose)

    async def recompose(self) -> None:
        await super().recompose()
        self._after_compose()

    def _after_compose(self) -> None:
        self._columns = list(self.query(EdgeColumn))
        self._tops = list(self.query(".pacer-top").results(EdgeRow))
        self._bottoms = list(self.query(".pacer-bottom").results(EdgeRow))
        self._texts = list(self.query(PacerText))
        self._marker_key = None
        self._show_texts()
        self._place_marker()

    def _rows_for(self, size: Size) -> int:
        width, height = size
        rows = min(height, MAX_ROWS, (width + 1) // 2)
        if rows % 2 == 0:
            rows -= 1  # odd, so the text rows sit in the middle
        # Cells are about twice as tall as wide, so cols = 2 * (rows - 1) + 1 looks square.
        return rows if not self.reduced and rows >= MIN_ROWS else 0

    def _fitting(self, choices: tuple[str, ...]) -> str:
        room = self.cols - 2 if self.rows else self.size.width
        return next((c for c in choices if cell_len(c) <= room), choices[-1])

    def _show_texts(self) -> None:
        for part, text in zip(self._texts, self.shown_texts):
            if part.is_attached:
                part.show(text)

    def _place_marker(self) -> None:
        if not self.rows:
            return
        key = self._quantize(self.position)
        if key == self._marker_key:
            return
        columns, tops, bottoms = self._columns, self._tops, self._bottoms
        if len(columns) != 2 or not tops or not columns[0].is_attached:
            return  # not composed yet; _after_compose places it
        self._marker_key = key
        left: dict[int, Mark] = {}
        right: dict[int, Mark] = {}
        top: dict[int, Mark] = {}
        bottom: dict[int, Mark] = {}
        if key is not None:
            side, cell, sub = key
            for (row, col), glyph, reverse in marker_cells(side, cell, sub * 8 // self.steps, self.rows, self.cols):
                if col == 0:
                    left[row] = (glyph, reverse)
                elif col == self.cols - 1:
                    right[row] = (glyph, reverse)
                elif row == 0:
                    top[col - 1] = (glyph, reverse)
                else:
                    bottom[col - 1] = (glyph, reverse)
        columns[0].set_marks(left)
        columns[1].set_marks(right)
        for edge, marks in ((tops, top), (bottoms, bottom)):
            start = 0
            for part in edge:
                part.set_marks({c - start: m for c, m in marks.items() if start <= c < start + part.cells})
                start += part.cells

    def _quantize(self, position: float | None) -> tuple[int, int, int] | None:
        """(side, whole cell, sub-cell step) of the marker, or None for no marker."""
        if position is None:
            return None
        laps = position % 4.0
        side = min(3, int(laps))
        length = (self.rows - 1) if side in (0, 2) else (self.cols - 1)
        steps = math.floor((laps - side) * length * self.steps + 0.5)
        cell, sub = divmod(steps, self.steps)
        if cell >= length:  # at the far corner: that is the start of the next side
            return ((side + 1) % 4, 0, 0)
        return (side, cell, sub)
