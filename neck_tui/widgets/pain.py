"""Pain rating 0-10: a keyboard widget and the skippable pain-check modal every session uses."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
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


class PainCheck(ModalScreen[int | None]):
    """Ask for pain before/after a session. Enter confirms, s or escape skips (None)."""

    BINDINGS = [
        Binding("enter", "confirm", "OK"),
        Binding("s,escape", "skip", "Skip"),
    ]

    def __init__(self, title: str, value: int | None = None, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = value
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="pain-box"):
            yield Static(self.title_text, id="pain-title")
            if self.note:
                yield Static(self.note, id="pain-note")
            yield PainScale(self.initial, id="pain-scale")
            yield Static("0-9, 1 0 for 10, or arrows. Enter: OK.  s: skip.", id="pain-help")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def action_confirm(self) -> None:
        self.dismiss(self.query_one(PainScale).value)

    def action_skip(self) -> None:
        self.dismiss(None)
