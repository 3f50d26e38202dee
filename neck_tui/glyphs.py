"""Glyphs the app draws, with an ASCII fallback for the Linux console (TERM=linux), whose font
lacks ⭘, ⏎, ◂▸ and rounded corners. Pure: no Textual.

Two ways, one for each kind of glyph: `glyph(name)` for the few whose fallback is a word of
another width ("⏎" -> "Enter"); `console_text(text)` for everything drawn, one cell for one cell
(so nothing moves): applied to every line on the console by neck_tui.terminal.console, it also
catches what Textual draws itself (the Digits' corners, borders, the Footer's separator).
"""

from __future__ import annotations

import os
import unicodedata
from functools import lru_cache
from typing import Mapping

FANCY = {"icon": "⭘", "enter": "⏎", "less": "◂", "more": "▸"}
CONSOLE = {"icon": "*", "enter": "Enter", "less": "<", "more": ">"}

# What every Linux console font has: code page 437, the kernel's own font and map
# (drivers/tty/vt/cp437.uni): ASCII, cp437's upper half, and its pictures for 0x01-0x1f and 0x7f.
CONSOLE_FONT = frozenset(
    "".join(chr(c) for c in range(0x20, 0x7F))
    + bytes(range(0x80, 0x100)).decode("cp437")
    + "☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼⌂▶◀◆¤"
)

# What the console draws instead of a glyph its font lacks (the app's own choice).
_INSTEAD = {
    "╭": "┌", "╮": "┐", "╰": "└", "╯": "┘",  # rounded corners
    "╴": "─", "╶": "─", "╸": "─", "╺": "─", "╵": "│", "╷": "│", "╹": "│", "╻": "│",  # half lines
    "▏": "│", "▕": "│", "▎": "▌", "▍": "▌", "▋": "▌", "▊": "█", "▉": "█",  # left/right eighths
    "▁": "_", "▂": "▄", "▃": "▄", "▅": "▄", "▆": "█", "▇": "█", "▔": "▀",  # lower/upper eighths
    "—": "-", "–": "-", "‒": "-", "―": "-", "…": ".", "‘": "'", "’": "'", "“": '"', "”": '"',
    "⭘": "*", "◂": "<", "▸": ">", "✓": "√", "✔": "√", "✗": "x", "✘": "x", "⏎": "<",
}


def is_console(env: Mapping[str, str] | None = None) -> bool:
    """The Linux virtual console (a 512-glyph font at most)."""
    return (os.environ if env is None else env).get("TERM", "") == "linux"


def glyph(name: str, env: Mapping[str, str] | None = None) -> str:
    return (CONSOLE if is_console(env) else FANCY)[name]


@lru_cache(maxsize=1024)
def console_char(char: str) -> str:
    """`char` as the console font can draw it, in as many cells: itself, a near glyph, or ASCII."""
    if char in CONSOLE_FONT or char in "\n\t":
        return char
    if char in _INSTEAD:
        return _INSTEAD[char]
    name = unicodedata.name(char, "")
    if name.startswith("BOX DRAWINGS"):  # heavy, dashed, arc: the light line in the same places
        for old, new in (("HEAVY", "LIGHT"), ("TRIPLE DASH ", ""), ("QUADRUPLE DASH ", ""), ("DOUBLE DASH ", "")):
            name = name.replace(old, new)
        try:
            light = unicodedata.lookup(name)
        except KeyError:
            light = "+"
        return light if light in CONSOLE_FONT else "+"
    if unicodedata.combining(char):
        return ""  # an accent on the letter before: it takes no cell
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    wide = unicodedata.east_asian_width(char) in ("W", "F")
    return (plain[:1] or "?") * (2 if wide else 1)


@lru_cache(maxsize=4096)
def console_text(text: str) -> str:
    """`text` with each glyph the console font lacks drawn as `console_char` does."""
    if all(c in CONSOLE_FONT for c in text):
        return text
    return "".join(console_char(c) for c in text)
