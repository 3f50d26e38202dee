"""Snapshot tests of key screens at 80x24 (pytest-textual-snapshot)."""

from __future__ import annotations

from typing import Any, Callable


def test_home_snapshot(snap_compare: Any, make_app: Callable[..., Any]) -> None:
    assert snap_compare(make_app(), terminal_size=(80, 24))
