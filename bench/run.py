"""The neck-tui benchmark: drive the app in pseudo-terminals and print one table.

Run from the repository (see README, "Benchmark"):

    .venv/bin/python -m bench            # about 12 minutes; also writes bench/latest.md
    .venv/bin/python -m bench --quick    # about 4 minutes, shorter windows: a rough look

Every figure of the app is measured beside a bare Textual reference app (bench/reference/) run
the same way, in the same terminal mode and size, in the same run; ratios are medians of
window-by-window ratios, so the table can be read on a noisy shared machine. The whole run is
done twice: with COLORTERM=truecolor, and with TERM=xterm-256color alone (SSH does not forward
COLORTERM by default, so most remote sessions are in 256-colour mode). Each row shows its budget
from the issues and whether both modes meet it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from bench import status_bench, store_bench
from bench.scenarios import (
    HEAT_SETUP_TEXT,
    HISTORY,
    HOME_TEXT,
    SCENARIOS,
    NotBuilt,
    Scenario,
)
from bench.table import (
    Row,
    bytes_per_s,
    cpu_percent,
    fmt_cpu,
    fmt_mib,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    median_of,
    median_ratio,
    merge,
    ratio,
    table,
    verdict,
)
from bench.term import COLS, ROWS, Term, Window

REPO = Path(__file__).resolve().parent.parent
BIG = (120, 40)  # the larger terminal the countdown and the pacer are also measured in
REF_TEXT = "Reference countdown"

# The terminal the app believes it is in, in each mode: a modern terminal, and the same over SSH.
BASE_ENV = {"TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
MODES: dict[str, dict[str, str]] = {
    "truecolor": {**BASE_ENV, "COLORTERM": "truecolor"},
    "256 colours": dict(BASE_ENV),
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    from importlib.metadata import version

    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Textual {version('textual')}, neck-tui {version_of_app()}"
    )


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def version_of_app() -> str:
    from neck_tui import __version__

    return __version__


# -- running things -------------------------------------------------------------------------------


def app_command() -> tuple[list[str], str | None, str]:
    """The installed console script beside this Python if it runs this repository's code, else
    `python -m neck_tui` from the repository (an editable install of another checkout, or none)."""
    script = Path(sys.executable).parent / "neck-tui"
    if script.exists():
        where = subprocess.run([sys.executable, "-c", "import neck_tui; print(neck_tui.__file__)"],
                               capture_output=True, text=True, cwd="/").stdout.strip()
        if where and Path(where).resolve().is_relative_to(REPO):
            return [str(script)], None, str(script)
    return [sys.executable, "-m", "neck_tui"], str(REPO), f"{sys.executable} -m neck_tui (from {REPO})"


# An installed neck-tui runs from compiled bytecode (pip compiles it), as Textual does here: with
# PYTHONDONTWRITEBYTECODE set (some shells and sandboxes set it) every launch would compile the
# app's sources again, and only the app's. Bytecode goes to a cache outside the repository.
PYCACHE = Path(tempfile.gettempdir()) / "neck-tui-bench-pycache"


def clean_env(mode: str = "truecolor") -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items()
        if not k.startswith(("TEXTUAL", "NECK_TUI")) and k not in ("NO_COLOR", "COLORTERM", "PYTHONDONTWRITEBYTECODE")
    }
    env.update(MODES[mode], PYTHONPYCACHEPREFIX=str(PYCACHE))
    return env


class Runner:
    """One terminal mode's run: starts the app and the references, keeps their peak memory."""

    def __init__(self, mode: str, window: float, windows: int, launches: int, phase_s: float, dialog_s: float,
                 tmp: Path, log: Callable[[str], None]) -> None:
        self.mode = mode
        self.window = window
        self.windows = windows
        self.launches = launches
        self.phase_s = phase_s
        self.dialog_s = dialog_s  # how long a dialog is left open over the timer, in all
        self.log = log
        self.env = clean_env(mode)
        self.app_argv, self.app_cwd, self.app_label = app_command()
        self.tmp = tmp
        self.peak_app = 0
        self.peak_ref = 0
        self._n = 0
        self._refs: dict[tuple[str, tuple[int, int]], list[Window]] = {}

    # processes
    def data_dir(self, records: int = 0) -> Path:
        self._n += 1
        d = self.tmp / f"{self.mode.split()[0]}-data{self._n}"
        store = store_bench.accepted_store(d)
        store_bench.fill_history(store, records)
        return d

    def app(self, *args: str, data_dir: Path | None = None, size: tuple[int, int] = (COLS, ROWS)) -> Term:
        d = data_dir or self.data_dir()
        return Term([*self.app_argv, "--data-dir", str(d), *args], env=self.env, cwd=self.app_cwd,
                    cols=size[0], rows=size[1])

    def ref(self, name: str, size: tuple[int, int] = (COLS, ROWS)) -> Term:
        return Term([sys.executable, "-m", f"bench.reference.{name}"], env=self.env, cwd=str(REPO),
                    cols=size[0], rows=size[1])

    def done_with(self, term: Term, reference: bool = False) -> None:
        rss = term.peak_rss() or 0
        if reference:
            self.peak_ref = max(self.peak_ref, rss)
        else:
            self.peak_app = max(self.peak_app, rss)
        term.close()

    def launch(self, *args: str, data_dir: Path, text: tuple[str, ...] = HOME_TEXT) -> float:
        term = self.app(*args, data_dir=data_dir)
        try:
            return term.wait_text(*text) - term.spawned_at
        finally:
            self.done_with(term)

    def launch_ref(self) -> float:
        term = self.ref("countdown")
        try:
            return term.wait_text(REF_TEXT) - term.spawned_at
        finally:
            self.done_with(term, reference=True)

    def measure(self, term: Term, settle: float = 1.0, seconds: float | None = None) -> list[Window]:
        """The run's windows (settle first): `windows` of `seconds` (default: the run's window)."""
        time.sleep(settle)
        return term.measure_windows(self.windows, seconds or self.window)

    def reference(self, name: str, size: tuple[int, int] = (COLS, ROWS)) -> list[Window]:
        """A reference app's windows at this size (measured once per mode and size)."""
        key = (name, size)
        if key not in self._refs:
            self.log(f"  reference {name} at {size[0]}x{size[1]}")
            with self.ref(name, size) as term:
                term.wait_text("Reference")
                self._refs[key] = self.measure(term)
                self.done_with(term, reference=True)
        return self._refs[key]

    def pair(self, label: str, app: list[Window], ref: list[Window], ref_name: str,
             bytes_budget: tuple[str, Callable[[float, float | None], bool]] | None = None,
             cpu_budget: tuple[str, Callable[[float, float | None], bool]] | None = None) -> list[Row]:
        """Two rows (output, CPU): the app's median, the reference's median, the median ratio;
        a budget is (text, check(app median, median ratio))."""
        rows = []
        for what, key, fmt, budget in (("output", bytes_per_s, fmt_rate, bytes_budget),
                                       ("CPU of one core", cpu_percent, fmt_cpu, cpu_budget)):
            value, ref_value, r = median_of(app, key), median_of(ref, key), median_ratio(app, ref, key)
            rows.append(Row(f"{label}: {what}", fmt(value), f"{fmt(ref_value)} ({ref_name})", fmt_ratio(r),
                            budget[0] if budget else "—", verdict(budget[1](value, r)) if budget else "—"))
        return rows


