"""The idle reader: the user's ttys (utmp and /dev/pts) and their access times, set by the test."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from neck_tui.idle import USER_PROCESS, UTMP, IdleReader, utmp_ttys

NOW = 1_800_000_000.0


def tty(directory: Path, name: str, idle: float) -> Path:
    path = directory / name
    path.touch()
    os.utime(path, (NOW - idle, NOW - idle))  # atime: the last key pressed there
    return path


def utmp_entry(kind: int, line: str, user: str) -> bytes:
    zero = [0] * 4
    return UTMP.pack(kind, 42, line.encode(), b"ts/0", user.encode(), b"host", 0, 0, 0, 0, 0, *zero, b"")


def test_the_least_idle_of_the_users_ptys_counts(tmp_path: Path) -> None:
    tty(tmp_path, "0", idle=900)
    tty(tmp_path, "3", idle=75)
    tty(tmp_path, "ptmx", idle=1)  # the multiplexer, not a terminal
    reader = IdleReader(os.getuid(), "me", utmp=str(tmp_path / "none"), pts_dir=str(tmp_path), wall=lambda: NOW)
    assert reader() == pytest.approx(75)
    os.utime(tmp_path / "0", (NOW - 5, NOW - 5))  # a key pressed in another pane
    assert reader() == pytest.approx(5)


def test_other_users_ptys_do_not_count(tmp_path: Path) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root to give a file to another user")
    mine = tty(tmp_path, "1", idle=600)
    theirs = tty(tmp_path, "2", idle=3)
    os.chown(theirs, 54321, -1)
    reader = IdleReader(os.getuid(), "me", utmp=str(tmp_path / "none"), pts_dir=str(tmp_path), wall=lambda: NOW)
    assert reader.ttys() == [str(mine)] and reader() == pytest.approx(600)


def test_utmp_logins_of_the_user(tmp_path: Path) -> None:
    utmp = tmp_path / "utmp"
    utmp.write_bytes(
        utmp_entry(USER_PROCESS, "pts/7", "ana")
        + utmp_entry(USER_PROCESS, "tty2", "ana")
        + utmp_entry(USER_PROCESS, ":0", "ana")  # an X display, no tty
        + utmp_entry(USER_PROCESS, "pts/8", "bo")
        + utmp_entry(8, "pts/9", "ana")  # a dead process
    )
    assert utmp_ttys("ana", str(utmp)) == ["/dev/pts/7", "/dev/tty2"]
    assert utmp_ttys("ana", str(tmp_path / "missing")) == []


def test_no_tty_at_all_is_unknown_not_idle(tmp_path: Path) -> None:
    reader = IdleReader(
        os.getuid(), "me", utmp=str(tmp_path / "none"), pts_dir=str(tmp_path / "nope"), wall=lambda: NOW
    )
    assert reader() is None
