"""The crawl answered from WARC captures instead of the network: what ``sxworker reparse`` is.

A reparse is the crawl run offline — the same spider, middlewares and pipelines — with
:class:`CaptureHandler` as the download handler of ``http`` and ``https``: every request,
the spider's and the files pipeline's, is answered with what the crawl session's captures
(crawl/captures.py) hold for its URL, and a URL they do not hold fails with
:class:`~sxworker.crawl.captures.NotCaptured`, which the spider and the files pipeline record
as they record any page that could not be fetched. No request ever leaves the machine.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.http import Headers, Request, Response
from scrapy.responsetypes import responsetypes

from sxworker.crawl.captures import NotCaptured
from sxworker.crawl.session import CrawlSession


class CaptureHandler(BaseDownloadHandler):
    """Scrapy's download handler for http and https in a reparse: each request answered
    from the crawl session's captures, never from the network."""

    async def download_request(self, request: Request) -> Response:
        captures = CrawlSession.of(self.crawler).captures
        if captures is None:
            raise NotCaptured("no captures to answer from: the replay handler outside a reparse")
        captured = captures.answer(request.url)
        headers = Headers(list(captured.headers))
        response_class = responsetypes.from_args(headers=headers, url=captured.url, body=captured.body)
        return response_class(
            url=captured.url,
            status=captured.status,
            headers=headers,
            body=captured.body,
            request=request,
            protocol="HTTP/1.1",
        )
