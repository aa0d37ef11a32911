"""Item pipelines, one job each: watch the layout → validate → dedupe → store."""

from __future__ import annotations

import logging
from typing import Any

from itemadapter import ItemAdapter
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem

from sxworker import config
from sxworker.archive import Archive, StoreResult, page_key, shown
from sxworker.archive.files import STORED
from sxworker.crawl import stats as stat
from sxworker.crawl.batches import PatientWriter
from sxworker.crawl.layout import LayoutWatchPipeline
from sxworker.crawl.session import CrawlSession
from sxworker.site.items import Article, Fetched, FetchFailure, Issue, Page

logger = logging.getLogger(__name__)

REQUIRED = {
    Article: ("article_id", "url", "issue_date", "title", "body"),
    Page: ("issue_date", "url"),
    Issue: ("issue_date",),
}


# What each record is called in stat keys and the store's batches: by its type, not its
# class name.
_KIND = {Issue: "issue", Page: "page", Article: "article", FetchFailure: "fetchfailure", Fetched: "fetched"}


def _kind(item: Any) -> str | None:
    return _KIND.get(type(item))


class ValidatePipeline:
    """An item missing a required field goes on as the failure it is: a
    :class:`FetchFailure` the store records in the ledger (the next run fetches the page
    again), logged with its URL and counted."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ValidatePipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        missing = [name for name in REQUIRED.get(type(item), ()) if not adapter.get(name)]
        if not missing:
            return item
        kind = _kind(item)
        self.stats.inc_value(stat.INVALID[kind])
        where = adapter.get("source_url") or adapter.get("url")
        message = f"invalid {kind} at {where}: missing {', '.join(missing)}"
        logger.warning(message)
        url = adapter.get("url") or where
        if not url:
            raise DropItem(message)  # nothing to record it under
        issue_date = adapter.get("issue_date")
        return FetchFailure(url=url, kind=kind, error=message, issue_date=issue_date, stage="parse")


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
            self.stats.inc_value(stat.DUPLICATE[_kind(item)])
            raise DropItem(f"duplicate {_kind(item)} {key[1:]}", log_level="DEBUG")
        self.seen.add(key)
        return item


# Files first: an item and its files' records go in one batch, the files' written before it.
_KINDS = ("file", "issue", "page", "article", "fetchfailure", "fetched")


class StorePipeline:
    """Writes items to the archive in batches; flushes on close, also after an error.
    Failures go to the archive's ledger, and what was stored or fetched resolves them."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.batch_size = config.read(crawler.settings, "SXWORKER_BATCH_SIZE")
        self.archive: Archive | None = None
        self.pending: dict[str, list[dict[str, Any]]] = {kind: [] for kind in _KINDS}
        self.result = StoreResult()
        self.issue_dates: set[str] = set()
        self.writer = PatientWriter(crawler.stats, "items")
        self.layout: LayoutWatchPipeline | None = None
        # Failures a reparse finds in the captures were not tried by this archive.
        self.attempt = True

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def open_spider(self, spider: Any = None) -> None:
        session = CrawlSession.of(self.crawler)
        self.archive, self.attempt = session.archive, not session.replaying
        # The layout watch is asked, through Scrapy's public lookup, whether its alarm has
        # fired; a store used on its own, outside a crawl, has none to ask (Scrapy raises).
        try:
            self.layout = self.crawler.get_item_pipeline(LayoutWatchPipeline)
        except RuntimeError:
            self.layout = None

    def process_item(self, item: Any, spider: Any = None) -> Any:
        kind = _kind(item)
        if kind is None:
            return item  # not the archive's (a file to retry is the files pipeline's)
        self.pending[kind].append(ItemAdapter(item).asdict())
        self._flush_when_full()
        return item

    def add_file(self, row: dict[str, Any]) -> None:
        """A file's record from the files pipeline (which runs first), written before the
        item that named the file, in the same batch."""
        self.pending["file"].append(row)

    def _flush_when_full(self) -> None:
        full = sum(len(rows) for rows in self.pending.values()) >= self.batch_size
        if full and self.writer.due():
            self.flush()

    def flush(self) -> bool:
        """Write what is pending; what the archive refuses for now is kept for later."""
        if self.archive is None:
            return True
        batch, self.pending = self.pending, {kind: [] for kind in _KINDS}
        if self.layout is not None and self.layout.alarm and batch["article"]:
            # The site's layout changed under the parser: what it read now is not stored
            # over what the archive holds (the next run fetches these articles again).
            logger.error("layout alarm: %d articles not stored", len(batch["article"]))
            self.stats.inc_value(stat.ARTICLES_WITHHELD, len(batch["article"]))
            batch["article"] = []
        return self.writer.write(batch, self._write, self._keep)

    def _keep(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        for kind in _KINDS:
            self.pending[kind][:0] = batch[kind]

    def _write(self, batch: dict[str, list[dict[str, Any]]]) -> None:
        assert self.archive is not None
        files, issues, pages, articles, failures, fetched = (batch[kind] for kind in _KINDS)
        self._write_files(files)
        # Issues and pages first, so a reader never sees an article whose page is missing.
        self.archive.store_issues(issues)
        self.archive.store_pages(pages)
        self.stats.inc_value(stat.STORED["issue"], len(issues))
        self.stats.inc_value(stat.STORED["page"], len(pages))
        result = self.archive.store_articles(articles)
        self.issue_dates.update(row["issue_date"] for row in articles)
        self.result += result
        for key, count in ((stat.ARTICLES_NEW, result.new), (stat.ARTICLES_CHANGED, result.changed)):
            self.stats.inc_value(key, count)
        self.stats.inc_value(stat.ARTICLES_UNCHANGED, result.unchanged)
        # What was stored or read resolves its failure; then this batch's failures are
        # recorded (a URL that failed after it was read — a retry gone bad — stays failed).
        done = [row["url"] for row in (*articles, *pages, *fetched) if row.get("url")]
        if done:
            self.archive.resolve_failures(done)
        self.archive.record_failures(failures, attempt=self.attempt)

    def _write_files(self, rows: list[dict[str, Any]]) -> None:
        assert self.archive is not None
        self.archive.store_files(rows)
        # The ledger too: an issue with a file still missing is not complete, so the next
        # run visits its pages again and the file is tried again. What a reparse finds in
        # the captures was not tried by this archive: no attempt is counted.
        self.archive.resolve_failures(row["url"] for row in rows if row["status"] == STORED)
        self.archive.record_failures(
            (
                {
                    "url": row["url"],
                    "kind": row["kind"],
                    "issue_date": row["issue_date"],
                    "error": row["error"],
                }
                for row in rows
                if row["status"] != STORED
            ),
            attempt=self.attempt,
        )

    def close_spider(self, spider: Any = None) -> None:
        # The archive is the session's: it closes it once the run's row is written.
        self.writer.close(self.flush, lambda: sum(len(rows) for rows in self.pending.values()))
        if self.archive is not None:
            self.archive.fill_page_facts(self.issue_dates)
        logger.info(
            "archive %s: %d new, %d changed, %d unchanged articles",
            shown(CrawlSession.of(self.crawler).target),
            self.result.new,
            self.result.changed,
            self.result.unchanged,
        )
