"""The store never hides, drops or clobbers data: record-level recovery, reads that never write,
no links followed, appends that keep a hand-edited month valid (issue 13)."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from neck_tui.store import Record, Store, StoreError
from neck_tui.terminal.session_lock import SessionLock

NOW = datetime(2026, 11, 25, 14, 22, 33, tzinfo=timezone.utc)

MONTH = """\
schema_version = 2

[[session]]
id = "good1"
kind = "heat"
started = 2026-11-02T09:00:00Z
ended = 2026-11-02T09:20:00Z
completed = true
pain_before = 6
pain_after = 3

[[session]]
id = "future"
kind = "sauna"
started = 2026-11-03T09:00:00Z
ended = 2026-11-03T09:20:00Z
completed = true
mood = "calm"

[[session]]
id = "broken"
kind = "cold"
started = 2026-11-04T09:00:00Z
ended = 2026-11-04T09:20:00Z
completed = true
pain_after = 12

[[session]]
id = "good2"
kind = "breathing"
started = 2026-11-05T09:00:00Z
ended = 2026-11-05T09:05:00Z
completed = true
"""


@pytest.fixture
def d(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    (data / "history").mkdir(parents=True, mode=0o700)
    return data


def rec(started: datetime, kind: str = "heat", **kw) -> Record:
    return Record(kind=kind, started=started, ended=started + timedelta(minutes=20), completed=True, **kw)


def tree(d: Path) -> dict[str, tuple[int, int, int, bytes | str]]:
    """Every entry under d with its mode, size, mtime and content (or link target)."""
    out = {}
    for p in sorted(d.rglob("*")):
        st = os.lstat(p)
        body: bytes | str = os.readlink(p) if p.is_symlink() else p.read_bytes() if p.is_file() else b""
        out[str(p.relative_to(d))] = (st.st_mode, st.st_size, st.st_mtime_ns, body)
    return out


# --- record-level recovery ------------------------------------------------------------------------


def test_one_bad_record_is_skipped_alone_and_an_unknown_kind_is_kept(d):
    (d / "history" / "2026-11.toml").write_text(MONTH)
    st = Store(d, now=lambda: NOW)
    got = st.records()
    assert [r.id for r in got] == ["good1", "future", "good2"]
    assert got[1].kind == "sauna" and got[1].model_extra == {"mood": "calm"}
    [notice] = st.notices
    assert notice.startswith("history/2026-11.toml: session 3 (id broken): pain_after") and "\n" not in notice
    assert [(p.file, p.records) for p in st.problems] == [("history/2026-11.toml", 1)]
    assert st.records(kinds=["sauna"])[0].id == "future"


def test_a_write_moves_the_bad_record_verbatim_to_quarantine_and_keeps_the_rest(d):
    month = d / "history" / "2026-11.toml"
    month.write_text(MONTH)
    st = Store(d, now=lambda: NOW)
    st.add_record(new := rec(datetime(2026, 11, 6, tzinfo=timezone.utc)))
    assert [r.id for r in Store(d).records()] == ["good1", "future", "good2", new.id]
    kept = tomllib.loads(month.read_text())["session"]
    assert kept[1]["kind"] == "sauna" and kept[1]["mood"] == "calm"  # unknown kind and field survive
    quarantine = d / "history" / "2026-11.toml.quarantine"
    original = tomllib.loads(MONTH)["session"][2]
    [entry] = tomllib.loads(quarantine.read_text())["quarantined"]
    assert entry["record"] == original and entry["file"] == "2026-11.toml"
    assert entry["where"] == "session 3 (id broken)" and "pain_after" in entry["problem"]
    assert stat.S_IMODE(quarantine.stat().st_mode) == 0o600
    assert any(str(quarantine) in n and "session 3 (id broken)" in n for n in st.notices)
    # A second bad record later is added to the same quarantine file; nothing is lost.
    month.write_text(month.read_text() + '\n[[session]]\nid = "b2"\nkind = 5\n')
    st.add_record(rec(datetime(2026, 11, 7, tzinfo=timezone.utc)))
    assert [q["record"]["id"] for q in tomllib.loads(quarantine.read_text())["quarantined"]] == ["broken", "b2"]
    assert len(Store(d).records()) == 5


def test_reading_never_writes(d):
    (d / "state.toml").write_text('schema_version = 2\nnotice_accepted = true\n[settings]\nbell = "loud"\n')
    (d / "history" / "2026-11.toml").write_text(MONTH)
    (d / "history" / "2026-10.toml").write_text("not [ toml")
    (d / "history" / "2026-09.toml").write_text("schema_version = 9\n")
    before = tree(d)
    for read_only in (False, True):
        st = Store(d, now=lambda: NOW, read_only=read_only)
        assert st.load().notice_accepted is True
        assert len(st.records()) == 3 and len(st.summaries()) == 3
        assert len(st.notices) == 4 and all("\n" not in n for n in st.notices)
    assert tree(d) == before


def test_missing_data_dir_is_not_created_by_a_read(tmp_path):
    st = Store(tmp_path / "nothing-here", read_only=True)
    assert st.load().notice_accepted is False and st.records() == [] and st.summaries() == []
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_store_refuses_writes_with_one_line(d):
    (d / "history" / "2026-11.toml").write_text(MONTH)
    before = tree(d)
    st = Store(d, read_only=True)
    for write in (lambda: st.add_record(rec(NOW)), lambda: st.update_state(lambda s: None)):
        with pytest.raises(StoreError, match="read-only; nothing was saved"):
            write()
    assert tree(d) == before


def test_a_write_on_a_read_only_file_system_says_so_and_loses_nothing(d, monkeypatch):
    st = Store(d, now=lambda: NOW)
    st.add_record(first := rec(NOW))
    before = tree(d)

    def erofs(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "mkstemp", erofs)
    with pytest.raises(StoreError) as e:
        Store(d).add_record(rec(NOW + timedelta(minutes=1)))
    assert str(e.value).endswith("the file system is read-only") and "2026-11.toml" in str(e.value)
    monkeypatch.undo()
    assert tree(d) == before and Store(d).records() == [first]


def test_an_existing_0500_directory_is_not_chmodded(tmp_path):
    d = tmp_path / "ro"
    (d / "history").mkdir(parents=True)
    os.chmod(d / "history", 0o500)
    os.chmod(d, 0o500)
    st = Store(d)
    assert st.records() == []
    assert stat.S_IMODE(os.stat(d).st_mode) == 0o500 and stat.S_IMODE(os.stat(d / "history").st_mode) == 0o500


# --- links ------------------------------------------------------------------------------------------


def test_links_in_the_data_dir_are_never_written_through(d, tmp_path):
    victim = tmp_path / "victim"
    victim.write_text("precious\n")
    os.chmod(victim, 0o644)
    st = Store(d, now=lambda: NOW)
    st.add_record(rec(NOW))
    summary = d / "history" / ".2026-11.summary.json"
    summary.unlink()
    summary.symlink_to(victim)
    st.add_record(rec(NOW + timedelta(minutes=1)))
    assert victim.read_text() == "precious\n" and summary.is_symlink()
    assert len(Store(d).records()) == 2

    # A month file that is a link to a broken file: a copy is kept, the target is left alone.
    outside = tmp_path / "outside.toml"
    outside.write_text("not [ toml")
    os.chmod(outside, 0o644)
    (d / "history" / "2026-10.toml").symlink_to(outside)
    st.add_record(rec(datetime(2026, 10, 3, tzinfo=timezone.utc)))
    assert outside.read_text() == "not [ toml" and stat.S_IMODE(outside.stat().st_mode) == 0o644
    [copy] = (d / "history").glob("2026-10.toml.corrupt-*")
    assert copy.read_text() == "not [ toml" and not copy.is_symlink()
    assert stat.S_IMODE(victim.stat().st_mode) == 0o644


def test_a_lock_file_that_is_a_link_is_refused(d, tmp_path):
    target = tmp_path / "target"
    (d / ".lock").symlink_to(target)
    with pytest.raises(StoreError) as e:
        Store(d).add_record(rec(NOW))
    assert "symbolic link" in str(e.value) and "\n" not in str(e.value)
    assert not target.exists()


def test_the_session_lock_does_not_follow_a_link(d, tmp_path):
    target = tmp_path / "made-by-link"
    (d / ".session.lock").symlink_to(target)
    lock = SessionLock(d)
    lock.acquire()
    assert lock.held_elsewhere() is False
    lock.release()
    assert not target.exists()


def test_a_dangling_link_at_the_copy_name_is_not_written_through(d, tmp_path):
    target = tmp_path / "through-link"
    (d / "history" / "2026-11.toml").write_text("not [ toml")
    (d / "history" / "2026-11.toml.corrupt-20261125T142233Z").symlink_to(target)
    Store(d, now=lambda: NOW).add_record(rec(NOW))
    assert not target.exists()
    assert (d / "history" / "2026-11.toml.corrupt-20261125T142233Z-2").read_text() == "not [ toml"


# --- appends ----------------------------------------------------------------------------------------

INLINE = 'session = [{id = "x", kind = "heat", started = 2026-11-02T10:00:00Z, ended = 2026-11-02T10:20:00Z, completed = true}]\n'
LAYOUTS = {
    "inline array after a header-like string": 'schema_version = 2\nnote = """\n[[session]]\n"""\n' + INLINE,
    "inline array": "schema_version = 2\n" + INLINE,
    "no newline at the end": "schema_version = 2\n" + INLINE.rstrip("\n"),
    "comments": '# my notes\nschema_version = 2 # two\n\n[[session]] # first\nid = "x"\nkind = "heat"\n'
    "started = 2026-11-02T10:00:00Z\nended = 2026-11-02T10:20:00Z\ncompleted = true\n# end\n",
    "sub-table last": 'schema_version = 2\n[[session]]\nid = "x"\nkind = "heat"\nstarted = 2026-11-02T10:00:00Z\n'
    "ended = 2026-11-02T10:20:00Z\ncompleted = true\n[session.details]\nregimen = 'heat'\n",
    "another table after the sessions": 'schema_version = 2\n[[session]]\nid = "x"\nkind = "heat"\n'
    "started = 2026-11-02T10:00:00Z\nended = 2026-11-02T10:20:00Z\ncompleted = true\n[extra]\nk = 1\n",
}


@pytest.mark.parametrize("layout", LAYOUTS)
def test_an_append_keeps_any_valid_month_valid(d, layout):
    month = d / "history" / "2026-11.toml"
    month.write_text(LAYOUTS[layout])
    st = Store(d, now=lambda: NOW)
    for i in range(2):
        st.add_record(rec(NOW + timedelta(minutes=i)))
    data = tomllib.loads(month.read_text())  # still TOML
    assert [s["id"] for s in data["session"]][0] == "x" and len(data["session"]) == 3
    assert len(Store(d).records()) == 3 and st.notices == []
    assert not list(d.rglob("*.corrupt-*")) and not list(d.rglob("*.quarantine"))


# --- hints -----------------------------------------------------------------------------------------


def test_hints_are_ignored_once_the_month_is_edited_by_hand(d):
    st = Store(d, now=lambda: NOW)
    for i in range(3):
        st.add_record(rec(NOW + timedelta(minutes=i), pain_before=5, pain_after=2))
    month = d / "history" / "2026-11.toml"
    edited = month.read_text().replace("pain_after = 2", "pain_after = 4", 1)
    month.write_text(edited)
    fresh = Store(d, read_only=True)
    assert [r.pain_after for r in fresh.records()] == [4, 2, 2]
    [(_, summary)] = fresh.summaries()
    assert summary.drops["heat"] == (3 + 3 + 1, 3)
    # A torn records cache is ignored too (its size is part of the stamp).
    Store(d).add_record(rec(NOW + timedelta(minutes=9)))
    cache = d / "history" / ".2026-11.records.jsonl"
    cache.write_bytes(cache.read_bytes()[:-40])
    assert len(Store(d, read_only=True).records()) == 4


def test_build_hints_covers_months_an_older_version_wrote(d, monkeypatch):
    st = Store(d, now=lambda: NOW)
    for m in range(1, 12):
        st.add_record(rec(datetime(2026, m, 3, tzinfo=timezone.utc)))
    (d / "history" / "2026-12.toml").write_text("not [ toml")
    (d / "history" / "2025-12.toml").write_text(MONTH.replace("2026-11", "2025-12"))
    for hint in (d / "history").glob(".*"):
        hint.unlink()  # as an older neck-tui left them
    before = {p.name: p.read_bytes() for p in (d / "history").iterdir()}
    with pytest.raises(StoreError):
        Store(d, read_only=True).build_hints()
    assert Store(d).build_hints() == 11  # not the broken month, nor the one with a bad record
    assert {p.name: p.read_bytes() for p in (d / "history").iterdir() if not p.name.startswith(".")} == before
    from neck_tui.store import months as months_mod

    parsed = []
    real = months_mod.parse_month
    monkeypatch.setattr(months_mod, "parse_month", lambda raw, path: parsed.append(path.name) or real(raw, path))
    fresh = Store(d, read_only=True)
    assert len(fresh.summaries()) == 13 and len(fresh.records()) == 14
    assert sorted(set(parsed)) == ["2025-12.toml", "2026-12.toml"]
