"""Triage results: the red-flag screen and the self-care suggestion, and the saved record.

    RedFlagScreen     any flag ticked: contact a provider, urgent advice first (its tier marked
                      as the app's own judgement), a bundled flag's parts each with their own
                      advice; Enter and escape never lead into self-care; going on needs "g"
                      then "y" (choice recorded). "b" opens breathing: a pattern without breath
                      holds when a ticked flag rules holds out.
    SuggestionScreen  no flag ticked (or the user chose to go on): the suggested next step from
                      the user's preference and what has helped them most; keys open activities

The record is saved as soon as the triage is answered (TriageScreen), then updated here with
what the user chose, so quitting on a result screen loses nothing but the choice.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from neck_tui import activities, insights
from neck_tui.activities import BY_KIND, BY_NAME
from neck_tui.content import RedFlag
from neck_tui.lifecycle import Session
from neck_tui.screens.base import NeckScreen
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.flags import URGENT_MARK
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header

HISTORY_DAYS = 90
CONTINUE = "continue_self_care"


def _set(widget: Static, text: str) -> None:
    """Update a Static only when its text changes (repaints cost bytes over SSH)."""
    if getattr(widget, "_neck_text", None) != text:
        widget._neck_text = text  # type: ignore[attr-defined]
        widget.update(text)


def choose(triage: Session, choice: str) -> None:
    """Record what the user chose after the triage. Once the user chose to go on to self-care
    despite a red flag, that stays the choice and what they opened next goes to `then`."""
    details = triage.record.details if triage.record else {}
    if details.get("choice") == CONTINUE and choice != CONTINUE:
        triage.amend(then=choice)
    else:
        triage.amend(choice=choice)


def suggestion_for(preference: str) -> str:
    """What the triage suggests with no red flag: the user's preferred pack, or either."""
    return preference if preference in ("heat", "cold") else "heat_or_cold"


def helped_most(screen: NeckScreen) -> tuple[str, float, int] | None:
    """What has helped this user most lately (None too if the history cannot be read: one line
    on screen says so, through the app's store policy)."""
    return screen.neck.read("your history", lambda: insights.helped_most(screen.store, screen.now(), days=HISTORY_DAYS))


# --- any red flag -------------------------------------------------------------------------------


