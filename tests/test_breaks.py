"""Posture breaks on the fake clock: the interval, the minute updates, due, snooze, skip, guided, records."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from textual.widgets import Static

from neck_tui import alerts
from neck_tui.content import Content
from neck_tui.screens.breaks import BreaksScreen, minutes_shown, until_minute_changes
from neck_tui.screens.exercises import ExerciseRunner, HurtsScreen
from neck_tui.store import Record, Store
from tests.fakes import FakeClock


def status(app: Any) -> str:
    return str(app.screen.query_one("#break-status", Static).render())


def prompts(app: Any) -> Static:
    return app.screen.query_one("#break-prompts", Static)


def records(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds=["posture_break"])


@pytest.fixture
def alerted(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every alert (bell + desktop notice) the screen asks for."""
    calls: list[str] = []
    monkeypatch.setattr(alerts, "alert", lambda app, title, body="": calls.append(title))
    return calls


async def tick(pilot: Any, app: Any, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    app.screen.tick()
    await pilot.pause()


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
        # The next redraw is scheduled for the minute boundary, not sooner.
        assert app.screen._update is not None
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
        widget = app.screen.query_one("#break-status", Static)
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
        await pilot.press("k")
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
        await pilot.press("z", "k", "d")  # not due yet: these do nothing
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
        assert str(app.screen.query_one("#run-title", Static).render()) == guided.name
        for _ in range(200):
            if not isinstance(app.screen, ExerciseRunner):
                break
            await tick(pilot, app, clock, 1)
        assert isinstance(app.screen, BreaksScreen)
        assert status(app) == "Next break in 45 min"
        assert app.active_session is None
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
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HurtsScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BreaksScreen)
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
        assert "every 60 min" in str(app.screen.query_one("#break-hint", Static).render())
        await tick(pilot, app, clock, 50 * 60)
        assert alerted == ["Posture break"]
    assert records(store)[0].details["interval_min"] == 60
