"""What a page view tells the archive, shared by the crawl and by ``sxworker reparse``:
the issue it belongs to, the page itself, and the context its article links carry."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from sxworker.site.items import Issue, Page
from sxworker.site.parsers.article import PageContext
from sxworker.site.parsers.issue_page import Link, Listing


def issue_of(listing: Listing) -> Issue:
    """The issue a dated listing belongs to."""
    assert listing.issue_date is not None
    return Issue(
        issue_date=listing.issue_date.isoformat(),
        url=_first_page_url(listing),
        issue_number=listing.issue_number,
        page_count=page_count(listing),
    )


def _first_page_url(listing: Listing) -> str:
    """The issue's first page as the page list names it — the same whichever page of the
    issue a crawl happens to read first (a resumed crawl starts in the middle)."""
    numbered: dict[int, str] = {}
    for link in listing.pages:
        if link.page_no is not None:
            numbered.setdefault(link.page_no, link.url)
    if listing.page is not None and listing.page.page_no is not None:
        numbered.setdefault(listing.page.page_no, listing.page.url)
    if numbered:
        return numbered[min(numbered)]
    return listing.page.url if listing.page else listing.url


def page_of(listing: Listing) -> Page | None:
    """The page the listing shows; an issue's overview (thumbnails of every page, no page
    of its own) is not a page."""
    if listing.page is not None and (listing.page.page_no is not None or not listing.pages):
        return listing.page
    return None


def article_contexts(listing: Listing) -> Iterator[tuple[Link, PageContext]]:
    """Each article link with what the page knows about it (a fallback for the article view)."""
    page = listing.page
    base = PageContext(
        page_url=page.url if page else None,
        page_no=page.page_no if page else None,
        page_label=page.page_label if page else None,
        page_name=page.page_name if page else None,
        scan_url=page.scan_url if page else None,
        issue_number=listing.issue_number,
    )
    for link in listing.articles:
        yield link, replace(base, link_text=link.text or None)


def page_count(listing: Listing) -> int | None:
    numbers = {link.page_no for link in listing.pages if link.page_no is not None}
    if listing.page is not None and listing.page.page_no is not None:
        numbers.add(listing.page.page_no)
    return len(numbers) or None
