"""First-run notice: what this app is and is not. Accepted once, remembered in the store."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class NoticeScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("enter,a", "accept", "I understand"),
        Binding("q,escape", "decline", "Quit"),
    ]

    def compose(self) -> ComposeResult:
        notice = self.app.content.notice  # type: ignore[attr-defined]
        with Vertical(id="notice-box"):
            yield Static(notice.title, id="notice-title")
            yield Static(notice.text, id="notice-text")
            yield Button("I understand (Enter)", id="accept", variant="primary")
            yield Button("Quit (q)", id="decline")

    def on_mount(self) -> None:
        self.query_one("#accept").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "accept")

    def action_accept(self) -> None:
        self.dismiss(True)

    def action_decline(self) -> None:
        self.dismiss(False)
