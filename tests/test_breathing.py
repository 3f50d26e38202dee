"""Box-breathing pacer: schedules on a fake clock, the screen as a user meets it, the saved record."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, Callable

import pytest

from neck_tui.content import Content
from neck_tui.dialogs.pain import PainCheck
from neck_tui.engine import PhaseStarted, PhaseTimer
from neck_tui.screens.breathing import (
    BreathingScreen,
    CustomPatternsScreen,
    PatternPicker,
    Plan,
    all_plans,
    custom_plan,
    lap_position,
    length_line,
    parse_pattern,
    shown_count,
    until_next_count,
)
from neck_tui.screens.home import HomeScreen
from neck_tui.store import CustomPattern, Record, Store
from neck_tui.widgets.pacer import Pacer, marker_cells
from tests.fakes import FakeClock, space_label_follows_pause

LEAD = 3.0


def screen_text(app: Any) -> str:
    """Everything on the terminal, as plain text."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def content_plans(content: Content) -> list[Plan]:
    return all_plans(content, [])


# --- the schedule of every pattern, on a fake clock -------------------------------------------


@pytest.mark.parametrize("pattern_id", ["box", "four_seven_eight", "coherent", "slow_diaphragmatic"])
def test_every_phase_boundary_is_exactly_on_schedule(content: Content, pattern_id: str) -> None:
    plan = next(p for p in content_plans(content) if p.id == pattern_id)
    clock = FakeClock()
    start = clock.t
    timer = PhaseTimer(plan.phases(content.breathing.lead_in_seconds), clock)
    timer.start()
    timer.poll()
    lead = content.breathing.lead_in_seconds
    expected = [lead]
    for _ in range(plan.cycles):
        for step in plan.steps:
            expected.append(expected[-1] + step.seconds)
    assert len(timer.phases) == 1 + plan.cycles * len(plan.steps)
    for index, boundary in enumerate(expected):
        clock.t = start + boundary - 0.001
        assert timer.snapshot().index == index, f"phase {index} ended early"
        clock.t = start + boundary
        events = timer.poll()
        snap = timer.snapshot()
        if index + 1 < len(timer.phases):
            assert snap.index == index + 1 and snap.elapsed == 0.0, f"boundary {index} at {boundary}"
            assert [e.index for e in events if isinstance(e, PhaseStarted)] == [index + 1]
        else:
            assert snap.done
    assert expected[-1] == pytest.approx(plan.total_seconds(lead))


def test_box_is_four_by_four_for_four_cycles(content: Content) -> None:
    box = next(p for p in content_plans(content) if p.id == content.breathing.default_pattern)
    assert [(s.kind, s.seconds) for s in box.steps] == [("in", 4), ("hold", 4), ("out", 4), ("hold", 4)]
    assert box.cycles == 4
    assert [s.label for s in box.steps] == ["Breathe in", "Hold", "Breathe out", "Hold"]


@pytest.mark.parametrize("pattern_id", ["box", "four_seven_eight", "coherent", "slow_diaphragmatic"])
def test_count_goes_up_once_per_second_never_twice_or_skipped(content: Content, pattern_id: str) -> None:
    plan = next(p for p in content_plans(content) if p.id == pattern_id)
    clock = FakeClock()
    start = clock.t
    timer = PhaseTimer(plan.phases(LEAD), clock)
    timer.start()
    seen: dict[int, list[int]] = {}
    step = 0.01
    for i in range(int(plan.total_seconds(LEAD) / step)):
        clock.t = start + i * step
        snap = timer.snapshot()
        counts = seen.setdefault(snap.index, [])
        count = shown_count(snap)
        if not counts or counts[-1] != count:
            counts.append(count)
    assert seen[0] == [3, 2, 1]  # the lead-in counts down
    for index in range(1, len(timer.phases)):
        length = timer.phases[index].seconds
        assert seen[index] == list(range(1, math.ceil(length) + 1)), (index, seen[index])


