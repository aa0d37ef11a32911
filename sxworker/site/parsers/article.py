"""Article pages (desktop and mobile, every era) → :class:`~sxworker.site.items.Article`.

The page is read as lines (see :mod:`sxworker.site.parsers.lines`): the title is the line that
headings, the ``<title>`` tag and the linking page's text agree on; kicker, subtitle, date
and byline are the short lines around it; the body runs from there to the first footer
marker (上篇/下篇, 分享到, ©). Page (版面) facts come from the page's own markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from sxworker.site import urls
from sxworker.site.items import Article
from sxworker.site.loaders import load_article
from sxworker.site.parsers import markers
from sxworker.site.parsers.decoding import UndecodableError, decode_html
from sxworker.site.parsers.evidence import Evidence
from sxworker.site.parsers.header import Header, read_header
from sxworker.site.parsers.lines import (
    Image,
    Line,
    Offstage,
    document_title,
    fold_spaces,
    link_base,
    page_lines,
    parse_html,
    text_of,
)
from sxworker.site.parsers.metadata import page_metadata
from sxworker.site.parsers.roles import CAPTION
from sxworker.site.parsers.template import fingerprint


class ArticleParseError(ValueError):
    """The page is not an article that can be stored (the message says why)."""


@dataclass(frozen=True)
class PageContext:
    """What the page (版面) that linked an article knows about it, used only as a fallback."""

    page_url: str | None = None
    page_no: int | None = None
    page_label: str | None = None
    page_name: str | None = None
    scan_url: str | None = None
    link_text: str | None = None
    issue_number: int | None = None


_CAPTION_TEXT = re.compile(r"^(?:图为|[(\uff08]图|图[:\uff1a]|.{0,60}摄\)?$|.{0,60}摄影\)?$)")
# A picture's credit closes its caption however long it is: （张三 摄）, （新华社发）, （…供图）.
_CREDIT_END = re.compile(r"[(\uff08][^()\uff08\uff09]{0,40}(?:摄|摄影|供图|发|图)\s*[)\uff09]$")
_CAPTION_MAX = 80
# A caption with no mark of one (no 图为, no credit, no box of its own) is known by its
# layout alone only when short.
_UNMARKED_CAPTION_MAX = 40
_ICON_SRC = re.compile(
    r"logo|icon|banner|button|btn|spacer|blank|share|arrow|dot\.|line\.|qrcode|erweima|ewm|"
    r"loading|zoom|print|close|top\.|bg[._]",
    re.IGNORECASE,
)
_NAV_RUN_ENDS_BODY = 3
# Anywhere in the page, not only at its end: scripts appended after </html> are common, and
# a page cut off in transfer has no closing tag at all.
_CLOSING_TAG = re.compile(rb"</\s*(?:body|html)\s*>", re.IGNORECASE)
# A short line that is mostly links ("相关: <a>…</a> <a>…</a>") is navigation, not text.
_NAV_SHARE = 0.6
_NAV_LINE_MAX = 80


def parse_article(
    body: bytes,
    url: str,
    *,
    base_url: str,
    content_type: str | None = None,
    context: PageContext | None = None,
) -> Article:
    """Parse the raw bytes of an article page fetched from ``url``.

    Raises :class:`ArticleParseError` when the page is not a storable article: not an
    article URL, not text, truncated, or without a title or body.
    """
    ref = urls.parse_content_url(base_url, url)
    if ref is None:
        raise ArticleParseError(f"not an article URL under {base_url}: {url}")
    if not re.search(rb"<\s*(html|body|p|div|table|br)\b", body[:65536], re.IGNORECASE):
        raise ArticleParseError("not an HTML page")
    # A page cut off in transfer loses its tail; stored as is it would be a shortened text.
    if not _CLOSING_TAG.search(body):
        raise ArticleParseError("truncated HTML (no closing </body> or </html>)")
    try:
        decoded = decode_html(body, content_type)
    except UndecodableError as exc:
        raise ArticleParseError(f"cannot be decoded cleanly: {exc}") from exc
    root = parse_html(decoded.text)
    links_from = link_base(root, url)
    offstage = Offstage()
    lines = page_lines(root, offstage)
    context = context or PageContext()
    evidence = Evidence()

    def caption_at(index: int) -> bool:
        return _is_caption(lines, index, base_url)

    header = read_header(
        lines,
        doc_title=document_title(root),
        link_text=context.link_text,
        metadata=page_metadata(decoded.text, root),
        evidence=evidence,
        caption_at=caption_at,
    )
    if header is None:
        raise ArticleParseError("no title found")
    paragraphs, images, first_text = _body(lines, header, base_url, evidence)
    if not paragraphs:
        # A picture story (图片新闻) whose only text is its caption: the caption is its text.
        paragraphs = [image["caption"] for image in images if image["caption"]]
        if not paragraphs:
            raise ArticleParseError("no article text found")
        evidence.note("body", "the pictures' captions: the article has no other text")

    canonical = urls.article_url(base_url, ref.issue_date, ref.article_id)
    page_text = "\n".join(line.text for line in lines)
    scan_urls = _scan_urls(lines, offstage, page_text, ref.issue_date, links_from)
    article = load_article(
        {
            "article_id": ref.article_id,
            "url": canonical,
            "source_url": url,
            "issue_date": ref.issue_date.isoformat(),
            "title": header.title,
            "kicker": header.kicker,
            "subtitle": header.subtitle,
            "author": header.author,
            "body": paragraphs,
            "images": images,
            **_page_fields(lines, page_text, scan_urls, context, evidence),
        },
        base_url=links_from,
    )
    # How the page was read, not text to clean: set as they are, past the loader.
    article.template = fingerprint(lines[header.title_at], lines[first_text])
    article.evidence = evidence.as_dict()
    return article


def _page_fields(
    lines: list[Line], page_text: str, scan_urls: list[str], context: PageContext, evidence: Evidence
) -> dict[str, object]:
    """Page facts from the article page's own markers first; what the linking page knows
    fills in only where the article does not name another page."""
    mark, how = markers.own_page(page_text, (line.text for line in lines if not line.link_only))
    if how:
        evidence.note("page_no", how)
    number = mark.number if mark else urls.scan_page_number(scan_urls)
    if not mark and number is not None:
        evidence.note("page_no", "the page-scan URL")
    same = number is None or context.page_no in (None, number)
    if number is None and context.page_no is not None:
        evidence.note("page_no", "the page that linked the article")
        number = context.page_no
    scans = urls.scans_of_page(scan_urls, number)
    printed = markers.issue_number(page_text)
    return {
        "page_no": number,
        "page_label": (mark and mark.label) or (context.page_label if same else None),
        "page_name": (mark and mark.name) or (context.page_name if same else None),
        "page_url": context.page_url if same else None,
        "page_image_url": scans[0] if scans else (context.scan_url if same else None),
        "issue_number": printed if printed is not None else context.issue_number,
    }


def _scan_urls(
    lines: list[Line], offstage: Offstage, page_text: str, issue_date, links_from: str
) -> list[str]:
    """Page-scan URLs of this issue anywhere on the page: img src, link href, or printed as
    text (the mobile pages' share block, often hidden)."""
    found: list[str] = []
    sources = [image.src for line in lines for image in line.images] + offstage.hrefs
    candidates = [value for value in sources if "img/" in value.lower()]
    for text in (page_text, *offstage.hidden):
        if "mg/" in text:
            candidates += re.findall(r"https?://\S+?\.jpe?g", text, re.IGNORECASE)
    for candidate in candidates:
        scan = urls.parse_scan_url(candidate)
        if scan and scan.issue_date == issue_date:
            absolute = urls.absolute(links_from, candidate)
            if absolute not in found:
                found.append(absolute)
    return found


def _is_icon(image: Image) -> bool:
    if _ICON_SRC.search(image.src):
        return True
    return any(size is not None and size < 60 for size in (image.width, image.height))


def _pictures(line: Line, base_url: str) -> list[Image]:
    """The line's pictures that belong to the article: no icons, no page scans."""
    return [
        image
        for image in line.images
        if not _is_icon(image) and not urls.is_scan_url(urljoin(base_url, image.src))
    ]


def _indented(line: Line) -> bool:
    """The line's own block opens with a paragraph indent (full-width or no-break spaces),
    as body paragraphs of Chinese pages do and captions do not."""
    block = line.block
    raw = getattr(block, "text", None) or ""
    return raw[:1] in ("\u3000", "\xa0") and fold_spaces(raw)[:4] == line.text[:4]


def _caption_for(
    image: Image, line: Line, next_line: Line | None, after: Line | None = None
) -> tuple[str | None, str | None]:
    """The caption of a picture and, when it is the next line, why that line is one
    (``after``: the line after that one)."""
    if line.text and len(line.text) <= _CAPTION_MAX:
        return line.text, None
    if next_line is not None and next_line.text and not next_line.images and not next_line.link_only:
        text = next_line.text
        short = len(text) <= _CAPTION_MAX
        if next_line.role == CAPTION or next_line.tag == "figcaption":
            return text, f"role caption ({next_line.role_mark or next_line.tag})"
        if short and _boxed_with(image, next_line):
            return text, "the picture's box holds it alone"
        if _CREDIT_END.search(text):
            return text, "the line after the picture ends with its credit (…摄)"
        if short and _CAPTION_TEXT.match(text):
            return text, "the line after the picture reads as a caption (图为…, …摄)"
        if (
            len(text) <= _UNMARKED_CAPTION_MAX
            and after is not None
            and _indented(after)
            and not _indented(next_line)
        ):
            return text, "the short line after the picture is not indented as the text after it is"
    if image.alt and not re.search(r"\.(jpe?g|png|gif)$", image.alt, re.IGNORECASE):
        return image.alt, None
    return None, None


def _is_caption(lines: list[Line], index: int, base_url: str) -> bool:
    """The line at ``index`` is the caption of a picture on the line before it."""
    if not 0 < index < len(lines):
        return False
    before = lines[index - 1]
    if before.text or not before.images:
        return False
    after = lines[index + 1] if index + 1 < len(lines) else None
    return any(_caption_for(image, before, lines[index], after)[1] for image in _pictures(before, base_url))


def _boxed_with(image: Image, line: Line) -> bool:
    """The picture and the line share a small box (a picture table, a figure, a div) that
    holds nothing but them: the line is the picture's caption."""
    node = image.element
    for _ in range(4):
        node = node.getparent() if node is not None else None
        if node is None or node.tag in ("body", "html"):
            return False
        text = fold_spaces(text_of(node))
        if text and line.block is not None and any(el is line.block for el in node.iter()):
            return text == line.text
    return False


def _body(
    lines: list[Line], header: Header, base_url: str, evidence: Evidence
) -> tuple[list[str], list[dict], int]:
    """Paragraphs and pictures from the title to the first end marker; also the index of the
    first paragraph's line (the template fingerprint's anchor)."""
    paragraphs: list[str] = []
    images: list[dict] = []
    first_text = header.title_at
    nav_run = 0
    skip: set[int] = set(header.consumed)
    for index in range(header.title_end + 1, len(lines)):
        if index in skip:
            continue
        line = lines[index]
        text = line.text
        if text and markers.is_end_line(text):
            evidence.note("body", f"ends at the footer line {text[:20]!r}")
            break
        if line.link_only or (line.link_share >= _NAV_SHARE and len(text) <= _NAV_LINE_MAX):
            nav_run += 1
            if paragraphs and nav_run >= _NAV_RUN_ENDS_BODY:
                evidence.note("body", "ends at a run of navigation links")
                break
            continue
        nav_run = 0
        pictures = _pictures(line, base_url) if line.images else None
        if pictures:
            next_line = lines[index + 1] if index + 1 < len(lines) else None
            after = lines[index + 2] if index + 2 < len(lines) else None
            for image in pictures:
                caption, why = _caption_for(image, line, next_line, after)
                images.append({"url": image.src, "caption": caption})
                if why:
                    evidence.note("images", f"caption: {why}")
                    skip.add(index + 1)
            if line.text and len(line.text) <= _CAPTION_MAX:
                continue
        if not text or markers.is_noise_line(text) or urls.is_scan_url(text):
            continue
        if not paragraphs:
            first_text = index
        paragraphs.append(text)
    return paragraphs, images, first_text
