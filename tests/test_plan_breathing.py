"""The breathing plan, without Textual: schedules on a fake clock, the square, what the pacer
shows, what the record keeps, and the form for the user's own patterns."""

from __future__ import annotations

import math

import pytest

from neck_tui.content import Content
from neck_tui.engine import PhaseEnded, PhaseStarted, PhaseTimer
from neck_tui.plans.breathing import (
    READY,
    Plan,
    all_plans,
    custom_plan,
    ended_view,
    lap_position,
    length_line,
    parse_pattern,
    pick,
    rings,
    shown_count,
    today_line,
    until_next_count,
    view,
)
from neck_tui.store import CustomPattern
from tests.fakes import FakeClock

LEAD = 3.0
PATTERNS = ["box", "four_seven_eight", "coherent", "slow_diaphragmatic"]


def plan_of(content: Content, pattern_id: str) -> Plan:
    return next(p for p in all_plans(content, []) if p.id == pattern_id)


def started(plan: Plan, lead: float = LEAD) -> tuple[PhaseTimer, FakeClock]:
    clock = FakeClock()
    timer = PhaseTimer(plan.phases(lead), clock)
    timer.start()
    return timer, clock


# --- the schedule ----------------------------------------------------------------------------


@pytest.mark.parametrize("pattern_id", PATTERNS)
def test_every_phase_boundary_is_exactly_on_schedule(content: Content, pattern_id: str) -> None:
    plan = plan_of(content, pattern_id)
    lead = content.breathing.lead_in_seconds
    timer, clock = started(plan, lead)
    start = clock.t
    timer.poll()
    expected = [lead]
    for _ in range(plan.cycles):
        for step in plan.steps:
            expected.append(expected[-1] + step.seconds)
    assert len(timer.phases) == 1 + plan.cycles * len(plan.steps)
    for index, boundary in enumerate(expected):
        clock.t = start + boundary - 0.001
        assert timer.snapshot().index == index, f"phase {index} ended early"
        clock.t = start + boundary
        events = timer.poll()
        snap = timer.snapshot()
        if index + 1 < len(timer.phases):
            assert snap.index == index + 1 and snap.elapsed == 0.0, f"boundary {index} at {boundary}"
            assert [e.index for e in events if isinstance(e, PhaseStarted)] == [index + 1]
        else:
            assert snap.done
    assert expected[-1] == pytest.approx(plan.total_seconds(lead))


def test_box_is_four_by_four_for_four_cycles(content: Content) -> None:
    box = plan_of(content, content.breathing.default_pattern)
    assert [(s.kind, s.seconds) for s in box.steps] == [("in", 4), ("hold", 4), ("out", 4), ("hold", 4)]
    assert box.cycles == 4
    assert [s.label for s in box.steps] == ["Breathe in", "Hold", "Breathe out", "Hold"]


@pytest.mark.parametrize("pattern_id", PATTERNS)
def test_count_goes_up_once_per_second_never_twice_or_skipped(content: Content, pattern_id: str) -> None:
    plan = plan_of(content, pattern_id)
    timer, clock = started(plan)
    start = clock.t
    seen: dict[int, list[int]] = {}
    step = 0.01
    for i in range(int(plan.total_seconds(LEAD) / step)):
        clock.t = start + i * step
        snap = timer.snapshot()
        counts = seen.setdefault(snap.index, [])
        count = shown_count(snap)
        if snap.index > 0:  # a count never exceeds the phase length (5.5 s never shows 6)
            assert count <= max(1, snap.elapsed + snap.remaining), (snap.index, count)
        if not counts or counts[-1] != count:
            counts.append(count)
    assert seen[0] == [3, 2, 1]  # the lead-in counts down
    for index in range(1, len(timer.phases)):
        length = timer.phases[index].seconds
        assert seen[index] == list(range(1, max(1, math.floor(length)) + 1)), (index, seen[index])


