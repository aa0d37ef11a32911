"""An article page as an lxml tree, for rewriting it: bytes in and out unchanged in
encoding, the visible text a reader sees, and the header lines and body found by their text.

Used by :mod:`sxworker.replica.invariance`. The elements are found by what they show (the
element whose visible text is the title, the kicker, a body paragraph), so the same code
finds them in every replica's templates; new lines are shaped to stand where they go (rows
beside rows, items beside items).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

Facts = Mapping[str, Any]
Element = etree._Element  # lxml's element type (its public name is a factory function)

# ----------------------------------------------------------------------------- tree in, bytes out

_PARSER = etree.HTMLParser(remove_comments=False, remove_pis=False)
_DOCTYPE = re.compile(r"\s*(<!DOCTYPE[^>]*>)", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


SPACES = re.compile(r"[\s\u00a0\u3000\u200b\u200c\u200d\ufeff]+")
HIDDEN = _words(
    "script style noscript select option textarea head title"
    " iframe frame object embed template svg button map"
)
TABLE_PARTS = _words("table thead tbody tfoot tr td th caption")
HEADINGS = {"h1": "2em", "h2": "1.5em", "h3": "1.17em", "h4": "1em", "h5": "0.83em", "h6": "0.67em"}
_BLOCKS = (
    _words(
        "address article aside blockquote body center dd details dialog div dl dt fieldset figcaption"
        " figure footer form header hr html li main nav ol p pre section ul"
    )
    | TABLE_PARTS
    | frozenset(HEADINGS)
)
VOID = _words("area base br col embed hr img input link meta param source track wbr")


@dataclass
class Doc:
    root: Any
    encoding: str
    bom: bytes
    doctype: str


def decode(body: bytes) -> tuple[str, str, bytes]:
    """(text, the codec that writes it back, BOM) of a replica page."""
    if body.startswith(codecs.BOM_UTF8):
        return body[3:].decode("utf-8"), "utf-8", codecs.BOM_UTF8
    try:
        return body.decode("utf-8"), "utf-8", b""
    except UnicodeDecodeError:
        # The replicas' old eras are GBK; GB18030 reads those bytes and writes them back unchanged.
        return body.decode("gb18030"), "gb18030", b""


def load(body: bytes) -> Doc:
    """The page as a tree, comments kept, with what writing it back needs."""
    text, encoding, bom = decode(body)
    doctype = _DOCTYPE.match(text)
    root = etree.fromstring(_XML_DECLARATION.sub("", text, count=1), _PARSER)
    # libxml2 invents a DOCTYPE for a page without one; only the page's own is written back.
    return Doc(root, encoding, bom, doctype.group(1) if doctype else "")


def dump(doc: Doc, html: str | None = None) -> bytes:
    """The tree (or ``html`` written from it) as bytes in the page's own encoding."""
    if html is None:
        html = etree.tostring(doc.root, method="html", encoding="unicode")
    text = (doc.doctype + "\n" if doc.doctype else "") + html
    return doc.bom + text.encode(doc.encoding, "xmlcharrefreplace")


def fold(text: str) -> str:
    """Text without any kind of space: how two renderings of one line compare."""
    return SPACES.sub("", text)


def pieces(element: Element) -> Iterator[tuple[Element, str, str]]:
    """(owner, "text" or "tail", string) for each piece of visible text inside ``element``."""
    if not isinstance(element.tag, str) or element.tag in HIDDEN:
        return
    if element.text:
        yield element, "text", element.text
    for child in element:
        yield from pieces(child)
        if child.tail:
            yield child, "tail", child.tail


def text_of(element: Element) -> str:
    """The visible text inside ``element`` (not its tail)."""
    return "".join(piece for _, _, piece in pieces(element))


def visible_text(body: bytes) -> str:
    """Everything a reader of the page's body sees, folded: what no rewrite may lose."""
    root = load(body).root
    found = root.find("body")
    return fold(text_of(found if found is not None else root))


def is_block(element: Element) -> bool:
    """A line-breaking element; custom elements (<founder-content>) count as blocks."""
    tag = element.tag
    return isinstance(tag, str) and (tag in _BLOCKS or "-" in tag)


def lowest_common_ancestor(elements: list[Element]) -> Element:
    chains = [[element, *element.iterancestors()][::-1] for element in elements]
    common = None
    for level in zip(*chains, strict=False):
        if any(node is not level[0] for node in level):
            break
        common = level[0]
    return common


# ----------------------------------------------------------------------------- finding the article


@dataclass
class Located:
    lines: list[tuple[str, Element]]  # (role, innermost block showing it), in reading order
    paragraphs: list[Element] | None  # one block per body paragraph, when the body is written so
    body_box: Element  # the innermost block holding the whole body
    region: Element  # the innermost element holding the header and the body


