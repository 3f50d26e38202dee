"""The session lock: held by the process that runs a session, so another neck-tui on the same
data (a tmux pane beside it, a second SSH login, `neck-tui status`) knows the checkpoint in
state.toml [in_progress] is live and not one to offer for resume. The same kind of lock,
.breaks.lock, is held by a posture-break screen that waits for the next break, with the break's
due time written in it for `neck-tui status` (see neck_tui.status_data). No Textual here."""

from __future__ import annotations

import fcntl
import os

SESSION_LOCK = ".session.lock"
BREAKS_LOCK = ".breaks.lock"


class SessionLock:
    """An flock on <data dir>/.session.lock, held by the process running a timed session.

    Another neck-tui on the same data (a tmux pane next to it, a second SSH login) must not offer
    to resume, or close, a session that is still running. The kernel drops the lock when the
    process ends, however it ends, so a session cut off by a dropped link is free to resume.
    """

    def __init__(self, data_dir: str | os.PathLike[str], name: str = SESSION_LOCK) -> None:
        self.path = os.path.join(data_dir, name)  # os.path, not pathlib: `neck-tui status` imports this
        self._fd: int | None = None

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | getattr(os, "O_NOFOLLOW", 0), 0o600)
        except OSError:
            return None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        fd = self._open()
        if fd is None:
            return
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)  # another neck-tui runs a session too; nothing to hold
            return
        self._fd = fd

    def note(self, text: str) -> None:
        """Take the lock if free and keep `text` in its file (what status reads); never fails."""
        self.acquire()
        if self._fd is None:
            return
        data = text.encode()
        try:
            os.pwrite(self._fd, data, 0)  # then cut: a reader never sees the file empty
            os.ftruncate(self._fd, len(data))
        except OSError:
            pass  # a full disk: status shows no break, nothing else depends on it

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock

    def held_elsewhere(self) -> bool:
        """Another process (or another fd of this one) holds the lock: its session is running."""
        fd = self._open()
        return fd is not None and held(fd, fcntl.LOCK_EX)


def held(fd: int, mode: int) -> bool:
    """Whether another open file holds a flock that `mode` (LOCK_EX or LOCK_SH) would wait for;
    closes fd. Taking the lock for an instant is the price: prefer /proc/locks where it exists."""
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
    return False
