"""A large countdown (Textual Digits) that repaints only when the shown text changes."""

from __future__ import annotations

from textual.widgets import Digits


def clock_text(seconds: int) -> str:
    """Whole seconds as M:SS, MM:SS, or H:MM:SS from an hour up."""
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class Countdown(Digits):
    """Shows whole seconds left; `show(n)` is cheap to call on every tick."""

    def __init__(self, seconds: int = 0, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(clock_text(seconds), id=id, classes=classes)
        self.seconds = max(0, int(seconds))

    def show(self, seconds: int) -> bool:
        """Display `seconds`; returns True only if the text changed (and so was repainted)."""
        text = clock_text(seconds)
        self.seconds = max(0, int(seconds))
        if text == self.value:
            return False
        self.update(text)
        return True
