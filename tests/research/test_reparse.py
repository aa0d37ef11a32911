"""``sxworker reparse``: the archive re-extracted from a crawl's WARC captures, offline."""

from __future__ import annotations

import hashlib
import json
import random
import shutil
import sqlite3
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

import sxworker.crawl.pipelines
import sxworker.crawl.spiders.sxworker
from sxworker.archive import Archive
from sxworker.replica.server import fail_times
from sxworker.research.cli import main
from sxworker.site.items import Article
from tests.conftest import fixture_bytes
from tests.crawl.test_replay import write as write_captures
from tests.crawl.test_warc import capture_crawl
from tests.warc_faults import record_starts

# When a row was seen differs between a crawl and a reparse, and so does the order rows are
# written in (their ids): both fetch several pages at once.
NOT_EXTRACTED = {"first_seen", "last_seen", "id"}
BROKEN_LINK = "/content/2008-09/01/282050.html"
# When a file was fetched: the crawl's clock, or the capture's WARC-Date.
NOT_RESTORED = {"id", "fetched_at"}


def _file_paths(site) -> tuple[str, str]:
    """A page scan and an article picture of two different issues."""
    scan = urlsplit(site.expected_pages[0]["page_image_url"]).path
    date = site.expected_pages[0]["issue_date"]
    picture = next(
        image["url"]
        for article in site.expected_articles
        if article["issue_date"] != date
        for image in article["images"]
    )
    return scan, urlsplit(picture).path


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """The whole replica crawled with raw capture and files on; one page scan answers 404
    and one picture URL an HTML page, so the crawl records one missing and one rejected."""

    def faults(server):
        scan, picture = _file_paths(server.site)
        return {scan: fail_times(10**6, status=404), picture: fail_times(10**6, status=200)}

    with capture_crawl(tmp_path_factory.mktemp("captured"), faults) as crawl:
        crawl["faulted"] = _file_paths(crawl["server"].site)
        yield crawl


