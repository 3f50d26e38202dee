"""One-line reminder shown on self-care screens within 24 h of a red-flag triage."""

from __future__ import annotations

from typing import Any

from textual.widgets import Static

from neck_tui import insights
from neck_tui.store import StoreError


class RedFlagBanner(Static):
    """Hidden unless the user ticked a red flag in a triage during the last 24 hours."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("markup", False)  # the text comes from content: brackets are literal
        super().__init__(**kwargs)

    def on_mount(self) -> None:
        app = self.app
        try:
            flagged = insights.red_flag_triage(app.store, app.now())  # type: ignore[attr-defined]
        except StoreError:
            flagged = None  # unreadable history: the screen shows the store's own message
        if flagged is None:
            self.display = False
        else:
            self.update("! " + app.content.notice.reminder_banner)  # type: ignore[attr-defined]
