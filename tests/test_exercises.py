"""Guided exercises: the plan, the run (holds, reps, rests, back, next), the screens, the records."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.widgets import OptionList, Static

from neck_tui import alerts, exercise_plan
from neck_tui.content import Content, Exercise, ExerciseStep, load_content
from neck_tui.dialogs.pain import PainCheck
from neck_tui.exercise_plan import (
    GuidedRun,
    back_target,
    plan_exercise,
    plan_exercises,
    ready_seconds,
)
from neck_tui.screens.exercises import ExerciseRunner, ExercisesScreen, HurtsScreen
from neck_tui.store import Record, Store
from tests.fakes import FakeClock, space_label_follows_pause


def shown(app: Any, widget_id: str) -> str:
    return str(app.screen.query_one(f"#{widget_id}", Static).render())


def exercise(*steps: ExerciseStep, ident: str = "ex") -> Exercise:
    return Exercise(id=ident, name=ident.title(), summary="s", steps=list(steps))


# -- the plan --------------------------------------------------------------------------------


def test_a_timed_step_is_a_lead_in_then_holds_with_rests_between_reps() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=3, rest_seconds=4)))
    assert [(p.kind, p.seconds, p.meta["rep"]) for p in phases] == [
        ("ready", ready_seconds("t"), 1),
        ("hold", 5, 1), ("rest", 4, 1),
        ("hold", 5, 2), ("rest", 4, 2),
        ("hold", 5, 3),
    ]


def test_a_step_without_hold_is_self_paced_and_has_no_lead_in() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", reps=2)))
    assert [p.kind for p in phases] == ["self", "self"]
    assert exercise_plan.has_self_paced(phases)
    assert exercise_plan.timed_seconds(phases) == 0


def test_lead_in_gives_time_to_read_within_bounds() -> None:
    assert ready_seconds("short") == exercise_plan.READY_MIN_S
    assert ready_seconds("word " * 24) == 8
    assert ready_seconds("word " * 200) == exercise_plan.READY_MAX_S


def test_the_default_routine_is_the_four_exercises_in_order(content: Content) -> None:
    routine = content.routine(content.exercise_info.default_routine)
    assert routine.exercises == ["diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug"]
    phases = plan_exercises(exercise_plan.routine_exercises(content, routine.id))
    assert [p.meta["number"] for p in phases][0] == 1 and phases[-1].meta["number"] == 4
    assert {p.meta["of"] for p in phases} == {4}
    # Every rep of every step is in the plan.
    reps = sum(s.reps for e in exercise_plan.routine_exercises(content, routine.id) for s in e.steps)
    assert sum(1 for p in phases if p.kind in exercise_plan.WORK) == reps


def test_back_from_a_rest_redoes_that_rep_and_from_a_rep_goes_to_the_one_before() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=3, rest_seconds=4)))
    # 0 ready, 1 hold, 2 rest, 3 hold, 4 rest, 5 hold
    assert back_target(phases, 2) == 1
    assert back_target(phases, 3) == 1
    assert back_target(phases, 5) == 3
    assert back_target(phases, 1) == 0
    assert back_target(phases, 0) == 0


# -- the run on a fake clock -------------------------------------------------------------------


def test_holds_count_down_and_reps_count_up(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2, rest_seconds=3))), clock)
    run.start()
    ready = ready_seconds("t")
    clock.advance(ready)
    now = run.current()
    assert (now.phase.kind, now.phase.meta["rep"], now.seconds_shown) == ("hold", 1, 5)
    clock.advance(1.5)
    assert run.current().seconds_shown == 4
    clock.advance(3.5)
    assert (run.current().phase.kind, run.current().seconds_shown) == ("rest", 3)
    clock.advance(3)
    assert (run.current().phase.kind, run.current().phase.meta["rep"]) == ("hold", 2)
    clock.advance(5)
    assert run.finished
    assert run.progress() == [{"id": "ex", "reps_done": 2, "reps": 2, "result": "done"}]


def test_a_hold_cut_short_does_not_count_but_a_self_paced_rep_ended_by_enter_does(clock: FakeClock) -> None:
    run = GuidedRun(
        plan_exercises(
            [
                exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="a"),
                exercise(ExerciseStep(text="t", reps=2), ident="b"),
            ]
        ),
        clock,
    )
    run.start()
    run.next()  # the lead-in
    clock.advance(5)  # rep 1 held to the end
    run.next()  # rep 2 cut short
    assert run.current().self_paced
    assert run.next_change() is None  # nothing to redraw until the user acts
    clock.advance(600)
    assert not run.over  # a self-paced rep waits as long as it takes
    run.next()
    run.next()
    assert run.finished
    assert run.progress() == [
        {"id": "a", "reps_done": 1, "reps": 2, "result": "done"},
        {"id": "b", "reps_done": 2, "reps": 2, "result": "done"},
    ]


def test_back_restarts_the_rep_and_counts_it_once(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2, rest_seconds=3))), clock)
    run.start()
    run.next()
    clock.advance(5)
    assert run.current().phase.kind == "rest"
    run.back()
    now = run.current()
    assert (now.phase.kind, now.phase.meta["rep"], now.seconds_shown) == ("hold", 1, 5)
    events = run.poll()
    assert ("started", 1, run.phases[1]) in events
    clock.advance(5 + 3 + 5)
    assert run.finished
    assert run.progress()[0]["reps_done"] == 2


def test_back_keeps_a_pause(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2))), clock)
    run.start()
    run.next()
    clock.advance(6)  # into rep 2
    run.toggle_pause()
    run.back()
    assert run.paused
    clock.advance(100)
    assert run.current().seconds_shown == 5


def test_skip_exercise_and_stop_show_in_progress(clock: FakeClock) -> None:
    run = GuidedRun(
        plan_exercises(
            [
                exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="a"),
                exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="b"),
                exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="c"),
            ]
        ),
        clock,
    )
    run.start()
    run.skip_exercise()
    assert run.current().phase.meta["exercise"] == "b"
    run.next()
    clock.advance(5)
    run.stop()
    assert run.over and not run.finished
    assert [(e["id"], e["reps_done"], e["result"]) for e in run.progress()] == [
        ("a", 0, "skipped"),
        ("b", 1, "stopped"),
        ("c", 0, "not_started"),
    ]


# -- the screens -------------------------------------------------------------------------------


def records(store: Store, kind: str = "exercise") -> list[Record]:
    return Store(store.data_dir).records(kinds=[kind])


async def start_choice(pilot: Any, app: Any, index: int, pain: str | None = "6") -> None:
    """From the chooser: pick the option at index, answer the pain check."""
    choices = app.screen.query_one(OptionList)
    choices.highlighted = index
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, PainCheck)
    if pain is not None:
        await pilot.press(*pain)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ExerciseRunner)


def option_index(app: Any, option_id: str) -> int:
    choices = app.screen.query_one(OptionList)
    return choices.get_option_index(option_id)


async def tick(pilot: Any, app: Any, clock: FakeClock, seconds: float) -> None:
    clock.advance(seconds)
    app.screen.tick()
    await pilot.pause()


async def test_chooser_lists_the_default_routine_first_and_highlighted(make_app: Callable[..., Any], content: Content) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)
        choices = app.screen.query_one(OptionList)
        assert choices.highlighted == 0
        first = choices.get_option_at_index(0)
        assert first.id == f"routine:{content.exercise_info.default_routine}"
        assert "Daily routine" in str(first.prompt)
        ids = [choices.get_option_at_index(i).id for i in range(choices.option_count)]
        for e in ("diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug"):
            assert f"exercise:{e}" in ids
        assert content.exercise_info.pain_cue in shown(app, "ex-cue")


async def test_pain_before_is_prefilled_from_a_recent_triage(make_app: Callable[..., Any], store: Store, clock: FakeClock) -> None:
    now = clock.now()
    store.add_record(Record(kind="triage", started=now - timedelta(minutes=10), ended=now - timedelta(minutes=9), completed=True, pain_before=7))
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
        assert app.screen.initial == 7


async def test_runner_shows_step_rep_countdown_and_the_pain_cue(make_app: Callable[..., Any], clock: FakeClock, content: Content) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:chin_tucks"))
        tucks = content.exercise("chin_tucks")
        step = tucks.steps[0]
        cue = content.exercise_info.pain_cue
        assert shown(app, "run-title") == "Chin tucks"
        assert step.text in shown(app, "run-step")
        assert shown(app, "run-rep") == "Rep 1 of 10"
        assert shown(app, "run-clock").startswith("Get ready")
        assert shown(app, "run-cue") == cue
        await tick(pilot, app, clock, ready_seconds(step.text))
        assert shown(app, "run-clock") == "5 s left in this rep"
        await tick(pilot, app, clock, 2)
        assert shown(app, "run-clock") == "3 s left in this rep"
        await tick(pilot, app, clock, 3)
        assert shown(app, "run-rep") == "Rep 1 of 10 done"
        assert shown(app, "run-clock") == "Rest: 3 s, then rep 2"
        await tick(pilot, app, clock, 3)
        assert shown(app, "run-rep") == "Rep 2 of 10"
        # Space pauses: time passing changes nothing; space again goes on.
        await pilot.press("space")
        await tick(pilot, app, clock, 60)
        assert "Paused" in shown(app, "run-clock") and "5 s left" in shown(app, "run-clock")
        await pilot.press("space")
        await tick(pilot, app, clock, 1)
        assert shown(app, "run-clock") == "4 s left in this rep"
        # n moves on, b goes back a rep.
        await pilot.press("n")
        assert shown(app, "run-clock").startswith("Rest")
        await pilot.press("b")
        assert shown(app, "run-rep") == "Rep 2 of 10"
        await pilot.press("b")
        assert shown(app, "run-rep") == "Rep 1 of 10"
        assert shown(app, "run-cue") == cue  # the cue never leaves


async def test_a_whole_exercise_runs_by_itself_rings_and_saves_with_pain_after(
    make_app: Callable[..., Any], clock: FakeClock, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    rings: list[int] = []
    monkeypatch.setattr(alerts, "bell", lambda app: rings.append(1) or True)
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:shoulder_shrug"), pain="5")
        runner = app.screen
        assert app.active_session is not None
        for _ in range(200):
            if not isinstance(app.screen, ExerciseRunner):
                break
            await tick(pilot, app, clock, 1)
        assert runner.outcome is not None and runner.outcome.completed
        assert app.active_session is None
        # 1 lead-in + 5 holds + 4 rests ran out, then the end.
        assert len(rings) == 11
        assert isinstance(app.screen, PainCheck)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)
        assert "5 -> 3" in shown(app, "ex-status")
    [record] = records(store)
    assert record.completed and record.pain_before == 5 and record.pain_after == 3
    assert record.details["title"] == "5-second shrug"
    assert "routine" not in record.details
    assert record.details["exercises"] == [{"id": "shoulder_shrug", "reps_done": 5, "reps": 5, "result": "done"}]


async def test_hurts_stops_records_and_says_what_to_do(make_app: Callable[..., Any], clock: FakeClock, store: Store, content: Content) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, 0, pain="4")
        await tick(pilot, app, clock, 40)  # into the breathing reps
        await pilot.press("s")  # on to head turns
        assert shown(app, "run-title").startswith("Head turns")
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HurtsScreen)
        assert content.exercise_info.hurts_advice in str(app.screen.query_one("#hurts-advice", Static).render())
        assert app.active_session is None
        [record] = records(store)  # saved at once, before the advice is closed
        assert not record.completed
        assert record.details["stopped"] == "pain"
        assert record.details["exercise"] == "head_turns"
        assert record.details["routine"] == "daily"
        assert [e["result"] for e in record.details["exercises"]] == ["done", "stopped", "not_started", "not_started"]
        assert record.pain_before == 4
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)  # no after-check while it hurts
        assert "hurt" in shown(app, "ex-status")
    assert len(records(store)) == 1


async def test_q_stops_and_still_asks_pain_after(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:chin_tucks"), pain=None)
        await tick(pilot, app, clock, 20)
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
        await pilot.press("s")  # skip the after-check
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)
    [record] = records(store)
    assert not record.completed and record.details["stopped"] == "user"
    assert record.pain_before is None and record.pain_after is None
    assert record.details["exercises"][0]["reps_done"] > 0


async def test_quitting_mid_exercise_saves_it_as_not_completed(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, 0)
        await tick(pilot, app, clock, 30)
        await pilot.press("ctrl+q")
        await pilot.pause()
    [record] = records(store)
    assert not record.completed and record.details["stopped"] == "quit"
    assert record.details["exercises"][0]["result"] == "stopped"


async def test_escape_in_the_runner_stops_and_saves(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, 0)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
    [record] = records(store)
    assert record.details["stopped"] == "user"


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
        await pilot.pause()
        choices = app.screen.query_one(OptionList)
        assert choices.get_option_at_index(0).id == "routine:daily"
        assert choices.get_option_at_index(1).id == "routine:pt"
        assert "your own pace" in str(choices.get_option_at_index(1).prompt)
        await start_choice(pilot, app, 1)
        assert "At your own pace" in shown(app, "run-clock")
        assert app.screen.active_bindings["enter"].binding.description == "Done"
        await tick(pilot, app, clock, 3600)
        assert shown(app, "run-rep") == "Rep 1 of 2"  # it waits
        await pilot.press("enter")
        assert shown(app, "run-rep") == "Rep 2 of 2"
        await pilot.press("enter")
        assert shown(app, "run-title").startswith("5-second shrug")
        assert "enter" not in app.screen.active_bindings or not app.screen.active_bindings["enter"].enabled
        await pilot.press("q", "s")
        await pilot.pause()
    [record] = records(store)
    assert record.details["routine"] == "pt"
    assert record.details["exercises"][0] == {"id": "pt_walk", "reps_done": 2, "reps": 2, "result": "done"}


async def test_finishing_under_the_help_screen_leaves_when_help_closes(make_app: Callable[..., Any], clock: FakeClock, store: Store) -> None:
    from neck_tui.screens.help import HelpScreen

    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:shoulder_shrug"))
        runner = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        clock.advance(3600)
        runner.tick()
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)  # help stays until the user closes it
        assert len(records(store)) == 1 and records(store)[0].completed
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)  # the after-check, over the chooser


async def test_skipping_every_exercise_is_not_a_finished_session(
    make_app: Callable[..., Any], clock: FakeClock, store: Store
) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:chin_tucks"), pain=None)
        await pilot.press("s")  # skip the only exercise: no rep done
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ExercisesScreen)
        assert "skipped" in shown(app, "ex-status") and "finished" not in shown(app, "ex-status")
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
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, f"exercise:{exercise_id}"), pain=None)
        await pilot.pause()
        screen = app.screen
        for widget_id in ("run-rep", "run-clock"):
            widget = screen.query_one(f"#{widget_id}")
            region = widget.region
            assert region.height >= 1 and region.bottom <= screen.query_one("#run-cue").region.y, widget_id
        footer_keys = [k.key for k in screen.query("FooterKey") if k.region.right <= 40 and k.region.width > 0]
        assert {"space", "h", "q"} <= set(footer_keys)


async def test_footer_says_resume_while_paused(make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="exercises")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await start_choice(pilot, app, option_index(app, "exercise:chin_tucks"))
        await space_label_follows_pause(pilot, lambda: app.screen.run.paused)
