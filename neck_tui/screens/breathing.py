"""Box breathing: a paced-breathing session with an animated square, a count and a bell.

The schedule is a PhaseTimer over a lead-in and then cycles x the pattern's phases, so every
phase boundary is a deadline on the session clock. The display is driven two ways: a one-shot
timer set for the exact moment the next count or phase begins (so changes land on time and the
bell rings on the boundary), and, when animating, an interval that moves the marker a few cells'
worth of eighth-blocks at ANIMATION_FPS. Both only call `tick()`, which reads the engine and
hands the pacer what changed; pausing stops both, so nothing is written while paused.

Counts go up: 1, 2, 3, 4 within each breathing phase ("breathe in counting to 4"), and the
lead-in counts down 3, 2, 1.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Footer, Header, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from neck_tui import insights
from neck_tui.dialogs.pain import PainCheck, ask_pain_before
from neck_tui.engine import Finished, Phase, PhaseStarted, PhaseTimer, Snapshot
from neck_tui.screens.base import NeckScreen
from neck_tui.session import SessionLog
from neck_tui.store import CustomPattern, State, Store, StoreError
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.pacer import Pacer

if TYPE_CHECKING:
    from neck_tui.content import Content

ANIMATION_FPS = 8  # marker moves per second at most; the count has its own exact timer
LEAD = "lead"
LEAD_LABEL = "Get ready"


# --- plans: what a session will do --------------------------------------------------------


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


def length_line(plan: "Plan", lead_in: float) -> str:
    """The plan's length for its header: "4 cycles, about 1 min"; under a minute, in seconds."""
    total = plan.total_seconds(lead_in)
    about = f"{round(total)} s" if total < 60 else f"{max(1, round(total / 60))} min"
    return f"{_cycles(plan.cycles)}, about {about}"


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


# --- what a snapshot shows ------------------------------------------------------------------


def shown_count(snap: Snapshot) -> int:
    """The count on screen: up 1..N in a breathing phase, down 3, 2, 1 in the lead-in."""
    assert snap.phase is not None
    if snap.phase.kind == LEAD:
        return max(1, math.ceil(snap.remaining - 1e-9))
    last = max(1, math.ceil(snap.elapsed + snap.remaining - 1e-9))
    return min(last, math.floor(snap.elapsed + 1e-9) + 1)


def until_next_count(snap: Snapshot) -> float:
    """Seconds until the shown count or the phase changes."""
    assert snap.phase is not None
    if snap.phase.kind == LEAD:
        step = snap.remaining - (math.ceil(snap.remaining - 1e-9) - 1)
    else:
        step = math.floor(snap.elapsed + 1e-9) + 1 - snap.elapsed
    return max(0.001, min(step, snap.remaining))


def lap_position(plan: Plan, snap: Snapshot) -> float:
    """Where the marker is on the square (0-4 sides) for this snapshot."""
    if snap.done or snap.phase is None or snap.phase.kind == LEAD:
        return 0.0
    start, length = plan.sides()[snap.phase.meta["step"]]
    duration = snap.elapsed + snap.remaining
    fraction = 1.0 if duration <= 0 else min(1.0, snap.elapsed / duration)
    return start + length * fraction


def cycles_done(timer: PhaseTimer, steps: int) -> int:
    """Whole cycles breathed (the lead-in is phase 0)."""
    return max(0, timer.phases_done - 1) // steps


# --- today's count ----------------------------------------------------------------------------


def breathing_today(store: Store, now: datetime) -> int:
    """Completed breathing sessions since local midnight (reads only this month's file)."""
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return sum(1 for r in store.records(since=midnight, kinds="breathing") if r.completed)


def today_line(content: "Content", store: Store, now: datetime) -> str:
    info = content.breathing
    try:
        count = breathing_today(store, now)
    except StoreError as exc:
        return f"Breathing today: unknown ({exc})"
    return f"Breathing today: {count} (goal {info.daily_goal_min}-{info.daily_goal_max} a day)"


# --- the running session, as the app sees it --------------------------------------------------


class BreathSession:
    """What app.active_session holds while breathing: saved as not completed on quit/SIGHUP."""

    def __init__(self, log: SessionLog, timer: PhaseTimer, plan: Plan) -> None:
        self.log = log
        self.timer = timer
        self.plan = plan

    @property
    def cycles_done(self) -> int:
        return cycles_done(self.timer, len(self.plan.steps))

    def end(self, completed: bool, **details: Any) -> None:
        self.timer.stop()
        self.log.finish(completed, cycles_done=self.cycles_done, **details)

    def abandon(self, reason: str) -> None:
        self.end(False, stopped=reason)


# --- the screen -------------------------------------------------------------------------------


