"""The pain chart: the last 30 days left to right, pain 0-10 bottom to top, before and after.

Two parts. `daily_points` and `chart_runs` are pure (no Textual): the first turns records into
one point per rated day (the average pain before and the average after), the second lays a chart
out as lines of (text, role) runs for a given size. `PainChart` paints those runs with the Line
API, one Strip per line and one Segment per run; it lays out again only when its data or its size
changes, so nothing is redrawn in between.

Layout (the app's own choice): a title line with the legend, then the plot with the 0-10 axis
on the left, then the dates. With room for two columns a day each day has a "before" bar and an
"after" bar side by side; with room for one column it has one bar, the day's average of all
ratings. A day without a rating is an empty column, never filled in. A rated 0 still shows a
sliver, so it reads as "rated 0", not as a gap. Too small for a plot (under 4 lines or too
narrow), the title line says so in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Iterable, Sequence

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

if TYPE_CHECKING:
    from neck_tui.store import Record

DAYS = 30
AXIS = 4  # "10 ┤"
BARS = " ▁▂▃▄▅▆▇█"
Run = tuple[str, str]  # (text, role): role is "", "axis", "before", "after", "average", "title", "muted"


@dataclass(frozen=True)
class DayPoint:
    day: date
    before: float | None  # the average of that day's ratings before a session
    after: float | None
    average: float  # of all that day's ratings, as in report.pain_trend (`stats`)


def daily_points(records: Iterable["Record"], now: datetime, days: int = DAYS, tz: tzinfo | None = None) -> list[DayPoint]:
    """One point per local day of the last `days` (today included) with a rating, oldest first."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    before: dict[date, list[int]] = {}
    after: dict[date, list[int]] = {}
    for r in records:
        day = r.started.astimezone(tz).date()
        if not first <= day <= today:
            continue
        if r.pain_before is not None:
            before.setdefault(day, []).append(r.pain_before)
        if r.pain_after is not None:
            after.setdefault(day, []).append(r.pain_after)

    def mean(values: list[int] | None) -> float | None:
        return sum(values) / len(values) if values else None

    return [
        DayPoint(d, mean(before.get(d)), mean(after.get(d)), mean(before.get(d, []) + after.get(d, [])) or 0.0)
        for d in sorted(before.keys() | after.keys())
    ]


def _cell(value: float, row: int, rows: int) -> str:
    """The glyph of a bar of `value` (0-10) in plot row `row` (0 = bottom), in eighths."""
    eighths = max(1, round(value / 10 * rows * 8))  # a rated 0 is a sliver, not a gap
    return BARS[max(0, min(8, eighths - row * 8))]


def _merge(runs: list[Run]) -> list[Run]:
    """Join neighbouring runs of the same role: one Segment per run of one style."""
    out: list[Run] = []
    for text, role in runs:
        if out and out[-1][1] == role:
            out[-1] = (out[-1][0] + text, role)
        elif text:
            out.append((text, role))
    return out


