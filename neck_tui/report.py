"""What the history adds up to, and the `export` and `stats` subcommands. No Textual here.

The summary functions are pure: they take records (any order), a `now` (aware datetime) and a
time zone (None: the system's local zone) and return plain values, so the history screen, `stats`
and `export --format markdown` all say the same thing. Rules:

- A *day* is a local calendar day; a session belongs to the day it started.
- Streak: consecutive days, ending today, with at least one session of any kind but triage
  (completed or not). If there is none yet today, the streak ending yesterday still counts.
- This week: Monday to today. Goals count completed sessions only: breathing (goal met on a day
  with at least `daily_goal_min`), exercise days (goal `weekly_goal_days`), posture breaks taken.
- Pain trend: the average of every pain rating (before and after) given on each of the last 30
  days; days without a rating are left out (not carried forward).
- What helps: the average pain drop (before minus after) per kind, with the number of sessions
  that had both ratings (insights.pain_drop_by_kind).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from neck_tui import insights
from neck_tui.activities import KINDS, kind_label
from neck_tui.cli import EXIT_OK, EXIT_USAGE, register_command
from neck_tui.store import Record, Store, write_atomic

if TYPE_CHECKING:
    from neck_tui.content import Content

TREND_DAYS = 30
CSV_COLUMNS = ("id", "kind", "started", "ended", "duration_min", "completed", "pain_before", "pain_after", "details")
NOT_ADVICE = (
    "Self-reported with neck-tui, an education and self-care support app. "
    "This summary is not medical advice and not a diagnosis."
)
_BARS = "▁▂▃▄▅▆▇█"


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of `moment` in tz (None: the system's local zone)."""
    return moment.astimezone(tz).date()


# --- summaries ----------------------------------------------------------------------------------


def streak(records: Iterable[Record], now: datetime, tz: tzinfo | None = None) -> int:
    """Days in a row, up to today (or yesterday if nothing yet today), with a non-triage session."""
    days = {local_day(r.started, tz) for r in records if r.kind != "triage"}
    day = local_day(now, tz)
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


