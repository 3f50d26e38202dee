"""Checkpoint and resume of a running heat / cold / contrast session. Pure: no Textual.

While a session runs, its checkpoint (neck_tui.lifecycle.Session.checkpoint, kept in state.toml
[in_progress]) is taken at every phase change and at least every CHECKPOINT_EVERY_S, with the
state that `checkpoint_state` makes here. If the process dies without saving (a kill -9, a crash,
a power cut), the next start can offer to carry on: ``describe`` says what was running,
``plan_resume`` says where to pick up. Time away counts as time spent: if the heat would have ended
meanwhile, the session resumes in the off phase or later, but never past the start of an
application that waits for its skin check (a `hold` phase): nobody answered it while away. A
checkpoint whose session would have ended more than STALE_AFTER_S ago is not offered (None).

The phase list of a session has one implementation: `checkpoint_state` writes it, and
`record_phases` turns it into the record's `phases` / `phases_done`, both for a session that ends
on screen and for one closed from its checkpoint at the next start.

Checkpoint data (besides what the Session adds: id, kind, started, saved, pain_before, details):
    regimen       regimen id
    rounds        rounds chosen (0 = until stopped)
    phases        [{kind, label, seconds, planned, min?, max?, round, step, hold?}]: ended phases
                  with the time they really ran, the rest with their planned length
    elapsed       active (unpaused) seconds since the start
    paused        whether it was paused (or held at the start of an application)
    skin_checks   [{asked?, at, answer, phase, round, when}] so far
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Mapping, Sequence

from pydantic import ValidationError

from neck_tui.engine import Phase, PhaseTimer
from neck_tui.store import Record

CHECKPOINT_EVERY_S = 15.0
STALE_AFTER_S = 3600.0
THERMAL_KINDS = ("heat", "cold", "contrast")


def phase_to_dict(phase: Phase, seconds: float, planned: float | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {"kind": phase.kind, "label": phase.label, "seconds": float(seconds)}
    data["planned"] = float(planned if planned is not None else seconds)
    if phase.hold:
        data["hold"] = True
    if phase.min_seconds is not None:
        data["min"] = float(phase.min_seconds)
    if phase.max_seconds is not None:
        data["max"] = float(phase.max_seconds)
    for key in ("round", "step"):
        if key in phase.meta:
            data[key] = int(phase.meta[key])
    return data


def phase_from_dict(data: Mapping[str, Any]) -> Phase:
    kind = str(data["kind"])
    seconds = float(data["seconds"])
    if seconds < 0:
        raise ValueError("negative phase length")
    meta = {key: int(data[key]) for key in ("round", "step") if key in data}
    return Phase(
        kind,
        seconds,
        label=str(data.get("label") or kind.capitalize()),
        min_seconds=float(data["min"]) if "min" in data else None,
        max_seconds=float(data["max"]) if "max" in data else None,
        meta=meta,
        hold=bool(data.get("hold", False)),
    )


def checkpoint_state(
    timer: PhaseTimer,
    *,
    regimen: str,
    rounds: int | None,
    skin_checks: Sequence[Mapping[str, Any]] = (),
) -> dict[str, Any]:
    """What a checkpoint needs to resume this timer later; rounds None = until stopped."""
    snap = timer.snapshot()
    phases = [
        phase_to_dict(phase, timer.actual[i] if i < len(timer.actual) else timer.durations[i], timer.durations[i])
        for i, phase in enumerate(timer.phases)
    ]
    return {
        "regimen": regimen,
        "rounds": rounds or 0,
        "phases": phases,
        "elapsed": float(snap.total_elapsed),
        "paused": bool(snap.paused),
        "skin_checks": [dict(check) for check in skin_checks],
    }


@dataclass(frozen=True)
class ResumePlan:
    """Where to pick a checkpointed session up, `now`."""

    record_id: str
    kind: str
    regimen: str
    started: datetime
    pain_before: int | None
    phases: list[Phase]
    elapsed: float  # active seconds to start the timer at (time away included)
    rounds: int | None  # None = until stopped
    paused: bool
    away: float  # seconds between the checkpoint and now
    skin_checks: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(p.seconds for p in self.phases)

    @property
    def finished(self) -> bool:
        """The whole plan would have run out while the user was away."""
        return self.elapsed >= self.total

    @property
    def index(self) -> int:
        """The phase that is running at `elapsed` (the last one if finished)."""
        left = self.elapsed
        for i, phase in enumerate(self.phases):
            if left < phase.seconds:
                return i
            left -= phase.seconds
        return len(self.phases) - 1

    @property
    def remaining(self) -> float:
        """Seconds left in the phase at `index`."""
        end = sum(p.seconds for p in self.phases[: self.index + 1])
        return max(0.0, end - self.elapsed)

    @property
    def phase(self) -> Phase:
        return self.phases[self.index]


def _aware(value: Any) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError("not an aware datetime")
    return value


def plan_resume(checkpoint: Mapping[str, Any] | None, now: datetime) -> ResumePlan | None:
    """Where to resume a thermal checkpoint at `now`; None if it is not one, unreadable, or stale."""
    if not checkpoint or checkpoint.get("kind") not in THERMAL_KINDS:
        return None
    try:
        phases = [phase_from_dict(p) for p in checkpoint["phases"]]
        if not phases:
            return None
        saved = _aware(checkpoint["saved"])
        started = _aware(checkpoint["started"])
        elapsed = max(0.0, float(checkpoint.get("elapsed", 0.0)))
        paused = bool(checkpoint.get("paused", False))
        rounds = int(checkpoint.get("rounds", 1)) or None
        pain = checkpoint.get("pain_before")
        pain_before = int(pain) if pain is not None else None
        plan = ResumePlan(
            record_id=str(checkpoint["id"]),
            kind=str(checkpoint["kind"]),
            regimen=str(checkpoint["regimen"]),
            started=started,
            pain_before=pain_before,
            phases=phases,
            elapsed=elapsed,
            rounds=rounds,
            paused=paused,
            away=max(0.0, (now - saved).total_seconds()),
            skin_checks=[dict(c) for c in checkpoint.get("skin_checks", []) if isinstance(c, Mapping)],
            details=dict(checkpoint.get("details") or {}),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    # Time away counts as elapsed unless the session was paused, and never past a held start.
    if not paused:
        plan = replace(plan, elapsed=min(elapsed + plan.away, _next_hold(phases, elapsed)))
    if elapsed + plan.away > plan.total + STALE_AFTER_S:
        return None
    return plan


def _next_hold(phases: Sequence[Phase], elapsed: float) -> float:
    """Where the first `hold` phase after `elapsed` starts (infinity if none does)."""
    start = 0.0
    for phase in phases:
        if phase.hold and start > elapsed:
            return start
        start += phase.seconds
    return float("inf")


def mmss(seconds: float) -> str:
    """Seconds left as M:SS, rounded up like the countdown."""
    whole = max(0, int(-(-seconds // 1)))  # ceil, like the countdown
    minutes, secs = divmod(whole, 60)
    return f"{minutes}:{secs:02d}"


def describe(checkpoint: Mapping[str, Any] | None, now: datetime) -> str:
    """One line for an offer to resume, e.g. "Heat, round 2: 12:30 left"."""
    plan = plan_resume(checkpoint, now)
    if plan is None:
        return ""
    if plan.finished:
        ago = plan.elapsed - plan.total
        return f"{plan.kind.capitalize()} session: ended {mmss(ago)} ago while you were away"
    phase = plan.phase
    round_no = phase.meta.get("round")
    where = f"{phase.label}, round {round_no}" if round_no else phase.label
    paused = " (paused)" if plan.paused else ""
    return f"{where}: {mmss(plan.remaining)} left{paused}"


def when(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return None
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment
    return None


def too_old(checkpoint: Mapping[str, Any], now: datetime) -> bool:
    """The session would have ended more than STALE_AFTER_S before now."""
    try:
        total = sum(phase_from_dict(p).seconds for p in checkpoint["phases"])
        saved = when(checkpoint["saved"])
        elapsed = float(checkpoint.get("elapsed", 0.0))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if saved is None:
        return False
    return elapsed + (now - saved).total_seconds() > total + STALE_AFTER_S


def record_phases(state: Mapping[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The record's `phases` (each phase reached by `elapsed`: kind, round, seconds it ran,
    planned) and `phases_done` (those that ended, run in full or cut short), from a checkpoint
    state. Raises KeyError/TypeError/ValueError on a broken one."""
    left = float(state.get("elapsed", 0.0))
    out, ended = [], 0
    for data in state.get("phases", []):
        if left <= 0:
            break
        phase = phase_from_dict(data)
        seconds = min(left, phase.seconds)
        out.append(
            {
                "kind": phase.kind,
                "round": int(phase.meta.get("round", 1)),
                "seconds": round(seconds, 1),
                "planned": round(float(data.get("planned", phase.seconds)), 1),
            }
        )
        ended += seconds >= phase.seconds
        left -= seconds
    return out, ended


