"""The pain check (0-10) every session asks before it starts and after it ends."""

from __future__ import annotations

from typing import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.widgets import Static

from neck_tui.dialogs.base import Dialog
from neck_tui.widgets.pain import PainScale

CANCELLED = -1  # what a cancellable PainCheck returns on escape: the session is not started


class PainCheck(Dialog[int | None]):
    """Enter confirms a rating, s skips (None); with nothing rated Enter does nothing. Escape also skips, except on a check before a session
    (cancellable), where it goes back and the session does not start.

    A "before" check may be pre-filled (from a triage in the last hour); an "after" check always
    starts empty, so a reflexive Enter cannot record "no change"."""

    BINDINGS = [
        Binding("enter", "confirm", "OK"),
        Binding("s", "skip", "Skip"),
        Binding("escape", "back", "Back"),
        Binding("escape", "skip", "Skip", show=False),  # when there is nothing to go back to
    ]

    rated: reactive[int | None] = reactive(None, bindings=True)  # the Footer's OK is live once set

    def __init__(self, title: str, value: int | None = None, note: str = "", cancellable: bool = False) -> None:
        super().__init__(title, note)
        self.cancellable = cancellable
        self.set_reactive(PainCheck.rated, value)

    def compose_body(self) -> ComposeResult:
        yield PainScale(self.rated, id="pain-scale")
        back = "  esc: back." if self.cancellable else ""
        yield Static(f"0-9, 1 0 for 10, or arrows. Enter: OK.  s: skip.{back}", classes="dialog-keys")

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def on_pain_scale_changed(self, event: PainScale.Changed) -> None:
        self.rated = event.value

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back":
            return self.cancellable
        if action == "confirm":
            return self.rated is not None or None  # greyed until rated
        return True

    def action_confirm(self) -> None:
        if self.rated is not None:  # nothing rated: Enter does nothing (s skips), so no made-up pain
            self.dismiss(self.rated)

    def action_skip(self) -> None:
        self.dismiss(None)

    def action_back(self) -> None:
        self.dismiss(CANCELLED)


def ask_pain_before(app: App[object], title: str, value: int | None, then: Callable[[int | None], None]) -> None:
    """The pain check before a session: `then(pain)` starts it; escape goes back instead."""

    def answered(pain: int | None) -> None:
        if pain != CANCELLED:
            then(pain)

    app.push_screen(PainCheck(title, value, cancellable=True), answered)


def ask_pain_after(app: App[object], title: str, then: Callable[[int | None], None], note: str = "") -> None:
    """The pain check after a session: empty to start with; s or escape skips."""
    app.push_screen(PainCheck(title, None, note=note), then)
