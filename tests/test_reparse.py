"""``sxworker reparse``: the archive re-extracted from a crawl's WARC captures, offline."""

from __future__ import annotations

import json
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

import sxworker.reparse
from sxworker.archive import Archive
from sxworker.cli import main
from sxworker.warc import RotatingWarcWriter
from tests.conftest import fixture_bytes
from tests.test_warc import captured  # noqa: F401 — the shared crawl with raw capture

# When a row was seen differs between a crawl and a reparse; ``files`` records what the
# crawl's FilesPipeline kept in FILES_STORE, which reparse neither reads nor changes.
NOT_EXTRACTED = {"first_seen", "last_seen", "files"}
BROKEN_LINK = "/content/2008-09/01/282050.html"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def stored(path: Path) -> tuple[list[dict], list[dict], list[dict]]:
    """Articles (export), pages and issues, as far as they come from the pages' text."""
    with Archive.open_readonly(str(path)) as archive:
        tables = list(archive.iter_export()), archive.page_rows(), archive.issue_rows()
    return tuple(
        [{k: v for k, v in row.items() if k not in NOT_EXTRACTED} for row in rows] for rows in tables
    )


def reparse_json(*args: str) -> dict:
    result = run("reparse", *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_reparse_into_an_empty_archive_reproduces_the_crawl(captured, tmp_path):  # noqa: F811
    site = captured["server"].site
    captured["server"].clear_requests()
    fresh = tmp_path / "fresh.sqlite3"
    files = len(list(captured["warc"].iterdir()))

    result = run("reparse", str(captured["warc"]), "--db", str(fresh))

    assert result.exit_code == 0, result.output
    assert captured["server"].requests == []  # not one request: the captures are enough
    articles, issues, pages = len(site.expected_articles), len(site.expected_issues), len(site.expected_pages)
    responses = len(captured["requests"])
    assert result.output == (
        f"{articles} new, 0 changed, 0 unchanged, 1 failed articles; {issues} issues, {pages} pages "
        f"from {responses} responses in {files} WARC files into {fresh}\n"
    )
    assert stored(fresh) == stored(captured["db"])


def test_reparse_reports_what_it_skipped_and_could_not_store(captured, tmp_path):  # noqa: F811
    result = run("reparse", str(captured["warc"]), "--db", str(tmp_path / "a.sqlite3"), "--json", "-v")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    # robots.txt, and the scans and pictures the crawl kept: neither page views nor articles.
    site = captured["server"].site
    not_html = [
        path
        for path in set(captured["requests"])
        if site.get(path) is not None and "html" not in site.get(path).content_type
    ]
    assert "/robots.txt" in not_html
    assert summary["skipped"] == len(not_html)
    assert summary["failures"] == [{"url": captured["server"].url(BROKEN_LINK), "reason": "HTTP 404"}]
    assert result.stderr == f"sxworker: not stored: {captured['server'].url(BROKEN_LINK)}: HTTP 404\n"


def test_reparse_into_the_crawled_archive_changes_nothing(captured, tmp_path):  # noqa: F811
    archive = tmp_path / "same.sqlite3"
    shutil.copy(captured["db"], archive)
    before = stored(archive)

    summary = reparse_json(str(captured["warc"]), "--db", str(archive))

    count = len(captured["server"].site.expected_articles)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, count)
    assert stored(archive) == before
    connection = sqlite3.connect(archive)
    assert connection.execute("select max(version), count(*) from articles").fetchone() == (1, count)
    assert connection.execute("select count(*) from article_versions").fetchone() == (0,)


def test_a_parser_fix_gives_a_new_version_only_where_the_text_changed(captured, tmp_path, monkeypatch):  # noqa: F811
    archive = tmp_path / "fixed.sqlite3"
    shutil.copy(captured["db"], archive)
    before = {(r["issue_date"], r["article_id"]): r for r in stored(archive)[0]}
    fixed = sorted(before)[:3:2]  # two articles the "fix" reads differently
    parse = sxworker.reparse.parse_article

    def fixed_parser(*args, **kwargs):
        article = parse(*args, **kwargs)
        if (article.issue_date, article.article_id) in fixed:
            return replace(article, body=article.body + "\n（本文有更正）")
        return article

    monkeypatch.setattr(sxworker.reparse, "parse_article", fixed_parser)
    summary = reparse_json(str(captured["warc"]), "--db", str(archive))

    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 2, len(before) - 2)
    after = {(r["issue_date"], r["article_id"]): r for r in stored(archive)[0]}
    for key, record in after.items():
        if key in fixed:
            assert record["version"] == 2
            assert record["body"] == before[key]["body"] + "\n（本文有更正）"
        else:
            assert record == before[key]
    connection = sqlite3.connect(archive)
    kept = connection.execute(
        "select issue_date, article_id, version, body from article_versions order by issue_date, article_id"
    ).fetchall()
    assert kept == [(date, article_id, 1, before[(date, article_id)]["body"]) for date, article_id in fixed]


