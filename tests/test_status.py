"""`neck-tui status`: the line, --json and --format from the app's checkpoint, on a fake clock."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator

import pytest
import tomli_w

from neck_tui import status, status_data
from neck_tui.lifecycle import Saver, Session
from neck_tui.store import Record, Store, default_data_dir
from neck_tui.terminal.session_lock import SessionLock
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parent.parent
HEAT = [{"kind": "heat", "label": "Heat", "seconds": 900.0}, {"kind": "off", "label": "Off", "seconds": 600.0}]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def lock(data_dir: Path, accepted_store: Store) -> Iterator[SessionLock]:
    held = SessionLock(data_dir)  # the data dir exists: the store has written state.toml
    held.acquire()
    yield held
    held.release()


def checkpoint(store: Store, clock: FakeClock, kind: str = "heat", **state: Any) -> None:
    Session(Saver(store, print), kind, clock.now, state=lambda: dict(state)).checkpoint()


def at(store: Store, clock: FakeClock) -> dict[str, Any]:
    return status.collect(str(store.data_dir), now=clock.now().timestamp())


def test_thermal_checkpoint_counts_down_and_rolls_into_the_off_phase(store, clock, lock) -> None:
    checkpoint(store, clock, phases=HEAT, elapsed=60.0, paused=False)
    s = at(store, clock)
    assert s["running"] and s["kind"] == "heat" and (s["phase"], s["left"]) == ("HEAT", "14:00")
    assert s["line"] == "HEAT 14:00 · breathing 0/1-2"
    clock.advance(14 * 60 + 30)  # no new checkpoint (the app checkpoints every 15 s, say it stalled)
    assert (at(store, clock)["phase"], at(store, clock)["left"]) == ("OFF", "9:30")


def test_paused_session_does_not_count_down(store, clock, lock) -> None:
    checkpoint(store, clock, phases=HEAT, elapsed=60.0, paused=True)
    clock.advance(300)
    s = at(store, clock)
    assert s["left"] == "14:00" and s["paused"] and s["line"].startswith("HEAT 14:00 paused")


def test_common_keys_win_over_the_thermal_phases(store, clock, lock) -> None:
    due = clock.now() + timedelta(minutes=31, seconds=10)
    checkpoint(
        store, clock, kind="breathing", phase_label="Breathe in", phase_left=3.0, paused=False,
        skin_check_due=True, break_due_at=due,
    )  # fmt: skip
    clock.advance(1)
    s = at(store, clock)
    assert (s["phase"], s["seconds_left"], s["skin_check_due"], s["break_in"]) == ("Breathe in", 2, True, "32m")
    assert s["line"] == "Breathe in 0:02 · skin check · break in 32m · breathing 0/1-2"
    clock.advance(31 * 60 + 10)
    assert at(store, clock)["break_due"] and "break now" in at(store, clock)["line"]


def test_a_breaks_screen_waiting_in_another_pane_adds_the_next_break(store, clock, lock, data_dir) -> None:
    checkpoint(store, clock, phases=HEAT, elapsed=60.0, paused=False)
    breaks = SessionLock(data_dir, status_data.BREAKS_LOCK)  # as neck_tui.screens.breaks holds it
    breaks.note(f"{clock.now().timestamp() + 32 * 60}")
    assert at(store, clock)["line"] == "HEAT 14:00 · break in 32m · breathing 0/1-2"
    breaks.note("")  # outside working hours
    assert at(store, clock)["break_in"] is None
    breaks.note(f"{clock.now().timestamp() + 60}")
    breaks.release()  # the screen or the app is gone: nothing stale
    assert at(store, clock)["line"] == "HEAT 14:00 · breathing 0/1-2"


def test_nothing_stale_once_the_app_is_gone(store, clock, data_dir) -> None:
    checkpoint(store, clock, phases=HEAT, elapsed=0.0, paused=False)  # as the app: write, then lock
    held = SessionLock(data_dir)
    held.acquire()
    assert at(store, clock)["running"]
    held.release()  # the app ended (or was killed: the kernel drops the lock the same way)
    s = at(store, clock)
    assert not s["running"] and s["phase"] is None and s["line"] == "breathing 0/1-2"


def test_a_new_checkpoint_is_read_not_the_cached_one(store, clock, lock) -> None:
    checkpoint(store, clock, phases=HEAT, elapsed=0.0, paused=False)
    assert at(store, clock)["left"] == "15:00"
    assert (store.data_dir / status_data.CACHE_FILE).exists()
    checkpoint(store, clock, phases=HEAT, elapsed=0.0, paused=True)
    assert at(store, clock)["paused"]


def test_breathing_today_counts_completed_sessions_of_the_local_day(store, clock) -> None:
    now = clock.now()

    def add(started: datetime, completed: bool = True, kind: str = "breathing") -> None:
        store.add_record(Record(kind=kind, started=started, ended=started + timedelta(minutes=2), completed=completed))

    add(now - timedelta(hours=1))
    add(now - timedelta(minutes=30), completed=False)
    add(now - timedelta(minutes=20), kind="heat")
    add(now - timedelta(days=1))
    assert at(store, clock)["breathing_today"] == 1
    add(now - timedelta(minutes=5))  # a new save is seen at once
    assert at(store, clock)["breathing"] == "2/1-2"


def test_unreadable_files_give_a_line_not_a_traceback(store, clock, lock, data_dir) -> None:
    (data_dir / "state.toml").write_text("in_progress = [broken")
    (data_dir / status_data.CACHE_FILE).write_bytes(b"not marshal")
    assert at(store, clock)["line"] == "breathing 0/1-2"


def test_json_and_format_from_the_command(data_dir, store, clock) -> None:
    store.update_state(lambda s: None)
    result = run("status", "--data-dir", str(data_dir), "--json")
    assert result.returncode == 0 and json.loads(result.stdout)["breathing_goal_max"] == 2
    result = run("--data-dir", str(data_dir), "status", "--format", "{breathing_today} of {breathing_goal_min}")
    assert result.stdout == "0 of 1\n"
    result = run("status", "--data-dir", str(data_dir), "--format", "{nope}")
    assert result.returncode == 2 and "nope" in result.stderr and "Traceback" not in result.stderr
    assert run("status", "--wat").returncode == 2


def test_status_imports_nothing_heavy(data_dir, store) -> None:
    code = (
        "import sys; from neck_tui.entry import main; main(['status', '--data-dir', sys.argv[1]]);"
        "heavy = {'textual', 'pydantic', 'neck_tui.store', 'neck_tui.content', 'tomllib', 'argparse', 'json'};"
        "print(sorted(heavy & set(sys.modules)))"
    )
    store.update_state(lambda s: None)
    run_once = [sys.executable, "-c", code, str(data_dir)]
    subprocess.run(run_once, capture_output=True, cwd=ROOT, check=True)  # the first run fills the cache
    assert subprocess.run(run_once, capture_output=True, text=True, cwd=ROOT).stdout.splitlines()[-1] == "[]"


@pytest.mark.parametrize("xdg", ["", "/tmp/xdg-data"])
def test_the_data_dir_is_the_stores(monkeypatch: pytest.MonkeyPatch, xdg: str) -> None:
    monkeypatch.delenv("NECK_TUI_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", xdg)
    assert status_data.data_dir() == str(default_data_dir())


def test_content_dir_may_change_the_goal(tmp_path, data_dir, store, clock) -> None:
    extra = tmp_path / "extra"
    extra.mkdir()
    (extra / "mine.toml").write_text(tomli_w.dumps({"breathing": {"daily_goal_min": 3, "daily_goal_max": 3}}))
    s = status.collect(str(data_dir), now=clock.now().timestamp(), content_dirs=[str(extra)])
    assert s["breathing"] == "0/3"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TZ": "UTC"}
    return subprocess.run([sys.executable, "-m", "neck_tui", *args], capture_output=True, text=True, cwd=ROOT, env=env)
