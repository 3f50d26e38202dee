"""The red-flag checklist: nine warning signs, ticked by number key or arrows + space."""

from __future__ import annotations

from typing import Sequence

from textual import events, on
from textual.actions import SkipAction
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from neck_tui.content import RedFlag

URGENT_MARK = "! urgent"
URGENT_SHORT = "!"  # in the compact list; the border says what it means
# A digit that follows another within this time is part of a number (a pain of 10 typed ahead,
# "12"), not a flag: the flag the first digit ticked is unticked again. The app's own choice.
NUMBER_GAP_S = 1.0


class FlagList(OptionList):
    """A checklist of red flags. 1-9 toggle a flag directly; arrows + space toggle the
    highlighted one; a click toggles too. Enter is left to the screen (it means "next").

    Ticked state is shown as [x] / [ ] and urgent flags carry a mark, not colour alone.
    `compact` is set by the widget itself whenever a full text would not fit on one line:
    then each flag shows its short form and a "!" for urgent, so all nine fit at 40x15.
    """

    # The number keys are bindings, not a key handler: Textual looks bindings up in the order
    # the keys came, with the focus of that moment, so "7 Enter 7 Enter" typed ahead in one
    # burst (as over SSH) ticks flag 7 and gives the second 7 to whatever Enter focused next.
    BINDINGS = [
        Binding("space", "toggle", "Tick", key_display="space/1-9"),
        Binding("enter", "pass_enter", "Next"),  # shown here; the screen acts on it
        *(Binding(str(n), f"tick_number({n})", show=False) for n in range(10)),
    ]

    compact: reactive[bool] = reactive(False, init=False)

    class Changed(Message):
        """The set of ticked flags changed; `ticked` is in content order."""

        def __init__(self, flag_list: "FlagList", ticked: list[str]) -> None:
            super().__init__()
            self.flag_list = flag_list
            self.ticked = ticked

        @property
        def control(self) -> "FlagList":
            return self.flag_list

    def __init__(self, flags: Sequence[RedFlag], ticked: Sequence[str] = (), *, id: str | None = None) -> None:
        self.flags = list(flags)
        self._ticked = {f.id for f in self.flags if f.id in set(ticked)}
        self._seen_end = False
        self._last_digit: tuple[int, float] | None = None  # (index it toggled or -1, when)
        super().__init__(*(Option(self._prompt(i, compact=False), id=f.id) for i, f in enumerate(self.flags)), id=id)

    @property
    def ticked(self) -> list[str]:
        """Ids of the ticked flags, in the order they are shown."""
        return [f.id for f in self.flags if f.id in self._ticked]

    def is_ticked(self, flag_id: str) -> bool:
        return flag_id in self._ticked

    @property
    def all_seen(self) -> bool:
        """Every flag has been on screen: nothing is below the fold, or the end was shown."""
        return self._seen_end or self.max_scroll_y == 0

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        if self.max_scroll_y > 0 and new >= self.max_scroll_y - 0.5:
            self._seen_end = True

    def _prompt(self, index: int, compact: bool | None = None) -> Content:
        flag = self.flags[index]
        compact = self.compact if compact is None else compact
        on = flag.id in self._ticked
        number = f"{index + 1}" if index < 9 else " "
        box = ("[x]" if on else "[ ]", "bold" if on else "")
        text = (flag.short or flag.text) if compact else flag.text
        if compact:
            mark = (URGENT_SHORT if flag.urgent else " ", "bold $text-error")
            return Content.assemble(box, f" {number} ", mark, " ", (text, "bold" if on else ""))
        parts: list[str | tuple[str, str]] = [box, f" {number}  ", (text, "bold" if on else "")]
        if flag.urgent:
            parts += ["  ", (URGENT_MARK, "bold $text-error")]
        return Content.assemble(*parts)

    def on_resize(self, event: events.Resize) -> None:
        # Leave room for a scrollbar either way, so showing one never flips the choice back.
        width = self.content_size.width - self.styles.scrollbar_size_vertical
        self.compact = any(self._prompt(i, compact=False).cell_length > width for i in range(len(self.flags)))

    def watch_compact(self) -> None:
        for index in range(len(self.flags)):
            self.replace_option_prompt_at_index(index, self._prompt(index))

    def toggle_index(self, index: int) -> None:
        """Tick or untick the flag at index (0-based) and highlight it."""
        if not 0 <= index < len(self.flags):
            return
        flag_id = self.flags[index].id
        self._ticked ^= {flag_id}
        self.highlighted = index
        self.replace_option_prompt_at_index(index, self._prompt(index))
        self.post_message(self.Changed(self, self.ticked))

    def action_toggle(self) -> None:
        self._last_digit = None
        if self.highlighted is not None:
            self.toggle_index(self.highlighted)

    def action_pass_enter(self) -> None:
        self._last_digit = None
        raise SkipAction()  # let the screen's Enter binding have it

    def action_tick_number(self, number: int) -> None:
        """Number key n ticks the n-th flag. A 0 right after a 1 makes "10" (a pain rating typed
        ahead): it undoes that 1's tick. Any other quick pair stays two flags: ticking two red
        flags fast must never tick neither."""
        now = self.app.clock()  # type: ignore[attr-defined]
        last, self._last_digit = self._last_digit, None
        if number == 0:
            if last is not None and last[0] == 0 and now - last[1] < NUMBER_GAP_S:
                self.toggle_index(0)  # "10": not flag 1
            return
        index = number - 1 if number <= len(self.flags) else -1
        if index >= 0:
            self.toggle_index(index)
        self._last_digit = (index, now)

    @on(OptionList.OptionSelected)
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        # Enter is passed on to the screen, so this comes from a mouse click.
        event.stop()
        self.toggle_index(event.option_index)
