"""`neck-tui status`: one short line for a tmux status line or a shell prompt.

    HEAT 12:34 · skin check · break in 32m · breathing 1/1-2

It reads what the running app leaves on disk: the checkpoint in state.toml [in_progress] and
the session lock (.session.lock, an flock the app holds while a session runs). Once the app is
gone the lock is free and nothing about a session is shown, so nothing stale. Today's breathing
count comes from the current month file, the goal from content/breathing.toml.

tmux runs this every second, so it must cost next to nothing: it answers within 1.5x a bare
`python -c pass` (bench/status_bench.py). It imports no Textual, pydantic, store or content
models, and in the common case not even argparse, json or tomllib (each costs more than the whole
budget on a slow machine). The files are read by neck_tui.status_data, which keeps what they
said in a small cache and parses a file with tomllib again only when it changed.

Checkpoint keys read (all optional): kind, id, saved, paused, and the session lifecycle's common
keys phase_label, phase_left (seconds left at `saved`), skin_check_due, break_due_at; without
phase_label, a heat/cold/contrast checkpoint's phases + elapsed (see neck_tui.resume). Between
breaks no session runs: a waiting breaks screen keeps the due time in .breaks.lock instead.
"""

from __future__ import annotations

import sys
import time

from neck_tui.status_data import (
    FactCache,
    breathing_goal,
    breathing_today,
    checkpoint,
    data_dir,
    session_running,
    waiting_break,
)

TYPE_CHECKING = False  # not typing's: importing typing (and so re) costs more than the budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any


USAGE = """usage: neck-tui status [--json] [--format TEMPLATE] [--data-dir DIR] [--content-dir DIR]

One short line: the running session and its time left, a pending skin check, the next posture
break, today's breathing count against its goal. For tmux:
    set -g status-right '#(neck-tui status)'
    set -g status-interval 1

  --json             the same as one JSON object
  --format TEMPLATE  e.g. '{phase} {left}'; fields: {fields}
"""
SEP = " · "

FIELDS = (
    "line", "running", "kind", "session_id", "phase", "left", "seconds_left", "paused",
    "skin_check_due", "break_in", "break_in_s", "break_due", "breathing", "breathing_today",
    "breathing_goal_min", "breathing_goal_max",
)  # fmt: skip


# --- the status -----------------------------------------------------------------------------------


