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
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from neck_tui.store import files
from neck_tui.store.models import Record
from neck_tui.store.summary import MonthSummary

_RECORDS = TypeAdapter(list[Record])


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
            return _RECORDS.validate_json(b"[" + raw.rstrip(b"\n").replace(b"\n", b",") + b"]")
        except (OSError, ValueError):
            return None

    def remember(self, month: str, summary: MonthSummary, records: list[Record]) -> None:
        """After writing the whole month file: the cache in full, then the stamped summary."""
        payload = b"".join(r.model_dump_json().encode() + b"\n" for r in records)
        size = len(payload) if files.write_hint(self._records_path(month), payload) else None
        self._write_summary(month, summary, size)

    def remember_append(self, month: str, old_stamp: str, summary: MonthSummary, record: Record) -> None:
        """After appending one record to a month file that had the hint old_stamp."""
        data = self._load(month, old_stamp)
        size = None if data is None else data.get("records_size")
        path = self._records_path(month)
        if isinstance(size, int):
            line = record.model_dump_json().encode() + b"\n"
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
