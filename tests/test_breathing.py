"""The breathing screen as a user meets it: keys, what the pacer shows, what is saved, a store
that fails. On the fake clock; the pure plan is tested in tests/test_plan_breathing.py."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Callable

import pytest

from neck_tui.content import Content
from neck_tui.dialogs.confirm import Confirm
from neck_tui.dialogs.custom_patterns import CustomPatterns
from neck_tui.dialogs.pain import PainCheck
from neck_tui.dialogs.patterns import PatternPicker
from neck_tui.events import SessionEvent
from neck_tui.screens import breathing as breathing_screen
from neck_tui.screens.breathing import BreathingScreen
from neck_tui.screens.home import HomeScreen
from neck_tui.store import Record, Store, StoreError
from neck_tui.widgets.pacer import MAX_MOVES, Pacer, marker_cell
from neck_tui.widgets.pain import PainScale
from tests.fakes import FakeClock, space_label_follows_pause, wait_for
from tests.screen import screen_text, words

BOX = 3 + 4 * 16  # the box pattern: lead-in and four cycles of 16 s


@pytest.fixture
def breathe(make_app: Callable[..., Any], clock: FakeClock) -> Callable[..., Any]:
    def factory(**kwargs: Any) -> Any:
        return make_app(start="breathe", **kwargs)

    return factory


def keys(app: Any) -> set[str]:
    """What the Footer offers now."""
    return {b.binding.description for b in app.screen.active_bindings.values() if b.enabled and b.binding.show}


async def opened(pilot: Any) -> BreathingScreen:
    """Wait until the breathing screen is up and drawn."""
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, BreathingScreen)
                   and "Breathing today" in screen_text(pilot.app))
    return pilot.app.screen


async def start_session(pilot: Any, clock: FakeClock) -> BreathingScreen:
    """On the breathing screen: Enter, then s to skip the pain check; the session starts now."""
    screen = await opened(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))
    pilot.start_t = clock.t
    await pilot.press("s")
    await wait_for(pilot, lambda: pilot.app.screen is screen and "Pause" in keys(pilot.app))
    return screen


async def at(pilot: Any, screen: BreathingScreen, clock: FakeClock, seconds: float) -> tuple[str, str, str]:
    """Move the session clock to `seconds` after the start, tick, and return what the pacer shows."""
    clock.t = pilot.start_t + seconds
    screen.tick()
    await pilot.pause()
    return screen.pacer.shown_texts


async def run_to_the_end(pilot: Any, screen: BreathingScreen, clock: FakeClock) -> None:
    """Move the clock to the end of the box session; the pain check after comes up."""
    await at(pilot, screen, clock, BOX)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, PainCheck))


def saved(store: Store) -> list[Record]:
    return Store(store.data_dir).records(kinds="breathing")


def broken(*args: Any, **kwargs: Any) -> Any:
    raise StoreError("/data/2026-11.toml: No space left on device")


# --- opening, the pacer, pause ----------------------------------------------------------------


async def test_opens_with_the_box_ready_and_the_safety_line(breathe: Callable[..., Any], content: Content) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await wait_for(pilot, lambda: "Enter: start" in screen_text(app))
        text = screen_text(app)
        assert "Box breathing (4-4-4-4)" in text and "4 cycles, about 1 min" in text
        assert "Enter: start" in text
        assert content.breathing.safety in text
        assert "Breathing today: 0 (goal 1-2 a day)" in text
        assert "┌" in text and "┘" in text  # the square
        assert {"Start", "Pattern", "Back"} <= keys(app) and "Pause" not in keys(app)


async def test_opens_with_a_given_pattern_ready(
    make_app: Callable[..., Any], clock: FakeClock, content: Content
) -> None:
    cycles = content.pattern("coherent").cycles
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        app.push_screen(BreathingScreen(pattern="coherent"))
        screen = await start_session(pilot, clock)
        assert "Coherent breathing" in screen_text(app)
        assert await at(pilot, screen, clock, 3 + 5) == ("Breathe in", "5", f"cycle 1 of {cycles}")  # 5.5 s counts to 5, never 6
        assert await at(pilot, screen, clock, 3 + 6) == ("Breathe out", "1", f"cycle 1 of {cycles}")


async def test_phase_word_and_count_follow_the_clock(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        assert await at(pilot, screen, clock, 0.0) == ("Get ready", "3", "4 cycles")
        assert await at(pilot, screen, clock, 2.5) == ("Get ready", "1", "4 cycles")
        assert await at(pilot, screen, clock, 3.0) == ("Breathe in", "1", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 6.99) == ("Breathe in", "4", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 7.0) == ("Hold", "1", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 11.5) == ("Breathe out", "1", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 17.0) == ("Hold", "3", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 19.0) == ("Breathe in", "1", "cycle 2 of 4")
        text = screen_text(app)
        assert "Breathe in" in text and "cycle 2 of 4" in text
        # The marker is a glyph on the square, not only a colour: at the start of a side, a full block.
        assert "█" in text


async def test_space_pauses_and_resumes_without_losing_time(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, 4.5)
        await pilot.press("space")
        await wait_for(pilot, lambda: "Resume" in keys(app))
        assert screen.pacer.shown_texts == ("Paused", "2", "space: resume")
        assert Store(accepted_store.data_dir).load().in_progress["paused"] is True  # checkpointed
        clock.advance(60)
        screen.tick()
        await pilot.pause()
        assert screen.pacer.shown_texts == ("Paused", "2", "space: resume")  # time stands still
        await pilot.press("space")
        await wait_for(pilot, lambda: "Pause" in keys(app))
        assert screen.pacer.shown_texts == ("Breathe in", "2", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 60 + 7.0) == ("Hold", "1", "cycle 1 of 4")


async def test_footer_says_resume_while_paused(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await space_label_follows_pause(pilot, lambda: screen.pacer.shown_texts[0] == "Paused")


async def test_keys_pressed_early_do_nothing(breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("space", "q")  # nothing runs yet: no pause, no stop question
        await pilot.pause()
        assert app.screen is screen and screen.pacer.shown_texts[0] == "Ready"
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        await pilot.press("enter")  # no value yet: Enter does not start it with a made-up pain
        await pilot.pause()
        assert isinstance(app.screen, PainCheck)
    assert saved(accepted_store) == []


# --- the session's end -----------------------------------------------------------------------


async def test_a_whole_session_is_saved_with_pain_before_and_after(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    triage = Record(kind="triage", started=clock.now() - timedelta(minutes=5), ended=clock.now(),
                    completed=True, pain_before=6)
    accepted_store.add_record(triage)
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))
        assert app.screen.query_one(PainScale).value == 6  # from the recent triage
        pilot.start_t = clock.t
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is screen and app.session is not None)
        await run_to_the_end(pilot, screen, clock)
        assert app.session is None
        assert app.screen.query_one(PainScale).value is None  # "after" starts empty
        await pilot.press("3", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.pacer.shown_texts == ("Done", "", "4 of 4 cycles")
        assert "Breathing today: 1 (goal 1-2 a day)" in screen_text(app)
        assert {"Start", "Back"} <= keys(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        assert "Breathing today: 1 (goal 1-2 a day)" in screen_text(app)
    [record] = saved(accepted_store)
    assert record.completed and record.pain_before == 6 and record.pain_after == 3
    assert record.details["pattern"] == "box" and record.details["cycles"] == 4
    assert record.details["cycles_done"] == 4 and "stopped" not in record.details
    assert record.duration_s == pytest.approx(BOX)
    assert Store(accepted_store.data_dir).load().in_progress is None


@pytest.mark.parametrize("key", ["q", "escape"])
async def test_q_and_escape_ask_before_stopping(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store, key: str
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, 3 + 16 + 8)  # half way through cycle 2
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        assert "Stop breathing?" in screen_text(app)
        assert await at(pilot, screen, clock, 3 + 16 + 9) == ("Breathe out", "2", "cycle 2 of 4")  # goes on meanwhile
        await pilot.press("n")
        await wait_for(pilot, lambda: app.screen is screen)
        assert app.session is not None and saved(accepted_store) == []
        await pilot.press(key)
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))  # after any stop
        assert app.screen.query_one(PainScale).value is None
        assert app.session is None
        await pilot.press("s")  # skip the pain check after
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.pacer.shown_texts == ("Stopped", "", "1 of 4 cycles")
        assert "Breathing today: 0" in screen_text(app)  # only whole sessions count
        await pilot.press("escape")  # no session now: escape goes back
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
    [record] = saved(accepted_store)
    assert not record.completed and record.details["cycles_done"] == 1 and record.details["stopped"] == "user"
    assert record.pain_after is None


async def test_the_session_ending_while_the_stop_question_is_open_saves_it_whole(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, BOX - 1)
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await run_to_the_end(pilot, screen, clock)
        await pilot.press("y", "s")  # a "y" meant for the question answers nothing now
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.pacer.shown_texts[0] == "Done"
    [record] = saved(accepted_store)
    assert record.completed and record.details["cycles_done"] == 4


async def test_quitting_mid_session_asks_and_saves_it_as_not_completed(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, 3 + 16 * 2 + 1)
        await pilot.press("ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running)
    [record] = saved(accepted_store)
    assert not record.completed and record.details["cycles_done"] == 2
    assert record.details["stopped"] == "quit"


async def test_events_phase_ends_and_ticks(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    seen: list[SessionEvent] = []
    app.events.subscribe(seen.append)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        for second in range(0, 20):
            await at(pilot, screen, clock, second + 0.5)
    names = [e.name for e in seen]
    assert names[0] == "session_begin"
    # The lead-in, in, hold, out, hold: five phase ends in the first 19.5 s.
    assert [e.phase for e in seen if e.name == "phase_end"] == ["Get ready", "Breathe in", "Hold", "Breathe out", "Hold"]
    ticks = [(e.phase, e.seconds_left) for e in seen if e.name == "tick"]
    assert len(ticks) == 1 + 20  # at the start, then once per shown second
    assert all(a != b for a, b in zip(ticks, ticks[1:]))
    assert ("Breathe out", pytest.approx(3.5)) in ticks


# The box pattern: the lead-in 3 s, then in, hold, out, hold of 4 s each; one cycle and the next breath.
CUE_RINGS = {
    "silent": [],
    "each-phase": [(3, "Breathe in"), (7, "Hold"), (11, "Breathe out"), (15, "Hold"), (19, "Breathe in")],
    "eyes-closed": [(3, "Breathe in"), (11, "Breathe out"), (11, "Breathe out"), (19, "Breathe in")],  # holds: none
}


@pytest.mark.parametrize("cue", CUE_RINGS)
async def test_breathing_bell_follows_the_cue_style(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch, cue: str
) -> None:
    monkeypatch.setattr(breathing_screen, "RING_GAP_S", 0.001)
    accepted_store.update_state(lambda s: setattr(s.settings, "breathing_cue", cue))
    app = breathe()
    rings: list[tuple[float, str]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        app.bell = lambda: rings.append((clock.t - pilot.start_t, screen.shown.word))  # type: ignore[method-assign]
        for second in range(0, 20):
            await at(pilot, screen, clock, second)
            # The second ring of a breath out comes on a timer: wait for it before the clock moves.
            await wait_for(pilot, lambda: len(rings) >= sum(t <= second for t, _w in CUE_RINGS[cue]))
        await pilot.pause()
    assert rings == CUE_RINGS[cue]


async def test_a_bell_still_to_come_is_dropped_when_the_session_pauses(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eyes closed: a breath out rings twice. Space pressed as the first ring sounds is handled
    before the second is due; that one must not ring into the pause."""
    monkeypatch.setattr(breathing_screen, "RING_GAP_S", 0.05)
    accepted_store.update_state(lambda s: setattr(s.settings, "breathing_cue", "eyes-closed"))
    app = breathe()
    rings: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, 10)
        assert len(rings) == 0  # the first breath in rang before the recorder was in place

        def bell() -> None:
            rings.append(screen.shown.word)
            if len(rings) == 1:
                app.simulate_key("space")  # the user's key, queued before the second ring's timer is due

        app.bell = bell  # type: ignore[method-assign]
        await at(pilot, screen, clock, 11)
        await wait_for(pilot, lambda: screen.mode == "paused")
        await pilot.pause(0.2)  # well past the second ring's time (0.05 s)
    assert rings == ["Breathe out"]


