"""Hint files beside each month file, written only by the store when it writes that month:

    history/.YYYY-MM.summary.json   the month's stamp (size, mtime, inode), its MonthSummary and
                                    the size of the records cache below
    history/.YYYY-MM.records.jsonl  the month's sessions as JSON lines (reading them is some 15
                                    times faster than parsing the TOML)

A hint is used only while the month file's stamp is the one it records, so any change by anyone
else (an editor, a restored backup) makes the store read the TOML again. A missing, torn or stale
hint only costs time. No Textual here.
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from neck_tui.store import files
from neck_tui.store.models import Record
from neck_tui.store.summary import MonthSummary


@cache
def _records() -> TypeAdapter[list[Record]]:
    """Built on first use: Record's validator is not needed before the app's first frame."""
    return TypeAdapter(list[Record])


_WHEN = "$datetime"  # JSON has no datetimes: a datetime inside details is kept as {"$datetime": iso}


def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return {_WHEN: value.isoformat()}
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _untag(obj: dict[str, Any]) -> Any:
    return datetime.fromisoformat(obj[_WHEN]) if len(obj) == 1 and _WHEN in obj else obj


def _line(record: Record) -> bytes:
    """One record as a JSON line that reads back exactly (datetimes in details stay datetimes)."""
    return json.dumps(record.model_dump(), default=_tag, separators=(",", ":")).encode() + b"\n"


class Hints:
    def __init__(self, history_dir: Path) -> None:
        self.history_dir = history_dir

    def _month_path(self, month: str) -> Path:
        return self.history_dir / f"{month}.toml"

    def _summary_path(self, month: str) -> Path:
        return self.history_dir / f".{month}.summary.json"

    def _records_path(self, month: str) -> Path:
        return self.history_dir / f".{month}.records.jsonl"

    def stamp(self, month: str) -> str | None:
        """Size, mtime and inode of the month file: any change by anyone else changes it."""
        try:
            st = os.stat(self._month_path(month))
        except OSError:
            return None
        return f"{st.st_size} {st.st_mtime_ns} {st.st_ino}"

    def _load(self, month: str, stamp: str | None = None) -> dict[str, Any] | None:
        stamp = stamp or self.stamp(month)
        if stamp is None:
            return None
        try:
            data = json.loads(self._summary_path(month).read_bytes())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and data.get("stamp") == stamp else None

    def summary(self, month: str, stamp: str | None = None) -> MonthSummary | None:
        """The month's summary, if the hint still describes the file as it is."""
        data = self._load(month, stamp)
        try:
            return None if data is None else MonthSummary.from_json(data)
        except (ValueError, KeyError, TypeError, AttributeError, ValidationError):
            return None

    def fresh(self, month: str) -> bool:
        """The month's hints still describe its file: the stamp matches and the records cache
        has its recorded size. Two stats and one small read; nothing is parsed."""
        data = self._load(month)
        size = None if data is None else data.get("records_size")
        try:
            return isinstance(size, int) and self._records_path(month).stat().st_size == size
        except OSError:
            return False

    def records(self, month: str) -> list[Record] | None:
        """The month's sessions from the cache, if it still matches the file."""
        data = self._load(month)
        size = None if data is None else data.get("records_size")
        if not isinstance(size, int):
            return None
        try:
            raw = self._records_path(month).read_bytes()
            if len(raw) != size:
                return None
            rows = json.loads(b"[" + raw.rstrip(b"\n").replace(b"\n", b",") + b"]", object_hook=_untag)
            return _records().validate_python(rows)
        except (OSError, ValueError):
            return None

    def remember(self, month: str, summary: MonthSummary, records: list[Record]) -> None:
        """After writing the whole month file: the cache in full, then the stamped summary."""
        payload = b"".join(_line(r) for r in records)
        size = len(payload) if files.write_hint(self._records_path(month), payload) else None
        self._write_summary(month, summary, size)

    def remember_append(self, month: str, old_stamp: str, summary: MonthSummary, record: Record) -> None:
        """After appending one record to a month file that had the hint old_stamp."""
        data = self._load(month, old_stamp)
        size = None if data is None else data.get("records_size")
        path = self._records_path(month)
        if isinstance(size, int):
            line = _line(record)
            try:
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | files.NOFOLLOW | os.O_CLOEXEC)
                try:
                    if os.fstat(fd).st_size != size:
                        raise OSError("records cache changed")
                    os.write(fd, line)
                finally:
                    os.close(fd)
                size += len(line)
            except OSError:
                size = None
        self._write_summary(month, summary, size)

    def _write_summary(self, month: str, summary: MonthSummary, records_size: int | None) -> None:
        stamp = self.stamp(month)
        if stamp is None:
            return
        payload = {"stamp": stamp, "records_size": records_size, **summary.to_json()}
        files.write_hint(self._summary_path(month), json.dumps(payload).encode())
