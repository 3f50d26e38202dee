"""Module boundaries: the modules below know nothing of Textual (or rich), and no neck_tui modules
import each other in a circle."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

import neck_tui

PACKAGE = Path(neck_tui.__file__).parent
# What may know Textual: the app, its screens, dialogs and widgets, the terminal's size guard and
# console filter. Everything else (engine, lifecycle, plans, store, content, report, CLI...) must not.
UI = {"neck_tui.app", "neck_tui.terminal.size", "neck_tui.terminal.console", "neck_tui.screen_behind", "neck_tui.screen_breakpoints", "neck_tui.__main__"}
UI_PACKAGES = ("neck_tui.screens", "neck_tui.dialogs", "neck_tui.widgets")


def _name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


ALL = sorted(_name(p) for p in PACKAGE.rglob("*.py") if "_data" not in p.parts)
NO_UI = [m for m in ALL if m not in UI and not m.startswith(UI_PACKAGES)]
# One interpreter that has loaded nothing of neck_tui, textual or rich forks a child per module (a
# fresh `python -c` each would pay for a Python start-up and pydantic apiece): each child imports
# its module and names what of textual or rich that brought in. The libraries the pure modules use
# are loaded once before the forks; that they bring neither is checked too.
_CHECK = """
import importlib, json, os, sys

def leaked():
    return " ".join(sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))[:5])

for name in ("pydantic", "tomllib", "tomli_w", "platformdirs", "filelock"):
    importlib.import_module(name)
results = {"": leaked()}
for module in sys.argv[1:]:
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        try:
            importlib.import_module(module)
            out = leaked()
        except BaseException as exc:
            out = f"cannot be imported: {exc!r}"
        os.write(write, out.encode())
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        results[module] = pipe.read()
    os.waitpid(pid, 0)
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def leaks() -> dict[str, str]:
    """Module -> what of textual/rich importing it loaded ("" for nothing); "" -> the libraries'."""
    out = subprocess.run(
        [sys.executable, "-c", _CHECK, *NO_UI], capture_output=True, text=True, check=True, cwd=PACKAGE.parent
    )
    return json.loads(out.stdout)


def test_the_pure_modules_are_all_listed() -> None:
    assert {"neck_tui.store.core", "neck_tui.lifecycle", "neck_tui.plans.thermal", "neck_tui.plans.breathing",
            "neck_tui.plans.exercises", "neck_tui.engine", "neck_tui.content.models", "neck_tui.cli"} <= set(NO_UI)


def test_the_libraries_loaded_before_the_forks_bring_no_textual_or_rich(leaks: dict[str, str]) -> None:
    assert leaks[""] == ""


@pytest.mark.parametrize("module", NO_UI)
def test_module_does_not_import_textual_or_rich(module: str, leaks: dict[str, str]) -> None:
    assert leaks[module] == "", f"{module} pulls in {leaks[module]}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The neck_tui modules that path imports, at any depth (functions too), except under
    `if TYPE_CHECKING:`."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()

    def resolve(target: str) -> str | None:
        while target and target not in modules:
            target = target.rpartition(".")[0]
        return target or None

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(filter(None, (resolve(a.name) for a in node.names)))
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # `from neck_tui import report` imports the module neck_tui.report.
                full = f"{base}.{alias.name}"
                found.update(filter(None, [resolve(full if full in modules else base)]))
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    found.discard(name)
    return found


def _graph() -> dict[str, set[str]]:
    paths = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    return {name: _imports(path, modules) for name, path in paths.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def strong(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            strong(v)
    return out


def _parents_of(name: str) -> set[str]:
    parts = name.split(".")
    return {".".join(parts[:i]) for i in range(1, len(parts))}


def test_no_import_cycles() -> None:
    graph = _graph()
    # A package's __init__ importing its own submodules is how packages work, not a circle.
    for name, deps in graph.items():
        graph[name] = {d for d in deps if d not in _parents_of(name)}
    assert _cycles(graph) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
