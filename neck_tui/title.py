"""The terminal's title while a session runs: "HEAT 12:34", "Breathe in", "Break in 12m".

OSC 2 sets the window title (tmux shows it as the pane title, `#T`). The title is written at
most once a second and only when its text changes; the terminal's own title is saved first
(XTWINOPS push, CSI 22;0t) and put back when the session ends or the app leaves (pop, CSI
23;0t). Settings.title turns it off. No Textual here: ``write`` is the app driver's write.
"""

from __future__ import annotations

import math
import re
import time
from typing import Callable

from neck_tui.events import EventBus, SessionEvent

PUSH = "\x1b[22;0t"
POP = "\x1b[23;0t"
# Below one second: a timer that fires a hair early (0.999 s) must not drop that second's title.
MIN_INTERVAL_S = 0.9
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_UNTIMED = ("breathing",)  # phases of a few seconds: the word alone, a countdown would only flicker
BREAK_KINDS = ("posture_break",)


def osc_title(text: str) -> str:
    return f"\x1b]2;{_CONTROL.sub(' ', text)[:80]}\x07"


def _mmss(seconds: float) -> str:
    whole = max(0, math.ceil(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


def title_text(event: SessionEvent) -> str | None:
    """What the title says for this event; None when the session is over (restore the title)."""
    if event.name == "session_end":
        return None
    if event.kind in BREAK_KINDS:
        if event.name == "break_due" or (event.seconds_left is not None and event.seconds_left <= 0):
            return "Break now"
        if event.seconds_left is not None:
            return f"Break in {max(1, math.ceil(event.seconds_left / 60))}m"
        return event.phase or "Posture break"
    word = event.phase or event.kind.upper()
    if event.seconds_left is not None and event.kind not in _UNTIMED:
        word = f"{word} {_mmss(event.seconds_left)}"
    return f"{word} paused" if event.paused else word


class TerminalTitle:
    """An EventBus listener that keeps the terminal title on the running session."""

    def __init__(
        self,
        write: Callable[[str], None],
        enabled: Callable[[], bool] = lambda: True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.write = write
        self.enabled = enabled
        self.clock = clock
        self.shown: str | None = None
        self.pushed = False
        self._last_write = -math.inf

    def subscribe(self, bus: EventBus) -> Callable[[], None]:
        return bus.subscribe(self)

    def __call__(self, event: SessionEvent) -> None:
        text = title_text(event)
        if text is None or not self.enabled():
            self.restore()
            return
        if text == self.shown:
            return
        now = self.clock()
        # A tick may wait for the next second; a phase change or a due break is shown at once.
        if event.name == "tick" and now - self._last_write < MIN_INTERVAL_S:
            return
        if not self.pushed:
            self.write(PUSH)
            self.pushed = True
        self.write(osc_title(text))
        self.shown = text
        self._last_write = now

    def restore(self) -> None:
        """Put the terminal's own title back (session over, setting off, or the app leaving)."""
        if self.pushed:
            self.write(POP)
        self.pushed = False
        self.shown = None
