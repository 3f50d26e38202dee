"""The exercise plan: the phases a run goes through, what the runner shows, the record. Pure: no Textual.

`plan_exercises` turns content (an Exercise, or a Routine's exercises) into one flat list of
engine Phases:

    ready  a lead-in before an exercise's first timed rep (content: exercise_info.lead_in_seconds,
           0 for none); none between the reps or steps of one exercise. n ends it at once
    hold   one rep of a step with hold_seconds, counted down
    self   one rep of a step without hold_seconds: at the user's own pace, of unbounded
           length; Enter (or n) ends it through PhaseTimer.skip()
    rest   the pause between two reps of a step (rest_seconds)

Every phase carries in `meta` where it belongs (exercise, step, rep). `choose` plans what the
chooser offers ("routine:ID" or "exercise:ID"), `view` says what the runner shows at a clock
reading, `record_details` what goes in the record. `GuidedRun` wraps a PhaseTimer over the
phases and adds what the engine lacks: going back a rep (it restarts the engine at an earlier
phase) and counting the reps done.

One record of kind "exercise" per run (a routine, or a single exercise):

    details.routine    the routine's id (absent for a single exercise)
    details.title      what was run ("Daily routine", "Chin tucks")
    details.exercises  [{id, reps_done, reps, result}], result: done, skipped, stopped,
                       in_progress or not_started
    details.stopped    why it ended early: "pain" (x), "user" (q), "skipped" (every exercise
                       skipped, no rep done), "left", "quit", "SIGHUP", ...
    details.exercise   the exercise it stopped in
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from neck_tui.activities import Entry
from neck_tui.content import Content, Exercise
from neck_tui.engine import (
    Clock,
    Finished,
    Phase,
    PhaseEnded,
    PhaseStarted,
    PhaseTimer,
    Snapshot,
)

WORK = ("hold", "self")  # the phases that are a rep
SELF_PACED = math.inf

def plan_exercise(exercise: Exercise, number: int = 1, of: int = 1, *, lead_in: float) -> list[Phase]:
    """The phases of one exercise; `number` of `of` places it within a routine. A lead-in of
    `lead_in` seconds comes once, before its first timed rep."""
    phases: list[Phase] = []
    led_in = lead_in <= 0
    for s, step in enumerate(exercise.steps, start=1):
        meta: dict[str, Any] = {
            "exercise": exercise.id,
            "name": exercise.name,
            "number": number,
            "of": of,
            "step": s,
            "steps": len(exercise.steps),
            "text": step.text,
            "reps": step.reps,
        }
        if step.hold_seconds is not None and not led_in:
            phases.append(Phase("ready", lead_in, "Get ready", meta={**meta, "rep": 1}))
            led_in = True
        for rep in range(1, step.reps + 1):
            if step.hold_seconds is not None:
                phases.append(Phase("hold", step.hold_seconds, "Hold", meta={**meta, "rep": rep}))
            else:
                phases.append(Phase("self", SELF_PACED, "At your own pace", meta={**meta, "rep": rep}))
            if rep < step.reps and step.rest_seconds is not None:
                phases.append(Phase("rest", step.rest_seconds, "Rest", meta={**meta, "rep": rep}))
    return phases


def plan_exercises(exercises: Sequence[Exercise], *, lead_in: float) -> list[Phase]:
    """All phases of the exercises in order (a routine, or a single exercise)."""
    if not exercises:
        raise ValueError("nothing to plan: no exercises")
    phases: list[Phase] = []
    for n, exercise in enumerate(exercises, start=1):
        phases.extend(plan_exercise(exercise, n, len(exercises), lead_in=lead_in))
    return phases


def routine_exercises(content: Content, routine_id: str) -> list[Exercise]:
    return [content.exercise(e) for e in content.routine(routine_id).exercises]


@dataclass(frozen=True)
class Choice:
    """One thing the chooser offers, planned: its id, name, one-line summary, phases, first details."""

    ident: str  # "routine:ID" or "exercise:ID"
    title: str
    summary: str
    phases: list[Phase]
    details: dict[str, Any]

    @property
    def length(self) -> str:
        """"about 4 min", plus " + your own pace" when a step waits for the user."""
        text = f"about {max(1, round(timed_seconds(self.phases) / 60))} min"
        return text + (" + your own pace" if has_self_paced(self.phases) else "")


def choose(content: Content, ident: str) -> Choice:
    """Plan a choice of the chooser: "routine:ID" or "exercise:ID"."""
    what, _, key = ident.partition(":")
    lead_in = content.exercise_info.lead_in_seconds
    if what == "routine":
        routine = content.routine(key)
        exercises = routine_exercises(content, key)
        return Choice(ident, routine.name, ", ".join(e.name for e in exercises),
                      plan_exercises(exercises, lead_in=lead_in), {"routine": routine.id, "title": routine.name})
    exercise = content.exercise(key)
    return Choice(ident, exercise.name, exercise.summary, plan_exercise(exercise, lead_in=lead_in),
                  {"title": exercise.name})


def choices(content: Content) -> tuple[list[Choice], list[Choice]]:
    """What the chooser lists: the routines (the default one first), then each exercise alone."""
    default = content.exercise_info.default_routine
    routines = sorted(content.routines, key=lambda r: r.id != default)  # stable: default first
    return ([choose(content, f"routine:{r.id}") for r in routines],
            [choose(content, f"exercise:{e.id}") for e in content.exercises])


def timed_seconds(phases: Sequence[Phase]) -> float:
    """Length of the timed phases (self-paced ones are not counted)."""
    return sum(p.seconds for p in phases if math.isfinite(p.seconds))


def has_self_paced(phases: Sequence[Phase]) -> bool:
    return any(p.kind == "self" for p in phases)


def back_target(phases: Sequence[Phase], index: int) -> int:
    """Where "back" goes from phase `index`: from a rest, the rep just done (redo it); from
    a rep or a lead-in, the rep before it; with none before, the very start."""
    if phases[index].kind == "rest":
        for i in range(index - 1, -1, -1):
            if phases[i].kind in WORK:
                return i
    for i in range(index - 1, -1, -1):
        if phases[i].kind in WORK:
            return i
    return 0


@dataclass(frozen=True)
class Current:
    """What the runner shows, from one clock reading."""

    index: int  # into the whole plan
    phase: Phase
    snapshot: Snapshot

    @property
    def self_paced(self) -> bool:
        return self.phase.kind == "self"

    @property
    def seconds_shown(self) -> int | None:
        """The countdown, or None for a self-paced rep."""
        return None if self.self_paced else self.snapshot.seconds_shown


@dataclass(frozen=True)
class View:
    """The runner's lines at one clock reading, and the word and seconds for the session."""

    title: str
    step: str
    rep: str
    clock: str
    word: str
    seconds_left: float | None


