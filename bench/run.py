"""The neck-tui benchmark: drive the installed app in an 80x24 pseudo-terminal and print one table.

Run from the repository (see README, "Benchmark"):

    .venv/bin/python -m bench            # about 3 minutes; also writes bench/latest.md

Every figure of the app is measured beside a bare Textual reference app (bench/reference/) run
the same way in the same run, and the ratio is printed, so the table can be read on a noisy shared
machine. Each row shows its budget from the issues and whether it is met.
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
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from bench import store_bench
from bench.scenarios import HISTORY, HOME_TEXT, SCENARIOS, NotBuilt, Scenario
from bench.term import COLS, ROWS, Term, Window

REPO = Path(__file__).resolve().parent.parent
KB = 1024

# The terminal the app believes it is in: a modern terminal over SSH.
TERM_ENV = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


# -- the table ------------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    value: str
    ref: str = "—"
    ratio: str = "—"
    budget: str = "—"
    met: str = "—"


def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("yes" if ok else "**NO**")


def ratio(app: float | None, ref: float | None) -> str:
    if app is None or ref is None:
        return "—"
    if ref <= 0:
        return "—" if app <= 0 else "∞"
    return f"{app / ref:.2f}×"


def fmt_rate(bps: float) -> str:
    return f"{bps:.0f} B/s" if bps < KB else f"{bps / KB:.1f} KB/s"


def fmt_cpu(pct: float) -> str:
    return f"{pct:.1f}%" if pct >= 1 else f"{pct:.2f}%"


def fmt_ms(seconds: float) -> str:
    ms = seconds * 1000
    return f"{ms:+.0f} ms" if abs(ms) >= 10 else f"{ms:+.1f} ms"


def fmt_mib(n: int | None) -> str:
    return "—" if n is None else f"{n / (1024 * 1024):.0f} MiB"


def table(rows: list[Row]) -> str:
    head = ["measure", "neck-tui", "reference", "ratio", "budget", "met"]
    lines = ["| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    for r in rows:
        cells = [r.what, r.value, r.ref, r.ratio, r.budget, r.met]
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


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


    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} CPUs ({cpu}), {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, Textual {version('textual')}, "
        f"neck-tui {version_of_app()}; load average before the run {load}"
    )


def version_of_app() -> str:
    from neck_tui import __version__

    return __version__


# -- running things -------------------------------------------------------------------------------


def app_command() -> tuple[list[str], str | None, str]:
    """The installed console script beside this Python, else `python -m neck_tui` from the repo."""
    script = Path(sys.executable).parent / "neck-tui"
    if script.exists():
        return [str(script)], None, str(script)
    return [sys.executable, "-m", "neck_tui"], str(REPO), f"{sys.executable} -m neck_tui (no neck-tui script installed)"


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "NECK_TUI")) and k != "NO_COLOR"}
    env.update(TERM_ENV)
    return env


class Runner:
    def __init__(self, window: float, launches: int, phase_s: float, log: Callable[[str], None]) -> None:
        self.window = window
        self.launches = launches
        self.phase_s = phase_s
        self.log = log
        self.env = clean_env()
        self.app_argv, self.app_cwd, self.app_label = app_command()
        self.tmp = Path(tempfile.mkdtemp(prefix="neck-bench-"))
        self.peak_app = 0
        self.peak_ref = 0
        self._n = 0

    # processes
    def data_dir(self, records: int = 0) -> Path:
        self._n += 1
        d = self.tmp / f"data{self._n}"
        store = store_bench.accepted_store(d)
        store_bench.fill_history(store, records)
        return d

    def app(self, *args: str, data_dir: Path | None = None) -> Term:
        d = data_dir or self.data_dir()
        return Term([*self.app_argv, "--data-dir", str(d), *args], env=self.env, cwd=self.app_cwd)

    def ref(self, name: str) -> Term:
        return Term([sys.executable, "-m", f"bench.reference.{name}"], env=self.env, cwd=str(REPO))

    def done_with(self, term: Term, reference: bool = False) -> None:
        rss = term.peak_rss() or 0
        if reference:
            self.peak_ref = max(self.peak_ref, rss)
        else:
            self.peak_app = max(self.peak_app, rss)
        term.close()

    def launch_app(self, data_dir: Path) -> float:
        term = self.app(data_dir=data_dir)
        try:
            return term.wait_text(*HOME_TEXT) - term.spawned_at
        finally:
            self.done_with(term)

    def launch_ref(self) -> float:
        term = self.ref("countdown")
        try:
            return term.wait_text("Reference countdown") - term.spawned_at
        finally:
            self.done_with(term, reference=True)

    def settle_and_measure(self, term: Term, settle: float = 1.0, seconds: float | None = None) -> Window:
        time.sleep(settle)
        return term.measure(seconds or self.window)


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


def run(runner: Runner) -> list[Row]:
    # The engine alone, in the background for the whole run (it needs a real minute).
    engine = subprocess.Popen(
        [sys.executable, "-m", "bench.engine_timer", str(runner.phase_s)],
        stdout=subprocess.PIPE, text=True, env=runner.env, cwd=str(REPO),
    )
    try:
        return _run(runner, engine)
    finally:
        if engine.poll() is None:
            engine.kill()
            engine.wait()


def _run(runner: Runner, engine: subprocess.Popen[str]) -> list[Row]:
    rows: list[Row] = []
    log = runner.log
    w = runner.window

    # 1. Launch to the first usable frame: the app with an empty and with an 11,000-record history,
    # and the bare reference app, taking turns so that the machine's noise falls on all three alike.
    log(f"launch to first frame, median of {runner.launches} (empty, 11,000 records, bare app in turn)")
    empty, big = runner.data_dir(), runner.data_dir(11000)
    runner.launch_app(empty), runner.launch_ref()  # warm-up (disk cache), not counted
    app_t, big_t, ref_t = [], [], []
    for i in range(runner.launches):
        if i % 2:
            big_t.append(runner.launch_app(big))
            app_t.append(runner.launch_app(empty))
        else:
            app_t.append(runner.launch_app(empty))
            big_t.append(runner.launch_app(big))
        ref_t.append(runner.launch_ref())
    launch_app, launch_big, launch_ref = (statistics.median(x) for x in (app_t, big_t, ref_t))
    # The machine's load only ever adds time: the fastest launch of each is the fairest comparison.
    big_vs_empty = min(big_t) / min(app_t)
    rows.append(Row(f"launch to Home visible (median of {runner.launches})", f"{launch_app * 1000:.0f} ms",
                    f"{launch_ref * 1000:.0f} ms (bare app)", ratio(launch_app, launch_ref)))
    rows.append(Row(f"launch to Home with 11,000 records (median of {runner.launches}; ratio: fastest vs fastest)",
                    f"{launch_big * 1000:.0f} ms", f"{launch_app * 1000:.0f} ms (neck-tui, empty)",
                    f"{big_vs_empty:.2f}×", "as with 0 (≤ 1.15×)", verdict(big_vs_empty <= 1.15)))

    # 2. Reference figures for the animated rows.
    log(f"reference countdown (1 Hz Digits), {w:.0f} s")
    with runner.ref("countdown") as term:
        term.wait_text("Reference countdown")
        ref_count = runner.settle_and_measure(term)
        runner.done_with(term, reference=True)
    log(f"reference naive pacer (whole box at 60 fps), {w:.0f} s")
    with runner.ref("pacer") as term:
        term.wait_text("Reference pacer")
        ref_pace = runner.settle_and_measure(term)
        runner.done_with(term, reference=True)

    def pair(label: str, win: Window, ref: Window, ref_name: str, byte_budget: tuple[str, bool | None] = ("—", None),
             cpu_budget: tuple[str, bool | None] = ("—", None)) -> None:
        rows.append(Row(f"{label}: output", fmt_rate(win.bytes_per_s), f"{fmt_rate(ref.bytes_per_s)} ({ref_name})",
                        ratio(win.bytes_per_s, ref.bytes_per_s), byte_budget[0], verdict(byte_budget[1])))
        rows.append(Row(f"{label}: CPU of one core", fmt_cpu(win.cpu_percent), f"{fmt_cpu(ref.cpu_percent)} ({ref_name})",
                        ratio(win.cpu_percent, ref.cpu_percent), cpu_budget[0], verdict(cpu_budget[1])))

    # 3. Idle on Home.
    log(f"idle on Home, {w:.0f} s")
    with runner.app() as term:
        term.wait_text(*HOME_TEXT)
        idle = runner.settle_and_measure(term)
        runner.done_with(term)
    pair("idle on Home", idle, ref_count, "1 Hz countdown")

    # 4-6. The screens, each driven the way a user would from Home.
    for scenario in SCENARIOS:
        log(scenario.title)
        rows.extend(attempt(scenario, runner, ref_count=ref_count, ref_pace=ref_pace, pair_row=pair))
    engine_rows_at = len(rows)

    # 7. The store.
    log("store: one save and a cold start with 0, 1,000 and 11,000 records")
    cold0 = None
    for count in (0, 1000, 11000):
        d = runner.tmp / f"store{count}"
        store = store_bench.accepted_store(d)
        month = store_bench.fill_history(store, count)
        cold = store_bench.time_cold_load(d, cwd=runner.app_cwd or str(runner.tmp))
        save = store_bench.time_saves(store)
        first = store_bench.time_saves(store, fresh=True)
        read, write = store_bench.save_parts(store)
        cold0 = cold if cold0 is None else cold0
        note = f", {month} in this month's file" if count else ""
        rows.append(Row(f"store: one save in the running app (median of 5), {count:,} records{note}",
                        f"{save * 1000:.1f} ms",
                        budget="< 10 ms", met=verdict(save < 0.010)))
        rows.append(Row(f"store: first save of a process (median of 5), {count:,} records",
                        f"{first * 1000:.1f} ms (a full check of the month, done only if another program changed it: "
                        f"{read * 1000:.1f}; atomic write {write * 1000:.1f})",
                        budget="< 10 ms", met=verdict(first < 0.010)))
        rows.append(Row(f"store: cold start (Store.load in a new process), {count:,} records", f"{cold * 1000:.2f} ms",
                        budget="as with 0 (≤ +1 ms)", met=verdict(cold <= cold0 + 0.001)))
    log(f"store: reads with {store_bench.BIG:,} records")
    d = runner.tmp / "store-big"
    reads = store_bench.big_reads(d, cwd=runner.app_cwd or str(runner.tmp))
    months = len(store_bench.Store(d).months())
    budgets = {"stats": 1.0, "stats --since": 1.0, "export --since": 1.0, "export (all": 5.0, "History's": 0.5}
    for what, run in reads.items():
        budget = next((b for k, b in budgets.items() if what.startswith(k)), None)
        rows.append(Row(f"store: {what}, {store_bench.BIG:,} records in {months} month files (new process)"
                        if run.cpu_s is not None else f"store: {what}, {store_bench.BIG:,} records",
                        store_bench.describe(run),
                        budget=f"< {budget:g} s" if budget else "—",
                        met=verdict(run.wall_s < budget) if budget else "—"))
    cold = store_bench.time_cold_load(d, cwd=runner.app_cwd or str(runner.tmp))
    rows.append(Row(f"store: cold start (Store.load in a new process), {store_bench.BIG:,} records", f"{cold * 1000:.2f} ms",
                    budget="as with 0 (≤ +1 ms)", met=verdict(cold0 is not None and cold <= cold0 + 0.001)))
    log(HISTORY.title)
    rows.extend(attempt(HISTORY, runner, history_dir=big))

    # 8. Timer accuracy of the engine alone (background process started at the beginning),
    # shown after the screens' own timer rows.
    rows[engine_rows_at:engine_rows_at] = engine_rows(engine, runner.phase_s)

    # 9. Memory.
    rows.append(Row("peak memory (RSS, largest of all runs)", fmt_mib(runner.peak_app), f"{fmt_mib(runner.peak_ref)} (bare app)",
                    ratio(runner.peak_app, runner.peak_ref)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--window", type=float, default=10.0, help="seconds of each output/CPU window (default 10)")
    parser.add_argument("--launches", type=int, default=5, help="launches for each start-up median (default 5)")
    parser.add_argument("--phase", type=float, default=60.0, help="seconds of the timed phase (default 60)")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "latest.md",
                        help="also write the table here (default bench/latest.md; '-' for none)")
    args = parser.parse_args(argv)
    if not sys.platform.startswith("linux"):
        print("python -m bench: needs Linux (/proc, pseudo-terminals)", file=sys.stderr)
        return 2

    def log(message: str) -> None:
        print(f"[{time.monotonic() - t0:5.0f} s] {message}", file=sys.stderr, flush=True)

    t0 = time.monotonic()
    about = machine()
    runner = Runner(args.window, args.launches, args.phase, log)
    log(f"app: {runner.app_label}")
    try:
        rows = run(runner)
    finally:
        shutil.rmtree(runner.tmp, ignore_errors=True)
    took = time.monotonic() - t0
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = "\n".join([
        table(rows),
        "",
        f"{when}, {COLS}x{ROWS} pty, TERM={TERM_ENV['TERM']} COLORTERM={TERM_ENV['COLORTERM']}, "
        f"windows of {args.window:.0f} s, whole run {took:.0f} s.  ",
        f"Machine: {about}.",
    ])
    print(text)
    if str(args.out) != "-":
        args.out.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
