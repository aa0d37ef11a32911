"""Page scans, pictures and PDFs: downloaded through the FilesPipeline, checked, recorded."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import scrapy
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.crawl import stats as stat
from sxworker.crawl.filestore import mirrored_path, sniff
from sxworker.replica import ReplicaServer, answer
from sxworker.replica.server import fail_times
from sxworker.research.cli import main
from sxworker.site.items import Article
from tests.conftest import run_crawl

FILE_PREFIXES = ("/Img/", "/PDF/", "/pic/")
ONE_DAY = {"start": "2023-10-17", "end": "2023-10-17"}


def file_requests(requests: list[str]) -> list[str]:
    return [path for path in requests if path.startswith(FILE_PREFIXES)]


def expected_files(site, dates: set[str] | None = None) -> dict[str, dict]:
    """Every file the replica links, by URL path, with the row the archive should hold."""
    wanted: dict[str, dict] = {}

    def add(url, kind, issue_date, page_no, article_id=None):
        path = urlsplit(url).path
        body = site.resources[path].body
        wanted[path] = {
            "kind": kind,
            "path": path.lstrip("/"),
            "sha256": hashlib.sha256(body).hexdigest(),
            "bytes": len(body),
            "content_type": "application/pdf" if kind == "pdf" else "image/jpeg",
            "status": "stored",
            "error": None,
            "issue_date": issue_date,
            "page_no": page_no,
            "article_id": article_id,
        }

    for page in site.expected_pages:
        if dates is not None and page["issue_date"] not in dates:
            continue
        if page["page_image_url"]:
            add(page["page_image_url"], "scan", page["issue_date"], page["page_no"])
        if page["pdf_url"]:
            add(page["pdf_url"], "pdf", page["issue_date"], page["page_no"])
    for article in site.expected_articles:
        if dates is not None and article["issue_date"] not in dates:
            continue
        for image in article["images"]:
            add(image["url"], "image", article["issue_date"], article["page_no"], article["article_id"])
    return wanted


def rows_by_path(target) -> dict[str, dict]:
    with Archive.open_readonly(str(target)) as archive:
        rows = archive.file_rows()
    return {urlsplit(row["url"]).path: row for row in rows}


def crawl_one_day(server: ReplicaServer, tmp_path: Path, target=None, **settings: str):
    db = target or tmp_path / "archive.sqlite3"
    server.clear_requests()
    result = run_crawl(server.base_url, db, settings=settings, **ONE_DAY)
    assert result.ok, result.log[-3000:]
    return result, db, list(server.requests)


# --------------------------------------------------------------------------- a whole crawl


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """The whole replica crawled three times into one archive: fresh; again, re-fetching
    every page and article (so that every file is named again); and once more after one
    stored scan was cut short on disk and one picture deleted."""
    folder = tmp_path_factory.mktemp("files")
    db = folder / "archive.sqlite3"
    store = folder / "files"
    with ReplicaServer() as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        span = {"start": dates[0], "end": dates[-1]}
        runs = []
        for number, damage in enumerate((None, None, "damage")):
            if damage:
                scan = store / "Img/2016/12/2016120503-1.jpg"
                scan.write_bytes(scan.read_bytes()[:100])
                (store / "pic/200809/01/282046_2.jpg").unlink()
                flipped = store / "Img/1985/11/1985111501-1.jpg"  # same size, other bytes
                flipped.write_bytes(bytes(255 - byte for byte in flipped.read_bytes()))
            server.clear_requests()
            again = {"SXWORKER_REFETCH": "True"} if number else {}
            result = run_crawl(server.base_url, db, settings=again, **span)
            assert result.ok, result.log[-3000:]
            runs.append((result, list(server.requests)))
        return {"db": db, "store": store, "site": server.site, "runs": runs, "rows": rows_by_path(db)}


def test_every_file_is_stored_once_at_its_mirrored_path_and_recorded(crawled):
    site, store, rows = crawled["site"], crawled["store"], crawled["rows"]
    wanted = expected_files(site)
    assert len(wanted) == 28
    assert {row["kind"] for row in wanted.values()} == {"scan", "image", "pdf"}
    for path, row in rows.items():
        assert {name: row[name] for name in wanted[path]} == wanted[path], path
        assert row["fetched_at"].endswith("Z")
    assert set(rows) == set(wanted)
    for path in wanted:
        assert (store / path.lstrip("/")).read_bytes() == site.resources[path].body
    # Only the files themselves and nothing half-written.
    on_disk = {"/" + str(p.relative_to(store)) for p in store.rglob("*") if p.is_file()}
    assert on_disk == set(wanted)
    first, first_requests = crawled["runs"][0]
    assert sorted(file_requests(first_requests)) == sorted(wanted)  # each file once
    assert "Traceback" not in first.log
    assert first.crawler.stats.get_value(stat.FILES["stored"]) == len(wanted)


def test_a_second_crawl_downloads_no_file(crawled):
    second, requests = crawled["runs"][1]
    assert file_requests(requests) == []
    assert any("/content/" in path for path in requests)  # it did crawl
    assert second.crawler.stats.get_value(stat.FILES["uptodate"]) == 28


def test_a_file_damaged_on_disk_is_fetched_again(crawled):
    _, requests = crawled["runs"][2]
    assert sorted(file_requests(requests)) == [
        "/Img/1985/11/1985111501-1.jpg",
        "/Img/2016/12/2016120503-1.jpg",
        "/pic/200809/01/282046_2.jpg",
    ]


def test_export_lists_the_files_of_each_article_and_its_page(crawled):
    db, site = crawled["db"], crawled["site"]
    wanted = expected_files(site)
    with Archive.open_readonly(str(db)) as archive:
        records = {record["article_id"]: record for record in archive.iter_export()}
        shown = archive.articles_by_id("016201")[0]

    def entry(path):
        return {
            "url": site.base_url + path,
            "path": path.lstrip("/"),
            "sha256": wanted[path]["sha256"],
            "kind": wanted[path]["kind"],
        }

    # Page 1 of 2023-10-17: its scan, its PDF, then the article's picture.
    assert records["016201"]["files"] == [
        entry("/Img/2023/10/2023101701-1.jpg"),
        entry("/PDF/2023/10/2023101701.pdf"),
        entry("/pic/202310/17/016201_1.jpg"),
    ]
    assert shown["files"] == records["016201"]["files"]
    assert records["282046"]["files"] == [
        entry("/Img/2008/09/2008090101-1.jpg"),
        entry("/pic/200809/01/282046_1.jpg"),
        entry("/pic/200809/01/282046_2.jpg"),
    ]
    for record in records.values():
        scan = urlsplit(record["page_image_url"] or "").path
        expected = [scan] if scan in wanted else []
        if record["issue_date"] == "2023-10-17" and record["page_no"] == 1:
            expected.append("/PDF/2023/10/2023101701.pdf")
        expected += [urlsplit(image["url"]).path for image in record["images"]]
        assert [urlsplit(f["url"]).path for f in record["files"]] == expected, record["article_id"]


def test_export_with_files_links_them_beside_the_output_and_lists_them(crawled, tmp_path):
    db, store, site = crawled["db"], crawled["store"], crawled["site"]
    output = tmp_path / "out" / "articles.jsonl"
    runner = CliRunner()
    export = ["export", "--db", str(db), "--since", "2023-10-17", "-o", str(output)]
    export += ["--with-files", "--files-store", str(store)]
    result = runner.invoke(main, export)
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    listed = {f["path"]: f for record in records for f in record["files"]}
    wanted = {p.lstrip("/"): row for p, row in expected_files(site, {"2023-10-17"}).items()}
    assert set(listed) == set(wanted) and len(listed) == 7
    folder = tmp_path / "out" / "articles.jsonl.files"
    copied = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert copied == set(wanted) | {"SHA256SUMS"}
    for path, row in wanted.items():
        # Same file system: a hard link, no second copy of the bytes.
        assert (folder / path).stat().st_ino == (store / path).stat().st_ino
        assert hashlib.sha256((folder / path).read_bytes()).hexdigest() == row["sha256"]
    sums = (folder / "SHA256SUMS").read_text(encoding="utf-8").splitlines()
    assert sorted(sums) == sorted(f"{row['sha256']}  {path}" for path, row in wanted.items())
    card = Path(f"{output}.md").read_text(encoding="utf-8")
    assert "## Files" in card
    assert "`articles.jsonl.files/` holds" in card and "(4 scans, 2 pictures, 1 PDFs; 7 files" in card
    for path, row in wanted.items():
        assert f"| `{path}` | {row['kind']} | {row['bytes']} | `{row['sha256']}` |" in card

    # Exported again, the folder is replaced whole (nothing stale is left in it).
    (folder / "stale.txt").write_text("x")
    again = runner.invoke(main, export)
    assert again.exit_code == 0 and not (folder / "stale.txt").exists()
    assert not [p for p in output.parent.iterdir() if p.name.endswith(".tmp")]


def test_export_with_files_needs_an_output_file(crawled):
    result = CliRunner().invoke(main, ["export", "--db", str(crawled["db"]), "--with-files"])
    assert result.exit_code == 2
    assert "--with-files needs -o FILE" in result.output


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_csv_and_parquet_carry_files_as_json_text(crawled, tmp_path, fmt):
    if fmt == "parquet":
        pytest.importorskip("pyarrow")
    output = tmp_path / f"articles.{fmt}"
    args = ["export", "--db", str(crawled["db"]), "--format", fmt, "--since", "2023-10-17"]
    result = CliRunner().invoke(main, [*args, "--until", "2023-10-17", "-o", str(output)])
    assert result.exit_code == 0, result.output
    if fmt == "csv":
        import csv

        with output.open(encoding="utf-8-sig", newline="") as handle:
            rows = {row["article_id"]: row for row in csv.DictReader(handle)}
    else:
        import pyarrow.parquet as pq

        rows = {row["article_id"]: row for row in pq.read_table(output).to_pylist()}
    files = json.loads(rows["016201"]["files"])
    assert [f["path"] for f in files] == [
        "Img/2023/10/2023101701-1.jpg",
        "PDF/2023/10/2023101701.pdf",
        "pic/202310/17/016201_1.jpg",
    ]


# --------------------------------------------------------------------------- bad answers


def test_a_scan_that_404s_is_recorded_missing_and_its_articles_are_kept(tmp_path):
    with ReplicaServer() as server:
        server.faults["/Img/2023/10/2023101702-1.jpg"] = fail_times(100, status=404)
        result, db, requests = crawl_one_day(server, tmp_path)
    assert requests.count("/Img/2023/10/2023101702-1.jpg") == 1  # a 404 is not retried
    row = rows_by_path(db)["/Img/2023/10/2023101702-1.jpg"]
    assert (row["status"], row["error"], row["path"], row["sha256"], row["bytes"]) == (
        "missing",
        "HTTP 404",
        None,
        None,
        None,
    )
    assert (row["kind"], row["issue_date"], row["page_no"]) == ("scan", "2023-10-17", 2)
    assert not (tmp_path / "files/Img/2023/10/2023101702-1.jpg").exists()
    assert "file not stored: " in result.log and "2023101702-1.jpg: HTTP 404" in result.log
    with Archive.open_readonly(str(db)) as archive:
        page_two = [r for r in archive.iter_export() if r["page_no"] == 2]
        pages = {page["page_no"]: page for page in archive.page_rows()}
    assert page_two and all(r["files"] == [] for r in page_two)
    assert pages[2]["scan_url"].endswith("/Img/2023/10/2023101702-1.jpg")


def _as_expected(rows: dict[str, dict]) -> dict[str, dict]:
    """Rows as :func:`expected_files` gives them (without id, URL and fetch time)."""
    return {
        path: {k: v for k, v in row.items() if k not in ("id", "url", "fetched_at")}
        for path, row in rows.items()
    }


def test_a_file_the_store_cannot_take_is_a_failure_recorded_once_and_the_run_an_error(crawl, tmp_path):
    store = tmp_path / "files"  # the crawl fixture's FILES_STORE
    store.mkdir()
    # No folder can be made where a file is, root or not: every scan fails to be written.
    (store / "Img").write_bytes(b"")
    error = f"not written to FILES_STORE: [Errno 20] Not a directory: '{store}/Img/2023/10'"
    with ReplicaServer() as server:
        wanted = expected_files(server.site, {"2023-10-17"})
        scans = sorted(path for path in wanted if path.startswith("/Img/"))
        first = crawl(server.base_url, **ONE_DAY)
        unwritten = {"status": "missing", "error": error, "path": None, "sha256": None, "bytes": None}
        assert first.outcome == "error"  # scrapy crawl exits 1: cron hears of it
        stats = first.crawler.stats
        assert (stats.get_value(stat.FILES_UNWRITTEN), stats.get_value(stat.FILES["missing"])) == (4, 4)
        assert _as_expected(rows_by_path(first.db)) == {
            path: row | unwritten if path in scans else row for path, row in wanted.items()
        }
        with Archive.open_readonly(str(first.db)) as archive:
            ledger = {
                urlsplit(row["url"]).path: (row["kind"], row["error"]) for row in archive.open_failures()
            }
            run = archive.recent_runs()[0]
        assert ledger == {path: ("scan", error) for path in scans}
        assert (run["outcome"], run["message"]) == (
            "error",
            "4 files could not be written to FILES_STORE (each is in the log above and the ledger)",
        )
        # One line a file, no traceback.
        assert "Traceback" not in first.log
        said = sorted(line.split(server.base_url)[1] for line in first.log.splitlines() if error in line)
        assert said == [f"{path}: {error}" for path in scans]

        # Once the store takes them, the next run fetches them and closes the ledger.
        (store / "Img").unlink()
        second = crawl(server.base_url, **ONE_DAY)
    assert second.outcome == "ok"
    assert _as_expected(rows_by_path(second.db)) == wanted
    with Archive.open_readonly(str(second.db)) as archive:
        assert archive.open_failures() == []


def test_an_html_page_at_an_image_url_is_rejected_and_not_saved(tmp_path):
    with ReplicaServer() as server:
        error_page = "<html><body>文件不存在</body></html>".encode()
        server.faults["/pic/202310/17/016201_1.jpg"] = answer(200, error_page)
        _, db, _ = crawl_one_day(server, tmp_path)
    row = rows_by_path(db)["/pic/202310/17/016201_1.jpg"]
    assert (row["status"], row["path"], row["content_type"], row["article_id"]) == (
        "rejected",
        None,
        "text/html",
        "016201",
    )
    assert row["error"] == "not an image: Content-Type text/html, starts b'<html><body>\\xe6\\x96\\x87\\xe4'"
    assert not (tmp_path / "files/pic/202310/17/016201_1.jpg").exists()
    assert rows_by_path(db)["/Img/2023/10/2023101701-1.jpg"]["status"] == "stored"


def test_a_picture_that_redirects_is_followed_and_stored_under_its_own_url(tmp_path):
    picture, moved = "/pic/202310/17/016201_1.jpg", "/pic/moved/016201_1.jpg"
    with ReplicaServer() as server:
        jpeg = server.site.resources[picture].body
        server.faults[picture] = answer(301, headers={"Location": server.url(moved)})
        server.faults[moved] = answer(200, jpeg, content_type="image/jpeg")
        _, db, requests = crawl_one_day(server, tmp_path)
    assert picture in requests and moved in requests
    row = rows_by_path(db)[picture]
    assert (row["status"], row["path"], row["sha256"]) == (
        "stored",
        picture.lstrip("/"),
        hashlib.sha256(jpeg).hexdigest(),
    )
    assert (tmp_path / "files" / picture.lstrip("/")).read_bytes() == jpeg


def _short_body(body: bytes, times: int = 1):
    """Promise the whole body (Content-Length), send half, hang up — the first `times` times."""
    lock = threading.Lock()
    left = [times]

    def hook(handler) -> bool:
        with lock:
            if left[0] <= 0:
                return False
            left[0] -= 1
        handler.send_response(200)
        handler.send_header("Content-Type", "image/jpeg")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: len(body) // 2])
        handler.wfile.flush()
        handler.close_connection = True
        return True

    return hook


def test_a_truncated_download_is_detected_by_its_length_and_retried(tmp_path):
    path = "/Img/2023/10/2023101703-1.jpg"
    with ReplicaServer() as server:
        body = server.site.resources[path].body
        server.faults[path] = _short_body(body)
        _, db, requests = crawl_one_day(server, tmp_path)
    assert requests.count(path) == 2
    row = rows_by_path(db)[path]
    assert (row["status"], row["bytes"], row["sha256"]) == (
        "stored",
        len(body),
        hashlib.sha256(body).hexdigest(),
    )
    assert (tmp_path / "files" / path.lstrip("/")).read_bytes() == body


def test_a_file_cut_short_on_every_try_is_recorded_missing(tmp_path):
    path = "/PDF/2023/10/2023101701.pdf"
    with ReplicaServer() as server:
        body = server.site.resources[path].body
        server.faults[path] = _short_body(body, times=100)
        result, db, requests = crawl_one_day(server, tmp_path, RETRY_TIMES="2")
    assert requests.count(path) == 3
    row = rows_by_path(db)[path]
    assert row["status"] == "missing" and row["path"] is None and row["error"]
    assert not (tmp_path / "files" / path.lstrip("/")).exists()
    assert "Traceback" not in result.log


# --------------------------------------------------------------------------- odd URLs


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("http://h/Img/2016/12/2016120503-1.jpg", "Img/2016/12/2016120503-1.jpg"),
        ("http://h/pic/../../../etc/passwd", "pic/etc/passwd"),
        ("http://h/pic/..%2F..%2F..%2Fescape.jpg", "pic/escape.jpg"),
        ("http://h/pic/%2e%2e/%2E%2E/escape.jpg", "pic/escape.jpg"),
        ("http://h/pic/..%5C..%5Cescape.jpg", "pic/escape.jpg"),
        ("http://h/%2Fetc%2Fescape.jpg", "etc/escape.jpg"),
        ("http://h/pic/.hidden.jpg", "pic/_hidden-45dc1eff.jpg"),
        ("http://h/pic/a%20b%3C%3E%3A%7C%2A%00c.jpg", "pic/a_b______c-4a5635cf.jpg"),
        # Names that read the same once made safe stay apart.
        ("http://h/pic/a%20b.jpg", "pic/a_b-5e30dffb.jpg"),
        ("http://h/pic/a%2Bb.jpg", "pic/a_b-1f1e97f2.jpg"),
        ("http://h/pic/a_b.jpg", "pic/a_b.jpg"),
        ("http://h/pic/图片.jpg", "pic/图片.jpg"),
        ("http://h/", "index"),
        ("http://h/Img/show.aspx?id=7", "Img/show-c53d0f057f.aspx"),
    ],
)
def test_file_paths_mirror_the_url_and_never_leave_the_store(url, path):
    assert mirrored_path(url) == path


def test_magic_bytes_decide_what_a_file_is():
    assert sniff(b"\xff\xd8\xff\xe0rest") == "image/jpeg"
    assert sniff(b"\x89PNG\r\n\x1a\nrest") == "image/png"
    assert sniff(b"GIF89a") == "image/gif"
    assert sniff(b"RIFF\x00\x00\x00\x00WEBPVP8 ") == "image/webp"
    assert sniff(b"\r\n%PDF-1.4") == "application/pdf"
    assert sniff(b"<!DOCTYPE html>") is None
    assert sniff(b"") is None


class Crafted(scrapy.Spider):
    """Yields articles whose picture URLs try to climb out of the files store."""

    name = "crafted"

    def __init__(self, base: str, paths: list[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.base, self.paths = base, paths

    async def start(self):
        yield scrapy.Request(self.base + "/robots.txt", callback=self.parse, dont_filter=True)

    def parse(self, response):
        for number, path in enumerate(self.paths):
            article_id = f"9{number:05d}"
            yield Article(
                article_id=article_id,
                url=f"{self.base}/content/2023-10/17/{article_id}.html",
                issue_date="2023-10-17",
                title="crafted",
                body="crafted",
                images=[{"url": self.base + path, "caption": None}],
            )


def test_a_crafted_item_never_writes_outside_the_store(tmp_path):
    paths = [
        "/pic/../../../escape1.jpg",
        "/pic/..%2F..%2F..%2Fescape2.jpg",
        "/pic/%2E%2E/%2E%2E/%2E%2E/escape3.jpg",
        "/pic/..%5C..%5C..%5Cescape4.jpg",
        "/%2F..%2F..%2Fescape5.jpg",
        "/pic/.%2E/escape6%20%3C%3E%3A.jpg",
    ]
    store = tmp_path / "deep" / "er" / "files"
    with ReplicaServer() as server:
        jpeg = server.site.resources["/Img/2023/10/2023101701-1.jpg"].body

        def any_escape(handler) -> bool:
            if "escape" not in handler.path:
                return False
            handler.send_response(200)
            handler.send_header("Content-Type", "image/jpeg")
            handler.send_header("Content-Length", str(len(jpeg)))
            handler.end_headers()
            handler.wfile.write(jpeg)
            return True

        server.faults["*"] = any_escape
        db = tmp_path / "deep" / "archive.sqlite3"
        # Another spider with the project's settings, as ``scrapy runspider`` would run it.
        result = run_crawl(
            server.base_url,
            db,
            settings={"FILES_STORE": str(store)},
            spider=Crafted,
            base=server.base_url,
            paths=paths,
        )
        assert result.crawler.stats.get_value("finish_reason") == "finished", result.log[-3000:]
        fetched = [path for path in server.requests if "escape" in path]
    assert len(fetched) == len(paths)
    rows = Archive.open_readonly(str(db)).file_rows()
    assert len(rows) == len(paths) and {row["status"] for row in rows} == {"stored"}
    written = [p for p in tmp_path.rglob("*escape*") if p.is_file()]
    assert len(written) == len(paths)
    for file in written:
        assert store.resolve() in file.resolve().parents
    for row in rows:
        assert (store / row["path"]).is_file() and ".." not in row["path"].split("/")


# --------------------------------------------------------------------------- settings


@pytest.mark.parametrize(
    ("setting", "kind", "prefix"),
    [
        ("SXWORKER_FILES_SCANS", "scan", "/Img/"),
        ("SXWORKER_FILES_IMAGES", "image", "/pic/"),
        ("SXWORKER_FILES_PDFS", "pdf", "/PDF/"),
    ],
)
def test_a_setting_turns_each_kind_off(tmp_path, setting, kind, prefix):
    with ReplicaServer() as server:
        wanted = expected_files(server.site, {"2023-10-17"})
        _, db, requests = crawl_one_day(server, tmp_path, **{setting: "False"})
    rows = rows_by_path(db)
    assert not [path for path in file_requests(requests) if path.startswith(prefix)]
    assert set(rows) == {path for path, row in wanted.items() if row["kind"] != kind}
    assert {row["status"] for row in rows.values()} == {"stored"}


def test_all_kinds_off_fetches_no_file(tmp_path):
    with ReplicaServer() as server:
        off = {
            name: "False" for name in ("SXWORKER_FILES_SCANS", "SXWORKER_FILES_IMAGES", "SXWORKER_FILES_PDFS")
        }
        _, db, requests = crawl_one_day(server, tmp_path, **off)
        articles = [a for a in server.site.expected_articles if a["issue_date"] == "2023-10-17"]
    assert file_requests(requests) == []
    assert rows_by_path(db) == {}
    with Archive.open_readonly(str(db)) as archive:
        assert len(list(archive.iter_export())) == len(articles) == 9


# --------------------------------------------------------------------------- both backends


def test_files_are_recorded_in_either_backend(tmp_path, db_target):
    with ReplicaServer() as server:
        wanted = expected_files(server.site, {"2023-10-17"})
        crawl_one_day(server, tmp_path, target=db_target)
        crawl_one_day(server, tmp_path, target=db_target)  # nothing to fetch, nothing changes
    rows = rows_by_path(db_target)
    assert set(rows) == set(wanted)
    for path, row in rows.items():
        assert {name: row[name] for name in wanted[path]} == wanted[path]


def test_store_files_replaces_an_outcome_and_keeps_known_links(db_target):
    url = "http://h/Img/2023/10/2023101702-1.jpg"
    with Archive.open(db_target) as archive:
        archive.store_files(
            [
                {
                    "url": url,
                    "kind": "scan",
                    "status": "missing",
                    "error": "HTTP 404",
                    "issue_date": "2023-10-17",
                    "page_no": 2,
                }
            ],
            fetched_at="2026-01-01T00:00:00Z",
        )
        archive.store_files(
            [
                {
                    "url": url,
                    "kind": "scan",
                    "status": "stored",
                    "path": "Img/x.jpg",
                    "sha256": "ab" * 32,
                    "bytes": 9,
                },
                {
                    "url": url,
                    "kind": "scan",
                    "status": "stored",
                    "path": "Img/x.jpg",
                    "sha256": "cd" * 32,
                    "bytes": 9,
                },
            ],
            fetched_at="2026-01-02T00:00:00Z",
        )
        row = archive.stored_file(url)
    assert row is not None
    assert (row["status"], row["error"], row["sha256"], row["bytes"]) == ("stored", None, "cd" * 32, 9)
    assert (row["issue_date"], row["page_no"], row["fetched_at"]) == ("2023-10-17", 2, "2026-01-02T00:00:00Z")


def test_a_file_met_again_under_a_new_host_or_scheme_is_not_fetched_again(
    tmp_path, component_crawler, monkeypatch
):
    """The site moves to https (or a mirror): the scans already kept are the same files."""
    from scrapy import Request, Spider

    from sxworker.crawl.filestore import ArchiveFilesPipeline
    from sxworker.crawl.pipelines import StorePipeline

    db, store = str(tmp_path / "archive.sqlite3"), tmp_path / "files"
    body = b"\xff\xd8\xff\xe0 a scan"
    (store / "Img/2016/12").mkdir(parents=True)
    (store / "Img/2016/12/2016120503-1.jpg").write_bytes(body)
    old, new = (
        "http://szb.sxworker.com/Img/2016/12/2016120503-1.jpg",
        "https://szb.sxworker.com/Img/2016/12/2016120503-1.jpg",
    )
    with Archive.open(db) as archive:
        archive.store_files(
            [
                {
                    "url": old,
                    "kind": "scan",
                    "path": "Img/2016/12/2016120503-1.jpg",
                    "sha256": hashlib.sha256(body).hexdigest(),
                    "bytes": len(body),
                    "content_type": "image/jpeg",
                    "status": "stored",
                    "issue_date": "2016-12-05",
                    "page_no": 3,
                }
            ]
        )
    crawler = component_crawler(SXWORKER_DB=db, FILES_STORE=str(store))
    crawler.spider = Spider.from_crawler(crawler, "files-test")
    # In a crawl the files pipeline finds the store through Scrapy's Crawler.get_item_pipeline.
    records = StorePipeline.from_crawler(crawler)
    monkeypatch.setattr(crawler, "get_item_pipeline", lambda cls: records if cls is StorePipeline else None)
    records.open_spider()
    pipeline = ArchiveFilesPipeline.from_crawler(crawler)
    pipeline.open_spider()
    result = pipeline.media_to_download(Request(new), info=None)
    records.close_spider()
    assert result == {
        "url": new,
        "path": "Img/2016/12/2016120503-1.jpg",
        "checksum": hashlib.sha256(body).hexdigest(),
        "status": "uptodate",
    }
    rows = {row["url"]: row for row in Archive.open_readonly(db).file_rows()}
    assert set(rows) == {old, new}
    assert (rows[new]["status"], rows[new]["path"], rows[new]["sha256"]) == (
        "stored",
        "Img/2016/12/2016120503-1.jpg",
        hashlib.sha256(body).hexdigest(),
    )
