"""What a page says about itself: tagged fields in HTML comments, ``<meta>`` tags, JSON-LD.

E-paper products embed the article's own record in the page (the Founder product writes an
``<!--enpproperty <title>…</title><introtitle>…</introtitle>…-->`` comment; others fill
``<meta name="ContentTitle">``, ``og:title`` or a JSON-LD ``NewsArticle``). It is evidence,
not truth: a template default, a stale record or an empty slot is common, so the article
parser only lets metadata settle a field where it agrees with a line the reader sees.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html import unescape

from sxworker.site.parsers.roles import AUTHOR, KICKER, SUBTITLE, TITLE

# Tag names inside comment records and <meta name>/<meta property> values → field.
_COMMENT_TAGS = {
    "title": TITLE, "maintitle": TITLE, "headline": TITLE, "biaoti": TITLE,
    "introtitle": KICKER, "pretitle": KICKER, "yinti": KICKER, "kicker": KICKER,
    "subtitle": SUBTITLE, "futi": SUBTITLE, "subheadline": SUBTITLE,
    "author": AUTHOR, "byline": AUTHOR, "zuozhe": AUTHOR,
}
_META_NAMES = {
    "contenttitle": TITLE, "og:title": TITLE, "twitter:title": TITLE, "headline": TITLE,
    "title": TITLE, "dc.title": TITLE, "articletitle": TITLE,
    "contentintrotitle": KICKER, "introtitle": KICKER, "pretitle": KICKER,
    "contentsubtitle": SUBTITLE, "subtitle": SUBTITLE,
    "author": AUTHOR, "contentauthor": AUTHOR, "article:author": AUTHOR, "byline": AUTHOR,
    "dc.creator": AUTHOR, "og:article:author": AUTHOR,
}
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_TAGGED = re.compile(r"<([A-Za-z][\w:-]{0,30})>(.*?)</\1>", re.DOTALL)
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
# A record in a comment has several tagged fields; one stray <b>…</b> in a comment is not one.
_MIN_TAGS = 2
_MAX_VALUE = 300


@dataclass
class PageMetadata:
    """Per field, the values the page claims, each with where it was found."""

    claims: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, name: str, value: str | None, source: str) -> None:
        value = _SPACES.sub(" ", unescape(value or "")).strip()
        if value and len(value) <= _MAX_VALUE:
            self.claims.setdefault(name, []).append((value, source))

    def values(self, name: str) -> list[tuple[str, str]]:
        return self.claims.get(name, [])


def page_metadata(text: str, root) -> PageMetadata:
    """Every field claim of the decoded page ``text`` (parsed as ``root``)."""
    found = PageMetadata()
    if "<!--" in text:
        for comment in _COMMENT.finditer(text):
            _comment_record(comment.group(1), found)
    for meta in root.iter("meta"):
        name = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").strip().lower()
        if name in _META_NAMES:
            found.add(_META_NAMES[name], meta.get("content"), f"meta {name}")
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() == "application/ld+json" and script.text:
            _json_ld(script.text, found)
    return found


def _comment_record(comment: str, found: PageMetadata) -> None:
    tagged = _TAGGED.findall(comment)
    if len(tagged) < _MIN_TAGS:
        return
    word = re.match(r"\s*([A-Za-z][\w-]*)", comment)
    source = f"comment {word.group(1)}" if word else "comment"
    for tag, value in tagged:
        name = _COMMENT_TAGS.get(tag.lower())
        if name:
            found.add(name, value, f"{source} <{tag}>")


def _json_ld(text: str, found: PageMetadata) -> None:
    try:
        data = json.loads(text)
    except ValueError:
        return
    for node in data if isinstance(data, list) else [data]:
        if not isinstance(node, dict):
            continue
        for key, name in (("headline", TITLE), ("alternativeHeadline", SUBTITLE)):
            if isinstance(node.get(key), str):
                found.add(name, node[key], f"json-ld {key}")
        authors = node.get("author")
        for author in authors if isinstance(authors, list) else [authors]:
            if isinstance(author, dict):
                author = author.get("name")
            if isinstance(author, str):
                found.add(AUTHOR, author, "json-ld author")
