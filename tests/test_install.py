"""A non-editable install into a fresh venv, run from another directory, finds content and styles."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.long
@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to copy the tracked tree")
def test_wheel_install_in_fresh_venv_finds_content(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    # Without pip of its own (setting one up is most of a venv's cost): this environment's pip
    # installs into it. Dependencies come from the index as for a user; --no-compile leaves the
    # byte-compiling to the first import.
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "-q",
         "--disable-pip-version-check", "--no-compile", str(ROOT)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    probe = (
        "from neck_tui import resources; from neck_tui.content import load_content; "
        "c = load_content(); import neck_tui; "
        "print(resources.content_dir()); print(len(c.red_flags)); "
        "print(sorted(p.name for p in resources.styles_dir().glob('*.tcss')))"
    )
    out = subprocess.run(
        [str(venv / "bin" / "python"), "-c", probe], cwd=elsewhere, capture_output=True, text=True, timeout=60,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )
    assert out.returncode == 0, out.stderr
    content_dir, flags, styles = out.stdout.splitlines()
    assert str(venv) in content_dir and "site-packages" in content_dir
    assert flags == "9"
    assert "app.tcss" in styles
    version = subprocess.run([str(venv / "bin" / "neck-tui"), "--version"], cwd=elsewhere, capture_output=True, text=True, timeout=60)
    assert version.returncode == 0 and version.stdout.startswith("neck-tui ")