def chart_runs(
    points: Sequence[DayPoint], today: date, width: int, height: int, summary: str, days: int = DAYS
) -> list[list[Run]]:
    """The chart as lines of runs, for a box of width x height cells; `summary` is the figure
    the title line gives ("5.7 → 3.7")."""
    plot_rows = height - 2
    per_day = 2 if width - AXIS >= 2 * days else 1
    title = f"Pain, {days} days: {summary}" if width >= 2 * days else f"Pain: {summary}"
    if not points:
        return [_merge([(title, "title")])]
    if plot_rows < 2 or width - AXIS < days:
        return [_merge([(title, "title"), (" (chart hidden)", "muted")])]
    legend: list[Run] = (
        [("  ", ""), ("█", "before"), (" before ", "muted"), ("█", "after"), (" after", "muted")]
        if per_day == 2
        else [("  ", ""), ("█", "average"), (" daily average", "muted")]
    )
    lines = [_merge([(title, "title"), *legend])]
    first = today - timedelta(days=days - 1)
    by_day = {p.day: p for p in points}
    labels = {plot_rows - 1: "10", (plot_rows - 1) // 2: " 5", 0: " 0"} if plot_rows >= 3 else {plot_rows - 1: "10", 0: " 0"}
    for row in range(plot_rows - 1, -1, -1):
        label = labels.get(row)
        runs: list[Run] = [(f"{label} ┤" if label else "   │", "axis")]
        for i in range(days):
            point = by_day.get(first + timedelta(days=i))
            if point is None:
                runs.append((" " * per_day, ""))
            elif per_day == 2:
                for value, role in ((point.before, "before"), (point.after, "after")):
                    runs.append((" " if value is None else _cell(value, row, plot_rows), role))
            else:
                runs.append((_cell(point.average, row, plot_rows), "average"))
        lines.append(_merge(runs))
    lines.append(_merge([(_date_axis(first, today, days, per_day), "axis")]))
    return lines


def _date_axis(first: date, last: date, days: int, per_day: int) -> str:
    """'    Oct 27         Nov 11        Nov 25' under the plot: first, middle (if it fits), last."""
    span = days * per_day
    axis = [" "] * (AXIS + span)
    left, right = f"{first:%b %d}", f"{last:%b %d}"

    def put(at: int, text: str) -> None:
        axis[at : at + len(text)] = list(text)

    put(AXIS, left)
    put(AXIS + span - len(right), right)
    middle = first + timedelta(days=days // 2)
    mid_text = f"{middle:%b %d}"
    at = AXIS + (days // 2) * per_day
    if at - (AXIS + len(left)) >= 2 and (AXIS + span - len(right)) - (at + len(mid_text)) >= 2:
        put(at, mid_text)
    return "".join(axis).rstrip()


class PainChart(Widget):
    """Pain per day over the last 30 days; give it data with `show(points, today, summary)`."""

    COMPONENT_CLASSES = {
        "pain-chart--title",
        "pain-chart--axis",
        "pain-chart--muted",
        "pain-chart--before",
        "pain-chart--after",
        "pain-chart--average",
    }
    DEFAULT_CSS = """
    PainChart { height: 6; }
    PainChart > .pain-chart--title { text-style: bold; }
    PainChart > .pain-chart--axis { color: $text-muted; }
    PainChart > .pain-chart--muted { color: $text-muted; }
    PainChart > .pain-chart--before { color: $warning; }
    PainChart > .pain-chart--after { color: $success; }
    PainChart > .pain-chart--average { color: $accent; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.points: list[DayPoint] = []
        self.today: date | None = None
        self.summary = ""
        self._lines: list[Strip] = []
        self._laid_out_for: tuple[int, int] | None = None

    def show(self, points: Sequence[DayPoint], today: date, summary: str) -> None:
        self.points, self.today, self.summary = list(points), today, summary
        self._laid_out_for = None
        self.refresh()

    @property
    def text(self) -> str:
        """What the chart shows, as plain text (lines joined with newlines)."""
        self._layout()
        return "\n".join(strip.text.rstrip() for strip in self._lines)

    def _layout(self) -> None:
        size = (self.size.width, self.size.height)
        if self._laid_out_for == size:
            return
        self._laid_out_for = size
        if self.today is None:
            self._lines = []
            return
        base = self.rich_style
        styles = {
            role: base + self.get_component_rich_style(f"pain-chart--{role}", partial=True)
            for role in ("title", "axis", "muted", "before", "after", "average")
        }
        styles[""] = base
        lines = chart_runs(self.points, self.today, size[0], size[1], self.summary)
        self._lines = [
            Strip([Segment(text, styles[role]) for text, role in runs]).adjust_cell_length(size[0], base)
            for runs in lines
        ]

    def render_line(self, y: int) -> Strip:
        self._layout()
        if y < len(self._lines):
            return self._lines[y]
        return Strip.blank(self.size.width, self.rich_style)

    def on_resize(self) -> None:
        self._laid_out_for = None
        self.refresh()
