"""Self-massage: the screen that runs the massage plan (neck_tui.plans.massage) through the one
session lifecycle. Enter asks the pain before, the engine counts the steps down, q or escape ask
before stopping, and every end reaches the pain-after question. Store errors are the Saver's.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import var
from textual.timer import Timer
from textual.widgets import Footer, Static

from neck_tui import alerts, insights
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.engine import PhaseEnded, PhaseTimer
from neck_tui.lifecycle import Session
from neck_tui.plans import massage as plan
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line

RUNNING = ("running", "paused")


class MassageScreen(NeckScreen):
    """Enter, and knead along with the steps; the session is saved once, however it ends."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),
        Binding("escape", "stop", "Stop", show=False),  # while running: asks first, like q
        Binding("escape", "leave", "Back"),
    ]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    mode: var[str] = var("ready", bindings=True)  # ready, running, paused, done

    def __init__(self) -> None:
        super().__init__()
        self.timer: PhaseTimer | None = None
        self.session: Session | None = None
        self._asking: Confirm | None = None

    def compose(self) -> ComposeResult:
        self.info = plan.massage(self.content)
        yield Header()
        yield RedFlagBanner()
        with Vertical(id="massage-box"):
            for part in ("title", "text", "clock"):
                yield Line(id=f"massage-{part}", markup=False)
        yield Static(self.info.safety, id="massage-safety", markup=False)
        yield Line(plan.source_line(self.content, self.info), id="massage-basis", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Self-massage"
        self.show(plan.ready_view(self.info))
        # Four reads a second while a session runs (a shown second is at most 1/4 s late);
        # the Lines and session.tick pass on only what changed.
        self.clock_timer: Timer = self.set_interval(0.25, self.tick, pause=True, name="massage-tick")

    def show(self, view: plan.View) -> None:
        for part in ("title", "text", "clock"):
            self.query_one(f"#massage-{part}", Line).text = getattr(view, part)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("start", "leave"):
            return self.mode in ("ready", "done")
        if action in ("pause", "resume"):
            return self.mode == ("running" if action == "pause" else "paused")
        if action == "stop":
            return self.mode in RUNNING
        return True

    # -- start, and the clock --------------------------------------------------------------------
    def action_start(self) -> None:
        recent = self.neck.read("recent pain", lambda: insights.recent_pain(self.store, self.now()))
        ask_pain_before(self.app, "Neck pain now, before the massage?", recent, self._begin)

    def _begin(self, pain: int | None) -> None:
        if self.mode in RUNNING:
            return
        self.timer = timer = PhaseTimer(plan.phases(self.info), self.clock)
        self.session = self.neck.new_session(
            "massage", pain_before=pain, details=plan.details(self.info),
            state=lambda: plan.progress(timer.phases_done), describe=lambda reason: plan.progress(timer.phases_done),
        )
        timer.start()
        self.neck.begin_session(self.session)
        self.mode = "running"
        self.clock_timer.resume()
        self.tick()

    def tick(self) -> None:
        """Read the engine, show it, tell the session. Called by the clock timer; tests call it directly."""
        timer, session = self.timer, self.session
        if timer is None or session is None or self.mode != "running":
            return
        ended = [e.phase for e in timer.poll() if isinstance(e, PhaseEnded)]
        snap = timer.snapshot()
        if not snap.done:
            view = plan.view(self.info, snap)
            self.show(view)
            session.tick(view.word, snap.remaining)
        for phase in ended:
            session.emit("phase_end", phase=phase.label, seconds_left=0.0)
        if ended:
            alerts.bell(self.app)  # the next step, or the end: the eyes may be closed
        if snap.done:
            self._end(completed=True)
            return
        if ended:
            session.checkpoint()

    # -- pause, stop, the end --------------------------------------------------------------------
    def action_pause(self) -> None:
        """space: pause, or go on (the Footer names which)."""
        assert self.timer is not None and self.session is not None
        if self.timer.toggle_pause():
            self.session.pause()
            self.clock_timer.pause()
            self.mode = "paused"
            self.show(plan.view(self.info, self.timer.snapshot()))
        else:
            self.session.resume()
            self.mode = "running"
            self.clock_timer.resume()
            self.tick()

    action_resume = action_pause

    def action_stop(self) -> None:
        """q or escape while a session runs: ask first (docked, so the step stays in sight)."""

        def answered(stop: bool | None) -> None:
            self._asking = None
            if stop and self.mode in RUNNING:
                self._end(completed=False, reason="user")

        self._asking = Confirm("Stop the massage?", "What you have done so far is saved.",
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
        done = plan.progress(timer.phases_done)
        timer.stop()
        if completed:
            session.finish(True, **done)
        else:
            session.stop(reason)
        self.mode = "done"
        self.show(plan.ended_view(self.info, completed, done["steps_done"]))
        ask_pain_after(self.app, "Neck pain now, after the massage?", session.set_pain_after)
