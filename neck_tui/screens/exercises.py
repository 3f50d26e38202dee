"""Guided exercises: choose a routine or one exercise, rate pain, follow the runner, rate again.

One record of kind "exercise" is saved per run (a routine, or a single exercise): pain before
and after belong to the run, and details list every exercise in it with its reps done:

    details.routine    the routine's id (absent for a single exercise)
    details.title      what was run ("Daily routine", "Chin tucks")
    details.exercises  [{id, reps_done, reps, result}], result: done, skipped, stopped,
                       in_progress (when the app was closed) or not_started
    details.stopped    why it ended early: "pain" (the h key), "user" (q), "skipped" (every
                       exercise skipped with s, no rep done), "left", "quit", ...
    details.exercise   the exercise it stopped in

The runner (ExerciseRunner) is also used by the posture-break screen for its guided break.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from neck_tui import alerts, exercise_plan, insights
from neck_tui.content import Exercise
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.pain import PainCheck, ask_pain_before
from neck_tui.engine import Phase
from neck_tui.exercise_plan import GuidedRun
from neck_tui.screens.base import NeckScreen
from neck_tui.session import SessionLog
from neck_tui.store import Record, StoreError
from neck_tui.widgets.banner import RedFlagBanner


def ring(app: Any) -> None:
    """The terminal bell, if the user wants bells (Settings.bell)."""
    alerts.bell(app)


def saving(app: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a store function; a StoreError becomes a one-line message (None), not a crash."""
    try:
        return fn(*args, **kwargs)
    except StoreError as exc:
        app.notify(str(exc), title="Not saved", severity="error", timeout=15)
        return None


def _minutes(seconds: float) -> str:
    minutes = max(1, round(seconds / 60))
    return f"about {minutes} min"


@dataclass
class RunOutcome:
    completed: bool
    stopped: str | None
    record: Record | None
    log: SessionLog


class _Active:
    """What app.active_session holds while a run is going: saves it on quit or a signal."""

    def __init__(self, abandon: Callable[[str], None]) -> None:
        self._abandon = abandon

    def abandon(self, reason: str) -> None:
        self._abandon(reason)


