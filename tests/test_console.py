"""On the Linux console (TERM=linux) the app draws only glyphs its font has, and its phase words
and progress track in colours the console shows (issue 17, point 5)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from rich.color import ColorSystem

from neck_tui.dialogs.pain import PainCheck
from neck_tui.screens.breathing import BreathingScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.screens.triage import TriageScreen
from tests.fakes import FakeClock, wait_for
from tests.screen import LINUX_PALETTE, contrast, screen_cells, screen_text

NOT_ON_CONSOLE = "⭘⏎◂▸╭╮╰╯"


@pytest.mark.parametrize("term, fancy", [("linux", False), ("xterm-256color", True)])
async def test_the_console_gets_ascii_for_the_glyphs_its_font_lacks(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, term: str, fancy: bool
) -> None:
    monkeypatch.setenv("TERM", term)
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThermalScreen")
        await pilot.pause()
        heat = screen_text(app)  # setup: steppers, Header, Footer (Enter)
        app.pop_screen()
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.action_open("triage")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.pause()
        text = heat + screen_text(app)
        found = {c for c in NOT_ON_CONSOLE if c in text}
        if fancy:
            assert found >= {"⭘", "⏎", "╭"}  # the check can fail: elsewhere they are drawn
        else:
            assert found == set(), found
            assert app.has_class("-console")


# --- what the console font has and what it shows ----------------------------------------------

# Code page 437, the Linux console's own font: ASCII, its upper half, and its arrows and triangles.
CP437 = (
    {chr(c) for c in range(0x20, 0x7F)} | set(bytes(range(0x80, 0x100)).decode("cp437")) | set("←↑→↓►◄▲▼")
)


async def _console_app(make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, start: str | None) -> Any:
    monkeypatch.setenv("TERM", "linux")
    return make_app(start=start)


async def _heat_running(pilot: Any, clock: FakeClock, seconds: float) -> Any:
    await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "ThermalScreen")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))
    await pilot.press("s")
    screen = pilot.app.screen_stack[-1]
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "mode", "") == "running")
    clock.advance(seconds)
    pilot.app.screen.tick()
    await pilot.pause()
    return screen


def _cells_of(app: Any, widget: Any) -> list[tuple[str, Any]]:
    """(text, style) of what `widget`'s first row draws."""
    region = widget.region
    return [(text, style) for y, text, style in screen_cells(app) if y == region.y and text.strip()]


def _on_console(style: Any) -> tuple[tuple[int, int, int], tuple[int, int, int]]:
    """The colours the console shows for a style: 16 foregrounds, 8 backgrounds."""
    fg = style.color.downgrade(ColorSystem.STANDARD).number
    bg = style.bgcolor.downgrade(ColorSystem.STANDARD).number
    return LINUX_PALETTE[fg], LINUX_PALETTE[bg % 8]


@pytest.mark.parametrize("kind", ["heat", "cold"])
async def test_on_the_console_the_phase_word_has_a_strong_colour_and_the_track_shows(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, clock: FakeClock, kind: str
) -> None:
    app = await _console_app(make_app, monkeypatch, kind)
    async with app.run_test(size=(80, 24)) as pilot:
        await _heat_running(pilot, clock, 90)  # before the skin check at 2 min
        assert type(app.screen).__name__ == "ThermalScreen"
        [(word, style)] = [(t, s) for t, s in _cells_of(app, app.screen.query_one("#phase-word")) if kind.upper() in t]
        fg, bg = _on_console(style)
        greys = {(0, 0, 0), (85, 85, 85), (170, 170, 170), (255, 255, 255)}
        assert {fg, bg} - greys, (word, fg, bg)  # a colour, not grey on black
        assert contrast(fg, bg) >= 3.0
        track = [(t, s) for t, s in _cells_of(app, app.screen.query_one("ProgressLine")) if set(t) <= {"─", "━", "╸"}]
        done, left = track[0], track[-1]
        for _text, part in (done, left):
            fg, bg = _on_console(part)
            assert fg != bg, "the track is drawn in its background's colour"
        assert _on_console(done[1]) != _on_console(left[1])  # done and to come look different


@pytest.mark.parametrize("size", [(40, 15), (80, 24), (120, 40)])
@pytest.mark.parametrize("where", ["home", "heat", "breathe"])
async def test_on_the_console_only_glyphs_its_font_has_are_drawn(
    make_app: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, clock: FakeClock, where: str, size: tuple[int, int]
) -> None:
    app = await _console_app(make_app, monkeypatch, None if where == "home" else where)
    async with app.run_test(size=size) as pilot:
        if where == "heat":
            await _heat_running(pilot, clock, 90)  # the digits and the track, before the skin check
        elif where == "breathe":
            await wait_for(pilot, lambda: isinstance(app.screen, BreathingScreen))
            await pilot.press("enter")
            await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
            await pilot.press("s")
            await wait_for(pilot, lambda: getattr(app.screen, "mode", "") == "running")
            clock.advance(5.5)  # into the first breath: the marker is on the square
            app.screen.tick()
        await pilot.pause()
        text = screen_text(app)
        assert set(text) - CP437 - {"\n"} == set(), text


def test_console_text_keeps_every_glyph_to_its_cells() -> None:
    from rich.cells import cell_len

    from neck_tui import glyphs

    drawn = "╭─╮╰╯━╸╶▏▎▊▁▂▇▔—…’⭘◂▸✓ ┏━┓┃ ╌ é 中"  # borders, Digits, the Footer, the pacer, words
    shown = glyphs.console_text(drawn)
    assert set(shown) <= CP437 and cell_len(shown) == cell_len(drawn)
    assert glyphs.console_text("┌─┐ Breathe in 3") == "┌─┐ Breathe in 3"  # what it has stays
