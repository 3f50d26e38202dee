"""Settings: the user's choices, each saved to the progress store as soon as it changes."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Label, Select, Switch

from neck_tui.plans.breathing import CUES
from neck_tui.screens.base import NeckScreen
from neck_tui.store import State
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header


def _on_off(value: bool) -> str:
    return "on" if value else "off"


SWITCHES: list[tuple[str, str]] = [
    ("bell", "Ring the terminal bell at phase changes and checks"),
    ("notifications", "Desktop notifications (OSC 9 / 777 / 99, reach your desktop over SSH)"),
    ("title", "Terminal title shows the running session (HEAT 12:34)"),
    ("reduced_motion", "Reduced motion: no animation, words and counts only"),
    ("tips", "A short tip on Home, after sessions and on posture breaks"),
]


class SettingsScreen(NeckScreen):
    def compose(self) -> ComposeResult:
        settings = self.store.state.settings
        yield Header()
        with VerticalScroll(id="settings"):
            with Horizontal(classes="setting"):
                yield Label("Theme", classes="setting-label")
                yield Select(
                    [(name, name) for name in sorted(self.app.available_themes)],
                    value=self.app.theme,
                    allow_blank=False,
                    id="theme",
                )
            for field, text in SWITCHES:
                with Horizontal(classes="setting"):
                    yield Label(text, classes="setting-label")
                    yield Switch(value=getattr(settings, field), id=field)
                    # The state in words too: the knob's position alone is easy to misread
                    # without colour (NO_COLOR, 16 colours).
                    yield Label(_on_off(getattr(settings, field)), id=f"{field}-state", classes="switch-state")
            with Horizontal(classes="setting"):
                yield Label("Breathing bell: eyes closed rings once to breathe in, twice to breathe out, not for holds", classes="setting-label")
                yield Select(
                    [(text, cue) for cue, text in CUES.items()],
                    value=settings.breathing_cue,
                    allow_blank=False,
                    id="breathing_cue",
                )
            with Horizontal(classes="setting"):
                yield Label("Minutes between posture breaks", classes="setting-label")
                yield Select(
                    [(str(m), m) for m in range(30, 61, 5)],
                    value=settings.break_interval_min,
                    allow_blank=False,
                    id="break_interval_min",
                )
            with Horizontal(classes="setting"):
                yield Label("Heat or cold: which do you prefer?", classes="setting-label")
                yield Select(
                    [("Either", "either"), ("Heat", "heat"), ("Cold", "cold")],
                    value=settings.preference,
                    allow_blank=False,
                    id="preference",
                )
            with Horizontal(classes="setting"):
                yield Label("Your own breathing patterns", classes="setting-label")
                yield Button("Edit patterns", id="custom-patterns")
        yield Footer()

    @on(Button.Pressed, "#custom-patterns")
    def _edit_patterns(self) -> None:
        from neck_tui.dialogs.custom_patterns import CustomPatterns

        self.app.push_screen(CustomPatterns())

    def _save(self, field: str, value: Any) -> None:
        def apply(state: State) -> None:
            setattr(state.settings, field, value)

        if getattr(self.store.state.settings, field) != value:
            self.neck.saver.run(f"setting:{field}", "your settings", lambda: self.store.update_state(apply))

    @on(Switch.Changed)
    def _switch(self, event: Switch.Changed) -> None:
        assert event.switch.id is not None
        self.query_one(f"#{event.switch.id}-state", Label).update(_on_off(event.value))
        self._save(event.switch.id, event.value)

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        field = event.select.id
        if field == "theme":
            self.app.theme = str(event.value)  # the app saves the theme when it changes
        elif field is not None and event.value is not Select.BLANK:
            self._save(field, event.value)
