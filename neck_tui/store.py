"""Progress store: the user's settings and self-care session history on disk.

Layout under the data directory (directories 0700, files 0600, whatever the umask):

    state.toml            schema_version, notice_accepted, [settings], [in_progress]; read at start
    history/YYYY-MM.toml  schema_version, then one [[session]] per Record, by UTC month of its start
    .lock                 cross-process lock held around every read-modify-write

Every write goes to a private temp file that is fsynced and renamed over the target, so a crash
leaves the old or the new file, never a torn one. A file that cannot be read is renamed aside,
never overwritten, and a one-line message goes to ``Store.notices``. Schema 1 data
(a single progress.toml) is migrated on first use. This module must not import textual.
"""

import os
import re
import tempfile
import tomllib
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import filelock
import platformdirs
import tomli_w
from pydantic import (
    AfterValidator,
    BaseModel,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from neck_tui.activities import KINDS

SCHEMA_VERSION = 2
Kind = Literal[KINDS]  # type: ignore[valid-type]  # the kinds of neck_tui.activities

STATE_FILE = "state.toml"
HISTORY_DIR = "history"
LOCK_FILE = ".lock"
V1_FILE = "progress.toml"
LOCK_TIMEOUT_S = 10.0

_MONTH_FILE = re.compile(r"^(\d{4}-\d{2})\.toml$")
# tomli_w escapes newlines in strings, so in our files such a line is always a table header.
_AOT_SESSION = re.compile(rb"^\[\[session\]\]$", re.MULTILINE)
_T = TypeVar("_T")


class StoreError(Exception):
    """A problem with the user's data files; str() is one line naming the file and the problem."""


def default_data_dir() -> Path:
    """Where the data lives: $NECK_TUI_DATA_DIR if set, else the platform's user data dir."""
    env = os.environ.get("NECK_TUI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("neck-tui", appauthor=False)


# --- models -------------------------------------------------------------------------------------


def _hold_check(v: float) -> float:
    if 0 < v < 2:
        raise ValueError("must be 0 or between 2 and 10 seconds")
    return v


def _utc(v: datetime) -> datetime:
    if v.tzinfo is None or v.utcoffset() is None:
        raise ValueError("must include a time zone")
    return v.astimezone(timezone.utc)


PhaseSeconds = Annotated[float, Field(ge=2, le=10)]
HoldSeconds = Annotated[float, Field(ge=0, le=10), AfterValidator(_hold_check)]
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]


class CustomPattern(BaseModel):
    """The user's own breathing pattern; phase lengths in seconds."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    inhale: PhaseSeconds
    hold_in: HoldSeconds
    exhale: PhaseSeconds
    hold_out: HoldSeconds
    cycles: int | None = Field(None, ge=1, le=20)
    minutes: float | None = Field(None, gt=0, le=60)

    @model_validator(mode="after")
    def _one_length(self) -> "CustomPattern":
        if (self.cycles is None) == (self.minutes is None):
            raise ValueError("set exactly one of cycles or minutes")
        return self


class Settings(BaseModel):
    """The user's choices, kept in state.toml [settings]."""

    theme: str = "textual-dark"
    bell: bool = True
    notifications: bool = False  # OSC 9 / OSC 777 desktop notifications
    reduced_motion: bool = False
    break_interval_min: int = Field(45, ge=30, le=60)
    breathing_bell: bool = False
    preference: Literal["heat", "cold", "either"] = "either"  # for the triage suggestion
    custom_patterns: list[CustomPattern] = []
    # All day in tmux (issue 16): neck_tui/hooks.py, title.py, idle.py, screens/breaks.py.
    hooks: dict[str, str] = {}  # event name -> command line, run without a shell
    hook_timeout_s: float = Field(10.0, gt=0, le=300)
    title: bool = True  # the terminal title shows the running session
    away_min: int = Field(5, ge=0, le=240)  # no input on any of your ttys this long = a break; 0 = off
    working_hours: str = ""  # e.g. "mon-fri 09:00-17:30": reminders only then; "" = always
    break_skips_per_day: int = Field(0, ge=0, le=50)  # 0 = no cap


class Record(BaseModel):
    """One session. Datetimes must be timezone-aware; they are normalised to UTC."""

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1)
    kind: Kind
    started: UtcDatetime
    ended: UtcDatetime
    completed: bool
    pain_before: int | None = Field(None, ge=0, le=10)
    pain_after: int | None = Field(None, ge=0, le=10)
    details: dict[str, Any] = {}

    @property
    def duration_s(self) -> float:
        return (self.ended - self.started).total_seconds()


