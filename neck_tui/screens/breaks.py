"""Posture breaks: a quiet screen for a tmux pane that rings every N minutes.

Between breaks the screen shows only "Next break in 37 min" and redraws it once a minute, at
the moment the shown minute changes (a one-shot timer computed from the engine's deadline):
nothing is written to the terminal in between, so it costs next to nothing all day.

When a break is due it rings and shows the content's prompts. Enter/g runs a short guided
break (the content's guided exercise, in the exercise runner), d says "I took my break",
z snoozes, k skips. One record of kind "posture_break" is saved per break that came due:

    completed          true when the break was taken (guided to the end, or d)
    details.action     guided, done, skipped, or missed (the app or screen was closed first)
    details.snoozed    how many times it was snoozed first
    details.interval_min, details.exercise (guided), details.stopped, details.exercises

Made for a pane of any size down to 20x1 (issue 16): below 6 rows the screen keeps one line,
"Break in 32m · g now" (at 3-5 rows with the hint and the Footer under it). Time away counts: when
none of the user's ttys has seen input for Settings.away_min (neck_tui.idle), the break is
recorded as taken while away (details.action "away", from when they left to when they came
back) and the wait starts again from their return. Outside Settings.working_hours the screen
waits quietly for the next start (neck_tui.break_rules). Settings.break_skips_per_day caps `k`.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.timer import Timer
from textual.widgets import Footer, Static

from neck_tui import alerts, exercise_plan
from neck_tui.break_rules import WorkingHours, WorkingHoursError
from neck_tui.engine import Phase, PhaseTimer
from neck_tui.idle import IdleReader
from neck_tui.screens.base import NeckScreen
from neck_tui.screens.exercises import ExerciseRunner, RunOutcome, saving
from neck_tui.session import SessionLog
from neck_tui.store import StoreError

AWAY_POLL_S = 30.0  # how often the ttys' idle time is read (a few stat() calls)
SMALL_ROWS = 6  # fewer rows than this: the one-line layout
TINY_ROWS = 3  # fewer than this: the line alone


def minutes_shown(remaining: float) -> int:
    """The whole minutes "Next break in N min" shows: rounded up, so 45 shows first."""
    return max(0, math.ceil(remaining / 60 - 1e-9))


def until_minute_changes(remaining: float) -> float:
    """Seconds until minutes_shown(remaining) changes (or the break is due)."""
    if remaining <= 0:
        return 0.0
    return max(0.001, remaining - (minutes_shown(remaining) - 1) * 60)


class _Pending:
    """app.active_session while a break is due: quitting saves it as missed."""

    def __init__(self, screen: "BreaksScreen") -> None:
        self.screen = screen

    def abandon(self, reason: str) -> None:
        self.screen.missed(reason)


class BreaksScreen(NeckScreen):
    MIN_SIZE = (10, 1)  # meant for a small tmux pane; see neck_tui.terminal.minimum_for

    BINDINGS = [
        Binding("enter,g", "guided", "Guided break"),
        Binding("d", "done", "I took it"),
        Binding("z", "snooze", "Snooze"),
        Binding("k", "skip", "Skip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.state = "waiting"  # waiting | snoozed | due | guided | off_hours
        self.snoozed = 0
        self.pending: SessionLog | None = None
        self._active = _Pending(self)
        self._update: Timer | None = None
        self._interval = 0  # minutes of the wait in progress
        self._shown: dict[str, str] = {}
        self.idle: Callable[[], float | None] = IdleReader()
        self._away_since: datetime | None = None
        self._hours_error: str | None = None

    def compose(self) -> ComposeResult:
        # No Header: its clock and the title would redraw; this screen stays still.
        from neck_tui.widgets.banner import RedFlagBanner

        yield RedFlagBanner()
        yield Static(id="break-line")  # the whole screen in a small pane
        yield Static(id="break-status")
        yield Static(id="break-hint")
        yield Static(id="break-prompts")
        yield Footer()

    def on_mount(self) -> None:
        self._fit(self.app.size.height)
        self.set_interval(AWAY_POLL_S, self.check_away)
        self._wait("waiting", self.interval_minutes())

    def on_resize(self, event: Any) -> None:
        self._fit(event.size.height)

    def _fit(self, rows: int) -> None:
        self.set_class(rows < SMALL_ROWS, "-small")
        self.set_class(rows < TINY_ROWS, "-tiny")

    def on_screen_resume(self) -> None:
        # Back from Settings: a new interval applies to the break being waited for.
        if self.state == "waiting" and self.timer is not None and self._interval != self.interval_minutes():
            self._interval = self.interval_minutes()
            self.timer.set_duration(0, self._interval * 60)
            self._show("break-hint", self._hint())
            self.tick()

    def on_unmount(self) -> None:
        self._cancel_update()
        self.missed("left")

    # -- settings and content ------------------------------------------------------
    def interval_minutes(self) -> int:
        breaks = self.content.posture_breaks
        wanted = self.store.state.settings.break_interval_min
        return max(breaks.min_minutes, min(breaks.max_minutes, wanted))

    # -- the clock -----------------------------------------------------------------
    def _hint(self) -> str:
        return f"A break every {self._interval} min (Settings). g: take one now."

    def _wait(self, state: str, minutes: float) -> None:
        if self._off_hours():
            return
        self.state = state
        self._interval = self.interval_minutes()
        self._show("break-hint", self._hint())
        self.timer = PhaseTimer([Phase(state, minutes * 60)], self.clock)
        self.timer.start()
        self._show("break-prompts", "")
        self.set_class(False, "-due")
        self.refresh_bindings()
        self.tick()

    def tick(self) -> None:
        """Read the engine: show the minutes left, or ring when the break is due."""
        if self.state not in ("waiting", "snoozed") or self.timer is None:
            return
        snap = self.timer.snapshot()
        if snap.done:
            self._due()
            return
        minutes = minutes_shown(snap.remaining)
        prefix = "Snoozed. " if self.state == "snoozed" else ""
        self._show("break-status", f"{prefix}Next break in {minutes} min")
        if self.state == "snoozed":
            self._show("break-line", f"Snoozed · break in {minutes}m · g now")
        else:
            self._show("break-line", f"Break in {minutes}m · g now")
        self._schedule(until_minute_changes(snap.remaining))

    def _schedule(self, delay: float, then: Callable[[], None] | None = None) -> None:
        self._cancel_update()
        self._update = self.set_timer(delay, then or self.tick)

    def _cancel_update(self) -> None:
        if self._update is not None:
            self._update.stop()
            self._update = None

    def _due(self) -> None:
        self._cancel_update()
        if self._off_hours():
            return
        first = self.state == "waiting"
        self.state = "due"
        if first or self.pending is None:
            details: dict[str, Any] = {"interval_min": self._interval}
            self.pending = SessionLog(self.store, "posture_break", self.now, details=details)
        self.neck.active_session = self._active
        prompts = self.content.posture_breaks.prompts
        alerts.alert(self.app, "Posture break", prompts[0])  # bell; a desktop notice if switched on
        guided = self.content.exercise(self.content.posture_breaks.guided_exercise)
        snooze = self.content.posture_breaks.snooze_minutes
        self._show("break-status", "Break time.")
        self._show("break-line", "Break now · d done · z snooze · g guided · k skip")
        self._show("break-hint", f"Enter/g: guided {guided.name}   d: I took it   z: snooze {snooze} min   k: skip")
        self._show("break-prompts", "\n".join(f"- {p}" for p in self.content.posture_breaks.prompts))
        self.set_class(True, "-due")
        self.refresh_bindings()

    def _show(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(Text(text))

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
        start = hours.next_start(now)
        self.missed("outside working hours")  # a snooze that ran past the end of the day
        self.state = "off_hours"
        self.timer = None
        when = start.strftime("%H:%M") if start.date() == now.astimezone().date() else start.strftime("%a %H:%M")
        self._show("break-status", f"Outside working hours. Breaks from {when}.")
        self._show("break-line", f"Breaks from {when} · g now")
        self._show("break-hint", "Working hours are in Settings (state.toml working_hours). g: take one now.")
        self._show("break-prompts", "")
        self.set_class(False, "-due")
        self.refresh_bindings()
        self._schedule((start - now).total_seconds(), self._back_to_work)
        return True

    def _back_to_work(self) -> None:
        self._wait("waiting", self.interval_minutes())

    def check_away(self) -> None:
        """Read the ttys' idle time: note when the user left, and count their return as a break."""
        away_s = self.store.state.settings.away_min * 60
        if away_s <= 0 or self.state in ("guided", "off_hours"):
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
        log = self.pending or SessionLog(
            self.store, "posture_break", lambda: back, details={"interval_min": self._interval}, started=left
        )
        ended = max(back, log.started)  # seen back only after the break came due: it ends then
        log.now = lambda: ended
        away_min = round((back - left).total_seconds() / 60)
        log = self._take_pending_log(log, action="away", away_min=away_min, snoozed=self.snoozed)
        saving(self.app, log.finish, True)
        self.snoozed = 0
        self._wait("waiting", max(0.0, self.interval_minutes() - since_back / 60))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("done", "snooze", "skip"):
            return self.state == "due"
        if action == "guided":
            return self.state != "guided"
        return True

    # -- keys ------------------------------------------------------------------------
    def action_guided(self) -> None:
        """Start the guided break (also before it is due: a break taken early)."""
        if self.state == "guided":
            return
        early = self.state != "due"
        self._cancel_update()
        exercise_id = self.content.posture_breaks.guided_exercise
        log = self._take_pending(action="guided", exercise=exercise_id, snoozed=self.snoozed)
        if early:
            log.details["early"] = True
        self.state = "guided"
        self.refresh_bindings()
        phases = exercise_plan.plan_exercise(self.content.exercise(exercise_id))
        self.app.push_screen(ExerciseRunner(phases, log, "Posture break"), self._guided_over)

    def _guided_over(self, outcome: RunOutcome | None) -> None:
        self.snoozed = 0
        self._wait("waiting", self.interval_minutes())

    def action_done(self) -> None:
        self._close_due("done", completed=True)

    def action_snooze(self) -> None:
        if self.state != "due":
            return
        self.snoozed += 1
        if self.pending is not None:
            self.pending.details["snoozed"] = self.snoozed
        self._wait("snoozed", self.content.posture_breaks.snooze_minutes)

    def action_skip(self) -> None:
        cap = self.store.state.settings.break_skips_per_day
        if self.state == "due" and cap and self._skips_today() >= cap:
            self.notify(f"No skips left today ({cap} a day, Settings): take the break, or snooze it.", timeout=8)
            return
        self._close_due("skipped", completed=False)

    def _skips_today(self) -> int:
        midnight = self.now().astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
        try:
            done = self.store.records(since=midnight, kinds=["posture_break"])
        except StoreError:
            return 0
        return sum(1 for r in done if r.details.get("action") == "skipped")

    def _close_due(self, action: str, completed: bool) -> None:
        """Save the due break with what the user did, and wait for the next one."""
        if self.state != "due":
            return
        log = self._take_pending(action=action, snoozed=self.snoozed)
        saving(self.app, log.finish, completed)
        self.snoozed = 0
        self._wait("waiting", self.interval_minutes())

    # -- records -------------------------------------------------------------------
    def _take_pending(self, **details: Any) -> SessionLog:
        """The due break's log (a new one for a break taken early), no longer pending."""
        log = self.pending or SessionLog(
            self.store, "posture_break", self.now, details={"interval_min": self.interval_minutes()}
        )
        return self._take_pending_log(log, **details)

    def _take_pending_log(self, log: SessionLog, **details: Any) -> SessionLog:
        log.details.update(details)
        self.pending = None
        if self.neck.active_session is self._active:
            self.neck.active_session = None
        return log

    def missed(self, reason: str) -> None:
        """A due or snoozed break that was never taken: the app or the screen closed first."""
        if self.pending is None:
            return
        log = self._take_pending(action="missed", snoozed=self.snoozed)
        try:
            log.finish(False, stopped=reason)
        except StoreError:
            pass  # leaving or quitting: there is no screen left to say so
