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

With ``jobs`` above one the issue dates are split into that many spans holding about as many
captured articles each, and each span is reparsed by a process of its own (Scrapy's reactor
runs once per process, and parsing and indexing are CPU-bound): the walk only ever stores
what lies in its span, so together they store what one reparse would. This process holds the
archive's run lock for them all, makes or migrates the archive before they start, and stops
them if it is stopped; each job records its own run.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sxworker.archive import Archive, StoreResult
from sxworker.crawl import stats as stat
from sxworker.crawl.captures import Captures
from sxworker.crawl.filestore import KIND_SETTINGS
from sxworker.crawl.runlock import archive_lock
from sxworker.crawl.runlog import GOOD_OUTCOMES
from sxworker.crawl.runner import run_crawl
from sxworker.crawl.session import LOCK_HELD_SETTING, REPLAY_SETTING, CrawlSession
from sxworker.crawl.warc import warc_files
from sxworker.research.reparse_jobs import run_jobs
from sxworker.site.items import FetchFailure

_HANDLER = "sxworker.crawl.replay.CaptureHandler"
# A reparse's range without --since: from before the paper's first issue.
_EARLIEST = "1949-01-01"
# The jobs' outcomes, each worse than the one before: the reparse's is its jobs' worst.
_OUTCOMES = (*GOOD_OUTCOMES, "interrupted", "error", "layout-alarm")


def _worse(outcome: str) -> int:
    return _OUTCOMES.index(outcome) if outcome in _OUTCOMES else len(_OUTCOMES)


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
    jobs: int = 1

    @classmethod
    def combined(cls, parts: list[tuple[ReparseResult, set[str]]]) -> ReparseResult:
        """The result of a reparse done in jobs, from each job's result and its unread URLs."""
        results = [result for result, _ in parts]
        total = cls(
            files=results[0].files,
            responses=results[0].responses,  # each job indexed all of the captures
            skipped=len(set.intersection(*(unread for _, unread in parts))),
            outcome=max((result.outcome for result in results), key=_worse),
            jobs=len(results),
        )
        for result in results:
            total.issues += result.issues
            total.pages += result.pages
            total.stored.new += result.stored.new
            total.stored.changed += result.stored.changed
            total.stored.unchanged += result.stored.unchanged
            total.failed += result.failed
            for count in fields(FileCounts):
                name = count.name
                setattr(
                    total.stored_files,
                    name,
                    getattr(total.stored_files, name) + getattr(result.stored_files, name),
                )
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "jobs": self.jobs,
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
    jobs: int = 1,
) -> ReparseResult:
    """Re-extract issues, pages and articles from WARC files into the archive ``target``,
    and with ``files_store`` the files of ``file_kinds`` they link into that folder.

    ``sources`` are WARC files or folders of them; ``since``/``until`` (``YYYY-MM-DD``)
    limit the issue dates; ``jobs`` processes share the work (see the module docstring).
    Raises :class:`sxworker.crawl.warc.WarcReadError` for input that cannot be read and
    :class:`sxworker.crawl.runlock.LockedError` when a crawl holds the archive, before
    anything is stored; :class:`ReparseJobError` when a job ended without its result.
    """
    files = warc_files(sources)
    store = str(files_store) if files_store is not None else None
    job = _Job([str(path) for path in files], target, store, tuple(file_kinds), log_level)
    spans = split_dates(_captured_dates(files), jobs, since, until) if jobs > 1 else []
    if len(spans) < 2:
        result, _ = job.run(since, until, lock_file=lock_file)
        return result
    with archive_lock(target, lock_file):
        Archive.open(target).close()  # made or migrated once, before the jobs write to it
        return ReparseResult.combined(run_jobs(asdict(job), spans))


def _captured_dates(files: list[Path]) -> Counter[str]:
    """Articles captured per issue date (the captures are read, so damage is found here)."""
    captures = Captures.read(files)
    try:
        return captures.article_dates()
    finally:
        captures.close()


def split_dates(
    articles: Mapping[str, int], jobs: int, since: str | None = None, until: str | None = None
) -> list[tuple[str | None, str | None]]:
    """``since``–``until`` cut into at most ``jobs`` spans of whole days, each holding about
    as many of ``articles`` (captured articles per issue date) as the others; the first
    span starts at ``since`` and the last ends at ``until`` (None: open)."""
    days = sorted(
        day for day in articles if (since is None or day >= since) and (until is None or day <= until)
    )
    # Each cut: the day (any but the first) whose articles before it come nearest its share.
    before = [0, *itertools.accumulate(articles[day] for day in days)]
    total = before[-1]
    cuts = {
        min(range(1, len(days)), key=lambda day_no: abs(before[day_no] - total * share / jobs))
        for share in range(1, jobs)
        if len(days) > 1
    }
    starts = [days[day_no] for day_no in sorted(cuts)]
    spans: list[tuple[str | None, str | None]] = []
    first = since
    for start in starts:
        spans.append((first, (date.fromisoformat(start) - timedelta(days=1)).isoformat()))
        first = start
    spans.append((first, until))
    return spans


@dataclass(frozen=True)
class _Job:
    """What every job of one reparse is given (plain values: a job process unpickles them
    before it imports anything heavy); :meth:`run` reparses one span of it."""

    files: list[str]
    target: str
    files_store: str | None
    file_kinds: tuple[str, ...]
    log_level: str

    def run(
        self, since: str | None, until: str | None, *, lock_file: str | None = None, lock_holder: int = 0
    ) -> tuple[ReparseResult, set[str]]:
        """Reparse ``since``–``until``: the result and the captured URLs it never asked for."""
        failed: list[tuple[str, str]] = []

        def heard(item: Any, **_: Any) -> None:
            if isinstance(item, FetchFailure) and item.kind == "article":
                failed.append((item.url, item.error))

        settings = replay_settings(self.files, self.target, self.files_store, self.file_kinds)
        if lock_file:
            settings["SXWORKER_LOCK_FILE"] = lock_file
        if lock_holder:
            settings[LOCK_HELD_SETTING] = lock_holder
        crawler = run_crawl(
            settings,
            start=since or (_EARLIEST if until else None),
            end=until,
            on_item=heard,
            log_level=self.log_level,
        )
        captures = CrawlSession.of(crawler).captures
        assert captures is not None
        return _result(crawler.stats, failed), captures.unread()


def _result(stats: Any, failed: list[tuple[str, str]]) -> ReparseResult:
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


def reparse_span(job: dict[str, Any], since: str | None, until: str | None, holder: int) -> Any:
    """One job's work (research/reparse_jobs.py): the span reparsed under ``holder``'s lock."""
    return _Job(**job).run(since, until, lock_holder=holder)
