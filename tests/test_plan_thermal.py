"""The heat / cold / contrast plan without a screen: the phases, the hold at an application's
start, skin checks that follow the phase, the record's details, checkpoints and resume."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from neck_tui import resume
from neck_tui.content import Content
from neck_tui.engine import Finished, PhaseStarted, PhaseTimer
from neck_tui.lifecycle import Saver, Session
from neck_tui.plans.thermal import ThermalRun, next_round_phases, session_phases
from neck_tui.store import Store
from tests.fakes import FakeClock

MIN = 60.0


def new_run(content: Content, clock: FakeClock, kind: str = "heat", rounds: int | None = 1,
            minutes: dict[int, float] | None = None) -> ThermalRun:
    return ThermalRun.start(content.regimen_for(kind), rounds, minutes or {}, clock, clock.now)


def checkpoint(store: Store, clock: FakeClock, run: ThermalRun, pain_before: int | None = 3) -> dict[str, Any]:
    """Checkpoint `run` through the lifecycle, and read it back through TOML as a new process would."""
    session = Session(Saver(store, lambda line: None), run.regimen.kind, clock.now, pain_before=pain_before,
                      resumable=True, state=run.state, describe=run.details)
    session.checkpoint()
    state = Store(store.data_dir, now=clock.now).load().in_progress
    assert state is not None and state["id"] == session.id
    return state


def run_whole(timer: PhaseTimer, clock: FakeClock, step: float = 0.25) -> list[tuple[int, float, list[int]]]:
    """Drive a timer to its end (answering every hold at once); per phase: (index, clock at its
    start, the whole seconds the countdown showed, in order, each once)."""
    timer.start()
    out: list[tuple[int, float, list[int]]] = []
    for event in timer.poll():
        if isinstance(event, PhaseStarted):
            out.append((event.index, clock(), []))
    while True:
        if timer.held:
            timer.resume()
        snap = timer.snapshot()
        if snap.done:
            break
        shown = out[-1][2]
        if not shown or shown[-1] != snap.seconds_shown:
            shown.append(snap.seconds_shown)
        clock.advance(step)
        for event in timer.poll():
            if isinstance(event, PhaseStarted):
                out.append((event.index, clock(), []))
    return out


# --- the phases ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind, rounds, kinds, minutes, holds",
    [
        ("heat", 2, ["heat", "off", "heat"], [20, 30, 20], [False, False, True]),
        ("cold", 2, ["cold", "off", "cold"], [10, 20, 10], [False, False, True]),
        ("contrast", 1, ["heat", "cold", "heat"], [5, 5, 5], [False, True, True]),
    ],
)
def test_each_whole_regimen_runs_on_the_engine_without_drift(
    content: Content, clock: FakeClock, kind: str, rounds: int, kinds: list[str], minutes: list[int],
    holds: list[bool],
) -> None:
    phases = session_phases(content.regimen_for(kind), rounds)
    assert [p.kind for p in phases] == kinds
    assert [p.seconds / MIN for p in phases] == minutes
    assert [p.hold for p in phases] == holds  # every application but the first waits for its check
    timer = PhaseTimer(phases, clock=clock)
    t0 = clock()
    seen = run_whole(timer, clock)
    assert [i for i, _, _ in seen] == list(range(len(phases)))
    for (i, _, shown), m in zip(seen, minutes):
        assert shown == list(range(int(m * MIN), 0, -1)), f"phase {i}"
    starts = [at - t0 for _, at, _ in seen]
    assert starts == [sum(minutes[:i]) * MIN for i in range(len(minutes))]
    assert timer.snapshot().total_elapsed == pytest.approx(sum(minutes) * MIN)


def test_twenty_minutes_read_late_and_irregularly_is_off_by_under_100ms(content: Content, clock: FakeClock) -> None:
    timer = PhaseTimer(session_phases(content.regimen_for("heat"), 1), clock=clock)
    timer.start()
    elapsed, steps, i = 0.0, [0.26, 0.31, 0.49, 1.7, 0.25], 0
    while elapsed + steps[i % len(steps)] < 20 * MIN - 0.05:
        clock.advance(steps[i % len(steps)])
        elapsed += steps[i % len(steps)]
        assert abs(timer.snapshot().remaining - (20 * MIN - elapsed)) < 0.1
        i += 1
    clock.advance(20 * MIN - elapsed + 0.01)
    assert timer.snapshot().done
    assert [type(e) for e in timer.poll()][-1] is Finished


def test_application_may_be_shortened_but_never_past_the_content_maximum(content: Content) -> None:
    heat, cold = content.regimen_for("heat"), content.regimen_for("cold")
    assert [p.seconds for p in session_phases(heat, 1, {0: 45})] == [20 * MIN]
    shorter = session_phases(heat, 1, {0: 12})
    assert shorter[0].seconds == 12 * MIN and shorter[0].max_seconds == 20 * MIN
    assert session_phases(cold, 2)[1].seconds == 20 * MIN
    assert session_phases(cold, 2, {1: 45})[1].seconds == 30 * MIN
    assert session_phases(cold, 2, {1: 5})[1].seconds == 15 * MIN
    off = session_phases(heat, 2)[1]
    assert (off.min_seconds, off.seconds, off.max_seconds) == (30 * MIN, 30 * MIN, 30 * MIN)


def test_rounds_until_stopped_and_another_cycle(content: Content, clock: FakeClock) -> None:
    heat, contrast = content.regimen_for("heat"), content.regimen_for("contrast")
    assert [p.meta["round"] for p in session_phases(heat, None)] == [1, 1, 2, 2]
    timer = PhaseTimer(session_phases(contrast, 1), clock=clock)
    assert [(p.kind, p.meta["round"], p.hold) for p in next_round_phases(contrast, timer)] == [
        ("heat", 2, True), ("cold", 2, True), ("heat", 2, True)
    ]
    timer = PhaseTimer(session_phases(heat, 1), clock=clock)
    assert [(p.kind, p.meta["round"]) for p in next_round_phases(heat, timer)] == [("off", 1), ("heat", 2)]


# --- the hold and the skin checks ----------------------------------------------------------------


def test_an_application_waits_at_its_start_however_late_the_timer_is_read(content: Content, clock: FakeClock) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(20 * MIN + 30 * MIN + 7 * MIN)  # read 7 minutes after the rest ended
    snap = run.timer.snapshot()
    assert snap.index == 2 and run.timer.held and snap.remaining == 20 * MIN and snap.paused
    assert run.word(snap) == "HEAT · WAITING" and "starts when you answer" in run.status_text(snap)
    check = run.due_check(snap)
    assert check is not None and (check.when, check.kind, check.round) == ("before", "heat", 2)
    run.ask(check)
    clock.advance(MIN)
    assert run.timer.snapshot().remaining == 20 * MIN  # still waiting
    run.answer("ok")
    clock.advance(1)
    assert not run.timer.held and run.timer.snapshot().remaining == 20 * MIN - 1


def test_a_check_left_waiting_is_closed_with_its_phase_when_that_phase_ends(content: Content, clock: FakeClock) -> None:
    """Contrast: the during-check of the heat, unanswered, is closed when the heat ends; the
    cold's own before-check comes next, for the cold."""
    run = new_run(content, clock, "contrast")
    clock.advance(2 * MIN)
    during = run.due_check(run.timer.snapshot())
    assert during is not None and (during.when, during.kind, during.index) == ("during", "heat", 0)
    run.ask(during)
    clock.advance(3 * MIN)
    run.timer.poll()
    assert run.pending_is_stale()
    run.close_pending()
    [closed] = run.skin_checks
    assert (closed["answer"], closed["phase"], closed["when"]) == ("unanswered", "heat", "during")
    assert closed["asked"] == clock.now() - timedelta(minutes=3) and closed["at"] == clock.now()
    before = run.due_check(run.timer.snapshot())
    assert before is not None and (before.when, before.kind, before.index) == ("before", "cold", 1)
    assert before.context == "Before the cold goes on (round 1)."


