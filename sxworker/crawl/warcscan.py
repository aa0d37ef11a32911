"""A fast reading of WARC files as sxworker writes them, for the index a reparse answers from.

warcio reads a record through layers of Python stream objects (a line at a time, the
digests fed block by block): about 2 ms per response on this machine, which for a
300,000-article capture set is many minutes before the first page is answered, and as much
again for the answers. Yet sxworker's own files are simple: one gzip member per record
(crawl/warc.py). This module reads such a file member by member with zlib and checks each
record as warcio would — gzip's CRC and length, the WARC block's Content-Length, the block
and payload digests (sha1) — in C where it can (zlib, hashlib); an answer's HTTP headers
are parsed by warcio's own parser, so it is the very response warcio would give.

It decides nothing about damage: whatever is not plainly a whole record of that shape (a
file not gzip-compressed, a member cut short or failing its CRC, a length or digest that
does not match, an unknown digest algorithm, a folded header line, a response that is not
``application/http``) makes :func:`scan` give up on the file, and the caller reads it with
warcio (:func:`sxworker.crawl.warc.iter_responses`), whose rule then says what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from warcio.statusandheaders import StatusAndHeadersParser

from sxworker.crawl.warc import CapturedResponse, captured_response

# Read the file this much at a time: what zlib leaves unread past a member's end is copied
# once per record, so this bounds that copy; most records are far smaller.
_CHUNK = 1 << 15
_GZIP_MAGIC = b"\x1f\x8b"
_END = b"\r\n\r\n"
_HTTP_HEADERS = StatusAndHeadersParser([], verify=False)
# RFC 4648's base-32 digits (A–Z, 2–7) as the digits int(…, 32) reads (0–9, a–v).
_BASE32_AS_INT = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", "0123456789abcdefghijklmnopqrstuv")


class Unusual(Exception):
    """Not a file this reader can vouch for: warcio is to read it."""


@dataclass(frozen=True)
class Record:
    """One whole response record: where its gzip member is, and what the index needs."""

    offset: int
    length: int
    url: str
    status: int
    content_type: str


def scan(path: Path) -> list[Record]:
    """The response records of one gzip WARC file of whole records, in file order; raises
    :class:`Unusual` at anything else (the caller then reads the file with warcio)."""
    found = []
    with path.open("rb") as handle:
        if handle.read(2) != _GZIP_MAGIC:
            raise Unusual
        handle.seek(0)
        for offset, length, record in _members(handle):
            parsed = _response(record)
            if parsed is not None:
                fields, http, _, _ = parsed
                url, content_type = fields.get("warc-target-uri", ""), http.get("content-type", "")
                found.append(Record(offset, length, url, _status(http), content_type))
    return found


def read_at(handle: BinaryIO, offset: int, length: int) -> CapturedResponse:
    """The response whose gzip member :func:`scan` found at ``offset``, ``length`` bytes;
    raises :class:`Unusual` if it is no longer there as it was."""
    handle.seek(offset)
    member = handle.read(length)
    try:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        record = inflater.decompress(member)
    except zlib.error as exc:
        raise Unusual from exc
    if not inflater.eof or inflater.unused_data:
        raise Unusual
    parsed = _response(record)
    if parsed is None:
        raise Unusual
    fields, _, http_head, payload = parsed
    # The HTTP headers as warcio's parser reads them: the very response warcio would give.
    http = _HTTP_HEADERS.parse(io.BytesIO(http_head))
    url, when = fields.get("warc-target-uri", ""), fields.get("warc-date", "")
    return replace(captured_response(url, http, bytes(payload), when), offset=offset)


def _members(handle: BinaryIO) -> Iterator[tuple[int, int, bytes]]:
    """Each gzip member of the file open in ``handle``: (offset, length, what it inflates to)."""
    offset = 0
    pending = handle.read(_CHUNK)  # read, not yet inflated
    while pending:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        parts = []
        length = 0
        try:
            while True:
                parts.append(inflater.decompress(pending))
                if inflater.eof:
                    length += len(pending) - len(inflater.unused_data)
                    pending = inflater.unused_data or handle.read(_CHUNK)
                    break
                length += len(pending)
                pending = handle.read(_CHUNK)
                if not pending:
                    raise Unusual  # cut short inside the member
        except zlib.error as exc:  # a bad CRC or length, or not deflate data
            raise Unusual from exc
        yield offset, length, b"".join(parts)
        offset += length


def _fields(head: bytes, is_http: bool) -> dict[str, str]:
    """A header block's status line (as ``""``) and fields, names lower-cased, the first of
    a name kept (as warcio's ``get_header`` finds it)."""
    # WARC headers are UTF-8; HTTP headers bytes (ISO-8859-1 keeps every byte).
    decoded = head[:-4].decode("iso-8859-1" if is_http else "utf-8").split("\r\n")
    fields = {"": decoded[0]}
    for line in decoded[1:]:
        name, colon, value = line.partition(":")
        if not colon or line[:1] in (" ", "\t"):
            raise Unusual  # a folded or broken line: warcio's parser knows those
        fields.setdefault(name.rstrip(" \t").lower(), value.strip())
    return fields


def _status(http: dict[str, str]) -> int:
    parts = http[""].split(" ", 2)
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 0


def _response(record: bytes) -> tuple[dict[str, str], dict[str, str], bytes, memoryview] | None:
    """A whole record's WARC header fields, HTTP header fields, HTTP header block and
    payload when it is a response; None for the other record types. Raises
    :class:`Unusual` when it is not whole or fails a digest."""
    head_end = record.find(_END)
    if head_end < 0 or not record.startswith(b"WARC/1."):
        raise Unusual
    block_start = head_end + 4
    try:
        fields = _fields(record[:block_start], is_http=False)
        length = int(fields.get("content-length", ""))
    except Exception as exc:  # a header that cannot be read, a length that is no number
        raise Unusual from exc
    if len(record) != block_start + length + 4 or not record.endswith(_END):
        raise Unusual
    block = memoryview(record)[block_start : block_start + length]
    _check_digest(fields.get("warc-block-digest"), block)
    if fields.get("warc-type") != "response":
        return None
    if fields.get("warc-target-uri", "").startswith("<"):
        raise Unusual  # a target in angle brackets: warcio knows that form
    if not fields.get("content-type", "").startswith("application/http"):
        raise Unusual  # warcio would not read HTTP headers from it: let it decide
    http_end = record.find(_END, block_start, block_start + length)
    if http_end < 0:
        raise Unusual
    http_head = record[block_start : http_end + 4]
    try:
        http = _fields(http_head, is_http=True)
    except UnicodeDecodeError as exc:
        raise Unusual from exc
    payload = block[http_end + 4 - block_start :]
    _check_digest(fields.get("warc-payload-digest"), payload)
    return fields, http, http_head, payload


def _check_digest(value: str | None, data: memoryview) -> None:
    """The sha1 of ``data`` against a digest header as warcio writes it (base 32)."""
    if value is None:
        return
    algorithm, _, expected = value.partition(":")
    if algorithm.lower() != "sha1" or len(expected) != 32:
        raise Unusual
    # 32 base-32 digits are the digest's 160 bits: as a number, compared in C (base64's
    # b32 functions are Python loops, and this runs twice per record).
    try:
        number = int(expected.upper().translate(_BASE32_AS_INT), 32)
    except ValueError as exc:
        raise Unusual from exc
    if number != int.from_bytes(hashlib.sha1(data).digest(), "big"):
        raise Unusual
