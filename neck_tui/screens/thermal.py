"""Heat, cold and contrast timers: the screen. It turns the plan (neck_tui.plans.thermal) and the
engine's snapshot into widgets, and asks the questions (pain, skin checks, stop, another cycle).

Three views, one `mode`:
  setup    the regimen ready to go; Enter starts (after the pain-before check)
  running  phase word (HEAT / COLD / OFF), a large countdown, what comes next, progress, the
           phase's own text (its short form on a small screen: the safety words never hide)
  done     what was saved and what to do now; pain-after is asked on top of it

The session runs through the one lifecycle (neck_tui.lifecycle): the app holds it, so quit and
the signals act on it, and every store write goes through the app's Saver (one line on failure,
the timer keeps running). Messages of this screen go in its status line, never in toasts over
the countdown.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import Button, ContentSwitcher, Static

from neck_tui import alerts, insights, resume
from neck_tui.content import Regimen
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.dialogs.skin import SkinCheck
from neck_tui.engine import Finished, PhaseEnded, PhaseStarted, Snapshot
from neck_tui.learn import after_context, tip_line
from neck_tui.lifecycle import Session
from neck_tui.plans.thermal import PHASE_WORDS, SkinCheckDue, ThermalRun, is_application
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.countdown import clock_text
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line
from neck_tui.widgets.regimen_setup import RegimenSetup
from neck_tui.widgets.thermal_views import DoneView, RunningView
from neck_tui.widgets.triage_hint import TRIAGE_KEY, TriageHint

MAX_TICK_S = 1.0  # the longest the screen sleeps while a session runs
RING_AGAIN_S = 60.0
NOTICE_S = 8.0  # how long a message of this screen stays in the status line


class ThermalScreen(NeckScreen):
    """`ThermalScreen("heat" | "cold" | "contrast")`, or `resume=checkpoint` to carry one on."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("enter", "back", "Back", show=False),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("q", "stop", "Stop"),  # q in the Footer, as in every session; escape asks too
        Binding("escape", "stop", "Stop", show=False),
        Binding("n", "next_phase", "Next"),
        Binding("plus", "off_time(1)", "+1 min off"),
        Binding("minus", "off_time(-1)", "-1 min off"),
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        TRIAGE_KEY,
    ]

    mode: reactive[str] = reactive("setup", init=False, bindings=True)
    paused: reactive[bool] = reactive(False, bindings=True)  # by the user (space)
    held: reactive[bool] = reactive(False, bindings=True)  # at an application's start, for its check
    in_rest: reactive[bool] = reactive(False, bindings=True)  # an off phase: + and - change it

    def __init__(self, kind: str, resume: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.resume_from = resume
        self.regimen: Regimen | None = None
        self.run: ThermalRun | None = None
        self.session: Session | None = None
        self._dialog: SkinCheck | None = None  # the prompt of run.pending
        self._check_opened = 0.0
        self._rings = 0
        self._ticker: Timer | None = None
        self._last_checkpoint = 0.0
        self._notice = ""
        self._notice_until = 0.0

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        try:
            self.regimen = self.content.regimen_for(self.kind)
        except KeyError:
            self.regimen = None
        yield Header()
        yield RedFlagBanner()
        with ContentSwitcher(initial="setup-view", id="thermal"):
            with Vertical(id="setup-view"):
                if self.regimen is None:
                    yield Static(f"There is no {self.kind} regimen in the content. Press escape to go back.")
                else:
                    yield RegimenSetup(self.regimen, id="setup")
                yield TriageHint()
                yield Line("", id="setup-status")
            yield RunningView(id="run")
            yield DoneView(id="done")
        yield Footer()

    def on_mount(self) -> None:
        if self.resume_from is not None:
            self._resume(self.resume_from)
        elif self.regimen is not None:
            self.query_one(RegimenSetup).focus_first()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < 20 or event.size.width < 60, "-compact")
        self.tick()  # the phase text has a short form for small screens

    def watch_mode(self, mode: str) -> None:
        self.query_one(ContentSwitcher).current = {"setup": "setup-view", "running": "run", "done": "done"}[mode]

    def say(self, text: str) -> None:
        """A message ("" for none) in this screen's status line for a few seconds, never over the
        countdown; then what changed is shown."""
        if text:
            self._notice, self._notice_until = text, self.clock() + NOTICE_S
            self.query_one("#setup-status", Line).text = text
        self.tick()

    # -- start -------------------------------------------------------------------------------
    @on(Button.Pressed, "#start")
    def action_start(self) -> None:
        if self.mode != "setup" or self.regimen is None:
            return
        if self.neck.session is not None:
            self.say("Another session is running: stop it first.")
            return
        pain = self.neck.read("recent pain", lambda: insights.recent_pain(self.store, self.now()))
        ask_pain_before(self.app, "Pain before", pain, self._begin)

    def _begin(self, pain_before: int | None) -> None:
        regimen = self.regimen
        if regimen is None or self.mode != "setup" or self.run is not None:
            return
        setup = self.query_one(RegimenSetup)
        run = ThermalRun.start(regimen, setup.rounds, setup.minutes, self.clock, self.now)
        details = {"regimen": regimen.id, "rounds": setup.rounds or 0}
        self._go(run, self.neck.new_session(regimen.kind, pain_before=pain_before, details=details,
                                            resumable=True, state=run.state, describe=run.details))
        self.tick()

    def _go(self, run: ThermalRun, session: Session) -> None:
        self.run, self.session = run, session
        self.neck.begin_session(session)  # its first checkpoint
        self._last_checkpoint = self.clock()
        self.mode = "running"
        self.set_focus(None)  # a setup line keeps no keys (+/-, arrows) while the timer runs

    def _resume(self, checkpoint: Mapping[str, Any]) -> None:
        plan = resume.plan_resume(checkpoint, self.now())
        regimen = self.regimen
        if plan is not None:
            try:
                regimen = self.content.regimen(plan.regimen)
            except KeyError:
                pass  # content changed since: the phases are in the checkpoint; keep the kind's regimen
        if plan is None or regimen is None:
            self.say("That session can no longer be carried on; start a new one.")
            return
        self.regimen = regimen
        run = ThermalRun.resumed(plan, regimen, self.clock, self.now)
        self._go(run, self.neck.new_session(
            plan.kind, pain_before=plan.pain_before, details=plan.details, started=plan.started,
            record_id=plan.record_id, resumable=True, state=run.state, describe=run.details))
        if plan.finished:
            self._end(completed=False, stopped="interrupted")
            return
        snap = run.timer.snapshot()
        check = run.resume_check(snap, clock_text(snap.seconds_shown))
        if check is not None:
            self._ask(check)
        self.tick()

    # -- the running session --------------------------------------------------------------------
    def tick(self) -> None:
        """Read the engine, act on what happened, show it. Called by a timer, and after keys."""
        run = self.run
        if self.mode != "running" or run is None:
            return
        events = run.timer.poll()
        if events:
            self._on_events(events)
            if self.mode != "running":
                return
        snap = run.timer.snapshot()
        if not snap.done:
            check = run.due_check(snap)
            if check is not None:
                self._ask(check)
        self._ring_again(snap)
        if self.clock() - self._last_checkpoint >= resume.CHECKPOINT_EVERY_S:
            self._checkpoint()
        self._show(run.timer.snapshot())
        self._arm()

    def _arm(self) -> None:
        """Wake exactly when the shown second or the phase changes (a deadline from the engine);
        at least once a second while paused, held or a check waits (for its ring-again)."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self.mode != "running" or self.run is None:
            return
        delay = self.run.timer.next_change()
        self._ticker = self.set_timer(min(delay if delay is not None else MAX_TICK_S, MAX_TICK_S), self.tick)

    def _checkpoint(self) -> None:
        if self.session is not None:
            self._last_checkpoint = self.clock()
            self.session.checkpoint()

    def _on_events(self, events: list[Any]) -> None:
        run, session = self.run, self.session
        assert run is not None and session is not None
        started = [e for e in events if isinstance(e, PhaseStarted)]
        for event in started:
            run.extend_if_needed(event.index)
        for _ in (e for e in events if isinstance(e, PhaseEnded)):
            session.emit("phase_end")
        if run.pending_is_stale():
            self._close_check()
        self._checkpoint()
        if any(isinstance(e, Finished) for e in events):
            self._ran_out()
        elif started and not is_application(started[-1].phase.kind):
            alerts.alert(self.app, PHASE_WORDS["off"], self.content.notice.off_phase_text)

    # -- skin checks ---------------------------------------------------------------------------------
    def _ask(self, check: SkinCheckDue) -> None:
        assert self.run is not None and self.session is not None
        self.run.ask(check)
        timer = self._time_left(self.run.timer.snapshot())
        self._dialog = SkinCheck(self.content.notice.skin_check_question, check.context, check.when, timer)
        self._check_opened, self._rings = self.clock(), 1
        self.app.push_screen(self._dialog, partial(self._answered, check))
        self.session.emit("skin_check_due", when=check.when)
        alerts.alert(self.app, "Skin check", check.context)

    def _time_left(self, snap: Snapshot) -> str:
        """ "HEAT 17:32 left": the prompt shows it, as it hides the countdown behind it."""
        assert self.run is not None
        return f"{self.run.word(snap)} {clock_text(snap.seconds_shown)} left"

    def _answered(self, check: SkinCheckDue, answer: str | None) -> None:
        run = self.run
        if answer is None or run is None or run.pending is not check or self.mode != "running":
            return  # closed by the screen: its phase ended
        self._dialog = None
        run.answer(answer)
        self._checkpoint()
        if run.problem:
            self._end(completed=False, stopped="skin problem")
        else:
            self.tick()  # a held application starts now

    def _close_check(self) -> None:
        """Close the waiting check (kept as unanswered) and its prompt."""
        if self.run is not None:
            self.run.close_pending()
        dialog, self._dialog = self._dialog, None
        if dialog is not None and self.app.screen is dialog:
            dialog.dismiss(None)

    def _ring_again(self, snap: Snapshot) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        waited = self.clock() - self._check_opened
        if waited >= RING_AGAIN_S * self._rings:
            self._rings += 1
            alerts.alert(self.app, "Skin check waiting", self.content.notice.skin_check_question)
        if dialog.is_mounted and self.run is not None:
            # The prompt hides the screen behind it (opaque: nothing is sent for that while it
            # waits), so it shows the running time itself.
            dialog.waiting(waited, self._time_left(snap))

    # -- the end of a cycle ---------------------------------------------------------------------------
    def _ran_out(self) -> None:
        """The planned phases are over: offer another cycle if the content does, else finish."""
        run = self.run
        assert run is not None
        if run.another_cycle_offered():
            alerts.alert(self.app, f"{run.regimen.name}: cycle done", run.regimen.again_prompt)
            again = Confirm("Another cycle?", run.regimen.again_prompt, yes="another cycle", no="finish", docked=True)
            self.app.push_screen(again, self._again)
            return
        alerts.alert(self.app, f"{run.regimen.name}: done", run.rest_text(self.content.notice.off_phase_text))
        self._end(completed=True)

    def _again(self, again: bool | None) -> None:
        run = self.run
        if self.mode != "running" or run is None or not run.timer.done:
            return
        if again:
            run.add_cycle()
            self._checkpoint()
            self.tick()
        else:
            self._end(completed=True)

    # -- keys while running -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.mode == "running" and self.run is not None and not self.run.timer.done
        if action == "start":
            return self.mode == "setup"
        if action in ("pause", "resume"):
            return running and not self.held and self.paused == (action == "resume")
        if action == "next_phase":
            return running and not self.held
        if action == "off_time":
            return running and self.in_rest
        if action == "stop":
            return self.mode == "running"
        if action == "back":
            return self.mode != "running"
        return True

    def action_pause(self) -> None:
        run, session = self.run, self.session
        if run is None or session is None or run.timer.done or run.timer.held:
            return
        if run.timer.toggle_pause():
            session.pause()
        else:
            session.resume()
        self._last_checkpoint = self.clock()
        self.tick()

    action_resume = action_pause

    def action_next_phase(self) -> None:
        if self.run is not None and not self.run.timer.done and not self.run.timer.held:
            self.say(self.run.skip())

    def action_off_time(self, minutes: int) -> None:
        if self.run is not None and not self.run.timer.done:
            self.say(self.run.change_rest(minutes))
            self._checkpoint()

    def action_stop(self) -> None:
        run = self.run
        if self.mode != "running" or run is None:
            return
        saved = "It will be saved." if run.completed_if_stopped() else "It will be saved as not completed."
        self.app.push_screen(
            Confirm("Stop this session?", saved, yes="stop and save", no="keep going", docked=True),
            self._stop_answered,
        )

    def _stop_answered(self, stop: bool | None) -> None:
        if stop and self.mode == "running" and self.run is not None:
            self._end(completed=self.run.completed_if_stopped(), stopped="stopped by user")

    def action_back(self) -> None:
        if self.mode != "running":
            self.neck.action_back()

    # -- showing it -------------------------------------------------------------------------------
    def _show(self, snap: Snapshot) -> None:
        run = self.run
        assert run is not None
        if not self._covered():
            notice = self._notice if self.clock() < self._notice_until else ""
            off_text = self.content.notice.off_phase_text
            self.query_one(RunningView).show(run, snap, off_text, notice, short=self.has_class("-compact"))
        kind = snap.phase.kind if snap.phase else "off"
        self.held = run.timer.held
        self.paused = snap.paused and not self.held
        self.in_rest = not snap.done and not is_application(kind)
        if self.session is not None:
            self.session.tick(PHASE_WORDS.get(kind, kind.upper()), snap.seconds_shown)

    def _covered(self) -> bool:
        """An opaque prompt (a docked one: skin check, stop, another cycle) hides this screen: the
        running view waits until it closes (it shows the time left itself)."""
        top = self.app.screen
        return top is not self and top.styles.background.a >= 1

    def on_screen_resume(self) -> None:
        self.tick()  # the running view, as it is now, after a prompt that covered it

    # -- ending and saving ----------------------------------------------------------------------------
    def _end(self, completed: bool, stopped: str | None = None) -> None:
        """Save the record (first), then show the done view and ask the pain after."""
        run, session = self.run, self.session
        if run is None or session is None or session.ended:
            return
        self._close_check()
        run.timer.stop()
        session.stop(stopped, completed=completed)
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.mode = "done"
        notice = self.content.notice
        advice = notice.skin_problem_advice if run.problem else run.rest_text(notice.off_phase_text)
        self.query_one(DoneView).ended(completed, run.problem, self.neck.saver.waiting, advice)
        self._pain_after_answered(None)
        self.call_later(self._ask_pain_after, advice if run.problem else "")

    async def _ask_pain_after(self, note: str) -> None:
        while self.app.screen is not self and self in self.app.screen_stack:
            await self.app.pop_screen()  # a prompt left over from the session (stop, another cycle)
        ask_pain_after(self.app, "Pain after", self._pain_after_given, note=note)

    def _pain_after_answered(self, pain: int | None) -> None:
        assert self.session is not None
        self.session.set_pain_after(pain)
        self.query_one(DoneView).pains(self.session.pain_before, pain)

    def _pain_after_given(self, pain: int | None) -> None:
        """The pain-after answer (or skip): then the tip for after this kind, if content has one."""
        self._pain_after_answered(pain)
        kind = self.run.regimen.kind if self.run is not None else self.kind
        day = self.now().astimezone().date()
        self.query_one(DoneView).tip(tip_line(self.content, after_context(kind), day, self.store.state.settings.tips))
