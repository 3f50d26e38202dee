"""The real app in a pseudo-terminal: SIGTERM and ctrl+c while a heat session runs save it as
not completed; SIGHUP (the SSH link dropped) saves it too, or keeps its checkpoint for the resume
offer; and the process exits promptly with 128 + the signal's number."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

pexpect = pytest.importorskip("pexpect")
pyte = pytest.importorskip("pyte")

ROOT = Path(__file__).resolve().parent.parent
COLS, ROWS = 80, 24


class Terminal:
    """The app in a pty, its output fed to a pyte screen so tests can read what a user sees."""

    def __init__(self, data_dir: Path) -> None:
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLS), "LINES": str(ROWS)}
        env.pop("TMUX", None)
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "neck_tui", "heat", "--data-dir", str(data_dir)],
            cwd=str(ROOT),
            env=env,
            dimensions=(ROWS, COLS),
        )
        self.screen = pyte.Screen(COLS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, wanted: str, timeout: float = 8.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.1))
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
            if wanted in self.text():
                return
        raise AssertionError(f"{wanted!r} never showed; the screen was:\n{self.text()}")

    def wait_exit(self, timeout: float = 6.0) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                self.child.read_nonblocking(65536, timeout=0.1)
            except pexpect.TIMEOUT:
                pass
            except pexpect.EOF:
                break
        self.child.close(force=True)
        return self.child.exitstatus

    def kill(self) -> None:
        if self.child.isalive():
            self.child.kill(signal.SIGKILL)
        self.child.close(force=True)


def start_heat(term: Terminal) -> None:
    term.wait_for("I understand")
    term.child.send("\r")  # accept the first-run notice
    term.wait_for("Start")
    term.child.send("\r")  # start the default regimen
    term.wait_for("Pain before")
    term.child.send("s")  # skip the pain check
    term.wait_for("HEAT")  # the countdown is running
    term.wait_for("Pause")  # and its keys are in the Footer


@pytest.mark.parametrize(
    "how, reason, code",
    [
        (signal.SIGHUP, "SIGHUP", 128 + signal.SIGHUP),
        (signal.SIGTERM, "SIGTERM", 128 + signal.SIGTERM),
        ("\x03", "quit", 0),  # ctrl+c
    ],
    ids=["sighup", "sigterm", "ctrl-c"],
)
def test_interrupted_heat_session_is_not_lost(
    tmp_path: Path, how: signal.Signals | str, reason: str, code: int
) -> None:
    data = tmp_path / "data"
    term = Terminal(data)
    try:
        start_heat(term)
        if isinstance(how, str):
            term.child.send(how)
            term.wait_for("Quit neck-tui?")  # a running session: quitting asks first
            term.child.send("y")
        else:
            os.kill(term.child.pid, how)
        status = term.wait_exit()
    finally:
        term.kill()
    assert status == code

    from neck_tui import resume
    from neck_tui.store import Store

    store = Store(data)
    records = store.records(kinds=["heat"])
    checkpoint = store.load().in_progress
    assert len(records) == 1, records
    record = records[0]
    assert record.completed is False
    assert record.details["stopped"] == reason
    assert record.details["regimen"] == "heat"
    assert record.details["phases"][0]["kind"] == "heat"
    # Quit, a dropped link or SIGTERM: the session is saved as not completed and, the pack
    # being still on, its checkpoint kept for the resume offer at the next start.
    assert checkpoint is not None and checkpoint["id"] == record.id
    plan = resume.plan_resume(checkpoint, checkpoint["saved"])
    assert plan is not None and plan.phase.kind == "heat" and not plan.finished
