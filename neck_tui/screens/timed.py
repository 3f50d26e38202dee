"""TimedSessionScreen: the screen of a simple timed activity, on the one session lifecycle.

Enter asks the pain before, the engine (a PhaseTimer from the activity's plan) counts its phases
down, space pauses and goes on, q or escape ask before stopping, and every end reaches the
pain-after question; store errors are the Saver's. A subclass gives its words and four small
hooks (`make_phases`, `session_details`, `show_ready`, `show_snapshot`, `show_ended`); the
self-massage screen is one. Its clock reads the engine four times a second; the Lines and
`session.tick` pass on only what changed.
"""

from __future__ import annotations

from typing import Any, Sequence

from textual.binding import Binding
from textual.reactive import var
from textual.timer import Timer

from neck_tui import alerts, insights
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.engine import Phase, PhaseEnded, PhaseTimer, Snapshot
from neck_tui.lifecycle import Session
from neck_tui.screens.base import NeckScreen

RUNNING = ("running", "paused")


class TimedSessionScreen(NeckScreen):
    KIND = ""  # the record kind
    PAIN_BEFORE = "Neck pain now, before you start?"
    PAIN_AFTER = "Neck pain now?"
    STOP_QUESTION = "Stop?"

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),
        Binding("escape", "stop", "Stop", show=False),  # while running: asks first, like q
        Binding("escape", "leave", "Back"),
    ]

    mode: var[str] = var("ready", bindings=True)  # ready, running, paused, done

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None
        self._asking: Confirm | None = None

    # -- what a subclass gives ---------------------------------------------------------------------
    def make_phases(self) -> Sequence[Phase]:
        raise NotImplementedError

    def session_details(self, timer: PhaseTimer) -> tuple[dict[str, Any], dict[str, Any]]:
        """(the record's details at the start, its progress details now)."""
        raise NotImplementedError

    def show_ready(self) -> None: ...

    def show_snapshot(self, snap: Snapshot) -> str:
        """Show the running phase; return its word (for the title and `neck-tui status`)."""
        raise NotImplementedError

    def show_ended(self, completed: bool, progress: dict[str, Any]) -> None: ...

    # -- the lifecycle -------------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.show_ready()
        self.clock_timer: Timer = self.set_interval(0.25, self.tick, pause=True, name=f"{self.KIND}-tick")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "leave"):
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
        timer.start()
        self.neck.begin_session(self.session)
        self.mode = "running"
        self.clock_timer.resume()
        self.tick()

    def tick(self) -> None:
        """Read the engine, show it, tell the session. Called by the clock; tests call it directly."""
        timer, session = self.timer, self.session
        if timer is None or session is None or self.mode != "running":
            return
        ended = [e.phase for e in timer.poll() if isinstance(e, PhaseEnded)]
        snap = timer.snapshot()
        if not snap.done:
            session.tick(self.show_snapshot(snap), snap.remaining)
        for phase in ended:
            session.emit("phase_end", phase=phase.label, seconds_left=0.0)
        if ended:
            alerts.bell(self.app)  # the next phase, or the end: the eyes may be closed
        if snap.done:
            self._end(completed=True)
        elif ended:
            session.checkpoint()

    def action_pause(self) -> None:
        """space: pause, or go on (the Footer names which)."""
        assert self.timer is not None and self.session is not None
        if self.timer.toggle_pause():
            self.session.pause()
            self.clock_timer.pause()
            self.mode = "paused"
            self.show_snapshot(self.timer.snapshot())
        else:
            self.session.resume()
            self.mode = "running"
            self.clock_timer.resume()
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
        if self.session is not None:
            self.session.abandon("left")  # ignored if it has already ended

    def _end(self, completed: bool, reason: str | None = None) -> None:
        session, timer = self.session, self.timer
        assert session is not None and timer is not None
        self.clock_timer.pause()
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
        ask_pain_after(self.app, self.PAIN_AFTER, session.set_pain_after)
