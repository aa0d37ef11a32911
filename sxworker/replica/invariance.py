"""Rewrites of an article page that a reader cannot see: the generator of the article
parser's metamorphic (invariance) tests (issue 10, item 5).

Each transformation takes the raw bytes of an article page and the facts of its article
(the expected public fields, plus ``page_articles``: the ``(url, title)`` of every article of
its page) and returns other bytes that a browser shows as the same lines in the same order —
or ``None`` when it does not apply to that page. Three of them add lines on purpose (the
page's own navigation, a 本版导读 list, a captioned picture); they add only what leaves every
expected field as it was, except the picture, which ``expect`` adds to ``images``.

The header lines are found by their text — the element whose visible text is the title, the
kicker, the printed subtitle or byline — never by one template's classes, so one rewrite works
on every replica. Most rewrites work on the lxml tree; the encoding one works on the text,
which is where an encoding lives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from lxml import etree

from .pagetree import (
    HEADINGS,
    HIDDEN,
    SPACES,
    TABLE_PARTS,
    Doc,
    Element,
    Facts,
    Located,
    break_after,
    decode,
    drop,
    dump,
    dump_uppercase,
    encode_gbk,
    fold,
    head_of,
    insert_after,
    insert_before,
    is_block,
    line_unit,
    load,
    locate,
    make,
    make_link,
    move_content,
    pieces,
    replace_with,
    style_heading,
)

# ----------------------------------------------------------------------------- rewriting a tree


def _tree(
    change: Callable[[Doc, Located, Facts], bool],
) -> Callable[[bytes, Facts], bytes | None]:
    """A tree rewrite: parse, find the article, change the tree (True: it applied), write."""

    def rewrite(body: bytes, facts: Facts) -> bytes | None:
        doc = load(body)
        article = locate(doc.root, facts)
        if article is None or not change(doc, article, facts):
            return None
        return dump(doc)

    rewrite.__name__ = change.__name__
    rewrite.__doc__ = change.__doc__
    return rewrite


# ----------------------------------------------------------------------------- block structure


def _scope(article: Located) -> list[Element]:
    """The elements a block rewrite may retag: the article region and what it holds, except
    the cells of a table the region only sits in (a <div> in a <tr> is no longer a row)."""
    region = article.region
    inside = [e for e in region.iter() if isinstance(e.tag, str) and e.tag not in HIDDEN]
    tables = {e for e in inside if e.tag == "table"}

    def own_table(element):
        for node in (element, *element.iterancestors()):
            if node.tag == "table":
                return node
        return None

    return [e for e in inside if e.tag not in TABLE_PARTS or own_table(e) in tables]


def _is_leaf(element: Element) -> bool:
    return not any(is_block(d) for d in element.iterdescendants())


_RETAGGABLE = frozenset(("div", "p", "center", *TABLE_PARTS, *HEADINGS))


def blocks_as_divs(doc: Doc, article: Located, facts: Facts) -> bool:
    """Every table, cell, paragraph and heading of the article becomes a <div>."""
    changed = False
    for element in _scope(article):
        if element.tag in _RETAGGABLE and element.tag != "div":
            style_heading(element)
            element.tag = "div"
            changed = True
    return changed


def blocks_as_paragraphs(doc: Doc, article: Located, facts: Facts) -> bool:
    """Every line-holding block of the article (cell, div, heading) becomes a <p>."""
    changed = False
    for element in _scope(article):
        if element.tag not in _RETAGGABLE:
            continue
        leaf_cell = element.tag not in TABLE_PARTS or element.tag in ("td", "th", "caption")
        target = "p" if leaf_cell and _is_leaf(element) else "div"
        if element.tag != target:
            style_heading(element)
            element.tag = target
            changed = True
    return changed


def blocks_as_table(doc: Doc, article: Located, facts: Facts) -> bool:
    """Runs of sibling line blocks (div, p, heading) become the rows of one table."""
    convertible = {e for e in _scope(article) if e.tag in ("div", "p", "center", *HEADINGS) and _is_leaf(e)}
    changed = False
    for parent in [e for e in _scope(article) if len(e)]:
        run: list = []
        for child in [*parent, None]:
            if child is not None and child in convertible and (not run or not fold(run[-1].tail or "")):
                run.append(child)
                continue
            if run:
                _tabulate(run)
                changed = True
            run = [child] if child is not None and child in convertible else []
    return changed


def _tabulate(run: list[Element]) -> None:
    table = make("table", border="0", cellpadding="0", cellspacing="0")
    table.text = "\n"
    first, tail = run[0], run[-1].tail
    first.addprevious(table)
    for block in run:
        row = etree.SubElement(table, "tr")
        cell = etree.SubElement(row, "td", dict(block.attrib))
        style_heading(cell, block.tag)
        move_content(block, cell)
        row.tail = "\n"
        block.getparent().remove(block)
    table.tail = tail


# ----------------------------------------------------------------------------- header lines

_ROLE_MARKUP = {
    "kicker": ("font", {"id": "intro-title"}),
    "title": ("font", {"id": "main-title"}),
    "subtitle": ("font", {"id": "sub-title"}),
    "author": ("span", {"class": "author"}),
}
# The Founder product's stylesheet makes its inline role elements lines of their own.
_ROLE_STYLE = "#intro-title,#main-title,#sub-title,.caption .author{display:block}"


def _between_is_blank(root: Element, first: Element, second: Element) -> bool:
    """No visible text between the end of ``first`` and the start of ``second``."""
    inside_first = inside_second = False
    between = []
    for owner, kind, piece in pieces(root):
        in_first = (owner is first and kind == "text") or first in owner.iterancestors()
        in_second = (owner is second and kind == "text") or second in owner.iterancestors()
        if in_second:
            inside_second = True
            break
        if in_first:
            inside_first = True
            between = []
        elif inside_first:
            between.append(piece)
    return inside_first and inside_second and not fold("".join(between))


def roles_inline(doc: Doc, article: Located, facts: Facts) -> bool:
    """Kicker, title, subtitle and byline as inline role elements in ONE block (Founder's
    <div class="caption"><font id="main-title">…), made lines by the page's stylesheet."""
    lines = article.lines
    at = next(i for i, (role, _) in enumerate(lines) if role == "title")
    start = end = at
    while start > 0 and _between_is_blank(doc.root, lines[start - 1][1], lines[start][1]):
        start -= 1
    while end + 1 < len(lines) and _between_is_blank(doc.root, lines[end][1], lines[end + 1][1]):
        end += 1
    group = lines[start : end + 1]
    if len(group) < 2:
        return False
    caption = make("div", class_="caption")
    for role, element in group:
        tag, attrib = _ROLE_MARKUP[role]
        move_content(element, etree.SubElement(caption, tag, attrib))
    first = group[0][1]
    if first.tag in ("td", "th"):  # the row stays; the cell no longer says it holds a kicker
        first.attrib.pop("class", None)
        first.attrib.pop("id", None)
        first.append(caption)
    else:
        replace_with(first, caption)
    for _, element in group[1:]:
        unit = line_unit(element)
        parent = unit.getparent()
        drop(unit)
        while parent is not article.region and len(parent) == 0 and not fold(parent.text or ""):
            grand = parent.getparent()
            drop(parent)
            parent = grand
    style = etree.SubElement(head_of(doc.root), "style")
    style.text = _ROLE_STYLE
    return True


