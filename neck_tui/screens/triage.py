"""Triage, first part: tick red flags, then (if none is urgent) rate pain now.

Flow (one record of kind "triage" per finished triage):

    TriageScreen      step 1: tick red flags (1-9 / arrows + space), Enter. All nine show at
                      40x15 (short forms where the full text does not fit; the highlighted
                      flag's full text below the list). Any urgent flag ticked: Enter goes
                      straight to the red-flag screen, with no pain rating.
                      step 2: pain now 0-10 (digits / arrows), Enter   -> the record is saved
    FlagQuestion      no flag ticked and pain at or above a flag's `ask_at_pain` (flag 1, 8):
                      asks once whether that flag applies after all
    then RedFlagScreen or SuggestionScreen (neck_tui.screens.triage_results).
"""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import OptionList, Static

from neck_tui.content import RedFlag
from neck_tui.dialogs.flag_question import FlagQuestion
from neck_tui.screens.base import NeckScreen
from neck_tui.screens.triage_results import (
    RedFlagScreen,
    SuggestionScreen,
    _set,
    helped_most,
    suggestion_for,
)
from neck_tui.widgets.flags import URGENT_MARK, URGENT_SHORT, FlagList
from neck_tui.widgets.footer import Footer
from neck_tui.widgets.header import Header
from neck_tui.widgets.pain import PainScale

__all__ = ["RedFlagScreen", "SuggestionScreen", "TriageScreen"]

FLAGS_TITLE = "Step 1 of 2: red flags. Do any of these apply to you now?"
FLAGS_TITLE_COMPACT = "Red flags: any apply now?"


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


# --- step 1 and 2 -------------------------------------------------------------------------------


class TriageScreen(NeckScreen):
    """Step 1 ticks red flags, step 2 rates pain; focus decides which one the keys go to."""

    TITLE = "Triage"
    # Below 22 rows the hint line goes (the Footer still shows the keys) and step 2 shows only
    # once reached, so all nine flags fit; below 50 columns the list drops its side padding.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (22, "-tall")]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (50, "-wide")]

    BINDINGS = [
        Binding("enter", "next", "Next"),
        Binding("s", "skip_pain", "Skip rating"),
        Binding("escape", "back", "Back"),
    ]

    step: reactive[int] = reactive(1, bindings=True)

    def __init__(self) -> None:
        super().__init__()
        self._asked_flags: set[str] = set()  # flags already asked about after a high pain rating

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="triage-body"):
            flags = FlagList(self.content.red_flags, id="triage-flags")
            flags.border_title = FLAGS_TITLE
            yield flags
            yield Static(id="triage-full", markup=False)
            with Vertical(id="triage-step2") as step2:
                step2.border_title = "Step 2 of 2: how much does your neck hurt now?"
                yield TriagePain(id="triage-pain")
                yield Static(id="triage-hint")
        yield Footer()

    def on_mount(self) -> None:
        self.started = self.now()
        self.watch(self.flags, "compact", self._compact_changed)
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

    def _compact_changed(self, compact: bool) -> None:
        flags = self.flags
        flags.border_title = FLAGS_TITLE_COMPACT if compact else FLAGS_TITLE
        flags.border_subtitle = f"{URGENT_SHORT} = urgent" if compact else ""
        self._show_full()

    @on(OptionList.OptionHighlighted, "#triage-flags")
    def _show_full(self) -> None:
        """Under a compact list, the highlighted flag's full text (and its urgent mark)."""
        full = self.query_one("#triage-full", Static)
        if full.has_class("-warning"):  # a warning stays until the flags change
            full.display = self.step == 1
            return
        index = self.flags.highlighted
        text = ""
        if self.flags.compact and index is not None:
            flag = self.content.red_flags[index]
            text = f"{index + 1}  " + (f"{URGENT_MARK}  " if flag.urgent else "") + flag.text
        _set(full, text)
        full.display = self.step == 1 and bool(text)

    def _show_step(self, hint: str | None = None) -> None:
        self.set_class(self.step == 1, "-step1")
        self._show_full()
        if hint is None:
            hint = (
                "1-9 or arrows + space: tick.  Enter: next."
                if self.step == 1
                else "0-9 (1 then 0 for 10) or arrows.  Enter: done.  Esc: back to the list."
            )
        _set(self.query_one("#triage-hint", Static), hint)
        self.query_one("#triage-hint").set_class(hint.startswith("!"), "-warning")

    def _warn_under_list(self, text: str) -> None:
        full = self.query_one("#triage-full", Static)
        full.add_class("-warning")
        _set(full, text)
        full.display = True

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "skip_pain":
            return self.step == 2
        return True

    @on(PainScale.Changed)
    def _pain_changed(self) -> None:
        self._show_step()  # clears a "press 0-10" warning

    @on(FlagList.Changed)
    def _flags_changed(self) -> None:
        self.query_one("#triage-full").remove_class("-warning")
        self._show_full()

    def action_next(self) -> None:
        if self.step == 1:
            self._next_from_flags()
        elif self.pain.value is None:
            self._show_step("! Press 0-10 for your pain now, or s to skip the rating.")
        else:
            self._rated(self.pain.value)

    def _next_from_flags(self) -> None:
        flags = self.flags
        if not flags.all_seen:  # a list longer than the screen: show the rest before moving on
            flags.scroll_end(animate=False, immediate=True)
            self._warn_under_list("! More red flags below: check them all, then Enter.")
            return
        if any(f.urgent for f in self._ticked_flags()):
            self.finish(None)  # urgent care first: no pain rating in the way
        else:
            self._focus(self.pain)

    def _ticked_flags(self) -> list[RedFlag]:
        ticked = set(self.flags.ticked)
        return [f for f in self.content.red_flags if f.id in ticked]

    def _rated(self, pain: int) -> None:
        """Pain is in. With no flag ticked, a rating at a flag's `ask_at_pain` asks once
        whether that flag applies; otherwise the triage is done."""
        ask = next(
            (
                (i, f)
                for i, f in enumerate(self.content.red_flags)
                if f.ask_at_pain is not None and pain >= f.ask_at_pain and f.id not in self._asked_flags
            ),
            None,
        )
        if ask is None or self.flags.ticked:
            self.finish(pain)
            return
        index, flag = ask

        def answered(applies: bool | None) -> None:
            if applies is None:  # escape: back to the rating, nothing decided
                return
            self._asked_flags.add(flag.id)
            if applies:
                self.flags.toggle_index(index)
            self.finish(pain)

        self.app.push_screen(FlagQuestion(index + 1, flag, pain), answered)

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
        urgent = [f.id for f in self._ticked_flags() if f.urgent]
        details: dict[str, Any] = {"flags": flags, "urgent": urgent}
        if flags:
            details["outcome"] = "red_flag"
            details["suggestion"] = "urgent_care" if urgent else "see_provider"
        else:
            details["outcome"] = "self_care"
            details["suggestion"] = suggestion_for(self.store.state.settings.preference)
            helped = helped_most(self)
            if helped is not None and helped[1] > 0:
                details["helped_most"] = helped[0]
        if self._asked_flags:
            details["asked"] = sorted(self._asked_flags)
        triage = self.neck.new_session("triage", pain_before=pain, started=self.started, details=details)
        triage.finish(True)  # saved at once; the result screen adds what the user chose
        self.app.switch_screen(RedFlagScreen(triage) if flags else SuggestionScreen(triage))
