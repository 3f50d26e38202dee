"""Footer: Textual's Footer, whose new keys are styled once, when they mount.

Textual 8 rebuilds the Footer's keys whenever the keys change (a screen opens, a mode changes).
Each new key is styled as it mounts, then restyled as its `compact` flag turns on, then again as
its Footer's setting turns it off: two extra full restyles of the key and its two parts, about a
fifth of the app's CPU in a session and of the test suite's time. Here the keys are compact from
the start (the class is set before they mount) and the Footer is compact underneath, so neither
restyle happens. From 60 columns the Footer is `roomy`: its keys get the spacing of Textual's
ordinary Footer back (styles/footer.tcss); narrower, it has Textual's compact look, so a
session's keys and "? Help" fit in 40 columns on every screen.

Textual also rebuilds the keys at every focus change and every reactive bound to the keys, most
of the time into the same keys; here the rebuild is skipped when the keys shown would not change.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

ROOMY_FROM = 60  # columns (the app's -narrow breakpoint)


class Footer(TextualFooter):
    roomy: reactive[bool] = reactive(True, toggle_class="-roomy")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self.set_class(True, "-roomy", update=False)  # styled roomy from the start, not restyled at mount

    _shown: tuple[object, ...] | None = None  # the keys the last compose drew

    def _keys_to_show(self) -> tuple[object, ...] | None:
        """What compose would draw: each shown binding, its state, and the palette's key."""
        if not self._bindings_ready:
            return None
        return (
            self.show_command_palette,
            *(
                (binding.key, binding.key_display, binding.action, binding.description,
                 binding.group, enabled, tooltip)
                for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == self.app.COMMAND_PALETTE_BINDING
            ),
        )

    async def recompose(self) -> None:
        if self.is_attached and self._keys_to_show() == self._shown:
            return
        await super().recompose()

    def compose(self) -> ComposeResult:
        self._shown = self._keys_to_show()
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.set_class(True, "-compact", update=False)  # as its `compact` will make it
            yield widget

    def on_resize(self, event: Resize) -> None:
        self.roomy = event.size.width >= ROOMY_FROM
