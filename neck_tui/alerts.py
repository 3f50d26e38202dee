"""Getting the user's attention: the terminal bell and desktop notifications.

Two calls for every screen: ``bell(app)`` rings the terminal bell if Settings.bell is on;
``alert(app, title, body)`` rings it and, if Settings.notifications is on, also sends a
desktop notification as an OSC 9 or OSC 777 escape sequence. Both travel inside the
terminal stream, so over SSH they reach the desktop of the user's own terminal. Inside
tmux the sequence is wrapped for tmux's passthrough (needs ``set -g allow-passthrough on``).

Which sequence: OSC 777 for terminals known to read only that one (rxvt-unicode, foot),
OSC 9 for the rest (iTerm2, kitty, WezTerm, Ghostty, Windows Terminal...). Sending both
would show two notifications in terminals that read both. $NECK_TUI_NOTIFY overrides:
``9``, ``777``, ``both`` or ``off``.
"""

from __future__ import annotations

import os
import re
from typing import Any, Mapping

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_MAX_TEXT = 200
_OSC777_TERMS = ("rxvt", "foot")


def _clean(text: str) -> str:
    """One line with no control characters (they could end the sequence or inject others)."""
    return " ".join(_CONTROL.sub(" ", text).split())[:_MAX_TEXT]


def notify_style(env: Mapping[str, str]) -> str:
    """"9", "777", "both" or "off" for this environment."""
    chosen = env.get("NECK_TUI_NOTIFY", "").strip().lower()
    if chosen in ("9", "777", "both", "off"):
        return chosen
    term = env.get("TERM", "").lower()
    return "777" if term.startswith(_OSC777_TERMS) else "9"


def notification_sequence(title: str, body: str, env: Mapping[str, str] | None = None) -> str:
    """The escape sequence(s) that ask the terminal for a desktop notification ("" for off)."""
    env = os.environ if env is None else env
    style = notify_style(env)
    title, body = _clean(title), _clean(body)
    parts = []
    if style in ("9", "both"):
        parts.append(f"\x1b]9;{title}: {body}\x07" if body else f"\x1b]9;{title}\x07")
    if style in ("777", "both"):
        parts.append(f"\x1b]777;notify;{title.replace(';', ',')};{body}\x07")
    if env.get("TMUX"):
        # tmux passes a sequence through to the outer terminal inside DCS tmux; ... ST, ESCs doubled.
        parts = ["\x1bPtmux;" + part.replace("\x1b", "\x1b\x1b") + "\x1b\\" for part in parts]
    return "".join(parts)


def _settings(app: Any) -> Any:
    return app.store.state.settings


def _write(app: Any, text: str) -> bool:
    driver = getattr(app, "_driver", None)
    if not text or driver is None or getattr(app, "is_headless", True):
        return False
    driver.write(text)
    return True


def bell(app: Any) -> bool:
    """Ring the terminal bell unless the user switched it off; returns whether it rang."""
    if not _settings(app).bell:
        return False
    return _write(app, "\x07")


def alert(app: Any, title: str, body: str = "") -> None:
    """Bell plus, if switched on, a desktop notification with title and body."""
    bell(app)
    if _settings(app).notifications:
        _write(app, notification_sequence(title, body))
