"""Snapshot tests of key screens at 80x24 (pytest-textual-snapshot), on the fake clock."""

from __future__ import annotations

from typing import Any, Callable

from tests.fakes import FakeClock


def test_home_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_triage_red_flag_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # Tick an urgent flag (7: speaking or swallowing), go on, rate pain 6.
    assert snap_compare(make_app(start="triage"), press=["7", "enter", "6", "enter"], terminal_size=(80, 24))


def test_heat_running_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "s")  # start, skip the pain check
        await pilot.pause()
        clock.advance(65)  # 1:05 into the application, before the first skin check
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_breathing_pacer_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breathe")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "s")
        await pilot.pause()
        clock.advance(3 + 4 + 1.5)  # lead-in, one "in", 1.5 s into the hold
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def _start_heat(app: Any, clock: FakeClock, seconds: float, keys: tuple[str, ...] = ("enter", "s")) -> Any:
    """run_before for a heat session: start it (pain check skipped), then move the clock on."""

    async def run_before(pilot: Any) -> None:
        await pilot.press(*keys)
        await pilot.pause()
        clock.advance(seconds)
        app.screen.tick()
        await pilot.pause()

    return run_before


def test_skin_check_over_heat_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 2 * 60), terminal_size=(80, 24))


def test_heat_running_small_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 65), terminal_size=(40, 15))


def test_heat_done_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock, monkeypatch: Any
) -> None:
    import time

    monkeypatch.setenv("TZ", "UTC")  # "More heat from 09:50" is local time
    time.tzset()
    app = make_app(start="heat")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "5", "enter")  # start with pain 5 before
        await pilot.pause()
        heat = app.screen
        for seconds, key in ((2 * 60, "o"), (18 * 60, "3")):  # the skin check; the end, pain 3 after
            clock.advance(seconds)
            heat.tick()
            await pilot.pause()
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()

    try:
        assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
    finally:
        monkeypatch.undo()
        time.tzset()
