"""`neck-tui doctor`: check the chain a bell, a notification or the title travels, say what to change.

One line per thing: "ok" (fine), "note" (worth knowing) or "fix" (with what to do). It looks at
TERM and COLORTERM, tmux (allow-passthrough, set-titles, nesting), SSH, the terminal's size, the
data directory (there, private, writable, state.toml readable, a session running or cut off,
copies set aside), and the hooks' commands. Then it rings the bell and sends a test notification
to the terminal (not with --no-send). Exit code 1 when something should change.

It reads the data directory without the store (which would set an unreadable file aside) and
without the content, so it works when those are what is wrong.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import stat
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

from neck_tui import alerts, status_data
from neck_tui.hooks import HOOK_EVENTS

MIN_SIZE = (40, 15)  # as neck_tui.terminal (not imported: it needs Textual)


@dataclass(frozen=True)
class Finding:
    level: str  # ok | note | fix
    text: str

    def __str__(self) -> str:
        return f"{self.level:<4}  {self.text}"


Run = Callable[[Sequence[str]], str | None]


def tmux_option(argv: Sequence[str]) -> str | None:
    """stdout of a short tmux command, or None if it cannot say."""
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, timeout=3, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def terminal_findings(env: Mapping[str, str]) -> list[Finding]:
    term, colorterm = env.get("TERM", ""), env.get("COLORTERM", "")
    out = []
    if not term or term == "dumb":
        out.append(Finding("fix", f"TERM is {term or 'not set'!r}: set it to your terminal's (e.g. xterm-256color)."))
    else:
        out.append(Finding("ok", f"TERM={term}"))
    if colorterm in ("truecolor", "24bit"):
        out.append(Finding("ok", f"COLORTERM={colorterm}: full colour"))
    else:
        out.append(
            Finding("note", "COLORTERM is not truecolor: 256 colours or fewer (set it if your terminal has more).")
        )
    style = alerts.notify_style(env)
    how = {"off": "off (NECK_TUI_NOTIFY=off)", "both": "OSC 9 and OSC 777"}.get(style, f"OSC {style}")
    out.append(Finding("ok", f"notifications are sent as {how}; NECK_TUI_NOTIFY=9|777|99|both|off chooses"))
    return out


def tmux_findings(env: Mapping[str, str], run: Run = tmux_option) -> list[Finding]:
    if not env.get("TMUX"):
        return [Finding("ok", "not inside tmux")]
    out = [Finding("ok", f"inside tmux ({alerts.tmux_depth(env)} deep; NECK_TUI_TMUX_DEPTH overrides)")]
    passthrough = run(["tmux", "show", "-gv", "allow-passthrough"])
    if passthrough is None:
        out.append(Finding("note", "could not ask tmux for allow-passthrough (tmux 3.3 or newer has it)."))
    elif passthrough in ("on", "all"):
        out.append(Finding("ok", f"tmux allow-passthrough is {passthrough}"))
    else:
        out.append(
            Finding("fix", "tmux allow-passthrough is off: notifications stop at tmux. "
                    "Add `set -g allow-passthrough on` to ~/.tmux.conf and run `tmux source ~/.tmux.conf`.")
        )  # fmt: skip
    if run(["tmux", "show", "-gv", "set-titles"]) != "on":
        out.append(
            Finding(
                "note",
                "tmux shows the title as the pane title (#T); `set -g set-titles on` also puts it on the window.",
            )
        )
    return out


def ssh_findings(env: Mapping[str, str]) -> list[Finding]:
    if not (env.get("SSH_CONNECTION") or env.get("SSH_TTY")):
        return [Finding("ok", "not over SSH")]
    origin = env.get("SSH_CONNECTION", "").split(" ")[0] or "another machine"
    return [
        Finding("ok", f"over SSH from {origin}: the bell, notifications and title travel to your own terminal"),
        Finding(
            "note", "hooks run on this machine: notify-send here does not reach your desktop; use a webhook (README)."
        ),
    ]


def size_findings(size: tuple[int, int] | None) -> list[Finding]:
    if size is None:
        return [Finding("note", "no terminal to measure (output is not a terminal)")]
    width, height = size
    if width < MIN_SIZE[0] or height < MIN_SIZE[1]:
        return [Finding("fix", f"terminal is {width}x{height}: the screens need {MIN_SIZE[0]}x{MIN_SIZE[1]} "
                        "(posture breaks fit any pane down to 20x1).")]  # fmt: skip
    return [Finding("ok", f"terminal is {width}x{height}")]


def data_findings(directory: str) -> list[Finding]:
    if not os.path.isdir(directory):
        return [Finding("note", f"data dir {directory} does not exist yet (made at the first start)")]
    out = []
    mode = stat.S_IMODE(os.stat(directory).st_mode)
    if mode & 0o077:
        out.append(
            Finding("fix", f"data dir {directory} is readable by others ({mode:o}): chmod 700 {shlex.quote(directory)}")
        )
    if not os.access(directory, os.W_OK):
        out.append(Finding("fix", f"data dir {directory} is not writable: nothing can be saved"))
    out.append(Finding("ok", f"data dir {directory}"))
    state_path = os.path.join(directory, status_data.STATE_FILE)
    state: dict = {}
    if os.path.exists(state_path):
        try:
            with open(state_path, "rb") as f:
                state = tomllib.load(f)
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
            out.append(Finding("fix", f"{state_path} cannot be read ({e}); neck-tui will set it aside at start"))
    running = status_data.session_running(directory)
    if running:
        out.append(Finding("ok", "a session is running in another neck-tui"))
    elif state.get("in_progress"):
        out.append(Finding("note", "a session was cut off: the next `neck-tui` offers to resume it"))
    aside = [
        n
        for d in (directory, os.path.join(directory, "history"))
        if os.path.isdir(d)
        for n in os.listdir(d)
        if ".corrupt-" in n
    ]
    if aside:
        out.append(
            Finding("note", f"{len(aside)} unreadable file(s) were set aside ({aside[0]}...): see README, Your data")
        )
    settings = state.get("settings") if isinstance(state.get("settings"), dict) else {}
    out.extend(hook_findings(settings.get("hooks") or {}))
    return out


def hook_findings(hooks: Mapping[str, object]) -> list[Finding]:
    out = []
    for event, line in hooks.items():
        if event not in HOOK_EVENTS:
            out.append(Finding("fix", f"hook {event!r} is not an event: use one of {', '.join(HOOK_EVENTS)}"))
            continue
        try:
            argv = shlex.split(str(line))
        except ValueError as e:
            out.append(Finding("fix", f"hook {event}: cannot read {line!r}: {e}"))
            continue
        if not argv or shutil.which(argv[0]) is None:
            out.append(Finding("fix", f"hook {event}: command {argv[0] if argv else ''!r} not found on PATH"))
        else:
            out.append(Finding("ok", f"hook {event}: {argv[0]}"))
    return out


def send_test(env: Mapping[str, str]) -> Finding:
    """Ring the bell and send a test notification to the terminal (the controlling tty)."""
    sequence = alerts.BELL + alerts.notification_sequence("neck-tui doctor", "a test notification", env)
    try:
        with open("/dev/tty", "w") as tty:
            tty.write(sequence)
    except OSError:
        return Finding("note", "no terminal to send a test bell and notification to")
    return Finding(
        "ok", "sent a bell and a test notification: if none showed, see the lines above and your terminal's settings"
    )


def _size() -> tuple[int, int] | None:
    for fd in (1, 0, 2):
        try:
            return tuple(os.get_terminal_size(fd))  # type: ignore[return-value]
        except OSError:
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="neck-tui doctor", description=__doc__.splitlines()[0])
    parser.add_argument("command", nargs="?", choices=["doctor"], help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", metavar="DIR")
    parser.add_argument("--content-dir", metavar="DIR", action="append", help=argparse.SUPPRESS)
    parser.add_argument("--no-send", action="store_true", help="do not ring the bell or send a test notification")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    env = os.environ
    findings = [
        *terminal_findings(env),
        *tmux_findings(env),
        *ssh_findings(env),
        *size_findings(_size()),
        *data_findings(status_data.data_dir(args.data_dir)),
    ]
    if not args.no_send:
        findings.append(send_test(env))
    for finding in findings:
        print(finding)
    return 1 if any(f.level == "fix" for f in findings) else 0
