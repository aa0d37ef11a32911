"""The sxworker command: every command's --help, extract, export, and their errors."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.conftest import FIXTURES, ROOT, SITE, fixture_bytes

EXPECTED = json.loads((FIXTURES / "expected-articles.json").read_text(encoding="utf-8"))


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, env=env, catch_exceptions=False)


@pytest.mark.parametrize("command", [[], *[[name] for name in main.commands]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output


def test_extract_a_gbk_page_from_a_file(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(fixture_bytes("1985-article.html"))
    result = run("extract", str(page), "--url", SITE + "/content/1985-11/15/038852.html")
    assert result.exit_code == 0
    assert json.loads(result.output) == EXPECTED["038852"]
    assert "天车司机" in result.output  # characters, not \\u escapes


def test_extract_a_mobile_page_from_stdin():
    result = run(
        "extract",
        "-",
        "--url",
        SITE + "/m/content/2016-12/05/134356.html",
        stdin=fixture_bytes("2016-mobile.html"),
    )
    assert result.exit_code == 0
    record = json.loads(result.output)
    assert record["url"] == SITE + "/content/2016-12/05/134356.html"
    assert record["title"] == "发挥党员作用 勇于担当作为"
    assert list(record) == list(EXPECTED["134356"])


def test_extract_explain_adds_the_template_and_each_fields_evidence(tmp_path):
    page = tmp_path / "page.html"
    page.write_bytes(fixture_bytes("1985-article.html"))
    url = SITE + "/content/1985-11/15/038852.html"
    record = json.loads(run("extract", str(page), "--url", url, "--explain").output)
    assert list(record) == [*EXPECTED["038852"], "template", "evidence"]
    assert {name: record[name] for name in EXPECTED["038852"]} == EXPECTED["038852"]
    assert len(record["template"]) == 12
    assert record["evidence"]["kicker"] == ["position: short line above the title in its header block"]
    assert record["evidence"]["subtitle"] == ["mark: starts with a dash (——)"]
    assert record["evidence"]["author"] == ["mark: byline prefix (□, 本报记者, 作者:)"]
    assert record["evidence"]["page_no"] == ["the page's 当前版 marker"]
    # Another era's template is another fingerprint.
    other = tmp_path / "other.html"
    other.write_bytes(fixture_bytes("2016-article.html"))
    url_2016 = SITE + "/content/2016-12/05/134356.html"
    assert json.loads(run("extract", str(other), "--url", url_2016, "--explain").output)["template"] not in (
        None,
        record["template"],
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["extract", "-", "--url", SITE + "/index.aspx"], b"<html></html>", "--url: "),
        (["extract", "-", "--url", SITE + "/content/2016-12/05/1.html"], b"", "not an HTML page"),
        (["extract", "-", "--url", SITE + "/content/2016-12/05/1.html"], b"<html><body><p>x", "truncated"),
    ],
)
def test_extract_errors_are_one_line_exit_2(args, stdin, message):
    result = run(*args, stdin=stdin)
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output


def test_extract_missing_file_is_a_usage_error(tmp_path):
    result = run("extract", str(tmp_path / "nope.html"), "--url", SITE + "/content/2016-12/05/1.html")
    assert result.exit_code == 2


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles(
            [
                article("000002", "2016-12-05", page_no=2),
                article("000001", "1985-11-15", page_no=4, author=None),
            ]
        )
    return path


def test_export_jsonl_to_stdout(archive_path):
    result = run("export", "--db", str(archive_path))
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.output.splitlines()]
    assert [(r["issue_date"], r["article_id"]) for r in records] == [
        ("1985-11-15", "000001"),
        ("2016-12-05", "000002"),
    ]
    assert records[0]["author"] is None
    assert "李颖" in result.output


def test_export_uses_sxworker_db_from_the_environment(archive_path):
    result = run("export", "--since", "2000-01-01", env={"SXWORKER_DB": str(archive_path)})
    assert [json.loads(line)["article_id"] for line in result.output.splitlines()] == ["000002"]


def test_export_csv_to_a_file_atomically(archive_path, tmp_path):
    out = tmp_path / "out" / "articles.csv"
    result = run("export", "--db", str(archive_path), "--format", "csv", "-o", str(out))
    assert result.exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["article_id"] for row in rows] == ["000001", "000002"]
    # No temporary file left behind: only the export, its checksum and its data card.
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == ["articles.csv", "articles.csv.md", "articles.csv.sha256"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["export", "--db", "/nonexistent/a.sqlite3"],
            "sxworker: error: no archive at /nonexistent/a.sqlite3",
        ),
        (["export", "--since", "2016-02-30"], "sxworker: error: --since: '2016-02-30' is not a date"),
    ],
)
def test_export_errors_are_one_line_exit_2(archive_path, args, message):
    result = run(*args, env={"SXWORKER_DB": str(archive_path)})
    assert result.exit_code == 2
    assert result.output.strip() == message or result.output.startswith(message)
    assert result.output.count("\n") == 1


def test_export_of_an_empty_range_says_so(archive_path):
    result = run("export", "--db", str(archive_path), "--since", "2020-01-01")
    assert result.exit_code == 0
    assert "no articles matched" in result.output


def test_python_dash_m_and_demo_end_to_end(tmp_path):
    db = tmp_path / "demo.sqlite3"
    process = subprocess.run(
        [sys.executable, "-m", "sxworker", "demo", "--db", str(db)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert process.returncode == 0, process.stderr[-2000:]
    assert "8 issues, 23 pages, 50 articles (1985-11-15 … 2023-10-17)" in process.stdout
    assert "发挥党员作用" in process.stdout
    with Archive.open_readonly(str(db)) as archive:
        assert archive.counts()["articles"] == 50
    assert ROOT.joinpath("scrapy.cfg").exists()
