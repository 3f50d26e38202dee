"""One saved session in words: what History's record view shows, and the outcome in its table.

No Textual here. Names and advice come from content (red flags, regimens, exercises, the skin
and "it hurts" advice); codes the app stores (`choice`, `action`, `stopped`...) read through the
app's own words below, and anything this version does not know (a kind from a newer version, a
detail it does not describe) is shown as it is stored, never dropped. Which function describes a
kind is its activity's `record_view` (neck_tui/activities.py): a plan module may bring its own.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, Any, Callable

from neck_tui import activities
from neck_tui.activities import kind_label

if TYPE_CHECKING:
    from neck_tui.content import Content
    from neck_tui.store import Record

# The app's own words for the codes it stores.
CHOICES = {
    "heat": "opened Heat",
    "cold": "opened Cold",
    "contrast": "opened Contrast",
    "breathe": "opened box breathing",
    "exercises": "opened Exercises",
    "home": "went back Home",
    "see_provider": "will contact a healthcare provider",
    "continue_self_care": "went on to self-care anyway",
}
SUGGESTIONS = {
    "urgent_care": "get urgent care now",
    "see_provider": "contact a healthcare provider",
    "heat": "heat",
    "cold": "cold",
    "heat_or_cold": "heat or cold, whichever you prefer",
}
STOPPED = {
    "pain": "it hurt (stopped for pain)",
    "user": "stopped by you",
    "skin problem": "a skin problem",
    "skipped": "every exercise skipped",
    "left": "left the screen",
    "quit": "the app was closed",
    "SIGHUP": "the connection dropped",
    "SIGTERM": "the app was ended",
    "stdin closed": "the terminal went away",
}
BREAK_ACTIONS = {
    "guided": "took the guided break",
    "done": "took the break your own way",
    "skipped": "skipped it",
    "missed": "missed (the app was closed first)",
}
PHASES = {"heat": "HEAT", "cold": "COLD", "off": "OFF"}


@dataclass(frozen=True)
class Section:
    title: str
    lines: list[str]


def _local(moment: datetime, tz: tzinfo | None) -> datetime:
    return moment.astimezone(tz)


def _clock(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def length_text(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def _value(value: Any) -> str:
    if isinstance(value, datetime):
        return f"{value.astimezone():%Y-%m-%d %H:%M}"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_value(v)}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_value(v) for v in value) or "none"
    return str(value)


def stopped_text(code: Any) -> str:
    return STOPPED.get(str(code), str(code))


def _is_red_flag(record: "Record") -> bool:
    return record.details.get("outcome") == "red_flag" or bool(record.details.get("flags"))


def outcome(record: "Record") -> str:
    """A few words for History's table: how a triage ended, why a session stopped."""
    d = record.details
    if record.kind == "triage":
        if _is_red_flag(record):
            return "! urgent flag" if d.get("urgent") else "! red flag"
        return "self-care" if d.get("outcome") == "self_care" else ""
    if record.kind == "posture_break" and d.get("action"):
        return str(d["action"])
    if d.get("stopped") == "skin problem":
        return "! skin problem"
    if d.get("stopped") == "pain":
        return "! stopped: pain"
    if d.get("stopped"):
        return f"stopped: {d['stopped']}"
    return ""


def describe(record: "Record", content: "Content", tz: tzinfo | None = None) -> list[Section]:
    """Every section of a record's view, most important first."""
    sections = [_when(record, tz), _pain(record, content)]
    known = _sections_of(record.kind)
    used: set[str] = set()
    if known is not None:
        sections += known(record, content, tz, used)
    rest = {k: v for k, v in record.details.items() if k not in used}
    if rest:
        title = "Details" if known is None else "Other details"
        sections.append(Section(title, [f"{k.replace('_', ' ')}: {_value(v)}" for k, v in rest.items()]))
    return [s for s in sections if s.lines]


def _sections_of(kind: str) -> Callable[..., list[Section]] | None:
    """The function that describes a kind's record: its activity's `record_view` (activities.py)."""
    entry = activities.BY_KIND.get(kind)
    if entry is None or not entry.record_view:
        return None
    module, function = entry.record_view.split(":")
    return getattr(importlib.import_module(f"neck_tui.{module}"), function)  # type: ignore[no-any-return]


def _when(record: "Record", tz: tzinfo | None) -> Section:
    start, end = _local(record.started, tz), _local(record.ended, tz)
    ended = f"{end:%H:%M}" if end.date() == start.date() else f"{end:%Y-%m-%d %H:%M}"
    lines = [
        f"{kind_label(record.kind)}, {start:%a %Y-%m-%d}, {start:%H:%M} to {ended} ({length_text(record.duration_s)})",
        "Completed" if record.completed else "Not completed",
    ]
    return Section("When", lines)


def _pain(record: "Record", content: "Content") -> Section:
    before, after = record.pain_before, record.pain_after
    if before is None and after is None:
        return Section("Pain", ["not rated"])
    lines = []
    for label, value in (("Before", before), ("After", after)):
        if value is None:
            lines.append(f"{label}: not rated")
        else:
            lines.append(f"{label}: {value}/10 ({content.pain_words(value)})")
    if before is not None and after is not None:
        change = after - before
        lines.append("No change" if change == 0 else f"Change: {change:+d}")
    return Section("Pain", lines)


