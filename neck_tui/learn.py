"""The tips and their sources as words: groups, citations, full references, the plain-text list
(`neck-tui learn --list`) and the tip for a context (Home, a posture break, after a session).

No Textual here. Every tip, figure and reference comes from content (tips.toml, sources.toml,
red_flags.toml); what is the app's own choice is the four group headings and how a citation is
spelt.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from neck_tui.content import Content, Source, Tip

# The app's own headings, in the order a person looks for them.
GROUPS: tuple[tuple[str, str], ...] = (
    ("about", "What is happening"),
    ("now", "What helps now"),
    ("prevent", "Preventing the next one"),
    ("care", "When to see someone"),
)
LIST_WIDTH = 78


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    tips: list["Tip"]


def grouped(content: "Content") -> list[Group]:
    """The tips under their headings, in content order; headings without tips are left out."""
    groups = [Group(gid, title, [t for t in content.tips if t.group == gid]) for gid, title in GROUPS]
    return [g for g in groups if g.tips]


def year(source: "Source") -> str:
    return source.date[:4]


def citation(source: "Source") -> str:
    """Short: 'Lee & Oh, 2022', 'Watson et al., 2015', 'Hinge Health, 2023'."""
    names = [a.strip() for a in source.authors.split(",") if a.strip()]
    many = bool(names) and names[-1].rstrip(".") == "et al"
    surnames = [n.split()[0] for n in names if n.rstrip(".") != "et al"]
    if not surnames:
        who = source.publisher
    elif many or len(surnames) > 2:
        who = f"{surnames[0]} et al."
    else:
        who = " & ".join(surnames)
    return f"{who}, {year(source)}" if year(source) else who


def reference(source: "Source") -> list[str]:
    """The full reference as lines: who and when, the title, where, and the DOI or address."""
    lines = []
    who = source.authors or source.publisher
    lines.append(f"{who} ({source.date})." if source.date else f"{who}.")
    lines.append(f"{source.title}.")
    lines.append(f"{source.publisher}." if source.authors else "")
    if source.doi:
        lines.append(f"doi:{source.doi} (https://doi.org/{source.doi})")
    if source.url:
        lines.append(source.url)
    if source.note:
        lines.append(source.note)
    return [line for line in lines if line]


def sources_of(tip: "Tip", content: "Content") -> list["Source"]:
    by_id = {s.id: s for s in content.sources}
    return [by_id[s] for s in tip.sources if s in by_id]


def citations(tip: "Tip", content: "Content") -> str:
    """'Sources: A, 2019; B, 2022' or '' for a tip without sources."""
    cites = [citation(s) for s in sources_of(tip, content)]
    if not cites:
        return ""
    return f"Source{'s' if len(cites) > 1 else ''}: {'; '.join(cites)}"


def red_flag_lines(content: "Content") -> list[str]:
    return [f"{flag.text}{' (urgent)' if flag.urgent else ''}" for flag in content.red_flags]


def tip_body(tip: "Tip", content: "Content") -> list[str]:
    """The tip's paragraphs: its text, then (for a red-flags tip) one line per red flag."""
    body = [tip.text]
    if tip.red_flags:
        body += [f"- {line}" for line in red_flag_lines(content)]
    return body


def list_text(content: "Content", width: int = LIST_WIDTH) -> str:
    """Everything the Learn screen shows, as plain text, with the full references at the end."""

    def wrap(text: str, indent: str = "", hang: str = "") -> list[str]:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hang or indent) or [""]

    out: list[str] = []
    for group in grouped(content):
        out += [group.title.upper(), ""]
        for tip in group.tips:
            out.append(f"  {tip.title}")
            for part in tip_body(tip, content):
                out += wrap(part, "    ", "      " if part.startswith("- ") else "    ")
            cites = citations(tip, content)
            if cites:
                out += wrap(f"[{cites}]", "    ")
            out.append("")
    used = [s for s in content.sources if any(s.id in t.sources for t in content.tips)]
    if used:
        out += ["SOURCES", ""]
        for source in used:
            lines = reference(source)
            out += wrap(f"{citation(source)}: {' '.join(lines)}", "  ", "    ")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- tips in context -----------------------------------------------------------------------------


def after_context(kind: str) -> str:
    """The context after a session of this record kind ('after_heat'); content may name none."""
    return f"after_{kind}"


def tip_for(content: "Content", context: str, day: date) -> "Tip | None":
    """The tip for a context on a day: the tips that name the context take turns, one a day
    (so Home shows one tip all day and the next one tomorrow); None when no tip names it."""
    candidates = [t for t in content.tips if context in t.contexts]
    if not candidates:
        return None
    return candidates[day.toordinal() % len(candidates)]


def tip_line(content: "Content", context: str, day: date, enabled: bool = True) -> str:
    """The one short line for a context ('Tip: ...'), or '' when tips are off or none fits."""
    tip = tip_for(content, context, day) if enabled else None
    return f"Tip: {tip.line}" if tip else ""
