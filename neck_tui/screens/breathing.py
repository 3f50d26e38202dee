"""Box breathing: the timed session screen (neck_tui.screens.timed) running a breathing plan.

The plan (neck_tui.plans.breathing) says what each moment shows; this screen hands the pacer the
plan's `view` of each snapshot, and has what is breathing's own: the pattern (r, the picker),
the pacer, today's count, the bell (Settings' cue style) and a tip after the pain-after
question. The clock is due when the count or the phase changes, or when the marker reaches its
next cell, whichever comes first. A checkpoint is taken at the end of each cycle.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.reactive import var
from textual.widgets import Static

from neck_tui import insights
from neck_tui.dialogs.patterns import PatternPicker
from neck_tui.engine import Event, Phase, PhaseStarted, PhaseTimer, Snapshot
from neck_tui.learn import after_context, tip_line
from neck_tui.lifecycle import Session
from neck_tui.plans.breathing import (
    READY, Plan, View, all_plans, ended_view, length_line, pick, rings, today_line, until_next_count, view,
)
from neck_tui.screens.timed import RUNNING, TimedSessionScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line
from neck_tui.widgets.pacer import Pacer
from neck_tui.widgets.triage_hint import TRIAGE_KEY, TriageHint

RING_GAP_S = 0.4  # between two bells of one cue: heard as two, by a timer so nothing waits


class BreathingScreen(TimedSessionScreen):
    """Pick a pattern (default: box 4-4-4-4, or the one given), Enter, and breathe with the square."""

    KIND = "breathing"
    PAIN_BEFORE = "Neck pain now, before breathing?"
    PAIN_AFTER = "Neck pain now, after breathing?"
    STOP_QUESTION = "Stop breathing?"
    IDLE_ACTIONS = (*TimedSessionScreen.IDLE_ACTIONS, "pattern")
    BINDINGS = [Binding("r", "pattern", "Pattern"), TRIAGE_KEY]  # not p: Posture breaks on Home, one key away
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    shown: var[View] = var(READY, init=False)  # what the pacer shows
    plan: var[Plan | None] = var(None, init=False)
    today: var[int | None] = var(None, init=False)  # whole sessions today; None: unknown

    def __init__(self, pattern: str | None = None) -> None:
        """`pattern`: the id of the pattern to have ready (default: content's default pattern)."""
        super().__init__()
        self.pattern_id = pattern

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
        self.pacer = Pacer(reduced=self.reduced, id="pacer")
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
        super().on_mount()

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
        self.pacer.set_position(shown.position, shown.speed)

    def watch_mode(self, mode: str) -> None:
        self.set_class(mode in RUNNING, "-running")  # the triage hint makes room for the pacer
        if mode != "done":
            self.query_one("#breath-tip", Line).display = False

    # -- the session (neck_tui.screens.timed calls these) -----------------------------------------
    def make_phases(self) -> list[Phase]:
        assert self.plan is not None
        return self.plan.phases(self.content.breathing.lead_in_seconds)

    def session_details(self, timer: PhaseTimer) -> tuple[dict[str, Any], dict[str, Any]]:
        assert self.plan is not None
        return self.plan.details(), self.plan.progress(timer.phases_done)

    def show_ready(self) -> None:
        self.watch_shown(READY)  # the pacer's first texts (READY is the default: no watcher call)

    def show_snapshot(self, snap: Snapshot) -> str:
        assert self.plan is not None
        self.shown = view(self.plan, snap)
        return self.shown.word

    def next_tick(self, snap: Snapshot) -> float | None:
        """When the count or the phase changes, or the marker moves on a cell."""
        move = self.pacer.until_next_move()
        return until_next_count(snap) if move is None else min(move, until_next_count(snap))

    def cue(self, events: list[Event], done: bool) -> None:
        if not done:
            cue = self.store.state.settings.breathing_cue
            for event in events:
                if isinstance(event, PhaseStarted):
                    self.ring(rings(cue, event.phase))

    def ring(self, times: int) -> None:
        """The breathing cue: the bell `times` times, RING_GAP_S apart (the rest on a timer);
        a ring still to come is dropped once the session is paused or over."""
        if times > 0 and self.mode == "running":
            self.app.bell()
            if times > 1:
                self.set_timer(RING_GAP_S, lambda: self.ring(times - 1), name="breathing-bell")

    def checkpoint_after(self, phase: Phase) -> bool:
        assert self.plan is not None
        return self.plan.ends_cycle(phase)

    def show_ended(self, completed: bool, progress: dict[str, Any]) -> None:
        assert self.plan is not None
        if completed and self.today is not None:
            self.today += 1
        self.shown = ended_view(self.plan, completed, progress["cycles_done"])

    def pain_answered(self, session: Session) -> None:
        day = self.now().astimezone().date()
        tip = tip_line(self.content, after_context(session.kind), day, self.store.state.settings.tips)
        line = self.query_one("#breath-tip", Line)
        line.text, line.display = tip, bool(tip)

    # -- patterns ----------------------------------------------------------------------------------
    def action_pattern(self) -> None:
        self.app.push_screen(PatternPicker(self.plans(), self.plan.id if self.plan else None), self._picked)

    def _picked(self, plan_id: str | None) -> None:
        plan = next((p for p in self.plans() if p.id == plan_id), None)
        if plan is not None:
            self.plan = plan
            self.mode = "ready"
            self.shown = READY
