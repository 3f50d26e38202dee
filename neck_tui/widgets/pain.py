"""Pain rating 0-10: a keyboard widget and the skippable pain-check modal every session uses."""

from __future__ import annotations

from typing import Callable

from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Static


class PainScale(Widget, can_focus=True):
    """0-10 by digit keys (1 then 0 for 10) or left/right; shows the content's anchor words."""

    BINDINGS = [
        Binding("left,down", "change(-1)", "Less", show=False),
        Binding("right,up", "change(1)", "More", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        def __init__(self, scale: "PainScale", value: int) -> None:
            super().__init__()
            self.scale = scale
            self.value = value

    def __init__(self, value: int | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(PainScale.value, value)
        self._last_digit: str | None = None

    def render(self) -> str:
        cells = []
        for n in range(11):
            mark = f"[reverse b]{n:^3}[/]" if n == self.value else f"{n:^3}"
            cells.append(mark)
        words = self.app.content.pain_words(self.value) if self.value is not None else "press 0-10"  # type: ignore[attr-defined]
        shown = "-" if self.value is None else str(self.value)
        return "".join(cells) + f"\nPain {shown}/10: {words}"

    def watch_value(self, value: int | None) -> None:
        if value is not None:
            self.post_message(self.Changed(self, value))

    def action_change(self, delta: int) -> None:
        self.value = 0 if self.value is None else max(0, min(10, self.value + delta))

    def on_key(self, event: events.Key) -> None:
        if event.character and event.character.isdigit():
            event.stop()
            if event.character == "0" and self._last_digit == "1":
                self.value = 10
                self._last_digit = None
            else:
                self.value = int(event.character)
                self._last_digit = event.character


CANCELLED = -1  # what a cancellable PainCheck returns on escape: the session is not started


class PainCheck(ModalScreen[int | None]):
    """Ask for pain before/after a session. Enter confirms, s skips (None).

    Escape also skips, except on a check before a session (cancellable), where it goes back
    and the session does not start: use ask_pain_before for those."""

    BINDINGS = [
        Binding("enter", "confirm", "OK"),
        Binding("s", "skip", "Skip"),
        Binding("escape", "back", "Back"),
        Binding("escape", "skip", "Skip", show=False),  # when there is nothing to go back to
    ]

    def __init__(self, title: str, value: int | None = None, note: str = "", cancellable: bool = False) -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.note = note
        self.cancellable = cancellable

    def compose(self) -> ComposeResult:
        with Vertical(id="pain-box"):
            yield Static(self.title_text, id="pain-title")
            if self.note:
                yield Static(self.note, id="pain-note")
            yield PainScale(self.initial, id="pain-scale")
            back = "  esc: back." if self.cancellable else ""
            yield Static(f"0-9, 1 0 for 10, or arrows. Enter: OK.  s: skip.{back}", id="pain-help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.cancellable if action == "back" else True

    def action_confirm(self) -> None:
        self.dismiss(self.query_one(PainScale).value)

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
