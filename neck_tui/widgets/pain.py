"""Pain rating 0-10: the keyboard widget the pain check (neck_tui.dialogs.pain) and triage use."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


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
        self.refresh(layout=True)  # longer words may wrap to a second line: height auto
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