_DASHES = set("—-－─–―~～")
_BYLINE_MARKS = {"", "□", "■", "◎", "◇", "◆", "○", "●", "☆", "★", "作者:", "作者：", "□作者:", "□作者："}


def _shows(role: str, folded: str, wanted: str) -> bool:
    if role == "subtitle":
        return folded.endswith(wanted) and set(folded[: -len(wanted)]) <= _DASHES
    if role == "author":
        return folded.endswith(wanted) and folded[: -len(wanted)] in _BYLINE_MARKS
    return folded == wanted


def _innermost(matches: list[Element]) -> list[Element]:
    chosen = set(matches)
    return [m for m in matches if not any(a in chosen for a in m.iterdescendants())]


def _block_texts(top: Element) -> list[tuple[Element, str]]:
    """(block, its visible text folded) for every block outside links, in document order;
    one walk, each text built from its children's."""
    found: list = []

    def walk(element, in_link: bool) -> str:
        if not isinstance(element.tag, str) or element.tag in HIDDEN:
            return ""
        in_link = in_link or (element.tag == "a" and bool(element.get("href")))
        slot = None
        if is_block(element) and not in_link:
            slot = len(found)
            found.append(None)
        parts = [element.text or ""]
        for child in element:
            parts.append(walk(child, in_link))
            parts.append(child.tail or "")
        text = fold("".join(parts))
        if slot is not None:
            found[slot] = (element, text)
        return text

    walk(top, False)
    return found


def locate(root: Element, facts: Facts) -> Located | None:
    """The header lines and the body of the article ``facts`` describes, or None."""
    body = root.find("body")
    blocks = _block_texts(body if body is not None else root)
    order = {element: index for index, (element, _) in enumerate(blocks)}

    def find(role: str, value: str | None, after: int = -1, last_before: int | None = None):
        wanted = fold(value or "")
        if not wanted:
            return None
        hits = _innermost([e for e, text in blocks if text and _shows(role, text, wanted)])
        if last_before is not None:
            hits = [e for e in hits if order[e] < last_before]
            return hits[-1] if hits else None
        hits = [e for e in hits if order[e] > after]
        return hits[0] if hits else None

    title = find("title", facts["title"])
    if title is None:
        return None
    lines = [("title", title)]
    kicker = find("kicker", facts["kicker"], last_before=order[title])
    if kicker is not None:
        lines.insert(0, ("kicker", kicker))
    position = order[title]
    for role in ("subtitle", "author"):
        found = find(role, facts[role], after=position)
        if found is not None:
            lines.append((role, found))
            position = order[found]
    if len(lines) != 1 + sum(1 for role in ("kicker", "subtitle", "author") if facts[role]):
        return None
    paragraphs: list[Element] | None = []
    for paragraph in facts["body"].split("\n"):
        found = find("title", paragraph, after=position)
        if found is None:
            paragraphs = None
            break
        paragraphs.append(found)
        position = order[found]
    if paragraphs:
        box = lowest_common_ancestor(paragraphs) if len(paragraphs) > 1 else paragraphs[0].getparent()
    else:
        # <br>-separated paragraphs: the innermost block holding the first and the last one
        first, last = (fold(p) for p in (facts["body"].split("\n")[0], facts["body"].split("\n")[-1]))
        holders = [e for e, text in blocks if order[e] > order[title] and first in text and last in text]
        holders = _innermost(holders)
        if not holders:
            return None
        box = holders[0]
    region = lowest_common_ancestor([element for _, element in lines] + [box])
    return Located(lines, paragraphs or None, box, region)


# ----------------------------------------------------------------------------- editing helpers


def line_unit(element: Element) -> Element:
    """What holds one line among its siblings: a cell alone in its row is the row."""
    parent = element.getparent()
    alone = parent is not None and sum(1 for child in parent if isinstance(child.tag, str)) == 1
    if element.tag in ("td", "th") and parent is not None and parent.tag == "tr" and alone:
        return parent
    return element


def make(tag: str, text: str | None = None, **attrib: str) -> Element:
    """A new element; ``class_`` stands for ``class``."""
    element = etree.Element(tag, {k.rstrip("_"): v for k, v in attrib.items()})
    element.text = text
    return element


def make_link(text: str, href: str = "#") -> Element:
    return make("a", text, href=href)


def _fitted(unit: Element, blocks: list[Element]) -> list[Element]:
    """New block lines shaped to stand beside ``unit``: rows in a table, items in a list."""
    parent = unit.getparent()
    wrap = "tr" if unit.tag == "tr" else "li" if parent is not None and parent.tag in ("ul", "ol") else None
    if wrap is None:
        return blocks
    out = []
    for block in blocks:
        holder = etree.Element(wrap)
        target = etree.SubElement(holder, "td") if wrap == "tr" else holder
        target.append(block)
        out.append(holder)
    return out


