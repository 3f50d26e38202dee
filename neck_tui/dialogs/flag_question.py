"""After a high pain rating with no flag ticked: does this red flag apply after all?"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from neck_tui.content import RedFlag
from neck_tui.dialogs.base import Dialog


class FlagQuestion(Dialog[bool | None]):
    """y ticks the flag, n goes on without it; Enter answers nothing; escape goes back to the rating."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes, it applies"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "back", "Back"),
        Binding("enter", "nothing", show=False),
    ]

    def __init__(self, number: int, flag: RedFlag, pain: int) -> None:
        super().__init__(f"Your pain is {pain}/10. Red flag {number}:", flag.text)
        self.number = number
        self.flag = flag
        self.pain = pain

    def compose_body(self) -> ComposeResult:
        yield Static("Does this apply to you now?  y: yes   n: no", id="flag-question-keys", classes="dialog-keys", markup=False)

    def action_answer(self, applies: bool) -> None:
        self.dismiss(applies)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_nothing(self) -> None:
        pass
