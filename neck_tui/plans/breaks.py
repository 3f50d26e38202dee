"""The posture-break plan: the minute arithmetic of the wait, and the record of a break. Pure.

Between breaks the screen shows only "Next break in 37 min" and redraws it once a minute, at the
moment the shown minute changes: `minutes_shown` and `until_minute_changes` say what and when.

One record of kind "posture_break" per break that came due (or was taken early):

    completed          true when the break was taken (guided to the end, or d)
    details.action     guided, done, skipped, or missed (the app or screen was closed first)
    details.snoozed    how many times it was snoozed first
    details.interval_min, details.early (taken before it was due), details.exercise (guided),
    details.stopped, details.exercises (guided: see neck_tui.plans.exercises)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from neck_tui.activities import Entry
from neck_tui.plans.exercises import GuidedRun, record_details


def minutes_shown(remaining: float) -> int:
    """The whole minutes "Next break in N min" shows: rounded up, so 45 shows first."""
    return max(0, math.ceil(remaining / 60 - 1e-9))


def until_minute_changes(remaining: float) -> float:
    """Seconds until minutes_shown(remaining) changes (or the break is due)."""
    if remaining <= 0:
        return 0.0
    return max(0.001, remaining - (minutes_shown(remaining) - 1) * 60)


def interval_minutes(wanted: int, least: int, most: int) -> int:
    """The interval in use: the user's setting within the content's bounds."""
    return max(least, min(most, wanted))


def waiting_text(remaining: float, snoozed: bool) -> str:
    return ("Snoozed. " if snoozed else "") + f"Next break in {minutes_shown(remaining)} min"


@dataclass
class Break:
    """One break from the moment it came due (or was started early) to its record."""

    interval_min: int
    early: bool = False
    snoozed: int = 0
    action: str = "missed"  # until the user does something about it
    exercise: str | None = None  # the guided exercise, once started
    run: GuidedRun | None = None

    def guided(self, exercise: str, run: GuidedRun) -> None:
        self.action, self.exercise, self.run = "guided", exercise, run

    def details(self, reason: str | None) -> dict[str, Any]:
        """The record's details if the break ends now (reason None: it ran to its end)."""
        details: dict[str, Any] = {"interval_min": self.interval_min, "action": self.action, "snoozed": self.snoozed}
        if self.early:
            details["early"] = True
        if self.exercise is not None:
            details["exercise"] = self.exercise
        if self.run is not None:
            details.update(record_details(self.run, reason))
        return details


# The activity this plan runs (found by neck_tui.activities).
ENTRIES = (
    Entry("breaks", "Posture breaks", "A quiet reminder to move", "p", "breaks:BreaksScreen",
          kind="posture_break", label="Posture break", helps=True, order=50),
)