def _mmss(seconds: float) -> str:
    whole = max(0, int(-(-seconds // 1)))  # ceil, like the countdown
    return f"{whole // 60}:{whole % 60:02d}"


def status_at(facts: dict[str, Any] | None, running: bool, now: float) -> dict[str, Any]:
    """The session part of the status, `now` (epoch seconds), from checkpoint facts."""
    out: dict[str, Any] = {
        "running": False, "kind": None, "session_id": None, "phase": None, "left": None,
        "seconds_left": None, "paused": False, "skin_check_due": False, "break_in": None,
        "break_in_s": None, "break_due": False,
    }  # fmt: skip
    if not running or not facts:
        return out
    saved = facts.get("saved")
    since = 0.0 if facts["paused"] or saved is None else max(0.0, now - saved)
    out.update(running=True, kind=facts["kind"] or None, session_id=facts["id"] or None, paused=facts["paused"])
    out["skin_check_due"] = facts["skin_check_due"]
    segments = facts.get("segments") or []
    for i, (word, seconds) in enumerate(segments):
        if seconds is None:
            out["phase"] = word
            break
        if since < seconds or i == len(segments) - 1:
            left = max(0.0, seconds - since)
            out.update(phase=word, left=_mmss(left), seconds_left=int(-(-left // 1)))
            break
        since -= seconds
    _next_break(out, facts.get("break_due_at"), now)
    return out


def _next_break(out: dict[str, Any], due_at: float | None, now: float) -> None:
    if due_at is not None:
        wait = due_at - now
        out["break_due"] = wait <= 0
        out["break_in_s"] = max(0, int(-(-wait // 1)))
        out["break_in"] = f"{max(1, int(-(-wait // 60)))}m" if wait > 0 else "now"


def collect(
    directory: str, now: float | None = None, running: bool | None = None, content_dirs: list[str] | None = None
) -> dict[str, Any]:
    """The whole status as a flat dict (the --json object); `line` is the one-line form."""
    now = time.time() if now is None else now
    running = session_running(directory) if running is None else running
    cache = FactCache(directory)
    facts = checkpoint(directory, cache) if running else None
    out = status_at(facts, running, now)
    if out["break_in"] is None:  # no break session: a breaks screen waiting for the next one
        _next_break(out, waiting_break(directory), now)
    out["breathing_today"] = breathing_today(directory, now, cache)
    goal = breathing_goal(cache, content_dirs or [])
    out["breathing_goal_min"], out["breathing_goal_max"] = goal if goal else (None, None)
    out["breathing"] = _breathing_text(out)
    cache.save()
    out["line"] = line(out)
    return out


def _breathing_text(s: Mapping[str, Any]) -> str:
    low, high = s["breathing_goal_min"], s["breathing_goal_max"]
    if low is None:
        return f"{s['breathing_today']}"
    return f"{s['breathing_today']}/{low}-{high}" if high != low else f"{s['breathing_today']}/{low}"


def line(s: Mapping[str, Any]) -> str:
    parts = []
    if s["phase"]:
        session = f"{s['phase']} {s['left']}" if s["left"] else s["phase"]
        parts.append(session + (" paused" if s["paused"] else ""))
    if s["skin_check_due"]:
        parts.append("skin check")
    if s["break_in"]:
        parts.append("break now" if s["break_due"] else f"break in {s['break_in']}")
    parts.append(f"breathing {s['breathing']}")
    return SEP.join(parts)


def render(s: Mapping[str, Any], template: str) -> str:
    """--format: str.format fields named after the JSON keys; a missing value is empty."""
    return template.format_map({k: ("" if v is None else v) for k, v in s.items()})


# --- the command --------------------------------------------------------------------------------


def _parse(argv: list[str]) -> dict[str, Any]:
    """The few options status takes, without argparse (its import alone is over budget)."""
    opts: dict[str, Any] = {"json": False, "format": None, "data_dir": None, "content_dirs": []}
    args = list(argv)
    valued = {"--format": "format", "--data-dir": "data_dir", "--content-dir": "content_dirs"}
    while args:
        arg = args.pop(0)
        name, eq, value = arg.partition("=")
        if arg == "status":
            continue
        if arg in ("-h", "--help"):
            opts["help"] = True
        elif arg == "--json":
            opts["json"] = True
        elif name in valued:
            if not eq:
                if not args:
                    raise ValueError(f"{name} needs a value")
                value = args.pop(0)
            key = valued[name]
            if key == "content_dirs":
                opts[key].append(value)
            else:
                opts[key] = value
        else:
            raise ValueError(f"unknown argument {arg!r}")
    return opts


def main(argv: list[str] | None = None) -> int:
    """`neck-tui status ...`; argv may include the word status and the common options."""
    argv = sys.argv[1:] if argv is None else list(argv)
    try:
        opts = _parse(argv)
    except ValueError as exc:
        print(f"neck-tui status: {exc} (see neck-tui status --help)", file=sys.stderr)
        return 2
    if opts.get("help"):
        print(USAGE.replace("{fields}", ", ".join(FIELDS)), end="")
        return 0
    s = collect(data_dir(opts["data_dir"]), content_dirs=opts["content_dirs"])
    if opts["json"]:
        import json

        print(json.dumps(s, ensure_ascii=False))
    elif opts["format"] is not None:
        try:
            print(render(s, opts["format"]))
        except (KeyError, ValueError, IndexError) as exc:
            print(f"neck-tui status: --format: bad field {exc}; known: {', '.join(FIELDS)}", file=sys.stderr)
            return 2
    else:
        print(s["line"])
    return 0
