"""Stepper: one choice on a line ("Heat minutes  ◂ 20 min ▸"); left/right (or -/+) step through it."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from neck_tui.glyphs import glyph


class Stepper(Widget, can_focus=True):
    """`options` are (value, text) pairs; `value` is the chosen one. Posts Stepper.Changed."""

    BINDINGS = [
        Binding("left", "step(-1)", "Change", key_display="←→"),
        Binding("right", "step(1)", "More", show=False),
        Binding("minus", "step(-1)", "Less", show=False),
        Binding("plus", "step(1)", "More", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, stepper: "Stepper") -> None:
            super().__init__()
            self.stepper = stepper

        @property
        def control(self) -> "Stepper":
            return self.stepper

    def __init__(self, label: str, options: list[tuple[Any, str]], value: Any, hint: str = "", *, id: str) -> None:
        super().__init__(id=id)
        self.label = label
        self.options = options
        self.hint = hint
        values = [v for v, _ in options]
        self.set_reactive(Stepper.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> Any:
        return self.options[self.index][0]

    def render(self) -> str:
        text = self.options[self.index][1]
        left = glyph("less") if self.index > 0 else " "
        right = glyph("more") if self.index < len(self.options) - 1 else " "
        hint = f"  [dim]{self.hint}[/]" if self.hint else ""
        return f"{self.label:<16} {left} [b]{text}[/b] {right}{hint}"

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(len(self.options) - 1, self.index + delta))

    def watch_index(self) -> None:
        self.post_message(self.Changed(self))
