"""The posture-break plan: the minute arithmetic of the wait, and the record of a break. Pure.

Between breaks the screen shows only "Next break in 37 min" and redraws it once a minute, at the
moment the shown minute changes: `minutes_shown` and `until_minute_changes` say what and when.

One record of kind "posture_break" per break that came due (or was taken early):

    completed          true when the break was taken (guided to the end, or d)
    details.action     guided, done, skipped, away (taken while away from the keyboard), or
                       missed (the app or screen was closed first, or working hours ended)
    details.snoozed    how many times it was snoozed first
    details.away_min   (away) minutes from when the person left to when they came back
    details.interval_min, details.early (taken before it was due), details.exercise (guided),
    details.stopped, details.exercises (guided: see neck_tui.plans.exercises)

A small pane (issue 16) shows one line: `line_text` while waiting, DUE_LINE when due.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterable

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


DUE_LINE = "Break now · d done · z snooze · g guided · s skip"


def line_text(remaining: float, snoozed: bool) -> str:
    """The one line of a small pane while waiting."""
    minutes = minutes_shown(remaining)
    return f"Snoozed · break in {minutes}m · g now" if snoozed else f"Break in {minutes}m · g now"


def starts_text(start: datetime, now: datetime) -> str:
    """When working hours start again: "08:00" today, else "Tue 08:00" (local time)."""
    start, now = start.astimezone(), now.astimezone()
    return start.strftime("%H:%M") if start.date() == now.date() else start.strftime("%a %H:%M")


def away_minutes(left: datetime, back: datetime) -> int:
    return round((back - left).total_seconds() / 60)


def wait_after_away(interval_min: int, since_back_s: float) -> float:
    """Minutes to the next break after time away: a full interval from the return."""
    return max(0.0, interval_min - since_back_s / 60)


def skipped(details: Iterable[dict[str, Any]]) -> int:
    """How many of these breaks (their records' details) were skipped: the daily cap counts them."""
    return sum(1 for d in details if d.get("action") == "skipped")


@dataclass
class Break:
    """One break from the moment it came due (or was started early) to its record."""

    interval_min: int
    early: bool = False
    snoozed: int = 0
    action: str = "missed"  # until the user does something about it
    exercise: str | None = None  # the guided exercise, once started
    run: GuidedRun | None = None
    away_min: int | None = None  # taken while away: how long

    def guided(self, exercise: str, run: GuidedRun) -> None:
        self.action, self.exercise, self.run = "guided", exercise, run

    def details(self, reason: str | None) -> dict[str, Any]:
        """The record's details if the break ends now (reason None: it ran to its end)."""
        details: dict[str, Any] = {"interval_min": self.interval_min, "action": self.action, "snoozed": self.snoozed}
        if self.early:
            details["early"] = True
        if self.exercise is not None:
            details["exercise"] = self.exercise
        if self.away_min is not None:
            details["away_min"] = self.away_min
        if self.run is not None:
            details.update(record_details(self.run, reason))
        return details


# The activity this plan runs (found by neck_tui.activities).
ENTRIES = (
    Entry("breaks", "Posture breaks", "A quiet reminder to move", "p", "breaks:BreaksScreen",
          kind="posture_break", label="Posture break", helps=True, order=50,
          record_view="record_text:posture_break_sections"),
)
