"""A running timer's display, cheap over SSH: a large countdown and a session progress line.

Textual 8 sends a changed cell by re-sending its widget's line from the widget's left edge to
that cell, and at each frame renders every widget of each container the changed cells touch.
So the countdown is a row of glyph widgets (a tick re-sends the rows of the glyph that changed,
up to their last changed cell), and the progress line is one widget that re-sends only the span
of cells that changed: a tick sends the changed rows of the seconds glyph, and now and then the
few cells where the bar's edge moved.

The digits are a 3x5 pixel font drawn with half blocks (a pixel is `scale` columns wide and
`scale` half-rows tall, so it stays square), in glyphs the Linux console font has too. Only the
minutes (and hours) grow with `scale`: the seconds, which change every second, stay at the
smallest size beside them, so a big countdown costs no more to send than a small one.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby
from operator import itemgetter
from typing import Self

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget


BAR = "━"
HALF = "╸"  # the bar's edge at half a cell

# The app's own font: 3x5 pixels a digit, 1x5 the colon ("#" a pixel).
FONT = {
    "0": ("###", "# #", "# #", "# #", "###"),
    "1": (" # ", "## ", " # ", " # ", "###"),
    "2": ("###", "  #", "###", "#  ", "###"),
    "3": ("###", "  #", "###", "  #", "###"),
    "4": ("# #", "# #", "###", "  #", "  #"),
    "5": ("###", "#  ", "###", "  #", "###"),
    "6": ("###", "#  ", "###", "# #", "###"),
    "7": ("###", "  #", "  #", "  #", "  #"),
    "8": ("###", "# #", "###", "# #", "###"),
    "9": ("###", "# #", "###", "  #", "###"),
    ":": (" ", "#", " ", "#", " "),
}
FONT_ROWS = 5
HALVES = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}
SECONDS = 3  # the last characters, ":SS", drawn at scale 1 whatever the countdown's scale


def clock_text(seconds: int) -> str:
    """Whole seconds as M:SS, MM:SS, or H:MM:SS from an hour up."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def glyph_rows(scale: int) -> int:
    """Terminal rows of a glyph at `scale` (five pixels of `scale` half-rows each)."""
    return -(-FONT_ROWS * scale // 2)


@lru_cache(maxsize=256)
def glyph_lines(char: str, scale: int, gap: int, rows: int) -> tuple[str, ...]:
    """`char` drawn at `scale`, `gap` blank columns after it, at the bottom of `rows` rows."""
    pixels = FONT[char]
    width = len(pixels[0]) * scale
    halves = [[pixels[h // scale][x // scale] == "#" for x in range(width)] for h in range(FONT_ROWS * scale)]
    halves.append([False] * width)  # below the last half-row, when there is an odd number of them
    drawn = ["".join(HALVES[pair] for pair in zip(halves[y], halves[y + 1])) + " " * gap
             for y in range(0, FONT_ROWS * scale, 2)]
    return (" " * (width + gap),) * (rows - len(drawn)) + tuple(drawn)


@lru_cache(maxsize=1024)
def text_strip(text: str, style: Style) -> Strip:
    """One glyph line as a Strip; the same line is the same Strip (and so hits its filter cache)."""
    return Strip([Segment(text, style)], len(text))


def glyph_layout(text: str, scale: int) -> list[tuple[str, int, int]]:
    """(character, its scale, the gap after it) for each character of `text` at `scale`."""
    scales = [1 if i >= len(text) - SECONDS else scale for i in range(len(text))]
    return [(c, s, 0 if i == len(text) - 1 else min(s, scales[i + 1])) for i, (c, s) in enumerate(zip(text, scales))]


def countdown_size(text: str, scale: int) -> Size:
    """The size of `text` drawn by a Countdown at `scale`."""
    width = sum(len(FONT[c][0]) * s + gap for c, s, gap in glyph_layout(text, scale))
    return Size(width, glyph_rows(scale))


class Drawn(Widget):
    """A widget that draws its own lines (`draw_lines`) and answers each frame from them.

    At every frame Textual asks each child of a container the frame touches for its lines,
    through its styles cache (a walk up the DOM for the colours, per widget, per frame). These
    widgets have no border, padding or background of their own, so their lines are kept until
    they are refreshed or restyled."""

    _drawn: tuple[Region, list[Strip]] | None = None

    def draw_lines(self) -> list[Strip]:
        raise NotImplementedError

    def render_lines(self, crop: Region) -> list[Strip]:
        if self._drawn is None or self._drawn[0] != crop:
            lines, width, style = self.draw_lines(), self.size.width, self.visual_style.rich_style
            strips = [lines[y].adjust_cell_length(width, style) if y < len(lines) else Strip.blank(width, style)
                      for y in crop.line_range]
            if crop.x or crop.width != self.size.width:
                strips = [strip.crop(crop.x, crop.right) for strip in strips]
            background = self.background_colors[1]
            for line_filter in self.app.get_line_filters():
                strips = [strip.apply_filter(line_filter, background) for strip in strips]
            self._drawn = (crop, strips)
        return self._drawn[1]

    def refresh(self, *regions: Region, repaint: bool = True, layout: bool = False, recompose: bool = False) -> Self:
        self._drawn = None
        return super().refresh(*regions, repaint=repaint, layout=layout, recompose=recompose)

    def notify_style_update(self) -> None:
        self._drawn = None
        super().notify_style_update()


class Blank(Widget):
    """A container that draws nothing itself (see Countdown.compose)."""

    BLANK = True


class Countdown(Blank):
    """Shows whole seconds left in large digits; `show(n)` is cheap to call on every tick.

    One widget a character; a tick repaints only the glyphs whose character changed, and of
    those only the rows that changed. `scale` sets the size of the minutes (and hours)."""

    DEFAULT_CSS = """
    Countdown { layout: horizontal; width: auto; height: auto; }
    Countdown > .countdown--head { layout: horizontal; width: auto; height: auto; }
    """

    def __init__(self, seconds: int = 0, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.seconds = max(0, int(seconds))
        self.value = clock_text(self.seconds)
        self._scale = 1
        self.glyphs: list[Glyph] = []

    @property
    def scale(self) -> int:
        return self._scale

    @scale.setter
    def scale(self, scale: int) -> None:
        scale = max(1, int(scale))
        if scale != self._scale:
            self._scale = scale
            self._place()

    def compose(self) -> ComposeResult:
        rows = glyph_rows(self._scale)
        self.glyphs = [Glyph(char, scale, gap, rows) for char, scale, gap in glyph_layout(self.value, self._scale)]
        # All but the last glyph in a container of their own: a frame where only the last
        # changes (nine ticks in ten) renders that container, not each glyph in it.
        with Blank(classes="countdown--head"):
            yield from self.glyphs[:-1]
        yield self.glyphs[-1]

    def show(self, seconds: int) -> bool:
        """Display `seconds`; returns True only if the text changed (and so was repainted)."""
        text = clock_text(seconds)
        self.seconds = max(0, int(seconds))
        if text == self.value:
            return False
        old, self.value = self.value, text
        if self.is_mounted:
            if len(text) != len(old):  # H:MM:SS <-> MM:SS: other glyphs
                self.refresh(recompose=True)
            else:
                for glyph, char in zip(self.glyphs, text):
                    glyph.show(char)
        return True

    def _place(self) -> None:
        """Give the glyphs the current scale (a resize, or the text's length changed)."""
        if self.is_mounted:
            rows = glyph_rows(self._scale)
            for glyph, (char, scale, gap) in zip(self.glyphs, glyph_layout(self.value, self._scale)):
                glyph.draw(char, scale, gap, rows)


class Glyph(Drawn):
    """One character of a Countdown; `show(char)` repaints only the rows that change."""

    def __init__(self, char: str, scale: int, gap: int, rows: int) -> None:
        super().__init__()
        self.char = char
        self.form = (scale, gap, rows)
        self.lines = glyph_lines(char, *self.form)
        self.styles.width, self.styles.height = len(self.lines[0]), rows

    def draw(self, char: str, scale: int, gap: int, rows: int) -> None:
        """Draw `char` at this size (a new size lays the countdown out anew)."""
        if (scale, gap, rows) != self.form:
            self.form = (scale, gap, rows)
            self.lines = glyph_lines(char, *self.form)
            self.styles.width, self.styles.height = len(self.lines[0]), rows
            self.char = char
            self.refresh()
        else:
            self.show(char)

    def show(self, char: str) -> None:
        if char == self.char:
            return
        old, self.char = self.lines, char
        self.lines = glyph_lines(char, *self.form)
        changed = [Region(0, y, 1 + max(x for x, (a, b) in enumerate(zip(was, now)) if a != b), 1)
                   for y, (was, now) in enumerate(zip(old, self.lines)) if was != now]
        if changed:
            self.refresh(*changed)

    def draw_lines(self) -> list[Strip]:
        style = self.visual_style.rich_style
        return [text_strip(line, style) for line in self.lines]


class CellLine(Drawn):
    """One line of (character, role) cells; `show_cells` repaints only the span that changed
    (Textual re-sends it from the widget's left edge), and nothing when none did. A role is
    the suffix of a component class (`{ROLES}--<role>`), or "" for the widget's own style."""

    ROLES = ""  # the component classes' prefix
    DEFAULT_CSS = """
    CellLine { height: 1; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.shown: list[tuple[str, str]] = []  # the cells drawn
        self._roles: tuple[object, dict[str, Style]] = (None, {})

    def show_cells(self, cells: list[tuple[str, str]]) -> None:
        old, self.shown = self.shown, cells[: self.size.width] if self.is_mounted else []
        if len(old) != len(self.shown):
            self.refresh()
            return
        changed = [x for x, (was, now) in enumerate(zip(old, self.shown)) if was != now]
        if changed:
            self.refresh(Region(changed[0], 0, changed[-1] + 1 - changed[0], 1))

    def draw_lines(self) -> list[Strip]:
        if not self.shown:
            return []
        own = self.visual_style.rich_style
        # The roles' styles follow the theme and the colours behind: kept until either changes
        # (Textual drops its own copy at every refresh, i.e. every time the line changes).
        key = (self.app.theme, own)
        if self._roles[0] != key:
            self._roles = (key, {})
        styles = self._roles[1]
        segments = []
        for role, run in groupby(self.shown, key=itemgetter(1)):
            if role not in styles:
                styles[role] = self.get_component_rich_style(f"{self.ROLES}--{role}") if role else own
            segments.append(Segment("".join(char for char, _ in run), styles[role]))
        return [Strip(segments, len(self.shown))]


class TextLine(CellLine):
    """A line of text, in the widget's own style, that changes a little at a time (a clock in
    a sentence): set `text`; only the changed span is sent."""

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text

    def on_resize(self) -> None:
        self.show(self.text)

    def show(self, text: str) -> None:
        self.text = text
        self.show_cells([(char, "") for char in text])


class ProgressLine(CellLine):
    """A one-line session progress bar with its "done / total" label on the right, in one
    widget; `update(total=, progress=, label=)` repaints only the cells that changed (sent from
    the bar's left edge: a few hundred bytes when the edge moves, every total / (2 x width)
    seconds), and nothing when they did not."""

    ROLES = "progress-line"
    COMPONENT_CLASSES = {"progress-line--done", "progress-line--left", "progress-line--label"}
    DEFAULT_CSS = """
    ProgressLine > .progress-line--done { color: $primary; }
    ProgressLine > .progress-line--left { color: $surface; }
    ProgressLine > .progress-line--label { color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.total = 1.0
        self.progress = 0.0
        self.label = ""
        self._drawn_as: tuple[int, int, str] | None = None  # (width, half cells done, label) shown

    def update(self, *, total: float | None = None, progress: float | None = None, label: str | None = None) -> None:
        if total is not None:
            self.total = max(1.0, float(total))
        if progress is not None:
            self.progress = max(0.0, min(float(progress), self.total))
        if label is not None:
            self.label = label
        width = self.size.width
        drawn = (width, self.halves(self.bar_width(width)), self.label)
        if drawn != self._drawn_as:  # most ticks: the edge has not moved a half cell
            self._drawn_as = drawn
            self.show_cells(self.cells(width))

    def halves(self, width: int) -> int:
        """Half cells done of a bar `width` cells long."""
        return int(2 * width * self.progress / self.total)

    def bar(self, width: int) -> list[tuple[str, str]]:
        """The bar as (character, role) cells: done, a half cell at the edge, the rest."""
        full, half = divmod(self.halves(width), 2)
        return [(BAR, "done")] * full + [(HALF, "done")] * half + [(BAR, "left")] * (width - full - half)

    def bar_width(self, width: int) -> int:
        """The bar's cells in a line `width` long: the label (and a space before it) never covered."""
        return max(0, width - len(self.label) - 1) if self.label else width

    def cells(self, width: int) -> list[tuple[str, str]]:
        """The whole line: the bar, then a space and the label."""
        label = f" {self.label}" if self.label else ""
        return self.bar(self.bar_width(width)) + [(char, "label") for char in label]

    def on_resize(self) -> None:
        self.update()
