"""Re-extraction: the archive rebuilt from captured responses, without the network.

After a parser fix, ``sxworker reparse`` runs the crawl again — the same spider, pipelines
and rules — answered from the responses earlier crawls kept in WARC files
(``SXWORKER_WARC_DIR``) instead of from the site (crawl/replay.py). So it validates,
dedupes, stores, checks files and keeps the ledger exactly as a crawl does: the archive's
own rules decide what is new, what changed (a new version, the old text kept in
``article_versions``) and what is unchanged; the scans, pictures and PDFs the stored pages
and articles link are restored from their captures into the files store.

The walk starts from every captured page view, reads the issues the captures hold articles
of (a page the crawl only walked through, on its way to an older issue, is not stored by the
crawl either) and then asks for the captured articles no page view links. What the walk asks
for and the captures do not hold is recorded as the crawl records a page or file it could not
fetch; a failure known from the captures counts no attempt in the ledger.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sxworker.archive import StoreResult
from sxworker.crawl import stats as stat
from sxworker.crawl.filestore import KIND_SETTINGS
from sxworker.crawl.runner import run_crawl
from sxworker.crawl.session import REPLAY_SETTING
from sxworker.crawl.warc import warc_files
from sxworker.site.items import FetchFailure

_HANDLER = "sxworker.crawl.replay.CaptureHandler"
# A reparse's range without --since: from before the paper's first issue.
_EARLIEST = "1949-01-01"


@dataclass
class FileCounts:
    """What became of the files the stored pages and articles link."""

    restored: int = 0  # written to the store from a capture
    up_to_date: int = 0  # stored already, intact
    missing: int = 0
    rejected: int = 0


@dataclass
class ReparseResult:
    """What a reparse read and what it stored."""

    files: int = 0
    responses: int = 0
    skipped: int = 0
    issues: int = 0
    pages: int = 0
    stored: StoreResult = field(default_factory=StoreResult)
    failed: list[tuple[str, str]] = field(default_factory=list)
    stored_files: FileCounts = field(default_factory=FileCounts)
    outcome: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "responses": self.responses,
            "skipped": self.skipped,
            "issues": self.issues,
            "pages": self.pages,
            "new": self.stored.new,
            "changed": self.stored.changed,
            "unchanged": self.stored.unchanged,
            "failed": len(self.failed),
            "failures": [{"url": url, "reason": reason} for url, reason in self.failed],
            "files_restored": self.stored_files.restored,
            "files_up_to_date": self.stored_files.up_to_date,
            "files_missing": self.stored_files.missing,
            "files_rejected": self.stored_files.rejected,
            "outcome": self.outcome,
        }


def replay_settings(
    files: list[Path], target: str, files_store: Path | str | None, file_kinds: Collection[str]
) -> dict[str, Any]:
    """The crawl's settings for a reparse of ``files`` into ``target``."""
    kinds = set(file_kinds) if files_store is not None else set()
    return {
        "SXWORKER_DB": target,
        REPLAY_SETTING: [str(path) for path in files],
        "DOWNLOAD_HANDLERS": {"http": _HANDLER, "https": _HANDLER},
        # Nothing goes to the site: no robots.txt to ask, no politeness delay, and a capture
        # answers the same however often it is asked (no retries).
        "ROBOTSTXT_OBEY": False,
        "AUTOTHROTTLE_ENABLED": False,
        "DOWNLOAD_DELAY": 0,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
        "RETRY_ENABLED": False,
        "SXWORKER_WARC_DIR": "",  # the captures are not captured again
        "JOBDIR": "",
        "FILES_STORE": str(files_store) if files_store is not None else "",
        **{name: kind in kinds for kind, name in KIND_SETTINGS.items()},
    }


def reparse(
    sources: Iterable[Path | str],
    target: str,
    *,
    since: str | None = None,
    until: str | None = None,
    files_store: Path | str | None = None,
    file_kinds: Collection[str] = tuple(KIND_SETTINGS),
    lock_file: str | None = None,
    log_level: str = "ERROR",
) -> ReparseResult:
    """Re-extract issues, pages and articles from WARC files into the archive ``target``,
    and with ``files_store`` the files of ``file_kinds`` they link into that folder.

    ``sources`` are WARC files or folders of them; ``since``/``until`` (``YYYY-MM-DD``)
    limit the issue dates. Raises :class:`sxworker.crawl.warc.WarcReadError` for input that
    cannot be read and :class:`sxworker.crawl.runlock.LockedError` when a crawl holds the
    archive, before anything is stored.
    """
    files = warc_files(sources)
    failed: list[tuple[str, str]] = []

    def heard(item: Any, **_: Any) -> None:
        if isinstance(item, FetchFailure) and item.kind == "article":
            failed.append((item.url, item.error))

    start = since or (_EARLIEST if until else None)
    settings = replay_settings(files, target, files_store, file_kinds)
    if lock_file:
        settings["SXWORKER_LOCK_FILE"] = lock_file
    crawler = run_crawl(
        settings,
        start=start,
        end=until,
        on_item=heard,
        log_level=log_level,
    )
    stats = crawler.stats
    count = stats.get_value
    return ReparseResult(
        files=count(stat.REPLAY_FILES, 0),
        responses=count(stat.REPLAY_RESPONSES, 0),
        skipped=count(stat.REPLAY_UNREAD, 0),
        issues=count(stat.STORED["issue"], 0),
        pages=count(stat.STORED["page"], 0),
        stored=StoreResult(
            new=count(stat.ARTICLES_NEW, 0),
            changed=count(stat.ARTICLES_CHANGED, 0),
            unchanged=count(stat.ARTICLES_UNCHANGED, 0),
        ),
        failed=failed,
        stored_files=FileCounts(
            restored=count(stat.FILES["stored"], 0),
            up_to_date=count(stat.FILES["uptodate"], 0),
            missing=count(stat.FILES["missing"], 0),
            rejected=count(stat.FILES["rejected"], 0),
        ),
        outcome=count(stat.OUTCOME, ""),
    )
