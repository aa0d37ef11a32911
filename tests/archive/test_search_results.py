"""Search finds the same articles in the same order whatever the full-text index's design:
the results of 1-, 2-, 3- and 4-character, multi-word, Latin and literal-syntax queries,
ranked and newest first, with and without dates, on the bundled replica (10 extra issues,
428 articles), compared with those recorded before the index was redesigned (issue 13;
``search_results.json``, written by the design of migration 0003)."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sxworker.archive import Archive, articles, engines, migrate
from sxworker.archive.fulltext import _CJK, fts_bigrams, fts_text
from sxworker.archive.trends import trend
from sxworker.replica.site import build_site

RECORDED = Path(__file__).with_name("search_results.json")
SITE = "http://szb.sxworker.com"

QUERIES = [
    "党",
    "工",
    "矿",
    "的",
    "Z",
    "工会",
    "劳模",
    "安全",
    "帮扶",
    "会职",
    "会职工",
    "工会职工",
    "职工代表",
    "安全生产",
    "人人有责",
    "劳动竞赛",
    "工会 职工",
    "安全 生产",
    "帮扶 困难 职工",
    "职工代表 劳模",
    "5000",
    "120 工会",
    "2006",
    "17工",
    '"工会"',
    "工会（",
    "AND",
    "火箭",
]
# (since, until): none, one bound each, a span inside the extra issues.
DATES = [(None, None), ("2024-01-01", None), (None, "2016-12-31"), ("2024-02-01", "2024-03-15")]


def replica_rows() -> list[dict[str, Any]]:
    return build_site(SITE, extra_issues=10).expected_articles


def results(archive: Archive) -> dict[str, Any]:
    """Per query, order and dates: the hits as (issue date, id, score) and the order shown."""
    found: dict[str, Any] = {}
    for query in QUERIES:
        for order in ("relevance", "date"):
            for since, until in DATES:
                # Newest first, every match of the whole archive: the sets a count must give.
                limit = 1000 if (order, since, until) == ("date", None, None) else 20
                got = archive.search(query, limit=limit, since=since, until=until, order=order)
                hits = [[hit.issue_date, hit.article_id, round(hit.score, 4)] for hit in got.hits]
                found[f"{query}|{order}|{since}|{until}"] = {"order": got.order, "hits": hits}
    return found


@pytest.fixture(scope="module")
def replica_archive(tmp_path_factory) -> Archive:
    path = tmp_path_factory.mktemp("replica") / "archive.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles(replica_rows())
    with Archive.open_readonly(str(path)) as archive:
        yield archive


def test_search_finds_what_it_found_before_in_the_same_order(replica_archive):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    now = results(replica_archive)
    assert list(now) == list(recorded)
    for case, expected in recorded.items():
        assert now[case] == expected, case


def test_trend_counts_equal_search_counts_on_the_replica(replica_archive):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    for query in ("党", "工会", "人人有责", "工会 职工", "5000"):
        counted = {row.period: row.articles for row in trend(replica_archive.engine, [query]) if row.articles}
        hits = recorded[f"{query}|date|None|None"]["hits"]
        years: dict[str, int] = {}
        for issue_date, _, _ in hits:
            years[issue_date[:4]] = years.get(issue_date[:4], 0) + 1
        assert counted == years, query


def _fts_sql(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT sql FROM sqlite_master WHERE name = 'articles_fts'").fetchone()[0]
    finally:
        connection.close()


def _count(path: Path, match: str) -> int:
    connection = sqlite3.connect(path)
    try:
        query = "SELECT count(*) FROM articles_fts WHERE articles_fts MATCH ?"
        return connection.execute(query, (match,)).fetchone()[0]
    finally:
        connection.close()


def test_an_archive_at_0005_upgrades_and_searches_as_before_and_downgrades(tmp_path):
    recorded = json.loads(RECORDED.read_text(encoding="utf-8"))
    # Stored and indexed at 0005 (0003's index, split by unicode61), then opened by this sxworker.
    path = tmp_path / "old.sqlite3"
    engine = engines.writable_engine(engines.database_url(str(path)))
    migrate.upgrade(engine, "0005")
    with engine.begin() as conn:
        # Today's store also writes revision 0009's column: here as an upgrade interrupted
        # after its DDL would leave it (0009 then adds only what is missing).
        conn.exec_driver_sql("ALTER TABLE articles ADD COLUMN filled INTEGER")
        articles.store_batch(conn, articles.batch_of(replica_rows(), "2026-11-30T00:00:00Z"))
    assert "tokenize" not in _fts_sql(path)
    Archive.open(str(path)).close()
    assert "tokenize='ascii'" in _fts_sql(path)
    with Archive.open_readonly(str(path)) as archive:
        assert results(archive) == recorded
    # Back at 0006, the index is unicode61's again and holds the same tokens.
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(connection=conn), "0006")
    engine.dispose()
    assert "tokenize='unicode61'" in _fts_sql(path)
    assert _count(path, "工会") == len(recorded["工会|date|None|None"]["hits"]) == 406


_KILLED_WRITER = """
import json, os, sys
from sxworker.archive import Archive, articles

