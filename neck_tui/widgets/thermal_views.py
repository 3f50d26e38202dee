"""The running and done views of heat / cold / contrast: widgets that show a ThermalRun
(neck_tui.plans.thermal) and the engine's snapshot. Every line is a Line, so a tick that changes
nothing repaints nothing; the countdown repaints only when its second changes.

The countdown's size is decided here: its row takes the room the other lines leave (styles/
thermal.tcss), and CountdownRow sets the countdown's `scale` (how many times its 3-row digits are
drawn larger) to the largest that fits that room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.geometry import Size
from textual.renderables.digits import Digits as DigitsRenderable

from neck_tui.engine import Snapshot
from neck_tui.plans.thermal import PHASE_WORDS, ThermalRun
from neck_tui.widgets.countdown import Countdown, ProgressLine, clock_text
from neck_tui.widgets.line import Line

DIGIT_ROWS = 3  # the height of the countdown's digits at scale 1 (Textual's Digits)


def digit_scale(room: Size, text: str) -> int:
    """How many times larger than its 3-row size `text` can be drawn in `room` (1 at least)."""
    width = DigitsRenderable.get_width(text)
    return max(1, min(room.height // DIGIT_ROWS, room.width // max(1, width)))


class CountdownRow(Center):
    """The countdown's row: its size decides the countdown's `scale` (1 on a small screen)."""

    scale = 0  # none set yet

    def on_resize(self, event: Resize) -> None:
        self.fit(event.size)

    def fit(self, room: Size | None = None) -> None:
        """Set the countdown's scale for the room (this row's size) and the text it shows now."""
        countdown = self.query_one(Countdown)
        small = self.screen.has_class("-compact")
        scale = 1 if small else digit_scale(room or self.size, countdown.value)
        if scale != self.scale:
            self.scale = countdown.scale = scale


class RunningView(Vertical):
    """Phase word and round, the countdown, what comes next, progress, the phase's text, status."""

    def compose(self) -> ComposeResult:
        with Horizontal(id="phase-row"):
            yield Line("", id="phase-word")
            yield Line("", id="round-line")
        with CountdownRow(id="countdown-row"):
            yield Countdown(0, id="countdown")
        yield Line("", id="next-line")
        yield ProgressLine(id="session-progress")
        yield Line("", id="phase-text", markup=False)
        yield Line("", id="run-status")

    def show(self, run: ThermalRun, snap: Snapshot, off_text: str, notice: str = "", short: bool = False) -> None:
        """`short`: the phase's short text (a small screen); `notice` replaces the status for now."""
        kind = snap.phase.kind if snap.phase else "off"
        word = self.query_one("#phase-word", Line)
        for k in PHASE_WORDS:
            word.set_class(k == kind, f"-{k}")
        word.text = run.word(snap)
        self.query_one("#round-line", Line).text = run.round_text(snap)
        countdown = self.query_one(Countdown)
        if countdown.show(snap.seconds_shown):
            self.query_one(CountdownRow).fit()  # e.g. 1:00:00 -> 59:59 is narrower
        countdown.set_class(snap.paused, "-paused")
        self.query_one("#next-line", Line).text = run.next_text(snap)
        done_s, total_s = run.progress(snap)
        label = f"{clock_text(int(done_s))} / {clock_text(int(total_s))}"
        self.query_one(ProgressLine).update(total=total_s, progress=min(done_s, total_s), label=label)
        self.query_one("#phase-text", Line).text = run.phase_text(snap, off_text, short=short)
        self.query_one("#run-status", Line).text = notice or run.status_text(snap)


class DoneView(VerticalScroll):
    """What was saved, what to do now, and the pain before and after."""

    def compose(self) -> ComposeResult:
        yield Line("", id="done-title")
        yield Line("", id="done-text", markup=False)
        yield Line("", id="done-pain")
        tip = Line("", id="done-tip", markup=False)
        tip.display = False  # until the pain-after question is answered
        yield tip

    def ended(self, completed: bool, problem: bool, saving_waits: bool, advice: str) -> None:
        """How it ended, and what to do now (the skin-problem advice, or the rest after it)."""
        saved = "kept in memory (saving is retried)" if saving_waits else "saved"
        if problem:
            title = "Skin problem: the application has ended."
        elif completed:
            title = f"Well done: session complete and {saved}."
        else:
            title = f"Session stopped and {saved} as not completed."
        self.query_one("#done-title", Line).text = title
        self.query_one("#done-text", Line).text = advice

    def pains(self, before: int | None, after: int | None) -> None:
        parts = [f"Pain before: {before}/10"] if before is not None else []
        if after is not None:
            parts.append(f"after: {after}/10" if parts else f"Pain after: {after}/10")
        line = ", ".join(parts)
        self.query_one("#done-pain", Line).text = f"{line}\nescape: back" if line else "escape: back"

    def tip(self, line: str) -> None:
        """One tip after the pain-after question ('' for none)."""
        tip = self.query_one("#done-tip", Line)
        tip.text = line
        tip.display = bool(line)