def at_most(limit: float) -> Callable[[float, float | None], bool]:
    """A ratio budget: the median ratio at most `limit`."""
    return lambda value, r: r is not None and r <= limit


def below(limit: float) -> Callable[[float, float | None], bool]:
    """An absolute budget on the app's median (bytes/s or % of a core)."""
    return lambda value, r: value <= limit


# -- the benchmark --------------------------------------------------------------------------------


def attempt(scenario: Scenario, runner: Runner, **kw: Any) -> list[Row]:
    """A scenario's rows; "not built yet" for a placeholder screen; "failed" (and the reason on
    stderr) if driving it went wrong, so one screen cannot lose the rest of the table."""
    try:
        return scenario.run(runner, **kw)
    except NotBuilt as exc:
        return [Row(what, f"not built yet ({exc})") for what in scenario.rows]
    except Exception as exc:
        runner.log(f"{scenario.title}: FAILED: {exc}")
        return [Row(scenario.title, f"failed: {str(exc).splitlines()[0]}")]


def engine_rows(engine: subprocess.Popen[str], phase_s: float) -> list[Row]:
    try:
        out, _ = engine.communicate(timeout=phase_s + 90)
        result = json.loads(out)
    except (subprocess.TimeoutExpired, ValueError) as exc:
        engine.kill()
        return [Row("engine alone: timer accuracy", f"failed: {exc}")]
    late = result["heat_end_late_s"]
    worst = max(result["box_ends_late_s"], key=abs)
    return [
        Row(f"engine alone: end of a real {phase_s:.0f} s phase (PhaseTimer on a real asyncio loop)", fmt_ms(late),
            budget="< 100 ms", met=verdict(abs(late) < 0.100)),
        Row(f"engine alone: {len(result['box_ends_late_s'])} breathing phase ends, worst", fmt_ms(worst),
            budget="within 50 ms", met=verdict(abs(worst) <= 0.050)),
    ]


