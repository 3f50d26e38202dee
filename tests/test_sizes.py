"""Sizes (issue 17): Home's list, the pacer's square and the heat countdown use the room they have,
from 40x15 to 200x60, and nothing is cut or wraps under Home's key column."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
from textual.widgets import OptionList

from neck_tui.activities import ENTRIES
from neck_tui.store import Store
from neck_tui.widgets.countdown import Countdown, clock_text
from neck_tui.widgets.pacer import Pacer
from tests.fakes import FakeClock, wait_for
from tests.screen import read_countdown, screen_text

SIZES = [(40, 15), (80, 24), (120, 40), (200, 60)]


def _size_id(size: tuple[int, int]) -> str:
    return f"{size[0]}x{size[1]}"


@pytest.mark.parametrize("size", SIZES, ids=_size_id)
async def test_home_shows_every_entry_and_nothing_wraps_under_the_keys(
    make_app: Callable[..., Any], size: tuple[int, int]
) -> None:
    app = make_app()
    async with app.run_test(size=size) as pilot:
        options = app.screen.query_one("#activities", OptionList)

        def rows() -> list[str]:
            region = options.content_region
            lines = screen_text(app).splitlines() + [""] * size[1]
            return [lines[y][region.x : region.right] for y in range(region.y, region.bottom)]

        heads = [f"{a.key}  {a.title}" for a in ENTRIES]

        def every_entry_shown() -> bool:
            listed = "\n".join(rows())
            return all(head in listed for head in heads)

        await wait_for(pilot, lambda: app.screen.fitted)
        await wait_for(pilot, every_entry_shown)
        shown = rows()
        key_x = next(row.index(heads[0]) for row in shown if heads[0] in row)
        starts = [y for y, row in enumerate(shown) if any(row[key_x:].startswith(head) for head in heads)]
        assert [shown[y][key_x:].split("  ")[1].strip() for y in starts] == [a.title for a in ENTRIES]
        for y, row in enumerate(shown):
            assert "…" not in row, row
            if y not in starts:  # a description's lines, a rule between entries, or blank
                assert not row[: key_x + 3].strip() or set(row.strip()) == {"─"}, f"under the key column: {row!r}"
        used = max(y for y, row in enumerate(shown) if row.strip()) + 1
        if len(shown) >= 2 * len(ENTRIES) - 1:  # room for two rows an entry: they take it
            assert used >= 2 * len(ENTRIES) - 1, f"{used} of {len(shown)} rows used"
        if size[1] >= 24:  # room for every description, whole
            text = " ".join(" ".join(shown).split())
            from neck_tui.screens.home import describe

            for activity in ENTRIES:
                assert " ".join(describe(activity, app.content).split()) in text or _wrapped_in(describe(activity, app.content), shown)


async def test_home_refits_when_the_terminal_shrinks_and_keeps_the_highlight(make_app: Callable[..., Any]) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.screen.fitted)
        await pilot.press("down", "down")  # Cold
        await pilot.resize_terminal(40, 15)
        heads = [f"{a.key}  {a.title}" for a in ENTRIES]
        await wait_for(pilot, lambda: all(head in screen_text(app) for head in heads))
        await pilot.press("enter")
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThermalScreen")
        assert app.screen.kind == "cold"


async def test_home_refits_after_a_resize_under_another_screen(make_app: Callable[..., Any]) -> None:
    app = make_app(start="heat")  # Home is below, never shown yet
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: type(app.screen).__name__ == "ThermalScreen")
        await pilot.resize_terminal(40, 15)
        await pilot.press("escape")
        heads = [f"{a.key}  {a.title}" for a in ENTRIES]
        await wait_for(pilot, lambda: all(head in screen_text(app) for head in heads))
        assert app.screen.fitted


def _wrapped_in(description: str, rows: list[str]) -> bool:
    """The description's words, in order, in the rows (it may wrap inside its own column)."""
    words = " ".join(rows).split()
    wanted = description.split()
    return any(words[i : i + len(wanted)] == wanted for i in range(len(words)))


async def _heat_running(pilot: Any, clock: FakeClock) -> None:
    await pilot.press("enter", "s")  # start, skip the pain check
    await wait_for(pilot, lambda: getattr(pilot.app.screen, "mode", "") == "running")
    clock.advance(65)
    pilot.app.screen.tick()
    await pilot.pause()


async def test_heat_countdown_is_several_times_taller_at_120x40(
    make_app: Callable[..., Any], clock: FakeClock, tmp_path: Path
) -> None:
    tall = {}
    for size in SIZES:
        store = Store(tmp_path / _size_id(size), now=clock.now)  # each its own: no session to resume
        app = make_app(start="heat", store=store)
        async with app.run_test(size=size) as pilot:
            await _heat_running(pilot, clock)
            countdown = app.screen.query_one(Countdown)
            row = app.screen.query_one("#countdown-row")
            # The time left reads whole on screen (nothing cut), inside its row, at every size.
            await wait_for(pilot, lambda: read_countdown(screen_text(app))[0] == clock_text(20 * 60 - 65) == "18:55")
            shown = screen_text(app)
            read, rows = read_countdown(shown)
            assert row.region.contains_region(countdown.region)
            assert "cloth" in shown  # the phase's safety text is still on screen
            tall[size] = rows
    assert tall[(40, 15)] == 3
    assert tall[(120, 40)] >= 2 * tall[(80, 24)]
    assert tall[(200, 60)] >= tall[(120, 40)]


async def test_pacer_square_grows_with_the_terminal(
    make_app: Callable[..., Any], clock: FakeClock, tmp_path: Path
) -> None:
    squares = {}
    for size in [(40, 15), (80, 24), (120, 40)]:
        app = make_app(start="breathe", store=Store(tmp_path / _size_id(size), now=clock.now))
        async with app.run_test(size=size) as pilot:
            pacer = app.screen.query_one(Pacer)
            await wait_for(pilot, lambda: pacer.animated)
            assert pacer.rows <= pacer.size.height and pacer.cols <= pacer.size.width
            squares[size] = (pacer.cols, pacer.rows)
    assert squares[(40, 15)] <= squares[(80, 24)] < squares[(120, 40)]
    assert squares[(120, 40)][1] >= 2 * 13  # 13 rows was the old cap at every size


@pytest.mark.parametrize("layout", ["stacked", "row", "roomy"])
def test_home_entries_wrap_by_cells_in_their_own_column(layout: str) -> None:
    """Content is the user's to edit: a description in wide characters wraps within the width,
    never past it, and none of it is lost."""
    from rich.cells import cell_len

    from neck_tui.screens.home import entry_prompt

    description = "首の痛みのためのセルフケアの手引き、温冷療法と呼吸"
    prompt = entry_prompt(ENTRIES[0], description, layout, 14, 36)
    lines = prompt.plain.split("\n")
    assert all(cell_len(line) <= 36 for line in lines), lines
    assert "".join(line.strip() for line in lines).endswith(description)
    assert len(lines) > (3 if layout == "roomy" else 1)  # it did wrap
