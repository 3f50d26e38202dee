"""Reading content: every *.toml under the shipped content directory, then every *.toml in the
user's --content-dir merged over it (items with the same `id` replace the shipped ones; new ids
are added; single tables such as [notice] are replaced key by key). An `id` may appear once per
file. Any problem becomes a ContentError whose one line names the file, the field path and what
is wrong: `FILE: field.path[id=x].name: problem`.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from neck_tui import activities, resources
from neck_tui.content.models import Content, RefError


class ContentError(Exception):
    """Bad content; str() is one line: file, field path, problem."""


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


_PLAIN = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


def shown(value: object) -> str:
    """A name or value as it may appear in a one-line message: plain ids as they are, anything
    else quoted with its control characters escaped, and cut short."""
    text = str(value)
    if _PLAIN.match(text):
        return text
    quoted = repr(text)
    return quoted if len(quoted) <= 40 else quoted[:37] + "..."


def _unique(path: Path, section: str, items: list[dict[str, Any]]) -> None:
    """An id (a pain anchor's value) may appear once per file: a second would silently win."""
    seen: set[Any] = set()
    field = "value" if section == "pain_scale" else "id"
    for item in items:
        key = _key(item, section)
        if key is None:
            continue
        if not isinstance(key, (str, int)) or isinstance(key, bool):
            raise ContentError(f"{path}: {section}.{field}: must be a {'number' if field == 'value' else 'string'} (got {shown(key)})")
        if key in seen:
            raise ContentError(f"{path}: {section}[{field}={shown(key)}]: {field} {shown(key)} appears more than once in this file")
        seen.add(key)


def load_content(extra_dir: Path | None = None, base_dir: Path | None = None) -> Content:
    """Read shipped content, merge the user's extra directory over it, validate."""
    merged: dict[str, Any] = {}
    own: dict[str, dict[str, Any]] = {}  # the tables of activities that bring their own content
    activity_models = activities.CONTENT  # section -> model, declared by plan modules
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
                    _unique(path, section, value)
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
                elif section in activity_models:
                    if not isinstance(value, dict):
                        raise ContentError(f"{path}: {section}: expected a table ([{section}])")
                    own.setdefault(section, {}).update(value)
                    origin[(section, None)] = path
                else:
                    known = ", ".join(sorted(LIST_KEYS | TABLE_KEYS | set(activity_models)))
                    raise ContentError(f"{path}: {shown(section)}: unknown section (known: {known})")
    for section, model in activity_models.items():
        try:
            merged.setdefault("activity_content", {})[section] = model.model_validate(own.get(section, {}))
        except ValidationError as exc:
            raise ContentError(_describe(exc, {section: own.get(section, {})}, origin, dirs, prefix=[section])) from None
    try:
        return Content.model_validate(merged)
    except ValidationError as exc:
        raise ContentError(_describe(exc, merged, origin, dirs)) from None


def _describe(
    exc: ValidationError, merged: dict[str, Any], origin: dict[tuple[str, Any], Path], dirs: list[Path],
    prefix: tuple[str, ...] = (),
) -> str:
    err = exc.errors()[0]
    loc = [*prefix, *(str(p) for p in err["loc"])]
    ctx_error = err.get("ctx", {}).get("error")
    if isinstance(ctx_error, RefError):
        loc = ctx_error.path.replace("]", "").replace("[", ".").split(".")
        message = ctx_error.problem
    else:
        message = _FRIENDLY.get(err["type"]) or err["msg"].removeprefix("Value error, ")
        value = err.get("input")
        if err["type"] not in _FRIENDLY and isinstance(value, (str, int, float)):
            got = repr(value)
            message += f" (got {got if len(got) <= 40 else got[:37] + '...'})"
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
            parts[-1] += f"[id={shown(ident)}]" if isinstance(ident, str) and ident else f"[{index}]"
            node = item
        else:
            parts.append(shown(part))
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(parts) or "(top level)"
