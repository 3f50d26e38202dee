"""Help: every key that works on the screen the user came from, and the global ones."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from neck_tui.screen_behind import QuietBehind

_NAMES = {"question_mark": "?", "escape": "esc", "enter": "Enter", "space": "space", "f1": "F1"}
# Generic scrolling and focus keys every scrollable widget has; they would drown the rest.
_GENERIC = ("scroll_", "page_", "focus_next", "focus_previous", "nothing", "command_palette")


def _key_name(key: str) -> str:
    return _NAMES.get(key, key)


class HelpScreen(QuietBehind, ModalScreen[None]):  # QuietBehind: it can open over a running timer
    BINDINGS = [Binding("escape,q,f1,question_mark", "close", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        rows: dict[str, list[str]] = {}
        for key, active in self.under.active_bindings.items():
            binding = active.binding
            if binding.system or binding.action.startswith(_GENERIC) or binding.action.startswith("app.command"):
                continue
            label = binding.description or binding.action.replace("_", " ")
            display = _key_name(key)
            if display not in rows.setdefault(label, []):
                rows[label].append(display)
        lines = ["[b]Keys on this screen[/b]", ""]
        for label, keys in sorted(rows.items(), key=lambda item: item[0].lower()):
            lines.append(f"  {' / '.join(keys):<18} {label}")
        lines += [
            "",
            "[b]Everywhere[/b]",
            "",
            f"  {'ctrl+p':<18} command palette: open any screen",
            f"  {'? / F1':<18} this help",
            f"  {'esc':<18} back",
            f"  {'ctrl+q':<18} quit (a running session is saved)",
        ]
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(lines), id="help-text")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
