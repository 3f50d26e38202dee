"""Triage as a user meets it: red flags, pain now, the red-flag screen, the suggestion, the
records it saves, the reminder banner and the pain pre-fill other sessions use."""

from __future__ import annotations

import os
import time
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import pytest
from textual.app import ComposeResult
from textual.widgets import Footer, OptionList, Static

from neck_tui import insights
from neck_tui.content import Content
from neck_tui.dialogs.flag_question import FlagQuestion
from neck_tui.dialogs.pain import PainCheck
from neck_tui.screens.base import NeckScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.screens.notice import NoticeScreen
from neck_tui.screens.triage import (
    RedFlagScreen,
    SuggestionScreen,
    TriageScreen,
)
from neck_tui.store import Record, Store, StoreError
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.flags import FlagList
from neck_tui.widgets.pain import PainScale
from neck_tui.widgets.triage_hint import HINT, TRIAGE_KEY, TriageHint
from tests.fakes import FakeClock, store_fails, wait_for


def text_of(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def fully_shown(screen: Any, widget: Any) -> bool:
    """The widget is displayed and nothing of it is clipped off (scrolled away or off screen)."""
    geometry = screen.find_widget(widget)
    return bool(widget.display) and geometry.clip.contains_region(geometry.region)


def screen_text(screen: Any) -> str:
    """Everything the screen's visible Static widgets say."""
    return "\n".join(str(w.render()) for w in screen.query(Static) if w.display)


def shown_keys(screen: Any) -> dict[str, str]:
    """Footer keys: description -> key, for the bindings the Footer shows now."""
    return {
        b.binding.description: b.binding.key_display or key
        for key, b in screen.active_bindings.items()
        if b.binding.show and b.binding.description
    }


def triages(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds=["triage"])  # read back from disk


def flag_text(content: Content, flag_id: str) -> str:
    return next(f.text for f in content.red_flags if f.id == flag_id)


async def press_flags(pilot: Any, *keys: str) -> None:
    """Keys as a user ticking flags one by one: a pause after each digit, so two digits are
    two flags, not a number (see test_a_number_typed_on_the_list_ticks_no_flag)."""
    for key in keys:
        await pilot.press(key)
        if key.isdigit():
            pilot.app.clock.advance(2)


async def open_triage(pilot: Any) -> TriageScreen:
    await pilot.pause()
    assert isinstance(pilot.app.screen, TriageScreen)
    return pilot.app.screen


# --- the checklist and pain ----------------------------------------------------------------------


async def test_nine_flags_all_visible_at_80x24_with_urgent_marked_by_word(
    make_app: Callable[..., Any], content: Content
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        assert flags.option_count == 9 == len(content.red_flags)
        assert flags.max_scroll_y == 0  # nothing hidden behind a scroll
        assert flags.region.bottom <= screen.query_one("#triage-step2").region.y  # pain box below it
        for i, flag in enumerate(content.red_flags):
            prompt = str(flags.get_option_at_index(i).prompt)
            assert prompt.startswith(f"[ ] {i + 1}  {flag.text}")
            assert ("! urgent" in prompt) == flag.urgent
        assert [f.id for f in content.red_flags if f.urgent] == [
            "headache_weakness",
            "dizziness_falls",
            "speaking_swallowing",
            "trauma",
            "fever_weight_loss",
        ]
        assert shown_keys(screen)["Tick"] == "space/1-9"
        assert "Next" in shown_keys(screen)


async def test_ten_typed_on_the_list_ticks_no_flag_but_two_flags_typed_fast_stay_two(
    make_app: Callable[..., Any], clock: FakeClock
) -> None:
    """"10" (a pain typed ahead) is not flag 1; "2" then "5" typed at once are flags 2 and 5,
    never neither (a red flag must not vanish because it was typed quickly)."""
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        await pilot.press("1", "0")
        assert flags.ticked == []
        await pilot.press("2", "5")
        assert flags.ticked == ["cannot_function", "headache_weakness"]
        clock.advance(2)
        await pilot.press("1")  # after a pause a 1 is flag 1, and a late 0 changes nothing
        clock.advance(2)
        await pilot.press("0")
        assert flags.ticked == ["unrelenting_pain", "cannot_function", "headache_weakness"]


@pytest.mark.parametrize(
    ("keys", "ticked"),
    [
        (("1", "0"), []),  # pain 10 typed on the list
        (("1", 0.5, "0"), []),  # the same with a short pause
        (("1", "0", "0"), []),  # a third digit is no flag either
        (("0",), []),  # 0 is no flag
        (("2", "0"), ["cannot_function"]),  # a 0 after another digit adds nothing
        (("2", "5"), ["cannot_function", "headache_weakness"]),  # two flags typed fast stay two
        (("1", 2, "0"), ["unrelenting_pain"]),  # after a pause a 0 changes nothing
        (("space", "1", "0"), ["unrelenting_pain"]),  # flag 1 ticked before: "10" leaves it ticked
    ],
    ids=["10", "1-pause-0", "100", "0", "20", "25", "1-long-pause-0", "ticked-then-10"],
)
async def test_digits_on_the_list_never_tick_another_flag_by_accident(
    make_app: Callable[..., Any], clock: FakeClock, keys: tuple[str | float, ...], ticked: list[str]
) -> None:
    """A number on the list (a pain rating typed too early), a short pause or a second digit
    never turns into another flag. A number in `keys` is seconds the clock moves on between keys."""
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        for key in keys:
            if isinstance(key, str):
                await pilot.press(key)
            else:
                clock.advance(key)
        assert screen.query_one(FlagList).ticked == ticked


async def test_digits_and_arrows_space_toggle_flags(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        await press_flags(pilot, "3", "9")
        assert flags.ticked == ["frequent_spasms", "fever_weight_loss"]
        assert str(flags.get_option_at_index(2).prompt).startswith("[x] 3")
        await pilot.press("3")
        assert flags.ticked == ["fever_weight_loss"]
        await pilot.press("home", "down", "space")
        assert flags.ticked == ["cannot_function", "fever_weight_loss"]
        await pilot.press("space")
        assert flags.ticked == ["fever_weight_loss"]


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_all_nine_flags_on_one_screen_with_urgent_marked(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int]
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=size) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        assert flags.max_scroll_y == 0 and fully_shown(screen, flags)  # nothing below the fold
        compact = size[0] < 60
        assert flags.compact is compact
        for i, flag in enumerate(content.red_flags):
            prompt = str(flags.get_option_at_index(i).prompt)
            if compact:
                mark = "!" if flag.urgent else " "
                assert prompt == f"[ ] {i + 1} {mark} {flag.short}"
            else:
                assert prompt.startswith(f"[ ] {i + 1}  {flag.text}")
                assert ("! urgent" in prompt) == flag.urgent
        assert ("! = urgent" in str(flags.border_subtitle)) is compact
        # Compact: the highlighted flag's full text shows under the list, urgent mark and all.
        full = screen.query_one("#triage-full", Static)
        await pilot.press("9")
        if compact:
            assert fully_shown(screen, full)
            assert str(full.render()).split() == f"9 ! urgent {flag_text(content, 'fever_weight_loss')}".split()
        else:
            assert not full.display


async def test_resizing_switches_between_full_and_short_forms(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        assert not flags.compact
        await pilot.resize_terminal(40, 15)
        await pilot.pause()
        assert flags.compact and flags.max_scroll_y == 0 and fully_shown(screen, flags)
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert not flags.compact


async def test_at_40x15_step_2_shows_once_reached_and_fits(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await open_triage(pilot)
        step2 = screen.query_one("#triage-step2")
        assert not step2.display  # all the room goes to the nine flags
        await pilot.press("3", "enter")
        await pilot.pause()
        pain = screen.query_one(PainScale)
        assert pain.has_focus and step2.display and fully_shown(screen, pain)
        assert not screen.query_one("#triage-full").display
        await pilot.press("escape")
        await pilot.pause()
        assert screen.query_one(FlagList).has_focus and not step2.display


async def test_a_list_longer_than_the_screen_is_shown_to_the_end_before_enter_moves_on(
    make_app: Callable[..., Any], content: Content, store: Store, clock: FakeClock
) -> None:
    """User content without short forms: the list wraps and scrolls at 40x15, so the first
    Enter shows the rest of it instead of moving on."""
    from neck_tui.app import NeckApp

    long = content.model_copy(update={"red_flags": [f.model_copy(update={"short": None}) for f in content.red_flags]})
    store.update_state(lambda state: setattr(state, "notice_accepted", True))
    app = NeckApp(content=long, store=store, start="triage", clock=clock, now=clock.now)
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await open_triage(pilot)
        flags = screen.query_one(FlagList)
        assert flags.max_scroll_y > 0 and flags.scroll_y == 0
        await pilot.press("2", "enter")
        await pilot.pause()
        assert flags.has_focus and flags.scroll_y == flags.max_scroll_y
        assert "More red flags below" in text_of(screen, "#triage-full")
        await pilot.press("enter")  # now seen: on to the pain rating
        await pilot.pause()
        assert screen.query_one(PainScale).has_focus


async def test_pain_step_digits_set_pain_not_flags(make_app: Callable[..., Any], content: Content) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("enter")
        pain = screen.query_one(PainScale)
        assert pain.has_focus
        assert shown_keys(screen)["Pain"] == "0-10/←→"
        await pilot.press("1", "0")
        assert pain.value == 10 and screen.query_one(FlagList).ticked == []
        assert content.pain_words(10) in str(pain.render())
        await pilot.press("left", "left")
        assert pain.value == 8
        await pilot.press("escape")  # back to step 1, not out of triage
        assert screen.query_one(FlagList).has_focus and app.screen is screen
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
    assert triages(app.store) == []  # left before answering: nothing saved


async def test_enter_without_pain_asks_for_it_and_s_skips(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("enter", "enter")
        assert app.screen is screen
        assert "Press 0-10" in text_of(screen, "#triage-hint")
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SuggestionScreen)
        assert "Pain not rated" in screen_text(app.screen)
    [record] = triages(app.store)
    assert record.pain_before is None


async def test_triage_opens_from_home_with_t(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


# --- no flags: the suggestion ------------------------------------------------------------------


async def test_no_flags_suggests_either_and_saves_the_record(
    make_app: Callable[..., Any], content: Content, clock: FakeClock
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        clock.advance(20)
        await pilot.press("enter", "4", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SuggestionScreen)
        shown = screen_text(screen)
        assert "No red flags ticked." in shown
        assert f"Pain now: 4/10, {content.pain_words(4)}" in shown
        assert content.notice.suggest_either in shown
        assert content.regimen_for("heat").summary in shown and content.regimen_for("cold").summary in shown
        assert not screen.query_one(RedFlagBanner).display
        [record] = triages(app.store)
        assert record.kind == "triage" and record.completed and record.pain_before == 4
        assert record.details == {"flags": [], "urgent": [], "outcome": "self_care", "suggestion": "heat_or_cold"}
        assert record.started == clock.wall0 and record.ended == clock.wall0 + timedelta(seconds=20)
        await pilot.press("enter")  # either, no history: Enter says what to press
        assert app.screen is screen and "h for heat" in text_of(screen, "#suggest-hint")
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "ThermalScreen" and app.screen.kind == "cold"
        assert TriageScreen not in {type(s) for s in app.screen_stack}
    [record] = triages(app.store)
    assert record.details["choice"] == "cold"


@pytest.mark.parametrize("preference", ["heat", "cold"])
async def test_no_flags_honours_the_stated_preference(
    make_app: Callable[..., Any], store: Store, content: Content, preference: str
) -> None:
    store.update_state(lambda s: setattr(s.settings, "preference", preference))
    app = make_app(start="triage", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("enter", "3", "enter")
        await pilot.pause()
        screen = app.screen
        regimen = content.regimen_for(preference)
        assert text_of(screen, "#suggest-next") == f"Suggested: {regimen.name}, your preference."
        assert regimen.summary in screen_text(screen)
        assert content.notice.suggest_either not in screen_text(screen)
        await pilot.press("enter")  # starts the suggested one
        await pilot.pause()
        assert app.screen.kind == preference
    [record] = triages(store)
    assert record.details["suggestion"] == preference and record.details["choice"] == preference


def _session(kind: str, when: datetime, before: int | None, after: int | None) -> Record:
    return Record(kind=kind, started=when, ended=when + timedelta(minutes=10), completed=True,
                  pain_before=before, pain_after=after)


@pytest.fixture
def history(store: Store, clock: FakeClock) -> Store:
    """Heat has helped most (avg drop 3.0 from 3); cold less; old and unrated sessions don't count."""
    now = clock.now()
    for days, kind, before, after in [
        (2, "heat", 6, 3), (5, "heat", 5, 3), (9, "heat", 7, 3),
        (3, "cold", 6, 5), (4, "cold", 5, 3),
        (6, "breathing", 4, 2),
        (8, "exercise", 5, None),  # no "after": not counted
        (120, "cold", 9, 0),  # older than 90 days: not counted
    ]:
        store.add_record(_session(kind, now - timedelta(days=days), before, after))
    return store


async def test_suggestion_names_what_helped_most_from_history(
    make_app: Callable[..., Any], history: Store
) -> None:
    app = make_app(start="triage", store=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("enter", "5", "enter")
        await pilot.pause()
        screen = app.screen
        line = text_of(screen, "#suggest-history")
        assert "What has helped you most: Heat, avg drop 3.0 from 3 sessions" in line
        assert "Enter  start heat" in text_of(screen, "#suggest-keys")
        await pilot.press("enter")  # preference "either": Enter starts what helped most
        await pilot.pause()
        assert app.screen.kind == "heat"
    record = triages(history)[-1]
    assert record.details["helped_most"] == "heat" and record.details["choice"] == "heat"


def test_pain_drop_and_best_kind(history: Store, clock: FakeClock) -> None:
    drops = insights.pain_drop_by_kind(history.records())
    assert drops["heat"] == (3.0, 3) and drops["cold"] == (4.0, 3)  # all-time: the old one makes cold look best
    assert insights.helped_most(history, clock.now()) == ("heat", 3.0, 3)
    assert insights.best_kind({"cold": (2.0, 1), "heat": (2.0, 4)}) == ("heat", 2.0, 4)
    assert insights.best_kind({}) is None


async def test_no_helpful_kind_yet_is_said_plainly(make_app: Callable[..., Any], store: Store, clock: FakeClock) -> None:
    store.add_record(_session("heat", clock.now() - timedelta(days=1), 3, 5))
    app = make_app(start="triage", store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("enter", "5", "enter")
        await pilot.pause()
        assert "No activity has lowered your pain on average yet (1 rated session)" in text_of(
            app.screen, "#suggest-history"
        )
        assert "Enter" not in text_of(app.screen, "#suggest-keys")


# --- any flag: the red-flag screen -------------------------------------------------------------


async def test_one_urgent_flag_says_get_urgent_care_and_lists_it(
    make_app: Callable[..., Any], content: Content
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("7", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RedFlagScreen)
        assert text_of(screen, "#redflag-urgent") == f"URGENT  {content.notice.urgent_advice}"
        assert text_of(screen, "#redflag-advice") == content.notice.red_flag_advice
        listed = text_of(screen, "#redflag-list")
        assert f"! urgent {flag_text(content, 'speaking_swallowing')}" in listed
        assert listed.count("\n") == 1  # "You ticked:" and the one flag
        assert content.notice.red_flag_meanwhile_no_holds in screen_text(screen)
        assert "Breathe" in shown_keys(screen)
    [record] = triages(app.store)
    assert record.pain_before is None  # urgent: no pain rating in the way
    assert record.details == {
        "flags": ["speaking_swallowing"],
        "urgent": ["speaking_swallowing"],
        "outcome": "red_flag",
        "suggestion": "urgent_care",
    }


async def test_non_urgent_flags_ask_for_a_provider_without_urgent_advice(
    make_app: Callable[..., Any], content: Content
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await press_flags(pilot, "1", "4", "enter", "8", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RedFlagScreen)
        assert not screen.query("#redflag-urgent")
        assert content.notice.urgent_advice not in screen_text(screen)
        listed = text_of(screen, "#redflag-list")
        assert flag_text(content, "unrelenting_pain") in listed and flag_text(content, "radiating_pain") in listed
        assert "urgent" not in listed
    [record] = triages(app.store)
    assert record.details["urgent"] == [] and record.details["suggestion"] == "see_provider"


async def test_accidental_enter_and_escape_never_lead_into_self_care(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("5", "enter", "7", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RedFlagScreen)
        await pilot.press("enter", "enter", "enter")
        assert app.screen is screen
        assert "Enter does not choose here" in text_of(screen, "#redflag-hint")
        # Starting to go on, then Enter or escape: still here, nothing recorded as going on.
        await pilot.press("g")
        assert screen.query_one("#redflag-confirm").display
        await pilot.press("enter")
        assert app.screen is screen and screen.confirming
        await pilot.press("escape")
        assert app.screen is screen and not screen.confirming
        assert "choice" not in triages(app.store)[0].details
        # Escape itself goes home, recorded as "home", never into self-care.
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = triages(app.store)
    assert record.details["choice"] == "home"


async def test_going_on_anyway_is_deliberate_recorded_and_reminded(
    make_app: Callable[..., Any], content: Content
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("2", "enter", "5", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagScreen)
        await pilot.press("g")
        assert set(shown_keys(app.screen)) >= {"Yes, go on", "No, stay"}
        assert "Breathe" not in shown_keys(app.screen)  # only y or n while confirming
        await pilot.press("n")
        assert not app.screen.confirming
        await pilot.press("g", "y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, SuggestionScreen)
        banner = screen.query_one(RedFlagBanner)
        assert banner.display and content.notice.reminder_banner in str(banner.render())
        assert triages(app.store)[0].details["choice"] == "continue_self_care"
        await pilot.press("h")
        await pilot.pause()
        assert app.screen.kind == "heat"
    [record] = triages(app.store)
    assert record.details["choice"] == "continue_self_care" and record.details["then"] == "heat"


async def test_d_records_getting_care_and_goes_home(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("8", "enter", "s")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    [record] = triages(app.store)
    assert record.details["choice"] == "see_provider" and record.details["suggestion"] == "urgent_care"


@pytest.mark.parametrize(
    ("flag", "holds"), [("6", False), ("7", False), ("5", True), ("8", True), ("4", True)]
)
async def test_breathing_on_the_red_flag_screen_fits_what_was_ticked(
    make_app: Callable[..., Any], content: Content, flag: str, holds: bool
) -> None:
    """Dizziness/falls (6) or speaking/swallowing (7): breathing without breath holds, never box
    breathing; other flags: the default pattern, and never called "safe". Back returns here."""
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press(flag, "enter", "s")
        await pilot.pause()
        red = app.screen
        assert isinstance(red, RedFlagScreen)
        shown = screen_text(red)
        box = content.pattern(content.breathing.default_pattern).name
        calm = content.pattern(content.breathing.no_hold_pattern).name
        assert "safe way" not in shown
        assert (box in shown) is holds and (calm in shown) is not holds
        meanwhile = content.notice.red_flag_meanwhile if holds else content.notice.red_flag_meanwhile_no_holds
        assert text_of(red, "#redflag-meanwhile") == meanwhile
        await pilot.press("b")
        await pilot.pause()
        breathing = next(s for s in app.screen_stack if type(s).__name__ == "BreathingScreen")
        assert breathing.plan.id == (content.breathing.default_pattern if holds else content.breathing.no_hold_pattern)
        assert any(step.kind == "hold" for step in breathing.plan.steps) is holds
        for _ in range(4):  # breathing may ask for pain first
            if app.screen is red:
                break
            await pilot.press("escape")
            await pilot.pause()
        assert app.screen is red
    [record] = triages(app.store)
    assert record.details["choice"] == "breathe"


async def test_a_failed_save_is_one_clear_message_not_a_crash(
    make_app: Callable[..., Any], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store_fails(monkeypatch, "add_record", "update_record", message="cannot write history/2026-11.toml: No space left on device")
    app = make_app(start="triage", store=store)
    messages: list[str] = []
    monkeypatch.setattr(app, "notify", lambda message, **kw: messages.append(message))
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("7", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RedFlagScreen))  # the advice is still shown
        [message] = messages
        assert "No space left on device" in message and "goes on in memory" in message
        await pilot.press("d")  # the choice waits in memory too: no second message for one outage
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert len(messages) == 1
        monkeypatch.undo()
        assert app.saver.retry()  # the disk has room again: what waited is written
    [record] = Store(store.data_dir).records()
    assert record.details["flags"] == ["speaking_swallowing"]
    assert record.details["choice"] == "see_provider"


# --- the banner and the pain pre-fill ------------------------------------------------------------


class SelfCareProbe(NeckScreen):
    """Stands in for any self-care screen: they all yield the banner at the top."""

    def compose(self) -> ComposeResult:
        yield RedFlagBanner()
        yield Footer()


def _triage(when: datetime, flags: list[str], pain: int | None = 5) -> Record:
    return Record(kind="triage", started=when, ended=when, completed=True, pain_before=pain,
                  details={"flags": flags, "urgent": [], "outcome": "red_flag" if flags else "self_care"})


@pytest.mark.parametrize(
    ("hours_ago", "flags", "shown"),
    [(23.5, ["radiating_pain"], True), (24.5, ["radiating_pain"], False), (1, [], False)],
)
async def test_banner_within_24h_of_a_flagged_triage(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, content: Content,
    hours_ago: float, flags: list[str], shown: bool,
) -> None:
    store.add_record(_triage(clock.now() - timedelta(hours=hours_ago), flags))
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(SelfCareProbe())
        await pilot.pause()
        banner = app.screen.query_one(RedFlagBanner)
        assert banner.display is shown
        if shown:
            assert str(banner.render()) == "! " + content.notice.reminder_banner


async def test_banner_after_a_flagged_triage_in_this_run(make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("4", "enter", "s", "escape")
        await pilot.pause()
        await app.push_screen(SelfCareProbe())
        await pilot.pause()
        assert app.screen.query_one(RedFlagBanner).display
        app.pop_screen()
        clock.advance(25 * 3600)
        await app.push_screen(SelfCareProbe())
        await pilot.pause()
        assert not app.screen.query_one(RedFlagBanner).display


def test_recent_pain_is_a_triage_from_the_last_hour(store: Store, clock: FakeClock) -> None:
    now = clock.now()
    assert insights.recent_pain(store, now) is None
    store.add_record(_triage(now - timedelta(minutes=90), [], pain=8))
    store.add_record(_triage(now - timedelta(minutes=30), [], pain=6))
    store.add_record(_session("heat", now - timedelta(minutes=10), 2, 1))  # not a triage
    assert insights.recent_pain(store, now) == 6
    assert insights.recent_pain(store, now + timedelta(minutes=31)) is None


async def test_pain_check_prefilled_from_a_recent_triage(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, content: Content
) -> None:
    store.add_record(_triage(clock.now() - timedelta(minutes=20), [], pain=6))
    app = make_app(store=store)
    answers: list[int | None] = []
    async with app.run_test(size=(80, 24)) as pilot:
        prefill = insights.recent_pain(store, app.now())
        app.push_screen(PainCheck("Pain before?", value=prefill), answers.append)
        await pilot.pause()
        scale = app.screen.query_one(PainScale)
        assert scale.value == 6 and f"Pain 6/10: {content.pain_words(6)}" in str(scale.render())
        await pilot.press("enter")
        app.push_screen(PainCheck("Pain after?"), answers.append)
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    assert answers == [6, None]


@pytest.fixture
def west_of_utc() -> Any:
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "America/Los_Angeles"
    time.tzset()
    yield
    if saved is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = saved
    time.tzset()


def test_recent_triages_found_west_of_utc_in_the_evening(data_dir: Any, west_of_utc: Any) -> None:
    # 03:00 UTC is 19:00 the evening before in Los Angeles: the last hour and the last 24 h
    # both start before local midnight of their UTC date.
    now = datetime(2026, 11, 25, 3, 0, tzinfo=timezone.utc)
    store = Store(data_dir, now=lambda: now)
    store.add_record(_triage(now - timedelta(hours=22), ["trauma"], pain=3))
    assert insights.red_flag_triage(store, now) is not None
    assert insights.recent_pain(store, now) is None
    store.add_record(_triage(now - timedelta(minutes=30), [], pain=7))
    assert insights.recent_pain(store, now) == 7


@pytest.mark.parametrize(
    "keys, flags, pain",
    [("7\r7\r", ["speaking_swallowing"], None), ("3\r10\r", ["frequent_spasms"], 10)],
)
async def test_keys_typed_ahead_go_to_the_step_enter_moved_to(
    make_app: Callable[..., Any], keys: str, flags: list[str], pain: int | None
) -> None:
    """Over SSH keys arrive in bursts: "3 Enter 1 0 Enter" in one packet must tick flag 3, rate
    pain 10 and finish; "7 Enter 7 Enter" ticks urgent flag 7 and shows the red-flag screen at
    once, and the second 7 does not untick it."""
    from textual import events

    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        for char in keys:
            event = events.Key("enter" if char == "\r" else char, char)
            event.set_sender(app)
            app._driver.send_message(event)  # as the driver does: no waiting between keys
        handled: list[bool] = []  # the app has taken every key from its queue (they come in order)
        app._driver.send_message(events.Callback(callback=lambda: handled.append(True)))
        await wait_for(pilot, lambda: handled and isinstance(app.screen, RedFlagScreen))
        await pilot.pause()
        assert isinstance(app.screen, RedFlagScreen)
    [record] = triages(app.store)
    assert record.details["flags"] == flags and record.pain_before == pain


# --- issue 14: urgent first, advice that fits, the flag-1 question, the notice, the hint ------


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_any_urgent_flag_shows_urgent_care_at_once_with_its_basis(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int]
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=size) as pilot:
        await open_triage(pilot)
        await press_flags(pilot, "2", "5", "enter")  # one non-urgent and one urgent flag
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RedFlagScreen)
        assert not app.query(PainScale) and not screen.query(PainScale)  # no rating before it
        urgent = screen.query_one("#redflag-urgent", Static)
        assert fully_shown(screen, urgent) and content.notice.urgent_advice in str(urgent.render())
        basis = text_of(screen, "#redflag-basis")
        assert "the app's own judgement" in basis.lower() and content.urgent_tier.note in basis
    [record] = triages(app.store)
    assert record.pain_before is None
    assert record.details["urgent"] == ["headache_weakness"] and record.details["suggestion"] == "urgent_care"


async def test_no_urgent_flag_no_urgent_basis(make_app: Callable[..., Any]) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press("3", "enter", "4", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RedFlagScreen)
        assert not app.screen.query("#redflag-basis") and not app.screen.query("#redflag-urgent")


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_flag_9_separates_fever_from_weight_loss(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int]
) -> None:
    flag = next(f for f in content.red_flags if f.id == "fever_weight_loss")
    fever, weight = (next(p for p in flag.parts if p.id == i) for i in ("fever_chills", "weight_loss"))
    assert fever.urgent and not weight.urgent
    app = make_app(start="triage")
    async with app.run_test(size=size) as pilot:
        await open_triage(pilot)
        await pilot.press("9", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RedFlagScreen)
        # Not the emergency line for all of flag 9: each part with its own advice, fever first.
        assert not screen.query("#redflag-urgent")
        top = screen.query_one("#redflag-part-fever_chills", Static)
        assert fully_shown(screen, top)
        assert str(top.render()) == f"URGENT  {fever.text}:\n{fever.advice}"
        assert str(screen.query_one("#redflag-part-weight_loss", Static).render()) == f"{weight.text}:\n{weight.advice}"
        assert screen.query_one("#redflag-part-fever_chills").region.y < screen.query_one("#redflag-part-weight_loss").region.y


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
@pytest.mark.parametrize(("answer", "outcome"), [("y", "red_flag"), ("n", "self_care")])
async def test_pain_8_or_more_with_no_flag_asks_once_about_flag_1(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int], answer: str, outcome: str
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=size) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("enter", "9", "enter")
        await pilot.pause()
        question = app.screen
        assert isinstance(question, FlagQuestion)
        shown = screen_text(question)
        assert flag_text(content, "unrelenting_pain") in shown and "9/10" in shown
        assert fully_shown(question, question.query_one("#flag-question-keys"))
        await pilot.press("enter")  # a reflexive Enter answers nothing
        assert app.screen is question
        await pilot.press("escape")  # back to the rating, nothing decided, nothing saved
        await pilot.pause()
        assert app.screen is screen and triages(app.store) == []
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FlagQuestion)
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, RedFlagScreen if answer == "y" else SuggestionScreen)
    [record] = triages(app.store)
    assert record.pain_before == 9 and record.details["outcome"] == outcome
    assert record.details["flags"] == (["unrelenting_pain"] if answer == "y" else [])
    assert record.details["asked"] == ["unrelenting_pain"]


@pytest.mark.parametrize(("keys", "asked"), [(["enter", "7", "enter"], False), (["3", "enter", "9", "enter"], False)])
async def test_no_flag_1_question_below_8_or_with_a_flag_ticked(
    make_app: Callable[..., Any], keys: list[str], asked: bool
) -> None:
    app = make_app(start="triage")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_triage(pilot)
        await pilot.press(*keys)
        await pilot.pause()
        assert isinstance(app.screen, (RedFlagScreen, SuggestionScreen))
    [record] = triages(app.store)
    assert "asked" not in record.details


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_first_run_notice_names_the_triage_key_and_fits(
    make_app: Callable[..., Any], content: Content, size: tuple[int, int]
) -> None:
    app = make_app(accepted=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        notice = app.screen
        assert isinstance(notice, NoticeScreen)
        line = notice.query_one("#notice-triage", Static)
        assert fully_shown(notice, line) and str(line.render()) == content.notice.triage_line
        assert "press t" in content.notice.triage_line and "neck-tui triage" in content.notice.triage_line
        assert fully_shown(notice, notice.query_one("#accept"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.store.state.notice_accepted
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)


async def test_the_palette_opens_nothing_before_the_notice_is_accepted(make_app: Callable[..., Any]) -> None:
    app = make_app(accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [c.title for c in app.get_system_commands(app.screen)] == ["Quit"]
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert type(app.screen).__name__ == "CommandPalette"
        palette = app.screen
        await pilot.press(*"heat")
        options = palette.query_one(OptionList)
        for _ in range(50):  # the palette searches in the background: wait for it to settle
            await pilot.pause(0.02)
            if any("No matches found" in str(o.prompt) for o in options.options):
                break
        # Only Textual's "No matches found" line, which cannot be chosen: no "Open Heat".
        assert [("No matches found" in str(o.prompt), o.disabled) for o in options.options] == [(True, True)]
        await pilot.press("escape")
        await pilot.pause()
        assert not [s for s in app.screen_stack if type(s).__name__ == "ThermalScreen"]
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("a")
        await pilot.pause()
        assert app.store.state.notice_accepted
        assert "Open Heat" in [c.title for c in app.get_system_commands(app.screen)]


class HintProbe(NeckScreen):
    """Stands in for a self-care screen at its start: the hint line and the t key."""

    BINDINGS = [TRIAGE_KEY]

    def compose(self) -> ComposeResult:
        yield TriageHint()
        yield Footer()


def test_recent_triage_is_a_finished_triage_in_the_last_12_hours(store: Store, clock: FakeClock) -> None:
    now = clock.now()
    assert insights.recent_triage(store, now) is None
    store.add_record(_triage(now - timedelta(hours=13), []))
    store.add_record(_session("heat", now - timedelta(hours=1), 5, 3))  # not a triage
    assert insights.recent_triage(store, now) is None
    unfinished = _triage(now - timedelta(hours=2), []).model_copy(update={"completed": False})
    store.add_record(unfinished)
    assert insights.recent_triage(store, now) is None
    store.add_record(_triage(now - timedelta(hours=11), ["trauma"]))
    assert insights.recent_triage(store, now).details["flags"] == ["trauma"]
    assert insights.recent_triage(store, now + timedelta(hours=1.5)) is None


@pytest.mark.parametrize("size", [(40, 15), (80, 24)])
async def test_triage_hint_until_a_triage_and_t_opens_it(
    make_app: Callable[..., Any], store: Store, clock: FakeClock, size: tuple[int, int]
) -> None:
    store.add_record(_triage(clock.now() - timedelta(hours=13), []))  # too long ago
    app = make_app(store=store)
    async with app.run_test(size=size) as pilot:
        await app.push_screen(HintProbe())
        await pilot.pause()
        probe = app.screen
        hint = probe.query_one(TriageHint)
        assert fully_shown(probe, hint) and str(hint.render()) == HINT
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TriageScreen)
        await pilot.press("enter", "3", "enter")  # no flag, pain 3: the suggestion
        await pilot.pause()
        await pilot.press("escape")  # home, then the probe again
        await pilot.pause()
        await app.push_screen(HintProbe())
        await pilot.pause()
        assert not app.screen.query_one(TriageHint).display


async def test_triage_hint_hides_when_its_screen_comes_back_after_a_triage(
    make_app: Callable[..., Any], store: Store
) -> None:
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(HintProbe())
        await pilot.pause()
        probe = app.screen
        assert probe.query_one(TriageHint).display
        store.add_record(_triage(app.now(), []))  # as a triage opened on top would
        await app.push_screen(HintProbe())
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        assert app.screen is probe and not probe.query_one(TriageHint).display


async def test_triage_hint_shows_when_history_cannot_be_read(
    make_app: Callable[..., Any], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> list[Record]:
        raise StoreError("cannot read history/2026-11.toml: Permission denied")

    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        monkeypatch.setattr(store, "records", broken)
        await app.push_screen(HintProbe())
        await pilot.pause()
        assert app.screen.query_one(TriageHint).display