def title_br(doc: Doc, article: Located, facts: Facts) -> bool:
    """The title broken by <br> where it has a space (the parser joins the lines with one)."""
    title = dict(article.lines)["title"]
    parts = list(pieces(title))
    seen = ""
    for index, (owner, kind, piece) in enumerate(parts):
        rest = "".join(p for _, _, p in parts[index + 1 :])
        for match in SPACES.finditer(piece):
            before, after = seen + piece[: match.start()], piece[match.end() :] + rest
            if fold(before) and fold(after):
                head, tail = piece[: match.start()], piece[match.end() :]
                br = etree.Element("br")
                br.tail = tail
                if kind == "text":
                    owner.text = head
                    owner.insert(0, br)
                else:
                    owner.tail = head
                    owner.addnext(br)
                return True
        seen += piece
    return False


def kicker_subtitle_same_tag(doc: Doc, article: Located, facts: Facts) -> bool:
    """Kicker and subtitle in the same tag with the same class: both ``<h3 class="sub">``
    under an h1/h2 title, both ``<td class="sub">`` in a table of cells, both
    ``<div class="sub">`` beside a title that is no heading (no heading a reader would see
    as one is invented)."""
    lines = dict(article.lines)
    if "kicker" not in lines or "subtitle" not in lines:
        return False
    pair = [lines["kicker"], lines["subtitle"]]
    if all(element.tag in ("td", "th") for element in pair):
        for element in pair:
            element.attrib.pop("id", None)
            element.set("class", "sub")
        return True
    level = int(lines["title"].tag[1]) if lines["title"].tag in HEADINGS else 0
    tag = f"h{max(3, min(level + 1, 6))}" if level else "div"
    for element in pair:
        line = make(tag, class_="sub")
        move_content(element, line)
        if element.tag in ("td", "th", "li"):  # the cell stays a cell; the line in it is new
            element.attrib.pop("class", None)
            element.attrib.pop("id", None)
            element.append(line)
        else:
            replace_with(element, line)
    return True


