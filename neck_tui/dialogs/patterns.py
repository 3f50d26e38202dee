"""The pattern picker: the breathing patterns on offer (content's and the user's own); Enter picks."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from neck_tui.dialogs.base import Dialog
from neck_tui.plans.breathing import Plan


class PatternPicker(Dialog[str | None]):
    """Answers the id of the chosen plan; escape answers None (keep the current one)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, plans: list[Plan], current: str | None) -> None:
        super().__init__("Breathing pattern")
        self.plans = plans
        self.current = current

    def compose_body(self) -> ComposeResult:
        yield OptionList(
            *(Option(f"[b]{p.name}[/b]\n[dim]{p.summary}[/dim]", id=p.id) for p in self.plans),
            id="picker-list",
        )
        yield Static("Your own patterns: Settings.", classes="dialog-keys")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        ids = [p.id for p in self.plans]
        options.highlighted = ids.index(self.current) if self.current in ids else 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
