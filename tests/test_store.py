"""Tests for the progress store: formats, privacy, locking, corruption, migration, crashes."""

from __future__ import annotations

import multiprocessing
import os
import signal
import stat
import tomllib
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import filelock
import platformdirs
import pytest
from pydantic import ValidationError

from neck_tui.activities import KINDS
from neck_tui.store import (
    SCHEMA_VERSION,
    CustomPattern,
    Record,
    Settings,
    State,
    Store,
    StoreError,
    default_data_dir,
)
from neck_tui.store import files as files_mod
from neck_tui.store import months as months_mod
from neck_tui.store.hints import Hints

NOW = datetime(2026, 11, 25, 14, 22, 33, tzinfo=timezone.utc)
FORK = multiprocessing.get_context("fork")


@pytest.fixture
def d(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def st(d: Path) -> Store:
    (d / "history").mkdir(parents=True, mode=0o700)
    return Store(d, now=lambda: NOW)


def rec(started: datetime, kind: str = "heat", **kw) -> Record:
    return Record(kind=kind, started=started, ended=started + timedelta(minutes=20), completed=True, **kw)


def mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def temp_files(d: Path) -> list[Path]:
    return [p for p in d.rglob("*") if ".tmp-" in p.name]


def one_line(e: pytest.ExceptionInfo) -> str:
    msg = str(e.value)
    assert "\n" not in msg and msg
    return msg


# --- models ---------------------------------------------------------------------------------------


def test_record_validation_and_duration():
    r = rec(datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=-5))))
    assert r.started == datetime(2026, 11, 25, 14, 0, tzinfo=timezone.utc)
    assert r.started.tzinfo is timezone.utc
    assert r.duration_s == 1200.0
    assert len(r.id) == 32 and r.id != rec(NOW).id
    with pytest.raises(ValidationError, match="time zone"):
        rec(datetime(2026, 11, 25, 9, 0))
    assert rec(NOW, kind="nap").kind == "nap"  # from a newer release: kept, shown as itself
    for bad_kind in ("", 7, None):
        with pytest.raises(ValidationError):
            rec(NOW, kind=bad_kind)
    with pytest.raises(ValidationError):
        rec(NOW, pain_after=11)
    assert set(KINDS) >= {"triage", "heat", "cold", "contrast", "breathing", "exercise", "posture_break"}


def test_custom_pattern_rules():
    ok = CustomPattern(name="box", inhale=4, hold_in=4, exhale=4, hold_out=4, cycles=4)
    assert ok.minutes is None
    assert CustomPattern(name="calm", inhale=4, hold_in=0, exhale=6, hold_out=0, minutes=5).hold_in == 0
    bad = [
        dict(hold_in=1),  # a hold is 0 or 2..10
        dict(hold_out=11),
        dict(inhale=1.5),
        dict(exhale=10.5),
        dict(name="  "),
        dict(cycles=None),  # neither cycles nor minutes
        dict(minutes=3),  # both
        dict(cycles=21),
    ]
    for change in bad:
        fields = dict(name="x", inhale=4, hold_in=4, exhale=4, hold_out=4, cycles=4) | change
        with pytest.raises(ValidationError):
            CustomPattern(**fields)
    with pytest.raises(ValidationError):
        CustomPattern(name="x", inhale=4, hold_in=0, exhale=4, hold_out=0, minutes=61)


def test_settings_bounds():
    assert Settings().break_interval_min == 45
    for bad in (29, 61):
        with pytest.raises(ValidationError):
            Settings(break_interval_min=bad)
    with pytest.raises(ValidationError):
        Settings(preference="warm")


def test_default_data_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("NECK_TUI_DATA_DIR", str(tmp_path / "x"))
    assert default_data_dir() == tmp_path / "x"
    monkeypatch.delenv("NECK_TUI_DATA_DIR")
    assert default_data_dir() == platformdirs.user_data_path("neck-tui", appauthor=False)


# --- state ----------------------------------------------------------------------------------------


def test_missing_state_gives_defaults_and_writes_nothing(st, d):
    assert st.load() == State()
    assert st.state is st.state
    assert not (d / "state.toml").exists()
    assert st.notices == []


