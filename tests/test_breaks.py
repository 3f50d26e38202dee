"""Posture breaks on the fake clock: the interval, the minute updates, due, snooze, skip, guided, records."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from neck_tui import alerts
from neck_tui.content import Content
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck
from neck_tui.events import SessionEvent
from neck_tui.plans.breaks import Break, minutes_shown, until_minute_changes
from neck_tui.screens.breaks import BreaksScreen
from neck_tui.screens.exercises import ExerciseRunner
from neck_tui.store import Record, Store
from neck_tui.widgets.line import Line
from tests.fakes import FakeClock, store_fails, wait_for


def breaks(app: Any) -> BreaksScreen:
    return next(s for s in app.screen_stack if isinstance(s, BreaksScreen))


def status(app: Any) -> str:
    return str(breaks(app).query_one("#break-status").render())


def prompts(app: Any) -> Line:
    return breaks(app).query_one("#break-prompts", Line)


def records(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds=["posture_break"])


@pytest.fixture
def alerted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every alert (bell + desktop notice) the screen asks for."""
    calls: list[str] = []
    monkeypatch.setattr(alerts, "alert", lambda app, title, body="": calls.append(title))
    return calls


async def tick(pilot: Any, app: Any, clock: FakeClock, seconds: float) -> None:
    """Time passes: the screen on top (the break screen or the guided runner) reads the clock."""
    clock.advance(seconds)
    app.screen.tick()
    await pilot.pause()


async def until_due(pilot: Any, app: Any, clock: FakeClock) -> None:
    """Open on the break screen, then let the default 45 minutes pass: a break is due."""
    await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))
    await tick(pilot, app, clock, 45 * 60)


def toasts(app: Any) -> list[str]:
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def test_minutes_shown_round_up_and_change_exactly_at_the_minute() -> None:
    assert minutes_shown(45 * 60) == 45
    assert minutes_shown(44 * 60 + 0.5) == 45
    assert minutes_shown(44 * 60) == 44
    assert minutes_shown(0.2) == 1
    assert minutes_shown(0) == 0
    assert until_minute_changes(45 * 60) == pytest.approx(60)
    assert until_minute_changes(44 * 60 + 20.5) == pytest.approx(20.5)
    assert until_minute_changes(30) == pytest.approx(30)
    assert until_minute_changes(0) == 0
    r = 44 * 60 + 20.5
    assert minutes_shown(r - until_minute_changes(r)) == minutes_shown(r) - 1


async def test_the_default_interval_counts_down_once_a_minute_then_rings(
    make_app: Callable[..., Any], clock: FakeClock, content: Content, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BreaksScreen)
        assert status(app) == "Next break in 45 min"
        assert not prompts(app).display
        await tick(pilot, app, clock, 59)
        assert status(app) == "Next break in 45 min"
        await tick(pilot, app, clock, 1)
        assert status(app) == "Next break in 44 min"
        await tick(pilot, app, clock, 44 * 60 - 1)
        assert status(app) == "Next break in 1 min"
        assert alerted == []
        await tick(pilot, app, clock, 1)
        assert status(app) == "Break time."
        assert prompts(app).display
        for prompt in content.posture_breaks.prompts:
            assert prompt in str(prompts(app).render())
        assert alerted == ["Posture break"]
        # Waiting longer rings no more.
        await tick(pilot, app, clock, 3600)
        assert alerted == ["Posture break"]


async def test_nothing_is_redrawn_between_minute_updates(make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        widget = app.screen.query_one("#break-status", Line)
        updates: list[str] = []
        original = widget.update
        widget.update = lambda content="", **kw: (updates.append(str(content)), original(content, **kw))[1]  # type: ignore[method-assign]
        for _ in range(59):
            await tick(pilot, app, clock, 1)
        assert updates == []
        await tick(pilot, app, clock, 1)
        assert updates == ["Next break in 44 min"]


async def test_the_interval_comes_from_settings(make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]) -> None:
    store.update_state(lambda s: setattr(s.settings, "break_interval_min", 30))
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert status(app) == "Next break in 30 min"
        await tick(pilot, app, clock, 30 * 60 - 0.5)
        assert alerted == []
        await tick(pilot, app, clock, 0.5)
        assert alerted == ["Posture break"]


