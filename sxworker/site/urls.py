"""Every URL shape of szb.sxworker.com, in one place.

The rest of the code asks this module what a URL *is* (an article, a page scan, a PDF, on
the site or not) and for canonical forms; nothing else matches URL paths. Issue and page
(版面) URLs are unknown and differ across the site's eras, so they are never matched here:
the spider finds them from links and link text. A second scheme (paper.sxworker.com's
xpaper) would be added here as another set of shapes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from urllib.parse import urljoin, urlsplit, urlunsplit

from w3lib.url import canonicalize_url, safe_url_string

from sxworker import config

DEFAULT_BASE_URL: str = config.default("SXWORKER_BASE_URL")

_CONTENT_PATH = re.compile(
    r"/(?P<mobile>m/)?content/(?P<y>\d{4})-(?P<m>\d{2})/(?P<d>\d{2})/(?P<id>\d+)\.html?$",
    re.IGNORECASE,
)
_SCAN_PATH = re.compile(
    r"(?:^|/)Img/(?P<y>\d{4})/(?P<m>\d{2})/(?P<ymd>\d{8})(?P<page>\d{2})(?:-(?P<seq>\d+))?\.(?:jpe?g|png|gif)$",
    re.IGNORECASE,
)
_PDF_PATH = re.compile(r"\.pdf$", re.IGNORECASE)
_IMAGE_PATH = re.compile(r"\.(?:jpe?g|png|gif|bmp|webp)$", re.IGNORECASE)
# Dates as listing (issue/page) URLs of e-paper products spell them: 2016-12/05, 2016-12-05,
# 2016/12/05, 20161205 — tried in that order so that a compact 8-digit run inside an id is
# the last resort.
_URL_DATES = (
    re.compile(r"(?<!\d)(\d{4})-(\d{1,2})[/-](\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})/(\d{1,2})/(\d{1,2})(?!\d)"),
    re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"),
)


@dataclass(frozen=True)
class ContentRef:
    """What an article URL says about the article."""

    article_id: str
    issue_date: date
    mobile: bool


@dataclass(frozen=True)
class ScanRef:
    """What a page-scan URL says about its page."""

    issue_date: date
    page_no: int


def normalize_base(base_url: str) -> str:
    """The base URL without a trailing slash; a bare host gets ``http://``."""
    base_url = base_url.strip()
    if "://" not in base_url:
        base_url = "http://" + base_url
    return base_url.rstrip("/")


# A crawl asks about the same URLs over and over (every page view of an issue links the same
# articles and pages; the spider and the parsers ask about each article URL); the answers
# are pure functions of their strings, so the costly ones are kept. An issue's page views and
# articles are read close together, so a few hundred answers cover them; more only add to the
# crawl's memory (8,192 each held 12 MiB at the end of a 2,325-article crawl).
_URLS_KEPT = 512


def absolute(base_url: str, href: str) -> str:
    """``href`` resolved against ``base_url`` and made a safe (percent-encoded) URL."""
    return _safe_url(urljoin(base_url, href.strip()))


@lru_cache(maxsize=_URLS_KEPT)
def _safe_url(url: str) -> str:
    return safe_url_string(url)


def canonical(url: str) -> str:
    """A stable form of ``url`` for comparisons: sorted query, no fragment."""
    return canonicalize_url(url, keep_fragments=False)


@lru_cache(maxsize=16)
def _site_parts(base_url: str) -> tuple[str, str]:
    parts = urlsplit(normalize_base(base_url))
    return parts.netloc.lower(), parts.path


@lru_cache(maxsize=_URLS_KEPT)
def is_on_site(base_url: str, url: str) -> bool:
    """True when ``url`` is under the site root (http and https count as the same site)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return False
    netloc, prefix = _site_parts(base_url)
    if parts.netloc.lower() != netloc:
        return False
    return parts.path == prefix or parts.path.startswith(prefix + "/") or not prefix


def site_relative_path(base_url: str, url: str) -> str:
    """The part of an on-site URL's path after the base URL's path, starting with ``/``."""
    _, prefix = _site_parts(base_url)
    path = urlsplit(url).path
    if prefix and path.startswith(prefix):
        path = path[len(prefix) :]
    return path or "/"


@lru_cache(maxsize=_URLS_KEPT)
def on_base(base_url: str, url: str) -> str:
    """``url`` moved onto the base URL's scheme (a site reached by https links stays one)."""
    parts = urlsplit(url)
    base = urlsplit(normalize_base(base_url))
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


