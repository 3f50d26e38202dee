"""How the benchmark drives each screen of the app from Home, with the keys a user would press.

Each scenario opens its screen from Home in a fresh app, gets it into the state to measure, and
returns table rows. A screen that still shows the "not built yet" placeholder raises NotBuilt,
and the table says so instead of a number.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from bench.table import Row, fmt_ms, fmt_rate, verdict

if TYPE_CHECKING:
    from pathlib import Path

    from bench.run import Runner
    from bench.term import Term

# Text that shows Home is up and usable: the first and the last activity of the list.
HOME_TEXT = ("Triage", "Settings")
HEAT_SETUP_TEXT = ("Start (Enter)",)  # the heat setup, ready for Enter
HOME_GONE = "A quiet reminder to move"  # a Home description no other screen shows
PLACEHOLDER = "not built yet"


class NotBuilt(Exception):
    """The screen is still a placeholder."""


def open_from_home(term: "Term", key: str, timeout: float = 10.0) -> str:
    """Press an activity's Home key; return the new screen's text (NotBuilt for a placeholder)."""
    term.wait_text(*HOME_TEXT, timeout=timeout)
    term.press(key)
    term.wait_for(lambda shown: HOME_GONE not in shown, timeout)
    term.wait_quiet(0.3, timeout=2.0)
    shown = term.text()
    if PLACEHOLDER in shown:
        raise NotBuilt("the screen says so")
    return shown


def wall(monotonic: float) -> float:
    """A time.monotonic() reading as wall-clock time (the clock the app stamps sessions with)."""
    return monotonic + (time.time() - time.monotonic())


def session_start(data_dir: "Path", kind: str) -> float:
    """When the app says the one session of `kind` in data_dir began (epoch seconds). The app
    stamps a session as it starts its timer, so this is the timer's own zero."""
    from neck_tui.store import Store

    records = Store(data_dir).records(kinds=[kind])
    if len(records) != 1:
        raise RuntimeError(f"expected one saved {kind} session in {data_dir}, found {len(records)}")
    return records[0].started.timestamp()


@dataclass
class Scenario:
    name: str
    title: str
    rows: list[str]  # the rows it adds, named for the "not built yet" case
    body: Callable[..., list["Row"]] = field(repr=False)

    def run(self, runner: "Runner", **kw: Any) -> list["Row"]:
        return self.body(runner, **kw)


# -- posture breaks ---------------------------------------------------------------------------------


def breaks(runner: "Runner", **_: Any) -> list["Row"]:
    from bench.run import below

    with runner.app() as term:
        open_from_home(term, "p")
        term.wait_text("Next break in")
        term.wait_quiet(1.0)
        wins = runner.measure(term, settle=0.0)
        runner.done_with(term)
    seconds = runner.windows * runner.window
    rows = runner.pair(f"posture-break mode waiting ({seconds:.0f} s, no minute change in it)", wins,
                       runner.reference("countdown"), "1 Hz countdown", ("nothing between the once-a-minute updates",
                       below(0.0)), ("< 0.5%", below(0.5)))
    return rows


BREAKS = Scenario(
    "breaks", "posture-break mode waiting",
    ["posture-break mode waiting: output", "posture-break mode waiting: CPU of one core"], breaks,
)


# -- heat: the countdown, and the end of a real timed phase --------------------------------------------

HEAT_REGIMEN = """\
# Written by the benchmark: the shipped heat regimen with {minutes:g}-minute phases, to time a real phase end.
[[regimens]]
id = "heat"
name = "Heat (benchmark)"
kind = "heat"
summary = "Benchmark: {minutes:g} minute of heat, {minutes:g} minute of rest, {minutes:g} minute of heat."
rounds = 1
skin_check_after_minutes = {check:g}

[[regimens.phases]]
kind = "heat"
minutes = {minutes:g}
max_minutes = {minutes:g}
text = "Benchmark heat phase."

[[regimens.phases]]
kind = "off"
minutes = {minutes:g}
min_minutes = {minutes:g}
max_minutes = {minutes:g}
text = "Benchmark rest."

[[regimens.phases]]
kind = "heat"
minutes = {minutes:g}
max_minutes = {minutes:g}
text = "Benchmark heat phase."
"""


def heat_content_dir(root: "Path", phase_s: float, check_s: float | None = None, name: str = "content-heat") -> "Path":
    """Content with the heat regimen's phases `phase_s` long and the skin check after `check_s`
    (default: never inside a phase)."""
    d = root / name
    d.mkdir(parents=True, exist_ok=True)
    minutes = phase_s / 60
    check = (check_s / 60) if check_s is not None else minutes * 5
    (d / "regimens.toml").write_text(HEAT_REGIMEN.format(minutes=minutes, check=check))
    return d


