"""The ledger, the run log and the layout watch, on the archive directly (both backends)."""

from __future__ import annotations

import asyncio

import pytest
from scrapy.exceptions import DropItem

from sxworker.archive import Archive
from sxworker.crawl.layout import LayoutWatchPipeline
from sxworker.crawl.runlock import LockedError, archive_lock, lock_path, run_lock
from sxworker.crawl.stats import LAYOUT_ALARM as LAYOUT_ALARM_STAT
from sxworker.site.items import Article, FetchFailure
from tests.archive.test_archive import BASE, article

DAY = "2016-12-05"


def _issue_with_two_pages(archive: Archive, stored_ids: list[str]) -> None:
    archive.store_issues([{"issue_date": DAY, "url": f"{BASE}/p1", "page_count": 2}])
    archive.store_pages(
        [
            {"issue_date": DAY, "url": f"{BASE}/p1", "page_no": 1, "article_ids": ["1", "2"]},
            {"issue_date": DAY, "url": f"{BASE}/p2", "page_no": 2, "article_ids": ["3"]},
        ]
    )
    archive.store_articles([article(i, DAY, page_no=1 if i in "12" else 2) for i in stored_ids])


def test_an_issue_with_every_linked_article_is_complete(archive):
    _issue_with_two_pages(archive, ["1", "2", "3"])
    assert archive.issue_complete(DAY)
    assert archive.gaps() == []


def test_a_linked_article_not_stored_is_a_gap(archive):
    _issue_with_two_pages(archive, ["1", "2"])
    assert not archive.issue_complete(DAY)
    (gap,) = archive.gaps()
    assert gap == {
        "issue_date": DAY,
        "pages_listed": 2,
        "pages_stored": 2,
        "pages_without_articles": 1,
        "articles_listed": 3,
        "articles_missing": 1,
        "missing_article_ids": ["3"],
        "pages_missing_articles": [{"page_no": 2, "articles_linked": 1, "articles_missing": 1}],
        "open_failures": 0,
    }
    assert archive.gaps(since="2016-12-06") == []


def test_only_the_issues_not_held_whole_are_gaps_each_as_its_pages_say(archive):
    # Whole; one page short; pages linking nothing stored (one unnumbered, one listing
    # nothing); an issue with nothing stored and no page count (nothing to miss).
    days = ["2016-12-05", "2016-12-06", "2016-12-07", "2016-12-08"]
    archive.store_issues(
        [{"issue_date": days[0], "url": f"{BASE}/a", "page_count": 2}]
        + [
            {"issue_date": day, "url": f"{BASE}/{day}", "page_count": count}
            for day, count in zip(days[1:], [2, None, None], strict=True)
        ]
    )
    archive.store_pages(
        [
            {"issue_date": days[0], "url": f"{BASE}/p1", "page_no": 1, "article_ids": ["1", "2"]},
            {"issue_date": days[0], "url": f"{BASE}/p2", "page_no": 2, "article_ids": ["3"]},
            {"issue_date": days[1], "url": f"{BASE}/q1", "page_no": 1, "article_ids": ["7"]},
            {"issue_date": days[2], "url": f"{BASE}/r", "article_ids": ["9", "8", "9"]},
            {"issue_date": days[2], "url": f"{BASE}/r3", "page_no": 3},
        ]
    )
    archive.store_articles([article(i, days[0], page_no=1 if i in "12" else 2) for i in "123"])
    archive.store_articles([article("7", days[1], page_no=1)])
    blank = {"pages_without_articles": 0, "missing_article_ids": [], "pages_missing_articles": []}
    short = {"issue_date": days[1], "pages_listed": 2, "pages_stored": 1, "articles_listed": 1}
    unstored = {
        "issue_date": days[2],
        "pages_listed": None,
        "pages_stored": 2,
        "pages_without_articles": 1,
        "articles_listed": 2,
        "articles_missing": 2,
        "missing_article_ids": ["9", "8"],
        "pages_missing_articles": [{"page_no": None, "articles_linked": 3, "articles_missing": 3}],
        "open_failures": 0,
    }
    assert archive.gaps() == [{**blank, **short, "articles_missing": 0, "open_failures": 0}, unstored]
    assert archive.gaps(since=days[2], until=days[2]) == [unstored]
    assert [archive.issue_complete(day) for day in days] == [True, False, False, False]


