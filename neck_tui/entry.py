"""The `neck-tui` command's entry point: a few commands answer before the CLI's heavy imports.

`neck-tui status` runs every second from a tmux status line and must cost little more than
starting Python; `neck-tui doctor` must work when the content or the data cannot be loaded. Both
are plain modules with a `main(argv)`; every other command goes to neck_tui.cli.main.
"""

from __future__ import annotations

import gc
import sys

from neck_tui.light_commands import LIGHT_COMMANDS

_VALUED = ("--data-dir", "--content-dir")


def light_command(argv: list[str]) -> str | None:
    """The subcommand, if it is one of LIGHT_COMMANDS (the common options may come first)."""
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in _VALUED:
            i += 2
            continue
        if arg.startswith("-"):
            if arg.split("=", 1)[0] in _VALUED:
                i += 1
                continue
            return None  # --help, --version...: the full parser
        return arg if arg in LIGHT_COMMANDS else None
    return None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    command = light_command(argv)
    if command is not None:
        module = __import__(LIGHT_COMMANDS[command][0], fromlist=["main"])  # importlib is not free either
        return int(module.main(argv))
    # A launch makes many long-lived objects (Textual's, pydantic's validators, the content) and
    # little cyclic garbage: collecting meanwhile only costs time (some 50 ms of a launch). The
    # collector is back on for the long-running parts: the app after its first frame (NeckApp),
    # the plain commands and `serve` (neck_tui.cli), and in any case when this returns.
    gc.disable()
    try:
        from neck_tui.cli import main as cli_main

        return cli_main(argv)
    finally:
        gc.enable()


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