def test_the_next_redraw_is_due_exactly_when_the_count_changes(content: Content) -> None:
    plan = content_plans(content)[0]
    clock = FakeClock()
    timer = PhaseTimer(plan.phases(LEAD), clock)
    timer.start()
    clock.advance(0.25)
    assert until_next_count(timer.snapshot()) == pytest.approx(0.75)
    clock.advance(3.0)  # 0.25 s into "Breathe in"
    snap = timer.snapshot()
    assert shown_count(snap) == 1 and until_next_count(snap) == pytest.approx(0.75)


def test_sides_of_the_square(content: Content) -> None:
    plans = {p.id: p for p in content_plans(content)}
    assert plans["box"].sides() == [(0, 1), (1, 1), (2, 1), (3, 1)]
    assert plans["four_seven_eight"].sides() == [(0, 1), (1, 1), (2, 2)]  # out: right side and bottom
    assert plans["coherent"].sides() == [(0, 2), (2, 2)]
    own = custom_plan(content, CustomPattern(name="x", inhale=4, hold_in=0, exhale=6, hold_out=2, cycles=3), 0)
    assert own.sides() == [(0, 2), (2, 1), (3, 1)]


def test_the_marker_travels_round_the_square_once_a_cycle(content: Content) -> None:
    box = content_plans(content)[0]
    clock = FakeClock()
    start = clock.t
    timer = PhaseTimer(box.phases(LEAD), clock)
    timer.start()
    for at, position in [(1.0, 0.0), (3.0, 0.0), (5.0, 0.5), (7.0, 1.0), (13.0, 2.5), (18.9, 3.975), (19.0, 0.0)]:
        clock.t = start + at
        assert lap_position(box, timer.snapshot()) == pytest.approx(position % 4), at


def test_own_pattern_in_minutes_runs_whole_cycles_covering_them(content: Content) -> None:
    pattern = CustomPattern(name="Evening", inhale=5, hold_in=0, exhale=6, hold_out=0, minutes=5)
    plan = custom_plan(content, pattern, 0)
    assert [(s.kind, s.seconds) for s in plan.steps] == [("in", 5), ("out", 6)]
    assert plan.cycles == math.ceil(300 / 11) == 28
    assert [s.label for s in plan.steps] == ["Breathe in", "Breathe out"]  # words from content
    exact = custom_plan(content, CustomPattern(name="x", inhale=5, hold_in=0, exhale=5, hold_out=0, minutes=1), 0)
    assert exact.cycles == 6


def test_length_line_says_one_cycle_and_seconds_under_a_minute(content: Content) -> None:
    plans = {p.id: p for p in content_plans(content)}
    assert length_line(plans["box"], LEAD) == "4 cycles, about 1 min"  # 67 s
    one = custom_plan(content, CustomPattern(name="x", inhale=2, hold_in=0, exhale=2, hold_out=0, cycles=1), 0)
    assert length_line(one, LEAD) == "1 cycle, about 7 s"  # not "1 cycles, about 1 min"
    assert one.summary.endswith("; 1 cycle.")


def test_marker_cells_cover_one_cell_in_eighths() -> None:
    rows, cols = 5, 9
    assert marker_cells(0, 0, 0, rows, cols) == [((4, 0), "█", False)]
    # Halfway between rows 4 and 3 going up: top half of row 4 (reverse of the lower half), bottom half of row 3.
    assert marker_cells(0, 0, 4, rows, cols) == [((4, 0), "▄", True), ((3, 0), "▄", False)]
    assert marker_cells(1, 2, 2, rows, cols) == [((0, 2), "▎", True), ((0, 3), "▎", False)]
    assert marker_cells(2, 1, 6, rows, cols) == [((1, 8), "▂", False), ((2, 8), "▂", True)]
    assert marker_cells(3, 0, 4, rows, cols) == [((4, 8), "▌", False), ((4, 7), "▌", True)]


# --- the pattern form ---------------------------------------------------------------------------


