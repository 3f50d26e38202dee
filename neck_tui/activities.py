"""The registry of everything the app can open: one entry per screen, in Home's order.

No Textual here. The CLI's subcommands, Home's list and keys, the command palette, History's
filters, the report's labels and "what helps" all derive from it. The app's own screens (triage,
History, Learn, Settings) are listed below; every activity is declared by its plan module, as
`ENTRIES` in neck_tui/plans/<name>.py, and found there. So a new activity is one plan module,
its screen, its content and its tests: no other file changes.

A plan module may also declare `CONTENT = {"section": Model}`: that table in content/*.toml is
then validated by its pydantic Model and found as `content.activity_content["section"]`.

The names below (ENTRIES, BY_NAME, BY_KIND, KINDS, HELPS_KINDS, COMMANDS, CONTENT) are computed
on first use, not at import, so the store and the plans may import this module without a circle.

An entry that records sessions names its record `kind` (what is stored in the history files);
`helps` says whether that kind counts in "what helps" (the pain drop from before to after).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
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
    order: int = 50  # place in Home's list (and the CLI's), low first
    suggest: bool = False  # offered as a next step after a triage with no red flag
    # "module:function" under neck_tui: the sections of this kind's record in History's view,
    # function(record, content, tz, used) -> list[record_text.Section] (see record_text.describe)
    record_view: str | None = None

    @property
    def kind_label(self) -> str:
        return self.label or self.title


# The app's own screens; activities come from neck_tui.plans (see _from_plans).
APP_SCREENS: tuple[Entry, ...] = (
    Entry("triage", "Triage", "Red-flag check, pain rating, a safe next step", "t", "triage:TriageScreen",
          kind="triage", order=10, record_view="record_text:triage_sections"),
    Entry("history", "History", "Past sessions, streaks, what helps", "y", "history:HistoryScreen", order=80),
    Entry("learn", "Learn", "Tips, their sources, when to see someone", "l", "learn:LearnScreen",
          listing="learn:list_text", order=85),
    Entry("settings", "Settings", "Theme, bells, notifications, motion, intervals", "s",
          "settings:SettingsScreen", command=False, order=90),
)


def _plan_modules() -> list[Any]:
    import importlib
    import pkgutil

    import neck_tui.plans

    return [importlib.import_module(f"neck_tui.plans.{m.name}") for m in pkgutil.iter_modules(neck_tui.plans.__path__)]


@cache
def _registry() -> dict[str, Any]:
    plans = _plan_modules()
    found = [entry for plan in plans for entry in getattr(plan, "ENTRIES", ())]
    entries = tuple(sorted((*APP_SCREENS, *found), key=lambda e: (e.order, e.name)))
    for field in ("name", "key"):
        seen = [getattr(e, field) for e in entries]
        doubled = sorted({v for v in seen if seen.count(v) > 1})
        if doubled:
            raise ValueError(f"two activities share the {field} {doubled[0]!r}")
    by_kind = {e.kind: e for e in entries if e.kind}
    return {
        "ENTRIES": entries,
        "BY_NAME": {e.name: e for e in entries},
        "BY_KIND": by_kind,
        "KINDS": tuple(by_kind),  # every record kind this version knows, in Home's order
        "HELPS_KINDS": tuple(k for k, e in by_kind.items() if e.helps),
        "COMMANDS": tuple(e for e in entries if e.command),
        # content/ sections an activity brings with its own pydantic model: section -> model
        "CONTENT": {section: model for plan in plans for section, model in getattr(plan, "CONTENT", {}).items()},
    }


def __getattr__(name: str) -> Any:
    if name.startswith("__"):  # the import machinery asks for __path__ and such: not ours
        raise AttributeError(name)
    try:
        return _registry()[name]
    except KeyError:
        raise AttributeError(f"module 'neck_tui.activities' has no attribute {name!r}") from None


def kind_label(kind: str) -> str:
    """How a record kind reads; a kind from a newer version reads as itself."""
    entry = _registry()["BY_KIND"].get(kind)
    return entry.kind_label if entry else kind.replace("_", " ").capitalize()
