"""Heat / cold / contrast on screen, as a user drives it: setup, skin checks that follow the
phase, pause, stop, saving, checkpoints and resume, a failing store, small terminals, alerts."""

from __future__ import annotations

import signal
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from neck_tui import alerts
from neck_tui.content import Content, load_content
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck
from neck_tui.dialogs.skin import SkinCheck
from neck_tui.lifecycle import Saver, Session
from neck_tui.plans.thermal import ThermalRun
from neck_tui.screens.thermal import ThermalScreen
from neck_tui.store import Record, Store
from neck_tui.widgets.countdown import Countdown, TextLine, clock_text
from neck_tui.widgets.pain import PainScale
from neck_tui.widgets.stepper import Stepper
from tests.fakes import (
    FakeClock,
    heat_checkpoint,
    space_label_follows_pause,
    store_fails,
    wait_for,
)
from tests.screen import read_countdown, screen_text, shown

MIN = 60.0


# --- helpers ------------------------------------------------------------------------------------


def thermal(app: Any) -> ThermalScreen:
    return next(s for s in app.screen_stack if isinstance(s, ThermalScreen))


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def shown_time(screen: ThermalScreen) -> str:
    return screen.query_one(Countdown).value


def prompt_time(app: Any) -> str:
    """The running time a skin-check prompt shows (it covers the countdown): "HEAT 17:32 left"."""
    assert isinstance(app.screen, SkinCheck)
    return app.screen.query_one("#skin-timer", TextLine).text


@pytest.fixture
def rings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every alert the screen raises (title, body), instead of writing to a terminal."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(alerts, "alert", lambda app, title, body="": seen.append((title, body)))
    return seen


async def advance(pilot: Any, clock: FakeClock, seconds: float) -> ThermalScreen:
    clock.advance(seconds)
    screen = thermal(pilot.app)
    screen.tick()
    await pilot.pause()
    await pilot.pause()
    return screen


async def start(pilot: Any, pain: str | None = None) -> ThermalScreen:
    """Enter on the setup, then the pain check: digits + Enter ("" keeps a pre-filled one), or s."""
    await pilot.pause()
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))
    if pain is not None:
        await pilot.press(*pain, "enter")
    else:
        await pilot.press("s")
    screen = thermal(pilot.app)
    await wait_for(pilot, lambda: screen.mode == "running" and pilot.app.screen is not None)
    return screen


async def answer_check(pilot: Any, key: str) -> None:
    assert isinstance(pilot.app.screen, SkinCheck), pilot.app.screen
    check = pilot.app.screen
    await pilot.press(key)
    await wait_for(pilot, lambda: pilot.app.screen is not check)


def heat_records(store: Store, kind: str = "heat") -> list[Record]:
    return Store(store.data_dir).records(kinds=[kind])


def checkpoint_of(store: Store, clock: FakeClock, run: ThermalRun, pain_before: int | None = None) -> str:
    """A running session's checkpoint, as the lifecycle writes it (any kind, any plan; for plain
    heat see tests.fakes.heat_checkpoint); the process then dies."""
    session = Session(Saver(store, lambda line: None), run.regimen.kind, clock.now, pain_before=pain_before,
                      resumable=True, state=run.state, describe=run.details)
    session.checkpoint()
    return session.id


def toasts(app: Any) -> list[str]:
    """The notices on screen (Textual's toasts), as the user reads them."""
    return [str(toast.render()) for toast in app.screen.query("Toast")]


# --- the screen ------------------------------------------------------------------------------------


async def test_enter_enter_starts_the_default_heat(make_app: Callable[..., Any], rings: list[Any]) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = thermal(app)
        assert "20 minutes on" in text(setup, "#setup-summary")
        assert "enter" in app.screen.active_bindings  # Start is in the Footer
        screen = await start(pilot)
        assert text(screen, "#phase-word") == "HEAT"
        assert shown_time(screen) == "20:00"
        countdown = screen.query_one(Countdown)
        assert countdown.show(1200) is False and countdown.show(1199) is True  # repaint only on change
        countdown.show(1200)
        assert "Round 1 of 1" in text(screen, "#round-line")
        assert text(screen, "#next-line") == "Next: take it off, rest 30 min; session ends"
        keys = app.screen.active_bindings
        for key in ("space", "n", "q"):
            assert key in keys and keys[key].binding.show, key
        assert "plus" not in keys  # off time is changed only in an off phase
        assert app.session is screen.session and app.session.kind == "heat"
        state = app.store.state.in_progress
        assert state is not None and state["regimen"] == "heat" and state["kind"] == "heat"