def test_failures_count_attempts_and_resolve_whatever_the_host(archive):
    url = f"{BASE}/content/2016-12/05/3.html"
    failure = {"url": url, "kind": "article", "issue_date": DAY, "status": 404, "error": "HTTP 404"}
    archive.record_failures([failure])
    archive.record_failures([{**failure, "status": None, "error": "TimeoutError: took longer"}])
    (row,) = archive.open_failures()
    assert (row["attempts"], row["status"], row["error"]) == (2, None, "TimeoutError: took longer")
    _issue_with_two_pages(archive, ["1", "2", "3"])
    assert not archive.issue_complete(DAY)  # an open failure keeps it open
    assert archive.issue_complete(DAY, max_attempts=2)  # ... unless given up on
    assert archive.open_failures(max_attempts=2) == []
    # The same article met on a mirror resolves it.
    assert archive.resolve_failures(["https://mirror.example/content/2016-12/05/3.html"]) == 1
    assert archive.open_failures() == []
    archive.record_failures([failure])  # it can fail again
    assert archive.open_failures()[0]["attempts"] == 3
    # Known from elsewhere (a WARC capture): an open row stays as it is, a new one has no try.
    archive.record_failures([{**failure, "error": "HTTP 500"}], attempt=False)
    assert [(r["attempts"], r["error"]) for r in archive.open_failures()] == [(3, "HTTP 404")]
    other = {**failure, "url": f"{BASE}/Img/2016/12/2016120501-1.jpg", "kind": "scan"}
    archive.record_failures([other], attempt=False)
    assert [(r["kind"], r["attempts"]) for r in archive.open_failures()] == [("scan", 0), ("article", 3)]
    archive.resolve_failures([other["url"], failure["url"]])
    archive.record_failures([failure], attempt=False)  # met missing again: open, same count
    assert [(r["kind"], r["attempts"]) for r in archive.open_failures()] == [("article", 3)]


def test_a_run_is_opened_and_closed_and_a_dead_one_is_marked_killed(archive):
    from sxworker.archive.schema import crawl_runs

    dead = archive.start_run(mode="range", range_start=DAY, range_end=DAY, args={"start": DAY})
    elsewhere = archive.start_run(mode="scheduled", range_start=None, range_end=None, args={})
    with archive.engine.begin() as conn:
        gone = 2**22 + 12345  # no such process here
        conn.execute(crawl_runs.update().where(crawl_runs.c.id == dead).values(pid=gone))
        other_host = crawl_runs.update().where(crawl_runs.c.id == elsewhere)
        conn.execute(other_host.values(pid=gone, host="another-machine"))
    run_id = archive.start_run(mode="scheduled", range_start=None, range_end=None, args={})
    archive.finish_run(
        run_id,
        outcome="ok",
        finish_reason="finished",
        counters={"requests": 12, "articles_new": 3},
        fill_rates={"title": 1.0},
        message=None,
        range_start="2016-11-28",
        range_end=DAY,
    )
    newest, running, killed = archive.recent_runs()
    assert (killed["id"], killed["outcome"], killed["args"]) == (dead, "killed", {"start": DAY})
    assert (running["id"], running["outcome"]) == (elsewhere, "running")  # not ours to judge
    assert [newest[k] for k in ("outcome", "requests", "articles_new", "failed")] == ["ok", 12, 3, 0]
    assert [newest[k] for k in ("range_start", "range_end")] == ["2016-11-28", DAY]
    assert newest["fill_rates"] == {"title": 1.0}


class _Engine:
    def __init__(self) -> None:
        self.closed_with: str | None = None

    async def close_spider_async(self, *, reason: str) -> None:
        self.closed_with = reason


def _watch(component_crawler, db: str, **settings):
    crawler = component_crawler(SXWORKER_DB=db, **settings)
    crawler.engine = _Engine()
    watch = LayoutWatchPipeline.from_crawler(crawler)
    watch.open_spider()
    return crawler, watch


def _item(article_id: str, **fields) -> Article:
    row = article(article_id, DAY, **fields)
    return Article(**{k: v for k, v in row.items() if k in Article.__dataclass_fields__})


