"""The shipped content carries the clinical facts exactly, and bad content fails with one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from neck_tui.content import ContentError, load_content
from neck_tui.resources import content_dir


@pytest.fixture(scope="module")
def content():
    return load_content()


# -- shipped content ----------------------------------------------------------------------------


def test_shipped_content_loads_from_content_dir(content):
    assert (content_dir() / "red_flags.toml").is_file()
    assert content.notice.title


def test_nine_red_flags_in_order_with_exactly_five_urgent(content):
    ids = [f.id for f in content.red_flags]
    assert ids == [
        "unrelenting_pain", "cannot_function", "frequent_spasms", "radiating_pain", "headache_weakness",
        "dizziness_falls", "speaking_swallowing", "trauma", "fever_weight_loss",
    ]
    urgent = {f.id for f in content.red_flags if f.urgent}
    assert urgent == {"headache_weakness", "dizziness_falls", "speaking_swallowing", "trauma", "fever_weight_loss"}


def test_red_flag_texts_fit_one_line(content):
    for flag in content.red_flags:
        assert flag.text and "\n" not in flag.text
        assert len(flag.text) <= 70, flag.id


def test_heat_regimen_is_20_on_30_off(content):
    heat = content.regimen("heat")
    assert content.regimen_for("heat") is heat
    assert [(p.kind, p.minutes) for p in heat.phases] == [("heat", 20), ("off", 30)]
    assert heat.phases[0].maximum == 20
    assert heat.rounds == 1
    assert heat.skin_check_after_minutes == 2


def test_cold_regimen_is_10_on_15_to_30_off_default_20(content):
    cold = content.regimen("cold")
    assert cold.kind == "cold"
    on, off = cold.phases
    assert (on.kind, on.minutes, on.maximum) == ("cold", 10, 10)
    assert (off.kind, off.minutes, off.min_minutes, off.max_minutes) == ("off", 20, 15, 30)
    assert cold.skin_check_after_minutes == 2


def test_contrast_is_heat5_cold5_heat5_with_optional_second_cycle(content):
    contrast = content.regimen("contrast")
    assert contrast.kind == "contrast"
    assert [(p.kind, p.minutes) for p in contrast.phases] == [("heat", 5), ("cold", 5), ("heat", 5)]
    assert all(p.maximum == 5 for p in contrast.phases)
    assert (contrast.rounds, contrast.max_rounds) == (1, 2)
    assert contrast.again_prompt


def test_box_breathing_is_4_4_4_4_for_four_cycles(content):
    assert content.breathing.default_pattern == "box"
    assert (content.breathing.daily_goal_min, content.breathing.daily_goal_max) == (1, 2)
    assert content.breathing.safety
    box = content.pattern("box")
    assert [(p.kind, p.seconds) for p in box.phases] == [("in", 4), ("hold", 4), ("out", 4), ("hold", 4)]
    assert [p.label for p in box.phases] == ["Breathe in", "Hold", "Breathe out", "Hold"]
    assert box.cycles == 4


def test_extra_breathing_patterns_say_they_are_not_from_the_article(content):
    assert [(p.kind, p.seconds) for p in content.pattern("four_seven_eight").phases] == [("in", 4), ("hold", 7), ("out", 8)]
    coherent = content.pattern("coherent")
    assert [(p.kind, p.seconds) for p in coherent.phases] == [("in", 5.5), ("out", 5.5)]
    assert 100 <= coherent.cycles * 11 <= 140  # about two minutes
    assert [(p.kind, p.seconds) for p in content.pattern("slow_diaphragmatic").phases] == [("in", 4), ("out", 6)]
    for pattern in content.patterns:
        if pattern.id != "box":
            assert "not from the source article" in pattern.summary, pattern.id


def test_the_four_exercises_and_the_daily_routine(content):
    ids = ["diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug"]
    assert [e.id for e in content.exercises] == ids
    assert content.routine("daily").name == "Daily routine"
    assert content.routine("daily").exercises == ids
    assert content.exercise_info.default_routine == "daily"
    assert content.exercise_info.weekly_goal_days == 2
    assert content.exercise_info.pain_cue and content.exercise_info.hurts_advice
    source_ids = {s.id for s in content.sources}
    for exercise in content.exercises:
        assert exercise.source == "hinge_neck_spasms" in source_ids
        assert exercise.steps
    shrug = content.exercise("shoulder_shrug").steps[0]
    assert shrug.hold_seconds == 5


def test_posture_breaks(content):
    breaks = content.posture_breaks
    assert (breaks.interval_minutes, breaks.min_minutes, breaks.max_minutes, breaks.snooze_minutes) == (45, 30, 60, 10)
    assert len(breaks.prompts) >= 5
    assert breaks.guided_exercise == "shoulder_shrug"


def test_pain_scale_has_all_eleven_anchors(content):
    assert sorted(a.value for a in content.pain_scale) == list(range(11))
    assert content.pain_words(0) == "No pain"
    assert content.pain_words(10) == "Worst pain imaginable"
    assert content.pain_words(7) == "Strong, hard to think of anything else"
    assert content.pain_words(4) != content.pain_words(7)


def test_notice_lines(content):
    notice = content.notice
    for field in type(notice).model_fields:
        assert getattr(notice, field).strip(), field
    assert "\n" not in notice.reminder_banner
    assert "not" in notice.text and "medical advice" in notice.text
    assert "healthcare provider" in notice.red_flag_advice


def test_tips_carry_the_numbers(content):
    text = {t.id: t.text for t in content.tips}
    assert "88%" in text["imaging"] and "1,000" in text["imaging"]
    assert "10,000" in text["walk_more"] and "six months" in text["walk_more"]
    assert "eight-week" in text["meditation"] and "eight-week" in text["mindfulness"]
    assert "7 or more hours" in text["sleep"]
    assert "4/10" in text["pain_breaks"] and "7/10" in text["pain_breaks"]
    assert "upper trapezius" in text["self_massage"] and "side of the neck" in text["self_massage"]
    assert "first-line" in text["physical_therapy"]
    assert "4 to 6 weeks" in text["common_triggers"]
    assert "what_is_a_spasm" in text


def test_sources_and_unique_ids(content):
    article = next(s for s in content.sources if s.id == "hinge_neck_spasms")
    assert article.title == "How to Relieve Neck Spasms: Causes, Treatments, and Exercises"
    assert (article.publisher, article.date) == ("Hinge Health", "2023-01-17")
    for section in ("red_flags", "regimens", "patterns", "exercises", "routines", "tips", "sources"):
        ids = [item.id for item in getattr(content, section)]
        assert len(ids) == len(set(ids)), section


# -- bad content: one line naming file, field path and problem --------------------------------


def _error(tmp_path: Path, text: str, name: str = "user.toml") -> tuple[str, Path]:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_content(extra_dir=tmp_path)
    return str(info.value), path


def _one_line(message: str, path: Path, *parts: str) -> None:
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    for part in parts:
        assert part in message, (part, message)


def test_toml_syntax_error(tmp_path):
    message, path = _error(tmp_path, "[[exercises]\nid = 'x'\n")
    _one_line(message, path, "TOML syntax error", "line 1")


def test_wrong_type(tmp_path):
    message, path = _error(tmp_path, """