async def test_whole_heat_session_two_rounds_with_skin_checks(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    # A triage an hour ago or less pre-fills the pain before.
    now = clock.now()
    store.add_record(Record(kind="triage", started=now - timedelta(minutes=10), ended=now, completed=True, pain_before=6))
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("down")  # from "Heat minutes" to "Rounds"
        await pilot.press("right")
        assert app.screen.query_one("#rounds", Stepper).value == 2
        screen = await start(pilot, pain="")  # Enter keeps the pre-filled 6
        assert "Round 1 of 2" in text(screen, "#round-line")
        assert text(screen, "#next-line") == "Next: off 30 min"

        screen = await advance(pilot, clock, 2 * MIN)  # 2 minutes into the heat
        assert isinstance(app.screen, SkinCheck) and app.screen.when == "during"
        assert rings[-1][0] == "Skin check"
        await answer_check(pilot, "o")
        assert shown_time(screen) == "18:00"

        screen = await advance(pilot, clock, 18 * MIN)
        assert text(screen, "#phase-word") == "OFF" and shown_time(screen) == "30:00"
        assert rings[-1][0] == "OFF"
        assert "(skin check first)" in text(screen, "#next-line")
        # The skin needs its full rest: n does not cut the off phase short.
        await pilot.press("n")
        await pilot.pause()
        assert text(screen, "#phase-word") == "OFF"

        screen = await advance(pilot, clock, 30 * MIN)  # before the next application
        assert isinstance(app.screen, SkinCheck) and app.screen.when == "before"
        assert prompt_time(app) == "HEAT · WAITING 20:00 left"
        assert "Before the heat goes on (round 2)" in str(app.screen.query_one(".dialog-body", Static).render())
        screen = await advance(pilot, clock, 3 * MIN)  # the countdown waits for the answer
        assert prompt_time(app) == "HEAT · WAITING 20:00 left"
        await pilot.press("enter")  # Enter does not answer a skin check
        await pilot.pause()
        assert isinstance(app.screen, SkinCheck)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 1)
        assert text(screen, "#phase-word") == "HEAT" and shown_time(screen) == "19:59"
        screen = await advance(pilot, clock, 2 * MIN - 1)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 18 * MIN)

        # Saved before the pain-after question, so a dropped link loses nothing.
        assert screen.mode == "done"
        assert app.session is None
        [record] = heat_records(store)
        assert record.completed is True and record.pain_after is None
        assert record.details["rounds_done"] == 2 and record.details["phases_done"] == 3
        assert [c["answer"] for c in record.details["skin_checks"]] == ["ok", "ok", "ok"]
        assert [c["when"] for c in record.details["skin_checks"]] == ["during", "before", "during"]
        assert Store(store.data_dir).load().in_progress is None
        assert "complete" in text(screen, "#done-title")

        assert isinstance(app.screen, PainCheck)
        await pilot.press("2", "enter")
        await pilot.pause()
        [record] = heat_records(store)
        assert (record.pain_before, record.pain_after) == (6, 2)
        assert "after: 2/10" in text(screen, "#done-pain")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ThermalScreen)


async def test_skin_problem_ends_the_application_and_saves_the_answer(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "p")
        await pilot.pause()
        [record] = heat_records(store)
        assert record.completed is False and record.details["stopped"] == "skin problem"
        assert [c["answer"] for c in record.details["skin_checks"]] == ["problem"]
        assert record.details["phases"][0]["seconds"] == pytest.approx(120, abs=0.5)
        assert screen.mode == "done" and app.session is None
        assert content.notice.skin_problem_advice in text(screen, "#done-text")
        assert isinstance(app.screen, PainCheck)  # with the advice on it too
        assert content.notice.skin_problem_advice in str(app.screen.query_one(".dialog-body", Static).render())


