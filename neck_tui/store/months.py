"""Month files (history/YYYY-MM.toml): reading them record by record, writing them, proving an
append keeps them valid, and the quarantine text for records set aside. No I/O beyond bytes in,
bytes out; no Textual.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from neck_tui.store.files import StoreError, one_line
from neck_tui.store.models import SCHEMA_VERSION, Record, reason

MONTH_FILE = re.compile(r"^(\d{4}-\d{2})\.toml$")
# tomli_w escapes newlines in strings, so in files it wrote such a line is always a table header.
AOT_SESSION = re.compile(rb"^\[\[session\]\]$", re.MULTILINE)


class Corrupt(Exception):
    """The whole file is unusable; str() is the short reason."""


class Newer(StoreError):
    """The file was written by a newer neck-tui: never rewritten, skipped by reads."""


@dataclass(frozen=True)
class BadRecord:
    """One entry of a month file that is not a valid session, kept verbatim."""

    position: int  # 1-based, in the file's order
    id: str | None
    reason: str
    raw: Any

    @property
    def where(self) -> str:
        return f"session {self.position}" + (f" (id {self.id})" if self.id else "")


@dataclass
class MonthRead:
    records: list[Record] = field(default_factory=list)
    bad: list[BadRecord] = field(default_factory=list)
    entries: int = 0  # session entries in the file, good and bad


class _IsoDatetime(datetime):
    # tomli_w writes str(datetime), which puts a space before the time; use RFC 3339's "T".
    def __str__(self) -> str:
        return self.isoformat()


def prune(value: Any, *, for_toml: bool = False) -> Any:
    """Drop None values recursively: TOML has no null."""
    if for_toml and isinstance(value, datetime):
        return _IsoDatetime.combine(value.date(), value.timetz())
    if isinstance(value, dict):
        return {str(k): prune(v, for_toml=for_toml) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [prune(v, for_toml=for_toml) for v in value if v is not None]
    return value


def decode(raw: bytes) -> dict[str, Any]:
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise Corrupt("not UTF-8 text") from None
    except tomllib.TOMLDecodeError as e:
        raise Corrupt(f"not valid TOML: {one_line(e)}") from None


def check_version(data: dict[str, Any], path: Path) -> None:
    v = data.get("schema_version", SCHEMA_VERSION)
    if isinstance(v, int) and not isinstance(v, bool) and v > SCHEMA_VERSION:
        raise Newer(
            f"{path.name} was written by a newer neck-tui (schema {v}); "
            f"update neck-tui to use this data ({path})"
        )
    if v != SCHEMA_VERSION:
        raise Corrupt(f"schema_version is {v!r}, expected {SCHEMA_VERSION}")


def to_toml(path: Path, data: dict[str, Any]) -> bytes:
    try:
        return tomli_w.dumps(prune(data, for_toml=True)).encode("utf-8")
    except (TypeError, ValueError) as e:
        raise StoreError(f"cannot write {path}: {one_line(e)}") from None


def session(record: Record) -> dict[str, Any]:
    d = record.model_dump()
    if not d["details"]:
        del d["details"]
    return d


def parse_month(raw: bytes, path: Path) -> MonthRead:
    """Every valid session of the file, and each bad one on its own; Corrupt if the file as a
    whole cannot be read (not TOML, wrong schema, `session` not an array)."""
    data = decode(raw)
    check_version(data, path)
    sessions = data.get("session", [])
    if not isinstance(sessions, list):
        raise Corrupt("session is not an array of tables")
    out = MonthRead(entries=len(sessions))
    for i, entry in enumerate(sessions, start=1):
        ident = entry.get("id") if isinstance(entry, dict) else None
        ident = str(ident) if isinstance(ident, (str, int)) else None
        if not isinstance(entry, dict):
            out.bad.append(BadRecord(i, None, "not a table", entry))
            continue
        try:
            out.records.append(Record.model_validate(entry))
        except ValidationError as e:
            out.bad.append(BadRecord(i, ident, reason(e), entry))
    return out


def month_bytes(path: Path, records: list[Record]) -> bytes:
    return to_toml(path, {"schema_version": SCHEMA_VERSION, "session": [session(r) for r in records]})


def appended(raw: bytes, chunk: bytes, *, trusted: bool, entries: int) -> bytes | None:
    """raw with chunk (one [[session]] table) added, if that provably leaves a file holding the
    `entries` earlier sessions plus the new one; None means: rewrite the file instead.

    trusted: raw is exactly what this store wrote (tomli_w's layout, sessions as [[session]]
    tables at the end), so a header line proves the shape. Otherwise the result is parsed."""
    if not chunk.startswith(b"[[session]]\n"):
        return None
    joined = raw + (b"" if raw.endswith(b"\n") else b"\n") + b"\n" + chunk
    if trusted:
        return joined if AOT_SESSION.search(raw) else None
    try:
        sessions = tomllib.loads(joined.decode("utf-8")).get("session")
        new = tomllib.loads(chunk.decode("utf-8"))["session"][0]
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError, IndexError):
        return None
    if isinstance(sessions, list) and len(sessions) == entries + 1 and sessions[-1] == new:
        return joined
    return None


def quarantined(old: bytes | None, path: Path, bad: list[BadRecord], now: datetime) -> bytes | None:
    """The quarantine file with bad entries added, each as a [[quarantined]] table: where it
    came from, why, when, and the entry itself, verbatim, under `record`. None if the old
    quarantine file is no longer one this store can add to (then use a new file)."""
    entries: list[Any] = []
    if old:
        try:
            entries = tomllib.loads(old.decode("utf-8"))["quarantined"]
        except (UnicodeDecodeError, tomllib.TOMLDecodeError, KeyError):
            return None
        if not isinstance(entries, list):
            return None
    when = now.astimezone(timezone.utc).replace(microsecond=0)
    for b in bad:
        entries.append({"set_aside": when, "file": path.name, "where": b.where, "problem": b.reason, "record": b.raw})
    try:
        return tomli_w.dumps(prune({"quarantined": entries}, for_toml=True)).encode("utf-8")
    except (TypeError, ValueError):
        return None
