"""Screens carry their breakpoint classes from construction (neck_tui.screen_breakpoints)."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from neck_tui.dialogs.confirm import Confirm
from neck_tui.screens.history import HistoryScreen
from tests.fakes import wait_for


@pytest.mark.parametrize(("size", "wanted", "unwanted"), [((40, 15), {"-narrow", "-short"}, {"-wide", "-tall"}),
                                                          ((80, 24), {"-wide", "-tall"}, {"-narrow", "-short"})])
async def test_a_screen_built_in_the_app_has_its_size_classes_before_it_opens(
    make_app: Callable[..., Any], size: tuple[int, int], wanted: set[str], unwanted: set[str]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
        history, dialog = HistoryScreen(), Confirm("Title", "Question?")
        assert wanted <= history.classes and not unwanted & history.classes
        assert ({"-short"} if size[1] < 20 else {"-tall"}) <= dialog.classes
        app.push_screen(dialog)
        await wait_for(pilot, lambda: app.screen is dialog)
        assert ({"-short"} if size[1] < 20 else {"-tall"}) <= dialog.classes  # its Resize agrees


def test_a_screen_built_outside_an_app_waits_for_its_first_resize() -> None:
    assert not {"-narrow", "-wide", "-short", "-tall"} & HistoryScreen().classes
