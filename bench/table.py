"""The benchmark's table: rows, number formats, medians of windows, and the two terminal modes side by side.

Each terminal mode (truecolor, 256 colours) produces its own list of rows; `merge` puts the two
beside each other, one line per measure, with the budget and whether both modes meet it.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:
    from bench.term import Window

KB = 1024


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


# -- medians of windows -----------------------------------------------------------------------------

def median_of(windows: list["Window"], key: Callable[["Window"], float]) -> float:
    return statistics.median(key(w) for w in windows)


def median_ratio(app: list["Window"], ref: list["Window"], key: Callable[["Window"], float]) -> float | None:
    """The median of the window-by-window ratios (app window i against reference window i);
    None when the reference did nothing in any window."""
    pairs = [key(a) / key(r) for a, r in zip(app, ref) if key(r) > 0]
    if not pairs:
        return None if any(key(a) > 0 for a in app) else 0.0
    return statistics.median(pairs)


def fmt_ratio(value: float | None) -> str:
    return "∞" if value is None else f"{value:.2f}×"


def bytes_per_s(w: "Window") -> float:
    return w.bytes_per_s


def cpu_percent(w: "Window") -> float:
    return w.cpu_percent


# -- the table -------------------------------------------------------------------------------------

def head(modes: list[str]) -> list[str]:
    cells = ["measure"]
    for mode in modes:
        cells += [f"neck-tui, {mode}", "reference", "ratio"]
    return [*cells, "budget", "met"]


def merge(modes: list[list[Row]]) -> list[list[str]]:
    """One line per measure: each mode's value, reference and ratio side by side; the budget; and
    "yes" only if every mode that measured it meets it. A row only one mode has (one that does
    not depend on the terminal) leaves the other mode's cells as "(same)"."""
    order: list[str] = []
    by_what: dict[str, list[Row | None]] = {}
    for i, rows in enumerate(modes):
        for row in rows:
            if row.what not in by_what:
                order.append(row.what)
                by_what[row.what] = [None] * len(modes)
            by_what[row.what][i] = row
    lines = []
    for what in order:
        cells: list[str] = [what]
        budget, mets = "—", []
        for row in by_what[what]:
            if row is None:
                cells += ["(same)", "", ""]
                continue
            cells += [row.value, row.ref, row.ratio]
            budget = row.budget if row.budget != "—" else budget
            mets.append(row.met)
        if any(m == verdict(False) for m in mets):
            met = verdict(False)
        elif mets and all(m == verdict(True) for m in mets):
            met = verdict(True)
        else:
            met = "—"
        lines.append([*cells, budget, met])
    return lines


def table(lines: list[list[str]], modes: list[str]) -> str:
    cells = head(modes)
    out = ["| " + " | ".join(cells) + " |", "| " + " | ".join("---" for _ in cells) + " |"]
    for cells in lines:
        out.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(out)
