"""The archive's modules import each other one way: :mod:`sxworker.archive.store` (the
facade) on top, the table modules below it, errors and statements at the bottom. migrate
and store once imported each other (store at the top, migrate inside a function); this
fails on the next such circle, function-level imports included."""

from __future__ import annotations

import ast

from tests.conftest import ROOT

PACKAGE = ROOT / "sxworker" / "archive"
PREFIX = "sxworker.archive."


def sibling_imports(source: str) -> set[str]:
    """The archive modules that ``source`` imports anywhere (inside functions too)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "sxworker.archive":
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(PREFIX):
            found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
            found |= {name.split(".")[2] for name in names if name.startswith(PREFIX)}
    return found


def circles(graph: dict[str, set[str]]) -> list[str]:
    found = set()

    def walk(path: list[str]) -> None:
        for imported in sorted(graph.get(path[-1], ())):
            if imported in path:
                found.add(" → ".join([*path[path.index(imported) :], imported]))
            elif imported in graph:
                walk([*path, imported])

    for module in graph:
        walk([module])
    return sorted(found)


def test_the_archive_modules_import_each_other_without_a_circle():
    # The package's __init__ re-exports the facade: importing it is not a dependency.
    graph = {
        path.stem: sibling_imports(path.read_text(encoding="utf-8"))
        for path in PACKAGE.glob("*.py")
        if path.stem != "__init__"
    }
    assert not circles(graph), "\n".join(circles(graph))


def test_the_rule_sees_a_circle_closed_inside_a_function():
    migrate = "def _error():\n    from sxworker.archive.store import ArchiveError\n"
    store = "from sxworker.archive import ledger, migrate\n"
    graph = {"migrate": sibling_imports(migrate), "store": sibling_imports(store), "ledger": set()}
    assert circles(graph) == ["migrate → store → migrate", "store → migrate → store"]
