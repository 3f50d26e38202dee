"""Learn: the tips from content under four headings, each with its sources as short citations;
Enter opens the full references (title, year, DOI or address).

The words come from neck_tui.learn (no Textual there), which also prints them for
`neck-tui learn --list`. Up and down go from tip to tip; a tip taller than the screen is
scrolled through first, so nothing is skipped at 40x15.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Static

from neck_tui import learn
from neck_tui.content import Content, Tip
from neck_tui.dialogs.sources import SourcesDialog
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header


class TipCard(Static, can_focus=True):
    """One tip: title, text, citations. Focus it and press Enter for the full references."""

    BINDINGS = [
        # Here, not on the screen: the scroll container's own up/down would come first.
        Binding("down,j", "screen.step(1)", "Next tip", show=False),
        Binding("up,k", "screen.step(-1)", "Previous tip", show=False),
        Binding("enter", "screen.sources", "Sources"),
    ]

    def __init__(self, tip: Tip, content: Content) -> None:
        self.tip = tip
        lines = [f"[b]{escape(tip.title)}[/b]"]
        lines += [escape(part) for part in learn.tip_body(tip, content)]
        cites = learn.citations(tip, content)
        if cites:
            lines.append(f"[i]{escape(cites)}[/i] [dim](Enter)[/dim]")
        super().__init__("\n".join(lines), id=f"tip-{tip.id}", classes="learn-tip")


class LearnScreen(NeckScreen):
    TITLE = "Learn"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="learn-body"):
            if not self.content.tips:
                yield Static("No tips in the content.", classes="learn-group")
            for group in learn.grouped(self.content):
                yield Static(group.title, classes="learn-group")
                for tip in group.tips:
                    yield TipCard(tip, self.content)
        yield Footer()

    def on_mount(self) -> None:
        cards = list(self.query(TipCard))
        if cards:
            cards[0].focus(scroll_visible=False)

    def _cards(self) -> list[TipCard]:
        return list(self.query(TipCard))

    def action_step(self, step: int) -> None:
        """Next/previous tip; first the rest of a tip taller than the view."""
        card = self.focused
        if not isinstance(card, TipCard):
            return
        body = self.query_one("#learn-body", VerticalScroll)
        view = body.content_region
        if step > 0 and card.region.bottom > view.bottom:
            body.scroll_relative(y=max(1, view.height - 2), animate=False)
            return
        if step < 0 and card.region.y < view.y:
            body.scroll_relative(y=-max(1, view.height - 2), animate=False)
            return
        cards = self._cards()
        index = cards.index(card) + step
        if not 0 <= index < len(cards):
            body.scroll_to(y=0 if step < 0 else body.max_scroll_y, animate=False)  # the heading or the end
            return
        target = cards[index]
        target.focus(scroll_visible=False)
        above = self._heading_above(target)
        if above is not None:
            body.scroll_to_widget(above, animate=False, top=False)
        body.scroll_to_widget(target, animate=False)

    def _heading_above(self, card: TipCard) -> Static | None:
        siblings = list(card.parent.children) if card.parent else []
        i = siblings.index(card)
        before = siblings[i - 1] if i > 0 else None
        return before if isinstance(before, Static) and before.has_class("learn-group") else None

    def action_sources(self) -> None:
        card = self.focused
        if isinstance(card, TipCard) and card.tip.sources:
            self.app.push_screen(SourcesDialog(card.tip, self.content))
