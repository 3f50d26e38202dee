"""The history screen: table, filter, summary, and ten years of sessions without freezing."""

from __future__ import annotations

import time
from datetime import timedelta, timezone
from typing import Any, Callable, Iterator

import pytest
import tomli_w
from textual.widgets import DataTable, Static

from neck_tui.activities import KINDS, kind_label
from neck_tui.screens import history
from neck_tui.screens.history import AHEAD_ROWS, CHUNK_ROWS, FIRST_ROWS, RECENT_DAYS, HistoryScreen
from neck_tui.store import Record, Store
from neck_tui.widgets.pain_chart import PainChart
from tests.fakes import FakeClock

UTC = timezone.utc


@pytest.fixture(autouse=True)
def utc_local(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The table shows local time; make local time UTC so the expected cells are fixed."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def rec(clock: FakeClock, kind: str, hours_ago: float, minutes: float = 10, **kw: Any) -> Record:
    started = clock.now() - timedelta(hours=hours_ago)
    return Record(kind=kind, started=started, ended=started + timedelta(minutes=minutes), **{"completed": True, **kw})


async def open_history(pilot: Any) -> HistoryScreen:
    """Wait until the worker has read everything and every row is in the table."""
    screen = pilot.app.screen
    assert isinstance(screen, HistoryScreen)
    for _ in range(2000):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if screen.fully_shown:
            return screen
    raise AssertionError("history never finished loading")


def text(screen: HistoryScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


def cells(table: DataTable[Any], row: int) -> list[str]:
    return [str(c) for c in table.get_row_at(row)]


async def test_empty_history(make_app: Callable[..., Any]) -> None:
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert screen.query_one(DataTable).row_count == 0
        assert text(screen, "#history-status") == "No sessions yet. Every activity you do is kept here."
        assert "Streak  none yet" in text(screen, "#history-summary")
        assert "Rate pain before and after" in text(screen, "#history-helps")
        chart = screen.query_one(PainChart)
        assert chart.text == "Pain, 30 days: no ratings yet"  # one line, nothing to plot
        assert chart.region.height == 1


async def test_opens_from_home_and_escape_goes_back(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("y")
        await open_history(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)


async def test_table_summary_and_trend(make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock) -> None:
    # now: Wednesday 2026-11-25 09:00 UTC
    records = [
        rec(clock, "triage", 49, minutes=1, pain_before=7, details={"flags": ["radiating_pain"], "outcome": "red_flag"}),
        rec(clock, "heat", 48, minutes=50, pain_before=6, pain_after=3),
        rec(clock, "breathing", 24, minutes=1.5, pain_before=5, pain_after=4),
        rec(clock, "exercise", 23, completed=False),
        rec(clock, "breathing", 1, minutes=0.5, pain_before=4, pain_after=4),
        rec(clock, "posture_break", 0.5, minutes=2),
    ]
    for r in records:
        accepted_store.add_record(r)
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 6
        # Most recent first, local time (UTC here).
        assert cells(table, 0) == ["2026-11-25 08:30", "Posture break", "2 min", "yes", "-", "-", ""]
        assert cells(table, 1) == ["2026-11-25 08:00", "Breathing", "30 s", "yes", "4", "4", ""]
        assert cells(table, 2) == ["2026-11-24 10:00", "Exercise", "10 min", "no", "-", "-", ""]
        assert cells(table, 4) == ["2026-11-23 09:00", "Heat", "50 min", "yes", "6", "3", ""]
        assert cells(table, 5)[1:] == ["Triage", "1 min", "yes", "7", "-", "! red flag"]
        assert text(screen, "#history-status") == "All kinds: 6 sessions (f: filter by kind)"

        summary = text(screen, "#history-summary")
        assert "Streak  3 days in a row" in summary
        assert "This week (since Mon 23 Nov)" in summary
        assert "Breathing  1 today, goal 1-2; 2/3 days met" in summary
        assert "Exercises  0 of 2 days" in summary  # the one exercise was stopped early
        assert "Breaks     1 posture break taken" in summary
        helps = text(screen, "#history-helps").splitlines()
        assert helps[1:] == ["Heat           -3.0 (1)", "Breathing      -0.5 (2)"]
        # Daily averages: 23rd (7, 6, 3) = 5.33, 24th (5, 4) = 4.5, 25th (4, 4) = 4.0
        chart = screen.query_one(PainChart)
        assert chart.text.splitlines()[0].startswith("Pain, 30 days: 5.3 → 4.0")
        assert [p.average for p in chart.points] == pytest.approx([16 / 3, 4.5, 4.0])  # as in `stats`
        assert [(p.before, p.after) for p in chart.points] == [(6.5, 3), (5, 4), (4, 4)]


async def test_filter_by_kind_with_keys(make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock) -> None:
    for i, kind in enumerate(["heat", "cold", "heat", "triage", "breathing", "posture_break", "heat"]):
        accepted_store.add_record(rec(clock, kind, hours_ago=10 - i))
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)

        def kinds() -> list[str]:
            return [cells(table, i)[1] for i in range(table.row_count)]

        assert len(kinds()) == 7
        await pilot.press("f")  # all -> triage
        assert kinds() == ["Triage"]
        assert text(screen, "#history-status") == "Triage: 1 of 7 sessions (f: next kind, 0: all)"
        await pilot.press("f")  # -> heat
        assert kinds() == ["Heat", "Heat", "Heat"]
        await pilot.press("6")  # exercise: none
        assert kinds() == []
        assert text(screen, "#history-status").startswith("Exercise: 0 of 7 sessions")
        await pilot.press("0")
        assert len(kinds()) == 7
        await pilot.press("F")  # backwards from all: posture breaks
        assert kinds() == ["Posture break"]
        assert screen.kind_filter == KINDS[-1]


def write_history(store: Store, records: list[dict[str, Any]]) -> None:
    """Write month files the way the store lays them out: history/YYYY-MM.toml, [[session]]."""
    months: dict[str, list[dict[str, Any]]] = {}
    for r in records:
        months.setdefault(r["started"].strftime("%Y-%m"), []).append(r)
    for month, sessions in months.items():
        (store.history_dir / f"{month}.toml").write_text(tomli_w.dumps({"schema_version": 2, "session": sessions}))


@pytest.mark.long
async def test_ten_years_of_history(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    n = 11_000
    end = clock.now() - timedelta(hours=1)
    step = timedelta(days=3652) / n
    generated = []
    for i in range(n):
        started = (end - step * (n - 1 - i)).replace(microsecond=0)
        session = {
            "id": f"s{i:05d}",
            "kind": KINDS[i % len(KINDS)],
            "started": started,
            "ended": started + timedelta(minutes=10),
            "completed": i % 4 != 0,
        }
        if i % 2:
            session |= {"pain_before": 3 + i % 5, "pain_after": 2 + i % 3}
        generated.append(session)
    write_history(accepted_store, generated)
    assert len(accepted_store.months()) >= 120

    # Record every batch the screen adds to its table, and whether everything was read by then.
    batches: list[tuple[int, bool]] = []
    add_rows = DataTable.add_rows

    def spy(table: DataTable[Any], rows: Any) -> Any:
        rows = list(rows)
        screen = table.screen
        batches.append((len(rows), isinstance(screen, HistoryScreen) and screen.loaded))
        return add_rows(table, rows)

    monkeypatch.setattr(DataTable, "add_rows", spy)
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        # The months of the newest weeks went in first, before the summary; the older months
        # are not read until the table is scrolled towards them.
        first_month = f"{clock.now() - timedelta(days=RECENT_DAYS):%Y-%m}"
        recent = sum(1 for s in generated if f"{s['started']:%Y-%m}" >= first_month)
        assert batches == [(recent, False)]
        assert 0 < recent <= FIRST_ROWS
        assert table.row_count == recent and not screen.all_read
        # The summary covers everything all the same.
        assert text(screen, "#history-status") == "All kinds: 11,000 sessions (f: filter by kind)"
        assert screen.summary is not None and screen.summary.total == n
        assert "Streak  3653 days in a row" in text(screen, "#history-summary")

        # A filter reads older months until the rows of that kind fill the view and more.
        await pilot.press("3")
        screen = await open_history(pilot)
        assert screen.kind_filter == "cold"
        shown = [cells(table, i)[1] for i in range(table.row_count)]
        assert len(shown) >= AHEAD_ROWS and set(shown) == {"Cold"}
        assert not screen.all_read
        await pilot.press("0")

        # Going down to the end brings older months, in small chunks.
        await pilot.press("ctrl+end")
        screen = await open_history(pilot)
        assert recent < table.row_count < n
        # All the rest at once here (a user's ctrl+end reads AHEAD_ROWS more), to keep it short.
        monkeypatch.setattr(history, "AHEAD_ROWS", n)
        await pilot.press("ctrl+end")
        screen = await open_history(pilot)
        assert screen.all_read and table.row_count == n
        assert max(size for size, _ in batches[1:]) <= CHUNK_ROWS
        newest, oldest = generated[-1], generated[0]
        assert cells(table, 0)[:2] == [f"{newest['started']:%Y-%m-%d %H:%M}", kind_label(newest["kind"])]
        assert cells(table, n - 1)[:2] == [f"{oldest['started']:%Y-%m-%d %H:%M}", kind_label(oldest["kind"])]


async def test_unreadable_month_is_left_alone_and_the_rest_shown(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    accepted_store.add_record(rec(clock, "heat", 1))
    (accepted_store.history_dir / "2025-01.toml").write_text("this is [not toml")
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        assert screen.query_one(DataTable).row_count == 1
        assert any("2025-01.toml was unreadable" in n.message for n in app._notifications)
        # History only reads: the file stays where it is, unchanged.
        assert (accepted_store.history_dir / "2025-01.toml").read_text() == "this is [not toml"
        assert not list(accepted_store.history_dir.glob("2025-01.toml.corrupt-*"))


async def test_history_from_a_newer_version_is_a_message_not_a_crash(
    make_app: Callable[..., Any], accepted_store: Store
) -> None:
    (accepted_store.history_dir / "2026-11.toml").write_text("schema_version = 99\n")
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        # Reading skips that month and says so; the file is left exactly as it was.
        await pilot.wait_for_scheduled_animations()
        assert any("2026-11.toml was written by a newer neck-tui" in n.message for n in app._notifications)
        assert (accepted_store.history_dir / "2026-11.toml").read_text() == "schema_version = 99\n"


async def test_leaving_while_loading_and_small_terminals(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    for h in range(30):
        accepted_store.add_record(rec(clock, KINDS[h % len(KINDS)], hours_ago=h * 5, pain_before=5, pain_after=3))
    app = make_app(start="history")
    async with app.run_test(size=(40, 15)) as pilot:
        await pilot.press("escape")  # before the worker is done
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        await pilot.press("y")
        screen = await open_history(pilot)
        assert screen.query_one(DataTable).row_count == 30
        assert not screen.query_one("#history-helps").display  # hidden when narrow
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert screen.query_one("#history-helps").display
        table = screen.query_one(DataTable)
        assert table.region.bottom <= 23 and table.region.height >= 6  # room for rows above the footer


# -- a record you can open ------------------------------------------------------------------------


def heat_with_skin_problem(clock: FakeClock) -> Record:
    start = clock.now() - timedelta(hours=3)
    return rec(
        clock, "heat", 3, minutes=6, completed=False, pain_before=6, pain_after=4,
        details={
            "regimen": "heat", "rounds": 1, "until_stopped": False, "rounds_done": 0, "phases_done": 0,
            "phases": [{"kind": "heat", "round": 1, "seconds": 330.0, "planned": 1200.0}],
            "skin_checks": [
                {"at": start + timedelta(minutes=2), "answer": "ok", "phase": "heat", "round": 1, "when": "during"},
                {"at": start + timedelta(minutes=5), "answer": "problem", "phase": "heat", "round": 1, "when": "during"},
            ],
            "stopped": "skin problem",
        },
    )


def urgent_triage(clock: FakeClock) -> Record:
    return rec(
        clock, "triage", 5, minutes=1, pain_before=8,
        details={"flags": ["radiating_pain", "dizziness_falls"], "urgent": True, "outcome": "red_flag",
                 "suggestion": "urgent_care", "choice": "continue_self_care", "then": "heat"},
    )


async def record_lines(app: Any) -> list[str]:
    from neck_tui.screens.record import RecordScreen

    assert isinstance(app.screen, RecordScreen)
    return [str(s.render()) for s in app.screen.query(".record-heading, .record-line, .record-sub").results(Static)]


async def test_enter_opens_the_record_and_escape_comes_back(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, content: Any
) -> None:
    accepted_store.add_record(urgent_triage(clock))
    accepted_store.add_record(heat_with_skin_problem(clock))
    accepted_store.add_record(rec(clock, "breathing", 1, minutes=2, details={"pattern": "box", "pattern_name": "Box breathing", "cycles": 4, "cycles_done": 4}))
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        assert [cells(table, i)[6] for i in range(3)] == ["", "! skin problem", "! urgent flag"]
        await pilot.press("down", "enter")
        await pilot.pause()
        lines = await record_lines(app)
        assert "Heat, Wed 2026-11-25, 06:00 to 06:06 (6 min)" in lines
        assert "Not completed" in lines
        assert f"Before: 6/10 ({content.pain_words(6)})" in lines and "Change: -2" in lines
        assert "Round 1  HEAT  5:30 of 20:00" in lines
        assert "06:02 during HEAT round 1: OK" in lines
        assert "06:05 during HEAT round 1: ! PROBLEM" in lines
        assert f"Advised: {content.notice.skin_problem_advice}" in lines
        assert "Ended early: a skin problem" in lines
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and table.cursor_row == 1
        await pilot.press("down", "enter")  # the triage
        await pilot.pause()
        lines = await record_lines(app)
        flags = {f.id: f for f in content.red_flags}
        assert f"! {flags['radiating_pain'].text}" in lines
        assert f"! {flags['dizziness_falls'].text} (urgent)" in lines
        assert f"Advised: {content.notice.urgent_advice}" in lines
        assert "You went on to self-care anyway" in lines and "Then you opened Heat" in lines


async def test_record_follows_the_filter(make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock) -> None:
    accepted_store.add_record(rec(clock, "cold", 2, pain_before=5, pain_after=2))
    accepted_store.add_record(rec(clock, "heat", 1, pain_before=3, pain_after=1))
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_history(pilot)
        await pilot.press("3", "enter")  # cold only: the one row is the cold session
        await pilot.pause()
        lines = await record_lines(app)
        assert lines[1].startswith("Cold, ") and "Before: 5/10" in " ".join(lines)


def test_exercise_stopped_for_pain_and_unknown_details(content: Any, clock: FakeClock) -> None:
    from neck_tui.record_text import describe

    record = rec(clock, "exercise", 2, completed=False, pain_before=5, details={
        "routine": "daily", "title": "Daily routine", "stopped": "pain", "exercise": "chin_tucks",
        "exercises": [{"id": "chin_tucks", "reps_done": 3, "reps": 10, "result": "stopped"},
                      {"id": "head_turns", "reps_done": 0, "reps": 5, "result": "not_started"}],
        "mood": "tired",
    })
    sections = {s.title: s.lines for s in describe(record, content)}
    chin = content.exercise("chin_tucks").name
    assert sections["Session"] == ["Daily routine", f"Ended early in {chin}: it hurt (stopped for pain)",
                                   f"  Advised: {content.exercise_info.hurts_advice}"]
    assert sections["Exercises"][0] == f"{chin}: 3 of 10 reps, stopped"
    assert sections["Exercises"][1].endswith("0 of 5 reps, not started")
    assert sections["Other details"] == ["mood: tired"]  # not dropped
    assert sections["Pain"] == [f"Before: 5/10 ({content.pain_words(5)})", "After: not rated"]


def test_every_known_kind_has_its_own_record_view(content: Any, clock: FakeClock) -> None:
    from neck_tui import activities
    from neck_tui.record_text import describe

    for kind in activities.KINDS:  # a new activity that forgets its view fails here, not in History
        record = rec(clock, kind, 1, details={})
        titles = [s.title for s in describe(record, content)]
        assert titles[:2] == ["When", "Pain"] and len(titles) > 2 and "Details" not in titles, (kind, titles)


def test_a_massage_record_shows_its_steps_not_generic_details(content: Any, clock: FakeClock) -> None:
    from neck_tui.plans.massage import massage
    from neck_tui.record_text import describe

    record = rec(clock, "massage", 1, completed=False, details={"steps": 3, "steps_done": 2, "stopped": "user"})
    sections = {s.title: s.lines for s in describe(record, content)}
    assert sections["Session"] == [f"{massage(content).name}: 2 of 3 steps", "Ended early: stopped by you"]
    assert "Details" not in sections and "Other details" not in sections


async def test_an_unknown_kind_is_shown_as_stored(make_app: Callable[..., Any], clock: FakeClock) -> None:
    from neck_tui.screens.record import RecordScreen

    started = clock.now() - timedelta(hours=1)
    newer = Record.model_construct(  # a kind from a newer version: not valid here, but shown
        id="x", kind="tai_chi", started=started, ended=started + timedelta(minutes=20), completed=True,
        pain_before=None, pain_after=None, details={"form": "short", "moves": ["a", "b"]},
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(RecordScreen(newer))
        await pilot.pause()
        lines = await record_lines(app)
        assert lines[1].startswith("Tai chi, Wed 2026-11-25, 08:00 to 08:20")
        assert "Pain" in lines and "not rated" in lines
        assert lines[-3:] == ["Details", "form: short", "moves: a; b"]


# -- the chart --------------------------------------------------------------------------------------


async def test_chart_shrinks_to_a_word_at_40x15(make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock) -> None:
    accepted_store.add_record(rec(clock, "heat", 1, pain_before=6, pain_after=3))
    app = make_app(start="history")
    async with app.run_test(size=(40, 15)) as pilot:
        screen = await open_history(pilot)
        chart = screen.query_one(PainChart)
        assert chart.region.height == 1
        assert chart.text == "Pain: 4.5 on Nov 25 (chart hidden)"
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        lines = chart.text.splitlines()
        assert lines[0].startswith("Pain, 30 days: 4.5 on Nov 25  █ before █ after")
        assert lines[1].startswith("10 ┤") and lines[-2].startswith(" 0 ┤")
        assert lines[-1].split() == ["Oct", "27", "Nov", "11", "Nov", "25"]


def test_chart_layout_is_pure_and_reads(clock: FakeClock) -> None:
    from datetime import date

    from neck_tui.widgets.pain_chart import DayPoint, chart_runs, daily_points

    today = date(2026, 11, 25)
    records = [
        rec(clock, "heat", 1, pain_before=6, pain_after=2),
        rec(clock, "cold", 2, pain_before=8),  # no after: counts for "before" only
        rec(clock, "breathing", 48, pain_before=0, pain_after=0),  # two days ago, rated 0
        rec(clock, "heat", 24 * 40, pain_before=9, pain_after=9),  # outside the 30 days
    ]
    points = daily_points(records, clock.now())
    assert points == [DayPoint(date(2026, 11, 23), 0, 0, 0), DayPoint(today, 7, 2, 16 / 3)]

    lines = chart_runs(points, today, width=78, height=6, summary="s")
    assert len(lines) == 6
    for runs in lines:  # one run per style: neighbours always differ
        assert all(a[1] != b[1] for a, b in zip(runs, runs[1:]))
    text = ["".join(t for t, _ in runs) for runs in lines]
    assert text[0] == "Pain, 30 days: s  █ before █ after"
    plot = [line[4:] for line in text[1:5]]  # 4 rows, 2 columns a day, today last
    assert [row[58:60] for row in plot] == ["  ", "▆ ", "█ ", "█▆"]  # before 7 (22 eighths), after 2 (6)
    assert [row[54:56] for row in plot] == ["  ", "  ", "  ", "▁▁"]  # rated 0: a sliver, not a gap
    assert all(row[56:58] == "  " for row in plot)  # yesterday: no rating, a gap
    assert text[5].split() == ["Oct", "27", "Nov", "11", "Nov", "25"]

    narrow = ["".join(t for t, _ in runs) for runs in chart_runs(points, today, width=36, height=6, summary="s")]
    assert narrow[0] == "Pain: s  █ daily average"
    assert len(narrow[1]) == 4 + 30  # one column a day
    assert narrow[4][-1] == "█" and narrow[2][-1] in "▁▂▃▄▅▆▇"  # average 5.3 of 10
    one_line = chart_runs(points, today, width=38, height=1, summary="s")
    assert one_line == [[("Pain: s", "title"), (" (chart hidden)", "muted")]]
    assert chart_runs([], today, width=78, height=6, summary="none") == [[("Pain, 30 days: none", "title")]]


async def test_chart_lays_out_once_not_per_frame(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from neck_tui.widgets import pain_chart

    calls: list[tuple[int, int]] = []
    real = pain_chart.chart_runs

    def counting(points: Any, today: Any, width: int, height: int, summary: str, days: int = 30) -> Any:
        calls.append((width, height))
        return real(points, today, width, height, summary, days)

    monkeypatch.setattr(pain_chart, "chart_runs", counting)
    accepted_store.add_record(rec(clock, "heat", 1, pain_before=6, pain_after=3))
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        chart = screen.query_one(PainChart)
        before = len(calls)
        for _ in range(5):
            screen.refresh()
            chart.refresh()
            await pilot.pause()
        assert len(calls) == before  # repaints reuse the lines
        await pilot.resize_terminal(90, 24)
        await pilot.pause()
        assert calls[-1] == (chart.size.width, chart.size.height) and len(calls) > before


async def test_enter_before_anything_is_read_and_a_click(
    make_app: Callable[..., Any], accepted_store: Store, clock: FakeClock
) -> None:
    from neck_tui.screens.record import RecordScreen

    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # pressed early, on an empty table: nothing happens
        screen = await open_history(pilot)
        assert app.screen is screen
    accepted_store.add_record(rec(clock, "heat", 1, pain_before=6, pain_after=3))
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(pilot)
        table = screen.query_one(DataTable)
        await pilot.click(table, offset=(3, 1))  # the first row, already highlighted
        await pilot.pause()
        assert isinstance(app.screen, RecordScreen) and app.screen.record.kind == "heat"
