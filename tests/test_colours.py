"""Colours: every word readable in truecolor, 256 colours, the Linux console and NO_COLOR."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from rich.color import ColorType

from neck_tui.activities import ENTRIES as ACTIVITIES
from neck_tui.store import Store
from tests.fakes import FakeClock, heat_checkpoint
from tests.screen import MODES, flat, screen_cells, screen_text, shown, unreadable

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 10.0  # upper bound for anything a background thread or a child process must do

# --- colours ------------------------------------------------------------------------------------

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
