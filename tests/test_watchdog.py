"""A terminal that goes away: a closed stdin without SIGHUP, the watchdog, and the session kept or saved."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest

from neck_tui.store import Store
from neck_tui.terminal import watchdog
from neck_tui.terminal.watchdog import StdinWatchdog, watch_stdin

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 10.0  # upper bound for anything a background thread or a child process must do

# --- stdin closed without a SIGHUP --------------------------------------------------------------


def test_watchdog_fires_once_when_a_pipe_closes() -> None:
    r, w = os.pipe()
    calls: list[int] = []
    fired = threading.Event()
    dog = StdinWatchdog(r, lambda: (calls.append(1), fired.set()), interval=0.05).start()
    try:
        assert not fired.wait(0.2)  # open pipe: nothing
        os.close(w)
        assert fired.wait(WAIT_S)
        dog.join(WAIT_S)
        assert calls == [1]
    finally:
        dog.stop()
        os.close(r)


def test_watchdog_fires_when_the_pty_master_goes_away() -> None:
    master, slave = pty.openpty()
    fired = threading.Event()
    dog = StdinWatchdog(slave, fired.set, interval=0.05).start()
    try:
        os.close(master)
        assert fired.wait(WAIT_S)
    finally:
        dog.stop()
        os.close(slave)


def test_stopped_watchdog_stays_quiet() -> None:
    r, w = os.pipe()
    fired = threading.Event()
    dog = StdinWatchdog(r, fired.set, interval=0.05).start()
    dog.stop()
    dog.join(WAIT_S)
    os.close(w)
    try:
        assert not fired.is_set()
    finally:
        os.close(r)


class FakeApp:
    def __init__(self) -> None:
        self.gone: list[str] = []
        self.hung_up: list[str] = []
        self.event = threading.Event()

    def terminal_gone(self, reason: str) -> None:
        self.gone.append(reason)
        self.event.set()

    def hang_up(self, reason: str) -> None:
        self.hung_up.append(reason)


async def test_watch_stdin_asks_the_app_to_save_and_exit_on_its_loop() -> None:
    r, w = os.pipe()
    app = FakeApp()
    exits: list[int] = []
    dog = watch_stdin(app, r, grace=WAIT_S, hard_exit=exits.append)  # type: ignore[arg-type]
    try:
        os.close(w)
        await asyncio.wait_for(asyncio.to_thread(app.event.wait, WAIT_S), WAIT_S)
        assert app.gone == ["stdin closed"]
        dog.stop()  # what the app does when it unmounts
        dog.join(WAIT_S)
        assert exits == [] and app.hung_up == []
    finally:
        dog.stop()
        os.close(r)


async def test_watch_stdin_leaves_regardless_when_the_app_is_stuck() -> None:
    r, w = os.pipe()
    app = FakeApp()
    exited = threading.Event()
    exits: list[int] = []
    dog = watch_stdin(app, r, grace=0.05, hard_exit=lambda code: (exits.append(code), exited.set()))  # type: ignore[arg-type]
    try:
        os.close(w)
        assert await asyncio.to_thread(exited.wait, WAIT_S)
        assert app.hung_up == ["stdin closed"]  # saved or kept before leaving
        assert exits == [watchdog.EXIT_STDIN_CLOSED]
    finally:
        dog.stop()
        os.close(r)


def _leaving(app: Any) -> list[int]:
    """Instead of ending the test process: note the exit code and exit the app."""
    codes: list[int] = []
    app.leave_now = lambda code: (codes.append(code), app.exit(code, return_code=code))
    return codes


async def test_terminal_gone_saves_a_session_without_checkpoint_and_leaves(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    app = make_app()
    codes = _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        app.begin_session(app.new_session("breathing", pain_before=6))
        app.terminal_gone("stdin closed")
        await pilot.pause()
    assert codes == [watchdog.EXIT_STDIN_CLOSED]
    assert app.session is None
    [record] = Store(accepted_store.data_dir).records()
    assert record.completed is False
    assert record.details["stopped"] == "stdin closed"
    assert record.pain_before == 6


@pytest.mark.parametrize("how", ["stdin closed", "SIGHUP"])
async def test_hang_up_keeps_a_checkpointed_session_for_resume(
    make_app: Callable[..., Any], accepted_store: Store, how: str
) -> None:
    app = make_app()
    codes = _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        session = app.new_session("heat", pain_before=6, resumable=True, state=lambda: {"phase": "heat"})
        app.begin_session(session)
        if how == "SIGHUP":
            app._on_signal(signal.SIGHUP)
        else:
            app.terminal_gone(how)
        await pilot.pause()
        # The checkpoint stays: the next start offers to resume.
        assert Store(accepted_store.data_dir).load().in_progress is not None
    assert codes == [128 + signal.SIGHUP]
    # Saved as not completed all the same (a resume or a decline replaces this record).
    [record] = Store(accepted_store.data_dir).records()
    assert record.id == session.id and record.completed is False
    assert record.details["stopped"] == how


async def test_hang_up_saves_a_session_whose_checkpoint_is_not_the_one_kept(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    """Posture breaks in one tmux pane, heat (checkpointed) in another: the breaks pane's link
    drops. Its own session must be saved, whatever [in_progress] holds."""
    app = make_app()
    _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        accepted_store.set_in_progress({"id": "other-pane", "kind": "heat", "resumable": True})  # the other pane
        app.begin_session(app.new_session("posture_break"))
        app.hang_up("SIGHUP")
        await pilot.pause()
    store = Store(accepted_store.data_dir)
    [record] = store.records()
    assert record.kind == "posture_break" and record.details["stopped"] == "SIGHUP"
    assert store.load().in_progress is not None  # the other one's checkpoint is untouched


RUNNING_BREATHING = """
import sys
from neck_tui.app import NeckApp
from neck_tui.content import load_content
from neck_tui.store import Store, default_data_dir


