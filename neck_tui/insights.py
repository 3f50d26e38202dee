"""What the history says: recent red flags, recent pain, and what has helped this user.

Pure functions over the store's records; no Textual. Only recent months are read.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Iterable

from neck_tui.activities import HELPS_KINDS
from neck_tui.store import Record, Store
from neck_tui.store.summary import drop_sums


def _recent(store: Store, now: datetime, within: timedelta, kind: str) -> list[Record]:
    # Pass the exact (aware) moment: a plain date would mean local midnight, which west of
    # UTC can fall after `since` and drop the records in between.
    since = now - within
    return [r for r in store.records(since=since, kinds=[kind]) if r.started >= since]


def red_flag_triage(store: Store, now: datetime, hours: float = 24) -> Record | None:
    """The latest triage in the last `hours` that had any red flag ticked."""
    flagged = [r for r in _recent(store, now, timedelta(hours=hours), "triage") if r.details.get("flags")]
    return flagged[-1] if flagged else None


def recent_pain(store: Store, now: datetime, minutes: float = 60) -> int | None:
    """Pain from a triage in the last `minutes`, to pre-fill a session's "before"."""
    triages = [r for r in _recent(store, now, timedelta(minutes=minutes), "triage") if r.pain_before is not None]
    return triages[-1].pain_before if triages else None


def pain_drop_by_kind(records: Iterable[Record]) -> dict[str, tuple[float, int]]:
    """Average pain drop (before - after) per kind, and how many sessions it rests on."""
    return {kind: (total / n, n) for kind, (total, n) in drop_sums(records).items()}


def best_kind(drops: dict[str, tuple[float, int]]) -> tuple[str, float, int] | None:
    """The kind with the largest average drop (more sessions wins a tie), or None if no data."""
    if not drops:
        return None
    kind, (avg, count) = max(drops.items(), key=lambda item: (item[1][0], item[1][1]))
    return kind, avg, count


def helped_most(store: Store, now: datetime, days: float = 90) -> tuple[str, float, int] | None:
    """What has lowered this user's pain most over the last `days`: (kind, avg drop, sessions)."""
    since = now - timedelta(days=days)
    return best_kind(pain_drop_by_kind(store.records(since=since, kinds=HELPS_KINDS)))


def breathing_today(store: Store, now: datetime) -> int:
    """Completed breathing sessions since local midnight (reads only this month's file)."""
    midnight = now.astimezone().replace(hour=0, minute=0, second=0, microsecond=0)
    return sum(1 for r in store.records(since=midnight, kinds="breathing") if r.completed)


def recent_triage(store: Store, now: datetime, hours: float = 12) -> Record | None:
    """The latest finished triage in the last `hours`, if any (no red-flag check needed then)."""
    done = [r for r in _recent(store, now, timedelta(hours=hours), "triage") if r.completed]
    return done[-1] if done else None