def triage_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    d = record.details
    used.update({"flags", "urgent", "outcome", "suggestion", "choice", "then", "helped_most"})
    flags = d.get("flags") or []
    flags = [flags] if isinstance(flags, str) else list(flags)
    texts = {f.id: f for f in content.red_flags}
    ticked = []
    for flag_id in flags:
        flag = texts.get(str(flag_id))
        ticked.append(f"! {flag.text}{' (urgent)' if flag.urgent else ''}" if flag else f"! {flag_id}")
    lines = ticked or ["none ticked"]
    out = [Section("Red flags", lines)]
    next_lines = []
    if _is_red_flag(record):
        next_lines.append(f"Advised: {content.notice.urgent_advice if d.get('urgent') else content.notice.red_flag_advice}")
    elif d.get("suggestion"):
        next_lines.append(f"Suggested: {SUGGESTIONS.get(str(d['suggestion']), str(d['suggestion']))}")
    helped = d.get("helped_most")
    if isinstance(helped, (list, tuple)) and len(helped) == 3:
        next_lines.append(f"What had helped most: {kind_label(str(helped[0]))} (pain {-float(helped[1]):+.1f}, {helped[2]} sessions)")
    next_lines += choice_lines(d)
    out.append(Section("Next step", next_lines))
    return out


def choice_lines(d: dict[str, Any]) -> list[str]:
    """What the person chose after a triage: 'You went on to self-care anyway', 'Then you opened Heat'."""
    lines = []
    if d.get("choice"):
        lines.append(f"You {CHOICES.get(str(d['choice']), str(d['choice']))}")
    if d.get("then"):
        lines.append(f"Then you {CHOICES.get(str(d['then']), str(d['then']))}")
    elif d.get("choice") is None:
        lines.append("No choice recorded")
    return lines


def thermal_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    d = record.details
    used.update({"regimen", "rounds", "until_stopped", "rounds_done", "phases_done", "phases", "skin_checks", "stopped"})
    regimen_id = str(d.get("regimen", ""))
    name = next((r.name for r in content.regimens if r.id == regimen_id), regimen_id or kind_label(record.kind))
    done = d.get("rounds_done", 0)
    of = "" if d.get("until_stopped") else f" of {d.get('rounds', 0)}"
    lines = [f"{name}: {done}{of} round{'s' if (d.get('rounds') or done) != 1 else ''} done"]
    if d.get("until_stopped"):
        lines.append("Rounds: until stopped")
    if d.get("stopped"):
        lines.append(f"Ended early: {stopped_text(d['stopped'])}")
    out = [Section("Session", lines)]
    phases = [
        f"Round {p.get('round', 1)}  {PHASES.get(str(p.get('kind')), str(p.get('kind'))):<4}  "
        f"{_clock(float(p.get('seconds', 0)))} of {_clock(float(p.get('planned', 0)))}"
        for p in d.get("phases") or []
        if isinstance(p, dict)
    ]
    out.append(Section("Phases", phases))
    checks = []
    for c in d.get("skin_checks") or []:
        if not isinstance(c, dict):
            continue
        at = c.get("at")
        when = f"{_local(at, tz):%H:%M}" if isinstance(at, datetime) else "--:--"
        phase = PHASES.get(str(c.get("phase")), str(c.get("phase", "")))
        answer = str(c.get("answer", ""))
        where = f"{when} {str(c.get('when', '')):<6} {phase} round {c.get('round', 1)}"
        if answer == "problem":
            checks.append(f"{where}: ! PROBLEM")
            checks.append(f"  Advised: {content.notice.skin_problem_advice}")
        else:
            checks.append(f"{where}: {'OK' if answer == 'ok' else answer}")
    out.append(Section("Skin checks", checks or ["none"]))
    return out


def breathing_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    d = record.details
    used.update({"pattern", "pattern_name", "cycles", "cycles_done", "stopped"})
    name = d.get("pattern_name") or d.get("pattern", "")
    lines = [f"{name}: {d.get('cycles_done', 0)} of {d.get('cycles', '?')} cycles"]
    if d.get("stopped"):
        lines.append(f"Ended early: {stopped_text(d['stopped'])}")
    return [Section("Session", lines)]


def _exercise_lines(d: dict[str, Any], content: "Content") -> list[str]:
    names = {e.id: e.name for e in content.exercises}
    lines = []
    for e in d.get("exercises") or []:
        if isinstance(e, dict):
            name = names.get(str(e.get("id")), str(e.get("id")))
            lines.append(f"{name}: {e.get('reps_done', 0)} of {e.get('reps', 0)} reps, {str(e.get('result', '')).replace('_', ' ')}")
    return lines


def _stop_lines(d: dict[str, Any], content: "Content") -> list[str]:
    if not d.get("stopped"):
        return []
    names = {e.id: e.name for e in content.exercises}
    where = f" in {names.get(str(d['exercise']), str(d['exercise']))}" if d.get("exercise") else ""
    lines = [f"Ended early{where}: {stopped_text(d['stopped'])}"]
    if d["stopped"] == "pain":
        lines.append(f"  Advised: {content.exercise_info.hurts_advice}")
    return lines


def exercise_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    d = record.details
    used.update({"routine", "title", "exercises", "stopped", "exercise"})
    lines = [str(d.get("title") or d.get("routine") or "Exercises"), *_stop_lines(d, content)]
    return [Section("Session", lines), Section("Exercises", _exercise_lines(d, content))]


def posture_break_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    d = record.details
    used.update({"action", "snoozed", "interval_min", "exercise", "stopped", "exercises", "early"})
    action = d.get("action")
    lines = [f"You {BREAK_ACTIONS.get(str(action), str(action))}" if action else "No answer recorded"]
    if d.get("early"):
        lines.append("Taken early")
    if d.get("snoozed"):
        lines.append(f"Snoozed {d['snoozed']} time{'s' if d['snoozed'] != 1 else ''} first")
    if d.get("interval_min"):
        lines.append(f"Every {d['interval_min']} min")
    lines += _stop_lines(d, content)
    return [Section("Break", lines), Section("Exercises", _exercise_lines(d, content))]


