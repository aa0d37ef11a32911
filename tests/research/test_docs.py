"""The README documents every ``sxworker`` command (as sqlite-utils does: a command nobody
can find is not there) and every article field, whose meanings the data card and the
Datasette metadata take from one table (sxworker.site.items.FIELDS)."""

from __future__ import annotations

import pytest

from sxworker.research import datacard
from sxworker.research.cli import main
from sxworker.research.serve import build_metadata
from sxworker.site.items import FIELDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name):
    assert f"sxworker {name}" in README, f"README.md does not mention `sxworker {name}`"


@pytest.mark.parametrize("usage", ["sxworker templates", "--sort articles", "export --with-evidence"])
def test_templates_and_the_evidence_export_are_documented(usage):
    assert usage in README


def _export_paragraph() -> str:
    """The README's paragraph on ``sxworker export``: it lists the fields."""
    return README.split("**Export**", 1)[1].split("\n\n", 1)[0]


@pytest.mark.parametrize("name", list(FIELDS))
def test_every_article_field_is_in_the_readme(name):
    assert f"`{name}`" in _export_paragraph(), f"README.md's Export paragraph does not name `{name}`"


def test_the_data_card_and_datasette_read_the_one_fields_table():
    card = datacard.render(
        file_name="a.csv",
        file_format="csv",
        count=0,
        sha256="0" * 64,
        filters={},
        stats={},
        source_url="http://example.org",
        with_evidence=True,
        with_citation=True,
    )
    assert [f"| `{name}` | {meaning} |" in card for name, meaning in FIELDS.items()] == [True] * len(FIELDS)
    columns = build_metadata()["databases"]["archive"]["tables"]["articles"]["columns"]
    described = {name for name in FIELDS if FIELDS[name][1:] in columns.get(name, "")}
    # ``files`` is a table of its own in the archive, not a column of articles; ``citation``
    # is made by export from the other fields.
    assert described == set(FIELDS) - {"files", "citation"}
