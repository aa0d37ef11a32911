"""Every stat key the crawl writes, in one place. Stats only report: the run log reads them
into the run's row and ``scrapy crawl`` its outcome; no component steers by them."""

from __future__ import annotations

from typing import Any

PAGES_READ = "sxworker/pages/read"
JUMP_FALLBACK = "sxworker/jump_fallback"
ISSUES_COMPLETE_SKIPPED = "sxworker/issues/complete_skipped"

ARTICLES_NEW = "sxworker/articles/new"
ARTICLES_CHANGED = "sxworker/articles/changed"
ARTICLES_UNCHANGED = "sxworker/articles/unchanged"
ARTICLES_SKIPPED = "sxworker/articles/skipped"
ARTICLES_WITHHELD = "sxworker/articles/withheld"

# What could not be fetched (failed) or read whole (invalid), per kind of record.
FAILED = {"article": "sxworker/failed/article", "page": "sxworker/failed/page"}
INVALID = {kind: f"sxworker/invalid/{kind}" for kind in ("article", "page", "issue")}
DUPLICATE = {kind: f"sxworker/duplicate/{kind}" for kind in ("article", "page", "issue")}
# Issue and page records written to the archive (new or seen again).
STORED = {kind: f"sxworker/stored/{kind}" for kind in ("issue", "page")}
# Files by what became of them: stored, missing, rejected, or already up to date.
FILES = {status: f"sxworker/files/{status}" for status in ("stored", "missing", "rejected", "uptodate")}
# Files that came back whole but could not be written to FILES_STORE (counted missing too):
# the store, not the site, is at fault, so the run ends in error.
FILES_UNWRITTEN = "sxworker/files/unwritten"

STORE_DEFERRED = "sxworker/store/deferred"
STORE_UNSAVED = "sxworker/store/unsaved"
STORE_REFUSED = "sxworker/store/refused"
ITEM_ERRORS = "sxworker/item_errors"

RETRY_BACKOFF_COUNT = "sxworker/retry/backoff_count"
RETRY_BACKOFF_SECONDS = "sxworker/retry/backoff_seconds"
RETRY_AFTER = "sxworker/retry/retry_after"
RETRY_AFTER_TOO_LONG = "sxworker/retry/retry_after_too_long"

WARC_RESPONSES = "sxworker/warc/responses"
# A reparse: the WARC files and response records it read, and the captured URLs it never
# asked for (robots.txt, pages only walked through, other sites).
REPLAY_FILES = "sxworker/replay/files"
REPLAY_RESPONSES = "sxworker/replay/responses"
REPLAY_UNREAD = "sxworker/replay/unread"

LAYOUT_ALARM = "sxworker/layout_alarm"
FILL_RATES = "sxworker/fill_rates"
OUTCOME = "sxworker/outcome"


def total(stats: Any, keys: dict[str, str]) -> int:
    """The sum of one family of counters (every kind's failures, say)."""
    return sum(stats.get_value(key, 0) for key in keys.values())
