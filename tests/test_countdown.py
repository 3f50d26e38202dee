"""The timer display sends only what changed: the rows of the glyphs whose digit changed, the
bar's moving edge, the label; and it draws the time at any size, readable."""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App, ComposeResult
from textual.screen import Screen

from neck_tui.widgets.countdown import BAR, HALF, Countdown, Glyph, ProgressLine, clock_text, countdown_size
from tests.fakes import settle, wait_for
from tests.screen import read_countdown, screen_text


class Timer(App[None]):
    CSS = "Countdown { margin: 0 10; }"

    def __init__(self, seconds: int = 754) -> None:
        super().__init__()
        self.seconds = seconds
        self.updates: list[Any] = []

    def compose(self) -> ComposeResult:
        yield Countdown(self.seconds)
        yield ProgressLine()

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            self.updates.append(renderable)
        super()._display(screen, renderable)


def cells(updates: list[Any], rows: range) -> set[tuple[int, int]]:
    """(x, y) of every cell the updates re-sent in these rows."""
    assert not any(isinstance(u, LayoutUpdate) for u in updates)
    return {(x, y) for u in updates if isinstance(u, ChopsUpdate) for y, x1, x2 in u.spans if y in rows
            for x in range(x1, x2)}


def count_draws(monkeypatch: pytest.MonkeyPatch) -> dict[int, int]:
    """How many times each glyph (by id) draws its lines from now on."""
    draws: dict[int, int] = {}
    draw = Glyph.draw_lines

    def counted(glyph: Glyph) -> Any:
        draws[id(glyph)] = draws.get(id(glyph), 0) + 1
        return draw(glyph)

    monkeypatch.setattr(Glyph, "draw_lines", counted)
    return draws


async def test_a_tick_repaints_the_changed_rows_of_the_last_glyph_only() -> None:
    app = Timer()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown, line = app.query_one(Countdown), app.query_one(ProgressLine)
        line.update(total=600, progress=0, label="0 / 10 min")
        await settle(pilot, app.updates)
        app.updates.clear()
        assert countdown.show(753) and not countdown.show(753)
        line.update(progress=1, label="0 / 10 min")
        await wait_for(pilot, lambda: cells(app.updates, range(0, 3)))
        await settle(pilot, app.updates)
        assert countdown.value == "12:33"
        sent = cells(app.updates, range(0, 3))
        last = countdown.glyphs[-1].region
        assert sent and all(last.contains(x, y) for x, y in sent)  # nothing left of the last glyph
        assert {y for _, y in sent} == {0, 2}  # "4" -> "3": the middle row ("▀▀█") stays
        assert not cells(app.updates, range(3, 4))  # the bar's edge did not move, the label did not change

        app.updates.clear()
        line.update(progress=330)  # past half way: the edge moves into the middle
        await wait_for(pilot, lambda: cells(app.updates, range(3, 4)))
        await settle(pilot, app.updates)
        assert max(x for x, _ in cells(app.updates, range(3, 4))) == 15  # sent up to the edge, not the label
        assert app.screen._compositor.render_strips()[3].text == BAR * 15 + HALF + BAR * 13 + " 0 / 10 min"
        assert [role for _, role in line.bar(29)] == ["done"] * 16 + ["left"] * 13


async def test_one_second_redraws_only_the_glyphs_whose_digit_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    app = Timer(seconds=751)
    async with app.run_test(size=(60, 12)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.scale = 3  # the minutes drawn large: still one glyph a digit
        await wait_for(pilot, lambda: countdown.size == countdown_size("12:31", 3))
        await settle(pilot, app.updates)
        draws = count_draws(monkeypatch)
        glyphs = [id(glyph) for glyph in countdown.glyphs]

        async def second(seconds: int) -> dict[int, int]:
            draws.clear()
            countdown.show(seconds)
            await wait_for(pilot, lambda: glyphs[-1] in draws)
            await settle(pilot, app.updates)
            return dict(draws)

        assert await second(750) == {glyphs[-1]: 1}  # 12:31 -> 12:30
        assert await second(749) == {glyphs[-2]: 1, glyphs[-1]: 1}  # 12:29: the tens of seconds too
        await second(720)
        # 12:00 -> 11:59: a minute glyph too, not the "1" that stays
        assert await second(719) == {glyphs[1]: 1, glyphs[-2]: 1, glyphs[-1]: 1}


@pytest.mark.parametrize("scale", [1, 2, 3, 7])
async def test_the_time_reads_the_same_at_every_scale(scale: int) -> None:
    app = Timer(seconds=3 * 3600 + 45 * 60 + 9)
    async with app.run_test(size=(140, 24)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.scale = scale
        await wait_for(pilot, lambda: countdown.size == countdown_size("3:45:09", scale))
        await settle(pilot, app.updates)
        read, rows = read_countdown(screen_text(app))
        assert read == "3:45:09"
        assert rows == countdown.size.height == -(-5 * scale // 2)  # five pixels of `scale` half-rows


async def test_the_countdown_relays_out_when_it_gains_an_hour() -> None:
    app = Timer()
    async with app.run_test(size=(40, 6)) as pilot:
        countdown = app.query_one(Countdown)
        countdown.show(3600)
        await wait_for(pilot, lambda: countdown.size.width == countdown_size("1:00:00", 1).width)  # wider
        await wait_for(pilot, lambda: read_countdown(screen_text(app))[0] == "1:00:00")
        countdown.show(3599)
        await wait_for(pilot, lambda: read_countdown(screen_text(app))[0] == clock_text(3599) == "59:59")


async def test_a_second_of_a_heat_session_at_120x40_redraws_one_glyph(
    make_app: Any, clock: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(start="heat")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter", "s")  # start, skip the pain check
        await wait_for(pilot, lambda: getattr(app.screen, "mode", "") == "running")
        clock.advance(3.5)  # 19:57 shown (never a tens change in the next second)
        app.screen.tick()
        countdown = app.screen.query_one(Countdown)
        await wait_for(pilot, lambda: countdown.scale > 1 and read_countdown(screen_text(app))[0] == "19:57")
        for _ in range(3):  # settled
            await pilot.pause()
        draws = count_draws(monkeypatch)
        clock.advance(1)
        app.screen.tick()
        await wait_for(pilot, lambda: draws)
        for _ in range(3):  # a few frames more: nothing else is drawn
            await pilot.pause()
        assert countdown.value == "19:56"
        assert draws == {id(countdown.glyphs[-1]): 1}
