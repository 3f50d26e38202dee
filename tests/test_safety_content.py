"""Content behind the triage's safety (issue 14): short forms of the red flags, the urgent tier
and other clinical choices marked as the app's own, flag 9's parts, the no-hold breathing
pattern, and one clear line when any of it is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from neck_tui.content import Content
from tests.fakes import content_error


def test_every_red_flag_has_a_short_form_that_fits_40_columns(content: Content) -> None:
    for flag in content.red_flags:
        assert flag.short and len(flag.short) <= 28, flag.id
        assert len(f"[ ] 9 ! {flag.short}") <= 36, flag.id  # a 40-column list inside its border


def test_the_urgent_tier_is_marked_as_the_app_own(content: Content) -> None:
    tier = content.urgent_tier
    assert tier.basis == "app" and tier.label == "the app's own judgement"
    assert "any of the nine" in tier.note  # says what the source says instead


def test_flag_9_has_an_urgent_and_a_non_urgent_part(content: Content) -> None:
    flag = next(f for f in content.red_flags if f.id == "fever_weight_loss")
    parts = {p.id: p for p in flag.parts}
    assert set(parts) == {"fever_chills", "weight_loss"}
    assert parts["fever_chills"].urgent and "today" in parts["fever_chills"].advice
    assert not parts["weight_loss"].urgent and "soon" in parts["weight_loss"].advice
    assert [f.id for f in content.red_flags if f.parts] == ["fever_weight_loss"]  # the nine stay nine


def test_breath_holds_ruled_out_for_dizziness_and_swallowing(content: Content) -> None:
    assert {f.id for f in content.red_flags if f.no_breath_holds} == {"dizziness_falls", "speaking_swallowing"}
    calm = content.pattern(content.breathing.no_hold_pattern)
    assert calm.phases and all(p.kind != "hold" for p in calm.phases)


def test_flag_1_is_asked_about_from_pain_8(content: Content) -> None:
    assert [(f.id, f.ask_at_pain) for f in content.red_flags if f.ask_at_pain is not None] == [("unrelenting_pain", 8)]


def test_exercise_counts_and_the_cold_rest_default_say_they_are_the_app_own(content: Content) -> None:
    for exercise in content.exercises:
        assert exercise.counts_basis is not None and exercise.counts_basis.basis == "app", exercise.id
    rests = [p for p in content.regimen("cold").phases if p.kind == "off"]
    assert rests[0].minutes_basis is not None and rests[0].minutes_basis.basis == "app"
    assert "15 to 30" in rests[0].minutes_basis.note


def test_the_notice_names_where_the_red_flags_are(content: Content) -> None:
    assert "press t" in content.notice.triage_line and "neck-tui triage" in content.notice.triage_line
    assert "safe" not in content.notice.red_flag_meanwhile  # no safety claim for a breathing pattern


# -- bad content: one line naming file, field path and problem -----------------------------------


def _error(tmp_path: Path, text: str) -> tuple[str, Path]:
    return content_error(tmp_path, text, "user.toml")


def test_a_short_form_too_long(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, '[[red_flags]]\nid = "trauma"\ntext = "t"\nshort = "' + "x" * 29 + '"\n')
    assert "red_flags[id=trauma].short" in message and "28" in message


def test_parts_that_disagree_with_the_flag_urgent_tier(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, """
[[red_flags]]
id = "fever_weight_loss"
text = "t"
urgent = false
[[red_flags.parts]]
id = "fever"
text = "f"
urgent = true
advice = "a"
""")
    assert "red_flags[id=fever_weight_loss]" in message and "urgent" in message


def test_a_no_hold_pattern_that_holds(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, '[breathing]\nno_hold_pattern = "box"\n')
    assert "breathing.no_hold_pattern" in message and "hold" in message and "'box'" in message


def test_a_no_hold_pattern_that_does_not_exist(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, '[breathing]\nno_hold_pattern = "calm"\n')
    assert "breathing.no_hold_pattern" in message and "unknown pattern 'calm'" in message


@pytest.mark.parametrize(
    ("text", "field", "problem"),
    [
        ('[urgent_tier]\nbasis = "article"\n', "urgent_tier.basis", "'source' or 'app'"),
        ('[urgent_tier]\nbasis = "source"\n', "urgent_tier", "needs `source`"),
        ('[urgent_tier]\nnote = ""\n', "urgent_tier.note", "must not be empty"),
    ],
)
def test_a_bad_basis(tmp_path: Path, text: str, field: str, problem: str) -> None:
    message, _ = _error(tmp_path, text)
    assert field in message and problem in message, message


def test_a_bad_ask_at_pain(tmp_path: Path) -> None:
    message, _ = _error(tmp_path, '[[red_flags]]\nid = "unrelenting_pain"\ntext = "t"\nask_at_pain = 11\n')
    assert "red_flags[id=unrelenting_pain].ask_at_pain" in message and "10" in message
