"""Command line: arguments, subcommands and exit codes. No UI code here.

Exit codes: 0 ok, 2 bad usage, 3 bad content, 4 progress store problem, 5 some sessions or
files could not be read and were skipped (`stats`, `export`).
"""

from __future__ import annotations

import argparse
import gc
import sys
from pathlib import Path
from typing import Callable, Sequence

from neck_tui import __version__
from neck_tui.activities import BY_NAME, COMMANDS
from neck_tui.commands import (
    EXIT_CONTENT,
    EXIT_OK,
    EXIT_SKIPPED,
    EXIT_STORE,
    EXIT_USAGE,
    PLAIN_COMMANDS,
)

__all__ = ["EXIT_CONTENT", "EXIT_OK", "EXIT_SKIPPED", "EXIT_STORE", "EXIT_USAGE", "build_parser", "main"]
PLAIN = {c.name: c for c in PLAIN_COMMANDS}  # print and exit without the UI (neck_tui.commands)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="neck-tui",
        description=(
            "Keyboard-first self-care for neck spasms: triage, heat/cold timers, box breathing, "
            "exercises and posture breaks. Education and self-care support, not medical advice."
        ),
    )
    parser.add_argument("--version", action="version", version=f"neck-tui {__version__}")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="where progress is kept (default: $NECK_TUI_DATA_DIR or the user data dir)",
    )
    common.add_argument(
        "--content-dir",
        type=Path,
        default=argparse.SUPPRESS,
        metavar="DIR",
        help="extra content: every *.toml in DIR is merged over the shipped content",
    )
    # The options work before or after the subcommand.
    for action in common._actions:
        parser._add_action(action)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for entry in COMMANDS:  # each opens the app straight into that screen
        command = sub.add_parser(entry.name, help=entry.description, description=entry.description, parents=[common])
        if entry.listing:
            command.add_argument("--list", action="store_true", help="print it as plain text, without the screens")
    from neck_tui import serve

    serve_help = "the same app in a web browser, on 127.0.0.1 (needs: pip install 'neck-tui[web]')"
    serve.configure(sub.add_parser("serve", help=serve_help, description=serve_help, parents=[common]))
    for command in PLAIN_COMMANDS:
        command.configure(sub.add_parser(command.name, help=command.help, description=command.help, parents=[common]))
    from neck_tui.light_commands import (
        LIGHT_COMMANDS,  # answered before this parser (neck_tui.entry)
    )

    for name, (_module, help_text) in LIGHT_COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text, parents=[common])
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    content_dir = getattr(args, "content_dir", None)
    if args.command == "serve":  # each page runs its own neck-tui, which loads and checks all
        from neck_tui import serve

        gc.enable()  # off for start-up (neck_tui.entry)
        return serve.run(args)

    from neck_tui.content import ContentError, load_content
    from neck_tui.store import Store, StoreError, default_data_dir

    try:
        content = load_content(extra_dir=content_dir)
    except ContentError as exc:
        print(f"neck-tui: bad content: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    if getattr(args, "list", False):  # e.g. `learn --list`: content only, the store is not opened
        sys.stdout.write(_listing(args.command)(content))
        return EXIT_OK
    plain = PLAIN.get(args.command)
    try:
        # A plain command only reads: its store refuses to write anything.
        store = Store(data_dir or default_data_dir(), read_only=plain is not None)
        store.load()
    except StoreError as exc:
        print(f"neck-tui: {exc}", file=sys.stderr)
        return EXIT_STORE

    if plain is not None:
        gc.enable()  # off for start-up (neck_tui.entry)
        try:
            return plain.run(args, store, content)
        except StoreError as exc:
            print(f"neck-tui: {exc}", file=sys.stderr)
            return EXIT_STORE

    from neck_tui.serve import served_by_the_web

    if not _stdin_is_a_terminal() and not served_by_the_web():
        # With its input at EOF from the start (</dev/null, cron, a pipe) the UI cannot be used
        # and Textual's input thread would spin a core: say so and stop.
        print(
            "neck-tui: the screens need a terminal, and stdin is not one; "
            "for plain text use `neck-tui stats` or `neck-tui export`",
            file=sys.stderr,
        )
        return EXIT_USAGE

    from neck_tui.app import NeckApp

    app = NeckApp(content=content, store=store, start=args.command)
    app.run()
    return app.return_code or EXIT_OK


def _listing(name: str) -> Callable[..., str]:
    import importlib

    module, function = (BY_NAME[name].listing or "").split(":")
    return getattr(importlib.import_module(f"neck_tui.{module}"), function)


def _stdin_is_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed
        return False


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