def launch_rows(runner: Runner) -> tuple[list[Row], Path]:
    """Launch to the first usable frame, taking turns so that the machine's noise falls on all alike:
    Home with an empty and an 11,000-record history, the heat setup (`neck-tui heat`), the bare app."""
    n = runner.launches
    runner.log(f"launch to first frame, median of {n} (Home empty, Home with 11,000 records, heat setup, bare app)")
    empty, big = runner.data_dir(), runner.data_dir(11000)
    # Warm-up (disk cache, bytecode), not counted.
    runner.launch(data_dir=empty), runner.launch("heat", data_dir=empty, text=HEAT_SETUP_TEXT), runner.launch_ref()
    home, home_big, heat, ref = [], [], [], []
    for i in range(n):
        turn = [lambda: home.append(runner.launch(data_dir=empty)),
                lambda: home_big.append(runner.launch(data_dir=big)),
                lambda: heat.append(runner.launch("heat", data_dir=empty, text=HEAT_SETUP_TEXT)),
                lambda: ref.append(runner.launch_ref())]
        for go in turn[i % 4:] + turn[:i % 4]:
            go()
    med = {k: statistics.median(v) for k, v in (("home", home), ("big", home_big), ("heat", heat), ("ref", ref))}
    # The two histories are launched back to back in every turn: the median of those pairs' ratios
    # leaves out a burst of load that falls on one launch of a pair (min vs min did not).
    big_vs_empty = statistics.median(b / e for b, e in zip(home_big, home))
    ms = lambda t: f"{t * 1000:.0f} ms"  # noqa: E731
    rows = [
        Row(f"launch to Home visible (median of {n})", ms(med["home"]), f"{ms(med['ref'])} (bare app)",
            ratio(med["home"], med["ref"]), "≤ 1.3×", verdict(med["home"] <= 1.3 * med["ref"])),
        Row(f"launch to the heat setup, `neck-tui heat` (median of {n})", ms(med["heat"]),
            f"{ms(med['ref'])} (bare app)", ratio(med["heat"], med["ref"]), "≤ 1.3×",
            verdict(med["heat"] <= 1.3 * med["ref"])),
        Row(f"launch to Home with 11,000 records (median of {n}; ratio: median of the {n} back-to-back pairs)",
            ms(med["big"]),
            f"{ms(med['home'])} (neck-tui, empty)", f"{big_vs_empty:.2f}×", "as with 0 (≤ 1.15×)",
            verdict(big_vs_empty <= 1.15)),
    ]
    return rows, big


PARTS = ["launch", "idle"] + [s.name for s in SCENARIOS] + [HISTORY.name, "store"]