@pytest.mark.parametrize("pattern_id", PATTERNS)
def test_rings_per_phase_for_each_cue_style(content: Content, pattern_id: str) -> None:
    from typing import get_args

    from neck_tui.plans.breathing import CUES
    from neck_tui.store.models import BreathingCue

    assert list(CUES) == list(get_args(BreathingCue))  # Settings offers every style the file may hold
    phases = plan_of(content, pattern_id).phases(LEAD)
    for cue, per_kind in (("silent", {}), ("each-phase", {"in": 1, "hold": 1, "out": 1}),
                          ("eyes-closed", {"in": 1, "out": 2})):
        assert [rings(cue, p) for p in phases] == [0] + [per_kind.get(p.kind, 0) for p in phases[1:]], cue


def test_coherent_breathing_counts_to_five_and_waits_for_the_phase_end(content: Content) -> None:
    timer, clock = started(plan_of(content, "coherent"))
    clock.advance(LEAD + 5.2)  # 5.2 s into a 5.5 s "Breathe in"
    snap = timer.snapshot()
    assert shown_count(snap) == 5
    assert until_next_count(snap) == pytest.approx(0.3)  # the next change is the next phase


def test_the_next_redraw_is_due_exactly_when_the_count_changes(content: Content) -> None:
    timer, clock = started(plan_of(content, "box"))
    clock.advance(0.25)
    assert until_next_count(timer.snapshot()) == pytest.approx(0.75)
    clock.advance(3.0)  # 0.25 s into "Breathe in"
    snap = timer.snapshot()
    assert shown_count(snap) == 1 and until_next_count(snap) == pytest.approx(0.75)


def test_a_checkpoint_is_due_at_the_end_of_each_cycle(content: Content) -> None:
    plan = plan_of(content, "four_seven_eight")
    timer, clock = started(plan)
    clock.advance(plan.total_seconds(LEAD))
    ended = [e.phase for e in timer.poll() if isinstance(e, PhaseEnded)]
    assert sum(plan.ends_cycle(p) for p in ended) == plan.cycles
    assert not plan.ends_cycle(ended[0])  # the lead-in


# --- the square and what the pacer shows ---------------------------------------------------


def test_sides_of_the_square(content: Content) -> None:
    assert plan_of(content, "box").sides() == [(0, 1), (1, 1), (2, 1), (3, 1)]
    assert plan_of(content, "four_seven_eight").sides() == [(0, 1), (1, 1), (2, 2)]  # out: right and bottom
    assert plan_of(content, "coherent").sides() == [(0, 2), (2, 2)]
    own = custom_plan(content, CustomPattern(name="x", inhale=4, hold_in=0, exhale=6, hold_out=2, cycles=3), 0)
    assert own.sides() == [(0, 2), (2, 1), (3, 1)]


def test_the_marker_travels_round_the_square_once_a_cycle(content: Content) -> None:
    box = plan_of(content, "box")
    timer, clock = started(box)
    start = clock.t
    for at, position in [(1.0, 0.0), (3.0, 0.0), (5.0, 0.5), (7.0, 1.0), (13.0, 2.5), (18.9, 3.975), (19.0, 0.0)]:
        clock.t = start + at
        assert lap_position(box, timer.snapshot()) == pytest.approx(position % 4), at


def test_view_shows_word_count_and_cycle(content: Content) -> None:
    box = plan_of(content, "box")
    timer, clock = started(box)
    assert view(box, timer.snapshot())[:3] == ("Get ready", "3", ("4 cycles",))
    clock.advance(3 + 16 + 5.5)  # cycle 2, 1.5 s into the hold
    shown = view(box, timer.snapshot())
    assert (shown.word, shown.count, shown.note) == ("Hold", "2", ("cycle 2 of 4", "2 of 4"))
    assert shown.position == pytest.approx(1.375)
    timer.pause()
    assert view(box, timer.snapshot())[:3] == ("Paused", "2", ("space: resume", "space"))
    assert ended_view(box, False, 1)[:3] == ("Stopped", "", ("1 of 4 cycles", "1/4"))
    assert READY.word == "Ready" and READY.note[0] == "Enter: start"


# --- the plans on offer and the record ---------------------------------------------------------


