"""The user's own breathing patterns: list, add (three fields), delete. Opened from Settings.

The fields are read by neck_tui.plans.breathing.parse_pattern; the patterns are kept in the
settings (state.toml). A write that fails says so in the form's message line and keeps what was
typed, so Enter tries again: this edits settings, not a running session, so nothing is queued.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from neck_tui.dialogs.base import Dialog
from neck_tui.plans.breathing import custom_plan, parse_pattern
from neck_tui.store import State, StoreError

if TYPE_CHECKING:
    from neck_tui.app import NeckApp

FIELDS = (
    ("name", "Name", "e.g. Evening"),
    ("phases", "Seconds", "in hold out hold: 4 4 4 4"),
    ("length", "Length", "cycles (1-20) or minutes: 6 or 5m"),
)


class CustomPatterns(Dialog[None]):
    """Add and delete the user's own breathing patterns (kept in Settings)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("delete", "delete", "Delete pattern"),
    ]

    def __init__(self) -> None:
        super().__init__("Your breathing patterns")

    @property
    def neck(self) -> "NeckApp":
        return cast("NeckApp", self.app)

    def compose_body(self) -> ComposeResult:
        yield OptionList(id="patterns-list")
        yield Static("Add one (Enter saves; a pattern with the same name is replaced):", classes="dialog-keys")
        for field, label, hint in FIELDS:
            with Horizontal(classes="pattern-field"):
                yield Label(label, classes="pattern-label")
                yield Input(placeholder=hint, id=f"pattern-{field}")
        yield Static(id="pattern-message")

    def on_mount(self) -> None:
        self._fill()
        self.query_one("#pattern-name", Input).focus()

    def _fill(self) -> None:
        options = self.query_one("#patterns-list", OptionList)
        options.clear_options()
        patterns = self.neck.store.state.settings.custom_patterns
        if not patterns:
            options.add_option(Option("[dim]None yet.[/dim]", id="none", disabled=True))
        for i, pattern in enumerate(patterns):
            plan = custom_plan(self.neck.content, pattern, i)
            options.add_option(Option(f"{plan.name}  [dim]{plan.summary}[/dim]", id=str(i)))

    def _message(self, text: str, error: bool = False) -> None:
        message = self.query_one("#pattern-message", Static)
        message.set_class(error, "-error")
        message.update(text)
        self.call_after_refresh(message.scroll_visible, animate=False)

    def _save(self, apply: Callable[[State], None], done: str) -> bool:
        """Write the settings; on failure the message line says what failed (nothing is lost)."""
        try:
            self.neck.store.update_state(apply)
        except StoreError as exc:
            self._message(f"Not saved: {exc}", error=True)
            return False
        self._fill()
        self._message(done)
        return True

    @on(Input.Submitted)
    def _add(self, event: Input.Submitted) -> None:
        fields = [self.query_one(f"#pattern-{name}", Input) for name, _, _ in FIELDS]
        empty = next((f for f in fields if not f.value.strip()), None)
        if empty is not None:
            empty.focus()  # Enter moves on to the next empty field
            return
        try:
            pattern = parse_pattern(*(f.value for f in fields))
        except ValueError as exc:
            self._message(str(exc), error=True)
            return

        def apply(state: State) -> None:
            kept = [p for p in state.settings.custom_patterns if p.name != pattern.name]
            state.settings.custom_patterns = [*kept, pattern]

        if self._save(apply, f"Saved {pattern.name!r}; pick it with p on the breathing screen."):
            for f in fields:
                f.value = ""
            fields[0].focus()

    def action_delete(self) -> None:
        options = self.query_one("#patterns-list", OptionList)
        if options.highlighted is None:
            self._message("Highlight a pattern in the list first (tab to it).", error=True)
            return
        option = options.get_option_at_index(options.highlighted)
        patterns = self.neck.store.state.settings.custom_patterns
        if option.id is None or not option.id.isdigit() or int(option.id) >= len(patterns):
            return
        name = patterns[int(option.id)].name

        def apply(state: State) -> None:
            state.settings.custom_patterns = [p for p in state.settings.custom_patterns if p.name != name]

        self._save(apply, f"Deleted {name!r}.")

    def action_close(self) -> None:
        self.dismiss(None)