@dataclass(frozen=True)
class WeekGoals:
    """This week (Monday to today) against the goals from content."""

    week_start: date
    today: date
    breathing_today: int
    breathing_min: int
    breathing_max: int
    breathing_days_met: int  # days this week with at least breathing_min completed sessions
    exercise_days: int
    exercise_goal_days: int
    posture_breaks: int  # completed posture breaks this week

    @property
    def days_so_far(self) -> int:
        return (self.today - self.week_start).days + 1

    @property
    def exercise_met(self) -> bool:
        return self.exercise_days >= self.exercise_goal_days

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) pairs, the same words on the screen and in `stats`."""
        low, high = self.breathing_min, self.breathing_max
        goal = f"{low}-{high}" if high > low else f"{low}"
        return [
            (
                "Breathing",
                f"{self.breathing_today} today (goal {goal} a day); "
                f"met on {self.breathing_days_met} of {self.days_so_far} days",
            ),
            (
                "Exercises",
                f"on {self.exercise_days} of {self.exercise_goal_days} days"
                + (" - goal met" if self.exercise_met else ""),
            ),
            ("Posture breaks", f"{self.posture_breaks} taken"),
        ]


def week_goals(records: Iterable[Record], now: datetime, content: "Content", tz: tzinfo | None = None) -> WeekGoals:
    today = local_day(now, tz)
    start = today - timedelta(days=today.weekday())
    breathing: Counter[date] = Counter()
    exercise_days: set[date] = set()
    breaks = 0
    for r in records:
        if not r.completed:
            continue
        day = local_day(r.started, tz)
        if not start <= day <= today:
            continue
        if r.kind == "breathing":
            breathing[day] += 1
        elif r.kind == "exercise":
            exercise_days.add(day)
        elif r.kind == "posture_break":
            breaks += 1
    low = content.breathing.daily_goal_min
    return WeekGoals(
        week_start=start,
        today=today,
        breathing_today=breathing[today],
        breathing_min=low,
        breathing_max=content.breathing.daily_goal_max,
        breathing_days_met=sum(1 for n in breathing.values() if n >= low),
        exercise_days=len(exercise_days),
        exercise_goal_days=content.exercise_info.weekly_goal_days,
        posture_breaks=breaks,
    )


@dataclass(frozen=True)
class DayPain:
    day: date
    average: float
    ratings: int


def pain_trend(
    records: Iterable[Record], now: datetime, days: int = TREND_DAYS, tz: tzinfo | None = None
) -> list[DayPain]:
    """Daily average pain over the last `days` days (today included), oldest first; days without
    a rating are left out."""
    today = local_day(now, tz)
    first = today - timedelta(days=days - 1)
    values: dict[date, list[int]] = {}
    for r in records:
        day = local_day(r.started, tz)
        if first <= day <= today:
            for v in (r.pain_before, r.pain_after):
                if v is not None:
                    values.setdefault(day, []).append(v)
    return [DayPain(d, sum(v) / len(v), len(v)) for d, v in sorted(values.items())]


def pain_by_month(records: Iterable[Record], tz: tzinfo | None = None) -> list[tuple[str, float, int]]:
    """("YYYY-MM", average pain, number of ratings) per local month that has ratings."""
    values: dict[str, list[int]] = {}
    for r in records:
        month = r.started.astimezone(tz).strftime("%Y-%m")
        for v in (r.pain_before, r.pain_after):
            if v is not None:
                values.setdefault(month, []).append(v)
    return [(m, sum(v) / len(v), len(v)) for m, v in sorted(values.items())]


@dataclass(frozen=True)
class Helps:
    kind: str
    drop: float  # average of pain_before - pain_after; positive means pain went down
    sessions: int


def what_helps(records: Iterable[Record]) -> list[Helps]:
    """Average pain drop per kind, biggest drop first (ties: more sessions first)."""
    drops = insights.pain_drop_by_kind(records)
    out = [Helps(kind, drop, n) for kind, (drop, n) in drops.items()]
    return sorted(out, key=lambda h: (-h.drop, -h.sessions, h.kind))


def red_flag_triages(records: Iterable[Record]) -> list[Record]:
    """Triages in which any red flag was ticked, oldest first."""
    return sorted((r for r in records if r.kind == "triage" and r.details.get("flags")), key=lambda r: r.started)


@dataclass(frozen=True)
class Summary:
    now: datetime
    total: int
    first: datetime | None
    last: datetime | None
    counts: dict[str, int]
    completed: dict[str, int]
    streak: int
    week: WeekGoals
    trend: list[DayPain]
    helps: list[Helps]
    red_flags: list[Record] = field(default_factory=list)


def summarize(records: Sequence[Record], now: datetime, content: "Content", tz: tzinfo | None = None) -> Summary:
    counts: Counter[str] = Counter(r.kind for r in records)
    completed: Counter[str] = Counter(r.kind for r in records if r.completed)
    starts = [r.started for r in records]
    return Summary(
        now=now,
        total=len(records),
        first=min(starts) if starts else None,
        last=max(starts) if starts else None,
        counts={k: counts[k] for k in KINDS if counts[k]},
        completed={k: completed[k] for k in counts},
        streak=streak(records, now, tz),
        week=week_goals(records, now, content, tz),
        trend=pain_trend(records, now, tz=tz),
        helps=what_helps(records),
        red_flags=red_flag_triages(records),
    )


# --- words --------------------------------------------------------------------------------------


def streak_text(days: int) -> str:
    if days == 0:
        return "none yet; any self-care session today starts one"
    return f"{days} day{'s' if days != 1 else ''} in a row with a self-care session"


def helps_text(h: Helps) -> str:
    """'-2.3 (12 sessions)': the average change in pain, negative when pain went down."""
    return f"{signed(-h.drop)} ({h.sessions} session{'s' if h.sessions != 1 else ''})"


def signed(value: float) -> str:
    """One decimal with its sign; no sign for zero."""
    text = f"{value:+.1f}"
    return "0.0" if text in ("+0.0", "-0.0") else text


def trend_bars(trend: Sequence[DayPain]) -> str:
    """One bar per rated day on a fixed 0-10 scale (unlike Textual's Sparkline, which rescales)."""
    return "".join(_BARS[min(len(_BARS) - 1, round(p.average / 10 * (len(_BARS) - 1)))] for p in trend)


def trend_text(trend: Sequence[DayPain]) -> str:
    if not trend:
        return f"no pain ratings in the last {TREND_DAYS} days"
    first, last = trend[0], trend[-1]
    rated = f"{len(trend)} day{'s' if len(trend) != 1 else ''} rated"
    if len(trend) == 1:
        return f"{last.average:.1f} on {last.day:%b %d} ({rated})"
    return f"{first.average:.1f} on {first.day:%b %d} -> {last.average:.1f} on {last.day:%b %d} ({rated})"


def stats_text(s: Summary) -> str:
    lines = [f"neck-tui summary, {s.now.astimezone():%Y-%m-%d %H:%M}"]
    if s.total == 0:
        lines.append("No sessions recorded yet.")
    else:
        assert s.first is not None
        per_kind = ", ".join(f"{kind_label(k).lower()} {n}" for k, n in s.counts.items())
        lines.append(f"Sessions: {s.total} since {s.first.astimezone():%Y-%m-%d} ({per_kind})")
    lines += ["", f"Streak: {streak_text(s.streak)}"]
    lines.append(f"This week (since Monday {s.week.week_start:%Y-%m-%d}):")
    lines += [f"  {label:<15} {text}" for label, text in s.week.lines()]
    lines += ["", f"Pain, last {TREND_DAYS} days (average of your 0-10 ratings per day):"]
    lines.append(f"  {trend_text(s.trend)}")
    if s.trend:
        lines.append(f"  {trend_bars(s.trend)}")
    lines += ["", "What helps you (average change in pain after a session):"]
    if s.helps:
        lines += [f"  {kind_label(h.kind):<15} {helps_text(h)}" for h in s.helps]
    else:
        lines.append("  nothing yet: rate your pain before and after a session to see this")
    if s.red_flags:
        last = s.red_flags[-1]
        lines += ["", f"Red flags ticked in {len(s.red_flags)} triage(s), last on {last.started.astimezone():%Y-%m-%d}."]
    return "\n".join(lines) + "\n"


# --- export -------------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_csv(records: Iterable[Record]) -> str:
    """Every record, one row each, oldest first; times in UTC; details as compact JSON."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for r in sorted(records, key=lambda r: r.started):
        writer.writerow(
            [
                r.id,
                r.kind,
                _iso(r.started),
                _iso(r.ended),
                f"{r.duration_s / 60:.1f}",
                "true" if r.completed else "false",
                "" if r.pain_before is None else r.pain_before,
                "" if r.pain_after is None else r.pain_after,
                json.dumps(r.details, sort_keys=True, separators=(",", ":"), default=str),
            ]
        )
    return out.getvalue()


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _flag_words(record: Record, content: "Content") -> str:
    flags = record.details.get("flags")
    ids = [flags] if isinstance(flags, str) else list(flags) if isinstance(flags, (list, tuple)) else [str(flags)]
    texts = {f.id: f.text + (" (urgent)" if f.urgent else "") for f in content.red_flags}
    return "; ".join(texts.get(str(i), str(i)) for i in ids)


def to_markdown(
    records: Sequence[Record], now: datetime, content: "Content", since: date | None = None, tz: tzinfo | None = None
) -> str:
    """A printable summary for a clinician."""
    s = summarize(records, now, content, tz)
    today = local_day(now, tz)
    start = since or (local_day(s.first, tz) if s.first else today)
    out = ["# Neck self-care summary", ""]
    out.append(f"Period: {start:%Y-%m-%d} to {today:%Y-%m-%d}. Sessions: {s.total}. Generated {today:%Y-%m-%d}.")
    out += ["", f"_{NOT_ADVICE}_", ""]

    out += ["## Sessions by kind", ""]
    if s.total:
        out += ["| Kind | Sessions | Completed |", "| --- | ---: | ---: |"]
        out += [f"| {_cell(kind_label(k))} | {n} | {s.completed.get(k, 0)} |" for k, n in s.counts.items()]
    else:
        out.append("No sessions in this period.")
    out.append("")

    out += [f"## Pain, last {TREND_DAYS} days", "", "Average of the 0-10 ratings given each day; days without a rating are left out.", ""]
    if s.trend:
        out += ["| Date | Average pain | Ratings |", "| --- | ---: | ---: |"]
        out += [f"| {p.day:%Y-%m-%d} | {p.average:.1f} | {p.ratings} |" for p in s.trend]
    else:
        out.append("No pain ratings in these days.")
    out.append("")

    months = pain_by_month(records, tz)
    if len(months) > 1:
        out += ["## Pain by month", "", "| Month | Average pain | Ratings |", "| --- | ---: | ---: |"]
        out += [f"| {m} | {avg:.1f} | {n} |" for m, avg, n in months]
        out.append("")

    out += ["## What helps", "", "Average change in pain (after minus before) per kind of session, and how many sessions had both ratings.", ""]
    if s.helps:
        out += ["| Kind | Average change | Sessions |", "| --- | ---: | ---: |"]
        out += [f"| {_cell(kind_label(h.kind))} | {signed(-h.drop)} | {h.sessions} |" for h in s.helps]
    else:
        out.append("No sessions with pain rated before and after.")
    out.append("")

    out += ["## Red-flag triages", ""]
    if s.red_flags:
        out += [f"- {r.started.astimezone(tz):%Y-%m-%d %H:%M}: {_cell(_flag_words(r, content))}" for r in s.red_flags]
    else:
        out.append("None recorded in this period.")
    out += ["", "---", "", NOT_ADVICE, ""]
    return "\n".join(out)


# --- subcommands --------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_since(text: str | None) -> date | None:
    """A YYYY-MM-DD date, or ValueError with a one-line reason."""
    if text is None:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since: {text!r} is not a date; use YYYY-MM-DD, for example 2026-01-31") from None


def _records_since(store: Store, since: date | None) -> list[Record]:
    if since is None:
        return store.records()
    # Local midnight, as an aware datetime: unambiguous whatever the store does with plain dates.
    cutoff = datetime.combine(since, time.min).astimezone()
    return [r for r in store.records(since=cutoff) if r.started >= cutoff]


def _add_since(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions from this (local) day on")


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("csv", "markdown"),
        default="csv",
        help="csv: every session, for a spreadsheet (default); markdown: a printable summary for a clinician",
    )
    _add_since(parser)
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE (replacing it) instead of stdout")


def _run_export(args: argparse.Namespace, store: Store, content: "Content") -> int:
    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(f"neck-tui export: {exc}", file=sys.stderr)
        return EXIT_USAGE
    records = _records_since(store, since)
    if args.format == "csv":
        text = to_csv(records)
    else:
        text = to_markdown(records, store.now(), content, since=since)
    output: Path | None = args.output
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return EXIT_OK
    path = output.expanduser()
    if path.is_dir():
        print(f"neck-tui export: {path} is a directory; give a file name", file=sys.stderr)
        return EXIT_USAGE
    try:
        write_atomic(path, text.encode("utf-8"))
    except OSError as exc:
        print(f"neck-tui export: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    what = "session" if len(records) == 1 else "sessions"
    print(f"Wrote {len(records)} {what} ({args.format}) to {path.resolve()}")
    return EXIT_OK


def _run_stats(args: argparse.Namespace, store: Store, content: "Content") -> int:
    try:
        since = parse_since(args.since)
    except ValueError as exc:
        print(f"neck-tui stats: {exc}", file=sys.stderr)
        return EXIT_USAGE
    now = store.now()
    summary = summarize(_records_since(store, since), now, content)
    if since is not None:
        # --since picks the sessions counted, but the streak and this week are about now: a
        # streak that began before --since is not cut short, nor a week that began before it.
        everything = store.records()
        summary = replace(summary, streak=streak(everything, now), week=week_goals(everything, now, content))
    sys.stdout.write(stats_text(summary))
    return EXIT_OK


register_command(
    "export",
    "export your history: CSV for a spreadsheet or a Markdown summary for a clinician",
    _configure_export,
    _run_export,
)
register_command("stats", "print the history summary: streak, goals, pain trend, what helps", _add_since, _run_stats)
