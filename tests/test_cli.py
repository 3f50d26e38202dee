"""The command line: options, subcommands, exit codes and one-line errors (no UI needed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

from neck_tui import __version__
from neck_tui.activities import COMMANDS
from neck_tui.cli import EXIT_CONTENT, EXIT_STORE, build_parser, main
from neck_tui.store import Store

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "neck_tui", *args],
        capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})}, cwd=ROOT,
    )


def test_version_and_help() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"neck-tui {__version__}"
    result = run("--help")
    assert result.returncode == 0
    for command in (e.name for e in COMMANDS):
        assert command in result.stdout
    assert "--data-dir" in result.stdout and "--content-dir" in result.stdout
    assert "not medical advice" in " ".join(result.stdout.split())


@pytest.mark.parametrize("command", [e.name for e in COMMANDS])
def test_each_subcommand_parses_with_options_before_or_after(command: str, tmp_path: Path) -> None:
    parser = build_parser()
    for argv in ([command, "--data-dir", str(tmp_path)], ["--data-dir", str(tmp_path), command]):
        args = parser.parse_args(argv)
        assert args.command == command and args.data_dir == tmp_path


def test_unknown_subcommand_is_a_usage_error() -> None:
    result = run("stretch")
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_content_dir_stops_before_the_ui_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('[[regimens]]\nid = "heat"\nname = "Heat"\nkind = "heat"\nsummary = "x"\n'
                                        '[[regimens.phases]]\nkind = "heat"\nminutes = -5\n')
    result = run("heat", "--content-dir", str(tmp_path), "--data-dir", str(tmp_path / "d"))
    assert result.returncode == EXIT_CONTENT
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "mine.toml" in lines[0] and "regimens[id=heat].phases[0].minutes" in lines[0]
    assert not (tmp_path / "d").exists()  # nothing touched


def test_screens_without_a_terminal_are_refused_with_one_line(tmp_path: Path) -> None:
    # stdin at EOF from the start (</dev/null, a cron job): Textual's input thread would spin a
    # core for ever, and the watchdog sees no hang-up on /dev/null. Say so and stop instead.
    result = subprocess.run(
        [sys.executable, "-m", "neck_tui", "heat", "--data-dir", str(tmp_path / "d")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "terminal" in lines[0] and "stats" in lines[0], result.stderr
    # the plain commands still work without one
    result = subprocess.run(
        [sys.executable, "-m", "neck_tui", "stats", "--data-dir", str(tmp_path / "d")],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=20, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


def test_missing_content_dir_is_reported(tmp_path: Path) -> None:
    assert main(["--content-dir", str(tmp_path / "nope"), "--data-dir", str(tmp_path / "d")]) == EXIT_CONTENT


def test_store_from_a_newer_version_is_refused_untouched(tmp_path: Path) -> None:
    data = tmp_path / "d"
    data.mkdir()
    (data / "state.toml").write_text("schema_version = 99\n")
    result = run("--data-dir", str(data))
    assert result.returncode == EXIT_STORE
    assert len(result.stderr.strip().splitlines()) == 1 and "newer" in result.stderr
    assert (data / "state.toml").read_text() == "schema_version = 99\n"


def _spawn(args: list[str], env: dict[str, str]) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable, ["-m", "neck_tui", *args], env={**os.environ, **env, "TERM": "xterm-256color"},
        dimensions=(24, 80), encoding="utf-8", codec_errors="replace", timeout=20, cwd=str(ROOT),
    )


def test_data_dir_from_environment_and_subcommand_in_a_real_terminal(tmp_path: Path) -> None:
    data = tmp_path / "env-data"
    child = _spawn(["triage"], {"NECK_TUI_DATA_DIR": str(data)})
    try:
        child.expect("not medical advice")
        child.send("\r")  # accept the first-run notice
        child.expect("Step 1 of 2")
        child.sendcontrol("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert Store(data).load().notice_accepted is True
    assert oct((data).stat().st_mode & 0o777) == "0o700"