class ExerciseRunner(NeckScreen):
    """Steps through a plan: holds counted down, reps counted up, rests between reps.

    Saves through `log` exactly once: completed at the end, or stopped (q, h, escape, leaving,
    quit or a signal through app.active_session). Dismisses with a RunOutcome.
    """

    BINDINGS = [
        # The Footer shows them in this order: the safety keys first, so a 40-column pane keeps them.
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("h", "hurts", "It hurts"),
        Binding("q", "stop", "Stop"),
        Binding("enter", "done_rep", "Done"),
        Binding("n", "next", "Next"),
        Binding("b", "back", "Back"),
        Binding("s", "skip_exercise", "Skip exercise", show=False),
        Binding("escape", "stop", "Stop", show=False),
    ]
    # Small panes (posture breaks sit in one): no Header, no margins, a compact Footer, so the
    # rep and the countdown stay on screen at 40x15 (the step text gives way first).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    def __init__(self, phases: Sequence[Phase], log: SessionLog, title: str) -> None:
        super().__init__()
        self.phases = list(phases)
        self.session_log = log
        self.run_title = title
        self.run: GuidedRun | None = None
        self.outcome: RunOutcome | None = None
        self._timer: Timer | None = None
        self._shown: dict[str, str] = {}
        self._self_paced = False
        self._active = _Active(self.abandon)
        self._dismiss_pending = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        with Vertical(id="run-box"):
            yield Static(id="run-title")
            yield Static(id="run-step")
            yield Static(id="run-rep")
            yield Static(id="run-clock")
        yield Static(Text(self.content.exercise_info.pain_cue), id="run-cue")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.run_title
        self.run = GuidedRun(self.phases, self.clock)
        self.run.start()
        self.neck.active_session = self._active
        self.tick()

    def on_resize(self) -> None:
        self.query_one(Footer).compact = self.size.width < 60

    def on_screen_resume(self) -> None:
        if self._dismiss_pending:
            self._dismiss_pending = False
            self.dismiss(self.outcome)

    def on_unmount(self) -> None:
        # Popped without finishing (Home from the palette, app exit): keep what was done.
        self._save(False, "left")

    # -- the display ---------------------------------------------------------
    def tick(self) -> None:
        """Read the run and update what changed; schedule the next change."""
        if self.run is None or self.outcome is not None:
            return
        events = self.run.poll()
        if any(kind == "ended" for kind, _, _ in events):
            ring(self.app)  # a hold or rest ran out: release, or start the next rep
        if self.run.finished:
            if any(e["result"] == "done" for e in self.run.progress()):
                self._end(True, None)
            else:  # every exercise skipped (s): no rep was done, so it is not a finished session
                self._end(False, "skipped")
            return
        self._redraw()
        self._schedule()

    def _redraw(self) -> None:
        assert self.run is not None
        now = self.run.current()
        meta = now.phase.meta
        title = meta["name"]
        if meta["of"] > 1:
            title += f"   (exercise {meta['number']} of {meta['of']})"
        self._show("run-title", title)
        step = f"Step {meta['step']} of {meta['steps']}: " if meta["steps"] > 1 else ""
        self._show("run-step", step + meta["text"])
        rep = f"Rep {meta['rep']} of {meta['reps']}"
        kind = now.phase.kind
        if kind == "ready":
            clock = f"Get ready: starts in {now.seconds_shown} s"
        elif kind == "hold":
            clock = f"{now.seconds_shown} s left in this rep"
        elif kind == "rest":
            rep = f"Rep {meta['rep']} of {meta['reps']} done"
            clock = f"Rest: {now.seconds_shown} s, then rep {meta['rep'] + 1}"
        else:
            clock = "At your own pace: press Enter when done"
        if self.run.paused:
            clock = f"Paused ({clock.lower()}). Space to go on."
        self._show("run-rep", rep)
        self._show("run-clock", clock)
        if now.self_paced != self._self_paced:
            self._self_paced = now.self_paced
            self.refresh_bindings()

    def _show(self, widget_id: str, text: str) -> None:
        if self._shown.get(widget_id) != text:
            self._shown[widget_id] = text
            self.query_one(f"#{widget_id}", Static).update(Text(text))

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        assert self.run is not None
        delay = self.run.next_change()
        if delay is not None:
            self._timer = self.set_timer(delay, self.tick)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "done_rep":
            return self._self_paced
        if action in ("pause", "resume"):
            paused = self.run is not None and self.run.paused
            return paused == (action == "resume")
        return True

    # -- keys ------------------------------------------------------------------
    def _act(self, fn: Callable[[GuidedRun], Any]) -> None:
        if self.run is None or self.outcome is not None:
            return
        fn(self.run)
        self.tick()

    def action_pause(self) -> None:
        self._act(lambda run: run.toggle_pause())
        self.refresh_bindings()

    action_resume = action_pause

    def action_done_rep(self) -> None:
        if self.run is not None and self.run.current().self_paced:
            self._act(lambda run: run.next())

    def action_next(self) -> None:
        self._act(lambda run: run.next())

    def action_back(self) -> None:
        self._act(lambda run: run.back())

    def action_skip_exercise(self) -> None:
        self._act(lambda run: run.skip_exercise())

    def action_stop(self) -> None:
        self._end(False, "user")

    def action_hurts(self) -> None:
        if self.outcome is not None or self.run is None:
            return
        name = self.run.current().phase.meta["name"]
        self._save(False, "pain")
        outcome = self.outcome
        self.app.push_screen(
            Advice(f"Stopped: {name}", self.content.exercise_info.hurts_advice,
                   "Saved as stopped because it hurt. Enter: OK."),
            lambda _: self.dismiss(outcome),
        )

    # -- saving ----------------------------------------------------------------
    def abandon(self, reason: str) -> None:
        """app.active_session: quit or a signal; save now as not completed."""
        self._save(False, reason)

    def _save(self, completed: bool, stopped: str | None) -> None:
        if self.outcome is not None or self.run is None:
            return
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        details: dict[str, Any] = {}
        if not completed:
            details["exercise"] = self.run.current().phase.meta["exercise"]
            details["stopped"] = stopped
            self.run.stop()
        details["exercises"] = self.run.progress()
        record = saving(self.app, self.session_log.finish, completed, **details)
        self.outcome = RunOutcome(completed, stopped, record, self.session_log)
        if self.neck.active_session is self._active:
            self.neck.active_session = None

    def _end(self, completed: bool, stopped: str | None) -> None:
        self._save(completed, stopped)
        if completed:
            ring(self.app)
        if self.is_active:
            self.dismiss(self.outcome)
        else:  # help or the palette is over the runner: leave when it closes
            self._dismiss_pending = True


