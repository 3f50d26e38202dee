"""One-time move of schema-1 data (a single progress.toml) to state.toml and month files."""

from __future__ import annotations

import uuid
from contextlib import suppress
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from neck_tui.store import files, months
from neck_tui.store.models import Record, State, lenient_settings

if TYPE_CHECKING:
    from neck_tui.store.core import Store


def _v1_time(v: Any) -> Any:
    if isinstance(v, str):
        with suppress(ValueError):
            v = datetime.fromisoformat(v)
    if isinstance(v, datetime) and v.tzinfo is None:
        v = v.astimezone()  # schema 1 may hold naive times; they were the user's local time
    return v


def record_from_v1(session: Any) -> Record:
    if not isinstance(session, dict):
        raise months.Corrupt("session is not a table")
    extra = dict(session)
    fields = {k: extra.pop(k) for k in ("id", "kind", "completed", "pain_before", "pain_after") if k in extra}
    start, end = extra.pop("start", None), extra.pop("end", None)
    if "id" in fields:
        fields["id"] = str(fields["id"])
    # A stable id makes a re-run of an interrupted migration replace rather than duplicate.
    fields.setdefault("id", uuid.uuid5(uuid.NAMESPACE_URL, f"neck-tui-v1:{fields.get('kind')}:{start}").hex)
    return Record.model_validate({**fields, "started": _v1_time(start), "ended": _v1_time(end), "details": extra})


def migrate_v1(store: "Store") -> None:
    """Split progress.toml into state.toml and month files; the caller holds the lock.
    Month files are merged by id, so a re-run after a crash does not duplicate sessions."""
    raw = files.read_bytes(store.v1_path)
    if raw is None:
        return
    try:
        data = months.decode(raw)
        if data.get("version") != 1:
            raise months.Corrupt(f"version is {data.get('version')!r}, expected 1")
    except months.Corrupt as e:
        store._set_aside(store.v1_path, raw, str(e), "started fresh")
        files.remove(store.v1_path)
        return
    settings, bad = lenient_settings(data.get("settings"))
    reset = sorted(bad)
    sessions = data.get("sessions", [])
    by_month: dict[str, list[Record]] = {}
    skipped = 0
    for session in sessions if isinstance(sessions, list) else []:
        try:
            record = record_from_v1(session)
        except (ValidationError, months.Corrupt):
            skipped += 1
            continue
        month = record.started.astimezone(timezone.utc).strftime("%Y-%m")
        by_month.setdefault(month, []).append(record)
    for month, new in by_month.items():
        merged = {r.id: r for r in store._read_month(month).records}
        merged.update((r.id, r) for r in new)
        store._write_month(month, sorted(merged.values(), key=lambda r: r.started))
    state = State(notice_accepted=data.get("disclaimer_accepted") is True, settings=settings)
    store._write(store.state_path, state.model_dump())
    target = store._keep_copy(store.v1_path, raw, "migrated-v1")
    files.remove(store.v1_path)
    notice = f"moved your data to the new format; the old file is kept as {target}"
    if skipped or not isinstance(sessions, list):
        notice += f"; {skipped or 'all'} session(s) could not be read and are only in that file"
    if reset:
        notice += f"; these settings were reset to defaults: {', '.join(reset)}"
    store.notices.append(notice)