def test_state_round_trip_drops_none(st, d):
    pattern = CustomPattern(name="calm", inhale=4, hold_in=0, exhale=6, hold_out=0, minutes=5)
    st.save_settings(Settings(theme="nord", bell=False, break_interval_min=30, custom_patterns=[pattern]))
    st.set_in_progress({"kind": "heat", "started": NOW, "gone": None, "phases": [{"n": 1, "x": None}, None]})
    text = (d / "state.toml").read_text()
    assert "2026-11-25T14:22:33+00:00" in text and "gone" not in text and "cycles" not in text
    assert tomllib.loads(text)["schema_version"] == SCHEMA_VERSION

    fresh = Store(d).load()
    assert fresh == st.state
    assert fresh.settings.custom_patterns == [pattern]
    assert fresh.in_progress == {"kind": "heat", "started": NOW, "phases": [{"n": 1}]}

    st.set_in_progress(None)
    assert "in_progress" not in (d / "state.toml").read_text()
    assert Store(d).load().in_progress is None


def test_update_state_rereads_disk_first(d):
    a, b = Store(d), Store(d)
    a.load()
    b.update_state(lambda s: setattr(s, "notice_accepted", True))
    a.update_state(lambda s: setattr(s.settings, "bell", False))  # a's cached state is stale
    final = Store(d).load()
    assert final.notice_accepted is True and final.settings.bell is False


def test_bad_state_value_is_one_line_error_and_not_saved(st, d):
    st.update_state(lambda s: setattr(s, "notice_accepted", True))
    before = (d / "state.toml").read_bytes()
    with pytest.raises(StoreError) as e:
        st.update_state(lambda s: setattr(s.settings, "break_interval_min", 5))
    msg = one_line(e)
    assert "state.toml" in msg and "settings.break_interval_min" in msg
    with pytest.raises(StoreError):
        st.save_settings(Settings.model_construct(preference="warm"))
    with pytest.raises(StoreError) as e:
        st.set_in_progress({"bad": {1, 2}})  # a set has no TOML form
    assert "state.toml" in one_line(e)
    assert (d / "state.toml").read_bytes() == before
    assert st.state.settings.break_interval_min == 45
    assert temp_files(d) == []


# --- history --------------------------------------------------------------------------------------


def test_add_record_goes_to_utc_month_file(st, d):
    late = datetime(2026, 11, 30, 20, 30, tzinfo=timezone(timedelta(hours=-5)))  # 2026-12-01 01:30 UTC
    r1 = rec(late, details={"regimen": "heat", "skin_checks": [True, None], "flags": {"a": None, "b": 1}})
    r2 = rec(datetime(2026, 11, 2, 8, tzinfo=timezone.utc), kind="cold", pain_before=6)
    st.add_record(r1)
    st.add_record(r2)
    assert st.months() == ["2026-11", "2026-12"]
    text = (d / "history" / "2026-12.toml").read_text()
    data = tomllib.loads(text)
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["session"][0]["started"] == datetime(2026, 12, 1, 1, 30, tzinfo=timezone.utc)
    assert "started = 2026-12-01T01:30:00+00:00" in text
    assert "pain_before" not in text  # None is omitted
    got = st.records()
    assert [r.id for r in got] == [r2.id, r1.id]
    assert got[1].details == {"regimen": "heat", "skin_checks": [True], "flags": {"b": 1}}
    assert got[0].pain_before == 6 and got[0].details == {}


def test_append_keeps_every_record(st, d):
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    made = [rec(start + timedelta(hours=i), details={"n": i, "nested": {"deep": [i]}}) for i in range(5)]
    for r in made:
        st.add_record(r)
    assert st.records() == made
    assert (d / "history" / "2026-11.toml").read_text().count("[[session]]") == 5


def test_add_record_to_hand_written_inline_month(st, d):
    (d / "history" / "2026-11.toml").write_text(
        "schema_version = 2\n"
        'session = [{id = "x", kind = "heat", started = 2026-11-02T10:00:00Z,'
        " ended = 2026-11-02T10:20:00Z, completed = true}]\n"
    )
    st.add_record(rec(datetime(2026, 11, 3, tzinfo=timezone.utc)))
    assert [r.id for r in st.records()][0] == "x" and len(st.records()) == 2
    assert st.notices == []


