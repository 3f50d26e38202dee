"""The skin-check prompt: look at the skin, then answer "Skin OK" or "Problem".

Dismisses with "ok" or "problem". It has no "cancel": the screen that asked closes it
itself (result None) if the session ends while it waits. The question comes from content.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

OK = "ok"
PROBLEM = "problem"


class SkinCheck(ModalScreen[str | None]):
    """Ask the user to look at the skin under the pack."""

    BINDINGS = [
        Binding("o,enter", "answer('ok')", "Skin OK"),
        Binding("p", "answer('problem')", "Problem"),
        Binding("escape", "nothing", show=False),  # an answer is needed; escape must not count as one
    ]

    def __init__(self, question: str, context: str = "", when: str = "during") -> None:
        super().__init__()
        self.question = question
        self.context = context
        self.when = when  # "during", "before" or "resume": kept with the answer
        self.rings = 1

    def compose(self) -> ComposeResult:
        with Vertical(id="skin-box"):
            yield Static("SKIN CHECK", id="skin-title")
            if self.context:
                yield Static(self.context, id="skin-context")
            yield Static(self.question, id="skin-question")
            with Horizontal(id="skin-buttons"):
                yield Button("Skin OK (o)", id="skin-ok", variant="success")
                yield Button("Problem (p)", id="skin-problem", variant="error")
            yield Static("", id="skin-waiting")
        yield Footer()

    def on_mount(self) -> None:
        if self.app.size.height < 20 or self.app.size.width < 60:  # keep it all in sight
            for button in self.query(Button):
                button.compact = True
        self.query_one("#skin-ok", Button).focus()

    def waiting(self, seconds: float) -> None:
        """Tell the user how long the prompt has waited (the timer keeps running meanwhile)."""
        minutes = int(seconds // 60)
        text = f"Waiting {minutes} min; the timer is still running." if minutes else ""
        label = self.query_one("#skin-waiting", Static)
        if str(label.content) != text:
            label.update(text)

    @on(Button.Pressed, "#skin-ok")
    def _ok(self) -> None:
        self.dismiss(OK)

    @on(Button.Pressed, "#skin-problem")
    def _problem(self) -> None:
        self.dismiss(PROBLEM)

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    def action_nothing(self) -> None:
        pass
