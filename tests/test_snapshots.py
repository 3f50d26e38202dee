"""Snapshot tests of key screens at 80x24 and 40x15 (pytest-textual-snapshot), on the fake clock."""

from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, Callable, Iterator

import pytest

from neck_tui.store import Record, Store
from tests.fakes import FakeClock, wait_for


@pytest.fixture(autouse=True)
def usual_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pictures do not depend on the terminal the tests run in (TERM=linux draws other glyphs
    and colours, NO_COLOR greys: tests/test_console.py and test_colours.py check those)."""
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_home_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))


def test_triage_red_flag_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # Tick an urgent flag (7: speaking or swallowing) and go on: urgent care at once, no pain rating.
    assert snap_compare(make_app(start="triage"), press=["7", "enter"], terminal_size=(80, 24))


def test_heat_running_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "s")  # start, skip the pain check
        await pilot.pause()
        clock.advance(65)  # 1:05 into the application, before the first skin check
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_breathing_pacer_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breathe")
    assert snap_compare(app, run_before=_start_heat(app, clock, 3 + 4 + 1.5), terminal_size=(80, 24))  # 1.5 s into the hold


def test_exercise_runner_at_40x15_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    # The 5-second shrug in a small pane: 2 s into the first hold. The rep, the countdown, the
    # pain cue and the safety keys (space, h, q) must all be on screen.
    app = make_app(start="exercises")

    async def run_before(pilot: Any) -> None:
        from neck_tui.screens.exercises import ExerciseRunner

        choices = app.screen.query_one("OptionList")
        choices.highlighted = choices.get_option_index("exercise:shoulder_shrug")
        await pilot.press("enter", "s")  # start, skip the pain check
        await pilot.pause()
        runner = app.screen
        assert isinstance(runner, ExerciseRunner)
        await pilot.press("n")  # past the lead-in
        clock.advance(2)
        runner.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(40, 15))


# -- Learn, a record's detail and the pain chart (issue 15), at 80x24 and 40x15 -------------------




SIZES = [(80, 24), (40, 15)]


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """History and records show local time: make it UTC so the pictures do not depend on the machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _some_history(store: Store, clock: FakeClock) -> None:
    now = clock.now()

    def add(kind: str, hours: float, minutes: float, **kw: Any) -> None:
        start = now - timedelta(hours=hours)
        store.add_record(Record(kind=kind, started=start, ended=start + timedelta(minutes=minutes), **{"completed": True, **kw}))

    for day, (before, after) in {12: (7, 5), 11: (7, 4), 9: (6, 4), 6: (6, 3), 5: (5, 3), 2: (4, 2)}.items():
        add("heat", 24 * day + 2, 50, pain_before=before, pain_after=after)
    add("triage", 3, 1, pain_before=5, details={"flags": [], "urgent": False, "outcome": "self_care", "choice": "cold"})
    add("cold", 2.9, 12, completed=False, pain_before=5, pain_after=4, details={
        "regimen": "cold", "rounds": 1, "until_stopped": False, "rounds_done": 0, "phases_done": 0,
        "phases": [{"kind": "cold", "round": 1, "seconds": 300.0, "planned": 600.0}],
        "skin_checks": [
            {"at": now - timedelta(hours=2.9) + timedelta(minutes=2), "answer": "ok", "phase": "cold", "round": 1, "when": "during"},
            {"at": now - timedelta(hours=2.9) + timedelta(minutes=5), "answer": "problem", "phase": "cold", "round": 1, "when": "during"},
        ],
        "stopped": "skin problem",
    })


