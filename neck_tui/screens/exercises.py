"""Guided exercises: the chooser and the runner (plan + engine snapshot -> widgets).

The chooser lists what neck_tui.plans.exercises plans; Enter asks the pain before, makes the
session (neck_tui.lifecycle) and opens the runner. The runner steps through the plan with a
GuidedRun and saves through the session exactly once; while it runs q and escape ask before
stopping, ! stops at once (it hurts) and shows what to do, and every end reaches the pain-after
question. The posture-break screen uses the same runner for its guided break.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.timer import Timer
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from neck_tui import alerts, insights
from neck_tui.content import Content
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import ask_pain_after, ask_pain_before
from neck_tui.learn import after_context, tip_line
from neck_tui.lifecycle import Session
from neck_tui.plans import exercises as plan
from neck_tui.plans.exercises import GuidedRun
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line
from neck_tui.widgets.triage_hint import TRIAGE_KEY, TriageHint

RUN_KEYS = ("pause", "resume", "hurts", "stop", "done_rep", "next_phase", "back_rep", "skip_exercise")
NARROW = 60  # below this width the basis line is its short form


def counts_basis_line(content: Content, exercise_ids: list[str], short: bool = False) -> str:
    """Where the hold times and reps come from (content's counts_basis), for the exercises shown:
    the note of one exercise, or the basis alone for several (or when `short`); '' if none says."""
    bases = [b for b in (content.exercise(i).counts_basis for i in dict.fromkeys(exercise_ids)) if b is not None]
    if not bases:
        return ""
    if len(bases) == 1 and not short:
        return f"Holds and reps: {bases[0].note}"
    labels = list(dict.fromkeys(b.label for b in bases))
    return f"Holds and reps: {'; '.join(labels)}"


def choice_exercises(content: Content, ident: str) -> list[str]:
    """The exercise ids of a chooser entry ("routine:ID" or "exercise:ID")."""
    what, _, key = ident.partition(":")
    return list(content.routine(key).exercises) if what == "routine" else [key]


class ExerciseRunner(NeckScreen):
    """Shows a GuidedRun and ends its session: completed at the end, or stopped (q/escape after a
    question, ! at once, or quit and signals through the app). Dismisses with the session once
    the pain-after question is answered."""

    shows_session = True  # Home (the palette) stops here while its session runs

    BINDINGS = [
        # The Footer shows them in this order: the safety keys first, so a 40-column pane keeps them.
        # `!` and `←`, not letters: Home's h (Heat) and b (Breathe) must not mean something else here.
        Binding("space", "pause", "Pause"),
        Binding("space", "resume", "Resume"),  # the Footer names what space will do now
        Binding("exclamation_mark", "hurts", "It hurts"),
        Binding("q", "stop", "Stop"),
        Binding("enter", "done_rep", "Done"),
        Binding("n", "next_phase", "Next"),  # as on the heat/cold screen
        Binding("left", "back_rep", "Rep back"),
        Binding("s", "skip_exercise", "Skip"),
        Binding("escape", "stop", "Stop", show=False),
    ]
    # Small panes (posture breaks sit in one): no Header, no margins, a compact Footer, so the
    # rep and the countdown stay on screen at 40x15 (the step text gives way first).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    paused: reactive[bool] = reactive(False, bindings=True)
    self_paced: reactive[bool] = reactive(False, bindings=True)
    over: reactive[bool] = reactive(False, bindings=True)

    def __init__(self, run: GuidedRun, session: Session, title: str, *, begin: bool = True,
                 ask_after_completed: bool = True) -> None:
        super().__init__()
        self.run = run
        self.session = session
        self.run_title = title
        self.begins_session = begin  # False: the session is already the app's (a posture break that came due)
        self.ask_after_completed = ask_after_completed
        self._timer: Timer | None = None
        self._end_flow: str | None = None  # "hurt" or "after": what is still to ask once on top

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        with Vertical(id="run-box"):
            for part in ("title", "step", "rep", "clock"):
                yield Line(id=f"run-{part}", markup=False)
            yield Line(id="run-basis", markup=False)
        yield Static(Text(self.content.exercise_info.pain_cue), id="run-cue")
        # Without the palette's hint (ctrl+p still works, and help lists it), all the run's keys
        # and ? Help fit in 80 columns.
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.sub_title = self.run_title
        self.run.start()
        if self.begins_session:
            self.neck.begin_session(self.session)
        self.tick()

    def on_unmount(self) -> None:
        # Popped without finishing (the app closing by any route): keep what was done.
        self.session.abandon("left")

    # -- the display ---------------------------------------------------------
    def tick(self) -> None:
        """Read the run, show it, tell the session; schedule the next change."""
        if self.session.ended:
            return
        events = self.run.poll()
        for kind, _, phase in events:
            if kind in ("ended", "skipped"):  # run out, or ended early with n / Enter / s
                self.session.emit("phase_end", phase=phase.label, seconds_left=0)
        if any(kind == "ended" for kind, _, _ in events):
            alerts.bell(self.app)  # a hold or rest ran out: release, or start the next rep
        if self.run.finished:
            if any(e["result"] == "done" for e in self.run.progress()):
                self.session.stop(None, completed=True)
                alerts.bell(self.app)
            else:  # every exercise skipped (s): no rep was done, so it is not a finished session
                self.session.stop("skipped")
            self._ended()
            return
        now = self.run.current()
        shown = plan.view(now, self.run.paused)
        for part in ("title", "step", "rep", "clock"):
            self.query_one(f"#run-{part}", Line).text = getattr(shown, part)
        self.query_one("#run-basis", Line).text = counts_basis_line(
            self.content, [now.phase.meta["exercise"]], short=self.size.width < NARROW)
        self.session.tick(shown.word, shown.seconds_left)
        self.paused = self.run.paused
        self.self_paced = now.self_paced
        self._schedule()

    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        delay = self.run.next_change()
        if delay is not None:
            self._timer = self.set_timer(delay, self.tick)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in RUN_KEYS and self.over:
            return False
        if action == "done_rep":
            return self.self_paced
        if action in ("pause", "resume"):
            return self.paused == (action == "resume")
        return True

    # -- keys ------------------------------------------------------------------
    def action_pause(self) -> None:
        if self.session.ended:
            return
        if self.run.toggle_pause():
            self.session.pause()
        else:
            self.session.resume()
        self.tick()

    action_resume = action_pause

    def action_done_rep(self) -> None:
        if self.self_paced:
            self.action_next_phase()

    def action_next_phase(self) -> None:
        self.run.next()
        self.tick()

    def action_back_rep(self) -> None:
        self.run.back()
        self.tick()

    def action_skip_exercise(self) -> None:
        self.run.skip_exercise()
        self.tick()

    def action_stop(self) -> None:
        """q or escape: ask first; yes stops (saved as stopped), then the pain-after question."""

        def answered(stop: bool | None) -> None:
            if stop and not self.session.ended:
                self.session.stop("user")
                self._ended()

        if not self.session.ended:
            self.app.push_screen(
                Confirm(f"Stop {self.run_title}?", "It is saved as stopped, then you are asked your pain.",
                        yes="stop", no="keep going", docked=True),
                answered,
            )

    def action_hurts(self) -> None:
        """!: stop at once, no question (safety); say what to do, then the pain-after question."""
        if not self.session.ended:
            self.session.stop("pain")
            self._ended("hurt")

    # -- the end -----------------------------------------------------------------
    def _ended(self, flow: str = "after") -> None:
        self.over = True
        if self._timer is not None:
            self._timer.stop()
        self._end_flow = flow
        if self.is_active:  # else help or the palette is over the runner: go on when it closes
            self._go_on()

    def on_screen_resume(self) -> None:
        if self._end_flow is not None:
            self._go_on()

    def _go_on(self) -> None:
        flow, self._end_flow = self._end_flow, None
        if flow == "hurt":
            name = self.run.current().phase.meta["name"]
            self.app.push_screen(
                Advice(f"Stopped: {name}", self.content.exercise_info.hurts_advice,
                       "Saved as stopped because it hurt. Enter: OK."),
                lambda _: self._ask_after(),
            )
        else:
            self._ask_after()

    def _ask_after(self) -> None:
        record = self.session.record
        if record is not None and record.completed and not self.ask_after_completed:
            self.dismiss(self.session)
            return

        def answered(pain: int | None) -> None:
            self.session.set_pain_after(pain)
            self.dismiss(self.session)

        ask_pain_after(self.app, f"{self.run_title} {ended_word(self.session)}: pain now", answered)


def ended_word(session: Session) -> str:
    """finished, skipped, stopped because it hurt, or stopped."""
    stopped = session.details.get("stopped")
    if session.record is not None and session.record.completed:
        return "finished"
    return {"skipped": "skipped", "pain": "stopped because it hurt"}.get(stopped, "stopped")


class ExercisesScreen(NeckScreen):
    """The chooser: the default routine first, other routines, then single exercises."""

    # priority: ahead of the list's own (hidden) Enter, so the Footer shows "Start".
    BINDINGS = [Binding("enter", "start", "Start", priority=True), TRIAGE_KEY]

    def compose(self) -> ComposeResult:
        yield Header()
        yield RedFlagBanner()
        yield OptionList(*self._options(), id="ex-choices")
        yield Line(id="ex-basis", markup=False)
        yield Static(Text(self.content.exercise_info.pain_cue), id="ex-cue")
        yield TriageHint()
        yield Line(id="ex-status", markup=False)
        tip = Line(id="ex-tip", markup=False)
        tip.display = False  # until a session's pain-after question is answered
        yield tip
        yield Footer()

    def _options(self) -> list[Option | None]:
        routines, singles = plan.choices(self.content)
        options: list[Option | None] = [
            Option(Text.assemble((c.title, "bold"), "  ", (f"{c.length}: {c.summary}", "dim")), id=c.ident)
            for c in routines
        ]
        options.append(None)  # a separator: single exercises below
        options += [Option(Text.assemble(c.title, "  ", (f"{c.length}: {c.summary}", "dim")), id=c.ident) for c in singles]
        return options

    def on_mount(self) -> None:
        self.sub_title = "Exercises"
        choices = self.query_one(OptionList)
        choices.highlighted = 0
        choices.focus()

    @on(OptionList.OptionHighlighted, "#ex-choices")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        ident = event.option.id
        short = self.size.width < NARROW
        self.query_one("#ex-basis", Line).text = (
            counts_basis_line(self.content, choice_exercises(self.content, ident), short) if ident else "")

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

    def begin(self, ident: str) -> None:
        """Start a choice ("routine:ID" or "exercise:ID"): pain before, then the runner."""
        choice = plan.choose(self.content, ident)
        store, now = self.store, self.now()
        prefill = self.neck.read("recent pain", lambda: insights.recent_pain(store, now))

        def start(pain: int | None) -> None:
            run = GuidedRun(choice.phases, self.clock)
            session = self.neck.new_session(
                "exercise", pain_before=pain, details=choice.details,
                state=lambda: plan.checkpoint_state(run), describe=lambda reason: plan.record_details(run, reason),
            )
            self.app.push_screen(ExerciseRunner(run, session, choice.title), self._finished)

        ask_pain_before(self.app, f"{choice.title}: pain before you start", prefill, start)

    def _finished(self, session: Session | None) -> None:
        if session is None or session.record is None:
            return
        record = session.record
        change = ""
        if record.pain_before is not None and record.pain_after is not None:
            change = f" Pain {record.pain_before} -> {record.pain_after}."
        saved = "not saved yet (kept in memory, saved again shortly)" if self.neck.saver.waiting else "saved"
        self.query_one("#ex-status", Line).text = f"{session.details['title']}: {ended_word(session)}, {saved}.{change}"
        day = self.now().astimezone().date()
        tip = self.query_one("#ex-tip", Line)
        tip.text = tip_line(self.content, after_context(record.kind), day, self.store.state.settings.tips)
        tip.display = bool(tip.text)
