"""Re-extraction: the archive rebuilt from captured responses, without the network.

After a parser fix, ``sxworker reparse`` runs the parsers again over the responses a crawl
kept in WARC files (``SXWORKER_WARC_DIR``) and stores the result like a crawl would: the
archive's own rules decide what is new, what changed (a new version, the old text kept in
``article_versions``) and what is unchanged.

It mirrors what the crawl does with the same responses: page views (版面) are read first
and give each article the context of the first page that linked it (the crawl requests
an article once, from that page); an issue and a page are stored once, as the first view
of them showed them; articles are validated against the pipelines' REQUIRED fields; page
facts are filled in at the end. An issue counts as visited — and is stored with its pages
— when the captures hold a response for one of its articles: a page the crawl only walked
through, on its way to an older issue, is not stored by the crawl either.

Files too (``files_store``): the scans, pictures and PDFs the stored pages and articles
link are taken from the captures — the newest successful answer of each URL, redirects
followed — checked as the files pipeline checks a download, written to the store at the
path the crawl uses and recorded in ``files`` with the capture's date. A URL captured only
as an error is recorded as missing; one the captures do not hold is left out. A file
already stored with the same bytes is left alone, and a stored file is never recorded as
missing or rejected over its intact copy.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

from itemadapter import ItemAdapter

from sxworker.archive import Archive, StoreResult, page_key
from sxworker.archive.files import MISSING, REJECTED, STORED
from sxworker.crawl.filestore import (
    KIND_SETTINGS,
    AtomicFSFilesStore,
    FileLink,
    check_download,
    declared_type,
    file_links,
    file_row,
    holds_intact,
    mirrored_path,
)
from sxworker.crawl.pipelines import REQUIRED
from sxworker.crawl.warc import CapturedResponse, iter_responses, warc_files
from sxworker.site import urls
from sxworker.site.items import Article, Issue, Page
from sxworker.site.parsers.article import ArticleParseError, PageContext, parse_article
from sxworker.site.parsers.issue_page import ListingParseError, parse_listing
from sxworker.site.parsers.listing_items import article_contexts, issue_of, page_of

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
# As Scrapy's REDIRECT_MAX_TIMES: a file URL is followed this many redirects at most.
_MAX_REDIRECTS = 20
# What a ``files`` row says about a file; fetched_at (when) aside.
_FILE_FIELDS = (
    "kind",
    "path",
    "sha256",
    "bytes",
    "content_type",
    "status",
    "error",
    "issue_date",
    "page_no",
    "article_id",
)


@dataclass
class FileCounts:
    """What became of the files the stored pages and articles link."""

    restored: int = 0  # written to the store or recorded anew
    up_to_date: int = 0  # stored already, with the same bytes
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
        }


@dataclass
class _Index:
    """Where the newest successful response of each URL is, and what the captures tell
    about the site: its root(s), and which issues' articles were fetched."""

    newest: dict[str, tuple[int, int]] = field(default_factory=dict)
    # Per article (issue date, id): the URL of its newest successful capture, whichever
    # form (desktop, mobile, another host) that was.
    article_url: dict[tuple[str, str], str] = field(default_factory=dict)
    bases: set[str] = field(default_factory=set)
    article_dates: set[str] = field(default_factory=set)
    # Article URLs captured only as errors (a 404): failures, unless another form is stored.
    unanswered: dict[str, int] = field(default_factory=dict)
    # Every URL never answered with success: where its newest answer is, and the URL that
    # answer redirects to ("" for an error).
    other: dict[str, tuple[tuple[int, int], str]] = field(default_factory=dict)
    responses: int = 0

    def file_capture(self, url: str) -> tuple[int, int] | None:
        """Where the answer the files pipeline would have taken for ``url`` is: its newest
        success, through redirects; else its newest error; None when never captured."""
        position = None
        for _ in range(_MAX_REDIRECTS + 1):
            if url in self.newest:
                return self.newest[url]
            if url not in self.other:
                return position
            position, url = self.other[url]
            if not url:
                break
        return position


def reparse(
    sources: Iterable[Path | str],
    target: str,
    *,
    since: str | None = None,
    until: str | None = None,
    batch_size: int = 200,
    files_store: Path | str | None = None,
    file_kinds: Collection[str] = tuple(KIND_SETTINGS),
) -> ReparseResult:
    """Re-extract issues, pages and articles from WARC files into the archive ``target``,
    and with ``files_store`` the files of ``file_kinds`` they link into that folder.

    ``sources`` are WARC files or folders of them; ``since``/``until`` (``YYYY-MM-DD``)
    limit the issue dates. Raises :class:`sxworker.crawl.warc.WarcReadError` for input that
    cannot be read, before anything is stored.
    """
    files = warc_files(sources)
    index = _index(files)
    result = ReparseResult(files=len(files), responses=index.responses)
    links: dict[str, FileLink] = {}
    issues, pages, contexts = _read_listings(files, index, since, until, result, links)
    with Archive.open(target) as archive:
        archive.store_issues(issues)
        archive.store_pages(pages)
        result.issues, result.pages = len(issues), len(pages)
        issue_dates: set[str] = set()
        batch: list[dict[str, Any]] = []
        for row in _articles(files, index, contexts, since, until, result, links):
            batch.append(row)
            if len(batch) >= batch_size:
                result.stored += archive.store_articles(batch)
                issue_dates.update(item["issue_date"] for item in batch)
                batch = []
        result.stored += archive.store_articles(batch)
        issue_dates.update(item["issue_date"] for item in batch)
        archive.fill_page_facts(issue_dates)
        if files_store is not None:
            wanted = {url: link for url, link in links.items() if link.kind in file_kinds}
            _restore_files(files, index, wanted, Path(files_store), archive, result, batch_size)
    return result


