"""The breathing plan: the phases a session runs, what the pacer shows, what the record keeps.

No Textual here. A `Plan` is a pattern made ready to run (from content or from the user's own,
see `custom_plan`); `Plan.phases` is the engine's schedule: a lead-in, then cycles x the
pattern's steps. `view` turns an engine snapshot into what the pacer shows (word, count, note,
where the marker is on the square); `until_next_count` says when that next changes; `rings` says
how often the bell rings as a phase begins, for the cue style set in Settings. The user's own
patterns are typed in Settings and read by `parse_pattern`.

Counts go up: 1, 2, 3, 4 within each breathing phase ("breathe in counting to 4"), and the
lead-in counts down 3, 2, 1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from neck_tui.activities import Entry
from neck_tui.engine import Phase, Snapshot
from neck_tui.store import CustomPattern

if TYPE_CHECKING:
    from neck_tui.content import Content

LEAD = "lead"
LEAD_LABEL = "Get ready"

Note = tuple[str, ...]  # the pacer's note, longest first: it shows the first that fits


@dataclass(frozen=True)
class Step:
    kind: str  # in, hold, out
    label: str
    seconds: float


@dataclass(frozen=True)
class Plan:
    """A breathing pattern made ready to run: from content or from the user's own."""

    id: str
    name: str
    summary: str
    steps: tuple[Step, ...]
    cycles: int

    @property
    def cycle_seconds(self) -> float:
        return sum(s.seconds for s in self.steps)

    def total_seconds(self, lead_in: float) -> float:
        return lead_in + self.cycles * self.cycle_seconds

    def phases(self, lead_in: float) -> list[Phase]:
        """The engine's phases: a lead-in, then cycles x steps, each tagged with cycle and step."""
        out = [Phase(LEAD, lead_in, LEAD_LABEL)]
        for cycle in range(1, self.cycles + 1):
            for index, step in enumerate(self.steps):
                out.append(Phase(step.kind, step.seconds, step.label, meta={"cycle": cycle, "step": index}))
        return out

    def sides(self) -> list[tuple[float, float]]:
        """Where each step runs on the square, as (start, length) in sides (0-4 per cycle).

        The square's sides are in (up the left), hold (along the top), out (down the right),
        hold (along the bottom). A pattern without a hold gives that side to the phase before
        it (4-7-8: out takes the right and the bottom; in-out: two sides each). A pattern that
        does not fit that shape shares the four sides in proportion to the phases' lengths.
        """
        slots: list[int] = []
        stage = 0
        for step in self.steps:
            if step.kind == "in" and stage == 0:
                slots.append(0)
                stage = 1
            elif step.kind == "hold" and stage == 1:
                slots.append(1)
                stage = 2
            elif step.kind == "out" and stage in (1, 2):
                slots.append(2)
                stage = 3
            elif step.kind == "hold" and stage == 3:
                slots.append(3)
                stage = 4
            else:
                break
        else:
            if stage >= 3:
                ends = slots[1:] + [4]
                return [(float(a), float(b - a)) for a, b in zip(slots, ends)]
        total = self.cycle_seconds
        out, start = [], 0.0
        for step in self.steps:
            length = 4.0 * step.seconds / total
            out.append((start, length))
            start += length
        return out

    # -- the record ------------------------------------------------------------------------------
    def details(self) -> dict[str, Any]:
        """What the record keeps from the start: the pattern and the cycles planned."""
        return {"pattern": self.id, "pattern_name": self.name, "cycles": self.cycles}

    def cycles_done(self, phases_done: int) -> int:
        """Whole cycles breathed, from the engine's count of ended phases (the lead-in is one)."""
        return max(0, phases_done - 1) // len(self.steps)

    def progress(self, phases_done: int) -> dict[str, Any]:
        """What the record (at its end) and the checkpoint (meanwhile) keep of the progress."""
        return {"cycles_done": self.cycles_done(phases_done)}

    def ends_cycle(self, phase: Phase) -> bool:
        """Whether this phase is the last of a cycle (a checkpoint is taken when it ends)."""
        return phase.meta.get("step") == len(self.steps) - 1


# --- the plans on offer ------------------------------------------------------------------------


def _label_for(content: "Content", kind: str) -> str:
    """The phase word for a kind, from content (the default pattern first)."""
    default = content.pattern(content.breathing.default_pattern)
    for pattern in [default, *content.patterns]:
        for phase in pattern.phases:
            if phase.kind == kind:
                return phase.label
    return kind.capitalize()


def _secs(value: float) -> str:
    return f"{value:g}"


def _cycles(count: int) -> str:
    return f"{count} cycle" if count == 1 else f"{count} cycles"


