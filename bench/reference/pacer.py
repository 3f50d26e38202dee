"""Reference: a naive breathing pacer that redraws a whole box at 60 frames a second.

A marker travels round a 40x12 box once every 16 s (4 s a side, box breathing); every frame
rebuilds the whole box as text and replaces the widget's content, the way a first attempt would;
a Header and a Footer, as on every screen of the app.
Run: python -m bench.reference.pacer
"""

from __future__ import annotations

import time

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Label, Static

W, H = 40, 12  # outer size of the box
SIDE_S = 4.0
WORDS = ("Breathe in", "Hold", "Breathe out", "Hold")


def frame(t: float) -> str:
    side = int(t // SIDE_S) % 4
    f = (t % SIDE_S) / SIDE_S
    # the marker's position along the current side, clockwise from the top-left corner
    if side == 0:
        pos = (round(f * (W - 1)), 0)
    elif side == 1:
        pos = (W - 1, round(f * (H - 1)))
    elif side == 2:
        pos = (W - 1 - round(f * (W - 1)), H - 1)
    else:
        pos = (0, H - 1 - round(f * (H - 1)))
    rows = []
    for y in range(H):
        row = []
        for x in range(W):
            if (x, y) == pos:
                row.append("●")
            elif y in (0, H - 1):
                row.append("─" if 0 < x < W - 1 else "┌┐└┘"[(x > 0) + 2 * (y > 0)])
            elif x in (0, W - 1):
                row.append("│")
            else:
                row.append(" ")
        rows.append("".join(row))
    word = f"{WORDS[side]} {SIDE_S - (t % SIDE_S):.1f}"
    middle = H // 2
    inner = rows[middle][1:-1]
    rows[middle] = rows[middle][0] + word.center(len(inner)) + rows[middle][-1]
    return "\n".join(rows)


class PacerApp(App[None]):
    CSS = """
    Screen { align: center middle; }
    #box { width: auto; height: auto; }
    """
    BINDINGS = [("ctrl+q", "quit", "Quit")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label("Reference pacer")
        yield Static(frame(0.0), id="box")
        yield Footer()

    def on_mount(self) -> None:
        self.started = time.monotonic()
        self.set_interval(1 / 60, self.tick)

    def tick(self) -> None:
        self.query_one("#box", Static).update(frame(time.monotonic() - self.started))


if __name__ == "__main__":
    PacerApp().run()
