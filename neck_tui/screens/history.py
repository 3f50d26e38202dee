"""History: past sessions, the streak, this week against the goals, the pain chart, what helps;
Enter on a row opens that session's record (neck_tui.screens.record).

Records are read in a thread worker so the UI never waits on the disk: first the months of the
last few weeks (shown at once), then the summary (from the store's per-month sums, so years of
sessions are never held at once). Older months are read as the table is scrolled towards its end,
as many as fill AHEAD_ROWS below the view, so ten years of sessions cost what the rows in view
cost. Rows go into the table in chunks between refreshes, so keys keep working while rows are added.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from neck_tui import record_text, report
from neck_tui.activities import KINDS
from neck_tui.screens.base import NeckScreen
from neck_tui.store import Record, StoreError
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.pain_chart import DayPoint, PainChart, daily_points

FIRST_ROWS = 200  # rows added at once, before the first paint
CHUNK_ROWS = 250  # rows added per refresh after that (measuring 250 rows takes ~40 ms)
RECENT_DAYS = 45  # the months of these days are read first, before the summary
AHEAD_ROWS = 100  # older months are read while fewer rows than this are below the ones in view
FILTERS: tuple[str | None, ...] = (None, *KINDS)
COLUMNS = ("Date", "Kind", "Length", "Done", "Before", "After", "Outcome")  # pain before and after

Row = tuple[Record, tuple[str, ...]]  # (the record, its cells)


def _month_start(month: str) -> datetime:
    return datetime.strptime(month, "%Y-%m").replace(tzinfo=timezone.utc)


def _pain(value: int | None) -> str:
    return "-" if value is None else str(value)


def table_row(record: Record) -> Row:
    """The cells the table shows for a record (local time)."""
    return record, (
        f"{record.started.astimezone():%Y-%m-%d %H:%M}",
        report.kind_label(record.kind),
        record_text.length_text(record.duration_s),
        "yes" if record.completed else "no",
        _pain(record.pain_before),
        _pain(record.pain_after),
        record_text.outcome(record),
    )


def _streak(days: int) -> str:
    if days == 0:
        return "none yet: any session today starts one"
    return f"{days} day{'s' if days != 1 else ''} in a row"


def _filter_name(kind: str | None) -> str:
    return "All kinds" if kind is None else report.kind_label(kind)


class HistoryScreen(NeckScreen):
    # Below 64 columns "what helps" is hidden (styles/history.tcss); `neck-tui stats` has it all.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (64, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    BINDINGS = [
        Binding("f", "cycle_filter(1)", "Filter"),  # the status line names the kind shown
        Binding("F", "cycle_filter(-1)", "Previous filter", show=False),
        *(
            Binding(str(i), f"set_filter({i})", f"Show {_filter_name(kind).lower()}", show=False)
            for i, kind in enumerate(FILTERS)
        ),
        Binding("r", "reload", "Reload"),
        Binding("enter", "open_record", "Open", priority=True),
    ]

    filter_index: reactive[int] = reactive(0, init=False)

    def __init__(self) -> None:
        super().__init__()
        self.summary: report.Summary | None = None
        self.points: list[DayPoint] = []  # the pain chart's: one per rated day
        self.loaded = False  # the summary is known (and the first months read)
        self.error: str | None = None
        self._rows: list[Row] = []  # newest first
        self._older: list[str] = []  # months not read yet, newest first
        self._reading = False  # a worker is reading older months
        self._next = 0  # index in _rows of the first row not yet considered for the table
        self._shown: list[int] = []  # index in _rows of each row in the table, in table order
        self._pump_scheduled = False
        self._load_id = 0

    @property
    def kind_filter(self) -> str | None:
        return FILTERS[self.filter_index]

    @property
    def fully_shown(self) -> bool:
        """Settled: every matching row read so far is in the table, and no more are being read
        (older months wait until the table is scrolled towards its end)."""
        return self.loaded and not self._reading and self._next >= len(self._rows)

    @property
    def all_read(self) -> bool:
        return self.loaded and not self._older

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="history-body"):
            with Horizontal(id="history-top"):
                yield Static("Loading…", id="history-summary")
                yield Static("", id="history-helps")
            yield PainChart(id="history-trend")
            yield Static("Loading your history…", id="history-status")
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(*COLUMNS)
        table.focus()
        self.watch(table, "scroll_y", self._read_older_if_near_end, init=False)
        self.action_reload()

    # -- loading ------------------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load_id += 1
        self.loaded = False
        self.error = None
        self._rows = []
        self._older = []
        self._reading = False
        self._clear_table()
        self._set_status("Loading your history…")
        self._load(self._load_id, self.now(), len(self.store.notices))

    @work(thread=True, exclusive=True, group="history-load")
    def _load(self, load_id: int, now: datetime, notices_seen: int) -> None:
        worker = get_current_worker()
        first = (now - timedelta(days=RECENT_DAYS)).astimezone(timezone.utc).strftime("%Y-%m")
        try:
            recent = self.store.records(since=_month_start(first))
            if worker.is_cancelled:
                return
            self.app.call_from_thread(self._add_rows, load_id, [table_row(r) for r in reversed(recent)])
            summary = report.summarize_store(self.store, now, self.content)
            older = [month for month in reversed(self.store.months()) if month < first]
        except StoreError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, load_id, str(exc))
            return
        points = daily_points(recent, now)  # the chart's days are within the months read
        if not worker.is_cancelled:
            self.app.call_from_thread(self._loaded, load_id, summary, points, older, notices_seen)

    @work(thread=True, exclusive=True, group="history-older")
    def _read_older(self, load_id: int, months: list[str], kind: str | None) -> None:
        """Read older months, newest first, until AHEAD_ROWS rows of `kind` (None: any) came."""
        worker = get_current_worker()
        rows: list[Row] = []
        found = done = 0
        try:
            for month in months:
                start = _month_start(month)
                records = self.store.records(since=start, before=(start + timedelta(days=32)).replace(day=1))
                if worker.is_cancelled:
                    return
                done += 1
                rows += [table_row(r) for r in reversed(records)]
                found += sum(1 for r in records if kind is None or r.kind == kind)
                if found >= AHEAD_ROWS:
                    break
        except StoreError as exc:
            if not worker.is_cancelled:
                self.app.call_from_thread(self._failed, load_id, str(exc))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._older_read, load_id, done, rows)

    def _older_read(self, load_id: int, months: int, rows: list[Row]) -> None:
        if load_id != self._load_id or not self.is_attached:
            return
        del self._older[:months]
        self._reading = False
        self._add_rows(load_id, rows)  # and reads on if the rows still fall short

    def _read_older_if_near_end(self) -> None:
        """Start reading older months when the rows below the view run short."""
        if not self.loaded or self._reading or not self._older or self.error is not None:
            return
        if self._next < len(self._rows):
            return  # rows already read are still going in
        table = self.query_one(DataTable)
        bottom = max(table.cursor_row, int(table.scroll_y) + table.size.height)
        if table.row_count - bottom < AHEAD_ROWS:
            self._reading = True
            self._read_older(self._load_id, list(self._older), self.kind_filter)

    def _add_rows(self, load_id: int, rows: list[Row]) -> None:
        if load_id != self._load_id or not self.is_attached:
            return
        self._rows.extend(rows)
        self._show_more(FIRST_ROWS if self.query_one(DataTable).row_count == 0 else CHUNK_ROWS)
        self._update_status()

    def _loaded(
        self, load_id: int, summary: report.Summary, points: list[DayPoint], older: list[str], notices_seen: int
    ) -> None:
        if load_id != self._load_id or not self.is_attached:
            return
        self.summary = summary
        self.points = points
        self.loaded = True
        self._older = older
        self._show_summary(summary)
        self._update_status()
        self._read_older_if_near_end()
        for message in self.store.notices[notices_seen:]:
            self.notify(message, title="Progress file kept aside", severity="warning", timeout=30)

    def _failed(self, load_id: int, message: str) -> None:
        if load_id != self._load_id or not self.is_attached:
            return
        self.error = message
        self.loaded = True
        self.query_one("#history-summary", Static).update("")
        self._set_status(f"Could not read your history: {message}")

    # -- the table ----------------------------------------------------------------------------

    def _show_more(self, limit: int) -> None:
        """Add up to `limit` matching rows now; schedule the rest for after the next refresh."""
        want = self.kind_filter
        batch: list[tuple[str, ...]] = []
        i, rows = self._next, self._rows
        while i < len(rows) and len(batch) < limit:
            record, cells = rows[i]
            if want is None or record.kind == want:
                batch.append(cells)
                self._shown.append(i)
            i += 1
        self._next = i
        if batch:
            self.query_one(DataTable).add_rows(batch)
        if i < len(rows) and not self._pump_scheduled:
            self._pump_scheduled = True
            self.call_after_refresh(self._pump)
        elif i >= len(rows):
            self._read_older_if_near_end()

    def _pump(self) -> None:
        self._pump_scheduled = False
        if self.is_attached:
            self._show_more(CHUNK_ROWS)

    def _clear_table(self) -> None:
        self.query_one(DataTable).clear()
        self._next = 0
        self._shown = []

    def watch_filter_index(self) -> None:
        self._clear_table()
        self._show_more(FIRST_ROWS)
        self._update_status()

    @on(DataTable.RowHighlighted)
    def _row_highlighted(self) -> None:
        self._read_older_if_near_end()

    @on(DataTable.RowSelected)
    def _row_clicked(self) -> None:
        # A click on the highlighted row (Enter is the screen's binding, so it never gets here).
        self.action_open_record()

    def action_open_record(self) -> None:
        """Open the highlighted session's record (read-only)."""
        table = self.query_one(DataTable)
        if 0 <= table.cursor_row < min(table.row_count, len(self._shown)):
            from neck_tui.screens.record import RecordScreen

            self.app.push_screen(RecordScreen(self._rows[self._shown[table.cursor_row]][0]))

    def action_cycle_filter(self, step: int) -> None:
        self.filter_index = (self.filter_index + step) % len(FILTERS)

    def action_set_filter(self, index: int) -> None:
        self.filter_index = index

    # -- the words ----------------------------------------------------------------------------

    def _set_status(self, text: str) -> None:
        status = self.query_one("#history-status", Static)
        if str(status.render()) != text:
            status.update(text)

    def _update_status(self) -> None:
        if self.error is not None:
            return
        name = _filter_name(self.kind_filter)
        if not self.loaded:
            self._set_status(f"{name}: the latest sessions; reading older ones…")
            return
        assert self.summary is not None
        total = self.summary.total
        if total == 0:
            self._set_status("No sessions yet. Every activity you do is kept here.")
        elif self.kind_filter is None:
            self._set_status(f"{name}: {total:,} session{'s' if total != 1 else ''} (f: filter by kind)")
        else:
            shown = self.summary.counts.get(self.kind_filter, 0)
            self._set_status(f"{name}: {shown:,} of {total:,} sessions (f: next kind, 0: all)")

    def _show_summary(self, s: report.Summary) -> None:
        week = s.week
        goal = f"{week.breathing_min}-{week.breathing_max}" if week.breathing_max > week.breathing_min else f"{week.breathing_min}"
        days = f"{week.breathing_days_met}/{week.days_so_far}"  # days this week the goal was met
        tick = " ✓" if week.exercise_met else ""
        lines = [
            f"[b]Streak[/b]  {_streak(s.streak)}",
            f"[b]This week[/b] (since {week.week_start:%a %d %b})",
            f" Breathing  {week.breathing_today} today, goal {goal}; {days} days met",
            f" Exercises  {week.exercise_days} of {week.exercise_goal_days} days{tick}",
            f" Breaks     {week.posture_breaks} posture break{'s' if week.posture_breaks != 1 else ''} taken",
        ]
        self.query_one("#history-summary", Static).update("\n".join(lines))

        helps = ["[b]What helps you[/b] (pain change)"]
        if s.helps:
            helps += [f"{report.kind_label(h.kind):<13} {report.signed(-h.drop):>5} ({h.sessions})" for h in s.helps]
        else:
            helps.append("Rate pain before and after a session to see this.")
        self.query_one("#history-helps", Static).update("\n".join(helps))

        if not s.trend:
            figure = "no ratings yet"
        elif len(s.trend) == 1:
            figure = f"{s.trend[0].average:.1f} on {s.trend[0].day:%b %d}"
        else:
            figure = f"{s.trend[0].average:.1f} → {s.trend[-1].average:.1f}"
        chart = self.query_one(PainChart)
        chart.set_class(not self.points, "-empty")  # one line then: nothing to plot
        chart.show(self.points, s.week.today, figure)
