"""Reference: a bare Textual app showing a 1 Hz countdown in a Digits widget.

The cheapest useful thing a timer screen can do: a Header, one Digits widget updated once a
second, and a Footer (as on every screen of the app).
Run: python -m bench.reference.countdown [SECONDS]
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.widgets import Digits, Footer, Header, Label


class CountdownApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    Digits { width: auto; }
    """
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def __init__(self, seconds: int = 20 * 60) -> None:
        super().__init__()
        self.seconds = seconds
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Reference countdown")
        yield Digits(self._text(self.seconds))
        yield Footer()

    def on_mount(self) -> None:
        self.started = time.monotonic()
        self.set_interval(1.0, self.tick)

    def _text(self, left: int) -> str:
        return f"{left // 60:02d}:{left % 60:02d}"

    def tick(self) -> None:
        left = max(0, self.seconds - round(time.monotonic() - self.started))
        self.query_one(Digits).update(self._text(left))


if __name__ == "__main__":
    CountdownApp(int(sys.argv[1]) if len(sys.argv) > 1 else 20 * 60).run()