[[regimens]]
id = "heat"
name = "Heat"
kind = "heat"
summary = "s"
[[regimens.phases]]
kind = "heat"
minutes = "ten"
""")
    _one_line(message, path, "regimens[id=heat].phases[0].minutes", "valid number", "'ten'")


def test_missing_steps(tmp_path):
    message, path = _error(tmp_path, "[[exercises]]\nid = 'neck_roll'\nname = 'Neck roll'\nsummary = 's'\n")
    _one_line(message, path, "exercises[id=neck_roll].steps", "missing")


def test_missing_name(tmp_path):
    message, path = _error(tmp_path, "[[exercises]]\nid = 'neck_roll'\nsummary = 's'\n[[exercises.steps]]\ntext = 't'\n")
    _one_line(message, path, "exercises[id=neck_roll].name", "missing")


def test_negative_duration(tmp_path):
    message, path = _error(tmp_path, """
[[regimens]]
id = "cold"
name = "Cold"
kind = "cold"
summary = "s"
[[regimens.phases]]
kind = "cold"
minutes = -5
""")
    _one_line(message, path, "regimens[id=cold].phases[0].minutes", "greater than 0", "-5")


def test_zero_duration(tmp_path):
    message, path = _error(tmp_path, """
[[patterns]]
id = "box"
name = "Box"
summary = "s"
[[patterns.phases]]
kind = "in"
label = "In"
seconds = 0
""")
    _one_line(message, path, "patterns[id=box].phases[0].seconds", "greater than 0")


def test_zero_hold_in_exercise_step(tmp_path):
    message, path = _error(tmp_path, """
[[exercises]]
id = "chin_tucks"
name = "Chin tucks"
summary = "s"
[[exercises.steps]]
text = "t"
hold_seconds = 0
""")
    _one_line(message, path, "exercises[id=chin_tucks].steps[0].hold_seconds", "greater than 0")


def test_phase_over_its_maximum(tmp_path):
    message, path = _error(tmp_path, """
