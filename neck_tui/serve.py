"""`neck-tui serve`: the same app in a web browser, through textual-serve (the optional `web` extra).

Each browser tab that connects starts its own `neck-tui` process on the same data directory, so
the sessions, the history and the lock rules are exactly those of the terminal app. The server
listens on 127.0.0.1 only: to follow a session from a phone or another machine, forward the port
over SSH (`ssh -L 8000:127.0.0.1:8000 workstation`), which keeps the page private. No Textual here.
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys

from neck_tui.activities import COMMANDS

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"  # what textual-serve sets for the app process


def served_by_the_web() -> bool:
    """This process is an app started by textual-serve (its input is a pipe, not a terminal)."""
    return os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on {HOST} (default {DEFAULT_PORT})")
    parser.add_argument(
        "activity", nargs="?", choices=[e.name for e in COMMANDS], help="open straight into this activity (e.g. heat)"
    )


def app_command(args: argparse.Namespace) -> str:
    """The command each browser connection runs: this neck-tui, on the same data and content."""
    argv: list[str] = [sys.executable, "-m", "neck_tui"]
    for option in ("data_dir", "content_dir"):
        value = getattr(args, option, None)
        if value is not None:
            argv += [f"--{option.replace('_', '-')}", str(os.path.abspath(value))]
    if getattr(args, "activity", None):
        argv.append(args.activity)
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    try:
        from textual_serve.server import Server
    except ImportError:
        print(
            "neck-tui: serve needs the web extra: pip install 'neck-tui[web]' (textual-serve)",
            file=sys.stderr,
        )
        return 2
    if not 1 <= args.port <= 65535:
        print(f"neck-tui: --port {args.port}: not a port number (1-65535)", file=sys.stderr)
        return 2
    print(f"neck-tui: serving on http://{HOST}:{args.port} (ctrl+c stops)", flush=True)
    Server(app_command(args), host=HOST, port=args.port, title="neck-tui").serve()
    return 0
