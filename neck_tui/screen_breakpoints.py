"""A screen that has its breakpoint classes (-narrow, -short...) from the start.

Textual sets a screen's breakpoint classes at its first Resize, after its widgets have mounted
and been styled; when they differ from none, the whole screen is styled again. A screen built
while the app runs takes them from the terminal's size when it is constructed, so that first
Resize changes nothing (about a sixth of opening a screen). Resizes still set them as usual.
"""

from __future__ import annotations

from typing import Any

from textual._context import active_app
from textual.screen import Screen


class BreakpointsFromStart(Screen[Any]):
    """Mixin: take the breakpoint classes for the current terminal size at construction."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        try:
            app = active_app.get()
        except LookupError:  # built outside a running app (a unit test): the first Resize sets them
            return
        horizontal = (app.HORIZONTAL_BREAKPOINTS if self.HORIZONTAL_BREAKPOINTS is None
                      else self.HORIZONTAL_BREAKPOINTS) or []
        vertical = (app.VERTICAL_BREAKPOINTS if self.VERTICAL_BREAKPOINTS is None
                    else self.VERTICAL_BREAKPOINTS) or []
        if not (horizontal or vertical):
            return
        width, height = app.size
        wanted = self._get_breakpoint_classes(width, horizontal) | self._get_breakpoint_classes(height, vertical)
        self.update_classes({name: name in wanted for _, name in [*horizontal, *vertical]}, update=False)
