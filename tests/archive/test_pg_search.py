"""PostgreSQL's search finds exactly what SQLite's finds: its vector holds the same tokens
(unigrams, then the bigram form) and a term is the same phrase (pg_search's docstring)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import text

from sxworker.archive import Archive, migrate, pg_search
from sxworker.archive.search import RANK_LIMIT
from sxworker.replica.site import build_site
from tests.conftest import postgres_schema, postgres_url_or_skip

QUERIES = [
    "党", "工", "的", "Z", "工会", "会职", "会职工", "职工代表", "安全生产", "人人有责",
    "工会 职工", "帮扶 困难 职工", "5000", "120 工会", "2006", "17工", '"工会"', "工会（",
    "AND", "火箭", "工，会",
]  # fmt: skip
DATES = [(None, None), ("2024-01-01", None), (None, "2016-12-31"), ("2024-02-01", "2024-03-15")]


@pytest.fixture(scope="module")
def both(tmp_path_factory) -> Iterator[tuple[Archive, Archive]]:
    rows = build_site("http://szb.sxworker.com", extra_issues=10).expected_articles
    path = str(tmp_path_factory.mktemp("replica") / "archive.sqlite3")
    with postgres_schema(postgres_url_or_skip()) as url:
        for target in (path, url):
            with Archive.open(target) as archive:
                archive.store_articles(rows)
        with Archive.open_readonly(path) as sqlite, Archive.open_readonly(url) as postgres:
            yield sqlite, postgres


@pytest.mark.parametrize("query", QUERIES)
def test_postgresql_matches_the_articles_sqlite_matches(both, query):
    for since, until in DATES:
        # Newest first, every match: the same articles in the same order (search_key).
        found = [
            [
                (hit.issue_date, hit.article_id)
                for hit in archive.search(query, limit=1000, since=since, until=until, order="date").hits
            ]
            for archive in both
        ]
        assert found[0] == found[1], (since, until)
        # Best first: the same 20 or fewer, when the query matches 20 or fewer.
        ranked = [archive.search(query, limit=20, since=since, until=until) for archive in both]
        assert [result.order for result in ranked] == ["relevance", "relevance"]
        if len(found[0]) <= 20:
            assert {hit.article_id for hit in ranked[1].hits} == {article_id for _, article_id in found[0]}


def test_a_term_is_the_phrase_of_its_pairs_and_punctuation_parts_them(both):
    _, postgres = both
    assert pg_search.match("职工代表 5G网络") == (
        "CAST(:match AS tsquery)",
        {"match": "('职工' <-> '工代' <-> '代表') & ('5g' <-> '网络')"},
    )
    assert pg_search.match("工，会") == ("CAST(:match AS tsquery)", {"match": "('工' <-> '会')"})
    assert pg_search.match("，。 ()") is None
    assert postgres.search("，。").hits == []


def test_the_vector_holds_each_field_as_unigrams_then_pairs_a_position_apart():
    row = {"title": "工会代表", "subtitle": None, "kicker": "", "author": "Li 王", "body": "好"}
    assert pg_search.vector(row) == (
        "'工':1A '会':2A '代':3A '表':4A '工会':6A '会代':7A '代表':8A"
        " 'li':10C '王':11C 'li':13C '王':14C '好':16D '好':18D"
    )


def test_a_query_broader_than_the_rank_limit_shows_the_newest(monkeypatch, both):
    sqlite, postgres = both
    monkeypatch.setattr(pg_search, "RANK_LIMIT", 5)
    result = postgres.search("工", limit=3)
    assert result.order == "date"
    newest = sqlite.search("工", limit=3, order="date").hits
    assert [hit.article_id for hit in result.hits] == [hit.article_id for hit in newest]
    assert RANK_LIMIT == 2000  # the module's own constant is untouched


def test_migration_0008_gives_every_article_the_vector_of_the_second_form():
    rows = build_site("http://szb.sxworker.com", extra_issues=0).expected_articles[:5]
    with postgres_schema(postgres_url_or_skip()) as url:
        with Archive.open(url) as archive:
            archive.store_articles(rows)
            with archive.engine.begin() as conn:
                # The first form: the unigrams alone, through PostgreSQL's parser.
                conn.execute(
                    text(
                        "UPDATE articles SET search_vector = to_tsvector('simple', :tokens)"
                        " WHERE article_id = :id"
                    ),
                    [
                        {"tokens": " ".join(pg_search.unigrams(row["body"])), "id": row["article_id"]}
                        for row in rows
                    ],
                )
                conn.execute(text("UPDATE alembic_version SET version_num = '0007'"))
        title = rows[0]["title"]
        assert Archive.upgrade(url) == ("0007", migrate.head())
        with Archive.open_readonly(url) as archive, archive.engine.connect() as conn:
            stored = dict(
                conn.execute(text("SELECT article_id, CAST(search_vector AS text) FROM articles")).all()
            )
            assert stored == {
                row["article_id"]: conn.execute(
                    text("SELECT CAST(CAST(:v AS tsvector) AS text)"), {"v": pg_search.vector(row)}
                ).scalar_one()
                for row in rows
            }
            assert rows[0]["article_id"] in {hit.article_id for hit in archive.search(title[:4]).hits}


def test_a_query_the_statistics_call_narrow_but_broad_shows_the_newest(monkeypatch, both):
    sqlite, postgres = both
    with postgres.engine.connect() as conn:
        conn.execute(text("ANALYZE articles"))
        conn.commit()

        def estimate(query: str) -> int:
            plan = conn.execute(
                text(
                    "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles WHERE search_vector @@ CAST(:q AS tsquery)"
                ),
                {"q": pg_search._candidates(query)},
            ).scalar_one()
            return plan[0]["Plan"]["Plan Rows"]

        # Several words: the statistics multiply their shares, too few for words together.
        query = "工会 职工 劳模"
        matches = len(sqlite.search(query, limit=1000, order="date").hits)
        assert estimate(query) < matches - 1
        monkeypatch.setattr(pg_search, "RANK_LIMIT", estimate(query))
    result = postgres.search(query, limit=3)
    assert result.order == "date"
    assert [hit.article_id for hit in result.hits] == [
        hit.article_id for hit in sqlite.search(query, limit=3, order="date").hits
    ]
    with postgres.engine.connect() as conn:
        assert conn.execute(text("SHOW enable_bitmapscan")).scalar_one() == "on"
