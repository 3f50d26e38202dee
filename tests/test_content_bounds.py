"""Content is bounded: numbers in clinical ranges, texts non-empty, sane and free of control/bidi
characters, ids once per file. Every violation is one line naming file, field and problem; a
fuzz test mutates the shipped content many ways (issue 13)."""

from __future__ import annotations

import copy
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path
from typing import Any

import pytest
import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from neck_tui.content import ContentError, load_content
from neck_tui.resources import content_dir

SHIPPED = {p.name: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(content_dir().glob("*.toml"))}
REPO = Path(__file__).resolve().parent.parent


def _with(tmp_path: Path, name: str, change) -> Path:
    """A copy of the shipped content dir with one file changed by change(data)."""
    base = tmp_path / "base"
    base.mkdir(exist_ok=True)
    for fname, data in SHIPPED.items():
        data = copy.deepcopy(data)
        if fname == name:
            change(data)
        (base / fname).write_text(tomli_w.dumps(data), encoding="utf-8")
    return base


def _error(tmp_path: Path, name: str, change) -> str:
    base = _with(tmp_path, name, change)
    with pytest.raises(ContentError) as info:
        load_content(base_dir=base)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{base / name}: "), message
    return message


def _set(*path: Any, value: Any):
    def change(data: Any) -> None:
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


@pytest.mark.parametrize(
    ("name", "path", "value", "expect"),
    [
        ("regimens.toml", ("regimens", 0, "phases", 0, "minutes"), 1e12, "regimens[id=heat].phases[0].minutes"),
        ("regimens.toml", ("regimens", 0, "phases", 0, "max_minutes"), 61, "over 60"),
        ("regimens.toml", ("regimens", 0, "phases", 1, "minutes"), 121, "regimens[id=heat].phases[1].minutes"),
        ("regimens.toml", ("regimens", 2, "rounds"), 21, "regimens[id=contrast].rounds"),
        ("regimens.toml", ("regimens", 2, "max_rounds"), 10**6, "regimens[id=contrast].max_rounds"),
        ("breathing.toml", ("patterns", 0, "phases", 0, "seconds"), 21, "patterns[id=box].phases[0].seconds"),
        ("breathing.toml", ("patterns", 0, "cycles"), 51, "patterns[id=box].cycles"),
        ("breathing.toml", ("breathing", "daily_goal_max"), 1e12, "breathing.daily_goal_max"),
        ("breathing.toml", ("breathing", "daily_goal_min"), 3, "daily_goal_min must not be over"),
        ("exercises.toml", ("exercise_info", "weekly_goal_days"), 8, "exercise_info.weekly_goal_days"),
        ("exercises.toml", ("exercise_info", "lead_in_seconds"), 31, "exercise_info.lead_in_seconds"),
        ("exercises.toml", ("exercise_info", "lead_in_seconds"), -1, "exercise_info.lead_in_seconds"),
        ("exercises.toml", ("exercises", 0, "steps", 0, "hold_seconds"), 1e12, "steps[0].hold_seconds"),
        ("exercises.toml", ("exercises", 0, "steps", 0, "reps"), 10**9, "steps[0].reps"),
        ("exercises.toml", ("exercises", 0, "name"), "", "must not be empty"),
        ("exercises.toml", ("exercises", 0, "name"), "   ", "must not be empty"),
        ("red_flags.toml", ("red_flags", 0, "text"), "", "red_flags[id=unrelenting_pain].text"),
        ("tips.toml", ("tips", 0, "title"), "x" * 10_000, "at most 300 characters"),
        ("notice.toml", ("notice", "title"), "Safe \u202eeton", "bidi character (U+202E)"),
        ("notice.toml", ("notice", "text"), "ring \x07 bell", "control or bidi character (U+0007)"),
        ("breaks.toml", ("posture_breaks", "snooze_minutes"), 10**9, "posture_breaks.snooze_minutes"),
    ],
)
def test_each_bound_is_one_line(tmp_path: Path, name: str, path: tuple, value: Any, expect: str) -> None:
    assert expect in _error(tmp_path, name, _set(*path, value=value))


def test_an_id_twice_in_one_file_is_refused(tmp_path: Path) -> None:
    def twice(data: Any) -> None:
        data["exercises"].append(copy.deepcopy(data["exercises"][0]))

    message = _error(tmp_path, "exercises.toml", twice)
    first = SHIPPED["exercises.toml"]["exercises"][0]["id"]
    assert f"exercises[id={first}]: id {first} appears more than once in this file" in message


def test_a_content_dir_item_may_still_replace_a_shipped_one(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    extra.mkdir()
    heat = copy.deepcopy(SHIPPED["regimens.toml"]["regimens"][0])
    heat["name"] = "My heat"
    (extra / "heat.toml").write_text(tomli_w.dumps({"regimens": [heat]}), encoding="utf-8")
    assert load_content(extra_dir=extra).regimen("heat").name == "My heat"


def test_bad_content_exits_3_with_one_line_from_the_command_line(tmp_path: Path) -> None:
    extra = tmp_path / "mine"
    extra.mkdir()
    heat = copy.deepcopy(SHIPPED["regimens.toml"]["regimens"][0])
    heat["phases"][0]["minutes"] = 1e12
    (extra / "heat.toml").write_text(tomli_w.dumps({"regimens": [heat]}), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "neck_tui", "--content-dir", str(extra), "--data-dir", str(tmp_path / "d"), "stats"],
        capture_output=True, text=True, cwd=REPO, timeout=60,
    )
    assert result.returncode == 3 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"neck-tui: bad content: {extra / 'heat.toml'}: regimens[id=heat].phases[0].minutes: ")


# --- fuzz -------------------------------------------------------------------------------------------


def _leaves(node: Any, path: tuple = ()) -> list[tuple]:
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in _leaves(v, (*path, k))]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in _leaves(v, (*path, i))]
    return [path]


LEAVES = [(name, path) for name, data in SHIPPED.items() for path in _leaves(data)]
VALUES = st.one_of(
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False, width=64),
    st.text(max_size=50),
    st.text(alphabet=st.sampled_from("a\u202e\u2066\x00\x1b\n "), max_size=5),
    st.sampled_from(["", " ", "x" * 5000, True, False, 0, -1, 1e12]),
    st.lists(st.integers(min_value=0, max_value=10), max_size=3),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_mutated_content_is_a_valid_load_or_one_line(tmp_path: Path, data: st.DataObject) -> None:
    """Change one to three leaves of the shipped content: loading gives valid, bounded content
    or one ContentError line naming the file; never another exception."""
    changed = copy.deepcopy(SHIPPED)
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        name, path = data.draw(st.sampled_from(LEAVES))
        node = changed[name]
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = data.draw(VALUES)
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    for name, content in changed.items():
        (base / name).write_text(tomli_w.dumps(content), encoding="utf-8")
    try:
        content = load_content(base_dir=base)
    except ContentError as e:
        message = str(e)
        assert "\n" not in message and message.startswith(str(base)) and len(message) < 600
        return
    # A valid start: every number a screen turns into a list is small.
    for regimen in content.regimens:
        assert regimen.max_rounds <= 20 and all(p.maximum <= 120 for p in regimen.phases)
    assert all(p.cycles <= 50 and all(ph.seconds <= 20 for ph in p.phases) for p in content.patterns)
    assert all(s.reps <= 50 for e in content.exercises for s in e.steps)
    assert content.breathing.daily_goal_max <= 20
