"""Self-massage: the pure plan and its content, then the screen as a user meets it (keys, what
it shows, what is saved, a store that fails, 40x15). On the fake clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable

import pytest
from textual.widgets import Static

from neck_tui import activities, commands
from neck_tui.content import Content, ContentError, load_content
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.pain import PainCheck
from neck_tui.engine import PhaseTimer
from neck_tui.events import SessionEvent
from neck_tui.plans import massage as plan
from neck_tui.screens.history import HistoryScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.screens.massage import MassageScreen
from neck_tui.screens.triage_results import SuggestionScreen
from neck_tui.store import Record, Store
from neck_tui.widgets.pain import PainScale
from tests.fakes import FakeClock, store_fails, wait_for
from tests.screen import screen_text, words

LEAD, RIGHT, LEFT, BOTH = 5, 60, 60, 30  # the shipped content's lead-in and steps, in seconds
TOTAL = LEAD + RIGHT + LEFT + BOTH


# --- the plan and its content (pure) ---------------------------------------------------------


def test_the_content_is_found_through_the_registry(content: Content) -> None:
    info = plan.massage(content)
    assert [(s.name, s.seconds) for s in info.steps] == [("Right shoulder", RIGHT), ("Left shoulder", LEFT),
                                                         ("Both shoulders", BOTH)]
    assert info.lead_in_seconds == LEAD
    assert "side of the neck" in info.safety
    assert info.provenance.basis == "app" and "own choice" in info.provenance.note
    assert info.source in {s.id for s in content.sources}
    entry = activities.BY_KIND["massage"]
    assert entry.name == "massage" and entry.key == "m" and "massage" in activities.HELPS_KINDS


def test_phases_are_a_lead_in_then_each_step(content: Content) -> None:
    info = plan.massage(content)
    phases = plan.phases(info)
    assert [(p.label, p.seconds) for p in phases] == [
        ("Get ready", LEAD), ("Right shoulder", RIGHT), ("Left shoulder", LEFT), ("Both shoulders", BOTH)]
    assert phases[0].meta["text"] == phases[1].meta["text"] == info.steps[0].text  # read it while getting ready
    assert plan.length_line(info) == "3 steps, about 3 min"
    assert plan.details(info) == {"steps": 3}


def test_what_the_screen_shows_follows_the_clock(content: Content, clock: FakeClock) -> None:
    info = plan.massage(content)
    timer = PhaseTimer(plan.phases(info), clock)
    timer.start()
    clock.advance(2)
    assert plan.view(info, timer.snapshot())[::2] == ("Get ready", "Step 1 starts in 3 s")
    clock.advance(LEAD - 2 + RIGHT + 10)
    shown = plan.view(info, timer.snapshot())
    assert shown == ("Step 2 of 3: Left shoulder", info.steps[1].text, "50 s left", "Left shoulder")
    timer.pause()
    assert plan.view(info, timer.snapshot()).clock == "Paused (50 s left). Space: go on"
    assert plan.progress(timer.phases_done) == {"steps_done": 1}  # the lead-in is not a step
    assert plan.progress(0) == {"steps_done": 0}
    assert plan.ended_view(info, False, 1).clock.startswith("1 of 3 steps")


def test_the_source_and_whose_choice_the_steps_are_are_said(content: Content) -> None:
    line = plan.source_line(content, plan.massage(content))
    assert line == "Source: Hinge Health 2023. Steps and timings: the app's own judgement."


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "massage.toml").write_text(text)
    return tmp_path


def test_own_content_is_merged_over_the_shipped_table(tmp_path: Path) -> None:
    info = plan.massage(load_content(write(tmp_path, "[massage]\nlead_in_seconds = 10\n")))
    assert info.lead_in_seconds == 10 and len(info.steps) == 3


@pytest.mark.parametrize("text, problem", [
    ("[massage]\nlead_in_seconds = 0\n", "massage.lead_in_seconds: Input should be greater than 0"),
    ("[massage]\nsteps = []\n", "massage.steps: List should have at least 1 item"),
    ("[massage]\nspeed = 2\n", "massage.speed: unknown field"),
    ('[massage]\nprovenance = { basis = "source", note = "x" }\n', "basis 'source' needs `source`"),
    ("massage = 3\n", "massage: expected a table ([massage])"),
])
def test_bad_content_is_one_line_naming_file_and_field(tmp_path: Path, text: str, problem: str) -> None:
    with pytest.raises(ContentError) as caught:
        load_content(write(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(tmp_path / "massage.toml")) and problem in message


# --- the screen --------------------------------------------------------------------------------


@pytest.fixture
def massage(make_app: Callable[..., Any]) -> Callable[..., Any]:
    return lambda **kwargs: make_app(start="massage", **kwargs)


def saved(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds="massage")


async def opened(pilot: Any) -> MassageScreen:
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, MassageScreen) and "Enter: start" in screen_text(pilot.app))
    return pilot.app.screen


async def start(pilot: Any, clock: FakeClock, pain: tuple[str, ...] = ("s",)) -> MassageScreen:
    """On the massage screen: Enter, answer the pain check; the session starts now."""
    screen = await opened(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))
    pilot.start_t = clock.t
    await pilot.press(*pain)
    await wait_for(pilot, lambda: pilot.app.screen is screen and pilot.app.session is not None)
    return screen


async def at(pilot: Any, screen: MassageScreen, clock: FakeClock, seconds: float) -> str:
    """Move the clock to `seconds` after the start, tick, and return what the screen shows."""
    clock.t = pilot.start_t + seconds
    screen.tick()
    await pilot.pause()
    return screen_text(pilot.app)


async def test_opened_from_home_by_its_key_and_run_to_the_end(
    make_app: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    accepted_store.add_record(Record(kind="triage", started=clock.now() - timedelta(minutes=5), ended=clock.now(),
                                     completed=True, pain_before=5))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "Self-massage" in screen_text(app)
        await pilot.press("m")
        screen = await opened(pilot)
        text = screen_text(app)
        assert "Upper trapezius self-massage" in text and "3 steps, about 3 min" in text
        assert "side of" in text and "the app's own judgement" in text
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert app.screen.query_one(PainScale).value == 5  # from the recent triage
        pilot.start_t = clock.t
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and app.session is not None)
        assert "Step 1 starts in 3 s" in await at(pilot, screen, clock, 2)
        text = await at(pilot, screen, clock, LEAD + 15)
        assert "Step 1 of 3: Right shoulder" in text and "45 s left" in text and "Reach your left hand" in text
        text = await at(pilot, screen, clock, LEAD + RIGHT + LEFT + 1)
        assert "Step 3 of 3: Both shoulders" in text and "29 s left" in text
        await at(pilot, screen, clock, TOTAL)
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert app.session is None
        assert app.screen.query_one(PainScale).value is None  # "after" starts empty
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "3 of 3 steps" in screen_text(app)
        await pilot.press("escape")  # no session now: escape goes back
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    [record] = saved(accepted_store)
    assert record.completed and record.pain_before == 5 and record.pain_after == 2
    assert record.details == {"steps": 3, "steps_done": 3}
    assert record.duration_s == pytest.approx(TOTAL)
    assert Store(accepted_store.data_dir).load().in_progress is None


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_and_escape_ask_before_stopping(
    massage: Callable[..., Any], clock: FakeClock, accepted_store: Store, key: str
) -> None:
    app = massage()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, clock, pain=("6", "enter"))
        await at(pilot, screen, clock, LEAD + RIGHT + 5)
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Stop the massage?" in screen_text(app)
        await at(pilot, screen, clock, LEAD + RIGHT + 6)  # the timer goes on while it asks
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "54 s left" in screen_text(app)
        assert app.session is not None and saved(accepted_store) == []
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))  # after any stop
        assert app.screen.query_one(PainScale).value is None and app.session is None
        await pilot.press("s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "stopped" in screen_text(app) and "1 of 3 steps" in screen_text(app)
    [record] = saved(accepted_store)
    assert not record.completed and record.pain_before == 6 and record.pain_after is None
    assert record.details == {"steps": 3, "steps_done": 1, "stopped": "user"}


async def test_space_pauses_and_the_steps_wait(massage: Callable[..., Any], clock: FakeClock) -> None:
    app = massage()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, clock)
        await at(pilot, screen, clock, LEAD + 10)
        await pilot.press("space")
        await wait_for(pilot, lambda: "Paused (50 s left)" in screen_text(app))
        assert "Resume" in screen_text(app)
        clock.advance(600)  # away for ten minutes
        await pilot.press("space")
        await wait_for(pilot, lambda: "Pause " in screen_text(app))
        assert "Step 1 of 3" in screen_text(app) and "50 s left" in screen_text(app)


async def test_keys_pressed_before_a_session_do_nothing(
    massage: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = massage()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("space", "q")
        await pilot.pause()
        assert app.screen is screen and app.session is None
        await pilot.press("enter", "enter")  # the second Enter meets the pain check: nothing rated, nothing happens
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert app.session is None
    assert saved(accepted_store) == []


async def test_events_phase_ends_and_ticks(massage: Callable[..., Any], clock: FakeClock) -> None:
    app = massage()
    seen: list[SessionEvent] = []
    app.events.subscribe(seen.append)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, clock)
        for second in (1, 2, LEAD + 1, LEAD + RIGHT + 1, LEAD + RIGHT + LEFT + 1):
            await at(pilot, screen, clock, second)
    assert seen[0].name == "session_begin" and seen[0].kind == "massage"
    assert [e.phase for e in seen if e.name == "phase_end"] == ["Get ready", "Right shoulder", "Left shoulder"]
    assert ("Left shoulder", 59) in [(e.phase, int(e.seconds_left)) for e in seen if e.name == "tick"]


# --- a store that fails ------------------------------------------------------------------------


async def test_a_store_failing_at_the_start_is_one_line_and_the_timer_goes_on(
    massage: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = massage()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await opened(pilot)
        store_fails(monkeypatch, "records", "set_in_progress")  # recent pain, then the first checkpoint
        screen = await start(pilot, clock)
        await wait_for(pilot, lambda: "Could not save" in words(app))
        assert "Could not read recent pain" in words(app) and "Traceback" not in words(app)
        assert "Step 1 of 3" in await at(pilot, screen, clock, LEAD + 1)  # the timer goes on
        monkeypatch.undo()  # room again: the next save writes what waited
        await at(pilot, screen, clock, TOTAL)
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("s")
    [record] = saved(accepted_store)
    assert record.completed and record.details["steps_done"] == 3


@pytest.mark.parametrize("write, when", [("set_in_progress", LEAD + RIGHT), ("add_record", TOTAL)], ids=["mid", "end"])
async def test_a_store_failing_mid_session_or_at_the_end_is_saved_later(
    massage: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch,
    write: str, when: float,
) -> None:
    app = massage()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await start(pilot, clock)
        store_fails(monkeypatch, write)
        await at(pilot, screen, clock, when)  # the end of step 1 (a checkpoint), or of the session
        await wait_for(pilot, lambda: "Could not save" in words(app))
        if when < TOTAL:
            assert "50 s left" in await at(pilot, screen, clock, when + 10)  # goes on
            monkeypatch.undo()
            await at(pilot, screen, clock, TOTAL)
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))  # still asked
        if when == TOTAL:
            assert saved(accepted_store) == []
            monkeypatch.undo()
        await pilot.press("4", "enter")  # this save writes what waited, too
        await wait_for(pilot, lambda: app.screen is screen)
    [record] = saved(accepted_store)
    assert record.completed and record.pain_after == 4
    assert Store(accepted_store.data_dir).load().in_progress is None


# --- a small terminal --------------------------------------------------------------------------


async def test_40x15_shows_the_step_the_countdown_the_safety_line_and_the_keys(
    massage: Callable[..., Any], clock: FakeClock
) -> None:
    app = massage()
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await start(pilot, clock)
        text = await at(pilot, screen, clock, LEAD + 20)
        lines = text.splitlines()
        assert len(lines) == 15 and all(len(line) <= 40 for line in lines)
        for shown in ("Step 1 of 3: Right shoulder", "40 s left", "side of", "Pause", "Stop"):
            assert shown in text, shown
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        text = screen_text(app)
        assert "Stop the massage?" in text and "y: stop." in text  # docked and whole at 40x15


# --- the rest of the app knows the new kind without a change -----------------------------------


def massaged(store: Store, clock: FakeClock) -> Store:
    """Two massages that lowered the pain by 3, a breathing session that lowered it by 1."""
    for days, kind, before, after in [(1, "massage", 6, 3), (2, "massage", 5, 2), (3, "breathing", 5, 4)]:
        started = clock.now() - timedelta(days=days)
        store.add_record(Record(kind=kind, started=started, ended=started + timedelta(minutes=3), completed=True,
                                pain_before=before, pain_after=after))
    return store


def test_stats_counts_it_and_says_it_helps(
    accepted_store: Store, clock: FakeClock, content: Content, capsys: pytest.CaptureFixture[str]
) -> None:
    assert commands.run_stats(SimpleNamespace(since=None), massaged(accepted_store, clock), content) == 0
    out = capsys.readouterr().out
    assert "self-massage 2" in out
    helps = out[out.index("What helps you"):].splitlines()
    assert helps[1].split() == ["Self-massage", "-3.0", "(2", "sessions)"]


async def test_history_filters_it_and_lists_it_under_what_helps(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    app = make_app(start="history", store=massaged(accepted_store, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryScreen) and app.screen.fully_shown)
        helps = str(app.screen.query_one("#history-helps", Static).render())
        assert "Self-massage" in helps.splitlines()[1] and "-3.0 (2)" in helps  # first: it helped most
        for _ in activities.KINDS:
            if "Self-massage: 2 of 3 sessions" in words(app):
                break
            await pilot.press("f")
            await pilot.pause()
        assert "Self-massage: 2 of 3 sessions" in words(app)


async def test_triage_suggests_it_when_it_helped_most(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    app = make_app(start="triage", store=massaged(accepted_store, clock))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "5", "enter")  # no red flag, pain 5
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestionScreen))
        assert "What has helped you most: Self-massage, avg drop 3.0" in words(app)
        await pilot.press("enter")  # starts what helped most
        await opened(pilot)
