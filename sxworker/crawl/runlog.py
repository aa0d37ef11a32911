"""What a run's outcome is: the counters its ``crawl_runs`` row keeps and the verdict that
decides ``scrapy crawl``'s exit status (the crawl session writes the row: crawl/session.py)."""

from __future__ import annotations

import logging
from typing import Any

from sxworker.crawl import stats as stat

logger = logging.getLogger(__name__)

# Outcomes after which cron has nothing to worry about: failures are in the ledger and the
# next run retries them first.
GOOD_OUTCOMES = ("ok", "failures")
# The reason the layout watch closes the spider with (crawl/layout.py).
FINISH_REASON = "layout_changed"
_NOTHING_READ = "no page of the site could be read: is it down, or SXWORKER_BASE_URL wrong?"
_UNWRITTEN = "{count} file{s} could not be written to FILES_STORE (each is in the log above and the ledger)"


def counters(stats: Any) -> dict[str, Any]:
    """What the run did, as its row records it."""
    return {
        "requests": stats.get_value("downloader/request_count", 0),
        "articles_new": stats.get_value(stat.ARTICLES_NEW, 0),
        "articles_changed": stats.get_value(stat.ARTICLES_CHANGED, 0),
        "articles_unchanged": stats.get_value(stat.ARTICLES_UNCHANGED, 0),
        "articles_skipped": stats.get_value(stat.ARTICLES_SKIPPED, 0),
        "failed": stat.total(stats, stat.FAILED),
        "invalid": stat.total(stats, stat.INVALID),
    }


def outcome(
    stats: Any, reason: str, done: dict[str, Any], *, replaying: bool = False
) -> tuple[str, str | None]:
    """The run's outcome and the message its row keeps (the layout alarm's, say)."""
    unwritten = stats.get_value(stat.FILES_UNWRITTEN, 0)
    problems = unwritten + sum(
        stats.get_value(name, 0)
        for name in ("spider_exceptions/count", stat.ITEM_ERRORS, stat.STORE_UNSAVED, stat.STORE_REFUSED)
    )
    message = stats.get_value(stat.LAYOUT_ALARM)
    if unwritten and not message:
        # Retrying will not help until someone sees to the store: said once, for cron's mail.
        message = _UNWRITTEN.format(count=unwritten, s="" if unwritten == 1 else "s")
        logger.error(message)
    if reason == FINISH_REASON:
        verdict = "layout-alarm"
    elif reason == "shutdown":
        verdict = "interrupted"
    elif reason != "finished" or problems:
        verdict = "error"
    else:
        verdict = "failures" if done["failed"] or done["invalid"] else "ok"
    if verdict in GOOD_OUTCOMES and not replaying and not stats.get_value(stat.PAGES_READ):
        # Nothing to store is not a quiet day: cron must hear that the site was unreachable.
        # (A reparse of captures that hold only articles reads no page view, rightly.)
        logger.error(_NOTHING_READ)
        return "error", _NOTHING_READ
    return verdict, message
