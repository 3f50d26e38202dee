"""The exercise plan, pure: phases, the guided run on a fake clock, what the runner shows, the record."""

from __future__ import annotations

from neck_tui.content import Content, Exercise, ExerciseStep
from neck_tui.plans import exercises as exercise_plan
from neck_tui.plans.exercises import (
    GuidedRun,
    back_target,
    choices,
    choose,
    plan_exercise,
    plan_exercises,
    record_details,
    view,
)
from tests.fakes import FakeClock

LEAD_IN = 3


def exercise(*steps: ExerciseStep, ident: str = "ex") -> Exercise:
    return Exercise(id=ident, name=ident.title(), summary="s", steps=list(steps))


# -- the plan ------------------------------------------------------------------------------


def test_a_timed_step_is_a_lead_in_then_holds_with_rests_between_reps() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=3, rest_seconds=4)), lead_in=LEAD_IN)
    assert [(p.kind, p.seconds, p.meta["rep"]) for p in phases] == [
        ("ready", LEAD_IN, 1),
        ("hold", 5, 1), ("rest", 4, 1),
        ("hold", 5, 2), ("rest", 4, 2),
        ("hold", 5, 3),
    ]


def test_a_step_without_hold_is_self_paced_and_has_no_lead_in() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", reps=2)), lead_in=LEAD_IN)
    assert [p.kind for p in phases] == ["self", "self"]
    assert exercise_plan.has_self_paced(phases)
    assert exercise_plan.timed_seconds(phases) == 0


def test_the_lead_in_comes_once_per_exercise_never_between_its_reps_or_steps() -> None:
    two_steps = exercise(ExerciseStep(text="a", hold_seconds=5, reps=2, rest_seconds=3),
                         ExerciseStep(text="b", hold_seconds=5, reps=2))
    phases = plan_exercises([two_steps, exercise(ExerciseStep(text="c", hold_seconds=5, reps=2), ident="y")],
                            lead_in=LEAD_IN)
    assert [(p.kind, p.meta["exercise"]) for p in phases if p.kind == "ready"] == [("ready", "ex"), ("ready", "y")]
    assert all(p.seconds == LEAD_IN for p in phases if p.kind == "ready")
    assert [p.kind for p in plan_exercise(two_steps, lead_in=0)][:2] == ["hold", "rest"]  # 0: no lead-in


def test_the_lead_in_waits_for_the_first_timed_rep() -> None:
    """A self-paced first step needs none (it waits for Enter); the timed step after it gets it."""
    phases = plan_exercise(exercise(ExerciseStep(text="a", reps=1), ExerciseStep(text="b", hold_seconds=5, reps=2)),
                           lead_in=LEAD_IN)
    assert [(p.kind, p.meta["step"]) for p in phases] == [("self", 1), ("ready", 2), ("hold", 2), ("hold", 2)]


def test_n_ends_the_lead_in_at_once(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2)), lead_in=LEAD_IN), clock)
    run.start()
    assert view(run.current(), paused=False).clock == f"Get ready: starts in {LEAD_IN} s (n: now)"
    run.next()
    now = run.current()
    assert (now.phase.kind, now.seconds_shown) == ("hold", 5)
    assert not run.done_reps  # the lead-in is no rep


def test_the_content_sets_a_three_second_lead_in(content: Content) -> None:
    assert content.exercise_info.lead_in_seconds == 3
    first = exercise_plan.choose(content, f"routine:{content.exercise_info.default_routine}").phases[0]
    assert (first.kind, first.seconds) == ("ready", 3)


def test_the_default_routine_is_the_four_exercises_in_order(content: Content) -> None:
    routine = content.routine(content.exercise_info.default_routine)
    assert routine.exercises == ["diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug"]
    phases = plan_exercises(exercise_plan.routine_exercises(content, routine.id), lead_in=LEAD_IN)
    assert [p.meta["number"] for p in phases][0] == 1 and phases[-1].meta["number"] == 4
    assert {p.meta["of"] for p in phases} == {4}
    # Every rep of every step is in the plan.
    reps = sum(s.reps for e in exercise_plan.routine_exercises(content, routine.id) for s in e.steps)
    assert sum(1 for p in phases if p.kind in exercise_plan.WORK) == reps


def test_back_from_a_rest_redoes_that_rep_and_from_a_rep_goes_to_the_one_before() -> None:
    phases = plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=3, rest_seconds=4)), lead_in=LEAD_IN)
    # 0 ready, 1 hold, 2 rest, 3 hold, 4 rest, 5 hold
    assert back_target(phases, 2) == 1
    assert back_target(phases, 3) == 1
    assert back_target(phases, 5) == 3
    assert back_target(phases, 1) == 0
    assert back_target(phases, 0) == 0


# -- the run on a fake clock -------------------------------------------------------------------


def test_holds_count_down_and_reps_count_up(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2, rest_seconds=3)), lead_in=LEAD_IN), clock)
    run.start()
    ready = LEAD_IN
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
            ],
            lead_in=LEAD_IN,
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
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2, rest_seconds=3)), lead_in=LEAD_IN), clock)
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
    run = GuidedRun(plan_exercise(exercise(ExerciseStep(text="t", hold_seconds=5, reps=2)), lead_in=LEAD_IN), clock)
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
            ],
            lead_in=LEAD_IN,
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


# -- what the chooser offers, what the runner shows, what the record says ---------------------


def test_choices_put_the_default_routine_first_then_each_exercise(content: Content) -> None:
    routines, singles = choices(content)
    assert routines[0].ident == f"routine:{content.exercise_info.default_routine}"
    assert [c.ident for c in singles] == [f"exercise:{e.id}" for e in content.exercises]
    daily = routines[0]
    assert daily.details == {"routine": "daily", "title": daily.title}
    assert daily.length.startswith("about ") and daily.length.endswith(" min")
    assert choose(content, "exercise:chin_tucks").details == {"title": "Chin tucks"}


def test_the_view_counts_reps_and_seconds(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercises([exercise(ExerciseStep(text="t", hold_seconds=5, reps=2, rest_seconds=3)),
                                    exercise(ExerciseStep(text="u", reps=1), ident="b")], lead_in=LEAD_IN), clock)
    run.start()
    first = view(run.current(), paused=False)
    assert (first.title, first.step, first.rep) == ("Ex   (exercise 1 of 2)", "t", "Rep 1 of 2")
    assert (first.word, first.seconds_left) == ("Get ready", LEAD_IN)
    run.next()
    clock.advance(5)
    rest = view(run.current(), paused=True)
    assert (rest.rep, rest.clock) == ("Rep 1 of 2 done", "Paused (rest: 3 s, then rep 2). Space to go on.")
    run.next()
    run.next()
    own = view(run.current(), paused=False)
    assert own.clock == "At your own pace: press Enter when done" and own.seconds_left is None


def test_record_details_stop_the_run_where_it_is(clock: FakeClock) -> None:
    run = GuidedRun(plan_exercises([exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="a"),
                                    exercise(ExerciseStep(text="t", hold_seconds=5, reps=2), ident="b")], lead_in=LEAD_IN), clock)
    run.start()
    assert record_details(run, None) == {"exercises": [
        {"id": "a", "reps_done": 0, "reps": 2, "result": "in_progress"},
        {"id": "b", "reps_done": 0, "reps": 2, "result": "not_started"}]}
    run.skip_exercise()
    details = record_details(run, "user")
    assert details["exercise"] == "b" and run.over
    assert [e["result"] for e in details["exercises"]] == ["skipped", "stopped"]
