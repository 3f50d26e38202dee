"""One past session, read-only: opened with Enter on a row of History.

The words come from neck_tui.record_text (no Textual there): times, pain before and after,
phases and skin checks (with the advice given), red flags and what was chosen, exercises done or
stopped and why; an unknown kind or detail is shown as stored.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from neck_tui import record_text
from neck_tui.activities import kind_label
from neck_tui.screens.base import NeckScreen
from neck_tui.store import Record
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header


class RecordScreen(NeckScreen):
    TITLE = "Session"

    def __init__(self, record: Record) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="record-body"):
            for section in record_text.describe(self.record, self.content):
                yield Static(section.title, classes="record-heading")
                for line in section.lines:
                    # An indented line (advice under a skin check) keeps its indent when it wraps.
                    sub = line.startswith("  ")
                    yield Static(escape(line.strip()), classes="record-sub" if sub else "record-line")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{kind_label(self.record.kind)}, {self.record.started.astimezone():%Y-%m-%d %H:%M}"
        self.query_one("#record-body").focus()
