"""Posture breaks: a quiet screen for a tmux pane that rings every N minutes.

Between breaks the screen shows only "Next break in 37 min" and redraws it once a minute, at
the moment the shown minute changes (a one-shot timer computed from the engine's deadline; the
arithmetic is in neck_tui.plans.breaks): nothing is written to the terminal in between.

When a break is due it rings and shows the content's prompts; from then until the user deals
with it the break is a session (neck_tui.lifecycle), so quitting or leaving saves it as missed.
Enter/g runs a short guided break (the content's guided exercise, in the exercise runner), d says
"I took my break", z snoozes, k skips. The record is described in neck_tui.plans.breaks.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Footer

from neck_tui import alerts
from neck_tui.dialogs.confirm import Confirm
from neck_tui.engine import Phase, PhaseTimer
from neck_tui.lifecycle import Session
from neck_tui.plans import breaks as plan
from neck_tui.plans.exercises import GuidedRun, plan_exercise
from neck_tui.screens.base import NeckScreen
from neck_tui.screens.exercises import ExerciseRunner
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.line import Line


class BreaksScreen(NeckScreen):
    MIN_SIZE = (30, 6)  # meant for a small tmux pane; see neck_tui.terminal.minimum_for

    BINDINGS = [
        Binding("enter,g", "guided", "Guided break"),
        Binding("d", "done", "I took it"),
        Binding("z", "snooze", "Snooze"),
        Binding("k", "skip", "Skip"),
        Binding("escape", "leave", "Back"),
    ]

    mode: reactive[str] = reactive("waiting", bindings=True)  # waiting | snoozed | due | guided

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None  # the break that came due (or was started early)
        self.brk: plan.Break | None = None
        self.interval = 0  # minutes of the wait in progress
        self._update: Timer | None = None

    def compose(self) -> ComposeResult:
        # No Header: its clock and the title would redraw; this screen stays still.
        yield RedFlagBanner()
        yield Line(id="break-status", markup=False)
        yield Line(id="break-hint", markup=False)
        yield Line(id="break-prompts", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._wait("waiting", self.interval_minutes())

    def on_screen_resume(self) -> None:
        if self.mode == "guided":  # the runner has closed, however it ended
            self.session = None
            self._wait("waiting", self.interval_minutes())
        elif self.mode == "waiting" and self.timer is not None and self.interval != self.interval_minutes():
            # Back from Settings: a new interval applies to the break being waited for.
            self.interval = self.interval_minutes()
            self.timer.set_duration(0, self.interval * 60)
            self._line("hint", self._hint())
            self.tick()

    def on_unmount(self) -> None:
        self._cancel_update()
        if self.session is not None:
            self.session.abandon("left")  # a due break that was never taken: missed

    def interval_minutes(self) -> int:
        breaks = self.content.posture_breaks
        return plan.interval_minutes(self.store.state.settings.break_interval_min, breaks.min_minutes, breaks.max_minutes)

    # -- the view ------------------------------------------------------------------
    def _line(self, part: str, text: str) -> None:
        self.query_one(f"#break-{part}", Line).text = text

    def _hint(self) -> str:
        return f"A break every {self.interval} min (Settings). g: take one now."

    def watch_mode(self, mode: str) -> None:
        self.query_one("#break-prompts").display = mode == "due"
        if mode == "due":
            breaks = self.content.posture_breaks
            guided = self.content.exercise(breaks.guided_exercise)
            self._line("status", "Break time.")
            self._line("hint", f"Enter/g: guided {guided.name}   d: I took it   z: snooze {breaks.snooze_minutes} min   k: skip")
            self._line("prompts", "\n".join(f"- {p}" for p in breaks.prompts))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "snooze", "skip"):
            return self.mode == "due"
        if action == "guided":
            return self.mode != "guided"
        return True

    # -- the clock -----------------------------------------------------------------
    def _wait(self, mode: str, minutes: float) -> None:
        self.interval = self.interval_minutes()
        self._line("hint", self._hint())
        self.timer = PhaseTimer([Phase(mode, minutes * 60)], self.clock)
        self.timer.start()
        self.mode = mode
        self.tick()

    def tick(self) -> None:
        """Read the engine: show the minutes left, or ring when the break is due."""
        if self.mode not in ("waiting", "snoozed") or self.timer is None:
            return
        snap = self.timer.snapshot()
        if snap.done:
            self._due()
            return
        self._line("status", plan.waiting_text(snap.remaining, self.mode == "snoozed"))
        self._cancel_update()
        self._update = self.set_timer(plan.until_minute_changes(snap.remaining), self.tick)

    def _cancel_update(self) -> None:
        if self._update is not None:
            self._update.stop()
            self._update = None

    def _due(self) -> None:
        self._cancel_update()
        if self.session is None:  # due for the first time (not back from a snooze)
            self._new_break(early=False)
            assert self.session is not None
            self.neck.begin_session(self.session)
        self.session.tick("Break due", None)
        self.session.emit("break_due")
        alerts.alert(self.app, "Posture break", self.content.posture_breaks.prompts[0])  # bell; a desktop notice if on
        self.mode = "due"

    def _new_break(self, early: bool) -> Session:
        self.brk = plan.Break(self.interval, early=early)
        # Its details from the start say "missed": what a record made from its checkpoint after a
        # kill -9 should say. Whatever the user does later replaces them (describe).
        self.session = self.neck.new_session("posture_break", details=self.brk.details(None),
                                             describe=self.brk.details)
        return self.session

    # -- keys ------------------------------------------------------------------------
    def action_guided(self) -> None:
        """Start the guided break (also before it is due: a break taken early)."""
        if self.mode == "guided":
            return
        self._cancel_update()
        if self.session is None:  # a break taken early
            self.neck.begin_session(self._new_break(early=True))
        assert self.session is not None and self.brk is not None
        exercise = self.content.exercise(self.content.posture_breaks.guided_exercise)
        run = GuidedRun(plan_exercise(exercise), self.clock)
        self.brk.guided(exercise.id, run)
        self.session.emit("break_taken")
        self.mode = "guided"
        self.app.push_screen(ExerciseRunner(run, self.session, "Posture break", begin=False, ask_after_completed=False))

    def action_done(self) -> None:
        self._close_due("done", completed=True)

    def action_skip(self) -> None:
        self._close_due("skipped", completed=False)

    def action_snooze(self) -> None:
        if self.mode != "due" or self.session is None or self.brk is None:
            return
        self.brk.snoozed += 1
        self.session.details.update(self.brk.details(None))
        self.session.checkpoint()
        self._wait("snoozed", self.content.posture_breaks.snooze_minutes)

    def _close_due(self, action: str, completed: bool) -> None:
        """Save the due break with what the user did, and wait for the next one."""
        if self.mode != "due" or self.session is None or self.brk is None:
            return
        self.brk.action = action
        if completed:
            self.session.emit("break_taken")
        self.session.stop(None, completed=completed)
        self.session = None
        self._wait("waiting", self.interval_minutes())

    def action_leave(self) -> None:
        """escape: back; while a break is due (or snoozed) ask first, as it is saved as missed."""
        if self.session is None:
            self.app.action_back()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.app.action_back()

        self.app.push_screen(
            Confirm("Leave posture breaks?", "The break that is due is saved as missed, and no more breaks ring.",
                    yes="leave", no="stay", docked=True),
            answered,
        )
