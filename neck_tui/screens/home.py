"""Home: the list of every activity, opened with Enter or its letter key.

The list uses the room it has: each entry on two lines (title, then its description) with a rule
between entries when they all fit so, down to key and title only on a small terminal. Text wraps
inside its own column, never under the key column.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content as TextContent
from textual.events import Resize
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from neck_tui.activities import ENTRIES, Entry
from neck_tui.content import Content
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.footer import Footer
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


KEY_GAP = 2  # cells between the key column and the text, and between title and description in a row

# Home's layouts, richest first: (how an entry is drawn, where rules go: between "all" entries,
# between "groups" (the registry's `order` by tens: heat/cold/contrast, History/Learn), or none).
# The first whose entries all fit the list's height is used (the app's own choice of look).
LAYOUTS = (
    ("roomy", "all"), ("stacked", "all"), ("stacked", "groups"), ("stacked", ""),
    ("row", "all"), ("row", "groups"), ("row", ""), ("title", "groups"), ("title", ""),
)


def rules_before(entries: tuple[Entry, ...] | list[Entry], rules: str) -> list[bool]:
    """For each entry, whether a rule goes above it."""
    return [
        i > 0 and (rules == "all" or (rules == "groups" and entry.order // 10 != entries[i - 1].order // 10))
        for i, entry in enumerate(entries)
    ]


def _wrap(text: str, width: int) -> list[str]:
    """Word-wrapped lines of at most `width` cells (wide characters count two; a word longer than
    a line is cut into pieces)."""
    return [line.plain.rstrip() for line in TextContent(text).wrap(max(2, width))] or [""]


def entry_prompt(activity: Entry, description: str, layout: str, title_width: int, width: int) -> Text:
    """One entry, wrapped to `width` cells, the key in its own column: "stacked" (title over
    description), "roomy" (stacked, a blank row above and below), "row" (title and description
    side by side) or "title" (no description). Plain text lines, not a Rich table: Home draws
    and measures them on every start (its height is the number of lines)."""
    if layout == "roomy":
        roomy = Text("\n", no_wrap=True, overflow="crop")
        roomy.append_text(entry_prompt(activity, description, "stacked", title_width, width))
        return roomy.append("\n")
    key_width = len(activity.key) + KEY_GAP
    rest = width - key_width
    head, indent = "", key_width  # what follows the key on the first line; where later lines start
    if layout == "stacked":
        lines = [(line, "bold") for line in _wrap(activity.title, rest)]
        lines += [(line, "dim") for line in _wrap(description, rest)]
    elif layout == "row":
        head, indent = activity.title.ljust(title_width) + " " * KEY_GAP, key_width + title_width + KEY_GAP
        lines = [(line, "dim") for line in _wrap(description, rest - title_width - KEY_GAP)]
    else:
        head, lines = activity.title, [("", "")]
    out = Text(no_wrap=True, overflow="crop")
    out.append(activity.key, "bold")
    out.append(" " * KEY_GAP + head)
    for i, (line, style) in enumerate(lines):
        if i:
            out.append("\n" + " " * indent)
        out.append(line, style)
    return out


class HomeScreen(NeckScreen):
    BINDINGS = [
        Binding("escape", "nothing", show=False),  # Home is the bottom: nothing to go back to
        # priority: ahead of the list's own (hidden) Enter, so the Footer shows "Open".
        Binding("enter", "open_highlighted", "Open", priority=True),
        *(Binding(a.key, f"app.open('{a.name}')", a.title, show=False) for a in ENTRIES),
    ]
    fitted = False  # the list has been fitted to the terminal once

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[str, str, int] = ("", "", 0)  # the list's (layout, rules, width)
        self._made: dict[tuple[str, int], list[Text]] = {}  # (layout, width) -> its prompts

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self.content.notice.tagline, id="home-notice")
        yield OptionList(*self._options("title", "", 200), id="activities")  # fitted once it has a size
        yield Static(id="home-tip")
        yield Static(id="home-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    # -- fitting the list to the terminal ----------------------------------------------------
    def _prompts(self, layout: str, width: int) -> list[Text]:
        if (layout, width) not in self._made:  # a resize tries the layouts again at the new width
            title_width = max(len(a.title) for a in ENTRIES)
            self._made[layout, width] = [
                entry_prompt(a, describe(a, self.content), layout, title_width, width) for a in ENTRIES
            ]
        return self._made[layout, width]

    def _options(self, layout: str, rules: str, width: int) -> list[Option | None]:
        self._shown = (layout, rules, width)
        options: list[Option | None] = []
        for activity, prompt, rule in zip(ENTRIES, self._prompts(layout, width), rules_before(ENTRIES, rules)):
            if rule:
                options.append(None)  # OptionList draws a rule
            options.append(Option(prompt, id=activity.name))
        return options

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.height < 20, "-short")  # styles/app.tcss: the tip gives way
        if self.app.screen is self:  # (under `neck-tui heat` and the like it is fitted on resume)
            self._fit()  # before the first paint where the list has its size already
            self.call_after_refresh(self._fit)  # and again once the class above is laid out

    def _fit(self) -> None:
        """Use the richest layout whose entries all fit the list's height at its width."""
        options = self.query_one("#activities", OptionList)
        region = options.scrollable_content_region
        width = region.width - options.get_component_styles("option-list--option").padding.width
        if width <= 0 or region.height <= 0:
            return
        for layout, rules in LAYOUTS:
            height = sum(len(prompt.plain.split("\n")) for prompt in self._prompts(layout, width))
            if height + sum(rules_before(ENTRIES, rules)) <= region.height:
                break
        if (layout, rules, width) != self._shown:
            highlighted = options.highlighted
            options.set_options(self._options(layout, rules, width))
            options.highlighted = highlighted
        self.fitted = True

    def on_screen_resume(self) -> None:
        if self.app.screen is self:  # the terminal may have been resized under another screen
            self.call_after_refresh(self._fit)
        self.call_after_refresh(self._show_breathing_today)  # after the first frame: it reads this month
        self._show_tip()

    def _show_tip(self) -> None:
        """Today's tip (the same all day), unless tips are off in Settings."""
        from neck_tui.learn import tip_line

        line = tip_line(self.content, "home", self.now().astimezone().date(), self.store.state.settings.tips)
        tip = self.query_one("#home-tip", Static)
        tip.update(line)
        tip.set_class(not line, "-none")  # styles/app.tcss hides it (and on a short terminal)

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