def start_heat(term: "Term") -> tuple[float, float]:
    """From Home to a running heat countdown: (when s was pressed, when the countdown showed)."""
    open_from_home(term, "h")
    term.wait_text(*HEAT_SETUP_TEXT)
    term.press("enter")
    term.wait_text("Pain before")
    pressed = time.monotonic()
    term.press("s")
    first = term.wait_for(lambda shown: "HEAT" in shown and "Pain before" not in shown)
    return pressed, first


def heat(runner: "Runner", **_: Any) -> list["Row"]:
    from bench.run import BIG, at_most

    rows: list[Row] = []
    content = heat_content_dir(runner.tmp, runner.phase_s)
    data = runner.data_dir()
    with runner.app("--content-dir", str(content), data_dir=data) as term:
        pressed, first = start_heat(term)
        wins = runner.measure(term)
        ended = wall(term.wait_text("OFF", timeout=runner.phase_s + 30))
        runner.done_with(term)  # quitting saves the session, with the moment it started
    rows += runner.pair("heat countdown running", wins, runner.reference("countdown"), "1 Hz countdown",
                        ("≤ 1.3×", at_most(1.3)), ("≤ 1.3×", at_most(1.3)))
    late = ended - (session_start(data, "heat") + runner.phase_s)
    timing = Row(f"heat timer: end of a real {runner.phase_s:.0f} s phase (OFF shown vs the session's saved start "
                 f"+ {runner.phase_s:.0f} s)", f"{fmt_ms(late)} (key to first frame {(first - pressed) * 1000:.0f} ms)",
                 budget="< 100 ms", met=verdict(abs(late) < 0.100))
    big = heat_content_dir(runner.tmp, 600, name="content-heat-long")
    with runner.app("--content-dir", str(big), size=BIG) as term:
        start_heat(term)
        wins = runner.measure(term)
        runner.done_with(term)
    rows += runner.pair(f"heat countdown running, {BIG[0]}x{BIG[1]}", wins, runner.reference("countdown", BIG),
                        f"1 Hz countdown, {BIG[0]}x{BIG[1]}", ("≤ 1.3×", at_most(1.3)), ("≤ 1.3×", at_most(1.3)))
    return [*rows, timing]


HEAT = Scenario(
    "heat", "heat countdown (80x24, 120x40), then the end of a real timed phase",
    ["heat countdown running: output", "heat countdown running: CPU of one core", "heat timer: end of a real phase"],
    heat,
)


# -- a dialog over the running heat countdown ------------------------------------------------------------


def dialog(runner: "Runner", **_: Any) -> list["Row"]:
    """The heat countdown alone, then with the skin-check prompt left open over it (for `dialog_s`
    in all), then with the stop question open; each against the countdown alone."""
    from bench.run import at_most

    settle = 1.0
    alone_s = runner.windows * runner.window
    check_s = settle + alone_s + 3.0  # the skin check opens after the countdown-alone windows
    content = heat_content_dir(runner.tmp, 600, check_s=check_s, name="content-heat-check")
    open_window = runner.dialog_s / runner.windows
    with runner.app("--content-dir", str(content)) as term:
        start_heat(term)
        alone = runner.measure(term, settle=settle)
        term.wait_text("SKIN CHECK", timeout=check_s + 30)
        skin = runner.measure(term, seconds=open_window)
        term.press("o")
        term.wait_for(lambda shown: "SKIN CHECK" not in shown)
        term.press("escape")
        term.wait_text("Stop this session?")
        stop = runner.measure(term)
        runner.done_with(term)
    budget = ("≤ 1.2× the countdown alone", at_most(1.2))
    rows = runner.pair("heat countdown alone (this row's reference)", alone, alone, "itself")
    rows += runner.pair(f"skin-check prompt left open over the heat countdown ({runner.dialog_s:.0f} s)", skin,
                        alone, "countdown alone", budget, budget)
    rows += runner.pair("stop question open over the heat countdown", stop, alone, "countdown alone", budget, budget)
    return rows


DIALOG = Scenario(
    "dialog", "dialogs over the running heat countdown (skin check, stop question)",
    ["skin-check prompt left open over the heat countdown: output",
     "skin-check prompt left open over the heat countdown: CPU of one core"],
    dialog,
)


# -- breathing: phase boundaries, animation, pause -------------------------------------------------------

BREATH_WORDS = ("Get ready", "Breathe in", "Breathe out", "Hold", "Paused")


