"""Test doubles: a clock that moves only when a test says so."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable


class FakeClock:
    """A monotonic clock and a wall clock that move only when told to."""

    def __init__(self, start: float = 1000.0, wall: datetime | None = None) -> None:
        self.t = start
        self._start = start
        self.wall0 = wall or datetime(2026, 11, 25, 9, 0, tzinfo=timezone.utc)

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds

    def now(self) -> datetime:
        return self.wall0 + timedelta(seconds=self.t - self._start)


async def space_label_follows_pause(pilot: Any, paused: Callable[[], bool]) -> None:
    """Space pauses and resumes, and the Footer names what space will do next."""

    def space() -> str:
        return pilot.app.screen.active_bindings["space"].binding.description

    assert not paused() and space() == "Pause"
    await pilot.press("space")
    await pilot.pause()
    assert paused() and space() == "Resume"
    await pilot.press("space")
    await pilot.pause()
    assert not paused() and space() == "Pause"


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 5.0) -> None:
    """Let the app run until `condition()` holds (real time only bounds a hang, never a result)."""
    import asyncio

    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError("the condition never held")
        await pilot.pause()
