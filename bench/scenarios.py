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

if TYPE_CHECKING:
    from pathlib import Path

    from bench.run import Row, Runner
    from bench.term import Term, Window

# Text that shows Home is up and usable: the first and the last activity of the list.
HOME_TEXT = ("Triage", "Settings")
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


def breaks(runner: "Runner", ref_count: "Window", pair_row: Callable[..., None], **_: Any) -> list["Row"]:
    from bench.run import Row, fmt_cpu, fmt_rate, ratio, verdict

    seconds = max(runner.window, 15.0)
    with runner.app() as term:
        open_from_home(term, "p")
        term.wait_text("Next break in")
        term.wait_quiet(1.0)
        win = term.measure(seconds)
        runner.done_with(term)
    what = f"posture-break mode waiting ({seconds:.0f} s, no minute change in it)"
    return [
        Row(f"{what}: output", fmt_rate(win.bytes_per_s), f"{fmt_rate(ref_count.bytes_per_s)} (1 Hz countdown)",
            ratio(win.bytes_per_s, ref_count.bytes_per_s), "nothing between the once-a-minute updates",
            verdict(win.bytes == 0)),
        Row(f"{what}: CPU of one core", fmt_cpu(win.cpu_percent), f"{fmt_cpu(ref_count.cpu_percent)} (1 Hz countdown)",
            ratio(win.cpu_percent, ref_count.cpu_percent), "< 0.5%", verdict(win.cpu_percent < 0.5)),
    ]


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


def heat_content_dir(root: "Path", phase_s: float) -> "Path":
    d = root / "content-heat"
    d.mkdir(parents=True, exist_ok=True)
    minutes = phase_s / 60
    (d / "regimens.toml").write_text(HEAT_REGIMEN.format(minutes=minutes, check=minutes * 5))
    return d


def heat(runner: "Runner", ref_count: "Window", pair_row: Callable[..., None], **_: Any) -> list["Row"]:
    from bench.run import Row, fmt_ms, verdict

    content = heat_content_dir(runner.tmp, runner.phase_s)
    data = runner.data_dir()
    with runner.app("--content-dir", str(content), data_dir=data) as term:
        open_from_home(term, "h")
        term.wait_text("Start (Enter)")
        term.press("enter")
        term.wait_text("Pain before")
        pressed = time.monotonic()
        term.press("s")
        first = term.wait_for(lambda shown: "HEAT" in shown and "Pain before" not in shown)
        win = runner.settle_and_measure(term)
        ended = wall(term.wait_text("OFF", timeout=runner.phase_s + 30))
        runner.done_with(term)  # quitting saves the session, with the moment it started
    pair_row("heat countdown running", win, ref_count, "1 Hz countdown")
    late = ended - (session_start(data, "heat") + runner.phase_s)
    return [
        Row(f"heat timer: end of a real {runner.phase_s:.0f} s phase (OFF shown vs the session's saved start "
            f"+ {runner.phase_s:.0f} s)", f"{fmt_ms(late)} (key to first frame {(first - pressed) * 1000:.0f} ms)",
            budget="< 100 ms", met=verdict(abs(late) < 0.100)),
    ]


HEAT = Scenario(
    "heat", "heat countdown, then the end of a real timed phase",
    ["heat countdown running: output", "heat countdown running: CPU of one core", "heat timer: end of a real phase"],
    heat,
)


# -- breathing: phase boundaries, animation, pause -------------------------------------------------------

BREATH_WORDS = ("Get ready", "Breathe in", "Breathe out", "Hold", "Paused")


def breath_word(shown: str) -> str | None:
    return next((w for w in BREATH_WORDS if w in shown), None)


def breathing(runner: "Runner", ref_pace: "Window", pair_row: Callable[..., None], **_: Any) -> list["Row"]:
    from bench.run import Row, fmt_ms, fmt_rate, verdict

    from neck_tui.content import load_content

    content = load_content()
    pattern = content.pattern(content.breathing.default_pattern)
    lead = content.breathing.lead_in_seconds
    boundaries = 5  # the lead-in's end, then the four sides of the first box
    data = runner.data_dir()
    with runner.app(data_dir=data) as term:
        open_from_home(term, "b")
        term.wait_text("Enter")
        term.press("enter")
        term.wait_text("before breathing")
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
        animating = runner.settle_and_measure(term, settle=0.0)
        term.press("space")
        term.wait_text("Paused")
        term.wait_quiet(0.5)
        paused = term.measure(min(5.0, runner.window))
        runner.done_with(term)  # quitting saves the session, with the moment it started
    started = session_start(data, "breathing")
    worst = max((wall(at) - (started + e) for at, e in zip(changes, expected)), key=abs)
    pair_row("breathing pacer animating", animating, ref_pace, "naive 60 fps pacer",
             ("≤ 2 KB/s", animating.bytes_per_s <= 2048), ("≤ 3%", animating.cpu_percent <= 3.0))
    return [
        Row(f"breathing pacer paused ({paused.seconds:.0f} s): output", fmt_rate(paused.bytes_per_s),
            budget="nothing written", met=verdict(paused.bytes == 0)),
        Row(f"breathing: first {boundaries} phase changes shown vs the session's saved start + schedule, worst",
            f"{fmt_ms(worst)} (key to first frame {(first - pressed) * 1000:.0f} ms)",
            budget="within 50 ms", met=verdict(abs(worst) <= 0.050)),
    ]


BREATHING = Scenario(
    "breathing", "breathing pacer: phase changes, animation, pause",
    ["breathing pacer animating: output", "breathing pacer animating: CPU of one core",
     "breathing pacer paused: output", "breathing: phase changes"],
    breathing,
)


# -- history: first rows with a long history (optional row) ---------------------------------------------

DATE_ROW = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}")


def history(runner: "Runner", history_dir: "Path", **_: Any) -> list["Row"]:
    from bench.run import Row, verdict

    with runner.app(data_dir=history_dir) as term:
        term.wait_text(*HOME_TEXT)
        pressed = time.monotonic()
        shown = open_from_home(term, "y")
        del shown
        first = term.wait_for(lambda text: DATE_ROW.search(text) is not None, timeout=30)
        runner.done_with(term)
    spent = first - pressed
    return [Row("history: first rows shown, 11,000 records", f"{spent * 1000:.0f} ms", budget="≤ 1 s (optional)",
                met=verdict(spent <= 1.0))]


HISTORY = Scenario("history", "history: first rows with 11,000 records",
                   ["history: first rows shown, 11,000 records"], history)

SCENARIOS: list[Scenario] = [HEAT, BREATHING, BREAKS]
