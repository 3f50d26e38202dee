"""Home: the list of every activity, opened with Enter or its letter key."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from neck_tui.activities import ENTRIES, Entry
from neck_tui.content import Content
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.header import Header


def _num(value: float) -> str:
    return f"{value:g}"


def describe(activity: Entry, content: Content) -> str:
    """The one-line description, with its figures taken from content (never hard-coded)."""
    if activity.name in ("heat", "cold", "contrast"):
        regimen = content.regimen_for(activity.name)
        parts = []
        for phase in regimen.phases:
            low = phase.min_minutes if phase.kind == "off" and phase.min_minutes else None
            span = f"{_num(low)}-{_num(phase.maximum)}" if low is not None and low != phase.maximum else _num(phase.minutes)
            parts.append(f"{span} min {'off' if phase.kind == 'off' else phase.kind}")
        return ", ".join(parts)
    if activity.name == "breathe":
        pattern = content.pattern(content.breathing.default_pattern)
        counts = "-".join(_num(p.seconds) for p in pattern.phases)
        goal = content.breathing
        return f"{counts} pacer, {goal.daily_goal_min}-{goal.daily_goal_max} times a day"
    if activity.name == "breaks":
        breaks = content.posture_breaks
        return f"A reminder to move every {breaks.min_minutes}-{breaks.max_minutes} min"
    return activity.description


class HomeScreen(NeckScreen):
    BINDINGS = [
        Binding("escape", "nothing", show=False),  # Home is the bottom: nothing to go back to
        # priority: ahead of the list's own (hidden) Enter, so the Footer shows "Open".
        Binding("enter", "open_highlighted", "Open", priority=True),
        *(Binding(a.key, f"app.open('{a.name}')", a.title, show=False) for a in ENTRIES),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.content.notice.tagline, id="home-notice")
        yield OptionList(
            *(
                Option(f"[b]{a.key}[/b]  {a.title:<15} [dim]{describe(a, self.content)}[/dim]", id=a.name)
                for a in ENTRIES
            ),
            id="activities",
        )
        yield Static(id="home-tip")
        yield Static(id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.call_after_refresh(self._show_breathing_today)  # after the first frame: it reads this month
        self._show_tip()

    def _show_tip(self) -> None:
        """Today's tip (the same all day), unless tips are off in Settings."""
        from neck_tui.learn import tip_line

        line = tip_line(self.content, "home", self.now().astimezone().date(), self.store.state.settings.tips)
        tip = self.query_one("#home-tip", Static)
        tip.update(line)
        tip.display = bool(line)

    def _show_breathing_today(self) -> None:
        from neck_tui.insights import breathing_today
        from neck_tui.plans.breathing import today_line

        count = self.neck.read("today's breathing sessions", lambda: breathing_today(self.store, self.now()))
        self.query_one("#home-status", Static).update(today_line(self.content, count))

    @on(OptionList.OptionSelected, "#activities")
    def _open(self, event: OptionList.OptionSelected) -> None:
        assert event.option.id is not None
        self.neck.action_open(event.option.id)

    def action_open_highlighted(self) -> None:
        options = self.query_one("#activities", OptionList)
        if options.highlighted is not None:
            option = options.get_option_at_index(options.highlighted)
            if option.id is not None:
                self.neck.action_open(option.id)

    def action_nothing(self) -> None:
        pass
