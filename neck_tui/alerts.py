"""Getting the user's attention: the terminal bell and desktop notifications.

Two calls for every screen: ``bell(app)`` rings the terminal bell if Settings.bell is on;
``alert(app, title, body)`` rings it and, if Settings.notifications is on, also sends a
desktop notification as an escape sequence. A notification always comes with the plain bell
(tmux's bell and activity flags, and terminals that show no notifications, depend on it).
Both travel inside the terminal stream, so over SSH they reach the desktop of the user's own
terminal.

Which sequence: OSC 99 for kitty (its own protocol), OSC 777 for terminals known to read only
that one (rxvt-unicode, foot), OSC 9 for the rest (iTerm2, WezTerm, Ghostty, Windows
Terminal...). Sending several would show two notifications where a terminal reads both.
$NECK_TUI_NOTIFY overrides: ``9``, ``777``, ``99``, ``both`` (9 and 777) or ``off``.

Inside tmux the sequence is wrapped for tmux's passthrough (DCS tmux; ... ST, every ESC
doubled; needs ``set -g allow-passthrough on``), twice when tmux runs inside tmux (the inner
tmux's client is itself a tmux terminal, e.g. tmux on a server reached over SSH from a local
tmux). $NECK_TUI_TMUX_DEPTH (0, 1, 2...) overrides the guess.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
from typing import Any, Mapping

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_MAX_TEXT = 200
_OSC777_TERMS = ("rxvt", "foot")
STYLES = ("9", "777", "99", "both", "off")
BELL = "\x07"
ST = "\x1b\\"


def _clean(text: str) -> str:
    """One line with no control characters (they could end the sequence or inject others)."""
    return " ".join(_CONTROL.sub(" ", text).split())[:_MAX_TEXT]


def notify_style(env: Mapping[str, str]) -> str:
    """"9", "777", "99", "both" or "off" for this environment."""
    chosen = env.get("NECK_TUI_NOTIFY", "").strip().lower()
    if chosen in STYLES:
        return chosen
    term = env.get("TERM", "").lower()
    if term == "xterm-kitty" or env.get("KITTY_WINDOW_ID"):
        return "99"
    return "777" if term.startswith(_OSC777_TERMS) else "9"


@functools.lru_cache(maxsize=4)
def _tmux_client_term(tmux: str) -> str:
    try:
        done = subprocess.run(
            ["tmux", "display-message", "-p", "#{client_termname}"],
            capture_output=True, text=True, timeout=2, stdin=subprocess.DEVNULL,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def tmux_depth(env: Mapping[str, str]) -> int:
    """How many tmux servers the terminal stream passes through (0 outside tmux)."""
    forced = env.get("NECK_TUI_TMUX_DEPTH", "").strip()
    if forced.isdigit():
        return min(int(forced), 4)
    if not env.get("TMUX"):
        return 0
    client = _tmux_client_term(env["TMUX"])
    return 2 if client.startswith(("tmux", "screen")) else 1


def passthrough(sequence: str, depth: int) -> str:
    """Wrap a sequence so `depth` nested tmux servers each pass it on to the terminal outside."""
    for _ in range(depth):
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + ST
    return sequence


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
    if style == "99":
        # kitty: the title (d=0: more to come), then the body of the same notification (i=...).
        parts.append(f"\x1b]99;i=neck:d=0;{title}{ST}")
        if body:
            parts.append(f"\x1b]99;i=neck:d=1:p=body;{body}{ST}")
    depth = tmux_depth(env) if parts else 0
    return "".join(passthrough(part, depth) for part in parts)


def _settings(app: Any) -> Any:
    return app.store.state.settings


def write(app: Any, text: str) -> bool:
    """Write straight to the terminal (not headless); returns whether it was written."""
    driver = getattr(app, "_driver", None)
    if not text or driver is None or getattr(app, "is_headless", True):
        return False
    driver.write(text)
    return True


def bell(app: Any) -> bool:
    """Ring the terminal bell unless the user switched it off; returns whether it rang."""
    if not _settings(app).bell:
        return False
    return write(app, BELL)


def alert(app: Any, title: str, body: str = "") -> None:
    """Bell plus, if switched on, a desktop notification (which always brings the bell too)."""
    if _settings(app).notifications:
        write(app, BELL + notification_sequence(title, body))
    else:
        bell(app)
