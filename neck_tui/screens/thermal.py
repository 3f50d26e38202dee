"""Heat, cold and contrast timers: the regimen from content, skin checks, pause, save, resume.

Three views on one screen:
  setup    the regimen ready to go; Enter starts (after the pain-before check)
  running  phase word (HEAT / COLD / OFF), a large countdown, what comes next, session progress
  done     what was saved and what to do now; pain-after is asked on top of it

The timing lives in the pure PhaseTimer (neck_tui.engine) on the app's injected clock;
`tick()` only reads it and updates what changed. A session is saved through SessionLog:
checkpointed while it runs (neck_tui.resume), saved once at its end, before the pain-after
question, so a dropped SSH link loses nothing. While it runs the screen is the app's
`active_session`, so quit, SIGTERM and SIGHUP save it as not completed.
"""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import Any, Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.events import Resize
from textual.message import Message
from textual.reactive import reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Button, ContentSwitcher, Footer, Header, ProgressBar, Static

from neck_tui import alerts, insights, resume
from neck_tui.content import Regimen, RegimenPhase
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck, ask_pain_before
from neck_tui.dialogs.skin import PROBLEM, SkinCheck
from neck_tui.engine import Finished, Phase, PhaseStarted, PhaseTimer
from neck_tui.screens.base import NeckScreen
from neck_tui.session import SessionLog
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.countdown import Countdown, clock_text

MAX_TICK_S = 1.0  # the longest the screen sleeps while a session runs
RING_AGAIN_S = 60.0
PHASE_WORDS = {"heat": "HEAT", "cold": "COLD", "off": "OFF"}


# --- the regimen as engine phases (pure) ---------------------------------------------------------


def is_application(kind: str) -> bool:
    return kind != "off"


def phase_bounds(step: RegimenPhase) -> tuple[float, float]:
    """Minutes the user may choose for a step: an application may be shortened (down to a
    minute) but never made longer than the content allows; an off phase stays within its range."""
    high = step.maximum
    if step.min_minutes is not None:
        low = step.min_minutes
    else:
        low = step.minutes if not is_application(step.kind) else min(1.0, high)
    return low, high


