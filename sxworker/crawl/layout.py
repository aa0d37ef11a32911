"""The layout-change alarm: when the site changes a template, the parser still "works" but
finds no title, body or page — a run must stop loudly instead of storing empty fields.

Each article the spider yields (before validation) is scored on the watched fields, and
so is each article page the parser could not read at all (a new template often looks like
that). Over the run's last ``SXWORKER_ALARM_WINDOW`` articles, a field filled in fewer
than ``SXWORKER_ALARM_RATIO`` × its norm stops the run. The norm of an article is the
share of the archive's articles *of its template* that have the field, once the archive
holds enough of that template; otherwise of its year: four decades of templates differ,
and a backfill walking from the 2020s into an era without page numbers is not a layout
change. A template's own norm is sharper than its year's, where templates of one year
differ (one prints page numbers, another not). A year the archive holds too little of
expects only title, body and date.
"""

from __future__ import annotations

import logging
from collections import deque
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from scrapy.utils.defer import deferred_from_coro

from sxworker import config
from sxworker.crawl import stats as stat
from sxworker.crawl.runlog import FINISH_REASON
from sxworker.crawl.session import CrawlSession
from sxworker.site.items import Article, FetchFailure

logger = logging.getLogger(__name__)

WATCHED_FIELDS = ("title", "body", "issue_date", "page_no")
# Without an archive to learn from, the required fields are expected on every article.
_DEFAULT_NORMS = {"title": 1.0, "body": 1.0, "issue_date": 1.0}
# A template's or a year's norm is trusted once it rests on this many articles.
_NORM_SAMPLE = 100
# A field an era mostly lacks cannot raise the alarm.
_MIN_NORM = 0.5


class LayoutWatchPipeline:
    """Scores watched fields per article; a field whose recent fill rate falls well below
    its norm closes the run with reason ``layout_changed`` and holds back every article
    from then on."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        settings = crawler.settings
        self.min_articles = config.read(settings, "SXWORKER_ALARM_MIN_ARTICLES")
        self.ratio = config.read(settings, "SXWORKER_ALARM_RATIO")
        window = max(config.read(settings, "SXWORKER_ALARM_WINDOW"), self.min_articles)
        # Per article: which watched fields it has, and what its template's or year's norm expects.
        self.recent: deque[tuple[dict[str, bool], dict[str, float]]] = deque(maxlen=window)
        self.norms_by_template: dict[str, dict[str, float]] = {}
        self.norms_by_year: dict[str, dict[str, float]] = {}
        # Per field, over the window: articles scored, articles having it, sum of norms.
        self.scored = {name: [0, 0, 0.0] for name in WATCHED_FIELDS}
        self.seen = 0
        self.filled = dict.fromkeys(WATCHED_FIELDS, 0)
        self.alarm: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> LayoutWatchPipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        archive = CrawlSession.of(self.crawler).archive
        by_template = archive.fill_rates_by_template(WATCHED_FIELDS)
        by_year = archive.fill_rates_by_year(WATCHED_FIELDS)
        self.norms_by_template = _norms(by_template)
        self.norms_by_year = _norms(by_year)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        unreadable = isinstance(item, FetchFailure) and item.kind == "article" and item.stage == "parse"
        if not (isinstance(item, Article) or unreadable):
            return item
        if self.alarm and not unreadable:
            self.stats.inc_value(stat.ARTICLES_WITHHELD)
            raise DropItem(f"layout alarm: {ItemAdapter(item).get('url')} not stored")
        self.seen += 1
        has = {name: not unreadable and getattr(item, name) not in (None, "", []) for name in WATCHED_FIELDS}
        for name, present in has.items():
            self.filled[name] += present
        norms = self._norms_of(item)
        if len(self.recent) == self.recent.maxlen:
            self._count(*self.recent[0], sign=-1)
        self.recent.append((has, norms))
        self._count(has, norms, sign=1)
        if len(self.recent) >= self.min_articles and not self.alarm:
            self._check()
        return item

    def _norms_of(self, item: Article | FetchFailure) -> dict[str, float]:
        # An unreadable page has no template; an unknown template (new, or too few stored
        # articles) is judged by its year.
        template = getattr(item, "template", None)
        if template in self.norms_by_template:
            return self.norms_by_template[template]
        return self.norms_by_year.get((item.issue_date or "")[:4], _FALLBACK_NORMS)

    def close_spider(self, spider: Any = None) -> None:
        self.stats.set_value(stat.FILL_RATES, self.rates())

    def rates(self) -> dict[str, float]:
        """The whole run's fill rates (for the run log)."""
        return {name: round(self.filled[name] / self.seen, 4) for name in WATCHED_FIELDS} if self.seen else {}

    def _count(self, has: dict[str, bool], norms: dict[str, float], *, sign: int) -> None:
        """Keep the window's totals as articles enter and leave it (no rescan per article)."""
        for name, norm in norms.items():
            scored = self.scored[name]
            scored[0] += sign
            scored[1] += sign * has[name]
            scored[2] += sign * norm

    def _check(self) -> None:
        fallen = []
        for name, (count, present, expected) in self.scored.items():
            if count < self.min_articles:
                continue
            rate, norm = present / count, expected / count
            if rate < norm * self.ratio:
                fallen.append(f"{name} {rate:.0%} (norm {norm:.0%})")
        if not fallen:
            return
        self.alarm = (
            f"layout change suspected after {self.seen} articles: fill rate of {', '.join(fallen)} "
            f"over the last {len(self.recent)}; the crawl stops and stores no more articles — "
            "check the parsers against the site"
        )
        logger.error(self.alarm)
        self.stats.set_value(stat.LAYOUT_ALARM, self.alarm)
        self.stats.set_value(stat.FILL_RATES, self.rates())
        deferred_from_coro(self.crawler.engine.close_spider_async(reason=FINISH_REASON))


def _norms(groups: dict[str, tuple[int, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """The usable norms of the groups (templates or years) with enough articles."""
    return {
        key: _usable({**_DEFAULT_NORMS, **rates})
        for key, (count, rates) in groups.items()
        if count >= _NORM_SAMPLE
    }


def _usable(norms: dict[str, float]) -> dict[str, float]:
    return {name: norm for name, norm in norms.items() if norm >= _MIN_NORM}


_FALLBACK_NORMS = _usable(_DEFAULT_NORMS)