class RedFlagScreen(NeckScreen):
    """Contact a healthcare provider. Enter does nothing here and escape goes home (recorded
    as "home"); going on to self-care takes "g" then "y", recorded as continue_self_care."""

    TITLE = "Red flag"

    BINDINGS = [
        Binding("d", "provider", "Getting care"),
        Binding("b", "breathe", "Breathe"),
        Binding("g", "ask_continue", "Go on anyway"),  # not c: Cold on Home
        Binding("escape", "leave", "Home"),
        Binding("y", "answer(True)", "Yes, go on"),  # the question's keys, as in every Confirm
        Binding("n", "answer(False)", "No, stay"),
        Binding("escape", "answer(False)", "No, stay", show=False),
        Binding("enter", "enter", show=False),
    ]

    confirming: reactive[bool] = reactive(False, bindings=True)

    _NORMAL = {"provider", "breathe", "ask_continue", "leave"}
    _CONFIRM = {"answer"}

    def __init__(self, triage: Session) -> None:
        super().__init__()
        self.triage = triage

    @property
    def ticked(self) -> list[RedFlag]:
        """The ticked flags, urgent ones first, then in content order."""
        ticked = set(self.triage.details.get("flags", []))
        return sorted((f for f in self.content.red_flags if f.id in ticked), key=lambda f: not f.urgent)

    @property
    def breath_pattern(self) -> str:
        """What "b" opens: no breath holds if any ticked flag rules them out."""
        if any(f.no_breath_holds for f in self.ticked):
            return self.content.breathing.no_hold_pattern
        return self.content.breathing.default_pattern

    def compose(self) -> ComposeResult:
        notice = self.content.notice
        flags = self.ticked
        no_holds = self.breath_pattern != self.content.breathing.default_pattern
        yield Header()
        with VerticalScroll(id="redflag-body"):
            yield from self._urgent_first(flags)
            yield Static(notice.red_flag_advice, id="redflag-advice", markup=False)
            lines = ["You ticked:"]
            for flag in flags:
                mark = URGENT_MARK if flag.urgent else "-"
                lines.append(f"  {mark:<9}{flag.text}")
            yield Static("\n".join(lines), id="redflag-list", markup=False)
            pain = self.triage.pain_before
            if pain is not None:
                yield Static(f"Pain now: {pain}/10, {self.content.pain_words(pain)}", id="redflag-pain", markup=False)
            meanwhile = notice.red_flag_meanwhile_no_holds if no_holds else notice.red_flag_meanwhile
            yield Static(meanwhile, id="redflag-meanwhile", markup=False)
            breathing = self.content.pattern(self.breath_pattern).name + (", no breath holds" if no_holds else "")
            yield Static(
                "d  done: I will contact a healthcare provider (home)\n"
                f"b  {breathing}, while you arrange care\n"
                "g  go on to self-care anyway (asks to confirm)",
                id="redflag-keys",
                markup=False,
            )
            yield Static(
                "Go on to self-care although you ticked a red flag?\n"
                "y: yes, go on.  n or esc: no, stay here.",
                id="redflag-confirm",
                markup=False,
            )
            yield Static(id="redflag-hint")
        yield Footer()

    def _urgent_first(self, flags: list[RedFlag]) -> ComposeResult:
        """The urgent advice, each part of a bundled flag with its own advice (urgent parts
        first), and why these are urgent (the app's own judgement, from content)."""
        if any(f.urgent and not f.parts for f in flags):
            yield Static(f"URGENT  {self.content.notice.urgent_advice}", id="redflag-urgent", markup=False)
        for flag in flags:
            for part in sorted(flag.parts, key=lambda p: not p.urgent):
                mark = "URGENT  " if part.urgent else ""
                yield Static(
                    f"{mark}{part.text}:\n{part.advice}",
                    id=f"redflag-part-{part.id}",
                    classes="redflag-part -urgent" if part.urgent else "redflag-part",
                    markup=False,
                )
        if any(f.urgent for f in flags):
            tier = self.content.urgent_tier
            yield Static(f"Why urgent? {tier.label.capitalize()}: {tier.note}", id="redflag-basis", markup=False)

    def on_mount(self) -> None:
        self.query_one("#redflag-confirm").display = False

    def watch_confirming(self, confirming: bool) -> None:
        if self.is_mounted:
            self.query_one("#redflag-confirm").display = confirming
            self.query_one("#redflag-keys").display = not confirming
            _set(self.query_one("#redflag-hint", Static), "")
            if confirming:
                self.query_one("#redflag-confirm").scroll_visible()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self._NORMAL:
            return not self.confirming
        if action in self._CONFIRM:
            return self.confirming
        return True

    def _choose(self, choice: str) -> None:
        choose(self.triage, choice)

    def action_enter(self) -> None:
        # An Enter typed ahead (an urgent flag's Enter goes straight here) can come before the
        # screen is composed: it chooses nothing either way, so there is nothing to say yet.
        line = self.query_one_optional("#redflag-hint", Static)
        if line is None:
            return
        hint = (
            "Enter does not choose here: press y to go on, or n to stay."
            if self.confirming
            else "Enter does not choose here: press d, b or g."
        )
        _set(line, hint)
        line.scroll_visible()

    def action_provider(self) -> None:
        self._choose("see_provider")
        self.neck.action_home()

    def action_leave(self) -> None:
        self._choose("home")
        self.neck.action_home()

    def action_breathe(self) -> None:
        from neck_tui.screens.breathing import BreathingScreen

        # Pushed on top: back from breathing returns to this screen.
        self._choose("breathe")
        self.app.push_screen(BreathingScreen(self.breath_pattern))

    def action_ask_continue(self) -> None:
        self.confirming = True

    def action_answer(self, go_on: bool) -> None:
        """y goes on to self-care (recorded), n or escape stays here."""
        if not go_on:
            self.confirming = False
            return
        self._choose(CONTINUE)
        self.app.switch_screen(SuggestionScreen(self.triage))


