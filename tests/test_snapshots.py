"""Snapshot tests of key screens at 80x24 and 40x15 (pytest-textual-snapshot), on the fake clock."""

from __future__ import annotations

from typing import Any, Callable

from tests.fakes import FakeClock


def test_home_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_triage_red_flag_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # Tick an urgent flag (7: speaking or swallowing) and go on: urgent care at once, no pain rating.
    assert snap_compare(make_app(start="triage"), press=["7", "enter"], terminal_size=(80, 24))


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


def test_triage_list_40x15_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # All nine flags in short form, urgent ones marked "!", flag 6 ticked and its full text below.
    assert snap_compare(make_app(start="triage"), press=["6"], terminal_size=(40, 15))


def test_triage_red_flag_40x15_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # Flags 6 (dizziness) and 9 (fever/weight loss): urgent care first, then flag 9's parts.
    assert snap_compare(make_app(start="triage"), press=["6", "9", "enter"], terminal_size=(40, 15))
