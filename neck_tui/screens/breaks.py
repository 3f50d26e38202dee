"""Posture breaks: a quiet screen for a tmux pane that rings every N minutes.

Between breaks the screen shows only "Next break in 37 min" and redraws it once a minute, at
the moment the shown minute changes (a one-shot timer computed from the engine's deadline; the
arithmetic is in neck_tui.plans.breaks): nothing is written to the terminal in between.

When a break is due it rings and shows the content's prompts; from then until the user deals
with it the break is a session (neck_tui.lifecycle), so quitting or leaving saves it as missed.
Enter/g runs a short guided break (the content's guided exercise, in the exercise runner), d says
"I took my break", z snoozes, s skips. The record is described in neck_tui.plans.breaks.

Made for a pane of any size down to 20x1 (issue 16): below 6 rows the screen keeps one line,
"Break in 32m · g now" (at 3-5 rows the hint or the first prompt and the Footer under it). Time
away counts: when none of the user's ttys has seen input for Settings.away_min (neck_tui.idle),
the due break (or a new one) is saved as taken while away (action "away", from when they left to
when they came back) and the wait starts again from their return. Outside Settings.working_hours
the screen waits quietly for their next start (neck_tui.break_rules); a snooze running past their
end is saved as missed. Settings.break_skips_per_day caps `s`.

`neck-tui status` shows the next break. While a break is due or snoozed its session's checkpoint
carries break_due_at. Between breaks no session runs (leaving or quitting then saves nothing and
asks nothing), so the screen holds <data dir>/.breaks.lock with the due time written in it, once
per wait (when it starts), never between minute updates; the kernel frees it when we are gone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.reactive import reactive
from textual.timer import Timer

from neck_tui import alerts
from neck_tui.break_rules import WorkingHours, WorkingHoursError
from neck_tui.dialogs.confirm import Confirm
from neck_tui.engine import Phase, PhaseTimer
from neck_tui.idle import IdleReader
from neck_tui.learn import tip_line
from neck_tui.lifecycle import Session
from neck_tui.plans import breaks as plan
from neck_tui.plans.exercises import GuidedRun, plan_exercise
from neck_tui.screens.base import NeckScreen
from neck_tui.screens.exercises import ExerciseRunner
from neck_tui.terminal.session_lock import BREAKS_LOCK, SessionLock
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.line import Line

AWAY_POLL_S = 30.0  # how often the ttys' idle time is read (a few stat() calls, nothing written)
SMALL_ROWS = 6  # fewer rows than this: the one-line layout
TINY_ROWS = 3  # fewer than this: the line alone

class BreaksScreen(NeckScreen):
    MIN_SIZE = (10, 1)  # meant for a small tmux pane; see neck_tui.terminal.minimum_for

    BINDINGS = [
        Binding("enter,g", "guided", "Guided break"),
        Binding("d", "done", "I took it"),
        Binding("z", "snooze", "Snooze"),
        Binding("s", "skip", "Skip"),  # s skips everywhere (a pain rating, an exercise)
        Binding("escape", "leave", "Back"),
    ]

    # waiting | snoozed | due | guided | off_hours (outside working hours)
    mode: reactive[str] = reactive("waiting", bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None  # the break that came due (or was started early)
        self.brk: plan.Break | None = None
        self.interval = 0  # minutes of the wait in progress
        self._update: Timer | None = None
        self.due_at: datetime | None = None  # when the wait in progress ends (`neck-tui status`)
        self.idle: Callable[[], float | None] = IdleReader()
        self._away_since: datetime | None = None
        self._hours_error: str | None = None  # a bad working_hours setting, said once
        self._status: SessionLock | None = None  # .breaks.lock: the next break for `neck-tui status`

    def compose(self) -> ComposeResult:
        # No Header: its clock and the title would redraw; this screen stays still.
        yield RedFlagBanner()
        yield Line(id="break-line", markup=False)  # the whole screen in a small pane
        yield Line(id="break-status", markup=False)
        yield Line(id="break-hint", markup=False)
        yield Line(id="break-prompts", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self._status = SessionLock(self.store.data_dir, BREAKS_LOCK)
        self._fit(self.app.size.height)
        self.set_interval(AWAY_POLL_S, self.check_away)
        self._wait("waiting", self.interval_minutes())

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.height)

    def _fit(self, rows: int) -> None:
        self.set_class(rows < SMALL_ROWS, "-small")
        self.set_class(rows < TINY_ROWS, "-tiny")

    def on_screen_resume(self) -> None:
        if self.mode == "guided":  # the runner has closed, however it ended
            self.session = None
            self._wait("waiting", self.interval_minutes())
        elif self.mode == "waiting" and self.timer is not None and self.interval != self.interval_minutes():
            # Back from Settings: a new interval applies to the break being waited for.
            self.interval = self.interval_minutes()
            self.timer.set_duration(0, self.interval * 60)
            self.due_at = self.now() + timedelta(seconds=self.timer.snapshot().remaining)
            self._note_status()
            self._line("hint", self._hint())
            self.tick()

    def on_unmount(self) -> None:
        self._cancel_update()
        if self._status is not None:
            self._status.release()
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
        self.set_class(mode == "due", "-due")  # styles/breaks.tcss shows the prompts
        if mode == "due":
            breaks = self.content.posture_breaks
            guided = self.content.exercise(breaks.guided_exercise)
            self._line("status", "Break time.")
            self._line("line", plan.DUE_LINE)
            self._line("hint", f"Enter/g: guided {guided.name}   d: I took it   z: snooze {breaks.snooze_minutes} min   s: skip")
            tip = tip_line(self.content, "posture_break", self.now().astimezone().date(), self.store.state.settings.tips)
            self._line("prompts", "\n".join([*(f"- {p}" for p in breaks.prompts), *(["", tip] if tip else [])]))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "snooze", "skip"):
            return self.mode == "due"
        if action == "guided":
            return self.mode != "guided"
        return True

    # -- the clock -----------------------------------------------------------------
    def _wait(self, mode: str, minutes: float) -> None:
        if self._off_hours():
            return
        self.interval = self.interval_minutes()
        self._line("hint", self._hint())
        self.timer = PhaseTimer([Phase(mode, minutes * 60)], self.clock)
        self.timer.start()
        self.due_at = self.now() + timedelta(minutes=minutes)
        self._note_status()
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
        snoozed = self.mode == "snoozed"
        self._line("status", plan.waiting_text(snap.remaining, snoozed))
        self._line("line", plan.line_text(snap.remaining, snoozed))
        if self.session is not None:  # snoozed: the title reads "Break in 10m"
            self.session.tick("Snoozed", snap.remaining)
        self._schedule(plan.until_minute_changes(snap.remaining), self.tick)

    def _schedule(self, delay: float, then: Callable[[], None]) -> None:
        self._cancel_update()
        self._update = self.set_timer(delay, then)

    def _cancel_update(self) -> None:
        if self._update is not None:
            self._update.stop()
            self._update = None

    def _due(self) -> None:
        self._cancel_update()
        if self._off_hours():
            return
        if self.session is None:  # due for the first time (not back from a snooze)
            self._new_break(early=False)
            assert self.session is not None
            self.neck.begin_session(self.session)
        self.session.tick("Break due", None)
        self.session.emit("break_due")
        alerts.alert(self.app, "Posture break", self.content.posture_breaks.prompts[0])  # bell; a desktop notice if on
        self.mode = "due"

    def _new_break(self, early: bool, started: datetime | None = None) -> Session:
        self.brk = plan.Break(self.interval, early=early)
        # Its details from the start say "missed": what a record made from its checkpoint after a
        # kill -9 should say. Whatever the user does later replaces them (describe).
        self.session = self.neck.new_session("posture_break", details=self.brk.details(None), started=started,
                                             describe=self.brk.details, state=self._checkpoint_state)
        return self.session

    def _note_status(self) -> None:
        if self._status is not None:
            self._status.note("" if self.due_at is None else f"{self.due_at.timestamp():.3f}")

    def _checkpoint_state(self) -> dict[str, Any]:
        """What `neck-tui status` reads besides the common keys: when the break is (was) due."""
        return {"break_due_at": self.due_at} if self.due_at is not None else {}

    # -- working hours and time away ---------------------------------------------------
    def working_hours(self) -> WorkingHours | None:
        """The hours reminders ring in (None: always); a bad setting is said once and ignored."""
        text = self.store.state.settings.working_hours
        try:
            return WorkingHours.parse(text)
        except WorkingHoursError as e:
            if self._hours_error != text:
                self._hours_error = text
                self.notify(f"state.toml [settings] {e}; reminders ring all day.", severity="warning", timeout=15)
            return None

    def _off_hours(self) -> bool:
        """Outside working hours: wait quietly for their next start (True), else False."""
        hours = self.working_hours()
        now = self.now()
        if hours is None or hours.contains(now):
            return False
        if self.session is not None:  # a snooze that ran past the end of the day
            self.session.abandon("outside working hours")
            self.session = None
        start = hours.next_start(now)
        when = plan.starts_text(start, now)
        self.timer = None
        self.due_at = None
        self._note_status()
        self._line("status", f"Outside working hours. Breaks from {when}.")
        self._line("line", f"Breaks from {when} · g now")
        self._line("hint", "Working hours are in Settings (state.toml working_hours). g: take one now.")
        self.mode = "off_hours"
        self._schedule((start - now).total_seconds(), self.back_to_work)
        return True

    def back_to_work(self) -> None:
        """Working hours have begun: a full interval to the first break."""
        self._wait("waiting", self.interval_minutes())

    def check_away(self) -> None:
        """Read the ttys' idle time: note when the user left, and count their return as a break."""
        away_s = self.store.state.settings.away_min * 60
        if away_s <= 0 or self.mode in ("guided", "off_hours"):
            return
        idle = self.idle()
        if idle is None:
            return
        now = self.now()
        if idle >= away_s:
            if self._away_since is None:
                self._away_since = now - timedelta(seconds=idle)
            return
        if self._away_since is not None:
            left, self._away_since = self._away_since, None
            self._taken_while_away(left, now - timedelta(seconds=idle), idle)

    def _taken_while_away(self, left: datetime, back: datetime, since_back: float) -> None:
        """They were away: that was their break. Save it and wait a full interval from their return."""
        self._cancel_update()
        if self.session is None:  # away before the break came due: a break of its own
            self.neck.begin_session(self._new_break(early=False, started=left))
        assert self.session is not None and self.brk is not None
        ended = max(back, self.session.started)  # seen back only after the break came due: it ends then
        self.session.now = lambda: ended
        self.brk.action, self.brk.away_min = "away", plan.away_minutes(left, back)
        self.session.emit("break_taken")
        self.session.stop(None, completed=True)
        self.session = None
        self._wait("waiting", plan.wait_after_away(self.interval_minutes(), since_back))

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
        run = GuidedRun(plan_exercise(exercise, lead_in=self.content.exercise_info.lead_in_seconds), self.clock)
        self.brk.guided(exercise.id, run)
        self.session.emit("break_taken")
        self.mode = "guided"
        self.app.push_screen(ExerciseRunner(run, self.session, "Posture break", begin=False, ask_after_completed=False))

    def action_done(self) -> None:
        self._close_due("done", completed=True)

    def action_skip(self) -> None:
        cap = self.store.state.settings.break_skips_per_day
        if self.mode == "due" and cap and self._skips_today() >= cap:
            self.notify(f"No skips left today ({cap} a day, Settings): take the break, or snooze it.", timeout=8)
            return
        self._close_due("skipped", completed=False)

    def _skips_today(self) -> int:
        midnight = self.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        done = self.neck.read("today's breaks", lambda: self.store.records(since=midnight, kinds=["posture_break"]))
        return plan.skipped(r.details for r in done or [])

    def action_snooze(self) -> None:
        if self.mode != "due" or self.session is None or self.brk is None:
            return
        self.brk.snoozed += 1
        self.session.details.update(self.brk.details(None))
        self._wait("snoozed", self.content.posture_breaks.snooze_minutes)
        if self.session is not None:  # (not if working hours are over: then it was saved as missed)
            self.session.checkpoint()  # with the snooze's end as break_due_at

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