async def test_pause_adds_back_exactly_the_paused_time(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await advance(pilot, clock, 30)
        await pilot.press("space")
        await pilot.pause()
        assert text(screen, "#phase-word") == "HEAT · PAUSED"
        assert "Paused" in text(screen, "#run-status")
        assert app.store.state.in_progress["paused"] is True
        screen = await advance(pilot, clock, 45 * MIN)  # no skin check while paused either
        assert shown_time(screen) == "19:30" and app.screen is screen
        await pilot.press("space")
        await pilot.pause()
        assert text(screen, "#phase-word") == "HEAT"
        await advance(pilot, clock, 90)  # 2 active minutes
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 18 * MIN - 0.5)
        assert screen.mode == "running" and shown_time(screen) == "00:01"
        screen = await advance(pilot, clock, 0.5)
        assert screen.mode == "done"


async def test_a_waiting_check_rings_again_and_the_countdown_keeps_running(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await advance(pilot, clock, 2 * MIN)
        assert isinstance(app.screen, SkinCheck)
        assert [t for t, _ in rings] == ["Skin check"]
        screen = await advance(pilot, clock, 59)
        assert [t for t, _ in rings] == ["Skin check"]
        screen = await advance(pilot, clock, 2)
        assert [t for t, _ in rings] == ["Skin check", "Skin check waiting"]
        assert prompt_time(app) == "COLD 06:59 left"  # still counting underneath: the prompt shows it
        assert "waiting 1 min" in shown(app)
        await answer_check(pilot, "o")
        assert [c["answer"] for c in Store(store.data_dir).load().in_progress["skin_checks"]] == ["ok"]


async def test_a_prompt_over_the_countdown_stops_its_repaints_and_closing_it_shows_the_time_now(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await pilot.press("escape")  # the stop question: opaque, docked over the countdown
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        screen = await advance(pilot, clock, 30)
        assert shown_time(screen) == "20:00"  # hidden: not repainted while the question waits
        await pilot.press("n")  # keep going
        await wait_for(pilot, lambda: app.screen is screen and shown_time(screen) == "19:30")
        assert read_countdown(screen_text(app))[0] == "19:30"  # on screen at once, no tick needed


async def test_cold_off_time_changes_by_a_minute_within_its_range(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        setup = thermal(app)
        assert not setup.query_one("#step-1", Stepper).display  # no rest to choose for one round
        await pilot.press("down", "right")  # rounds: 2
        assert setup.query_one("#step-1", Stepper).display
        screen = await start(pilot)
        await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 8 * MIN)
        assert text(screen, "#phase-word") == "OFF" and shown_time(screen) == "20:00"
        assert "plus" in app.screen.active_bindings and "minus" in app.screen.active_bindings
        await pilot.press("plus")
        await pilot.pause()
        assert shown_time(screen) == "21:00"
        for _ in range(12):
            await pilot.press("minus")
        await pilot.pause()
        assert shown_time(screen) == "15:00"  # never under the content's 15
        for _ in range(20):
            await pilot.press("plus")
        await pilot.pause()
        assert shown_time(screen) == "30:00"  # nor over its 30
        # Past its minimum, the rest may be ended with n.
        screen = await advance(pilot, clock, 16 * MIN)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, SkinCheck))
        assert prompt_time(app) == "COLD · WAITING 10:00 left"
        assert app.screen.when == "before"


async def test_quit_while_running_saves_as_not_completed(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await advance(pilot, clock, 2 * MIN)  # a skin check is waiting
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))  # the app asks first
        await pilot.press("y")
        await pilot.pause()
    [record] = heat_records(store, "cold")
    assert record.completed is False and record.details["stopped"] == "quit"
    assert [c["answer"] for c in record.details["skin_checks"]] == ["unanswered"]


async def test_contrast_checks_every_switch_and_offers_a_second_cycle(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    app = make_app(start="contrast")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        for i, word in enumerate(("HEAT", "COLD", "HEAT")):
            if i:  # the countdown waits for the check before this application
                assert prompt_time(app).startswith(f"{word} · WAITING ")
                await answer_check(pilot, "o")
            assert text(screen, "#phase-word") == word
            screen = await advance(pilot, clock, 2 * MIN)
            await answer_check(pilot, "o")  # 2 minutes into it
            screen = await advance(pilot, clock, 3 * MIN)
        assert isinstance(app.screen, Confirm)
        assert content.regimen_for("contrast").again_prompt in str(app.screen.query_one(".dialog-body", Static).render())
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, SkinCheck))
        assert "(round 2)" in str(app.screen.query_one(".dialog-body", Static).render())
        for _ in range(3):
            await answer_check(pilot, "o")  # before
            screen = await advance(pilot, clock, 2 * MIN)
            await answer_check(pilot, "o")  # during
            screen = await advance(pilot, clock, 3 * MIN)
        # Two cycles are the most: no third offer, the session is saved as complete.
        assert screen.mode == "done"
        [record] = heat_records(store, "contrast")
        assert record.completed is True and record.details["rounds_done"] == 2
        assert record.details["phases_done"] == 6
        assert len(record.details["skin_checks"]) == 11  # 6 during + 5 before


