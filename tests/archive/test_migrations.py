"""Schema migrations (Alembic): old archives upgrade in place, newer ones are refused, and a
read-only open never changes anything. On SQLite and, when configured, PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from sxworker.archive import Archive, ArchiveError, database_url, migrate
from sxworker.archive.schema import metadata
from tests.archive.test_archive import article


def _engine(target: str):
    return create_engine(database_url(target))


def _revision(target: str) -> str | None:
    engine = _engine(target)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                return None
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    finally:
        engine.dispose()


def _fingerprint(target: str):
    """What must not change under a read-only open: the file's bytes and mtime (SQLite), or
    the tables and the Alembic revision (PostgreSQL)."""
    if "://" not in target:
        path = Path(target)
        return path.read_bytes(), path.stat().st_mtime_ns
    engine = _engine(target)
    try:
        with engine.connect() as conn:
            return sorted(inspect(conn).get_table_names()), _revision(target)
    finally:
        engine.dispose()


def make_pre_alembic_archive(target: str) -> None:
    """An archive as sxworker wrote it before Alembic: create_all + schema_version 1."""
    if "://" not in target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(target)
    # The tables of that time are those of revision 0001 (schema.py has moved on since).
    migrate.upgrade(engine, "0001")
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE alembic_version"))
        conn.execute(text("DELETE FROM sxworker_meta WHERE key = 'schema_version'"))
        conn.execute(text("INSERT INTO sxworker_meta (key, value) VALUES ('schema_version', '1')"))
        if engine.dialect.name == "sqlite":
            conn.exec_driver_sql("PRAGMA journal_mode = WAL")
    engine.dispose()


def make_0001_archive(target: str) -> None:
    """An archive an sxworker whose newest revision was 0001 would have made."""
    if "://" not in target:
        Path(target).parent.mkdir(parents=True, exist_ok=True)
    engine = _engine(target)
    migrate.upgrade(engine, "0001")
    engine.dispose()


def _store_rows_the_old_way(target: str) -> None:
    """Rows written by the old code: plain inserts, no search index maintenance."""
    engine = _engine(target)
    row = article(title="工会代表大会", body="劳模精神。")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (article_id, url, issue_date, title, body, images, content_hash,"
                " version, first_seen, last_seen) VALUES (:article_id, :url, :issue_date, :title, :body,"
                " '[]', 'x', 1, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')"
            ),
            row,
        )
    engine.dispose()


# SQLite cannot reflect an index on an expression (ix_articles_export_order), so it is not
# compared there; tests/archive/test_scale_indexes.py checks it.
@pytest.mark.filterwarnings("ignore:Skipped unsupported reflection of expression-based index")
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_a_new_archive_is_at_head_and_its_schema_is_schema_py(db_target):
    Archive.open(db_target).close()
    assert _revision(db_target) == migrate.head()
    engine = _engine(db_target)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": migrate.include_object})
        assert compare_metadata(context, metadata) == []
    engine.dispose()


@pytest.mark.parametrize("make_old", [make_pre_alembic_archive, make_0001_archive])
def test_an_older_archive_upgrades_in_place_keeping_its_rows(db_target, make_old):
    make_old(db_target)
    _store_rows_the_old_way(db_target)
    with Archive.open(db_target) as archive:
        (record,) = archive.iter_export()
        assert record["title"] == "工会代表大会"
        assert [hit.article_id for hit in archive.search("工会").hits] == ["134356"]  # indexed on upgrade
        assert archive.store_articles([article("134357")]).new == 1
    assert _revision(db_target) == migrate.head()
    with Archive.open_readonly(db_target) as reader:
        assert reader.counts()["articles"] == 2


@pytest.mark.parametrize("make_old", [make_pre_alembic_archive, make_0001_archive])
def test_readonly_refuses_an_older_archive_and_changes_nothing(db_target, make_old):
    assert migrate.head() != "0001", "this test needs a revision after 0001"
    make_old(db_target)
    before = _fingerprint(db_target)
    expected = (
        "archive schema 0001 is older than this sxworker; "
        f"run 'sxworker migrate --db {db_target}' to upgrade it"
    )
    with pytest.raises(ArchiveError) as refused:
        Archive.open_readonly(db_target)
    assert str(refused.value) == expected
    assert _fingerprint(db_target) == before


def test_upgrade_brings_an_older_archive_to_head(db_target):
    make_pre_alembic_archive(db_target)
    _store_rows_the_old_way(db_target)
    assert Archive.upgrade(db_target) == ("0001", migrate.head())
    assert Archive.upgrade(db_target) == (migrate.head(), migrate.head())  # nothing left to do
    with Archive.open_readonly(db_target) as reader:
        assert [hit.title for hit in reader.search("劳模").hits] == ["工会代表大会"]


def test_an_archive_from_a_newer_sxworker_is_refused(db_target):
    Archive.open(db_target).close()
    engine = _engine(db_target)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    before = _fingerprint(db_target)
    message = "archive schema 9999_future is newer than this sxworker; upgrade sxworker"
    for opener in (Archive.open, Archive.open_readonly, Archive.upgrade):
        with pytest.raises(ArchiveError) as refused:
            opener(db_target)
        assert str(refused.value) == message
    assert _fingerprint(db_target)[0] == before[0]


def test_a_pre_alembic_stamp_from_a_newer_sxworker_is_refused(tmp_path):
    path = tmp_path / "a.sqlite3"
    make_pre_alembic_archive(str(path))
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE sxworker_meta SET value = '2' WHERE key = 'schema_version'")
    with pytest.raises(ArchiveError, match="archive schema 2 is newer than this sxworker; upgrade sxworker"):
        Archive.open(str(path))


def test_upgrade_of_a_missing_archive_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive.upgrade(str(tmp_path / "none.sqlite3"))
    assert not (tmp_path / "none.sqlite3").exists()


def test_the_revisions_form_one_chain():
    script = migrate.script_directory()
    chain = [revision.revision for revision in script.walk_revisions()]
    assert chain[-1] == "0001" and chain[0] == migrate.head()
    assert len(script.get_heads()) == 1
