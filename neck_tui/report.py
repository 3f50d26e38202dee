"""What the history adds up to. Pure: no argparse, no printing, no Textual (the formats are in
neck_tui.export, the `stats`/`export` subcommands in neck_tui.commands).

The summary functions they take records (any order), a `now` (aware datetime) and a
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

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from neck_tui.activities import KINDS, kind_label
from neck_tui.store import MonthSummary, Record
from neck_tui.store.summary import drop_sums, flagged

if TYPE_CHECKING:
    from neck_tui.content import Content
    from neck_tui.store import Store

__all__ = ["kind_label"]  # re-exported: History reads labels from here
TREND_DAYS = 30
_BARS = "▁▂▃▄▅▆▇█"


def local_day(moment: datetime, tz: tzinfo | None = None) -> date:
    """The calendar day of `moment` in tz (None: the system's local zone)."""
    return moment.astimezone(tz).date()


# --- summaries ----------------------------------------------------------------------------------


def streak(records: Iterable[Record], now: datetime, tz: tzinfo | None = None) -> int:
    """Days in a row, up to today (or yesterday if nothing yet today), with a non-triage session."""
    return streak_of_days({local_day(r.started, tz) for r in records if r.kind != "triage"}, now, tz)


def streak_of_days(days: set[date], now: datetime, tz: tzinfo | None = None) -> int:
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
    return _helps(drop_sums(records))


def _helps(sums: Mapping[str, tuple[float, int]]) -> list[Helps]:
    out = [Helps(kind, total / n, n) for kind, (total, n) in sums.items() if n]
    return sorted(out, key=lambda h: (-h.drop, -h.sessions, h.kind))


def red_flag_triages(records: Iterable[Record]) -> list[Record]:
    """Triages in which any red flag was ticked, oldest first."""
    return sorted((r for r in records if flagged(r)), key=lambda r: r.started)


@dataclass(frozen=True)
class PainPair:
    """Pain before and after for one kind, over the sessions rated both times."""

    kind: str
    sessions: int
    before: float
    after: float


def pain_pairs(records: Iterable[Record]) -> list[PainPair]:
    """Average pain before and after per kind (not triage), in the registry's order."""
    sums: dict[str, tuple[int, int, int]] = {}
    for r in records:
        if r.kind != "triage" and r.pain_before is not None and r.pain_after is not None:
            n, b, a = sums.get(r.kind, (0, 0, 0))
            sums[r.kind] = (n + 1, b + r.pain_before, a + r.pain_after)
    out = []
    for kind in _ordered({k: v[0] for k, v in sums.items()}):
        n, before, after = sums[kind]
        out.append(PainPair(kind, n, before / n, after / n))
    return out


def skin_problems(records: Iterable[Record]) -> list[tuple[Record, dict]]:
    """Every skin check answered "problem", with its session, oldest first."""
    return [(r, c) for r in sorted(records, key=lambda r: r.started)
            for c in r.details.get("skin_checks") or [] if isinstance(c, dict) and c.get("answer") == "problem"]


def stopped_for_pain(records: Iterable[Record]) -> list[Record]:
    """Sessions ended early because it hurt ("it hurts", h), oldest first."""
    return sorted((r for r in records if r.details.get("stopped") == "pain"), key=lambda r: r.started)


FOLLOW_HOURS = 12  # what followed a triage: the sessions started in the next 12 hours


def followed(triage: Record, records: Iterable[Record], hours: float = FOLLOW_HOURS) -> list[Record]:
    """The sessions (not triages) started within `hours` after a triage, oldest first."""
    end = triage.started + timedelta(hours=hours)
    return sorted((r for r in records if r.kind != "triage" and triage.started < r.started <= end),
                  key=lambda r: r.started)


@dataclass(frozen=True)
class WeekAdherence:
    """One week (Monday on) of a period against the content's goals; `days` are those in the period."""

    week_start: date
    days: int
    breathing_sessions: int
    breathing_days_met: int
    exercise_days: int


def weekly_adherence(records: Iterable[Record], first: date, last: date, goal_min: int,
                     tz: tzinfo | None = None) -> list[WeekAdherence]:
    """Completed breathing and exercise sessions per week from `first` to `last` (local days)."""
    breathing: Counter[date] = Counter()
    exercise: set[date] = set()
    for r in records:
        day = local_day(r.started, tz)
        if r.completed and first <= day <= last:
            if r.kind == "breathing":
                breathing[day] += 1
            elif r.kind == "exercise":
                exercise.add(day)
    weeks = []
    monday = first - timedelta(days=first.weekday())
    while monday <= last:
        days = [d for d in (monday + timedelta(days=i) for i in range(7)) if first <= d <= last]
        weeks.append(WeekAdherence(monday, len(days), sum(breathing[d] for d in days),
                                   sum(1 for d in days if breathing[d] >= goal_min), sum(1 for d in days if d in exercise)))
        monday += timedelta(days=7)
    return weeks


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
    return _summary(MonthSummary.of(records), records, now, content, tz)


def _ordered(counts: Mapping[str, int]) -> dict[str, int]:
    """Known kinds in the registry's order, then any unknown (newer) kinds by name."""
    order = [k for k in KINDS if counts.get(k)] + sorted(k for k in counts if k not in KINDS and counts[k])
    return {k: counts[k] for k in order}


def _summary(
    sums: MonthSummary,
    recent: Sequence[Record],
    now: datetime,
    content: "Content",
    tz: tzinfo | None,
    days: set[date] | None = None,
) -> Summary:
    """The Summary from sums over the chosen records, with this week and the trend from `recent`
    (which must hold at least the last TREND_DAYS days) and the streak from `days`."""
    return Summary(
        now=now,
        total=sums.total,
        first=sums.first,
        last=sums.last,
        counts=_ordered(sums.counts),
        completed={k: sums.completed[k] for k in _ordered(sums.counts)},
        streak=streak_of_days(sums.active_days(tz) if days is None else days, now, tz),
        week=week_goals(recent, now, content, tz),
        trend=pain_trend(recent, now, tz=tz),
        helps=_helps(sums.drops),
        red_flags=list(sums.red_flags),
    )


def local_midnight(day: date, tz: tzinfo | None = None) -> datetime:
    """00:00 of a local day as an aware datetime (tz None: the system's zone)."""
    midnight = datetime.combine(day, time.min)
    return midnight.replace(tzinfo=tz) if tz is not None else midnight.astimezone()


def summarize_store(
    store: "Store", now: datetime, content: "Content", since: date | None = None, tz: tzinfo | None = None
) -> Summary:
    """summarize() over the store's sessions (from the local day `since` on, if given), reading
    only recent month files: older months come from their kept summaries. The streak and this
    week are about now, so they count sessions before `since` too."""
    today = local_day(now, tz)
    recent_cut = local_midnight(today - timedelta(days=TREND_DAYS + 7), tz)
    since_cut = None if since is None else local_midnight(since, tz)
    cut = recent_cut if since_cut is None else min(recent_cut, since_cut)
    first_month = cut.astimezone(timezone.utc).strftime("%Y-%m")
    parsed = store.records(since=datetime.strptime(first_month, "%Y-%m").replace(tzinfo=timezone.utc))
    older = MonthSummary()
    for _month, kept in store.summaries(before=first_month):
        older.merge(kept)
    days = older.active_days(tz) | {local_day(r.started, tz) for r in parsed if r.kind != "triage"}
    if since_cut is None:
        older.merge(MonthSummary.of(parsed))
        sums = older
    else:
        sums = MonthSummary.of(r for r in parsed if r.started >= since_cut)
    recent = [r for r in parsed if r.started >= recent_cut]
    return _summary(sums, recent, now, content, tz, days)


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


def stats_text(s: Summary, since: date | None = None) -> str:
    """What `stats` prints. The sessions, what helps and the red flags are those chosen (from
    `since` on); the streak, this week and the pain trend are about now, and say so."""
    lines = [f"neck-tui summary, {s.now.astimezone():%Y-%m-%d %H:%M}"]
    chosen = "" if since is None else f" from {since:%Y-%m-%d}"
    if s.total == 0:
        lines.append("No sessions recorded yet." if since is None else f"No sessions{chosen} on.")
    else:
        assert s.first is not None
        per_kind = ", ".join(f"{kind_label(k).lower()} {n}" for k, n in s.counts.items())
        first = f"first on {s.first.astimezone():%Y-%m-%d}" if since else f"since {s.first.astimezone():%Y-%m-%d}"
        lines.append(f"Sessions{chosen}: {s.total} {first} ({per_kind})")
    lines += ["", f"What helps you{chosen} (average change in pain after a session):"]
    if s.helps:
        lines += [f"  {kind_label(h.kind):<15} {helps_text(h)}" for h in s.helps]
    else:
        lines.append("  nothing yet: rate your pain before and after a session to see this")
    if s.red_flags:
        last = s.red_flags[-1]
        lines += ["", f"Red flags ticked{chosen} in {len(s.red_flags)} triage(s), last on {last.started.astimezone():%Y-%m-%d}."]
    lines += ["", "Now (about today and this week, whatever --since says):" if since else "Now:"]
    lines.append(f"Streak, up to today: {streak_text(s.streak)}")
    lines.append(f"This week (since Monday {s.week.week_start:%Y-%m-%d}):")
    lines += [f"  {label:<15} {text}" for label, text in s.week.lines()]
    lines.append(f"Pain, last {TREND_DAYS} days up to today (average of your 0-10 ratings per day):")
    lines.append(f"  {trend_text(s.trend)}")
    if s.trend:
        lines.append(f"  {trend_bars(s.trend)}")
    return "\n".join(lines) + "\n"
