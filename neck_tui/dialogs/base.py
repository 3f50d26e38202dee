"""The dialog base: a box with a title, a body and the keys that answer it.

Every prompt of the app (pain check, skin check, stop and other confirmations, the resume offer,
the pattern picker, the advice after "it hurts") is a `Dialog`: one CSS rule styles the box
(styles/dialogs.tcss), and `docked = True` puts a dialog at the bottom of the screen instead of
the middle, so a running countdown above it stays in sight. Subclasses add widgets in
`compose_body` and bindings for their answers.
"""

from __future__ import annotations

from typing import TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from neck_tui.screen_behind import QuietBehind
from neck_tui.screen_breakpoints import BreakpointsFromStart
from neck_tui.widgets.footer import Footer

T = TypeVar("T")


class Dialog(BreakpointsFromStart, QuietBehind, ModalScreen[T]):  # QuietBehind: dialogs open over each other too
    """A modal box: title, body text, the subclass's widgets, and the Footer with its keys."""

    docked = False  # True: at the bottom of the screen (a running timer above stays visible)
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]  # -short: no blank lines (styles/dialogs.tcss)

    def __init__(self, title: str, body: str = "", *, docked: bool | None = None) -> None:
        super().__init__(classes="dialog")
        self.dialog_title = title
        self.body = body
        if docked if docked is not None else self.docked:
            self.add_class("-docked")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(Text(self.dialog_title), classes="dialog-title")
            if self.body:
                yield Static(Text(self.body), classes="dialog-body")
            yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> ComposeResult:
        yield from ()