def test_update_record_replaces_by_id_or_appends(st):
    start = datetime(2026, 11, 20, 9, tzinfo=timezone.utc)
    other = rec(start - timedelta(days=1))
    running = Record(kind="heat", started=start, ended=start, completed=False)
    st.add_record(other)
    st.add_record(running)
    done = running.model_copy(update={"ended": start + timedelta(minutes=20), "completed": True, "pain_after": 2})
    st.update_record(done)
    assert st.records() == [other, done]
    new = rec(start + timedelta(days=1))
    st.update_record(new)
    assert st.records() == [other, done, new]


def test_records_filters(st):
    t0 = datetime(2026, 9, 15, 12, tzinfo=timezone.utc)
    made = [rec(t0 + timedelta(days=20 * i), kind=KINDS[i % 3]) for i in range(6)]  # Sep..Dec
    for r in reversed(made):
        st.add_record(r)
    assert st.records() == made
    assert st.records(since=date(2026, 10, 25)) == made[2:]
    assert st.records(since=made[2].started) == made[2:]
    assert st.records(since=made[2].started + timedelta(seconds=1)) == made[3:]
    assert [r.kind for r in made[:3]] == ["triage", "heat", "cold"]
    assert st.records(kinds=["heat"]) == [made[1], made[4]]
    assert st.records(kinds="cold") == [made[2], made[5]]
    assert st.records(since=date(2026, 11, 1), kinds={"triage", "cold"}) == [made[3], made[5]]
    assert st.records(since=date(2030, 1, 1)) == []
    assert st.records(before=made[2].started) == made[:2]
    assert st.records(since=date(2026, 10, 1), before=date(2026, 11, 1)) == made[1:3]  # one month


def test_records_of_one_month_read_that_month_only(st, monkeypatch):
    t0 = datetime(2026, 9, 15, 12, tzinfo=timezone.utc)
    for i in range(4):  # Sep..Dec
        st.add_record(rec(t0 + timedelta(days=30 * i)))
    asked: list[str] = []
    real_records = Hints.records
    monkeypatch.setattr(Hints, "records", lambda self, m: asked.append(m) or real_records(self, m))
    got = st.records(since=date(2026, 10, 1), before=date(2026, 11, 1))
    assert [f"{r.started:%Y-%m}" for r in got] == ["2026-10"] and asked == ["2026-10"]


def test_bad_record_is_one_line_error(st, d):
    r = rec(NOW)
    r.pain_after = 11  # models do not validate on assignment; the store does
    with pytest.raises(StoreError) as e:
        st.add_record(r)
    assert "pain_after" in one_line(e)
    with pytest.raises(StoreError) as e:
        st.add_record(rec(NOW, details={"x": {1, 2}}))
    assert "2026-11.toml" in one_line(e)
    assert st.months() == [] and temp_files(d) == []


# --- privacy --------------------------------------------------------------------------------------


def test_everything_private_even_with_umask_0(tmp_path):
    old = os.umask(0)
    try:
        data = tmp_path / "new" / "deeper" / "data"
        s = Store(data, now=lambda: NOW)
        s.update_state(lambda st: setattr(st, "notice_accepted", True))
        s.add_record(rec(NOW))
        s.add_record(rec(NOW))
        (data / "history" / "2026-10.toml").write_text("broken [")
        s.records()
        s.add_record(rec(datetime(2026, 10, 2, tzinfo=timezone.utc)))  # a write sets it aside
    finally:
        os.umask(old)
    for p in (tmp_path / "new", tmp_path / "new" / "deeper", data, data / "history"):
        assert mode(p) == 0o700, p
    files = [p for p in data.rglob("*") if p.is_file()]
    assert {p.name for p in files} >= {"state.toml", ".lock", "2026-11.toml", "2026-10.toml.corrupt-20261125T142233Z"}
    for p in files:
        assert mode(p) == 0o600, p