def test_own_pattern_in_minutes_runs_whole_cycles_covering_them(content: Content) -> None:
    pattern = CustomPattern(name="Evening", inhale=5, hold_in=0, exhale=6, hold_out=0, minutes=5)
    plan = custom_plan(content, pattern, 0)
    assert [(s.kind, s.seconds) for s in plan.steps] == [("in", 5), ("out", 6)]
    assert plan.cycles == math.ceil(300 / 11) == 28
    assert [s.label for s in plan.steps] == ["Breathe in", "Breathe out"]  # words from content
    exact = custom_plan(content, CustomPattern(name="x", inhale=5, hold_in=0, exhale=5, hold_out=0, minutes=1), 0)
    assert exact.cycles == 6


def test_length_line_says_one_cycle_and_seconds_under_a_minute(content: Content) -> None:
    assert length_line(plan_of(content, "box"), LEAD) == "4 cycles, about 1 min"  # 67 s
    one = custom_plan(content, CustomPattern(name="x", inhale=2, hold_in=0, exhale=2, hold_out=0, cycles=1), 0)
    assert length_line(one, LEAD) == "1 cycle, about 7 s"  # not "1 cycles, about 1 min"
    assert one.summary.endswith("; 1 cycle.")


def test_pick_finds_a_pattern_by_id_or_falls_back_to_the_default(content: Content) -> None:
    plans = all_plans(content, [CustomPattern(name="Mine", inhale=4, hold_in=0, exhale=4, hold_out=0, cycles=2)])
    assert pick(plans, "coherent", "box").id == "coherent"
    assert pick(plans, "custom-0", "box").name == "Mine"
    assert pick(plans, None, "box").id == "box"
    assert pick(plans, "gone", "box").id == "box"


def test_record_details_and_progress(content: Content) -> None:
    plan = plan_of(content, "box")
    assert plan.details() == {"pattern": "box", "pattern_name": "Box breathing (4-4-4-4)", "cycles": 4}
    steps = len(plan.steps)
    assert [plan.progress(n)["cycles_done"] for n in (0, 1, steps, steps + 1, 4 * steps + 1)] == [0, 0, 0, 1, 4]


def test_today_line_says_unknown_when_the_history_could_not_be_read(content: Content) -> None:
    assert today_line(content, 1) == "Breathing today: 1 (goal 1-2 a day)"
    assert today_line(content, None) == "Breathing today: unknown (goal 1-2 a day)"


# --- the pattern form ---------------------------------------------------------------------------


def test_parse_pattern_accepts_the_usual_forms() -> None:
    p = parse_pattern(" Evening ", "4 7 8", "5m")
    assert (p.name, p.inhale, p.hold_in, p.exhale, p.hold_out, p.cycles, p.minutes) == ("Evening", 4, 7, 8, 0, None, 5)
    p = parse_pattern("Even", "5.5-5.5", "6 cycles")
    assert (p.inhale, p.hold_in, p.exhale, p.hold_out, p.cycles) == (5.5, 0, 5.5, 0, 6)
    assert parse_pattern("Box", "4,4,4,4", "4").cycles == 4
    assert parse_pattern("Long", "4 4", "2 minutes").minutes == 2


@pytest.mark.parametrize(
    "fields, message",
    [
        (("", "4 4 4 4", "4"), "name"),
        (("x", "4 four", "4"), "numbers"),
        (("x", "4", "4"), "2 to 4 numbers"),
        (("x", "12 4 4 4", "4"), "Breathe in: 2-10 seconds"),
        (("x", "4 1 4 4", "4"), "0 (none) or 2-10"),
        (("x", "4 4 4 4", "21"), "1-20 cycles"),
        (("x", "4 4 4 4", "0"), "1-20 cycles"),
        (("x", "4 4 4 4", "90m"), "1-60 minutes"),
        (("x", "4 4 4 4", "soon"), "1-20 cycles"),
        (("x", "4 4 4 4", "xm"), "1-20 cycles"),
    ],
)
def test_parse_pattern_says_what_is_wrong_in_one_line(fields: tuple[str, str, str], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_pattern(*fields)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)
