"""The Store: reads and writes the user's settings and history under the data directory.

Reading never writes: a bad record, field or file is left where it is, skipped, and named in
`notices` (and `problems`). Only a write repairs: before it rewrites a file it moves each bad
record verbatim to `history/YYYY-MM.toml.quarantine`, or a file that does not parse at all to
`NAME.corrupt-<time>`; nothing set aside is ever deleted. Writers hold `.lock`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from neck_tui.store import files, months
from neck_tui.store.files import StoreError, one_line, why
from neck_tui.store.hints import Hints
from neck_tui.store.layout import (
    HISTORY_DIR,
    LOCK_FILE,
    LOCK_TIMEOUT_S,
    STATE_FILE,
    V1_FILE,
)
from neck_tui.store.migrate import migrate_v1
from neck_tui.store.models import (
    SCHEMA_VERSION,
    Problem,
    Record,
    Settings,
    State,
    lenient_state,
    reason,
)
from neck_tui.store.months import BadRecord, Corrupt, MonthRead
from neck_tui.store.summary import MonthSummary


def _month_of(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m")


def _cutoff(since: date) -> datetime:
    """A plain date means 00:00 UTC that day (history is kept in UTC); so does a naive datetime."""
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return since.astimezone(timezone.utc)


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


_MAKING_LOCK = threading.Lock()  # the file lock is made on first use, perhaps in a worker thread


class Store:
    """Reads and writes the user's data under data_dir; safe against crashes and a second instance.

    read_only: for commands that only read; any write raises StoreError and an old-format
    progress.toml is left for the app to migrate."""

    def __init__(
        self,
        data_dir: Path,
        now: Callable[[], datetime] = _utcnow,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
        read_only: bool = False,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.now = now
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        self.notices: list[str] = []
        self.problems: list[Problem] = []
        self.state_path = self.data_dir / STATE_FILE
        self.history_dir = self.data_dir / HISTORY_DIR
        self.v1_path = self.data_dir / V1_FILE
        self._state: State | None = None
        self._swept = False
        self._v1_checked = False
        # The last month file read or written, as (month, bytes, sessions): a save re-parses
        # the month only if its bytes changed since (another process wrote it).
        self._month_cache: tuple[str, bytes, MonthRead] | None = None
        files.check_private_dir(self.data_dir)
        files.check_private_dir(self.history_dir)
        self._file_lock: Any = None
        self._hints = Hints(self.history_dir)

    # state

    @property
    def state(self) -> State:
        return self._state if self._state is not None else self.load()

    def load(self) -> State:
        """Read state.toml (never history); each bad field at its default. Writes nothing
        (except the one-time migration of an old progress.toml, unless read_only)."""
        self._migrate_if_needed()
        self._state = self._read_state()[1]
        return self._state

    def update_state(self, fn: Callable[[State], None]) -> State:
        """Re-read state.toml under the lock, let fn change it, validate, and write it back.
        A state.toml with bad fields is first copied aside whole."""
        self._migrate_if_needed()
        with self._locked():
            raw, state, bad = self._read_state()
            fn(state)
            state.schema_version = SCHEMA_VERSION
            data = months.prune(state.model_dump(warnings=False))
            try:
                state = State.model_validate(data)
            except ValidationError as e:
                raise StoreError(f"{self.state_path}: not saved, {reason(e)}") from None
            if bad and raw is not None:
                self._set_aside(self.state_path, raw, bad[0], "kept the rest of your settings")
            self._write_bytes(self.state_path, months.to_toml(self.state_path, data))
        self._state = state
        return state

    def save_settings(self, settings: Settings) -> None:
        self.update_state(lambda s: setattr(s, "settings", settings))

    def set_in_progress(self, checkpoint: dict[str, Any] | None, *, over_resumable: bool = True) -> None:
        """Keep (or clear) the running session's checkpoint. over_resumable=False leaves the
        checkpoint of another session that can be resumed (a heat pack in another pane
        outranks the status line of a breathing session here)."""

        def apply(state: State) -> None:
            current = state.in_progress
            other = current and current.get("id") != (checkpoint or {}).get("id")
            if not over_resumable and other and current.get("resumable"):
                return
            state.in_progress = checkpoint

        self.update_state(apply)

    # history

    def add_record(self, record: Record) -> None:
        """Append record to the file of its (UTC) month; no other month is touched."""
        self._put_record(record, replace=False)

    def update_record(self, record: Record) -> None:
        """Replace the record with the same id in record's month, or append it if absent."""
        self._put_record(record, replace=True)

    def records(
        self, since: date | None = None, kinds: Iterable[str] | None = None, before: date | None = None
    ) -> list[Record]:
        """Sessions sorted by start, optionally only those started at or after since (a date
        means 00:00 UTC; pass an aware datetime for e.g. local midnight), before `before` (the
        same) and of the given kinds. Reads only the month files from since's month to
        before's; writes nothing."""
        self._migrate_if_needed()
        cutoff = None if since is None else _cutoff(since)
        end = None if before is None else _cutoff(before)
        first = "" if cutoff is None else _month_of(cutoff)
        last = "9999-99" if end is None else _month_of(end - timedelta(microseconds=1))  # the last month before it
        out: list[Record] = []
        for month in self.months():
            if first <= month <= last:
                out.extend(self._read_month(month).records)
        if cutoff is not None:
            out = [r for r in out if r.started >= cutoff]
        if end is not None:
            out = [r for r in out if r.started < end]
        if kinds is not None:
            wanted = {kinds} if isinstance(kinds, str) else set(kinds)
            out = [r for r in out if r.kind in wanted]
        out.sort(key=lambda r: r.started)
        return out

    def months(self) -> list[str]:
        """The "YYYY-MM" months that have a history file, oldest first."""
        try:
            names = os.listdir(self.history_dir)
        except FileNotFoundError:
            return []
        except OSError as e:
            raise StoreError(f"cannot list {self.history_dir}: {why(e)}") from None
        return sorted(m.group(1) for n in names if (m := months.MONTH_FILE.match(n)))

    def summaries(self, before: str | None = None) -> list[tuple[str, MonthSummary]]:
        """(month, summary) for each month file (before `before` only, if given), oldest first:
        from the summary kept beside the file when it still matches the file, else by reading
        the month. Writes nothing."""
        self._migrate_if_needed()
        out = []
        for month in self.months():
            if before is not None and month >= before:
                break
            kept = self._hints.summary(month)
            if kept is None:
                kept = MonthSummary.of(self._read_month(month).records)
            out.append((month, kept))
        return out

    def build_hints(self) -> int:
        """Write the hints (summary, records cache) of every readable month that has none or a
        stale one, e.g. months saved by an older neck-tui, so `stats` and History need not
        parse them again. A write (refused when read_only); meant for a background worker at
        start. Months with bad records or that do not parse are left for a save to repair.
        Returns how many months got hints."""
        built = 0
        for month in self.months():
            if self._hints.fresh(month):  # (a check, not a parse: this runs at every start)
                continue
            with self._locked():  # one month at a time: a save never waits long
                stamp = self._hints.stamp(month)
                raw = files.read_bytes(self._month_path(month))
                try:
                    got = months.parse_month(raw, self._month_path(month)) if raw is not None else None
                except (Corrupt, months.Newer):
                    got = None
                if got is None or got.bad or self._hints.stamp(month) != stamp:
                    continue
                self._hints.remember(month, MonthSummary.of(got.records), got.records)
                built += 1
        return built

    def notice(self, problem: Problem) -> None:
        if problem not in self.problems:
            self.problems.append(problem)
        if problem.text not in self.notices:
            self.notices.append(problem.text)

    # locking and files

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise StoreError(f"{self.data_dir} was opened read-only; nothing was saved")

    @property
    def _lock(self) -> Any:
        """The cross-process lock (a filelock.FileLock), made on first use: only writers need
        it, and importing filelock is a noticeable part of a launch."""
        with _MAKING_LOCK:
            if self._file_lock is None:
                import filelock

                self._file_lock = filelock.FileLock(self.data_dir / LOCK_FILE, mode=0o600)
        return self._file_lock

    @contextmanager
    def _locked(self) -> Iterator[None]:
        import filelock

        self._refuse_if_read_only()
        files.make_private_dir(self.data_dir)
        files.make_private_dir(self.history_dir)
        files.refuse_link(Path(self._lock.lock_file))
        try:
            # Holders keep the lock for milliseconds, so poll often rather than filelock's 50 ms.
            self._lock.acquire(timeout=self.lock_timeout, poll_interval=0.005)
        except filelock.Timeout:
            raise StoreError(
                f"another neck-tui is holding the lock on {self._lock.lock_file}; close it and try again"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot save: cannot lock {self._lock.lock_file}: {why(e)}") from None
        try:
            if not self._swept:
                self._sweep_temp_files()
            yield
        finally:
            self._lock.release()

    def _sweep_temp_files(self) -> None:
        # Writers hold the lock, so while we hold it any temp file is a crash leftover.
        for d in (self.data_dir, self.history_dir):
            for p in d.glob(".*.tmp-*"):
                with suppress(OSError):
                    p.unlink()
        self._swept = True

    def _month_path(self, month: str) -> Path:
        return self.history_dir / f"{month}.toml"

    def _name(self, path: Path) -> str:
        return str(path.relative_to(self.data_dir))

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        self._write_bytes(path, months.to_toml(path, data))

    def _write_bytes(self, path: Path, payload: bytes) -> None:
        self._refuse_if_read_only()
        try:
            files.write_atomic(path, payload)
        except OSError as e:
            raise StoreError(f"cannot write {path}: {why(e)}") from None

    # reading

    def _read_state(self) -> tuple[bytes | None, State, list[str]]:
        """state.toml's bytes, its content (bad fields at their defaults) and the problems."""
        raw = files.read_bytes(self.state_path)
        if raw is None:
            return None, State(), []
        try:
            data = months.decode(raw)
            months.check_version(data, self.state_path)
        except Corrupt as e:
            self.notice(Problem(STATE_FILE, f"{STATE_FILE} is unreadable ({e}); using the default settings", None))
            return raw, State(), [str(e)]
        state, bad = lenient_state(data)
        for problem in bad:
            self.notice(Problem(STATE_FILE, f"{STATE_FILE}: {problem}; using the default for it", 0))
        return raw, state, bad

    def _read_month(self, month: str) -> MonthRead:
        """What could be read of the month file (nothing if it is missing or does not parse):
        from the records cache while the file is as this store wrote it, else from the TOML.
        Writes nothing; problems go to notices."""
        cached = self._hints.records(month)
        if cached is not None:
            return MonthRead(cached, [], len(cached))
        path = self._month_path(month)
        raw = files.read_bytes(path)
        if raw is None:
            return MonthRead()
        try:
            got = self._parse(month, raw)
        except (Corrupt, months.Newer) as e:
            name = self._name(path)
            text = str(e) if isinstance(e, months.Newer) else f"{name} was unreadable ({e})"
            self.notice(Problem(name, f"{text}; left it out of your history, unchanged", None))
            return MonthRead()
        for b in got.bad:
            name = self._name(path)
            self.notice(Problem(name, f"{name}: {b.where}: {one_line(b.reason)}; left it out", 1))
        return got

    def _parse(self, month: str, raw: bytes) -> MonthRead:
        """The month file's content (a copy); parsed only if its bytes changed since last time."""
        cached = self._month_cache
        if cached is None or cached[0] != month or cached[1] != raw:
            cached = (month, raw, months.parse_month(raw, self._month_path(month)))
            self._month_cache = cached
        got = cached[2]
        return MonthRead(list(got.records), list(got.bad), got.entries)

    # writing

    def _keep_copy(self, path: Path, raw: bytes, suffix: str | None = None) -> Path:
        """Keep a file's old bytes in a new private file beside it before it is rewritten or
        removed (a copy, not a rename: the store never chmods a file it did not create)."""
        if suffix is None:
            suffix = "corrupt-" + self.now().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        target = files.free_name(path.with_name(f"{path.name}.{suffix}"))
        self._write_bytes(target, raw)
        return target

    def _set_aside(self, path: Path, raw: bytes, problem: str, then: str) -> None:
        """Before rewriting (or removing) a file that had a problem, keep a copy and say so."""
        target = self._keep_copy(path, raw)
        name = self._name(path)
        self.notice(Problem(name, f"{name} was unreadable ({one_line(problem)}); kept it as {target} and {then}", None))

    def _quarantine(self, month: str, bad: list[BadRecord]) -> None:
        """Move bad records, verbatim, to the month's quarantine file (atomically)."""
        path = self._month_path(month)
        target = path.with_name(path.name + ".quarantine")
        payload = months.quarantined(files.read_bytes(target), path, bad, self.now())
        if payload is None:  # that file was edited by hand: start another beside it
            target = files.free_name(target)
            payload = months.quarantined(None, path, bad, self.now())
        if payload is None:
            raise StoreError(f"cannot set aside bad records of {path}; nothing was changed")
        self._write_bytes(target, payload)
        name = self._name(path)
        for b in bad:
            self.notice(Problem(name, f"{name}: {b.where} could not be read ({one_line(b.reason)}); moved it to {target}", 1))

    def _write_month(self, month: str, records: list[Record]) -> None:
        path = self._month_path(month)
        self._write_bytes(path, months.month_bytes(path, records))
        self._month_cache = None
        self._hints.remember(month, MonthSummary.of(records), records)

    def _put_record(self, record: Record, *, replace: bool) -> None:
        self._migrate_if_needed()
        try:
            record = Record.model_validate(months.prune(record.model_dump(warnings=False)))
        except ValidationError as e:
            raise StoreError(f"session not saved to {self.history_dir}: {reason(e)}") from None
        month = _month_of(record.started)
        path = self._month_path(month)
        with self._locked():
            chunk = months.to_toml(path, {"session": [months.session(record)]})
            if not replace and self._append_to_stamped(month, record, chunk):
                return
            try:
                raw, got = self._read_for_write(month)
            except Corrupt as e:
                self._set_aside(path, files.read_bytes(path) or b"", str(e), "started the month afresh (its sessions are only in that copy)")
                raw, got = None, MonthRead()
            if got.bad:
                self._quarantine(month, got.bad)
            ids = [r.id for r in got.records]
            if replace and record.id in ids:
                got.records[ids.index(record.id)] = record
                self._write_month(month, got.records)
                return
            joined = None
            if raw and not got.bad:
                joined = months.appended(raw, chunk, trusted=False, entries=got.entries)
            if joined is None:
                self._write_month(month, [*got.records, record])
                return
            self._write_bytes(path, joined)
            self._month_cache = None
            self._hints.remember(month, MonthSummary.of([*got.records, record]), [*got.records, record])

    def _read_for_write(self, month: str) -> tuple[bytes | None, MonthRead]:
        raw = files.read_bytes(self._month_path(month))
        return (None, MonthRead()) if raw is None else (raw, self._parse(month, raw))

    def _append_to_stamped(self, month: str, record: Record, chunk: bytes) -> bool:
        """Append without re-parsing if the month file is exactly as this store last wrote it."""
        stamp = self._hints.stamp(month)
        summary = self._hints.summary(month, stamp) if stamp else None
        if stamp is None or summary is None:
            return False
        path = self._month_path(month)
        raw = files.read_bytes(path)
        if raw is None or self._hints.stamp(month) != stamp:
            return False
        joined = months.appended(raw, chunk, trusted=True, entries=0)
        if joined is None:
            return False
        self._write_bytes(path, joined)
        summary.merge(MonthSummary.of([record]))
        self._hints.remember_append(month, stamp, summary, record)
        cached = self._month_cache
        if cached is not None and cached[0] == month and cached[1] == raw:
            read = cached[2]
            self._month_cache = (month, joined, MonthRead([*read.records, record], [], read.entries + 1))
        return True

    # migration from schema 1

    def _migrate_if_needed(self) -> None:
        if self._v1_checked:
            return
        if not self.state_path.exists() and self.v1_path.exists():
            if self.read_only:
                self.notice(Problem(V1_FILE, f"{V1_FILE} is in the old format; start the app once to move it to the new one", None))
            else:
                with self._locked():
                    if not self.state_path.exists() and self.v1_path.exists():
                        migrate_v1(self)
        self._v1_checked = True