# ----------------------------------------------------------------------------- attributes

# One role or structure word per row, in English, pinyin and the abbreviation e-paper
# templates use. A word moves to the next column (English → pinyin → abbreviation → English),
# so every known word changes vocabulary; words the table does not know stay.
_VOCABULARY = (
    ("title", "biaoti", "bt"),
    ("subtitle", "futi", "fbt"),
    ("kicker", "yinti", "yt"),
    ("author", "zuozhe", "zz"),
    ("content", "zhengwen", "zw"),
    ("article", "wenzhang", "wz"),
    ("caption", "tushuo", "ts"),
    ("picture", "tupian", "tp"),
    ("date", "riqi", "rq"),
    ("page", "banmian", "bm"),
    ("edition", "banci", "bc"),
    ("guide", "daodu", "dd"),
    ("nav", "daohang", "dh"),
    ("pager", "fanye", "fy"),
    ("share", "fenxiang", "fx"),
    ("footer", "yejiao", "yj"),
    ("header", "yemei", "ym"),
    ("list", "liebiao", "lb"),
)
_ENGLISH_ALIASES = {
    "sub": 1,
    "byline": 3,
    "headline": 0,
    "pic": 7,
    "img": 7,
    "photo": 7,
    "foot": 15,
    "head": 16,
}
_ABBREVIATION_ALIASES = {"ft": 1}  # 副题 as fu-ti, the bundled replica's 2016 class


def _translation() -> dict[str, str]:
    table: dict[str, str] = {}
    for english, pinyin, short in _VOCABULARY:
        table.update({english: pinyin, pinyin: short, short: english})
    for word, row in _ENGLISH_ALIASES.items():
        table[word] = _VOCABULARY[row][1]
    for word, row in _ABBREVIATION_ALIASES.items():
        table[word] = _VOCABULARY[row][0]
    return table


_TRANSLATION = _translation()
_WORD = re.compile(r"[a-z]+|[A-Z][a-z]*")


def rename_word(value: str) -> str:
    """A class or id value in the other vocabulary: title_yt → biaoti_kicker, m-ft → m-subtitle."""

    def swap(match: re.Match) -> str:
        word = match.group()
        new = _TRANSLATION.get(word.lower())
        if new is None:
            return word
        return new.capitalize() if word[0].isupper() else new

    return _WORD.sub(swap, value)


def _rename_vocabulary(body: bytes, facts: Facts) -> bytes | None:
    doc = load(body)
    changed = False
    for element in doc.root.iter():
        for name in ("class", "id"):
            value = element.get(name) if isinstance(element.tag, str) else None
            if value and rename_word(value) != value:
                element.set(name, rename_word(value))
                changed = True
    return dump(doc) if changed else None


def _strip_class_id(body: bytes, facts: Facts) -> bytes | None:
    doc = load(body)
    changed = False
    for element in doc.root.iter():
        if isinstance(element.tag, str):
            for name in ("class", "id"):
                changed = element.attrib.pop(name, None) is not None or changed
    return dump(doc) if changed else None


def _uppercase(body: bytes, facts: Facts) -> bytes | None:
    rewritten = dump_uppercase(load(body))
    return rewritten if rewritten != body else None


# ----------------------------------------------------------------------------- text and encoding

_META_CHARSET = re.compile(r"<meta\b[^>]*charset[^>]*>\s*", re.IGNORECASE)
_HEAD_OPEN = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
GBK_META = '<meta http-equiv="Content-Type" content="text/html; charset=gbk">'


def _gbk_meta_only(body: bytes, facts: Facts) -> bytes | None:
    text, _, _ = decode(body)
    # Every other declaration goes (a BOM, <meta charset>): the one <meta> is all there is.
    text = _META_CHARSET.sub("", text)
    head = _HEAD_OPEN.search(text)
    at = head.end() if head else 0
    text = text[:at] + "\n" + GBK_META + "\n" + text[at:]
    rewritten = encode_gbk(text)
    return rewritten if rewritten != body else None


