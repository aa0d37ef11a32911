"""The archive commands and a real crawl on each backend: SQLite and PostgreSQL (the latter
when SXWORKER_TEST_PG_URL names a test server; required in CI). Same data, same answers."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive, ArchiveError, migrate
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.archive.test_migrations import make_pre_alembic_archive
from tests.conftest import postgres_schema, postgres_url_or_skip, run_crawl


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def filled(db_target):
    with Archive.open(db_target) as archive:
        archive.store_issues([{"issue_date": "1985-11-15", "page_count": 4}, {"issue_date": "2016-12-05"}])
        archive.store_pages([{"issue_date": "2016-12-05", "url": "http://x/p3", "page_no": 3}])
        archive.store_articles(
            [
                article(
                    "134356",
                    "2016-12-05",
                    title="发挥党员作用 勇于担当作为",
                    body="党的十八大以来,工会工作。",
                ),
                article("134357", "2016-12-05", title="延迟退休年龄应由劳动者说了算", body="弹性退休。"),
                article(
                    "038852",
                    "1985-11-15",
                    title="一封写给天车司机的信",
                    body="安全生产,人人有责。",
                    page_no=4,
                ),
                article(
                    "088530", "1992-12-08", title="企业转换经营机制中的工会", body="工会的作用更加重要了。"
                ),
            ]
        )
        # A changed text: the index must follow it (old words gone, new ones found).
        archive.store_articles([article("134357", "2016-12-05", title="延迟退休", body="劳模风采。")])
    return db_target


def _search(db: str, *args: str) -> list[dict]:
    result = run("search", *args, "--db", db, "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("工会", {"134356", "088530"}),
        ("党", {"134356"}),
        ("人人有责", {"038852"}),
        ("工会 党", {"134356"}),
        ("劳模", {"134357"}),  # the new text of a changed article
        ("弹性", set()),  # and not its old one
        ("会工", {"134356"}),  # 工会工作: characters in sequence, across the word boundary
        ("工作会", set()),
    ],
)
def test_search(filled, query, ids):
    assert {hit["article_id"] for hit in _search(filled, query)} == ids


def test_search_ranks_titles_first_filters_dates_and_takes_any_text(filled):
    hits = _search(filled, "工会")
    assert hits[0]["article_id"] == "088530"
    assert {"article_id", "issue_date", "page_no", "title", "snippet"} <= set(hits[0])
    assert [hit["article_id"] for hit in _search(filled, "工会", "--since", "2000-01-01")] == ["134356"]
    for query in ['"工会', "工会*", "AND", "(党)", "，。！", "NEAR(工 会)", "'", "a & b | !c <-> d:*"]:
        assert run("search", query, "--db", filled).exit_code == 0


def test_search_refuses_a_query_too_large_in_one_line(filled):
    # The limits: 200 characters, 16 words (sxworker/archive/fulltext.py).
    for query, message in (
        (" ".join(["工"] * 5000), "query too long: 9,999 characters (at most 200)"),
        (" ".join(["工"] * 17), "query has too many words: 17 (at most 16)"),
    ):
        result = CliRunner().invoke(main, ["search", query, "--db", filled])
        assert (result.exit_code, result.output) == (2, f"sxworker: error: {message}\n")
        with Archive.open_readonly(filled) as archive, pytest.raises(ArchiveError) as refused:
            archive.search(query)
        assert str(refused.value) == message
    assert {hit["article_id"] for hit in _search(filled, " ".join(["工会"] * 16))} == {"134356", "088530"}
    assert {hit["article_id"] for hit in _search(filled, "人人有责" * 50)} == set()


def test_show_stats_and_export(filled):
    shown = json.loads(run("show", "038852", "--db", filled, "--json").output)
    assert shown["title"] == "一封写给天车司机的信" and shown["page_no"] == 4
    stats = json.loads(run("stats", "--db", filled, "--json").output)
    assert (stats["issues"], stats["pages"], stats["articles"]) == (2, 1, 4)
    assert [row["year"] for row in stats["per_year"]] == ["1985", "1992", "2016"]
    exported = [json.loads(line) for line in run("export", "--db", filled).output.splitlines()]
    assert [r["article_id"] for r in exported] == ["038852", "088530", "134356", "134357"]
    assert exported[-1]["version"] == 2 and exported[-1]["body"] == "劳模风采。"
    since = run("export", "--db", filled, "--since", "2000-01-01", "--format", "csv").output
    assert "134356" in since and "088530" not in since


def test_migrate_command_upgrades_an_old_archive(db_target):
    make_pre_alembic_archive(db_target)
    refused = run("stats", "--db", db_target)
    assert refused.exit_code == 2 and "is older than this sxworker; run 'sxworker migrate" in refused.output
    result = run("migrate", "--db", db_target)
    assert result.exit_code == 0
    assert f"upgraded from schema 0001 to {migrate.head()}" in result.output
    assert "nothing to do" in run("migrate", "--db", db_target).output
    assert json.loads(run("stats", "--db", db_target, "--json").output)["articles"] == 0


def _without_times(records):
    return [{k: v for k, v in r.items() if k not in {"first_seen", "last_seen"}} for r in records]


def test_a_crawl_into_postgresql_stores_what_sqlite_stores(replica, tmp_path):
    """End to end: the real spider and pipelines, SXWORKER_DB a postgresql+psycopg:// URL."""
    dates = {"start": "1990-01-01", "end": "2005-12-07"}
    lite = tmp_path / "archive.sqlite3"
    assert run_crawl(replica.base_url, lite, **dates).ok
    with postgres_schema(postgres_url_or_skip()) as url:
        result = run_crawl(replica.base_url, url, **dates)
        assert result.ok, result.log[-2000:]
        assert "Traceback" not in result.log
        with Archive.open_readonly(url) as pg, Archive.open_readonly(str(lite)) as sqlite:
            pg_articles = list(pg.iter_export())
            assert len(pg_articles) > 0
            assert _without_times(pg_articles) == _without_times(sqlite.iter_export())
            assert [i["issue_date"] for i in pg.issue_rows()] == ["1990-07-26", "1992-12-08", "2005-12-07"]
            title = pg_articles[0]["title"]
            assert pg_articles[0]["article_id"] in {hit.article_id for hit in pg.search(title[:2]).hits}
        # A second crawl of the same range: nothing new, nothing versioned.
        again = run_crawl(replica.base_url, url, **dates)
        assert again.ok
        with Archive.open_readonly(url) as pg:
            assert [r["version"] for r in pg.iter_export()] == [1] * len(pg_articles)
