"""Posture breaks: not built yet (issue 6); says so plainly rather than pretend."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer, Header, Static

from neck_tui.screens.base import NeckScreen


class BreaksScreen(NeckScreen):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Posture breaks is not built yet. Press escape to go back.", classes="not-built")
        yield Footer()
