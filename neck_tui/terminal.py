"""The terminal the app runs in: a notice when it is too small, a watchdog for a closed stdin,
and the offer to resume a session that a dropped link cut off.

Over SSH and in tmux the terminal can shrink to a sliver or vanish without a SIGHUP:

- ``SizeGuard`` lays a "please enlarge the terminal" notice over whatever screen is showing
  while the terminal is smaller than ``MIN_WIDTH`` x ``MIN_HEIGHT``, and takes it away once it is
  large enough again. Nothing underneath is popped or paused: a running session goes on.
- ``StdinWatchdog`` waits (in a daemon thread, blocked in ``poll``; no busy loop) for the input
  fd to hang up or close. Textual's input thread never notices: on EOF its read returns nothing
  and it spins a core. ``watch_stdin`` wires the watchdog to the app's hang-up (keep a
  checkpointed session for resume, save any other, leave), forced if the app is stuck.
- ``offer_resume`` runs at start-up: a heat/cold/contrast session cut off by a dropped link
  (its checkpoint is in state.toml [in_progress], see neck_tui.resume) is offered to carry on,
  where it would be now; declined, too old or not resumable, it is saved as not completed.
"""

from __future__ import annotations

import asyncio
import contextvars
import fcntl
import os
import select
import sys
import textwrap
import threading
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping

from pydantic import ValidationError
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.geometry import Size
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from neck_tui import resume
from neck_tui.session import SessionLog
from neck_tui.store import Record, Store, StoreError

if TYPE_CHECKING:
    from neck_tui.app import NeckApp

MIN_WIDTH = 40
MIN_HEIGHT = 15
POLL_INTERVAL_S = 0.5  # how often the watchdog looks up from poll() to see if it should stop
EXIT_GRACE_S = 0.6  # after asking the app to exit, how long before leaving without it
EXIT_STDIN_CLOSED = 129  # as after a SIGHUP: the terminal went away

_HANGUP = select.POLLHUP | select.POLLERR | select.POLLNVAL


def minimum_for(screen: Screen | None) -> tuple[int, int]:
    """A screen made for small panes (posture breaks) may set MIN_SIZE lower than the app's."""
    return getattr(screen, "MIN_SIZE", (MIN_WIDTH, MIN_HEIGHT))