def test_parse_pattern_accepts_the_usual_forms() -> None:
    p = parse_pattern(" Evening ", "4 7 8", "5m")
    assert (p.name, p.inhale, p.hold_in, p.exhale, p.hold_out, p.cycles, p.minutes) == ("Evening", 4, 7, 8, 0, None, 5)
    p = parse_pattern("Even", "5.5-5.5", "6 cycles")
    assert (p.inhale, p.hold_in, p.exhale, p.hold_out, p.cycles) == (5.5, 0, 5.5, 0, 6)
    assert parse_pattern("Box", "4,4,4,4", "4").cycles == 4


@pytest.mark.parametrize(
    "fields, message",
    [
        (("", "4 4 4 4", "4"), "name"),
        (("x", "4 four", "4"), "numbers"),
        (("x", "4", "4"), "2 to 4 numbers"),
        (("x", "12 4 4 4", "4"), "Breathe in: 2-10 seconds"),
        (("x", "4 1 4 4", "4"), "0 (none) or 2-10"),
        (("x", "4 4 4 4", "21"), "1-20 cycles"),
        (("x", "4 4 4 4", "0"), "1-20 cycles"),
        (("x", "4 4 4 4", "90m"), "1-60 minutes"),
        (("x", "4 4 4 4", "soon"), "1-20 cycles"),
    ],
)
def test_parse_pattern_says_what_is_wrong_in_one_line(fields: tuple[str, str, str], message: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_pattern(*fields)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --- the screen ------------------------------------------------------------------------------


async def start_session(pilot: Any) -> BreathingScreen:
    """On the breathing screen: Enter, then Enter again past the pain check."""
    screen = pilot.app.screen
    assert isinstance(screen, BreathingScreen)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PainCheck)
    await pilot.press("enter")
    await pilot.pause()
    assert pilot.app.screen is screen and screen.state == "running"
    return screen


async def at(pilot: Any, screen: BreathingScreen, clock: FakeClock, seconds: float) -> tuple[str, str, str]:
    """Move the session clock to `seconds` after the start, tick, and return what the pacer shows."""
    clock.t = pilot.start_t + seconds
    screen.tick()
    await pilot.pause()
    return screen.pacer.shown_texts


@pytest.fixture
def breathe(make_app: Callable[..., Any], clock: FakeClock) -> Callable[..., Any]:
    def factory(**kwargs: Any) -> Any:
        return make_app(start="breathe", **kwargs)

    return factory


async def test_opens_with_the_box_ready_and_the_safety_line(breathe: Callable[..., Any], content: Content) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BreathingScreen)
        text = screen_text(app)
        assert "Box breathing (4-4-4-4)" in text
        assert "Enter: start" in text
        assert content.breathing.safety in text
        assert "Breathing today: 0 (goal 1-2 a day)" in text
        assert "┌" in text and "┘" in text  # the square