def run_mode(runner: Runner, only: set[str]) -> list[Row]:
    """Every row that goes through a terminal, in one terminal mode (or only the parts named)."""
    rows: list[Row] = []
    log = runner.log
    if "launch" in only or HISTORY.name in only:
        launch, big = launch_rows(runner)
        rows += launch if "launch" in only else []
    if "idle" in only:
        log("idle on Home")
        with runner.app() as term:
            term.wait_text(*HOME_TEXT)
            idle = runner.measure(term)
            runner.done_with(term)
        rows += runner.pair("idle on Home", idle, runner.reference("countdown"), "1 Hz countdown")
    for scenario in SCENARIOS:
        if scenario.name in only:
            log(scenario.title)
            rows += attempt(scenario, runner)
    if HISTORY.name in only:
        log(HISTORY.title)
        rows += attempt(HISTORY, runner, history_dir=big)
    rows.append(Row("peak memory (RSS, largest of all runs in this mode)", fmt_mib(runner.peak_app),
                    f"{fmt_mib(runner.peak_ref)} (bare app)", ratio(runner.peak_app, runner.peak_ref),
                    "≤ 1.4×", verdict(runner.peak_app <= 1.4 * runner.peak_ref if runner.peak_ref else None)))
    return rows


def store_rows(tmp: Path, cwd: str) -> list[Row]:
    """The store with 0, 1,000 and 11,000 records (no terminal involved)."""
    rows: list[Row] = []
    cold0 = None
    for count in (0, 1000, 11000):
        d = tmp / f"store{count}"
        store = store_bench.accepted_store(d)
        month = store_bench.fill_history(store, count)
        cold = store_bench.time_cold_load(d, cwd=cwd)
        save = store_bench.time_saves(store)
        first = store_bench.time_saves(store, fresh=True)
        read, write = store_bench.save_parts(store)
        cold0 = cold if cold0 is None else cold0
        note = f", {month} in this month's file" if count else ""
        rows.append(Row(f"store: one save in the running app (median of 5), {count:,} records{note}",
                        f"{save * 1000:.1f} ms", budget="< 10 ms", met=verdict(save < 0.010)))
        rows.append(Row(f"store: first save of a process (median of 5), {count:,} records",
                        f"{first * 1000:.1f} ms (a full check of the month, done only if another program changed it: "
                        f"{read * 1000:.1f}; atomic write {write * 1000:.1f})",
                        budget="< 10 ms", met=verdict(first < 0.010)))
        rows.append(Row(f"store: cold start (Store.load in a new process), {count:,} records", f"{cold * 1000:.2f} ms",
                        budget="as with 0 (≤ +1 ms)", met=verdict(cold <= cold0 + 0.001)))
    # Reads that scale: stats, export and History's first rows with 100,000 records.
    d = tmp / "store-big"
    reads = store_bench.big_reads(d, cwd=cwd)
    months = len(store_bench.Store(d).months())
    budgets = {"stats": 1.0, "stats --since": 1.0, "export --since": 1.0, "export (all": 5.0, "History's": 0.5}
    for what, run in reads.items():
        budget = next((b for k, b in budgets.items() if what.startswith(k)), None)
        rows.append(Row(f"store: {what}, {store_bench.BIG:,} records in {months} month files (new process)"
                        if run.cpu_s is not None else f"store: {what}, {store_bench.BIG:,} records",
                        store_bench.describe(run),
                        budget=f"< {budget:g} s" if budget else "—",
                        met=verdict(run.wall_s < budget) if budget else "—"))
    cold = store_bench.time_cold_load(d, cwd=cwd)
    rows.append(Row(f"store: cold start (Store.load in a new process), {store_bench.BIG:,} records", f"{cold * 1000:.2f} ms",
                    budget="as with 0 (≤ +1 ms)", met=verdict(cold0 is not None and cold <= cold0 + 0.001)))
    return rows + status_rows()


def status_rows() -> list[Row]:
    """`neck-tui status` (run every second by a tmux status line) against a bare `python -c pass`."""
    m = status_bench.measure(runs=30)
    return [
        Row("status: `neck-tui status` (fastest of 30, installed script)", f"{m['status_fastest_ms']} ms",
            f"{m['python_pass_fastest_ms']} ms (python -c pass)", f"{m['status_ratio']}×",
            budget="< 1.5×", met=verdict(bool(m["met"]))),
        Row("status: its own code (`python -c` importing neck_tui.status)", f"{m['own_fastest_ms']} ms",
            f"{m['python_pass_fastest_ms']} ms (python -c pass)", f"{m['own_ratio']}×"),
    ]


