"""The quiet lines around a session's numbers: where the hold/rep counts and the cold rest default
come from (issue 14 point 7: content's counts_basis / minutes_basis), and the one tip after the
pain-after question (issue 15 point 2: learn.tip_line for after_<kind>)."""

from __future__ import annotations

from typing import Any, Callable

import pytest
from textual.widgets import OptionList

from neck_tui.app import NeckApp
from neck_tui.content import Content
from neck_tui.dialogs.advice import Advice
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck
from neck_tui.learn import tip_for
from neck_tui.screens.breathing import BreathingScreen
from neck_tui.screens.exercises import ExerciseRunner, ExercisesScreen
from neck_tui.screens.thermal import ThermalScreen
from neck_tui.store import Store
from neck_tui.widgets.stepper import Stepper
from tests.fakes import FakeClock, wait_for
from tests.screen import flat, screen_text

SIZES = [(40, 15), (80, 24)]


def said(screen: Any, selector: str) -> str:
    widget = screen.query_one(selector)
    return str(widget.render()) if widget.display else ""


def with_tips_after(content: Content, *contexts: str) -> Content:
    """The shipped content with its first tip also named for these contexts."""
    first, *rest = content.tips
    tip = first.model_copy(update={"contexts": [*first.contexts, *contexts]})
    return content.model_copy(update={"tips": [tip, *rest]})


async def start_running(pilot: Any, screen: Any) -> None:
    """Enter on a thermal or breathing screen, skip the pain check: the session runs."""
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))
    await pilot.press("s")
    await wait_for(pilot, lambda: pilot.app.screen is screen and screen.mode == "running")


async def stop_to_pain_after(pilot: Any, key: str = "escape") -> None:
    """Stop the running session (key, then yes): the pain-after question comes up."""
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, Confirm))
    await pilot.press("y")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))


def tips_off(store: Store) -> None:
    store.update_state(lambda state: setattr(state.settings, "tips", False))


# --- provenance -------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_exercise_counts_say_they_are_the_apps_own_choice(
    make_app: Callable[..., Any], content: Content, clock: FakeClock, size: tuple[int, int]
) -> None:
    tucks = content.exercise("chin_tucks")
    assert tucks.counts_basis is not None and tucks.counts_basis.basis == "app"
    app = make_app(start="exercises")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        chooser = app.screen
        await wait_for(pilot, lambda: "Holds and reps: the app's own judgement" in said(chooser, "#ex-basis"))
        choices = chooser.query_one(OptionList)
        choices.highlighted = choices.get_option_index("exercise:chin_tucks")
        wide = size[0] >= 60
        want = f"Holds and reps: {tucks.counts_basis.note}" if wide else "Holds and reps: the app's own judgement"
        await wait_for(pilot, lambda: said(chooser, "#ex-basis") == want)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseRunner))
        runner = app.screen
        await pilot.pause()
        shown = flat(screen_text(app))
        if size[1] >= 20:
            assert flat(want) in shown
        else:  # 40x15: the rep, the countdown and the pain cue come first; the chooser said it
            assert not runner.query_one("#run-basis").region.height
        assert flat(content.exercise_info.pain_cue) in shown
        # The counts are never cited as the article's.
        assert "Source" not in shown and "hinge" not in shown.lower()


@pytest.mark.parametrize("size", SIZES)
async def test_cold_rest_default_says_whose_choice_it_is(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int]
) -> None:
    [rest] = [p for p in content.regimen_for("cold").phases if p.kind == "off"]
    assert rest.minutes_basis is not None
    app = make_app(start="cold")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThermalScreen))
        screen = app.screen
        basis = screen.query_one(".setup-basis")
        assert not basis.display  # one round: no rest, no rest default
        screen.query_one("#rounds", Stepper).focus()
        await pilot.press("right")  # two rounds: the rest between them shows, with its basis
        await wait_for(pilot, lambda: basis.display)
        basis.scroll_visible(animate=False)
        await pilot.pause()
        assert str(basis.render()) == f"{rest.minutes:g} min default: {rest.minutes_basis.note}"
        assert "the app's own choice" in flat(screen_text(app))


# --- tips after a session -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
async def test_a_tip_after_the_cold_pain_after_question(
    make_app: Callable[..., Any], content: Content, clock: FakeClock, size: tuple[int, int]
) -> None:
    tip = tip_for(content, "after_cold", clock.now().astimezone().date())
    assert tip is not None
    app = make_app(start="cold")
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThermalScreen))
        screen = app.screen
        await start_running(pilot, screen)
        await stop_to_pain_after(pilot)
        assert said(screen, "#done-tip") == ""  # not before the question is answered
        await pilot.press("4", "enter")
        await wait_for(pilot, lambda: app.screen is screen and said(screen, "#done-tip"))
        assert said(screen, "#done-tip") == f"Tip: {tip.line}"
        tip_line = screen.query_one("#done-tip")
        assert tip_line.region.height and "Pain before" not in said(screen, "#done-tip")


async def test_no_tip_after_a_session_when_tips_are_off(make_app: Callable[..., Any], store: Store) -> None:
    tips_off(store)
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ThermalScreen))
        screen = app.screen
        await start_running(pilot, screen)
        await stop_to_pain_after(pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is screen and "Pain before" not in said(screen, "#done-pain"))
        await pilot.pause()
        assert said(screen, "#done-tip") == "" and "Tip:" not in screen_text(app)


@pytest.mark.parametrize("size", SIZES)
async def test_a_tip_after_breathing_when_content_has_one(
    content: Content, store: Store, clock: FakeClock, size: tuple[int, int]
) -> None:
    mine = with_tips_after(content, "after_breathing")
    tip = tip_for(mine, "after_breathing", clock.now().astimezone().date())
    assert tip is not None and tip_for(content, "after_breathing", clock.now().date()) is None
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    app = NeckApp(content=mine, store=store, start="breathe", clock=clock, now=clock.now)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, BreathingScreen))
        screen = app.screen
        await start_running(pilot, screen)
        await stop_to_pain_after(pilot, "q")
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: app.screen is screen and said(screen, "#breath-tip"))
        assert said(screen, "#breath-tip") == f"Tip: {tip.line}"
        assert screen.query_one("#breath-tip").region.height  # on screen, not below the fold
        await start_running(pilot, screen)  # a new session: the tip goes
        assert said(screen, "#breath-tip") == ""


@pytest.mark.parametrize("size", SIZES)
async def test_a_tip_after_exercises_when_content_has_one(
    content: Content, store: Store, clock: FakeClock, size: tuple[int, int]
) -> None:
    mine = with_tips_after(content, "after_exercise")
    tip = tip_for(mine, "after_exercise", clock.now().astimezone().date())
    assert tip is not None
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    app = NeckApp(content=mine, store=store, start="exercises", clock=clock, now=clock.now)
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, ExercisesScreen))
        chooser = app.screen
        assert said(chooser, "#ex-tip") == ""
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExerciseRunner))
        await pilot.press("exclamation_mark")  # it hurts: stopped at once, the advice, then the pain after
        await wait_for(pilot, lambda: isinstance(app.screen, Advice))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is chooser and said(chooser, "#ex-tip"))
        assert said(chooser, "#ex-tip") == f"Tip: {tip.line}"
        assert "stopped because it hurt" in said(chooser, "#ex-status")
