"""Safe file operations for the store: no link is followed when writing, nothing is chmodded
that the store did not create, every replacement is atomic, and errors are one line naming what
failed ("is read-only", "is owned by uid 1000"). No Textual, no models here.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from contextlib import suppress
from pathlib import Path

NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class StoreError(Exception):
    """A problem with the user's data files; str() is one line naming the file and the problem."""


def one_line(text: object) -> str:
    return " ".join(str(text).split())


def why(e: OSError) -> str:
    """What an OSError means, in the words a user can act on."""
    if e.errno == errno.EROFS:
        return "the file system is read-only"
    if e.errno == errno.ELOOP:
        return "it is a symbolic link (refused)"
    return one_line(e.strerror or e)


def read_bytes(path: Path) -> bytes | None:
    """The only way the store reads a data file; None if it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise StoreError(f"cannot read {path}: {why(e)}") from None


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace path with payload (private, 0600): a kill at any instant leaves old or new.
    mkstemp creates its file with O_EXCL (never through a link) and rename replaces a link at
    path rather than writing through it."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), 0o600)  # our own new file
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)  # make the rename itself durable


def write_hint(path: Path, payload: bytes) -> bool:
    """Write a small hint file (a cache: torn or missing only costs a re-read); never through a
    link. False if it could not be written."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | NOFOLLOW | os.O_CLOEXEC, 0o600)
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
    except OSError:
        return False
    return True


def refuse_link(path: Path) -> None:
    """StoreError if path is a symbolic link (for files opened by libraries without O_NOFOLLOW)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise StoreError(f"cannot use {path}: {why(e)}") from None
    if stat.S_ISLNK(st.st_mode):
        raise StoreError(f"{path} is a symbolic link; neck-tui does not follow links there: remove it")


def free_name(base: Path) -> Path:
    """base, or base-2, base-3...: a name nothing (not even a dangling link) has."""
    target, n = base, 2
    while os.path.lexists(target):
        target = base.with_name(f"{base.name}-{n}")
        n += 1
    return target


def remove(path: Path) -> None:
    """Remove a file whose bytes the caller has already copied elsewhere."""
    try:
        os.unlink(path)
        fsync_dir(path.parent)
    except FileNotFoundError:
        pass
    except OSError as e:
        raise StoreError(f"cannot remove {path}: {why(e)}") from None


def check_private_dir(path: Path) -> None:
    """Refuse a directory that is not ours or that group/others can write (never chmod it)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return
    except OSError as e:
        raise StoreError(f"cannot use data directory {path}: {why(e)}") from None
    if not stat.S_ISDIR(st.st_mode):
        raise StoreError(f"data directory {path} is not a directory; use --data-dir to pick another")
    uid = os.getuid()
    if st.st_uid != uid:
        raise StoreError(
            f"data directory {path} is owned by uid {st.st_uid}, not by you (uid {uid}); "
            f"run neck-tui as its owner or use --data-dir with a directory of your own"
        )
    if st.st_mode & 0o022:
        raise StoreError(
            f"data directory {path} can be written by other users (mode {stat.S_IMODE(st.st_mode):04o}); "
            f"fix it with: chmod go-w {path}"
        )


def make_private_dir(path: Path) -> None:
    """Create path and any missing parents as 0700; chmod only the directories created here."""
    missing = []
    p = path
    while not os.path.lexists(p):
        missing.append(p)
        p = p.parent
    for d in reversed(missing):
        try:
            os.mkdir(d, 0o700)
        except FileExistsError:
            continue  # another process made it at the same moment; not ours to chmod
        except OSError as e:
            raise StoreError(f"cannot create {d}: {why(e)}") from None
        os.chmod(d, 0o700)  # mkdir's mode is filtered by the umask; chmod is not
    check_private_dir(path)