@pytest.mark.parametrize("wide", [0o775, 0o757, 0o777])
def test_data_dir_others_can_write_is_refused_not_chmodded(d, wide):
    d.mkdir()
    os.chmod(d, wide)
    with pytest.raises(StoreError) as e:
        Store(d)
    assert f"mode {wide:04o}" in one_line(e) and f"chmod go-w {d}" in one_line(e)
    assert mode(d) == wide and list(d.iterdir()) == []


def test_readable_by_group_is_fine_and_left_as_it_is(d):
    d.mkdir()
    os.chmod(d, 0o750)
    Store(d).update_state(lambda s: setattr(s, "notice_accepted", True))
    assert mode(d) == 0o750 and mode(d / "history") == 0o700


def test_data_dir_of_another_user_is_refused(d):
    d.mkdir(mode=0o700)
    (d / "state.toml").write_text("notice_accepted = true\n")
    os.chown(d, 1000, 1000)
    for make in (Store, lambda p: Store(p, read_only=True)):
        with pytest.raises(StoreError) as e:
            make(d)
        assert f"is owned by uid 1000, not by you (uid {os.getuid()})" in one_line(e)
    assert os.stat(d).st_uid == 1000 and mode(d) == 0o700
    assert sorted(p.name for p in d.iterdir()) == ["state.toml"]


# --- locking --------------------------------------------------------------------------------------


def test_held_lock_gives_one_line_error(d):
    s = Store(d, lock_timeout=0)
    s.update_state(lambda st: setattr(st, "notice_accepted", True))
    other = filelock.FileLock(str(d / ".lock"))
    with other:
        for attempt in (
            lambda: s.update_state(lambda st: None),
            lambda: s.add_record(rec(NOW)),
        ):
            with pytest.raises(StoreError) as e:
                attempt()
            assert "another neck-tui is holding the lock on" in one_line(e)
            assert str(d / ".lock") in str(e.value)
        assert s.load().notice_accepted  # reading needs no lock
    assert s.months() == []


def _append_many(data_dir: str, tag: str, go) -> None:
    os.fsync = lambda fd: None  # this child tests the lock, not durability; fsync would only slow it
    go.wait()
    s = Store(Path(data_dir))
    base = datetime(2026, 1, 1, tzinfo=timezone.utc)
    for i in range(200):
        # Both writers share the same few month files, so every append races the other process.
        started = base.replace(month=1 + i % 10) + timedelta(minutes=i)
        s.add_record(Record(id=f"{tag}-{i}", kind="heat", started=started, ended=started, completed=True))


def test_two_processes_appending_lose_nothing(d):
    Store(d)
    go = FORK.Event()
    procs = [FORK.Process(target=_append_many, args=(str(d), tag, go), daemon=True) for tag in "ab"]
    for p in procs:
        p.start()
    go.set()
    try:
        for p in procs:
            p.join(60)
            assert p.exitcode == 0
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
    s = Store(d)
    ids = [r.id for r in s.records()]
    assert len(ids) == 400 and set(ids) == {f"{t}-{i}" for t in "ab" for i in range(200)}
    assert s.notices == []


# --- corruption -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"schema_version = 2\nnotice_accepted = tru", "not valid TOML"),
        (b"notice_accepted = true\n\xff\xfe\n", "not UTF-8"),
        (b"schema_version = 1\n", "schema_version"),
    ],
)
def test_corrupt_state_is_read_as_defaults_and_kept_on_the_next_write(st, d, content, reason):
    d.joinpath("state.toml").write_bytes(content)
    assert st.load() == State()
    assert d.joinpath("state.toml").read_bytes() == content  # reading never writes
    [notice] = st.notices
    assert "\n" not in notice and reason in notice and "state.toml" in notice
    assert sorted(p.name for p in d.iterdir()) == ["history", "state.toml"]
    # The next write keeps a copy first and leaves that copy alone.
    st.update_state(lambda s: setattr(s, "notice_accepted", True))
    aside = d / "state.toml.corrupt-20261125T142233Z"
    assert aside.read_bytes() == content and str(aside) in st.notices[-1]
    assert Store(d).load().notice_accepted and mode(aside) == 0o600