_MARKER_WORDS = re.compile(
    r"当前版|出版日期|作者|第\s*[A-Za-z]?\d{1,3}\s*版|[A-Za-z]?\d{1,3}\s*版|上一?篇|下一?篇|"
    r"分享到|制作单位|技术支持|版面选择|版面导航"
)


def _colon_width(body: bytes, facts: Facts) -> bytes | None:
    doc = load(body)
    text_of_body = fold(facts["body"])
    changed = False
    found = doc.root.find("body")
    for owner, kind, piece in list(pieces(found if found is not None else doc.root)):
        # A colon in the article's own text is the text, not a marker: it stays.
        if not _MARKER_WORDS.search(piece) or fold(piece) in text_of_body:
            continue
        swapped = piece.translate({ord(":"): "：", ord("："): ":"})
        if swapped != piece:
            setattr(owner, kind, swapped)
            changed = True
    return dump(doc) if changed else None


def nbsp_padding(doc: Doc, article: Located, facts: Facts) -> bool:
    """NBSP and U+3000 around every header line and at the start of every paragraph."""
    for _, element in article.lines:
        element.text = "\u00a0\u00a0" + (element.text or "")
        if len(element):
            element[-1].tail = (element[-1].tail or "") + "\u3000"
        else:
            element.text += "\u3000"
    if article.paragraphs:
        for index, paragraph in enumerate(article.paragraphs):
            pad = "\u3000\u3000" if index % 2 else "\u00a0\u00a0\u00a0\u00a0"
            paragraph.text = pad + (paragraph.text or "")
    else:
        box = article.body_box
        box.text = "\u3000\u3000" + (box.text or "")
        for br in box.iter("br"):
            br.tail = "\u00a0\u00a0\u3000" + (br.tail or "")
    return True


def comments_scripts(doc: Doc, article: Located, facts: Facts) -> bool:
    """HTML comments and <script> blocks between the lines of the header and the body."""
    units = [element for _, element in article.lines] + list(article.paragraphs or [])
    insert_before(units[0], [etree.Comment("enpcontent")], fit=False)
    for index, element in enumerate(units):
        insert_after(element, [_hidden(index)], fit=False)
    if not article.paragraphs:
        for index, br in enumerate(list(article.body_box.iter("br"))):
            hidden = _hidden(index)
            hidden.tail, br.tail = br.tail, None
            br.addnext(hidden)
    return True


def _hidden(index: int) -> Element:
    if index % 2:
        return make("script", "var fontSize = 14; /* 上一版 下一版 */", type="text/javascript")
    return etree.Comment(" <p>旧版正文,已删除。</p> 标题 ")


# ----------------------------------------------------------------------------- added lines


def nav_near_title(doc: Doc, article: Located, facts: Facts) -> bool:
    """The page's own navigation around the header: 第A2版：要闻, 返回目录, PDF版 and the
    page-name line (头版 01) right above it, 字号 大 中 小 right below it — only facts of this
    article's own page, so the expected page fields stay true."""
    number, label, name = facts["page_no"], facts["page_label"], facts["page_name"]
    above = []
    if label:
        above.append(make("div", f"第{label}版：{name}" if name else f"第{label}版"))
    for text in ("返回目录", "PDF版"):
        line = make("div")
        line.append(make_link(text))
        above.append(line)
    if number is not None:
        above.append(make("div", f"{name or f'第{number}版'} {number:02d}"))
    insert_before(article.lines[0][1], above)
    size = make("div", "字号 ")
    for index, text in enumerate(("大", "中", "小")):
        link = make_link(text, f"javascript:doZoom({16 - 2 * index})")
        link.tail = " "
        size.append(link)
    insert_after(article.lines[-1][1], [size])
    return True


def guide_list(doc: Doc, article: Located, facts: Facts) -> bool:
    """A 本版导读 list of the page's titles (links, this one among them) above the header."""
    guide = make("div", class_="guide")
    guide.append(make("div", "本版导读"))
    items = etree.SubElement(guide, "ul")
    for url, title in facts["page_articles"]:
        etree.SubElement(items, "li").append(make_link(title, url))
    insert_before(article.lines[0][1], [guide])
    return True


PICTURE_CAPTION = "职工们在新落成的职工书屋里阅读（张三 摄）"


def picture_url(facts: Facts) -> str:
    """Where the added picture lives: the site's picture path for the article's issue."""
    parts = urlsplit(facts["url"])
    year, month, day = facts["issue_date"].split("-")
    return f"{parts.scheme}://{parts.netloc}/pic/{year}{month}/{day}/{facts['article_id']}_zs.jpg"


