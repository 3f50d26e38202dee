"""Clinical content as validated data: pydantic models and the loader for content/.

Every *.toml file under the shipped content directory is read, then every *.toml in
the user's --content-dir is merged over it (items with the same `id` replace the
shipped ones; new ids are added; single tables such as [notice] are replaced key by
key). Any problem becomes a ContentError whose one-line message names the file, the
field path and what is wrong.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from neck_tui import resources

Positive = Field(gt=0)


class ContentError(Exception):
    """Bad content; str() is one line: file, field path, problem."""


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Provenance(Model):
    """Where a clinical choice comes from, shown with it: "source" (`source` names an id in
    sources.toml) or "app" (the app's own judgement); `note` says what and why in one line."""

    basis: Literal["source", "app"]
    source: str | None = None
    note: str = Field(min_length=1)

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

    id: str
    text: str
    urgent: bool = False
    advice: str


class RedFlag(Model):
    id: str
    text: str
    short: str | None = Field(default=None, min_length=1, max_length=28)  # where `text` does not fit
    urgent: bool = False
    no_breath_holds: bool = False  # ticked: offer breathing without breath holds only
    ask_at_pain: int | None = Field(default=None, ge=0, le=10)  # no flag ticked, pain >= this: ask
    parts: list[FlagPart] = []

    @model_validator(mode="after")
    def _parts(self) -> "RedFlag":
        if self.parts and self.urgent != any(p.urgent for p in self.parts):
            raise ValueError("urgent must be true exactly when one of its parts is urgent")
        return self


class PainAnchor(Model):
    value: int = Field(ge=0, le=10)
    words: str


class RegimenPhase(Model):
    """One step of a heat/cold regimen; `minutes` is the default, within [min, max]."""

    kind: Literal["heat", "cold", "off"]
    minutes: float = Positive
    min_minutes: float | None = Field(default=None, gt=0)
    max_minutes: float | None = Field(default=None, gt=0)
    text: str = ""
    minutes_basis: Provenance | None = None  # where the default `minutes` comes from

    @model_validator(mode="after")
    def _bounds(self) -> "RegimenPhase":
        low = self.min_minutes if self.min_minutes is not None else 0
        high = self.max_minutes if self.max_minutes is not None else self.minutes
        if not low <= self.minutes <= high:
            raise ValueError(f"minutes {self.minutes} is outside {low}-{high}")
        return self

    @property
    def maximum(self) -> float:
        return self.max_minutes if self.max_minutes is not None else self.minutes


class Regimen(Model):
    id: str
    name: str
    kind: Literal["heat", "cold", "contrast"]
    summary: str
    phases: list[RegimenPhase] = Field(min_length=1)
    rounds: int = Field(default=1, ge=1)
    max_rounds: int = Field(default=8, ge=1)
    skin_check_after_minutes: float = Field(default=2, gt=0)
    again_prompt: str = ""


class BreathPhase(Model):
    kind: Literal["in", "hold", "out"]
    label: str
    seconds: float = Positive


class BreathingPattern(Model):
    id: str
    name: str
    summary: str
    phases: list[BreathPhase] = Field(min_length=1)
    cycles: int = Field(default=4, ge=1)


class BreathingInfo(Model):
    default_pattern: str
    daily_goal_min: int = Field(ge=1)
    daily_goal_max: int = Field(ge=1)
    lead_in_seconds: float = Positive
    safety: str
    no_hold_pattern: str  # offered where breath holds are unwise (a red flag marked no_breath_holds)


class ExerciseStep(Model):
    text: str
    hold_seconds: float | None = Field(default=None, gt=0)
    reps: int = Field(default=1, ge=1)
    rest_seconds: float | None = Field(default=None, gt=0)


class Exercise(Model):
    id: str
    name: str
    summary: str
    steps: list[ExerciseStep] = Field(min_length=1)
    source: str | None = None
    counts_basis: Provenance | None = None  # where the hold times and reps come from


class Routine(Model):
    id: str
    name: str
    exercises: list[str] = Field(min_length=1)


class ExerciseInfo(Model):
    default_routine: str
    pain_cue: str
    hurts_advice: str
    weekly_goal_days: int = Field(ge=1)


class PostureBreaks(Model):
    interval_minutes: int = Field(ge=1)
    min_minutes: int = Field(ge=1)
    max_minutes: int = Field(ge=1)
    snooze_minutes: int = Field(ge=1)
    prompts: list[str] = Field(min_length=1)
    guided_exercise: str

    @model_validator(mode="after")
    def _range(self) -> "PostureBreaks":
        if not self.min_minutes <= self.interval_minutes <= self.max_minutes:
            raise ValueError("interval_minutes must lie within min_minutes-max_minutes")
        return self


class Tip(Model):
    id: str
    title: str
    text: str


class Source(Model):
    id: str
    title: str
    publisher: str
    date: str = ""
    note: str = ""


class Notice(Model):
    title: str
    tagline: str
    text: str
    triage_line: str  # where the red flags are: shown on the first-run notice
    red_flag_advice: str
    urgent_advice: str
    red_flag_meanwhile: str
    red_flag_meanwhile_no_holds: str
    skin_problem_advice: str
    skin_check_question: str
    off_phase_text: str
    suggest_either: str
    reminder_banner: str


class Content(Model):
    notice: Notice
    red_flags: list[RedFlag] = Field(min_length=1)
    urgent_tier: Provenance
    pain_scale: list[PainAnchor] = Field(min_length=1)
    regimens: list[Regimen] = Field(min_length=1)
    breathing: BreathingInfo
    patterns: list[BreathingPattern] = Field(min_length=1)
    exercise_info: ExerciseInfo
    exercises: list[Exercise] = Field(min_length=1)
    routines: list[Routine] = Field(min_length=1)
    posture_breaks: PostureBreaks
    tips: list[Tip] = []
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _references(self) -> "Content":
        exercise_ids = {e.id for e in self.exercises}
        for i, routine in enumerate(self.routines):
            for j, ref in enumerate(routine.exercises):
                if ref not in exercise_ids:
                    raise _RefError(f"routines[{i}].exercises[{j}]", f"unknown exercise '{ref}'", routine.id)
        if self.exercise_info.default_routine not in {r.id for r in self.routines}:
            raise _RefError("exercise_info.default_routine", f"unknown routine '{self.exercise_info.default_routine}'", None)
        if self.posture_breaks.guided_exercise not in exercise_ids:
            raise _RefError("posture_breaks.guided_exercise", f"unknown exercise '{self.posture_breaks.guided_exercise}'", None)
        if self.breathing.default_pattern not in {p.id for p in self.patterns}:
            raise _RefError("breathing.default_pattern", f"unknown pattern '{self.breathing.default_pattern}'", None)
        calm = next((p for p in self.patterns if p.id == self.breathing.no_hold_pattern), None)
        if calm is None or any(phase.kind == "hold" for phase in calm.phases):
            problem = "unknown pattern" if calm is None else "has a hold phase: pattern"
            raise _RefError("breathing.no_hold_pattern", f"{problem} '{self.breathing.no_hold_pattern}'", None)
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


class _RefError(ValueError):
    def __init__(self, path: str, problem: str, owner: str | None) -> None:
        super().__init__(problem)
        self.path, self.problem, self.owner = path, problem, owner


def _by_id(items: list[Any], item_id: str, what: str) -> Any:
    for item in items:
        if item.id == item_id:
            return item
    raise KeyError(f"no {what} {item_id!r}")


# Which top-level keys hold id'd lists (merged by id) and which hold single tables.
LIST_KEYS = {"red_flags", "pain_scale", "regimens", "patterns", "exercises", "routines", "tips", "sources"}
TABLE_KEYS = {"notice", "breathing", "exercise_info", "posture_breaks", "urgent_tier"}

def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ContentError(f"{path}: TOML syntax error: {exc}") from None
    except UnicodeDecodeError:
        raise ContentError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ContentError(f"{path}: cannot read: {exc.strerror}") from None


def _key(item: dict[str, Any], key: str) -> Any:
    return item.get("value") if key == "pain_scale" else item.get("id")


def load_content(extra_dir: Path | None = None, base_dir: Path | None = None) -> Content:
    """Read shipped content, merge the user's extra directory over it, validate."""
    merged: dict[str, Any] = {}
    origin: dict[tuple[str, Any], Path] = {}  # (section, id) -> file it came from, for messages
    dirs = [base_dir or resources.content_dir()]
    if extra_dir is not None:
        if not extra_dir.exists():
            raise ContentError(f"{extra_dir}: content directory does not exist")
        if not extra_dir.is_dir():
            raise ContentError(f"{extra_dir}: not a directory (--content-dir takes a directory of *.toml files)")
        dirs.append(extra_dir)
    for directory in dirs:
        for path in sorted(directory.glob("*.toml")):
            data = _read_toml(path)
            for section, value in data.items():
                if section in LIST_KEYS:
                    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
                        raise ContentError(f"{path}: {section}: expected an array of tables ([[{section}]])")
                    current: list[dict[str, Any]] = merged.setdefault(section, [])
                    for item in value:
                        key = _key(item, section)
                        origin[(section, key)] = path
                        for i, existing in enumerate(current):
                            if key is not None and _key(existing, section) == key:
                                current[i] = item
                                break
                        else:
                            current.append(item)
                elif section in TABLE_KEYS:
                    if not isinstance(value, dict):
                        raise ContentError(f"{path}: {section}: expected a table ([{section}])")
                    merged.setdefault(section, {}).update(value)
                    origin[(section, None)] = path
                else:
                    known = ", ".join(sorted(LIST_KEYS | TABLE_KEYS))
                    raise ContentError(f"{path}: {section}: unknown section (known: {known})")
    try:
        return Content.model_validate(merged)
    except ValidationError as exc:
        raise ContentError(_describe(exc, merged, origin, dirs)) from None


def _describe(exc: ValidationError, merged: dict[str, Any], origin: dict[tuple[str, Any], Path], dirs: list[Path]) -> str:
    err = exc.errors()[0]
    loc = [str(p) for p in err["loc"]]
    ctx_error = err.get("ctx", {}).get("error")
    if isinstance(ctx_error, _RefError):
        loc = ctx_error.path.replace("]", "").replace("[", ".").split(".")
        message = ctx_error.problem
    else:
        message = _FRIENDLY.get(err["type"]) or err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] not in _FRIENDLY and isinstance(value, (str, int, float)):
            shown = repr(value)
            message += f" (got {shown if len(shown) <= 40 else shown[:37] + '...'})"
    path = _file_for(loc, merged, origin) or dirs[-1]
    pretty = _pretty_loc(loc, merged)
    more = len(exc.errors()) - 1
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{path}: {pretty}: {message}{tail}"


_FRIENDLY = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (not allowed here; check the spelling)",
}


def _file_for(loc: list[str], merged: dict[str, Any], origin: dict[tuple[str, Any], Path]) -> Path | None:
    if not loc:
        return None
    section = loc[0]
    if section in LIST_KEYS and len(loc) > 1 and loc[1].isdigit():
        items = merged.get(section, [])
        index = int(loc[1])
        if index < len(items):
            return origin.get((section, _key(items[index], section)))
    return origin.get((section, None))


def _pretty_loc(loc: list[str], merged: dict[str, Any]) -> str:
    """regimens.0.phases.1.minutes -> regimens[id=heat].phases[1].minutes"""
    parts: list[str] = []
    node: Any = merged
    for part in loc:
        if part.isdigit() and isinstance(node, list):
            index = int(part)
            item = node[index] if index < len(node) else None
            ident = item.get("id") if isinstance(item, dict) else None
            parts[-1] += f"[id={ident}]" if ident else f"[{index}]"
            node = item
        else:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"
