"""The stored data as pydantic models: Record (one session), Settings, State (state.toml), and
the lenient readers that keep every good field or record when one is bad. No Textual, no I/O.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

SCHEMA_VERSION = 2
__all__ = ["SCHEMA_VERSION", "BreathingCue", "CustomPattern", "Problem", "Record", "Settings", "State"]


def _hold_check(v: float) -> float:
    if 0 < v < 2:
        raise ValueError("must be 0 or between 2 and 10 seconds")
    return v


def _utc(v: datetime) -> datetime:
    if v.tzinfo is None or v.utcoffset() is None:
        raise ValueError("must include a time zone")
    return v.astimezone(timezone.utc)


PhaseSeconds = Annotated[float, Field(ge=2, le=10)]
HoldSeconds = Annotated[float, Field(ge=0, le=10), AfterValidator(_hold_check)]
UtcDatetime = Annotated[datetime, AfterValidator(_utc)]
# A kind this version does not know (from a newer release) is kept and shown as itself.
KindName = Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CustomPattern(BaseModel):
    """The user's own breathing pattern; phase lengths in seconds."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    inhale: PhaseSeconds
    hold_in: HoldSeconds
    exhale: PhaseSeconds
    hold_out: HoldSeconds
    cycles: int | None = Field(None, ge=1, le=20)
    minutes: float | None = Field(None, gt=0, le=60)

    @model_validator(mode="after")
    def _one_length(self) -> "CustomPattern":
        if (self.cycles is None) == (self.minutes is None):
            raise ValueError("set exactly one of cycles or minutes")
        return self


# The breathing pacer's bell (neck_tui/plans/breathing.py says which phase rings how often).
BreathingCue = Literal["silent", "each-phase", "eyes-closed"]


class Settings(BaseModel):
    """The user's choices, kept in state.toml [settings]."""

    theme: str = "textual-dark"
    bell: bool = True
    notifications: bool = False  # OSC 9 / OSC 777 desktop notifications
    reduced_motion: bool = False
    break_interval_min: int = Field(45, ge=30, le=60)
    breathing_cue: BreathingCue = "silent"
    preference: Literal["heat", "cold", "either"] = "either"  # for the triage suggestion
    tips: bool = True  # a one-line tip on Home, after sessions, on posture breaks
    custom_patterns: list[CustomPattern] = []
    # All day in tmux: neck_tui/hooks.py, title.py, idle.py, screens/breaks.py.
    hooks: dict[str, str] = {}  # event name -> command line, run without a shell
    hook_timeout_s: float = Field(10.0, gt=0, le=300)
    title: bool = True  # the terminal title shows the running session
    away_min: int = Field(5, ge=0, le=240)  # no input on any of your ttys this long = a break; 0 = off
    working_hours: str = ""  # e.g. "mon-fri 09:00-17:30": reminders only then; "" = always
    break_skips_per_day: int = Field(0, ge=0, le=50)  # 0 = no cap

    @model_validator(mode="before")
    @classmethod
    def _old_breathing_bell(cls, data: Any) -> Any:
        """Before the cue styles, `breathing_bell = true` rang at each phase: keep that choice."""
        if isinstance(data, dict) and "breathing_bell" in data:
            data = dict(data)
            old = data.pop("breathing_bell")
            data.setdefault("breathing_cue", "each-phase" if old is True else "silent")
        return data


class Record(BaseModel):
    """One session. Datetimes must be timezone-aware; they are normalised to UTC. Fields this
    version does not know (written by a newer one) are kept and written back unchanged."""

    # defer_build: its validator is built when the first record is read, after the first frame.
    model_config = ConfigDict(extra="allow", defer_build=True)

    id: str = Field(default_factory=lambda: uuid.uuid4().hex, min_length=1)
    kind: KindName
    started: UtcDatetime
    ended: UtcDatetime
    completed: bool
    pain_before: int | None = Field(None, ge=0, le=10)
    pain_after: int | None = Field(None, ge=0, le=10)
    details: dict[str, Any] = {}

    @property
    def duration_s(self) -> float:
        return (self.ended - self.started).total_seconds()

    @property
    def known_kind(self) -> bool:
        from neck_tui import activities

        return self.kind in activities.KINDS


class State(BaseModel):
    """state.toml: small, read at every start."""

    schema_version: int = SCHEMA_VERSION
    notice_accepted: bool = False
    settings: Settings = Settings()
    in_progress: dict[str, Any] | None = None  # checkpoint of a running timed session


def reason(e: ValidationError) -> str:
    """The first problem of a validation error, one line: 'field.path: message (and N more)'."""
    errors = e.errors()
    first = errors[0]
    where = ".".join(str(p) for p in first["loc"]) or "value"
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return " ".join(f"{where}: {first['msg']}{more}".split())


def lenient_settings(raw: Any) -> tuple[Settings, dict[str, str]]:
    """Every valid setting kept; each bad one falls back to its default alone. Returns the
    settings and, per bad key, the problem ("settings.bell: Input should be a valid boolean")."""
    if raw is None:
        return Settings(), {}
    if not isinstance(raw, dict):
        return Settings(), {"settings": "settings: not a table"}
    kept: dict[str, Any] = {}
    problems: dict[str, str] = {}
    for key, value in raw.items():
        if key == "custom_patterns" and isinstance(value, list):
            good = []
            for i, item in enumerate(value):
                try:
                    good.append(CustomPattern.model_validate(item))
                except ValidationError as e:
                    problems[key] = f"settings.custom_patterns[{i}].{reason(e)}"
            kept[key] = good
            continue
        try:
            Settings.model_validate({key: value})
        except ValidationError as e:
            problems[key] = f"settings.{reason(e)}"
            continue
        kept[key] = value
    return Settings.model_validate(kept), problems


def lenient_state(data: dict[str, Any]) -> tuple[State, list[str]]:
    """state.toml's content with each bad field at its default; the problems, one line each."""
    settings, bad = lenient_settings(data.get("settings"))
    problems = list(bad.values())
    fields: dict[str, Any] = {"settings": settings}
    for key in ("notice_accepted", "in_progress"):
        if key not in data:
            continue
        try:
            State.model_validate({key: data[key]})
        except ValidationError as e:
            problems.append(reason(e))
            continue
        fields[key] = data[key]
    return State.model_validate(fields), problems


@dataclass(frozen=True)
class Problem:
    """Something a read had to skip: a whole file (records None) or some of its records."""

    file: str  # relative to the data directory
    text: str  # one line
    records: int | None
