"""``sxworker serve``: a real Datasette on loopback, its JSON API and a headless browser."""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import Message
from pathlib import Path

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive, ArchiveError
from sxworker.archive.fulltext import fts_query
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.archive.test_migrations import make_pre_alembic_archive
from tests.research.webcheck import TITLES, UNION_TITLES, build_archive, dump_dom, require, screenshot

ROOT = Path(__file__).resolve().parents[2]

try:
    import datasette  # noqa: F401

    HAVE_DATASETTE = True
except ImportError:
    HAVE_DATASETTE = False


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Server:
    def __init__(self, root: str, log: Path) -> None:
        self.root = root
        self.log = log  # what sxworker serve printed, stdout and stderr

    def url(self, path: str, **params: str) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.root}{urllib.parse.quote(path, safe='/?=&%+')}{query}"

    def get(self, path: str, **params: str):
        with urllib.request.urlopen(self.url(path, **params), timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))

    def request(
        self, path: str, *, method: str = "GET", body: dict | None = None, **params: str
    ) -> tuple[int, Message, str]:
        """Status, headers and text of one request, redirects not followed; ``path`` may
        be a Location answered before (its query already encoded)."""
        request = urllib.request.Request(
            self.url(path, **params),
            method=method,
            data=None if body is None else json.dumps(body).encode("utf-8"),
            headers={} if body is None else {"Content-Type": "application/json"},
        )
        try:
            with urllib.request.build_opener(_NoRedirect).open(request, timeout=30) as response:
                return response.status, response.headers, response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode("utf-8")


def _serve(db: Path, log: Path, *args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_")}
    with log.open("w", encoding="utf-8") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "sxworker", "serve", "--db", str(db), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )


@contextmanager
def serving(db: Path, log: Path) -> Iterator[Server]:
    """``sxworker serve`` in a subprocess on a port the system picks (``--port 0``), until
    the block ends; the address is the one its "serving … at" line names."""
    require(HAVE_DATASETTE, "datasette is not installed (pip install 'sxworker[serve]')")
    process = _serve(db, log, "--port", "0")
    try:
        deadline = time.monotonic() + 60
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+)/archive", log.read_text("utf-8"))):
            if process.poll() is not None:
                pytest.fail(f"sxworker serve exited {process.returncode}: {log.read_text('utf-8')}")
            if time.monotonic() > deadline:
                pytest.fail("sxworker serve did not say where it serves within 60 s")
            time.sleep(0.2)
        server = Server(found.group(1), log)
        server.get("/-/versions.json")  # listening already when it says so
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _beside(db: Path) -> dict[str, int]:
    """The files in the archive's folder but the archive itself, with their sizes."""
    return {path.name: path.stat().st_size for path in db.parent.iterdir() if path != db}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``sxworker serve`` in a subprocess over a small archive."""
    folder = tmp_path_factory.mktemp("serve")
    db = build_archive(folder / "archive.sqlite3")
    before = _digest(db)
    with serving(db, tmp_path_factory.mktemp("log") / "serve.log") as server:
        yield server
    # Read-only: the archive file is byte for byte the same; beside it only the log and its
    # index SQLite keeps for every reader, the log empty (no page was written).
    assert _digest(db) == before
    beside = _beside(db)
    assert set(beside) <= {f"{db.name}-shm", f"{db.name}-wal"}
    assert beside.get(f"{db.name}-wal", 0) == 0


def test_articles_table_lists_known_titles(served):
    rows = served.get("/archive/articles.json", _shape="array", _size="max")
    assert {row["title"] for row in rows} == set(TITLES)
    # Sorted by issue date (metadata), Chinese as characters.
    assert [row["issue_date"] for row in rows] == sorted(row["issue_date"] for row in rows)


def test_metadata_describes_columns_and_facets(served):
    metadata = served.get("/-/metadata.json")
    articles = metadata["databases"]["archive"]["tables"]["articles"]
    assert "版次" in articles["columns"]["page_no"]
    assert articles["sort"] == "issue_date"
    table = served.get("/archive/articles.json")
    assert {"page_name", "author"} <= set(table["facet_results"])
    # Every table of the archive is described, column by column.
    tables = metadata["databases"]["archive"]["tables"]
    for name in ("files", "failures", "crawl_runs"):
        served.get(f"/archive/{name}.json")  # the table exists and is browsable
        assert tables[name]["description"] and tables[name]["columns"]
    assert set(tables["files"]["facets"]) == {"kind", "status"}


def test_search_query_finds_chinese_words(served):
    hits = served.get("/archive/search.json", q="工会", _shape="array")
    titles = {hit["title"] for hit in hits}
    assert titles >= UNION_TITLES
    assert "秋色" not in titles
    assert set(hits[0]) == {"article_id", "issue_date", "page_no", "page_name", "title", "author", "excerpt"}
    one_character = served.get("/archive/search.json", q="党", _shape="array")
    assert "党的建设进车间" in {hit["title"] for hit in one_character}
    both = served.get("/archive/search.json", q="工会 秋收", _shape="array")
    assert [hit["title"] for hit in both] == ["秋收时节的工会身影"]


def test_search_syntax_is_literal_and_empty_query_finds_nothing(served):
    assert served.get("/archive/search.json", q='"工会" AND (劳模* OR', _shape="array") == []
    assert served.get("/archive/search.json", q="", _shape="array") == []
    assert served.get("/archive/search.json", q="（）“”", _shape="array") == []


def test_table_search_box_leads_to_the_search_query(served):
    hits = served.get("/archive/articles.json", _search="工会", _shape="array")
    assert {hit["title"] for hit in hits} >= UNION_TITLES


def test_browser_finds_a_title_on_the_search_page(served, tmp_path):
    url = served.url("/archive/search", q="工会")
    dom = dump_dom(url, tmp_path / "profile")
    assert "秋收时节的工会身影" in dom
    assert "省总工会召开第七次职工代表大会" in dom
    png = screenshot(url, tmp_path / "serve-search.png", tmp_path / "profile")
    assert png.stat().st_size > 10_000


def test_serve_refuses_a_missing_archive(tmp_path):
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "nope.sqlite3")])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no archive" in result.output


def test_serve_without_datasette_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "datasette", None)
    result = CliRunner().invoke(main, ["serve", "--db", str(tmp_path / "a.sqlite3")])
    assert result.exit_code == 2
    assert "pip install 'sxworker[serve]'" in result.output


def test_fts_function_and_redirect_rules():
    require(HAVE_DATASETTE, "datasette is not installed")
    from sxworker.research.datasette_plugin import refused_query, search_redirect, sxworker_fts
    from sxworker.research.serve import build_metadata

    assert sxworker_fts("工会") == fts_query("工会")
    assert sxworker_fts("") == '""'
    assert sxworker_fts(None) == '""'
    with pytest.raises(ArchiveError, match="too many words"):
        sxworker_fts(" ".join(["工"] * 17))  # any SQL that searches is capped, not only the canned query

    class FakeDatasette:
        class urls:
            @staticmethod
            def path(path: str) -> str:
                return "/" + path

        @staticmethod
        def plugin_config(name, database=None):
            return build_metadata()["databases"].get(database, {}).get("plugins", {}).get(name)

        @staticmethod
        def metadata(key, database=None, fallback=True):
            return build_metadata()["databases"].get(database, {}).get(key)

    ds = FakeDatasette()
    assert search_redirect(ds, "/archive/articles_fts", "") == "/archive/search"
    row = search_redirect(ds, "/archive/articles_fts/7.json", "_shape=array")
    assert row == "/archive/search.json?_shape=array"
    many = "q=" + "+".join(["x"] * 17)
    assert refused_query(ds, "/archive/search.json", many) == "query has too many words: 17 (at most 16)"
    assert refused_query(ds, "/archive/search", "q=x") is None
    assert refused_query(ds, "/archive/articles_per_year", many) is None  # searches nothing
    target = search_redirect(ds, "/archive/articles", "_search=%E5%B7%A5%E4%BC%9A&_size=5")
    assert target == "/archive/search?q=%E5%B7%A5%E4%BC%9A&_size=5"
    assert search_redirect(ds, "/archive/articles.json", "_search=x").startswith("/archive/search.json?")
    assert search_redirect(ds, "/archive/articles", "_size=5") is None
    assert search_redirect(ds, "/other/articles", "_search=x") is None
    assert search_redirect(ds, "/archive/pages", "_search=x") is None


def test_serve_refuses_a_file_that_is_not_an_archive(tmp_path):
    require(HAVE_DATASETTE, "datasette is not installed")
    text = tmp_path / "notes.sqlite3"
    text.write_text("hello", encoding="utf-8")
    result = CliRunner().invoke(main, ["serve", "--db", str(text)])
    assert result.exit_code == 2 and "not an SQLite archive" in result.output
    other = tmp_path / "other.sqlite3"
    sqlite3.connect(other).execute("create table t (x)").connection.close()
    result = CliRunner().invoke(main, ["serve", "--db", str(other)])
    assert result.exit_code == 2 and "not an sxworker archive" in result.output


# -- the archive as it is now: what stats shows, schemas refused as stats refuses them (issue 12)

# A crawl killed (kill -9) after it committed: its pages are in the write-ahead log, never
# copied into the file (no checkpoint: nothing was closed).
KILLED_CRAWL = """
import json, os, sys
from sxworker.archive import Archive
rows = json.loads(sys.argv[2])
archive = Archive.open(sys.argv[1])
archive.store_issues(rows["issues"])
archive.store_pages(rows["pages"])
archive.store_articles(rows["articles"])
os._exit(0)
"""

NEW_TITLES = ["职工书屋建到车间", "工会送清凉到一线"]


def _kill_a_crawl_after_it_wrote(db: Path) -> None:
    date, base = "2024-07-01", "http://szb.sxworker.com/html/2024-07/01"
    rows = {
        "issues": [{"issue_date": date, "url": f"{base}/node_1.htm", "page_count": 1}],
        "pages": [{"issue_date": date, "page_no": 1, "page_label": "1", "page_name": "头版",
                   "url": f"{base}/node_1.htm", "article_count": 2}],
        "articles": [article(f"20000{n}", date, title=title, page_no=1, page_label="1", page_name="头版")
                     for n, title in enumerate(NEW_TITLES)],
    }  # fmt: skip
    subprocess.run(
        [sys.executable, "-c", KILLED_CRAWL, str(db), json.dumps(rows, ensure_ascii=False)],
        cwd=ROOT,
        check=True,
        timeout=60,
    )
    assert Path(f"{db}-wal").stat().st_size > 0, "the test needs pages left in the write-ahead log"


def _stats(db: Path) -> dict:
    result = CliRunner().invoke(main, ["stats", "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_serve_shows_what_stats_shows_after_a_crawl_was_killed(tmp_path):
    db = build_archive(tmp_path / "archive.sqlite3")
    _kill_a_crawl_after_it_wrote(db)
    stats = _stats(db)
    assert stats["articles"] == len(TITLES) + len(NEW_TITLES)
    with serving(db, tmp_path / "serve.log") as server:
        counts = {table["name"]: table["count"] for table in server.get("/archive.json")["tables"]}
        assert {name: counts[name] for name in ("issues", "pages", "articles")} == {
            name: stats[name] for name in ("issues", "pages", "articles")
        }
        rows = server.get("/archive/articles.json", _shape="array", _size="max")
        assert {row["title"] for row in rows} == {*TITLES, *NEW_TITLES}
        hits = server.get("/archive/search.json", q="职工书屋", _shape="array")
        assert [hit["title"] for hit in hits] == ["职工书屋建到车间"]
        assert f"({stats['articles']} articles, {stats['issues']} issues)" in server.log.read_text("utf-8")


def _serve_refused(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``sxworker serve`` that must end by itself, refusing: it is killed after 60 s."""
    require(HAVE_DATASETTE, "datasette is not installed")
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_")}
    command = [sys.executable, "-m", "sxworker", "serve", "--db", str(db), *args]
    try:
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("sxworker serve did not refuse: it was still running after 60 s")