class BreathingScreen(NeckScreen):
    """Pick a pattern (default: box 4-4-4-4), Enter, and breathe with the square."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),
        Binding("p", "pattern", "Pattern"),
        Binding("escape", "leave", "Back"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, pattern: str | None = None) -> None:
        super().__init__()
        self.pattern_id = pattern
        self.state = "ready"  # ready, running, paused, done
        self.plan: Plan | None = None
        self.timer: PhaseTimer | None = None
        self.session: BreathSession | None = None
        self._anim: Timer | None = None
        self._next: Timer | None = None
        self._next_due: float | None = None
        self._pacer: Pacer | None = None

    # -- layout ----------------------------------------------------------------------------
    @property
    def reduced(self) -> bool:
        """Reduced motion: the user's setting, or Textual animations turned off (TEXTUAL_ANIMATIONS=none)."""
        return self.store.state.settings.reduced_motion or self.app.animation_level == "none"

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        with Horizontal(id="breath-head"):
            yield Static(id="breath-name")
            yield Static(id="breath-length")
        steps = 2 if os.environ.get("TERM", "").startswith("linux") else 8  # the console font has no eighths
        yield Pacer(reduced=self.reduced, steps=steps, id="pacer")
        yield Static(id="breath-today")
        yield Static(self.content.breathing.safety, id="breath-safety")
        yield Footer()

    def on_mount(self) -> None:
        plans = self.plans()
        wanted = self.pattern_id or self.content.breathing.default_pattern
        self.plan = next((p for p in plans if p.id == wanted), plans[0])
        self._show_plan()
        self._show_today()
        self._set_ready()

    def on_resize(self) -> None:
        # Narrow terminals: a compact Footer, so the session's keys still fit in 40 columns.
        self.query_one(Footer).compact = self.size.width < 60

    def plans(self) -> list[Plan]:
        return all_plans(self.content, self.store.state.settings.custom_patterns)

    @property
    def pacer(self) -> Pacer:
        if self._pacer is None:
            self._pacer = self.query_one(Pacer)
        return self._pacer

    def _show_plan(self) -> None:
        assert self.plan is not None
        lead = self.content.breathing.lead_in_seconds
        self.query_one("#breath-name", Static).update(self.plan.name)
        self.query_one("#breath-length", Static).update(length_line(self.plan, lead))

    def _show_today(self) -> None:
        self.query_one("#breath-today", Static).update(today_line(self.content, self.store, self.now()))

    def _set_state(self, state: str) -> None:
        self.state = state
        self.refresh_bindings()

    def _set_ready(self) -> None:
        self._set_state("ready")
        self.pacer.set_texts("Ready", "", ("Enter: start", "Enter"))
        self.pacer.set_position(0.0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "pattern"):
            return self.state in ("ready", "done")
        if action == "pause":
            return self.state == "running"
        if action == "resume":
            return self.state == "paused"
        if action == "stop":
            return self.state in ("running", "paused")
        return True

    # -- starting --------------------------------------------------------------------------
    def action_start(self) -> None:
        if self.state not in ("ready", "done"):
            return
        recent = insights.recent_pain(self.store, self.now())
        ask_pain_before(self.app, "Neck pain now, before breathing?", recent, self._begin)

    def _begin(self, pain: int | None) -> None:
        assert self.plan is not None
        lead = self.content.breathing.lead_in_seconds
        self.timer = PhaseTimer(self.plan.phases(lead), self.clock)
        log = SessionLog(
            self.store,
            "breathing",
            self.now,
            pain_before=pain,
            details={"pattern": self.plan.id, "pattern_name": self.plan.name, "cycles": self.plan.cycles},
        )
        self.session = BreathSession(log, self.timer, self.plan)
        self.neck.active_session = self.session
        self._set_state("running")
        self.timer.start()
        self._run_timers()
        self.tick()

    def _run_timers(self) -> None:
        if not self.pacer.animated:
            return
        self._anim = self.set_interval(1 / ANIMATION_FPS, self.tick, name="breathing-marker")

    def _stop_timers(self) -> None:
        for timer in (self._anim, self._next):
            if timer is not None:
                timer.stop()
        self._anim = self._next = None
        self._next_due = None

    # -- the clock ----------------------------------------------------------------------------
    def tick(self) -> None:
        """Read the engine and show what changed. Called by the timers; tests call it directly."""
        timer, plan = self.timer, self.plan
        if timer is None or plan is None or self.state != "running":
            return
        events = timer.poll()
        snap = timer.snapshot()
        if any(isinstance(e, Finished) for e in events) or snap.done:
            self._complete()
            return
        if self.store.state.settings.breathing_bell and any(
            isinstance(e, PhaseStarted) and e.index > 0 for e in events
        ):
            self.app.bell()
        self._show(snap)
        self._schedule(snap)

    def _show(self, snap: Snapshot) -> None:
        assert self.plan is not None and snap.phase is not None
        if snap.phase.kind == LEAD:
            note: tuple[str, ...] = (f"{self.plan.cycles} cycles",)
        else:
            cycle = snap.phase.meta["cycle"]
            note = (f"cycle {cycle} of {self.plan.cycles}", f"{cycle} of {self.plan.cycles}")
        word = "Paused" if snap.paused else snap.phase.label
        if snap.paused:
            note = ("space: resume", "space")
        self.pacer.set_texts(word, str(shown_count(snap)), note)
        self.pacer.set_position(lap_position(self.plan, snap))

    def _schedule(self, snap: Snapshot) -> None:
        """Set the one-shot timer for the exact moment the count or the phase changes next."""
        due = self.clock() + until_next_count(snap)
        if self._next is not None and self._next_due is not None and abs(due - self._next_due) < 0.0005:
            return
        if self._next is not None:
            self._next.stop()
        self._next_due = due
        self._next = self.set_timer(max(0.0, due - self.clock()) + 0.001, self._on_next, name="breathing-count")

    def _on_next(self) -> None:
        self._next = None
        self._next_due = None
        self.tick()

    # -- pause, stop, finish -----------------------------------------------------------------
    def action_pause(self) -> None:
        if self.timer is None or self.state not in ("running", "paused"):
            return
        if self.timer.toggle_pause():
            self._stop_timers()
            self._set_state("paused")
            self._show(self.timer.snapshot())
        else:
            self._set_state("running")
            self._run_timers()
            self.tick()
        self.refresh_bindings()

    action_resume = action_pause

    def action_stop(self) -> None:
        if self.state in ("running", "paused"):
            self._end(completed=False, stopped="user")

    def action_leave(self) -> None:
        if self.state in ("running", "paused"):
            self._end(completed=False, stopped="left", ask=False)
        self.neck.action_back()

    def on_unmount(self) -> None:
        # Left some other way (the palette's Home, quitting): save what was done.
        self._stop_timers()
        session, self.session = self.session, None
        if session is not None:
            if self.neck.active_session is session:
                self.neck.active_session = None
            session.abandon("left")  # a second finish (after ctrl+q saved it) is ignored

    def _complete(self) -> None:
        self._end(completed=True)

    def _end(self, completed: bool, ask: bool = True, **details: Any) -> None:
        session, plan = self.session, self.plan
        self._stop_timers()
        self._set_state("done")
        if session is None or plan is None:
            return
        self.session = None
        if self.neck.active_session is session:
            self.neck.active_session = None
        try:
            session.end(completed, **details)
        except StoreError as exc:
            self.notify(str(exc), title="Session not saved", severity="error", timeout=15)
            return
        done = session.cycles_done
        self.pacer.set_texts("Done" if completed else "Stopped", "", (f"{done} of {plan.cycles} cycles", f"{done}/{plan.cycles}"))
        self.pacer.set_position(0.0)
        if not self.is_mounted:
            return
        self._show_today()
        if ask and (completed or session.timer.phases_done > 0):
            self.app.push_screen(PainCheck("Neck pain now, after breathing?"), session_pain(session))

    # -- patterns ----------------------------------------------------------------------------
    def action_pattern(self) -> None:
        if self.state not in ("ready", "done"):
            return
        self.app.push_screen(PatternPicker(self.plans(), self.plan.id if self.plan else None), self._picked)

    def _picked(self, plan_id: str | None) -> None:
        if plan_id is None:
            return
        for plan in self.plans():
            if plan.id == plan_id:
                self.plan = plan
                self._show_plan()
                self._set_ready()


