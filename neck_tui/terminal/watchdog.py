"""A watchdog for a terminal whose input closes without a SIGHUP.

``StdinWatchdog`` waits (in a daemon thread, blocked in ``poll``; no busy loop) for the input fd
to hang up or close. Textual's input thread never notices: on EOF its read returns nothing and it
spins a core. ``watch_stdin`` wires the watchdog to the app's hang-up (the running session is
kept or saved through its lifecycle), forced if the app is stuck.
"""

from __future__ import annotations

import asyncio
import contextvars
import os
import select
import sys
import threading
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from neck_tui.app import NeckApp

POLL_INTERVAL_S = 0.5  # how often the watchdog looks up from poll() to see if it should stop
EXIT_GRACE_S = 0.6  # after asking the app to exit, how long before leaving without it
EXIT_STDIN_CLOSED = 129  # as after a SIGHUP: the terminal went away

_HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL


class StdinWatchdog:
    """Calls ``on_closed`` once, from a daemon thread, when ``fd`` hangs up, errors or is closed.

    It blocks in poll() asking for no events at all, so only a hang-up, an error or an invalid
    fd wake it; it looks up every ``interval`` seconds only to see whether it was stopped. A fd
    that was a terminal and no longer is (a revoked tty) counts as closed too.
    """

    def __init__(self, fd: int, on_closed: Callable[[], None], interval: float = POLL_INTERVAL_S) -> None:
        self.fd = fd
        self.on_closed = on_closed
        self.interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="neck-tui-stdin-watchdog", daemon=True)

    def start(self) -> "StdinWatchdog":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()

    def wait_stopped(self, timeout: float) -> bool:
        """Block until stop() is called (True) or timeout seconds pass (False)."""
        return self._stop.wait(timeout)

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _closed(self, poller: "select.poll", was_tty: bool) -> bool:
        events = poller.poll(int(self.interval * 1000))
        if any(mask & _HANGUP for _fd, mask in events):
            return True
        return was_tty and not os.isatty(self.fd)

    def _run(self) -> None:
        try:
            was_tty = os.isatty(self.fd)
            poller = select.poll()
            poller.register(self.fd, 0)
        except (OSError, ValueError):
            return  # no usable fd to watch
        while not self._stop.is_set():
            if self._closed(poller, was_tty):
                if not self._stop.is_set():
                    self.on_closed()
                return


def watch_stdin(
    app: "NeckApp",
    fd: int | None = None,
    *,
    grace: float = EXIT_GRACE_S,
    hard_exit: Callable[[int], None] = os._exit,
) -> StdinWatchdog:
    """Start a watchdog on the app's input fd: when it closes, save, exit, and be gone within a second.

    The app is asked (on its own event loop) to hang up: keep or save the running session and
    leave. If it is still here after ``grace`` seconds (its loop stuck, a terminal write blocked),
    the watchdog hangs up from its own thread (a second hang-up finds nothing to do) and ends
    the process.
    """
    if fd is None:
        fd = sys.__stdin__.fileno() if sys.__stdin__ is not None else 0
    # Called on the app's loop: remember it and the app's context, the one safe way back in.
    loop = asyncio.get_running_loop()
    context = contextvars.copy_context()

    def on_closed() -> None:
        try:
            loop.call_soon_threadsafe(app.terminal_gone, "stdin closed", context=context)
        except RuntimeError:  # the loop is closed already: the app is on its way out
            pass
        if watchdog.wait_stopped(grace):
            return  # the app shut down in time (it stops the watchdog on unmount)
        app.hang_up("stdin closed")  # a second call finds nothing left to do
        hard_exit(EXIT_STDIN_CLOSED)

    watchdog = StdinWatchdog(fd, on_closed)
    return watchdog.start()
