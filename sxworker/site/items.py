"""The three things the archive keeps: issues, pages (版面) and articles.

Dataclass items, handled by Scrapy through itemadapter. Field names of :class:`Article` are
the public contract of INTERFACE.md; dates are ``YYYY-MM-DD`` strings so that items, JSON
and the archive all speak the same form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ARTICLE_FIELDS: tuple[str, ...] = (
    "article_id",
    "url",
    "issue_date",
    "page_no",
    "page_label",
    "page_name",
    "page_image_url",
    "kicker",
    "title",
    "subtitle",
    "author",
    "body",
    "images",
)


@dataclass
class Issue:
    issue_date: str
    url: str | None = None
    issue_number: int | None = None
    page_count: int | None = None


@dataclass
class Page:
    issue_date: str | None = None
    url: str | None = None
    page_no: int | None = None
    page_label: str | None = None
    page_name: str | None = None
    scan_url: str | None = None
    pdf_url: str | None = None
    article_count: int | None = None
    # Ids of the articles of this issue that the page links.
    article_ids: list[str] = field(default_factory=list)


@dataclass
class Article:
    # Every field has a default so that an ItemLoader can build the item field by field;
    # the validate pipeline is what insists on the required ones.
    article_id: str | None = None
    url: str | None = None
    issue_date: str | None = None
    title: str | None = None
    body: str | None = None
    page_no: int | None = None
    page_label: str | None = None
    page_name: str | None = None
    page_image_url: str | None = None
    kicker: str | None = None
    subtitle: str | None = None
    author: str | None = None
    images: list[dict[str, Any]] = field(default_factory=list)
    page_url: str | None = None
    issue_number: int | None = None
    source_url: str | None = None
    # How the parser read this page, kept beside the fields (not part of the contract's
    # export unless asked): the template fingerprint of the page's skeleton, and per field
    # the rules and signals that decided it (see sxworker.site.parsers.evidence).
    template: str | None = None
    evidence: dict[str, Any] | None = None

    def public_fields(self) -> dict[str, Any]:
        """The INTERFACE.md article fields, in their documented order."""
        return {name: getattr(self, name) for name in ARTICLE_FIELDS}


@dataclass
class FetchFailure:
    """A URL the crawl could not fetch or read: recorded in the archive's ledger and
    retried first by the next run."""

    url: str
    kind: str  # article | page | scan | image | pdf
    error: str
    issue_date: str | None = None
    status: int | None = None
    # "fetch" (no usable answer) or "parse" (an answer the parser could not read: what a
    # changed template looks like, so the layout alarm counts it)
    stage: str = "fetch"


@dataclass
class Fetched:
    """A page was fetched and read: any failure recorded for its URL is resolved."""

    url: str


@dataclass
class FileRetry:
    """A scan, picture or PDF an earlier run could not get: handed to the files pipeline
    again (the article or page naming it is usually not fetched again)."""

    url: str
    kind: str  # scan | image | pdf
    issue_date: str | None = None
