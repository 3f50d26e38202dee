"""Heat / cold / contrast: the regimens on the engine, the screen as a user drives it,
skin checks, pause, saving, checkpoints and resume, and the alerts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import pytest
from textual.widgets import Static

from neck_tui import alerts, resume
from neck_tui.content import Content, load_content
from neck_tui.engine import Finished, Phase, PhaseStarted, PhaseTimer
from neck_tui.screens.thermal import (
    Stepper,
    ThermalAsk,
    ThermalScreen,
    next_round_phases,
    session_phases,
)
from neck_tui.session import SessionLog
from neck_tui.store import Record, Store
from neck_tui.widgets.countdown import Countdown, clock_text
from neck_tui.widgets.pain import PainCheck
from neck_tui.widgets.skin_check import SkinCheck
from tests.fakes import FakeClock, space_label_follows_pause

MIN = 60.0


# --- helpers ------------------------------------------------------------------------------------


def thermal(app: Any) -> ThermalScreen:
    return next(s for s in app.screen_stack if isinstance(s, ThermalScreen))


def text(screen: Any, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def shown_time(screen: ThermalScreen) -> str:
    return screen.query_one(Countdown).value


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
    """Enter on the setup, then the pain check: a digit + Enter, or Enter alone (skip)."""
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, PainCheck)
    if pain is not None:
        await pilot.press(pain)
    await pilot.press("enter")
    await pilot.pause()
    screen = thermal(pilot.app)
    assert screen.mode == "running"
    return screen


async def answer_check(pilot: Any, key: str) -> None:
    assert isinstance(pilot.app.screen, SkinCheck), pilot.app.screen
    await pilot.press(key)
    await pilot.pause()
    await pilot.pause()


def heat_records(store: Store, kind: str = "heat") -> list[Record]:
    return Store(store.data_dir).records(kinds=[kind])


# --- the regimens on the engine (pure, fake clock) ----------------------------------------------


def run_whole(timer: PhaseTimer, clock: FakeClock, step: float = 0.25) -> list[tuple[int, float, list[int]]]:
    """Drive a timer to its end with ticks of `step` seconds; per phase: (index, clock at its
    start, the whole seconds the countdown showed, in order, each once)."""
    timer.start()
    out: list[tuple[int, float, list[int]]] = []
    for event in timer.poll():
        if isinstance(event, PhaseStarted):
            out.append((event.index, clock(), []))
    while True:
        snap = timer.snapshot()
        if snap.done:
            break
        shown = out[-1][2]
        if not shown or shown[-1] != snap.seconds_shown:
            shown.append(snap.seconds_shown)
        clock.advance(step)
        for event in timer.poll():
            if isinstance(event, PhaseStarted):
                out.append((event.index, clock(), []))
    return out


@pytest.mark.parametrize(
    "kind, rounds, kinds, minutes",
    [
        ("heat", 2, ["heat", "off", "heat"], [20, 30, 20]),
        ("cold", 2, ["cold", "off", "cold"], [10, 20, 10]),
        ("contrast", 1, ["heat", "cold", "heat"], [5, 5, 5]),
    ],
)
def test_each_whole_regimen_runs_on_the_engine_without_drift(
    content: Content, clock: FakeClock, kind: str, rounds: int, kinds: list[str], minutes: list[int]
) -> None:
    regimen = content.regimen_for(kind)
    phases = session_phases(regimen, rounds)
    assert [p.kind for p in phases] == kinds
    assert [p.seconds / MIN for p in phases] == minutes
    timer = PhaseTimer(phases, clock=clock)
    t0 = clock()
    seen = run_whole(timer, clock)
    assert [i for i, _, _ in seen] == list(range(len(phases)))
    # Each phase shows every whole second from its length down to 1, once, in order.
    for (i, _, shown), m in zip(seen, minutes):
        assert shown == list(range(int(m * MIN), 0, -1)), f"phase {i}"
    # Phases start exactly on their deadlines (the ticks are 0.25 s, so they land on them).
    starts = [at - t0 for _, at, _ in seen]
    assert starts == [sum(minutes[:i]) * MIN for i in range(len(minutes))]
    assert timer.snapshot().total_elapsed == pytest.approx(sum(minutes) * MIN)
    assert timer.phases_done == len(phases)


def test_twenty_minutes_read_late_and_irregularly_is_off_by_under_100ms(content: Content, clock: FakeClock) -> None:
    timer = PhaseTimer(session_phases(content.regimen_for("heat"), 1), clock=clock)
    timer.start()
    elapsed = 0.0
    steps = [0.26, 0.31, 0.49, 1.7, 0.25]
    i = 0
    while elapsed + steps[i % len(steps)] < 20 * MIN - 0.05:
        clock.advance(steps[i % len(steps)])
        elapsed += steps[i % len(steps)]
        snap = timer.snapshot()
        assert abs(snap.remaining - (20 * MIN - elapsed)) < 0.1
        i += 1
    clock.advance(20 * MIN - elapsed + 0.01)
    assert timer.snapshot().done
    assert [type(e) for e in timer.poll()][-1] is Finished


def test_application_may_be_shortened_but_never_past_the_content_maximum(content: Content) -> None:
    heat = content.regimen_for("heat")
    cold = content.regimen_for("cold")
    longer = session_phases(heat, 1, {0: 45})
    assert [p.seconds for p in longer] == [20 * MIN]
    shorter = session_phases(heat, 1, {0: 12})
    assert shorter[0].seconds == 12 * MIN and shorter[0].max_seconds == 20 * MIN
    # Cold's rest: 15 to 30 minutes, 20 by default, the user's pick clamped into the range.
    assert session_phases(cold, 2)[1].seconds == 20 * MIN
    assert session_phases(cold, 2, {1: 45})[1].seconds == 30 * MIN
    assert session_phases(cold, 2, {1: 5})[1].seconds == 15 * MIN
    # Heat's rest is fixed at 30: the engine's bounds keep it there.
    off = session_phases(heat, 2)[1]
    assert (off.min_seconds, off.seconds, off.max_seconds) == (30 * MIN, 30 * MIN, 30 * MIN)


def test_rounds_until_stopped_and_another_cycle(content: Content, clock: FakeClock) -> None:
    heat = content.regimen_for("heat")
    assert [p.meta["round"] for p in session_phases(heat, None)] == [1, 1, 2, 2]
    contrast = content.regimen_for("contrast")
    timer = PhaseTimer(session_phases(contrast, 1), clock=clock)
    assert [(p.kind, p.meta["round"]) for p in next_round_phases(contrast, timer)] == [
        ("heat", 2), ("cold", 2), ("heat", 2)
    ]
    # Another round of heat starts with the rest that the first round left off its end.
    timer = PhaseTimer(session_phases(heat, 1), clock=clock)
    assert [(p.kind, p.meta["round"]) for p in next_round_phases(heat, timer)] == [("off", 1), ("heat", 2)]


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
        for key in ("space", "n", "escape"):
            assert key in keys and keys[key].binding.show, key
        assert "plus" not in keys  # off time is changed only in an off phase
        assert app.active_session is screen
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
        screen = await start(pilot)  # Enter keeps the pre-filled 6
        assert screen.session_log is not None and screen.session_log.pain_before == 6
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
        assert text(screen, "#phase-word") == "HEAT"
        assert isinstance(app.screen, SkinCheck) and app.screen.when == "before"
        await answer_check(pilot, "enter")
        screen = await advance(pilot, clock, 2 * MIN)
        await answer_check(pilot, "o")
        screen = await advance(pilot, clock, 18 * MIN)

        # Saved before the pain-after question, so a dropped link loses nothing.
        assert screen.mode == "done"
        assert app.active_session is None
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
        assert screen.mode == "done" and app.active_session is None
        assert content.notice.skin_problem_advice in text(screen, "#done-text")
        assert isinstance(app.screen, PainCheck)  # with the advice on it too
        assert content.notice.skin_problem_advice in str(app.screen.query_one("#pain-note", Static).render())


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
    make_app: Callable[..., Any], rings: list[Any], clock: FakeClock
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
        assert shown_time(screen) == "06:59"  # still counting underneath
        assert "Waiting 1 min" in str(app.screen.query_one("#skin-waiting", Static).render())
        await answer_check(pilot, "o")
        assert [c["answer"] for c in screen.skin_checks] == ["ok"]


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
        await pilot.pause()
        await pilot.pause()
        assert text(screen, "#phase-word") == "COLD"
        assert isinstance(app.screen, SkinCheck) and app.screen.when == "before"


async def test_stop_asks_then_saves_as_not_completed(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot, pain="5")
        await advance(pilot, clock, 60)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ThermalAsk)
        await pilot.press("n")  # keep going
        await pilot.pause()
        assert screen.mode == "running" and heat_records(store) == []
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        [record] = heat_records(store)
        assert record.completed is False and record.details["stopped"] == "stopped by user"
        assert record.pain_before == 5
        assert isinstance(app.screen, PainCheck)
        await pilot.press("s")
        await pilot.pause()
        assert "not completed" in text(screen, "#done-title")


async def test_quit_while_running_saves_as_not_completed(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock
) -> None:
    app = make_app(start="cold")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await advance(pilot, clock, 2 * MIN)  # a skin check is waiting
        await pilot.press("ctrl+q")
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
        for word in ("HEAT", "COLD", "HEAT"):
            assert text(screen, "#phase-word") == word
            if word != "HEAT" or len(screen.skin_checks) > 0:
                await answer_check(pilot, "o")  # before this application
            screen = await advance(pilot, clock, 2 * MIN)
            await answer_check(pilot, "o")  # 2 minutes into it
            screen = await advance(pilot, clock, 3 * MIN)
        assert isinstance(app.screen, ThermalAsk)
        assert content.regimen_for("contrast").again_prompt in str(app.screen.query_one("#ask-text", Static).render())
        await pilot.press("y")
        await pilot.pause()
        screen = await advance(pilot, clock, 0.1)
        assert "Round 2" in text(screen, "#round-line")
        await answer_check(pilot, "o")
        for _ in range(3):
            screen = await advance(pilot, clock, 2 * MIN)
            if isinstance(app.screen, SkinCheck):
                await answer_check(pilot, "o")
            screen = await advance(pilot, clock, 3 * MIN)
            if isinstance(app.screen, SkinCheck):
                await answer_check(pilot, "o")
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
        checkpoint = Store(store.data_dir).load().in_progress
        assert checkpoint["elapsed"] == pytest.approx(16)
        record_id = screen.session_log.id
        # The process dies here (no save); 25 minutes later the user comes back.
        screen.session_log = None
        app.active_session = None
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
        assert text(screen, "#phase-word") == "HEAT"
        await answer_check(pilot, "o")
        await pilot.press("escape", "y")
        await pilot.pause()
    [record] = heat_records(store)
    assert record.id == record_id and record.completed is False
    assert Store(store.data_dir).load().in_progress is None


async def test_resume_into_an_application_asks_for_a_skin_check_first(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    log = SessionLog(store, "heat", clock.now, pain_before=4)
    timer = PhaseTimer(session_phases(content.regimen_for("heat"), 1), clock=clock)
    timer.start()
    clock.advance(5 * MIN)
    log.checkpoint(resume.checkpoint_state(timer, regimen="heat", rounds=1))
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
    assert record.completed and record.pain_before == 4 and record.id == log.id


async def test_stale_checkpoint_falls_back_to_the_setup(
    make_app: Callable[..., Any], rings: list[Any], store: Store, clock: FakeClock, content: Content
) -> None:
    log = SessionLog(store, "heat", clock.now)
    timer = PhaseTimer(session_phases(content.regimen_for("heat"), 1), clock=clock)
    timer.start()
    log.checkpoint(resume.checkpoint_state(timer, regimen="heat", rounds=1))
    clock.advance(20 * MIN + 61 * MIN)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ThermalScreen("heat", resume=store.state.in_progress))
        await pilot.pause()
        assert thermal(app).mode == "setup"


@pytest.mark.parametrize("size", [(80, 24), (40, 15)])
async def test_running_view_fits_small_terminals(
    make_app: Callable[..., Any], rings: list[Any], size: tuple[int, int]
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=size) as pilot:
        screen = await start(pilot)
        await pilot.pause()
        for selector in ("#phase-word", "#countdown", "#next-line", "#session-progress"):
            region = screen.query_one(selector).region
            assert region.height > 0 and region.bottom <= size[1] - 1, (selector, region)
            assert region.right <= size[0], (selector, region)
        assert screen.has_class("-compact") == (size == (40, 15))


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


# --- checkpoint and resume (pure) -------------------------------------------------------------------


def checkpoint_for(store: Store, clock: FakeClock, phases: list[Phase], run: Callable[[PhaseTimer], None]) -> dict[str, Any]:
    log = SessionLog(store, "heat", clock.now, pain_before=3)
    timer = PhaseTimer(phases, clock=clock)
    timer.start()
    run(timer)
    log.checkpoint(resume.checkpoint_state(timer, regimen="heat", rounds=2, skin_checks=[{"at": clock.now(), "answer": "ok"}]))
    # Read back through TOML, as a new process would.
    state = Store(store.data_dir, now=clock.now).load().in_progress
    assert state is not None
    return state


def test_time_away_counts_as_elapsed(store: Store, clock: FakeClock, content: Content) -> None:
    phases = session_phases(content.regimen_for("heat"), 2)
    cp = checkpoint_for(store, clock, phases, lambda t: clock.advance(10 * MIN))
    plan = resume.plan_resume(cp, clock.now())
    assert plan is not None and plan.index == 0 and plan.remaining == pytest.approx(10 * MIN)
    assert resume.describe(cp, clock.now()) == "Heat, round 1: 10:00 left"
    later = clock.now() + timedelta(minutes=15)
    plan = resume.plan_resume(cp, later)
    assert plan is not None and plan.phase.kind == "off" and plan.remaining == pytest.approx(25 * MIN)
    assert resume.describe(cp, later) == "Off, round 1: 25:00 left"
    assert plan.pain_before == 3 and plan.skin_checks[0]["answer"] == "ok" and plan.rounds == 2


def test_paused_checkpoint_does_not_count_time_away(store: Store, clock: FakeClock, content: Content) -> None:
    def run(timer: PhaseTimer) -> None:
        clock.advance(5 * MIN)
        timer.pause()
        clock.advance(MIN)

    cp = checkpoint_for(store, clock, session_phases(content.regimen_for("heat"), 2), run)
    plan = resume.plan_resume(cp, clock.now() + timedelta(minutes=30))
    assert plan is not None and plan.paused and plan.remaining == pytest.approx(15 * MIN)
    assert resume.describe(cp, clock.now() + timedelta(minutes=30)) == "Heat, round 1: 15:00 left (paused)"


def test_skipped_phase_keeps_its_real_length(store: Store, clock: FakeClock, content: Content) -> None:
    def run(timer: PhaseTimer) -> None:
        clock.advance(4 * MIN)
        timer.skip()  # heat shortened to 4 minutes
        clock.advance(MIN)

    cp = checkpoint_for(store, clock, session_phases(content.regimen_for("heat"), 2), run)
    assert [p["seconds"] for p in cp["phases"]] == [4 * MIN, 30 * MIN, 20 * MIN]
    plan = resume.plan_resume(cp, clock.now())
    assert plan is not None and plan.phase.kind == "off" and plan.remaining == pytest.approx(29 * MIN)
    fresh = PhaseTimer(plan.phases, clock=clock)
    fresh.start(elapsed=plan.elapsed)
    assert fresh.snapshot().index == 1 and fresh.snapshot().remaining == pytest.approx(29 * MIN)


def test_finished_while_away_and_stale_checkpoints(store: Store, clock: FakeClock, content: Content) -> None:
    cp = checkpoint_for(store, clock, session_phases(content.regimen_for("heat"), 1), lambda t: None)
    plan = resume.plan_resume(cp, clock.now() + timedelta(minutes=50))
    assert plan is not None and plan.finished
    assert "ended" in resume.describe(cp, clock.now() + timedelta(minutes=50))
    assert resume.plan_resume(cp, clock.now() + timedelta(minutes=20 + 60, seconds=1)) is None
    assert resume.describe(cp, clock.now() + timedelta(minutes=81)) == ""


@pytest.mark.parametrize(
    "broken",
    [
        None,
        {},
        {"kind": "breathing", "phases": []},
        {"kind": "heat", "phases": "nope"},
        {"kind": "heat", "phases": [{"kind": "heat"}], "saved": "x", "started": "x", "id": "a", "regimen": "heat"},
    ],
)
def test_unusable_checkpoints_are_not_offered(broken: Any, clock: FakeClock) -> None:
    assert resume.plan_resume(broken, clock.now()) is None
    assert resume.describe(broken, clock.now()) == ""


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
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await start(pilot)
        await advance(pilot, clock, 30)
        app.action_open("triage")  # e.g. from the palette, over the running timer
        await pilot.pause()
        app.action_home()  # what the palette's "Home" (or triage's "done") does
        await pilot.pause()
        assert app.screen is screen and app.active_session is screen  # stopped at the session
        assert any("still running" in n.message for n in app._notifications)
        assert heat_records(store) == []
        app.action_home()  # again: still there, still running
        await pilot.pause()
        assert app.screen is screen and not screen.timer.snapshot().done


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
        assert screen.timer is not None and int(screen.timer.phases[-1].meta["round"]) == 4
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
    log = SessionLog(store, "cold", clock.now, pain_before=4)
    timer = PhaseTimer(session_phases(content.regimen_for("cold"), None), clock=clock)
    timer.start()
    clock.advance(12 * MIN)
    timer.poll()
    log.checkpoint(resume.checkpoint_state(timer, regimen="cold", rounds=None))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ThermalScreen("cold", resume=store.state.in_progress))
        await pilot.pause()
        await pilot.pause()
        screen = thermal(app)
        assert text(screen, "#phase-word") == "OFF" and screen.rounds is None
        assert not isinstance(screen.focused, Stepper)
        before = screen.timer.durations[screen.timer.index]
        await pilot.press("plus")
        assert screen.timer.durations[screen.timer.index] == before + MIN
        assert screen.rounds is None and "until you stop" in text(screen, "#round-line")


async def test_footer_says_resume_while_paused(make_app: Callable[..., Any], rings: list[Any]) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(80, 24)) as pilot:
        await start(pilot)
        await space_label_follows_pause(pilot, lambda: app.screen.timer.paused)
