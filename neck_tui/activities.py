"""The registry of everything the app can open: one entry per screen, in Home's order.

No Textual here. The CLI's subcommands, Home's list and keys, the command palette, History's
filters, the report's labels and "what helps" all derive from this list, so adding an activity
means adding one entry (plus its plan module, its screen and its content).

An entry that records sessions names its record `kind` (what is stored in the history files);
`helps` says whether that kind counts in "what helps" (the pain drop from before to after).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Entry:
    name: str  # the CLI subcommand and the palette/`app.open` name
    title: str
    description: str
    key: str  # Home's shortcut
    screen: str  # "module:Class" under neck_tui.screens, imported only when opened
    args: tuple[Any, ...] = ()
    kind: str | None = None  # the record kind this activity saves, if any
    label: str | None = None  # how that kind reads in History and reports (default: title)
    helps: bool = False  # counts in "what helps"
    command: bool = True  # has a CLI subcommand of its own name
    listing: str | None = None  # "module:function" under neck_tui: `NAME --list` prints function(content)

    @property
    def kind_label(self) -> str:
        return self.label or self.title


ENTRIES: tuple[Entry, ...] = (
    Entry("triage", "Triage", "Red-flag check, pain rating, a safe next step", "t", "triage:TriageScreen",
          kind="triage"),
    Entry("heat", "Heat", "Heat pack timer with skin checks", "h", "thermal:ThermalScreen", ("heat",),
          kind="heat", helps=True),
    Entry("cold", "Cold", "Cold pack timer with skin checks", "c", "thermal:ThermalScreen", ("cold",),
          kind="cold", helps=True),
    Entry("contrast", "Contrast", "Heat and cold in turn", "x", "thermal:ThermalScreen", ("contrast",),
          kind="contrast", helps=True),
    Entry("breathe", "Box breathing", "Animated breathing pacer", "b", "breathing:BreathingScreen",
          kind="breathing", label="Breathing", helps=True),
    Entry("exercises", "Exercises", "Guided gentle neck exercises", "e", "exercises:ExercisesScreen",
          kind="exercise", label="Exercise", helps=True),
    Entry("breaks", "Posture breaks", "A quiet reminder to move", "p", "breaks:BreaksScreen",
          kind="posture_break", label="Posture break", helps=True),
    Entry("history", "History", "Past sessions, streaks, what helps", "y", "history:HistoryScreen"),
    Entry("learn", "Learn", "Tips, their sources, when to see someone", "l", "learn:LearnScreen",
          listing="learn:list_text"),
    Entry("settings", "Settings", "Theme, bells, notifications, motion, intervals", "s",
          "settings:SettingsScreen", command=False),
)

BY_NAME: dict[str, Entry] = {e.name: e for e in ENTRIES}
BY_KIND: dict[str, Entry] = {e.kind: e for e in ENTRIES if e.kind}
# Every record kind this version knows, in Home's order.
KINDS: tuple[str, ...] = tuple(BY_KIND)
HELPS_KINDS: tuple[str, ...] = tuple(k for k, e in BY_KIND.items() if e.helps)
COMMANDS: tuple[Entry, ...] = tuple(e for e in ENTRIES if e.command)


def kind_label(kind: str) -> str:
    """How a record kind reads; a kind from a newer version reads as itself."""
    entry = BY_KIND.get(kind)
    return entry.kind_label if entry else kind.replace("_", " ").capitalize()


def entry_for_kind(kind: str) -> Entry | None:
    return BY_KIND.get(kind)
