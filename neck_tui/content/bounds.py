"""Bounds for content: every number has a range, every text a length and no control or
bidirectional-override characters, every id a plain shape. The ranges are the app's own choice,
wide enough for any sensible regimen and small enough that no screen builds a huge list.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

APPLICATION_MAX_MIN = 60  # longest heat or cold application, minutes
REST_MAX_MIN = 120  # longest rest between applications, minutes

# C0/C1 controls except newline, and the bidirectional embedding/override/isolate marks, which
# can make a line read differently from what it holds.
_FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _clean(required: bool):
    def check(value: str) -> str:
        bad = _FORBIDDEN.search(value)
        if bad:
            raise ValueError(f"contains a control or bidi character (U+{ord(bad.group()):04X})")
        if required and not value.strip():
            raise ValueError("must not be empty")
        return value

    return check


def _text(max_length: int, *, required: bool = True) -> Any:
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(_clean(required))]


Id = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
Label = _text(80)  # a button or line label
Name = _text(80)  # an exercise's, regimen's or pattern's name
Title = _text(300)  # a tip's or source's title
Text = _text(2000)  # a paragraph
OptionalText = _text(2000, required=False)
OneLine = _text(72, required=False)
ShortLabel = _text(28)  # a red flag's short form: all nine fit a 40x15 pane  # a tip's one-line form, a short phase text: fits 80 columns


def between(low: float, high: float, *, low_open: bool = False, **kw: Any) -> Any:
    """A number field in [low, high] (or (low, high] with low_open)."""
    return Field(gt=low, le=high, **kw) if low_open else Field(ge=low, le=high, **kw)


def items(low: int, high: int, **kw: Any) -> Any:
    """A list field with between low and high entries."""
    return Field(min_length=low, max_length=high, **kw)
