"""Store figures: one save, and a cold start, with an empty, a 1,000- and an 11,000-record history;
and the reads (`stats`, `export`, History's first rows) with 100,000 records.

The history is made the way a heavy user would make it: ten sessions a day going back from now,
so 11,000 records span three years of month files of about 300 sessions each. The 100,000-record
history has 28 a day, about 120 month files of 850 sessions (the size issue 13 names).

`python -m bench.store_bench` prints the 100,000-record figures alone.
"""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from neck_tui.activities import KINDS
from neck_tui.store import Record, Store

REPO = Path(__file__).resolve().parent.parent
BIG = 100_000
BIG_PER_DAY = 28
RECENT_DAYS = 45  # what History reads before its first rows (neck_tui.screens.history)

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


def fill_history(store: Store, count: int, now: datetime | None = None, per_day: int = SESSIONS_PER_DAY) -> int:
    """Write `count` records, per_day a day back from now, into month files.
    Returns the number of records in the newest (current) month file."""
    if count <= 0:
        return 0
    now = now or datetime.now(timezone.utc)
    step = timedelta(days=1) / per_day
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
        Store(store.data_dir)._read_for_write(month)  # a new Store: a real parse, as a save's check
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


@dataclass(frozen=True)
class Run:
    wall_s: float  # median wall time, start-up included
    cpu_s: float | None  # median user+system CPU time (steadier than wall on a busy machine)
    peak_rss: int | None  # largest peak RSS, bytes


def time_command(data_dir: Path, *args: str, times: int = 3, cwd: str | None = None) -> Run:
    """`neck-tui --data-dir D ARGS` in a new process, `times` times. CPU and peak RSS come from
    /usr/bin/time (None without it: a child forked from this big process would report this
    process's size)."""
    spent, cpu, peak = [], [], None
    timer = shutil.which("time", path="/usr/bin:/bin")
    for _ in range(times):
        with tempfile.NamedTemporaryFile(prefix="neck-rss-") as rss:
            wrap = [timer, "-f", "%M %U %S", "-o", rss.name] if timer else []
            t0 = time.perf_counter()
            result = subprocess.run(
                [*wrap, sys.executable, "-m", "neck_tui", "--data-dir", str(data_dir), *args],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd or str(REPO),
            )
            spent.append(time.perf_counter() - t0)
            if result.returncode != 0:
                raise RuntimeError(f"neck-tui {' '.join(args)} exited {result.returncode}")
            if timer:
                kib, user, system = Path(rss.name).read_text().split()[-3:]
                peak = max(peak or 0, int(kib) * 1024)
                cpu.append(float(user) + float(system))
    return Run(statistics.median(spent), statistics.median(cpu) if cpu else None, peak)


def time_first_rows(data_dir: Path, times: int = 5) -> float:
    """Median seconds for what History reads before its first rows: the sessions of the last
    RECENT_DAYS days, by a new Store (so nothing is cached)."""
    spent = []
    for _ in range(times):
        t0 = time.perf_counter()
        store = Store(data_dir, read_only=True)
        store.records(since=datetime.now(timezone.utc) - timedelta(days=RECENT_DAYS))
        spent.append(time.perf_counter() - t0)
    return statistics.median(spent)


def big_reads(data_dir: Path, cwd: str | None = None) -> dict[str, Run]:
    """The read figures with a BIG-record history in data_dir (made if missing)."""
    if not (data_dir / "history").exists():
        fill_history(accepted_store(data_dir), BIG, per_day=BIG_PER_DAY)
    last_month = (datetime.now().replace(day=1) - timedelta(days=1)).replace(day=1).strftime("%Y-%m-%d")
    return {
        "stats": time_command(data_dir, "stats", cwd=cwd),
        f"stats --since {last_month}": time_command(data_dir, "stats", "--since", last_month, cwd=cwd),
        f"export --since {last_month}": time_command(data_dir, "export", "--since", last_month, cwd=cwd),
        f"export --format markdown --since {last_month}": time_command(
            data_dir, "export", "--format", "markdown", "--since", last_month, cwd=cwd
        ),
        "export (all, csv)": time_command(data_dir, "export", "-o", str(data_dir.parent / "export.csv"), times=1, cwd=cwd),
        "History's first rows (the store's part)": Run(time_first_rows(data_dir), None, None),
    }


def describe(run: Run) -> str:
    parts = [f"{run.wall_s:.2f} s"]
    if run.cpu_s is not None:
        parts.append(f"CPU {run.cpu_s:.2f} s")
    if run.peak_rss is not None:
        parts.append(f"peak {run.peak_rss / 2**20:.0f} MiB")
    return ", ".join(parts)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="neck-store-bench-") as tmp:
        d = Path(tmp) / "big"
        t0 = time.perf_counter()
        fill_history(accepted_store(d), BIG, per_day=BIG_PER_DAY)
        print(f"made {BIG:,} records in {time.perf_counter() - t0:.1f} s")
        print(f"{len(Store(d).months())} month files")
        for what, run in big_reads(d).items():
            print(f"{what}: {describe(run)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
