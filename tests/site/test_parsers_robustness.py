"""Every page the site can send has a defined outcome: an item, or the parser's own error."""

import contextlib

import pytest

from sxworker.replica.site import build_site
from sxworker.site.parsers.article import ArticleParseError, parse_article
from sxworker.site.parsers.issue_page import ListingParseError, parse_listing

BASE = "http://127.0.0.1:9"
ARTICLE_URL = BASE + "/content/2016-12/05/134356.html"


def _mutations(body: bytes) -> list[bytes]:
    return [
        body,
        body[: len(body) // 2],
        body[: len(body) // 7],
        b"",
        b"<html>",
        body.replace(b"<", b""),
        body[::-1],
    ]


@pytest.mark.parametrize("path", sorted(build_site(BASE).resources))
def test_any_resource_and_its_mutilations_parse_or_fail_cleanly(path):
    resource = build_site(BASE).resources[path]
    for body in _mutations(resource.body):
        with contextlib.suppress(ListingParseError):
            parse_listing(body, BASE + path, base_url=BASE, content_type=resource.content_type)
        with contextlib.suppress(ArticleParseError):
            parse_article(body, ARTICLE_URL, base_url=BASE, content_type=resource.content_type)
