"""How long since the person last typed on any of their terminals, read as `w` does.

`w` shows each login's idle time as now minus the last access time (atime) of its tty: the
kernel sets it when the terminal's input is read, that is when a key is pressed there. This
reads the same for every tty of the user: the utmp login records (USER_PROCESS) with their
name, and the pseudo-terminals in /dev/pts owned by their uid (tmux panes, SSH logins, the
terminals of a desktop; many systems and containers write no utmp at all). It works over SSH
and with no desktop. No Textual here; nothing is written.
"""

from __future__ import annotations

import os
import pwd
import struct
import time
from typing import Callable, Iterable

UTMP_PATHS = ("/run/utmp", "/var/run/utmp")
# struct utmp on Linux (glibc, 64-bit and 32-bit alike): type, pid, line[32], id[4], user[32],
# host[256], exit (2 shorts), session, tv (2 int32), addr_v6[4], unused[20].
UTMP = struct.Struct("hi32s4s32s256shhiii4i20s")
USER_PROCESS = 7


def _text(raw: bytes) -> str:
    return raw.split(b"\0", 1)[0].decode(errors="replace")


def utmp_ttys(user: str, path: str | None = None) -> list[str]:
    """/dev/... paths of the user's logins in utmp (empty if there is no readable utmp)."""
    for candidate in (path,) if path else UTMP_PATHS:
        try:
            with open(candidate, "rb") as f:
                data = f.read()
        except OSError:
            continue
        ttys = []
        for offset in range(0, len(data) - UTMP.size + 1, UTMP.size):
            entry = UTMP.unpack_from(data, offset)
            line = _text(entry[2])
            # A line like ":0" is an X display, not a tty; ".." would leave /dev.
            if entry[0] == USER_PROCESS and _text(entry[4]) == user and line[:1] not in ("", ":") and ".." not in line:
                ttys.append(os.path.join("/dev", line))
        return ttys
    return []


def owned_ptys(uid: int, pts_dir: str = "/dev/pts") -> list[str]:
    try:
        names = os.listdir(pts_dir)
    except OSError:
        return []
    out = []
    for name in names:
        if not name.isdigit():  # ptmx
            continue
        path = os.path.join(pts_dir, name)
        try:
            if os.stat(path).st_uid == uid:
                out.append(path)
        except OSError:
            continue
    return out


def idle_seconds(paths: Iterable[str], now: float) -> float | None:
    """Seconds since the most recent input on any of these ttys; None if none can be read."""
    latest = None
    for path in paths:
        try:
            atime = os.stat(path).st_atime
        except OSError:
            continue
        latest = atime if latest is None else max(latest, atime)
    return None if latest is None else max(0.0, now - latest)


class IdleReader:
    """The user's idle time, now: the least idle of all their ttys (None if none is found)."""

    def __init__(
        self,
        uid: int | None = None,
        user: str | None = None,
        *,
        utmp: str | None = None,
        pts_dir: str = "/dev/pts",
        wall: Callable[[], float] = time.time,
    ) -> None:
        self.uid = os.getuid() if uid is None else uid
        if user is None:
            try:
                user = pwd.getpwuid(self.uid).pw_name
            except KeyError:
                user = ""
        self.user = user
        self.utmp = utmp
        self.pts_dir = pts_dir
        self.wall = wall

    def ttys(self) -> list[str]:
        return sorted(set(utmp_ttys(self.user, self.utmp)) | set(owned_ptys(self.uid, self.pts_dir)))

    def __call__(self) -> float | None:
        return idle_seconds(self.ttys(), self.wall())
