"""The benchmark's parts work (no timing here: the benchmark itself is `python -m bench`)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bench import run, scenarios, store_bench, table
from bench.reference.pacer import H, W, frame
from bench.term import Window
from neck_tui.content import load_content
from neck_tui.store import Store

REPO = Path(__file__).resolve().parent.parent


def test_table_puts_the_two_terminal_modes_side_by_side() -> None:
    truecolor = [table.Row("a | b", "1 ms", budget="< 10 ms", met=table.verdict(True)), table.Row("c", "not built yet"),
                 table.Row("store", "2 ms", budget="< 10 ms", met=table.verdict(True))]
    colours256 = [table.Row("a | b", "3 ms", budget="< 10 ms", met=table.verdict(False)), table.Row("c", "not built yet")]
    lines = table.table(table.merge([truecolor, colours256]), ["truecolor", "256 colours"]).splitlines()
    assert lines[0].startswith("| measure | neck-tui, truecolor | reference | ratio | neck-tui, 256 colours |")
    assert len(lines) == 5
    assert lines[2] == "| a \\| b | 1 ms | — | — | 3 ms | — | — | < 10 ms | **NO** |"  # met only if both modes meet it
    assert lines[3].startswith("| c | not built yet | — | — | not built yet |")
    assert lines[4] == "| store | 2 ms | — | — | (same) |  |  | < 10 ms | yes |"  # measured once, no terminal
    assert table.verdict(False) == "**NO**" and table.verdict(None) == "—"
    assert table.ratio(2.0, 4.0) == "0.50×" and table.ratio(0.0, 0.0) == "—" and table.ratio(1.0, None) == "—"


def test_ratios_are_medians_of_window_by_window_ratios() -> None:
    def win(n: int, cpu: float) -> Window:
        return Window(1.0, n, cpu, [])

    app = [win(300, 0.010), win(900, 0.012), win(330, 0.009)]
    ref = [win(300, 0.010), win(300, 0.004), win(300, 0.010)]
    assert table.median_ratio(app, ref, table.bytes_per_s) == pytest.approx(1.1)  # 1.0, 3.0, 1.1: one outlier
    assert table.median_of(app, table.bytes_per_s) == 330
    assert table.median_ratio(app, ref, table.cpu_percent) == pytest.approx(1.0)
    assert table.median_ratio([win(0, 0.0)] * 3, [win(0, 0.0)] * 3, table.bytes_per_s) == 0.0
    assert table.median_ratio([win(5, 0.0)] * 3, [win(0, 0.0)] * 3, table.bytes_per_s) is None


def test_each_terminal_mode_has_its_own_environment() -> None:
    assert run.clean_env("truecolor")["COLORTERM"] == "truecolor"
    colours256 = run.clean_env("256 colours")
    assert colours256["TERM"] == "xterm-256color" and "COLORTERM" not in colours256


def test_the_benchmark_runs_this_checkout() -> None:
    argv, cwd, _ = run.app_command()
    if cwd is not None:  # not the installed script: python -m neck_tui from this repository
        assert argv[-2:] == ["-m", "neck_tui"] and Path(cwd) == REPO


def test_fill_history_writes_readable_month_files(tmp_path: Path) -> None:
    store = store_bench.accepted_store(tmp_path / "data")
    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    in_this_month = store_bench.fill_history(store, 1000, now=now)
    again = Store(tmp_path / "data")
    assert again.load().notice_accepted
    records = again.records()
    assert len(records) == 1000
    assert len(again.months()) == 4  # 100 days back from Nov 25: Aug, Sep, Oct, Nov
    assert in_this_month == len(again.records(since=datetime(2026, 11, 1, tzinfo=timezone.utc)))
    assert all(r.started < now for r in records)


def test_heat_regimen_for_the_timer_check_is_valid_content(tmp_path: Path) -> None:
    content = load_content(extra_dir=scenarios.heat_content_dir(tmp_path, 60))
    regimen = content.regimen_for("heat")
    assert regimen.name == "Heat (benchmark)"
    assert [(p.kind, p.minutes) for p in regimen.phases] == [("heat", 1), ("off", 1), ("heat", 1)]
    assert regimen.skin_check_after_minutes > regimen.phases[0].minutes  # no skin check inside the phase
    checked = load_content(extra_dir=scenarios.heat_content_dir(tmp_path, 600, check_s=19, name="checked"))
    regimen = checked.regimen_for("heat")
    assert regimen.skin_check_after_minutes * 60 == pytest.approx(19, abs=0.01)  # the dialog row's prompt


def test_naive_pacer_frame_is_a_whole_box() -> None:
    rows = frame(5.0).splitlines()
    assert len(rows) == H and all(len(r) == W for r in rows)
    assert "●" in frame(5.0) and "Hold" in frame(5.0)


@pytest.mark.parametrize("name, label", [("countdown", "Reference countdown"), ("pacer", "Reference pacer")])
def test_reference_apps_start_in_a_pty(name: str, label: str) -> None:
    from bench.term import Term

    term = Term([sys.executable, "-m", f"bench.reference.{name}"], env=run.clean_env(), cwd=str(REPO))
    try:
        term.wait_text(label, timeout=60)  # a hang guard, not a speed check
        assert label in term.text()
    finally:
        term.close()
    assert term.total_bytes > 0
