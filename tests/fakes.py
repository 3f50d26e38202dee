"""Test doubles: a clock that moves only when a test says so."""

from __future__ import annotations

import html
import re
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


async def wait_for(pilot: Any, condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` holds (real time, up to `timeout` s); fail if it never does."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError(f"still not true after {timeout} s: {getattr(condition, '__name__', condition)}")
        await pilot.pause()


_SVG_TEXT = re.compile(r'<text [^>]*?x="([\d.]+)"[^>]*?textLength="([\d.]+)"[^>]*?-line-(\d+)\)">([^<]*)</text>')


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text: read from Textual's own screenshot (SVG)."""
    rows: dict[int, dict[int, str]] = {}
    for x, length, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\xa0", " ").rstrip("\n")
        if not text:
            continue
        cell = float(length) / max(1, len(text))
        rows.setdefault(int(line), {})[round(float(x) / cell) if cell else 0] = text
    lines = []
    for y in range(max(rows, default=-1) + 1):
        out = ""
        for col, text in sorted(rows.get(y, {}).items()):
            out = out.ljust(col) + text
        lines.append(out)
    return "\n".join(lines)
