"""The run log: every crawl leaves a ``crawl_runs`` row saying what it was asked, what it
did and how it ended; the outcome also decides ``scrapy crawl``'s exit status."""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from sxworker import config
from sxworker.archive import Archive
from sxworker.crawl import stats as stat
from sxworker.crawl.layout import FINISH_REASON

logger = logging.getLogger(__name__)

# Outcomes after which cron has nothing to worry about: failures are in the ledger and the
# next run retries them first.
GOOD_OUTCOMES = ("ok", "failures")
# Settings worth knowing when reading a run's row later.
_NOTHING_READ = "no page of the site could be read: is it down, or SXWORKER_BASE_URL wrong?"
_LOGGED_SETTINGS = ("SXWORKER_BASE_URL", "SXWORKER_RECHECK_DAYS", "SXWORKER_REFETCH", "JOBDIR")


class RunLog:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.target = config.read(crawler.settings, "SXWORKER_DB")
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunLog:
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.item_error, signal=signals.item_error)
        return extension

    def item_error(self, *_args: Any, **_kwargs: Any) -> None:
        # Scrapy logs an exception raised in a pipeline but keeps no count of them.
        self.crawler.stats.inc_value(stat.ITEM_ERRORS)

    def spider_opened(self, spider: Spider) -> None:
        requested = getattr(spider, "requested", None)
        start = requested.start.isoformat() if requested and requested.start else None
        end = requested.end.isoformat() if requested and requested.end else None
        settings = {name: self.crawler.settings.get(name) for name in _LOGGED_SETTINGS}
        with Archive.open(self.target) as archive:
            self.run_id = archive.start_run(
                mode="range" if start else "scheduled",
                range_start=start,
                range_end=end,
                args={"start": start, "end": end, "settings": settings},
            )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        counters = {
            "requests": stats.get_value("downloader/request_count", 0),
            "articles_new": stats.get_value(stat.ARTICLES_NEW, 0),
            "articles_changed": stats.get_value(stat.ARTICLES_CHANGED, 0),
            "articles_unchanged": stats.get_value(stat.ARTICLES_UNCHANGED, 0),
            "articles_skipped": stats.get_value(stat.ARTICLES_SKIPPED, 0),
            "failed": stat.total(stats, stat.FAILED),
            "invalid": stat.total(stats, stat.INVALID),
        }
        problems = sum(
            stats.get_value(name, 0)
            for name in ("spider_exceptions/count", stat.ITEM_ERRORS, stat.STORE_UNSAVED, stat.STORE_REFUSED)
        )
        outcome = _outcome(reason, counters, problems)
        message = stats.get_value(stat.LAYOUT_ALARM)
        if outcome in GOOD_OUTCOMES and not stats.get_value(stat.PAGES_READ):
            # Nothing to store is not a quiet day: cron must hear that the site was unreachable.
            outcome, message = "error", _NOTHING_READ
            logger.error(_NOTHING_READ)
        stats.set_value(stat.OUTCOME, outcome)
        window = getattr(spider, "window", None)
        if self.run_id is None:
            return
        with Archive.open(self.target) as archive:
            archive.finish_run(
                self.run_id,
                outcome=outcome,
                finish_reason=reason,
                counters=counters,
                fill_rates=stats.get_value(stat.FILL_RATES),
                message=message,
                range_start=window.start.isoformat() if window and window.start else None,
                range_end=window.end.isoformat() if window and window.end else None,
            )
        log = logger.info if outcome in GOOD_OUTCOMES else logger.error
        log("run %d ended: %s (%s)", self.run_id, outcome, reason)


def _outcome(reason: str, counters: dict[str, Any], problems: int) -> str:
    if reason == FINISH_REASON:
        return "layout-alarm"
    if reason == "shutdown":
        return "interrupted"
    if reason != "finished" or problems:
        return "error"
    return "failures" if counters["failed"] or counters["invalid"] else "ok"
