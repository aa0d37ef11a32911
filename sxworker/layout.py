"""The layout-change alarm: when the site changes a template, the parser still "works" but
finds no title, body or page — a run must stop loudly instead of storing empty fields.

Each article the spider yields (before validation) counts towards this run's fill rate of
the watched fields, and so does each article page the parser could not read at all (a new
template often looks like that); the norm is the same rate over the newest articles the
archive holds of the run's date range (for a scheduled run: the newest overall). Without
enough of them, only title, body and date are expected.
"""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from sxworker.archive import Archive
from sxworker.items import Article, FetchFailure

logger = logging.getLogger(__name__)

LAYOUT_ALARM_STAT = "sxworker/layout_alarm"
FILL_RATES_STAT = "sxworker/fill_rates"
WATCHED_FIELDS = ("title", "body", "issue_date", "page_no")
# Without an archive to learn from, the required fields are expected on every article.
_DEFAULT_NORMS = {"title": 1.0, "body": 1.0, "issue_date": 1.0}
# The archive's norm is trusted once it rests on this many articles.
_NORM_SAMPLE = 100
# A field the archive mostly lacks (an era without page numbers) cannot raise the alarm.
_MIN_NORM = 0.5
FINISH_REASON = "layout_changed"


class LayoutWatchPipeline:
    """Counts watched fields per article; past a minimum sample, a field whose fill rate
    falls below ``SXWORKER_ALARM_RATIO`` × its norm closes the run with reason
    ``layout_changed`` and holds back every article from then on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.target = settings.get("SXWORKER_DB")
        self.min_articles = settings.getint("SXWORKER_ALARM_MIN_ARTICLES", 30)
        self.ratio = settings.getfloat("SXWORKER_ALARM_RATIO", 0.5)
        self.norms: dict[str, float] = {}
        self.seen = 0
        self.filled = dict.fromkeys(WATCHED_FIELDS, 0)
        self.alarm: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LayoutWatchPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        # The norm comes from the run's own years: four decades of templates differ (an
        # era without page numbers is not a layout change), so a backfill of the 1980s is
        # not held to what the 2020s pages show.
        requested = getattr(self.crawler.spider, "requested", None)
        since = requested.start.isoformat() if requested and requested.start else None
        until = requested.end.isoformat() if requested and requested.end else None
        with Archive.open(self.target) as archive:
            sample, rates = archive.fill_rates(WATCHED_FIELDS, since=since, until=until)
        self.norms = dict(_DEFAULT_NORMS)
        if sample >= _NORM_SAMPLE:
            self.norms.update(rates)
        self.norms = {name: norm for name, norm in self.norms.items() if norm >= _MIN_NORM}

    def process_item(self, item: Any, spider: Any = None) -> Any:
        unreadable = isinstance(item, FetchFailure) and item.kind == "article" and item.stage == "parse"
        if not (isinstance(item, Article) or unreadable):
            return item
        if self.alarm and not unreadable:
            self.stats.inc_value("sxworker/articles/withheld")
            raise DropItem(f"layout alarm: {ItemAdapter(item).get('url')} not stored")
        self.seen += 1
        if not unreadable:
            for name in WATCHED_FIELDS:
                if getattr(item, name) not in (None, "", []):
                    self.filled[name] += 1
        self.stats.set_value(FILL_RATES_STAT, self.rates())
        if self.seen >= self.min_articles and not self.alarm:
            self._check()
        return item

    def rates(self) -> dict[str, float]:
        return {name: round(self.filled[name] / self.seen, 4) for name in WATCHED_FIELDS} if self.seen else {}

    def _check(self) -> None:
        rates = self.rates()
        fallen = [
            f"{name} {rates[name]:.0%} (norm {norm:.0%})"
            for name, norm in self.norms.items()
            if rates[name] < norm * self.ratio
        ]
        if not fallen:
            return
        self.alarm = (
            f"layout change suspected after {self.seen} articles: fill rate of {', '.join(fallen)}; "
            "the crawl stops and stores no more articles — check the parsers against the site"
        )
        logger.error(self.alarm)
        self.stats.set_value(LAYOUT_ALARM_STAT, self.alarm)
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=FINISH_REASON))
