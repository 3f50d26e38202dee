"""What one month of history adds up to, small enough to keep beside the month file so `stats`
and History need not parse years of sessions: counts, pain drops, active quarter-hours (for the
streak, in any time zone) and the triages with red flags. Pure; no I/O, no Textual.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any, Iterable

from neck_tui import activities
from neck_tui.store.models import Record

QUARTER_S = 900  # every time zone's offset is a whole number of quarter-hours
DAY_S = 86_400
FORMAT = 1
_EPOCH = date(1970, 1, 1)


def _offset(moment: int, tz: tzinfo | None) -> int:
    """The zone's UTC offset in seconds at an epoch moment."""
    local = datetime.fromtimestamp(moment, timezone.utc).astimezone(tz)
    offset = local.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def drop_sums(records: Iterable[Record]) -> dict[str, tuple[float, int]]:
    """Per "what helps" kind: the sum of pain drops (before - after) and how many sessions."""
    sums: dict[str, tuple[float, int]] = {}
    for r in records:
        if r.kind in activities.HELPS_KINDS and r.pain_before is not None and r.pain_after is not None:
            total, n = sums.get(r.kind, (0.0, 0))
            sums[r.kind] = (total + r.pain_before - r.pain_after, n + 1)
    return sums


def flagged(record: Record) -> bool:
    return record.kind == "triage" and bool(record.details.get("flags"))


@dataclass
class MonthSummary:
    """Sums over a set of records; two summaries add up (merge) to the summary of both sets."""

    counts: Counter[str] = field(default_factory=Counter)
    completed: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    drops: dict[str, tuple[float, int]] = field(default_factory=dict)
    quarters: set[int] = field(default_factory=set)  # starts of non-triage sessions, epoch // 900
    red_flags: list[Record] = field(default_factory=list)

    @classmethod
    def of(cls, records: Iterable[Record]) -> "MonthSummary":
        records = list(records)
        starts = [r.started for r in records]
        return cls(
            counts=Counter(r.kind for r in records),
            completed=Counter(r.kind for r in records if r.completed),
            first=min(starts, default=None),
            last=max(starts, default=None),
            drops=drop_sums(records),
            quarters={int(r.started.timestamp()) // QUARTER_S for r in records if r.kind != "triage"},
            red_flags=sorted((r for r in records if flagged(r)), key=lambda r: r.started),
        )

    def merge(self, other: "MonthSummary") -> None:
        self.counts.update(other.counts)
        self.completed.update(other.completed)
        self.first = min((t for t in (self.first, other.first) if t), default=None)
        self.last = max((t for t in (self.last, other.last) if t), default=None)
        for kind, (total, n) in other.drops.items():
            mine = self.drops.get(kind, (0.0, 0))
            self.drops[kind] = (mine[0] + total, mine[1] + n)
        self.quarters |= other.quarters
        self.red_flags = sorted([*self.red_flags, *other.red_flags], key=lambda r: r.started)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def active_days(self, tz: tzinfo | None = None) -> set[date]:
        """Local days (tz None: the system's zone) with a non-triage session."""
        offsets: dict[int, tuple[int, int]] = {}  # per UTC day: the zone's offset at its start and end
        days: set[int] = set()
        for q in self.quarters:
            moment = q * QUARTER_S
            utc_day = moment // DAY_S
            off = offsets.get(utc_day)
            if off is None:
                off = offsets[utc_day] = (_offset(utc_day * DAY_S, tz), _offset(utc_day * DAY_S + DAY_S - 1, tz))
            if off[0] == off[1]:
                days.add((moment + off[0]) // DAY_S)
            else:  # the zone changes its offset that day: ask it about this moment
                days.add((moment + _offset(moment, tz)) // DAY_S)
        return {_EPOCH + timedelta(days=n) for n in days}

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "counts": dict(self.counts),
            "completed": dict(self.completed),
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "drops": {k: list(v) for k, v in self.drops.items()},
            "quarters": sorted(self.quarters),
            "red_flags": [r.model_dump(mode="json") for r in self.red_flags],
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "MonthSummary":
        """ValueError/KeyError/TypeError if data is not a summary of this format."""
        if data.get("format") != FORMAT:
            raise ValueError("other format")

        def when(v: str | None) -> datetime | None:
            return datetime.fromisoformat(v).astimezone(timezone.utc) if v else None

        return cls(
            counts=Counter({str(k): int(v) for k, v in data["counts"].items()}),
            completed=Counter({str(k): int(v) for k, v in data["completed"].items()}),
            first=when(data["first"]),
            last=when(data["last"]),
            drops={str(k): (float(v[0]), int(v[1])) for k, v in data["drops"].items()},
            quarters={int(q) for q in data["quarters"]},
            red_flags=[Record.model_validate(r) for r in data["red_flags"]],
        )
