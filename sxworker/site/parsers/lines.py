"""A page as the lines a reader sees, with just enough structure kept to reason about them.

Four decades of templates share little markup (tables with ``<br>`` paragraphs, div layouts,
a mobile layout) but they all render to the same sequence of lines: navigation, page
markers, kicker, title, byline, paragraphs, zoom/share/copyright. The parsers work on that
sequence, so a template change moves lines around rather than breaking a selector.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

from lxml import etree

from sxworker.site.parsers.roles import AUTHOR, HIDDEN, KICKER, SUBTITLE, TITLE, element_verdict

_BLOCK_TAGS = frozenset(
    (
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "center",
        "dd",
        "details",
        "dialog",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "html",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "tbody",
        "thead",
        "tfoot",
        "tr",
        "td",
        "th",
        "ul",
        "caption",
    )
)
_SKIPPED_TAGS = frozenset(
    (
        "script",
        "style",
        "noscript",
        "select",
        "option",
        "textarea",
        "head",
        "title",
        "iframe",
        "frame",
        "object",
        "embed",
        "template",
        "svg",
        "button",
        "input",
        "map",
    )
)
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# One lookup per element: skipped, a block (0) or a heading (its level); inline tags are absent.
_SKIP = -1
_KINDS: dict[str, int] = {**dict.fromkeys(_BLOCK_TAGS, 0), **_HEADINGS, **dict.fromkeys(_SKIPPED_TAGS, _SKIP)}
# Inside these a <br> breaks a long title, kicker, subtitle or byline over two lines of
# type; the reader still reads one line, so it joins with a space.
_ONE_LINE_ROLES = frozenset((KICKER, TITLE, SUBTITLE, AUTHOR))
_ZERO_WIDTH = str.maketrans(dict.fromkeys("\u200b\u200c\u200d\ufeff", " "))
_ROLE_REACH = 3
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
# Plain strings: lxml's "smart" ones keep their whole document alive.
_LINKS_INSIDE = etree.XPath(".//a/@href | .//img/@src", smart_strings=False)


@dataclass(slots=True)
class Image:
    src: str
    alt: str | None
    width: int | None
    height: int | None
    in_link: str | None
    element: object = field(repr=False, compare=False, default=None)


@dataclass(slots=True)
class Line:
    """One visual line: text, whether every character of it is link text, where it sits."""

    text: str
    link_only: bool
    link_share: float  # how much of the text is link text, 0..1
    heading: int  # 1..6 inside <hN>, else 0
    tag: str  # the block element the line sits in
    images: list[Image] = field(default_factory=list)
    block: object = field(repr=False, compare=False, default=None)
    # The role the nearest role-naming element says the line has (see roles.py), and that
    # element as ``tag#id`` / ``tag.class``: evidence for the field decisions.
    role: str | None = None
    role_mark: str | None = None


def fold_spaces(text: str) -> str:
    # str.split() knows the same Unicode spaces as the regex's \s (NBSP, U+3000) and is
    # several times faster on the hot path; the zero-width ones it leaves are mapped first.
    if "\u200b" in text or "\u200c" in text or "\u200d" in text or "\ufeff" in text:
        text = text.translate(_ZERO_WIDTH)
    return " ".join(text.split())


_HTML_PARSER = etree.HTMLParser(remove_comments=True, remove_pis=True)


def parse_html(text: str):
    """An lxml tree of a decoded page. Plain etree elements: lxml.html's element classes
    cost a lookup per element and the parsers need none of their helpers."""
    # lxml refuses str input that declares an encoding; the text is already decoded.
    text = _XML_DECLARATION.sub("", text, count=1)
    root = etree.fromstring(text, _HTML_PARSER) if text.strip() else None
    if root is None:
        root = etree.fromstring("<html><body></body></html>", _HTML_PARSER)
    return root


def text_of(element) -> str:
    """All text inside an element (lxml.html's text_content() for plain elements)."""
    return "".join(element.itertext())


def _int_attr(element, name: str) -> int | None:
    value = (element.get(name) or "").strip().rstrip("px")
    return int(value) if value.isdigit() else None


class _LineBuilder:
    def __init__(self, offstage: Offstage | None = None) -> None:
        self.offstage = offstage
        self.lines: list[Line] = []
        # The texts of the line being read, and those of them inside a link.
        self._parts: list[str] = []
        self._linked: list[str] = []
        self._images: list[Image] = []
        self._blocks: list = []
        self._heading_stack: list[int] = []
        # (role, mark, joins <br>, where the role element sits in self._blocks)
        self._roles: list[tuple[str, str, bool, int]] = []

    def image(self, element, link_href: str | None) -> None:
        src = (element.get("src") or element.get("data-src") or "").strip()
        if src:
            self._images.append(
                Image(
                    src=src,
                    alt=fold_spaces(element.get("alt") or element.get("title") or "") or None,
                    width=_int_attr(element, "width"),
                    height=_int_attr(element, "height"),
                    in_link=link_href,
                    element=element,
                )
            )

    def flush(self) -> None:
        parts = self._parts
        images = self._images
        if not parts and not images:
            return
        text = fold_spaces("".join(parts)) if parts else ""
        if text or images:
            linked = fold_spaces("".join(self._linked)) if self._linked else ""
            blocks = self._blocks
            block = blocks[-1] if blocks else None
            role = mark = None
            if self._roles:
                # A role reaches the lines of its element and of blocks just inside it, not
                # a whole page wrapped in <div class="news-title-box">.
                name, where, _, depth = self._roles[-1]
                if len(blocks) - depth <= _ROLE_REACH:
                    role, mark = name, where
            self.lines.append(
                Line(
                    text=text,
                    link_only=bool(text) and linked == text,
                    link_share=len(linked) / len(text) if text else 0.0,
                    heading=self._heading_stack[-1] if self._heading_stack else 0,
                    tag=block.tag if block is not None else "",
                    images=images,
                    block=block,
                    role=role,
                    role_mark=mark,
                )
            )
            self._images = []
        # Cleared, not replaced: walk() holds these lists across its children's flushes.
        parts.clear()
        self._linked.clear()

    def walk(self, element, link_href: str | None) -> None:
        tag = element.tag
        # lxml's HTML parser lower-cases tag names; comments and PIs have a function as tag.
        if not isinstance(tag, str):
            return
        kind = _KINDS.get(tag)
        if kind == _SKIP:
            return
        role = None
        # keys() is the cheapest test for "any attribute at all" lxml offers.
        if element.keys() or "-" in tag:
            get = element.get
            role = element_verdict(tag, get("id"), get("class"), get("style"), get("hidden") is not None)
            if role is HIDDEN:
                if self.offstage is not None:
                    self.offstage.hidden.append(text_of(element))
                    self.offstage.hrefs.extend(_LINKS_INSIDE(element))
                return
        if tag == "br":
            if (self._roles and self._roles[-1][2]) or self._heading_stack:
                self._parts.append(" ")
            else:
                self.flush()
            return
        if tag == "img":
            self.image(element, link_href)
            return
        if tag == "a":
            href = element.get("href")
            if href:
                link_href = href
                if self.offstage is not None:
                    self.offstage.hrefs.append(href)
        # Custom elements (<founder-content>, <article-title>) are how some e-paper products
        # mark up their text blocks; unknown to HTML, they still start a new line.
        block = kind is not None or "-" in tag
        # An element that names its role is a line of its own even when it is inline
        # (<font id="main-title"> beside <font id="sub-title">): the stylesheet makes it one.
        opens = block or role
        if opens:
            if self._parts or self._images:
                self.flush()
            self._blocks.append(element)
            if kind:
                self._heading_stack.append(kind)
            if role:
                joins = role[0] in _ONE_LINE_ROLES and not block
                self._roles.append((role[0], role[1], joins, len(self._blocks)))
        parts = self._parts
        text = element.text
        if link_href is None:
            if text:
                parts.append(text)
            for child in element:
                self.walk(child, None)
                tail = child.tail
                if tail:
                    parts.append(tail)
        else:
            # Text inside a link also goes to the linked parts (how much of a line is links).
            linked = self._linked
            if text:
                parts.append(text)
                linked.append(text)
            for child in element:
                self.walk(child, link_href)
                tail = child.tail
                if tail:
                    parts.append(tail)
                    linked.append(tail)
        if opens:
            self.flush()
            self._blocks.pop()
            if kind:
                self._heading_stack.pop()
            if role:
                self._roles.pop()


@dataclass(slots=True)
class Offstage:
    """What a reader does not see as text but the parsers want: the text the template hides
    (a scan URL kept in a hidden share block) and every link target, in document order."""

    hidden: list[str] = field(default_factory=list)
    hrefs: list[str] = field(default_factory=list)


def page_lines(root, offstage: Offstage | None = None) -> list[Line]:
    """The visible lines of a parsed page, in reading order; ``offstage``, when given,
    collects the rest on the same walk."""
    builder = _LineBuilder(offstage)
    body = root.find("body")
    builder.walk(body if body is not None else root, None)
    builder.flush()
    return builder.lines


def link_base(root, url: str) -> str:
    """What relative links on the page resolve against: ``<base href>`` if any, else the URL."""
    # iter() walks the tree in C; an XPath string would be compiled on every call.
    for base in root.iter("base"):
        href = base.get("href")
        if href and href.strip():
            return urljoin(url, href.strip())
    return url


def document_title(root) -> str | None:
    for node in root.iter("title"):
        return fold_spaces(text_of(node)) or None
    return None
