"""Header: Textual's Header, safe while its screen is being replaced.

Textual's Header updates its title from a watcher; when keys typed ahead switch screens (over
SSH a burst arrives in one packet), that watcher can run after the old header's title widget is
gone and crash the app with NoMatches. This one skips the update then, as Textual already does
for a header without a screen.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle

from neck_tui.glyphs import glyph


class Header(TextualHeader):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("icon", glyph("icon"))  # ASCII on the Linux console, whose font lacks ⭘
        super().__init__(**kwargs)

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header's own title watchers, not as well as them
        super(TextualHeader, self)._on_mount(event)  # what every widget does on mount

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoMatches, NoScreen):  # the header is on its way out
                pass

        for owner in (self.app, self.screen):
            self.watch(owner, "title", set_title)
            self.watch(owner, "sub_title", set_title)
