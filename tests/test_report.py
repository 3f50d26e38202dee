"""History summaries (streak, week goals, pain trend, what helps) and the export / stats commands."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from neck_tui import cli, commands, export, report
from neck_tui.content import Content
from neck_tui.store import Record, Store
from tests.fakes import FakeClock

UTC = timezone.utc
# FakeClock's wall clock: Wednesday 2026-11-25 09:00 UTC. The week started on Monday the 23rd.
NOW = FakeClock().now()
TODAY = NOW.date()


@pytest.fixture
def utc_local(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Make the system's local zone UTC, for code that shows local time."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def rec(
    kind: str,
    days_ago: int = 0,
    *,
    hour: int = 8,
    minutes: float = 10,
    completed: bool = True,
    before: int | None = None,
    after: int | None = None,
    **details: Any,
) -> Record:
    started = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC) + timedelta(hours=hour)
    return Record(
        kind=kind,
        started=started,
        ended=started + timedelta(minutes=minutes),
        completed=completed,
        pain_before=before,
        pain_after=after,
        details=details,
    )


# --- streak -------------------------------------------------------------------------------------


def test_streak_counts_days_in_a_row_up_to_today() -> None:
    records = [rec("heat", 0), rec("breathing", 1), rec("cold", 2), rec("exercise", 2, hour=20), rec("heat", 4)]
    assert report.streak(records, NOW, UTC) == 3


def test_streak_still_counts_up_to_yesterday_when_nothing_yet_today() -> None:
    assert report.streak([rec("heat", 1), rec("cold", 2), rec("cold", 4)], NOW, UTC) == 2


def test_streak_is_broken_by_a_missed_day() -> None:
    assert report.streak([rec("heat", 2), rec("heat", 3)], NOW, UTC) == 0
    assert report.streak([], NOW, UTC) == 0


def test_streak_ignores_triage_but_counts_unfinished_sessions() -> None:
    assert report.streak([rec("triage", 0), rec("triage", 1)], NOW, UTC) == 0
    assert report.streak([rec("heat", 0, completed=False), rec("triage", 1)], NOW, UTC) == 1


def test_streak_days_are_local_days() -> None:
    # 23:30 UTC yesterday is already today at UTC+1.
    late = rec("heat", 1, hour=23).model_copy(update={"started": rec("heat", 1, hour=23).started + timedelta(minutes=30)})
    plus_one = timezone(timedelta(hours=1))
    assert report.streak([late, rec("cold", 2, hour=12)], NOW, UTC) == 2
    assert report.streak([late, rec("cold", 2, hour=12)], NOW, plus_one) == 1  # today only; yesterday is empty


# --- this week against the goals ----------------------------------------------------------------


def test_week_goals_count_completed_sessions_from_monday(content: Content) -> None:
    records = [
        rec("breathing", 3, hour=9),  # Sunday: last week
        rec("breathing", 3, hour=10),
        rec("breathing", 2, hour=9),  # Monday: 2 (goal met)
        rec("breathing", 2, hour=18),
        rec("breathing", 1, completed=False),  # Tuesday: stopped early, does not count
        rec("breathing", 0, hour=7),  # Wednesday (today): 1
        rec("exercise", 2),
        rec("exercise", 2, hour=12),  # same day: still one day
        rec("exercise", 1, completed=False),
        rec("posture_break", 0, hour=1),
        rec("posture_break", 0, hour=2),
        rec("posture_break", 1),
        rec("posture_break", 1, hour=9, completed=False),  # skipped
        rec("posture_break", 5),  # last week
    ]
    week = report.week_goals(records, NOW, content, UTC)
    assert week.week_start == date(2026, 11, 23)
    assert week.days_so_far == 3
    assert (week.breathing_today, week.breathing_days_met) == (1, 2)
    assert (week.breathing_min, week.breathing_max) == (content.breathing.daily_goal_min, content.breathing.daily_goal_max)
    assert week.exercise_days == 1
    assert week.exercise_goal_days == content.exercise_info.weekly_goal_days == 2
    assert not week.exercise_met
    assert week.posture_breaks == 3
    words = dict(week.lines())
    assert words["Breathing"] == "1 today (goal 1-2 a day); met on 2 of 3 days"
    assert words["Exercises"] == "on 1 of 2 days"
    assert words["Posture breaks"] == "3 taken"


def test_exercise_goal_met_on_two_days(content: Content) -> None:
    week = report.week_goals([rec("exercise", 0), rec("exercise", 2)], NOW, content, UTC)
    assert week.exercise_met
    assert dict(week.lines())["Exercises"] == "on 2 of 2 days - goal met"


# --- pain trend ----------------------------------------------------------------------------------


def test_pain_trend_averages_every_rating_per_day_and_skips_days_without_any() -> None:
    records = [
        rec("heat", 0, before=6, after=2),
        rec("triage", 0, hour=1, before=7),  # before only
        rec("cold", 3, before=4, after=4),
        rec("breathing", 3, hour=1),  # no ratings: no effect
        rec("heat", 29, before=9, after=8),  # the first of the 30 days
        rec("heat", 30, before=1, after=1),  # 31 days ago: outside
    ]
    trend = report.pain_trend(records, NOW, tz=UTC)
    assert [(p.day, p.average, p.ratings) for p in trend] == [
        (TODAY - timedelta(days=29), 8.5, 2),
        (TODAY - timedelta(days=3), 4.0, 2),
        (TODAY, 5.0, 3),
    ]
    assert report.trend_text(trend) == "8.5 on Oct 27 -> 5.0 on Nov 25 (3 days rated)"
    assert report.trend_bars(trend) == "▇▄▅"  # fixed 0-10 scale
    assert report.pain_trend([], NOW, tz=UTC) == []


def test_pain_by_month() -> None:
    records = [rec("heat", 0, before=6, after=2), rec("heat", 40, before=3), rec("heat", 41, before=5, after=4)]
    assert report.pain_by_month(records, UTC) == [("2026-10", 4.0, 3), ("2026-11", 4.0, 2)]


# --- what helps ----------------------------------------------------------------------------------


def test_what_helps_is_the_average_drop_per_kind_with_its_session_count() -> None:
    records = [
        rec("heat", 0, before=6, after=3),
        rec("heat", 1, before=5, after=4),
        rec("cold", 0, before=4, after=4),
        rec("breathing", 0, before=5, after=6),  # pain went up
        rec("exercise", 0, before=5),  # no "after": not counted
        rec("triage", 0, before=8, after=2),  # triage is not a self-care session
    ]
    helps = report.what_helps(records)
    assert [(h.kind, h.drop, h.sessions) for h in helps] == [("heat", 2.0, 2), ("cold", 0.0, 1), ("breathing", -1.0, 1)]
    assert [report.helps_text(h) for h in helps] == ["-2.0 (2 sessions)", "0.0 (1 session)", "+1.0 (1 session)"]


def test_summarize(content: Content) -> None:
    records = [
        rec("triage", 2, before=7, flags=["radiating_pain"]),
        rec("triage", 1, before=3, flags=[]),
        rec("heat", 1, before=6, after=3),
        rec("heat", 0, completed=False),
    ]
    s = report.summarize(records, NOW, content, UTC)
    assert s.total == 4
    assert s.counts == {"triage": 2, "heat": 2}
    assert s.completed == {"triage": 2, "heat": 1}
    assert s.streak == 2
    assert [r.details["flags"] for r in s.red_flags] == [["radiating_pain"]]
    text = report.stats_text(s)
    assert "Sessions: 4 since" in text
    assert "Streak, up to today: 2 days in a row with a self-care session" in text
    assert "Heat            -3.0 (1 session)" in text
    assert "Red flags ticked in 1 triage(s)" in text


def test_stats_text_of_an_empty_history(content: Content) -> None:
    text = report.stats_text(report.summarize([], NOW, content, UTC))
    assert "No sessions recorded yet." in text
    assert "Streak, up to today: none yet" in text
    assert "no pain ratings in the last 30 days" in text


# --- export --------------------------------------------------------------------------------------


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def test_csv_of_an_empty_history_is_the_header_row() -> None:
    assert _rows(export.to_csv([])) == [list(export.CSV_COLUMNS)]


def test_csv_has_one_row_per_record_oldest_first() -> None:
    a = rec("heat", 0, minutes=50, before=6, after=3, regimen="heat", note='says "hi", ok')
    b = rec("triage", 1, minutes=1.5, completed=False)
    rows = _rows(export.to_csv([a, b]))
    assert rows[0] == list(export.CSV_COLUMNS)
    assert rows[1] == [b.id, "triage", "2026-11-24T08:00:00Z", "2026-11-24T08:01:30Z", "1.5", "false", "", "", "{}"]
    assert rows[2][:8] == [a.id, "heat", "2026-11-25T08:00:00Z", "2026-11-25T08:50:00Z", "50.0", "true", "6", "3"]
    assert json.loads(rows[2][8]) == {"note": 'says "hi", ok', "regimen": "heat"}


def test_markdown_summary_for_a_clinician(content: Content) -> None:
    records = [
        rec("triage", 40, before=8, flags=["radiating_pain", "dizziness_falls"]),
        rec("heat", 2, before=6, after=3),
        rec("cold", 1, before=5, after=4, completed=False),
    ]
    md = export.to_markdown(records, NOW, content, tz=UTC)
    assert md.startswith("# Neck self-care summary\n")
    assert "Period: 2026-10-16 to 2026-11-25. Sessions: 3." in md
    assert "| Heat | 1 | 1 |" in md and "| Cold | 1 | 0 |" in md and "| Triage | 1 | 1 |" in md
    assert "| 2026-11-23 | 4.5 | 2 |" in md  # pain, last 30 days
    assert "## Pain by month" in md and "| 2026-10 | 8.0 | 1 |" in md
    assert "| Heat | -3.0 | 1 |" in md and "| Cold | -1.0 | 1 |" in md
    flags = {f.id: f for f in content.red_flags}
    assert flags["dizziness_falls"].urgent and not flags["radiating_pain"].urgent
    assert f"- 2026-10-16 08:00: {flags['radiating_pain'].text}; {flags['dizziness_falls'].text} (urgent)" in md
    assert md.rstrip().endswith(export.NOT_ADVICE)


def test_markdown_of_an_empty_history(content: Content) -> None:
    md = export.to_markdown([], NOW, content, since=date(2026, 1, 1), tz=UTC)
    assert "Period: 2026-01-01 to 2026-11-25. Sessions: 0." in md
    assert "No sessions in this period." in md
    assert "None recorded in this period." in md


@pytest.mark.parametrize("bad", ["2026-1-1", "yesterday", "2026-13-01", "20260101", ""])
def test_parse_since_rejects_anything_but_a_real_date(bad: str) -> None:
    with pytest.raises(ValueError, match="use YYYY-MM-DD"):
        commands.parse_since(bad)
    assert commands.parse_since("2026-02-28") == date(2026, 2, 28)
    assert commands.parse_since(None) is None


# --- the subcommands ----------------------------------------------------------------------------


def _store_with(data_dir: Path, records: list[Record], now: Any = None) -> Store:
    store = Store(data_dir, now=now or FakeClock().now)
    for r in records:
        store.add_record(r)
    return store


def test_export_and_stats_are_registered_subcommands() -> None:
    parser = cli.build_parser()
    args = parser.parse_args(["export", "--format", "markdown", "--since", "2026-01-01", "-o", "x.md"])
    assert (args.format, args.since, args.output) == ("markdown", "2026-01-01", Path("x.md"))
    assert parser.parse_args(["export"]).format == "csv"
    assert parser.parse_args(["stats", "--since", "2026-01-01"]).since == "2026-01-01"


def test_cli_export_csv_to_stdout_on_an_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "--format", "csv"]) == 0
    assert capsys.readouterr().out == ",".join(export.CSV_COLUMNS) + "\n"


def test_cli_export_since_keeps_only_later_sessions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = rec("heat", 400), rec("cold", 2)
    _store_with(tmp_path / "d", [old, new])
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "--since", "2026-01-01"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert [r[0] for r in rows[1:]] == [new.id]


def test_cli_export_writes_a_file_and_replaces_an_old_one(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _store_with(tmp_path / "d", [rec("heat", 1, before=6, after=3)])
    out = tmp_path / "summary.md"
    out.write_text("old export\n")
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "--format", "markdown", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"Wrote 1 session (markdown) to {out.resolve()}\n"
    text = out.read_text()
    assert text.startswith("# Neck self-care summary") and "| Heat | 1 | 1 |" in text
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp file left


def test_cli_export_bad_since_is_one_line_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "--since", "31/01/2026"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        "neck-tui export: --since: '31/01/2026' is not a date; use YYYY-MM-DD, for example 2026-01-31\n"
    )


def test_cli_export_to_a_missing_directory_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "nowhere" / "out.csv"
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"neck-tui export: cannot write {target}: ") and err.count("\n") == 1
    assert not target.exists()


def test_cli_export_to_a_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path / "d"), "export", "-o", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"neck-tui export: {tmp_path} is a directory; give a file name\n"


def test_stats_run_with_an_injected_now(
    tmp_path: Path, content: Content, capsys: pytest.CaptureFixture[str], utc_local: None
) -> None:
    store = _store_with(tmp_path / "d", [rec("breathing", 0, before=5, after=3), rec("heat", 1), rec("heat", 3)])
    args = SimpleNamespace(since=None)
    assert commands.run_stats(args, store, content) == 0
    out = capsys.readouterr().out
    assert "Sessions: 3 since" in out
    assert "Breathing       1 today (goal 1-2 a day)" in out
    assert "Breathing       -2.0 (1 session)" in out
    assert commands.run_stats(SimpleNamespace(since="nope"), store, content) == 2
    assert capsys.readouterr().err.startswith("neck-tui stats: --since: 'nope' is not a date")


def test_cli_stats_on_an_empty_history(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--data-dir", str(tmp_path / "d"), "stats"]) == 0
    assert "No sessions recorded yet." in capsys.readouterr().out


def test_stats_since_does_not_cut_the_streak_or_this_week_short(
    tmp_path: Path, content: Content, capsys: pytest.CaptureFixture[str], utc_local: None
) -> None:
    # Sessions every day from 5 days ago to today; --since yesterday (a Tuesday, this week).
    store = _store_with(tmp_path / "d", [rec("exercise", d) for d in range(6)])
    assert commands.run_stats(SimpleNamespace(since=str(TODAY - timedelta(days=1))), store, content) == 0
    out = capsys.readouterr().out
    assert "Sessions from 2026-11-24: 2 first on" in out  # --since still picks the sessions counted
    assert "Streak, up to today: 6 days in a row" in out  # not 2: the streak did not start on --since
    assert "Exercises       on 3 of 2 days" in out  # Monday counts too: the week began before --since


# --- summaries from kept month summaries (issue 13) ---------------------------------------------


def _random_history(seed: int, count: int) -> list[Record]:
    import random

    rng = random.Random(seed)
    kinds = ["triage", "heat", "cold", "contrast", "breathing", "exercise", "posture_break", "sauna"]
    out = []
    for _ in range(count):
        started = NOW - timedelta(minutes=rng.randrange(0, 60 * 24 * 400))
        kind = rng.choice(kinds)
        flags = ["numbness"] if kind == "triage" and rng.random() < 0.2 else []
        out.append(
            Record(
                kind=kind,
                started=started,
                ended=started + timedelta(minutes=rng.randrange(1, 40)),
                completed=rng.random() < 0.8,
                pain_before=rng.choice([None, *range(11)]),
                pain_after=rng.choice([None, *range(11)]),
                details={"flags": flags} if flags else {},
            )
        )
    # A streak across month ends: every day for the last 70 days.
    out += [rec("heat", d, hour=23) for d in range(70)]
    return out


@pytest.mark.parametrize("tz", [UTC, timezone(timedelta(hours=5, minutes=45)), timezone(timedelta(hours=-9, minutes=-30))])
@pytest.mark.parametrize("since", [None, TODAY - timedelta(days=3), TODAY - timedelta(days=200)])
def test_summary_from_kept_month_summaries_equals_the_full_summary(
    tmp_path: Path, content: Content, tz: Any, since: date | None
) -> None:
    records = _random_history(7, 1500)
    store = Store(tmp_path / "d", now=lambda: NOW)
    store.update_state(lambda s: None)  # creates the directories
    by_month: dict[str, list[Record]] = {}
    for r in records:
        by_month.setdefault(r.started.strftime("%Y-%m"), []).append(r)
    for i, (month, rs) in enumerate(sorted(by_month.items())):
        store._write_month(month, sorted(rs, key=lambda r: r.started))
        if i % 3 == 0:  # some months without a kept summary (older version, or edited by hand)
            (store.history_dir / f".{month}.summary.json").unlink()
        if i % 3 == 1:  # some edited since their summary was written: the summary is stale
            path = store.history_dir / f"{month}.toml"
            path.write_text(path.read_text() + "\n# edited\n")
    fresh = Store(tmp_path / "d", now=lambda: NOW, read_only=True)
    everything = fresh.records()
    chosen = everything if since is None else [r for r in everything if r.started >= report.local_midnight(since, tz)]
    expected = report.summarize(chosen, NOW, content, tz)
    expected = replace(expected, streak=report.streak(everything, NOW, tz), week=report.week_goals(everything, NOW, content, tz),
                       trend=report.pain_trend(everything, NOW, tz=tz))
    got = report.summarize_store(fresh, NOW, content, since=since, tz=tz)
    assert got == expected
    assert got.streak >= 70 and "sauna" in report.summarize(everything, NOW, content, tz).counts


def test_stats_reads_only_recent_months_when_summaries_are_kept(tmp_path: Path, content: Content, monkeypatch: pytest.MonkeyPatch) -> None:
    from neck_tui.store import months as months_mod

    store = Store(tmp_path / "d", now=lambda: NOW)
    for d in range(0, 400, 3):
        store.add_record(rec("heat", d, before=6, after=4))
    parsed: list[int] = []
    real = months_mod.parse_month
    monkeypatch.setattr(months_mod, "parse_month", lambda raw, path: parsed.append(1) or real(raw, path))
    s = report.summarize_store(Store(tmp_path / "d", read_only=True), NOW, content, tz=UTC)
    assert s.total == len(range(0, 400, 3)) and len(parsed) <= 3


MONTH_WITH_PROBLEMS = """\
schema_version = 2

