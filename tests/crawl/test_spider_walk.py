"""The walk, specified by its requests: a saved page view fed to the spider's callback, and
the exact items and requests it yields (URL, priority, callback, what the request carries).

Priorities say what the crawl does next: within one day, the walk to the issue before ranks
above this issue's articles, which rank above its other pages; every day ranks above the
days before it (see the spider's module docstring)."""

from __future__ import annotations

from datetime import date

import pytest
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler

from sxworker.archive import Archive
from sxworker.crawl.spiders.sxworker import (
    _ARTICLE_STEP,
    _PAGE_STEP,
    _WALK_STEP,
    SxworkerSpider,
    _priority,
)
from sxworker.site.items import Fetched, FetchFailure, Issue, Page
from sxworker.site.parsers.article import PageContext
from tests.archive.test_archive import article
from tests.conftest import SITE, fixture_bytes

PAGE_4 = SITE + "/html/1985-11/15/node_4.htm"
SCAN_4 = SITE + "/Img/1985/11/1985111504-1.jpg"
DAY = date(1985, 11, 15)


@pytest.fixture
def spider(tmp_path):
    def make(**arguments) -> SxworkerSpider:
        db = str(tmp_path / "archive.sqlite3")
        crawler = get_crawler(SxworkerSpider, {"SXWORKER_DB": db, "SXWORKER_BASE_URL": SITE})
        made = SxworkerSpider.from_crawler(crawler, **arguments)
        made.archive = Archive.open(db)
        opened.append(made.archive)
        return made

    opened: list[Archive] = []
    yield make
    for archive in opened:
        archive.close()


def response(url: str, fixture: str) -> HtmlResponse:
    return HtmlResponse(
        url=url,
        body=fixture_bytes(fixture),
        request=Request(url),
        headers={"Content-Type": "text/html"},
    )


def described(output) -> list[tuple]:
    """Items as themselves, requests as (url, priority, callback, errback, what they carry)."""
    out = []
    for value in output:
        if isinstance(value, Request):
            callbacks = value.callback.__name__, value.errback.__name__
            out.append((value.url, value.priority, *callbacks, value.cb_kwargs))
        else:
            out.append(value)
    return out


def context(link_text: str) -> PageContext:
    return PageContext(page_url=PAGE_4, page_no=4, page_label="A4", scan_url=SCAN_4, link_text=link_text)


def test_a_page_view_in_range_yields_its_issue_page_articles_then_pages(spider):
    walk = spider(start="1985-11-01", end="1985-11-30")
    got = described(walk.parse_listing(response(PAGE_4, "1985-page.html")))
    article_priority, page_priority = _priority(DAY, _ARTICLE_STEP), _priority(DAY, _PAGE_STEP)
    assert got == [
        Fetched(url=PAGE_4),
        Issue(issue_date="1985-11-15", url=SITE + "/html/1985-11/15/node_1.htm", page_count=4),
        Page(
            issue_date="1985-11-15",
            url=PAGE_4,
            page_no=4,
            page_label="A4",
            scan_url=SCAN_4,
            article_count=2,
            article_ids=["038852", "038856"],
        ),
        (
            SITE + "/content/1985-11/15/038852.html",
            article_priority,
            "parse_article",
            "article_failed",
            {"context": context("一封写给天车司机的信"), "fallback": None},
        ),
        (
            SITE + "/content/1985-11/15/038856.html",
            article_priority,
            "parse_article",
            "article_failed",
            {"context": context("冬季取暖要防煤气中毒"), "fallback": None},
        ),
        *[
            (SITE + f"/html/1985-11/15/node_{n}.htm", page_priority, "parse_listing", "listing_failed", {})
            for n in (3, 1, 2)
        ],
    ]
    # The issue is announced once however many of its pages are read.
    again = described(walk.parse_listing(response(PAGE_4, "1985-page.html")))
    assert not [value for value in again if isinstance(value, Issue)]