async def _history_read(pilot: Any) -> None:
    """Wait until History has read everything and shown every row."""
    for _ in range(50):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if getattr(pilot.app.screen, "fully_shown", False):
            return
    raise AssertionError("history never finished loading")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_learn_snapshot(snap_compare: Any, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    assert snap_compare(make_app(start="learn"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_chart_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], store: Store, clock: FakeClock, utc: None, size: tuple[int, int]
) -> None:
    _some_history(store, clock)
    assert snap_compare(make_app(start="history"), run_before=_history_read, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_record_detail_snapshot(
    snap_compare: Any, make_app: Callable[..., Any], store: Store, clock: FakeClock, utc: None, size: tuple[int, int]
) -> None:
    _some_history(store, clock)

    async def run_before(pilot: Any) -> None:
        await _history_read(pilot)
        await pilot.press("enter")  # the newest: the cold session stopped for a skin problem
        await pilot.pause()

    assert snap_compare(make_app(start="history"), run_before=run_before, terminal_size=size)


def test_pattern_picker_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(start="breathe"), press=["r"], terminal_size=(80, 24))


def test_breathing_pacer_small_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breathe")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "s")
        await pilot.pause()
        clock.advance(3 + 16 + 4 + 4 + 2.5)  # cycle 2, 2.5 s into "Breathe out"
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(40, 15))


# -- heat, cold and contrast: the skin check, a small pane, the done view ------------------------------


def _start_heat(app: Any, clock: FakeClock, seconds: float) -> Any:
    """run_before for a heat (or breathing) session: start it (pain check skipped), then move the clock on."""

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "s")
        await pilot.pause()
        clock.advance(seconds)
        app.screen.tick()
        await pilot.pause()

    return run_before


def test_skin_check_over_heat_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 2 * 60), terminal_size=(80, 24))


def test_skin_check_over_heat_small_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    # 40x15: the question, both answers and the time left are all on screen.
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 2 * 60), terminal_size=(40, 15))


def test_heat_running_small_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    # 40x15: the phase's short text (warm, not hot; cloth under the pack) is still on screen.
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 65), terminal_size=(40, 15))


def test_heat_done_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock, utc: None) -> None:
    app = make_app(start="heat")

    async def run_before(pilot: Any) -> None:
        await pilot.press("enter", "5", "enter")  # start with pain 5 before
        await pilot.pause()
        heat = app.screen
        for seconds, key in ((2 * 60, "o"), (18 * 60, "3")):  # the skin check; the end, pain 3 after
            clock.advance(seconds)
            heat.tick()
            await pilot.pause()
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_triage_list_40x15_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # All nine flags in short form, urgent ones marked "!", flag 6 ticked and its full text below.
    assert snap_compare(make_app(start="triage"), press=["6"], terminal_size=(40, 15))


def test_triage_red_flag_40x15_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    # Flags 6 (dizziness) and 9 (fever/weight loss): urgent care first, then flag 9's parts.
    assert snap_compare(make_app(start="triage"), press=["6", "9", "enter"], terminal_size=(40, 15))


def test_resume_offer_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock, content: Any) -> None:
    # A heat session cut off by a dropped link 5 minutes in, offered 7:30 later: "Resume ...?".
    from neck_tui.store import Store
    from tests.fakes import heat_checkpoint

    app = make_app()
    heat_checkpoint(app.store, clock, content, ran=300)
    clock.advance(450)
    app = make_app(store=Store(app.store.data_dir, now=clock.now))
    assert snap_compare(app, terminal_size=(80, 24))


# -- sizes (issue 17): Home, heat running and the pacer at 40x15, 80x24 and 120x40 -------------------
# (80x24 and 40x15 of heat and the pacer, and Home at 80x24, are the tests above.)


@pytest.mark.parametrize("size", [(40, 15), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_sizes_snapshot(snap_compare: Any, make_app: Callable[..., Any], size: tuple[int, int]) -> None:
    async def run_before(pilot: Any) -> None:
        await wait_for(pilot, lambda: pilot.app.screen.fitted)

    assert snap_compare(make_app(), run_before=run_before, terminal_size=size)


def test_heat_running_120x40_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="heat")
    assert snap_compare(app, run_before=_start_heat(app, clock, 65), terminal_size=(120, 40))


def test_breathing_pacer_120x40_snapshot(snap_compare: Any, make_app: Callable[..., Any], clock: FakeClock) -> None:
    app = make_app(start="breathe")  # as at 80x24: lead-in, one "in", 1.5 s into the hold
    assert snap_compare(app, run_before=_start_heat(app, clock, 3 + 4 + 1.5), terminal_size=(120, 40))
