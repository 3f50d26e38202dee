"""Where the shipped content/ and styles/ directories are, installed or from source."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    # A wheel carries them under neck_tui/_data/; a source tree or editable
    # install has them at the repository's top level.
    installed = _PACKAGE / "_data" / name
    return installed if installed.is_dir() else _PACKAGE.parent / name


def content_dir() -> Path:
    return _find("content")


def styles_dir() -> Path:
    return _find("styles")