def test_one_bad_setting_falls_back_alone(st, d):
    content = (
        b'schema_version = 2\nnotice_accepted = true\n[settings]\ntheme = "nord"\nbell = "loud"\n'
        b'break_interval_min = 5\n[[settings.custom_patterns]]\nname = "calm"\ninhale = 4\nhold_in = 0\n'
        b'exhale = 6\nhold_out = 0\ncycles = 5\n[[settings.custom_patterns]]\nname = "bad"\n'
    )
    d.joinpath("state.toml").write_bytes(content)
    state = st.load()
    assert state.notice_accepted is True and state.settings.theme == "nord"
    assert state.settings.bell is True and state.settings.break_interval_min == 45
    assert [p.name for p in state.settings.custom_patterns] == ["calm"]
    assert len(st.notices) == 3 and all("\n" not in n and "state.toml" in n for n in st.notices)
    assert any("settings.bell" in n for n in st.notices)
    assert d.joinpath("state.toml").read_bytes() == content
    st.update_state(lambda s: setattr(s.settings, "reduced_motion", True))
    assert d.joinpath("state.toml.corrupt-20261125T142233Z").read_bytes() == content
    again = Store(d).load()
    assert again.notice_accepted and again.settings.theme == "nord" and again.settings.reduced_motion


def test_second_corrupt_copy_gets_a_counter(st, d):
    for n in range(3):
        d.joinpath("state.toml").write_text(f"broken {n} [")
        st.update_state(lambda s: None)
        d.joinpath("state.toml").write_text(f"broken {n} [")
    names = sorted(p.name for p in d.glob("state.toml.corrupt-*"))
    assert names == [
        "state.toml.corrupt-20261125T142233Z",
        "state.toml.corrupt-20261125T142233Z-2",
        "state.toml.corrupt-20261125T142233Z-3",
    ]


def test_corrupt_month_is_skipped_then_set_aside_on_a_write(st, d):
    st.add_record(good := rec(datetime(2026, 10, 5, tzinfo=timezone.utc)))
    bad = d / "history" / "2026-11.toml"
    bad.write_text("schema_version = 2\n[[session]\n")  # not TOML
    assert st.records() == [good]
    assert bad.exists() and "history/2026-11.toml" in st.notices[0] and "unchanged" in st.notices[0]
    assert list(d.rglob("*.corrupt-*")) == []
    st.add_record(new := rec(datetime(2026, 11, 6, tzinfo=timezone.utc)))
    aside = d / "history" / "2026-11.toml.corrupt-20261125T142233Z"
    assert aside.read_text() == "schema_version = 2\n[[session]\n" and str(aside) in st.notices[-1]
    assert st.records() == [good, new]
    bad.write_bytes(b"\x80\x81")  # corrupt again; add_record must not overwrite it
    st.add_record(newer := rec(datetime(2026, 11, 7, tzinfo=timezone.utc)))
    assert st.records() == [good, newer]
    assert (d / "history" / "2026-11.toml.corrupt-20261125T142233Z-2").read_bytes() == b"\x80\x81"


def test_newer_schema_is_refused_untouched(st, d):
    content = b"schema_version = 3\nnotice_accepted = true\nfuture = 1\n"
    d.joinpath("state.toml").write_bytes(content)
    for attempt in (st.load, lambda: st.update_state(lambda s: None)):
        with pytest.raises(StoreError) as e:
            attempt()
        assert "state.toml was written by a newer neck-tui (schema 3)" in one_line(e)
    assert d.joinpath("state.toml").read_bytes() == content
    assert sorted(p.name for p in d.iterdir()) == [".lock", "history", "state.toml"]
    assert st.notices == []

    d.joinpath("state.toml").unlink()
    month = d / "history" / "2026-11.toml"
    month.write_bytes(b"schema_version = 9\n")
    assert st.records() == []  # a read skips it and says so
    assert "newer neck-tui (schema 9)" in st.notices[0]
    with pytest.raises(StoreError, match="newer neck-tui"):
        st.add_record(rec(NOW))
    assert month.read_bytes() == b"schema_version = 9\n"


