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


def heat_checkpoint(
    store: Any, clock: FakeClock, content: Any, *, rounds: int = 1, ran: float = 300, pain: int | None = 4
) -> dict[str, Any]:
    """A heat session that ran `ran` seconds and was cut off just after its last checkpoint."""
    from neck_tui import resume
    from neck_tui.engine import PhaseTimer
    from neck_tui.lifecycle import Saver, Session
    from neck_tui.plans.thermal import session_phases

    def fail(message: str) -> None:
        raise AssertionError(message)

    regimen = content.regimen_for("heat")
    timer = PhaseTimer(session_phases(regimen, rounds), clock=clock)
    session = Session(
        Saver(store, fail), "heat", clock.now, pain_before=pain, resumable=True,
        details={"regimen": regimen.id, "rounds": rounds},
        state=lambda: resume.checkpoint_state(timer, regimen=regimen.id, rounds=rounds),
    )
    timer.start()
    clock.advance(ran)
    timer.poll()
    session.checkpoint()
    checkpoint = store.state.in_progress
    assert checkpoint is not None
    return checkpoint


async def wait_for(pilot: Any, condition: Callable[[], Any], timeout: float = 30.0) -> None:
    """Let the app run until `condition()` is true (checked after each refresh); fail after `timeout`
    seconds of real time, which only bounds a hang, never decides a result."""
    import time

    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            raise AssertionError(f"condition never held: {getattr(condition, '__name__', condition)}")
        await pilot.pause()


async def settle(pilot: Any, sent: list[Any], quiet: int = 3, timeout: float = 30.0) -> None:
    """Let the app run until `quiet` pauses in a row (each at least a frame) add nothing to `sent`
    (what it sends to the terminal): all that the setup drew is out, so what comes next is the
    test's own doing."""
    import time

    end = time.monotonic() + timeout
    still = 0
    while still < quiet:
        if time.monotonic() > end:
            raise AssertionError("the app never stopped sending updates")
        before = len(sent)
        await pilot.pause()
        still = still + 1 if len(sent) == before else 0


def store_fails(monkeypatch: Any, *names: str, message: str = "disk full") -> None:
    """Make these Store methods raise StoreError (a full disk, a read-only mount) until undone."""
    from neck_tui.store import Store, StoreError

    def fail(self: Any, *args: Any, **kwargs: Any) -> Any:
        raise StoreError(message)

    for name in names:
        monkeypatch.setattr(Store, name, fail)


def content_error(tmp_path: Any, text: str, name: str = "user.toml") -> tuple[str, Any]:
    """Load the shipped content with one extra file holding `text`: the one-line ContentError
    message (checked to be one line naming that file) and the file's path."""
    import pytest

    from neck_tui.content import ContentError, load_content

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(extra_dir=tmp_path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    return message, path
