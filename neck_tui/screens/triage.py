"""Triage: the nine red flags, pain now, then either a red-flag screen or a self-care suggestion.

Flow (one record of kind "triage" per finished triage):

    TriageScreen      step 1: tick red flags (1-9 / arrows + space), Enter
                      step 2: pain now 0-10 (digits / arrows), Enter   -> the record is saved
    RedFlagScreen     any flag ticked: contact a provider (urgent ones marked); Enter and escape
                      never lead into self-care; going on needs "c" then "y" (choice recorded)
    SuggestionScreen  no flag ticked (or the user chose to go on): the suggested next step from
                      the user's preference and what has helped them most; keys open activities

The record is saved as soon as the triage is answered, then updated with what the user chose,
so quitting on a result screen loses nothing but the choice.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Footer, Header, Static

from neck_tui import insights
from neck_tui.activities import BY_KIND, BY_NAME
from neck_tui.screens.base import NeckScreen
from neck_tui.store import Record, Store, StoreError
from neck_tui.widgets.banner import RedFlagBanner
from neck_tui.widgets.flags import URGENT_MARK, FlagList
from neck_tui.widgets.pain import PainScale

HISTORY_DAYS = 90
CONTINUE = "continue_self_care"


def _set(widget: Static, text: str) -> None:
    """Update a Static only when its text changes (repaints cost bytes over SSH)."""
    if getattr(widget, "_neck_text", None) != text:
        widget._neck_text = text  # type: ignore[attr-defined]
        widget.update(text)


class TriageLog:
    """The saved triage record and the one way to record what the user chose next."""

    def __init__(self, store: Store, record: Record) -> None:
        self.store = store
        self.record = record

    @property
    def details(self) -> dict[str, Any]:
        return self.record.details

    def save(self) -> str | None:
        """Write the record; the error message (one line) if that failed."""
        try:
            self.store.update_record(self.record)
        except StoreError as exc:
            return str(exc)
        return None

    def choose(self, choice: str) -> str | None:
        """Record the user's choice. Once the user chose to go on to self-care despite a red
        flag, that stays the choice and what they opened next goes to `then`."""
        details = dict(self.record.details)
        if details.get("choice") == CONTINUE and choice != CONTINUE:
            details["then"] = choice
        else:
            details["choice"] = choice
        self.record = self.record.model_copy(update={"details": details})
        return self.save()


class TriagePain(PainScale):
    """The pain scale, with its keys in the Footer."""

    BINDINGS = [
        Binding("right,up", "change(1)", "Pain", key_display="0-10/←→"),
        # Digits typed ahead of Enter reach the flag list first (Textual hands a key to the
        # widget focused when it arrives) and come back here as bindings: rate them too.
        *(Binding(str(n), f"digit({n})", show=False) for n in range(10)),
    ]

    def action_digit(self, digit: int) -> None:
        if digit == 0 and self._last_digit == "1":
            self.value = 10
            self._last_digit = None
        else:
            self.value = digit
            self._last_digit = str(digit)


def suggestion_for(preference: str) -> str:
    """What the triage suggests with no red flag: the user's preferred pack, or either."""
    return preference if preference in ("heat", "cold") else "heat_or_cold"


def helped_most(store: Store, now: datetime) -> tuple[tuple[str, float, int] | None, str | None]:
    """What has helped this user most lately, and the error message if history was unreadable."""
    try:
        return insights.helped_most(store, now, days=HISTORY_DAYS), None
    except StoreError as exc:
        return None, str(exc)


# --- step 1 and 2 -------------------------------------------------------------------------------


