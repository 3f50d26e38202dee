"""Where the user's data lives: the data directory and the names of the files in it."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

STATE_FILE = "state.toml"
HISTORY_DIR = "history"
LOCK_FILE = ".lock"
V1_FILE = "progress.toml"
LOCK_TIMEOUT_S = 10.0


def default_data_dir() -> Path:
    """Where the data lives: $NECK_TUI_DATA_DIR if set, else the platform's user data dir."""
    env = os.environ.get("NECK_TUI_DATA_DIR")
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("neck-tui", appauthor=False)
