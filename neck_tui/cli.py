"""Command line: arguments, subcommands and exit codes. No UI code here.

Exit codes: 0 ok, 2 bad usage, 3 bad content, 4 progress store problem.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from neck_tui import __version__
from neck_tui.activities import COMMANDS

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_CONTENT = 3
EXIT_STORE = 4

# Subcommands that print and exit without the UI: name -> (help, configure parser, run).
# Filled by modules that own them (see register_command).
PLAIN_COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[..., int]]] = {}


def register_command(
    name: str, help: str, configure: Callable[[argparse.ArgumentParser], None], run: Callable[..., int]
) -> None:
    """Add a non-UI subcommand; `run(args, store, content)` returns an exit code."""
    PLAIN_COMMANDS[name] = (help, configure, run)


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
        sub.add_parser(entry.name, help=entry.description, description=entry.description, parents=[common])
    _load_plain_commands()
    for name, (help_text, configure, _run) in PLAIN_COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text, parents=[common]))
    from neck_tui.entry import LIGHT_COMMANDS  # answered before this parser is built (issue 16)

    for name, (_module, help_text) in LIGHT_COMMANDS.items():
        sub.add_parser(name, help=help_text, description=help_text, parents=[common])
    return parser


def _load_plain_commands() -> None:
    # The module that owns the plain subcommands registers them when imported (it imports
    # this module, hence the import here rather than at the top).
    import neck_tui.report  # noqa: F401


def main(argv: Sequence[str] | None = None) -> int:
    from neck_tui import entry  # status and doctor: no content, no store (issue 16)

    if entry.light_command(list(sys.argv[1:] if argv is None else argv)):
        return entry.main(None if argv is None else list(argv))
    parser = build_parser()
    args = parser.parse_args(argv)
    data_dir = getattr(args, "data_dir", None)
    content_dir = getattr(args, "content_dir", None)

    from neck_tui.content import ContentError, load_content
    from neck_tui.store import Store, StoreError, default_data_dir

    try:
        content = load_content(extra_dir=content_dir)
    except ContentError as exc:
        print(f"neck-tui: bad content: {exc}", file=sys.stderr)
        return EXIT_CONTENT
    try:
        store = Store(data_dir or default_data_dir())
        store.load()
    except StoreError as exc:
        print(f"neck-tui: {exc}", file=sys.stderr)
        return EXIT_STORE

    if args.command in PLAIN_COMMANDS:
        try:
            return PLAIN_COMMANDS[args.command][2](args, store, content)
        except StoreError as exc:
            print(f"neck-tui: {exc}", file=sys.stderr)
            return EXIT_STORE

    if not _stdin_is_a_terminal():
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


def _stdin_is_a_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):  # closed
        return False


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