def test_unreadable_file_is_a_one_line_error(st, d, monkeypatch):
    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(Path, "read_bytes", denied)
    d.joinpath("state.toml").write_text("schema_version = 2\n")
    with pytest.raises(StoreError) as e:
        st.load()
    assert one_line(e) == f"cannot read {d / 'state.toml'}: Permission denied"


# --- migration from schema 1 ----------------------------------------------------------------------

V1 = """\
version = 1
disclaimer_accepted = true

[settings]
theme = "nord"
bell = false
break_interval_min = 5
preference = "heat"

[[sessions]]
id = "a1"
kind = "heat"
start = 2025-01-31T23:30:00Z
end = 2025-01-31T23:50:00Z
completed = true
pain_before = 6
pain_after = 3
regimen = "heat 20/30"
skin_checks = [true, true]

[[sessions]]
id = 2
kind = "breathing"
start = 2025-02-01T08:00:00+02:00
end = 2025-02-01T08:02:00+02:00
completed = false
pattern = "box"

[[sessions]]
kind = "posture_break"
start = 2025-03-10T12:00:00
end = 2025-03-10T12:02:00
completed = true

[[sessions]]
id = "bad"
kind = 7
start = 2025-03-11T12:00:00Z
end = 2025-03-11T12:02:00Z
completed = true
"""


def test_migrates_v1(st, d):
    d.joinpath("progress.toml").write_text(V1)
    state = st.load()
    assert state.notice_accepted is True
    assert state.settings.theme == "nord" and state.settings.bell is False
    assert state.settings.preference == "heat" and state.settings.break_interval_min == 45  # 5 was invalid
    assert not d.joinpath("progress.toml").exists()
    assert d.joinpath("progress.toml.migrated-v1").read_text() == V1
    assert mode(d / "progress.toml.migrated-v1") == 0o600
    assert st.months() == ["2025-01", "2025-02", "2025-03"]
    a1, a2, naive = st.records()
    assert (a1.id, a1.pain_before, a1.pain_after) == ("a1", 6, 3)
    assert a1.details == {"regimen": "heat 20/30", "skin_checks": [True, True]}
    assert a2.id == "2" and a2.started == datetime(2025, 2, 1, 6, tzinfo=timezone.utc)
    assert a2.details == {"pattern": "box"}
    assert a2.completed is False
    assert naive.kind == "posture_break" and naive.started.tzinfo is timezone.utc and naive.duration_s == 120
    [notice] = st.notices
    assert "\n" not in notice and "progress.toml.migrated-v1" in notice
    assert "1 session(s)" in notice and "break_interval_min" in notice
    again = Store(d)
    assert again.load() == state and again.records() == [a1, a2, naive] and again.notices == []


def test_migration_runs_before_any_use(d):
    d.mkdir()
    d.joinpath("progress.toml").write_text(V1)
    s = Store(d)
    s.update_state(lambda st: setattr(st.settings, "theme", "gruvbox"))  # before load()
    assert len(s.records()) == 3
    assert s.load().settings.bell is False and s.state.settings.theme == "gruvbox"


def test_interrupted_migration_reruns_without_duplicates(st, d, monkeypatch):
    d.joinpath("progress.toml").write_text(V1)
    real = Store._write

    def fail_on_state(self, path, data):
        if path.name == "state.toml":
            raise StoreError("disk full")
        real(self, path, data)

    monkeypatch.setattr(Store, "_write", fail_on_state)
    with pytest.raises(StoreError):
        st.load()
    assert d.joinpath("progress.toml").exists() and st.months()  # month files were written
    monkeypatch.setattr(Store, "_write", real)
    s = Store(d)
    assert s.load().notice_accepted
    assert len(s.records()) == 3


def test_corrupt_v1_is_kept_aside(st, d):
    d.joinpath("progress.toml").write_text("version = 1\n[[sessions]\n")
    assert st.load() == State()
    assert d.joinpath("progress.toml.corrupt-20261125T142233Z").exists()
    assert "progress.toml" in st.notices[0]


# --- scale: cost must not grow with total history --------------------------------------------------