[[regimens]]
id = "heat"
name = "Heat"
kind = "heat"
summary = "s"
[[regimens.phases]]
kind = "heat"
minutes = 30
max_minutes = 20
""")
    _one_line(message, path, "regimens[id=heat].phases[0]", "outside")


def test_routine_with_unknown_exercise(tmp_path):
    message, path = _error(tmp_path, "[[routines]]\nid = 'evening'\nname = 'Evening'\nexercises = ['chin_tucks', 'neck_rolls']\n")
    _one_line(message, path, "routines[id=evening].exercises[1]", "unknown exercise 'neck_rolls'")


def test_unknown_top_level_section(tmp_path):
    message, path = _error(tmp_path, "[[exercize]]\nid = 'x'\n")
    _one_line(message, path, "exercize", "unknown section", "exercises")


def test_unknown_field(tmp_path):
    message, path = _error(tmp_path, "[[exercises]]\nid = 'chin_tucks'\nname = 'C'\nsummary = 's'\nrepz = 3\n[[exercises.steps]]\ntext = 't'\n")
    _one_line(message, path, "exercises[id=chin_tucks].repz", "unknown field")


def test_table_section_given_as_array(tmp_path):
    message, path = _error(tmp_path, "[[notice]]\ntitle = 'x'\n")
    _one_line(message, path, "notice", "expected a table")


def test_nonexistent_content_dir(tmp_path):
    missing = tmp_path / "nope"
    with pytest.raises(ContentError) as info:
        load_content(extra_dir=missing)
    _one_line(str(info.value), missing, "does not exist")


def test_content_dir_that_is_a_file(tmp_path):
    a_file = tmp_path / "mine.toml"
    a_file.write_text("")
    with pytest.raises(ContentError) as info:
        load_content(extra_dir=a_file)
    _one_line(str(info.value), a_file, "not a directory")


# -- user content merges over the shipped content -----------------------------------------------


def test_user_exercise_and_routine_merge(tmp_path):
    (tmp_path / "mine.toml").write_text("""
[[exercises]]
id = "neck_side_bend"
name = "Side bend"
summary = "Ear towards shoulder."
[[exercises.steps]]
text = "Tilt your ear towards your shoulder and hold."
hold_seconds = 10
reps = 3

[[exercises]]
id = "chin_tucks"
name = "My chin tucks"
summary = "Fewer, longer holds."
[[exercises.steps]]
text = "Tuck and hold."
hold_seconds = 8
reps = 4

[[routines]]
id = "daily"
name = "My daily"
exercises = ["chin_tucks", "neck_side_bend"]

[[routines]]
id = "quick"
name = "Quick"
exercises = ["shoulder_shrug"]
""", encoding="utf-8")
    content = load_content(extra_dir=tmp_path)
    ids = [e.id for e in content.exercises]
    assert ids == ["diaphragmatic_breathing", "head_turns", "chin_tucks", "shoulder_shrug", "neck_side_bend"]
    assert content.exercise("chin_tucks").name == "My chin tucks"
    assert content.exercise("chin_tucks").steps[0].hold_seconds == 8
    assert content.routine("daily").exercises == ["chin_tucks", "neck_side_bend"]
    assert content.routine("quick").exercises == ["shoulder_shrug"]
    # Everything else is still the shipped content.
    assert len(content.red_flags) == 9
    assert content.regimen("heat").phases[0].minutes == 20


def test_user_regimen_with_one_minute_heat_phase(tmp_path):
    (tmp_path / "quick.toml").write_text("""
[[regimens]]
id = "quick_heat"
name = "Quick heat"
kind = "heat"
summary = "A one-minute trial run."
[[regimens.phases]]
kind = "heat"
minutes = 1
[[regimens.phases]]
kind = "off"
minutes = 1
""", encoding="utf-8")
    content = load_content(extra_dir=tmp_path)
    quick = content.regimen("quick_heat")
    assert [(p.kind, p.minutes) for p in quick.phases] == [("heat", 1), ("off", 1)]
    assert content.regimen_for("heat").id == "heat"  # the shipped one still comes first
    assert [r.id for r in content.regimens] == ["heat", "cold", "contrast", "quick_heat"]


def test_user_notice_overrides_key_by_key(tmp_path):
    (tmp_path / "notice.toml").write_text('[notice]\ntitle = "Read me first"\n', encoding="utf-8")
    content = load_content(extra_dir=tmp_path)
    assert content.notice.title == "Read me first"
    assert content.notice.reminder_banner == load_content().notice.reminder_banner
