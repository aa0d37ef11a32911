"""The captures index and the download handler a reparse answers every request with."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from sxworker.crawl.captures import Captures, NotCaptured
from sxworker.crawl.replay import CaptureHandler
from sxworker.crawl.session import REPLAY_SETTING, CrawlSession
from sxworker.crawl.warc import RotatingWarcWriter, warc_files
from sxworker.site.dates import DateRange

SITE = "http://szb.sxworker.com"
HTML = [("Content-Type", "text/html; charset=utf-8")]
JPEG = [("Content-Type", "image/jpeg")]
ARTICLE = f"{SITE}/content/2016-12/05/134356.html"
PAGE = f"{SITE}/index.aspx?date=2016-12-05&page=3"
SCAN = f"{SITE}/Img/2016/12/2016120503-1.jpg"


def write(folder: Path, *exchanges: tuple[str, int, list[tuple[str, str]], bytes]) -> list[Path]:
    """A WARC file of GET exchanges (URL, status, response headers, body) in ``folder``."""
    writer = RotatingWarcWriter(folder, info={"software": "test"})
    for url, status, headers, body in exchanges:
        writer.write_exchange(
            url,
            method="GET",
            request_headers=[],
            request_body=b"",
            status=status,
            protocol="HTTP/1.1",
            response_headers=headers,
            body=body,
        )
    writer.close()
    return warc_files([folder])


def page(text: str) -> bytes:
    return f"<html><body><p>{text}</p></body></html>".encode()


@pytest.fixture
def captures(tmp_path) -> Captures:
    files = write(
        tmp_path / "first",
        (SCAN, 200, JPEG, b"\xff\xd8\xff older"),
        (PAGE, 200, HTML, page("版面")),
        (ARTICLE, 200, HTML, page("first text")),
        (f"{SITE}/robots.txt", 200, [("Content-Type", "text/plain")], b"User-agent: *"),
    ) + write(
        tmp_path / "later",
        (SCAN, 503, HTML, page("busy")),  # a success stands over a later error
        ("https://szb.sxworker.com/content/2016-12/05/134356.html", 200, HTML, page("moved text")),
        (f"{SITE}/content/2016-12/05/134357.html", 404, HTML, page("gone")),
        (f"{SITE}/Img/old.jpg", 301, [("Location", "/Img/new.jpg")], b""),
    )
    opened = Captures.read(files)
    yield opened
    opened.close()


def test_a_url_is_answered_by_its_newest_success_else_its_newest_answer(captures):
    assert (captures.answer(SCAN).status, captures.answer(SCAN).body) == (200, b"\xff\xd8\xff older")
    gone = captures.answer(f"{SITE}/content/2016-12/05/134357.html")
    assert (gone.status, gone.body) == (404, page("gone"))
    moved = captures.answer(f"{SITE}/Img/old.jpg")
    assert (moved.status, moved.location) == (301, "/Img/new.jpg")
    with pytest.raises(NotCaptured, match=f"not in the WARC captures: {SITE}/Img/new.jpg"):
        captures.answer(f"{SITE}/Img/new.jpg")


def test_an_article_is_answered_by_its_newest_capture_in_whichever_form(captures):
    answer = captures.answer(ARTICLE)  # asked as the page view links it: http
    assert (answer.url, answer.body) == (
        "https://szb.sxworker.com/content/2016-12/05/134356.html",
        page("moved text"),
    )
    assert captures.date_of(answer.url).endswith("Z")


def test_what_the_walk_starts_from_and_what_it_never_asked_for(captures):
    assert captures.page_views() == [PAGE]  # not the articles, the scan or robots.txt
    assert captures.visited(date(2016, 12, 5)) and not captures.visited(date(2016, 12, 6))
    everything = DateRange(None, None)
    assert sorted(captures.articles_not_asked(everything)) == [
        "https://szb.sxworker.com/content/2016-12/05/134356.html"
    ]
    assert captures.articles_not_asked(DateRange(date(2017, 1, 1), None)) == []
    captures.answer(ARTICLE)
    assert captures.articles_not_asked(everything) == []
    # Never read: the page view, the scan, robots.txt, the 404, the redirect, and the
    # article's older http capture (the https one answered for it).
    assert len(captures.unread()) == 6


def test_the_handler_answers_from_the_sessions_captures_and_never_the_network(tmp_path):
    files = write(tmp_path / "warc", (PAGE, 200, HTML, page("版面")))
    settings = {
        "SXWORKER_DB": str(tmp_path / "a.sqlite3"),
        REPLAY_SETTING: [str(path) for path in files],
        "EXTENSIONS": {"sxworker.crawl.session.CrawlSession": 0},
    }
    crawler = get_crawler(settings_dict=settings)
    handler = CaptureHandler.from_crawler(crawler)
    try:
        response = asyncio.run(handler.download_request(Request(PAGE)))
        assert isinstance(response, HtmlResponse)
        assert (response.url, response.status, response.text) == (PAGE, 200, page("版面").decode())
        assert response.headers["Content-Length"] == str(len(page("版面"))).encode()
        with pytest.raises(NotCaptured):
            asyncio.run(handler.download_request(Request(f"{SITE}/elsewhere.html")))
    finally:
        CrawlSession.of(crawler).close()


def test_damaged_captures_keep_the_crawl_from_starting_before_the_archive_is_touched(tmp_path):
    bad = tmp_path / "bad.warc.gz"
    bad.write_bytes(b"<html></html>")
    settings = {
        "SXWORKER_DB": str(tmp_path / "a.sqlite3"),
        REPLAY_SETTING: [str(bad)],
        "EXTENSIONS": {"sxworker.crawl.session.CrawlSession": 0},
    }
    with pytest.raises(ValueError, match="not a WARC file"):
        get_crawler(settings_dict=settings)
    assert not (tmp_path / "a.sqlite3").exists() and not (tmp_path / "a.sqlite3.lock").exists()