def custom_plan(content: "Content", pattern: CustomPattern, index: int) -> Plan:
    """A plan from the user's own pattern; holds of 0 s are left out."""
    steps = [Step("in", _label_for(content, "in"), pattern.inhale)]
    if pattern.hold_in:
        steps.append(Step("hold", _label_for(content, "hold"), pattern.hold_in))
    steps.append(Step("out", _label_for(content, "out"), pattern.exhale))
    if pattern.hold_out:
        steps.append(Step("hold", _label_for(content, "hold"), pattern.hold_out))
    cycle = sum(s.seconds for s in steps)
    if pattern.minutes is not None:
        cycles = max(1, math.ceil(pattern.minutes * 60 / cycle - 1e-9))
        length = f"{_secs(pattern.minutes)} min ({_cycles(cycles)})"
    else:
        cycles = pattern.cycles or 1
        length = _cycles(cycles)
    shape = ", ".join(f"{s.label.lower()} {_secs(s.seconds)} s" for s in steps)
    return Plan(f"custom-{index}", pattern.name, f"Your own: {shape}; {length}.", tuple(steps), cycles)


def all_plans(content: "Content", custom: list[CustomPattern]) -> list[Plan]:
    """Every pattern on offer: content's, then the user's own from Settings."""
    plans = [
        Plan(p.id, p.name, p.summary, tuple(Step(s.kind, s.label, s.seconds) for s in p.phases), p.cycles)
        for p in content.patterns
    ]
    plans.extend(custom_plan(content, c, i) for i, c in enumerate(custom))
    return plans


def pick(plans: list[Plan], wanted: str | None, default: str) -> Plan:
    """The plan with id `wanted` (or the default one); the first on offer if neither exists."""
    by_id = {p.id: p for p in plans}
    return by_id.get(wanted or default) or by_id.get(default) or plans[0]


def length_line(plan: Plan, lead_in: float) -> str:
    """The plan's length for its header: "4 cycles, about 1 min"; under a minute, in seconds."""
    total = plan.total_seconds(lead_in)
    about = f"{round(total)} s" if total < 60 else f"{max(1, round(total / 60))} min"
    return f"{_cycles(plan.cycles)}, about {about}"


def today_line(content: "Content", count: int | None) -> str:
    """Whole sessions today against the daily goal; `count` None: the history could not be read."""
    info = content.breathing
    shown = "unknown" if count is None else str(count)
    return f"Breathing today: {shown} (goal {info.daily_goal_min}-{info.daily_goal_max} a day)"


# --- what a snapshot shows ------------------------------------------------------------------


class View(NamedTuple):
    """What the pacer shows for one snapshot."""

    word: str
    count: str
    note: Note
    position: float  # where the marker is on the square, 0-4 sides
    speed: float = 0.0  # how fast it goes on from there, in sides a second (0: it stands)


READY = View("Ready", "", ("Enter: start", "Enter"), 0.0)


def shown_count(snap: Snapshot) -> int:
    """The count on screen: up 1..N in a breathing phase, down 3, 2, 1 in the lead-in."""
    assert snap.phase is not None
    if snap.phase.kind == LEAD:
        return max(1, math.ceil(snap.remaining - 1e-9))
    return min(_last_count(snap), math.floor(snap.elapsed + 1e-9) + 1)


def _last_count(snap: Snapshot) -> int:
    """The highest count of a phase: its whole seconds, so 5.5 s counts to 5, never 6."""
    return max(1, math.floor(snap.elapsed + snap.remaining + 1e-9))


def until_next_count(snap: Snapshot) -> float:
    """Seconds until the shown count or the phase changes."""
    assert snap.phase is not None
    if snap.phase.kind == LEAD:
        step = snap.remaining - (math.ceil(snap.remaining - 1e-9) - 1)
    elif math.floor(snap.elapsed + 1e-9) + 1 >= _last_count(snap):
        step = snap.remaining  # the last count stays until the phase ends
    else:
        step = math.floor(snap.elapsed + 1e-9) + 1 - snap.elapsed
    return max(0.001, min(step, snap.remaining))


def lap_position(plan: Plan, snap: Snapshot) -> float:
    """Where the marker is on the square (0-4 sides) for this snapshot."""
    return _lap(plan, snap)[0]


def _lap(plan: Plan, snap: Snapshot) -> tuple[float, float]:
    if snap.done or snap.phase is None or snap.phase.kind == LEAD:
        return 0.0, 0.0
    start, length = plan.sides()[snap.phase.meta["step"]]
    duration = snap.elapsed + snap.remaining
    if duration <= 0:
        return start + length, 0.0
    speed = 0.0 if snap.paused else length / duration
    return start + length * min(1.0, snap.elapsed / duration), speed