class TriageScreen(NeckScreen):
    """Step 1 ticks red flags, step 2 rates pain; focus decides which one the keys go to."""

    TITLE = "Triage"
    # Below 22 rows the hint line goes (the Footer still shows the keys).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]

    BINDINGS = [
        Binding("enter", "next", "Next"),
        Binding("s", "skip_pain", "Skip rating"),
        Binding("escape", "back", "Back"),
    ]

    step: reactive[int] = reactive(1, bindings=True)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="triage-body"):
            flags = FlagList(self.content.red_flags, id="triage-flags")
            flags.border_title = "Step 1 of 2: red flags. Do any of these apply to you now?"
            yield flags
            with Vertical(id="triage-step2") as step2:
                step2.border_title = "Step 2 of 2: how much does your neck hurt now?"
                yield TriagePain(id="triage-pain")
                yield Static(id="triage-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.started = self.now()
        self.query_one(FlagList).focus()
        self._show_step()

    @property
    def flags(self) -> FlagList:
        return self.query_one(FlagList)

    @property
    def pain(self) -> PainScale:
        return self.query_one(TriagePain)

    def on_descendant_focus(self) -> None:
        self.step = 2 if self.focused is self.pain else 1

    def watch_step(self) -> None:
        if self.is_mounted:
            self._show_step()

    def _show_step(self, hint: str | None = None) -> None:
        if hint is None:
            hint = (
                "1-9 or arrows + space: tick.  Enter: next, pain now."
                if self.step == 1
                else "0-9 (1 then 0 for 10) or arrows.  Enter: done.  Esc: back to the list."
            )
        _set(self.query_one("#triage-hint", Static), hint)
        self.query_one("#triage-hint").set_class(hint.startswith("!"), "-warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip_pain":
            return self.step == 2
        return True

    @on(PainScale.Changed)
    def _pain_changed(self) -> None:
        self._show_step()  # clears a "press 0-10" warning

    def action_next(self) -> None:
        if self.step == 1:
            self._focus(self.pain)
        elif self.pain.value is None:
            self._show_step("! Press 0-10 for your pain now, or s to skip the rating.")
        else:
            self.finish(self.pain.value)

    def action_skip_pain(self) -> None:
        self.finish(None)

    def action_back(self) -> None:
        if self.step == 2:
            self._focus(self.flags)
        else:
            self.neck.action_back()

    def _focus(self, widget: Any) -> None:
        """Move the focus now, not later (widget.focus() defers it): keys typed ahead in the
        same burst (over SSH they come in one packet) must go to the new step."""
        self.set_focus(widget)
        self.step = 2 if widget is self.pain else 1

    def finish(self, pain: int | None) -> None:
        """Save the triage and show the red-flag screen or the suggestion."""
        flags = self.flags.ticked
        urgent = [f.id for f in self.content.red_flags if f.urgent and f.id in flags]
        details: dict[str, Any] = {"flags": flags, "urgent": urgent}
        if flags:
            details["outcome"] = "red_flag"
            details["suggestion"] = "urgent_care" if urgent else "see_provider"
        else:
            details["outcome"] = "self_care"
            details["suggestion"] = suggestion_for(self.store.state.settings.preference)
            helped, _error = helped_most(self.store, self.now())
            if helped is not None and helped[1] > 0:
                details["helped_most"] = helped[0]
        record = Record(
            kind="triage",
            started=self.started,
            ended=self.now(),
            completed=True,
            pain_before=pain,
            details=details,
        )
        log = TriageLog(self.store, record)
        error = log.save()
        if error:
            self.notify(error, title="Triage not saved", severity="error", timeout=15)
        self.app.switch_screen(RedFlagScreen(log) if flags else SuggestionScreen(log))


# --- any red flag -------------------------------------------------------------------------------


class RedFlagScreen(NeckScreen):
    """Contact a healthcare provider. Enter does nothing here and escape goes home (recorded
    as "home"); going on to self-care takes "c" then "y", recorded as continue_self_care."""

    TITLE = "Red flag"

    BINDINGS = [
        Binding("d", "provider", "Getting care"),
        Binding("b", "breathe", "Breathe"),
        Binding("c", "ask_continue", "Go on anyway"),
        Binding("escape", "leave", "Home"),
        Binding("y", "confirm", "Yes, go on"),
        Binding("n", "cancel", "No, stay"),
        Binding("escape", "cancel", "No, stay", show=False),
        Binding("enter", "enter", show=False),
    ]

    confirming: reactive[bool] = reactive(False, bindings=True)

    _NORMAL = {"provider", "breathe", "ask_continue", "leave"}
    _CONFIRM = {"confirm", "cancel"}

    def __init__(self, triage: TriageLog) -> None:
        super().__init__()
        self.triage = triage

    def compose(self) -> ComposeResult:
        notice = self.content.notice
        ticked = set(self.triage.details.get("flags", []))
        # Urgent ones first, then in content order.
        flags = sorted((f for f in self.content.red_flags if f.id in ticked), key=lambda f: not f.urgent)
        urgent = [f for f in flags if f.urgent]
        yield Header()
        with VerticalScroll(id="redflag-body"):
            if urgent:
                yield Static(f"URGENT  {notice.urgent_advice}", id="redflag-urgent", markup=False)
            yield Static(notice.red_flag_advice, id="redflag-advice", markup=False)
            lines = ["You ticked:"]
            for flag in flags:
                mark = URGENT_MARK if flag.urgent else "-"
                lines.append(f"  {mark:<9}{flag.text}")
            yield Static("\n".join(lines), id="redflag-list", markup=False)
            pain = self.triage.record.pain_before
            if pain is not None:
                yield Static(f"Pain now: {pain}/10, {self.content.pain_words(pain)}", id="redflag-pain", markup=False)
            yield Static(notice.red_flag_meanwhile, id="redflag-meanwhile", markup=False)
            yield Static(
                "d  done: I will contact a healthcare provider (home)\n"
                "b  box breathing while you arrange care\n"
                "c  go on to self-care anyway (asks to confirm)",
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
        error = self.triage.choose(choice)
        if error:
            self.notify(error, title="Choice not saved", severity="error", timeout=15)

    def action_enter(self) -> None:
        hint = (
            "Enter does not choose here: press y to go on, or n to stay."
            if self.confirming
            else "Enter does not choose here: press d, b or c."
        )
        _set(self.query_one("#redflag-hint", Static), hint)
        self.query_one("#redflag-hint").scroll_visible()

    def action_provider(self) -> None:
        self._choose("see_provider")
        self.neck.action_home()

    def action_leave(self) -> None:
        self._choose("home")
        self.neck.action_home()

    def action_breathe(self) -> None:
        # Pushed on top: back from breathing returns to this screen.
        self._choose("breathe")
        self.neck.action_open("breathe")

    def action_ask_continue(self) -> None:
        self.confirming = True

    def action_cancel(self) -> None:
        self.confirming = False

    def action_confirm(self) -> None:
        self._choose(CONTINUE)
        self.app.switch_screen(SuggestionScreen(self.triage))


# --- no red flag (or going on anyway) -------------------------------------------------------------


class SuggestionScreen(NeckScreen):
    """The suggested next step, and keys to open any self-care activity from here."""

    TITLE = "Triage: next step"

    BINDINGS = [
        Binding("enter", "start", "Start", show=False),
        Binding("h", "open('heat')", "Heat"),
        Binding("c", "open('cold')", "Cold"),
        Binding("x", "open('contrast')", "Contrast", show=False),
        Binding("b", "open('breathe')", "Breathe"),
        Binding("e", "open('exercises')", "Exercises", show=False),
        Binding("escape", "leave", "Home"),
    ]

    def __init__(self, triage: TriageLog) -> None:
        super().__init__()
        self.triage = triage
        self.default: str | None = None  # the activity Enter starts

    def compose(self) -> ComposeResult:
        content = self.content
        details = self.triage.details
        preference = self.store.state.settings.preference
        helped, error = helped_most(self.store, self.now())
        if error:
            self.notify(error, title="History not read", severity="warning", timeout=15)

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
            pain = self.triage.record.pain_before
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
            keys.append("h heat   c cold   x contrast   b box breathing   e exercises   esc home")
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
        error = self.triage.choose(name)
        if error:
            self.notify(error, title="Choice not saved", severity="error", timeout=15)
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
        error = self.triage.choose("home")
        if error:
            self.notify(error, title="Choice not saved", severity="error", timeout=15)
        self.neck.action_home()
