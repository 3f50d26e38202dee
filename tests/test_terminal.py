"""The terminal over SSH and in tmux: tiny sizes, a closed stdin without SIGHUP, colours."""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from pathlib import Path
from typing import Any, Callable

import pytest
from rich.color import Color, ColorSystem, ColorType
from rich.style import Style
from textual.screen import ModalScreen

from neck_tui import resume, terminal
from neck_tui.activities import ENTRIES as ACTIVITIES
from neck_tui.engine import PhaseTimer
from neck_tui.screens.help import HelpScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.session import SessionLog
from neck_tui.store import Store
from neck_tui.terminal import ResumeOffer, SizeNotice, StdinWatchdog, watch_stdin
from tests.fakes import FakeClock

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 10.0  # upper bound for anything a background thread or a child process must do


# --- helpers ------------------------------------------------------------------------------------


def screen_cells(app: Any, *, foreground_only: bool = False) -> list[tuple[int, str, Style]]:
    """(row, text, style) of every rendered segment of the current screen, as a terminal gets it.

    foreground_only: of a modal, only what its own widgets draw, not the faded screen behind it.
    """
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    regions = None
    if foreground_only and isinstance(app.screen, ModalScreen):
        regions = [w.region for w in app.screen.children if w.display]
    cells = []
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for segment in strip:
                if segment.text and not segment.control:
                    if regions is None or any(r.contains(x, y) for r in regions):
                        cells.append((y, segment.text, segment.style or Style()))
                x += segment.cell_length
    return cells


def screen_text(app: Any) -> str:
    rows: dict[int, str] = {}
    for y, text, _style in screen_cells(app):
        rows[y] = rows.get(y, "") + text
    return "\n".join(rows[y] for y in sorted(rows))


def flat(text: str) -> str:
    return " ".join(text.split())


class FakeSession:
    def __init__(self) -> None:
        self.reasons: list[str] = []
        self.session_log: SessionLog | None = None

    def abandon(self, reason: str) -> None:
        self.reasons.append(reason)


# --- sizes --------------------------------------------------------------------------------------


async def test_too_small_terminal_shows_the_enlarge_notice_and_it_goes_when_large(
    make_app: Callable[..., Any],
) -> None:
    app = make_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        shown = flat(screen_text(app))
        assert "Please enlarge the terminal to at least 40x15" in shown
        assert "(now 30x10)" in shown
        assert "Heat" not in shown  # the notice covers the screen, nothing half-drawn peeks out

        await pilot.resize_terminal(39, 15)
        assert "(now 39x15)" in flat(screen_text(app))
        await pilot.resize_terminal(40, 14)
        assert "(now 40x14)" in flat(screen_text(app))

        await pilot.resize_terminal(40, 15)
        assert not app.screen.query(SizeNotice)
        shown = flat(screen_text(app))
        assert "Please enlarge" not in shown
        assert "Heat" in shown
        assert isinstance(app.screen, HomeScreen)


