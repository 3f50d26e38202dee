"""What a terminal gets from the app: the rendered cells of the current screen, as text and styles."""

from __future__ import annotations

import html
import re
from typing import Any

from rich.color import Color, ColorSystem, ColorType
from rich.style import Style
from textual.screen import ModalScreen


def screen_cells(app: Any, *, foreground_only: bool = False) -> list[tuple[int, str, Style]]:
    """(row, text, style) of every rendered segment of the current screen, as a terminal gets it.

    foreground_only: of a modal, only what its own widgets draw, not the faded screen behind it.
    """
    update = app.screen._compositor.render_update(
        full=True, screen_stack=app._background_screens, simplify=True
    )
    regions = None
    if foreground_only and isinstance(app.screen, ModalScreen):
        regions = [w.region for w in app.screen.children if w.display]
    cells = []
    for y, line in enumerate(update.strips):
        x = 0
        for strip in line:
            for segment in strip:
                if segment.text and not segment.control:
                    if regions is None or any(r.contains(x, y) for r in regions):
                        cells.append((y, segment.text, segment.style or Style()))
                x += segment.cell_length
    return cells


_SVG_TEXT = re.compile(r'<text [^>]*?x="([\d.]+)"[^>]*?textLength="([\d.]+)"[^>]*?-line-(\d+)\)">([^<]*)</text>')


def screen_text(app: Any) -> str:
    """What the terminal shows now, as plain text: read from Textual's own screenshot (SVG)."""
    rows: dict[int, dict[int, str]] = {}
    for x, length, line, text in _SVG_TEXT.findall(app.export_screenshot()):
        text = html.unescape(text).replace("\xa0", " ").rstrip("\n")
        if not text:
            continue
        cell = float(length) / max(1, len(text))
        rows.setdefault(int(line), {})[round(float(x) / cell) if cell else 0] = text
    lines = []
    for y in range(max(rows, default=-1) + 1):
        out = ""
        for col, text in sorted(rows.get(y, {}).items()):
            out = out.ljust(col) + text
        lines.append(out)
    return "\n".join(lines)


def flat(text: str) -> str:
    return " ".join(text.split())


def shown(app: Any) -> str:
    """The current screen's text on one line, as a user reads it."""
    return flat(screen_text(app))


# The Linux console's palette; it shows only the 8 normal colours as backgrounds.
LINUX_PALETTE = [
    (0, 0, 0), (170, 0, 0), (0, 170, 0), (170, 85, 0), (0, 0, 170), (170, 0, 170), (0, 170, 170), (170, 170, 170),
    (85, 85, 85), (255, 85, 85), (85, 255, 85), (255, 255, 85), (85, 85, 255), (255, 85, 255), (85, 255, 255),
    (255, 255, 255),
]


def _luminance(rgb: tuple[int, int, int]) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(fg: tuple[int, int, int], bg: tuple[int, int, int]) -> float:
    a, b = _luminance(fg), _luminance(bg)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _rgb(color: Color, mode: str, background: bool) -> tuple[int, int, int]:
    if mode == "256":
        t = color.downgrade(ColorSystem.EIGHT_BIT).get_truecolor()
    elif mode == "linux":
        n = color.downgrade(ColorSystem.STANDARD).number or 0
        t = LINUX_PALETTE[n % 8 if background else n]
        return t
    else:
        t = color.get_truecolor()
    return (t.red, t.green, t.blue)


def unreadable(app: Any, mode: str, minimum: float) -> list[str]:
    """Text (letters or digits) whose colour on its background falls below `minimum` contrast."""
    bad = []
    for y, text, style in screen_cells(app, foreground_only=True):
        if not any(ch.isalnum() for ch in text):
            continue  # borders and rules carry no words
        fg, bg = style.color, style.bgcolor
        if fg is None or bg is None or ColorType.DEFAULT in (fg.type, bg.type):
            continue  # the terminal's own default colours
        if style.reverse:
            fg, bg = bg, fg
        ratio = contrast(_rgb(fg, mode, False), _rgb(bg, mode, True))
        if ratio < minimum:
            bad.append(f"row {y} {text.strip()!r}: {ratio:.2f}")
    return bad


# Minimum contrast of words: WCAG's 3:1 for large text is too strict for Textual's muted styles;
# 2:1 still reads. On the Linux console, with its 8 backgrounds, only invisible text is refused.
MODES = {"truecolor": 2.0, "256": 2.0, "linux": 1.1}


def words(app: Any) -> str:
    """Every text of the current screen's Static widgets (toasts too), on one line: unlike
    `shown`, a sentence wrapped inside a bordered box still reads whole."""
    from textual.widgets import Static

    # query("*"): a Toast is a Static that does not inherit its CSS type name.
    return flat(" ".join(str(w.render()) for w in app.screen.query("*") if isinstance(w, Static) and w.display))



def read_countdown(text: str) -> tuple[str, int]:
    """The time a countdown in neck_tui.widgets.countdown's block font shows in screen text, read
    as a user reads it (each glyph's pixels matched to the font, whatever its size), and the rows
    its tallest glyph takes on screen. ("", 0) if the screen shows none."""
    from neck_tui.widgets.countdown import FONT, HALVES

    halves = {char: pair for pair, char in HALVES.items() if char != " "}
    lines = text.splitlines()
    rows = [y for y, line in enumerate(lines) if any(c in halves for c in line)]
    if not rows:
        return "", 0
    lines = [line for line in lines[rows[0] : rows[-1] + 1]]
    width = max(len(line) for line in lines)
    lines = [line.ljust(width) for line in lines]
    pixels = [[halves.get(line[x], (False, False))[half] for x in range(width)] for line in lines for half in (0, 1)]
    lit = [any(row[x] for row in pixels) for x in range(width)]
    shapes = {pattern: char for char, pattern in FONT.items() if char != ":"}
    read, tallest, x = "", 0, 0
    while x < width:
        if not lit[x]:
            x += 1
            continue
        end = next((e for e in range(x, width) if not lit[e]), width)
        ys = [y for y, row in enumerate(pixels) if any(row[x:end])]
        tallest = max(tallest, sum(1 for line in lines if any(c in halves for c in line[x:end])))
        if ys[-1] - ys[0] + 1 == 3 * (end - x):  # two dots, a pixel apart: the colon
            read += ":"
        elif (end - x) % 3 == 0 and ys[-1] - ys[0] + 1 == 5 * (end - x) // 3:  # a digit's 3x5 pixels
            scale = (end - x) // 3
            read += shapes.get(tuple("".join("#" if pixels[ys[0] + r * scale][x + c * scale] else " " for c in range(3))
                                     for r in range(5)), "?")
        else:
            read += "?"
        x = end
    return read, tallest