def _captures(
    files: list[Path], *, first: bool = False
) -> Iterator[tuple[tuple[int, int], CapturedResponse]]:
    for file_no, path in enumerate(files):
        # Damage is reported on the first of the three readings only.
        for record_no, response in enumerate(iter_responses(path, report_damage=first)):
            yield (file_no, record_no), response


def _index(files: list[Path]) -> _Index:
    index = _Index()
    for position, response in _captures(files, first=True):
        index.responses += 1
        root = urls.site_root_of(response.url)
        if root is not None:
            index.bases.add(urls.normalize_base(root))
            ref = urls.parse_content_url(root, response.url)
            if ref is not None:
                index.article_dates.add(ref.issue_date.isoformat())
        else:
            ref = None
        if 200 <= response.status < 300:
            # Files are read in the order they were written: a later capture is newer.
            index.newest[response.url] = position
            if ref is not None:
                index.article_url[(ref.issue_date.isoformat(), ref.article_id)] = response.url
            index.unanswered.pop(response.url, None)
            index.other.pop(response.url, None)
        elif response.url not in index.newest:
            if root is not None:
                index.unanswered[response.url] = response.status
            redirect = response.location if 300 <= response.status < 400 else ""
            index.other[response.url] = (position, redirect and urljoin(response.url, redirect))
    return index


def _chosen(files: list[Path], index: _Index) -> Iterator[CapturedResponse]:
    """The newest successful capture of each URL, in file order."""
    for position, response in _captures(files):
        if index.newest.get(response.url) == position:
            yield response


def _read_listings(
    files: list[Path],
    index: _Index,
    since: str | None,
    until: str | None,
    result: ReparseResult,
    links: dict[str, FileLink],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, PageContext]]:
    issues: dict[str, dict[str, Any]] = {}
    pages: dict[tuple[str, str], dict[str, Any]] = {}
    contexts: dict[str, PageContext] = {}
    for response in _chosen(files, index):
        if urls.site_root_of(response.url) is not None:
            continue  # an article: read once every page view is known
        if not _is_html(response):
            result.skipped += 1
            continue
        try:
            listing = parse_listing(
                response.body,
                response.url,
                base_url=_base_for(response.url, index.bases),
                content_type=response.content_type,
            )
        except ListingParseError as exc:
            logger.info("page not read: %s: %s", response.url, exc)
            continue
        for link, context in article_contexts(listing):
            contexts.setdefault(link.url, context)
        if listing.issue_date is None:
            continue
        issue_date = listing.issue_date.isoformat()
        if issue_date not in index.article_dates or not _within(issue_date, since, until):
            continue
        # The first view of an issue or page stands for it, as in the crawl (DedupePipeline).
        issue = issue_of(listing)
        if _valid(issue):
            issues.setdefault(issue_date, ItemAdapter(issue).asdict())
        page = page_of(listing)
        if page is not None and _valid(page):
            row = ItemAdapter(page).asdict()
            key = (issue_date, page_key(row))
            if key not in pages:
                pages[key] = row
                _add_links(links, page)
    return list(issues.values()), list(pages.values()), contexts


def _articles(
    files: list[Path],
    index: _Index,
    contexts: dict[str, PageContext],
    since: str | None,
    until: str | None,
    result: ReparseResult,
    links: dict[str, FileLink],
) -> Iterator[dict[str, Any]]:
    for response in _chosen(files, index):
        root = urls.site_root_of(response.url)
        if root is None:
            continue
        base = urls.normalize_base(root)
        canonical = urls.canonical_article_url(base, response.url)
        ref = urls.parse_content_url(base, response.url)
        if canonical is None or ref is None or not _within(ref.issue_date.isoformat(), since, until):
            continue
        if index.article_url.get((ref.issue_date.isoformat(), ref.article_id)) != response.url:
            continue  # captured again later, in another form or from another host
        if not _is_html(response):
            result.failed.append((response.url, "not an HTML page"))
            continue
        try:
            article = parse_article(
                response.body,
                response.url,
                base_url=base,
                content_type=response.content_type,
                context=contexts.get(canonical),
            )
        except ArticleParseError as exc:
            result.failed.append((response.url, str(exc)))
            continue
        missing = _missing(article)
        if missing:
            result.failed.append((response.url, f"missing {', '.join(missing)}"))
            continue
        _add_links(links, article)
        yield ItemAdapter(article).asdict()
    reported: set[tuple[str, str]] = set()
    for url, status in index.unanswered.items():
        root = urls.site_root_of(url)
        ref = urls.parse_content_url(root, url) if root else None
        key = (ref.issue_date.isoformat(), ref.article_id) if ref else None
        # Only an article no form of which was captured with success, and once.
        if key and key not in index.article_url and key not in reported and _within(key[0], since, until):
            reported.add(key)
            result.failed.append((url, f"HTTP {status}"))