def test_page_numbers_vanishing_against_the_archive_norm_raise_the_alarm(tmp_path, component_crawler):
    db = str(tmp_path / "archive.sqlite3")
    with Archive.open(db) as archive:
        archive.store_articles([article(str(i), DAY) for i in range(1, 121)])
    crawler, watch = _watch(component_crawler, db, SXWORKER_ALARM_MIN_ARTICLES=10)

    async def feed() -> None:
        for i in range(200, 209):
            watch.process_item(_item(str(i), page_no=None))
        assert crawler.stats.get_value(LAYOUT_ALARM_STAT) is None  # 9 < the minimum sample
        watch.process_item(_item("209", page_no=None))
        await asyncio.sleep(0)

    asyncio.run(feed())
    alarm = crawler.stats.get_value(LAYOUT_ALARM_STAT)
    assert alarm.startswith("layout change suspected after 10 articles: fill rate of page_no 0% (norm 100%)")
    assert crawler.engine.closed_with == "layout_changed"
    with pytest.raises(DropItem):
        watch.process_item(_item("210"))


def test_a_backfill_walking_into_an_era_without_page_numbers_is_no_alarm(tmp_path, component_crawler):
    db = str(tmp_path / "archive.sqlite3")
    with Archive.open(db) as archive:  # 2016 pages print their numbers
        archive.store_articles([article(str(i), DAY) for i in range(1, 121)])
    crawler, watch = _watch(component_crawler, db, SXWORKER_ALARM_MIN_ARTICLES=10, SXWORKER_ALARM_WINDOW=20)

    async def feed() -> None:
        for i in range(200, 220):  # the walk back: 2016 first, with page numbers ...
            watch.process_item(_item(str(i)))
        for i in range(300, 360):  # ... then 1985, which the archive holds nothing of yet
            old = _item(str(i), page_no=None)
            old.issue_date = "1985-11-15"
            watch.process_item(old)
        await asyncio.sleep(0)

    asyncio.run(feed())
    assert crawler.stats.get_value(LAYOUT_ALARM_STAT) is None
    assert watch.norms_by_year == {"2016": {"title": 1.0, "body": 1.0, "issue_date": 1.0, "page_no": 1.0}}
    assert watch.rates()["page_no"] == 0.25  # the run's own rates, for the run log


def test_unreadable_article_pages_count_and_a_sparse_field_does_not(tmp_path, component_crawler):
    db = str(tmp_path / "archive.sqlite3")
    with Archive.open(db) as archive:  # an era without page numbers
        archive.store_articles([article(str(i), DAY, page_no=None) for i in range(1, 121)])
    crawler, watch = _watch(component_crawler, db, SXWORKER_ALARM_MIN_ARTICLES=4)

    async def feed() -> None:
        for i in range(200, 204):
            watch.process_item(_item(str(i), page_no=None))
        assert crawler.stats.get_value(LAYOUT_ALARM_STAT) is None
        for i in range(204, 210):
            url = f"{BASE}/content/2016-12/05/{i}.html"
            watch.process_item(FetchFailure(url=url, kind="article", error="no title found", stage="parse"))
        await asyncio.sleep(0)

    asyncio.run(feed())
    # 4 readable of 9: below half the norm, and page_no (sparse in the archive) is not named.
    alarm = crawler.stats.get_value(LAYOUT_ALARM_STAT)
    assert alarm.startswith("layout change suspected after 9 articles: fill rate of title 44% (norm 100%)")
    assert "page_no" not in alarm


def test_one_crawl_per_archive(tmp_path):
    path = lock_path(str(tmp_path / "a.sqlite3"))
    assert path == tmp_path / "a.sqlite3.lock"
    assert lock_path("postgresql+psycopg://u@db.example/sx") is None  # the database holds it
    assert lock_path("x", "/run/sx.lock").as_posix() == "/run/sx.lock"
    busy = pytest.raises(LockedError, match=r"another crawl or reparse of this archive is running \(pid \d+")
    with run_lock(path), busy, run_lock(path):
        pass
    with run_lock(path):  # released when the holder is done
        pass


def test_an_archive_under_two_names_has_one_lock(tmp_path):
    (tmp_path / "link.sqlite3").symlink_to("two.sqlite3")  # dangling: the first crawl creates it
    assert lock_path(str(tmp_path / "link.sqlite3")) == tmp_path / "two.sqlite3.lock"
    busy = pytest.raises(LockedError, match=r"another crawl or reparse of this archive is running \(pid \d+")
    with archive_lock(str(tmp_path / "two.sqlite3")), busy, archive_lock(str(tmp_path / "link.sqlite3")):
        pass


def test_the_run_lock_holds_on_either_backend(db_target):
    Archive.open(db_target).close()
    busy = pytest.raises(LockedError, match="another crawl or reparse of this archive is running")
    with archive_lock(db_target), busy, archive_lock(db_target):
        pass
    with archive_lock(db_target):  # released when the holder is done
        pass
