"""Self-massage: the timed session screen (neck_tui.screens.timed) showing the massage plan
(neck_tui.plans.massage): the step, its text and the seconds left, the safety line and where the
steps come from."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from neck_tui.engine import PhaseTimer, Snapshot
from neck_tui.plans import massage as plan
from neck_tui.screens.timed import TimedSessionScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.line import Line


class MassageScreen(TimedSessionScreen):
    """Enter, and knead along with the steps; the session is saved once, however it ends."""

    KIND = "massage"
    PAIN_BEFORE = "Neck pain now, before the massage?"
    PAIN_AFTER = "Neck pain now, after the massage?"
    STOP_QUESTION = "Stop the massage?"
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

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
        super().on_mount()

    def show(self, view: plan.View) -> None:
        for part in ("title", "text", "clock"):
            self.query_one(f"#massage-{part}", Line).text = getattr(view, part)

    def make_phases(self) -> Any:
        return plan.phases(self.info)

    def session_details(self, timer: PhaseTimer) -> tuple[dict[str, Any], dict[str, Any]]:
        return plan.details(self.info), plan.progress(timer.phases_done)

    def show_ready(self) -> None:
        self.show(plan.ready_view(self.info))

    def show_snapshot(self, snap: Snapshot) -> str:
        view = plan.view(self.info, snap)
        self.show(view)
        return view.word

    def show_ended(self, completed: bool, progress: dict[str, Any]) -> None:
        self.show(plan.ended_view(self.info, completed, progress["steps_done"]))
