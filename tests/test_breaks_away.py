"""Posture breaks on the session lifecycle (issue 16): time away read from the ttys, working hours,
the skip cap, the tip on the prompt, and `neck-tui status` showing the next break."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from neck_tui import status
from neck_tui.dialogs.confirm import Confirm
from neck_tui.events import SessionEvent
from neck_tui.idle import IdleReader
from neck_tui.screens.breaks import BreaksScreen
from neck_tui.screens.exercises import ExerciseRunner
from neck_tui.store import Record, Store
from tests.fakes import FakeClock, wait_for
from tests.screen import words
from tests.test_breaks_pane import MONDAY_10, open_breaks, saved, text, utc  # noqa: F401 (utc: autouse fixture)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(wall=MONDAY_10)  # a Monday, 10:00 UTC


def ttys(tmp_path: Path, clock: FakeClock) -> IdleReader:
    """The user's ttys, as neck_tui.idle reads them, in a directory the test owns."""
    pts = tmp_path / "pts"
    pts.mkdir()
    (pts / "0").touch()
    return IdleReader(os.getuid(), "me", utmp=str(tmp_path / "no-utmp"), pts_dir=str(pts),
                      wall=lambda: clock.now().timestamp())


def key_pressed(reader: IdleReader, clock: FakeClock, ago: float) -> None:
    """The last key on the user's tty was pressed `ago` seconds before now (its atime, as `w` reads it)."""
    at = clock.now().timestamp() - ago
    os.utime(Path(reader.pts_dir) / "0", (at, at))


def next_break(data_dir: Path, clock: FakeClock) -> str | None:
    """What `neck-tui status` says about the next break now."""
    return status.collect(str(data_dir), now=clock.now().timestamp())["break_in"]


async def due(pilot: Any, screen: BreaksScreen, clock: FakeClock, minutes: float = 45) -> None:
    clock.advance(minutes * 60)
    screen.tick()
    await pilot.pause()


async def test_away_from_every_tty_while_snoozed_closes_the_break_as_away(
    make_app, clock: FakeClock, store: Store, tmp_path: Path
) -> None:
    reader = ttys(tmp_path, clock)
    app = make_app(start="breaks")
    events: list[SessionEvent] = []
    app.events.subscribe(events.append)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        screen.idle = reader
        key_pressed(reader, clock, 0)
        await due(pilot, screen, clock)
        await pilot.press("z")
        await pilot.pause()
        clock.advance(8 * 60)  # no key anywhere since the snooze: gone
        key_pressed(reader, clock, 8 * 60)
        screen.check_away()
        assert saved(store) == [] and screen.mode == "snoozed"
        clock.advance(4 * 60 + 30)  # back 30 s ago, after 12 minutes away
        key_pressed(reader, clock, 30)
        screen.check_away()
        await pilot.pause()
        [record] = saved(store)
        assert record.completed and record.details["action"] == "away" and record.details["away_min"] == 12
        assert record.details["snoozed"] == 1
        assert record.started == MONDAY_10 + timedelta(minutes=45)  # when it came due
        assert record.ended == MONDAY_10 + timedelta(minutes=57)  # when they came back
        assert text(app, "#break-status") == "Next break in 45 min"  # a full interval from the return
        assert app.session is None
    names = [e.name for e in events]
    assert names.index("break_due") < names.index("break_taken") < names.index("session_end")


async def test_away_off_or_no_tty_readable_is_never_a_break(make_app, clock, store, tmp_path) -> None:
    store.update_state(lambda s: setattr(s.settings, "away_min", 0))
    reader = ttys(tmp_path, clock)
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        screen.idle = reader
        key_pressed(reader, clock, 3600)
        screen.check_away()
        key_pressed(reader, clock, 1)
        screen.check_away()
        store.update_state(lambda s: setattr(s.settings, "away_min", 5))
        screen.idle = IdleReader(os.getuid(), "me", utmp=str(tmp_path / "none"), pts_dir=str(tmp_path / "none"))
        screen.check_away()  # no tty at all: unknown, not idle
        await pilot.pause()
        assert saved(store) == [] and text(app, "#break-status") == "Next break in 45 min"


