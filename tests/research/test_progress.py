"""Progress of the long commands (report, verify; issue 13): drawn on stderr on a terminal
only, never with --json (verify) nor into a pipe or file. rich is told it writes to a
terminal by TTY_COMPATIBLE=1."""

from __future__ import annotations

from pathlib import Path

import pytest

from sxworker.archive import Archive
from sxworker.research.report import write_report
from sxworker.research.verify import verify
from tests.archive.test_archive import article


@pytest.fixture
def target(tmp_path) -> str:
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([article(), article("134357", title="工会代表大会")])
    return str(path)


@pytest.mark.parametrize("terminal", [True, False])
def test_report_shows_its_progress_on_a_terminal_only(target, terminal, monkeypatch, capsys):
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    html = write_report(target)
    assert "<!DOCTYPE html>" in html
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("reading the archive" in captured.err) is terminal


@pytest.mark.parametrize(
    ("terminal", "progress", "shown"), [(True, True, True), (True, False, False), (False, True, False)]
)
def test_verify_shows_its_progress_on_a_terminal_unless_told_not_to(
    target, tmp_path, terminal, progress, shown, monkeypatch, capsys
):
    monkeypatch.setenv("TTY_COMPATIBLE", "1" if terminal else "0")
    report = verify(target, Path(tmp_path / "files"), None, lambda _problem: None, progress=progress)
    assert report.sound
    captured = capsys.readouterr()
    assert captured.out == ""
    assert ("content hashes" in captured.err) is shown