def record_from_checkpoint(checkpoint: Mapping[str, Any], reason: str, now: datetime) -> Record | None:
    """The record of a cut-off session, not completed, made from its checkpoint; None if it
    cannot make one. It ended, as far as anyone knows, when it was last checkpointed."""
    ended = when(checkpoint.get("saved")) or now
    details = dict(checkpoint.get("details") or {})
    for key in ("regimen", "rounds", "skin_checks"):
        if key in checkpoint:
            details[key] = checkpoint[key]
    try:
        phases, phases_done = record_phases(checkpoint)
    except (KeyError, TypeError, ValueError, AttributeError):
        phases, ended = [], 0
    if phases:
        details["phases"] = phases
        details["phases_done"] = phases_done
    details["stopped"] = reason
    started = when(checkpoint.get("started"))
    if started is None or not checkpoint.get("id") or not checkpoint.get("kind"):
        return None
    try:
        return Record(
            id=str(checkpoint["id"]),
            kind=str(checkpoint["kind"]),
            started=started,
            ended=max(ended, started),
            completed=False,
            pain_before=checkpoint.get("pain_before"),
            details=details,
        )
    except ValidationError:
        return None


def title(checkpoint: Mapping[str, Any]) -> str:
    """ "The heat session from 09:12": how the resume offer and its notices name it."""
    kind = str(checkpoint.get("kind") or "timed")
    started = when(checkpoint.get("started"))
    at = f" from {started.astimezone().strftime('%H:%M')}" if started else ""
    return f"The {kind} session{at}"
