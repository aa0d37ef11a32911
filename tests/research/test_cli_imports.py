"""The command starts light (issue 13): importing it, ``sxworker --help`` and an archive
command printing JSON import none of the heavy libraries — those are imported by the
commands that use them. Each check runs in a fresh interpreter, where sys.modules says
what was imported."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.conftest import ROOT

HEAVY = ("scrapy", "twisted", "matplotlib", "pyarrow", "datasette", "rich", "lxml", "alembic")

PROBE = """
import json, sys
from sxworker.research.cli import main
try:
    main(sys.argv[1:], prog_name="sxworker")
except SystemExit:
    pass
heavy = {heavy!r}
print(json.dumps(sorted(name for name in heavy if name in sys.modules)), file=sys.stderr)
"""


def imported_heavy(*args: str, heavy: tuple[str, ...] = HEAVY) -> tuple[list[str], str]:
    """The heavy top-level packages imported by running ``sxworker ARGS``, and its stdout."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(heavy=heavy), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stderr.strip().splitlines()[-1]), result.stdout


def test_importing_the_command_imports_no_heavy_library():
    found, shown = imported_heavy("--version")
    assert found == []
    assert shown.startswith("sxworker, version ")


def test_help_lists_every_command_with_its_help_and_imports_no_heavy_library():
    found, shown = imported_heavy("--help")
    assert found == []
    listed = CliRunner().invoke(main, ["--help"], terminal_width=200).output
    assert shown.splitlines()[0] == "Usage: sxworker [OPTIONS] COMMAND [ARGS]..."
    for name, command in main.commands.items():
        short = command.get_short_help_str(limit=300)
        assert short, f"{name} has no help text"
        assert any(line.split() and line.split()[0] == name for line in shown.splitlines()), name
        assert f"{name}  " in listed and short.split()[0] in listed


def test_a_json_command_imports_no_table_library_nor_scrapy(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([article()])
    found, shown = imported_heavy("stats", "--json", "--db", str(path), heavy=HEAVY[:-1])
    assert found == []
    assert json.loads(shown)["articles"] == 1


def test_a_table_imports_rich_only_then(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([article()])
    found, _ = imported_heavy("runs", "--db", str(path), heavy=("rich", "scrapy", "twisted"))
    assert found == ["rich"]


def test_extract_still_parses_and_reports_a_bad_page_in_one_line(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body>no article here</body></html>")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sxworker",
            "extract",
            str(page),
            "--url",
            "http://szb.sxworker.com/content/2016-12/05/1.html",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("sxworker: error: ")
