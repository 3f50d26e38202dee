"""Store figures: one save, and a cold start, with an empty, a 1,000- and an 11,000-record history.

The history is made the way a heavy user would make it: ten sessions a day going back from now,
so 11,000 records span three years of month files of about 300 sessions each.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from neck_tui.store import KINDS, Record, Store

SESSIONS_PER_DAY = 10

# Run in a fresh interpreter: import the store, then time only Store(d).load().
_COLD = """
import json, sys, time
t0 = time.perf_counter()
from neck_tui.store import Store
t1 = time.perf_counter()
state = Store(sys.argv[1]).load()
t2 = time.perf_counter()
assert state.notice_accepted
print(json.dumps({"import_s": t1 - t0, "load_s": t2 - t1}))
"""


def accepted_store(data_dir: Path) -> Store:
    """A data dir whose user has accepted the first-run notice, written with the store API."""
    store = Store(data_dir)
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    return store


def fill_history(store: Store, count: int, now: datetime | None = None) -> int:
    """Write `count` records, SESSIONS_PER_DAY a day back from now, into month files.
    Returns the number of records in the newest (current) month file."""
    if count <= 0:
        return 0
    now = now or datetime.now(timezone.utc)
    step = timedelta(days=1) / SESSIONS_PER_DAY
    by_month: dict[str, list[Record]] = {}
    for i in range(count):
        started = now - step * (count - i) - timedelta(minutes=30)
        kind = KINDS[i % len(KINDS)]
        record = Record(
            kind=kind,
            started=started,
            ended=started + timedelta(minutes=20),
            completed=i % 7 != 0,
            pain_before=5 + i % 4,
            pain_after=2 + i % 4,
            details={"regimen": kind} if kind in ("heat", "cold", "contrast") else {},
        )
        by_month.setdefault(started.strftime("%Y-%m"), []).append(record)
    for month, records in by_month.items():
        # The store's own month writer, so the files are exactly what the app writes.
        store._write_month(month, records)
    return len(by_month[max(by_month)])


def time_saves(store: Store, times: int = 5, fresh: bool = False) -> float:
    """Median seconds of one add_record (a finished session) into the current month.

    fresh: each save from a new Store, as the first save of a process (it parses the month
    file); otherwise from one Store, as in the running app, which has read the month already."""
    spent = []
    for _ in range(times):
        if fresh:
            store = Store(store.data_dir)
        now = datetime.now(timezone.utc)
        record = Record(kind="heat", started=now - timedelta(minutes=20), ended=now, completed=True,
                        pain_before=6, pain_after=3, details={"regimen": "heat"})
        t0 = time.perf_counter()
        store.add_record(record)
        spent.append(time.perf_counter() - t0)
    return statistics.median(spent)


def save_parts(store: Store, times: int = 5) -> tuple[float, float]:
    """Median seconds of the two halves of a save: reading (parsing, validating) the current
    month's file, and one atomic write (temp file, fsync, rename, fsync of the directory) of it."""
    from neck_tui import store as store_module

    month = _month_of_now()
    path = store._month_path(month)
    payload = path.read_bytes() if path.exists() else b""
    scratch = store.data_dir / "bench-scratch.toml"
    reads, writes = [], []
    for _ in range(times):
        t0 = time.perf_counter()
        Store(store.data_dir)._read_month(month)  # a new Store: a real parse, not the cache
        t1 = time.perf_counter()
        store_module.write_atomic(scratch, payload)
        t2 = time.perf_counter()
        reads.append(t1 - t0)
        writes.append(t2 - t1)
    scratch.unlink(missing_ok=True)
    return statistics.median(reads), statistics.median(writes)


def _month_of_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m")


def time_cold_load(data_dir: Path, times: int = 5, cwd: str | None = None) -> float:
    """Median seconds of Store(d).load() in a fresh Python process (imports not counted)."""
    spent = []
    for _ in range(times):
        out = subprocess.run(
            [sys.executable, "-c", _COLD, str(data_dir)], capture_output=True, text=True, cwd=cwd, check=True
        )
        spent.append(json.loads(out.stdout)["load_s"])
    return statistics.median(spent)
