"""The registry of activity screens: one place that names every screen and how to make it."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen


@dataclass(frozen=True)
class Activity:
    name: str  # also the CLI subcommand, where there is one
    title: str
    description: str
    key: str  # Home shortcut
    target: str  # "module:Class"
    args: tuple[Any, ...] = ()

    def make(self) -> Screen[Any]:
        module_name, class_name = self.target.split(":")
        cls = getattr(importlib.import_module(f"neck_tui.screens.{module_name}"), class_name)
        return cls(*self.args)


ACTIVITIES: list[Activity] = [
    Activity("triage", "Triage", "Red-flag check, pain rating, a safe next step", "t", "triage:TriageScreen"),
    Activity("heat", "Heat", "Heat pack timer with skin checks", "h", "thermal:ThermalScreen", ("heat",)),
    Activity("cold", "Cold", "Cold pack timer with skin checks", "c", "thermal:ThermalScreen", ("cold",)),
    Activity("contrast", "Contrast", "Heat and cold in turn", "x", "thermal:ThermalScreen", ("contrast",)),
    Activity("breathe", "Box breathing", "Animated breathing pacer", "b", "breathing:BreathingScreen"),
    Activity("exercises", "Exercises", "Guided gentle neck exercises", "e", "exercises:ExercisesScreen"),
    Activity("breaks", "Posture breaks", "A quiet reminder to move", "p", "breaks:BreaksScreen"),
    Activity("history", "History", "Past sessions, streaks, what helps", "y", "history:HistoryScreen"),
    Activity("settings", "Settings", "Theme, bells, notifications, motion, intervals", "s", "settings:SettingsScreen"),
]

BY_NAME: dict[str, Activity] = {a.name: a for a in ACTIVITIES}
