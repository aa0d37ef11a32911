"""The three things the archive keeps: issues, pages (版面) and articles.

Dataclass items, handled by Scrapy through itemadapter. Field names of :class:`Article` are
the public contract of INTERFACE.md; dates are ``YYYY-MM-DD`` strings so that items, JSON
and the archive all speak the same form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# The article fields and their one-line meaning, in the order of INTERFACE.md: the data card
# beside an export and the Datasette metadata read them, and a test holds the README to them.
_CONTRACT: dict[str, str] = {
    "article_id": "numeric id in the content URL, e.g. 134356 (unique together with issue_date, not alone)",
    "url": "canonical desktop content URL, {base}/content/YYYY-MM/DD/ID.html",
    "issue_date": "issue date (YYYY-MM-DD) from the content URL, not a date printed on the page",
    "page_no": "版次 as a number (第4版 → 4, A4 → 4)",
    "page_label": "版次 as printed, e.g. A4 or 04",
    "page_name": "版名, e.g. 头版, 综合新闻; null when the page has none",
    "page_image_url": "absolute URL of the page scan (版面图), /Img/YYYY/MM/YYYYMMDDPP-N.jpg",
    "kicker": "引题, the line above the title",
    "title": "标题, whitespace-normalised",
    "subtitle": "副题, without its leading dashes (——)",
    "author": "byline as printed, e.g. 本报记者 张三, without leading box marks or a 作者: label",
    "body": "text, paragraphs joined by newlines, each stripped; no navigation, share or copyright lines",
    "images": "pictures in the article: list of {url, caption}",
}
# Export adds these.
_EXPORT_ONLY: dict[str, str] = {
    "page_url": "URL of the page (版面) view the article belongs to",
    "issue_number": "期号 where the site prints one",
    "first_seen": "when the crawler first stored this article (UTC)",
    "last_seen": "when the crawler last saw this article (UTC)",
    "version": "1 for the first text seen, +1 each time the site changed the text",
    "content_hash": "SHA-256 of the article's text fields; changes when the paper edits the article",
    "files": "archived files for the article and its page: list of {url, path, sha256, kind}",
}
# ``export --with-evidence`` adds these, after the others.
_EVIDENCE: dict[str, str] = {
    "template": "fingerprint of the article page's template (its tag and class skeleton; per template: "
    "sxworker templates); null for articles stored before templates were recorded",
    "evidence": "per field, how the parser found it (role hints, page metadata, agreement with "
    "the title or the linking page, position, markers)",
}
# ``export --with-citation`` adds this, last: made from the other fields, stored nowhere.
_CITATION: dict[str, str] = {
    "citation": "the article cited by GB/T 7714-2015 (an online newspaper article, [N/OL], with the "
    "date the archive last captured its text), as sxworker cite prints it",
}
FIELDS: dict[str, str] = {**_CONTRACT, **_EXPORT_ONLY, **_EVIDENCE, **_CITATION}
ARTICLE_FIELDS: tuple[str, ...] = tuple(_CONTRACT)
EXPORT_FIELDS: tuple[str, ...] = (*ARTICLE_FIELDS, *_EXPORT_ONLY)
EVIDENCE_FIELDS: tuple[str, ...] = tuple(_EVIDENCE)
CITATION_FIELDS: tuple[str, ...] = tuple(_CITATION)
# The paper's name as its masthead prints it: what a citation names as the newspaper.
PAPER_NAME = "陕西工人报"


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