def _add_links(links: dict[str, FileLink], item: Article | Page) -> None:
    # The first item naming a file places it, as in the crawl (the pipeline asks once).
    for link in file_links(item):
        links.setdefault(link.url, link)


def _restore_files(
    files: list[Path],
    index: _Index,
    links: dict[str, FileLink],
    root: Path,
    archive: Archive,
    result: ReparseResult,
    batch_size: int,
) -> None:
    """The linked files from their captures into the store at ``root`` and ``files``."""
    by_position: dict[tuple[int, int], list[FileLink]] = {}
    for url, link in links.items():
        position = index.file_capture(url)
        if position is not None:
            by_position.setdefault(position, []).append(link)
    if not by_position:
        return
    store: AtomicFSFilesStore | None = None
    rows: list[dict[str, Any]] = []
    for position, response in _captures(files):
        for link in by_position.get(position, ()):
            outcome = check_download(
                link.kind, response.status, response.body, declared_type(response.content_type)
            )
            fetched_at = _utc(response.warc_date)
            known = archive.stored_file(link.url)
            if outcome.status != STORED:
                if known is not None and known["status"] == STORED and holds_intact(root, known):
                    # An error captured later does not undo a file the store holds.
                    result.stored_files.up_to_date += 1
                    continue
                row = file_row(
                    link,
                    fetched_at=fetched_at,
                    status=outcome.status,
                    error=outcome.error,
                    content_type=outcome.content_type,
                )
                counts = result.stored_files
                if outcome.status == MISSING:
                    counts.missing += 1
                elif outcome.status == REJECTED:
                    counts.rejected += 1
                if not _same(known, row):
                    rows.append(row)
            else:
                row = file_row(
                    link,
                    fetched_at=fetched_at,
                    status=STORED,
                    path=mirrored_path(link.url),
                    sha256=hashlib.sha256(response.body).hexdigest(),
                    bytes=len(response.body),
                    content_type=outcome.content_type,
                )
                written = not holds_intact(root, row)
                if written:
                    store = store or AtomicFSFilesStore(str(root))
                    store.persist_file(row["path"], BytesIO(response.body), None)
                if written or not _same(known, row):
                    rows.append(row)
                    result.stored_files.restored += 1
                else:
                    result.stored_files.up_to_date += 1
        if len(rows) >= batch_size:
            _record_files(archive, rows)
            rows = []
    _record_files(archive, rows)


def _record_files(archive: Archive, rows: list[dict[str, Any]]) -> None:
    archive.store_files(rows)
    # A failure the crawl could not get past is over once the file is stored; one the
    # captures show is put in the ledger (without counting a try), so that the next crawl
    # sees the issue incomplete and fetches the file again.
    archive.resolve_failures(row["url"] for row in rows if row["status"] == STORED)
    archive.record_failures(
        (
            {"url": row["url"], "kind": row["kind"], "issue_date": row["issue_date"], "error": row["error"]}
            for row in rows
            if row["status"] != STORED
        ),
        attempt=False,
    )


def _same(known: dict[str, Any] | None, row: dict[str, Any]) -> bool:
    return known is not None and all(known.get(name) == row.get(name) for name in _FILE_FIELDS)


def _utc(warc_date: str) -> str | None:
    """A WARC-Date as the archive writes times (UTC, to the second); None if unreadable."""
    try:
        moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _missing(item: Article | Issue | Page) -> list[str]:
    adapter = ItemAdapter(item)
    return [name for name in REQUIRED.get(type(item), ()) if not adapter.get(name)]


def _valid(item: Issue | Page) -> bool:
    return not _missing(item)


def _within(issue_date: str, since: str | None, until: str | None) -> bool:
    return (since is None or issue_date >= since) and (until is None or issue_date <= until)


def _is_html(response: CapturedResponse) -> bool:
    content_type = response.content_type.split(";", 1)[0].strip().lower()
    if content_type:
        return content_type in _HTML_TYPES
    return bool(_LOOKS_HTML.search(response.body[:4096]))


def _base_for(url: str, bases: set[str]) -> str:
    """The site root a page view belongs to: the longest root its article captures show
    that holds it, else its scheme and host."""
    holding = [base for base in bases if urls.is_on_site(base, url)]
    if holding:
        return max(holding, key=len)
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", ""))
