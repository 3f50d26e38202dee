"""Tiny terminals (tmux panes, a phone over SSH): the enlarge notice, and nothing lost when resizing."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from neck_tui.activities import ENTRIES as ACTIVITIES
from neck_tui.screens.help import HelpScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.terminal import size as terminal
from neck_tui.terminal.size import SizeNotice
from tests.screen import flat, screen_text

ROOT = Path(__file__).resolve().parents[1]
WAIT_S = 10.0  # upper bound for anything a background thread or a child process must do

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
        session = app.new_session("heat")
        app.begin_session(session)
        stack = list(app.screen_stack)
        for size in [(30, 10), (1, 1), (10, 3), (39, 14), (40, 15), (200, 60), (12, 40), (80, 24)]:
            await pilot.resize_terminal(*size)
            assert list(app.screen_stack) == stack
            assert bool(app.screen.query(SizeNotice)) == terminal.too_small(size), size
            screen_text(app)  # renders at this size without an error
        assert app.session is session and not session.ended


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



async def test_posture_breaks_fit_a_small_tmux_pane(make_app: Callable[..., Any]) -> None:
    # Breaks mode is meant for a small pane: it sets a lower minimum than the rest of the app.
    app = make_app(start="breaks")
    async with app.run_test(size=(34, 8)) as pilot:
        await pilot.pause()
        assert not app.screen.query(SizeNotice)
        assert "Next break in" in flat(screen_text(app))
        await pilot.resize_terminal(20, 1)  # down to one line
        await pilot.pause()
        assert not app.screen.query(SizeNotice)
        assert "Break in 45m" in flat(screen_text(app))
        await pilot.resize_terminal(34, 8)
        await pilot.press("escape")  # Home needs 40x15
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "at least 40x15" in flat(screen_text(app))
