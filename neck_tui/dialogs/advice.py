"""Advice: a dialog that only tells (what to do after "it hurts", a skin problem); Enter closes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from neck_tui.dialogs.base import Dialog


class Advice(Dialog[None]):
    BINDINGS = [
        Binding("enter,escape", "close", "OK"),
        Binding("q", "close", "OK", show=False),  # closes like Help and Sources
    ]

    def __init__(self, title: str, body: str, footnote: str = "") -> None:
        super().__init__(title, body)
        self.footnote = footnote

    def compose_body(self) -> ComposeResult:
        if self.footnote:
            yield Static(self.footnote, classes="dialog-keys")

    def action_close(self) -> None:
        self.dismiss(None)