class State(BaseModel):
    """state.toml: small, read at every start."""

    schema_version: int = SCHEMA_VERSION
    notice_accepted: bool = False
    settings: Settings = Settings()
    in_progress: dict[str, Any] | None = None  # checkpoint of a running timed session


class _MonthFile(BaseModel):
    schema_version: int = SCHEMA_VERSION
    session: list[Record] = []


# --- file helpers -------------------------------------------------------------------------------


class _Corrupt(Exception):
    """The file's content is unusable; str() is the short reason."""


def _one_line(text: object) -> str:
    return " ".join(str(text).split())


def _reason(e: ValidationError) -> str:
    errors = e.errors()
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "value"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return _one_line(f"{where}: {first['msg']}{more}")


class _IsoDatetime(datetime):
    # tomli_w writes str(datetime), which puts a space before the time; use RFC 3339's "T".
    def __str__(self) -> str:
        return self.isoformat()


def _prune(value: Any, *, for_toml: bool = False) -> Any:
    """Drop None values recursively: TOML has no null."""
    if for_toml and isinstance(value, datetime):
        return _IsoDatetime.combine(value.date(), value.timetz())
    if isinstance(value, dict):
        return {str(k): _prune(v, for_toml=for_toml) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_prune(v, for_toml=for_toml) for v in value if v is not None]
    return value