class Running(NeckApp):
    def on_ready(self) -> None:
        # A running session that keeps no checkpoint: a hang-up must save it.
        self.begin_session(self.new_session("breathing", pain_before=5))
        (self.store.data_dir / "ready").write_text(str(self.console.color_system))


store = Store(default_data_dir())
store.load()
app = Running(load_content(), store)
app.run()
sys.exit(app.return_code or 0)
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PtyApp:
    """neck-tui in a pseudo-terminal that is NOT its controlling terminal: closing the master
    end takes its stdin away without any SIGHUP."""

    def __init__(self, args: list[str], data_dir: Path, cwd: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_COLOR_SYSTEM")}
        env.update(NECK_TUI_DATA_DIR=str(data_dir), TERM="linux", PYTHONPATH=str(ROOT))  # 16 colours
        self.child = subprocess.Popen(
            [sys.executable, *args], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            start_new_session=True,  # a new session without a controlling terminal
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output.extend(chunk)

    def wait_for(self, done: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.child.poll() is None, f"app exited early: {bytes(self.output)[-400:]!r}"
            assert time.monotonic() < deadline, f"no {what}: {bytes(self.output)[-400:]!r}"
            time.sleep(0.05)  # real process, real time

    def wait_text(self, text: bytes) -> None:
        self.wait_for(lambda: text in self.output, repr(text))

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close_terminal(self) -> tuple[float, float]:
        """Close the master end; wait for the app to exit. (seconds it took, CPU seconds used)."""
        cpu_before = _cpu_seconds(self.child.pid)
        self._stop.set()
        self._reader.join(WAIT_S)
        os.close(self.master)
        self.master = -1
        closed_at = time.monotonic()
        pid = 0
        while time.monotonic() - closed_at < WAIT_S:
            pid, status, usage = os.wait4(self.child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)  # real process, real time
        assert pid, "the app kept running after its terminal went away"
        took = time.monotonic() - closed_at
        self.child.returncode = os.waitstatus_to_exitcode(status)
        return took, usage.ru_utime + usage.ru_stime - cpu_before

    def cleanup(self) -> None:
        if self.child.returncode is None:
            self.child.kill()
            self.child.wait()
        if self.master >= 0:
            self._stop.set()
            os.close(self.master)


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc for CPU time")


@needs_proc
def test_closed_terminal_without_sighup_keeps_a_heat_session_and_exits_without_spinning(
    tmp_path: Path, accepted_store: Store
) -> None:
    data = accepted_store.data_dir
    app = PtyApp(["-m", "neck_tui", "heat"], data, tmp_path)
    try:
        app.wait_text(b"Start (Enter)")
        app.type(b"\r")
        app.wait_text(b"Pain before")
        app.type(b"5\r")
        app.wait_for(lambda: Store(data).load().in_progress is not None, "checkpoint")
        app.wait_text(b"HEAT")
        time.sleep(0.5)  # real process, real time: a few ticks of the running countdown
        took, cpu = app.close_terminal()
    finally:
        app.cleanup()
    assert app.child.returncode == watchdog.EXIT_STDIN_CLOSED, bytes(app.output)[-400:]
    assert took < 3.0  # "within a second", with room for a busy test machine
    assert cpu < 0.75, f"{cpu:.2f} s of CPU after the terminal went away"
    store = Store(data)
    checkpoint = store.load().in_progress
    assert checkpoint is not None and checkpoint["kind"] == "heat" and checkpoint["pain_before"] == 5
    # Saved as not completed, and the checkpoint kept for the resume offer (same id).
    [record] = store.records()
    assert record.id == checkpoint["id"] and record.completed is False
    # Only 16-colour SGR went to a TERM=linux terminal: no 256-colour or truecolor sequences.
    assert b"\x1b[" in app.output
    assert b"38;2;" not in app.output and b"38;5;" not in app.output


@needs_proc
def test_closed_terminal_without_sighup_saves_a_session_without_checkpoint(
    tmp_path: Path, accepted_store: Store
) -> None:
    script = tmp_path / "running_app.py"
    script.write_text(RUNNING_BREATHING)
    ready = accepted_store.data_dir / "ready"
    app = PtyApp([str(script)], accepted_store.data_dir, tmp_path)
    try:
        app.wait_for(ready.exists, "ready file")
        assert ready.read_text() == "standard"  # TERM=linux: 16 colours
        time.sleep(0.3)  # real process, real time: let it draw
        took, cpu = app.close_terminal()
    finally:
        app.cleanup()
    assert app.child.returncode == watchdog.EXIT_STDIN_CLOSED, bytes(app.output)[-400:]
    assert took < 3.0
    assert cpu < 0.75, f"{cpu:.2f} s of CPU after the terminal went away"
    [record] = Store(accepted_store.data_dir).records()
    assert record.kind == "breathing" and record.completed is False
    assert record.details["stopped"] == "stdin closed"
    assert record.pain_before == 5
