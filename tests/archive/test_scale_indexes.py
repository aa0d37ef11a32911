"""Revision 0006: the indexes the readers need at archive scale (issue 13). A new archive
and one upgraded from 0005 have them, and the queries they are for use them: each query
sxworker runs is captured and its plan asked of SQLite (no timing here; see
benchmarks/bench_commands.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, event

from sxworker.archive import Archive, database_url, migrate
from sxworker.archive.trends import trend
from tests.archive.test_archive import article

# Name: the SQL SQLite keeps for it.
INDEXES = {
    name: f"CREATE INDEX {name} ON articles ({columns})"
    for name, columns in (
        ("ix_articles_key_page_name", "search_key, page_name"),
        ("ix_articles_page_name_date", "page_name, issue_date"),
        ("ix_articles_last_seen", "last_seen"),
        ("ix_articles_author", "author, template"),
        ("ix_articles_kicker", "kicker, template"),
        ("ix_articles_subtitle", "subtitle, template"),
    )
}


def _indexes(path: Path) -> dict[str, str]:
    with sqlite3.connect(path) as connection:
        rows = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
        return dict(rows.fetchall())


def _columns(path: Path, name: str) -> list[str | None]:
    """The index's key columns in order (None for an expression)."""
    with sqlite3.connect(path) as connection:
        return [row[2] for row in connection.execute(f"PRAGMA index_info({name})")]


def _store(target: str) -> None:
    with Archive.open(target) as archive:
        archive.store_articles(
            [
                article("1", "2016-12-05", page_name="头版", title="工会工作", body="工会。"),
                article("2", "2016-12-05", page_no=None, page_name="要闻", title="工会", body="劳模。"),
                article("3", "2017-01-02", page_name="头版", title="劳模", body="工会劳模。"),
            ]
        )


@contextmanager
def _plans(archive: Archive) -> Iterator[list[str]]:
    """The query plans (SQLite's EXPLAIN QUERY PLAN details, joined per statement) of the
    SELECTs on the archive's articles run inside the block."""
    statements: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "articles" in statement:
            statements.append((statement, parameters))

    event.listen(archive.engine, "before_cursor_execute", capture)
    plans: list[str] = []
    try:
        yield plans
    finally:
        event.remove(archive.engine, "before_cursor_execute", capture)
    with archive.engine.connect() as conn:
        for statement, parameters in statements:
            rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
            plans.append(" | ".join(row[3] for row in rows))


def test_a_new_archive_has_the_scale_indexes(tmp_path):
    path = tmp_path / "new.sqlite3"
    Archive.open(str(path)).close()
    found = _indexes(path)
    for name, sql in INDEXES.items():
        assert found[name] == sql
    assert _columns(path, "ix_articles_export_order") == ["issue_date", None, "page_no", "article_id"]
    assert migrate.head() >= "0006"


def test_an_archive_at_0005_upgrades_to_them_keeping_its_rows(tmp_path):
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()  # an empty database, brought to 0005 only
    assert Archive.upgrade(str(path), "0005") == (None, "0005")
    assert not set(INDEXES) & set(_indexes(path))
    assert Archive.upgrade(str(path), "0006") == ("0005", "0006")
    found = _indexes(path)
    for name, sql in INDEXES.items():
        assert found[name] == sql
    assert _columns(path, "ix_articles_export_order") == ["issue_date", None, "page_no", "article_id"]
    _store(str(path))  # the rest of the chain on top, then rows through the indexes
    with Archive.open_readonly(str(path)) as reader:
        assert [r["article_id"] for r in reader.iter_export(page_name="头版")] == ["1", "3"]


def test_downgrade_to_0005_drops_them(tmp_path):
    path = tmp_path / "a.sqlite3"
    Archive.open(str(path)).close()
    engine = create_engine(database_url(str(path)))
    from alembic import command

    with engine.begin() as conn:
        command.downgrade(migrate.alembic_config(connection=conn), "0005")
    engine.dispose()
    assert not {*INDEXES, "ix_articles_export_order"} & set(_indexes(path))


def _run(archive: Archive, call: Callable[[Archive], object]) -> list[str]:
    with _plans(archive) as plans:
        call(archive)
    return plans


@pytest.fixture
def stored(tmp_path) -> Iterator[Archive]:
    target = str(tmp_path / "a.sqlite3")
    _store(target)
    with Archive.open_readonly(target) as reader:
        yield reader


def test_export_walks_its_index_in_order_without_sorting(stored):
    plans = _run(stored, lambda a: list(a.iter_export()))
    (plan,) = [p for p in plans if "ix_articles_export_order" in p]
    assert "TEMP B-TREE" not in plan
    assert [r["article_id"] for r in stored.iter_export()] == ["1", "2", "3"]  # page_no None last


def test_export_of_a_page_name_reads_its_index(stored):
    plans = _run(stored, lambda a: list(a.iter_export(page_name="头版")))
    assert any("USING INDEX ix_articles_page_name_date (page_name=?)" in p for p in plans), plans


def test_trend_of_a_page_name_counts_from_the_indexes(stored):
    plans = _run(stored, lambda a: trend(a.engine, ["工会"], page_name="头版"))
    assert any("COVERING INDEX ix_articles_page_name_date (page_name=?)" in p for p in plans), plans
    matched = [p for p in plans if "MATCH" in p or "VIRTUAL TABLE" in p]
    assert matched and all(
        "COVERING INDEX ix_articles_key_page_name (search_key=? AND page_name=?)" in p for p in matched
    ), matched
    rows = trend(stored.engine, ["工会"], page_name="头版")
    assert [(r.period, r.articles, r.total) for r in rows] == [("2016", 1, 1), ("2017", 1, 1)]


def test_the_ledger_reads_articles_from_an_index_alone(stored):
    plans = _run(stored, lambda a: a.gaps())
    # The ids per issue and the pages with no article: both from an index, never the rows.
    reads = [step for plan in plans for step in plan.split(" | ") if " articles " in f"{step} "]
    assert len(reads) == 2 and all("COVERING INDEX" in step for step in reads), plans


def test_the_last_crawl_is_read_from_its_index(stored):
    plans = _run(stored, lambda a: a.stats())
    assert any("COVERING INDEX ix_articles_last_seen" in p for p in plans), plans
    assert not any(p.startswith("SCAN articles") and "INDEX" not in p for p in plans), plans


def test_the_revisions_read_without_alembic_are_alembics():
    script = migrate.script_directory()
    expected = {}
    for revision in script.walk_revisions():
        down = revision.down_revision
        expected[revision.revision] = (
            () if down is None else (down,) if isinstance(down, str) else tuple(down)
        )
    assert migrate.known_revisions() == expected
    assert [migrate.head()] == list(script.get_heads())


def test_an_upgrade_to_0006_interrupted_after_some_indexes_completes_when_run_again(tmp_path):
    # pysqlite commits each CREATE INDEX at once: a killed upgrade leaves them, at 0005.
    path = tmp_path / "old.sqlite3"
    sqlite3.connect(path).close()
    assert Archive.upgrade(str(path), "0005") == (None, "0005")
    with sqlite3.connect(path) as connection:
        connection.execute(INDEXES["ix_articles_key_page_name"])
    assert Archive.upgrade(str(path), "0006") == ("0005", "0006")
    found = _indexes(path)
    for name, sql in INDEXES.items():
        assert found[name] == sql
