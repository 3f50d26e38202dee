"""The timer engine on a fake clock: deadlines, pause, skip, adjust, extend."""

from __future__ import annotations

import pytest

from neck_tui.engine import Finished, Phase, PhaseEnded, PhaseStarted, PhaseTimer
from tests.fakes import FakeClock


def timer(clock: FakeClock, *seconds: float) -> PhaseTimer:
    return PhaseTimer([Phase(f"p{i}", s) for i, s in enumerate(seconds)], clock=clock)


def test_counts_down_against_deadlines_without_drift(clock: FakeClock) -> None:
    t = timer(clock, 20 * 60, 30 * 60)
    t.start()
    # Poll late and irregularly: the phase still ends exactly at its deadline.
    for step in (0.37, 59.99, 0.5, 301.2) * 3:
        clock.advance(step)
        t.snapshot()
    clock.advance(20 * 60 - 3 * (0.37 + 59.99 + 0.5 + 301.2) - 0.01)
    snap = t.snapshot()
    assert snap.index == 0 and snap.remaining == pytest.approx(0.01, abs=1e-6)
    clock.advance(0.02)
    snap = t.snapshot()
    assert snap.index == 1 and snap.elapsed == pytest.approx(0.01, abs=1e-6)


def test_seconds_shown_never_repeat_or_skip(clock: FakeClock) -> None:
    t = timer(clock, 5)
    t.start()
    shown = []
    for _ in range(5000):
        s = t.snapshot()
        if s.done:
            break
        if not shown or shown[-1] != s.seconds_shown:
            shown.append(s.seconds_shown)
        clock.advance(0.001)
    assert shown == [5, 4, 3, 2, 1]


def test_pause_adds_back_exactly_the_paused_time(clock: FakeClock) -> None:
    t = timer(clock, 60)
    t.start()
    clock.advance(10)
    t.pause()
    clock.advance(1234.5)
    assert t.snapshot().remaining == pytest.approx(50)
    assert t.snapshot().paused
    t.resume()
    clock.advance(49.999)
    assert not t.snapshot().done
    clock.advance(0.002)
    assert t.snapshot().done


def test_events_in_order_and_phase_boundaries(clock: FakeClock) -> None:
    t = timer(clock, 4, 4)
    t.start()
    assert t.poll() == [PhaseStarted(0, t.phases[0])]
    clock.advance(10)  # past both phases in one go
    events = t.poll()
    assert [type(e) for e in events] == [PhaseEnded, PhaseStarted, PhaseEnded, Finished]
    assert t.phases_done == 2


def test_skip_starts_next_phase_now(clock: FakeClock) -> None:
    t = timer(clock, 60, 30)
    t.start()
    clock.advance(5)
    t.skip()
    snap = t.snapshot()
    assert snap.index == 1 and snap.remaining == pytest.approx(30)
    assert snap.total_elapsed == pytest.approx(5)
    assert any(isinstance(e, PhaseEnded) and e.skipped for e in t.poll())


def test_adjust_is_clamped_to_phase_bounds(clock: FakeClock) -> None:
    t = PhaseTimer([Phase("off", 20 * 60, min_seconds=15 * 60, max_seconds=30 * 60)], clock=clock)
    t.start()
    assert t.adjust(+60) == 21 * 60
    for _ in range(20):
        t.adjust(+60)
    assert t.durations[0] == 30 * 60
    for _ in range(40):
        t.adjust(-60)
    assert t.durations[0] == 15 * 60


def test_extend_after_finish_and_start_with_elapsed(clock: FakeClock) -> None:
    t = timer(clock, 10)
    t.start()
    clock.advance(11)
    assert t.snapshot().done
    t.extend([Phase("again", 10)])
    assert t.snapshot().index == 1 and t.snapshot().remaining == pytest.approx(10)

    resumed = timer(clock, 10, 20)
    resumed.start(elapsed=15)
    snap = resumed.snapshot()
    assert snap.index == 1 and snap.remaining == pytest.approx(15)


def test_stop_ends_early_without_counting_the_phase(clock: FakeClock) -> None:
    t = timer(clock, 10, 10)
    t.start()
    clock.advance(12)
    t.stop()
    assert t.snapshot().done and t.phases_done == 1
    assert t.snapshot().total_elapsed == pytest.approx(12)


def test_actual_keeps_how_long_each_ended_phase_really_ran(clock: FakeClock) -> None:
    t = timer(clock, 60, 30, 10)
    t.start()
    clock.advance(20)
    t.skip()  # first phase cut to 20 s
    clock.advance(35)  # second runs its full 30, third 5 s in
    assert t.snapshot().index == 2
    assert t.actual == pytest.approx([20, 30])
    assert sum(t.actual) + t.snapshot().elapsed == pytest.approx(t.snapshot().total_elapsed)