def test_a_problem_ends_nothing_by_itself_but_is_kept(content: Content, clock: FakeClock) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(50 * MIN)
    run.ask(run.due_check(run.timer.snapshot()))  # type: ignore[arg-type]
    run.answer("problem")
    assert run.problem and run.timer.held  # the held heat never starts
    assert [c["answer"] for c in run.details("skin problem")["skin_checks"]] == ["problem"]


def test_details_count_a_waiting_check_as_unanswered(content: Content, clock: FakeClock) -> None:
    run = new_run(content, clock, "cold")
    clock.advance(2 * MIN)
    run.ask(run.due_check(run.timer.snapshot()))  # type: ignore[arg-type]
    details = run.details("quit")
    assert [c["answer"] for c in details["skin_checks"]] == ["unanswered"] and run.pending is not None
    assert details["phases"] == [{"kind": "cold", "round": 1, "seconds": 120.0, "planned": 600.0}]
    assert (details["phases_done"], details["rounds_done"], details["stopped"]) == (0, 0, "quit")


def test_the_record_phase_list_is_the_same_on_screen_and_from_a_checkpoint(
    store: Store, content: Content, clock: FakeClock
) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(4 * MIN)
    run.timer.skip()  # heat cut short at 4 minutes
    clock.advance(MIN)
    cp = checkpoint(store, clock, run)
    record = resume.record_from_checkpoint(cp, "not resumed", clock.now())
    assert record is not None
    details = run.details("not resumed")
    assert record.details["phases"] == details["phases"] == [
        {"kind": "heat", "round": 1, "seconds": 240.0, "planned": 1200.0},
        {"kind": "off", "round": 1, "seconds": 60.0, "planned": 1800.0},
    ]
    assert record.details["phases_done"] == details["phases_done"] == 1


