"""The Textual App: screen registry, global keys, command palette, signals and saving on exit."""

from __future__ import annotations

import os
import signal
import threading
import time
from datetime import datetime, timezone
from typing import Callable, Iterable, Protocol

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen

from neck_tui import resources
from neck_tui.activities import BY_NAME, ENTRIES
from neck_tui.content import Content
from neck_tui.screens import make_screen
from neck_tui.store import Store, StoreError
from neck_tui.terminal import (
    EXIT_STDIN_CLOSED,
    SessionLock,
    SizeGuard,
    StdinWatchdog,
    close_unfinished,
    offer_resume,
    watch_stdin,
)


class ActiveSession(Protocol):
    """A running timed session that must be saved if the app goes away.

    On a hang-up (SIGHUP, SIGTERM, stdin closed) a session whose checkpoint is in [in_progress]
    (its `session_log`, a SessionLog, has that id) is saved as not completed from that
    checkpoint, which is kept for the resume offer; see NeckApp.hang_up.
    """

    def abandon(self, reason: str) -> None:
        """Save the session now as not completed (synchronously, no UI)."""


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class NeckApp(App[int]):
    TITLE = "neck-tui"
    SUB_TITLE = "self-care for neck spasms"
    CSS_PATH = sorted(resources.styles_dir().glob("*.tcss"))

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+c", "quit", "Quit", show=False),
        Binding("question_mark,f1", "help", "Help"),
    ]

    def __init__(
        self,
        content: Content,
        store: Store,
        start: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = _utc_now,
    ) -> None:
        super().__init__()
        self.content = content
        self.store = store
        self.start_activity = start
        self.clock = clock
        self.now = now
        self._active_session: ActiveSession | None = None
        self._session_screen: Screen | None = None
        self._session_lock = SessionLock(store.data_dir)
        self._size_guard: SizeGuard | None = None
        self._stdin_watchdog: StdinWatchdog | None = None
        # After a hang-up: end the process at once. There is no terminal to restore, and closing
        # the screens would close the session that is being kept for resume. Tests replace it.
        self.leave_now: Callable[[int], None] = os._exit

    @property
    def active_session(self) -> ActiveSession | None:
        return self._active_session

    @active_session.setter
    def active_session(self, session: ActiveSession | None) -> None:
        # While a session runs, hold the session lock: another neck-tui on the same data then
        # knows the checkpoint in [in_progress] is live, not one to offer for resume.
        self._active_session = session
        # The screen that started it, so Home stops there instead of ending it unasked.
        self._session_screen = self.screen_stack[-1] if session is not None and self.screen_stack else None
        if session is None:
            self._session_lock.release()
        else:
            self._session_lock.acquire()

    # -- start-up ----------------------------------------------------------
    def on_mount(self) -> None:
        settings = self.store.state.settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self._install_signal_handlers()
        self._listen_to_sessions()
        self._size_guard = SizeGuard(self)
        if not self.is_headless:  # a real terminal: notice when its input goes away
            self._stdin_watchdog = watch_stdin(self)
        from neck_tui.screens.home import HomeScreen

        self.push_screen(HomeScreen())
        for message in self.store.notices:
            self.notify(message, title="Progress file kept aside", severity="warning", timeout=30)
        if not self.store.state.notice_accepted:
            from neck_tui.screens.notice import NoticeScreen

            self.push_screen(NoticeScreen(), self._notice_answered)
        else:
            self._open_start()

    def _listen_to_sessions(self) -> None:
        """The user's hooks and the terminal title follow the session events (issue 16)."""
        import asyncio
        from functools import partial

        from neck_tui import alerts
        from neck_tui.events import EventBus
        from neck_tui.hooks import Hooks
        from neck_tui.title import TerminalTitle

        if getattr(self, "events", None) is None:
            self.events = EventBus()
        loop = asyncio.get_running_loop()

        def report(line: str) -> None:  # from a hook's thread, or this one
            try:
                loop.call_soon_threadsafe(partial(self.notify, line, title="Hook", severity="warning", timeout=10))
            except RuntimeError:  # the app has closed
                pass

        settings = self.store.state.settings
        Hooks(settings.hooks, report, settings.hook_timeout_s).subscribe(self.events)
        self.title_writer = TerminalTitle(partial(alerts.write, self), enabled=lambda: self.store.state.settings.title)
        self.title_writer.subscribe(self.events)

    def _notice_answered(self, accepted: bool | None) -> None:
        if not accepted:
            self.exit(0)
            return
        self.store.update_state(lambda state: setattr(state, "notice_accepted", True))
        self._open_start()

    def _open_start(self) -> None:
        # A session cut off last time (a dropped SSH link) comes first: resume it or close it.
        offer_resume(self, then=self._open_start_activity)

    def _open_start_activity(self) -> None:
        if self.start_activity:
            self.action_open(self.start_activity)

    def _save_theme(self, theme: object) -> None:
        name = self.theme
        if self.store.state.settings.theme != name:
            self.store.update_state(lambda state: setattr(state.settings, "theme", name))

    # -- navigation ----------------------------------------------------------
    def action_open(self, name: str) -> None:
        """Open a screen by name (home, help, or an entry of neck_tui.activities)."""
        if name == "home":
            self.action_home()
        elif name == "help":
            self.action_help()
        else:
            self.push_screen(make_screen(BY_NAME[name]))

    def action_home(self) -> None:
        """Back to Home, but never past a running session: that needs its own stop (q/escape)."""
        holder = self._session_screen if self.active_session is not None else None
        while len(self.screen_stack) > 2:
            if self.screen is holder or (holder in self.screen_stack and isinstance(self.screen, ModalScreen)):
                self.notify(
                    "A session is still running: stop it first (q or escape), or ctrl+q to quit.",
                    title="Session running",
                )
                return
            self.pop_screen()

    def action_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from neck_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Home", "Back to the list of activities", self.action_home)
        for activity in ENTRIES:
            yield SystemCommand(
                f"Open {activity.title}", activity.description, lambda name=activity.name: self.action_open(name)
            )
        yield SystemCommand("Help", "All keys of this screen and the app", self.action_help)
        yield from super().get_system_commands(screen)

    # -- leaving ----------------------------------------------------------------
    def abandon_active(self, reason: str) -> None:
        """Save a running session as not completed; safe to call more than once."""
        session, self.active_session = self.active_session, None
        if session is not None:
            session.abandon(reason)

    async def action_quit(self) -> None:
        self.abandon_active("quit")
        self.exit(0)

    def on_resize(self, event: events.Resize) -> None:
        if self._size_guard is not None:
            self._size_guard.resized(event.size)

    def hang_up(self, reason: str) -> None:
        """The terminal went away or the process is told to end (SIGHUP, SIGTERM, stdin closed).

        A running session that has left a checkpoint is saved as not completed AND its
        checkpoint kept, so the data on disk is right even if the user never returns, and
        the next start offers to resume it (a resume or decline replaces that record). Any
        other running session is saved as not completed. Safe to call more than once."""
        session, self.active_session = self.active_session, None
        if session is None:
            return
        refresh = getattr(session, "checkpoint_now", None)
        if callable(refresh):
            try:
                refresh()  # so the saved record and the resume start from this moment, not the last tick
            except StoreError:
                pass  # the last checkpoint (at most 15 s old) will do
        checkpoint = self.store.state.in_progress
        if checkpoint and self._checkpointed(session):
            close_unfinished(self.store, checkpoint, reason, keep_checkpoint=True)
        else:
            session.abandon(reason)

    def _checkpointed(self, session: ActiveSession) -> bool:
        """[in_progress] holds this session's checkpoint (matched by its SessionLog's id)."""
        checkpoint = self.store.state.in_progress
        log = getattr(session, "session_log", session)  # a screen keeps its SessionLog there
        record_id = getattr(log, "id", None)
        return bool(checkpoint) and record_id is not None and checkpoint.get("id") == record_id

    def terminal_gone(self, reason: str) -> None:
        """The terminal's input closed without a signal (see neck_tui.terminal)."""
        self.hang_up(reason)
        self.leave_now(EXIT_STDIN_CLOSED)

    def on_unmount(self) -> None:
        if getattr(self, "title_writer", None) is not None:
            self.title_writer.restore()
        if self._stdin_watchdog is not None:
            self._stdin_watchdog.stop()
        self._session_lock.release()

    def _install_signal_handlers(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread / platform
                pass

    def _on_signal(self, signum: int) -> None:
        self.hang_up(signal.Signals(signum).name)
        if signum == signal.SIGHUP:  # the link dropped: no terminal to restore
            self.leave_now(128 + signum)
            return
        # The terminal may be gone too and restoring it may block: give the normal
        # shutdown a moment, then leave regardless.
        timer = threading.Timer(2.0, os._exit, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        self.exit(128 + signum, return_code=128 + signum)
