"""``sxworker serve``: a real Datasette on loopback, its JSON API and a headless browser."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

from sxworker.archive.fulltext import fts_query
from sxworker.research.cli import main
from tests.research.webcheck import TITLES, UNION_TITLES, build_archive, dump_dom, require, screenshot

ROOT = Path(__file__).resolve().parents[2]

try:
    import datasette  # noqa: F401

    HAVE_DATASETTE = True
except ImportError:
    HAVE_DATASETTE = False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Server:
    def __init__(self, root: str) -> None:
        self.root = root

    def url(self, path: str, **params: str) -> str:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return f"{self.root}{urllib.parse.quote(path)}{query}"

    def get(self, path: str, **params: str):
        with urllib.request.urlopen(self.url(path, **params), timeout=30) as response:
            return json.loads(response.read().decode("utf-8"))


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """``sxworker serve`` in a subprocess on a free loopback port over a small archive."""
    require(HAVE_DATASETTE, "datasette is not installed (pip install 'sxworker[serve]')")
    folder = tmp_path_factory.mktemp("serve")
    db = build_archive(folder / "archive.sqlite3")
    before = (_digest(db), sorted(path.name for path in folder.iterdir()))
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "sxworker", "serve", "--db", str(db), "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = Server(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                pytest.fail(f"sxworker serve exited {process.returncode}: {process.stdout.read()}")
            try:
                server.get("/-/versions.json")
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    pytest.fail("sxworker serve did not answer within 60 s")
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    # Read-only: the archive file is byte for byte the same and nothing was created beside it.
    assert (_digest(db), sorted(path.name for path in folder.iterdir())) == before


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
    from sxworker.research.datasette_plugin import search_redirect, sxworker_fts
    from sxworker.research.serve import build_metadata

    assert sxworker_fts("工会") == fts_query("工会")
    assert sxworker_fts("") == '""'
    assert sxworker_fts(None) == '""'

    class FakeDatasette:
        class urls:
            @staticmethod
            def path(path: str) -> str:
                return "/" + path

        @staticmethod
        def plugin_config(name, database=None):
            return build_metadata()["databases"].get(database, {}).get("plugins", {}).get(name)

    ds = FakeDatasette()
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