async def test_checkpoints_while_running_and_resumes_from_one(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "right")  # two rounds
        screen = await start(pilot)
        await advance(pilot, clock, 14)
        assert app.store.state.in_progress["elapsed"] == pytest.approx(0)  # not yet 15 s
        await advance(pilot, clock, 2)
        assert Store(store.data_dir).load().in_progress["elapsed"] == pytest.approx(16)
        record_id = app.session.id
    # The terminal closes here (kept for resume, saved provisionally); 25 minutes later the user is back.
    checkpoint = Store(store.data_dir).load().in_progress
    assert checkpoint["elapsed"] == pytest.approx(16) and checkpoint["id"] == record_id
    [provisional] = heat_records(store)
    assert provisional.id == record_id and provisional.completed is False
    clock.advance(25 * MIN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.push_screen(ThermalScreen("heat", resume=checkpoint))
        await pilot.pause()
        screen = thermal(app)
        # 16 s + 25 min away: the heat would have ended, so it resumes in the rest.
        assert screen.mode == "running"
        assert text(screen, "#phase-word") == "OFF"
        assert shown_time(screen) == "24:44"
        assert "Round 1 of 2" in text(screen, "#round-line")
        screen = await advance(pilot, clock, 24 * MIN + 44)
        assert prompt_time(app) == "HEAT · WAITING 20:00 left"
        await answer_check(pilot, "o")
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("3", "enter")
        await pilot.pause()
    [record] = heat_records(store)  # the provisional record was replaced, not added to
    assert record.id == record_id and record.completed is False and record.pain_after == 3
    assert Store(store.data_dir).load().in_progress is None


async def test_resume_into_an_application_asks_for_a_skin_check_first(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    record_id = heat_checkpoint(store, clock, content, ran=5 * MIN, pain=4)["id"]
    clock.advance(3 * MIN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ThermalScreen("heat", resume=store.state.in_progress))
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SkinCheck) and app.screen.when == "resume"
        await answer_check(pilot, "o")
        screen = thermal(app)
        assert shown_time(screen) == "12:00"
        screen = await advance(pilot, clock, 12 * MIN)  # no second "during" check
        assert screen.mode == "done"
    [record] = heat_records(store)
    assert record.completed and record.pain_before == 4 and record.id == record_id


async def test_stale_checkpoint_falls_back_to_the_setup(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    checkpoint = heat_checkpoint(store, clock, content, ran=0)
    clock.advance(20 * MIN + 61 * MIN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ThermalScreen("heat", resume=checkpoint))
        await pilot.pause()
        assert thermal(app).mode == "setup"
        assert "can no longer be carried on" in text(thermal(app), "#setup-status")


@pytest.mark.parametrize("size", [(80, 24), (40, 15)])
async def test_running_view_fits_small_terminals(
    make_app: Callable[..., Any], rings: list[Any], content: Content, size: tuple[int, int]
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot)
        await pilot.pause()
        for selector in ("#phase-word", "#countdown", "#next-line", "#session-progress", "#phase-text"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= size[1] - 1, (selector, region)
            assert region.right <= size[0], (selector, region)
        small = size == (40, 15)
        assert screen.has_class("-compact") == small
        # The safety words of the phase (warm, not hot; a cloth layer) never hide: short when small.
        step = content.regimen_for("heat").phases[0]
        assert text(screen, "#phase-text") == (step.short if small else step.text)
        assert screen.query_one("#phase-text").region.height == (1 if small else 2)


async def test_regimen_from_content_dir_works_the_same(
    tmp_path: Path, accepted_store: Store, clock: FakeClock, rings: list[Any]
) -> None:
    from neck_tui.app import NeckApp

    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "heat.toml").write_text(
        """
[[regimens]]
id = "heat"
name = "Heat (my physio's)"
kind = "heat"
summary = "Fifteen minutes of gentle warmth."
max_rounds = 3
skin_check_after_minutes = 1

[[regimens.phases]]
kind = "heat"
minutes = 15
max_minutes = 15
text = "Warm pack on, over a towel."

[[regimens.phases]]
kind = "off"
minutes = 45
min_minutes = 40
max_minutes = 60
""",
        encoding="utf-8",
    )
    mine = load_content(extra_dir=extra)
    app = NeckApp(content=mine, store=accepted_store, start="heat", clock=clock, now=clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Heat (my physio's)" in text(thermal(app), "#setup-title")
        screen = await start(pilot)
        assert shown_time(screen) == "15:00"
        assert text(screen, "#phase-text") == "Warm pack on, over a towel."
        await advance(pilot, clock, 1 * MIN)
        assert isinstance(app.screen, SkinCheck)


# --- alerts and the countdown widget ------------------------------------------------------------------


class _Driver:
    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


class _App:
    def __init__(self, store: Store) -> None:
        self.store = store
        self._driver = _Driver()
        self.is_headless = False


def test_alerts_honour_the_settings(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TMUX", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NECK_TUI_NOTIFY", raising=False)
    app = _App(store)
    alerts.alert(app, "HEAT", "Heat on")
    assert app._driver.written == ["\x07"]  # bell on, notifications off by default
    store.update_state(lambda s: (setattr(s.settings, "notifications", True), setattr(s.settings, "bell", False)))
    app._driver.written.clear()
    alerts.alert(app, "HEAT", "Heat on")
    assert app._driver.written == ["\x07\x1b]9;HEAT: Heat on\x07"]  # the bell comes with it (issue 16)
    store.update_state(lambda s: setattr(s.settings, "notifications", False))
    app._driver.written.clear()
    alerts.alert(app, "HEAT", "Heat on")
    assert alerts.bell(app) is False and app._driver.written == []


def test_notification_sequences() -> None:
    assert alerts.notification_sequence("Skin check", "Look", {"TERM": "rxvt-unicode-256color"}) == (
        "\x1b]777;notify;Skin check;Look\x07"
    )
    both = alerts.notification_sequence("A;B", "x\x1b]0;evil\x07y", {"NECK_TUI_NOTIFY": "both"})
    assert both == "\x1b]9;A;B: x ]0;evil y\x07\x1b]777;notify;A,B;x ]0;evil y\x07"
    wrapped = alerts.notification_sequence("T", "b", {"TMUX": "/tmp/tmux-0/default,1,0", "NECK_TUI_TMUX_DEPTH": "1"})
    assert wrapped == "\x1bPtmux;\x1b\x1b]9;T: b\x07\x1b\\"
    assert alerts.notification_sequence("T", "b", {"NECK_TUI_NOTIFY": "off"}) == ""


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59, 600, 3599, 3600)] == ["00:00", "00:59", "10:00", "59:59", "1:00:00"]


async def test_palette_home_does_not_end_a_running_session_unasked(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await start(pilot)
        await advance(pilot, clock, 30)
        app.action_open("triage")  # e.g. from the palette, over the running timer
        await pilot.pause()
        app.action_home()  # what the palette's "Home" (or triage's "done") does
        await pilot.pause()
        assert app.screen is screen and app.session is screen.session  # stopped at the session
        await wait_for(pilot, lambda: any("still running" in line for line in toasts(app)))
        assert heat_records(store) == []
        app.action_home()  # again: still there, still running
        await pilot.pause()
        assert app.screen is screen and app.session is screen.session
        screen = await advance(pilot, clock, 1)
        assert shown_time(screen) == "19:29"


async def test_until_stopped_keeps_adding_rounds_and_stopping_in_a_rest_counts_as_done(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down")
        for _ in range(10):
            await pilot.press("right")
        assert app.screen.query_one("#rounds", Stepper).value is None
        screen = await start(pilot)
        assert "until you stop" in text(screen, "#round-line")
        for round_no in (1, 2, 3):
            screen = await advance(pilot, clock, 2 * MIN)
            await answer_check(pilot, "o")
            screen = await advance(pilot, clock, 8 * MIN)
            assert text(screen, "#phase-word") == "OFF" and f"Round {round_no}" in text(screen, "#round-line")
            if round_no < 3:
                screen = await advance(pilot, clock, 20 * MIN)
                await answer_check(pilot, "o")  # before the next cold
        rounds = {p["round"] for p in Store(store.data_dir).load().in_progress["phases"]}
        assert max(rounds) == 4  # one round planned ahead
        await pilot.press("q", "y")
        await pilot.pause()
    [record] = heat_records(store, "cold")
    assert record.completed is True and record.details["until_stopped"] is True
    assert record.details["rounds_done"] == 3  # every cold ran in full; the last rest was cut short
    assert record.details["stopped"] == "stopped by user"


async def test_setup_shows_a_fractional_default_and_focuses_a_visible_line(
    tmp_path: Path, accepted_store: Store, clock: FakeClock
) -> None:
    """A regimen from --content-dir: an off time of 22.5 min shows as 22.5 (not the range's
    first value), and with the off line hidden (1 round) the keys go to a line on screen."""
    from neck_tui.app import NeckApp

    extra = tmp_path / "mine"
    extra.mkdir()
    (extra / "cold.toml").write_text(
        """
[[regimens]]
id = "cold"
name = "Cold (short)"
kind = "cold"
summary = "A quick cold pack."
skin_check_after_minutes = 0.25

[[regimens.phases]]
kind = "cold"
minutes = 0.5
max_minutes = 0.5

[[regimens.phases]]
kind = "off"
minutes = 22.5
min_minutes = 15
max_minutes = 30
""",
        encoding="utf-8",
    )
    mine = load_content(extra_dir=extra)
    app = NeckApp(content=mine, store=accepted_store, start="cold", clock=clock, now=clock.now)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = thermal(app)
        off = screen.query_one("#step-1", Stepper)
        assert off.value == 22.5 and "22.5 min" in str(off.render())
        rounds = screen.query_one("#rounds", Stepper)
        assert not off.display and rounds.has_focus
        await pilot.press("right")
        assert rounds.value == 2 and off.display
        assert "off 22.5 min" in text(screen, "#setup-plan")


async def test_after_resume_plus_changes_the_rest_not_the_hidden_setup(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    """Resumed into a rest of an until-stopped cold: the Footer shows +/- and "+" lengthens
    the rest; the setup's steppers (hidden) must not keep the focus and change the rounds."""
    run = ThermalRun.start(content.regimen_for("cold"), None, {}, clock, clock.now)
    clock.advance(12 * MIN)
    run.timer.poll()
    checkpoint_of(store, clock, run, pain_before=4)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ThermalScreen("cold", resume=store.state.in_progress))
        await pilot.pause()
        await pilot.pause()
        screen = thermal(app)
        assert text(screen, "#phase-word") == "OFF" and shown_time(screen) == "18:00"
        assert not isinstance(screen.focused, Stepper)
        await pilot.press("plus")
        await pilot.pause()
        assert shown_time(screen) == "19:00"
        assert "until you stop" in text(screen, "#round-line")


async def test_footer_says_resume_while_paused(make_app: Callable[..., Any], rings: list[Any]) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await space_label_follows_pause(pilot, lambda: "PAUSED" in text(app.screen, "#phase-word"))


# --- skin checks follow the phase ---------------------------------------------------------------------


async def test_a_check_left_open_is_closed_when_its_phase_ends_and_the_next_is_for_the_next_phase(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    """Contrast: the heat's check goes unanswered; when the heat ends it is closed (saved as
    unanswered, for the heat, at the heat's end) and the cold's own check comes, with the
    cold's countdown waiting for it."""
    app = make_app(start="contrast")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        screen = await advance(pilot, clock, 2 * MIN)
        heat_check = app.screen
        assert isinstance(heat_check, SkinCheck) and heat_check.when == "during"
        screen = await advance(pilot, clock, 3 * MIN)
        await wait_for(pilot, lambda: isinstance(app.screen, SkinCheck) and app.screen is not heat_check)
        assert app.screen.when == "before"
        assert "Before the cold goes on (round 1)" in str(app.screen.query_one(".dialog-body", Static).render())
        assert heat_check not in app.screen_stack
        assert prompt_time(app) == "COLD · WAITING 05:00 left"
        [closed] = Store(store.data_dir).load().in_progress["skin_checks"]
        assert (closed["answer"], closed["phase"], closed["when"]) == ("unanswered", "heat", "during")
        assert closed["at"] == clock.now() and closed["asked"] == clock.now() - timedelta(minutes=3)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 30)
        assert text(screen, "#phase-word") == "COLD" and shown_time(screen) == "04:30"
        await pilot.press("q", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
    [record] = heat_records(store, "contrast")
    checks = [(c["phase"], c["when"], c["answer"]) for c in record.details["skin_checks"]]
    assert checks == [("heat", "during", "unanswered"), ("cold", "before", "ok")]


async def test_messages_go_in_the_status_line_not_over_the_countdown(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(40, 15), notifications=True) as pilot:
        await pilot.press("down", "right")  # two rounds
        screen = await start(pilot)
        await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 18 * MIN)
        for key in ("n", "plus", "n"):  # a rest cannot be cut short, nor made longer than 30 min
            await pilot.press(key)
            await pilot.pause()
        assert "Not yet" in text(screen, "#run-status") and toasts(app) == []
        screen = await advance(pilot, clock, 5)
        assert "Not yet" in text(screen, "#run-status")
        screen = await advance(pilot, clock, 5)  # it goes after a few seconds
        assert text(screen, "#run-status") == ""


# --- keys -------------------------------------------------------------------------------------------


async def test_keys_pressed_early_do_nothing_until_the_session_runs(
    make_app: Callable[..., Any], rings: list[Any], store: Store
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("space", "n", "plus", "minus")
        screen = thermal(app)
        assert screen.mode == "setup" and app.session is None and app.screen is screen
        await pilot.press("enter", "enter")  # a double Enter: one pain check, still unanswered
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert sum(isinstance(s, PainCheck) for s in app.screen_stack) == 1 and app.session is None
        await pilot.press("escape")  # back to the setup: nothing started
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.mode == "setup" and app.session is None
        await pilot.press("q")  # outside a session, q goes back
        await wait_for(pilot, lambda: not isinstance(app.screen, ThermalScreen))
    assert heat_records(store) == [] and Store(store.data_dir).load().in_progress is None


async def test_q_and_escape_ask_and_any_stop_reaches_an_empty_pain_after(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, pain="6")
        await advance(pilot, clock, 30)
        for key in ("q", "escape"):
            await pilot.press(key)
            await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
            assert app.screen.has_class("-docked")  # the countdown above stays in sight
            await pilot.press("n")
            await wait_for(pilot, lambda: app.screen is screen)
            assert screen.mode == "running"
        await pilot.press("escape", "y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert app.screen.query_one(PainScale).value is None  # never pre-filled with the 6 before
        await pilot.press("enter")  # a reflexive Enter records nothing
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.mode == "done" and "Pain before: 6/10" in text(screen, "#done-pain")
        assert "not completed" in text(screen, "#done-title")
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ThermalScreen))
    [record] = heat_records(store, "cold")
    assert (record.pain_before, record.pain_after, record.details["stopped"]) == (6, None, "stopped by user")
    assert record.completed is False


# --- events ---------------------------------------------------------------------------------------------


async def test_events_tick_phase_end_and_skin_check_due(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
) -> None:
    app = make_app(start="heat")
    seen: list[Any] = []
    async with app.run_test(size=(80, 24)) as pilot:
        app.events.subscribe(seen.append)
        await pilot.press("down", "right")  # two rounds
        screen = await start(pilot)
        assert [e.name for e in seen[:2]] == ["session_begin", "tick"]
        assert (seen[1].phase, seen[1].seconds_left) == ("HEAT", 1200)
        await advance(pilot, clock, 1)
        assert (seen[-1].name, seen[-1].seconds_left) == ("tick", 1199)
        count = len(seen)
        screen.tick()  # the same second again: no new tick
        assert len(seen) == count
        await advance(pilot, clock, 2 * MIN - 1)
        assert "skin_check_due" in [e.name for e in seen[count:]]
        await answer_check(pilot, "o")
        count = len(seen)
        await advance(pilot, clock, 18 * MIN)
        names = [e.name for e in seen[count:]]
        assert names.count("phase_end") == 1
        assert (seen[-1].name, seen[-1].phase, seen[-1].seconds_left) == ("tick", "OFF", 1800)


# --- a store that fails ------------------------------------------------------------------------------------


async def test_unreadable_history_at_start_the_session_still_starts(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        store_fails(monkeypatch, "records")  # reading recent pain fails
        screen = await start(pilot)
        assert any("Could not read recent pain" in line for line in toasts(app))
        screen = await advance(pilot, clock, 1)
        assert shown_time(screen) == "19:59"
    monkeypatch.undo()
    assert len(heat_records(store)) == 1  # saved at the end (the terminal closed)


@pytest.mark.parametrize("size", [(80, 24), (40, 15)])
async def test_failing_checkpoints_never_stop_the_timer_and_a_later_save_retries(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch, size: tuple[int, int],
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=size, notifications=True) as pilot:
        screen = await start(pilot)
        store_fails(monkeypatch, "set_in_progress")
        for _ in range(4):  # a minute of checkpoints that cannot be written
            screen = await advance(pilot, clock, 15)
        assert shown_time(screen) == "19:00" and screen.mode == "running"
        lines = [line for line in toasts(app) if "Could not save" in line]
        assert len(lines) == 1 and "goes on in memory" in lines[0]  # one line, not one per tick
        # The notice sits under the countdown and the phase's safety text, never over them.
        shown = [toast.region for toast in app.screen.query("Toast") if toast.region.area]
        assert shown and all(toast.y > screen.query_one("#phase-text").region.bottom - 1 for toast in shown)
        monkeypatch.undo()
        screen = await advance(pilot, clock, 15)
        assert Store(store.data_dir).load().in_progress["elapsed"] == pytest.approx(75)
        assert any("Saved again" in line for line in toasts(app))


async def test_a_store_error_at_40x15_is_read_whole_under_the_running_countdown(
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock, monkeypatch: pytest.MonkeyPatch,
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """The notice names the problem, that the session goes on, and the data directory, all of
    it in the rows the running view leaves free (a path as long as ~/.local/share/neck-tui)."""
    import tempfile

    data = Path(tempfile.mkdtemp(dir="/tmp")) / "share" / "neck-tui"
    assert len(str(data)) >= len("/home/alex/.local/share/neck-tui") - 1
    store = Store(data, now=clock.now)
    app = make_app(start="heat", store=store)
    async with app.run_test(size=(40, 15), notifications=True) as pilot:
        screen = await start(pilot)
        store_fails(monkeypatch, "set_in_progress")
        screen = await advance(pilot, clock, 15)
        await wait_for(pilot, lambda: "▌" in screen_text(app))
        lines = screen_text(app).splitlines()
        notice = " ".join(line.split("▌", 1)[1].strip() for line in lines if "▌" in line)
        assert notice.startswith("Could not save") and "goes on in memory" in notice, notice
        assert "".join(notice.split()).endswith("".join(f"Data: {data}".split())), notice
        assert "Warm, not hot" in screen_text(app) and shown_time(screen) == "19:45"


async def test_failing_final_save_shows_the_done_view_and_retries_with_the_pain_after(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, pain="4")
        store_fails(monkeypatch, "add_record", "update_record", "set_in_progress")
        screen = await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 8 * MIN)
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert screen.mode == "done" and "saving is retried" in text(screen, "#done-title")
        assert heat_records(store, "cold") == []
        monkeypatch.undo()
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
    [record] = heat_records(store, "cold")
    assert record.completed is True and (record.pain_before, record.pain_after) == (4, 2)
    assert Store(store.data_dir).load().in_progress is None


async def test_hang_up_with_a_failing_store_keeps_the_exit_code(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    app = make_app(start="heat")
    codes: list[int] = []
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        app.leave_now = codes.append
        await start(pilot)
        await advance(pilot, clock, 30)
        store_fails(monkeypatch, "add_record", "update_record", "set_in_progress")
        assert signal.getsignal(signal.SIGHUP) not in (signal.SIG_DFL, signal.SIG_IGN, None)  # the app's own
        signal.raise_signal(signal.SIGHUP)
        await wait_for(pilot, lambda: codes != [])
        assert codes == [128 + signal.SIGHUP] and app.session is None
        assert any("Could not save" in line for line in toasts(app))
