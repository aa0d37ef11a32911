"""Batched writes that neither block the crawl nor lose what they could not write.

A write the database refuses *for now* (locked past SQLite's busy timeout, the server
gone) keeps its rows for a later try — every archive write is an idempotent upsert, so
writing a batch twice is harmless — and the next try waits a while instead of coming at
every item (each try can block for the whole busy timeout). A batch the database refuses
for good (a row it cannot take) is written row by row, so one bad row costs only itself.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from scrapy.statscollectors import StatsCollector
from sqlalchemy.exc import DBAPIError, OperationalError

from sxworker.crawl import stats as stat

logger = logging.getLogger(__name__)

_RETRY_PAUSE = 30.0
# At close, a batch the archive refused is tried again after these pauses.
_CLOSE_WAITS = (1.0, 5.0, 0.0)

Rows = dict[str, list[dict[str, Any]]]


class PatientWriter:
    def __init__(self, stats: StatsCollector, what: str) -> None:
        self.stats = stats
        self.what = what
        self.next_try = 0.0

    def due(self) -> bool:
        return time.monotonic() >= self.next_try

    def write(self, batch: Rows, write: Callable[[Rows], None], keep: Callable[[Rows], None]) -> bool:
        """``write(batch)``; on a passing refusal ``keep(batch)`` and say False."""
        try:
            write(batch)
        except OperationalError as exc:
            keep(batch)
            self.next_try = time.monotonic() + _RETRY_PAUSE
            self.stats.inc_value(stat.STORE_DEFERRED)
            logger.error(
                "archive not writable, %d %s kept for the next write: %s",
                _count(batch),
                self.what,
                _first_line(exc),
            )
            return False
        except DBAPIError:
            self._row_by_row(batch, write)
        return True

    def _row_by_row(self, batch: Rows, write: Callable[[Rows], None]) -> None:
        for kind, rows in batch.items():
            for row in rows:
                single = {name: [] for name in batch}
                single[kind] = [row]
                try:
                    write(single)
                except OperationalError:
                    raise
                except DBAPIError as exc:
                    self.stats.inc_value(stat.STORE_REFUSED)
                    logger.error("archive refused %s %s: %s", kind, row.get("url"), _first_line(exc))

    def close(self, flush: Callable[[], bool], pending: Callable[[], int]) -> None:
        """Flush at the end of the crawl, waiting a little for a busy archive."""
        for wait in _CLOSE_WAITS:
            if flush():
                return
            time.sleep(wait)
        unsaved = pending()
        self.stats.inc_value(stat.STORE_UNSAVED, unsaved)
        logger.error("%d %s not stored; the next run fetches them again", unsaved, self.what)


def _count(batch: Rows) -> int:
    return sum(len(rows) for rows in batch.values())


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig or exc)
    return text.splitlines()[0] if text else type(exc).__name__
