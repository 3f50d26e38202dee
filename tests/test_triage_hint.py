"""The red-flags hint and the t key on every self-care start (issue 14 point 5): heat, cold and
contrast setup, box breathing, the exercises chooser. Unobtrusive: it never blocks the start."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

import pytest

from neck_tui.dialogs.pain import PainCheck
from neck_tui.screens.breathing import BreathingScreen
from neck_tui.screens.exercises import ExercisesScreen
from neck_tui.screens.thermal import ThermalScreen
from neck_tui.screens.triage import TriageScreen
from neck_tui.store import Record, Store
from neck_tui.widgets.triage_hint import HINT, TRIAGE_KEY, TriageHint
from tests.fakes import FakeClock, wait_for
from tests.test_session_lines import start_running

STARTS = {"heat": ThermalScreen, "cold": ThermalScreen, "contrast": ThermalScreen,
          "breathe": BreathingScreen, "exercises": ExercisesScreen}
SIZES = [(40, 15), (80, 24)]


def fully_shown(screen: Any, widget: Any) -> bool:
    geometry = screen.find_widget(widget)
    return bool(widget.display) and geometry.clip.contains_region(geometry.region)


def a_triage(store: Store, when: Any) -> None:
    store.add_record(Record(kind="triage", started=when, ended=when, completed=True,
                            details={"flags": [], "outcome": "self_care"}))


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("start", list(STARTS))
async def test_hint_shows_on_each_start_and_t_opens_the_red_flags(
    make_app: Callable[..., Any], start: str, size: tuple[int, int]
) -> None:
    app = make_app(start=start)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, STARTS[start]) and app.screen.query(TriageHint))
        screen = app.screen
        hint = screen.query_one(TriageHint)
        await wait_for(pilot, lambda: fully_shown(screen, hint))
        assert str(hint.render()) == HINT
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TriageScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is screen)


@pytest.mark.parametrize("start", list(STARTS))
def test_t_means_nothing_else_on_these_screens(start: str) -> None:
    bindings = [b for cls in STARTS[start].__mro__ for b in getattr(cls, "BINDINGS", [])]
    keys = [(b.key, b.action) for b in bindings if not isinstance(b, tuple)]
    assert [k for k in keys if k[0] == "t"] == [(TRIAGE_KEY.key, TRIAGE_KEY.action)]


@pytest.mark.parametrize("start", list(STARTS))
async def test_hint_hidden_after_a_recent_triage_and_start_is_not_blocked(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, start: str
) -> None:
    a_triage(store, clock.now() - timedelta(hours=2))
    app = make_app(start=start)
    async with app.run_test(size=(40, 15)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, STARTS[start]) and app.screen.query(TriageHint))
        await pilot.pause()
        assert not app.screen.query_one(TriageHint).display
        await pilot.press("enter")  # the start goes on as before: the pain check comes up
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))


async def test_hint_does_not_block_the_start_and_goes_while_breathing_runs(make_app: Callable[..., Any]) -> None:
    app = make_app(start="breathe")
    async with app.run_test(size=(40, 15)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BreathingScreen))
        screen = app.screen
        await start_running(pilot, screen)
        await pilot.pause()
        assert not screen.query_one(TriageHint).region.height  # room for the pacer
