"""The breathing pacer: a square outline, a marker that travels along it, and three text rows.

Built to be cheap over SSH. Textual repaints a dirty cell by re-sending its widget's line
from that widget's left edge, so the outline is made of widgets no wider than they must be:
the left and right sides are one-column line-API widgets, and the top and bottom sides are
rows of short line-API widgets. A move of the marker then sends only the cell it leaves and
the cell it enters. The marker is a whole cell (a full block, so it shows without colour,
NO_COLOR) and moves one cell at a time, at most MAX_MOVES times a second: where it goes faster
(a big square, a short phase) it steps several cells at once. `until_next_move` says when it
moves next, so the screen draws a frame only then. The phase word, the count and the
"cycle 2 of 4" note are small widgets of their own, changed only when their text changes; the
word and the note fill their row, so a new word never asks for a new layout.

The widget knows nothing about time: the screen sets the position (0-4 sides of the square:
0 is the bottom-left corner, 1 top-left, 2 top-right, 3 bottom-right), how fast it goes on
(sides a second), and the texts.
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

MARKER = "█"
MAX_MOVES = 6  # the app's choice: marker moves a second at most (each costs bytes over SSH)
MIN_ROWS = 5  # outline + three text rows
MAX_ROWS = 45  # the app's choice: the square grows with the room (styles/breathing.tcss) up to this
CHUNK = 6  # cells per widget along the top and bottom sides
EPSILON = 1e-6  # of a cell: a marker due in a cell at this moment is drawn there

Cell = tuple[int, int]  # (row, col) inside the square


def marker_cell(side: int, cell: int, rows: int, cols: int) -> Cell:
    """(row, col) of the `cell`-th cell along `side`: 0 up the left, 1 right along the top,
    2 down the right, 3 left along the bottom."""
    if side == 0:
        return (rows - 1 - cell, 0)
    if side == 1:
        return (0, cell)
    if side == 2:
        return (cell, cols - 1)
    return (rows - 1, cols - 1 - cell)


class _Part(Widget):
    """A piece of the outline; takes its styles from the Pacer it sits in."""

    _pacer: "Pacer | None" = None
    marked: int | None = None  # the cell (column or row) the marker is on

    def pacer_style(self, marked: bool) -> Style:
        if self._pacer is None:
            self._pacer = next(w for w in self.ancestors if isinstance(w, Pacer))
        return self._pacer.get_component_rich_style("pacer--marker" if marked else "pacer--outline")

    def mark(self, at: int | None) -> None:
        """Put the marker on cell `at` (None: take it off); repaints the cells it leaves and enters."""
        if at != self.marked:
            self.refresh(*self.regions([cell for cell in (self.marked, at) if cell is not None]))
            self.marked = at

    def regions(self, cells: list[int]) -> list[Region]:
        raise NotImplementedError


class EdgeRow(_Part):
    """A stretch of the top or bottom side: one line-API row."""

    def __init__(self, width: int, classes: str) -> None:
        super().__init__(classes=f"pacer-row {classes}")
        self.styles.width = width
        self.cells = width

    def regions(self, cells: list[int]) -> list[Region]:
        # One span: each region re-sends the row from this widget's left edge.
        return [Region(min(cells), 0, max(cells) - min(cells) + 1, 1)]

    def render_line(self, y: int) -> Strip:
        if y != 0:
            return Strip.blank(self.cells, self.rich_style)
        outline = self.pacer_style(False)
        at = self.marked
        if at is None:
            return Strip([Segment("─" * self.cells, outline)], self.cells)
        runs = [Segment("─" * at, outline), Segment(MARKER, self.pacer_style(True)),
                Segment("─" * (self.cells - at - 1), outline)]
        return Strip([run for run in runs if run.text], self.cells)


class EdgeColumn(_Part):
    """The left or right side, corners included: one column, one line per row."""

    def __init__(self, rows: int, top: str, bottom: str) -> None:
        super().__init__(classes="pacer-column")
        self.styles.height = rows
        self.glyphs = [top, *("│" * (rows - 2)), bottom]

    def regions(self, cells: list[int]) -> list[Region]:
        return [Region(0, cell, 1, 1) for cell in cells]

    def render_line(self, y: int) -> Strip:
        if not 0 <= y < len(self.glyphs):
            return Strip.blank(1, self.rich_style)
        if y == self.marked:
            return Strip([Segment(MARKER, self.pacer_style(True))], 1)
        return Strip([Segment(self.glyphs[y], self.pacer_style(False))], 1)


class PacerText(Static):
    """One of the three text rows; repainted only when its text changes."""

    def __init__(self, text: str, classes: str) -> None:
        super().__init__(text, markup=False, classes=classes)
        self.text = text

    def show(self, text: str) -> None:
        if text != self.text:
            # Only an auto-width row (the count) needs a new layout, and only if its width changes.
            width = self.styles.width
            layout = width is not None and width.is_auto and cell_len(text) != cell_len(self.text)
            self.text = text
            self.update(text, layout=layout)


class Pacer(Widget):
    """A square pacer, or (reduced motion, or too little room) just the three text rows."""

    COMPONENT_CLASSES = {"pacer--outline", "pacer--marker"}

    def __init__(self, *, reduced: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.reduced = reduced
        self.word = ""
        self.count = ""
        self.note: tuple[str, ...] = ("",)
        self.position: float | None = 0.0
        self.speed = 0.0  # sides a second
        self.rows = self.cols = 0
        self._marker_key: tuple[int, int] | None = None
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

    def set_position(self, position: float | None, speed: float = 0.0) -> None:
        """Move the marker (0-4 sides round the square; None: no marker), going on at `speed`
        sides a second; repaints only the cells that change."""
        self.position, self.speed = position, speed
        self._place_marker()

    def until_next_move(self) -> float | None:
        """Seconds until the marker moves on, at its speed (None: it stands, or no square is drawn)."""
        if not self.rows or self.position is None or self.speed <= 0:
            return None
        laps = self.position % 4.0
        side, cell, step = self._where(laps)
        boundary = side + min(cell + step, self._cells(side)) / self._cells(side)
        return max(0.0, (boundary - laps) / self.speed)

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
            PacerText(self.word, classes="pacer-word"),
            Center(PacerText(self.count, classes="pacer-count")),
            PacerText(self._fitting(self.note), classes="pacer-note"),
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

    def _cells(self, side: int) -> int:
        """Cells along a side, corner to corner (the far corner is the next side's first)."""
        return self.rows - 1 if side % 2 == 0 else self.cols - 1

    def _where(self, laps: float) -> tuple[int, int, int]:
        """(side, cell, step) of the marker `laps` sides round (0 <= laps < 4): the side (4 is
        side 0 again), the first cell of the step it is in, and how many cells a step is."""
        side = min(3, int(laps))
        cells = self._cells(side)
        step = max(1, math.ceil(self.speed * cells / MAX_MOVES - EPSILON))
        whole = math.floor((laps - side) * cells + EPSILON)
        cell = whole - whole % step
        if cell >= cells:  # at the far corner: that is the start of the next side
            return side + 1, 0, step
        return side, cell, step

    def _place_marker(self) -> None:
        if not self.rows:
            return
        key = None
        if self.position is not None:
            side, cell, _ = self._where(self.position % 4.0)
            key = (side % 4, cell)
        if key == self._marker_key:
            return
        columns, tops, bottoms = self._columns, self._tops, self._bottoms
        if len(columns) != 2 or not tops or not columns[0].is_attached:
            return  # not composed yet; _after_compose places it
        self._marker_key = key
        row, col = marker_cell(*key, self.rows, self.cols) if key is not None else (-1, -1)
        columns[0].mark(row if col == 0 else None)
        columns[1].mark(row if col == self.cols - 1 else None)
        for edge, on_edge in ((tops, row == 0), (bottoms, row == self.rows - 1)):
            start = 0
            for part in edge:
                inside = on_edge and start <= col - 1 < start + part.cells
                part.mark(col - 1 - start if inside else None)
                start += part.cells