def picture_caption(doc: Doc, article: Located, facts: Facts) -> bool:
    """A picture after the first paragraph, its caption right after it ending （张三 摄）."""
    image = make("img", src=picture_url(facts), width="400", height="300", border="0")
    if article.paragraphs:
        holder = make("div", align="center")
        holder.append(image)
        insert_after(article.paragraphs[0], [holder, make("p", PICTURE_CAPTION)])
        return True
    # <br>-separated paragraphs: the picture and the caption are lines of their own
    br = break_after(article.body_box, fold(facts["body"].split("\n")[0]))
    if br is None:
        return False
    caption_break, closing = make("br"), make("br")
    caption_break.tail = PICTURE_CAPTION
    closing.tail, br.tail = br.tail, None
    br.addnext(closing)
    br.addnext(caption_break)
    br.addnext(image)
    return True


def expect_picture(fields: dict[str, Any], rewritten: bytes, facts: Facts) -> dict[str, Any]:
    """The original's fields with the added picture among the images, where it stands."""
    added = picture_url(facts)
    names = {urlsplit(image["url"]).path.rsplit("/", 1)[-1] for image in fields["images"]}
    before = 0
    for element in load(rewritten).root.iter("img"):
        src = element.get("src") or ""
        if src == added:
            break
        if urlsplit(src).path.rsplit("/", 1)[-1] in names:
            before += 1
    images = list(fields["images"])
    images.insert(before, {"url": added, "caption": PICTURE_CAPTION})
    return {**fields, "images": images}


# ----------------------------------------------------------------------------- the table


@dataclass(frozen=True)
class Transformation:
    name: str
    description: str
    rewrite: Callable[[bytes, Facts], bytes | None]
    # The rewritten page is served with this content type (None: the original's).
    content_type: str | None = None
    # The fields the rewritten page must give, from the original's (None: the same fields).
    expect: Callable[[dict[str, Any], bytes, Facts], dict[str, Any]] | None = None
    # It adds lines a reader sees (the rest only change how the same lines are written).
    adds_lines: bool = False


TRANSFORMATIONS: tuple[Transformation, ...] = (
    Transformation(
        "blocks-as-table", "header and body blocks (div, p, hN) as table rows", _tree(blocks_as_table)
    ),
    Transformation(
        "blocks-as-divs", "header and body blocks (cells, p, hN) as <div>s", _tree(blocks_as_divs)
    ),
    Transformation(
        "blocks-as-paragraphs",
        "header and body blocks (cells, divs, hN) as <p>s",
        _tree(blocks_as_paragraphs),
    ),
    Transformation(
        "roles-inline", "kicker…byline as <font id=main-title>… in one block", _tree(roles_inline)
    ),
    Transformation("title-br", "the title split by <br> at a space in it", _tree(title_br)),
    Transformation(
        "kicker-subtitle-same-tag",
        "kicker and subtitle: same tag, class sub",
        _tree(kicker_subtitle_same_tag),
    ),
    Transformation("rename-vocabulary", "class/id words: title→biaoti→bt→title …", _rename_vocabulary),
    Transformation("strip-class-id", "every class and id attribute removed", _strip_class_id),
    Transformation("uppercase-unquoted", "uppercase tag and attribute names, unquoted values", _uppercase),
    Transformation(
        "gbk-meta-only", "GBK, charset only in <meta>, served as text/html", _gbk_meta_only, "text/html"
    ),
    Transformation("colon-width", "full-/half-width colons swapped in the markers", _colon_width),
    Transformation(
        "nbsp-padding", "NBSP/U+3000 around header lines, at paragraph starts", _tree(nbsp_padding)
    ),
    Transformation(
        "nav-near-title",
        "own 第A2版：要闻, 返回目录, PDF版, 头版 01, 字号 大 中 小",
        _tree(nav_near_title),
        adds_lines=True,
    ),
    Transformation(
        "guide-list",
        "本版导读 list of the page's titles above the header",
        _tree(guide_list),
        adds_lines=True,
    ),
    Transformation(
        "picture-caption",
        "a picture after paragraph 1, caption ending （张三 摄）",
        _tree(picture_caption),
        expect=expect_picture,
        adds_lines=True,
    ),
    Transformation("comments-scripts", "comments and <script>s between the lines", _tree(comments_scripts)),
)
BY_NAME = {transformation.name: transformation for transformation in TRANSFORMATIONS}
