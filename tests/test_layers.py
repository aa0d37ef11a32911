"""Imports run one way (STYLE.md): research → crawl, archive, site; crawl → archive, site;
archive → site; site → none of them. The replica stands apart: it imports nothing of the
layers, so that a test site can never lean on the code it tests; only the demo (research)
starts it. ``sxworker/config.py`` (every setting once) sits outside the layers and imports
nothing of sxworker, so that every layer may import it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "sxworker"
ALLOWED = {
    "site": set(),
    "archive": {"site"},
    "crawl": {"site", "archive"},
    "research": {"site", "archive", "crawl", "replica"},
    "replica": set(),
}


def layer_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "sxworker" and parts[1] in ALLOWED else None


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def imports_of(source: str, module: str) -> list[tuple[int, str]]:
    """(line, imported module) for every import of ``source``, relative ones resolved."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the importing module's package
                base = module.split(".")[: -node.level]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.append((node.lineno, target))
            found += [(node.lineno, f"{target}.{alias.name}") for alias in node.names if target == "sxworker"]
    return found


MODULES = sorted(path for path in PACKAGE.rglob("*.py") if layer_of(".".join(path.relative_to(ROOT).parts)))


def wrong_imports(source: str, module: str) -> list[str]:
    own = layer_of(module)
    return [
        f"{module}:{line} imports {target} ({own} must not import {layer})"
        for line, target in imports_of(source, module)
        if (layer := layer_of(target)) and layer != own and layer not in ALLOWED[own]
    ]


@pytest.mark.parametrize("path", MODULES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_imports_run_one_way(path):
    wrong = wrong_imports(path.read_text(encoding="utf-8"), module_name(path))
    assert not wrong, "\n".join(wrong)


def test_the_rule_sees_absolute_relative_and_package_imports():
    source = (
        "from sxworker.crawl import settings\n"
        "from ...archive import store\n"
        "from sxworker import research\n"
        "import sxworker.site.urls\n"
    )
    assert wrong_imports(source, "sxworker.site.parsers.article") == [
        "sxworker.site.parsers.article:1 imports sxworker.crawl (site must not import crawl)",
        "sxworker.site.parsers.article:2 imports sxworker.archive (site must not import archive)",
        "sxworker.site.parsers.article:3 imports sxworker.research (site must not import research)",
    ]


def test_config_imports_nothing_of_sxworker():
    path = PACKAGE / "config.py"
    found = [
        f"sxworker.config:{line} imports {target}"
        for line, target in imports_of(path.read_text(encoding="utf-8"), "sxworker.config")
        if target == "sxworker" or target.startswith("sxworker.")
    ]
    assert not found, "\n".join(found)


def test_every_layer_may_import_config():
    for layer in ALLOWED:
        assert wrong_imports("from sxworker import config\n", f"sxworker.{layer}.module") == []


def test_every_module_sits_in_a_layer():
    """Only the package's entry points and its settings table sit outside the layers."""
    outside = sorted(str(path.relative_to(PACKAGE)) for path in PACKAGE.glob("*.py"))
    assert outside == ["__init__.py", "__main__.py", "config.py", "settings.py"]
    folders = sorted(path.name for path in PACKAGE.iterdir() if path.is_dir() and path.name != "__pycache__")
    assert folders == sorted(ALLOWED)
