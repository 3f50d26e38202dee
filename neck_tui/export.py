"""Export formats of the history: CSV (every session, for a spreadsheet) and a Markdown summary
for a clinician. Pure: text in, text out; no argparse, no printing, no Textual.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timezone, tzinfo
from typing import TYPE_CHECKING, Iterable, Sequence

from neck_tui import report
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
    if s.total:
        out += ["| Kind | Sessions | Completed |", "| --- | ---: | ---: |"]
        out += [f"| {_cell(kind_label(k))} | {n} | {s.completed.get(k, 0)} |" for k, n in s.counts.items()]
    else:
        out.append("No sessions in this period.")
    out.append("")

    out += [f"## Pain, last {report.TREND_DAYS} days", "", "Average of the 0-10 ratings given each day; days without a rating are left out.", ""]
    if s.trend:
        out += ["| Date | Average pain | Ratings |", "| --- | ---: | ---: |"]
        out += [f"| {p.day:%Y-%m-%d} | {p.average:.1f} | {p.ratings} |" for p in s.trend]
    else:
        out.append("No pain ratings in these days.")
    out.append("")

    months = report.pain_by_month(records, tz)
    if len(months) > 1:
        out += ["## Pain by month", "", "| Month | Average pain | Ratings |", "| --- | ---: | ---: |"]
        out += [f"| {m} | {avg:.1f} | {n} |" for m, avg, n in months]
        out.append("")

    out += ["## What helps", "", "Average change in pain (after minus before) per kind of session, and how many sessions had both ratings.", ""]
    if s.helps:
        out += ["| Kind | Average change | Sessions |", "| --- | ---: | ---: |"]
        out += [f"| {_cell(kind_label(h.kind))} | {report.signed(-h.drop)} | {h.sessions} |" for h in s.helps]
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
