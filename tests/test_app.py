"""The app as a user meets it: first-run notice, Home, every screen and back, help, palette, settings."""

from __future__ import annotations

import gc
from typing import Any, Callable

import pytest
from textual.widgets import OptionList

from neck_tui.activities import BY_NAME
from neck_tui.activities import ENTRIES as ACTIVITIES
from neck_tui.screens.help import HelpScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.screens.notice import NoticeScreen
from neck_tui.store import Store
from tests.fakes import wait_for
from tests.screen import screen_text

ACTIVITY_COMMANDS = ["triage", "heat", "cold", "contrast", "breathe", "exercises", "breaks", "history"]


def screen_class(name: str) -> str:
    return BY_NAME[name].screen.split(":")[1]


async def test_first_run_notice_is_shown_once_and_remembered(make_app: Callable[..., Any], store: Store) -> None:
    app = make_app(store=store, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NoticeScreen)
        text = str(app.screen.query_one("#notice-text").render())
        assert "not medical advice" in text.lower()
        await pilot.press("enter")
        assert isinstance(app.screen, HomeScreen)
    assert Store(store.data_dir).load().notice_accepted is True
    app = make_app(store=Store(store.data_dir))
    async with app.run_test(size=(80, 24)):
        assert isinstance(app.screen, HomeScreen)


async def test_declining_the_notice_quits_without_accepting(make_app: Callable[..., Any], store: Store) -> None:
    app = make_app(store=store, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert app.return_code == 0
    assert Store(store.data_dir).load().notice_accepted is False


async def test_home_lists_every_activity(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        for title in ["Triage", "Heat", "Cold", "Contrast", "Box breathing", "Exercises", "Posture breaks", "History", "Settings"]:
            assert title in text, title


async def test_the_garbage_collector_is_back_on_after_the_first_frame(make_app: Callable[..., Any]) -> None:
    gc.disable()  # as neck_tui.entry leaves it for the start-up
    try:
        app = make_app()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen) and gc.isenabled()
            assert gc.get_freeze_count() > 0  # start-up's objects are left out of collections
    finally:
        gc.unfreeze()
        gc.enable()


@pytest.mark.parametrize("activity", ACTIVITIES, ids=lambda a: a.name)
async def test_every_screen_by_its_key_and_back(make_app: Callable[..., Any], activity: Any) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(activity.key)
        await pilot.pause()
        assert type(app.screen).__name__ == screen_class(activity.name)
        # A session's setup screen or a prompt may need a second escape.
        for _ in range(3):
            if isinstance(app.screen, HomeScreen):
                break
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_home_arrows_and_enter_open_the_highlighted_activity(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down", "enter")  # the third entry: Cold
        await pilot.pause()
        assert type(app.screen).__name__ == "ThermalScreen"
        assert app.screen.kind == "cold"


@pytest.mark.parametrize("command", ACTIVITY_COMMANDS)
async def test_subcommand_opens_straight_into_its_activity(make_app: Callable[..., Any], command: str) -> None:
    app = make_app(start=command)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == screen_class(command)
        assert any(isinstance(s, HomeScreen) for s in app.screen_stack)  # escape leads Home


async def test_subcommand_waits_for_the_first_run_notice(make_app: Callable[..., Any], store: Store) -> None:
    app = make_app(start="breathe", store=store, accepted=False)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, NoticeScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "BreathingScreen"


@pytest.mark.parametrize("key", ["question_mark", "f1"])
async def test_help_lists_the_keys_of_the_screen_below(make_app: Callable[..., Any], key: str) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(key)
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-text").render())
        for expected in ("Triage", "Heat", "Settings", "ctrl+q", "ctrl+p"):
            assert expected in text
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_reaches_a_screen(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"open history")
        options = app.screen.query_one(OptionList)  # the palette searches in the background
        await wait_for(pilot, lambda: any("History" in str(o.prompt) for o in options.options))
        await pilot.press("enter")
        await pilot.pause()
        assert type(app.screen).__name__ == "HistoryScreen"


def test_every_activity_is_in_the_command_palette(make_app: Callable[..., Any]) -> None:
    app = make_app()
    titles = [c.title for c in app.get_system_commands(HomeScreen())]
    for activity in ACTIVITIES:
        assert f"Open {activity.title}" in titles
    assert "Home" in titles and "Help" in titles


async def test_ctrl_q_quits_from_a_screen(make_app: Callable[..., Any]) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
    assert app.return_code == 0


async def test_settings_persist(make_app: Callable[..., Any], store: Store) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#bell").toggle()
        app.screen.query_one("#reduced_motion").toggle()
        app.screen.query_one("#break_interval_min").value = 60
        app.theme = "nord"
        await pilot.pause()
    saved = Store(store.data_dir).load().settings
    assert saved.bell is False and saved.reduced_motion is True
    assert saved.break_interval_min == 60 and saved.theme == "nord"
    app = make_app(store=Store(store.data_dir))
    async with app.run_test(size=(80, 24)):
        assert app.theme == "nord"


async def test_settings_keyboard_only(make_app: Callable[..., Any], store: Store) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(5):
            if app.focused is not None and app.focused.id == "notifications":
                break
            await pilot.press("tab")
        assert app.focused is not None and app.focused.id == "notifications"
        assert str(app.screen.query_one("#notifications-state").render()) == "off"
        await pilot.press("space")
        await pilot.pause()
        assert str(app.screen.query_one("#notifications-state").render()) == "on"  # in words, not colour only
    assert Store(store.data_dir).load().settings.notifications is True


async def test_store_notice_is_shown_when_a_file_was_kept_aside(make_app: Callable[..., Any], data_dir: Any, clock: Any) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "state.toml").write_text("this is = = not toml")
    store = Store(data_dir, now=clock.now)
    store.load()
    assert store.notices
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        shown = [n.message for n in app._notifications]
        assert any("corrupt" in m for m in shown)
    assert list(data_dir.glob("state.toml.corrupt-*"))


async def test_a_title_change_while_a_screen_is_replaced_does_not_crash(make_app: Callable[..., Any]) -> None:
    # Keys typed ahead (one SSH packet) can switch screens while a header is half gone: its
    # title watcher must then do nothing (Textual's own Header raised NoMatches here).
    from textual.widgets._header import HeaderTitle

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.screen.query_one(HeaderTitle).remove()
        app.title = "neck-tui (changed)"
        await pilot.pause()
        assert app.is_running


async def test_months_an_older_version_wrote_get_their_summaries_in_the_background(
    make_app: Callable[..., Any], store: Store
) -> None:
    from datetime import datetime, timezone

    history = store.data_dir / "history"
    history.mkdir(parents=True)
    (history / "2026-10.toml").write_text(  # as an older neck-tui left it: no hint files beside it
        'schema_version = 2\n\n[[session]]\nid = "a1"\nkind = "heat"\n'
        "started = 2026-10-01T09:00:00Z\nended = 2026-10-01T09:20:00Z\ncompleted = true\n"
    )
    app = make_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, (history / ".2026-10.summary.json").exists)  # a worker writes it after start
    [record] = Store(store.data_dir).records()
    assert record.started == datetime(2026, 10, 1, 9, tzinfo=timezone.utc)
