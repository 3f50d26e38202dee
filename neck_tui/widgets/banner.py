"""One-line reminder shown on self-care screens within 24 h of a red-flag triage."""

from __future__ import annotations

from textual.widgets import Static

from neck_tui import insights


class RedFlagBanner(Static):
    """Hidden unless the user ticked a red flag in a triage during the last 24 hours."""

    def on_mount(self) -> None:
        app = self.app
        flagged = insights.red_flag_triage(app.store, app.now())  # type: ignore[attr-defined]
        if flagged is None:
            self.display = False
        else:
            self.update("! " + app.content.notice.reminder_banner)  # type: ignore[attr-defined]
