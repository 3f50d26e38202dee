"""Session events: what a running session tells the rest of the app (hooks, the window title).

No Textual here. The session lifecycle and the activities emit events on the app's EventBus;
listeners (hooks that run a user's command, the terminal title, tests) subscribe to it. A
listener that raises is dropped from that one delivery, never from the timer: emitting must not
fail the session.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Literal

EventName = Literal[
    "session_begin",  # a session started
    "phase_end",  # a timed phase ended (heat on -> off, a breathing phase, a hold)
    "session_end",  # a session was saved: completed, stopped, or abandoned
    "skin_check_due",  # a heat/cold skin check is asked
    "break_due",  # a posture break came due
    "break_taken",  # a posture break was taken (guided, own way, or while away)
    "tick",  # once a second at most, while a session runs: for the title and status
]
EVENT_NAMES: tuple[str, ...] = EventName.__args__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class SessionEvent:
    name: str  # one of EVENT_NAMES
    kind: str  # the record kind (activities.KINDS), e.g. "heat"
    session_id: str = ""
    phase: str | None = None  # the phase's word as shown: "HEAT", "Breathe in", "OFF"
    seconds_left: float | None = None  # in the phase, when it is timed
    paused: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # e.g. {"completed": True} at session_end


Listener = Callable[[SessionEvent], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[Listener] = []
        self.errors: list[str] = []  # the last few listener failures, for a notice

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Add a listener; returns a function that removes it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def emit(self, event: SessionEvent) -> None:
        for listener in list(self._listeners):
            try:
                listener(event)
            except Exception as exc:  # a listener's bug must never stop a timer
                self.errors = [*self.errors[-4:], f"{event.name}: {exc}"]