def test_an_article_the_archive_holds_is_not_asked_for_again(spider):
    walk = spider(start="1985-11-01", end="1985-11-30")
    walk.archive.store_articles([article("038852", "1985-11-15")])
    walk.latest = date(2016, 12, 5)  # what the front page said: 1985 is long past re-checking
    output = walk.parse_listing(response(PAGE_4, "1985-page.html"))
    urls = [value.url for value in output if isinstance(value, Request)]
    assert SITE + "/content/1985-11/15/038852.html" not in urls
    assert SITE + "/content/1985-11/15/038856.html" in urls
    assert walk.crawler.stats.get_value("sxworker/articles/skipped") == 1


def test_an_issue_after_the_range_only_walks_back(spider):
    walk = spider(start="1990-01-01", end="1999-12-31")
    url = SITE + "/Page/2005-12/07/01/default.htm"
    got = described(walk.parse_listing(response(url, "2005-page.html")))
    assert got == [
        Fetched(url=url),
        (
            SITE + "/Page/1992-12/08/01/default.htm",
            _priority(date(2005, 12, 7), _WALK_STEP),
            "parse_listing",
            "listing_failed",
            {},
        ),
    ]


def test_an_issue_before_the_range_ends_the_walk(spider):
    walk = spider(start="2000-01-01", end="2009-12-31")
    assert described(walk.parse_listing(response(PAGE_4, "1985-page.html"))) == [Fetched(url=PAGE_4)]


def test_a_page_retried_from_the_ledger_gives_its_own_issue_and_no_walk(spider):
    walk = spider(start="2000-01-01", end="2009-12-31")  # the retried page's issue is outside
    got = described(walk.parse_listing(response(PAGE_4, "1985-page.html"), retry=True))
    assert [type(value).__name__ if not isinstance(value, tuple) else value[2] for value in got] == [
        "Fetched",
        "Issue",
        "Page",
        "parse_article",
        "parse_article",
    ]


def test_an_answer_that_is_not_html_is_a_recorded_failure(spider):
    walk = spider(start="1985-11-01", end="1985-11-30")
    answer = Response(url=PAGE_4, body=b"\x89PNG\r\n", request=Request(PAGE_4))
    assert list(walk.parse_listing(answer)) == [
        FetchFailure(url=PAGE_4, kind="page", error="not an HTML page", issue_date="1985-11-15")
    ]


def test_within_the_recheck_window_a_stored_article_is_asked_for_again(spider):
    walk = spider(start="1985-11-01", end="1985-11-30")
    walk.archive.store_articles([article("038852", "1985-11-15")])
    walk.latest = date(1985, 11, 20)  # 1985-11-15 is within the 7 days before the latest issue
    output = walk.parse_listing(response(PAGE_4, "1985-page.html"))
    urls = [value.url for value in output if isinstance(value, Request)]
    assert SITE + "/content/1985-11/15/038852.html" in urls


def test_an_article_linked_only_by_its_mobile_form_falls_back_to_it_with_its_context(spider):
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    walk = spider(start="1985-11-01", end="1985-11-30")
    desktop = SITE + "/content/1985-11/15/038852.html"
    mobile = SITE + "/m/content/1985-11/15/038852.html"
    request = Request(
        desktop,
        callback=walk.parse_article,
        errback=walk.article_failed,
        cb_kwargs={"context": context("一封写给天车司机的信"), "fallback": mobile},
    )
    failure = Failure(HttpError(Response(desktop, status=404, request=request)))
    failure.request = request
    (retry,) = described(walk.article_failed(failure))
    assert retry == (
        mobile,
        0,
        "parse_article",
        "article_failed",
        {"context": context("一封写给天车司机的信"), "fallback": None},
    )
    # The mobile form failing too is the article's recorded failure.
    failure.request = request.replace(url=mobile, cb_kwargs={"context": None, "fallback": None})
    (recorded,) = walk.article_failed(failure)
    assert (recorded.url, recorded.kind, recorded.error, recorded.status) == (
        desktop,
        "article",
        "HTTP 404",
        404,
    )
