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


def _median_ms(cmd: list[str], env: dict[str, str], runs: int) -> float:
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # warm-up: byte-code, cache
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


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
            bare = _median_ms([python, "-c", "pass"], env, runs)
            command = status_command(python)
            args = ["status", "--data-dir", str(directory)]
            status = _median_ms([*command, *args], env, runs)
            module = _median_ms([python, "-m", "neck_tui", *args], env, runs)
            own = _median_ms([python, "-c", OWN, *args], env, runs)
            line = subprocess.run(
                [*command, "status", "--data-dir", str(directory)], env=env, capture_output=True, text=True
            ).stdout.strip()
        finally:
            os.close(lock)
    return {
        "runs": runs,
        "python_pass_ms": round(bare, 1),
        "status_ms": round(status, 1),
        "ratio": round(status / bare, 2),
        "module_ms": round(module, 1),
        "module_ratio": round(module / bare, 2),
        "own_ms": round(own, 1),
        "own_ratio": round(own / bare, 2),
        "budget_ratio": 1.5,
        "line": line,
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 40)))