def test_ten_years_of_history_structure(st, d, monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)  # speed only; durability is tested below
    start = datetime(2016, 12, 1, tzinfo=timezone.utc)
    details = {"regimen": "heat", "phases_done": 2, "skin_checks": [True, True]}
    by_month: dict[str, list[Record]] = {}
    for i in range(11_000):
        r = rec(start + timedelta(minutes=479 * i), pain_before=5, pain_after=3, details=details)
        by_month.setdefault(r.started.strftime("%Y-%m"), []).append(r)
    for month, records in by_month.items():
        st._write_month(month, records)
    assert len(st.months()) == len(by_month) >= 120

    reads: list[str] = []
    writes: list[str] = []
    real_read, real_write = files_mod.read_bytes, files_mod.write_atomic
    monkeypatch.setattr(files_mod, "read_bytes", lambda p: reads.append(p.name) or real_read(p))
    monkeypatch.setattr(files_mod, "write_atomic", lambda p, b: writes.append(p.name) or real_write(p, b))

    Store(d).load()
    assert reads == ["state.toml"]

    reads.clear()
    last = sorted(by_month)[-1]
    st.add_record(rec(datetime.strptime(last, "%Y-%m").replace(day=2, tzinfo=timezone.utc)))
    assert reads == [f"{last}.toml"] and writes == [f"{last}.toml"]

    reads.clear()
    asked: list[str] = []
    real_records = Hints.records
    monkeypatch.setattr(Hints, "records", lambda self, m: asked.append(m) or real_records(self, m))
    recent = st.records(since=date(2026, 10, 1))
    # Only the months from since on, each from the records cache the store wrote beside it.
    assert sorted(set(asked)) == [m for m in sorted(by_month) if m >= "2026-10"] and reads == []
    cutoff = datetime(2026, 10, 1, tzinfo=timezone.utc)
    expected = sum(r.started >= cutoff for rs in by_month.values() for r in rs) + 1  # + the one just added
    assert len(recent) == expected and all(r.started >= cutoff for r in recent)


# --- crashes --------------------------------------------------------------------------------------