async def test_status_shows_the_next_break_while_waiting_snoozed_and_due_and_nothing_once_gone(
    make_app, clock: FakeClock, store: Store, data_dir: Path
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        assert next_break(data_dir, clock) == "45m"  # no session runs: the waiting screen says it
        clock.advance(10 * 60 + 1)
        assert next_break(data_dir, clock) == "35m"  # nothing was written meanwhile
        await due(pilot, screen, clock, 35)
        assert next_break(data_dir, clock) == "now"
        await pilot.press("z")
        await pilot.pause()
        assert Store(data_dir).load().in_progress["break_due_at"] == MONDAY_10 + timedelta(minutes=55, seconds=1)
        assert next_break(data_dir, clock) == "10m"  # from the break session's checkpoint
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: not any(isinstance(s, BreaksScreen) for s in app.screen_stack))
        assert next_break(data_dir, clock) is None
        [record] = saved(store)
        assert record.details["action"] == "missed"


async def test_a_snooze_past_the_end_of_working_hours_is_missed_and_the_pane_says_when_they_start(
    make_app, clock: FakeClock, store: Store, data_dir: Path
) -> None:
    store.update_state(lambda s: setattr(s.settings, "working_hours", "mon-fri 09:00-10:50"))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        await due(pilot, screen, clock)  # 10:45
        await pilot.press("z")
        await pilot.pause()
        await due(pilot, screen, clock, 10)  # 10:55: the snooze ends after the working day
        [record] = saved(store)
        assert not record.completed and record.details["action"] == "missed"
        assert record.details["stopped"] == "outside working hours" and record.details["snoozed"] == 1
        assert screen.mode == "off_hours" and app.session is None
        assert text(app, "#break-status") == "Outside working hours. Breaks from Tue 09:00."
        assert next_break(data_dir, clock) is None
        await pilot.press("g")  # a break can still be taken: it runs, and the pane waits on
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseRunner))


async def test_a_small_pane_says_when_working_hours_start(make_app, clock: FakeClock, store: Store) -> None:
    store.update_state(lambda s: setattr(s.settings, "working_hours", "10:30-17:00"))
    app = make_app(start="breaks")
    async with app.run_test(size=(20, 1)) as pilot:
        await open_breaks(pilot)
        assert text(app, "#break-line") == "Breaks from 10:30 · g now"


async def test_the_skip_cap_counts_only_todays_skips(make_app, clock: FakeClock, store: Store) -> None:
    yesterday = MONDAY_10 - timedelta(days=1)
    store.add_record(Record(kind="posture_break", started=yesterday, ended=yesterday, completed=False,
                            details={"action": "skipped", "snoozed": 0, "interval_min": 45}))
    store.update_state(lambda s: setattr(s.settings, "break_skips_per_day", 1))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await open_breaks(pilot)
        await due(pilot, screen, clock)
        await pilot.press("s")  # yesterday's skip does not count
        await pilot.pause()
        await due(pilot, screen, clock)
        await pilot.press("s")
        await pilot.pause()
        assert screen.mode == "due" and "No skips left today (1 a day" in words(app)
        await pilot.press("z")  # snoozing is still allowed
        await pilot.pause()
        assert screen.mode == "snoozed"
    assert [r.details["action"] for r in saved(store)] == ["skipped", "skipped", "missed"]


async def test_the_prompt_shows_one_tip_unless_tips_are_off(make_app, clock: FakeClock, store: Store) -> None:
    for tips in (True, False):
        store.update_state(lambda s, tips=tips: setattr(s.settings, "tips", tips))
        app = make_app(start="breaks")
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_breaks(pilot)
            await due(pilot, screen, clock)
            shown = text(app, "#break-prompts")
            assert shown.count("Tip: ") == (1 if tips else 0)
