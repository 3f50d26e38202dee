"""Box breathing: the screen that runs a breathing plan through the session lifecycle.

The plan (neck_tui.plans.breathing) says what each moment shows; this screen only runs the
engine's PhaseTimer and hands the pacer the plan's `view` of each snapshot. Two timers call
`tick()`: a one-shot set for the exact moment the next count or phase begins (so changes land on
time and the bell rings on the boundary), and, when animating, an interval that moves the marker
a few cells' worth of eighth-blocks at ANIMATION_FPS. Pausing stops both, so nothing is written
while paused. The session (neck_tui.lifecycle) saves the record; store errors are its Saver's.
"""

from __future__ import annotations

import os

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Footer, Static

from neck_tui import insights
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.dialogs.patterns import PatternPicker
from neck_tui.engine import PhaseEnded, PhaseStarted, PhaseTimer
from neck_tui.learn import after_context, tip_line
from neck_tui.lifecycle import Session
from neck_tui.plans.breathing import (
    READY,
    Plan,
    View,
    all_plans,
    ended_view,
    length_line,
    pick,
    rings,
    today_line,
    until_next_count,
    view,
)
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line
from neck_tui.widgets.pacer import Pacer
from neck_tui.widgets.triage_hint import TRIAGE_KEY, TriageHint

ANIMATION_FPS = 6  # marker moves per second at most (each move costs bytes over SSH); the count has its own exact timer
RING_GAP_S = 0.4  # between two bells of one cue: heard as two, by a timer so nothing waits
CHECKPOINT_DELAY = 0.25  # s after a cycle ends: between two counts, so a slow write delays neither
RUNNING = ("running", "paused")