async def test_phase_word_and_count_follow_the_clock(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
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


async def test_space_pauses_and_resumes_without_losing_time(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        assert screen._anim is not None
        await at(pilot, screen, clock, 4.5)
        await pilot.press("space")
        await pilot.pause()
        assert screen.state == "paused"
        assert screen._anim is None and screen._next is None  # no timers: nothing drawn while paused
        assert screen.pacer.shown_texts == ("Paused", "2", "space: resume")
        clock.advance(60)
        screen.tick()
        await pilot.pause()
        assert screen.pacer.shown_texts[1] == "2"
        await pilot.press("space")
        await pilot.pause()
        assert screen.state == "running" and screen._anim is not None
        assert screen.pacer.shown_texts == ("Breathe in", "2", "cycle 1 of 4")
        clock.advance(2.5)  # 1.5 + 2.5 = 4 s into the first breath: the hold begins
        screen.tick()
        await pilot.pause()
        assert screen.pacer.shown_texts == ("Hold", "1", "cycle 1 of 4")


async def test_a_whole_session_is_saved_with_pain_before_and_after(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    triage = Record(kind="triage", started=clock.now() - timedelta(minutes=5), ended=clock.now(),
                    completed=True, pain_before=6)
    accepted_store.add_record(triage)
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PainCheck) and app.screen.initial == 6  # from the recent triage
        await pilot.press("enter")
        await pilot.pause()
        assert app.active_session is not None
        await at(pilot, screen, clock, 3 + 4 * 16)
        assert screen.state == "done"
        assert app.active_session is None
        assert isinstance(app.screen, PainCheck)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert screen.pacer.shown_texts == ("Done", "", "4 of 4 cycles")
        assert "Breathing today: 1 (goal 1-2 a day)" in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert "Breathing today: 1 (goal 1-2 a day)" in screen_text(app)
    records = Store(accepted_store.data_dir).records(kinds="breathing")
    assert len(records) == 1
    record = records[0]
    assert record.completed and record.pain_before == 6 and record.pain_after == 3
    assert record.details["pattern"] == "box" and record.details["cycles"] == 4
    assert record.details["cycles_done"] == 4
    assert record.duration_s == pytest.approx(67)


async def test_q_stops_early_and_saves_the_cycles_done(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        await at(pilot, screen, clock, 3 + 16 + 8)  # half way through cycle 2
        await pilot.press("q")
        await pilot.pause()
        assert screen.state == "done" and app.active_session is None
        await pilot.press("s")  # skip the pain check after
        await pilot.pause()
        assert screen.pacer.shown_texts == ("Stopped", "", "1 of 4 cycles")
        assert "Breathing today: 0" in screen_text(app)  # only whole sessions count
    record = Store(accepted_store.data_dir).records(kinds="breathing")[0]
    assert not record.completed and record.details["cycles_done"] == 1 and record.details["stopped"] == "user"
    assert record.pain_after is None


async def test_quitting_mid_session_saves_it_as_not_completed(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        await at(pilot, screen, clock, 3 + 16 * 2 + 1)
        await pilot.press("ctrl+q")
        await pilot.pause()
    records = Store(accepted_store.data_dir).records(kinds="breathing")
    assert len(records) == 1
    assert not records[0].completed and records[0].details["cycles_done"] == 2
    assert records[0].details["stopped"] == "quit"


async def test_escape_mid_session_saves_it_and_goes_back(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        await at(pilot, screen, clock, 5)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.active_session is None
    records = Store(accepted_store.data_dir).records(kinds="breathing")
    assert len(records) == 1 and not records[0].completed and records[0].details["stopped"] == "left"


async def test_breathing_bell_rings_at_each_phase_change_only_when_on(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    for on, expected in ((False, 0), (True, 5)):
        accepted_store.update_state(lambda s: setattr(s.settings, "breathing_bell", on))
        app = breathe()
        rings: list[float] = []
        async with app.run_test(size=(80, 24)) as pilot:
            app.bell = lambda: rings.append(clock.t)  # type: ignore[method-assign]
            await pilot.pause()
            pilot.start_t = clock.t
            screen = await start_session(pilot)
            for second in range(0, 20):
                await at(pilot, screen, clock, second)
            # Rings: the first breath after the lead-in, then hold, out, hold, and the next breath.
            assert len(rings) == expected
            if on:
                assert [t - pilot.start_t for t in rings] == [3, 7, 11, 15, 19]
            await pilot.press("q")
            await pilot.pause()


async def test_reduced_motion_setting_shows_words_and_count_only(
    breathe: Callable[..., Any], clock: FakeClock, accepted_store: Store
) -> None:
    accepted_store.update_state(lambda s: setattr(s.settings, "reduced_motion", True))
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        assert not screen.pacer.animated and screen._anim is None  # no marker, no animation timer
        assert await at(pilot, screen, clock, 4.2) == ("Breathe in", "2", "cycle 1 of 4")
        text = screen_text(app)
        assert "Breathe in" in text and "cycle 1 of 4" in text
        assert not any(c in text for c in "┌┘█▁▂▃▄▅▆▇")


async def test_reduced_motion_follows_textual_animations_none(
    make_app: Callable[..., Any], clock: FakeClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.animation_level = "none"  # what TEXTUAL_ANIMATIONS=none sets
        await pilot.press("b")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BreathingScreen)
        assert not screen.pacer.animated
        assert "┌" not in screen_text(app) and "Enter: start" in screen_text(app)


async def test_small_terminal_still_shows_the_square_words_and_keys(
    breathe: Callable[..., Any], clock: FakeClock, content: Content
) -> None:
    app = breathe()
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        assert await at(pilot, screen, clock, 8.0) == ("Hold", "2", "cycle 1 of 4")
        assert screen.pacer.animated
        text = screen_text(app)
        lines = text.splitlines()
        assert len(lines) == 15 and all(len(line) <= 40 for line in lines)
        for shown in ("Hold", "cycle 1 of 4", "┌", "┘", "Pause", "Stop"):
            assert shown in text, shown
        assert "light-headed" in text  # the safety line


async def test_pattern_picker_switches_to_4_7_8(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PatternPicker)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen is screen and screen.plan is not None and screen.plan.id == "four_seven_eight"
        assert "4-7-8 breathing" in screen_text(app)
        pilot.start_t = clock.t
        await start_session(pilot)
        assert await at(pilot, screen, clock, 3 + 4 + 6.5) == ("Hold", "7", "cycle 1 of 4")
        assert await at(pilot, screen, clock, 3 + 4 + 7 + 7.5) == ("Breathe out", "8", "cycle 1 of 4")


async def test_own_patterns_are_added_in_settings_and_offered(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    app = make_app(start="settings")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#custom-patterns").press()
        await pilot.pause()
        assert isinstance(app.screen, CustomPatternsScreen)
        await pilot.press(*"Evening", "enter", *"4 0 6", "enter", *"2m", "enter")
        await pilot.pause()
        assert "Saved 'Evening'" in screen_text(app)
        await pilot.press(*"Bad", "enter", *"4 4 4 4", "enter", *"30", "enter")
        await pilot.pause()
        assert "Length: 1-20 cycles" in screen_text(app)
    patterns = Store(accepted_store.data_dir).load().settings.custom_patterns
    assert [(p.name, p.inhale, p.hold_in, p.exhale, p.hold_out, p.minutes) for p in patterns] == [
        ("Evening", 4, 0, 6, 0, 2)
    ]
    app = make_app(start="breathe", store=Store(accepted_store.data_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("end", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, BreathingScreen) and screen.plan is not None
        assert screen.plan.name == "Evening" and screen.plan.cycles == 12  # 2 min of 10 s breaths
        assert "Evening" in screen_text(app) and "12 cycles" in screen_text(app)


async def test_pacer_repaints_only_the_cells_that_change(breathe: Callable[..., Any], clock: FakeClock) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pilot.start_t = clock.t
        screen = await start_session(pilot)
        await at(pilot, screen, clock, 4.0)
        pacer = screen.pacer
        repainted: list[Any] = []
        for widget in pacer.walk_children():
            original = widget.refresh

            def spy(*regions: Any, _w: Any = widget, _o: Any = original, **kw: Any) -> Any:
                repainted.append((_w, regions))
                return _o(*regions, **kw)

            widget.refresh = spy  # type: ignore[method-assign]
        clock.t = pilot.start_t + 4.1  # the marker moves a little up the left side; the count stays
        screen.tick()
        assert repainted, "the marker did not move"
        for widget, regions in repainted:
            assert type(widget).__name__ == "EdgeColumn"
            assert regions and all(r.width == 1 and r.height == 1 for r in regions)
        assert isinstance(pacer, Pacer)


async def test_footer_says_resume_while_paused(breathe: Callable[..., Any]) -> None:
    app = breathe()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = await start_session(pilot)
        await space_label_follows_pause(pilot, lambda: screen.state == "paused")
