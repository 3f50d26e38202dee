"""What `neck-tui status` reads: the session lock, the checkpoint, today's breathing, the goal.

Cheap on purpose (see neck_tui.status): no Textual, pydantic, store or content models, and no
tomllib unless a file changed since the last run. What the TOML files said is kept in
<data dir>/.status.cache (marshal, keyed by each file's inode, size and mtime); deleting it is
harmless.
"""

from __future__ import annotations

import fcntl
import marshal
import os
import sys
import time

from neck_tui.terminal.session_lock import held

TYPE_CHECKING = False  # not typing's: importing typing (and so re) costs more than the budget
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

CACHE_FILE = ".status.cache"
STATE_FILE = "state.toml"  # as neck_tui.store
SESSION_LOCK = ".session.lock"  # as neck_tui.terminal.SessionLock
BREAKS_LOCK = ".breaks.lock"  # as neck_tui.terminal.session_lock: a breaks screen waiting
_CACHE_VERSION = 1


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


def session_running(directory: str, name: str = SESSION_LOCK) -> bool:
    """Whether a neck-tui holds the session lock in `directory`, i.e. its checkpoint is live
    (name=BREAKS_LOCK: whether a posture-break screen waits there).

    Looked up in /proc/locks, so this never takes the lock itself (an instant's shared lock here
    could make the app's own non-blocking acquire fail). Elsewhere, a non-blocking probe.
    """
    path = os.path.join(directory, name)
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


def waiting_break(directory: str) -> float | None:
    """When the next posture break is due (epoch seconds), if a breaks screen waits for it."""
    if not session_running(directory, BREAKS_LOCK):
        return None
    try:
        with open(os.path.join(directory, BREAKS_LOCK), "rb") as f:
            return float(f.read(64))
    except (OSError, ValueError):
        return None  # outside working hours the file is empty


def _probe(path: str) -> bool:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)  # never O_CREAT: status writes nothing
    except OSError:
        return False
    return held(fd, fcntl.LOCK_SH)


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
        # A thermal plan says what comes after this phase too (HEAT rolls into OFF while the
        # app is away); otherwise the phase the session last showed.
        if checkpoint.get("phases"):
            facts["segments"] = _thermal_segments(checkpoint)
        elif checkpoint.get("phase_label"):
            left = checkpoint.get("phase_left")
            facts["segments"] = [(str(checkpoint["phase_label"]), None if left is None else float(left))]
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


def checkpoint(directory: str, cache: FactCache) -> dict[str, Any] | None:
    """The facts of state.toml [in_progress] (see checkpoint_facts); None if there is none."""
    return cache.get(os.path.join(directory, STATE_FILE), _state_facts)


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
