"""Item pipelines, one job each: validate → dedupe → store."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from sxworker.archive import Archive, StoreResult
from sxworker.archive.store import page_key
from sxworker.items import Article, Issue, Page

logger = logging.getLogger(__name__)

REQUIRED = {
    Article: ("article_id", "url", "issue_date", "title", "body"),
    Page: ("issue_date", "url"),
    Issue: ("issue_date",),
}


def _kind(item: Any) -> str:
    return type(item).__name__.lower()


class ValidatePipeline:
    """Drops an item missing a required field, logging its URL and counting it."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        missing = [name for name in REQUIRED.get(type(item), ()) if not adapter.get(name)]
        if missing:
            self.stats.inc_value(f"sxworker/invalid/{_kind(item)}")
            where = adapter.get("source_url") or adapter.get("url")
            raise DropItem(f"invalid {_kind(item)} at {where}: missing {', '.join(missing)}")
        return item


class DedupePipeline:
    """One record per thing per crawl: an article once by canonical URL, a page once per
    issue and page number, an issue once per date."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.seen: set[tuple[str, ...]] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DedupePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        if isinstance(item, Article):
            key = ("article", adapter["url"])
        elif isinstance(item, Page):
            key = ("page", adapter["issue_date"], page_key(adapter.asdict()))
        else:
            key = ("issue", adapter["issue_date"])
        if key in self.seen:
            self.stats.inc_value(f"sxworker/duplicate/{_kind(item)}")
            raise DropItem(f"duplicate {_kind(item)} {key[1:]}", log_level="DEBUG")
        self.seen.add(key)
        return item


class StorePipeline:
    """Writes items to the archive in batches; flushes on close, also after an error."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.target = crawler.settings.get("SXWORKER_DB")
        self.batch_size = crawler.settings.getint("SXWORKER_BATCH_SIZE", 200)
        self.archive: Archive | None = None
        self.pending: dict[str, list[dict[str, Any]]] = {"issue": [], "page": [], "article": []}
        self.result = StoreResult()
        self.issue_dates: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        self.archive = Archive.open(self.target)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        self.pending[_kind(item)].append(ItemAdapter(item).asdict())
        if sum(len(rows) for rows in self.pending.values()) >= self.batch_size:
            self.flush()
        return item

    def flush(self) -> None:
        if self.archive is None:
            return
        issues, pages, articles = (self.pending[k] for k in ("issue", "page", "article"))
        self.pending = {"issue": [], "page": [], "article": []}
        # Issues and pages first, so a reader never sees an article whose page is missing.
        self.archive.store_issues(issues)
        self.archive.store_pages(pages)
        result = self.archive.store_articles(articles)
        self.issue_dates.update(row["issue_date"] for row in articles)
        self.result += result
        for name in ("new", "changed", "unchanged"):
            self.stats.inc_value(f"sxworker/articles/{name}", getattr(result, name))

    def close_spider(self, spider: Any = None) -> None:
        try:
            self.flush()
            if self.archive is not None:
                self.archive.fill_page_facts(self.issue_dates)
        finally:
            if self.archive is not None:
                self.archive.close()
        logger.info(
            "archive %s: %d new, %d changed, %d unchanged articles",
            self.target,
            self.result.new,
            self.result.changed,
            self.result.unchanged,
        )
