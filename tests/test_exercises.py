"""Guided exercises: the runner's screens as the user acts (keys, what is shown, what is on disk).

The pure plan (phases, GuidedRun, view, record details) is tested in tests/test_exercise_plan.py.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.widgets import OptionList

from neck_tui import alerts
from neck_tui.content import Content, load_content
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck
from neck_tui.events import SessionEvent
from neck_tui.screens.exercises import ExerciseRunner, ExercisesScreen
from neck_tui.store import Record, Store
from tests.fakes import FakeClock, space_label_follows_pause, store_fails, wait_for


def shown(screen: Any, widget_id: str) -> str:
    return str(screen.query_one(f"#{widget_id}").render())


def toasts(app: Any) -> list[str]:
    """The notifications on screen now (the store's one-line messages)."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


def dialog_text(app: Any, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def records(store: Store, kind: str = "exercise") -> list[Record]:
    return Store(store.data_dir).records(kinds=[kind])


def option_index(app: Any, option_id: str) -> int:
    return app.screen.query_one(OptionList).get_option_index(option_id)


async def start_choice(pilot: Any, app: Any, choice: str | int, pain: str | None = "6") -> ExerciseRunner:
    """From the chooser: pick an option (by id or index), answer the pain check; the runner."""
    app.screen.query_one(OptionList).highlighted = option_index(app, choice) if isinstance(choice, str) else choice
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
    await pilot.press(*(pain or "s"))
    if pain is not None:
        await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ExerciseRunner))
    return app.screen


async def tick(pilot: Any, runner: ExerciseRunner, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    runner.tick()
    await pilot.pause()


async def run_out(pilot: Any, app: Any, runner: ExerciseRunner, clock: FakeClock) -> None:
    """Let the clock run a second at a time until the runner has ended."""
    for _ in range(600):
        if runner.session.ended:
            break
        await tick(pilot, runner, clock, 1)
    await pilot.pause()


async def test_chooser_lists_the_default_routine_first_and_highlighted(make_app: Callable[..., Any], content: Content) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        choices = app.screen.query_one(OptionList)
        assert choices.highlighted == 0
        first = choices.get_option_at_index(0)
        assert first.id == f"routine:{content.exercise_info.default_routine}"
        assert "Daily routine" in str(first.prompt) and "about" in str(first.prompt)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        for e in ("diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug"):
            assert f"exercise:{e}" in ids
        assert content.exercise_info.pain_cue in shown(app.screen, "ex-cue")


async def test_pain_before_is_prefilled_from_a_recent_triage(make_app: Callable[..., Any], store: Store, clock: FakeClock) -> None:
    now = clock.now()
    store.add_record(Record(kind="triage", started=now - timedelta(minutes=10), ended=now - timedelta(minutes=9), completed=True, pain_before=7))
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert "7" in shown(app.screen, "pain-scale")


async def test_runner_shows_step_rep_countdown_and_the_pain_cue(make_app: Callable[..., Any], clock: FakeClock, content: Content) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:chin_tucks")
        step = content.exercise("chin_tucks").steps[0]
        cue = content.exercise_info.pain_cue
        assert shown(runner, "run-title") == "Chin tucks"
        assert step.text in shown(runner, "run-step")
        assert shown(runner, "run-rep") == "Rep 1 of 10"
        assert shown(runner, "run-clock").startswith("Get ready")
        assert shown(runner, "run-cue") == cue
        await tick(pilot, runner, clock, content.exercise_info.lead_in_seconds)
        assert shown(runner, "run-clock") == "5 s left in this rep"
        await tick(pilot, runner, clock, 2)
        assert shown(runner, "run-clock") == "3 s left in this rep"
        await tick(pilot, runner, clock, 3)
        assert shown(runner, "run-rep") == "Rep 1 of 10 done"
        assert shown(runner, "run-clock") == "Rest: 3 s, then rep 2"
        await tick(pilot, runner, clock, 3)
        assert shown(runner, "run-rep") == "Rep 2 of 10"
        # Space pauses: time passing changes nothing; space again goes on.
        await pilot.press("space")
        await tick(pilot, runner, clock, 60)
        assert "Paused" in shown(runner, "run-clock") and "5 s left" in shown(runner, "run-clock")
        await pilot.press("space")
        await tick(pilot, runner, clock, 1)
        assert shown(runner, "run-clock") == "4 s left in this rep"
        # n moves on, ← goes back a rep.
        await pilot.press("n")
        assert shown(runner, "run-clock").startswith("Rest")
        await pilot.press("left")
        assert shown(runner, "run-rep") == "Rep 2 of 10"
        await pilot.press("left")
        assert shown(runner, "run-rep") == "Rep 1 of 10"
        assert shown(runner, "run-cue") == cue  # the cue never leaves


async def test_a_three_second_lead_in_before_each_exercise_none_between_reps_and_n_starts_at_once(
    make_app: Callable[..., Any], clock: FakeClock, content: Content
) -> None:
    lead = content.exercise_info.lead_in_seconds
    assert lead == 3
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "routine:daily", pain=None)
        assert shown(runner, "run-clock") == "Get ready: starts in 3 s (n: now)"
        await tick(pilot, runner, clock, lead)
        assert shown(runner, "run-clock") == "10 s left in this rep"
        for _ in range(5):  # the other reps of diaphragmatic breathing: straight on, no lead-in
            await tick(pilot, runner, clock, 10)
            assert not shown(runner, "run-clock").startswith("Get ready")
        await tick(pilot, runner, clock, 10)  # the last rep ends: the next exercise's lead-in
        assert shown(runner, "run-title").startswith("Head turns")
        assert shown(runner, "run-clock") == "Get ready: starts in 3 s (n: now)"
        await pilot.press("n")  # one key starts it at once
        assert (shown(runner, "run-rep"), shown(runner, "run-clock")) == ("Rep 1 of 5", "5 s left in this rep")
        await pilot.press("s")  # skip to chin tucks: its lead-in, then n
        assert shown(runner, "run-title").startswith("Chin tucks")
        await pilot.press("n")
        assert shown(runner, "run-clock") == "5 s left in this rep"


