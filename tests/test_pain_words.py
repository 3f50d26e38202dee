"""Pain anchors are never cut: every rating's words show whole in the pain check and in
triage's step 2, at 80x24 and at 40x15 (issue 17, point 3)."""

from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from neck_tui.content import Content
from neck_tui.dialogs.pain import PainCheck
from neck_tui.screens.home import HomeScreen
from neck_tui.screens.triage import TriageScreen
from neck_tui.widgets.pain import PainScale
from tests.fakes import wait_for
from tests.screen import screen_text


def _flat(text: str) -> str:
    """The screen's words in one line: a second line of the anchor joins the first."""
    return " ".join(re.sub(r"[█▀▄│┃╭╮╰╯─]", " ", text).split())  # borders out


async def _rate_all(pilot: Any, app: Any, content: Content) -> None:
    for value in range(11):
        await pilot.press(*("1", "0") if value == 10 else (str(value),))
        await pilot.pause()
        words = content.pain_words(value)
        assert words in _flat(screen_text(app)), (value, words, screen_text(app))


@pytest.mark.parametrize("size", [(80, 24), (40, 15)])
async def test_every_anchor_shows_whole_in_the_pain_check(make_app: Callable[..., Any], content: Content,
                                                          size: tuple[int, int]) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(PainCheck("Heat finished: pain now"))
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await _rate_all(pilot, app, content)


@pytest.mark.parametrize("size", [(80, 24), (40, 15)])
async def test_every_anchor_shows_whole_in_triage(make_app: Callable[..., Any], content: Content,
                                                  size: tuple[int, int]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.press("3", "enter")  # a flag that is not urgent: on to the pain rating
        await wait_for(pilot, lambda: app.screen.query_one(PainScale).has_focus)
        await _rate_all(pilot, app, content)
