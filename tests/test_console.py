"""On the Linux console (TERM=linux) the app draws only glyphs its font has (issue 17, point 5)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from neck_tui.screens.home import HomeScreen
from neck_tui.screens.triage import TriageScreen
from tests.fakes import wait_for
from tests.screen import screen_text

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
