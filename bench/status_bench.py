"""How long `neck-tui status` takes beside a bare `python -c pass` (the budget: under 1.5x).

A data dir like a working day's: a heat session running (its checkpoint in state.toml and the
session lock held by this process, as the app holds it), a month file with 200 sessions. Both
commands run with the same interpreter and environment, byte-code cached in a private
PYTHONPYCACHEPREFIX (as an installed package has it; this machine may set
PYTHONDONTWRITEBYTECODE), after one warm-up run each. Prints one JSON object.

`status_ms` is what the user types: the installed `neck-tui` script next to the interpreter when
it starts neck_tui.entry, else the same thing spelled out (`import re, sys` is what pip's script
template itself imports, about 6 ms on a slow machine: not neck-tui's own). `module_ms` is
`python -m neck_tui status`; `own_ms` is neck_tui.entry started without pip's wrapper, which is
neck-tui's own cost.

Run: python -m bench.status_bench [RUNS]
"""

from __future__ import annotations

import fcntl
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomli_w

SCRIPT = "import re, sys; from neck_tui.entry import main; sys.exit(main())"
OWN = "import sys; from neck_tui.entry import main; sys.exit(main())"
BUDGET_RATIO = 1.5  # issue 16: under 1.5x a bare `python -c pass`


def _data(directory: Path, now: datetime) -> None:
    checkpoint = {
        "id": "bench", "kind": "heat", "started": now - timedelta(minutes=3), "saved": now,
        "elapsed": 180.0, "paused": False, "regimen": "heat", "rounds": 1,
        "phases": [{"kind": "heat", "label": "Heat", "seconds": 1200.0}, {"kind": "off", "label": "Off", "seconds": 600.0}],
    }  # fmt: skip
    state = {"schema_version": 2, "notice_accepted": True, "in_progress": checkpoint}
    (directory / "state.toml").write_bytes(tomli_w.dumps(state).encode())
    sessions = [
        {"id": f"s{i}", "kind": "breathing" if i % 3 else "heat", "completed": True,
         "started": now - timedelta(hours=i), "ended": now - timedelta(hours=i) + timedelta(minutes=5)}
        for i in range(200)
    ]  # fmt: skip
    history = directory / "history"
    history.mkdir()
    (history / f"{now:%Y-%m}.toml").write_bytes(tomli_w.dumps({"schema_version": 2, "session": sessions}).encode())


def _times_ms(commands: dict[str, list[str]], env: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Each command `runs` times, taking turns, so a burst of load falls on all of them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # warm-up: byte-code, cache
    for _ in range(runs):
        for name, cmd in commands.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
            times[name].append((time.perf_counter() - start) * 1000)
    return times


def status_command(python: str = sys.executable) -> list[str]:
    script = Path(python).with_name("neck-tui")
    if script.is_file() and "neck_tui.entry" in script.read_text(errors="replace"):
        return [python, str(script)]
    return [python, "-c", SCRIPT]


def measure(runs: int = 40, python: str = sys.executable) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(tmp) / "data"
        directory.mkdir(mode=0o700)
        _data(directory, datetime.now(timezone.utc))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["PYTHONPYCACHEPREFIX"] = str(Path(tmp) / "pycache")
        env["PYTHONPATH"] = os.pathsep.join([str(Path(__file__).resolve().parent.parent), env.get("PYTHONPATH", "")])
        lock = os.open(directory / ".session.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(lock, fcntl.LOCK_EX)  # the app's session is running
        try:
            args = ["status", "--data-dir", str(directory)]
            commands = {
                "python_pass": [python, "-c", "pass"],
                "status": [*status_command(python), *args],
                "module": [python, "-m", "neck_tui", *args],
                "own": [python, "-c", OWN, *args],
            }
            times = _times_ms(commands, env, runs)
            line = subprocess.run(
                [*status_command(python), *args], env=env, capture_output=True, text=True, check=False
            ).stdout.strip()
        finally:
            os.close(lock)
    # Medians, and the fastest of each: the machine's load only ever adds time, so fastest against
    # fastest is the fairest ratio on a busy machine (as bench/run.py does for launches).
    out: dict[str, object] = {"runs": runs, "budget_ratio": BUDGET_RATIO, "line": line}
    for name, ms in times.items():
        out[f"{name}_ms"] = round(statistics.median(ms), 1)
        out[f"{name}_fastest_ms"] = round(min(ms), 1)
        if name != "python_pass":
            out[f"{name}_ratio"] = round(min(ms) / min(times["python_pass"]), 2)
    out["met"] = out["status_ratio"] <= BUDGET_RATIO  # type: ignore[operator]
    return out


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 40)))
