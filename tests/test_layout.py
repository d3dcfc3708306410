"""The layout is the architecture (DESIGN.md, "Layout"): data flows sources -> model -> mapping -> serialize ->
publish/sparql/server -> cli, and imports point down that list only. Read from the source with ``ast``, so a lazy
import inside a function is held to the same rule as one at the top of a module."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

import rdfgen

PACKAGE = Path(rdfgen.__file__).parent

# Lower layers first; a module may import its own layer and the ones before it.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("rdfgen.errors", "rdfgen.model", "rdfgen.resources", "rdfgen.vocab", "rdfgen.iris", "rdfgen.compression",
     "rdfgen.memory", "rdfgen._native"),  # _native: the C twin of publish.members (it imports nothing)
    ("rdfgen.sources",),
    ("rdfgen.mesh",),
    ("rdfgen.mapping",),
    ("rdfgen.serialize",),
    ("rdfgen.publish",),
    ("rdfgen.sparql",),
    ("rdfgen.server",),
    ("rdfgen.cli", "rdfgen.__main__"),
)
# What any module may take from the root package (the API lives there and is above everything else).
ROOT_CONSTANTS = {"DEFAULT_BASE", "__version__"}


@dataclass(frozen=True)
class Import:
    importer: str
    target: str
    names: tuple[str, ...]
    line: int
    lazy: bool  # inside a function: runs on call, not on import
    typing_only: bool  # under ``if TYPE_CHECKING``


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path) -> list[Import]:
    found: list[Import] = []

    def visit(node: ast.AST, lazy: bool, typing_only: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                found.extend(Import(name, a.name, (), child.lineno, lazy, typing_only)
                             for a in child.names if a.name.startswith("rdfgen"))
            elif isinstance(child, ast.ImportFrom) and child.module and child.module.startswith("rdfgen"):
                found.append(Import(name, child.module, tuple(a.name for a in child.names), child.lineno, lazy,
                                    typing_only))
            elif isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                visit(child, lazy, True)
            else:
                visit(child, lazy or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef), typing_only)

    visit(ast.parse(path.read_text(encoding="utf-8")), False, False)
    return found


def layer(name: str) -> int:
    for i, members in enumerate(LAYERS):
        if any(name == m or name.startswith(m + ".") for m in members):
            return i
    raise AssertionError(f"{name} is in no layer: add it to LAYERS (and to DESIGN.md's layout)")


def resolved(imp: Import, known: dict[str, Path]) -> list[str]:
    """The modules an import loads: ``from rdfgen.x import y`` loads rdfgen.x.y when that is a module."""
    submodules = [f"{imp.target}.{n}" for n in imp.names if f"{imp.target}.{n}" in known]
    return submodules or [imp.target]


ALL = modules()
EDGES = [imp for name, path in ALL.items() for imp in imports_of(name, path)]


def test_every_module_has_a_layer() -> None:
    for name in ALL:
        if name != "rdfgen":
            layer(name)


@pytest.mark.parametrize("imp", [i for i in EDGES if i.importer != "rdfgen"],
                         ids=lambda i: f"{i.importer}:{i.line}")
def test_imports_point_down(imp: Import) -> None:
    """Sources and model never import mapping, serialize, publish or server; nothing below the CLI imports it."""
    if imp.target == "rdfgen":
        names = {n for n in imp.names if f"rdfgen.{n}" not in ALL}
        assert names <= ROOT_CONSTANTS, f"{imp.importer} imports the API ({names}) from the root"
    for target in resolved(imp, ALL):
        if target == "rdfgen":
            continue
        assert layer(target) <= layer(imp.importer), (
            f"{imp.importer} (line {imp.line}) imports {target}, a layer above it")


def test_no_import_cycles() -> None:
    """Module-level imports form no cycle (a package's __init__ runs before its modules, so count it too)."""
    graph: dict[str, set[str]] = {name: set() for name in ALL}
    for imp in EDGES:
        if imp.lazy or imp.typing_only:
            continue
        for target in resolved(imp, ALL):
            parts = target.split(".")
            for i in range(2, len(parts) + 1):
                step = ".".join(parts[:i])
                if step in ALL and step != imp.importer and not imp.importer.startswith(step + "."):
                    graph[imp.importer].add(step)
    cycles = _cycles(graph)
    assert not cycles, "import cycles: " + "; ".join(" -> ".join(c) for c in cycles)


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    return found


def test_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_every_module_imports_on_its_own() -> None:
    """Each module imported first in a fresh interpreter: an import cycle fails there even when a lucky order hides
    it in one process. One interpreter per subpackage keeps this quick."""
    names = [m.name for m in pkgutil.walk_packages(rdfgen.__path__, "rdfgen.") if not m.name.endswith("__main__")]
    assert len(names) >= 30, names
    script = ("import importlib, subprocess, sys\n"
              "for name in sys.argv[1:]:\n"
              "    r = subprocess.run([sys.executable, '-c', f'import {name}'], capture_output=True, text=True)\n"
              "    if r.returncode: print(name, r.stderr.strip().splitlines()[-1])\n")
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, check=True)
    assert done.stdout == "", done.stdout


def test_packages_are_the_documented_ones() -> None:
    packages = sorted(p.parent.name for p in PACKAGE.glob("*/__init__.py"))
    assert packages == ["mapping", "mesh", "publish", "serialize", "server", "sources", "sparql"]
    assert {p.stem for p in PACKAGE.glob("*.py")} == {
        "__init__", "__main__", "cli", "compression", "errors", "iris", "memory", "model", "resources", "vocab"}
    for name in ("rdfgen.mapping", "rdfgen.sparql"):
        importlib.import_module(name)
