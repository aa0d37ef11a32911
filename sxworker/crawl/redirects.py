"""Redirects that must not be followed end as recorded failures, not silence.

Scrapy drops an off-site redirect target when it is scheduled, and a redirect back to a
URL already requested is swallowed by the duplicate filter: both quietly, so the article
would be neither stored nor recorded as failed. This middleware sees the 3xx first and
refuses such redirects with a reason the spider's errback records in the ledger.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from w3lib.url import safe_url_string

_REDIRECTS = (301, 302, 303, 307, 308)


class RedirectRefused(IgnoreRequest):
    """A redirect off the site or back to where it came from."""


class RedirectGuard:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedirectGuard:
        return cls(crawler)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get("Location")
        if response.status not in _REDIRECTS or not location or request.meta.get("dont_redirect"):
            return response
        target = safe_url_string(urljoin(request.url, location.decode("latin-1")))
        allowed = getattr(self.crawler.spider, "allowed_domains", None) or []
        host = urlsplit(target).hostname or ""
        if allowed and not any(host == domain or host.endswith("." + domain) for domain in allowed):
            raise RedirectRefused(f"redirect off-site to {target}")
        if target == request.url or target in request.meta.get("redirect_urls", ()):
            raise RedirectRefused(f"redirect loop at {target}")
        return response