def view(plan: Plan, snap: Snapshot) -> View:
    """The pacer's word, count, note and marker for a running (or paused) session."""
    assert snap.phase is not None
    if snap.paused:
        note: Note = ("space: resume", "space")
    elif snap.phase.kind == LEAD:
        note = (_cycles(plan.cycles),)
    else:
        cycle = snap.phase.meta["cycle"]
        note = (f"cycle {cycle} of {plan.cycles}", f"{cycle} of {plan.cycles}")
    word = "Paused" if snap.paused else snap.phase.label
    return View(word, str(shown_count(snap)), note, *_lap(plan, snap))


def ended_view(plan: Plan, completed: bool, cycles_done: int) -> View:
    """What the pacer shows once the session has ended."""
    note = (f"{cycles_done} of {plan.cycles} cycles", f"{cycles_done}/{plan.cycles}")
    return View("Done" if completed else "Stopped", "", note, 0.0)


# --- the bell, for eyes-closed use ---------------------------------------------------------------

# The cue styles Settings offers (store.models.BreathingCue), as Settings names them.
CUES = {
    "silent": "Silent",
    "each-phase": "Bell each phase",
    "eyes-closed": "Eyes closed",
}
# The app's own choice: breathing in and out told apart by ear; holds stay quiet.
EYES_CLOSED = {"in": 1, "out": 2}


def rings(cue: str, phase: Phase) -> int:
    """How many times the bell rings as `phase` begins (never for the lead-in)."""
    if phase.kind == LEAD:
        return 0
    if cue == "each-phase":
        return 1
    if cue == "eyes-closed":
        return EYES_CLOSED.get(phase.kind, 0)
    return 0


# --- the user's own patterns -------------------------------------------------------------------


def parse_pattern(name: str, phases: str, length: str) -> CustomPattern:
    """Read the three fields of the pattern form; ValueError with a one-line message if wrong."""
    name = name.strip()
    if not name:
        raise ValueError("Give the pattern a name.")
    parts = phases.replace(",", " ").replace("-", " ").split()
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise ValueError(f"Phases: seconds as numbers, e.g. 4 4 4 4 (got {phases.strip()!r}).") from None
    if len(numbers) == 2:
        numbers = [numbers[0], 0, numbers[1], 0]
    elif len(numbers) == 3:
        numbers = [*numbers, 0]
    if len(numbers) != 4 or any(not math.isfinite(n) for n in numbers):
        raise ValueError("Phases: 2 to 4 numbers in seconds: in hold out hold (e.g. 4 4 4 4, or 4 7 8).")
    words = ("Breathe in", "Hold after in", "Breathe out", "Hold after out")
    for word, value, hold in zip(words, numbers, (False, True, False, True)):
        if hold and value != 0 and not 2 <= value <= 10:
            raise ValueError(f"{word}: 0 (none) or 2-10 seconds (got {value:g}).")
        if not hold and not 2 <= value <= 10:
            raise ValueError(f"{word}: 2-10 seconds (got {value:g}).")
    cycles, minutes = _parse_length(length)
    try:
        return CustomPattern(
            name=name, inhale=numbers[0], hold_in=numbers[1], exhale=numbers[2], hold_out=numbers[3],
            cycles=cycles, minutes=minutes,
        )
    except ValidationError as exc:  # the checks above should have caught it; say it plainly anyway
        raise ValueError(" ".join(str(exc.errors()[0]["msg"]).split())) from None


def _parse_length(length: str) -> tuple[int | None, float | None]:
    """The length field: a number of cycles (1-20) or of minutes ("5m", 1-60)."""
    text = length.strip().lower()
    for suffix in ("minutes", "minute", "mins", "min", "m"):
        if text.endswith(suffix):
            try:
                minutes = float(text[: -len(suffix)])
            except ValueError:
                break
            if not (math.isfinite(minutes) and 0 < minutes <= 60):
                raise ValueError(f"Length: 1-60 minutes (got {text!r}).")
            return None, minutes
    count = text.removesuffix("cycles").removesuffix("cycle").strip()
    if not count.isdigit() or not 1 <= int(count) <= 20:
        raise ValueError(f"Length: 1-20 cycles (e.g. 6) or minutes (e.g. 5m) (got {length.strip()!r}).")
    return int(count), None


# The activity this plan runs (found by neck_tui.activities).
ENTRIES = (
    Entry("breathe", "Box breathing", "Animated breathing pacer", "b", "breathing:BreathingScreen",
          kind="breathing", label="Breathing", helps=True, suggest=True, order=30,
          record_view="record_text:breathing_sections"),
)
