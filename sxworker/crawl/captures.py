"""The WARC captures of earlier crawls, indexed by URL, for a crawl answered from them
(``sxworker reparse``: the download handler in crawl/replay.py asks :meth:`Captures.answer`).

Which capture answers a URL: its newest successful one (files are read in the order they
were written, so a later capture is newer); a URL never answered with success gets its
newest answer, an error or a redirect, which the crawl's middlewares then treat as they
would on the wire (a redirect is followed to its target's capture). An article is answered
with its newest successful capture in whichever form that was — desktop or mobile, before
or after the site moved host or scheme — as the crawl of that day saw it.

:class:`Captures` is that index (URL → where its record is; the bodies stay in the files and
are read when asked for), and what the spider needs to walk the captures instead of the
site: the page views to start from, the articles no page view links, and the site roots.
sxworker's own files are indexed and answered by crawl/warcscan.py (zlib and hashlib, no
warcio streams: the index three times faster, an answer twice); any other file, or damage,
by warcio, whose rule decides what is wrong — while the index is built, before anything
is written.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit, urlunsplit

from sxworker.crawl import warcscan
from sxworker.crawl.warc import CapturedResponse, WarcReadError, iter_responses, response_at
from sxworker.site import urls

_HTML_TYPES = ("text/html", "application/xhtml+xml")
_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)


class NotCaptured(Exception):
    """The captures hold no response for this URL (a reparse never asks the network)."""


@dataclass(frozen=True)
class _Place:
    """Where one capture is: which file, the offset of its record and, when
    crawl/warcscan.py read the file, the length of its gzip member (None: warcio reads it)."""

    file_no: int
    offset: int
    length: int | None = None


@dataclass(frozen=True)
class _Article:
    """The newest successful capture of one article, in whichever form it was."""

    url: str
    issue_date: str
    article_id: str


class Captures:
    """The responses of a set of WARC files, by URL, for answering a crawl offline."""

    def __init__(self, files: list[Path]) -> None:
        self.files = files
        self.responses = 0
        self._success: dict[str, _Place] = {}
        self._other: dict[str, _Place] = {}
        # Per article (issue date, id): its newest successful capture, whatever its form.
        self._articles: dict[tuple[str, str], _Article] = {}
        self._article_dates: set[str] = set()
        self._bases: set[str] = set()
        # Page views (HTML answers that are not articles), in capture order.
        self._listings: dict[str, None] = {}
        self._asked: set[str] = set()
        self._articles_answered: set[tuple[str, str]] = set()
        # The WARC-Date (as the archive writes times) of each capture that answered.
        self._dates: dict[str, str] = {}
        self._handles: dict[int, BinaryIO] = {}

    @classmethod
    def read(cls, files: Iterable[Path]) -> Captures:
        """Index ``files`` (in the order given: oldest first). Raises
        :class:`~sxworker.crawl.warc.WarcReadError` for a file that cannot be read."""
        captures = cls(list(files))
        for file_no, path in enumerate(captures.files):
            # sxworker's own files are read fast; any other shape, or any damage, by warcio,
            # whose rule says what is wrong (before anything is written: this is the index).
            try:
                records = warcscan.scan(path)
            except (warcscan.Unusual, OSError):
                for response in iter_responses(path):
                    place = _Place(file_no, response.offset)
                    captures._add(place, response.url, response.status, _is_html(response))
                continue
            for record in records:
                place = _Place(file_no, record.offset, record.length)
                captures._add(place, record.url, record.status, captures._record_is_html(place, record))
        return captures

    def _record_is_html(self, place: _Place, record: warcscan.Record) -> bool:
        if record.content_type.split(";", 1)[0].strip():
            return _is_html_type(record.content_type)
        return _is_html(self._read(place))  # no type said: the body shows it

    def _add(self, place: _Place, url: str, status: int, html: bool) -> None:
        self.responses += 1
        ref = None
        root = urls.site_root_of(url)
        if root is not None:
            base = urls.normalize_base(root)
            self._bases.add(base)
            ref = urls.parse_content_url(base, url)
        if ref is not None:
            # An issue with an article captured was visited, even if the article failed.
            self._article_dates.add(ref.issue_date.isoformat())
        if not 200 <= status < 300:
            if url not in self._success:
                self._other[url] = place
            return
        self._success[url] = place
        self._other.pop(url, None)
        if ref is not None:
            key = (ref.issue_date.isoformat(), ref.article_id)
            self._articles[key] = _Article(url, *key)
        elif html:
            self._listings.pop(url, None)
            self._listings[url] = None
        else:
            self._listings.pop(url, None)

    # -- what the spider walks ------------------------------------------------------------

    def page_views(self) -> list[str]:
        """Every captured page view (an HTML answer that is not an article), oldest first."""
        return list(self._listings)

    def articles_not_asked(self, within: object) -> list[str]:
        """The newest capture of each article of a date in ``within`` (a DateRange) that no
        request has asked for yet: the articles no captured page view links."""
        return [
            article.url
            for key, article in self._articles.items()
            if key not in self._articles_answered and date.fromisoformat(article.issue_date) in within
        ]

    def visited(self, issue_date: date) -> bool:
        """Whether the crawl fetched articles of this issue (an issue it only walked through,
        on its way to an older one, it did not store: neither does the reparse)."""
        return issue_date.isoformat() in self._article_dates

    def base_for(self, url: str, default: str) -> str:
        """The site root ``url`` belongs to: the longest root the article captures show that
        holds it; else ``default`` when that holds it; else its scheme and host."""
        holding = [base for base in self._bases if urls.is_on_site(base, url)]
        if holding:
            return max(holding, key=len)
        if urls.is_on_site(default, url):
            return default
        parts = urlsplit(url)
        return urlunsplit((parts.scheme, parts.netloc, "", "", ""))

    def article_dates(self) -> Counter[str]:
        """How many articles are captured of each issue date (``YYYY-MM-DD``)."""
        return Counter(issue_date for issue_date, _ in self._articles)

    def unread(self) -> set[str]:
        """Captured URLs no request asked for (robots.txt, pages of other sites, …)."""
        return (self._success.keys() | self._other.keys()) - self._asked

    # -- answering -------------------------------------------------------------------------

    def answer(self, url: str) -> CapturedResponse:
        """The capture that answers a request for ``url`` (see the module docstring)."""
        url = self._newest_form(url)
        self._asked.add(url)
        place = self._success.get(url) or self._other.get(url)
        if place is None:
            raise NotCaptured(f"not in the WARC captures: {url}")
        captured = self._read(place)
        if captured is None or captured.url != url:
            # The file changed since it was indexed.
            raise WarcReadError(f"{self.files[place.file_no]}: no response for {url} at byte {place.offset}")
        when = warc_date_utc(captured.warc_date)
        if when:
            self._dates[url] = when
        return captured

    def date_of(self, url: str) -> str | None:
        """When the capture that answered ``url`` was made (UTC, to the second)."""
        return self._dates.get(url)

    def _newest_form(self, url: str) -> str:
        root = urls.site_root_of(url)
        ref = urls.parse_content_url(urls.normalize_base(root), url) if root else None
        if ref is None:
            return url
        key = (ref.issue_date.isoformat(), ref.article_id)
        self._articles_answered.add(key)
        article = self._articles.get(key)
        return article.url if article is not None else url

    def _read(self, place: _Place) -> CapturedResponse | None:
        handle = self._handle(place.file_no)
        if place.length is None:
            return response_at(handle, place.offset)
        try:
            return warcscan.read_at(handle, place.offset, place.length)
        except warcscan.Unusual:
            return None

    def _handle(self, file_no: int) -> BinaryIO:
        handle = self._handles.get(file_no)
        if handle is None:
            handle = self._handles[file_no] = self.files[file_no].open("rb")
        return handle

    def close(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()


def _is_html(response: CapturedResponse | None) -> bool:
    if response is None:
        return False
    if response.content_type.split(";", 1)[0].strip():
        return _is_html_type(response.content_type)
    return bool(_LOOKS_HTML.search(response.body[:4096]))


def _is_html_type(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in _HTML_TYPES


def warc_date_utc(warc_date: str) -> str | None:
    """A WARC-Date as the archive writes times (UTC, to the second); None if unreadable."""
    try:
        moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