archive = Archive.open(sys.argv[1])
rows = json.loads(open(sys.argv[2], encoding="utf-8").read())
original = articles._index


def index_then_die(conn, batch):
    original(conn, batch)
    os._exit(9)  # killed once its index rows are written, before the batch commits


articles._index = index_then_die
archive.store_articles(rows)
"""


def test_a_writer_killed_in_a_batch_leaves_rows_and_index_as_they_were(tmp_path):
    # The index is written in the batch's own transaction: a writer killed before it commits
    # leaves neither the rows nor their index entries.
    path, batch = tmp_path / "archive.sqlite3", tmp_path / "batch.json"
    rows = replica_rows()
    with Archive.open(str(path)) as archive:
        archive.store_articles(rows[:20])
        before = archive.search("工会", limit=1000, order="date").hits
    batch.write_text(json.dumps(rows[20:60], ensure_ascii=False), encoding="utf-8")
    writer = subprocess.run(
        [sys.executable, "-c", _KILLED_WRITER, str(path), str(batch)], capture_output=True, text=True
    )
    assert writer.returncode == 9, writer.stderr
    with Archive.open(str(path)) as archive:
        assert archive.counts()["articles"] == 20
        assert archive.search("工会", limit=1000, order="date").hits == before
        with archive.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM articles_fts_docsize").scalar_one() == 20


# The forms as 0003's code made them, for unicode61 to split.
_OLD_CJK = re.compile(f"([{_CJK}])")
_OLD_RUN = re.compile(f"[{_CJK}]+")


def _old_text(value: str | None) -> str:
    return _OLD_CJK.sub(r" \1 ", value) if value else ""


def _old_bigrams(value: str | None) -> str:
    def pairs(run: re.Match[str]) -> str:
        chars = run.group()
        return (
            f" {chars} "
            if len(chars) == 1
            else " " + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + " "
        )

    return _OLD_RUN.sub(pairs, value) if value else ""


EDGE_TEXTS = [
    "卡尔・马克思 アイ・ウ ・・ ア・",  # the kana middle dot: no letter, yet inside a run
    "Café ÉCOLE naïve Ｗｏｒｌｄ２０２４ ①② ²³",  # diacritics, full-width forms, other digits
    "SARS病毒 a_b x-y 〇〇七 한국어 工，会",
    "\ue000私用 tab\tnew\nline",  # a private-use character is a token character
]


@pytest.mark.parametrize("old, new", [(_old_text, fts_text), (_old_bigrams, fts_bigrams)])
def test_the_ascii_index_holds_the_tokens_unicode61_made_of_the_old_forms(old, new):
    texts = [
        row[name] for row in replica_rows() for name in ("title", "subtitle", "kicker", "author", "body")
    ]
    texts += EDGE_TEXTS
    connection = sqlite3.connect(":memory:")
    tokens = {}
    for name, tokenizer, form in (("before", "unicode61", old), ("now", "ascii", new)):
        connection.execute(f"CREATE VIRTUAL TABLE {name} USING fts5(x, tokenize='{tokenizer}')")
        connection.execute(f"CREATE VIRTUAL TABLE {name}_terms USING fts5vocab({name}, 'instance')")
        connection.executemany(f"INSERT INTO {name} (rowid, x) VALUES (?, ?)", enumerate(map(form, texts)))
        tokens[name] = connection.execute(
            f"SELECT doc, offset, term FROM {name}_terms ORDER BY doc, offset"
        ).fetchall()
    connection.close()
    assert len(tokens["now"]) > 300_000  # every text of the replica, so the equality says something
    assert tokens["now"] == tokens["before"]
