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
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from itemadapter import ItemAdapter

from sxworker import urls
from sxworker.archive import Archive, StoreResult
from sxworker.archive.store import page_key
from sxworker.items import Article, Issue, Page
from sxworker.parsers.article import ArticleParseError, PageContext, parse_article
from sxworker.parsers.issue_page import ListingParseError, parse_listing
from sxworker.parsers.listing_items import article_contexts, issue_of, page_of
from sxworker.pipelines import REQUIRED
from sxworker.warc import CapturedResponse, iter_responses, warc_files

logger = logging.getLogger(__name__)

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


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
        }


@dataclass
class _Index:
    """Where the newest successful response of each URL is, and what the captures tell
    about the site: its root(s), and which issues' articles were fetched."""

    newest: dict[str, tuple[int, int]] = field(default_factory=dict)
    bases: set[str] = field(default_factory=set)
    article_dates: set[str] = field(default_factory=set)
    # Article URLs captured only as errors (a 404): failures, unless another form is stored.
    unanswered: dict[str, int] = field(default_factory=dict)
    responses: int = 0


def reparse(
    sources: Iterable[Path | str],
    target: str,
    *,
    since: str | None = None,
    until: str | None = None,
    batch_size: int = 200,
) -> ReparseResult:
    """Re-extract issues, pages and articles from WARC files into the archive ``target``.

    ``sources`` are WARC files or folders of them; ``since``/``until`` (``YYYY-MM-DD``)
    limit the issue dates. Raises :class:`sxworker.warc.WarcReadError` for input that
    cannot be read, before anything is stored.
    """
    files = warc_files(sources)
    index = _index(files)
    result = ReparseResult(files=len(files), responses=index.responses)
    issues, pages, contexts = _read_listings(files, index, since, until, result)
    with Archive.open(target) as archive:
        archive.store_issues(issues)
        archive.store_pages(pages)
        result.issues, result.pages = len(issues), len(pages)
        issue_dates: set[str] = set()
        batch: list[dict[str, Any]] = []
        for row in _articles(files, index, contexts, since, until, result):
            batch.append(row)
            if len(batch) >= batch_size:
                result.stored += archive.store_articles(batch)
                issue_dates.update(item["issue_date"] for item in batch)
                batch = []
        result.stored += archive.store_articles(batch)
        issue_dates.update(item["issue_date"] for item in batch)
        archive.fill_page_facts(issue_dates)
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
        if 200 <= response.status < 300:
            # Files are read in the order they were written: a later capture is newer.
            index.newest[response.url] = position
            index.unanswered.pop(response.url, None)
        elif root is not None and response.url not in index.newest:
            index.unanswered[response.url] = response.status
    return index


def _chosen(files: list[Path], index: _Index) -> Iterator[CapturedResponse]:
    """The newest successful capture of each URL, in file order."""
    for position, response in _captures(files):
        if index.newest.get(response.url) == position:
            yield response


def _read_listings(
    files: list[Path], index: _Index, since: str | None, until: str | None, result: ReparseResult
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
            pages.setdefault((issue_date, page_key(row)), row)
    return list(issues.values()), list(pages.values()), contexts


def _articles(
    files: list[Path],
    index: _Index,
    contexts: dict[str, PageContext],
    since: str | None,
    until: str | None,
    result: ReparseResult,
) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    for response in _chosen(files, index):
        root = urls.site_root_of(response.url)
        if root is None:
            continue
        base = urls.normalize_base(root)
        canonical = urls.canonical_article_url(base, response.url)
        ref = urls.parse_content_url(base, response.url)
        if canonical is None or ref is None or not _within(ref.issue_date.isoformat(), since, until):
            continue
        if canonical in seen:
            continue  # its desktop and mobile forms both captured: the first one stands
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
        seen.add(canonical)
        yield ItemAdapter(article).asdict()
    for url, status in index.unanswered.items():
        root = urls.site_root_of(url)
        ref = urls.parse_content_url(root, url) if root else None
        canonical = urls.canonical_article_url(root, url) if root else None
        if ref and canonical not in seen and _within(ref.issue_date.isoformat(), since, until):
            seen.add(canonical)
            result.failed.append((url, f"HTTP {status}"))


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
