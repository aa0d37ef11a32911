"""The spider's own decisions that need no crawl: which issues are re-checked."""

from __future__ import annotations

from datetime import date

from sxworker.crawl.spiders.sxworker import SxworkerSpider


class _Archive:
    def __init__(self, newest: str | None) -> None:
        self.newest = newest

    def newest_issue_date(self) -> str | None:
        return self.newest


def _spider(newest_stored: str | None, **kwargs) -> SxworkerSpider:
    spider = SxworkerSpider(**kwargs)
    spider.archive = _Archive(newest_stored)
    return spider


def test_the_front_page_decides_the_recheck_window_even_after_the_archive_stood_in():
    spider = _spider("2016-12-05", start="1985-01-01", end="2023-12-31")
    # A retried page is read before the front page: the archive's newest issue stands in.
    assert spider._rechecked(date(2016, 12, 1))
    spider.latest = date(2023, 10, 17)  # what the front page then says
    assert not spider._rechecked(date(2016, 12, 1))
    assert spider._rechecked(date(2023, 10, 10)) and not spider._rechecked(date(2023, 10, 9))


def test_an_empty_archive_or_refetch_rechecks_everything():
    assert _spider(None)._rechecked(date(1985, 11, 15))
    spider = _spider("2016-12-05")
    spider.refetch = True
    assert spider._rechecked(date(1985, 11, 15))