def breath_word(shown: str) -> str | None:
    return next((w for w in BREATH_WORDS if w in shown), None)


def to_breathing_start(term: "Term") -> None:
    """From Home to the pain question before breathing (s skips it and starts the pacer)."""
    open_from_home(term, "b")
    term.wait_text("Enter")
    term.press("enter")
    term.wait_text("before breathing")


def breathing(runner: "Runner", **_: Any) -> list["Row"]:
    from bench.run import BIG, below
    from neck_tui.content import load_content

    content = load_content()
    pattern = content.pattern(content.breathing.default_pattern)
    lead = content.breathing.lead_in_seconds
    boundaries = 5  # the lead-in's end, then the four sides of the first box
    data = runner.data_dir()
    pause_s = min(5.0, runner.window * runner.windows)
    with runner.app(data_dir=data) as term:
        to_breathing_start(term)
        seen = term.trace(breath_word)
        pressed = time.monotonic()
        term.press("s")
        # Expected phase starts: after the lead-in, then each phase of the pattern.
        expected, t = [], lead
        for phase in pattern.phases * 2:
            expected.append(t)
            t += phase.seconds
        expected = expected[:boundaries]
        time.sleep(expected[-1] + 0.5)
        term.trace(None)
        changes, last = [], seen[0][1]
        for at, word in seen[1:]:
            if word is not None and word != last:  # (a frame without the word is not a change)
                if word != "Get ready":
                    changes.append(at)
                last = word
        if len(changes) < boundaries:
            raise RuntimeError(f"breathing: saw {len(changes)} phase changes, expected {boundaries}: {seen}")
        first = next((at for at, word in seen if word == "Get ready"), pressed)
        animating = runner.measure(term, settle=0.0)
        term.press("space")
        term.wait_text("Paused")
        term.wait_quiet(0.5)
        paused = term.measure(pause_s)
        runner.done_with(term)  # quitting saves the session, with the moment it started
    started = session_start(data, "breathing")
    worst = max((wall(at) - (started + e) for at, e in zip(changes, expected)), key=abs)
    rows = runner.pair("breathing pacer animating", animating, runner.reference("pacer"), "naive 60 fps pacer",
                       ("≤ 1 KB/s", below(1024)), ("≤ 2%", below(2.0)))
    with runner.app(size=BIG) as term:
        to_breathing_start(term)
        term.press("s")
        term.wait_text("Breathe in", timeout=lead + 10)
        big = runner.measure(term, settle=0.5)
        runner.done_with(term)
    rows += runner.pair(f"breathing pacer animating, {BIG[0]}x{BIG[1]}", big, runner.reference("pacer", BIG),
                        f"naive 60 fps pacer, {BIG[0]}x{BIG[1]}", ("≤ 2 KB/s", below(2048)), ("≤ 3%", below(3.0)))
    return [
        *rows,
        Row(f"breathing pacer paused ({pause_s:.0f} s): output", fmt_rate(paused.bytes_per_s),
            budget="nothing written", met=verdict(paused.bytes == 0)),
        Row(f"breathing: first {boundaries} phase changes shown vs the session's saved start + schedule, worst",
            f"{fmt_ms(worst)} (key to first frame {(first - pressed) * 1000:.0f} ms)",
            budget="within 50 ms", met=verdict(abs(worst) <= 0.050)),
    ]


BREATHING = Scenario(
    "breathing", "breathing pacer (80x24, 120x40): phase changes, animation, pause",
    ["breathing pacer animating: output", "breathing pacer animating: CPU of one core",
     "breathing pacer paused: output", "breathing: phase changes"],
    breathing,
)


# -- history: first rows with a long history (optional row) ---------------------------------------------

DATE_ROW = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def history(runner: "Runner", history_dir: "Path", **_: Any) -> list["Row"]:
    with runner.app(data_dir=history_dir) as term:
        term.wait_text(*HOME_TEXT)
        pressed = time.monotonic()
        open_from_home(term, "y")
        first = term.wait_for(lambda text: DATE_ROW.search(text) is not None, timeout=30)
        runner.done_with(term)
    spent = first - pressed
    return [Row("history: first rows shown, 11,000 records", f"{spent * 1000:.0f} ms", budget="≤ 1 s (optional)",
                met=verdict(spent <= 1.0))]


HISTORY = Scenario("history", "history: first rows with 11,000 records",
                   ["history: first rows shown, 11,000 records"], history)

SCENARIOS: list[Scenario] = [HEAT, DIALOG, BREATHING, BREAKS]
