"""`neck-tui status`: one short line for a tmux status line or a shell prompt.

    HEAT 12:34 · skin check · break in 32m · breathing 1/1-2

It reads what the running app leaves on disk: the checkpoint in state.toml [in_progress] and
the session lock (.session.lock, an flock the app holds while a session runs). Once the app is
gone the lock is free and nothing about a session is shown, so nothing stale. Today's breathing
count comes from the current month file, the goal from content/breathing.toml.

tmux runs this every second, so it must cost next to nothing: it answers within 1.5x a bare
`python -c pass` (bench/status_bench.py). It imports no Textual, pydantic, store or content
models, and in the common case not even argparse, json or tomllib (each costs more than the whole
budget on a slow machine). What it needs from the TOML files is kept in .status.cache in the data
dir (marshal, keyed by each file's inode, size and mtime); a file is parsed again with tomllib
only when it changed. Deleting the cache is harmless.

Checkpoint keys read (all optional): kind, id, saved, paused, and the session lifecycle's common
keys phase_label, phase_left (seconds left at `saved`), skin_check_due, break_due_at; without
phase_label, a heat/cold/contrast checkpoint's phases + elapsed (see neck_tui.resume).
"""

from __future__ import annotations

import fcntl
import marshal
import os
import sys
import time

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
CACHE_FILE = ".status.cache"
STATE_FILE = "state.toml"  # as neck_tui.store
SESSION_LOCK = ".session.lock"  # as neck_tui.terminal.SessionLock
_CACHE_VERSION = 1
SEP = " · "

FIELDS = (
    "line", "running", "kind", "session_id", "phase", "left", "seconds_left", "paused",
    "skin_check_due", "break_in", "break_in_s", "break_due", "breathing", "breathing_today",
    "breathing_goal_min", "breathing_goal_max",
)  # fmt: skip


# --- where things are --------------------------------------------------------------------------


