"""Hooks: the user's command per event, in the background, with a time limit and one-line reports."""

from __future__ import annotations

import threading
from pathlib import Path

from neck_tui.events import EventBus, SessionEvent
from neck_tui.hooks import Hooks

WAIT_S = 10.0  # an upper bound for the background thread, never a timed assertion


class Reports:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.seen = threading.Event()

    def __call__(self, line: str) -> None:
        self.lines.append(line)
        self.seen.set()


def phase_end(**extra: object) -> SessionEvent:
    return SessionEvent("phase_end", "heat", "abc123", phase="HEAT", seconds_left=0.4, extra=dict(extra))


def test_the_event_is_in_the_environment_and_no_shell_is_used(tmp_path: Path) -> None:
    out = tmp_path / "env"
    done = tmp_path / "done"
    reports = Reports()
    hooks = Hooks({"phase_end": f"sh -c 'env > {out}; touch {done}' ignored-arg; $HOME"}, reports)
    bus = EventBus()
    hooks.subscribe(bus)
    bus.emit(phase_end(completed=True))
    bus.emit(SessionEvent("tick", "heat"))  # no hook for it
    assert _wait_for(done)
    env = dict(line.split("=", 1) for line in out.read_text().splitlines() if line.startswith("NECK_TUI_"))
    assert env == {
        "NECK_TUI_EVENT": "phase_end", "NECK_TUI_KIND": "heat", "NECK_TUI_PHASE": "HEAT",
        "NECK_TUI_SECONDS_LEFT": "0", "NECK_TUI_SESSION_ID": "abc123", "NECK_TUI_COMPLETED": "true",
    }  # fmt: skip
    assert reports.lines == []


def test_a_slow_hook_never_blocks_and_is_stopped_at_its_limit() -> None:
    reports = Reports()
    hooks = Hooks({"phase_end": "sleep 30"}, reports, timeout=0.2)
    hooks(phase_end())
    assert hooks.running == 1  # the listener returned while the hook runs
    assert reports.seen.wait(WAIT_S)
    assert reports.lines == ["Hook phase_end (sleep) ran over 0.2 s and was stopped."]


def test_a_failing_hook_is_one_line_once_until_it_works_again(tmp_path: Path) -> None:
    reports = Reports()
    flag = tmp_path / "ok"
    hooks = Hooks({"session_end": f"sh -c 'test -e {flag} || {{ echo no pack >&2; exit 3; }}'"}, reports)
    event = SessionEvent("session_end", "cold")
    for _ in range(2):
        hooks(event)
        _join_hooks()
    assert reports.lines == ["Hook session_end (sh) failed (exit 3): no pack."]
    flag.touch()
    hooks(event)
    _join_hooks()
    flag.unlink()
    hooks(event)
    _join_hooks()
    assert len(reports.lines) == 2


def test_bad_settings_and_missing_commands_are_reported() -> None:
    reports = Reports()
    hooks = Hooks({"lunch": "true", "break_due": "'unclosed", "break_taken": "no-such-command-neck-tui"}, reports)
    assert len(reports.lines) == 2 and "'lunch'" in reports.lines[0] and "break_due" in reports.lines[1]
    hooks(SessionEvent("break_taken", "posture_break"))
    _join_hooks()
    assert "could not start" in reports.lines[-1]


def _join_hooks() -> None:
    for thread in threading.enumerate():
        if thread.name.startswith("neck-tui-hook-"):
            thread.join(WAIT_S)


def _wait_for(path: Path) -> bool:
    _join_hooks()
    return path.exists()
