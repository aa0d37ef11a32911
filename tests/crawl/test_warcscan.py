"""The fast reading of sxworker's own WARC files (crawl/warcscan.py) gives what warcio gives,
and gives up on anything else, which warcio then reads by the damage rule."""

from __future__ import annotations

import gzip
import itertools
import zlib
from pathlib import Path

import pytest

from sxworker.crawl import warcscan
from sxworker.crawl.captures import Captures
from sxworker.crawl.warc import WarcReadError, iter_responses
from tests.crawl.test_replay import ARTICLE, HTML, JPEG, PAGE, SCAN, SITE, page, write


@pytest.fixture
def warc(tmp_path) -> Path:
    (path,) = write(
        tmp_path / "warc",
        (PAGE, 200, HTML, page("版面")),
        (SCAN, 200, JPEG, b"\xff\xd8\xff" + bytes(range(256)) * 400),
        (ARTICLE, 200, HTML, page("文章")),
        (f"{SITE}/index.aspx?date=2016-12-06", 200, [], page("no type said")),
        (f"{SITE}/Img/old.jpg", 301, [("Location", "/Img/new.jpg")], b""),
        (
            f"{SITE}/gone.html",
            404,
            [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
            gzip.compress(b"x"),
        ),
    )
    return path


def test_scan_finds_what_warcio_finds_and_read_at_gives_the_same_response(warc):
    found = warcscan.scan(warc)
    expected = list(iter_responses(warc))
    assert [(r.offset, r.url, r.status, r.content_type) for r in found] == [
        (r.offset, r.url, r.status, r.content_type) for r in expected
    ]
    assert [r.status for r in found] == [200, 200, 200, 200, 301, 404]
    with warc.open("rb") as handle:
        assert [warcscan.read_at(handle, r.offset, r.length) for r in found] == expected
    # Each response's member ends before the next one's starts (its request's between).
    assert all(a.offset + a.length < b.offset for a, b in itertools.pairwise(found))


def _members(data: bytes) -> list[bytes]:
    members, rest = [], data
    while rest:
        inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        members.append(inflater.decompress(rest))
        rest = inflater.unused_data
    return members


def _wrong_digest(data: bytes) -> bytes:
    """The scan's member with its payload digest changed, recompressed: gzip intact."""
    members = _members(data)
    for number, record in enumerate(members):
        if b"image/jpeg" in record:
            at = record.index(b"WARC-Payload-Digest: sha1:") + len(b"WARC-Payload-Digest: sha1:")
            members[number] = record[:at] + (b"A" if record[at : at + 1] != b"A" else b"B") + record[at + 1 :]
    return b"".join(gzip.compress(member) for member in members)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: data[: len(data) // 2],  # cut short
        lambda data: data[:3000] + bytes([data[3000] ^ 0xFF]) + data[3001:],  # a bit flipped
        lambda data: b"".join(_members(data)),  # not compressed
        _wrong_digest,
        lambda data: b"",
    ],
    ids=["cut-short", "bit-flipped", "uncompressed", "wrong-digest", "empty"],
)
def test_anything_but_whole_records_is_left_to_warcio(warc, damage):
    warc.write_bytes(damage(warc.read_bytes()))
    with pytest.raises(warcscan.Unusual):
        warcscan.scan(warc)


def test_a_record_failing_its_digest_is_damage_before_any_answer(warc):
    warc.write_bytes(_wrong_digest(warc.read_bytes()))
    with pytest.raises(WarcReadError, match="damaged WARC record at byte"):
        Captures.read([warc])


def test_an_uncompressed_file_is_read_by_warcio_with_the_same_answers(warc, tmp_path):
    plain = tmp_path / "plain.warc"
    plain.write_bytes(b"".join(_members(warc.read_bytes())))
    fast, slow = Captures.read([warc]), Captures.read([plain])
    try:
        assert fast.page_views() == slow.page_views() == [PAGE, f"{SITE}/index.aspx?date=2016-12-06"]
        for url in (PAGE, SCAN, ARTICLE, f"{SITE}/Img/old.jpg", f"{SITE}/gone.html"):
            one, other = fast.answer(url), slow.answer(url)
            assert (one.status, one.body, one.headers) == (other.status, other.body, other.headers)
        assert fast.answer(f"{SITE}/gone.html").body == b"x"
    finally:
        fast.close()
        slow.close()
