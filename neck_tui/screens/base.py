"""Base class for neck-tui screens: typed access to the app's content, store and clocks."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Callable, cast

from textual.binding import Binding

from neck_tui.screen_behind import QuietBehind
from neck_tui.screen_breakpoints import BreakpointsFromStart

if TYPE_CHECKING:
    from neck_tui.app import NeckApp
    from neck_tui.content import Content
    from neck_tui.store import Store


class NeckScreen(BreakpointsFromStart, QuietBehind):
    """A full screen of the app. Escape goes back to where the user came from."""

    BINDINGS = [Binding("escape", "app.back", "Back")]

    @property
    def neck(self) -> "NeckApp":
        return cast("NeckApp", self.app)

    @property
    def content(self) -> "Content":
        return self.neck.content

    @property
    def store(self) -> "Store":
        return self.neck.store

    @property
    def clock(self) -> Callable[[], float]:
        return self.neck.clock

    def now(self) -> datetime:
        return self.neck.now()
