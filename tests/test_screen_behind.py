"""A dialog over a ticking screen: only what changes behind it is sent, never the whole screen again."""

from __future__ import annotations

from typing import Any

import pytest
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.app import App, ComposeResult
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, Label

from neck_tui.screen_behind import QuietBehind
from tests.fakes import settle


class Prompt(ModalScreen[None]):
    CSS = "Prompt { align: center bottom; } #box { width: 30; height: 3; }"

    def compose(self) -> ComposeResult:
        yield Label("Question?", id="box")


class OpaquePrompt(Prompt):
    CSS = "OpaquePrompt { background: $background; }"


def ticking(base: type[Screen[Any]]) -> type[Screen[Any]]:
    class Ticking(base):  # type: ignore[valid-type, misc]
        def compose(self) -> ComposeResult:
            yield Header()
            yield Label("tick-0", id="tick")
            yield Footer()

    return Ticking


class Host(App[None]):
    def __init__(self, base: type[Screen[Any]]) -> None:
        super().__init__()
        self.base = base
        self.updates: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(ticking(self.base)())

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        if renderable is not None:
            self.updates.append(renderable)
        super()._display(screen, renderable)


async def updates_while_ticking(base: type[Screen[Any]], prompt: type[Prompt] = Prompt) -> tuple[list[object], str]:
    app = Host(base)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        behind = app.screen
        await app.push_screen(prompt())
        await settle(pilot, app.updates)
        app.updates.clear()
        for n in range(1, 4):
            behind.query_one("#tick", Label).update(f"tick-{n}")
            await settle(pilot, app.updates)
        return list(app.updates), app.export_screenshot()


async def test_a_tick_behind_a_dialog_sends_only_its_own_cells() -> None:
    updates, shown = await updates_while_ticking(ticking(QuietBehind))
    assert "tick-3" in shown and "Question?" in shown  # the dimmed screen behind still shows the new text
    assert updates and not any(isinstance(u, LayoutUpdate) for u in updates)
    rows = {y for u in updates if isinstance(u, ChopsUpdate) for y, _, _ in u.spans}
    assert rows <= {1}, rows  # the label's line (under the Header), nothing else


async def test_behind_an_opaque_dialog_a_tick_sends_nothing() -> None:
    updates, shown = await updates_while_ticking(ticking(QuietBehind), OpaquePrompt)
    assert "Question?" in shown and "tick-" not in shown
    assert updates == []


@pytest.mark.parametrize("base", [Screen])
async def test_without_the_fix_textual_resends_the_whole_screen(base: type[Screen[Any]]) -> None:
    """What QuietBehind is for: if Textual fixes the loop, this fails and the mixin can go."""
    updates, _ = await updates_while_ticking(ticking(base))
    assert any(isinstance(u, LayoutUpdate) for u in updates)
