"""The self-massage plan: its content model, the phases a session runs, what the screen shows,
what the record keeps. Pure: no Textual.

Content is the [massage] table (content/massage.toml), validated by `MassageContent` and found
as `content.activity_content["massage"]`. A session is a short lead-in to read the first step,
then each step counted down in turn. One record of kind "massage" per session:

    details.steps       how many steps the session had
    details.steps_done  steps that ran to their end
    details.stopped     why it ended early: "user" (q), "quit", "left", "SIGHUP", ...
"""

from __future__ import annotations

from datetime import tzinfo
from typing import TYPE_CHECKING, Any, NamedTuple

from neck_tui.activities import Entry
from neck_tui.content.bounds import Id, Label, Name, Text, between, items
from neck_tui.content.models import Model, Provenance
from neck_tui.engine import Phase, Snapshot
from neck_tui.record_text import Section, stopped_text

if TYPE_CHECKING:
    from neck_tui.content import Content
    from neck_tui.store import Record

LEAD = "lead"
LEAD_LABEL = "Get ready"


class MassageStep(Model):
    name: Label  # a few words: the title line, the window title, `neck-tui status`
    text: Text
    seconds: float = between(0, 600, low_open=True)


class MassageContent(Model):
    name: Name
    safety: Text  # shown the whole time
    source: Id  # an id in sources.toml
    provenance: Provenance  # where the steps and their timings come from
    lead_in_seconds: float = between(0, 30, low_open=True)
    steps: list[MassageStep] = items(1, 10)


def massage(content: "Content") -> MassageContent:
    """The massage content, from content/massage.toml (or the user's --content-dir)."""
    return content.activity_content["massage"]


def phases(info: MassageContent) -> list[Phase]:
    """The engine's phases: a lead-in showing the first step, then each step."""
    first = info.steps[0]
    out = [Phase(LEAD, info.lead_in_seconds, LEAD_LABEL, meta={"step": 1, "text": first.text})]
    for number, step in enumerate(info.steps, start=1):
        out.append(Phase("step", step.seconds, step.name, meta={"step": number, "text": step.text}))
    return out


def length_line(info: MassageContent) -> str:
    """'3 steps, about 3 min' (under a minute: in seconds)."""
    total = info.lead_in_seconds + sum(s.seconds for s in info.steps)
    about = f"{round(total)} s" if total < 60 else f"{max(1, round(total / 60))} min"
    count = len(info.steps)
    return f"{count} step{'s' if count != 1 else ''}, about {about}"


def source_line(content: "Content", info: MassageContent) -> str:
    """Where the advice comes from and whose choice the steps are, in one line."""
    source = next((s for s in content.sources if s.id == info.source), None)
    cited = f"{source.publisher} {source.date[:4]}".strip() if source else info.source
    return f"Source: {cited}. Steps and timings: {info.provenance.label}."


# -- the record -------------------------------------------------------------------------------
def details(info: MassageContent) -> dict[str, Any]:
    """What the record keeps from the start."""
    return {"steps": len(info.steps)}


def progress(phases_done: int) -> dict[str, Any]:
    """What the record (at its end) and the checkpoint (meanwhile) keep: steps run to their end
    (the lead-in is the engine's first phase, not a step)."""
    return {"steps_done": max(0, phases_done - 1)}


def record_sections(record: "Record", content: "Content", tz: tzinfo | None, used: set[str]) -> list[Section]:
    """History's view of a massage record: the steps done of how many, and why it ended early."""
    d = record.details
    used.update({"steps", "steps_done", "stopped"})
    name = massage(content).name
    lines = [f"{name}: {d.get('steps_done', 0)} of {d.get('steps', '?')} steps"]
    if d.get("stopped"):
        lines.append(f"Ended early: {stopped_text(d['stopped'])}")
    return [Section("Session", lines)]


# -- what a snapshot shows --------------------------------------------------------------------
class View(NamedTuple):
    title: str  # "Step 2 of 3: Left shoulder"
    text: str  # the step's words
    clock: str  # "42 s left", "Paused ..."
    word: str  # for the session's tick: the window title, `neck-tui status`


def ready_view(info: MassageContent) -> View:
    return View(info.name, info.steps[0].text, f"{length_line(info)}. Enter: start", "Ready")


def view(info: MassageContent, snap: Snapshot) -> View:
    """What the screen shows for a running (or paused) session."""
    assert snap.phase is not None
    meta, left = snap.phase.meta, snap.seconds_shown
    if snap.phase.kind == LEAD:
        title, clock = LEAD_LABEL, f"Step 1 starts in {left} s"
    else:
        title = f"Step {meta['step']} of {len(info.steps)}: {snap.phase.label}"
        clock = f"{left} s left"
    if snap.paused:
        clock = f"Paused ({clock}). Space: go on"
    return View(title, meta["text"], clock, "Paused" if snap.paused else snap.phase.label)


def ended_view(info: MassageContent, completed: bool, steps_done: int) -> View:
    word = "Done" if completed else "Stopped"
    return View(f"{info.name}: {word.lower()}", "", f"{steps_done} of {len(info.steps)} steps. Enter: again", word)


# The activity this plan runs (found by neck_tui.activities), and its own content table.
ENTRIES = (
    Entry("massage", "Self-massage", "Timed self-massage of the upper trapezius", "m", "massage:MassageScreen",
          kind="massage", helps=True, suggest=True, order=45, record_view="plans.massage:record_sections"),
)
CONTENT = {"massage": MassageContent}
