"""The README documents every ``sxworker`` command (as sqlite-utils does: a command nobody
can find is not there)."""

from __future__ import annotations

import pytest

from sxworker.research.cli import main
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name):
    assert f"sxworker {name}" in README, f"README.md does not mention `sxworker {name}`"


@pytest.mark.parametrize("usage", ["sxworker templates", "--sort articles", "export --with-evidence"])
def test_templates_and_the_evidence_export_are_documented(usage):
    assert usage in README
