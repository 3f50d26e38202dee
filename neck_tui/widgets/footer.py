"""Footer: Textual's Footer, built so that showing new keys restyles each key once, not twice.

Textual 8 rebuilds the Footer's keys whenever the keys change (a screen opens, a mode changes).
Each new key starts in the compact style and is then switched to its Footer's style: a second
full restyle of the key and its two parts, which was about a tenth of the app's CPU in a session
and of the test suite's time. This Footer is always compact underneath, so the first style holds;
`roomy` (the default) gives its keys the spacing of Textual's ordinary Footer back
(styles/footer.tcss), and `roomy = False` is Textual's compact look, for narrow screens.
"""

from __future__ import annotations

from typing import Any

from textual.reactive import reactive
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    roomy: reactive[bool] = reactive(True, toggle_class="-roomy")

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(compact=True, **kwargs)
        self.set_class(True, "-roomy", update=False)
