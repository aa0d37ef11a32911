"""The crawl session: one per crawl, the extension every other component reaches through
the crawler (``CrawlSession.of(crawler)``, Scrapy's public ``Crawler.get_extension``).

It holds the archive's run lock for the whole crawl (an overlapping cron start gives up at
once: crawl/runlock.py; a reparse's job processes run under the lock their parent holds),
opens the archive once for the spider and every pipeline, writes the run's ``crawl_runs``
row when the spider opens and its outcome (crawl/runlog.py) when it closes — after the
pipelines have flushed — and, for ``sxworker reparse``, holds the WARC captures the crawl
is answered from (crawl/captures.py, crawl/replay.py).

Taken when the crawler builds its extensions, before the engine exists: a lock another run
holds, an archive that cannot be opened or captures that cannot be read fail the crawl's
start, which ``scrapy crawl`` and ``sxworker reparse`` turn into one line.
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from sxworker import config
from sxworker.archive import Archive, now_utc
from sxworker.crawl import runlog
from sxworker.crawl import stats as stat
from sxworker.crawl.captures import Captures
from sxworker.crawl.runlock import archive_lock

logger = logging.getLogger(__name__)

# Set by ``sxworker reparse`` only (so not an SXWORKER_* setting a user sets): the WARC files,
# oldest first, the crawl is answered from instead of the site.
REPLAY_SETTING = "REPLAY_WARC_FILES"
# Set by ``sxworker reparse --jobs`` for each of its job processes: the pid of the process
# that holds the archive's run lock for them all. Honoured only in a child of that process.
LOCK_HELD_SETTING = "REPARSE_LOCK_HELD_BY"
# Settings worth knowing when reading a run's row later.
_LOGGED_SETTINGS = ("SXWORKER_BASE_URL", "SXWORKER_RECHECK_DAYS", "SXWORKER_REFETCH", "JOBDIR")


def _lock_held_by_parent(settings: Any) -> bool:
    holder = settings.getint(LOCK_HELD_SETTING, 0)
    return bool(holder) and holder == os.getppid()


class CrawlSession:
    """The run lock, the one open archive, the run's row and (in a reparse) the captures."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.target: str = config.read(settings, "SXWORKER_DB")
        files = [Path(name) for name in settings.getlist(REPLAY_SETTING)]
        self.run_id: int | None = None
        self._held = ExitStack()
        # Read before anything is locked or written: damaged input changes nothing.
        self.captures: Captures | None = Captures.read(files) if files else None
        try:
            if self.captures is not None:
                self._held.callback(self.captures.close)
            if not _lock_held_by_parent(settings):
                lock_file = config.read(settings, "SXWORKER_LOCK_FILE")
                self._held.enter_context(archive_lock(self.target, lock_file))
            self.archive: Archive = self._held.enter_context(Archive.open(self.target))
        except BaseException:
            self._held.close()
            raise

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlSession:
        session = cls(crawler)
        crawler.signals.connect(session.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(session.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(session.item_error, signal=signals.item_error)
        return session

    @classmethod
    def of(cls, crawler: Crawler) -> CrawlSession:
        """The crawl's session; a component used without one (EXTENSIONS) is a setup error."""
        session = crawler.get_extension(cls)
        if session is None:
            raise RuntimeError("sxworker's components need the CrawlSession extension (EXTENSIONS)")
        return session

    @property
    def replaying(self) -> bool:
        """Whether this crawl is answered from captures (a reparse), not from the site."""
        return self.captures is not None

    def fetched_at(self, response: Response) -> str:
        """When a response was fetched: now, or in a reparse the capture's WARC-Date."""
        if self.captures is not None:
            captured = self.captures.date_of(response.url)
            if captured:
                return captured
        return now_utc()

    def close(self) -> None:
        """Close the archive and release the lock (also when the crawl never ran)."""
        self._held.close()

    # -- the run's row -------------------------------------------------------------------

    def item_error(self, *_args: Any, **_kwargs: Any) -> None:
        # Scrapy logs an exception raised in a pipeline but keeps no count of them.
        self.crawler.stats.inc_value(stat.ITEM_ERRORS)

    def spider_opened(self, spider: Spider) -> None:
        requested = getattr(spider, "requested", None)
        start = requested.start.isoformat() if requested and requested.start else None
        end = requested.end.isoformat() if requested and requested.end else None
        settings = {name: self.crawler.settings.get(name) for name in _LOGGED_SETTINGS}
        args: dict[str, Any] = {"start": start, "end": end, "settings": settings}
        if self.captures is not None:
            mode = "reparse"
            args["warc_files"] = [str(path) for path in self.captures.files]
        else:
            mode = "range" if start else "scheduled"
        self.run_id = self.archive.start_run(mode=mode, range_start=start, range_end=end, args=args)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        try:
            self._finish_run(spider, reason)
        finally:
            self.close()

    def _finish_run(self, spider: Spider, reason: str) -> None:
        stats = self.crawler.stats
        if self.captures is not None:
            stats.set_value(stat.REPLAY_FILES, len(self.captures.files))
            stats.set_value(stat.REPLAY_RESPONSES, self.captures.responses)
            stats.set_value(stat.REPLAY_UNREAD, len(self.captures.unread()))
        counters = runlog.counters(stats)
        outcome, message = runlog.outcome(stats, reason, counters, replaying=self.replaying)
        stats.set_value(stat.OUTCOME, outcome)
        if self.run_id is None:
            return
        window = getattr(spider, "window", None)
        self.archive.finish_run(
            self.run_id,
            outcome=outcome,
            finish_reason=reason,
            counters=counters,
            fill_rates=stats.get_value(stat.FILL_RATES),
            message=message,
            range_start=window.start.isoformat() if window and window.start else None,
            range_end=window.end.isoformat() if window and window.end else None,
        )
        log = logger.info if outcome in runlog.GOOD_OUTCOMES else logger.error
        log("run %d ended: %s (%s)", self.run_id, outcome, reason)