def run(args: argparse.Namespace, tmp: Path, log: Callable[[str], None]) -> list[list[str]]:
    # The engine alone, in the background for the whole run (it needs a real phase).
    engine = subprocess.Popen(
        [sys.executable, "-m", "bench.engine_timer", str(args.phase)],
        stdout=subprocess.PIPE, text=True, env=clean_env(), cwd=str(REPO),
    )
    try:
        modes: list[list[Row]] = []
        label = None
        for mode in args.modes:
            log(f"== {mode} ==")
            runner = Runner(mode, args.window, args.windows, args.launches, args.phase, args.dialog, tmp, log)
            if label is None:
                label = runner.app_label
                log(f"app: {label}")
            modes.append(run_mode(runner, args.only))
        if "store" in args.only:
            log("store: saves and cold starts with 0, 1,000 and 11,000 records, reads with 100,000; the engine alone")
            modes[0] += store_rows(tmp, runner.app_cwd or str(tmp)) + engine_rows(engine, args.phase)
        return merge(modes)
    finally:
        if engine.poll() is None:
            engine.kill()
            engine.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a short run: windows of 2 s, 5 launches, a 15 s phase, a dialog open 12 s")
    parser.add_argument("--window", type=float, help="seconds of each output/CPU window (default 5)")
    parser.add_argument("--windows", type=int, help="windows per figure, at least 3 (default 3)")
    parser.add_argument("--launches", type=int, help="launches for each start-up median (default 5)")
    parser.add_argument("--phase", type=float, help="seconds of the timed heat phase (default 60)")
    parser.add_argument("--dialog", type=float, help="seconds a dialog is left open over the timer (default 60)")
    parser.add_argument("--mode", dest="modes", action="append", choices=list(MODES),
                        help="only this terminal mode (default: both)")
    parser.add_argument("--out", type=Path, help="also write the table here (default bench/latest.md, "
                        "or bench/quick.md with --quick; '-' for none)")
    parser.add_argument("--only", type=lambda v: set(v.split(",")), default=set(PARTS),
                        help=f"only these parts, comma-separated, of: {', '.join(PARTS)} "
                        "(for a quick look while working; the table is written to --out only for a whole run)")
    args = parser.parse_args(argv)
    if args.only - set(PARTS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(args.only - set(PARTS)))}; the parts are {', '.join(PARTS)}")
    quick = args.quick
    defaults = {"window": 2.0 if quick else 5.0, "windows": 3, "launches": 5,
                "phase": 15.0 if quick else 60.0, "dialog": 12.0 if quick else 60.0,
                "modes": list(MODES), "out": REPO / "bench" / ("quick.md" if quick else "latest.md")}
    for key, value in defaults.items():
        if getattr(args, key) is None:
            setattr(args, key, value)
    args.windows = max(3, args.windows)
    if not sys.platform.startswith("linux"):
        print("python -m bench: needs Linux (/proc, pseudo-terminals)", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.0f} s] {message}", file=sys.stderr, flush=True)

    t0 = time.monotonic()
    load = load_average()
    about = machine()
    tmp = Path(tempfile.mkdtemp(prefix="neck-bench-"))
    try:
        lines = run(args, tmp, log)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    took = time.monotonic() - t0
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        table(lines, args.modes),
        "",
        f"{when}{' (--quick)' if quick else ''}: pty of {COLS}x{ROWS} unless the row says {BIG[0]}x{BIG[1]}; "
        f"TERM=xterm-256color with COLORTERM=truecolor, then without COLORTERM; {args.windows} windows of "
        f"{args.window:g} s for each output/CPU figure (ratio: median of the window-by-window ratios); "
        f"whole run {took:.0f} s; load average before the run {load}.  ",
        f"Machine: {about}.",
    ])
    print(text)
    if str(args.out) != "-" and args.only == set(PARTS):
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
