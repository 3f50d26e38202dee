"""The resume offer at start-up: a session cut off by a dropped link is carried on or closed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

from neck_tui.dialogs.confirm import Confirm
from neck_tui.lifecycle import Saver, Session
from neck_tui.screens.home import HomeScreen
from neck_tui.store import Store
from neck_tui.terminal.session_lock import SessionLock
from tests.fakes import FakeClock, heat_checkpoint, wait_for
from tests.screen import MODES, shown, unreadable, words

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 10.0  # upper bound for anything a background thread or a child process must do

# --- resume at start-up -------------------------------------------------------------------------


async def test_resume_offer_accepted_carries_the_session_on_with_time_away_counted(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=300)
    clock.advance(450)  # away 7:30, pack still on: 20:00 - 5:00 - 7:30 = 7:30 left
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now), start="cold")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert "Resume Heat, round 1: 7:30 left?" in shown(app)
        await pilot.press("y")
        await pilot.pause()
        thermal = next(s for s in app.screen_stack if type(s).__name__ == "ThermalScreen")
        assert thermal.kind == "heat"  # not the cold the command line asked for
        assert app.session is not None and app.session.kind == "heat"
        assert "Welcome back: heat has 07:30 left" in shown(app)
        await pilot.press("o")  # skin OK
        await pilot.pause()
        assert "HEAT" in shown(app)
        assert "12 / 20 min" in shown(app)  # the session's progress: 12:30 of 20:00 done
        await pilot.press("ctrl+q", "y")  # quit asks; y quits and keeps the pack's session for resume
        await wait_for(pilot, lambda: not app.is_running)
    store = Store(accepted_store.data_dir)
    [record] = store.records()
    assert record.id == checkpoint["id"]
    assert record.started == checkpoint["started"]
    assert record.pain_before == 4
    assert record.completed is False and record.details["stopped"] == "quit"
    assert store.load().in_progress["id"] == record.id  # offered again at the next start


async def test_resume_offer_declined_closes_it_as_not_completed(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=90, pain=7)
    saved = checkpoint["saved"]
    clock.advance(60)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "Resume Heat, round 1: 17:30 left?" in shown(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.session is None
    store = Store(accepted_store.data_dir)
    assert store.load().in_progress is None
    [record] = store.records()
    assert record.id == checkpoint["id"]
    assert record.started == checkpoint["started"]
    assert record.ended == saved  # the last sign of life, not the moment of declining
    assert record.pain_before == 7
    assert record.completed is False
    assert record.details["stopped"] == "not resumed"
    assert record.details["regimen"] == "heat"
    assert record.details["phases"] == [{"kind": "heat", "round": 1, "seconds": 90.0, "planned": 1200.0}]


async def test_declining_then_opens_what_the_command_line_asked_for(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now), start="history")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_heat_that_ran_out_while_away_resumes_in_the_off_phase(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, rounds=2, ran=600)
    clock.advance(15 * 60)  # the heat would have ended 5 min ago: 25 min of 30 off left
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "Resume Off, round 1: 25:00 left?" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "OFF" in shown(app)
        assert app.session is not None


async def test_session_that_ended_while_away_is_offered_to_finish(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, ran=600)
    clock.advance(20 * 60)  # 10 min past the end of its 20 min: within the hour
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert "ended 10:00 ago while you were away" in shown(app)
        assert "Finish it" in shown(app)
        await pilot.press("y")
        await pilot.pause()
        assert "Pain after" in shown(app)
    [record] = Store(accepted_store.data_dir).records()
    assert record.completed is False and record.details["stopped"] == "interrupted"


async def test_too_old_session_is_closed_without_asking(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=120)
    clock.advance(18 * 60 + 3600 + 1)  # past its end (18 min to go) plus an hour
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: "ended over an hour ago: saved as not completed" in words(app))
    store = Store(accepted_store.data_dir)
    assert store.load().in_progress is None
    [record] = store.records()
    assert record.id == checkpoint["id"] and record.completed is False
    assert record.details["stopped"] == "too old to resume"


async def test_just_within_the_hour_is_still_offered(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, ran=120)
    clock.advance(18 * 60 + 3600 - 1)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, Confirm)


async def test_a_session_kind_that_cannot_resume_is_closed_with_a_notice(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    Session(Saver(accepted_store, print), "breathing", clock.now, pain_before=3, state=lambda: {"cycle": 2}).checkpoint()
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: "breathing session" in words(app) and "saved as not completed" in words(app))
    [record] = Store(accepted_store.data_dir).records()
    assert record.kind == "breathing" and record.pain_before == 3 and record.completed is False


@pytest.mark.parametrize(
    "garbage",
    [{"kind": "heat"}, {"id": "x", "kind": "heat", "started": "2026-11-25T09:00:00+00:00", "pain_before": 99}, {"phases": "x"}],
)
async def test_an_unreadable_checkpoint_is_cleared_with_a_warning(
    make_app: Callable[..., Any], accepted_store: Store, garbage: dict[str, Any]
) -> None:
    accepted_store.set_in_progress(garbage)
    app = make_app(store=Store(accepted_store.data_dir))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await wait_for(pilot, lambda: "An unfinished session could not be read; it was cleared." in words(app))
    assert Store(accepted_store.data_dir).load().in_progress is None
    assert Store(accepted_store.data_dir).records() == []


async def test_resume_offer_comes_after_the_first_run_notice(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(store, clock, content)
    app = make_app(store=Store(store.data_dir, now=clock.now), accepted=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "NoticeScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)


async def test_resume_offer_fits_the_smallest_size(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Resume Heat, round 1: 15:00 left?" in text
        assert "n: close it" in text
        for mode, minimum in MODES.items():
            assert unreadable(app, mode, minimum) == [], mode



async def test_a_session_running_in_another_neck_tui_is_not_offered(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content)
    running = SessionLock(accepted_store.data_dir)  # the neck-tui with the session, e.g. in a tmux pane
    running.acquire()
    other = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with other.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(other.screen, HomeScreen)
        await wait_for(pilot, lambda: "heat session" in words(other) and "running in another neck-tui" in words(other))
    assert Store(accepted_store.data_dir).load().in_progress == checkpoint
    assert Store(accepted_store.data_dir).records() == []
    running.release()  # that session ended, or its process died: the lock is free
    later = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with later.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        assert isinstance(later.screen, Confirm)


def test_session_lock_is_free_once_its_process_dies(tmp_path: Path) -> None:
    code = (  # a real holder process that the test kills: it waits in real time
        "import sys, time; from neck_tui.terminal.session_lock import SessionLock; "
        "SessionLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"  # real holder
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert SessionLock(tmp_path).held_elsewhere()
        holder.kill()  # like a kill -9 or a dropped link
        holder.wait(WAIT_S)
        assert not SessionLock(tmp_path).held_elsewhere()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
