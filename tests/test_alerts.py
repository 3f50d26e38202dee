"""Notifications that arrive: OSC 9/777/99, tmux passthrough (nested too), the bell with them."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neck_tui import alerts


def unwrap(sequence: str) -> str:
    """What one tmux passes on: the DCS tmux; ... ST body with doubled ESCs undone."""
    assert sequence.startswith("\x1bPtmux;") and sequence.endswith("\x1b\\")
    return sequence[len("\x1bPtmux;") : -2].replace("\x1b\x1b", "\x1b")


def test_kitty_gets_osc_99_title_and_body() -> None:
    seq = alerts.notification_sequence("Skin check", "Look", {"TERM": "xterm-kitty"})
    assert seq == "\x1b]99;i=neck:d=0;Skin check\x1b\\\x1b]99;i=neck:d=1:p=body;Look\x1b\\"
    assert alerts.notify_style({"NECK_TUI_NOTIFY": "99", "TERM": "xterm"}) == "99"


def test_nested_tmux_wraps_twice_and_each_tmux_unwraps_one() -> None:
    plain = alerts.notification_sequence("T", "b", {})
    seq = alerts.notification_sequence("T", "b", {"TMUX": "x", "NECK_TUI_TMUX_DEPTH": "2"})
    assert unwrap(unwrap(seq)) == plain
    kitty = {"TERM": "xterm-kitty", "TMUX": "x", "NECK_TUI_TMUX_DEPTH": "1"}
    parts = alerts.notification_sequence("T", "b", kitty).split("\x1b\\\x1bPtmux;")
    assert len(parts) == 2  # title and body, each wrapped on its own


@pytest.mark.parametrize(("client", "depth"), [("tmux-256color", 2), ("xterm-256color", 1), (None, 1)])
def test_nesting_is_read_from_the_tmux_client(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, client, depth) -> None:
    fake = tmp_path / "tmux"
    fake.write_text(f"#!/bin/sh\necho {client}\n" if client else "#!/bin/sh\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    assert alerts.tmux_depth({"TMUX": f"{tmp_path}/{client},1,0"}) == depth
    assert alerts.tmux_depth({}) == 0


class _App:
    def __init__(self, notifications: bool, bell: bool) -> None:
        settings = type("S", (), {"notifications": notifications, "bell": bell})()
        self.store = type("St", (), {"state": type("State", (), {"settings": settings})()})()
        self.written: list[str] = []
        self._driver = type("D", (), {"write": lambda _self, text: self.written.append(text)})()
        self.is_headless = False


def test_the_bell_rings_with_every_notification(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NECK_TUI_NOTIFY", "9")
    monkeypatch.delenv("TMUX", raising=False)
    app = _App(notifications=True, bell=False)
    alerts.alert(app, "Break", "Stand up")
    assert app.written == ["\x07\x1b]9;Break: Stand up\x07"]
    quiet = _App(notifications=False, bell=False)
    alerts.alert(quiet, "Break")
    assert quiet.written == []