def test_texts_next_progress_and_the_short_phase_text(content: Content, clock: FakeClock) -> None:
    run = new_run(content, clock, rounds=2)
    snap = run.timer.snapshot()
    assert run.next_text(snap) == "Next: off 30 min"
    assert run.round_text(snap) == "Round 1 of 2"
    text = run.phase_text(snap, "off")
    short = run.phase_text(snap, "off", short=True)
    assert "cloth" in text and "not hot" in text
    assert "cloth" in short and "not hot" in short and len(short) <= 38
    clock.advance(20 * MIN)
    snap = run.timer.snapshot()
    assert run.next_text(snap) == "Next: heat 20 min (skin check first)"
    assert run.progress(snap) == (20 * MIN, 70 * MIN)
    one = new_run(content, clock)
    assert one.next_text(one.timer.snapshot()) == "Next: take it off, rest 30 min; session ends"


def test_every_application_has_a_short_text_with_its_safety_words(content: Content) -> None:
    for regimen in content.regimens:
        for phase in regimen.phases:
            if phase.kind == "off":
                continue
            assert phase.short and len(phase.short) <= 38, phase  # one line at 40 columns
            words = ["bare skin"] if phase.kind == "cold" else ["not hot", "cloth"]
            assert all(word in phase.short for word in words), phase.short


# --- checkpoint and resume ---------------------------------------------------------------------------


def test_time_away_counts_as_elapsed(store: Store, clock: FakeClock, content: Content) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(10 * MIN)
    cp = checkpoint(store, clock, run)
    plan = resume.plan_resume(cp, clock.now())
    assert plan is not None and plan.index == 0 and plan.remaining == pytest.approx(10 * MIN)
    assert resume.describe(cp, clock.now()) == "Heat, round 1: 10:00 left"
    later = clock.now() + timedelta(minutes=15)
    plan = resume.plan_resume(cp, later)
    assert plan is not None and plan.phase.kind == "off" and plan.remaining == pytest.approx(25 * MIN)
    assert resume.describe(cp, later) == "Off, round 1: 25:00 left"
    assert plan.pain_before == 3 and plan.rounds == 2


def test_time_away_never_runs_past_a_held_start(store: Store, clock: FakeClock, content: Content) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(30 * MIN)  # in the rest
    cp = checkpoint(store, clock, run)
    later = clock.now() + timedelta(minutes=45)  # the rest ended 25 min ago: nobody answered the check
    plan = resume.plan_resume(cp, later)
    assert plan is not None and plan.index == 2 and plan.remaining == pytest.approx(20 * MIN)
    clock.advance(45 * MIN)
    back = ThermalRun.resumed(plan, content.regimen_for("heat"), clock, clock.now)
    check = back.due_check(back.timer.snapshot())
    assert back.timer.held and check is not None and check.when == "before"


def test_paused_checkpoint_does_not_count_time_away(store: Store, clock: FakeClock, content: Content) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(5 * MIN)
    run.timer.pause()
    clock.advance(MIN)
    cp = checkpoint(store, clock, run)
    later = clock.now() + timedelta(minutes=30)
    plan = resume.plan_resume(cp, later)
    assert plan is not None and plan.paused and plan.remaining == pytest.approx(15 * MIN)
    assert resume.describe(cp, later) == "Heat, round 1: 15:00 left (paused)"


def test_skipped_phase_keeps_its_real_length(store: Store, clock: FakeClock, content: Content) -> None:
    run = new_run(content, clock, rounds=2)
    clock.advance(4 * MIN)
    run.timer.skip()
    clock.advance(MIN)
    cp = checkpoint(store, clock, run)
    assert [p["seconds"] for p in cp["phases"]] == [4 * MIN, 30 * MIN, 20 * MIN]
    plan = resume.plan_resume(cp, clock.now())
    assert plan is not None and plan.phase.kind == "off" and plan.remaining == pytest.approx(29 * MIN)


def test_finished_while_away_and_stale_checkpoints(store: Store, clock: FakeClock, content: Content) -> None:
    cp = checkpoint(store, clock, new_run(content, clock))
    plan = resume.plan_resume(cp, clock.now() + timedelta(minutes=50))
    assert plan is not None and plan.finished
    assert "ended" in resume.describe(cp, clock.now() + timedelta(minutes=50))
    assert resume.plan_resume(cp, clock.now() + timedelta(minutes=20 + 60, seconds=1)) is None
    assert resume.describe(cp, clock.now() + timedelta(minutes=81)) == ""


@pytest.mark.parametrize(
    "broken",
    [
        None,
        {},
        {"kind": "breathing", "phases": []},
        {"kind": "heat", "phases": "nope"},
        {"kind": "heat", "phases": [{"kind": "heat"}], "saved": "x", "started": "x", "id": "a", "regimen": "heat"},
    ],
)
def test_unusable_checkpoints_are_not_offered(broken: Any, clock: FakeClock) -> None:
    assert resume.plan_resume(broken, clock.now()) is None
    assert resume.describe(broken, clock.now()) == ""