def insert_before(anchor: Element, blocks: list[Element], fit: bool = True) -> None:
    """New lines before ``anchor``'s line (``fit`` as for :func:`insert_after`)."""
    unit = line_unit(anchor)
    if unit.tag in ("td", "th"):  # a cell that shares its row: the new lines open the cell
        blocks[-1].tail = unit.text
        unit.text = None
        for index, block in enumerate(blocks):
            unit.insert(index, block)
        return
    for block in _fitted(unit, blocks) if fit else blocks:
        unit.addprevious(block)


def insert_after(anchor: Element, blocks: list[Element], fit: bool = True) -> None:
    """New lines after ``anchor``'s line (``fit=False``: comments and scripts, which may
    stand between table rows as they are)."""
    unit = line_unit(anchor)
    if unit.tag in ("td", "th"):
        unit.extend(blocks)
        return
    for block in reversed(_fitted(unit, blocks) if fit else blocks):
        unit.addnext(block)


def drop(element: Element) -> None:
    """Remove an element, keeping the text that followed it."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def move_content(source: Element, target: Element) -> None:
    """Text and children of ``source`` into ``target`` (``source`` is left empty)."""
    target.text = source.text
    for child in list(source):
        target.append(child)  # lxml moves the child with its tail
    source.text = None


def replace_with(old: Element, new: Element) -> None:
    new.tail = old.tail
    old.getparent().replace(old, new)


def style_heading(element: Element, tag: str | None = None) -> None:
    """A heading retagged keeps its look: a reader sees the same big bold line."""
    size = HEADINGS.get(tag or element.tag)
    if size:
        own = element.get("style")
        element.set("style", f"font-size:{size};font-weight:bold" + (f";{own}" if own else ""))


def head_of(root: Element) -> Element:
    """The page's <head>, made if it has none."""
    head = root.find("head")
    if head is None:
        head = etree.Element("head")
        root.insert(0, head)
    return head


def break_after(box: Element, first: str) -> Element | None:
    """The <br> that ends the line whose text (folded) starts ``box`` with ``first``."""
    seen = ""
    for kind, item in stream(box):
        if kind == "text":
            seen += fold(item)
        elif len(seen) >= len(first):
            return item
    return None


def stream(element: Element) -> Iterator[tuple[str, Any]]:
    """Visible text and <br>s inside ``element``, in reading order."""
    for child in element if element.text is None else [None, *element]:
        if child is None:
            yield "text", element.text
            continue
        if child.tag == "br":
            yield "br", child
        elif isinstance(child.tag, str) and child.tag not in HIDDEN:
            yield from stream(child)
        if child.tail:
            yield "text", child.tail


# ----------------------------------------------------------------------------- another way to write it


def dump_uppercase(doc: Doc) -> bytes:
    """The page written with uppercase tag and attribute names and unquoted attribute values
    wherever HTML allows them (the 1980s templates' way): the same tree, other bytes."""
    out: list[str] = []
    _serialise_upper(doc.root, out)
    return dump(doc, "".join(out))


_UNQUOTABLE = re.compile(r"[^\s\"'=<>`]+")


def _serialise_upper(element: Element, out: list[str]) -> None:
    tag = element.tag
    if tag is etree.Comment:
        out.append(f"<!--{element.text or ''}-->")
    elif tag is etree.PI:
        out.append(etree.tostring(element, encoding="unicode", with_tail=False))
    else:
        attributes = []
        for name, value in element.attrib.items():
            if _UNQUOTABLE.fullmatch(value) and not value.endswith("/"):
                attributes.append(f" {name.upper()}={value.replace('&', '&amp;')}")
            else:
                attributes.append(f' {name.upper()}="{_escape(value, True)}"')
        out.append(f"<{tag.upper()}{''.join(attributes)}>")
        if tag not in VOID:
            raw = tag in ("script", "style")
            if element.text:
                out.append(element.text if raw else _escape(element.text))
            for child in element:
                _serialise_upper(child, out)
            out.append(f"</{tag.upper()}>")
    if element.tail:
        out.append(_escape(element.tail))


def _escape(text: str, quote: bool = False) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def encode_gbk(text: str) -> bytes:
    """The text as GBK bytes (what an old page declaring gb2312/gbk really holds)."""
    return b"".join(_gbk_char(char) for char in text)


@lru_cache(maxsize=65536)
def _gbk_char(char: str) -> bytes:
    try:
        encoded = char.encode("gbk")
    except UnicodeEncodeError:
        encoded = b""
    # What GBK cannot hold, or what a GB18030 reader (every browser's "gbk") would read as
    # another character, is written as a character reference: the reader sees the same.
    if not encoded or encoded.decode("gb18030") != char:
        return f"&#{ord(char)};".encode("ascii")
    return encoded