def view(now: Current, paused: bool) -> View:
    meta = now.phase.meta
    title = meta["name"]
    if meta["of"] > 1:
        title += f"   (exercise {meta['number']} of {meta['of']})"
    step = (f"Step {meta['step']} of {meta['steps']}: " if meta["steps"] > 1 else "") + meta["text"]
    rep = f"Rep {meta['rep']} of {meta['reps']}"
    kind = now.phase.kind
    if kind == "ready":
        clock = f"Get ready: starts in {now.seconds_shown} s (n: now)"
    elif kind == "hold":
        clock = f"{now.seconds_shown} s left in this rep"
    elif kind == "rest":
        rep += " done"
        clock = f"Rest: {now.seconds_shown} s, then rep {meta['rep'] + 1}"
    else:
        clock = "At your own pace: press Enter when done"
    if paused:
        clock = f"Paused ({clock.lower()}). Space to go on."
    left = None if now.self_paced else now.snapshot.remaining
    return View(title, step, rep, clock, now.phase.label, left)


class GuidedRun:
    """A PhaseTimer over a plan, plus back one rep and a count of the reps done.

    A rep counts as done when its hold runs out, or when the user ends a self-paced rep with
    next (Enter); a hold cut short, or a rep passed over by skip_exercise, does not count. Going back and doing a rep again counts it once.
    """

    def __init__(self, phases: Sequence[Phase], clock: Clock) -> None:
        if not phases:
            raise ValueError("a run needs at least one phase")
        self.phases = list(phases)
        self.clock = clock
        self.offset = 0  # the engine runs phases[offset:]
        self.timer = PhaseTimer(self.phases, clock)
        self.done_reps: set[int] = set()
        self.stopped = False
        self._pending: list[tuple[str, int, Phase]] = []

    # -- control -----------------------------------------------------------
    def start(self) -> None:
        self.timer.start()

    @property
    def finished(self) -> bool:
        """Ran to the end (not stopped)."""
        self._drain()
        return self.timer.done and not self.stopped

    @property
    def over(self) -> bool:
        return self.timer.done

    @property
    def paused(self) -> bool:
        return self.timer.paused

    def toggle_pause(self) -> bool:
        return self.timer.toggle_pause()

    def next(self) -> None:
        """End the current phase now (Enter on a self-paced rep, or n). Ending a self-paced
        rep this way counts it as done; cutting a hold short does not."""
        self._drain()
        if self.timer.done:
            return
        current = self.current()
        if current.self_paced:
            self.done_reps.add(current.index)
        self.timer.skip()

    def skip_exercise(self) -> None:
        """Move on to the next exercise (the run ends after the last one); nothing skipped counts."""
        self._drain()
        if self.timer.done:
            return
        number = self.current().phase.meta["number"]
        while not self.timer.done and self.current().phase.meta["number"] == number:
            self.timer.skip()
            self._drain()

    def back(self) -> None:
        """Go back one rep (see back_target); a pause stays a pause."""
        self._drain()
        if self.timer.done:
            return
        target = back_target(self.phases, self.index)
        was_paused = self.timer.paused
        self.offset = target
        self.timer = PhaseTimer(self.phases[target:], self.clock)
        self.timer.start()
        self._pending.append(("started", target, self.phases[target]))
        self.timer.poll()  # already said above, with the plan index
        if was_paused:
            self.timer.pause()

    def stop(self) -> None:
        self._drain()
        if not self.timer.done:
            self.stopped = True
            self.timer.stop()

    # -- reading -------------------------------------------------------------
    def poll(self) -> list[tuple[str, int, Phase]]:
        """Events since the last poll as ("started" | "ended" | "skipped" | "finished",
        plan index, phase)."""
        self._drain()
        out, self._pending = self._pending, []
        return out

    def _drain(self) -> None:
        for event in self.timer.poll():
            if isinstance(event, PhaseStarted):
                self._pending.append(("started", self.offset + event.index, event.phase))
            elif isinstance(event, PhaseEnded):
                index = self.offset + event.index
                if event.phase.kind == "hold" and not event.skipped:
                    self.done_reps.add(index)
                self._pending.append(("skipped" if event.skipped else "ended", index, event.phase))
            elif isinstance(event, Finished):
                self._pending.append(("finished", len(self.phases) - 1, self.phases[-1]))

    @property
    def index(self) -> int:
        return self.offset + self.timer.snapshot().index

    def current(self) -> Current:
        snap = self.timer.snapshot()
        index = self.offset + snap.index
        return Current(index, self.phases[index], snap)

    def next_change(self) -> float | None:
        """Seconds until the display changes; None when paused, over or self-paced."""
        if self.timer.done or self.timer.paused or self.current().self_paced:
            return None
        return self.timer.next_change()

    def progress(self) -> list[dict[str, Any]]:
        """Per exercise, in order: id, reps done, reps planned, and a result:
        done (passed with at least one rep), skipped (passed with none), stopped (the run
        stopped in it) or not_started."""
        self._drain()
        where = self.index
        over = self.timer.done
        result: list[dict[str, Any]] = []
        by_id: dict[tuple[int, str], dict[str, Any]] = {}
        for i, phase in enumerate(self.phases):
            key = (phase.meta["number"], phase.meta["exercise"])
            entry = by_id.get(key)
            if entry is None:
                entry = {"id": phase.meta["exercise"], "reps_done": 0, "reps": 0, "_first": i, "_last": i}
                by_id[key] = entry
                result.append(entry)
            entry["_last"] = i
            if phase.kind in WORK:
                entry["reps"] += 1
                if i in self.done_reps:
                    entry["reps_done"] += 1
        for entry in result:
            first, last = entry.pop("_first"), entry.pop("_last")
            passed = (over and not self.stopped) or where > last
            if passed:
                entry["result"] = "done" if entry["reps_done"] else "skipped"
            elif self.stopped and first <= where <= last:
                entry["result"] = "stopped"
            elif where >= first and not over:
                entry["result"] = "in_progress"
            else:
                entry["result"] = "not_started"
        return result


def record_details(run: GuidedRun, reason: str | None) -> dict[str, Any]:
    """What the record says about the run if it ends now: completed (reason None) or stopped
    for `reason` (the run is stopped here, so the exercise it was in reads "stopped")."""
    if reason is None:
        return {"exercises": run.progress()}
    exercise = run.current().phase.meta["exercise"]
    run.stop()
    return {"exercise": exercise, "exercises": run.progress()}


def checkpoint_state(run: GuidedRun) -> dict[str, Any]:
    """Where the run is, for the checkpoint (`neck-tui status`); exercises are not resumed."""
    meta = run.current().phase.meta
    return {"exercise": meta["exercise"], "number": meta["number"], "of": meta["of"]}


# The activity this plan runs (found by neck_tui.activities).
ENTRIES = (
    Entry("exercises", "Exercises", "Guided gentle neck exercises", "e", "exercises:ExercisesScreen",
          kind="exercise", label="Exercise", helps=True, suggest=True, order=40,
          record_view="record_text:exercise_sections"),
)