class ExercisesScreen(NeckScreen):
    """The chooser: the default routine first, other routines, then single exercises."""

    # priority: ahead of the list's own (hidden) Enter, so the Footer shows "Start".
    BINDINGS = [Binding("enter", "start", "Start", priority=True)]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        yield OptionList(*self._options(), id="ex-choices")
        yield Static(Text(self.content.exercise_info.pain_cue), id="ex-cue")
        yield Static(id="ex-status")
        yield Footer()

    def _options(self) -> list[Option | None]:
        content = self.content
        default = content.exercise_info.default_routine
        routines = sorted(content.routines, key=lambda r: r.id != default)  # stable: default first
        options: list[Option | None] = []
        for routine in routines:
            exercises = exercise_plan.routine_exercises(content, routine.id)
            prompt = Text.assemble(
                (routine.name, "bold"),
                "  ",
                (self._length(exercises) + ": " + ", ".join(e.name for e in exercises), "dim"),
            )
            options.append(Option(prompt, id=f"routine:{routine.id}"))
        options.append(None)  # a separator: single exercises below
        for exercise in content.exercises:
            prompt = Text.assemble(exercise.name, "  ", (f"{self._length([exercise])}: {exercise.summary}", "dim"))
            options.append(Option(prompt, id=f"exercise:{exercise.id}"))
        return options

    @staticmethod
    def _length(exercises: list[Exercise]) -> str:
        phases = exercise_plan.plan_exercises(exercises)
        text = _minutes(exercise_plan.timed_seconds(phases))
        return text + (" + your own pace" if exercise_plan.has_self_paced(phases) else "")

    def on_mount(self) -> None:
        self.sub_title = "Exercises"
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    def action_start(self) -> None:
        choices = self.query_one(OptionList)
        if choices.highlighted is not None:
            option = choices.get_option_at_index(choices.highlighted)
            if option.id is not None:
                self.begin(option.id)

    @on(OptionList.OptionSelected, "#ex-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.begin(event.option.id)

    def begin(self, choice: str) -> None:
        """Start a choice ("routine:ID" or "exercise:ID"): pain before, then the runner."""
        what, _, ident = choice.partition(":")
        content = self.content
        if what == "routine":
            routine = content.routine(ident)
            exercises = exercise_plan.routine_exercises(content, ident)
            title, details = routine.name, {"routine": routine.id, "title": routine.name}
        else:
            exercise = content.exercise(ident)
            exercises = [exercise]
            title, details = exercise.name, {"title": exercise.name}
        phases = exercise_plan.plan_exercises(exercises)
        try:
            prefill = insights.recent_pain(self.store, self.now())
        except StoreError:
            prefill = None  # unreadable history: just ask

        def start(pain: int | None) -> None:
            log = SessionLog(self.store, "exercise", self.now, pain_before=pain, details=details)
            self.app.push_screen(ExerciseRunner(phases, log, title), self._finished)

        ask_pain_before(self.app, f"{title}: pain before you start", prefill, start)

    def _finished(self, outcome: RunOutcome | None) -> None:
        if outcome is None:
            return
        title = outcome.log.details.get("title", "")
        if outcome.stopped == "pain":
            self._status(f"{title}: stopped because it hurt; saved.")
            return
        done = "finished" if outcome.completed else "skipped" if outcome.stopped == "skipped" else "stopped"

        def after(pain: int | None) -> None:
            saving(self.app, outcome.log.set_pain_after, pain)
            before = outcome.log.pain_before
            change = f" Pain {before} -> {pain}." if before is not None and pain is not None else ""
            self._status(f"{title}: {done}, saved.{change}")

        self.app.push_screen(PainCheck(f"{title} {done}: pain now", outcome.log.pain_before), after)

    def _status(self, text: str) -> None:
        self.query_one("#ex-status", Static).update(Text(text))
