"""When posture breaks may ring: working hours, and time away from the keyboard as a break.

No Textual here. Settings.working_hours is text like "mon-fri 09:00-17:30" (days optional:
"09:00-17:30" is every day; days may be listed, "mon,wed,fri", or ranged, "sat-sun"); empty
means reminders all day. Outside those hours the breaks screen waits quietly. Times are local.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class WorkingHoursError(ValueError):
    """str() is one line naming the setting and the problem."""


def _clock(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError:
        raise WorkingHoursError(f"working_hours: {text!r} is not a time like 09:00") from None


def _days(text: str) -> frozenset[int]:
    out: set[int] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        try:
            a = DAYS.index(first[:3])
            b = DAYS.index(last[:3]) if last else a
        except ValueError:
            raise WorkingHoursError(f"working_hours: {part!r} is not a day (mon..sun) or a range of them") from None
        out.update(DAYS.index(d) for d in (DAYS * 2)[a : a + (b - a) % 7 + 1])
    return frozenset(out)


@dataclass(frozen=True)
class WorkingHours:
    days: frozenset[int]  # 0 = Monday
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> "WorkingHours | None":
        """None for "" (always); WorkingHoursError for text that cannot be read."""
        words = text.lower().split()
        if not words:
            return None
        if len(words) > 2:
            raise WorkingHoursError(f"working_hours: {text!r} should look like 'mon-fri 09:00-17:30'")
        days = _days(words[0]) if len(words) == 2 else frozenset(range(7))
        start, sep, end = words[-1].partition("-")
        if not sep:
            raise WorkingHoursError(f"working_hours: {words[-1]!r} should be a range like 09:00-17:30")
        hours = cls(days, _clock(start), _clock(end))
        if hours.start >= hours.end:
            raise WorkingHoursError(f"working_hours: {words[-1]!r} ends before it starts")
        return hours

    def contains(self, moment: datetime) -> bool:
        local = moment.astimezone()
        return local.weekday() in self.days and self.start <= local.time().replace(tzinfo=None) < self.end

    def next_start(self, moment: datetime) -> datetime:
        """The next moment reminders begin at or after `moment` (aware, local)."""
        local = moment.astimezone()
        for ahead in range(8):
            day = local.date() + timedelta(days=ahead)
            begin = datetime.combine(day, self.start).astimezone()
            if day.weekday() in self.days and begin >= local:
                return begin
            if day.weekday() in self.days and ahead == 0 and self.contains(local):
                return local
        return local  # not reached: some day is always listed
