"""Page (版面) views → what the page is and where its links lead.

Issue and page URL schemes are unknown and differ across eras, so links are classified by
what they say and point at — an article URL, the text 上一期 or 第02版:综合新闻, a page scan
inside the link — never by a guessed URL pattern.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from sxworker.site import urls
from sxworker.site.items import Page
from sxworker.site.loaders import load_page
from sxworker.site.parsers import markers
from sxworker.site.parsers.decoding import UndecodableError, decode_html
from sxworker.site.parsers.lines import fold_spaces, link_base, page_lines, parse_html, text_of


class ListingParseError(ValueError):
    """The response is not a page that can be read (the message says why)."""


@dataclass(frozen=True)
class Link:
    url: str
    text: str
    # The mobile URL when the page linked the article only in its mobile form: the one
    # to fall back to if the desktop form fails.
    mobile_only_url: str | None = None


@dataclass(frozen=True)
class PageLink:
    url: str
    text: str
    page_no: int | None
    page_label: str | None
    page_name: str | None


@dataclass
class Listing:
    """One page (版面) of an issue as its view shows it."""

    url: str
    issue_date: date | None
    issue_number: int | None
    page: Page | None
    articles: list[Link] = field(default_factory=list)
    pages: list[PageLink] = field(default_factory=list)
    prev_issues: list[str] = field(default_factory=list)
    next_issues: list[str] = field(default_factory=list)
    redirects: list[str] = field(default_factory=list)
    # On-site links that are none of the above: the way on from a front page that only
    # says "进入电子版".
    other_links: list[str] = field(default_factory=list)


_JS_LOCATION = re.compile(
    r"""(?:window\.|document\.|top\.|self\.)?location(?:\.href)?\s*(?:=|\.replace\(|\.assign\()\s*["']([^"']+)["']"""
)
# A quoted page address inside a script: a path, or a file name of a web page.
_SCRIPT_URL = re.compile(r"""["']((?:[^"'\s]*/)?[^"'\s/]+\.(?:s?html?|aspx?|jsp|php)(?:\?[^"'\s]*)?)["']""")
_META_REFRESH = re.compile(r"url\s*=\s*['\"]?([^'\";>]+)", re.IGNORECASE)
# Compiled once: an XPath string given to .xpath() is compiled again on every call. Plain
# strings: lxml's "smart" ones keep their whole document alive, which the URL answers kept
# in sxworker.site.urls would then hold on to.
_LINKS = etree.XPath("//a[@href or @onclick] | //area[@href]", smart_strings=False)
_OPTIONS = etree.XPath("//option[@value]", smart_strings=False)
_IMAGE_SOURCES = etree.XPath("//img/@src", smart_strings=False)
_IMAGES_INSIDE = etree.XPath(".//img/@src", smart_strings=False)
_FRAMES = etree.XPath("//frame/@src | //iframe/@src", smart_strings=False)
_REFRESHES = etree.XPath(
    "//meta[translate(@http-equiv,'REFSH','refsh')='refresh']/@content", smart_strings=False
)
_SCRIPTS = etree.XPath("//script/text()", smart_strings=False)


def _link_text(element) -> str:
    """What a reader sees as the link: its text, else its title, else its picture's alt
    (上一期 is often a button image)."""
    text = fold_spaces(text_of(element))
    if text:
        return text
    own = element.get("title") or element.get("alt")
    if own:
        return fold_spaces(own)
    for image in element.iter("img"):
        described = image.get("alt") or image.get("title")
        if described:
            return fold_spaces(described)
    return ""


def _href(element) -> str | None:
    """Where a link leads, also when a script does the leading
    (``href="javascript:goPage('node_2.htm')"``, ``onclick="location.href='…'"``)."""
    href = (element.get("href") or "").strip()
    if href and not href.lower().startswith(("javascript:", "mailto:", "#")):
        return href
    script = href if href.lower().startswith("javascript:") else (element.get("onclick") or "")
    match = _SCRIPT_URL.search(script)
    return match.group(1) if match else None


def _scan_inside(element) -> str | None:
    for src in _IMAGES_INSIDE(element):
        if urls.is_scan_url(src):
            return src
    return None


def parse_listing(body: bytes, url: str, *, base_url: str, content_type: str | None = None) -> Listing:
    """Parse a page view (or the site's front page) fetched from ``url``."""
    try:
        decoded = decode_html(body, content_type)
    except UndecodableError as exc:
        raise ListingParseError(f"cannot be decoded cleanly: {exc}") from exc
    root = parse_html(decoded.text)
    links_from = link_base(root, url)
    # Markers are read line by line: text_content() would run the 当前版 name into
    # whatever link follows it.
    lines = page_lines(root)
    text = "\n".join(line.text for line in lines)

    listing = Listing(url=url, issue_date=None, issue_number=markers.issue_number(text), page=None)
    article_urls: dict[str, str] = {}
    mobile_links: dict[str, str] = {}
    desktop_linked: set[str] = set()
    page_links: dict[str, PageLink] = {}
    scans: list[str] = []
    pdfs: list[str] = []
    self_url = urls.canonical(url)

    for element in _LINKS(root):
        href = _href(element)
        if not href:
            continue
        target = urls.absolute(links_from, href)
        if not urls.is_on_site(base_url, target):
            continue
        target = urls.on_base(base_url, target)
        link_text = _link_text(element)
        content = urls.parse_content_url(base_url, target)
        if content is not None:
            canonical_article = urls.article_url(base_url, content.issue_date, content.article_id)
            article_urls.setdefault(canonical_article, link_text)
            if link_text and not article_urls[canonical_article]:
                article_urls[canonical_article] = link_text
            if content.mobile:
                mobile_links.setdefault(canonical_article, target)
            else:
                desktop_linked.add(canonical_article)
            continue
        if urls.is_document_url(target):
            if urls.is_scan_url(target):
                scans.append(target)
            elif urls.is_pdf_url(target):
                pdfs.append(target)
            continue
        if markers.text_is(link_text, markers.PREV_ISSUE_TEXTS):
            listing.prev_issues.append(target)
            continue
        if markers.text_is(link_text, markers.NEXT_ISSUE_TEXTS):
            listing.next_issues.append(target)
            continue
        if markers.text_is(link_text, (*markers.PREV_PAGE_TEXTS, *markers.NEXT_PAGE_TEXTS)):
            _add_page_link(page_links, target, link_text, None)
            continue
        mark = markers.page_link_mark(link_text)
        scan = _scan_inside(element)
        if mark is None and scan:
            scan_ref = urls.parse_scan_url(scan)
            mark = markers.PageMark(None, scan_ref.page_no, None) if scan_ref else None
        if mark is not None:
            _add_page_link(page_links, target, link_text, mark)
        elif target not in listing.other_links:
            listing.other_links.append(target)

    for element in _OPTIONS(root):
        value = element.get("value", "").strip()
        mark = markers.page_link_mark(_link_text(element))
        target = urls.absolute(links_from, value) if value else ""
        if mark and target and urls.is_on_site(base_url, target) and not urls.is_document_url(target):
            _add_page_link(page_links, target, _link_text(element), mark)

    for src in _IMAGE_SOURCES(root):
        if urls.is_scan_url(src):
            scans.append(urls.absolute(links_from, src))

    listing.redirects = _redirects(root, links_from, base_url)
    listing.articles = [
        Link(url_, text_, None if url_ in desktop_linked else mobile_links.get(url_))
        for url_, text_ in article_urls.items()
    ]
    listing.issue_date = _issue_date(text, url, listing.articles, scans)
    self_link = page_links.pop(self_url, None)
    if listing.issue_date is not None:
        plain = [line.text for line in lines if not line.link_only]
        listing.page = _page(listing, self_link, text, plain, scans, pdfs)
        same_page = _listed_under_other_url(listing.page, page_links)
        if same_page is not None:
            # Reached through another URL (the front page, an issue link without a page
            # number): record the page under the URL its own page list gives it, and do
            # not fetch that URL again.
            listing.page.url = page_links.pop(same_page).url
    listing.pages = list(page_links.values())
    return listing


def _add_page_link(
    page_links: dict[str, PageLink], target: str, text: str, mark: markers.PageMark | None
) -> None:
    """Remember a link to a page; a link that names the page's number wins over one that
    does not (上一版 and the page list often point at the same URL)."""
    key = urls.canonical(target)
    known = page_links.get(key)
    if mark is None:
        if known is None:
            page_links[key] = PageLink(target, text, None, None, None)
    elif known is None or (known.page_no is None and mark.number is not None):
        page_links[key] = PageLink(target, text, mark.number, mark.label, mark.name)


def _listed_under_other_url(page: Page, page_links: dict[str, PageLink]) -> str | None:
    if page.page_no is None:
        return None
    for key, link in page_links.items():
        if link.page_no == page.page_no and _same_label(link.page_label, page.page_label):
            return key
    return None


def _same_label(first: str | None, second: str | None) -> bool:
    """第01版 and 第1版 name one page; A1 and B1 do not."""
    if first is None or second is None:
        return True
    return re.sub(r"(?<!\d)0+(?=\d)", "", first) == re.sub(r"(?<!\d)0+(?=\d)", "", second)


def _redirects(root, url: str, base_url: str) -> list[str]:
    """Where a front page that is only a frame set, meta refresh or script sends a reader."""
    found: list[str] = []
    for src in _FRAMES(root):
        found.append(urls.absolute(url, src))
    for content in _REFRESHES(root):
        match = _META_REFRESH.search(content)
        if match:
            found.append(urls.absolute(url, match.group(1)))
    for script in _SCRIPTS(root):
        found.extend(urls.absolute(url, m.group(1)) for m in _JS_LOCATION.finditer(script))
    return [
        urls.on_base(base_url, target)
        for target in dict.fromkeys(found)
        if urls.is_on_site(base_url, target) and not urls.is_document_url(target)
    ]


def _issue_date(text: str, url: str, articles: list[Link], scans: list[str]) -> date | None:
    printed = markers.publication_date(text)
    if printed:
        return printed
    in_url = urls.date_in_url(url)
    if in_url:
        return in_url
    # A page without a printed date is dated by what it lists: most of its articles'
    # URLs carry the issue date (a stray link to another day does not outvote them).
    dates = Counter(urls.date_in_url(link.url) for link in articles)
    dates.update(urls.parse_scan_url(scan).issue_date for scan in scans)
    dates.pop(None, None)
    return dates.most_common(1)[0][0] if dates else None


def _own_article_ids(listing: Listing) -> list[str]:
    """Ids of the linked articles that belong to this issue, once each, in link order."""
    ids: dict[str, None] = {}
    for link in listing.articles:
        root = urls.site_root_of(link.url)
        ref = urls.parse_content_url(root, link.url) if root else None
        if ref is not None and ref.issue_date == listing.issue_date:
            ids[ref.article_id] = None
    return list(ids)


def _page(
    listing: Listing,
    self_link: PageLink | None,
    text: str,
    plain_lines: list[str],
    scans: list[str],
    pdfs: list[str],
) -> Page:
    mark, _ = markers.own_page(text, plain_lines)
    number = mark.number if mark else (self_link.page_no if self_link else None)
    label = mark.label if mark and mark.label else (self_link.page_label if self_link else None)
    name = mark.name if mark else (self_link.page_name if self_link else None)
    this_issue = [scan for scan in scans if urls.parse_scan_url(scan).issue_date == listing.issue_date]
    if number is None:
        number = urls.scan_page_number(this_issue)
    own_scans = urls.scans_of_page(this_issue, number)
    return load_page(
        {
            "issue_date": listing.issue_date.isoformat(),
            "url": listing.url,
            "page_no": number,
            "page_label": label,
            "page_name": name,
            "scan_url": own_scans[:1],
            "pdf_url": pdfs[:1],
            "article_count": len(listing.articles),
            "article_ids": _own_article_ids(listing),
        },
        base_url=listing.url,
    )
