"""Run a program in a pseudo-terminal and watch it like a user would.

`Term` spawns a command in a pty of a fixed size (pexpect), reads everything it writes on a
background thread, timestamps and counts the bytes, and feeds them to a pyte screen so the
benchmark can wait for text to appear ("Home is visible") and press keys. During a measurement
window the reader only counts bytes (pyte is fed afterwards), so the benchmark itself stays cheap
and does not compete with the program it measures.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from dataclasses import dataclass
from typing import Callable, Sequence

import pexpect
import pyte

COLS, ROWS = 80, 24

try:  # psutil is in the bench extra; /proc is enough on Linux without it.
    import psutil
except ImportError:  # pragma: no cover - depends on the environment
    psutil = None  # type: ignore[assignment]


def cpu_seconds(pid: int) -> float:
    """CPU seconds used so far by process pid, all its threads: the scheduler's nanosecond count
    (/proc/PID/task/*/schedstat) where there is one, else user + system time (10 ms ticks, too
    coarse for a 1 Hz countdown's fraction of a percent over a few seconds)."""
    try:
        total = 0
        for task in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{task}/schedstat", "rb") as fh:
                    total += int(fh.read().split()[0])
            except FileNotFoundError:  # a thread that has just ended
                continue
        return total / 1e9
    except (OSError, ValueError, IndexError):
        pass
    if psutil is not None:
        times = psutil.Process(pid).cpu_times()
        return times.user + times.system
    with open(f"/proc/{pid}/stat", "rb") as fh:
        fields = fh.read().rsplit(b")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15)


def peak_rss(pid: int) -> int | None:
    """Peak resident set size of pid in bytes (VmHWM), or the current RSS where /proc has no peak."""
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    if psutil is not None:
        try:
            return int(psutil.Process(pid).memory_info().rss)
        except psutil.Error:
            return None
    return None


@dataclass
class Window:
    """What a program did during a measurement window."""

    seconds: float
    bytes: int
    cpu_s: float
    chunks: list[tuple[float, int]]  # (time since window start, bytes) of each read

    @property
    def bytes_per_s(self) -> float:
        return self.bytes / self.seconds

    @property
    def cpu_percent(self) -> float:
        return 100.0 * self.cpu_s / self.seconds


class Term:
    """A program running in a pseudo-terminal (80x24 unless told), with a pyte screen of what it shows."""

    def __init__(
        self,
        argv: Sequence[str],
        env: dict[str, str] | None = None,
        cwd: str | None = None,
        cols: int = COLS,
        rows: int = ROWS,
    ) -> None:
        self.argv = list(argv)
        self.screen = pyte.Screen(cols, rows)
        self.stream = pyte.ByteStream(self.screen)
        self._cond = threading.Condition()
        self._pending: list[bytes] = []  # read but not yet fed to pyte (while counting only)
        self._counting_only = False
        self._chunks: list[tuple[float, int]] = []
        self._watchers: list[tuple[Callable[[], bool], list[float]]] = []
        self._trace: tuple[Callable[[str], object], list[tuple[float, object]]] | None = None
        self.total_bytes = 0
        self.closed = False
        self.spawned_at = time.monotonic()
        self.child = pexpect.spawn(
            self.argv[0], self.argv[1:], env=env, cwd=cwd, dimensions=(rows, cols), echo=False
        )
        self.pid: int = self.child.pid
        self._fd: int = self.child.child_fd
        self._reader = threading.Thread(target=self._read_loop, name="term-reader", daemon=True)
        self._reader.start()

    # -- reading ------------------------------------------------------------
    def _read_loop(self) -> None:
        while True:
            try:
                data = os.read(self._fd, 65536)
            except OSError:
                data = b""
            now = time.monotonic()
            with self._cond:
                if not data:
                    self.closed = True
                    self._cond.notify_all()
                    return
                self.total_bytes += len(data)
                self._chunks.append((now, len(data)))
                if self._counting_only:
                    self._pending.append(data)
                    continue
                self._feed(data)
                for predicate, hit in self._watchers:
                    if not hit and predicate():
                        hit.append(now)
                if self._trace is not None:
                    fn, seen = self._trace
                    value = fn("\n".join(self.screen.display))
                    if not seen or seen[-1][1] != value:
                        seen.append((now, value))
                self._cond.notify_all()

    def _feed(self, data: bytes) -> None:
        if self._pending:
            pending, self._pending = b"".join(self._pending), []
            self.stream.feed(pending)
        self.stream.feed(data)

    def text(self) -> str:
        """The screen as it is now, one line per row."""
        with self._cond:
            self._feed(b"")
            return "\n".join(self.screen.display)

    def contains(self, *needles: str) -> bool:
        with self._cond:
            self._feed(b"")
            shown = "\n".join(self.screen.display)
        return all(n in shown for n in needles)

    def wait_for(self, predicate: Callable[[str], bool], timeout: float = 20.0) -> float:
        """Wait until predicate(screen text) holds; return the monotonic time of the read that made it so."""
        deadline = time.monotonic() + timeout
        hit: list[float] = []

        def check() -> bool:
            return predicate("\n".join(self.screen.display))

        with self._cond:
            self._feed(b"")
            if check():
                return time.monotonic()
            watcher = (check, hit)
            self._watchers.append(watcher)
            try:
                while not hit:
                    left = deadline - time.monotonic()
                    if self.closed or left <= 0:
                        shown = "\n".join(self.screen.display)
                        why = "the program exited" if self.closed else f"nothing after {timeout:.0f} s"
                        raise TimeoutError(f"{' '.join(self.argv)}: {why}; the screen shows:\n{shown}")
                    self._cond.wait(min(left, 0.5))
            finally:
                self._watchers.remove(watcher)
        return hit[0]

    def wait_text(self, *needles: str, timeout: float = 20.0) -> float:
        return self.wait_for(lambda shown: all(n in shown for n in needles), timeout)

    def wait_quiet(self, quiet: float = 1.0, timeout: float = 10.0) -> None:
        """Wait until nothing has been written for `quiet` seconds (or timeout)."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            with self._cond:
                last = self._chunks[-1][0] if self._chunks else self.spawned_at
            if time.monotonic() - last >= quiet:
                return
            time.sleep(0.05)

    def trace(self, fn: Callable[[str], object] | None) -> list[tuple[float, object]]:
        """Record (time, fn(screen text)) each time the value changes, until trace(None).
        Returns the list that fills up (the previous trace's list when stopping one)."""
        with self._cond:
            self._feed(b"")
            old = self._trace[1] if self._trace else []
            if fn is None:
                self._trace = None
                return old
            seen: list[tuple[float, object]] = [(time.monotonic(), fn("\n".join(self.screen.display)))]
            self._trace = (fn, seen)
            return seen

    # -- measuring ----------------------------------------------------------
    def measure_windows(self, count: int, seconds: float) -> list[Window]:
        """`count` windows of `seconds` each, one after the other."""
        return [self.measure(seconds) for _ in range(count)]

    def measure(self, seconds: float) -> Window:
        """Count bytes written and CPU used over the next `seconds`."""
        with self._cond:
            self._counting_only = True
            start_index = len(self._chunks)
        cpu0 = cpu_seconds(self.pid)
        t0 = time.monotonic()
        time.sleep(seconds)
        cpu1 = cpu_seconds(self.pid)
        t1 = time.monotonic()
        with self._cond:
            self._counting_only = False
            chunks = [(t - t0, n) for t, n in self._chunks[start_index:] if t <= t1]
            self._chunks = self._chunks[-1:]  # keep the last read time for wait_quiet
        return Window(t1 - t0, sum(n for _, n in chunks), cpu1 - cpu0, chunks)

    def peak_rss(self) -> int | None:
        return peak_rss(self.pid)

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    # -- input and shutdown ---------------------------------------------------
    def press(self, *keys: str) -> None:
        """Send keys as the terminal would: names like "enter", "escape", "space" or plain text."""
        for key in keys:
            os.write(self._fd, KEYS.get(key, key.encode()))
            time.sleep(0.05)

    def close(self, timeout: float = 5.0) -> None:
        """Ask the program to quit (ctrl+q), then terminate it if it does not."""
        if not self.closed and self.child.isalive():
            try:
                os.write(self._fd, KEYS["ctrl+q"])
            except OSError:
                pass
            end = time.monotonic() + timeout
            while self.child.isalive() and time.monotonic() < end:
                time.sleep(0.05)
        if self.child.isalive():
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            time.sleep(0.5)
        self.child.close(force=True)
        self._reader.join(timeout=2)

    def __enter__(self) -> "Term":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


KEYS: dict[str, bytes] = {
    "enter": b"\r",
    "escape": b"\x1b",
    "space": b" ",
    "tab": b"\t",
    "up": b"\x1b[A",
    "down": b"\x1b[B",
    "right": b"\x1b[C",
    "left": b"\x1b[D",
    "ctrl+q": b"\x11",
    "ctrl+c": b"\x03",
}
