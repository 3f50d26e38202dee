"""The running and done views of heat / cold / contrast: widgets that show a ThermalRun
(neck_tui.plans.thermal) and the engine's snapshot. Every line is a Line, so a tick that changes
nothing repaints nothing; the countdown repaints only when its second changes.

The countdown's size is decided here: its row takes the room the other lines leave (styles/
thermal.tcss), and CountdownRow sets the countdown's `scale` (how many times larger than their
3-row size its minutes are drawn) to the largest that fits that room."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.events import Resize
from textual.geometry import Size

from neck_tui.engine import Snapshot
from neck_tui.plans.thermal import PHASE_WORDS, ThermalRun, minutes_text
from neck_tui.widgets.countdown import Countdown, ProgressLine, countdown_size
from neck_tui.widgets.line import Line


def digit_scale(room: Size, text: str) -> int:
    """The largest scale at which a Countdown draws `text` inside `room` (1 at least)."""
    scale = 1
    while True:
        width, height = countdown_size(text, scale + 1)
        if width > room.width or height > room.height:
            return scale
        scale += 1


# The running view's containers draw nothing of their own (no border, no content), and say so:
# Textual then hands a frame their blank lines at once, instead of through a styles cache. Every
# tick's frame passes through them (Textual renders the whole of each container it touches).


class Row(Horizontal):
    BLANK = True


class Rows(Vertical):
    BLANK = True


class CountdownRow(Center):
    """The countdown's row: its size decides the countdown's `scale` (1 on a small screen)."""

    BLANK = True

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


class RunningView(Rows):
    """Phase word and round, the countdown, progress, what comes next, the phase's text, status.

    `show` runs at every tick: it sets only what changed (a Line repaints only a new text), and
    the session's progress is told in whole minutes, so a tick repaints the countdown's seconds
    and, now and then, the bar's moving edge."""

    def compose(self) -> ComposeResult:
        self.word, self.round_line = Line("", id="phase-word"), Line("", id="round-line")
        self.countdown, self.row = Countdown(0, id="countdown"), CountdownRow(id="countdown-row")
        self.next_line, self.progress = Line("", id="next-line"), ProgressLine(id="session-progress")
        self.phase_text, self.status = Line("", id="phase-text", markup=False), Line("", id="run-status")
        with Row(id="phase-row"):
            yield self.word
            yield self.round_line
        with self.row:
            yield self.countdown
        yield self.progress
        # The lines under the bar in a container of their own: a tick's frame (the countdown's
        # cells, now and then the bar's edge) renders that container, not each line in it.
        with Rows(id="run-below"):
            yield self.next_line
            yield self.phase_text
            yield self.status

    def show(self, run: ThermalRun, snap: Snapshot, off_text: str, notice: str = "", short: bool = False) -> None:
        """`short`: the phase's short text (a small screen); `notice` replaces the status for now."""
        kind = snap.phase.kind if snap.phase else "off"
        for k in PHASE_WORDS:
            self.word.set_class(k == kind, f"-{k}")
        self.word.text = run.word(snap)
        self.round_line.text = run.round_text(snap)
        length = len(self.countdown.value)
        if self.countdown.show(snap.seconds_shown) and len(self.countdown.value) != length:
            self.row.fit()  # 1:00:00 -> 59:59 is narrower: the minutes may grow
        self.countdown.set_class(snap.paused, "-paused")
        self.next_line.text = run.next_text(snap)
        done_s, total_s = run.progress(snap)
        label = f"{int(min(done_s, total_s) // 60)} / {minutes_text(total_s)}"
        self.progress.update(total=total_s, progress=min(done_s, total_s), label=label)
        self.phase_text.text = run.phase_text(snap, off_text, short=short)
        self.status.text = notice or run.status_text(snap)


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
