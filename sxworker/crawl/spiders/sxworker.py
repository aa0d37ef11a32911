"""The crawl: which URL to visit next, and nothing else.

From the front page (the latest issue) the spider walks back through 上一期 links until the
issue date falls before ``start``; inside each issue of the range it visits every page
(版面) named in the page list or by 上一版/下一版, and every article a page lists. What a page
*says* is the parsers' business; the spider only reads their answers.

It asks the archive what it already holds, so that a run costs the site little: failures
recorded by earlier runs are retried first; outside the re-check window (the latest issue
and the ``SXWORKER_RECHECK_DAYS`` before it) a stored article is not fetched again, and of
an issue the archive holds completely only the page leading to the previous issue is read.

In a reparse (the crawl session holds WARC captures: crawl/replay.py) the walk starts from
every captured page view instead of the front page, and reads every issue of the range the
captures show articles of; what no captured page view links — articles fetched on their own
— is asked for once the walk is done. Every rule of the crawl applies to what it reads.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from sxworker import config
from sxworker.archive import Archive
from sxworker.crawl import stats as stat
from sxworker.crawl.captures import Captures
from sxworker.crawl.session import REPLAY_SETTING, CrawlSession
from sxworker.site import urls
from sxworker.site.dates import DateRange
from sxworker.site.items import Fetched, FetchFailure, FileRetry
from sxworker.site.parsers.article import ArticleParseError, PageContext, parse_article
from sxworker.site.parsers.issue_page import Listing, ListingParseError, parse_listing
from sxworker.site.parsers.listing_items import article_contexts, issue_of, page_of

logger = logging.getLogger(__name__)

# Newer issues before older ones, and within an issue: the step back to the previous issue,
# then its articles, then its pages. So the crawl looks exactly one issue ahead: the next
# issue's first page arrives while this issue's articles are fetched (no idle gap at issue
# boundaries), yet the queue never holds more than about two issues (flat memory on
# long backfills). Priorities step by 10 per day so that an older issue's walk step
# always ranks below a newer issue's articles.
_WALK_PRIORITY = 0
_WALK_STEP = 4
_ARTICLE_STEP = 3
_PAGE_STEP = 2
_EPOCH = date(1949, 1, 1)


def _priority(issue_date: date, step: int) -> int:
    return (issue_date - _EPOCH).days * 10 + step


# A front page may forward (进入电子版 → a portal → the issue) a couple of times, not forever.
_MAX_FORWARD_HOPS = 3
_MAX_FORWARDS = 3
FILE_KINDS = ("scan", "image", "pdf")
# Recorded failures go before everything else: the ledger heals first.
_RETRY_PRIORITY = 10**8
# Stored-article ids are looked up per issue date; the walk touches one or two dates at a time.
_KNOWN_DATES_CACHED = 8


# The spider's -a arguments. Another name is a typo (``-a strat=…`` would run a scheduled
# crawl instead of the range meant) and is refused; a name starting with "_" is a
# scheduler's own (scrapyd's ``_job``) and is let through.
ARGUMENTS = ("start", "end")


def unknown_arguments(names: Iterable[str]) -> str | None:
    """The one-line complaint about ``-a`` names the spider does not take, if any."""
    unknown = sorted(name for name in names if name not in ARGUMENTS and not name.startswith("_"))
    if not unknown:
        return None
    return f"unknown spider argument(s): {', '.join(unknown)} (the spider takes: {', '.join(ARGUMENTS)})"


class SxworkerSpider(scrapy.Spider):
    name = "sxworker"

    # ``start``/``end`` are named parameters stored under other names: Spider.__init__ copies
    # every -a argument onto the instance, and an attribute ``start`` would shadow start().
    def __init__(self, start: str | None = None, end: str | None = None, *args: Any, **kwargs: Any):
        complaint = unknown_arguments(kwargs)
        if complaint:
            raise ValueError(complaint)
        super().__init__(*args, **kwargs)
        self.requested = DateRange.from_args(start, end, today=date.today())
        self.window: DateRange | None = None if self.requested.scheduled else self.requested
        self.base_url = urls.DEFAULT_BASE_URL
        self.recheck_days = 7
        self.template = ""
        self.jump_tries = 10
        self.issues_announced: set[date] = set()
        self.template_worked = False
        self.refetch = False
        self.retry_limit = 200
        self.retry_max_attempts = 5
        self.archive: Archive | None = None
        # In a reparse: the captures the crawl is answered from (None in a crawl of the site).
        self.captures: Captures | None = None
        self._orphans_asked = False
        # The newest issue the site has, as its front page shows it (see _newest_stored).
        self.latest: date | None = None
        self._archive_latest: date | bool | None = None
        self._known: dict[str, set[str]] = {}
        self._complete: dict[date, bool] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> SxworkerSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.base_url = urls.normalize_base(config.read(settings, "SXWORKER_BASE_URL"))
        spider.recheck_days = config.read(settings, "SXWORKER_RECHECK_DAYS")
        spider.template = config.read(settings, "SXWORKER_ISSUE_URL_TEMPLATE")
        spider.jump_tries = config.read(settings, "SXWORKER_JUMP_TRIES")
        spider.refetch = config.read(settings, "SXWORKER_REFETCH")
        spider.retry_limit = config.read(settings, "SXWORKER_RETRY_FAILURES")
        spider.retry_max_attempts = config.read(settings, "SXWORKER_FAILURE_MAX_ATTEMPTS")
        # Off-site redirects and links are refused by Scrapy's OffsiteMiddleware (and so
        # reach the errback, and the ledger) instead of being followed to another host.
        host = urlsplit(spider.base_url).hostname
        spider.allowed_domains = [host] if host else []
        if settings.getlist(REPLAY_SETTING):
            # A reparse reads every host its captures cover (the site may have moved), and
            # what they do not hold is never fetched anyway.
            spider.allowed_domains = []
        return spider

    # -- where to begin ----------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request | FileRetry]:
        session = CrawlSession.of(self.crawler)
        self.archive, self.captures = session.archive, session.captures
        if self.captures is not None:
            for request in self._replay_start():
                yield request
            return
        for request in self._retries():
            yield request
        if self.template and self.window is not None:
            yield self._jump(self.window.end, tries_left=self.jump_tries)
        else:
            yield self._front_page()

    def _replay_start(self) -> Iterator[scrapy.Request]:
        """A reparse: every captured page view, then (when the walk is done) the articles
        none of them links. The range is the whole of time unless one was given."""
        assert self.captures is not None
        self.window = self.requested if not self.requested.scheduled else DateRange(None, None)
        self.refetch = True  # every article the captures hold is read again
        self.crawler.signals.connect(self._ask_for_orphans, signal=signals.spider_idle)
        for url in self.captures.page_views():
            yield scrapy.Request(
                url, callback=self.parse_listing, errback=self.listing_failed, cb_kwargs={"seed": True}
            )

    def _ask_for_orphans(self) -> None:
        assert self.captures is not None and self.window is not None
        if self._orphans_asked:
            return
        self._orphans_asked = True
        orphans = self.captures.articles_not_asked(self.window)
        for url in orphans:
            self.crawler.engine.crawl(
                scrapy.Request(url, callback=self.parse_article, errback=self.article_failed)
            )
        if orphans:
            raise DontCloseSpider

    def _base(self, url: str) -> str:
        """The site root ``url`` is read against: the configured one, or in a reparse the
        root the captures show for it (they may span a move to another host or scheme)."""
        if self.captures is None:
            return self.base_url
        return self.captures.base_for(url, self.base_url)

    def _retries(self) -> Iterator[scrapy.Request | FileRetry]:
        """What earlier runs recorded as failed, fewest attempts first."""
        assert self.archive is not None
        failed = self.archive.open_failures(max_attempts=self.retry_max_attempts, limit=self.retry_limit)
        front = self.base_url + "/"
        if failed:
            logger.info("retrying %d recorded failures first", len(failed))
        for failure in failed:
            # On today's base URL: the archive may have moved to a mirror since.
            url = urls.on_base(self.base_url, failure["url"])
            if url == front:
                continue  # every run starts there anyway
            if failure["kind"] in FILE_KINDS:
                yield FileRetry(url=url, kind=failure["kind"], issue_date=failure["issue_date"])
            elif failure["kind"] == "article":
                yield scrapy.Request(
                    url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    priority=_RETRY_PRIORITY,
                )
            else:
                # Unfiltered, so that the walk's own request for the same page (a step on
                # the way back, read differently) is not dropped as a duplicate of this one.
                yield scrapy.Request(
                    url,
                    callback=self.parse_listing,
                    errback=self.listing_failed,
                    priority=_RETRY_PRIORITY,
                    cb_kwargs={"retry": True},
                    dont_filter=True,
                )

    def _front_page(self) -> scrapy.Request:
        return scrapy.Request(
            self.base_url + "/",
            callback=self.parse_listing,
            priority=_WALK_PRIORITY,
            errback=self.listing_failed,
            cb_kwargs={"front": True},
        )

    def _jump(self, day: date, *, tries_left: int) -> scrapy.Request:
        url = urls.issue_url_from_template(self.template, self.base_url, day)
        return scrapy.Request(
            url,
            callback=self.parse_listing,
            errback=self.jump_failed,
            priority=_WALK_PRIORITY,
            cb_kwargs={"jump": (day, tries_left)},
        )

    def jump_failed(self, failure: Failure) -> Iterator[scrapy.Request]:
        day, tries_left = failure.request.cb_kwargs["jump"]
        yield from self._next_jump(day, tries_left, reason=repr(failure.value))

    def _next_jump(self, day: date, tries_left: int, reason: str) -> Iterator[scrapy.Request]:
        earlier = day - timedelta(days=1)
        if tries_left > 1 and self.window is not None and earlier >= self.window.start:
            yield self._jump(earlier, tries_left=tries_left - 1)
            return
        if self.window is not None and earlier < self.window.start and self.template_worked:
            return  # the template is right and the range simply has no (more) issues
        logger.warning(
            "issue URL template gave no issue near %s (%s); walking from the front page", day, reason
        )
        self.crawler.stats.inc_value(stat.JUMP_FALLBACK)
        yield self._front_page()

    # -- page (版面) views ----------------------------------------------------------------

    def parse_listing(
        self,
        response: Response,
        *,
        front: bool = False,
        jump: tuple[date, int] | None = None,
        hops: int = 0,
        retry: bool = False,
        seed: bool = False,
    ) -> Iterator[Any]:
        """A page view: its issue and page, its articles, the issue's other pages and the way
        back. ``front``: the front page (it names the latest issue); ``jump``: the day a
        template URL was built for and the tries left; ``hops``: forwards followed from the
        front page; ``retry``: a page that failed in an earlier run (no walk from it);
        ``seed``: a reparse's captured HTML answer, which may not be a page view at all."""
        if not isinstance(response, TextResponse):
            yield self._listing_failure(response.request.url, "not an HTML page")
            return
        try:
            listing = parse_listing(
                response.body,
                response.url,
                base_url=self._base(response.url),
                content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
            )
        except ListingParseError as exc:
            if seed:
                logger.info("capture not read as a page view: %s: %s", response.url, exc)
            else:
                yield self._listing_failure(response.request.url, str(exc))
            return
        if seed and listing.issue_date is None:
            # A front page or a portal (what it forwards to is captured too), or not a page
            # view at all: an HTML answer where a picture was promised, say.
            logger.debug("capture without an issue date: %s", response.url)
            return
        self.crawler.stats.inc_value(stat.PAGES_READ)
        # Every address that led here is read: a page that failed and now redirects too.
        for url in dict.fromkeys([*response.meta.get("redirect_urls", ()), response.request.url]):
            yield Fetched(url=url)
        if listing.issue_date is None:
            yield from self._undated(response, listing, jump, hops=hops, front=front)
            return
        if retry:
            yield from self._revisit(listing)
            return
        if front:
            self.latest = listing.issue_date
        if jump:
            if listing.issue_date != jump[0]:
                yield from self._next_jump(jump[0], jump[1], reason=f"template led to {listing.issue_date}")
                return
            self.template_worked = True
        if self.window is None:
            self.window = self.requested.recheck_window(listing.issue_date, self.recheck_days)
            logger.info("latest issue %s; re-checking from %s", listing.issue_date, self.window.start)
        yield from self._visit(listing)

    def _undated(
        self, response: Response, listing: Listing, jump: tuple[date, int] | None, *, hops: int, front: bool
    ) -> Iterator[Any]:
        """A front page that only frames or forwards to the real one, or a jump that missed."""
        targets = listing.redirects or [link.url for link in listing.pages[:1]]
        if not targets and hops < _MAX_FORWARD_HOPS:
            targets = _forward_links(listing.other_links)
        for target in targets:
            yield scrapy.Request(
                target,
                callback=self.parse_listing,
                errback=self.listing_failed,
                priority=_WALK_PRIORITY,
                cb_kwargs={"hops": hops + 1, "front": front},
            )
        if not targets:
            if jump:
                yield from self._next_jump(jump[0], jump[1], reason="no issue date on the page")
            else:
                yield self._listing_failure(response.request.url, "no issue date and no link to an issue")

    def _visit(self, listing: Listing) -> Iterator[Any]:
        issue_date = listing.issue_date
        assert self.window is not None and issue_date is not None
        # A reparse starts from every captured page view: it has no need to walk.
        older = self.captures is None and self.window.start is not None and issue_date > self.window.start
        if self.window.end is not None and issue_date > self.window.end:
            if self.captures is None:
                yield from self._walk(listing.prev_issues, issue_date)
            return
        if self.window.start is not None and issue_date < self.window.start:
            return
        if self.captures is not None and not self.captures.visited(issue_date):
            return
        if issue_date not in self.issues_announced:
            self.issues_announced.add(issue_date)
            yield issue_of(listing)
        page = page_of(listing)
        if page is not None:
            yield page
        yield from self._articles(listing, self.window)
        if not self._stored_whole(issue_date):
            for link in listing.pages:
                yield scrapy.Request(
                    link.url,
                    callback=self.parse_listing,
                    errback=self.listing_failed,
                    priority=_priority(issue_date, _PAGE_STEP),
                )
        if older:
            earlier = listing.prev_issues or _latest_before(listing.other_links, issue_date)
            if earlier:
                yield from self._walk(earlier, issue_date)
            elif self.template:
                yield self._jump(issue_date - timedelta(days=1), tries_left=self.jump_tries)

    def _revisit(self, listing: Listing) -> Iterator[Any]:
        """A page that failed in an earlier run: its own issue's items and articles, no walk."""
        assert listing.issue_date is not None
        yield issue_of(listing)
        page = page_of(listing)
        if page is not None:
            yield page
        yield from self._articles(listing, DateRange(listing.issue_date, listing.issue_date))

    def _walk(self, targets: list[str], from_date: date) -> Iterator[scrapy.Request]:
        for target in targets[:1]:
            yield scrapy.Request(
                target,
                callback=self.parse_listing,
                errback=self.listing_failed,
                priority=_priority(from_date, _WALK_STEP),
            )

    def _articles(self, listing: Listing, window: DateRange) -> Iterator[scrapy.Request]:
        for link, context in article_contexts(listing):
            ref = urls.parse_content_url(self._base(link.url), link.url)
            if ref is None or ref.issue_date not in window:
                continue
            if self._stored_already(ref.issue_date, ref.article_id):
                self.crawler.stats.inc_value(stat.ARTICLES_SKIPPED)
                continue
            # Always the desktop form (the canonical one): a mobile link to an article the
            # desktop list also names costs no second request.
            yield scrapy.Request(
                link.url,
                callback=self.parse_article,
                errback=self.article_failed,
                priority=_priority(ref.issue_date, _ARTICLE_STEP),
                cb_kwargs={"context": context, "fallback": link.mobile_only_url},
            )

    # -- what the archive already holds ---------------------------------------------------

    def _rechecked(self, issue_date: date) -> bool:
        """Whether an issue is recent enough to be fetched again for late edits."""
        if self.refetch:
            return True
        latest = self.latest or self._newest_stored()
        return latest is None or issue_date >= latest - timedelta(days=self.recheck_days)

    def _newest_stored(self) -> date | None:
        """Until the front page has said which issue is the latest (a retry comes first, or
        a template jump skips it), the archive's newest issue stands in for it."""
        if self._archive_latest is None and self.archive is not None:
            newest = self.archive.newest_issue_date()
            self._archive_latest = date.fromisoformat(newest) if newest else False
        return self._archive_latest or None

    def _stored_already(self, issue_date: date, article_id: str) -> bool:
        if self.archive is None or self._rechecked(issue_date):
            return False
        key = issue_date.isoformat()
        known = self._known.get(key)
        if known is None:
            if len(self._known) >= _KNOWN_DATES_CACHED:
                self._known.pop(next(iter(self._known)))
            known = self._known[key] = self.archive.stored_article_ids(key)
        return article_id in known

    def _stored_whole(self, issue_date: date) -> bool:
        """An issue outside the re-check window that the archive holds completely: its
        first page (for the way back) is all the crawl needs to visit."""
        if self.archive is None or self._rechecked(issue_date):
            return False
        if issue_date not in self._complete:
            self._complete[issue_date] = self.archive.issue_complete(
                issue_date.isoformat(), max_attempts=self.retry_max_attempts
            )
        if self._complete[issue_date]:
            self.crawler.stats.inc_value(stat.ISSUES_COMPLETE_SKIPPED)
        return self._complete[issue_date]

    # -- articles ----------------------------------------------------------------------

    def parse_article(
        self, response: Response, *, context: PageContext | None = None, fallback: str | None = None
    ) -> Iterator[Any]:
        """An article page, read with the ``context`` of the page view that listed it;
        ``fallback`` is the errback's (the mobile form, when only that was linked)."""
        if not isinstance(response, TextResponse):
            yield self._article_failure(response.request.url, "not an HTML page")
            return
        try:
            article = parse_article(
                response.body,
                response.url,
                base_url=self._base(response.url),
                content_type=response.headers.get("Content-Type", b"").decode("latin-1"),
                context=context,
            )
        except ArticleParseError as exc:
            yield self._article_failure(response.request.url, str(exc), stage="parse")
            return
        yield article

    def article_failed(self, failure: Failure) -> Iterator[Any]:
        request = failure.request
        fallback = request.cb_kwargs.get("fallback")
        if fallback and fallback != request.url:
            yield request.replace(url=fallback, cb_kwargs={**request.cb_kwargs, "fallback": None})
            return
        yield self._article_failure(request.url, _failure_reason(failure), _failure_status(failure))

    def listing_failed(self, failure: Failure) -> Iterator[FetchFailure]:
        yield self._listing_failure(failure.request.url, _failure_reason(failure), _failure_status(failure))

    def _article_failure(
        self, url: str, reason: str, status: int | None = None, stage: str = "fetch"
    ) -> FetchFailure:
        logger.warning("article not stored: %s: %s", url, reason)
        self.crawler.stats.inc_value(stat.FAILED["article"])
        base = self._base(url)
        ref = urls.parse_content_url(base, url)
        return FetchFailure(
            url=urls.canonical_article_url(base, url) or url,
            kind="article",
            error=reason,
            issue_date=ref.issue_date.isoformat() if ref else None,
            status=status,
            stage=stage,
        )

    def _listing_failure(self, url: str, reason: str, status: int | None = None) -> FetchFailure:
        logger.warning("page not read: %s: %s", url, reason)
        self.crawler.stats.inc_value(stat.FAILED["page"])
        day = urls.date_in_url(url)
        return FetchFailure(
            url=url, kind="page", error=reason, issue_date=day.isoformat() if day else None, status=status
        )


def _newest_dated(links: list[str], before: date | None = None) -> list[str]:
    """The links whose URL spells the newest date (earlier than ``before``, if given)."""
    dated = [(urls.date_in_url(link), link) for link in links]
    dated = [(day, link) for day, link in dated if day is not None and (before is None or day < before)]
    if not dated:
        return []
    newest = max(day for day, _ in dated)
    return [link for day, link in dated if day == newest]


def _latest_before(links: list[str], issue_date: date) -> list[str]:
    """Without a 上一期 link, the way back is the newest earlier date the page links to
    (an archive calendar, a 往期 list)."""
    return _newest_dated(links, before=issue_date)[:1]


def _forward_links(links: list[str]) -> list[str]:
    """Where a front page without an issue leads: its newest dated links, else its only few."""
    newest = _newest_dated(links)
    if newest:
        return newest[:_MAX_FORWARDS]
    return links if len(links) <= _MAX_FORWARDS else []


def _failure_status(failure: Failure) -> int | None:
    return failure.value.response.status if failure.check(HttpError) else None


def _failure_reason(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    return f"{type(failure.value).__name__}: {failure.value}"
