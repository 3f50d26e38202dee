"""`neck-tui doctor`: one line per thing, and what to change."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from neck_tui import doctor
from neck_tui.terminal.session_lock import SessionLock

ROOT = Path(__file__).resolve().parent.parent


def levels(findings: list[doctor.Finding]) -> dict[str, str]:
    return {f.text: f.level for f in findings}


def fake_tmux(tmp_path: Path, passthrough: str) -> dict[str, str]:
    script = tmp_path / "tmux"
    script.write_text(f'#!/bin/sh\ncase "$*" in *allow-passthrough*) echo {passthrough};; *) exit 1;; esac\n')
    script.chmod(0o755)
    return {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}", "TMUX": "/tmp/sock,1,0", "NECK_TUI_TMUX_DEPTH": "1"}


@pytest.mark.parametrize(("passthrough", "level"), [("off", "fix"), ("on", "ok")])
def test_tmux_passthrough_is_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, passthrough: str, level: str
) -> None:
    env = fake_tmux(tmp_path, passthrough)
    monkeypatch.setenv("PATH", env["PATH"])
    found = [f for f in doctor.tmux_findings(env) if "allow-passthrough" in f.text]
    assert [f.level for f in found] == [level]
    assert doctor.tmux_findings({}) == [doctor.Finding("ok", "not inside tmux")]


def test_terminal_ssh_and_size_lines() -> None:
    assert doctor.terminal_findings({"TERM": "dumb"})[0].level == "fix"
    assert doctor.terminal_findings({"TERM": "xterm-kitty", "COLORTERM": "truecolor"})[2].text.startswith(
        "notifications are sent as OSC 99"
    )
    over_ssh = doctor.ssh_findings({"SSH_CONNECTION": "10.1.2.3 5000 10.0.0.1 22"})
    assert "from 10.1.2.3" in over_ssh[0].text and "webhook" in over_ssh[1].text
    assert doctor.size_findings((30, 10))[0].level == "fix"
    assert doctor.size_findings((80, 24))[0].level == "ok"


def test_the_data_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assert "does not exist" in doctor.data_findings(str(data))[0].text
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    (data / "state.toml").write_text(
        '[settings.hooks]\nphase_end = "no-such-tool-x --now"\nlunch = "true"\n[in_progress]\nkind = "heat"\n'
    )
    found = levels(doctor.data_findings(str(data)))
    assert found[f"data dir {data} is readable by others (755): chmod 700 {data}"] == "fix"
    assert found["a session was cut off: the next `neck-tui` offers to resume it"] == "note"
    assert found["hook phase_end: command 'no-such-tool-x' not found on PATH"] == "fix"
    assert any(text.startswith("hook 'lunch' is not an event") for text in found)
    lock = SessionLock(data)
    lock.acquire()
    try:
        assert "a session is running in another neck-tui" in levels(doctor.data_findings(str(data)))
    finally:
        lock.release()
    (data / "state.toml").write_text("[[broken")
    assert any("cannot be read" in text for text in levels(doctor.data_findings(str(data))))


def test_the_command_prints_lines_and_says_whether_to_change_something(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    env = {**os.environ, "TERM": "xterm-256color", "COLORTERM": "truecolor"}
    env.pop("TMUX", None)
    result = subprocess.run(
        [sys.executable, "-m", "neck_tui", "doctor", "--data-dir", str(data), "--no-send"],
        capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and lines[0] == "ok    TERM=xterm-256color" and "Traceback" not in result.stderr
    assert all(line.split()[0] in ("ok", "note", "fix") for line in lines)
