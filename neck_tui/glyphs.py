"""Glyphs the app draws, with an ASCII fallback for the Linux console (TERM=linux), whose font
lacks ⭘, ⏎, ◂▸ and rounded corners. Pure: no Textual."""

from __future__ import annotations

import os
from typing import Mapping

FANCY = {"icon": "⭘", "enter": "⏎", "less": "◂", "more": "▸"}
CONSOLE = {"icon": "*", "enter": "Enter", "less": "<", "more": ">"}


def is_console(env: Mapping[str, str] | None = None) -> bool:
    """The Linux virtual console (a 512-glyph font at most)."""
    return (os.environ if env is None else env).get("TERM", "") == "linux"


def glyph(name: str, env: Mapping[str, str] | None = None) -> str:
    return (CONSOLE if is_console(env) else FANCY)[name]