async def test_snooze_then_skip_is_one_record(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, content: Content, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, app, clock, 45 * 60)
        await pilot.press("z")
        await pilot.pause()
        snooze = content.posture_breaks.snooze_minutes
        assert status(app) == f"Snoozed. Next break in {snooze} min"
        assert not prompts(app).display
        assert records(store) == []
        await tick(pilot, app, clock, snooze * 60 - 1)
        assert len(alerted) == 1
        await tick(pilot, app, clock, 1)
        assert len(alerted) == 2 and status(app).startswith("Break time")
        await pilot.press("z")
        await tick(pilot, app, clock, snooze * 60)
        await pilot.press("s")
        await pilot.pause()
        assert status(app) == "Next break in 45 min"
    [record] = records(store)
    assert not record.completed
    assert record.details["action"] == "skipped"
    assert record.details["snoozed"] == 2
    assert record.details["interval_min"] == 45


async def test_took_my_break_is_a_completed_record_and_restarts_the_interval(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("z", "s", "d")  # not due yet: these do nothing
        await pilot.pause()
        assert records(store) == []
        await tick(pilot, app, clock, 45 * 60)
        await tick(pilot, app, clock, 5 * 60)  # the user comes back later
        await pilot.press("d")
        await pilot.pause()
        assert status(app) == "Next break in 45 min"
        await tick(pilot, app, clock, 45 * 60)
        assert len(alerted) == 2
    # The second break was still due when the app closed: kept as missed.
    record, second = records(store)
    assert record.completed and record.details["action"] == "done" and record.details["snoozed"] == 0
    assert (record.started - clock.wall0).total_seconds() == 45 * 60  # when it came due
    assert (record.ended - clock.wall0).total_seconds() == 50 * 60  # when the user said so
    assert not second.completed and second.details["action"] == "missed"


async def test_guided_break_runs_the_shrug_and_comes_back(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, content: Content, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, app, clock, 45 * 60)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExerciseRunner)
        guided = content.exercise(content.posture_breaks.guided_exercise)
        assert str(app.screen.query_one("#run-title").render()) == guided.name
        for _ in range(200):
            if not isinstance(app.screen, ExerciseRunner):
                break
            await tick(pilot, app, clock, 1)
        await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))  # no pain question after a break taken
        assert status(app) == "Next break in 45 min"
        assert app.session is None
    [record] = records(store)
    assert record.completed
    assert record.details["action"] == "guided"
    assert record.details["exercise"] == guided.id
    assert record.details["exercises"][0]["reps_done"] == guided.steps[0].reps


async def test_hurts_during_the_guided_break(make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("g")  # a break taken early
        await pilot.pause()
        await tick(pilot, app, clock, 12)
        await pilot.press("exclamation_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, Advice))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))  # a stopped session: pain after
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))
        assert status(app) == "Next break in 45 min"
    [record] = records(store)
    assert not record.completed
    assert record.details["stopped"] == "pain" and record.details["early"] is True


async def test_quitting_while_a_break_is_due_records_it_as_missed(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, app, clock, 45 * 60)
        await pilot.press("z")
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))  # a break is pending: it asks
        await pilot.press("y")
        await pilot.pause()
    [record] = records(store)
    assert not record.completed
    assert record.details["action"] == "missed" and record.details["stopped"] == "quit"
    assert record.details["snoozed"] == 1


async def test_leaving_while_waiting_records_nothing(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, app, clock, 600)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, BreaksScreen)
    assert records(store) == []


async def test_a_new_interval_from_settings_applies_to_the_wait_in_progress(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await tick(pilot, app, clock, 10 * 60)
        assert status(app) == "Next break in 35 min"
        app.action_open("settings")
        await pilot.pause()
        store.update_state(lambda s: setattr(s.settings, "break_interval_min", 60))
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, BreaksScreen)
        assert status(app) == "Next break in 50 min"
        assert "every 60 min" in str(app.screen.query_one("#break-hint").render())
        await tick(pilot, app, clock, 50 * 60)
        assert alerted == ["Posture break"]
    assert records(store)[0].details["interval_min"] == 60


