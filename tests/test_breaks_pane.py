"""Posture breaks in a small pane, time away counted as a break, working hours, the skip cap (issue 16)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterator

import pytest
from textual.widgets import Static

from neck_tui import alerts
from neck_tui.break_rules import WorkingHours, WorkingHoursError
from neck_tui.screens.breaks import BreaksScreen
from neck_tui.store import Record, Store
from neck_tui.terminal.size import SizeNotice
from tests.fakes import FakeClock

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(alerts, "alert", lambda *a, **k: None)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(wall=MONDAY_10)


class Idle:
    """What the ttys say: seconds since the last key, set by the test."""

    def __init__(self) -> None:
        self.seconds: float | None = 0.0

    def __call__(self) -> float | None:
        return self.seconds


def text(app: Any, widget: str) -> str:
    return str(app.screen.query_one(widget, Static).render())


def saved(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds=["posture_break"])


async def open_breaks(pilot: Any, idle: Idle | None = None) -> BreaksScreen:
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, BreaksScreen)
    if idle is not None:
        screen.idle = idle
    return screen


def test_breaks_pane_20x1_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(start="breaks"), terminal_size=(20, 1))


def test_breaks_pane_40x3_due_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breaks")

    async def run_before(pilot: Any) -> None:
        await pilot.pause()
        clock.advance(45 * 60)
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(40, 3))


@pytest.mark.parametrize("size", [(20, 1), (40, 3), (30, 5)])
async def test_a_small_pane_is_one_line_with_the_keys_and_no_notice(make_app, clock, size) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=size) as pilot:
        await open_breaks(pilot)
        assert not app.screen.query(SizeNotice)
        assert text(app, "#break-line") == "Break in 45m · g now"
        assert app.screen.query_one("#break-line").region.height == 1
        clock.advance(45 * 60)
        app.screen.tick()
        await pilot.pause()
        assert text(app, "#break-line").startswith("Break now · d done · z snooze")
        prompts = app.screen.query_one("#break-prompts")
        assert prompts.display == (size[1] > 1) and prompts.region.height <= 1  # the first one, if there is room
        await pilot.press("z")
        await pilot.pause()
        assert text(app, "#break-line").startswith("Snoozed · break in 10m")


async def test_the_enlarge_notice_is_readable_at_10x5(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(10, 5)) as pilot:
        await pilot.pause()
        notice = app.screen.query_one(SizeNotice)
        shown = "".join(strip.text for strip in notice.render_lines(notice.region.reset_offset)).split()
        assert " ".join(shown) == "Enlarge to 40x15. Ctrl+Q quits."


async def test_time_away_is_a_break_taken_and_the_wait_restarts_from_the_return(
    make_app, clock: FakeClock, store: Store
) -> None:
    idle = Idle()
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot, idle)
        clock.advance(20 * 60)  # working, then gone for 12 minutes (no key on any tty)
        idle.seconds = 6 * 60
        screen.check_away()
        assert saved(store) == []  # still away: nothing yet
        clock.advance(6 * 60)
        idle.seconds = 12 * 60
        screen.check_away()
        clock.advance(60)
        idle.seconds = 60  # back a minute ago
        screen.check_away()
        await pilot.pause()
        [record] = saved(store)
        assert record.completed and record.details["action"] == "away" and record.details["away_min"] == 12
        assert record.ended - record.started == timedelta(minutes=12)
        assert text(app, "#break-status") == "Next break in 44 min"  # a full interval from the return


async def test_a_short_pause_is_not_a_break_and_a_due_break_closes_as_away(make_app, clock, store) -> None:
    idle = Idle()
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot, idle)
        idle.seconds = 4 * 60  # under the 5 minutes
        screen.check_away()
        idle.seconds = 10
        screen.check_away()
        clock.advance(45 * 60)
        screen.tick()
        assert screen.mode == "due"
        idle.seconds = 8 * 60
        screen.check_away()
        idle.seconds = 2
        screen.check_away()
        await pilot.pause()
        [record] = saved(store)
        assert record.details["action"] == "away" and record.completed and screen.mode == "waiting"


async def test_outside_working_hours_it_waits_quietly_for_the_start(make_app, clock, store) -> None:
    store.update_state(lambda s: setattr(s.settings, "working_hours", "mon-fri 08:00-09:30"))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        assert screen.mode == "off_hours"
        assert text(app, "#break-status") == "Outside working hours. Breaks from Tue 08:00."
        clock.advance(22 * 3600)  # Tuesday 08:00: the timer set for then fires
        screen.back_to_work()
        await pilot.pause()
        assert screen.mode == "waiting" and text(app, "#break-status") == "Next break in 45 min"


async def test_a_bad_working_hours_setting_is_one_line_and_reminders_ring(make_app, store) -> None:
    store.update_state(lambda s: setattr(s.settings, "working_hours", "weekdays 9-5"))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        assert screen.mode == "waiting"
        assert any("working_hours" in n.message for n in app._notifications)


async def test_skips_are_capped_per_day(make_app, clock, store) -> None:
    store.update_state(lambda s: setattr(s.settings, "break_skips_per_day", 1))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_breaks(pilot)
        for _ in range(2):
            clock.advance(45 * 60)
            screen.tick()
            await pilot.press("s")
            await pilot.pause()
        assert [r.details["action"] for r in saved(store)] == ["skipped"]
        assert screen.mode == "due" and "No skips left today" in list(app._notifications)[-1].message
        await pilot.press("d")
        await pilot.pause()
        assert [r.details["action"] for r in saved(store)] == ["skipped", "done"]


def test_working_hours_text() -> None:
    hours = WorkingHours.parse("Mon-Fri 09:00-17:30")
    assert hours is not None and hours.days == frozenset(range(5))
    assert hours.contains(MONDAY_10) and not hours.contains(MONDAY_10 + timedelta(days=5))
    assert hours.next_start(MONDAY_10 + timedelta(hours=8)) == datetime(2026, 11, 24, 9, 0).astimezone()
    assert WorkingHours.parse("sat-mon 10:00-12:00").days == frozenset({5, 6, 0})  # type: ignore[union-attr]
    assert WorkingHours.parse("") is None
    for bad in ("9-5", "mon-fri 17:00-09:00", "someday 09:00-10:00", "a b c"):
        with pytest.raises(WorkingHoursError, match="working_hours"):
            WorkingHours.parse(bad)
