"""The heat / cold / contrast plan. Pure: no Textual; time from the injected clocks.

- The phases a session runs: `session_phases` (a whole session), `round_phases` (one round, the
  user's minutes clamped to the content by `phase_bounds`), `next_round_phases` (another cycle).
- `ThermalRun`: one running session: its PhaseTimer, its skin checks, and what the screen shows
  (the phase word, round, "next", progress, the phase's text), what its record holds (`details`)
  and what its checkpoint holds (`state`, written by neck_tui.resume: one phase list).

Skin checks follow the phase. Each check belongs to one phase (its index): "during" is asked
`skin_check_after_minutes` into an application, "before" at the start of every application
after the first, "resume" when a session is carried on inside an application. Every application
after the first is a `hold` phase: the engine stops at its very start and the countdown waits
there until the before-check is answered (`o` starts it, `p` ends the session). A check still
waiting when its phase ends is closed and kept as unanswered, with its phase and time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Callable, Mapping

from neck_tui import resume
from neck_tui.activities import Entry
from neck_tui.content import Regimen, RegimenPhase
from neck_tui.engine import Phase, PhaseTimer, Snapshot

PHASE_WORDS = {"heat": "HEAT", "cold": "COLD", "off": "OFF"}
PROBLEM = "problem"


def is_application(kind: str) -> bool:
    return kind != "off"


def minutes_text(seconds: float) -> str:
    return f"{round(seconds / 60, 1):g} min"


# --- the phases ------------------------------------------------------------------------------------


def phase_bounds(step: RegimenPhase) -> tuple[float, float]:
    """Minutes the user may choose for a step: an application may be shortened (down to a
    minute) but never made longer than the content allows; an off phase stays within its range."""
    high = step.maximum
    if step.min_minutes is not None:
        low = step.min_minutes
    else:
        low = step.minutes if not is_application(step.kind) else min(1.0, high)
    return low, high


def minute_range(low: float, high: float, default: float | None = None) -> list[float]:
    """Whole minutes from low up to high (both ends and the default included, even if fractional)."""
    values = {float(low), float(high)} | ({float(default)} if default is not None else set())
    m = float(int(low) + 1 if low != int(low) else low)
    while m < high:
        values.add(m)
        m += 1
    return sorted(values)


def round_phases(regimen: Regimen, round_no: int, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """One round with the user's minutes per step, clamped to content. Applications are `hold`
    phases (their skin check comes first); session_phases releases the session's very first."""
    minutes = minutes or {}
    out = []
    for step, rp in enumerate(regimen.phases):
        low, high = phase_bounds(rp)
        chosen = min(max(float(minutes.get(step, rp.minutes)), low), high)
        out.append(
            Phase(
                rp.kind,
                chosen * 60,
                label=rp.kind.capitalize(),
                min_seconds=None if is_application(rp.kind) else low * 60,
                max_seconds=high * 60,
                meta={"round": round_no, "step": step},
                hold=is_application(rp.kind),
            )
        )
    return out


def _drop_trailing_off(phases: list[Phase]) -> list[Phase]:
    end = len(phases)
    while end > 0 and not is_application(phases[end - 1].kind):
        end -= 1
    return phases[:end] if end else phases


