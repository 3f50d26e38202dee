"""A "please enlarge the terminal" notice while the terminal is smaller than a screen needs.

Over SSH and in tmux the terminal can shrink to a sliver: ``SizeGuard`` lays a notice over
whatever screen is showing while the terminal is smaller than ``MIN_WIDTH`` x ``MIN_HEIGHT`` (or
the screen's own MIN_SIZE), and takes it away once it is large enough again. Nothing underneath
is popped or paused: a running session goes on.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING

from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.app import App

MIN_WIDTH = 40
MIN_HEIGHT = 15


def minimum_for(screen: Screen | None) -> tuple[int, int]:
    """A screen made for small panes (posture breaks) may set MIN_SIZE lower than the app's."""
    return getattr(screen, "MIN_SIZE", (MIN_WIDTH, MIN_HEIGHT))


def too_small(size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> bool:
    width, height = size
    return width < minimum[0] or height < minimum[1]


def enlarge_text(size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> str:
    return _enlarge_texts(size, minimum)[0][0]


def _enlarge_texts(size: Size | tuple[int, int], minimum: tuple[int, int]) -> list[tuple[str, bool]]:
    """The notice's wordings, longest first, each with whether it needs no padding; the first
    one that fits the terminal first (the shortest is readable whole at 10x5)."""
    width, height = size
    need = f"{minimum[0]}x{minimum[1]}"
    texts = [
        (f"Please enlarge the terminal to at least {need} (now {width}x{height}). "
         "Anything running keeps running. Ctrl+Q quits.", False),
        (f"Enlarge to {need} (now {width}x{height}). Ctrl+Q quits.", True),
        (f"Enlarge to {need}. Ctrl+Q quits.", True),
    ]  # fmt: skip
    for i, (text, bare) in enumerate(texts):
        # A scrollbar of the screen underneath may take 2 columns; padding is 1 row, 2 columns.
        room = width - 2 - (0 if bare else 4), height - (0 if bare else 2)
        if room[0] > 0 and len(textwrap.wrap(text, room[0])) <= room[1]:
            return texts[i:]
    return texts[-1:]


def _bare(size: Size | tuple[int, int], minimum: tuple[int, int]) -> bool:
    return _enlarge_texts(size, minimum)[0][1]


class SizeNotice(Static):
    """Covers its screen (in its own layer, see styles/terminal.tcss) while the terminal is too small."""

    def __init__(self, size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> None:
        super().__init__(enlarge_text(size, minimum), classes="-tiny" if _bare(size, minimum) else "")
        self.shown_size = tuple(size)
        self.minimum = minimum

    def show_size(self, size: Size | tuple[int, int]) -> None:
        if tuple(size) != self.shown_size:  # repaint only when the text changes
            self.shown_size = tuple(size)
            self.set_class(_bare(size, self.minimum), "-tiny")
            self.update(enlarge_text(size, self.minimum))


class SizeGuard:
    """Keeps a SizeNotice on the current screen exactly while the terminal is too small."""

    def __init__(self, app: "App[object]") -> None:
        self.app = app
        self.size: Size = app.size
        app.screen_change_signal.subscribe(app, self._screen_changed)

    @property
    def showing(self) -> bool:
        return too_small(self.size, minimum_for(self.app.screen))

    def resized(self, size: Size) -> None:
        self.size = size
        self.check()

    def _screen_changed(self, screen: Screen) -> None:
        self.check()

    def check(self) -> None:
        """Add the notice to the current screen if too small; remove every notice if not."""
        if not self.app.is_running:
            return
        notices = [n for s in self.app.screen_stack for n in s.query(SizeNotice)]
        if not self.showing:
            for notice in notices:
                notice.remove()
            return
        screen = self.app.screen
        for notice in notices:
            if notice.screen is screen:
                notice.show_size(self.size)
                return
        screen.mount(SizeNotice(self.size, minimum_for(screen)))


