"""First-run notice: what this app is and is not, and where the red flags are. Accepted once,
remembered in the store. Fits 40x15: the text scrolls, the red-flag line and the keys stay."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from neck_tui.screen_breakpoints import BreakpointsFromStart
from neck_tui.widgets.footer import Footer


class NoticeScreen(BreakpointsFromStart, ModalScreen[bool]):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        # Enter presses the focused button (accept, unless tabbed to Quit); shown with a.
        Binding("enter", "accept", show=False),
        Binding("a", "accept", "I understand", key_display="⏎/a"),
        Binding("q,escape", "decline", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        notice = self.app.content.notice  # type: ignore[attr-defined]
        with Vertical(id="notice-box"):
            yield Static(notice.title, id="notice-title", markup=False)
            with VerticalScroll(id="notice-scroll", can_focus=False):
                yield Static(notice.text, id="notice-text", markup=False)
            yield Static(notice.triage_line, id="notice-triage", markup=False)
            with Horizontal(id="notice-buttons"):
                yield Button("I understand", id="accept", variant="primary", compact=True)
                yield Button("Quit", id="decline", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#accept").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "accept")

    def action_accept(self) -> None:
        self.dismiss(True)

    def action_decline(self) -> None:
        self.dismiss(False)
