"""Search finds the same articles in the same order whatever the full-text index's design:
the results of 1-, 2-, 3- and 4-character, multi-word, Latin and literal-syntax queries,
ranked and newest first, with and without dates, on the bundled replica (10 extra issues,
428 articles), compared with those recorded before the index was redesigned (issue 13;
``search_results.json``, written by the design of migration 0003)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sxworker.archive import Archive
from sxworker.archive.trends import trend
from sxworker.replica.site import build_site

RECORDED = Path(__file__).with_name("search_results.json")
SITE = "http://szb.sxworker.com"

QUERIES = [
    "党", "工", "矿", "的", "Z",
    "工会", "劳模", "安全", "帮扶", "会职",
    "会职工", "工会职工", "职工代表", "安全生产", "人人有责", "劳动竞赛",
    "工会 职工", "安全 生产", "帮扶 困难 职工", "职工代表 劳模",
    "5000", "120 工会", "2006", "17工", '"工会"', "工会（", "AND", "火箭",
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