def test_since_and_until_limit_the_issue_dates(captured, tmp_path):  # noqa: F811
    site = captured["server"].site
    summary = reparse_json(
        str(captured["warc"]),
        "--db",
        str(tmp_path / "a.sqlite3"),
        "--since",
        "1990-01-01",
        "--until",
        "2005-12-07",
    )
    expected = [e for e in site.expected_articles if "1990-01-01" <= e["issue_date"] <= "2005-12-07"]
    issues = [i for i in site.expected_issues if "1990-01-01" <= i["issue_date"] <= "2005-12-07"]
    assert (summary["new"], summary["issues"], summary["failed"]) == (len(expected), len(issues), 0)
    dates = {record["issue_date"] for record in stored(tmp_path / "a.sqlite3")[0]}
    assert min(dates) >= "1990-01-01" and max(dates) <= "2005-12-07"


def test_a_killed_crawls_open_file_with_a_cut_off_record_is_read_up_to_it(captured, tmp_path):  # noqa: F811
    folder = tmp_path / "warc"
    shutil.copytree(captured["warc"], folder)
    last = sorted(folder.iterdir())[-1]
    with last.open("rb") as handle:
        archive = ArchiveIterator(handle)
        responses = [
            (archive.get_record_offset(), record.rec_headers.get_header("WARC-Target-URI"))
            for record in archive
            if record.rec_type == "response"
        ]
    cut_at, lost_url = responses[-1]
    # As a crawl killed while writing its last record leaves it: unfinished and cut off.
    unfinished = last.with_name(last.name + ".open")
    unfinished.write_bytes(last.read_bytes()[: cut_at + 100])
    last.unlink()

    result = run("reparse", str(folder), "--db", str(tmp_path / "a.sqlite3"))

    assert result.exit_code == 0, result.output
    crawled = stored(captured["db"])[0]
    articles = stored(tmp_path / "a.sqlite3")[0]
    assert lost_url.endswith(".html") and "/content/" in lost_url
    assert articles == [record for record in crawled if record["url"] != lost_url]
    assert len(articles) == len(crawled) - 1


def test_a_failed_article_is_reported_and_never_stored(tmp_path):
    base = "http://szb.sxworker.com"
    page = fixture_bytes("2016-article.html")
    writer = RotatingWarcWriter(tmp_path / "warc", info={"software": "test"})
    for url, body in (
        (f"{base}/content/2016-12/05/134356.html", page),
        (f"{base}/content/2016-12/05/134357.html", page[: len(page) // 2]),  # cut off in transfer
        (f"{base}/Img/2016/12/2016120501-1.jpg", b"\xff\xd8\xff\xe0 a picture"),
    ):
        writer.write_exchange(
            url,
            method="GET",
            request_headers=[],
            request_body=b"",
            status=200,
            protocol="HTTP/1.1",
            response_headers=[("Content-Type", "image/jpeg" if url.endswith(".jpg") else "text/html")],
            body=body,
        )
    writer.close()

    result = run("reparse", str(tmp_path / "warc"), "--db", str(tmp_path / "a.sqlite3"), "--json", "-v")

    summary = json.loads(result.stdout)
    assert (summary["new"], summary["failed"], summary["skipped"]) == (1, 1, 1)
    assert result.stderr == (
        f"sxworker: not stored: {base}/content/2016-12/05/134357.html: "
        "truncated HTML (no closing </body> or </html>)\n"
    )
    assert [r["article_id"] for r in stored(tmp_path / "a.sqlite3")[0]] == ["134356"]


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: folder / "missing", "no such WARC file or folder: "),
        (lambda folder: folder, "no WARC files in "),
        (
            lambda folder: _write(folder / "bad.warc.gz", b"\x1f\x8b\x08 not really"),
            "damaged WARC record at byte 0",
        ),
        (lambda folder: _write(folder / "bad.warc.gz", b"<html></html>"), "not a WARC file"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_stores_nothing(tmp_path, make, message):
    source = make(tmp_path)
    result = run("reparse", str(source), "--db", str(tmp_path / "a.sqlite3"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output
    assert result.output.startswith("sxworker: error: ")
    assert not (tmp_path / "a.sqlite3").exists()


def test_without_input_or_sxworker_warc_dir_it_says_what_to_do(tmp_path):
    result = run("reparse", "--db", str(tmp_path / "a.sqlite3"), env={"SXWORKER_WARC_DIR": ""})
    assert result.exit_code == 2
    assert "name WARC files or folders, or set SXWORKER_WARC_DIR" in result.output


def test_sxworker_warc_dir_is_the_default_input(captured, tmp_path):  # noqa: F811
    result = run(
        "reparse", "--db", str(tmp_path / "a.sqlite3"), env={"SXWORKER_WARC_DIR": str(captured["warc"])}
    )
    assert result.exit_code == 0
    assert result.output.startswith(f"{len(captured['server'].site.expected_articles)} new, ")


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
