"""The terminal title: OSC 2 text from session events, rate-limited, restored at the end."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect

from neck_tui.events import EventBus, SessionEvent
from neck_tui.store import Store
from neck_tui.title import POP, PUSH, TerminalTitle, osc_title, title_text
from tests.fakes import FakeClock


def tick(kind: str, phase: str | None, left: float | None, **kw: object) -> SessionEvent:
    return SessionEvent("tick", kind, "id1", phase=phase, seconds_left=left, **kw)  # type: ignore[arg-type]


def test_title_words() -> None:
    assert title_text(tick("heat", "HEAT", 754.2)) == "HEAT 12:35"
    assert title_text(tick("cold", "COLD", 60, paused=True)) == "COLD 1:00 paused"
    assert title_text(tick("breathing", "Breathe in", 3.0)) == "Breathe in"
    assert title_text(tick("posture_break", None, 11 * 60 + 5)) == "Break in 12m"
    assert title_text(SessionEvent("break_due", "posture_break")) == "Break now"
    assert title_text(SessionEvent("session_end", "heat")) is None


def test_written_once_a_second_at_most_only_on_change_and_restored() -> None:
    clock = FakeClock()
    out: list[str] = []
    title = TerminalTitle(out.append, clock=clock)
    bus = EventBus()
    title.subscribe(bus)
    bus.emit(tick("heat", "HEAT", 600))
    bus.emit(tick("heat", "HEAT", 600))  # same text: nothing written
    clock.advance(0.5)
    bus.emit(tick("heat", "HEAT", 599.5))  # still shows 10:00: nothing written
    clock.advance(0.3)
    bus.emit(tick("heat", "HEAT", 599.0))  # changed, but within the second
    clock.advance(0.3)
    bus.emit(tick("heat", "HEAT", 598.8))
    bus.emit(SessionEvent("phase_end", "heat", phase="OFF", seconds_left=300))  # at once
    bus.emit(SessionEvent("session_end", "heat"))
    assert out == [PUSH, osc_title("HEAT 10:00"), osc_title("HEAT 9:59"), osc_title("OFF 5:00"), POP]
    assert "".join(out).count("\x1b]2;") == 3


def test_a_timer_that_fires_a_little_early_still_shows_every_second() -> None:
    clock = FakeClock()
    out: list[str] = []
    title = TerminalTitle(out.append, clock=clock)
    bus = EventBus()
    title.subscribe(bus)
    for second in range(5):
        bus.emit(tick("heat", "HEAT", 600 - second))
        clock.advance(0.999)
    assert [t for t in out if t != PUSH] == [osc_title(f"HEAT {m}") for m in ("10:00", "9:59", "9:58", "9:57", "9:56")]


def test_the_setting_turns_it_off_and_restores() -> None:
    out: list[str] = []
    on = [True]
    title = TerminalTitle(out.append, enabled=lambda: on[0], clock=FakeClock())
    title(tick("heat", "HEAT", 60))
    on[0] = False
    title(tick("heat", "HEAT", 10))
    assert out == [PUSH, osc_title("HEAT 1:00"), POP]
    assert osc_title("a\x1b]2;evil\x07b") == "\x1b]2;a ]2;evil b\x07"


async def test_the_app_shows_sessions_in_the_title_and_a_failing_hook_as_a_notice(make_app, store) -> None:
    store.update_state(lambda s: setattr(s.settings, "hooks", {"phase_end": "false"}))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        out: list[str] = []
        app.title_writer.write = out.append  # the headless driver writes nothing
        app.events.emit(SessionEvent("phase_end", "heat", phase="OFF", seconds_left=300))
        for _ in range(100):
            if app._notifications:
                break
            await pilot.pause(0.05)
        assert [n.message for n in app._notifications] == ["Hook phase_end (false) failed (exit 1)."]
        assert out == [PUSH, osc_title("OFF 5:00")]
    assert out[-1] == POP  # restored on exit


TITLE_APP = """
import sys
from neck_tui.app import NeckApp
from neck_tui.content import load_content
from neck_tui.events import SessionEvent
from neck_tui.store import Store

store = Store(sys.argv[1])
store.update_state(lambda s: setattr(s, "notice_accepted", True))


class Probe(NeckApp):
    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(self.events.emit, SessionEvent("tick", "heat", phase="HEAT", seconds_left=754))


Probe(load_content(), store).run()
"""


def test_the_title_sequence_is_in_the_terminal_stream_and_restored(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    child = pexpect.spawn(
        sys.executable, ["-c", TITLE_APP, str(tmp_path / "data")], env={**os.environ, "TERM": "xterm-256color"},
        dimensions=(24, 80), encoding="utf-8", codec_errors="replace", timeout=20, cwd=str(root),
    )  # fmt: skip
    try:
        child.expect_exact(PUSH + osc_title("HEAT 12:34"))
        child.sendcontrol("q")
        child.expect_exact(POP)
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)


async def test_settings_switch_turns_the_title_off(make_app, store) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        out: list[str] = []
        app.title_writer.write = out.append
        app.events.emit(SessionEvent("tick", "heat", phase="HEAT", seconds_left=60))
        app.screen.query_one("#title").toggle()
        await pilot.pause()
        assert str(app.screen.query_one("#title-state").render()) == "off"
        app.events.emit(SessionEvent("phase_end", "heat", phase="OFF", seconds_left=60))
        assert out == [PUSH, osc_title("HEAT 1:00"), POP]
    assert Store(store.data_dir).load().settings.title is False
