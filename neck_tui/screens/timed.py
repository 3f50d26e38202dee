"""TimedSessionScreen: the screen of a simple timed activity, on the one session lifecycle.

Enter asks the pain before, the engine (a PhaseTimer from the activity's plan) counts its phases
down, space pauses and goes on, q or escape ask before stopping, and every end reaches the
pain-after question; store errors are the Saver's. A subclass gives its words and five small
hooks (`make_phases`, `session_details`, `show_ready`, `show_snapshot`, `show_ended`), and may
change four more (`next_tick`, `cue`, `checkpoint_after`, `pain_answered`); the self-massage
and breathing screens are two. The clock is one timer set for the moment what the screen shows
changes next (by default the next whole second or phase), so changes land on time and nothing
runs in between; pausing stops it, so nothing is written while paused.
"""

from __future__ import annotations

from typing import Any, Sequence

from textual.binding import Binding
from textual.reactive import var
from textual.timer import Timer

from neck_tui import alerts, insights
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.engine import Event, Phase, PhaseEnded, PhaseTimer, Snapshot
from neck_tui.lifecycle import Session
from neck_tui.screens.base import NeckScreen

RUNNING = ("running", "paused")
LATE_S = 0.001  # the clock is due just after a change, never just before it
CHECKPOINT_DELAY = 0.25  # s after a phase ends: between two counts, so a slow write delays neither


class TimedSessionScreen(NeckScreen):
    KIND = ""  # the record kind
    PAIN_BEFORE = "Neck pain now, before you start?"
    PAIN_AFTER = "Neck pain now?"
    STOP_QUESTION = "Stop?"
    IDLE_ACTIONS: tuple[str, ...] = ("start", "leave")  # only while no session runs

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),
        Binding("escape", "stop", "Stop", show=False),  # while running: asks first, like q
        Binding("escape", "leave", "Back"),
    ]

    # `var`: a change runs the watcher only (and the Footer's check_action), no repaint.
    mode: var[str] = var("ready", bindings=True)  # ready, running, paused, done

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None
        self._asking: Confirm | None = None
        self._clock: Timer | None = None  # due when what the screen shows changes next

    # -- what a subclass gives ---------------------------------------------------------------------
    def make_phases(self) -> Sequence[Phase]:
        raise NotImplementedError

    def session_details(self, timer: PhaseTimer) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the record's details at the start, its progress details now)."""
        raise NotImplementedError

    def show_ready(self) -> None: ...

    def show_snapshot(self, snap: Snapshot) -> str:
        """Show the running (or paused) phase; return its word (for the title and `neck-tui status`)."""
        raise NotImplementedError

    def show_ended(self, completed: bool, progress: dict[str, Any]) -> None: ...

    # -- what a subclass may change ----------------------------------------------------------------
    def next_tick(self, snap: Snapshot) -> float | None:
        """Seconds until what the screen shows changes next (None: nothing will); default: the
        next whole second or phase."""
        assert self.timer is not None
        return self.timer.next_change()

    def cue(self, events: list[Event], done: bool) -> None:
        """The sound of this tick's phase changes (the eyes may be closed): the bell at a phase's end."""
        if any(isinstance(e, PhaseEnded) for e in events):
            alerts.bell(self.app)

    def checkpoint_after(self, phase: Phase) -> bool:
        """Whether this phase's end is worth a checkpoint (default: every phase's)."""
        return True

    def pain_answered(self, session: Session) -> None:
        """After the pain-after question (answered or skipped)."""

    # -- the lifecycle -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.show_ready()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.IDLE_ACTIONS:
            return self.mode in ("ready", "done")
        if action in ("pause", "resume"):
            return self.mode == ("running" if action == "pause" else "paused")
        if action == "stop":
            return self.mode in RUNNING
        return True

    def action_start(self) -> None:
        recent = self.neck.read("recent pain", lambda: insights.recent_pain(self.store, self.now()))
        ask_pain_before(self.app, self.PAIN_BEFORE, recent, self._begin)

    def _begin(self, pain: int | None) -> None:
        if self.mode in RUNNING:
            return
        self.timer = timer = PhaseTimer(self.make_phases(), self.clock)
        details, _ = self.session_details(timer)
        self.session = self.neck.new_session(
            self.KIND, pain_before=pain, details=details,
            state=lambda: self.session_details(timer)[1], describe=lambda reason: self.session_details(timer)[1],
        )
        timer.start()  # with the session's start: the schedule runs from the moment it records
        self.neck.begin_session(self.session)
        self.mode = "running"
        self.tick()

    def tick(self) -> None:
        """Read the engine, show it, tell the session, and set the clock for the next change.
        Called by the clock; tests call it directly."""
        timer, session = self.timer, self.session
        if timer is None or session is None or self.mode != "running":
            return
        events = timer.poll()
        snap = timer.snapshot()
        ended = [e.phase for e in events if isinstance(e, PhaseEnded)]
        word = None if snap.done else self.show_snapshot(snap)  # the frame first; events and writes after it
        self.cue(events, snap.done)
        for phase in ended:  # before the tick: the title then ends on the new phase's word
            session.emit("phase_end", phase=phase.label, seconds_left=0.0)
        if word is not None:
            session.tick(word, snap.remaining)
        if snap.done:
            self._end(completed=True)
            return
        if any(self.checkpoint_after(phase) for phase in ended):
            self.set_timer(CHECKPOINT_DELAY, session.checkpoint, name=f"{self.KIND}-checkpoint")
        self._set_clock(self.next_tick(snap))

    def _set_clock(self, delay: float | None) -> None:
        if self._clock is not None:
            self._clock.stop()
        self._clock = None if delay is None else self.set_timer(delay + LATE_S, self.tick, name=f"{self.KIND}-clock")

    def action_pause(self) -> None:
        """space: pause, or go on (the Footer names which)."""
        assert self.timer is not None and self.session is not None
        if self.timer.toggle_pause():
            self.session.pause()
            self._set_clock(None)
            self.mode = "paused"
            self.show_snapshot(self.timer.snapshot())
        else:
            self.session.resume()
            self.mode = "running"
            self.tick()

    action_resume = action_pause

    def action_stop(self) -> None:
        """q or escape while a session runs: ask first (docked, at the bottom)."""

        def answered(stop: bool | None) -> None:
            self._asking = None
            if stop and self.mode in RUNNING:
                self._end(completed=False, reason="user")

        self._asking = Confirm(self.STOP_QUESTION, "What you have done so far is saved.",
                               yes="stop", no="keep going", docked=True)
        self.app.push_screen(self._asking, answered)

    def action_leave(self) -> None:
        self.neck.action_back()

    def on_unmount(self) -> None:
        # Left some other way (the app closing): the session is saved as not completed.
        self._set_clock(None)
        if self.session is not None:
            self.session.abandon("left")  # ignored if it has already ended

    def _end(self, completed: bool, reason: str | None = None) -> None:
        session, timer = self.session, self.timer
        assert session is not None and timer is not None
        self._set_clock(None)
        if self._asking is not None and self.app.screen is self._asking:
            self._asking.dismiss(None)  # the session ended while the stop question was open
        progress = self.session_details(timer)[1]
        timer.stop()
        if completed:
            session.finish(True, **progress)
        else:
            session.stop(reason)
        self.mode = "done"
        self.show_ended(completed, progress)

        def answered(pain: int | None) -> None:
            session.set_pain_after(pain)
            self.pain_answered(session)

        ask_pain_after(self.app, self.PAIN_AFTER, answered)
