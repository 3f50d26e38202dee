"""One quiet line on self-care screens: "Any red flags? t checks them", unless the user did a
triage in the last 12 hours. It never blocks anything; the screen adds TRIAGE_KEY so t works."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from neck_tui import insights

HINT = "Any red flags? t checks them"
HOURS = 12
# For the screen's BINDINGS: t opens triage on top (back returns to the screen).
TRIAGE_KEY = Binding("t", "app.open('triage')", "Red flags", show=False)


class TriageHint(Static):
    """Shown while there has been no finished triage in the last HOURS hours. Checked again
    whenever its screen comes back (e.g. after the triage that t opened)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)
        super().__init__(HINT, **kwargs)

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self.check()

    def _screen_changed(self, screen: Screen[Any]) -> None:
        # Not while a session runs: the hint is about starts, and a failing store would add a line
        # to every prompt closed mid-session.
        if screen is self.screen and getattr(self.app, "session", None) is None:
            self.check()

    def check(self) -> None:
        app: Any = self.app
        # An unreadable history reads as no triage: the hint shows, which costs nothing.
        recent = app.read("your history", lambda: insights.recent_triage(app.store, app.now(), hours=HOURS))
        self.display = recent is None