def too_small(size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> bool:
    width, height = size
    return width < minimum[0] or height < minimum[1]


def enlarge_text(size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> str:
    return _enlarge_texts(size, minimum)[0][0]


def _enlarge_texts(size: Size | tuple[int, int], minimum: tuple[int, int]) -> list[tuple[str, bool]]:
    """The notice's wordings, longest first, each with whether it needs no padding; the first
    one that fits the terminal first (the shortest is readable whole at 10x5)."""
    width, height = size
    need = f"{minimum[0]}x{minimum[1]}"
    texts = [
        (f"Please enlarge the terminal to at least {need} (now {width}x{height}). "
         "Anything running keeps running. Ctrl+Q quits.", False),
        (f"Enlarge to {need} (now {width}x{height}). Ctrl+Q quits.", True),
        (f"Enlarge to {need}. Ctrl+Q quits.", True),
    ]  # fmt: skip
    for i, (text, bare) in enumerate(texts):
        # A scrollbar of the screen underneath may take 2 columns; padding is 1 row, 2 columns.
        room = width - 2 - (0 if bare else 4), height - (0 if bare else 2)
        if room[0] > 0 and len(textwrap.wrap(text, room[0])) <= room[1]:
            return texts[i:]
    return texts[-1:]


def _bare(size: Size | tuple[int, int], minimum: tuple[int, int]) -> bool:
    return _enlarge_texts(size, minimum)[0][1]


class SizeNotice(Static):
    """Covers its screen (in its own layer, see styles/terminal.tcss) while the terminal is too small."""

    def __init__(self, size: Size | tuple[int, int], minimum: tuple[int, int] = (MIN_WIDTH, MIN_HEIGHT)) -> None:
        super().__init__(enlarge_text(size, minimum), classes="-tiny" if _bare(size, minimum) else "")
        self.shown_size = tuple(size)
        self.minimum = minimum

    def show_size(self, size: Size | tuple[int, int]) -> None:
        if tuple(size) != self.shown_size:  # repaint only when the text changes
            self.shown_size = tuple(size)
            self.set_class(_bare(size, self.minimum), "-tiny")
            self.update(enlarge_text(size, self.minimum))


class SizeGuard:
    """Keeps a SizeNotice on the current screen exactly while the terminal is too small."""

    def __init__(self, app: "NeckApp") -> None:
        self.app = app
        self.size: Size = app.size
        app.screen_change_signal.subscribe(app, self._screen_changed)

    @property
    def showing(self) -> bool:
        return too_small(self.size, minimum_for(self.app.screen))

    def resized(self, size: Size) -> None:
        self.size = size
        self.check()

    def _screen_changed(self, screen: Screen) -> None:
        self.check()

    def check(self) -> None:
        """Add the notice to the current screen if too small; remove every notice if not."""
        if not self.app.is_running:
            return
        notices = [n for s in self.app.screen_stack for n in s.query(SizeNotice)]
        if not self.showing:
            for notice in notices:
                notice.remove()
            return
        screen = self.app.screen
        for notice in notices:
            if notice.screen is screen:
                notice.show_size(self.size)
                return
        screen.mount(SizeNotice(self.size, minimum_for(screen)))


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


# --- the resume offer at start-up -----------------------------------------------------------------

SESSION_LOCK = ".session.lock"


class SessionLock:
    """An flock on <data dir>/.session.lock, held by the process running a timed session.

    Another neck-tui on the same data (a tmux pane next to it, a second SSH login) must not offer
    to resume, or close, a session that is still running. The kernel drops the lock when the
    process ends, however it ends, so a session cut off by a dropped link is free to resume.
    """

    def __init__(self, data_dir: Path) -> None:
        self.path = Path(data_dir) / SESSION_LOCK
        self._fd: int | None = None

    def _open(self) -> int | None:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
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

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing drops the flock

    def held_elsewhere(self) -> bool:
        """Another process (or another fd of this one) holds the lock: its session is running."""
        fd = self._open()
        if fd is None:
            return False
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        except OSError:
            return False
        finally:
            os.close(fd)
        return False



class ResumeOffer(ModalScreen[bool]):
    """Asked at start-up when a timed session was cut off: carry it on (True) or close it (False)."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Resume"),
        Binding("n,escape", "answer(False)", "Close it"),
    ]

    def __init__(self, what: str, finished: bool = False) -> None:
        super().__init__()
        self.what = what
        self.finished = finished

    def compose(self) -> ComposeResult:
        if self.finished:
            question = f"{self.what}. Finish it (pain check and save)?"
            help_text = "y or Enter: finish it.  n: close it as not completed."
        else:
            question = f"Resume {self.what}?"
            help_text = (
                "Time away counts: the timer ran on while you were gone.\n"
                "y or Enter: resume.  n: close it as not completed."
            )
        with Vertical(id="resume-box"):
            yield Static("A session was cut off", id="resume-title")
            yield Static(question, id="resume-question")
            yield Static(help_text, id="resume-help")
        yield Footer()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


def _when(value: Any) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return None
    if isinstance(moment, datetime) and moment.tzinfo is not None:
        return moment
    return None


def _too_old(checkpoint: Mapping[str, Any], now: datetime) -> bool:
    """The session would have ended more than resume.STALE_AFTER_S before now."""
    try:
        total = sum(resume.phase_from_dict(p).seconds for p in checkpoint["phases"])
        saved = _when(checkpoint["saved"])
        elapsed = float(checkpoint.get("elapsed", 0.0))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    if saved is None:
        return False
    return elapsed + (now - saved).total_seconds() > total + resume.STALE_AFTER_S


def _ran(checkpoint: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The phases the session had been through by its checkpoint, with the seconds each ran."""
    try:
        left = float(checkpoint.get("elapsed", 0.0))
        out = []
        for data in checkpoint.get("phases", []):
            if left <= 0:
                break
            phase = resume.phase_from_dict(data)
            seconds = min(left, phase.seconds)
            out.append(
                {
                    "kind": phase.kind,
                    "round": int(phase.meta.get("round", 1)),
                    "seconds": round(seconds, 1),
                    "planned": round(phase.seconds, 1),
                }
            )
            left -= seconds
        return out
    except (KeyError, TypeError, ValueError, AttributeError):
        return []


def close_unfinished(
    store: Store, checkpoint: Mapping[str, Any], reason: str, keep_checkpoint: bool = False
) -> Record | None:
    """Save a cut-off session as not completed, from its checkpoint, and clear [in_progress].

    With keep_checkpoint the record is provisional: [in_progress] stays for the resume offer,
    and a resume or a decline later replaces the record (same id).
    It ended, as far as anyone knows, when it was last checkpointed. None (and [in_progress]
    cleared all the same) if the checkpoint cannot make a record. Raises StoreError if the
    record cannot be written; [in_progress] is then left for the next start.
    """
    ended = _when(checkpoint.get("saved")) or store.now()
    details = dict(checkpoint.get("details") or {})
    for key in ("regimen", "rounds", "skin_checks"):
        if key in checkpoint:
            details[key] = checkpoint[key]
    phases = _ran(checkpoint)
    if phases:
        details["phases"] = phases
        details["phases_done"] = sum(1 for p in phases if p["seconds"] >= p["planned"])
    started = _when(checkpoint.get("started"))
    record = None
    if started is not None and checkpoint.get("id") and checkpoint.get("kind"):
        log = SessionLog(
            store,
            str(checkpoint["kind"]),
            lambda: max(ended, started),
            pain_before=checkpoint.get("pain_before"),
            details=details,
            started=started,
            record_id=str(checkpoint["id"]),
        )
        try:
            record = log.finish(False, keep_checkpoint=keep_checkpoint, stopped=reason)
        except ValidationError:
            record = None  # it can never make a record: drop it below
        # A StoreError (the disk) propagates: [in_progress] stays, to be tried again next start.
    if not keep_checkpoint and store.state.in_progress is not None:
        store.set_in_progress(None)
    return record


def _title(checkpoint: Mapping[str, Any]) -> str:
    kind = str(checkpoint.get("kind") or "timed")
    started = _when(checkpoint.get("started"))
    at = f" from {started.astimezone().strftime('%H:%M')}" if started else ""
    return f"The {kind} session{at}"


def _close(app: "NeckApp", checkpoint: Mapping[str, Any], reason: str, message: str) -> None:
    try:
        record = close_unfinished(app.store, checkpoint, reason)
    except StoreError as e:
        app.notify(f"Could not save the unfinished session: {e}", severity="error", timeout=30)
        return
    if record is None:
        app.notify("An unfinished session could not be read; it was cleared.", severity="warning", timeout=10)
    else:
        app.notify(message, timeout=10)


def offer_resume(app: "NeckApp", then: Callable[[], None]) -> None:
    """At start-up: deal with a session cut off last time ([in_progress]), then call ``then``.

    A thermal session that can still be carried on is offered: yes opens it where it would be
    now (and ``then`` is not called), no closes it as not completed. One that is too old, or that
    cannot be resumed, is closed as not completed without asking, with a one-line notice.
    """
    checkpoint = app.store.state.in_progress
    if not checkpoint:
        then()
        return
    if SessionLock(app.store.data_dir).held_elsewhere():
        app.notify(f"{_title(checkpoint)} is running in another neck-tui; it is left to that one.", timeout=8)
        then()
        return
    now = app.now()
    plan = resume.plan_resume(checkpoint, now)
    if plan is None:
        if _too_old(checkpoint, now):
            why, reason = "ended over an hour ago", "too old to resume"
        else:
            why, reason = "cannot be resumed", "could not be resumed"
        _close(app, checkpoint, reason, f"{_title(checkpoint)} {why}: saved as not completed.")
        then()
        return

    def answered(carry_on: bool | None) -> None:
        current = app.store.state.in_progress
        if not current or current.get("id") != checkpoint.get("id"):
            then()  # dealt with meanwhile (by another neck-tui)
            return
        if carry_on:
            from neck_tui.screens.thermal import ThermalScreen

            app.push_screen(ThermalScreen(plan.kind, resume=current))
            return
        _close(app, current, "not resumed", f"{_title(current)} was saved as not completed.")
        then()

    app.push_screen(ResumeOffer(resume.describe(checkpoint, now), finished=plan.finished), answered)
