"""The timer display sends only what changed: the countdown's last glyph, the bar's moving edge, the label."""

from __future__ import annotations

from typing import Any

from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App, ComposeResult
from textual.screen import Screen

from neck_tui.widgets.countdown import BAR, HALF, Countdown, ProgressLine
from tests.fakes import settle, wait_for


class Timer(App[None]):
    CSS = "Countdown { margin: 0 10; }"

    def __init__(self) -> None:
        super().__init__()
        self.updates: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Countdown(754)
        yield ProgressLine()

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            self.updates.append(renderable)
        super()._display(screen, renderable)


def columns(updates: list[Any], rows: range) -> set[int]:
    assert not any(isinstance(u, LayoutUpdate) for u in updates)
    return {x for u in updates if isinstance(u, ChopsUpdate) for y, x1, x2 in u.spans if y in rows for x in range(x1, x2)}


async def test_a_tick_repaints_the_last_glyph_and_the_label_only() -> None:
    app = Timer()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown, line = app.query_one(Countdown), app.query_one(ProgressLine)
        line.update(total=600, progress=0, label="00:00 / 10:00")
        await settle(pilot, app.updates)
        app.updates.clear()
        assert countdown.show(753) and not countdown.show(753)
        line.update(progress=1, label="00:01 / 10:00")
        await wait_for(pilot, lambda: columns(app.updates, range(0, 4)))
        await settle(pilot, app.updates)
        assert countdown.value == "12:33"
        glyphs = columns(app.updates, range(0, 3))
        assert glyphs and min(glyphs) >= 10 + 4 * 3  # the fifth glyph (after "12:3"), nothing left of it
        label = columns(app.updates, range(3, 4))
        assert label and min(label) >= 40 - len(" 00:01 / 10:00")  # the bar did not move

        line.update(progress=315, label="05:15 / 10:00")  # past half way: the edge moves into the middle
        await pilot.pause()
        assert app.screen._compositor.render_strips()[3].text == BAR * 13 + HALF + BAR * 12 + " 05:15 / 10:00"
        assert [role for _, role in line.bar(26)] == ["done"] * 14 + ["left"] * 12


async def test_the_countdown_relays_out_when_it_gains_an_hour() -> None:
    app = Timer()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.show(3600)
        await wait_for(pilot, lambda: countdown.size.width == 7 * 3)  # laid out again, wider
        assert countdown.value == "1:00:00"
