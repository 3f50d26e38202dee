"""Line: a Static whose text is a reactive, so it repaints only when the text really changes."""

from __future__ import annotations

from textual.reactive import reactive
from textual.widgets import Static


class Line(Static):
    """Set `line.text = "..."` as often as you like; the same text twice costs nothing."""

    text: reactive[str] = reactive("", layout=True)

    def __init__(self, text: str = "", *, id: str | None = None, classes: str | None = None,
                 markup: bool = True) -> None:
        super().__init__(text, id=id, classes=classes, markup=markup)
        self.set_reactive(Line.text, text)

    def watch_text(self, text: str) -> None:
        self.update(text)
