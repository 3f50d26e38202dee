"""Export formats of the history: CSV (every session, for a spreadsheet) and a Markdown summary
for a clinician. Pure: text in, text out; no argparse, no printing, no Textual.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Iterable, Sequence

from neck_tui import record_text, report
from neck_tui.activities import kind_label
from neck_tui.store import Record

if TYPE_CHECKING:
    from neck_tui.content import Content

CSV_COLUMNS = ("id", "kind", "started", "ended", "duration_min", "completed", "pain_before", "pain_after", "details")
NOT_ADVICE = (
    "Self-reported with neck-tui, an education and self-care support app. "
    "This summary is not medical advice and not a diagnosis."
)


def _iso(moment: datetime) -> str:
    if moment.tzinfo is not timezone.utc:
        moment = moment.astimezone(timezone.utc)
    return moment.isoformat(timespec="seconds").replace("+00:00", "Z")


_DETAILS = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str).encode


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
                _DETAILS(r.details) if r.details else "{}",
            ]
        )
    return out.getvalue()


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _table(columns: Sequence[str], rows: Sequence[Sequence[object]], empty: str) -> list[str]:
    """A Markdown table (the first column left-aligned, the figures right), or `empty` when there
    are no rows; a blank line after either."""
    if not rows:
        return [empty, ""]
    return ["| " + " | ".join(columns) + " |", "| --- |" + " ---: |" * (len(columns) - 1),
            *("| " + " | ".join(str(cell) for cell in row) + " |" for row in rows), ""]


def _flag_words(record: Record, content: "Content") -> str:
    flags = record.details.get("flags")
    ids = [flags] if isinstance(flags, str) else list(flags) if isinstance(flags, (list, tuple)) else [str(flags)]
    texts = {f.id: f.text + (" (urgent)" if f.urgent else "") for f in content.red_flags}
    return "; ".join(texts.get(str(i), str(i)) for i in ids)


def to_markdown(
    records: Sequence[Record], now: datetime, content: "Content", since: date | None = None, tz: tzinfo | None = None
) -> str:
    """A printable summary for a clinician."""
    s = report.summarize(records, now, content, tz)
    today = report.local_day(now, tz)
    start = since or (report.local_day(s.first, tz) if s.first else today)
    out = ["# Neck self-care summary", ""]
    out.append(f"Period: {start:%Y-%m-%d} to {today:%Y-%m-%d}. Sessions: {s.total}. Generated {today:%Y-%m-%d}.")
    out += ["", f"_{NOT_ADVICE}_", ""]

    out += ["## Sessions by kind", ""]
    out += _table(["Kind", "Sessions", "Completed"],
                  [[_cell(kind_label(k)), n, s.completed.get(k, 0)] for k, n in s.counts.items()],
                  "No sessions in this period.")

    out += [f"## Pain, last {report.TREND_DAYS} days", "", "Average of the 0-10 ratings given each day; days without a rating are left out.", ""]
    out += _table(["Date", "Average pain", "Ratings"],
                  [[f"{p.day:%Y-%m-%d}", f"{p.average:.1f}", p.ratings] for p in s.trend],
                  "No pain ratings in these days.")

    months = report.pain_by_month(records, tz)
    if len(months) > 1:
        out += ["## Pain by month", ""]
        out += _table(["Month", "Average pain", "Ratings"], [[m, f"{avg:.1f}", n] for m, avg, n in months], "")

    out += ["## What helps", "", "Average change in pain (after minus before) per kind of session, and how many sessions had both ratings.", ""]
    out += _table(["Kind", "Average change", "Sessions"],
                  [[_cell(kind_label(h.kind)), report.signed(-h.drop), h.sessions] for h in s.helps],
                  "No sessions with pain rated before and after.")

    out += ["## Pain before and after, per kind", "", "Sessions with pain rated both before and after; averages of the 0-10 ratings.", ""]
    pairs = report.pain_pairs(records)
    out += _table(["Kind", "Sessions", "Before", "After", "Change"],
                  [[_cell(kind_label(p.kind)), p.sessions, f"{p.before:.1f}", f"{p.after:.1f}",
                    report.signed(p.after - p.before)] for p in pairs],
                  "No sessions with pain rated before and after.")

    out += _red_flags(records, s.red_flags, content, tz)
    out += _safety_stops(records, content, tz)
    out += _adherence(records, start, today, content, tz)
    out += ["---", "", NOT_ADVICE, ""]
    return "\n".join(out)


def _when(record: Record, tz: tzinfo | None) -> str:
    return f"{record.started.astimezone(tz):%Y-%m-%d %H:%M}"


def _red_flags(records: Sequence[Record], triages: Sequence[Record], content: "Content", tz: tzinfo | None) -> list[str]:
    """Each red-flag triage, what the person chose and the sessions that followed it."""
    tier = content.urgent_tier
    out = ["## Red-flag triages", "",
           f"Flags marked (urgent) advise urgent care now; that tier is {tier.label}: {tier.note}", ""]
    if not triages:
        return [*out, "None recorded in this period.", ""]
    for r in triages:
        out.append(f"- {_when(r, tz)}: {_cell(_flag_words(r, content))}")
        out += [f"  - {_cell(line)}" for line in record_text.choice_lines(r.details)]
        after = report.followed(r, records)
        if after:
            done = ", ".join(f"{kind_label(a.kind)} at {_when(a, tz)}" for a in after)
            out.append(f"  - Sessions in the next {report.FOLLOW_HOURS} h: {_cell(done)}")
        if r.details.get("urgent") and (after or r.details.get("choice") == "continue_self_care"):
            out.append("  - **Went on to self-care after an urgent flag.**")
    return [*out, ""]


def _safety_stops(records: Sequence[Record], content: "Content", tz: tzinfo | None) -> list[str]:
    """Skin problems in heat/cold/contrast, and sessions stopped because they hurt."""
    out = ["## Skin problems", ""]
    problems = report.skin_problems(records)
    for r, check in problems:
        at = check.get("at")
        when = f"{at.astimezone(tz):%Y-%m-%d %H:%M}" if isinstance(at, datetime) else _when(r, tz)
        phase = record_text.PHASES.get(str(check.get("phase")), str(check.get("phase", "")))
        out.append(f"- {when}: {kind_label(r.kind)}, round {check.get('round', 1)}, {phase} "
                   f"({check.get('when', '')}): skin problem; the application ended")
    if problems:
        out.append(f"  - Advised each time: {_cell(content.notice.skin_problem_advice)}")
    else:
        out.append("None recorded in this period.")
    out += ["", "## Sessions stopped for pain", ""]
    names = {e.id: e.name for e in content.exercises}
    stopped = report.stopped_for_pain(records)
    for r in stopped:
        what = str(r.details.get("title") or kind_label(r.kind))
        where = f", in {names.get(str(r.details['exercise']), str(r.details['exercise']))}" if r.details.get("exercise") else ""
        pain = "" if r.pain_after is None else f"; pain after {r.pain_after}/10"
        out.append(f"- {_when(r, tz)}: {_cell(what)}{_cell(where)}{pain}")
    if not stopped:
        out.append("None recorded in this period.")
    return [*out, ""]


def _adherence(records: Sequence[Record], first: date, last: date, content: "Content", tz: tzinfo | None) -> list[str]:
    """Completed breathing and exercise sessions per week against the content's goals."""
    low, high = content.breathing.daily_goal_min, content.breathing.daily_goal_max
    goal_days = content.exercise_info.weekly_goal_days
    per_day = f"{low}-{high}" if high > low else f"{low}"
    out = ["## Adherence per week", "",
           f"Goals from the app's content: breathing {per_day} sessions a day; exercises on at least "
           f"{goal_days} days a week. Completed sessions only; a week cut by the period counts its days in it.", "",
           "| Week of | Days | Breathing sessions | Days breathing goal met | Exercise days | Exercise goal |",
           "| --- | ---: | ---: | ---: | ---: | --- |"]
    for w in report.weekly_adherence(records, first, last, low, tz):
        met = "met" if w.exercise_days >= goal_days else "not met"
        out.append(f"| {w.week_start:%Y-%m-%d} | {w.days} | {w.breathing_sessions} | {w.breathing_days_met} of {w.days} "
                   f"| {w.exercise_days} | {met} |")
    return [*out, ""]