class BreathingScreen(NeckScreen):
    """Pick a pattern (default: box 4-4-4-4, or the one given), Enter, and breathe with the square."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),
        Binding("escape", "stop", "Stop", show=False),  # while running: asks first, like q
        Binding("r", "pattern", "Pattern"),  # not p: Posture breaks on Home, one key away
        Binding("escape", "leave", "Back"),
        TRIAGE_KEY,
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    # `var`: a change runs the watcher only; a `reactive` would repaint the whole screen each tick.
    mode: var[str] = var("ready", bindings=True)  # ready, running, paused, done
    shown: var[View] = var(READY, init=False)  # what the pacer shows
    plan: var[Plan | None] = var(None, init=False)
    today: var[int | None] = var(None, init=False)  # whole sessions today; None: unknown

    def __init__(self, pattern: str | None = None) -> None:
        """`pattern`: the id of the pattern to have ready (default: content's default pattern)."""
        super().__init__()
        self.pattern_id = pattern
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None
        self._marker: Timer | None = None  # moves the marker while animating
        self._count: Timer | None = None  # due when the count or the phase changes next
        self._asking: Confirm | None = None

    # -- layout ----------------------------------------------------------------------------
    @property
    def reduced(self) -> bool:
        """Reduced motion: the user's setting, or Textual animations turned off (TEXTUAL_ANIMATIONS=none)."""
        return self.store.state.settings.reduced_motion or self.app.animation_level == "none"

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        with Horizontal(id="breath-head"):
            yield Line(id="breath-name")
            yield Line(id="breath-length")
        steps = 2 if os.environ.get("TERM", "").startswith("linux") else 8  # the console font has no eighths
        self.pacer = Pacer(reduced=self.reduced, steps=steps, id="pacer")
        yield self.pacer
        yield Line(id="breath-today")
        tip = Line(id="breath-tip", markup=False)
        tip.display = False  # until a session's pain-after question is answered
        yield tip
        yield TriageHint()
        yield Static(self.content.breathing.safety, id="breath-safety")
        yield Footer()

    def on_mount(self) -> None:
        self.plan = pick(self.plans(), self.pattern_id, self.content.breathing.default_pattern)
        self.today = self.neck.read("today's breathing sessions", lambda: insights.breathing_today(self.store, self.now()))
        self.watch_today(self.today)  # also when it stays None (unknown): no change, no watcher call
        self.watch_shown(self.shown)  # the pacer's first texts (READY is the default)

    def on_resize(self) -> None:
        # Narrow terminals: a compact Footer, so the session's keys still fit in 40 columns.
        self.query_one(Footer).compact = self.size.width < 60

    def plans(self) -> list[Plan]:
        return all_plans(self.content, self.store.state.settings.custom_patterns)

    def watch_plan(self, plan: Plan | None) -> None:
        if plan is not None:
            self.query_one("#breath-name", Line).text = plan.name
            self.query_one("#breath-length", Line).text = length_line(plan, self.content.breathing.lead_in_seconds)

    def watch_today(self, today: int | None) -> None:
        self.query_one("#breath-today", Line).text = today_line(self.content, today)

    def watch_shown(self, shown: View) -> None:
        self.pacer.set_texts(shown.word, shown.count, shown.note)
        self.pacer.set_position(shown.position)

    def watch_mode(self, mode: str) -> None:
        self.set_class(mode in RUNNING, "-running")  # the triage hint makes room for the pacer
        if mode != "done":
            self.query_one("#breath-tip", Line).display = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "pattern", "leave"):
            return self.mode in ("ready", "done")
        if action == "pause":
            return self.mode == "running"
        if action == "resume":
            return self.mode == "paused"
        if action == "stop":
            return self.mode in RUNNING
        return True

    # -- starting --------------------------------------------------------------------------
    def action_start(self) -> None:
        recent = self.neck.read("recent pain", lambda: insights.recent_pain(self.store, self.now()))
        ask_pain_before(self.app, "Neck pain now, before breathing?", recent, self._begin)

    def _begin(self, pain: int | None) -> None:
        plan = self.plan
        if plan is None or self.mode in RUNNING:
            return
        self.timer = timer = PhaseTimer(plan.phases(self.content.breathing.lead_in_seconds), self.clock)
        self.session = self.neck.new_session(
            "breathing", pain_before=pain, details=plan.details(),
            state=lambda: plan.progress(timer.phases_done),
            describe=lambda reason: plan.progress(timer.phases_done),
        )
        timer.start()  # with the session's start: the schedule runs from the moment it records
        self.neck.begin_session(self.session)
        self.mode = "running"
        self._run_timers()
        self.tick()

    def _run_timers(self) -> None:
        if self.pacer.animated:
            self._marker = self.set_interval(1 / ANIMATION_FPS, self.tick, name="breathing-marker")
        self._next_count()

    def _next_count(self) -> None:
        """Tick at the exact moment the count or the phase changes next, then set the next one."""
        if self.timer is None or self.mode != "running":
            return
        snap = self.timer.snapshot()
        if not snap.done and snap.phase is not None:
            self._count = self.set_timer(until_next_count(snap) + 0.001, self._count_due, name="breathing-count")

    def _count_due(self) -> None:
        self.tick()
        self._next_count()

    def _stop_timers(self) -> None:
        for timer in (self._marker, self._count):
            if timer is not None:
                timer.stop()
        self._marker = self._count = None

    # -- the clock ----------------------------------------------------------------------------
    def tick(self) -> None:
        """Read the engine and show what changed. Called by the timers; tests call it directly."""
        timer, plan, session = self.timer, self.plan, self.session
        if timer is None or plan is None or session is None or self.mode != "running":
            return
        events = timer.poll()
        snap = timer.snapshot()
        ended = [e.phase for e in events if isinstance(e, PhaseEnded)]
        if not snap.done:
            self.shown = view(plan, snap)  # the frame first; events and writes after it
            cue = self.store.state.settings.breathing_cue
            for event in events:
                if isinstance(event, PhaseStarted):
                    self.ring(rings(cue, event.phase))
            session.tick(self.shown.word, snap.remaining)
        for phase in ended:
            session.emit("phase_end", phase=phase.label, seconds_left=0.0)
        if snap.done:
            self._end(completed=True)
        elif any(plan.ends_cycle(phase) for phase in ended):
            # A write can take a while (fsync): do it between two counts, not on the boundary.
            self.set_timer(CHECKPOINT_DELAY, session.checkpoint, name="breathing-checkpoint")

    def ring(self, times: int) -> None:
        """The breathing cue: the bell `times` times, RING_GAP_S apart (the rest on a timer)."""
        if times > 0:
            self.app.bell()
            if times > 1:
                self.set_timer(RING_GAP_S, lambda: self.ring(times - 1), name="breathing-bell")

    # -- pause, stop, finish -----------------------------------------------------------------
    def action_pause(self) -> None:
        if self.timer is None or self.session is None:
            return
        self.timer.pause()
        self.session.pause()
        self._stop_timers()
        self.mode = "paused"
        assert self.plan is not None
        self.shown = view(self.plan, self.timer.snapshot())

    def action_resume(self) -> None:
        if self.timer is None or self.session is None:
            return
        self.timer.resume()
        self.session.resume()
        self.mode = "running"
        self._run_timers()
        self.tick()

    def action_stop(self) -> None:
        """q or escape while a session runs: ask first (docked, so the pacer stays in sight)."""

        def answered(stop: bool | None) -> None:
            self._asking = None
            if stop and self.mode in RUNNING:
                self._end(completed=False, reason="user")

        self._asking = Confirm("Stop breathing?", "What you have done so far is saved.",
                               yes="stop", no="keep going", docked=True)
        self.app.push_screen(self._asking, answered)

    def action_leave(self) -> None:
        self.neck.action_back()

    def on_unmount(self) -> None:
        # Left some other way (the app closing): the session is saved as not completed.
        self._stop_timers()
        if self.session is not None:
            self.session.abandon("left")  # ignored if it has already ended

    def _end(self, completed: bool, reason: str | None = None) -> None:
        session, plan, timer = self.session, self.plan, self.timer
        assert session is not None and plan is not None and timer is not None
        self._stop_timers()
        if self._asking is not None and self.app.screen is self._asking:
            self._asking.dismiss(None)  # the session ended while the stop question was open
        progress = plan.progress(timer.phases_done)
        timer.stop()
        if completed:
            session.finish(True, **progress)
            if self.today is not None:
                self.today += 1
        else:
            session.stop(reason)
        self.mode = "done"
        self.shown = ended_view(plan, completed, progress["cycles_done"])

        def answered(pain: int | None) -> None:
            session.set_pain_after(pain)
            day = self.now().astimezone().date()
            tip = tip_line(self.content, after_context(session.kind), day, self.store.state.settings.tips)
            line = self.query_one("#breath-tip", Line)
            line.text, line.display = tip, bool(tip)

        ask_pain_after(self.app, "Neck pain now, after breathing?", answered)

    # -- patterns ----------------------------------------------------------------------------
    def action_pattern(self) -> None:
        self.app.push_screen(PatternPicker(self.plans(), self.plan.id if self.plan else None), self._picked)

    def _picked(self, plan_id: str | None) -> None:
        plan = next((p for p in self.plans() if p.id == plan_id), None)
        if plan is not None:
            self.plan = plan
            self.mode = "ready"
            self.shown = READY