def _read_bytes(path: Path) -> bytes | None:
    """The only way this module reads a data file; None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {_one_line(e.strerror or e)}") from None


def _decode(raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Corrupt("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise _Corrupt(f"not valid TOML: {_one_line(e)}") from None


def _check_version(data: dict[str, Any], path: Path) -> None:
    v = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(v, int) and not isinstance(v, bool) and v > SCHEMA_VERSION:
        raise StoreError(
            f"{path.name} was written by a newer neck-tui (schema {v}); "
            f"update neck-tui to use this data ({path})"
        )
    if v != SCHEMA_VERSION:
        raise _Corrupt(f"schema_version is {v!r}, expected {SCHEMA_VERSION}")


def _toml(path: Path, data: dict[str, Any]) -> bytes:
    try:
        return tomli_w.dumps(_prune(data, for_toml=True)).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot write {path}: {_one_line(e)}") from None


def _session(record: Record) -> dict[str, Any]:
    d = record.model_dump()
    if not d["details"]:
        del d["details"]
    return d


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace path with payload (private, 0600): a kill at any instant leaves old or new."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o600)
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)  # make the rename itself durable


def _free_name(base: Path) -> Path:
    target, n = base, 2
    while target.exists():
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    return target


def _make_private_dir(path: Path) -> None:
    missing = []
    p = path
    while not p.exists():
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        d.mkdir(mode=0o700, exist_ok=True)
    for d in [*missing, path]:
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask; chmod is not


def _month_of(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m")


def _cutoff(since: date) -> datetime:
    """A plain date means 00:00 UTC that day (history is kept in UTC); so does a naive datetime."""
    if not isinstance(since, datetime):
        since = datetime.combine(since, time.min)
    if since.tzinfo is None:
        since = since.replace(tzinfo=timezone.utc)
    return since.astimezone(timezone.utc)


def _v1_time(v: Any) -> Any:
    if isinstance(v, str):
        with suppress(ValueError):
            v = datetime.fromisoformat(v)
    if isinstance(v, datetime) and v.tzinfo is None:
        v = v.astimezone()  # schema 1 may hold naive times; they were the user's local time
    return v


def _record_from_v1(session: Any) -> Record:
    if not isinstance(session, dict):
        raise _Corrupt("session is not a table")
    extra = dict(session)
    fields = {k: extra.pop(k) for k in ("id", "kind", "completed", "pain_before", "pain_after") if k in extra}
    start, end = extra.pop("start", None), extra.pop("end", None)
    if "id" in fields:
        fields["id"] = str(fields["id"])
    # A stable id makes a re-run of an interrupted migration replace rather than duplicate.
    fields.setdefault("id", uuid.uuid5(uuid.NAMESPACE_URL, f"neck-tui-v1:{fields.get('kind')}:{start}").hex)
    return Record.model_validate({**fields, "started": _v1_time(start), "ended": _v1_time(end), "details": extra})


def _settings_from_v1(raw: Any) -> tuple[Settings, list[str]]:
    """Keep every v1 setting that is still valid; name the ones that were reset."""
    if not isinstance(raw, dict):
        return Settings(), [] if raw is None else ["settings"]
    kept, dropped = {}, []
    for key, value in raw.items():
        try:
            Settings.model_validate({key: value})
            kept[key] = value
        except ValidationError:
            dropped.append(key)
    return Settings.model_validate(kept), dropped


# --- the store ----------------------------------------------------------------------------------


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Store:
    """Reads and writes the user's data under data_dir; safe against crashes and a second instance."""

    def __init__(
        self,
        data_dir: Path,
        now: Callable[[], datetime] = _utcnow,
        *,
        lock_timeout: float = LOCK_TIMEOUT_S,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.now = now
        self.lock_timeout = lock_timeout
        self.notices: list[str] = []
        self.state_path = self.data_dir / STATE_FILE
        self.history_dir = self.data_dir / HISTORY_DIR
        self.v1_path = self.data_dir / V1_FILE
        self._state: State | None = None
        self._swept = False
        self._v1_checked = False
        # The last month file read or written, as (month, bytes, sessions): a save re-parses
        # the month only if its bytes changed since (another process wrote it), which keeps
        # one save in the low milliseconds however full the month is.
        self._month_cache: tuple[str, bytes, list[Record]] | None = None
        try:
            _make_private_dir(self.data_dir)
            _make_private_dir(self.history_dir)
        except OSError as e:
            raise StoreError(f"cannot create data directory {self.data_dir}: {_one_line(e.strerror or e)}") from None
        self._lock = filelock.FileLock(self.data_dir / LOCK_FILE, mode=0o600)

    # state

    @property
    def state(self) -> State:
        return self._state if self._state is not None else self.load()

    def load(self) -> State:
        """Read state.toml (never history); defaults if it is missing or unreadable."""
        self._migrate_if_needed()
        self._state = self._read_state()
        return self._state

    def update_state(self, fn: Callable[[State], None]) -> State:
        """Re-read state.toml under the lock, let fn change it, validate, and write it back."""
        self._migrate_if_needed()
        with self._locked():
            state = self._read_state()
            fn(state)
            state.schema_version = SCHEMA_VERSION
            data = _prune(state.model_dump(warnings=False))
            try:
                state = State.model_validate(data)
            except ValidationError as e:
                raise StoreError(f"{self.state_path}: not saved, {_reason(e)}") from None
            self._write(self.state_path, data)
        self._state = state
        return state

    def save_settings(self, settings: Settings) -> None:
        self.update_state(lambda s: setattr(s, "settings", settings))

    def set_in_progress(self, checkpoint: dict[str, Any] | None) -> None:
        self.update_state(lambda s: setattr(s, "in_progress", checkpoint))

    # history

    def add_record(self, record: Record) -> None:
        """Append record to the file of its (UTC) month; no other file is touched."""
        self._put_record(record, replace=False)

    def update_record(self, record: Record) -> None:
        """Replace the record with the same id in record's month, or append it if absent."""
        self._put_record(record, replace=True)

    def records(self, since: date | None = None, kinds: Iterable[str] | None = None) -> list[Record]:
        """Sessions sorted by start, optionally only those started at or after since (a date
        means 00:00 UTC; pass an aware datetime for e.g. local midnight) and of the given kinds.
        Reads only the month files from since's month on."""
        self._migrate_if_needed()
        cutoff = None if since is None else _cutoff(since)
        first = "" if cutoff is None else _month_of(cutoff)
        out: list[Record] = []
        for month in self.months():
            if month >= first:
                out.extend(self._read_month(month)[1])
        if cutoff is not None:
            out = [r for r in out if r.started >= cutoff]
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
            raise StoreError(f"cannot list {self.history_dir}: {_one_line(e.strerror or e)}") from None
        return sorted(m.group(1) for n in names if (m := _MONTH_FILE.match(n)))

    # internals

    @contextmanager
    def _locked(self) -> Iterator[None]:
        try:
            # Holders keep the lock for milliseconds, so poll often rather than filelock's 50 ms.
            self._lock.acquire(timeout=self.lock_timeout, poll_interval=0.005)
        except filelock.Timeout:
            raise StoreError(
                f"another neck-tui is holding the lock on {self._lock.lock_file}; close it and try again"
            ) from None
        except OSError as e:
            raise StoreError(f"cannot lock {self._lock.lock_file}: {_one_line(e.strerror or e)}") from None
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

    def _read_state(self) -> State:
        got = self._read(self.state_path, State.model_validate, "started fresh")
        return got[1] if got else State()

    def _read_month(self, month: str) -> tuple[bytes | None, list[Record]]:
        """The month file's bytes and sessions; (None, []) if missing or unreadable."""
        cached = self._month_cache
        if cached is not None and cached[0] == month:
            raw = _read_bytes(self._month_path(month))
            if raw == cached[1]:
                return raw, list(cached[2])
        got = self._read(self._month_path(month), _MonthFile.model_validate, "left it out of your history")
        if not got:
            return None, []
        self._month_cache = (month, got[0], list(got[1].session))
        return got[0], list(got[1].session)

    def _read(
        self, path: Path, parse: Callable[[dict[str, Any]], _T], then: str
    ) -> tuple[bytes, _T] | None:
        """Bytes and parsed content of path; None if it is missing or was unreadable
        (then it is moved aside)."""
        while True:
            raw = _read_bytes(path)
            if raw is None:
                return None
            try:
                data = _decode(raw)
                _check_version(data, path)
                return raw, parse(data)
            except ValidationError as e:
                reason = _reason(e)
            except _Corrupt as e:
                reason = str(e)
            if self._quarantine(path, raw, reason, then):
                return None
            # Another process replaced the file since we read it: read the new one.

    def _quarantine(self, path: Path, raw: bytes, reason: str, then: str) -> bool:
        with self._locked():
            if _read_bytes(path) != raw:
                return False
            stamp = self.now().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            target = _free_name(path.with_name(f"{path.name}.corrupt-{stamp}"))
            self._rename(path, target)
        name = path.relative_to(self.data_dir)
        self.notices.append(f"{name} was unreadable ({reason}); kept it as {target} and {then}")
        return True

    def _rename(self, path: Path, target: Path) -> None:
        try:
            os.rename(path, target)
            os.chmod(target, 0o600)
            _fsync_dir(path.parent)
        except OSError as e:
            raise StoreError(f"cannot rename {path} to {target}: {_one_line(e.strerror or e)}") from None

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        self._write_bytes(path, _toml(path, data))

    def _write_bytes(self, path: Path, payload: bytes) -> None:
        try:
            write_atomic(path, payload)
        except OSError as e:
            raise StoreError(f"cannot write {path}: {_one_line(e.strerror or e)}") from None

    def _write_month(self, month: str, records: list[Record]) -> None:
        sessions = [_session(r) for r in records]
        self._write(self._month_path(month), {"schema_version": SCHEMA_VERSION, "session": sessions})
        self._remember_checked(month)

    # A month file this store wrote (and so knows is valid) is stamped in history/.checked with
    # its size, mtime and inode. An append finds the stamp still matching and skips re-parsing
    # the month: parsing is most of a save's cost (about 10 ms for a busy month). Anything else
    # that touches the file changes the stamp, and then the file is parsed and checked in full.
    # The stamp is only a hint: a missing, torn or stale one just means a full check.
    def _stamp(self, month: str) -> str | None:
        try:
            st = os.stat(self._month_path(month))
        except OSError:
            return None
        return f"{month} {st.st_size} {st.st_mtime_ns} {st.st_ino}"

    def _checked_path(self) -> Path:
        return self.history_dir / ".checked"

    def _remember_checked(self, month: str) -> None:
        stamp = self._stamp(month)
        if stamp is None:
            return
        try:
            old = self._checked_path().read_text(encoding="ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            old = []
        keep = [line for line in old if line.split(" ", 1)[0] != month][-2:] + [stamp]
        try:
            fd = os.open(self._checked_path(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write("\n".join(keep) + "\n")
        except OSError:
            pass

    def _unchanged_since_written(self, month: str) -> bytes | None:
        """The month file's bytes if it is exactly as this store last wrote it, else None."""
        stamp = self._stamp(month)
        try:
            known = self._checked_path().read_text(encoding="ascii").splitlines()
        except (OSError, UnicodeDecodeError):
            return None
        if stamp is None or stamp not in known:
            return None
        raw = _read_bytes(self._month_path(month))
        return raw if raw is not None and self._stamp(month) == stamp else None

    def _put_record(self, record: Record, *, replace: bool) -> None:
        self._migrate_if_needed()
        try:
            record = Record.model_validate(_prune(record.model_dump(warnings=False)))
        except ValidationError as e:
            raise StoreError(f"session not saved to {self.history_dir}: {_reason(e)}") from None
        month = _month_of(record.started)
        path = self._month_path(month)
        with self._locked():
            chunk = _toml(path, {"session": [_session(record)]})
            if not replace:
                raw = self._unchanged_since_written(month)
                if raw is not None and _AOT_SESSION.search(raw) and chunk.startswith(b"[[session]]\n"):
                    self._write_bytes(path, raw + b"\n" + chunk)
                    self._remember_checked(month)
                    cached = self._month_cache
                    if cached is not None and cached[0] == month and cached[1] == raw:
                        self._month_cache = (month, raw + b"\n" + chunk, [*cached[2], record])
                    return
            raw, records = self._read_month(month)
            ids = [r.id for r in records]
            if replace and record.id in ids:
                records[ids.index(record.id)] = record
                self._write_month(month, records)
                self._month_cache = None
                return
            if raw and _AOT_SESSION.search(raw) and chunk.startswith(b"[[session]]\n"):
                # The file already holds [[session]] tables, so one more can simply follow them:
                # this skips re-serialising the whole month.
                self._write_bytes(path, raw + b"\n" + chunk)
                self._remember_checked(month)
                self._month_cache = (month, raw + b"\n" + chunk, [*records, record])
            else:
                self._write_month(month, [*records, record])

    def _migrate_if_needed(self) -> None:
        if self._v1_checked:
            return
        if not self.state_path.exists() and self.v1_path.exists():
            with self._locked():
                if not self.state_path.exists() and self.v1_path.exists():
                    self._migrate_v1()
        self._v1_checked = True

    def _migrate_v1(self) -> None:
        """Split schema-1 progress.toml into state.toml and month files; the caller holds the lock.
        Month files are merged by id, so a re-run after a crash does not duplicate sessions."""
        raw = _read_bytes(self.v1_path)
        if raw is None:
            return
        try:
            data = _decode(raw)
            if data.get("version") != 1:
                raise _Corrupt(f"version is {data.get('version')!r}, expected 1")
        except _Corrupt as e:
            self._quarantine(self.v1_path, raw, str(e), "started fresh")
            return
        settings, reset = _settings_from_v1(data.get("settings"))
        sessions = data.get("sessions", [])
        by_month: dict[str, list[Record]] = {}
        skipped = 0
        for session in sessions if isinstance(sessions, list) else []:
            try:
                record = _record_from_v1(session)
            except (ValidationError, _Corrupt):
                skipped += 1
                continue
            by_month.setdefault(_month_of(record.started), []).append(record)
        for month, new in by_month.items():
            merged = {r.id: r for r in self._read_month(month)[1]}
            merged.update((r.id, r) for r in new)
            self._write_month(month, sorted(merged.values(), key=lambda r: r.started))
        state = State(notice_accepted=data.get("disclaimer_accepted") is True, settings=settings)
        self._write(self.state_path, state.model_dump())
        target = _free_name(self.data_dir / f"{V1_FILE}.migrated-v1")
        self._rename(self.v1_path, target)
        notice = f"moved your data to the new format; the old file is kept as {target}"
        if skipped or not isinstance(sessions, list):
            notice += f"; {skipped or 'all'} session(s) could not be read and are only in that file"
        if reset:
            notice += f"; these settings were reset to defaults: {', '.join(reset)}"
        self.notices.append(notice)