def data_dir(given: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """As neck_tui.store.default_data_dir, without importing platformdirs on Linux (tested equal)."""
    env = os.environ if env is None else env
    if given:
        return os.path.expanduser(given)
    if env.get("NECK_TUI_DATA_DIR"):
        return os.path.expanduser(env["NECK_TUI_DATA_DIR"])
    if sys.platform.startswith("linux"):
        base = env.get("XDG_DATA_HOME", "").strip() or os.path.expanduser("~/.local/share")
        return os.path.join(os.path.expanduser(base), "neck-tui")
    import platformdirs

    return str(platformdirs.user_data_path("neck-tui", appauthor=False))


def shipped_content_dir() -> str:
    """As neck_tui.resources.content_dir, without pathlib."""
    package = os.path.dirname(os.path.abspath(__file__))
    installed = os.path.join(package, "_data", "content")
    return installed if os.path.isdir(installed) else os.path.join(os.path.dirname(package), "content")


def session_running(directory: str) -> bool:
    """Whether a neck-tui holds the session lock in `directory`, i.e. its checkpoint is live.

    Looked up in /proc/locks, so this never takes the lock itself (an instant's shared lock here
    could make the app's own non-blocking acquire fail). Elsewhere, a non-blocking probe.
    """
    path = os.path.join(directory, SESSION_LOCK)
    try:
        inode = os.stat(path).st_ino
        with open("/proc/locks", "rb") as f:
            table = f.read()
    except FileNotFoundError:
        return False
    except OSError:
        return _probe(path)
    # "1: FLOCK  ADVISORY  WRITE 4242 fe:00:123456 0 EOF"; the device is left out on purpose:
    # overlay filesystems show another device there than stat() does.
    suffix = b":%d" % inode
    return any(
        len(parts) > 5 and b"FLOCK" in parts and any(p.endswith(suffix) and p.count(b":") == 2 for p in parts)
        for parts in (line.split() for line in table.splitlines())
    )


def _probe(path: str) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False


# --- facts from the TOML files (parsed only when they changed) -----------------------------------


def _epoch(value: Any) -> float | None:
    """A TOML datetime (or ISO text) with an offset, as seconds since the epoch."""
    if isinstance(value, str):
        from datetime import datetime

        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if getattr(value, "tzinfo", None) is None or not hasattr(value, "timestamp"):
        return None
    return float(value.timestamp())


def checkpoint_facts(checkpoint: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the status needs from an [in_progress] checkpoint, as plain values.

    `segments` are the phases from the moment it was saved: [(word, seconds), ...]; the common
    keys give one (phase_label, phase_left), a thermal checkpoint without them the rest of its plan.
    """
    if not isinstance(checkpoint, dict) or not checkpoint:
        return None
    facts: dict[str, Any] = {
        "kind": str(checkpoint.get("kind") or ""),
        "id": str(checkpoint.get("id") or ""),
        "saved": _epoch(checkpoint.get("saved")),
        "paused": bool(checkpoint.get("paused", False)),
        "skin_check_due": bool(checkpoint.get("skin_check_due", False)),
        "break_due_at": _epoch(checkpoint.get("break_due_at")),
        "segments": [],
    }
    try:
        if checkpoint.get("phase_label"):
            left = checkpoint.get("phase_left")
            facts["segments"] = [(str(checkpoint["phase_label"]), None if left is None else float(left))]
        elif checkpoint.get("phases"):
            facts["segments"] = _thermal_segments(checkpoint)
    except (TypeError, ValueError, KeyError, AttributeError):
        facts["segments"] = []
    return facts


def _thermal_segments(checkpoint: Mapping[str, Any]) -> list[tuple[str, float]]:
    elapsed = max(0.0, float(checkpoint.get("elapsed", 0.0)))
    out: list[tuple[str, float]] = []
    for phase in checkpoint["phases"]:
        seconds = float(phase["seconds"])
        word = str(phase["kind"]).upper()  # HEAT / COLD / OFF, as the thermal screen shows them
        if elapsed >= seconds:
            elapsed -= seconds
            continue
        out.append((word, seconds - elapsed))
        elapsed = 0.0
    return out


def _parse_toml(path: str) -> dict[str, Any] | None:
    import tomllib

    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        return None


def _state_facts(path: str) -> Any:
    data = _parse_toml(path)
    return checkpoint_facts(data.get("in_progress")) if data else None


def _month_facts(path: str) -> Any:
    """Start times of the completed breathing sessions in one month file."""
    data = _parse_toml(path) or {}
    starts = []
    for session in data.get("session", []):
        if isinstance(session, dict) and session.get("kind") == "breathing" and session.get("completed") is True:
            started = _epoch(session.get("started"))
            if started is not None:
                starts.append(started)
    return starts


def _goal_facts(path: str) -> Any:
    table = (_parse_toml(path) or {}).get("breathing")
    if not isinstance(table, dict):
        return None
    low, high = table.get("daily_goal_min"), table.get("daily_goal_max")
    return (low, high) if isinstance(low, int) and isinstance(high, int) else None


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class FactCache:
    """Facts read from files, kept in <data dir>/.status.cache until the file changes."""

    def __init__(self, directory: str) -> None:
        self.path = os.path.join(directory, CACHE_FILE)
        self.files: dict[str, Any] = {}
        self.used: set[str] = set()  # what this run read: all the cache keeps
        self.changed = False
        try:
            with open(self.path, "rb") as f:
                cached = marshal.loads(f.read())
            if isinstance(cached, dict) and cached.get("v") == _CACHE_VERSION:
                self.files = cached["files"]
        except (OSError, ValueError, EOFError, TypeError, KeyError):
            self.files = {}

    def get(self, path: str, read: Any) -> Any:
        self.used.add(path)
        stamp = _stamp(path)
        if stamp is None:
            return None
        known = self.files.get(path)
        if known is not None and tuple(known[0]) == stamp:
            return known[1]
        facts = read(path)
        self.files[path] = (stamp, facts)
        self.changed = True
        return facts

    def save(self) -> None:
        """Write the cache back if anything was re-read; never fails (a read-only dir is slower)."""
        if not self.changed:
            return
        files = {p: v for p, v in self.files.items() if p in self.used}
        tmp = f"{self.path}.tmp-{os.getpid()}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(marshal.dumps({"v": _CACHE_VERSION, "files": files}))
            os.replace(tmp, self.path)
        except (OSError, ValueError):
            try:
                os.unlink(tmp)
            except OSError:
                pass


# --- today's breathing --------------------------------------------------------------------------


def _local_midnight(now: float) -> float:
    t = time.localtime(now)
    return time.mktime((t.tm_year, t.tm_mon, t.tm_mday, 0, 0, 0, 0, 0, -1))


def breathing_today(directory: str, now: float, cache: FactCache) -> int:
    """Completed breathing sessions started today (local day). The one place that counts them:
    it reads this month's history file (and last month's just after a month turns, in UTC)."""
    midnight = _local_midnight(now)
    months = sorted({time.strftime("%Y-%m", time.gmtime(midnight)), time.strftime("%Y-%m", time.gmtime(now))})
    count = 0
    for month in months:
        starts = cache.get(os.path.join(directory, "history", f"{month}.toml"), _month_facts) or []
        count += sum(1 for s in starts if midnight <= s < midnight + 86400 + 3600)  # +1h: DST days
    return count


def breathing_goal(cache: FactCache, content_dirs: list[str]) -> tuple[int, int] | None:
    """content/breathing.toml [breathing] daily_goal_min/max; a --content-dir file may override it."""
    goal = cache.get(os.path.join(shipped_content_dir(), "breathing.toml"), _goal_facts)
    for extra in content_dirs:
        try:
            names = sorted(n for n in os.listdir(extra) if n.endswith(".toml"))
        except OSError:
            continue
        for name in names:
            goal = cache.get(os.path.join(extra, name), _goal_facts) or goal
    return tuple(goal) if goal else None  # type: ignore[return-value]


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
    due_at = facts.get("break_due_at")
    if due_at is not None:
        wait = due_at - now
        out["break_due"] = wait <= 0
        out["break_in_s"] = max(0, int(-(-wait // 1)))
        out["break_in"] = f"{max(1, int(-(-wait // 60)))}m" if wait > 0 else "now"
    return out


def collect(
    directory: str, now: float | None = None, running: bool | None = None, content_dirs: list[str] | None = None
) -> dict[str, Any]:
    """The whole status as a flat dict (the --json object); `line` is the one-line form."""
    now = time.time() if now is None else now
    running = session_running(directory) if running is None else running
    cache = FactCache(directory)
    state_path = os.path.join(directory, STATE_FILE)
    facts = cache.get(state_path, _state_facts) if running else None
    out = status_at(facts, running, now)
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