# --- no red flag (or going on anyway) -------------------------------------------------------------


class SuggestionScreen(NeckScreen):
    """The suggested next step, and keys to open any self-care activity from here."""

    TITLE = "Triage: next step"

    # Every activity the registry offers after a triage (plans' `suggest=True`), by its Home key;
    # the first three in the Footer, all of them in the keys line and in help.
    OFFERED = [e for e in activities.ENTRIES if e.suggest]
    BINDINGS = [
        Binding("enter", "start", "Start", show=False),
        *(Binding(e.key, f"open('{e.name}')", e.title, show=i < 3) for i, e in enumerate(OFFERED)),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, triage: Session) -> None:
        super().__init__()
        self.triage = triage
        self.default: str | None = None  # the activity Enter starts

    def compose(self) -> ComposeResult:
        content = self.content
        details = self.triage.details
        preference = self.store.state.settings.preference
        helped = helped_most(self)

        if preference in ("heat", "cold"):
            self.default = preference
        elif helped is not None and helped[1] > 0:
            self.default = BY_KIND[helped[0]].name

        yield Header()
        yield RedFlagBanner()
        with VerticalScroll(id="suggest-body"):
            if details.get("choice") == CONTINUE:
                title = "You chose to go on with self-care."
            else:
                title = "No red flags ticked."
            yield Static(title, id="suggest-title")
            pain = self.triage.pain_before
            pain_line = f"Pain now: {pain}/10, {content.pain_words(pain)}" if pain is not None else "Pain not rated."
            yield Static(pain_line, id="suggest-pain", markup=False)

            if preference in ("heat", "cold"):
                regimen = content.regimen_for(preference)
                yield Static(f"Suggested: {regimen.name}, your preference.", id="suggest-next", markup=False)
                options = [(preference[0], regimen)]
            else:
                yield Static(content.notice.suggest_either, id="suggest-next", markup=False)
                options = [("h", content.regimen_for("heat")), ("c", content.regimen_for("cold"))]
            for key, regimen in options:
                yield Static(f"{key}  {regimen.name}: {regimen.summary}", classes="suggest-option", markup=False)
            yield Static(self._history_line(helped), id="suggest-history", markup=False)

            keys = []
            if self.default:
                keys.append(f"Enter  start {BY_NAME[self.default].title.lower()}")
            keys.append("   ".join(f"{e.key} {e.title.lower()}" for e in self.OFFERED) + "   esc home")
            yield Static("\n".join(keys), id="suggest-keys", markup=False)
            yield Static(id="suggest-hint")
        yield Footer()

    @staticmethod
    def _history_line(helped: tuple[str, float, int] | None) -> str:
        if helped is None:
            return "Rate your pain before and after sessions, and this will show what helps you most."
        kind, avg, count = helped
        sessions = "session" if count == 1 else "sessions"
        if avg <= 0:
            return f"No activity has lowered your pain on average yet ({count} rated {sessions})."
        title = BY_KIND[kind].title
        return f"What has helped you most: {title}, avg drop {avg:.1f} from {count} {sessions} (last {HISTORY_DAYS} days)."

    def _go(self, name: str) -> None:
        choose(self.triage, name)
        self.app.pop_screen()
        self.neck.action_open(name)

    def action_open(self, name: str) -> None:
        self._go(name)

    def action_start(self) -> None:
        if self.default is None:
            _set(self.query_one("#suggest-hint", Static), "Press h for heat or c for cold, or another key below.")
        else:
            self._go(self.default)

    def action_leave(self) -> None:
        choose(self.triage, "home")
        self.neck.action_home()
