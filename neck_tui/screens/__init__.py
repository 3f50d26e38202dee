"""Opening screens by name; the registry itself is neck_tui.activities (no Textual there)."""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import Screen

from neck_tui.activities import Entry


def make_screen(entry: Entry) -> Screen[Any]:
    """Import the entry's screen module only now, and build its screen."""
    module_name, class_name = entry.screen.split(":")
    cls = getattr(importlib.import_module(f"neck_tui.screens.{module_name}"), class_name)
    return cls(*entry.args)
