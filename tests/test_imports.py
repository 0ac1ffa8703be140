"""The package's modules import each other without a circle, counting imports inside functions.

An import inside a function still makes a circle, only a later one: it is how ``export.py`` and
``widget.py`` once needed each other. Imports under ``if TYPE_CHECKING:`` never run and do not
count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "micrograd_magic"


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


class _Imports(ast.NodeVisitor):
    """The package modules a module imports, anywhere in its body except TYPE_CHECKING blocks."""

    def __init__(self, modules: set[str]) -> None:
        self.modules = modules
        self.found: set[str] = set()

    def visit_If(self, node: ast.If) -> None:
        if _is_type_checking(node.test):
            for child in node.orelse:
                self.visit(child)
            return
        self.generic_visit(node)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            parts = alias.name.split(".")
            if parts[0] == PACKAGE.name and len(parts) > 1:
                self._add(parts[1])

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level > 1:
            raise AssertionError("the package has no subpackages to import from with '..'")
        if node.level == 1 or (node.module or "").split(".")[0] == PACKAGE.name:
            module = node.module if node.level == 1 else node.module.partition(".")[2]
            if module:
                self._add(module.split(".")[0])
            else:  # from . import nn
                for alias in node.names:
                    self._add(alias.name)

    def _add(self, name: str) -> None:
        if name in self.modules:
            self.found.add(name)


def import_graph() -> dict[str, set[str]]:
    """Module name -> the package modules it imports."""
    modules = {p.stem for p in PACKAGE.glob("*.py")}
    graph = {}
    for name in sorted(modules):
        visitor = _Imports(modules)
        visitor.visit(ast.parse((PACKAGE / f"{name}.py").read_text(encoding="utf-8")))
        graph[name] = visitor.found - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle as a list of module names (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def test_no_module_of_the_package_imports_itself_through_others() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import circle: " + " -> ".join(cycle or [])


def test_no_import_leads_from_the_kernel_free_modules_to_the_widget_or_magic() -> None:
    graph = import_graph()
    reached: set[str] = set()
    todo = ["state", "export", "__main__"]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo.extend(graph[name])
    assert "widget" not in reached
    assert "magic" not in reached


@pytest.mark.parametrize(
    ("source", "cycle"),
    [
        ("a: from .b import x\nb: from .a import y", ["a", "b", "a"]),
        ("a: def f():\n    from .b import x\nb: from . import a", ["a", "b", "a"]),
        ("a: from .b import x\nb: if TYPE_CHECKING:\n    from .a import y", None),
        ("a: import micrograd_magic.b\nb: from micrograd_magic.a import y", ["a", "b", "a"]),
    ],
)
def test_the_cycle_finder_sees_circles_including_those_inside_functions(
    source: str, cycle: list[str] | None
) -> None:
    modules = {}
    for chunk in source.split("\n"):
        if ": " in chunk[:3]:
            name, _, text = chunk.partition(": ")
            modules[name] = text
        else:
            modules[name] += "\n" + chunk
    graph = {}
    for name, text in modules.items():
        visitor = _Imports(set(modules))
        visitor.visit(ast.parse(text))
        graph[name] = visitor.found
    assert find_cycle(graph) == cycle