async def test_the_cue_style_is_chosen_in_settings_and_kept_on_disk(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    from textual.widgets import Select

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "SettingsScreen")
        cue = app.screen.query_one("#breathing_cue", Select)
        assert cue.value == "silent"
        cue.focus()
        await pilot.press("enter", "down", "down", "enter")  # Silent, Bell each phase, Eyes closed
        await wait_for(pilot, lambda: cue.value == "eyes-closed")
        assert "Eyes closed" in screen_text(app)
    again = Store(accepted_store.data_dir, now=clock.now)  # a restart reads it from disk
    assert again.load().settings.breathing_cue == "eyes-closed"
    assert 'breathing_cue = "eyes-closed"' in (accepted_store.data_dir / "state.toml").read_text()


async def test_a_bad_cue_style_on_disk_is_one_line_naming_file_and_key(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    path = accepted_store.data_dir / "state.toml"
    path.write_text('schema_version = 2\nnotice_accepted = true\n[settings]\nbreathing_cue = "loud"\nbell = false\n')
    store = Store(accepted_store.data_dir, now=clock.now)
    app = make_app(store=store)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_for(pilot, lambda: "breathing_cue" in words(app))
        [notice] = store.notices
        assert "\n" not in notice and "Traceback" not in words(app)
        assert notice.startswith("state.toml: settings.breathing_cue:") and "'eyes-closed'" in notice
        assert store.state.settings.breathing_cue == "silent" and store.state.settings.bell is False  # the rest kept


def test_an_old_breathing_bell_reads_as_a_bell_each_phase() -> None:
    from neck_tui.store.models import lenient_settings

    assert lenient_settings({"breathing_bell": True})[0].breathing_cue == "each-phase"
    assert lenient_settings({"breathing_bell": False})[0].breathing_cue == "silent"
    assert lenient_settings({"breathing_bell": True, "breathing_cue": "eyes-closed"})[0].breathing_cue == "eyes-closed"


# --- a store that fails ------------------------------------------------------------------------


async def test_a_store_failing_at_the_start_does_not_stop_the_pacer(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await opened(pilot)
        monkeypatch.setattr(accepted_store, "records", broken)  # reading recent pain fails
        monkeypatch.setattr(accepted_store, "update_state", broken)  # so does the first checkpoint
        screen = await start_session(pilot, clock)
        await wait_for(pilot, lambda: "Could not save" in screen_text(app))
        assert "Could not read recent pain" in screen_text(app)
        assert await at(pilot, screen, clock, 3.5) == ("Breathe in", "1", "cycle 1 of 4")
        monkeypatch.undo()  # the disk has room again: the next save writes what waited
        await run_to_the_end(pilot, screen, clock)
        await pilot.press("s")
    [record] = saved(accepted_store)
    assert record.completed


@pytest.mark.parametrize("write, when", [("set_in_progress", 3 + 16), ("add_record", BOX)], ids=["mid", "end"])
async def test_a_store_failing_mid_session_or_at_the_end_is_saved_later(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store, monkeypatch: pytest.MonkeyPatch,
    write: str, when: float,
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        screen = await start_session(pilot, clock)
        monkeypatch.setattr(accepted_store, write, broken)
        await at(pilot, screen, clock, when)  # the end of cycle 1 (a checkpoint), or of the session
        await wait_for(pilot, lambda: "Could not save" in screen_text(app))
        if when < BOX:
            assert await at(pilot, screen, clock, when + 4.5) == ("Hold", "1", "cycle 2 of 4")  # goes on
            monkeypatch.undo()
            await run_to_the_end(pilot, screen, clock)
        else:
            await wait_for(pilot, lambda: isinstance(app.screen, PainCheck))  # still asked
            assert saved(accepted_store) == []
            monkeypatch.undo()
        await pilot.press("4", "enter")  # this save writes what waited, too
        await wait_for(pilot, lambda: app.screen is screen)
        assert screen.pacer.shown_texts[0] == "Done"
    [record] = saved(accepted_store)
    assert record.completed and record.pain_after == 4
    assert Store(accepted_store.data_dir).load().in_progress is None


async def test_an_unreadable_history_shows_today_as_unknown(
    breathe: Callable[..., Any], accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(accepted_store, "records", broken)
    app = breathe()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await opened(pilot)
        await wait_for(pilot, lambda: "Breathing today: unknown" in screen_text(app))
        await wait_for(pilot, lambda: "Could not read" in screen_text(app))  # the notice, drawn a frame later


# --- motion, size, patterns -------------------------------------------------------------------


async def test_reduced_motion_setting_shows_words_and_count_only(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    accepted_store.update_state(lambda s: setattr(s.settings, "reduced_motion", True))
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        assert not screen.pacer.animated
        assert await at(pilot, screen, clock, 4.2) == ("Breathe in", "2", "cycle 1 of 4")
        text = screen_text(app)
        assert "Breathe in" in text and "cycle 1 of 4" in text
        assert not any(c in text for c in "┌┘█▁▂▃▄▅▆▇")


async def test_reduced_motion_follows_textual_animations_none(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.animation_level = "none"  # what TEXTUAL_ANIMATIONS=none sets
        await pilot.press("b")
        screen = await opened(pilot)
        assert not screen.pacer.animated
        assert "┌" not in screen_text(app) and "Enter: start" in screen_text(app)


async def test_small_terminal_still_shows_the_square_words_and_keys(
    breathe: Callable[..., Any], clock: FakeClock
) -> None:
    app = breathe()
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await start_session(pilot, clock)
        assert await at(pilot, screen, clock, 8.0) == ("Hold", "2", "cycle 1 of 4")
        assert screen.pacer.animated
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == 15 and all(len(line) <= 40 for line in lines)
        for shown in ("Hold", "cycle 1 of 4", "┌", "┘", "Pause", "Stop"):
            assert shown in text, shown
        assert "light-headed" in text  # the safety line
        await pilot.press("q")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        text = screen_text(app)
        assert "Stop breathing?" in text and "y: stop." in text  # docked, whole at 40x15 (the pacer runs on behind)


async def test_pattern_picker_switches_to_4_7_8(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await opened(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternPicker))
        await pilot.press("escape")  # keeps the box
        await wait_for(pilot, lambda: app.screen is screen)
        assert "Box breathing" in screen_text(app)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternPicker))
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: app.screen is screen)
        assert "4-7-8 breathing" in screen_text(app)
        await start_session(pilot, clock)
        assert "Pattern" not in keys(app)  # not while it runs
        assert await at(pilot, screen, clock, 3 + 4 + 6.5) == ("Hold", "7", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 3 + 4 + 7 + 7.5) == ("Breathe out", "8", "cycle 1 of 4")


async def test_own_patterns_are_added_in_settings_and_offered(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#custom-patterns").press()
        await wait_for(pilot, lambda: isinstance(app.screen, CustomPatterns))
        await pilot.press(*"Evening", "enter", *"4 0 6", "enter", *"2m", "enter")
        await wait_for(pilot, lambda: "Saved 'Evening'" in screen_text(app))
        await pilot.press(*"Bad", "enter", *"4 4 4 4", "enter", *"30", "enter")
        await wait_for(pilot, lambda: "Length: 1-20 cycles" in screen_text(app))
    patterns = Store(accepted_store.data_dir).load().settings.custom_patterns
    assert [(p.name, p.inhale, p.hold_in, p.exhale, p.hold_out, p.minutes) for p in patterns] == [
        ("Evening", 4, 0, 6, 0, 2)
    ]
    app = make_app(start="breathe", store=Store(accepted_store.data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, PatternPicker))
        await pilot.press("end", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, BreathingScreen))
        text = screen_text(app)
        assert "Evening" in text and "12 cycles" in text  # 2 min of 10 s breaths


async def test_own_patterns_say_when_the_settings_cannot_be_saved(
    make_app: Callable[..., Any], accepted_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#custom-patterns").press()
        await wait_for(pilot, lambda: isinstance(app.screen, CustomPatterns))
        monkeypatch.setattr(accepted_store, "update_state", broken)
        await pilot.press(*"Evening", "enter", *"4 0 6", "enter", *"2m", "enter")
        await wait_for(pilot, lambda: "Not saved" in screen_text(app))
        monkeypatch.undo()
        await pilot.press("enter")  # what was typed is kept: Enter tries again
        await wait_for(pilot, lambda: "Saved 'Evening'" in screen_text(app))
    assert [p.name for p in Store(accepted_store.data_dir).load().settings.custom_patterns] == ["Evening"]


# --- the pacer's cost (neck_tui/widgets/pacer.py) ---------------------------------------------


def test_marker_cell_walks_round_the_square() -> None:
    rows, cols = 5, 9
    assert marker_cell(0, 0, rows, cols) == (4, 0)  # bottom-left, going up
    assert marker_cell(0, 3, rows, cols) == (1, 0)
    assert marker_cell(1, 2, rows, cols) == (0, 2)  # along the top
    assert marker_cell(2, 1, rows, cols) == (1, 8)  # down the right
    assert marker_cell(3, 2, rows, cols) == (4, 6)  # back along the bottom


def test_the_marker_moves_a_cell_at_a_time_and_at_most_max_moves_a_second() -> None:
    pacer = Pacer()
    pacer.rows, pacer.cols = 29, 57  # a square as at 120x40: 28 cells up a side, 56 along the top
    pacer.set_position(0.5, speed=0.2)  # half way up the left side, 5.6 cells a second: one at a time
    assert pacer.until_next_move() == pytest.approx(1 / 5.6)
    pacer.set_position(0.5, speed=0.25)  # 7 cells a second: steps of 2 cells
    assert pacer.until_next_move() == pytest.approx(2 / 7)
    pacer.set_position(1.0, speed=0.25)  # along the top, 14 cells a second: steps of 3 cells
    assert pacer.until_next_move() == pytest.approx(3 / 14)
    for speed in (0.1, 0.25, 0.5, 1.0, 2.0):
        for start in (0.0, 0.3, 1.0, 1.7, 2.2, 3.9):
            moves, at = 0, 0.0
            while at < 1.0:  # one second of motion at this speed
                pacer.set_position(start + at * speed, speed)
                step = pacer.until_next_move()
                assert step is not None and step > 0
                at += step + 1e-9
                moves += 1
            assert moves <= MAX_MOVES + 1, (speed, start)  # (the first count is where it starts)
    pacer.set_position(1.0, speed=0.0)
    assert pacer.until_next_move() is None  # standing (the lead-in, paused)


async def test_a_second_of_animation_repaints_only_the_marker_cells_and_the_count(
    breathe: Callable[..., Any], clock: FakeClock
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start_session(pilot, clock)
        await at(pilot, screen, clock, 4.0)  # one second into "Breathe in", on a cell's edge
        pacer = screen.pacer
        cells = pacer.rows - 1  # up the left side in 4 s
        # The next frame is due when the marker reaches its next cell (cells/4 a second up the side).
        assert pacer.until_next_move() == pytest.approx((cells // 4 + 1) * 4 / cells - 1)
        repainted: list[tuple[Any, tuple[Any, ...], dict[str, Any]]] = []
        for widget in [screen, *screen.walk_children()]:
            original = widget.refresh

            def spy(*regions: Any, _w: Any = widget, _o: Any = original, **kw: Any) -> Any:
                repainted.append((_w, regions, kw))
                return _o(*regions, **kw)

            widget.refresh = spy  # type: ignore[method-assign]
        frames = 0
        for step in range(1, 61):  # a second of a naive 60 fps clock: only real moves repaint
            before = len(repainted)
            clock.t = pilot.start_t + 4.0 + step / 60
            screen.tick()
            frames += len(repainted) > before
        await pilot.pause()
        assert frames <= min(MAX_MOVES, cells / 4) + 1  # the marker's moves; the count's change is one of them
        area = 0
        for widget, regions, kw in repainted:
            assert not kw.get("layout") and not kw.get("recompose"), widget
            if regions:
                assert type(widget).__name__ in ("EdgeColumn", "EdgeRow"), widget
                area += sum(r.area for r in regions)
            else:  # a whole widget: only the count, one digit
                assert "pacer-count" in widget.classes and widget.size.area <= 2, widget
                area += widget.size.area
        assert 0 < area <= 2 * frames + 1  # the cell left and the cell entered, per move
