"""Hooks: run the user's own command when something happens in a session.

Settings name a command per event (state.toml [settings.hooks], e.g.
``phase_end = "notify-send neck-tui 'Heat is over'"``). Events: phase_end, session_end,
skin_check_due, break_due, break_taken (see neck_tui.events). The command line is split like a
shell would (shlex) but runs without one; write ``sh -c '...'`` to have a shell. The event is in
the environment: NECK_TUI_EVENT, NECK_TUI_KIND, NECK_TUI_PHASE, NECK_TUI_SECONDS_LEFT,
NECK_TUI_SESSION_ID (and NECK_TUI_<KEY> for a plain value in the event's extra, e.g.
NECK_TUI_COMPLETED at session_end).

A hook runs in the background (a daemon thread waits for it) with a time limit; it never blocks
or stops the timer. A hook that cannot start, fails (non-zero exit) or runs past its limit (it
is then killed with its process group) is reported through ``report``: one line, once until that
hook succeeds again. ``report`` is called from the waiting thread, not the app's.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import threading
from typing import Callable, Mapping

from neck_tui.events import EventBus, SessionEvent

HOOK_EVENTS = ("phase_end", "session_end", "skin_check_due", "break_due", "break_taken")
DEFAULT_TIMEOUT_S = 10.0
MAX_RUNNING = 4  # more at once than this and the machine is the problem: skip and say so


def hook_env(event: SessionEvent, base: Mapping[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ if base is None else base)
    seconds = "" if event.seconds_left is None else str(max(0, round(event.seconds_left)))
    env.update(
        NECK_TUI_EVENT=event.name,
        NECK_TUI_KIND=event.kind,
        NECK_TUI_PHASE=event.phase or "",
        NECK_TUI_SECONDS_LEFT=seconds,
        NECK_TUI_SESSION_ID=event.session_id,
    )
    for key, value in event.extra.items():
        if isinstance(value, (str, int, float, bool)) and key.isidentifier():
            env[f"NECK_TUI_{key.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


class Hooks:
    """The user's hooks, as a listener for the app's EventBus."""

    def __init__(
        self,
        commands: Mapping[str, str],
        report: Callable[[str], None],
        timeout: float = DEFAULT_TIMEOUT_S,
    ) -> None:
        self.report = report
        self.timeout = timeout
        self.commands: dict[str, list[str]] = {}
        self.running = 0
        self._failing: set[str] = set()
        self._lock = threading.Lock()
        for name, line in commands.items():
            if name not in HOOK_EVENTS:
                report(
                    f"Hook {name!r} in state.toml [settings.hooks] is not an event; use one of {', '.join(HOOK_EVENTS)}."
                )
                continue
            try:
                argv = shlex.split(line)
            except ValueError as exc:
                report(f"Hook {name} in state.toml [settings.hooks]: cannot read {line!r}: {exc}.")
                continue
            if argv:
                self.commands[name] = argv

    def subscribe(self, bus: EventBus) -> Callable[[], None]:
        return bus.subscribe(self)

    def __call__(self, event: SessionEvent) -> None:
        argv = self.commands.get(event.name)
        if argv is None:
            return
        with self._lock:
            if self.running >= MAX_RUNNING:
                self._fail(event.name, f"Hook {event.name} skipped: {MAX_RUNNING} hooks are still running.")
                return
            self.running += 1
        thread = threading.Thread(target=self._run, args=(event, argv), name=f"neck-tui-hook-{event.name}", daemon=True)
        thread.start()

    def _run(self, event: SessionEvent, argv: list[str]) -> None:
        try:
            problem = self._problem(event, argv)
        finally:
            with self._lock:
                self.running -= 1
        if problem is None:
            self._failing.discard(event.name)
        else:
            self._fail(event.name, f"Hook {event.name} ({argv[0]}) {problem}.")

    def _problem(self, event: SessionEvent, argv: list[str]) -> str | None:
        """Run one hook to its end or its time limit; what went wrong, or None."""
        try:
            proc = subprocess.Popen(
                argv, env=hook_env(event), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE, start_new_session=True,  # its own group: a timeout kills it all
            )  # fmt: skip
        except OSError as exc:
            return f"could not start: {exc.strerror or exc}"
        try:
            _out, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            proc.communicate()
            return f"ran over {self.timeout:g} s and was stopped"
        if proc.returncode != 0:
            said = (err or b"").decode(errors="replace").strip().splitlines()
            return f"failed (exit {proc.returncode})" + (f": {said[-1][:120]}" if said else "")
        return None

    def _fail(self, name: str, message: str) -> None:
        if name not in self._failing:
            self._failing.add(name)
            self.report(message)
