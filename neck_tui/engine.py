"""Pure timer/phase engine: a sequence of timed phases counted against deadlines.

No Textual here. Time comes from one injected monotonic clock, so tests can run a
20-minute regimen in milliseconds and the display never drifts: every phase end is
computed as a deadline from the session start (plus paused time), never by adding
up sleeps or ticks. The UI only reads `snapshot()` and drains `poll()` events.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

Clock = Callable[[], float]


@dataclass(frozen=True)
class Phase:
    """One timed step: `kind` is a machine word (heat, cold, off, in, hold...)."""

    kind: str
    seconds: float
    label: str = ""
    min_seconds: float | None = None
    max_seconds: float | None = None
    meta: dict[str, Any] = field(default_factory=dict, compare=False)
    hold: bool = False  # reached from an earlier phase, the timer waits at its start until resume()

    def clamp(self, seconds: float) -> float:
        low = self.min_seconds if self.min_seconds is not None else 0.0
        high = self.max_seconds if self.max_seconds is not None else math.inf
        return min(max(seconds, low), high)


@dataclass(frozen=True)
class PhaseStarted:
    index: int
    phase: Phase


@dataclass(frozen=True)
class PhaseEnded:
    index: int
    phase: Phase
    skipped: bool = False


@dataclass(frozen=True)
class Finished:
    pass


Event = PhaseStarted | PhaseEnded | Finished


@dataclass(frozen=True)
class Snapshot:
    """What the display needs, all derived from one clock reading."""

    index: int
    phase: Phase | None
    elapsed: float  # in the current phase
    remaining: float  # in the current phase
    total_elapsed: float  # active (unpaused) time since start
    total: float  # planned length of the whole session
    paused: bool
    done: bool

    @property
    def seconds_shown(self) -> int:
        """The whole second a countdown shows: ceil, so 20:00 shows first and 0 only at the end."""
        return max(0, math.ceil(self.remaining - 1e-9))

    @property
    def progress(self) -> float:
        return 1.0 if self.total <= 0 else min(1.0, self.total_elapsed / self.total)


class PhaseTimer:
    """Counts a list of phases down against deadlines on an injected clock.

    Invariant: the current phase ends at `_phase_start + duration + pause time
    accrued during it`. Moving to the next phase sets the new start to the old
    deadline (not to "now"), so late polls never push the schedule back.
    """

    def __init__(self, phases: Sequence[Phase], clock: Clock = time.monotonic) -> None:
        if not phases:
            raise ValueError("a timer needs at least one phase")
        self.clock = clock
        self.phases: list[Phase] = list(phases)
        self.durations: list[float] = [p.seconds for p in self.phases]
        self.actual: list[float] = []  # active seconds each ended phase really ran (shorter if skipped)
        self.index = 0
        self.started = False
        self.done = False
        self._phase_start = 0.0  # clock time the current phase began, shifted by pauses
        self._paused_at: float | None = None
        self._elapsed_before = 0.0  # active seconds spent in phases already ended
        self._events: list[Event] = []
        self._completed_last = False  # the last phase ran to its end (not stopped early)
        self._held = False  # waiting at the start of a `hold` phase

    # -- control ---------------------------------------------------------
    def start(self, elapsed: float = 0.0) -> None:
        """Start now; `elapsed` fast-forwards (time spent away, for resume)."""
        if self.started:
            return
        self.started = True
        now = self.clock()
        self._phase_start = now - elapsed
        self._events.append(PhaseStarted(0, self.phases[0]))
        self._advance(now)

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    @property
    def held(self) -> bool:
        """Waiting at the very start of a `hold` phase; resume() starts it from its full length."""
        if self.started and not self.done:
            self._advance(self._now())
        return self._held

    def pause(self) -> None:
        if self.started and not self.done and self._paused_at is None:
            now = self.clock()
            self._advance(now)
            if not self.done and self._paused_at is None:
                self._paused_at = now

    def resume(self) -> None:
        if self._paused_at is not None:
            self._phase_start += self.clock() - self._paused_at
            self._paused_at = None
            self._held = False

    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether it is now paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()
        return self.paused

    def skip(self) -> None:
        """End the current phase now; the next begins at once."""
        if not self.started or self.done:
            return
        now = self._sync()
        if self.done:
            return
        active = max(0.0, now - self._phase_start)
        paused = self.paused
        self._end_phase(active, skipped=True)
        if self.done:
            return
        self._begin_phase(now)
        if paused:
            self._paused_at = now
        self._advance(now)

    def adjust(self, delta: float) -> float:
        """Lengthen/shorten the current phase within its bounds; returns the new length."""
        if not self.started or self.done:
            return self.durations[self.index]
        now = self._sync()
        if self.done:
            return self.durations[-1]
        phase = self.phases[self.index]
        elapsed = now - self._phase_start
        wanted = phase.clamp(self.durations[self.index] + delta)
        self.durations[self.index] = max(wanted, elapsed)
        self._advance(now)
        return self.durations[self.index]

    def set_duration(self, index: int, seconds: float) -> None:
        """Change a phase that has not ended yet (e.g. the user's chosen off time)."""
        if index < self.index:
            raise ValueError("that phase is over")
        self.durations[index] = self.phases[index].clamp(seconds)

    def extend(self, phases: Sequence[Phase]) -> None:
        """Append phases (another round); a finished timer carries on from now."""
        was_done = self.done
        self.phases.extend(phases)
        self.durations.extend(p.seconds for p in phases)
        if was_done:
            self.done = False
            self.index += 1
            self._begin_phase(self.clock())
            self._events.append(PhaseStarted(self.index, self.phases[self.index]))

    def stop(self) -> None:
        """End the session early (nothing more will happen)."""
        if self.started and not self.done:
            now = self._sync()
            if not self.done:
                self._elapsed_before += max(0.0, now - self._phase_start)
                self.done = True
                self._paused_at = None
                self._held = False

    # -- reading ---------------------------------------------------------
    def snapshot(self) -> Snapshot:
        total = sum(self.durations)
        if not self.started:
            return Snapshot(0, self.phases[0], 0.0, self.durations[0], 0.0, total, False, False)
        now = self._sync()
        if self.done:
            return Snapshot(
                self.index, self.phases[self.index], self.durations[self.index], 0.0,
                self._elapsed_before, total, False, True,
            )
        elapsed = max(0.0, now - self._phase_start)
        return Snapshot(
            self.index, self.phases[self.index], elapsed,
            max(0.0, self.durations[self.index] - elapsed),
            self._elapsed_before + elapsed, total, self.paused, False,
        )

    def poll(self) -> list[Event]:
        """Events since the last poll, in order."""
        if self.started:
            self._advance(self._now())
        events, self._events = self._events, []
        return events

    def next_change(self) -> float | None:
        """Seconds until the shown whole second or the phase changes (for scheduling a redraw)."""
        if not self.started or self.done or self.paused:
            return None
        snap = self.snapshot()
        frac = snap.remaining - math.floor(snap.remaining - 1e-9)
        return max(0.001, min(frac, snap.remaining))

    @property
    def phases_done(self) -> int:
        """Phases that ran to their end or were skipped."""
        if not self.started:
            return 0
        self._advance(self._now())
        return self.index + (1 if self.done and self._completed_last else 0)

    # -- internals -------------------------------------------------------
    def _now(self) -> float:
        # While paused, time stands still at the moment of pausing.
        return self._paused_at if self._paused_at is not None else self.clock()

    def _end_phase(self, active: float, skipped: bool) -> None:
        self._elapsed_before += active
        self.actual.append(active)
        self._events.append(PhaseEnded(self.index, self.phases[self.index], skipped))
        if self.index + 1 >= len(self.phases):
            self.done = True
            self._completed_last = True
            self._paused_at = None
            self._events.append(Finished())
        else:
            self.index += 1
            self._events.append(PhaseStarted(self.index, self.phases[self.index]))

    def _sync(self) -> float:
        """Catch up with the clock; the moment it stands at now (a pause or hold stops it)."""
        self._advance(self._now())
        return self._now()

    def _begin_phase(self, at: float) -> None:
        """The current phase begins at `at`; a `hold` phase waits there (paused) until resume()."""
        self._phase_start = at
        self._held = self.phases[self.index].hold
        if self._held:
            self._paused_at = at

    def _advance(self, now: float) -> None:
        while not self.done and not self._held:
            deadline = self._phase_start + self.durations[self.index]
            if now < deadline:
                return
            self._end_phase(self.durations[self.index], skipped=False)
            if not self.done:
                self._begin_phase(deadline)
