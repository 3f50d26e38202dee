"""The Textual App: screen registry, global keys, command palette, signals and saving on exit."""

from __future__ import annotations

import gc
import os
import signal
import threading
import time
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Sequence

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import ModalScreen, Screen

from neck_tui import glyphs, resources, resume
from neck_tui.activities import BY_NAME, ENTRIES
from neck_tui.content import Content
from neck_tui.dialogs.confirm import Confirm
from neck_tui.events import EventBus
from neck_tui.lifecycle import Saver, Session, read_or_none
from neck_tui.screens import make_screen
from neck_tui.store import Store, StoreError
from neck_tui.terminal.console import ConsoleGlyphs
from neck_tui.terminal.session_lock import SessionLock
from neck_tui.terminal.size import SizeGuard
from neck_tui.terminal.watchdog import EXIT_STDIN_CLOSED, StdinWatchdog, watch_stdin

RETRY_SAVES_S = 30.0  # how often writes that failed (a full disk) are tried again


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class NeckApp(App[int]):
    TITLE = "neck-tui"
    SUB_TITLE = "self-care for neck spasms"
    CSS_PATH = sorted(resources.styles_dir().glob("*.tcss"))
    # Every screen without its own: -narrow below 60 columns (styles/app.tcss: the palette hint gives way).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]

    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, show=False),  # in help (?): the Footer keeps room for ? Help
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
        self.events = EventBus()
        self.saver = Saver(store, self.report_store_problem)
        self.session: Session | None = None  # the running session, whatever its kind
        self._session_screen: Screen | None = None
        self._quit_dialog: Confirm | None = None
        self.title_writer: Any = None  # neck_tui.title.TerminalTitle, once mounted
        self._session_lock = SessionLock(store.data_dir)
        self._size_guard: SizeGuard | None = None
        self._stdin_watchdog: StdinWatchdog | None = None
        # After a hang-up: end the process at once. There is no terminal to restore, and closing
        # the screens would close the session that is being kept for resume. Tests replace it.
        self.leave_now: Callable[[int], None] = os._exit
        self._console_glyphs = ConsoleGlyphs() if glyphs.is_console() else None

    def get_key_display(self, binding: Binding) -> str:
        """The Footer's key names; on the Linux console without the glyphs its font lacks."""
        shown = super().get_key_display(binding)
        return shown.replace(glyphs.FANCY["enter"], glyphs.glyph("enter"))

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters; on the Linux console, then its font's (neck_tui/terminal/console.py)."""
        filters = super().get_line_filters()
        return [*filters, self._console_glyphs] if self._console_glyphs is not None else filters

    # -- the one running session ---------------------------------------------------------------
    def new_session(self, kind: str, **kwargs: Any) -> Session:
        """A session on the app's saver, clock and event bus; begin_session starts it."""
        return Session(self.saver, kind, self.now, events=self.events, **kwargs)

    def begin_session(self, session: Session) -> None:
        """Hold `session` as the running one until it ends (it tells us: on_end)."""
        if self.session is not None and self.session is not session:
            self.session.abandon("another session started")
        self.session = session
        # The screen that started it, so Home stops there instead of ending it unasked.
        self._session_screen = self.screen_stack[-1] if self.screen_stack else None
        session.on_end = self._session_ended
        session.begin()  # its first checkpoint also makes the data directory of a first run
        # While a session runs, hold the session lock: another neck-tui on the same data (and
        # `neck-tui status`) then knows the checkpoint in [in_progress] is live.
        self._session_lock.acquire()

    def _session_ended(self, session: Session) -> None:
        if self.session is session:
            self.session = None
            self._session_screen = None
            self._session_lock.release()

    def read(self, what: str, read: Callable[[], Any]) -> Any:
        """A store read under the one error policy: its value, or None and one line on screen."""
        return read_or_none(self.saver, what, read)

    def _summarise_old_months(self) -> None:
        """Months written by an older neck-tui get their summaries in the background, so History
        and `stats` need not parse them again (see Store.build_hints)."""

        def build() -> None:
            try:
                self.store.build_hints()
            except StoreError:
                pass  # only a speed-up: the months are read in full instead, as before

        self.run_worker(build, thread=True, exclusive=True, group="store-hints")

    @staticmethod
    def _collect_from_now() -> None:
        """After the first frame: the garbage collector back on if start-up ran without it
        (neck_tui.entry). What start-up made lives as long as the app, so it is frozen first:
        collections from now on need not go through it all again."""
        if not gc.isenabled():
            gc.freeze()
            gc.enable()

    def _retry_saves(self) -> None:
        if self.saver.waiting:
            self.saver.retry()

    def report_store_problem(self, message: str) -> None:
        """The store's one error policy, on screen: one line, the session goes on. No title: the
        line says what it is about, and a small pane has the row for the data directory."""
        severity = "information" if message.startswith("Saved again") else "error"
        self.notify(message, severity=severity, timeout=20)

    # -- start-up ----------------------------------------------------------
    def on_mount(self) -> None:
        self.set_class(glyphs.is_console(), "-console")  # TERM=linux: styles/terminal.tcss
        settings = self.store.state.settings
        if settings.theme in self.available_themes:
            self.theme = settings.theme
        self.theme_changed_signal.subscribe(self, self._save_theme)
        self.set_interval(RETRY_SAVES_S, self._retry_saves)
        self.call_after_refresh(self._summarise_old_months)
        self.call_after_refresh(self._collect_from_now)
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
        from neck_tui.hooks import Hooks
        from neck_tui.title import TerminalTitle

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
        self.saver.run("notice", "that you accepted the notice",
                       lambda: self.store.update_state(lambda state: setattr(state, "notice_accepted", True)))
        self._open_start()

    def _open_start(self) -> None:
        # A session cut off last time (a dropped SSH link) comes first: resume it or close it.
        self._offer_resume(then=self._open_start_activity)

    def _offer_resume(self, then: Callable[[], None]) -> None:
        """At start-up: deal with a session cut off last time ([in_progress]), then call `then`.

        A thermal session that can still be carried on is offered: yes opens it where it would be
        now (and `then` is not called), no closes it as not completed. One that is too old, or
        that cannot be resumed, is closed as not completed without asking, with a one-line notice.
        """
        checkpoint = self.store.state.in_progress
        if not checkpoint:
            then()
            return
        if self._session_lock.held_elsewhere():
            self.notify(f"{resume.title(checkpoint)} is running in another neck-tui; it is left to that one.", timeout=8)
            then()
            return
        now = self.now()
        plan = resume.plan_resume(checkpoint, now)
        if plan is None:
            if resume.too_old(checkpoint, now):
                why, reason = "ended over an hour ago", "too old to resume"
            else:
                why, reason = "cannot be resumed", "could not be resumed"
            self._close_unfinished(checkpoint, reason, f"{resume.title(checkpoint)} {why}: saved as not completed.")
            then()
            return

        def answered(carry_on: bool | None) -> None:
            current = self.store.state.in_progress
            if not current or current.get("id") != checkpoint.get("id"):
                then()  # dealt with meanwhile (by another neck-tui)
                return
            if carry_on:
                from neck_tui.screens.thermal import ThermalScreen

                self.push_screen(ThermalScreen(plan.kind, resume=current))
                return
            self._close_unfinished(current, "not resumed", f"{resume.title(current)} was saved as not completed.")
            then()

        what = resume.describe(checkpoint, now)
        if plan.finished:
            question = f"{what}. Finish it (pain check and save)?"
            yes = "finish it"
        else:
            question = f"Resume {what}?\nTime away counts: the timer ran on while you were gone."
            yes = "resume"
        self.push_screen(
            Confirm("A session was cut off", question, yes=yes, no="close it as not completed", enter=True), answered
        )

    def _close_unfinished(self, checkpoint: Mapping[str, Any], reason: str, message: str) -> None:
        """Save a cut-off session as not completed from its checkpoint and clear [in_progress]."""
        record = resume.record_from_checkpoint(checkpoint, reason, self.now())
        store = self.store

        def write() -> None:
            if record is not None:
                store.update_record(record)  # replaces the provisional record of a hang-up
            store.set_in_progress(None)

        if self.saver.run("checkpoint", "the unfinished session", write):
            self.notify(message if record else "An unfinished session could not be read; it was cleared.", timeout=10)

    def _open_start_activity(self) -> None:
        if self.start_activity:
            self.action_open(self.start_activity)

    def _save_theme(self, theme: object) -> None:
        name = self.theme
        if self.store.state.settings.theme != name:
            self.saver.run("theme", "the theme",
                           lambda: self.store.update_state(lambda state: setattr(state.settings, "theme", name)))

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
        while len(self.screen_stack) > 2:
            if self.session is not None and self._runs_the_session(self.screen):
                self.notify(
                    "A session is still running: stop it first (q or escape), or ctrl+q to quit.",
                    title="Session running",
                )
                return
            self.pop_screen()

    def _runs_the_session(self, screen: Screen) -> bool:
        """The screen that began the running session, one that shows it (the guided break's
        runner), or a prompt over either."""
        if isinstance(screen, ModalScreen):
            below = [s for s in self.screen_stack[: self.screen_stack.index(screen)] if not isinstance(s, ModalScreen)]
            return bool(below) and self._runs_the_session(below[-1])
        return screen is self._session_screen or getattr(screen, "shows_session", False)

    def action_back(self) -> None:
        if len(self.screen_stack) > 2:
            self.pop_screen()

    def action_help(self) -> None:
        from neck_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        if not self.store.state.notice_accepted:  # nothing opens before the first-run notice is accepted
            yield SystemCommand("Quit", "Leave neck-tui", self.action_quit)
            return
        yield SystemCommand("Home", "Back to the list of activities", self.action_home)
        for activity in ENTRIES:
            yield SystemCommand(
                f"Open {activity.title}", activity.description, lambda name=activity.name: self.action_open(name)
            )
        yield SystemCommand("Help", "All keys of this screen and the app", self.action_help)
        yield from super().get_system_commands(screen)

    # -- leaving ----------------------------------------------------------------
    async def action_quit(self) -> None:
        """Quit; while a session runs, ask first. Quitting keeps a resumable session for the
        resume offer exactly as a dropped link does, and saves any session as not completed."""
        session = self.session
        if session is None:
            self.exit(0)
            return
        if self._quit_dialog is not None and self._quit_dialog in self.screen_stack:
            return  # already asking

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self.hang_up("quit")
                self.exit(0)

        keep = " and offered to carry on at the next start" if session.resumable else ""
        self._quit_dialog = Confirm(
            "Quit neck-tui?",
            f"The {session.kind} session is running. It will be saved as not completed{keep}.",
            yes="quit",
            no="keep going",
        )
        self.push_screen(self._quit_dialog, answered)

    def on_resize(self, event: events.Resize) -> None:
        if self._size_guard is not None:
            self._size_guard.resized(event.size)

    def hang_up(self, reason: str) -> None:
        """The terminal went away or the process is told to end (SIGHUP, SIGTERM, stdin closed):
        the running session, whatever its kind, ends through its lifecycle (see Session.hang_up).
        Never raises: the exit code of a signal must survive a failing store."""
        session = self.session
        if session is None:
            return
        try:
            session.hang_up(reason)
        except Exception:  # noqa: BLE001 - the process is leaving; nothing may stop that
            pass
        finally:
            self._session_ended(session)

    def terminal_gone(self, reason: str) -> None:
        """The terminal's input closed without a signal (see neck_tui.terminal)."""
        self.hang_up(reason)
        self.leave_now(EXIT_STDIN_CLOSED)

    def on_unmount(self) -> None:
        self.hang_up("closed")  # a session still running when the app closes by any other route
        if self.title_writer is not None:
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
        timer = threading.Timer(2.0, self.leave_now, args=(128 + signum,))
        timer.daemon = True
        timer.start()
        self.exit(128 + signum, return_code=128 + signum)
