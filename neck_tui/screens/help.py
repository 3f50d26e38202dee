"""Help: every key that works on the screen the user came from, in three groups.

The screen's own keys first (its widgets' and its own, in the order its BINDINGS list them,
which is the order they are used), then the app's (everywhere), then Textual's own (focus
next, copy text...). Each key shows the label the screen gives it now: escape reads "Stop"
on a running session, never "back".
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from neck_tui.screen_behind import QuietBehind
from neck_tui.screen_breakpoints import BreakpointsFromStart
from neck_tui.widgets.footer import Footer

_NAMES = {"question_mark": "?", "escape": "esc", "enter": "Enter", "space": "space", "f1": "F1",
          "exclamation_mark": "!", "left": "←", "right": "→", "up": "↑", "down": "↓", "plus": "+", "minus": "-"}
# Scrolling keys every scrollable widget has; they would drown the rest.
_GENERIC = ("scroll_", "page_", "nothing", "screen.nothing")
OWN, APP, TEXTUAL = "Keys on this screen", "Everywhere", "Textual's own"


def _key_name(key: str) -> str:
    return _NAMES.get(key, key)


def _declared_here(node: DOMNode) -> dict[tuple[str, str], int]:
    """(key, action) -> place, of the bindings the app's own classes declare for `node`: the
    node's own class first, in its BINDINGS order (the order of use), then its bases'."""
    found: dict[tuple[str, str], int] = {}
    for cls in type(node).__mro__:
        if cls.__module__.startswith("neck_tui"):
            for b in Binding.make_bindings(cls.__dict__.get("BINDINGS", [])):
                found.setdefault((b.key, b.action), len(found))
    return found


def key_groups(under: Screen) -> dict[str, dict[str, list[str]]]:
    """label -> keys, per group (OWN, APP, TEXTUAL); the screen's own in their order of use."""
    groups: dict[str, dict[str, list[str]]] = {OWN: {}, APP: {}, TEXTUAL: {}}
    places: dict[str, tuple[int, int]] = {}  # an own label's first place: (node in the chain, binding)
    declared: dict[int, dict[tuple[str, str], int]] = {}
    for key, active in under.active_bindings.items():
        binding, label = active.binding, active.binding.description
        if binding.action.endswith("command_palette"):
            group, label = APP, "Command palette: open any screen"
        elif not label or binding.action.startswith(_GENERIC):
            continue  # plumbing (a digit typed ahead, a key that must do nothing) or scrolling
        else:
            mine = declared.setdefault(id(active.node), _declared_here(active.node))
            place = mine.get((binding.key, binding.action))
            if place is None:
                group = TEXTUAL
            elif active.node is under.app:
                group = APP
            else:
                group = OWN
                places[label] = min(places.get(label, (len(declared), place)), (len(declared), place))
        keys = groups[group].setdefault(label, [])
        shown = binding.key_display or _key_name(key)
        if shown not in keys:
            keys.append(shown)
    groups[OWN] = dict(sorted(groups[OWN].items(), key=lambda row: places[row[0]]))
    return groups


class HelpScreen(BreakpointsFromStart, QuietBehind, ModalScreen[None]):  # QuietBehind: it can open over a running timer
    BINDINGS = [Binding("escape,enter,q,f1,question_mark", "close", "Close")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        lines: list[str] = []
        for title, rows in key_groups(self.under).items():
            if rows:
                lines += ([""] if lines else []) + [f"[b]{title}[/b]", ""]
                lines += [escape(f"  {' / '.join(keys):<18} {label}") for label, keys in rows.items()]
        with VerticalScroll(id="help-box"):
            yield Static("\n".join(lines), id="help-text", markup=True)
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
