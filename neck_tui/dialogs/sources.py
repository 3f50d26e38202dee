"""The full references of one tip (Learn: Enter on a tip)."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from neck_tui import learn
from neck_tui.content import Content, Tip
from neck_tui.dialogs.base import Dialog


class SourcesDialog(Dialog[None]):
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, tip: Tip, content: Content) -> None:
        super().__init__(f"Sources: {tip.title}")
        self.tip = tip
        self.sources = learn.sources_of(tip, content)

    def compose_body(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-body"):
            for source in self.sources:
                lines = learn.reference(source)
                text = f"[b]{escape(learn.citation(source))}[/b]\n" + "\n".join(escape(line) for line in lines)
                yield Static(text, classes="source-ref")

    def action_close(self) -> None:
        self.dismiss(None)