[[session]]
id = "ok"
kind = "heat"
started = 2026-11-20T09:00:00Z
ended = 2026-11-20T09:20:00Z
completed = true

[[session]]
id = "newer"
kind = "sauna"
started = 2026-11-21T09:00:00Z
ended = 2026-11-21T09:20:00Z
completed = true

[[session]]
id = "bad"
kind = "cold"
started = "yesterday"
ended = 2026-11-22T09:20:00Z
completed = true
"""


def test_cli_export_names_what_it_skipped_and_exits_5_without_touching_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    d = tmp_path / "d"
    (d / "history").mkdir(parents=True)
    month = d / "history" / "2026-11.toml"
    month.write_text(MONTH_WITH_PROBLEMS)
    (d / "history" / "2026-10.toml").write_text("not [ toml")
    before = sorted((p.name, p.stat().st_mtime_ns) for p in d.rglob("*"))
    out = tmp_path / "visit.csv"
    assert cli.main(["--data-dir", str(d), "export", "-o", str(out)]) == cli.EXIT_SKIPPED
    captured = capsys.readouterr()
    assert [row[0] for row in _rows(out.read_text())[1:]] == ["ok", "newer"]
    assert captured.out == f"Wrote 2 sessions (csv) to {out.resolve()}\n"
    lines = captured.err.splitlines()
    assert len(lines) == 3 and all(line.startswith("neck-tui export: ") for line in lines)
    assert "history/2026-10.toml was unreadable" in lines[0]
    assert "history/2026-11.toml: session 3 (id bad): started" in lines[1]
    assert lines[2] == "neck-tui export: 2 sessions exported, 1 session and 1 file skipped: see the lines above"
    assert sorted((p.name, p.stat().st_mtime_ns) for p in d.rglob("*")) == before
    assert month.read_text() == MONTH_WITH_PROBLEMS


def test_cli_stats_shows_an_unknown_kind_and_exits_5_on_a_skipped_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], utc_local: None
) -> None:
    d = tmp_path / "d"
    (d / "history").mkdir(parents=True)
    (d / "history" / "2026-11.toml").write_text(MONTH_WITH_PROBLEMS)
    assert cli.main(["--data-dir", str(d), "stats"]) == cli.EXIT_SKIPPED
    captured = capsys.readouterr()
    assert "Sessions: 2 since" in captured.out and "sauna 1" in captured.out
    assert captured.err.splitlines()[-1].startswith("neck-tui stats: 2 sessions counted, 1 session skipped: history/2026-11.toml: session 3 (id bad)")


def test_cli_reads_a_read_only_data_dir(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    d = tmp_path / "d"
    _store_with(d, [rec("heat", 1)])
    import os as os_mod

    def no_writes(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a read-only command tried to write")

    for name in ("rename", "replace", "chmod", "mkdir", "unlink"):
        monkeypatch.setattr(os_mod, name, no_writes)
    assert cli.main(["--data-dir", str(d), "stats"]) == 0
    assert cli.main(["--data-dir", str(d), "export"]) == 0
    assert "Sessions: 1 since" in capsys.readouterr().out


def test_cli_export_to_a_device_or_a_link_writes_through_and_replaces_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import os as os_mod
    import stat as stat_mod

    d = tmp_path / "d"
    _store_with(d, [rec("heat", 1)])
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    assert cli.main(["--data-dir", str(d), "export", "-o", str(link)]) == 0
    assert link.is_symlink() and real.read_text().startswith("id,kind")
    if os_mod.getuid() == 0:  # only root may make a device node: a private /dev/null
        null = tmp_path / "null"
        os_mod.mknod(null, stat_mod.S_IFCHR | 0o666, os_mod.makedev(1, 3))
        assert cli.main(["--data-dir", str(d), "export", "-o", str(null)]) == 0
        assert stat_mod.S_ISCHR(os_mod.stat(null).st_mode)
    capsys.readouterr()


# --- issue 15 points 5 and 6: stats that agree with themselves, an export a clinician can use --------


def test_cli_stats_since_after_the_last_session_says_so_and_labels_what_is_about_now(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = _store_with(tmp_path / "d", [rec("breathing", 0, before=5, after=3), rec("triage", 1, flags=["numbness"])],
                        now=lambda: datetime.now(UTC))
    later = (datetime.now(UTC) + timedelta(days=40)).date()
    assert cli.main(["--data-dir", str(store.data_dir), "stats", "--since", str(later)]) == 0
    out = capsys.readouterr().out
    assert f"No sessions from {later} on." in out
    assert "No sessions recorded yet." not in out  # there are sessions, just none chosen
    assert "Red flags" not in out and "nothing yet" in out  # what helps and the flags follow --since
    now_part = out[out.index("Now (about today and this week, whatever --since says):"):]
    assert "Streak, up to today:" in now_part and "This week (since Monday" in now_part
    assert f"Pain, last {report.TREND_DAYS} days up to today" in now_part


def test_stats_since_picks_what_helps_and_the_red_flags(
    tmp_path: Path, content: Content, capsys: pytest.CaptureFixture[str], utc_local: None
) -> None:
    store = _store_with(tmp_path / "d", [rec("heat", 10, before=8, after=2), rec("triage", 10, flags=["numbness"]),
                                         rec("heat", 1, before=5, after=4)])
    assert commands.run_stats(SimpleNamespace(since=None), store, content) == 0
    everything = capsys.readouterr().out
    assert "Heat            -3.5 (2 sessions)" in everything and "Red flags ticked in 1 triage(s)" in everything
    assert commands.run_stats(SimpleNamespace(since=str(TODAY - timedelta(days=2))), store, content) == 0
    recent = capsys.readouterr().out
    assert "Heat            -1.0 (1 session)" in recent and "Red flags" not in recent
    assert "Sessions from 2026-11-23: 1 first on 2026-11-24 (heat 1)" in recent


async def test_history_and_stats_show_the_same_numbers(
    make_app: Any, accepted_store: Store, content: Content, capsys: pytest.CaptureFixture[str], utc_local: None
) -> None:
    import re

    from textual.widgets import Static

    from neck_tui.screens.history import HistoryScreen
    from neck_tui.widgets.pain_chart import PainChart

    for r in [rec("heat", 2, before=6, after=3), rec("breathing", 1, before=5, after=4), rec("breathing", 0, hour=7),
              rec("breathing", 0, before=4, after=4), rec("exercise", 0), rec("exercise", 1, completed=False),
              rec("triage", 0, hour=6, flags=["numbness"])]:
        accepted_store.add_record(r)
    assert commands.run_stats(SimpleNamespace(since=None), accepted_store, content) == 0
    stats = capsys.readouterr().out
    app = make_app(start="history")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        for _ in range(2000):
            await app.workers.wait_for_complete()
            await pilot.pause()
            if screen.fully_shown:
                break
        summary = str(screen.query_one("#history-summary", Static).render())
        helps = str(screen.query_one("#history-helps", Static).render())
        chart = screen.query_one(PainChart).text

    def found(pattern: str, text: str) -> tuple[str, ...]:
        match = re.search(pattern, text)
        assert match, (pattern, text)
        return match.groups()

    assert found(r"Streak\s+(\d+) days? in a row", summary) == found(r"Streak, up to today: (\d+) days? in a row", stats)
    assert found(r"Breathing\s+(\d+) today, goal ([\d-]+); (\d+)/(\d+) days met", summary) == found(
        r"Breathing\s+(\d+) today \(goal ([\d-]+) a day\); met on (\d+) of (\d+) days", stats)
    assert found(r"Exercises\s+(\d+) of (\d+) days", summary) == found(r"Exercises\s+on (\d+) of (\d+) days", stats)
    history_helps = re.findall(r"(\w+)\s+([-+]?\d\.\d) \((\d+)\)", helps)
    stats_helps = re.findall(r"^  (\w+)\s+([-+]?\d\.\d) \((\d+) sessions?\)$", stats, re.M)
    assert history_helps == stats_helps and len(stats_helps) == 2
    assert found(r"(\d\.\d) → (\d\.\d)", chart) == found(r"(\d\.\d) on \w+ \d+ -> (\d\.\d) on", stats)


def _clinic_history() -> list[Record]:
    checks = [{"at": datetime.combine(TODAY - timedelta(days=3), datetime.min.time(), UTC) + timedelta(hours=9, minutes=12),
               "when": "during", "phase": "heat", "round": 1, "answer": "problem"},
              {"at": datetime.combine(TODAY - timedelta(days=3), datetime.min.time(), UTC) + timedelta(hours=9, minutes=2),
               "when": "before", "phase": "heat", "round": 1, "answer": "ok"}]
    return [
        rec("triage", 3, before=8, flags=["dizziness_falls"], urgent=True, outcome="red_flag",
            choice="continue_self_care", then="heat"),
        rec("heat", 3, hour=9, before=6, after=4, completed=False, stopped="skin problem", skin_checks=checks),
        rec("triage", 2, before=4, flags=["radiating_pain"], urgent=False, outcome="red_flag", choice="see_provider"),
        rec("exercise", 1, before=5, after=6, completed=False, stopped="pain", exercise="chin_tucks", title="Daily routine"),
        rec("breathing", 1, before=5, after=3), rec("breathing", 1, hour=12), rec("breathing", 0),
        rec("exercise", 0), rec("exercise", 9), rec("exercise", 8),
    ]


def test_markdown_lists_what_a_clinician_needs(content: Content) -> None:
    md = export.to_markdown(_clinic_history(), NOW, content, tz=UTC)
    flags = {f.id: f for f in content.red_flags}
    # Red-flag triages, what the person chose and what followed; the urgent tier's basis.
    assert f"that tier is {content.urgent_tier.label}: {content.urgent_tier.note}" in md
    urgent = md[md.index(f"- 2026-11-22 08:00: {flags['dizziness_falls'].text} (urgent)"):]
    assert urgent.splitlines()[1:5] == [
        "  - You went on to self-care anyway", "  - Then you opened Heat",
        "  - Sessions in the next 12 h: Heat at 2026-11-22 09:00",
        "  - **Went on to self-care after an urgent flag.**"]
    plain = md[md.index(f"- 2026-11-23 08:00: {flags['radiating_pain'].text}"):]
    assert plain.splitlines()[1] == "  - You will contact a healthcare provider"
    assert md.count("Went on to self-care after an urgent flag") == 1
    # Skin problems and stops for pain.
    assert "- 2026-11-22 09:12: Heat, round 1, HEAT (during): skin problem; the application ended" in md
    assert md.count("skin problem;") == 1 and content.notice.skin_problem_advice in md
    assert "- 2026-11-24 08:00: Daily routine, in Chin tucks; pain after 6/10" in md
    # Pain before and after per kind.
    assert "| Heat | 1 | 6.0 | 4.0 | -2.0 |" in md and "| Exercise | 1 | 5.0 | 6.0 | +1.0 |" in md
    assert "| Breathing | 1 | 5.0 | 3.0 | -2.0 |" in md
    # Adherence per week against the content's goals (breathing 1-2 a day, exercises 2 days a week).
    assert "breathing 1-2 sessions a day; exercises on at least 2 days a week" in md
    assert "| 2026-11-16 | 7 | 0 | 0 of 7 | 2 | met |" in md  # the 16th and 17th
    assert "| 2026-11-23 | 3 | 3 | 2 of 3 | 1 | not met |" in md  # the stopped exercise does not count


def test_markdown_of_a_quiet_period_says_none(content: Content) -> None:
    md = export.to_markdown([rec("heat", 1)], NOW, content, tz=UTC)
    for heading in ("## Red-flag triages", "## Skin problems", "## Sessions stopped for pain"):
        assert md[md.index(heading):].split("\n## ")[0].rstrip().endswith("None recorded in this period.")
    assert "No sessions with pain rated before and after." in md


def test_cli_export_markdown_since_keeps_the_period(tmp_path: Path, content: Content, capsys: pytest.CaptureFixture[str]) -> None:
    store = _store_with(tmp_path / "d", _clinic_history(), now=lambda: NOW)
    args = SimpleNamespace(since=str(TODAY - timedelta(days=2)), format="markdown", output=None)
    assert commands.run_export(args, store, content) == 0
    md = capsys.readouterr().out
    assert "Period: 2026-11-23 to 2026-11-25. Sessions: 6." in md
    assert "dizziness" not in md.lower().split("## red-flag triages")[1].split("## skin")[0]  # before --since
    assert "## Skin problems\n\nNone recorded in this period." in md
    assert "Daily routine, in Chin tucks" in md
    assert "| 2026-11-23 | 3 | 3 | 2 of 3 | 1 | not met |" in md and "2026-11-16" not in md
