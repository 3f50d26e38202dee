"""The skin check: look at the skin under the pack, then answer "Skin OK" (o) or "Problem" (p).

Only o and p answer it: Enter and escape do nothing, so a reflexive key press cannot record OK.
It has no cancel: the screen that asked closes it itself (result None) when its phase ends.
Docked at the bottom so the countdown above stays in sight.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from neck_tui.dialogs.base import Dialog
from neck_tui.widgets.countdown import TextLine
from neck_tui.widgets.line import Line

OK = "ok"
PROBLEM = "problem"


class SkinCheck(Dialog[str | None]):
    BINDINGS = [
        Binding("o", "answer('ok')", "Skin OK"),
        Binding("p", "answer('problem')", "Problem"),
        Binding("escape,enter", "nothing", show=False),  # an answer is needed; these must not count
    ]
    docked = True

    def __init__(self, question: str, context: str = "", when: str = "during", timer: str = "") -> None:
        super().__init__("SKIN CHECK", context)
        self.question = question
        self.timer = timer  # "HEAT 17:32 left", kept current by the screen that asked
        self.when = when  # "during", "before" or "resume": kept with the answer
        self.rings = 1

    def compose_body(self) -> ComposeResult:
        yield Static(self.question, id="skin-question")
        yield Static("o: skin OK.   p: a problem (ends the application).", classes="dialog-keys")
        # The running time changes every second: a line of its own that sends only the digits
        # that changed (the prompt may be left open for many minutes).
        yield TextLine(self.timer, id="skin-timer")
        yield Line(self._waiting_text(0, self.timer), id="skin-waiting", markup=False)

    def waiting(self, seconds: float, timer: str = "") -> None:
        """Show the running timer ("HEAT 17:32 left") and how long the prompt has waited: the
        timer keeps running meanwhile."""
        self.query_one("#skin-timer", TextLine).show(timer)
        self.query_one("#skin-waiting", Line).text = self._waiting_text(seconds, timer)

    @staticmethod
    def _waiting_text(seconds: float, timer: str) -> str:
        minutes = int(seconds // 60)
        waited = f"waiting {minutes} min; " if minutes else ""
        return f"{waited}the timer is still running" if timer else waited

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_nothing(self) -> None:
        pass
