"""``sxworker report``: the figures, the self-contained page, and how it looks in chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive, insights
from sxworker.research.cli import main
from sxworker.research.report import render
from tests.research.webcheck import build_archive, screenshot


@pytest.fixture
def small_archive(tmp_path) -> Path:
    return build_archive(tmp_path / "archive.sqlite3")


def test_insights_count_what_is_there(small_archive):
    with Archive.open_readonly(str(small_archive)) as archive:
        data = insights.collect(archive.engine)
    totals = data["totals"]
    assert (totals["issues"], totals["pages"], totals["articles"]) == (4, 11, 8)
    assert (totals["first_issue"], totals["last_issue"]) == ("1985-11-15", "2023-10-17")
    assert totals["first_seen"] == totals["last_seen"] == "2024-01-02T03:04:05Z"
    assert data["issues_per_month"] == {"1985-11": 2, "1986-03": 1, "2023-10": 1}
    assert data["articles_per_year"] == {"1985": 4, "1986": 1, "2023": 3}
    assert data["pages_per_issue"] == {1: 1, 2: 1, 4: 2}
    names = {row["page_name"]: row for row in data["top_page_names"]}
    assert data["top_page_names"][0]["page_name"] == "头版"
    assert (names["头版"]["pages"], names["头版"]["articles"]) == (4, 4)
    assert data["recent_issues"][0]["issue_date"] == "2023-10-17"


def test_report_is_one_self_contained_page(small_archive, tmp_path):
    output = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(small_archive), "-o", str(output)])
    assert result.exit_code == 0, result.output
    html = output.read_text(encoding="utf-8")
    assert '<meta charset="utf-8">' in html
    # Nothing fetched from elsewhere: no script, stylesheet link, image source or CSS url().
    assert not re.search(r"<script|<link|<img|<iframe|\bsrc=|url\(|@import", html, re.I)
    assert "1985-11-15 — 2023-10-17" in html
    for year in ("1985", "1986", "2023"):
        assert f">{year}</text>" in html
    # Gap years show: 1987–2022 have no issue and are drawn as one band, months as empty cells.
    assert "1987–2022: no issues" in html and "36 years without issues" in html
    assert "1985-11: 2 issues" in html and "1986-05: 0 issues" in html
    assert "头版" in html and "\\u" not in html
    assert "<b>8</b><span>articles 篇</span>" in html
    assert sorted(path.name for path in output.parent.iterdir()) == ["report.html"]


def test_report_of_an_empty_archive(tmp_path):
    db = tmp_path / "empty.sqlite3"
    Archive.open(str(db)).close()
    output = tmp_path / "report.html"
    result = CliRunner().invoke(main, ["report", "--db", str(db), "-o", str(output)])
    assert result.exit_code == 0, result.output
    assert "empty archive" in output.read_text(encoding="utf-8")


def test_report_refuses_a_missing_archive(tmp_path):
    result = CliRunner().invoke(main, ["report", "--db", str(tmp_path / "nope.sqlite3"), "-o", "x.html"])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no archive" in result.output
    assert not (tmp_path / "x.html").exists()


def test_render_escapes_page_names():
    data = {
        "totals": {"issues": 1, "pages": 1, "articles": 0, "article_versions": 0, "authors": 0,
                   "issues_with_articles": 0, "first_issue": "2000-01-01", "last_issue": "2000-01-01",
                   "first_seen": None, "last_seen": None},
        "issues_per_month": {"2000-01": 1}, "articles_per_year": {}, "pages_per_issue": {1: 1},
        "top_page_names": [{"page_name": "<b>&", "pages": 1, "articles": 0,
                            "first_issue": "2000-01-01", "last_issue": "2000-01-01"}],
        "recent_issues": [],
    }  # fmt: skip
    html = render(data, generated_at="2000-01-02T00:00:00Z")
    assert "&lt;b&gt;&amp;" in html and "<b>&" not in html


def test_report_screenshot_in_chromium(small_archive, tmp_path):
    output = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", "--db", str(small_archive), "-o", str(output)]).exit_code == 0
    png = screenshot(output.as_uri(), tmp_path / "report.png", tmp_path / "profile")
    assert png.stat().st_size > 20_000
