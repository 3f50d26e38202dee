"""Heat, cold and contrast timers: not built yet (issue 4); says so plainly."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from neck_tui.screens.base import NeckScreen


class ThermalScreen(NeckScreen):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"The {self.kind} timer is not built yet. Press escape to go back.", classes="not-built")
        yield Footer()
