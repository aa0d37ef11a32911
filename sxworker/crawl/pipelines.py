"""Item pipelines, one job each: watch the layout → validate → dedupe → store."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from sxworker import config
from sxworker.archive import Archive, StoreResult
from sxworker.archive.store import page_key
from sxworker.crawl.batches import PatientWriter
from sxworker.crawl.layout import LAYOUT_ALARM_STAT
from sxworker.site.items import Article, Issue, Page

logger = logging.getLogger(__name__)

REQUIRED = {
    Article: ("article_id", "url", "issue_date", "title", "body"),
    Page: ("issue_date", "url"),
    Issue: ("issue_date",),
}


def _kind(item: Any) -> str:
    return type(item).__name__.lower()


class InvalidItem(DropItem):
    """An item the site gave without a required field: dropped, and recorded as a failure."""

    def __init__(self, message: str, *, url: str | None, kind: str, issue_date: str | None) -> None:
        super().__init__(message)
        self.url = url
        self.kind = kind
        self.issue_date = issue_date


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
            raise InvalidItem(
                f"invalid {_kind(item)} at {where}: missing {', '.join(missing)}",
                url=adapter.get("url") or where,
                kind=_kind(item),
                issue_date=adapter.get("issue_date"),
            )
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
        elif isinstance(item, Issue):
            key = ("issue", adapter["issue_date"])
        else:
            return item
        if key in self.seen:
            self.stats.inc_value(f"sxworker/duplicate/{_kind(item)}")
            raise DropItem(f"duplicate {_kind(item)} {key[1:]}", log_level="DEBUG")
        self.seen.add(key)
        return item


_KINDS = ("issue", "page", "article", "fetchfailure", "fetched")


class StorePipeline:
    """Writes items to the archive in batches; flushes on close, also after an error.
    Failures go to the archive's ledger, and what was stored or fetched resolves them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.target = config.read(crawler.settings, "SXWORKER_DB")
        self.batch_size = config.read(crawler.settings, "SXWORKER_BATCH_SIZE")
        self.archive: Archive | None = None
        self.pending: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _KINDS}
        self.result = StoreResult()
        self.issue_dates: set[str] = set()
        self.writer = PatientWriter(crawler.stats, "items")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        return pipeline

    def item_dropped(self, item: Any, exception: BaseException, **_kwargs: Any) -> None:
        if isinstance(exception, InvalidItem) and exception.url:
            self.pending["fetchfailure"].append(
                {
                    "url": exception.url,
                    "kind": exception.kind,
                    "error": str(exception),
                    "issue_date": exception.issue_date,
                    "status": None,
                }
            )

    def open_spider(self, spider: Any = None) -> None:
        self.archive = Archive.open(self.target)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if _kind(item) not in self.pending:
            return item  # not the archive's (a file to retry is the files pipeline's)
        self.pending[_kind(item)].append(ItemAdapter(item).asdict())
        full = sum(len(rows) for rows in self.pending.values()) >= self.batch_size
        if full and self.writer.due():
            self.flush()
        return item

    def flush(self) -> bool:
        """Write what is pending; what the archive refuses for now is kept for later."""
        if self.archive is None:
            return True
        batch, self.pending = self.pending, {kind: [] for kind in _KINDS}
        if self.stats.get_value(LAYOUT_ALARM_STAT) and batch["article"]:
            # The site's layout changed under the parser: what it read now is not stored
            # over what the archive holds (the next run fetches these articles again).
            logger.error("layout alarm: %d articles not stored", len(batch["article"]))
            self.stats.inc_value("sxworker/articles/withheld", len(batch["article"]))
            batch["article"] = []
        return self.writer.write(batch, self._write, self._keep)

    def _keep(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        for kind in _KINDS:
            self.pending[kind][:0] = batch[kind]

    def _write(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        assert self.archive is not None
        issues, pages, articles, failures, fetched = (batch[kind] for kind in _KINDS)
        # Issues and pages first, so a reader never sees an article whose page is missing.
        self.archive.store_issues(issues)
        self.archive.store_pages(pages)
        result = self.archive.store_articles(articles)
        self.issue_dates.update(row["issue_date"] for row in articles)
        self.result += result
        for name in ("new", "changed", "unchanged"):
            self.stats.inc_value(f"sxworker/articles/{name}", getattr(result, name))
        # What was stored or read resolves its failure; then this batch's failures are
        # recorded (a URL that failed after it was read — a retry gone bad — stays failed).
        done = [row["url"] for row in (*articles, *pages, *fetched) if row.get("url")]
        if done:
            self.archive.resolve_failures(done)
        self.archive.record_failures(failures)

    def close_spider(self, spider: Any = None) -> None:
        try:
            self.writer.close(self.flush, lambda: sum(len(rows) for rows in self.pending.values()))
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