def session_pain(session: BreathSession) -> Any:
    def save(pain: int | None) -> None:
        try:
            session.log.set_pain_after(pain)
        except StoreError:
            pass  # the session itself is saved; only the after-rating is lost

    return save


# --- choosing a pattern --------------------------------------------------------------------


class PatternPicker(ModalScreen[str | None]):
    """The list of patterns: content's and the user's own. Enter picks, escape keeps the current one."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, plans: list[Plan], current: str | None) -> None:
        super().__init__()
        self.plans = plans
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-box"):
            yield Static("Breathing pattern", id="picker-title")
            yield OptionList(
                *(Option(f"[b]{p.name}[/b]\n[dim]{p.summary}[/dim]", id=p.id) for p in self.plans),
                id="picker-list",
            )
            yield Static("Your own patterns: Settings.", id="picker-help")
        yield Footer()

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [p.id for p in self.plans]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


# --- the user's own patterns (opened from Settings) ------------------------------------------


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
    text = length.strip().lower()
    cycles: int | None = None
    minutes: float | None = None
    for suffix in ("minutes", "minute", "mins", "min", "m"):
        if text.endswith(suffix):
            try:
                minutes = float(text[: -len(suffix)])
            except ValueError:
                break
            if not (math.isfinite(minutes) and 0 < minutes <= 60):
                raise ValueError(f"Length: 1-60 minutes (got {text!r}).")
            break
    if minutes is None:
        count = text.removesuffix("cycles").removesuffix("cycle").strip()
        if not count.isdigit() or not 1 <= int(count) <= 20:
            raise ValueError(f"Length: 1-20 cycles (e.g. 6) or minutes (e.g. 5m) (got {length.strip()!r}).")
        cycles = int(count)
    try:
        return CustomPattern(
            name=name, inhale=numbers[0], hold_in=numbers[1], exhale=numbers[2], hold_out=numbers[3],
            cycles=cycles, minutes=minutes,
        )
    except ValidationError as exc:  # the checks above should have caught it; say it plainly anyway
        raise ValueError(" ".join(str(exc.errors()[0]["msg"]).split())) from None


class CustomPatternsScreen(ModalScreen[None]):
    """Add and delete the user's own breathing patterns (kept in Settings)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("delete", "delete", "Delete pattern"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="patterns-box"):
            yield Static("Your breathing patterns", id="patterns-title")
            yield OptionList(id="patterns-list")
            yield Static("Add one (Enter saves; a pattern with the same name is replaced):", id="patterns-help")
            with Horizontal(classes="pattern-field"):
                yield Label("Name", classes="pattern-label")
                yield Input(placeholder="e.g. Evening", id="pattern-name")
            with Horizontal(classes="pattern-field"):
                yield Label("Seconds", classes="pattern-label")
                yield Input(placeholder="in hold out hold: 4 4 4 4", id="pattern-phases")
            with Horizontal(classes="pattern-field"):
                yield Label("Length", classes="pattern-label")
                yield Input(placeholder="cycles (1-20) or minutes: 6 or 5m", id="pattern-length")
            yield Static(id="pattern-message")
        yield Footer()

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#pattern-name", Input).focus()

    def _fill(self) -> None:
        options = self.query_one("#patterns-list", OptionList)
        options.clear_options()
        patterns = self.app.store.state.settings.custom_patterns  # type: ignore[attr-defined]
        content = self.app.content  # type: ignore[attr-defined]
        if not patterns:
            options.add_option(Option("[dim]None yet.[/dim]", id="none", disabled=True))
        for i, pattern in enumerate(patterns):
            plan = custom_plan(content, pattern, i)
            options.add_option(Option(f"{plan.name}  [dim]{plan.summary}[/dim]", id=str(i)))

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#pattern-message", Static)
        message.set_class(error, "-error")
        message.update(text)
        self.call_after_refresh(message.scroll_visible, animate=False)

    @on(Input.Submitted)
    def _add(self, event: Input.Submitted) -> None:
        fields = [self.query_one(f"#pattern-{n}", Input) for n in ("name", "phases", "length")]
        empty = next((f for f in fields if not f.value.strip()), None)
        if empty is not None:
            empty.focus()  # Enter moves on to the next empty field
            return
        try:
            pattern = parse_pattern(*(f.value for f in fields))
        except ValueError as exc:
            self._message(str(exc), error=True)
            return

        def apply(state: State) -> None:
            kept = [p for p in state.settings.custom_patterns if p.name != pattern.name]
            state.settings.custom_patterns = [*kept, pattern]

        try:
            self.app.store.update_state(apply)  # type: ignore[attr-defined]
        except StoreError as exc:
            self._message(str(exc), error=True)
            return
        for f in fields:
            f.value = ""
        fields[0].focus()
        self._fill()
        self._message(f"Saved {pattern.name!r}; pick it with p on the breathing screen.")

    def action_delete(self) -> None:
        options = self.query_one("#patterns-list", OptionList)
        if options.highlighted is None:
            self._message("Highlight a pattern in the list first (tab to it).", error=True)
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id is None or not option.id.isdigit():
            return
        index = int(option.id)
        patterns = self.app.store.state.settings.custom_patterns  # type: ignore[attr-defined]
        if index >= len(patterns):
            return
        name = patterns[index].name

        def apply(state: State) -> None:
            state.settings.custom_patterns = [p for p in state.settings.custom_patterns if p.name != name]

        try:
            self.app.store.update_state(apply)  # type: ignore[attr-defined]
        except StoreError as exc:
            self._message(str(exc), error=True)
            return
        self._fill()
        self._message(f"Deleted {name!r}.")

    def action_close(self) -> None:
        self.dismiss(None)