@lru_cache(maxsize=_URLS_KEPT)
def parse_content_url(base_url: str, url: str) -> ContentRef | None:
    """The article id and issue date of a desktop or mobile article URL on the site."""
    if not is_on_site(base_url, url):
        return None
    match = _CONTENT_PATH.search(site_relative_path(base_url, url))
    if not match:
        return None
    issue_date = _date_or_none(match["y"], match["m"], match["d"])
    if issue_date is None:
        return None
    return ContentRef(match["id"], issue_date, bool(match["mobile"]))


@lru_cache(maxsize=_URLS_KEPT)
def article_url(base_url: str, issue_date: date, article_id: str, *, mobile: bool = False) -> str:
    """The desktop (canonical) or mobile URL of an article."""
    prefix = "/m" if mobile else ""
    return f"{normalize_base(base_url)}{prefix}/content/{issue_date:%Y-%m}/{issue_date:%d}/{article_id}.html"


def canonical_article_url(base_url: str, url: str) -> str | None:
    """The canonical desktop URL of an article URL in either form, or None if not one."""
    ref = parse_content_url(base_url, url)
    if ref is None:
        return None
    return article_url(base_url, ref.issue_date, ref.article_id)


def mobile_article_url(base_url: str, url: str) -> str | None:
    ref = parse_content_url(base_url, url)
    if ref is None:
        return None
    return article_url(base_url, ref.issue_date, ref.article_id, mobile=True)


def parse_scan_url(url: str) -> ScanRef | None:
    """The issue date and page number of a page-scan URL (``/Img/YYYY/MM/YYYYMMDDPP-N.jpg``)."""
    # Most strings asked about are no scan (the article parser asks about every line of
    # text): without the folder name there is nothing to split.
    if "mg/" not in url.lower():
        return None
    return _parse_scan_url(url)


@lru_cache(maxsize=_URLS_KEPT)
def _parse_scan_url(url: str) -> ScanRef | None:
    match = _SCAN_PATH.search(urlsplit(url).path)
    if not match:
        return None
    ymd = match["ymd"]
    issue_date = _date_or_none(ymd[:4], ymd[4:6], ymd[6:])
    if issue_date is None:
        return None
    return ScanRef(issue_date, int(match["page"]))


def is_scan_url(url: str) -> bool:
    return parse_scan_url(url) is not None


def scan_page_number(scan_urls: list[str]) -> int | None:
    """The page number the scans name, when they all name one page."""
    numbers = {parse_scan_url(url).page_no for url in scan_urls}
    return numbers.pop() if len(numbers) == 1 else None


def scans_of_page(scan_urls: list[str], page_no: int | None) -> list[str]:
    """The scans of one page (all of them when the page number is unknown)."""
    return [url for url in scan_urls if page_no is None or parse_scan_url(url).page_no == page_no]


def is_pdf_url(url: str) -> bool:
    return bool(_PDF_PATH.search(urlsplit(url).path))


def is_image_url(url: str) -> bool:
    return bool(_IMAGE_PATH.search(urlsplit(url).path))


def is_document_url(url: str) -> bool:
    """True for URLs that are files (scans, pictures, PDFs) rather than pages to parse."""
    return is_image_url(url) or is_pdf_url(url)


def date_in_url(url: str) -> date | None:
    """The first plausible date spelled in a URL's path or query, if any."""
    parts = urlsplit(url)
    text = f"{parts.path}?{parts.query}"
    for pattern in _URL_DATES:
        for match in pattern.finditer(text):
            found = _date_or_none(*match.groups())
            if found is not None:
                return found
    return None


def issue_url_from_template(template: str, base_url: str, issue_date: date) -> str:
    """Fill an issue-URL template such as ``{base}/html/{date:%Y-%m}/{date:%d}/node_1.htm``."""
    return template.format(base=normalize_base(base_url), date=issue_date)


def _date_or_none(year: str, month: str, day: str) -> date | None:
    try:
        found = date(int(year), int(month), int(day))
    except ValueError:
        return None
    # The paper resumed in 1983; anything earlier in a URL is an id, not a date.
    return found if 1949 <= found.year <= 2100 else None


def site_root_of(url: str) -> str | None:
    """The site root an article URL lives under (what precedes ``/content/`` or ``/m/content/``)."""
    parts = urlsplit(url)
    match = _CONTENT_PATH.search(parts.path)
    if not parts.scheme or not parts.netloc or not match:
        return None
    return urlunsplit((parts.scheme, parts.netloc, parts.path[: match.start()], "", ""))