def session_phases(regimen: Regimen, rounds: int | None, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """The phases of a whole session. A finite session ends with its last application (the
    final rest is advice on the done view, not a countdown); `rounds=None` (until stopped)
    starts with two rounds and one more is added as each new round begins."""
    count = rounds if rounds else 2
    phases = [p for r in range(1, count + 1) for p in round_phases(regimen, r, minutes)]
    phases[0] = replace(phases[0], hold=False)  # the pain check has just been answered: go
    return phases if rounds is None else _drop_trailing_off(phases)


def next_round_phases(regimen: Regimen, timer: PhaseTimer, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """Another round after a finished session: first the rest that was left off its end."""
    last_round = int(timer.phases[-1].meta.get("round", 1))
    previous = round_phases(regimen, last_round, minutes)
    rest = previous[len(_drop_trailing_off(previous)) :] if any(is_application(p.kind) for p in previous) else []
    return rest + _drop_trailing_off(round_phases(regimen, last_round + 1, minutes))


# --- the setup ---------------------------------------------------------------------------------------


def plan_text(regimen: Regimen, minutes: Mapping[int, float], rounds: int | None) -> str:
    """The setup's one-paragraph summary of what will run."""
    steps = ", then ".join(f"{p.kind} {minutes.get(i, p.minutes):g} min" for i, p in enumerate(regimen.phases))
    if rounds is None:
        how_many = "Round after round until you stop."
    elif regimen.again_prompt:
        how_many = f"Up to {regimen.max_rounds} cycles."
    else:
        how_many = f"{rounds} round{'s' if rounds != 1 else ''}."
    return (
        f"{steps[0].upper()}{steps[1:]}. {how_many} Skin checks {regimen.skin_check_after_minutes:g} min "
        "into each application and before the next one starts."
    )


def step_shown(regimen: Regimen, rounds: int | None, step: int) -> bool:
    """An off step is offered only if the session will have it (not after the last application)."""
    if is_application(regimen.phases[step].kind):
        return True
    last_app = max((i for i, p in enumerate(regimen.phases) if is_application(p.kind)), default=-1)
    return rounds != 1 or step < last_app


# --- one running session -------------------------------------------------------------------------


@dataclass(frozen=True)
class SkinCheckDue:
    """A skin check asked for the phase at `index`."""

    when: str  # "during", "before" or "resume"
    index: int
    kind: str
    round: int
    context: str  # one line for the prompt, e.g. "Before the cold goes on (round 2)."
    asked: datetime


class ThermalRun:
    """A session of a regimen on its timer: what it shows, saves and checkpoints."""

    def __init__(
        self,
        regimen: Regimen,
        rounds: int | None,
        minutes: Mapping[int, float],
        timer: PhaseTimer,
        now: Callable[[], datetime],
        skin_checks: list[dict[str, Any]] | None = None,
    ) -> None:
        self.regimen = regimen
        self.rounds = rounds  # None: until stopped
        self.minutes = dict(minutes)
        self.timer = timer
        self.now = now
        self.skin_checks: list[dict[str, Any]] = list(skin_checks or [])
        self.pending: SkinCheckDue | None = None
        self.asked_during: set[int] = set()  # applications whose "during" check was asked (or stands)
        self.problem = False

    @classmethod
    def start(cls, regimen: Regimen, rounds: int | None, minutes: Mapping[int, float],
              clock: Callable[[], float], now: Callable[[], datetime]) -> "ThermalRun":
        timer = PhaseTimer(session_phases(regimen, rounds, minutes), clock=clock)
        timer.start()
        timer.poll()
        return cls(regimen, rounds, minutes, timer, now)

    @classmethod
    def resumed(cls, plan: resume.ResumePlan, regimen: Regimen,
                clock: Callable[[], float], now: Callable[[], datetime]) -> "ThermalRun":
        """Carry a checkpointed session on where it would be now (time away counted)."""
        timer = PhaseTimer(plan.phases, clock=clock)
        timer.start(elapsed=min(plan.elapsed, plan.total))
        timer.poll()
        if plan.paused and not timer.held:
            timer.pause()
        # The user's minutes per step, as planned in the checkpoint (for more rounds, the last rest).
        minutes = {int(p.meta["step"]): d / 60 for p, d in zip(timer.phases, timer.durations) if "step" in p.meta}
        run = cls(regimen, plan.rounds, minutes, timer, now, plan.skin_checks)
        run.asked_during.update(range(timer.index))  # what happened while away needs no check now
        return run

    # -- what it saves ------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """The checkpoint (resume and `neck-tui status`)."""
        return resume.checkpoint_state(self.timer, regimen=self.regimen.id, rounds=self.rounds,
                                       skin_checks=self.skin_checks)

    def details(self, stopped: str | None) -> dict[str, Any]:
        """The record's details if the session ended now (a waiting check counts as unanswered)."""
        phases, ended = resume.record_phases(self.state())
        rounds_done = 0
        for r in sorted({int(p.meta.get("round", 1)) for p in self.timer.phases}):
            apps = [i for i, p in enumerate(self.timer.phases)
                    if int(p.meta.get("round", 1)) == r and is_application(p.kind)]
            if apps and all(i < ended for i in apps):
                rounds_done = r
        checks = self.skin_checks + ([self._entry(self.pending, "unanswered")] if self.pending else [])
        return {
            "regimen": self.regimen.id,
            "rounds": self.rounds or 0,
            "until_stopped": self.rounds is None,
            "rounds_done": rounds_done,
            "phases_done": ended,
            "phases": phases,
            "skin_checks": checks,
            "stopped": stopped,
        }

    # -- skin checks ----------------------------------------------------------------------------
    @property
    def check_after_s(self) -> float:
        return self.regimen.skin_check_after_minutes * 60

    def due_check(self, snap: Snapshot) -> SkinCheckDue | None:
        """The check to ask now, if any (none while another waits)."""
        phase = snap.phase
        if self.pending is not None or snap.done or phase is None or not is_application(phase.kind):
            return None
        name = phase.label.lower()
        if self.timer.held:
            return self._due("before", snap, f"Before the {name} goes on (round {phase.meta.get('round', 1)}).")
        if (
            not snap.paused
            and snap.index not in self.asked_during
            and snap.elapsed >= self.check_after_s
            and self.timer.durations[snap.index] > self.check_after_s
        ):
            return self._due("during", snap, f"{self.check_after_s / 60:g} minutes into the {name}.")
        return None

    def resume_check(self, snap: Snapshot, left: str) -> SkinCheckDue | None:
        """Coming back into a running application: look first (it stands for its "during" check)."""
        phase = snap.phase
        if phase is None or snap.done or not is_application(phase.kind) or self.timer.held:
            return None
        return self._due("resume", snap, f"Welcome back: {phase.label.lower()} has {left} left.")

    def _due(self, when: str, snap: Snapshot, context: str) -> SkinCheckDue:
        phase = snap.phase
        assert phase is not None
        return SkinCheckDue(when, snap.index, phase.kind, int(phase.meta.get("round", 1)), context, self.now())

    def ask(self, check: SkinCheckDue) -> None:
        self.pending = check
        if check.when != "before":
            self.asked_during.add(check.index)

    def pending_is_stale(self) -> bool:
        """The waiting check's phase has ended."""
        return self.pending is not None and (self.timer.done or self.timer.index != self.pending.index)

    def answer(self, answer: str) -> None:
        """The user answered the waiting check; a before-check's OK starts the held application."""
        check = self.pending
        if check is None:
            return
        self.skin_checks.append(self._entry(check, answer))
        self.pending = None
        if answer == PROBLEM:
            self.problem = True
        elif check.when == "before" and self.timer.held:
            self.timer.resume()

    def close_pending(self) -> SkinCheckDue | None:
        """Close the waiting check as unanswered (its phase ended, or the session did)."""
        check = self.pending
        if check is not None:
            self.skin_checks.append(self._entry(check, "unanswered"))
            self.pending = None
        return check

    def _entry(self, check: SkinCheckDue, answer: str) -> dict[str, Any]:
        return {"asked": check.asked, "at": self.now(), "answer": answer, "phase": check.kind,
                "round": check.round, "when": check.when}

    # -- rounds ------------------------------------------------------------------------------------
    def extend_if_needed(self, index: int) -> None:
        """Until stopped: when the last planned round begins, plan one more."""
        if self.rounds is not None:
            return
        last_round = int(self.timer.phases[-1].meta.get("round", 1))
        if int(self.timer.phases[index].meta.get("round", 1)) >= last_round:
            self.timer.extend(round_phases(self.regimen, last_round + 1, self.minutes))

    def another_cycle_offered(self) -> bool:
        done_round = int(self.timer.phases[-1].meta.get("round", 1))
        return bool(self.regimen.again_prompt) and done_round < self.regimen.max_rounds

    def add_cycle(self) -> None:
        self.timer.extend(next_round_phases(self.regimen, self.timer, self.minutes))

    def completed_if_stopped(self) -> bool:
        """Stopping counts as done only between rounds of an until-stopped session, or after a cycle."""
        timer = self.timer
        if timer.done:
            return True
        phase = timer.phases[timer.index]
        return self.rounds is None and not is_application(phase.kind) and len(timer.actual) > 0

    def skip(self) -> str:
        """`n`: end the current phase now. A rest short of its minimum stays: the reason why."""
        snap = self.timer.snapshot()
        low = snap.phase.min_seconds if snap.phase and not is_application(snap.phase.kind) else None
        if low is not None and snap.elapsed < low:
            return f"Not yet: the skin needs {minutes_text(low)} off, {resume.mmss(low - snap.elapsed)} to go."
        self.timer.skip()
        return ""

    def change_rest(self, minutes: int) -> str:
        """`+`/`-`: a minute more or less of the current rest; at the content's limits, which they are."""
        timer = self.timer
        phase, before = timer.phases[timer.index], timer.durations[timer.index]
        if is_application(phase.kind) or timer.adjust(minutes * 60) != before:
            return ""
        low, high = minutes_text(phase.min_seconds or 0), minutes_text(phase.max_seconds or before)
        return f"Off time stays between {low} and {high}."

    # -- what the screen shows -----------------------------------------------------------------------
    def word(self, snap: Snapshot) -> str:
        kind = snap.phase.kind if snap.phase else "off"
        word = PHASE_WORDS.get(kind, kind.upper())
        if self.timer.held:
            return f"{word} · WAITING"
        return f"{word} · PAUSED" if snap.paused else word

    def round_text(self, snap: Snapshot) -> str:
        round_no = int(snap.phase.meta.get("round", 1)) if snap.phase else 1
        if self.rounds is None:
            of = " (until you stop)"
        elif self.regimen.again_prompt:
            of = f" of up to {self.regimen.max_rounds}"
        else:
            of = f" of {self.rounds}"
        return f"Round {round_no}{of}"

    def next_text(self, snap: Snapshot) -> str:
        timer = self.timer
        if snap.done:
            return "Next: your choice"
        i = snap.index + 1
        if i >= len(timer.phases):
            rest = self.last_rest_minutes()
            if rest is not None:  # the session ends with this application; the skin still needs its rest
                return f"Next: take it off, rest {minutes_text(rest * 60)}; session ends"
            return "Next: done"
        nxt = timer.phases[i]
        check = " (skin check first)" if nxt.hold else ""
        return f"Next: {nxt.label.lower()} {minutes_text(timer.durations[i])}{check}"

    def status_text(self, snap: Snapshot) -> str:
        if self.timer.held and snap.phase is not None:
            return f"Skin check first: the {snap.phase.label.lower()} starts when you answer it."
        if snap.paused:
            return "Paused: space to carry on."
        return "Cycle done." if snap.done else ""

    def progress(self, snap: Snapshot) -> tuple[float, float]:
        """Seconds done and in all: the session's, or for an until-stopped session, this round's."""
        timer = self.timer
        if self.rounds is not None:
            ended = len(timer.actual)
            return snap.total_elapsed, sum(timer.actual) + sum(timer.durations[ended:])
        round_no = timer.phases[snap.index].meta.get("round")
        idx = [i for i, p in enumerate(timer.phases) if p.meta.get("round") == round_no]
        total = sum(timer.durations[i] for i in idx)
        done = sum(timer.actual[i] for i in idx if i < len(timer.actual))
        return done + (0.0 if snap.done else snap.elapsed), total

    def phase_text(self, snap: Snapshot, off_text: str, short: bool = False) -> str:
        """The phase's own text from content (its `short` form on a small screen)."""
        phase = snap.phase
        if phase is None:
            return ""
        step = phase.meta.get("step")
        text = ""
        if step is not None and step < len(self.regimen.phases):
            rp = self.regimen.phases[step]
            text = (rp.short or rp.text) if short else rp.text
        return text or ("" if is_application(phase.kind) else off_text)

    def last_rest_minutes(self) -> float | None:
        """The rest the regimen asks for after its last application (the user's choice if set)."""
        rests = [(i, p) for i, p in enumerate(self.regimen.phases) if not is_application(p.kind)]
        if not rests:
            return None
        step, rest = rests[-1]
        offs = [self.timer.durations[i] for i, p in enumerate(self.timer.phases) if not is_application(p.kind)]
        return offs[-1] / 60 if offs else self.minutes.get(step, rest.minutes)

    def rest_text(self, off_text: str) -> str:
        """What to do after the last application: the regimen's rest, and when more is fine."""
        minutes = self.last_rest_minutes()
        if minutes is None:
            return off_text
        rest = [p for p in self.regimen.phases if not is_application(p.kind)][-1]
        when = (self.now() + timedelta(minutes=minutes)).astimezone().strftime("%H:%M")
        what = self.regimen.kind if self.regimen.kind != "contrast" else "heat or cold"
        return f"{rest.text or off_text}\nMore {what} from {when}."


# The activities this plan runs (found by neck_tui.activities).
ENTRIES = (
    Entry("heat", "Heat", "Heat pack timer with skin checks", "h", "thermal:ThermalScreen", ("heat",),
          kind="heat", helps=True, suggest=True, order=20, record_view="record_text:thermal_sections"),
    Entry("cold", "Cold", "Cold pack timer with skin checks", "c", "thermal:ThermalScreen", ("cold",),
          kind="cold", helps=True, suggest=True, order=21, record_view="record_text:thermal_sections"),
    Entry("contrast", "Contrast", "Heat and cold in turn", "x", "thermal:ThermalScreen", ("contrast",),
          kind="contrast", helps=True, suggest=True, order=22, record_view="record_text:thermal_sections"),
)