def round_phases(regimen: Regimen, round_no: int, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """One round of the regimen with the user's chosen minutes per step, clamped to content."""
    minutes = minutes or {}
    out = []
    for step, rp in enumerate(regimen.phases):
        low, high = phase_bounds(rp)
        chosen = min(max(float(minutes.get(step, rp.minutes)), low), high)
        out.append(
            Phase(
                rp.kind,
                chosen * 60,
                label=rp.kind.capitalize(),
                min_seconds=None if is_application(rp.kind) else low * 60,
                max_seconds=high * 60,
                meta={"round": round_no, "step": step},
            )
        )
    return out


def _drop_trailing_off(phases: list[Phase]) -> list[Phase]:
    end = len(phases)
    while end > 0 and not is_application(phases[end - 1].kind):
        end -= 1
    return phases[:end] if end else phases


def session_phases(regimen: Regimen, rounds: int | None, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """The phases of a whole session. A finite session ends with its last application (the
    final rest is advice on the done view, not a countdown); `rounds=None` (until stopped)
    starts with two rounds and the screen adds one more as each new round begins."""
    count = rounds if rounds else 2
    phases = [p for r in range(1, count + 1) for p in round_phases(regimen, r, minutes)]
    return phases if rounds is None else _drop_trailing_off(phases)


def next_round_phases(regimen: Regimen, timer: PhaseTimer, minutes: Mapping[int, float] | None = None) -> list[Phase]:
    """Another round after a finished session: first the rest that was left off its end."""
    last_round = int(timer.phases[-1].meta.get("round", 1))
    previous = round_phases(regimen, last_round, minutes)
    rest = previous[len(_drop_trailing_off(previous)) :] if any(is_application(p.kind) for p in previous) else []
    return rest + _drop_trailing_off(round_phases(regimen, last_round + 1, minutes))


def _minutes_text(seconds: float) -> str:
    minutes = seconds / 60
    return f"{minutes:g} min" if abs(minutes - round(minutes)) < 1e-9 else clock_text(int(seconds))


# --- small widgets and prompts -----------------------------------------------------------------------


class Stepper(Widget, can_focus=True):
    """One choice in the setup: left/right (or -/+) steps through its values."""

    BINDINGS = [
        Binding("left", "step(-1)", "Change", key_display="←→"),
        Binding("right", "step(1)", "More", show=False),
        Binding("minus", "step(-1)", "Less", show=False),
        Binding("plus", "step(1)", "More", show=False),
    ]

    index: reactive[int] = reactive(0)

    class Changed(Message):
        def __init__(self, stepper: "Stepper") -> None:
            super().__init__()
            self.stepper = stepper

        @property
        def control(self) -> "Stepper":
            return self.stepper

    def __init__(self, label: str, options: list[tuple[Any, str]], value: Any, hint: str = "", *, id: str) -> None:
        super().__init__(id=id)
        self.label = label
        self.options = options
        self.hint = hint
        values = [v for v, _ in options]
        self.set_reactive(Stepper.index, values.index(value) if value in values else 0)

    @property
    def value(self) -> Any:
        return self.options[self.index][0]

    def render(self) -> str:
        text = self.options[self.index][1]
        left = "◂" if self.index > 0 else " "
        right = "▸" if self.index < len(self.options) - 1 else " "
        hint = f"  [dim]{self.hint}[/]" if self.hint else ""
        return f"{self.label:<16} {left} [b]{text}[/b] {right}{hint}"

    def action_step(self, delta: int) -> None:
        self.index = max(0, min(len(self.options) - 1, self.index + delta))

    def watch_index(self) -> None:
        self.post_message(self.Changed(self))


# --- the screen -------------------------------------------------------------------------------------


class ThermalScreen(NeckScreen):
    """`ThermalScreen("heat" | "cold" | "contrast")`, or `resume=checkpoint` to carry one on."""

    BINDINGS = [
        Binding("enter", "start", "Start"),
        Binding("enter", "back", "Back", show=False),
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("n", "next_phase", "Next"),
        Binding("plus", "off_time(1)", "+1 min off"),
        Binding("minus", "off_time(-1)", "-1 min off"),
        Binding("escape", "stop", "Stop"),
        Binding("q", "stop", "Stop", show=False),
        Binding("escape", "back", "Back"),
        Binding("q", "back", "Back", show=False),
        Binding("up", "move_focus(-1)", show=False),
        Binding("down", "move_focus(1)", show=False),
    ]

    mode: reactive[str] = reactive("setup", init=False)

    def __init__(self, kind: str, resume: Mapping[str, Any] | None = None) -> None:
        super().__init__()
        self.kind = kind
        self.resume_from = resume
        self.regimen: Regimen | None = None
        self.minutes: dict[int, float] = {}
        self.rounds: int | None = 1  # None: until stopped
        self.timer: PhaseTimer | None = None
        self.session_log: SessionLog | None = None
        self.skin_checks: list[dict[str, Any]] = []
        self.problem = False
        self._check: SkinCheck | None = None
        self._check_opened = 0.0
        self._checked_during: set[int] = set()
        self._ticker: Timer | None = None
        self._last_checkpoint = 0.0
        self._shown: dict[str, str] = {}
        self._progress_shown: tuple[int, int] | None = None
        self._pain_after: int | None = None

    # -- layout ------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        try:
            self.regimen = self.content.regimen_for(self.kind)
        except KeyError:
            self.regimen = None
        yield Header()
        yield RedFlagBanner()
        with ContentSwitcher(initial="setup", id="thermal"):
            with VerticalScroll(id="setup"):
                yield from self._compose_setup()
            with Vertical(id="run"):
                with Horizontal(id="phase-row"):
                    yield Static("", id="phase-word")
                    yield Static("", id="round-line")
                with Center(id="countdown-row"):
                    yield Countdown(0, id="countdown")
                yield Static("", id="next-line")
                with Horizontal(id="progress-row"):
                    yield ProgressBar(total=1, show_eta=False, show_percentage=False, id="session-progress")
                    yield Static("", id="progress-label")
                yield Static("", id="phase-text", classes="secondary")
                yield Static("", id="run-status")
            with VerticalScroll(id="done"):
                yield Static("", id="done-title")
                yield Static("", id="done-text")
                yield Static("", id="done-pain")
        yield Footer()

    def _compose_setup(self) -> ComposeResult:
        regimen = self.regimen
        if regimen is None:
            yield Static(f"There is no {self.kind} regimen in the content. Press escape to go back.", id="setup-title")
            return
        self.rounds = regimen.rounds
        yield Static(regimen.name, id="setup-title")
        yield Static(regimen.summary, id="setup-summary", classes="secondary")
        yield Static(self._plan_text(), id="setup-plan")
        apps = [i for i, p in enumerate(regimen.phases) if is_application(p.kind)]
        for step, rp in enumerate(regimen.phases):
            low, high = phase_bounds(rp)
            self.minutes[step] = rp.minutes
            if high <= low:
                continue
            options = [(m, f"{m:g} min") for m in _minute_range(low, high, rp.minutes)]
            if is_application(rp.kind):
                label = f"{rp.kind.capitalize()} minutes"
                if len(apps) > 1:
                    label = f"{apps.index(step) + 1}. {label}"
                hint = f"max {high:g}"
            else:
                label = "Off minutes"
                hint = f"{low:g} to {high:g}"
            yield Stepper(label, options, rp.minutes, hint, id=f"step-{step}")
        if not regimen.again_prompt and regimen.max_rounds > 1:
            options: list[tuple[Any, str]] = [(n, str(n)) for n in range(1, regimen.max_rounds + 1)]
            options.append((None, "until stopped"))
            yield Stepper("Rounds", options, regimen.rounds, id="rounds")
        with Center(id="start-row"):
            start = Button("Start (Enter)", id="start", variant="primary", compact=True)
            start.can_focus = False  # Enter starts from anywhere; the Footer shows it
            yield start

    def on_mount(self) -> None:
        self._update_steppers()
        shown = [stepper for stepper in self.query(Stepper) if stepper.display]
        if shown and self.resume_from is None:
            shown[0].focus()  # not an off line hidden for a one-round session
        if self.resume_from is not None:
            self._resume(self.resume_from)

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < 20 or event.size.width < 60, "-compact")

    def watch_mode(self, mode: str) -> None:
        self.query_one(ContentSwitcher).current = {"setup": "setup", "running": "run", "done": "done"}[mode]
        self.refresh_bindings()

    # -- setup --------------------------------------------------------------------------------
    def _plan_text(self) -> str:
        regimen = self.regimen
        assert regimen is not None
        steps = ", then ".join(
            f"{p.kind} {self.minutes.get(i, p.minutes):g} min" for i, p in enumerate(regimen.phases)
        )
        if self.rounds is None:
            rounds = "Round after round until you stop."
        elif regimen.again_prompt:
            rounds = f"Up to {regimen.max_rounds} cycles."
        else:
            rounds = f"{self.rounds} round{'s' if self.rounds != 1 else ''}."
        return (
            f"{steps[0].upper()}{steps[1:]}. {rounds} Skin checks {regimen.skin_check_after_minutes:g} min "
            "into each application and before the next one."
        )

    @on(Stepper.Changed)
    def _stepper_changed(self, event: Stepper.Changed) -> None:
        if self.mode != "setup":
            return  # the plan of a running session is the timer's
        stepper = event.stepper
        if stepper.id == "rounds":
            self.rounds = stepper.value
        elif stepper.id and stepper.id.startswith("step-"):
            self.minutes[int(stepper.id.removeprefix("step-"))] = float(stepper.value)
        self._update_steppers()

    def _update_steppers(self) -> None:
        """An off step shows only if the session will have it (not after the last application)."""
        if self.regimen is None:
            return
        last_app = max((i for i, p in enumerate(self.regimen.phases) if is_application(p.kind)), default=-1)
        for step, rp in enumerate(self.regimen.phases):
            if not is_application(rp.kind):
                try:
                    stepper = self.query_one(f"#step-{step}", Stepper)
                except NoMatches:
                    continue
                stepper.display = self.rounds != 1 or step < last_app
        try:
            self.query_one("#setup-plan", Static).update(self._plan_text())
        except NoMatches:
            pass

    @on(Button.Pressed, "#start")
    def _start_pressed(self) -> None:
        self.action_start()

    def action_move_focus(self, delta: int) -> None:
        if delta > 0:
            self.focus_next()
        else:
            self.focus_previous()

    def action_start(self) -> None:
        if self.mode != "setup" or self.regimen is None:
            return
        active = self.neck.active_session
        if active is not None and active is not self:
            self.notify("Another session is running: stop it first.", severity="warning")
            return
        pain = insights.recent_pain(self.store, self.now())
        ask_pain_before(self.app, "Pain before", pain, self._begin)

    def _begin(self, pain_before: int | None) -> None:
        regimen = self.regimen
        if regimen is None or self.mode != "setup":
            return
        phases = session_phases(regimen, self.rounds, self.minutes)
        self.timer = PhaseTimer(phases, clock=self.clock)
        self.session_log = SessionLog(
            self.store,
            regimen.kind,
            self.now,
            pain_before=pain_before,
            details={"regimen": regimen.id, "rounds": self.rounds or 0},
        )
        self.timer.start()
        self.timer.poll()
        self._go()

    def _go(self) -> None:
        self.neck.active_session = self
        self.mode = "running"
        self.set_focus(None)  # a setup line keeps no keys (+/-, arrows) while the timer runs
        self._checkpoint()
        self.tick()

    # -- resume ---------------------------------------------------------------------------------
    def _resume(self, checkpoint: Mapping[str, Any]) -> None:
        plan = resume.plan_resume(checkpoint, self.now())
        if plan is None:
            self.notify("That session can no longer be carried on; start a new one.", severity="warning")
            return
        try:
            self.regimen = self.content.regimen(plan.regimen)
        except KeyError:
            pass  # content changed since: the phases are in the checkpoint; keep the kind's regimen
        self.rounds = plan.rounds
        self.skin_checks = list(plan.skin_checks)
        self.session_log = SessionLog(
            self.store,
            plan.kind,
            self.now,
            pain_before=plan.pain_before,
            details=plan.details,
            started=plan.started,
            record_id=plan.record_id,
        )
        self.timer = PhaseTimer(plan.phases, clock=self.clock)
        self.timer.start(elapsed=min(plan.elapsed, plan.total))
        # Everything before now happened while away: no rings, no checks for it.
        self._checked_during.update(range(self.timer.index))
        self.timer.poll()
        if plan.finished:
            self.neck.active_session = self
            self.mode = "running"
            self._end(completed=False, stopped="interrupted")
            return
        if plan.paused:
            self.timer.pause()
        self._extend_if_needed(self.timer.index)
        snap = self.timer.snapshot()
        in_application = snap.phase is not None and is_application(snap.phase.kind)
        if in_application:
            self._checked_during.add(snap.index)  # the check on coming back stands for it
        self._go()
        if in_application and snap.phase is not None:
            self._open_check("resume", f"Welcome back: {snap.phase.label.lower()} has {clock_text(snap.seconds_shown)} left.")

    # -- the running session --------------------------------------------------------------------
    def tick(self) -> None:
        """Read the engine, act on what happened, update what the user sees. Called by a timer."""
        if self.mode != "running" or self.timer is None:
            return
        self._on_events(self.timer.poll())
        if self.mode != "running":
            return
        snap = self.timer.snapshot()
        phase = snap.phase
        if (
            phase is not None
            and not snap.done
            and is_application(phase.kind)
            and snap.index not in self._checked_during
            and snap.elapsed >= self._check_after_s
            and self.timer.durations[snap.index] > self._check_after_s
        ):
            self._checked_during.add(snap.index)
            self._open_check("during", f"{self._check_after_s / 60:g} minutes into the {phase.label.lower()}.")
        if self._check is not None:
            waited = self.clock() - self._check_opened
            if waited >= RING_AGAIN_S * self._check.rings:
                self._check.rings += 1
                alerts.alert(self.app, "Skin check waiting", self.content.notice.skin_check_question)
            if self._check.is_mounted:
                self._check.waiting(waited)
        if self.clock() - self._last_checkpoint >= resume.CHECKPOINT_EVERY_S:
            self._checkpoint()
        self._show(snap)
        self._arm()

    def _arm(self) -> None:
        """Wake exactly when the shown second or the phase changes (a deadline from the engine,
        so a pause never leaves the display a fraction of a second behind); at least once a
        second while paused or a skin check waits, for its ring-again."""
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        if self.mode != "running" or self.timer is None:
            return
        delay = self.timer.next_change()
        self._ticker = self.set_timer(min(delay if delay is not None else MAX_TICK_S, MAX_TICK_S), self.tick)

    @property
    def _check_after_s(self) -> float:
        return (self.regimen.skin_check_after_minutes if self.regimen else 2.0) * 60

    def _on_events(self, events: list[Any]) -> None:
        if not events:
            return
        started = [e for e in events if isinstance(e, PhaseStarted)]
        for event in started:
            self._extend_if_needed(event.index)
        self._checkpoint()
        self.refresh_bindings()
        if any(isinstance(e, Finished) for e in events):
            self._session_ran_out()
        elif started and started[-1].index > 0:
            self._phase_changed(started[-1].index, started[-1].phase)

    def _extend_if_needed(self, index: int) -> None:
        """Until stopped: when the last planned round begins, plan one more."""
        timer, regimen = self.timer, self.regimen
        if self.rounds is not None or timer is None or regimen is None:
            return
        last_round = int(timer.phases[-1].meta.get("round", 1))
        if int(timer.phases[index].meta.get("round", 1)) >= last_round:
            timer.extend(round_phases(regimen, last_round + 1, self.minutes))

    def _phase_changed(self, index: int, phase: Phase) -> None:
        word = PHASE_WORDS.get(phase.kind, phase.label.upper())
        if is_application(phase.kind):
            self._open_check("before", f"Before the {phase.label.lower()} goes on (round {phase.meta.get('round', 1)}).")
        else:
            alerts.alert(self.app, word, self.content.notice.off_phase_text)

    def _open_check(self, when: str, context: str) -> None:
        if self._check is not None or self.timer is None:
            return
        snap = self.timer.snapshot()
        info = {
            "phase": snap.phase.kind if snap.phase else "",
            "round": int(snap.phase.meta.get("round", 1)) if snap.phase else 1,
            "when": when,
        }
        check = SkinCheck(self.content.notice.skin_check_question, context, when)
        self._check = check
        self._check_opened = self.clock()
        self.app.push_screen(check, partial(self._check_answered, check, info))
        alerts.alert(self.app, "Skin check", context)

    def _check_answered(self, check: SkinCheck, info: dict[str, Any], answer: str | None) -> None:
        if self._check is check:
            self._check = None
        if self.mode != "running" or answer is None:
            return
        self.skin_checks.append({"at": self.now(), "answer": answer, **info})
        self._checkpoint()
        if answer == PROBLEM:
            self.problem = True
            self._end(completed=False, stopped="skin problem")

    def _session_ran_out(self) -> None:
        """The planned phases are over: offer another cycle if the content does, else finish."""
        timer, regimen = self.timer, self.regimen
        assert timer is not None
        done_round = int(timer.phases[-1].meta.get("round", 1))
        if regimen is not None and regimen.again_prompt and done_round < regimen.max_rounds:
            alerts.alert(self.app, f"{regimen.name}: cycle done", regimen.again_prompt)
            self._drop_check()
            self.app.push_screen(
                Confirm("Another cycle?", regimen.again_prompt, yes="Another cycle", no="Finish", docked=True), self._again
            )
            return
        alerts.alert(self.app, f"{regimen.name if regimen else self.kind}: done", self._rest_text())
        self._end(completed=True)

    def _again(self, again: bool | None) -> None:
        if self.mode != "running" or self.timer is None or self.regimen is None:
            return
        if again:
            self.timer.extend(next_round_phases(self.regimen, self.timer, self.minutes))
            self.tick()
        else:
            self._end(completed=True)

    # -- keys while running -----------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.mode == "running" and self.timer is not None and not self.timer.done
        if action == "start" or action == "move_focus":
            return self.mode == "setup"
        if action in ("pause", "resume"):
            return running and self.timer is not None and self.timer.paused == (action == "resume")
        if action in ("next_phase", "stop"):
            return running
        if action == "off_time":
            if not running or self.timer is None:
                return False
            phase = self.timer.phases[self.timer.index]
            return not is_application(phase.kind)
        if action == "back":
            return self.mode != "running"
        return True

    def action_pause(self) -> None:
        if self.timer is None or self.timer.done:
            return
        self.timer.toggle_pause()
        self._checkpoint()
        self.refresh_bindings()
        self.tick()

    action_resume = action_pause

    def action_next_phase(self) -> None:
        timer = self.timer
        if timer is None or timer.done:
            return
        snap = timer.snapshot()
        phase = snap.phase
        if phase is not None and not is_application(phase.kind) and phase.min_seconds is not None:
            if snap.elapsed < phase.min_seconds:
                left = clock_text(int(phase.min_seconds - snap.elapsed + 0.999))
                self.notify(
                    f"The skin needs at least {_minutes_text(phase.min_seconds)} off: {left} to go.",
                    title="Not yet",
                )
                return
        timer.skip()
        self.tick()

    def action_off_time(self, minutes: int) -> None:
        timer = self.timer
        if timer is None or timer.done:
            return
        phase = timer.phases[timer.index]
        if is_application(phase.kind):
            return
        before = timer.durations[timer.index]
        after = timer.adjust(minutes * 60)
        if after == before:
            low = _minutes_text(phase.min_seconds or 0)
            high = _minutes_text(phase.max_seconds or before)
            self.notify(f"Off time stays between {low} and {high}.", title="Off time")
        self._checkpoint()
        self.tick()

    def action_stop(self) -> None:
        if self.mode != "running":
            return
        self.app.push_screen(
            Confirm(
                "Stop this session?",
                "It will be saved as not completed." if not self._completed_if_stopped() else "It will be saved.",
                yes="Stop and save",
                no="Keep going",
                docked=True,
            ),
            self._stop_answered,
        )

    def _stop_answered(self, stop: bool | None) -> None:
        if stop and self.mode == "running":
            self._end(completed=self._completed_if_stopped(), stopped="stopped by user")

    def _completed_if_stopped(self) -> bool:
        """Stopping counts as done only between rounds of an until-stopped session, or after a cycle."""
        timer = self.timer
        if timer is None:
            return False
        if timer.done:
            return True
        phase = timer.phases[timer.index]
        return self.rounds is None and not is_application(phase.kind) and len(timer.actual) > 0

    def action_back(self) -> None:
        if self.mode != "running":
            self.neck.action_back()

    # -- showing it -------------------------------------------------------------------------------
    def _put(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(text)

    def _show(self, snap: Any) -> None:
        timer = self.timer
        assert timer is not None
        phase = snap.phase
        kind = phase.kind if phase else "off"
        word = PHASE_WORDS.get(kind, kind.upper())
        word_widget = self.query_one("#phase-word", Static)
        for k in ("heat", "cold", "off"):
            word_widget.set_class(k == kind, f"-{k}")
        self._put("phase-word", f"{word} · PAUSED" if snap.paused else word)
        round_no = int(phase.meta.get("round", 1)) if phase else 1
        if self.rounds is None:
            of = " (until you stop)"
        elif self.regimen is not None and self.regimen.again_prompt:
            of = f" of up to {self.regimen.max_rounds}"
        else:
            of = f" of {self.rounds}"
        self._put("round-line", f"Round {round_no}{of}")
        self.query_one(Countdown).show(snap.seconds_shown)
        self.query_one(Countdown).set_class(snap.paused, "-paused")
        self._put("next-line", self._next_text(snap))
        done_s, total_s = self._progress(snap)
        bar = self.query_one(ProgressBar)
        # Repaint the bar only when it moves by half a cell (its label below moves each second).
        steps = max(1, bar.size.width * 2)
        shown = (int(steps * min(done_s, total_s) / max(1.0, total_s)), int(total_s))
        if shown != self._progress_shown:
            self._progress_shown = shown
            bar.update(total=max(1, total_s), progress=min(done_s, total_s))
        self._put("progress-label", f"{clock_text(int(done_s))} / {clock_text(int(total_s))}")
        text = ""
        if phase is not None and self.regimen is not None:
            step = phase.meta.get("step")
            if step is not None and step < len(self.regimen.phases):
                text = self.regimen.phases[step].text
        if phase is not None and not is_application(phase.kind) and not text:
            text = self.content.notice.off_phase_text
        self._put("phase-text", text)
        if snap.paused:
            status = "Paused: space to carry on."
        elif snap.done:
            status = "Cycle done."
        else:
            status = ""
        self._put("run-status", status)

    def _next_text(self, snap: Any) -> str:
        timer = self.timer
        assert timer is not None
        if snap.done:
            return "Next: your choice"
        i = snap.index + 1
        if i >= len(timer.phases):
            rest = self._last_rest_minutes()
            if rest is not None:  # the session ends with this application; the skin still needs its rest
                return f"Next: take it off, rest {_minutes_text(rest * 60)}; session ends"
            return "Next: done"
        nxt = timer.phases[i]
        check = " (skin check first)" if is_application(nxt.kind) else ""
        return f"Next: {nxt.label.lower()} {_minutes_text(timer.durations[i])}{check}"

    def _progress(self, snap: Any) -> tuple[float, float]:
        """Session progress; for an until-stopped session, progress of the current round."""
        timer = self.timer
        assert timer is not None
        if self.rounds is not None:
            ended = len(timer.actual)
            total = sum(timer.actual) + sum(timer.durations[ended:])
            return snap.total_elapsed, total
        round_no = timer.phases[snap.index].meta.get("round")
        idx = [i for i, p in enumerate(timer.phases) if p.meta.get("round") == round_no]
        total = sum(timer.durations[i] for i in idx)
        done = sum(timer.actual[i] for i in idx if i < len(timer.actual))
        if not snap.done:
            done += snap.elapsed
        return done, total

    # -- ending and saving ----------------------------------------------------------------------------
    def _details(self, stopped: str | None) -> dict[str, Any]:
        timer = self.timer
        assert timer is not None and self.regimen is not None
        phases = []
        for i, phase in enumerate(timer.phases):
            if i < len(timer.actual):
                seconds = timer.actual[i]
            elif i == timer.index and not timer.done:
                snap = timer.snapshot()
                seconds = snap.elapsed
            else:
                break
            phases.append(
                {
                    "kind": phase.kind,
                    "round": int(phase.meta.get("round", 1)),
                    "seconds": round(seconds, 1),
                    "planned": round(timer.durations[i], 1),
                }
            )
        ended = len(timer.actual)
        rounds_done = 0
        for r in sorted({int(p.meta.get("round", 1)) for p in timer.phases}):
            members = [
                i for i, p in enumerate(timer.phases) if int(p.meta.get("round", 1)) == r and is_application(p.kind)
            ]
            if members and all(i < ended for i in members):
                rounds_done = r
        return {
            "regimen": self.regimen.id,
            "rounds": self.rounds or 0,
            "until_stopped": self.rounds is None,
            "rounds_done": rounds_done,
            "phases_done": ended,
            "phases": phases,
            "skin_checks": list(self.skin_checks),
            "stopped": stopped,
        }

    def _note_unanswered_check(self) -> None:
        check = self._check
        if check is None:
            return
        phase = self.timer.phases[self.timer.index] if self.timer else None
        self.skin_checks.append(
            {
                "at": self.now(),
                "answer": "unanswered",
                "phase": phase.kind if phase else "",
                "round": int(phase.meta.get("round", 1)) if phase else 1,
                "when": check.when,
            }
        )

    def _checkpoint(self) -> None:
        if self.session_log is None or self.session_log.finished or self.timer is None or self.regimen is None:
            return
        self._last_checkpoint = self.clock()
        self.session_log.checkpoint(
            resume.checkpoint_state(
                self.timer, regimen=self.regimen.id, rounds=self.rounds, skin_checks=self.skin_checks
            )
        )

    def checkpoint_now(self) -> None:
        """A fresh checkpoint: the app calls it on a hang-up, just before it saves the session."""
        self._checkpoint()

    def abandon(self, reason: str) -> None:
        """Save now as not completed (quit, SIGTERM, SIGHUP): synchronous, no UI."""
        if self.session_log is None or self.session_log.finished or self.timer is None:
            return
        self._note_unanswered_check()
        completed = self.timer.done  # only when a finished cycle was waiting for "another?"
        details = self._details(reason)
        self.timer.stop()
        self.session_log.finish(completed, **details)

    def _end(self, completed: bool, stopped: str | None = None) -> None:
        """Save the record (first), then show the done view and ask the pain after."""
        if self.session_log is None or self.timer is None or self.session_log.finished:
            return
        self._note_unanswered_check()
        details = self._details(stopped)
        self.timer.stop()
        record = self.session_log.finish(completed, **details)
        if self.neck.active_session is self:
            self.neck.active_session = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        self.mode = "done"
        notice = self.content.notice
        if self.problem:
            title = "Skin problem: the application has ended."
            text = notice.skin_problem_advice
        elif completed:
            title = "Well done: session complete and saved."
            text = self._rest_text()
        else:
            title = "Session stopped and saved as not completed."
            text = self._rest_text()
        if record is None:
            title = "Session ended."
        self.query_one("#done-title", Static).update(title)
        self.query_one("#done-text", Static).update(text)
        self._update_pain_line()
        self.call_later(self._ask_pain_after, text if self.problem else "")

    def _last_rest_minutes(self) -> float | None:
        """The rest the regimen asks for after its last application (the user's choice if set)."""
        regimen, timer = self.regimen, self.timer
        if regimen is None:
            return None
        rests = [(i, p) for i, p in enumerate(regimen.phases) if not is_application(p.kind)]
        if not rests:
            return None
        step, rest = rests[-1]
        minutes = self.minutes.get(step, rest.minutes)
        if timer is not None:
            offs = [timer.durations[i] for i, p in enumerate(timer.phases) if not is_application(p.kind)]
            if offs:
                minutes = offs[-1] / 60
        return minutes

    def _rest_text(self) -> str:
        """What to do after the last application: the regimen's rest, and when more is fine."""
        minutes = self._last_rest_minutes()
        if self.regimen is None or minutes is None:
            return self.content.notice.off_phase_text
        rest = [p for p in self.regimen.phases if not is_application(p.kind)][-1]
        when = (self.now() + timedelta(minutes=minutes)).astimezone().strftime("%H:%M")
        text = rest.text or self.content.notice.off_phase_text
        what = self.regimen.kind if self.regimen.kind != "contrast" else "heat or cold"
        return f"{text}\nMore {what} from {when}."

    async def _ask_pain_after(self, note: str) -> None:
        self._close_check()
        while self.app.screen is not self and self in self.app.screen_stack:
            await self.app.pop_screen()
        value = self.session_log.pain_before if self.session_log else None
        await self.app.push_screen(PainCheck("Pain after", value, note=note), self._pain_after_answered)

    def _close_check(self) -> None:
        self._check = None

    def _drop_check(self) -> None:
        """Close a waiting skin check that no longer applies (noted as unanswered)."""
        check = self._check
        if check is None:
            return
        self._note_unanswered_check()
        self._check = None
        if self.app.screen is check:
            check.dismiss(None)

    def _pain_after_answered(self, pain: int | None) -> None:
        self._pain_after = pain
        if self.session_log is not None:
            self.session_log.set_pain_after(pain)
        self._update_pain_line()

    def _update_pain_line(self) -> None:
        before = self.session_log.pain_before if self.session_log else None
        parts = []
        if before is not None:
            parts.append(f"Pain before: {before}/10")
        if self._pain_after is not None:
            parts.append(f"after: {self._pain_after}/10" if parts else f"Pain after: {self._pain_after}/10")
        line = ", ".join(parts)
        self.query_one("#done-pain", Static).update(f"{line}\nescape: back" if line else "escape: back")

    def on_unmount(self) -> None:
        # Left by a route that skips the stop prompt (e.g. the command palette's Home): save it.
        # Not if the app has already let go of it (a hang-up keeps its checkpoint for resume).
        if self.neck.active_session is self:
            self.neck.active_session = None
            self.abandon("left the screen")


def _minute_range(low: float, high: float, default: float | None = None) -> list[float]:
    """Whole minutes from low up to high (both ends and the default included, even if fractional)."""
    values = {float(low), float(high)} | ({float(default)} if default is not None else set())
    m = float(int(low) + 1 if low != int(low) else low)
    while m < high:
        values.add(m)
        m += 1
    return sorted(values)
