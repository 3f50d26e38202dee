"""Clinical content as validated pydantic models, every number and text bounded (see bounds).
No I/O here; neck_tui.content.loader reads and merges the TOML files.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from neck_tui.content.bounds import (
    APPLICATION_MAX_MIN,
    REST_MAX_MIN,
    Id,
    Label,
    Name,
    OneLine,
    OptionalText,
    ShortLabel,
    Text,
    Title,
    between,
    items,
)


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Model):
    """Where a clinical choice comes from, shown with it: "source" (`source` names an id in
    sources.toml) or "app" (the app's own judgement); `note` says what and why in one line."""

    basis: Literal["source", "app"]
    source: Id | None = None
    note: Text

    @model_validator(mode="after")
    def _source(self) -> "Provenance":
        if self.basis == "source" and not self.source:
            raise ValueError("basis 'source' needs `source`, an id from sources.toml")
        return self

    @property
    def label(self) -> str:
        """How the basis reads where it is shown."""
        return "the app's own judgement" if self.basis == "app" else f"from the source ({self.source})"


class FlagPart(Model):
    """One of the signs a red flag bundles, when they need different care."""

    id: Id
    text: Text
    urgent: bool = False
    advice: Text


class RedFlag(Model):
    id: Id
    text: Text
    short: ShortLabel | None = None  # where `text` does not fit
    urgent: bool = False
    no_breath_holds: bool = False  # ticked: offer breathing without breath holds only
    ask_at_pain: int | None = between(0, 10, default=None)  # no flag ticked, pain >= this: ask
    parts: list[FlagPart] = items(0, 5, default=[])

    @model_validator(mode="after")
    def _parts(self) -> "RedFlag":
        if self.parts and self.urgent != any(p.urgent for p in self.parts):
            raise ValueError("urgent must be true exactly when one of its parts is urgent")
        return self


class PainAnchor(Model):
    value: int = Field(ge=0, le=10)
    words: Label


class RegimenPhase(Model):
    """One step of a heat/cold regimen; `minutes` is the default, within [min, max]. An
    application (heat, cold) lasts at most APPLICATION_MAX_MIN, a rest at most REST_MAX_MIN."""

    kind: Literal["heat", "cold", "off"]
    minutes: float = between(0, REST_MAX_MIN, low_open=True)
    min_minutes: float | None = between(0, REST_MAX_MIN, low_open=True, default=None)
    max_minutes: float | None = between(0, REST_MAX_MIN, low_open=True, default=None)
    short: OneLine = ""  # `text` for small screens (40x15): keep its safety words
    text: OptionalText = ""
    minutes_basis: Provenance | None = None  # where the default `minutes` comes from

    @model_validator(mode="after")
    def _bounds(self) -> "RegimenPhase":
        if self.kind != "off":
            for name in ("minutes", "min_minutes", "max_minutes"):
                value = getattr(self, name)
                if value is not None and value > APPLICATION_MAX_MIN:
                    raise ValueError(f"{name} {value:g} is over {APPLICATION_MAX_MIN} (the longest {self.kind} application allowed)")
        low = self.min_minutes if self.min_minutes is not None else 0
        high = self.max_minutes if self.max_minutes is not None else self.minutes
        if not low <= self.minutes <= high:
            raise ValueError(f"minutes {self.minutes} is outside {low}-{high}")
        return self

    @property
    def maximum(self) -> float:
        return self.max_minutes if self.max_minutes is not None else self.minutes


class Regimen(Model):
    id: Id
    name: Name
    kind: Literal["heat", "cold", "contrast"]
    summary: Text
    phases: list[RegimenPhase] = items(1, 20)
    rounds: int = between(1, 20, default=1)
    max_rounds: int = between(1, 20, default=8)
    skin_check_after_minutes: float = between(0, APPLICATION_MAX_MIN, low_open=True, default=2)
    again_prompt: OptionalText = ""


class BreathPhase(Model):
    kind: Literal["in", "hold", "out"]
    label: Label
    seconds: float = between(0, 20, low_open=True)


class BreathingPattern(Model):
    id: Id
    name: Name
    summary: Text
    phases: list[BreathPhase] = items(1, 8)
    cycles: int = between(1, 50, default=4)


class BreathingInfo(Model):
    default_pattern: Id
    daily_goal_min: int = between(1, 20)
    daily_goal_max: int = between(1, 20)
    lead_in_seconds: float = between(0, 30, low_open=True)
    safety: Text
    no_hold_pattern: Id  # offered where breath holds are unwise (a red flag marked no_breath_holds)

    @model_validator(mode="after")
    def _goal(self) -> "BreathingInfo":
        if self.daily_goal_min > self.daily_goal_max:
            raise ValueError("daily_goal_min must not be over daily_goal_max")
        return self


class ExerciseStep(Model):
    text: Text
    hold_seconds: float | None = between(0, 120, low_open=True, default=None)
    reps: int = between(1, 50, default=1)
    rest_seconds: float | None = between(0, 120, low_open=True, default=None)


class Exercise(Model):
    id: Id
    name: Name
    summary: Text
    steps: list[ExerciseStep] = items(1, 30)
    source: Id | None = None
    counts_basis: Provenance | None = None  # where the hold times and reps come from


class Routine(Model):
    id: Id
    name: Name
    exercises: list[Id] = items(1, 30)


class ExerciseInfo(Model):
    default_routine: Id
    pain_cue: Text
    hurts_advice: Text
    weekly_goal_days: int = between(1, 7)
    lead_in_seconds: float = between(0, 30)  # before an exercise's first timed rep; 0: none


class PostureBreaks(Model):
    interval_minutes: int = between(1, 240)
    min_minutes: int = between(1, 240)
    max_minutes: int = between(1, 240)
    snooze_minutes: int = between(1, 120)
    prompts: list[Text] = items(1, 50)
    guided_exercise: Id

    @model_validator(mode="after")
    def _range(self) -> "PostureBreaks":
        if not self.min_minutes <= self.interval_minutes <= self.max_minutes:
            raise ValueError("interval_minutes must lie within min_minutes-max_minutes")
        return self


TipGroup = Literal["about", "now", "prevent", "care"]
TipContext = Literal[
    "home", "posture_break", "after_heat", "after_cold", "after_contrast", "after_breathing", "after_exercise"
]


class Tip(Model):
    """A tip for the Learn screen (by `group`); with `contexts`, its one-line form shows there."""

    id: Id
    title: Title
    text: Text
    group: TipGroup
    sources: list[Id] = []  # ids in sources.toml
    contexts: list[TipContext] = []
    line: OneLine = ""
    red_flags: bool = False  # the red flags follow the text

    @model_validator(mode="after")
    def _line(self) -> "Tip":
        if self.contexts and not self.line:
            raise ValueError("a tip with contexts needs its one-line form in `line`")
        return self


class Source(Model):
    id: Id
    title: Title
    publisher: Title
    date: OptionalText = ""
    authors: OptionalText = ""
    doi: OptionalText = ""
    url: OptionalText = ""
    note: OptionalText = ""


class Notice(Model):
    title: Title
    tagline: Text
    text: Text
    triage_line: Text  # where the red flags are: shown on the first-run notice
    red_flag_advice: Text
    urgent_advice: Text
    red_flag_meanwhile: Text
    red_flag_meanwhile_no_holds: Text
    skin_problem_advice: Text
    skin_check_question: Text
    off_phase_text: Text
    suggest_either: Text
    reminder_banner: Text


class Content(Model):
    notice: Notice
    red_flags: list[RedFlag] = items(1, 50)
    urgent_tier: Provenance
    pain_scale: list[PainAnchor] = items(1, 11)
    regimens: list[Regimen] = items(1, 50)
    breathing: BreathingInfo
    patterns: list[BreathingPattern] = items(1, 50)
    exercise_info: ExerciseInfo
    exercises: list[Exercise] = items(1, 200)
    routines: list[Routine] = items(1, 50)
    posture_breaks: PostureBreaks
    tips: list[Tip] = items(0, 200, default=[])
    sources: list[Source] = items(1, 200)
    # The tables of activities that declare their own content model (plan modules' CONTENT),
    # validated by that model: e.g. activity_content["massage"].
    activity_content: dict[str, Any] = {}

    @model_validator(mode="after")
    def _references(self) -> "Content":
        exercise_ids = {e.id for e in self.exercises}
        for i, routine in enumerate(self.routines):
            for j, ref in enumerate(routine.exercises):
                if ref not in exercise_ids:
                    raise RefError(f"routines[{i}].exercises[{j}]", f"unknown exercise '{ref}'", routine.id)
        if self.exercise_info.default_routine not in {r.id for r in self.routines}:
            raise RefError("exercise_info.default_routine", f"unknown routine '{self.exercise_info.default_routine}'", None)
        if self.posture_breaks.guided_exercise not in exercise_ids:
            raise RefError("posture_breaks.guided_exercise", f"unknown exercise '{self.posture_breaks.guided_exercise}'", None)
        if self.breathing.default_pattern not in {p.id for p in self.patterns}:
            raise RefError("breathing.default_pattern", f"unknown pattern '{self.breathing.default_pattern}'", None)
        calm = next((p for p in self.patterns if p.id == self.breathing.no_hold_pattern), None)
        if calm is None or any(phase.kind == "hold" for phase in calm.phases):
            problem = "unknown pattern" if calm is None else "has a hold phase: pattern"
            raise RefError("breathing.no_hold_pattern", f"{problem} '{self.breathing.no_hold_pattern}'", None)
        source_ids = {s.id for s in self.sources}
        for i, tip in enumerate(self.tips):
            for j, ref in enumerate(tip.sources):
                if ref not in source_ids:
                    raise RefError(f"tips[{i}].sources[{j}]", f"unknown source '{ref}'", tip.id)
        return self

    # Lookups used by screens.
    def regimen(self, regimen_id: str) -> Regimen:
        return _by_id(self.regimens, regimen_id, "regimen")

    def regimen_for(self, kind: str) -> Regimen:
        for regimen in self.regimens:
            if regimen.kind == kind:
                return regimen
        raise KeyError(f"no regimen of kind {kind!r}")

    def exercise(self, exercise_id: str) -> Exercise:
        return _by_id(self.exercises, exercise_id, "exercise")

    def routine(self, routine_id: str) -> Routine:
        return _by_id(self.routines, routine_id, "routine")

    def pattern(self, pattern_id: str) -> BreathingPattern:
        return _by_id(self.patterns, pattern_id, "pattern")

    def pain_words(self, value: int) -> str:
        """The anchor words for a pain value: the nearest anchor at or below it."""
        below = [a for a in self.pain_scale if a.value <= value]
        anchor = max(below, key=lambda a: a.value) if below else min(self.pain_scale, key=lambda a: a.value)
        return anchor.words


class RefError(ValueError):
    def __init__(self, path: str, problem: str, owner: str | None) -> None:
        super().__init__(problem)
        self.path, self.problem, self.owner = path, problem, owner


def _by_id(items: list[Any], item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")
