"""Clinical content as validated data: models (with bounds) and the loader for content/.

Modules: bounds (ranges, text rules), models (pydantic models), loader (read, merge, explain).
No Textual here.
"""

from neck_tui.content.loader import ContentError, load_content
from neck_tui.content.models import (
    BreathingInfo,
    BreathingPattern,
    BreathPhase,
    Content,
    Exercise,
    ExerciseInfo,
    ExerciseStep,
    Notice,
    PainAnchor,
    PostureBreaks,
    RedFlag,
    Regimen,
    RegimenPhase,
    Routine,
    Source,
    Tip,
)

__all__ = [
    "BreathPhase",
    "BreathingInfo",
    "BreathingPattern",
    "Content",
    "ContentError",
    "Exercise",
    "ExerciseInfo",
    "ExerciseStep",
    "Notice",
    "PainAnchor",
    "PostureBreaks",
    "RedFlag",
    "Regimen",
    "RegimenPhase",
    "Routine",
    "Source",
    "Tip",
    "load_content",
]