def test_the_record_of_a_break_says_what_was_done() -> None:
    brk = Break(45)
    assert brk.details("quit") == {"interval_min": 45, "action": "missed", "snoozed": 0}
    brk.snoozed, brk.action = 2, "skipped"
    assert brk.details(None) == {"interval_min": 45, "action": "skipped", "snoozed": 2}
    assert Break(30, early=True).details(None)["early"] is True


async def test_escape_while_a_break_is_due_asks_then_saves_it_as_missed(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_due(pilot, app, clock)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("n")  # stay: still due
        await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))
        assert status(app) == "Break time." and records(store) == []
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: not any(isinstance(s, BreaksScreen) for s in app.screen_stack))
        assert app.session is None
    [record] = records(store)
    assert record.details["action"] == "missed" and record.details["stopped"] == "left"


async def test_q_in_the_guided_break_asks_and_a_stop_asks_pain_after(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    app = make_app(start="breaks")
    events: list[SessionEvent] = []
    app.events.subscribe(events.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await until_due(pilot, app, clock)
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseRunner))
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))
        assert status(app) == "Next break in 45 min"
    [record] = records(store)
    assert not record.completed and record.pain_after == 3
    assert record.details["action"] == "guided" and record.details["stopped"] == "user"
    names = [e.name for e in events]
    assert names.index("session_begin") < names.index("break_due") < names.index("break_taken") < names.index("session_end")


# -- a store that fails: one line on screen, the breaks go on, a later save retries --------------




async def test_a_store_failing_when_a_break_comes_due_and_mid_break(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, content: Content,
    alerted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BreaksScreen))
        store_fails(monkeypatch, "set_in_progress")
        await tick(pilot, app, clock, 45 * 60)  # its checkpoint at the start fails
        await wait_for(pilot, lambda: len(toasts(app)) == 1)
        assert "goes on in memory" in toasts(app)[0]
        assert status(app) == "Break time." and alerted == ["Posture break"]
        await pilot.press("z")  # the snooze's checkpoint fails too: no second line
        await pilot.pause()
        snooze = content.posture_breaks.snooze_minutes
        assert status(app) == f"Snoozed. Next break in {snooze} min" and len(toasts(app)) == 1
        await tick(pilot, app, clock, snooze * 60)
        assert status(app) == "Break time."
        monkeypatch.undo()
        await pilot.press("d")
        await wait_for(pilot, lambda: len(records(store)) == 1)
    [record] = records(store)
    assert record.completed and record.details["snoozed"] == 1


async def test_a_store_failing_at_the_end_of_a_break_saves_it_with_the_next(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until_due(pilot, app, clock)
        store_fails(monkeypatch, "add_record", "update_record", "set_in_progress")
        await pilot.press("d")
        await wait_for(pilot, lambda: len(toasts(app)) == 1)
        assert "Could not save the posture_break session" in toasts(app)[0]
        assert status(app) == "Next break in 45 min"  # the breaks go on
        monkeypatch.undo()
        await tick(pilot, app, clock, 45 * 60)
        await pilot.press("s")
        await wait_for(pilot, lambda: len(records(store)) == 2)
        assert any("Saved again" in t for t in toasts(app))
    done, skipped = records(store)
    assert done.completed and done.details["action"] == "done"
    assert not skipped.completed and skipped.details["action"] == "skipped"


async def test_a_break_cut_off_by_a_kill_would_be_saved_as_missed_from_its_checkpoint(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, alerted: list[str]
) -> None:
    from neck_tui.resume import record_from_checkpoint

    app = make_app(start="breaks")
    async with app.run_test(size=(80, 24)) as pilot:
        await until_due(pilot, app, clock)
        await pilot.press("z")
        await pilot.pause()
        checkpoint = Store(store.data_dir).load().in_progress  # what a kill -9 would leave
    assert checkpoint is not None and checkpoint["kind"] == "posture_break"
    record = record_from_checkpoint(checkpoint, "could not be resumed", clock.now())
    assert record is not None and not record.completed
    assert record.details["action"] == "missed" and record.details["snoozed"] == 1