async def test_enlarge_notice_follows_the_current_screen(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(20, 8)
        assert len(app.screen.query(SizeNotice)) == 1
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        assert "nlarge to" in flat(screen_text(app))
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert len(app.screen.query(SizeNotice)) == 1  # one notice, not one per visit
        assert "nlarge to" in flat(screen_text(app))
        await pilot.press("f1")
        await pilot.resize_terminal(100, 30)
        assert not [n for s in app.screen_stack for n in s.query(SizeNotice)]
        await pilot.press("escape")
        assert "nlarge to" not in flat(screen_text(app))


async def test_resizing_mid_session_never_loses_it(make_app: Callable[..., Any]) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        session = FakeSession()
        app.active_session = session
        stack = list(app.screen_stack)
        for size in [(30, 10), (1, 1), (10, 3), (39, 14), (40, 15), (200, 60), (12, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            assert list(app.screen_stack) == stack
            assert bool(app.screen.query(SizeNotice)) == terminal.too_small(size), size
            screen_text(app)  # renders at this size without an error
        assert app.active_session is session
        assert session.reasons == []


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda a: a.name)
async def test_every_screen_renders_at_the_edge_sizes(make_app: Callable[..., Any], activity: Any) -> None:
    app = make_app(start=activity.name)
    async with app.run_test(size=(40, 15)) as pilot:
        for size in [(40, 15), (80, 24), (25, 8), (40, 15)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert type(app.screen).__name__ == activity.screen.split(":")[1]
            shown = flat(screen_text(app))
            if terminal.too_small(size, terminal.minimum_for(app.screen)):
                assert "nlarge" in shown  # "Please enlarge", or "Enlarge" where that is too long
            else:
                assert "nlarge" not in shown
                assert "esc" in shown or "^q" in shown  # the footer still shows a way out


def test_enlarge_text_names_the_minimum_and_the_current_size() -> None:
    assert terminal.too_small((39, 15)) and terminal.too_small((40, 14))
    assert not terminal.too_small((40, 15))
    assert "at least 40x15 (now 30x10)" in terminal.enlarge_text((30, 10))
    assert terminal.enlarge_text((24, 5)) == "Enlarge to 40x15 (now 24x5). Ctrl+Q quits."
    assert terminal.enlarge_text((10, 5)) == "Enlarge to 40x15. Ctrl+Q quits."


# --- stdin closed without a SIGHUP --------------------------------------------------------------


def test_watchdog_fires_once_when_a_pipe_closes() -> None:
    r, w = os.pipe()
    calls: list[int] = []
    fired = threading.Event()
    dog = StdinWatchdog(r, lambda: (calls.append(1), fired.set()), interval=0.05).start()
    try:
        assert not fired.wait(0.2)  # open pipe: nothing
        os.close(w)
        assert fired.wait(WAIT_S)
        dog.join(WAIT_S)
        assert calls == [1]
    finally:
        dog.stop()
        os.close(r)


def test_watchdog_fires_when_the_pty_master_goes_away() -> None:
    master, slave = pty.openpty()
    fired = threading.Event()
    dog = StdinWatchdog(slave, fired.set, interval=0.05).start()
    try:
        os.close(master)
        assert fired.wait(WAIT_S)
    finally:
        dog.stop()
        os.close(slave)


def test_stopped_watchdog_stays_quiet() -> None:
    r, w = os.pipe()
    fired = threading.Event()
    dog = StdinWatchdog(r, fired.set, interval=0.05).start()
    dog.stop()
    dog.join(WAIT_S)
    os.close(w)
    try:
        assert not fired.is_set()
    finally:
        os.close(r)


class FakeApp:
    def __init__(self) -> None:
        self.gone: list[str] = []
        self.hung_up: list[str] = []
        self.event = threading.Event()

    def terminal_gone(self, reason: str) -> None:
        self.gone.append(reason)
        self.event.set()

    def hang_up(self, reason: str) -> None:
        self.hung_up.append(reason)


async def test_watch_stdin_asks_the_app_to_save_and_exit_on_its_loop() -> None:
    r, w = os.pipe()
    app = FakeApp()
    exits: list[int] = []
    dog = watch_stdin(app, r, grace=WAIT_S, hard_exit=exits.append)  # type: ignore[arg-type]
    try:
        os.close(w)
        await asyncio.wait_for(asyncio.to_thread(app.event.wait, WAIT_S), WAIT_S)
        assert app.gone == ["stdin closed"]
        dog.stop()  # what the app does when it unmounts
        dog.join(WAIT_S)
        assert exits == [] and app.hung_up == []
    finally:
        dog.stop()
        os.close(r)


async def test_watch_stdin_leaves_regardless_when_the_app_is_stuck() -> None:
    r, w = os.pipe()
    app = FakeApp()
    exited = threading.Event()
    exits: list[int] = []
    dog = watch_stdin(app, r, grace=0.05, hard_exit=lambda code: (exits.append(code), exited.set()))  # type: ignore[arg-type]
    try:
        os.close(w)
        assert await asyncio.to_thread(exited.wait, WAIT_S)
        assert app.hung_up == ["stdin closed"]  # saved or kept before leaving
        assert exits == [terminal.EXIT_STDIN_CLOSED]
    finally:
        dog.stop()
        os.close(r)


def _leaving(app: Any) -> list[int]:
    """Instead of ending the test process: note the exit code and exit the app."""
    codes: list[int] = []
    app.leave_now = lambda code: (codes.append(code), app.exit(code, return_code=code))
    return codes


async def test_terminal_gone_saves_a_session_without_checkpoint_and_leaves(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    app = make_app()
    codes = _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        log = SessionLog(accepted_store, "breathing", app.now, pain_before=6)
        app.active_session = log
        app.terminal_gone("stdin closed")
        await pilot.pause()
    assert codes == [terminal.EXIT_STDIN_CLOSED]
    assert app.active_session is None
    [record] = Store(accepted_store.data_dir).records()
    assert record.completed is False
    assert record.details["stopped"] == "stdin closed"
    assert record.pain_before == 6


@pytest.mark.parametrize("how", ["stdin closed", "SIGHUP"])
async def test_hang_up_keeps_a_checkpointed_session_for_resume(
    make_app: Callable[..., Any], accepted_store: Store, how: str
) -> None:
    app = make_app()
    codes = _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        session = FakeSession()
        session.session_log = SessionLog(accepted_store, "heat", app.now, pain_before=6)
        session.session_log.checkpoint({"phase": "heat"})
        app.active_session = session
        if how == "SIGHUP":
            app._on_signal(signal.SIGHUP)
        else:
            app.terminal_gone(how)
        await pilot.pause()
        assert session.reasons == []  # the screen did not close it: the next start offers to resume
        assert Store(accepted_store.data_dir).load().in_progress is not None
    assert codes == [128 + signal.SIGHUP]
    # Saved as not completed all the same (a resume or a decline replaces this record).
    [record] = Store(accepted_store.data_dir).records()
    assert record.id == session.session_log.id and record.completed is False
    assert record.details["stopped"] == how


async def test_hang_up_saves_a_session_whose_checkpoint_is_not_the_one_kept(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    """Posture breaks in one tmux pane, heat (checkpointed) in another: the breaks pane's link
    drops. Its own session must be saved, whatever [in_progress] holds."""
    app = make_app()
    _leaving(app)
    async with app.run_test(size=(80, 24)) as pilot:
        SessionLog(accepted_store, "heat", accepted_store.now).checkpoint({"phase": "heat"})  # the other pane
        app.active_session = SessionLog(accepted_store, "posture_break", app.now)
        app.hang_up("SIGHUP")
        await pilot.pause()
    store = Store(accepted_store.data_dir)
    [record] = store.records()
    assert record.kind == "posture_break" and record.details["stopped"] == "SIGHUP"
    assert store.load().in_progress is not None  # the other one's checkpoint is untouched


RUNNING_BREATHING = """
import sys
from neck_tui.app import NeckApp
from neck_tui.content import load_content
from neck_tui.session import SessionLog
from neck_tui.store import Store, default_data_dir


class Running(NeckApp):
    def on_ready(self) -> None:
        # A running session that keeps no checkpoint: a hang-up must save it.
        self.active_session = SessionLog(self.store, "breathing", self.now, pain_before=5)
        (self.store.data_dir / "ready").write_text(str(self.console.color_system))


store = Store(default_data_dir())
store.load()
app = Running(load_content(), store)
app.run()
sys.exit(app.return_code or 0)
"""


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class PtyApp:
    """neck-tui in a pseudo-terminal that is NOT its controlling terminal: closing the master
    end takes its stdin away without any SIGHUP."""

    def __init__(self, args: list[str], data_dir: Path, cwd: Path) -> None:
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLORTERM", "TEXTUAL_COLOR_SYSTEM")}
        env.update(NECK_TUI_DATA_DIR=str(data_dir), TERM="linux", PYTHONPATH=str(ROOT))  # 16 colours
        self.child = subprocess.Popen(
            [sys.executable, *args], stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
            start_new_session=True,  # a new session without a controlling terminal
        )  # fmt: skip
        os.close(slave)
        self.output = bytearray()
        self._stop = threading.Event()
        self._reader = threading.Thread(target=self._drain, daemon=True)
        self._reader.start()

    def _drain(self) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.output.extend(chunk)

    def wait_for(self, done: Callable[[], bool], what: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not done():
            assert self.child.poll() is None, f"app exited early: {bytes(self.output)[-400:]!r}"
            assert time.monotonic() < deadline, f"no {what}: {bytes(self.output)[-400:]!r}"
            time.sleep(0.05)  # real process, real time

    def wait_text(self, text: bytes) -> None:
        self.wait_for(lambda: text in self.output, repr(text))

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close_terminal(self) -> tuple[float, float]:
        """Close the master end; wait for the app to exit. (seconds it took, CPU seconds used)."""
        cpu_before = _cpu_seconds(self.child.pid)
        self._stop.set()
        self._reader.join(WAIT_S)
        os.close(self.master)
        self.master = -1
        closed_at = time.monotonic()
        pid = 0
        while time.monotonic() - closed_at < WAIT_S:
            pid, status, usage = os.wait4(self.child.pid, os.WNOHANG)
            if pid:
                break
            time.sleep(0.02)  # real process, real time
        assert pid, "the app kept running after its terminal went away"
        took = time.monotonic() - closed_at
        self.child.returncode = os.waitstatus_to_exitcode(status)
        return took, usage.ru_utime + usage.ru_stime - cpu_before

    def cleanup(self) -> None:
        if self.child.returncode is None:
            self.child.kill()
            self.child.wait()
        if self.master >= 0:
            self._stop.set()
            os.close(self.master)


needs_proc = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc for CPU time")


@needs_proc
def test_closed_terminal_without_sighup_keeps_a_heat_session_and_exits_without_spinning(
    tmp_path: Path, accepted_store: Store
) -> None:
    data = accepted_store.data_dir
    app = PtyApp(["-m", "neck_tui", "heat"], data, tmp_path)
    try:
        app.wait_text(b"Start (Enter)")
        app.type(b"\r")
        app.wait_text(b"Pain before")
        app.type(b"5\r")
        app.wait_for(lambda: Store(data).load().in_progress is not None, "checkpoint")
        app.wait_text(b"HEAT")
        time.sleep(0.5)  # real process, real time: a few ticks of the running countdown
        took, cpu = app.close_terminal()
    finally:
        app.cleanup()
    assert app.child.returncode == terminal.EXIT_STDIN_CLOSED, bytes(app.output)[-400:]
    assert took < 3.0  # "within a second", with room for a busy test machine
    assert cpu < 0.75, f"{cpu:.2f} s of CPU after the terminal went away"
    store = Store(data)
    checkpoint = store.load().in_progress
    assert checkpoint is not None and checkpoint["kind"] == "heat" and checkpoint["pain_before"] == 5
    # Saved as not completed, and the checkpoint kept for the resume offer (same id).
    [record] = store.records()
    assert record.id == checkpoint["id"] and record.completed is False
    # Only 16-colour SGR went to a TERM=linux terminal: no 256-colour or truecolor sequences.
    assert b"\x1b[" in app.output
    assert b"38;2;" not in app.output and b"38;5;" not in app.output


@needs_proc
def test_closed_terminal_without_sighup_saves_a_session_without_checkpoint(
    tmp_path: Path, accepted_store: Store
) -> None:
    script = tmp_path / "running_app.py"
    script.write_text(RUNNING_BREATHING)
    ready = accepted_store.data_dir / "ready"
    app = PtyApp([str(script)], accepted_store.data_dir, tmp_path)
    try:
        app.wait_for(ready.exists, "ready file")
        assert ready.read_text() == "standard"  # TERM=linux: 16 colours
        time.sleep(0.3)  # real process, real time: let it draw
        took, cpu = app.close_terminal()
    finally:
        app.cleanup()
    assert app.child.returncode == terminal.EXIT_STDIN_CLOSED, bytes(app.output)[-400:]
    assert took < 3.0
    assert cpu < 0.75, f"{cpu:.2f} s of CPU after the terminal went away"
    [record] = Store(accepted_store.data_dir).records()
    assert record.kind == "breathing" and record.completed is False
    assert record.details["stopped"] == "stdin closed"
    assert record.pain_before == 5

# --- colours ------------------------------------------------------------------------------------

# The Linux console's palette; it shows only the 8 normal colours as backgrounds.
LINUX_PALETTE = [
    (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170), (0, 170, 170), (170, 170, 170),
    (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85), (85, 85, 255), (255, 85, 255), (85, 255, 255),
    (255, 255, 255),
]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    a, b = _luminance(fg), _luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _rgb(color: Color, mode: str, background: bool) -> tuple[int, int, int]:
    if mode == "256":
        t = color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    elif mode == "linux":
        n = color.downgrade(ColorSystem.STANDARD).number or 0
        t = LINUX_PALETTE[n % 8 if background else n]
        return t
    else:
        t = color.get_truecolor()
    return (t.red, t.green, t.blue)


def unreadable(app: Any, mode: str, minimum: float) -> list[str]:
    """Text (letters or digits) whose colour on its background falls below `minimum` contrast."""
    bad = []
    for y, text, style in screen_cells(app, foreground_only=True):
        if not any(ch.isalnum() for ch in text):
            continue  # borders and rules carry no words
        fg, bg = style.color, style.bgcolor
        if fg is None or bg is None or ColorType.DEFAULT in (fg.type, bg.type):
            continue  # the terminal's own default colours
        if style.reverse:
            fg, bg = bg, fg
        ratio = contrast(_rgb(fg, mode, False), _rgb(bg, mode, True))
        if ratio < minimum:
            bad.append(f"row {y} {text.strip()!r}: {ratio:.2f}")
    return bad


# Minimum contrast of words: WCAG's 3:1 for large text is too strict for Textual's muted styles;
# 2:1 still reads. On the Linux console, with its 8 backgrounds, only invisible text is refused.
MODES = {"truecolor": 2.0, "256": 2.0, "linux": 1.1}
SCREENS = ["home", "help", *(a.name for a in ACTIVITIES)]


async def _open(app: Any, pilot: Any, name: str) -> None:
    if name == "help":
        await pilot.press("f1")
    elif name != "home":
        app.action_open(name)
    await pilot.pause()


@pytest.mark.parametrize("name", SCREENS)
async def test_words_stay_readable_in_every_colour_mode(make_app: Callable[..., Any], name: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, name)
        for mode, minimum in MODES.items():
            assert unreadable(app, mode, minimum) == [], mode


async def test_enlarge_notice_readable_in_every_mode(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(30, 10)) as pilot:
        await pilot.pause()
        for mode, minimum in MODES.items():
            assert unreadable(app, mode, minimum) == []


@pytest.mark.parametrize("name", SCREENS)
async def test_no_color_is_honoured_and_words_remain(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    assert app.no_color
    async with app.run_test(size=(80, 24)) as pilot:
        await _open(app, pilot, name)
        coloured = set()
        for _y, text, style in screen_cells(app):
            for color in (style.color, style.bgcolor):
                if color is not None and color.type != ColorType.DEFAULT:
                    t = color.get_truecolor()
                    if not (t.red == t.green == t.blue):
                        coloured.add(text.strip())
        assert coloured == set()  # greys only
        assert unreadable(app, "truecolor", 2.0) == []
        assert flat(screen_text(app))  # something to read


# --- resume at start-up -------------------------------------------------------------------------


def heat_checkpoint(
    store: Store, clock: FakeClock, content: Any, *, rounds: int = 1, ran: float = 300, pain: int | None = 4
) -> dict[str, Any]:
    """A heat session that ran `ran` seconds and was cut off just after its last checkpoint."""
    from neck_tui.screens.thermal import session_phases

    regimen = content.regimen_for("heat")
    timer = PhaseTimer(session_phases(regimen, rounds), clock=clock)
    log = SessionLog(store, "heat", clock.now, pain_before=pain, details={"regimen": regimen.id, "rounds": rounds})
    timer.start()
    clock.advance(ran)
    timer.poll()
    log.checkpoint(resume.checkpoint_state(timer, regimen=regimen.id, rounds=rounds))
    checkpoint = store.state.in_progress
    assert checkpoint is not None
    return checkpoint


def shown(app: Any) -> str:
    return flat(screen_text(app))


async def test_resume_offer_accepted_carries_the_session_on_with_time_away_counted(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=300)
    clock.advance(450)  # away 7:30, pack still on: 20:00 - 5:00 - 7:30 = 7:30 left
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now), start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeOffer)
        assert "Resume Heat, round 1: 7:30 left?" in shown(app)
        await pilot.press("y")
        await pilot.pause()
        thermal = next(s for s in app.screen_stack if type(s).__name__ == "ThermalScreen")
        assert thermal.kind == "heat"  # not the cold the command line asked for
        assert app.active_session is thermal
        assert "Welcome back: heat has 07:30 left" in shown(app)
        await pilot.press("o")  # skin OK
        await pilot.pause()
        assert "HEAT" in shown(app)
        assert "12:30 / 20:00" in shown(app)
        await pilot.press("ctrl+q")
    store = Store(accepted_store.data_dir)
    [record] = store.records()
    assert record.id == checkpoint["id"]
    assert record.started == checkpoint["started"]
    assert record.pain_before == 4
    assert record.completed is False and record.details["stopped"] == "quit"
    assert store.load().in_progress is None


async def test_resume_offer_declined_closes_it_as_not_completed(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=90, pain=7)
    saved = checkpoint["saved"]
    clock.advance(60)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Resume Heat, round 1: 17:30 left?" in shown(app)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.active_session is None
    store = Store(accepted_store.data_dir)
    assert store.load().in_progress is None
    [record] = store.records()
    assert record.id == checkpoint["id"]
    assert record.started == checkpoint["started"]
    assert record.ended == saved  # the last sign of life, not the moment of declining
    assert record.pain_before == 7
    assert record.completed is False
    assert record.details["stopped"] == "not resumed"
    assert record.details["regimen"] == "heat"
    assert record.details["phases"] == [{"kind": "heat", "round": 1, "seconds": 90.0, "planned": 1200.0}]


async def test_declining_then_opens_what_the_command_line_asked_for(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now), start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


async def test_heat_that_ran_out_while_away_resumes_in_the_off_phase(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, rounds=2, ran=600)
    clock.advance(15 * 60)  # the heat would have ended 5 min ago: 25 min of 30 off left
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Resume Off, round 1: 25:00 left?" in shown(app)
        await pilot.press("enter")
        await pilot.pause()
        assert "OFF" in shown(app)
        assert app.active_session is not None


async def test_session_that_ended_while_away_is_offered_to_finish(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, ran=600)
    clock.advance(20 * 60)  # 10 min past the end of its 20 min: within the hour
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "ended 10:00 ago while you were away" in shown(app)
        assert "Finish it" in shown(app)
        await pilot.press("y")
        await pilot.pause()
        assert "Pain after" in shown(app)
    [record] = Store(accepted_store.data_dir).records()
    assert record.completed is False and record.details["stopped"] == "interrupted"


async def test_too_old_session_is_closed_without_asking(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content, ran=120)
    clock.advance(18 * 60 + 3600 + 1)  # past its end (18 min to go) plus an hour
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [note] = list(app._notifications)
        assert "ended over an hour ago: saved as not completed" in note.message
        assert "\n" not in note.message
    store = Store(accepted_store.data_dir)
    assert store.load().in_progress is None
    [record] = store.records()
    assert record.id == checkpoint["id"] and record.completed is False
    assert record.details["stopped"] == "too old to resume"


async def test_just_within_the_hour_is_still_offered(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content, ran=120)
    clock.advance(18 * 60 + 3600 - 1)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeOffer)


async def test_a_session_kind_that_cannot_resume_is_closed_with_a_notice(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    log = SessionLog(accepted_store, "breathing", clock.now, pain_before=3)
    log.checkpoint({"cycle": 2})
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [note] = list(app._notifications)
        assert "breathing session" in note.message and "saved as not completed" in note.message
    [record] = Store(accepted_store.data_dir).records()
    assert record.kind == "breathing" and record.pain_before == 3 and record.completed is False


@pytest.mark.parametrize(
    "garbage",
    [{"kind": "heat"}, {"id": "x", "kind": "nonsense", "started": "2026-11-25T09:00:00+00:00"}, {"phases": "x"}],
)
async def test_an_unreadable_checkpoint_is_cleared_with_a_warning(
    make_app: Callable[..., Any], accepted_store: Store, garbage: dict[str, Any]
) -> None:
    accepted_store.set_in_progress(garbage)
    app = make_app(store=Store(accepted_store.data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        [note] = list(app._notifications)
        assert note.message == "An unfinished session could not be read; it was cleared."
    assert Store(accepted_store.data_dir).load().in_progress is None
    assert Store(accepted_store.data_dir).records() == []


async def test_resume_offer_comes_after_the_first_run_notice(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(store, clock, content)
    app = make_app(store=Store(store.data_dir, now=clock.now), accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "NoticeScreen"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ResumeOffer)


async def test_resume_offer_fits_the_smallest_size(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    heat_checkpoint(accepted_store, clock, content)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        text = shown(app)
        assert "Resume Heat, round 1: 15:00 left?" in text
        assert "n: close it" in text
        for mode, minimum in MODES.items():
            assert unreadable(app, mode, minimum) == [], mode


def _check_colours(app: Any, mode: str) -> None:
    if mode == "NO_COLOR":
        assert unreadable(app, "truecolor", 2.0) == []
        for _y, text, style in screen_cells(app):
            for color in (style.color, style.bgcolor):
                if color is not None and color.type != ColorType.DEFAULT:
                    t = color.get_truecolor()
                    assert t.red == t.green == t.blue, text
    else:
        assert unreadable(app, mode, MODES[mode]) == []


@pytest.mark.parametrize("mode", [*MODES, "NO_COLOR"])
async def test_heat_timer_states_are_words_readable_in_every_mode(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, mode: str
) -> None:
    if mode == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.press("5", "enter")
        await pilot.pause()
        assert "HEAT" in shown(app)  # the phase is a word, not only a colour
        _check_colours(app, mode)
        await pilot.press("space")
        await pilot.pause()
        assert "HEAT · PAUSED" in shown(app) and "Paused: space to carry on." in shown(app)
        _check_colours(app, mode)


@pytest.mark.parametrize("mode", [*MODES, "NO_COLOR"])
async def test_off_phase_is_a_word_readable_in_every_mode(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any,
    monkeypatch: pytest.MonkeyPatch, mode: str,
) -> None:  # fmt: skip
    if mode == "NO_COLOR":
        monkeypatch.setenv("NO_COLOR", "1")
    heat_checkpoint(accepted_store, clock, content, rounds=2, ran=21 * 60)
    app = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        _check_colours(app, mode)  # the resume offer
        await pilot.press("y")
        await pilot.pause()
        assert "OFF" in shown(app)
        _check_colours(app, mode)


async def test_a_session_running_in_another_neck_tui_is_not_offered(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    checkpoint = heat_checkpoint(accepted_store, clock, content)
    running = make_app(store=accepted_store)  # the one with the session, e.g. in a tmux pane
    running.active_session = FakeSession()
    other = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with other.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(other.screen, HomeScreen)
        [note] = list(other._notifications)
        assert "heat session" in note.message and "running in another neck-tui" in note.message
    assert Store(accepted_store.data_dir).load().in_progress == checkpoint
    assert Store(accepted_store.data_dir).records() == []
    running.active_session = None  # that session ended, or its process died: the lock is free
    later = make_app(store=Store(accepted_store.data_dir, now=clock.now))
    async with later.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(later.screen, ResumeOffer)


def test_session_lock_is_free_once_its_process_dies(tmp_path: Path) -> None:
    code = (  # a real holder process that the test kills: it waits in real time
        "import sys, time; from neck_tui.terminal import SessionLock; "
        "SessionLock(sys.argv[1]).acquire(); print('held', flush=True); time.sleep(60)"  # real holder
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(tmp_path)], stdout=subprocess.PIPE, cwd=ROOT, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        assert terminal.SessionLock(tmp_path).held_elsewhere()
        holder.kill()  # like a kill -9 or a dropped link
        holder.wait(WAIT_S)
        assert not terminal.SessionLock(tmp_path).held_elsewhere()
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()


async def test_posture_breaks_fit_a_small_tmux_pane(make_app: Callable[..., Any]) -> None:
    # Breaks mode is meant for a small pane: it sets a lower minimum than the rest of the app.
    app = make_app(start="breaks")
    async with app.run_test(size=(34, 8)) as pilot:
        await pilot.pause()
        assert not app.screen.query(SizeNotice)
        assert "Next break in" in flat(screen_text(app))
        await pilot.resize_terminal(20, 1)  # down to one line (issue 16)
        await pilot.pause()
        assert not app.screen.query(SizeNotice)
        assert "Break in 45m" in flat(screen_text(app))
        await pilot.resize_terminal(34, 8)
        await pilot.press("escape")  # Home needs 40x15
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "at least 40x15" in flat(screen_text(app))
