"""The subcommands that print and exit without the UI (`stats`, `export`), and the exit codes.

They only read: the store is opened read-only, so nothing in the data directory is renamed,
chmodded, created or rewritten. Each problem met while reading is one line on stderr, then a
final count; the exit code is EXIT_SKIPPED when anything was skipped.
"""

from __future__ import annotations

import argparse
import os
import re
import stat
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from neck_tui.store import STATE_FILE, Store, write_atomic

if TYPE_CHECKING:
    from neck_tui.content import Content

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CONTENT = 3
EXIT_STORE = 4
EXIT_SKIPPED = 5  # done, but some sessions or files could not be read and were left out

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PlainCommand:
    name: str
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Store, "Content"], int]


def parse_since(text: str | None) -> date | None:
    """A YYYY-MM-DD date, or ValueError with a one-line reason."""
    if text is None:
        return None
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--since: {text!r} is not a date; use YYYY-MM-DD, for example 2026-01-31") from None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _finish(command: str, store: Store, done: str) -> int:
    """Say what was skipped (one line each, then a count) and choose the exit code."""
    skipped = [p for p in store.problems if p.file != STATE_FILE]
    for problem in store.problems:
        print(f"neck-tui {command}: {problem.text}", file=sys.stderr)
    if not skipped:
        return EXIT_OK
    files = sum(1 for p in skipped if p.records is None)
    records = sum(p.records or 0 for p in skipped)
    parts = ([_plural(records, "session")] if records else []) + ([_plural(files, "file")] if files else [])
    detail = skipped[0].text if len(skipped) == 1 else "see the lines above"
    print(f"neck-tui {command}: {done}, {' and '.join(parts)} skipped: {detail}", file=sys.stderr)
    return EXIT_SKIPPED


def _since_or_usage(command: str, args: argparse.Namespace) -> tuple[bool, date | None]:
    try:
        return True, parse_since(args.since)
    except ValueError as exc:
        print(f"neck-tui {command}: {exc}", file=sys.stderr)
        return False, None


def _add_since(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", metavar="YYYY-MM-DD", help="only sessions from this (local) day on")


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format",
        choices=("csv", "markdown"),
        default="csv",
        help="csv: every session, for a spreadsheet (default); markdown: a printable summary for a clinician",
    )
    _add_since(parser)
    parser.add_argument("-o", "--output", metavar="FILE", type=Path, help="write to FILE (replacing it) instead of stdout")


def _write_output(path: Path, payload: bytes) -> None:
    """A regular file (or a new one) is replaced atomically, through a link to it if there is
    one; anything else (/dev/null, a pipe, a terminal) is written to, never replaced."""
    target = Path(os.path.realpath(path))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        mode = None
    if mode is None or stat.S_ISREG(mode):
        write_atomic(target, payload)
        return
    with open(target, "wb") as out:
        out.write(payload)


def run_export(args: argparse.Namespace, store: Store, content: "Content") -> int:
    from neck_tui import export, report  # here: the app's start-up does not need them

    ok, since = _since_or_usage("export", args)
    if not ok:
        return EXIT_USAGE
    if since is None:
        records = store.records()
    else:
        cutoff = report.local_midnight(since)
        records = [r for r in store.records(since=cutoff) if r.started >= cutoff]
    if args.format == "csv":
        text = export.to_csv(records)
    else:
        text = export.to_markdown(records, store.now(), content, since=since)
    output: Path | None = args.output
    if output is None or str(output) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        path = output.expanduser()
        if path.is_dir():
            print(f"neck-tui export: {path} is a directory; give a file name", file=sys.stderr)
            return EXIT_USAGE
        try:
            _write_output(path, text.encode("utf-8"))
        except OSError as exc:
            print(f"neck-tui export: cannot write {path}: {exc.strerror or exc}", file=sys.stderr)
            return EXIT_USAGE
        print(f"Wrote {_plural(len(records), 'session')} ({args.format}) to {path.resolve()}")
    return _finish("export", store, f"{_plural(len(records), 'session')} exported")


def run_stats(args: argparse.Namespace, store: Store, content: "Content") -> int:
    from neck_tui import report  # here: the app's start-up does not need it

    ok, since = _since_or_usage("stats", args)
    if not ok:
        return EXIT_USAGE
    summary = report.summarize_store(store, store.now(), content, since=since)
    sys.stdout.write(report.stats_text(summary, since))
    return _finish("stats", store, f"{_plural(summary.total, 'session')} counted")


PLAIN_COMMANDS: tuple[PlainCommand, ...] = (
    PlainCommand(
        "export",
        "export your history: CSV for a spreadsheet or a Markdown summary for a clinician",
        _configure_export,
        run_export,
    ),
    PlainCommand("stats", "print the history summary: streak, goals, pain trend, what helps", _add_since, run_stats),
)
