"""Confirm: the one yes/no question of the app (stop a session? go on anyway? resume?)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from neck_tui.dialogs.base import Dialog


class Confirm(Dialog[bool]):
    """`y` answers yes, `n` and escape answer no. Enter answers only where `enter` says so
    (the resume offer); elsewhere a reflexive Enter must not stop or start anything."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("enter", "enter", "Yes", show=False),
        Binding("n,escape", "answer(False)", "No"),
    ]

    def __init__(self, title: str, body: str = "", *, yes: str = "Yes", no: str = "No",
                 enter: bool = False, docked: bool | None = None) -> None:
        super().__init__(title, body, docked=docked)
        self.yes, self.no, self.enter = yes, no, enter

    def compose_body(self) -> ComposeResult:
        enter = " or Enter" if self.enter else ""
        yield Static(f"y{enter}: {self.yes}.   n: {self.no}.", classes="dialog-keys")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.enter if action == "enter" else True

    def action_enter(self) -> None:
        if self.enter:
            self.dismiss(True)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
