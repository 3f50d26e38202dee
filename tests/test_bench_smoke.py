"""The benchmark's parts work (no timing here: the benchmark itself is `python -m bench`)."""

from __future__ import annotations

import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bench import run, scenarios, store_bench
from bench.reference.pacer import H, W, frame
from neck_tui.content import load_content
from neck_tui.store import Store

REPO = Path(__file__).resolve().parent.parent


def test_table_is_markdown_with_one_row_per_measure() -> None:
    rows = [run.Row("a | b", "1 ms", budget="< 10 ms", met=run.verdict(True)), run.Row("c", "not built yet")]
    lines = run.table(rows).splitlines()
    assert len(lines) == 4
    assert lines[2] == "| a \\| b | 1 ms | — | — | < 10 ms | yes |"
    assert lines[3].startswith("| c | not built yet |")
    assert run.verdict(False) == "**NO**" and run.verdict(None) == "—"
    assert run.ratio(2.0, 4.0) == "0.50×" and run.ratio(0.0, 0.0) == "—" and run.ratio(1.0, None) == "—"


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