def _stamp_a_newer_schema(db: Path) -> None:
    Archive.open(str(db)).close()
    connection = sqlite3.connect(db)
    with connection:
        connection.execute("update alembic_version set version_num = '9999_future'")
    connection.close()


@pytest.mark.parametrize(
    "make",
    [lambda db: make_pre_alembic_archive(str(db)), _stamp_a_newer_schema],
    ids=["older", "newer"],
)
def test_serve_refuses_an_older_or_newer_schema_as_stats_does(tmp_path, make):
    db = tmp_path / "archive.sqlite3"
    make(db)
    stats = CliRunner().invoke(main, ["stats", "--db", str(db)])
    assert stats.exit_code == 2 and "schema" in stats.output
    refused = _serve_refused(db, "--port", "0")
    assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", stats.output)


# -- one line, exit status 2, before "serving … at" (issue 12) ---------------------------------


def test_serve_refuses_a_truncated_archive_in_one_line(tmp_path):
    whole = build_archive(tmp_path / "whole" / "archive.sqlite3").read_bytes()
    half = tmp_path / "half.sqlite3"
    half.write_bytes(whole[: len(whole) // 2])
    stats = CliRunner().invoke(main, ["stats", "--db", str(half)])
    assert stats.exit_code == 2
    refused = _serve_refused(half, "--port", "0")
    assert (refused.returncode, refused.stdout, refused.stderr) == (2, "", stats.output)
    assert refused.stderr.count("\n") == 1 and refused.stderr.startswith("sxworker: error: ")


def test_serve_refuses_a_busy_port_before_claiming_to_serve(tmp_path):
    db = build_archive(tmp_path / "archive.sqlite3")
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        refused = _serve_refused(db, "--port", str(port))
    assert (refused.returncode, refused.stdout, refused.stderr) == (
        2,
        "",
        f"sxworker: error: cannot listen on 127.0.0.1:{port}: Address already in use\n",
    )


# -- Datasette answers what it should, and says nothing it should not (issue 12) ---------------


def test_the_index_table_leads_to_the_search_query(served):
    status, headers, _ = served.request("/archive/articles_fts")
    assert (status, headers["location"]) == (302, "/archive/search")
    status, headers, _ = served.request("/archive/articles_fts.json", _search="工会", _shape="array")
    assert (status, headers["location"]) == (302, "/archive/search.json?q=%E5%B7%A5%E4%BC%9A&_shape=array")
    with urllib.request.urlopen(served.url("/archive/articles_fts"), timeout=30) as page:
        assert page.status == 200 and "全文检索" in page.read().decode("utf-8")
    hits = served.get("/archive/articles_fts.json", _search="工会", _shape="array")
    assert {hit["title"] for hit in hits} >= UNION_TITLES
    # Not listed among the tables (its rows cannot be read): nothing to count, nothing to fail.
    assert "articles_fts" not in {table["name"] for table in served.get("/archive.json")["tables"]}


def test_pages_print_no_errors(served):
    for path in ("/", "/archive", "/archive.json", "/archive/articles_fts", "/archive/articles"):
        assert served.request(path)[0] in (200, 302), path
    log = served.log.read_text("utf-8")
    assert "ERROR" not in log and "Traceback" not in log, log


def test_writes_are_forbidden_and_unknown_pages_are_not_found(served):
    row = {"row": {"article_id": "999999", "title": "x"}}
    for path in ("/archive/articles/-/insert", "/archive/articles", "/archive/-/create"):
        status, _, text = served.request(path, method="POST", body=row)
        assert (status, json.loads(text)["error"]) == (403, "this archive is served read-only"), path
    assert served.request("/archive/articles/-/insert")[0] == 404
    assert served.request("/archive/articles/-/nothing/here.json")[0] == 404
    assert len(served.get("/archive/articles.json", _shape="array", _size="max")) == len(TITLES)


def test_search_query_too_large_is_refused_in_one_line(served):
    status, _, text = served.request("/archive/search.json", q=" ".join(["工"] * 17))
    assert (status, json.loads(text)["error"]) == (400, "query has too many words: 17 (at most 16)")
    status, _, text = served.request("/archive/search", q="工" * 201)
    assert status == 400 and "query too long: 201 characters (at most 200)" in text
    # The table search box leads there too; a query at the limits is answered.
    status, headers, _ = served.request("/archive/articles", _search=" ".join(["工"] * 17))
    assert status == 302 and served.request(headers["location"])[0] == 400
    at_limits = served.get("/archive/search.json", q=" ".join(["工会"] * 16), _shape="array")
    assert {hit["title"] for hit in at_limits} >= UNION_TITLES