def test_failed_replace_keeps_old_file(st, d, monkeypatch):
    st.update_state(lambda s: setattr(s, "notice_accepted", True))
    st.add_record(first := rec(NOW))
    old_state = (d / "state.toml").read_bytes()
    old_month = (d / "history" / "2026-11.toml").read_bytes()

    def boom(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(StoreError) as e:
        st.update_state(lambda s: setattr(s.settings, "bell", False))
    assert one_line(e) == f"cannot write {d / 'state.toml'}: No space left on device"
    with pytest.raises(StoreError):
        st.add_record(rec(NOW))
    assert (d / "state.toml").read_bytes() == old_state
    assert (d / "history" / "2026-11.toml").read_bytes() == old_month
    assert temp_files(d) == []
    monkeypatch.undo()
    assert Store(d).records() == [first]


def test_interrupt_during_fsync_keeps_old_file(st, d, monkeypatch):
    st.update_state(lambda s: setattr(s, "notice_accepted", True))
    old = (d / "state.toml").read_bytes()

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        st.update_state(lambda s: setattr(s.settings, "bell", False))
    monkeypatch.undo()
    assert (d / "state.toml").read_bytes() == old and temp_files(d) == []


def test_leftover_temp_files_are_ignored_then_swept(st, d):
    st.update_state(lambda s: setattr(s, "notice_accepted", True))
    (d / ".state.toml.tmp-abc123").write_text("notice_accepted = fa")
    (d / "history" / ".2026-11.toml.tmp-xyz").write_bytes(b"\x00")
    s = Store(d)
    assert s.load().notice_accepted and s.months() == [] and s.notices == []
    s.add_record(rec(NOW))
    assert temp_files(d) == []


def _write_forever(data_dir: str, conn, pause_in: str | None, pause_at: int) -> None:
    if pause_in:  # stop inside the pause_at-th call of os.<pause_in> and wait there to be killed
        real, calls = getattr(os, pause_in), iter(range(1, 10_000))

        def pausing(*args):
            if next(calls) == pause_at:
                conn.send("paused")
                conn.recv()
            return real(*args)

        setattr(os, pause_in, pausing)
    s = Store(Path(data_dir))
    start = datetime(2026, 11, 1, tzinfo=timezone.utc)
    i = 0
    while True:
        i += 1
        s.set_in_progress({"n": i, "pad": str(i % 10) * 20_000})
        s.add_record(Record(id=f"r{i}", kind="cold", started=start + timedelta(minutes=i), ended=start, completed=True))
        conn.send(i)


KILL_POINTS = [(None, n) for n in (1, 2, 5, 9)] + [("replace", n) for n in range(1, 6)] + [
    ("fsync", n) for n in range(1, 11)  # odd: the temp file's fsync; even: the directory's
]


@pytest.mark.parametrize(("pause_in", "at"), KILL_POINTS)
def test_sigkill_mid_write_leaves_old_or_new(d, pause_in, at):
    Store(d)
    parent, child = FORK.Pipe()
    p = FORK.Process(target=_write_forever, args=(str(d), child, pause_in, at), daemon=True)
    p.start()
    acked = 0
    try:
        for _ in range(100):
            assert parent.poll(30), "writer died or hung"
            msg = parent.recv()
            if msg == "paused":
                break
            acked = msg
            if pause_in is None and acked == at:
                break
        else:
            pytest.fail("writer never reached the kill point")
    finally:
        os.kill(p.pid, signal.SIGKILL)  # also when the test fails: never leave a writer running
        p.join(10)
    assert p.exitcode == -signal.SIGKILL

    s = Store(d)
    state = s.load()
    n = state.in_progress["n"] if state.in_progress else 0
    assert n >= acked and state.in_progress in (None, {"n": n, "pad": str(n % 10) * 20_000})
    ids = [r.id for r in s.records()]
    assert ids == [f"r{i}" for i in range(1, len(ids) + 1)] and len(ids) in (n - 1, n) and len(ids) >= acked
    assert s.notices == []
    s.set_in_progress(None)
    assert temp_files(d) == []


def test_append_skips_reparsing_a_month_it_wrote_but_checks_one_changed_since(d, monkeypatch):
    t0 = datetime(2026, 11, 3, 9, tzinfo=timezone.utc)
    Store(d).add_record(rec(t0))
    parsed = []
    real_decode = months_mod.decode
    monkeypatch.setattr(months_mod, "decode", lambda raw: parsed.append(len(raw)) or real_decode(raw))

    # A new process (a new Store) appends to the month this store wrote: no re-parse.
    Store(d).add_record(rec(t0 + timedelta(hours=1)))
    assert parsed == []
    assert len(Store(d).records()) == 2
    parsed.clear()

    # Someone else changed the file since: the next save reads it in full, finds it corrupt,
    # keeps it aside and starts the month afresh; nothing is appended into the bad file.
    month = d / "history" / "2026-11.toml"
    month.write_bytes(month.read_bytes() + b"\nthis is = = not toml\n")
    fresh = Store(d)
    fresh.add_record(rec(t0 + timedelta(hours=2)))
    assert parsed  # it was parsed
    [aside] = list((d / "history").glob("2026-11.toml.corrupt-*"))
    assert b"not toml" in aside.read_bytes()
    assert [r.started for r in Store(d).records()] == [t0 + timedelta(hours=2)]
    assert mode(d / "history" / ".2026-11.summary.json") == 0o600


def test_datetimes_inside_details_read_back_as_datetimes_from_every_cache(tmp_path: Path) -> None:
    # The JSON records cache must not turn a skin check's time into a string (History shows it).
    when = datetime(2026, 11, 25, 6, 2, tzinfo=timezone.utc)
    store = Store(tmp_path / "data")
    store.add_record(Record(kind="heat", started=when, ended=when, completed=True,
                            details={"skin_checks": [{"at": when, "answer": "ok"}]}))
    for reader in (Store(tmp_path / "data"), Store(tmp_path / "data")):  # cold, then from the cache
        [record] = reader.records()
        assert record.details["skin_checks"][0]["at"] == when
