"""Bytes to text the way the site needs: strict, so mojibake is an error and never text.

Older pages are GB2312/GBK with the charset only in a ``<meta>`` tag (or nowhere), and some
servers label GBK pages as UTF-8. Each candidate encoding is tried *strictly*, in the order
header → meta → BOM → GB18030; the first that decodes the whole body without a replacement
wins. w3lib's ``html_to_unicode`` is not used because it substitutes U+FFFD silently.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)


class UndecodableError(ValueError):
    """The body is not text in any encoding the site uses."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


_FALLBACK = "gb18030"


def _candidates(body: bytes, content_type: str | None) -> list[str]:
    found: list[str | None] = [
        http_content_type_encoding(content_type) if content_type else None,
        html_body_declared_encoding(body),
        read_bom(body)[0],
    ]
    # GB2312 and GBK pages often carry characters outside their declared set; GB18030
    # is the superset every Chinese browser silently uses for them.
    ordered: list[str] = []
    for name in found:
        resolved = resolve_encoding(name) if name else None
        if resolved in ("gb2312", "gbk"):
            resolved = _FALLBACK
        if resolved and resolved not in ordered:
            ordered.append(resolved)
    if _FALLBACK not in ordered:
        ordered.append(_FALLBACK)
    return ordered


def _as_utf8(body: bytes) -> str | None:
    """The body as UTF-8 text when it has non-ASCII bytes and is valid UTF-8, else None.
    Real Chinese text in GBK is practically never valid UTF-8, so strict UTF-8 success
    on non-ASCII bytes outweighs a GB label (a site bug seen on e-paper servers)."""
    if body.isascii():
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_html(body: bytes, content_type: str | None = None) -> Decoded:
    """Decode an HTML body or raise :class:`UndecodableError` naming what is wrong."""
    if not body.strip():
        raise UndecodableError("empty body")
    bom_encoding, bom = read_bom(body)
    if b"\x00" in body[:4096] and bom_encoding is None:
        raise UndecodableError("binary content, not a text page")
    candidates = _candidates(body, content_type)
    # Decoded once: the test that it is UTF-8 is the decoding, kept for when it wins.
    utf8 = _as_utf8(body)
    if utf8 is not None and "utf-8" not in candidates[:1]:
        candidates.insert(0, "utf-8")
    if candidates[0] == "utf-8" and body.isascii():
        return Decoded(body.decode("ascii"), "utf-8")
    for encoding in candidates:
        payload = body[len(bom) :] if bom and bom_encoding == encoding else body
        if encoding == "utf-8" and utf8 is not None and payload is body:
            return Decoded(utf8, encoding)
        try:
            text = codecs.decode(payload, encoding, errors="strict")
        except (UnicodeDecodeError, LookupError):
            continue
        return Decoded(text, encoding)
    raise UndecodableError(f"not valid text in any of {', '.join(candidates)}")