@pytest.fixture(autouse=True)
def files_store(tmp_path, monkeypatch):
    """Reparse's default FILES_STORE: a fresh folder, never the working tree's data/files."""
    monkeypatch.setenv("FILES_STORE", str(tmp_path / "store"))
    for name in ("SXWORKER_FILES_SCANS", "SXWORKER_FILES_IMAGES", "SXWORKER_FILES_PDFS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "store"


def file_rows(path: Path) -> dict[str, dict]:
    with Archive.open_readonly(str(path)) as archive:
        return {row["url"]: row for row in archive.file_rows()}


HTML = [("Content-Type", "text/html")]


def tree(store: Path) -> dict[str, bytes]:
    return {str(p.relative_to(store)): p.read_bytes() for p in store.rglob("*") if p.is_file()}


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


def test_reparse_into_an_empty_archive_reproduces_the_crawl(captured, tmp_path, files_store):
    site = captured["server"].site
    captured["server"].clear_requests()
    fresh = tmp_path / "fresh.sqlite3"
    files = len(list(captured["warc"].iterdir()))

    result = run("reparse", str(captured["warc"]), "--db", str(fresh))

    assert result.exit_code == 0, result.output
    assert captured["server"].requests == []  # not one request: the captures are enough
    articles, issues, pages = len(site.expected_articles), len(site.expected_issues), len(site.expected_pages)
    responses = len(captured["requests"])
    crawled_files = file_rows(captured["db"])
    kept = sum(row["status"] == "stored" for row in crawled_files.values())
    assert result.output == (
        f"{articles} new, 0 changed, 0 unchanged, 1 failed articles; {issues} issues, {pages} pages; "
        f"{kept} files restored, 0 up to date, 1 missing, 1 rejected "
        f"from {responses} responses in {files} WARC files into {fresh}\n"
    )
    # Articles with their files (export), pages and issues.
    assert stored(fresh) == stored(captured["db"])
    # The files table, row for row, and the files byte for byte at the same paths.
    restored = file_rows(fresh)
    assert len(crawled_files) == 28
    assert {
        url: {k: v for k, v in row.items() if k not in NOT_RESTORED} for url, row in restored.items()
    } == {url: {k: v for k, v in row.items() if k not in NOT_RESTORED} for url, row in crawled_files.items()}
    assert tree(files_store) == tree(captured["files"])
    assert len(tree(files_store)) == kept
    for row in restored.values():
        assert row["fetched_at"].endswith("Z") and row["fetched_at"][:4].isdigit()


def test_a_missing_and_a_rejected_file_are_reproduced(captured, tmp_path, files_store):
    summary = reparse_json(str(captured["warc"]), "--db", str(tmp_path / "a.sqlite3"))

    assert (summary["files_missing"], summary["files_rejected"]) == (1, 1)
    scan, picture = (captured["server"].url(path) for path in captured["faulted"])
    rows, crawled = file_rows(tmp_path / "a.sqlite3"), file_rows(captured["db"])
    assert (rows[scan]["status"], rows[scan]["error"], rows[scan]["path"]) == ("missing", "HTTP 404", None)
    assert rows[picture]["status"] == "rejected"
    assert rows[picture]["error"].startswith("not an image: Content-Type text/html, starts b'<html>")
    for url in (scan, picture):
        assert rows[url]["error"] == crawled[url]["error"]
        assert rows[url]["content_type"] == crawled[url]["content_type"] == "text/html"
        assert not (files_store / urlsplit(url).path.lstrip("/")).exists()
    # Open in the ledger, so the next crawl sees their issues incomplete and tries again;
    # known from the captures, not tried by this archive: no attempt counted.
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        ledger = {row["url"]: row for row in archive.open_failures()}
    assert {url: (ledger[url]["kind"], ledger[url]["attempts"]) for url in (scan, picture)} == {
        scan: ("scan", 0),
        picture: ("image", 0),
    }


def test_reparse_again_writes_nothing_new(captured, tmp_path, files_store):
    target = tmp_path / "a.sqlite3"
    first = reparse_json(str(captured["warc"]), "--db", str(target))
    rows, files = file_rows(target), tree(files_store)
    times = {p: p.stat().st_mtime_ns for p in files_store.rglob("*")}

    again = reparse_json(str(captured["warc"]), "--db", str(target))

    assert first["files_restored"] == again["files_up_to_date"] == len(files)
    assert again["files_restored"] == 0
    assert (again["files_missing"], again["files_rejected"]) == (1, 1)
    assert file_rows(target) == rows  # fetched_at included: not one row rewritten
    assert tree(files_store) == files
    assert {p: p.stat().st_mtime_ns for p in files_store.rglob("*")} == times


def test_a_damaged_or_lost_file_is_restored_and_others_left_alone(captured, tmp_path, files_store):
    target = tmp_path / "a.sqlite3"
    reparse_json(str(captured["warc"]), "--db", str(target))
    files = tree(files_store)
    cut, lost = sorted(files)[:2]
    (files_store / cut).write_bytes(files[cut][:100])
    (files_store / lost).unlink()

    again = reparse_json(str(captured["warc"]), "--db", str(target))

    assert (again["files_restored"], again["files_up_to_date"]) == (2, len(files) - 2)
    assert tree(files_store) == files
    assert not [p for p in files_store.rglob("*") if p.name.startswith(".")]  # no partial file left


def test_files_follow_the_kinds_turned_on_or_none_with_no_files(captured, tmp_path, files_store):
    result = run(
        "reparse",
        str(captured["warc"]),
        "--db",
        str(tmp_path / "a.sqlite3"),
        "--json",
        env={"SXWORKER_FILES_PDFS": "off", "SXWORKER_FILES_SCANS": "0"},
    )
    assert result.exit_code == 0, result.output
    assert {row["kind"] for row in file_rows(tmp_path / "a.sqlite3").values()} == {"image"}
    assert all("/pic/" in "/" + path for path in tree(files_store))

    other = tmp_path / "other"
    result = run(
        "reparse",
        str(captured["warc"]),
        "--db",
        str(tmp_path / "b.sqlite3"),
        "--no-files",
        "--files-store",
        str(other),
    )
    assert result.exit_code == 0, result.output
    assert "files restored" not in result.output
    assert file_rows(tmp_path / "b.sqlite3") == {}
    assert not other.exists()


def test_a_files_success_stands_over_a_later_error_or_redirect(tmp_path, files_store):
    base = "http://szb.sxworker.com"
    scan = f"{base}/Img/2016/12/2016120503-1.jpg"
    moved = f"{base}/moved/2016120503-1.jpg"
    write_captures(
        tmp_path / "warc",
        (scan, 200, [("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0 an older scan"),
        (f"{base}/content/2016-12/05/134356.html", 200, HTML, fixture_bytes("2016-article.html")),
        (scan, 503, [("Content-Type", "text/html")], b"<html>busy</html>"),
        (scan, 301, [("Location", "/moved/2016120503-1.jpg")], b""),
        (moved, 200, [("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0 the scan"),
    )

    summary = reparse_json(str(tmp_path / "warc"), "--db", str(tmp_path / "a.sqlite3"))

    assert summary["files_restored"] == 1
    # A success stands over a later error: the pipeline would not have fetched it again.
    row = file_rows(tmp_path / "a.sqlite3")[scan]
    body = b"\xff\xd8\xff\xe0 an older scan"
    assert (row["status"], row["path"], row["kind"], row["page_no"]) == (
        "stored",
        "Img/2016/12/2016120503-1.jpg",
        "scan",
        3,
    )
    assert (row["sha256"], row["bytes"]) == (hashlib.sha256(body).hexdigest(), len(body))
    assert tree(files_store) == {"Img/2016/12/2016120503-1.jpg": body}


def test_a_file_captured_only_as_a_redirect_is_stored_from_its_target(tmp_path, files_store):
    base = "http://szb.sxworker.com"
    write_captures(
        tmp_path / "warc",
        (f"{base}/content/2016-12/05/134356.html", 200, HTML, fixture_bytes("2016-article.html")),
        (f"{base}/Img/2016/12/2016120503-1.jpg", 302, [("Location", "/moved/scan.jpg")], b""),
        (f"{base}/moved/scan.jpg", 200, [("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0 the scan"),
    )

    summary = reparse_json(str(tmp_path / "warc"), "--db", str(tmp_path / "a.sqlite3"))

    assert summary["files_restored"] == 1
    # Stored under the URL the page links, at the path that URL mirrors, as the crawl does.
    assert tree(files_store) == {"Img/2016/12/2016120503-1.jpg": b"\xff\xd8\xff\xe0 the scan"}


def test_reparse_reports_what_it_skipped_and_could_not_store(captured, tmp_path):
    result = run("reparse", str(captured["warc"]), "--db", str(tmp_path / "a.sqlite3"), "--json", "-v")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    # Of what the crawl fetched, only robots.txt is never asked for: a reparse asks no site.
    assert "/robots.txt" in captured["requests"]
    assert summary["skipped"] == 1
    assert summary["failures"] == [{"url": captured["server"].url(BROKEN_LINK), "reason": "HTTP 404"}]
    assert result.stderr == f"sxworker: not stored: {captured['server'].url(BROKEN_LINK)}: HTTP 404\n"


def test_reparse_into_the_crawled_archive_changes_nothing(captured, tmp_path):
    archive, store = tmp_path / "same.sqlite3", tmp_path / "same-files"
    shutil.copy(captured["db"], archive)
    shutil.copytree(captured["files"], store)
    before, files, rows = stored(archive), tree(store), file_rows(archive)

    summary = reparse_json(str(captured["warc"]), "--db", str(archive), "--files-store", str(store))

    count = len(captured["server"].site.expected_articles)
    assert (summary["new"], summary["changed"], summary["unchanged"]) == (0, 0, count)
    assert (summary["files_restored"], summary["files_up_to_date"]) == (0, len(files))
    assert stored(archive) == before
    assert (tree(store), file_rows(archive)) == (files, rows)
    connection = sqlite3.connect(archive)
    assert connection.execute("select max(version), count(*) from articles").fetchone() == (1, count)
    assert connection.execute("select count(*) from article_versions").fetchone() == (0,)


def test_a_parser_fix_gives_a_new_version_only_where_the_text_changed(captured, tmp_path, monkeypatch):
    archive = tmp_path / "fixed.sqlite3"
    shutil.copy(captured["db"], archive)
    before = {(r["issue_date"], r["article_id"]): r for r in stored(archive)[0]}
    fixed = sorted(before)[:3:2]  # two articles the "fix" reads differently
    parse = sxworker.crawl.spiders.sxworker.parse_article

    def fixed_parser(*args, **kwargs):
        article = parse(*args, **kwargs)
        if (article.issue_date, article.article_id) in fixed:
            return replace(article, body=article.body + "\n（本文有更正）")
        return article

    monkeypatch.setattr(sxworker.crawl.spiders.sxworker, "parse_article", fixed_parser)
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


def test_since_and_until_limit_the_issue_dates(captured, tmp_path):
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


def test_a_killed_crawls_open_file_with_a_cut_off_record_is_read_up_to_it(captured, tmp_path):
    folder = tmp_path / "warc"
    shutil.copytree(captured["warc"], folder)
    last = sorted(folder.iterdir())[-1]
    with last.open("rb") as handle:
        archive = ArchiveIterator(handle)
        responses = []
        for record in archive:
            url = record.rec_headers.get_header("WARC-Target-URI")
            if record.rec_type == "response" and "/content/" in url:
                record.raw_stream.read()
                responses.append((archive.get_record_offset(), archive.get_record_length(), url))
    start, length, lost_url = responses[-1]
    # As a crawl killed while writing an article's record leaves its file: unfinished, the
    # record cut off at the end (each record is a gzip member of its own, so they move).
    data = last.read_bytes()
    unfinished = last.with_name(last.name + ".open")
    unfinished.write_bytes(data[:start] + data[start + length :] + data[start : start + 100])
    last.unlink()

    result = run("reparse", str(folder), "--db", str(tmp_path / "a.sqlite3"))

    assert result.exit_code == 0, result.output
    crawled = stored(captured["db"])[0]
    articles = stored(tmp_path / "a.sqlite3")[0]
    assert lost_url.endswith(".html") and "/content/" in lost_url
    assert articles == [record for record in crawled if record["url"] != lost_url]
    assert len(articles) == len(crawled) - 1
    # What the walk asked for and the captures do not hold is in the ledger, as a page the
    # crawl could not fetch is (no attempt counted: the site was not asked), so the next
    # crawl fetches it.
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        ledger = {row["url"]: row for row in archive.open_failures()}
    assert (ledger[lost_url]["kind"], ledger[lost_url]["attempts"]) == ("article", 0)
    assert ledger[lost_url]["error"] == f"NotCaptured: not in the WARC captures: {lost_url}"


def test_a_failed_article_is_reported_and_never_stored(tmp_path):
    base = "http://szb.sxworker.com"
    page = fixture_bytes("2016-article.html")
    write_captures(
        tmp_path / "warc",
        (f"{base}/content/2016-12/05/134356.html", 200, HTML, page),
        (f"{base}/content/2016-12/05/134357.html", 200, HTML, page[: len(page) // 2]),  # cut off
        (f"{base}/Img/2016/12/2016120501-1.jpg", 200, [("Content-Type", "image/jpeg")], b"\xff\xd8\xff\xe0"),
    )

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


def _cut_short(data: bytes, start: int) -> bytes:
    return data[: start + 100]


def _bit_flipped(data: bytes, start: int) -> bytes:
    flipped = bytearray(data)
    flipped[start + 2000] ^= 0xFF
    return bytes(flipped)


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("damage", [_cut_short, _bit_flipped])
def test_a_damaged_finished_file_is_one_line_exit_2_before_anything_is_written(
    tmp_path, damage, jobs, files_store
):
    base = "http://szb.sxworker.com"
    article = fixture_bytes("2016-article.html")
    # A scan that zlib decompresses block by block (warcio prints an error for each block
    # after a damaged one), between two whole articles.
    scan = b"\xff\xd8\xff" + random.Random(1).randbytes(1 << 20)
    (path,) = write_captures(
        tmp_path / "warc",
        (f"{base}/content/2016-12/05/134356.html", 200, HTML, article),
        (f"{base}/Img/2016/12/2016120503-1.jpg", 200, [("Content-Type", "image/jpeg")], scan),
        (f"{base}/content/2016-12/05/134357.html", 200, HTML, article),
    )
    starts = record_starts(path, "response")
    path.write_bytes(damage(path.read_bytes(), starts[1]))
    target = tmp_path / "a.sqlite3"

    result = run("reparse", str(tmp_path / "warc"), "--db", str(target), "--jobs", jobs)

    assert result.exit_code == 2
    assert result.output == f"sxworker: error: {path}: damaged WARC record at byte {starts[1]}\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warc"]  # no archive, lock or store


def test_without_input_or_sxworker_warc_dir_it_says_what_to_do(tmp_path):
    result = run("reparse", "--db", str(tmp_path / "a.sqlite3"), env={"SXWORKER_WARC_DIR": ""})
    assert result.exit_code == 2
    assert "name WARC files or folders, or set SXWORKER_WARC_DIR" in result.output


def test_sxworker_warc_dir_is_the_default_input(captured, tmp_path):
    result = run(
        "reparse", "--db", str(tmp_path / "a.sqlite3"), env={"SXWORKER_WARC_DIR": str(captured["warc"])}
    )
    assert result.exit_code == 0
    assert result.output.startswith(f"{len(captured['server'].site.expected_articles)} new, ")


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def test_an_error_capture_never_undoes_an_intact_stored_file(tmp_path, files_store):
    base = "http://szb.sxworker.com"
    scan = f"{base}/Img/2016/12/2016120503-1.jpg"
    article = (f"{base}/content/2016-12/05/134356.html", 200, HTML, fixture_bytes("2016-article.html"))
    write_captures(
        tmp_path / "first", article, (scan, 200, [("Content-Type", "image/jpeg")], b"\xff\xd8\xff")
    )
    write_captures(tmp_path / "later", article, (scan, 404, HTML, b"<html>gone</html>"))
    target = tmp_path / "a.sqlite3"
    reparse_json(str(tmp_path / "first"), "--db", str(target))
    before = file_rows(target)

    summary = reparse_json(str(tmp_path / "later"), "--db", str(target))

    assert (summary["files_up_to_date"], summary["files_missing"]) == (1, 0)
    assert file_rows(target) == before
    (files_store / "Img/2016/12/2016120503-1.jpg").unlink()
    summary = reparse_json(str(tmp_path / "later"), "--db", str(target))
    assert summary["files_missing"] == 1
    assert file_rows(target)[scan]["status"] == "missing"


def test_reparse_waits_for_no_crawl_it_gives_way_with_one_line(tmp_path):
    from sxworker.crawl.runlock import lock_path, run_lock

    base = "http://szb.sxworker.com"
    write_captures(
        tmp_path / "warc",
        (f"{base}/content/2016-12/05/134356.html", 200, HTML, fixture_bytes("2016-article.html")),
    )
    target = tmp_path / "a.sqlite3"
    with run_lock(lock_path(str(target))):
        result = run("reparse", str(tmp_path / "warc"), "--db", str(target))
    assert result.exit_code == 2
    assert result.output.startswith("sxworker: error: another crawl or reparse of this archive is running")
    assert result.output.count("\n") == 1
    assert not target.exists()
    # Once the other run is done, the same command goes ahead.
    assert reparse_json(str(tmp_path / "warc"), "--db", str(target))["new"] == 1


def test_the_newest_capture_of_an_article_wins_whatever_its_form(tmp_path):
    """Captured first from http, later (after the site moved) from https: the later text."""
    page = fixture_bytes("2016-article.html")
    text = page.decode("utf-8")
    first_paragraph = next(line for line in text.split("<p>")[1:] if len(line) > 10)[:6]
    edited = page.replace(first_paragraph.encode(), (first_paragraph + "更正").encode(), 1)
    assert edited != page
    write_captures(
        tmp_path / "warc",
        ("http://szb.sxworker.com/content/2016-12/05/134356.html", 200, HTML, page),
        ("https://szb.sxworker.com/content/2016-12/05/134356.html", 200, HTML, edited),
    )
    result = run("reparse", str(tmp_path / "warc"), "--db", str(tmp_path / "a.sqlite3"), "--json")
    assert json.loads(result.stdout)["new"] == 1
    (article,) = stored(tmp_path / "a.sqlite3")[0]
    assert first_paragraph + "更正" in article["body"]
    assert article["url"].startswith("https://")


def test_a_tightened_validation_rule_holds_for_the_crawl_and_the_reparse_alike(
    captured, crawl, tmp_path, monkeypatch
):
    """One rule in one place: the reparse is the crawl, so an article the crawl now refuses
    the reparse refuses too, with the same reason, and both store the same articles."""
    required = dict(sxworker.crawl.pipelines.REQUIRED)
    required[Article] = (*required[Article], "author")
    monkeypatch.setattr(sxworker.crawl.pipelines, "REQUIRED", required)
    server = captured["server"]
    dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
    anonymous = {article["url"] for article in server.site.expected_articles if not article["author"]}
    assert 0 < len(anonymous) < len(server.site.expected_articles)

    crawled = crawl(server.base_url, start=dates[0], end=dates[-1], db=tmp_path / "crawl.sqlite3")
    summary = reparse_json(str(captured["warc"]), "--db", str(tmp_path / "reparse.sqlite3"))

    assert crawled.crawler.stats.get_value("sxworker/invalid/article") == len(anonymous)
    refused = {failure["url"]: failure["reason"] for failure in summary["failures"]}
    assert refused == {
        **{url: f"invalid article at {url}: missing author" for url in anonymous},
        server.url(BROKEN_LINK): "HTTP 404",
    }
    assert stored(tmp_path / "reparse.sqlite3")[0] == stored(tmp_path / "crawl.sqlite3")[0]
    assert not anonymous & {row["url"] for row in stored(tmp_path / "reparse.sqlite3")[0]}
