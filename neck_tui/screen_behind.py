"""A screen that stays cheap while a dialog is open over it (a fix for Textual 8.2.8).

A screen under a ModalScreen is a "background screen": Textual keeps it current (its timers and
widgets still update, and the dialog's dimmed backdrop shows them). When one of its widgets
changes, `Screen._compositor_refresh` passes the changed regions up to the dialog, but it also
marks the screen itself dirty with those same regions and sets `_repaint_required`. At the
screen's next idle, `_on_timer_update` turns that into "repaint the whole screen widget in
those regions" (dropping the widgets that really changed), which passes the same regions up
again and marks them again: a loop that never ends while the dialog is open. The first regions
in it are the whole screen (the screen is restyled as it is suspended), so every later update
behind a dialog, a countdown's once-a-second tick included, re-sends every cell of the
terminal: about 25 KB/s at 80x24 instead of a few hundred bytes. An opaque dialog background
does not help (the full-screen regions are still sent, as blanks).

`QuietBehind` breaks the loop: after the regions have gone up to the dialog, the screen behind
forgets them. The widgets that change still send their own regions, so the dimmed countdown
behind a dialog keeps ticking. Even so, Textual draws the whole dimmed backdrop as one widget
line, and re-sends a change from column 0 to the changed cell: a tick behind a translucent
dialog costs a few times the tick alone. Behind an opaque dialog (background alpha 1, e.g.
`background: $background`) nothing of the screen shows, so it sends nothing at all.
Mix it into every screen a dialog can open over (the app's screens, and dialogs, which can
open over each other).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen


class QuietBehind(Screen[Any]):
    """Mixin: while another screen is on top, pass changed regions up once, then forget them."""

    def _compositor_refresh(self) -> None:
        top = self.app.screen
        behind = self is not top
        if behind and top.styles.background.a >= 1:  # hidden by an opaque dialog: nothing to send
            self._compositor._dirty_regions.clear()
            self._dirty_widgets.clear()
            self._repaint_required = False
            return
        super()._compositor_refresh()
        if behind:
            self._repaint_required = False
            self._exchange_repaint_regions()  # (returns and clears the regions just passed up)
