"""RegimenSetup: the setup view of heat / cold / contrast: the regimen, its plan in one paragraph,
a Stepper per step the user may change, the rounds, and a Start button. It keeps the user's
`minutes` per step and `rounds` (None: until stopped); the screen reads them when Enter starts."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, VerticalScroll
from textual.widgets import Button, Static

from neck_tui.content import Regimen
from neck_tui.plans.thermal import (
    is_application,
    minute_range,
    phase_bounds,
    plan_text,
    step_shown,
)
from neck_tui.widgets.line import Line
from neck_tui.widgets.stepper import Stepper


class RegimenSetup(VerticalScroll):
    BINDINGS = [
        Binding("up", "move_focus(-1)", show=False),
        Binding("down", "move_focus(1)", show=False),
    ]

    def __init__(self, regimen: Regimen, *, id: str) -> None:
        super().__init__(id=id)
        self.regimen = regimen
        self.minutes: dict[int, float] = {step: rp.minutes for step, rp in enumerate(regimen.phases)}
        self.rounds: int | None = regimen.rounds

    def compose(self) -> ComposeResult:
        regimen = self.regimen
        yield Static(regimen.name, id="setup-title")
        yield Static(regimen.summary, id="setup-summary", classes="secondary")
        yield Line(plan_text(regimen, self.minutes, self.rounds), id="setup-plan")
        apps = [i for i, p in enumerate(regimen.phases) if is_application(p.kind)]
        for step, rp in enumerate(regimen.phases):
            low, high = phase_bounds(rp)
            if high <= low:
                continue
            options = [(m, f"{m:g} min") for m in minute_range(low, high, rp.minutes)]
            if is_application(rp.kind):
                label = f"{rp.kind.capitalize()} minutes"
                label = f"{apps.index(step) + 1}. {label}" if len(apps) > 1 else label
                hint = f"max {high:g}"
            else:
                label, hint = "Off minutes", f"{low:g} to {high:g}"
            yield Stepper(label, options, rp.minutes, hint, id=f"step-{step}")
            if rp.minutes_basis is not None:  # where the default comes from (content says)
                yield Static(f"{rp.minutes:g} min default: {rp.minutes_basis.note}", id=f"basis-{step}",
                             classes="setup-basis", markup=False)
        if not regimen.again_prompt and regimen.max_rounds > 1:
            rounds: list[tuple[Any, str]] = [(n, str(n)) for n in range(1, regimen.max_rounds + 1)]
            yield Stepper("Rounds", [*rounds, (None, "until stopped")], regimen.rounds, id="rounds")
        with Center(id="start-row"):
            start = Button("Start (Enter)", id="start", variant="primary", compact=True)
            start.can_focus = False  # Enter starts from anywhere; the Footer shows it
            yield start

    def on_mount(self) -> None:
        self._update()

    def focus_first(self) -> None:
        shown = [stepper for stepper in self.query(Stepper) if stepper.display]
        if shown:
            shown[0].focus()  # not an off line hidden for a one-round session

    @on(Stepper.Changed)
    def _changed(self, event: Stepper.Changed) -> None:
        stepper = event.stepper
        if stepper.id == "rounds":
            self.rounds = stepper.value
        elif stepper.id and stepper.id.startswith("step-"):
            self.minutes[int(stepper.id.removeprefix("step-"))] = float(stepper.value)
        self._update()

    def _update(self) -> None:
        for stepper in self.query(Stepper):
            if stepper.id and stepper.id.startswith("step-"):
                step = int(stepper.id.removeprefix("step-"))
                stepper.display = step_shown(self.regimen, self.rounds, step)
                for basis in self.query(f"#basis-{step}"):
                    basis.display = stepper.display
        self.query_one("#setup-plan", Line).text = plan_text(self.regimen, self.minutes, self.rounds)

    def action_move_focus(self, delta: int) -> None:
        self.screen.focus_next() if delta > 0 else self.screen.focus_previous()
