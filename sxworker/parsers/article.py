"""Article pages (desktop and mobile, every era) → :class:`~sxworker.items.Article`.

The page is read as lines (see :mod:`sxworker.parsers.lines`): the title is the line that
headings, the ``<title>`` tag and the linking page's text agree on; kicker, subtitle, date
and byline are the short lines around it; the body runs from there to the first footer
marker (上篇/下篇, 分享到, ©). Page (版面) facts come from the page's own markers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

from sxworker import urls
from sxworker.items import Article
from sxworker.loaders import ArticleLoader
from sxworker.parsers import markers
from sxworker.parsers.decoding import UndecodableError, decode_html
from sxworker.parsers.lines import (
    Image,
    Line,
    document_title,
    fold_spaces,
    link_base,
    page_lines,
    parse_html,
    text_of,
)


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


_SENTENCE_PUNCT = re.compile(r"[。!?;\uff01\uff1f\uff1b…]")
_CLAUSE_PUNCT = re.compile(r"[,、\uff0c]")
_BYLINE_PREFIX = re.compile(
    r"^(?:[□■◇◆○●◎☆★]|本报记者|本报通讯员|本报特约记者|本报见习记者|特约记者|见习记者|"
    r"记者|通讯员|实习生|作者\s*[:\uff1a]|撰稿\s*[:\uff1a]?|文\s*[/|:\uff1a]|图\s*[/|:\uff1a]|文/图|图/文|"
    r"文\s*图|本报评论员)"
)
_NAME_TOKEN = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")
_UNIT_OR_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,10}$")
_SUBTITLE_START = re.compile(r"^[\-－—─–―~～]{1,}")
_KICKER_CONTEXT = re.compile(r"yinti|yin_ti|yt\b|kicker|pretitle|intro.?title|introtitle|up.?title")
_SUBTITLE_CONTEXT = re.compile(r"subtitle|sub.?title|fubiao|fu.?title|fbt\b|futi")
_TITLE_CONTEXT = re.compile(r"title|biaoti|headline|bt\b")
_CAPTION_CONTEXT = re.compile(r"caption|pic|imgtext|img.?title|img.?desc|photo|tushuo|tupian")
_BYLINE_CONTEXT = re.compile(r"author|byline|zuozhe|writer|reporter|m-author|\bzz\b")
_CAPTION_TEXT = re.compile(r"^(?:图为|[(\uff08]图|图[:\uff1a]|.{0,60}摄\)?$|.{0,60}摄影\)?$)")
_ICON_SRC = re.compile(
    r"logo|icon|banner|button|btn|spacer|blank|share|arrow|dot\.|line\.|qrcode|erweima|ewm|"
    r"loading|zoom|print|close|top\.|bg[._]",
    re.IGNORECASE,
)
_SITE_TITLE_WORDS = ("陕西工人报", "电子版", "数字报", "sxworker", "陕工网")
_TITLE_SEPARATORS = re.compile(r"\s*(?:[-_|｜—–·]+|[:\uff1a]{2})\s*")
_MAX_TITLE = 90
_MAX_KICKER = 40
_SENTENCE_MIN = 12
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
    lines = page_lines(root)
    page_text = "\n".join(line.text for line in lines)
    context = context or PageContext()

    title_at = _find_title(lines, document_title(root), context.link_text)
    if title_at is None:
        raise ArticleParseError("no title found")
    kicker = _kicker(lines, title_at)
    body_start, subtitle, author = _header_after_title(lines, title_at)
    paragraphs, images = _body(lines, body_start, base_url)
    if not paragraphs:
        raise ArticleParseError("no article text found")

    loader = ArticleLoader(base_url=links_from)
    canonical = urls.article_url(base_url, ref.issue_date, ref.article_id)
    loader.add_value("article_id", ref.article_id)
    loader.add_value("url", canonical)
    loader.add_value("source_url", url)
    loader.add_value("issue_date", ref.issue_date.isoformat())
    loader.add_value("title", lines[title_at].text)
    loader.add_value("kicker", kicker)
    loader.add_value("subtitle", subtitle)
    loader.add_value("author", author)
    loader.add_value("body", paragraphs)
    loader.add_value("images", images)
    _add_page_fields(loader, root, page_text, ref.issue_date, links_from, context)
    return loader.load_item()


def _add_page_fields(loader, root, page_text, issue_date, links_from, context) -> None:
    mark = markers.current_page(page_text)
    scan_urls = _scan_urls(root, page_text, issue_date, links_from)
    number = mark.number if mark else urls.scan_page_number(scan_urls)
    same_page_as_context = number is None or context.page_no in (None, number)
    loader.add_value("page_no", number if number is not None else context.page_no)
    loader.add_value("page_label", mark.label if mark else None)
    if not mark and same_page_as_context:
        loader.add_value("page_label", context.page_label)
    loader.add_value("page_name", mark.name if mark else None)
    if same_page_as_context:
        loader.add_value("page_name", context.page_name)
        loader.add_value("page_url", context.page_url)
    wanted = number if number is not None else context.page_no
    loader.add_value("page_image_url", urls.scans_of_page(scan_urls, wanted)[:1])
    if same_page_as_context:
        loader.add_value("page_image_url", context.scan_url)
    loader.add_value("issue_number", markers.issue_number(page_text))
    loader.add_value("issue_number", context.issue_number)


def _scan_urls(root, page_text: str, issue_date, links_from: str) -> list[str]:
    """Page-scan URLs of this issue anywhere on the page (img src, link href, or as text)."""
    found: list[str] = []
    candidates = [value for value in root.xpath("//img/@src | //a/@href") if "img/" in value.lower()]
    if "mg/" in page_text:  # a scan URL printed as text (the mobile pages' share block)
        candidates += re.findall(r"https?://\S+?\.jpe?g", page_text, re.IGNORECASE)
    for candidate in candidates:
        scan = urls.parse_scan_url(candidate)
        if scan and scan.issue_date == issue_date:
            absolute = urls.absolute(links_from, candidate)
            if absolute not in found:
                found.append(absolute)
    return found


def _title_candidates_from_document_title(doc_title: str | None) -> list[str]:
    if not doc_title:
        return []
    parts = [p for p in _TITLE_SEPARATORS.split(doc_title) if p]
    keep = [p for p in parts if not any(word in p for word in _SITE_TITLE_WORDS)]
    return keep or ([doc_title] if not any(w in doc_title for w in _SITE_TITLE_WORDS) else [])


def _could_be_title(line: Line) -> bool:
    text = line.text
    if not text or line.link_only or len(text) > _MAX_TITLE:
        return False
    if markers.is_noise_line(text) or markers.is_end_line(text) or markers.is_date_line(text):
        return False
    if markers.current_page(text) or markers.page_link_mark(text):
        return False
    return not (len(text) > 40 and _SENTENCE_PUNCT.search(text))


def _find_title(lines: list[Line], doc_title: str | None, link_text: str | None) -> int | None:
    doc_titles = {markers_fold(part) for part in _title_candidates_from_document_title(doc_title)}
    hint = markers_fold(link_text) if link_text else None
    best: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        text = line.text
        if not text or line.link_only or len(text) > _MAX_TITLE:
            continue
        score = 0
        if line.heading:
            score += 7 - line.heading
        if _TITLE_CONTEXT.search(line.context) and not (
            _SUBTITLE_CONTEXT.search(line.context) or _KICKER_CONTEXT.search(line.context)
        ):
            score += 3
        folded = markers_fold(text)
        if folded in doc_titles:
            score += 5
        if hint and folded == hint:
            score += 6
        # The marker checks are the slow part: only lines with some title signal get them.
        if not score or not _could_be_title(line):
            continue
        if _followed_by_text(lines, index):
            score += 1
        if best is None or score > best[0]:
            best = (score, index)
    if best:
        return best[1]
    # No heading, class or hint anywhere (the barest old templates): the title is the first
    # short plain line that is followed by running text.
    for index, line in enumerate(lines):
        if (
            _could_be_title(line)
            and len(line.text) <= 50
            and not _SENTENCE_PUNCT.search(line.text[-1:])
            and _followed_by_text(lines, index)
        ):
            return index
    return None


def markers_fold(text: str) -> str:
    """Text reduced for comparison: no spaces or quotes."""
    return re.sub(r"[\s\"'“”‘’「」]", "", text)


def _followed_by_sentence(lines: list[Line], index: int) -> bool:
    """The next text line is a sentence (a poem's short line included): what follows a
    bare-name byline, and never what follows a heading."""
    for line in lines[index + 1 : index + 4]:
        if line.link_only or not line.text or markers.is_noise_line(line.text):
            continue
        return bool(_SENTENCE_PUNCT.search(line.text) or _CLAUSE_PUNCT.search(line.text))
    return False


def _followed_by_text(lines: list[Line], index: int, within: int = 6) -> bool:
    for line in lines[index + 1 : index + 1 + within]:
        if markers.is_end_line(line.text):
            return False
        if not line.link_only and len(line.text) >= _SENTENCE_MIN and _SENTENCE_PUNCT.search(line.text):
            return True
    return False


def _kicker(lines: list[Line], title_at: int) -> str | None:
    if title_at == 0:
        return None
    line = lines[title_at - 1]
    text = line.text
    if not _could_be_title(line) or line.images or len(text) > _MAX_KICKER:
        return None
    if _SUBTITLE_START.match(text) or _SENTENCE_PUNCT.search(text[-1:]):
        return None
    if _KICKER_CONTEXT.search(line.context):
        return text
    # Without a class saying so, a kicker is the short line right above the title in the
    # same header block (a table of title rows, a div with h3 + h1).
    return text if _shares_block(line, lines[title_at]) else None


def _shares_block(line: Line, other: Line) -> bool:
    """Both lines sit in one container a few levels up (the article's header)."""
    ancestors = set()
    node = line.block
    for _ in range(3):
        if node is None:
            break
        ancestors.add(node)
        node = node.getparent()
    node = other.block
    for _ in range(3):
        if node is None:
            break
        if node in ancestors and node.tag not in ("body", "html"):
            return True
        node = node.getparent()
    return False


def _byline_strength(text: str, context: str = "") -> int:
    """2: marked as a byline (□, 本报记者, 作者:, class="author"); 1: looks like bare
    names; 0: not one."""
    if len(text) > 40 or _SENTENCE_PUNCT.search(text):
        return 0
    if _BYLINE_PREFIX.match(text) or _BYLINE_CONTEXT.search(context):
        return 2
    tokens = [t for t in re.split(r"[\s、,\uff0c]+", text) if t]
    if not 0 < len(tokens) <= 4 or not _NAME_TOKEN.match(tokens[-1]):
        return 0
    # Letters to the editor sign with a work unit before the name: 铜川矿务局 李福成.
    return 1 if all(_UNIT_OR_NAME.match(t) for t in tokens[:-1]) else 0


def _is_byline(text: str) -> bool:
    return _byline_strength(text) > 0


def _header_after_title(lines: list[Line], title_at: int) -> tuple[int, str | None, str | None]:
    """Skip subtitle, date and byline lines after the title; return where the body starts."""
    subtitle = author = None
    index = title_at + 1
    while index < len(lines) and index <= title_at + 6:
        line = lines[index]
        text = line.text
        if not text and line.images:
            break
        if line.link_only or markers.is_noise_line(text) or markers.is_date_line(text):
            index += 1
            continue
        if (
            subtitle is None
            and author is None
            and (_SUBTITLE_START.match(text) or _SUBTITLE_CONTEXT.search(line.context))
            and len(text) <= _MAX_TITLE
        ):
            subtitle = text
            index += 1
            continue
        if (
            subtitle is None
            and author is None
            and line.heading
            and lines[title_at].heading
            and line.heading >= lines[title_at].heading
            and _could_be_title(line)
            and not _is_byline(text)
        ):
            subtitle = text
            index += 1
            continue
        strength = _byline_strength(text, line.context) if author is None else 0
        if strength == 2 or (strength == 1 and _followed_by_sentence(lines, index)):
            author = text
            index += 1
            continue
        break
    return index, subtitle, author


def _is_icon(image: Image) -> bool:
    if _ICON_SRC.search(image.src):
        return True
    return any(size is not None and size < 60 for size in (image.width, image.height))


def _caption_for(image: Image, line: Line, next_line: Line | None) -> tuple[str | None, bool]:
    """The caption of a picture and whether it was taken from the next line."""
    if line.text and len(line.text) <= 80:
        return line.text, False
    if next_line is not None and next_line.text and not next_line.images:
        text = next_line.text
        short = len(text) <= 80
        if short and (
            _CAPTION_CONTEXT.search(next_line.context)
            or next_line.tag == "figcaption"
            or _boxed_with(image, next_line)
        ):
            return text, True
        if short and _CAPTION_TEXT.match(text):
            return text, True
    if image.alt and not re.search(r"\.(jpe?g|png|gif)$", image.alt, re.IGNORECASE):
        return image.alt, False
    return None, False


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


def _body(lines: list[Line], start: int, base_url: str) -> tuple[list[str], list[dict]]:
    paragraphs: list[str] = []
    images: list[dict] = []
    nav_run = 0
    skip_next = False
    for index in range(start, len(lines)):
        line = lines[index]
        if skip_next:
            skip_next = False
            continue
        text = line.text
        if text and markers.is_end_line(text):
            break
        if line.link_only or (line.link_share >= _NAV_SHARE and len(text) <= _NAV_LINE_MAX):
            nav_run += 1
            if paragraphs and nav_run >= _NAV_RUN_ENDS_BODY:
                break
            continue
        nav_run = 0
        pictures = [
            image
            for image in line.images
            if not _is_icon(image) and not urls.is_scan_url(urljoin(base_url, image.src))
        ]
        if pictures:
            next_line = lines[index + 1] if index + 1 < len(lines) else None
            for image in pictures:
                caption, from_next = _caption_for(image, line, next_line)
                images.append({"url": image.src, "caption": caption})
                skip_next = skip_next or from_next
            if line.text and len(line.text) <= 80:
                continue
        if not text or markers.is_noise_line(text) or urls.is_scan_url(text):
            continue
        paragraphs.append(text)
    return paragraphs, images