async def test_a_whole_exercise_runs_by_itself_rings_tells_the_session_and_saves_with_pain_after(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rings: list[int] = []
    monkeypatch.setattr(alerts, "bell", lambda app: rings.append(1) or True)
    app = make_app(start="exercises")
    events: list[SessionEvent] = []
    app.events.subscribe(events.append)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:shoulder_shrug", pain="5")
        assert app.session is runner.session
        await run_out(pilot, app, runner, clock)
        assert app.session is None
        # 1 lead-in + 5 holds + 4 rests ran out, then the end.
        assert len(rings) == 11
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert "finished" in dialog_text(app, ".dialog-title") and "Pain -/10" in shown(app.screen, "pain-scale")
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        assert "5 -> 3" in shown(app.screen, "ex-status") and "saved" in shown(app.screen, "ex-status")
    names = [e.name for e in events]
    assert names[0] == "session_begin" and names.count("phase_end") == 10 and names.count("session_end") == 1
    assert {e.phase for e in events if e.name == "tick"} >= {"Get ready", "Hold", "Rest"}
    [record] = records(store)
    assert record.completed and record.pain_before == 5 and record.pain_after == 3
    assert record.details["title"] == "5-second shrug"
    assert "routine" not in record.details and "stopped" not in record.details
    assert record.details["exercises"] == [{"id": "shoulder_shrug", "reps_done": 5, "reps": 5, "result": "done"}]


async def test_hurts_stops_at_once_says_what_to_do_then_asks_pain_after(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, content: Content
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, 0, pain="4")
        await tick(pilot, runner, clock, 40)  # into the breathing reps
        await pilot.press("s")  # on to head turns
        assert shown(runner, "run-title").startswith("Head turns")
        await pilot.press("exclamation_mark")  # no question: it stops now
        await wait_for(pilot, lambda: isinstance(app.screen, Advice))
        assert content.exercise_info.hurts_advice in dialog_text(app, ".dialog-body")
        assert app.session is None
        [record] = records(store)  # saved at once, before the advice is closed
        assert not record.completed and record.details["stopped"] == "pain"
        assert record.details["exercise"] == "head_turns" and record.details["routine"] == "daily"
        assert [e["result"] for e in record.details["exercises"]] == ["done", "stopped", "not_started", "not_started"]
        assert record.pain_before == 4
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert "Pain -/10" in shown(app.screen, "pain-scale")  # empty, never pre-filled with "before"
        await pilot.press("7", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        assert "hurt" in shown(app.screen, "ex-status")
    [record] = records(store)
    assert record.pain_after == 7


async def test_q_asks_before_stopping_then_asks_pain_after(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:chin_tucks", pain=None)
        await tick(pilot, runner, clock, 20)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        before = shown(runner, "run-clock")
        await tick(pilot, runner, clock, 1)  # the run goes on while it asks
        assert shown(runner, "run-clock") != before
        await pilot.press("n")  # keep going
        await wait_for(pilot, lambda: app.screen is runner)
        assert records(store) == [] and app.session is runner.session
        await pilot.press("q", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")  # skip the after-check
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        assert "stopped" in shown(app.screen, "ex-status")
    [record] = records(store)
    assert not record.completed and record.details["stopped"] == "user"
    assert record.pain_before is None and record.pain_after is None
    assert record.details["exercises"][0]["reps_done"] > 0


async def test_escape_asks_too(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        await start_choice(pilot, app, 0)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        assert records(store) == []
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
    [record] = records(store)
    assert record.details["stopped"] == "user"


async def test_keys_typed_ahead_of_the_runner(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        await pilot.press("enter", "6", "enter", "n", "exclamation_mark")  # typed before the runner is drawn
        await wait_for(pilot, lambda: isinstance(app.screen, Advice))
    [record] = records(store)
    assert record.details["stopped"] == "pain" and record.pain_before == 6


async def test_quitting_mid_exercise_asks_and_saves_it_as_not_completed(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, 0)
        await tick(pilot, runner, clock, 30)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await pilot.pause()
    [record] = records(store)
    assert not record.completed and record.details["stopped"] == "quit"
    assert record.details["exercises"][0]["result"] == "stopped"


async def test_routines_from_content_dir_with_a_self_paced_step(tmp_path: Path, store: Store, clock: FakeClock) -> None:
    from neck_tui.app import NeckApp

    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "pt.toml").write_text(
        """
[[exercises]]
id = "pt_walk"
name = "Walk the room"
summary = "From my physical therapist."

[[exercises.steps]]
text = "Walk slowly around the room."
reps = 2

[[routines]]
id = "pt"
name = "PT routine"
exercises = ["pt_walk", "shoulder_shrug"]
"""
    )
    content = load_content(extra_dir=extra)
    store.update_state(lambda s: setattr(s, "notice_accepted", True))
    app = NeckApp(content=content, store=store, start="exercises", clock=clock, now=clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        choices = app.screen.query_one(OptionList)
        assert choices.get_option_at_index(0).id == "routine:daily"
        assert choices.get_option_at_index(1).id == "routine:pt"
        assert "your own pace" in str(choices.get_option_at_index(1).prompt)
        runner = await start_choice(pilot, app, 1)
        assert "At your own pace" in shown(runner, "run-clock")
        assert runner.active_bindings["enter"].binding.description == "Done"
        await tick(pilot, runner, clock, 3600)
        assert shown(runner, "run-rep") == "Rep 1 of 2"  # it waits
        await pilot.press("enter")
        assert shown(runner, "run-rep") == "Rep 2 of 2"
        await pilot.press("enter")
        assert shown(runner, "run-title").startswith("5-second shrug")
        assert "enter" not in runner.active_bindings or not runner.active_bindings["enter"].enabled
        await pilot.press("q", "y", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
    [record] = records(store)
    assert record.details["routine"] == "pt"
    assert record.details["exercises"][0] == {"id": "pt_walk", "reps_done": 2, "reps": 2, "result": "done"}


async def test_finishing_under_the_help_screen_asks_pain_after_when_help_closes(
    make_app: Callable[..., Any], clock: FakeClock, store: Store
) -> None:
    from neck_tui.screens.help import HelpScreen

    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:shoulder_shrug")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await tick(pilot, runner, clock, 3600)
        assert isinstance(app.screen, HelpScreen)  # help stays until the user closes it
        assert len(records(store)) == 1 and records(store)[0].completed
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))


async def test_skipping_every_exercise_is_not_a_finished_session(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        await start_choice(pilot, app, "exercise:chin_tucks", pain=None)
        await pilot.press("s")  # skip the only exercise: no rep done
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        assert "skipped" in shown(app.screen, "ex-status") and "finished" not in shown(app.screen, "ex-status")
    [record] = records(store)
    assert not record.completed  # would count as a day of exercises towards the weekly goal
    assert record.details["stopped"] == "skipped"
    assert [e["result"] for e in record.details["exercises"]] == ["skipped"]


@pytest.mark.parametrize("exercise_id", ["shoulder_shrug", "diaphragmatic_breathing"])
async def test_at_40x15_the_rep_countdown_and_safety_keys_stay_on_screen(
    make_app: Callable[..., Any], clock: FakeClock, exercise_id: str
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(40, 15)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        screen = await start_choice(pilot, app, f"exercise:{exercise_id}", pain=None)
        await pilot.pause()
        for widget_id in ("run-rep", "run-clock"):
            region = screen.query_one(f"#{widget_id}").region
            assert region.height >= 1 and region.bottom <= screen.query_one("#run-cue").region.y, widget_id
        footer_keys = [k.key for k in screen.query("FooterKey") if k.region.right <= 40 and k.region.width > 0]
        assert {"space", "exclamation_mark", "q"} <= set(footer_keys)


async def test_footer_says_resume_while_paused(make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:chin_tucks")
        await space_label_follows_pause(pilot, lambda: "Paused" in shown(runner, "run-clock"))


# -- a store that fails: one line on screen, the run goes on, a later save retries --------------




async def test_a_store_failing_at_start_does_not_stop_the_run(
    make_app: Callable[..., Any], clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        store_fails(monkeypatch, "records", "set_in_progress")  # recent pain cannot be read, the checkpoint not written
        runner = await start_choice(pilot, app, "exercise:chin_tucks")
        await wait_for(pilot, lambda: any("disk full" in t for t in toasts(app)))
        assert any("Could not read recent pain" in t for t in toasts(app))
        assert any("goes on in memory" in t for t in toasts(app))
        await tick(pilot, runner, clock, 60)
        assert app.screen is runner and "Rep" in shown(runner, "run-rep")


async def test_a_store_failing_mid_run_and_at_the_end_keeps_going_and_saves_later(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:shoulder_shrug")
        store_fails(monkeypatch, "set_in_progress", "add_record", "update_record")
        await pilot.press("space")  # a pause is checkpointed: that write fails
        await wait_for(pilot, lambda: len(toasts(app)) == 1)
        assert "goes on in memory" in toasts(app)[0] and str(store.data_dir) in toasts(app)[0]
        await pilot.press("space")
        await run_out(pilot, app, runner, clock)  # the end's save fails too: no second line
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        assert "not saved yet" in shown(app.screen, "ex-status")
        assert records(store) == [] and len(toasts(app)) == 1
        monkeypatch.undo()
        runner = await start_choice(pilot, app, "exercise:chin_tucks")  # the next save writes both
        await wait_for(pilot, lambda: len(records(store)) == 1)
        assert any("Saved again" in t for t in toasts(app))
        await pilot.press("exclamation_mark", "enter", "s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
    first, second = records(store)
    assert first.completed and first.pain_after == 4 and first.details["title"] == "5-second shrug"
    assert second.details["stopped"] == "pain"


async def test_home_from_the_palette_does_not_go_past_a_running_run(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        runner = await start_choice(pilot, app, "exercise:chin_tucks")
        app.action_home()
        await pilot.pause()
        assert app.screen is runner and app.session is runner.session and records(store) == []
