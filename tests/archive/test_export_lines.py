"""JSONL export as ready-made lines (records.iter_export_lines, export.write_lines): byte for
byte what orjson makes of iter_export's records, on each backend, for every character."""

from __future__ import annotations

import io

import orjson
import pytest

from sxworker.archive import Archive
from sxworker.archive.export import write_lines
from tests.archive.test_archive import BASE, article

# Every character but the surrogates (which no stored text can hold), in bodies of 4,096.
CHARACTERS = "".join(chr(code) for code in range(1, 0x110000) if not 0xD800 <= code < 0xE000)
# A space every 64: PostgreSQL's full-text index refuses a word over 2,046 bytes.
CHARACTERS = " ".join(CHARACTERS[start : start + 64] for start in range(0, len(CHARACTERS), 64))
# PostgreSQL's text holds no NUL: the character is tested on SQLite only.
NUL_BODY = "前\x00后"
EVIDENCE = {"title": {"selector": "h1", "how": "css"}, "author": None, "n": [1, 2.5, -3]}


@pytest.fixture
def filled(archive):
    rows = [
        article(
            "900001",
            "2016-12-05",
            page_no=None,
            kicker='引"题\\',
            subtitle="\t副题\r\n",
            author=None,
            images=[{"url": f"{BASE}/pic/1.jpg", "caption": "图\n为\u2028现场\x1f"}, {"url": None}],
            template="3f9a0c1d2e4b",
            evidence=EVIDENCE,
        ),
        article("900002", "1985-11-15", page_name="头版", page_no=1, images=[{"url": f"{BASE}/pic/2.jpg"}]),
        article("900003", "1992-12-08", page_image_url=None, title="", body="", images=None),
    ]
    if archive.engine.dialect.name == "sqlite":
        rows.append(article("900004", "1992-12-08", body=NUL_BODY))
    archive.store_articles(rows)
    # A changed text: the newest version (2) is the one exported.
    archive.store_articles([article("900003", "1992-12-08", body="改过的正文。", images=None)])
    archive.store_files(
        [
            {
                "url": f"{BASE}/pic/1.jpg",
                "kind": "image",
                "path": "image/ab.jpg",
                "sha256": "ab",
                "status": "stored",
                "issue_date": "2016-12-05",
                "article_id": "900001",
            },
            {
                "url": f"{BASE}/Img/2016/12/2016120503-1.jpg",
                "kind": "scan",
                "path": "scan/cd.jpg",
                "sha256": "cd",
                "status": "stored",
                "issue_date": "2016-12-05",
                "page_no": 3,
            },
            {
                "url": f"{BASE}/pdf/2016120503.pdf",
                "kind": "pdf",
                "path": "pdf/ef.pdf",
                "sha256": "ef",
                "status": "stored",
                "issue_date": "2016-12-05",
                "page_no": 3,
            },
            {
                "url": f"{BASE}/pic/2.jpg",
                "kind": "image",
                "path": "image/gh.jpg",
                "sha256": "gh",
                "status": "missing",
                "issue_date": "1985-11-15",
            },
        ]
    )
    return archive


def _as_orjson(archive: Archive, **filters) -> bytes:
    records = archive.iter_export(**filters)
    return b"".join(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE) for record in records)


def test_every_character_is_written_as_orjson_writes_it(archive):
    archive.store_articles(
        article(
            f"{number:06d}", "2016-12-05", body=CHARACTERS[start : start + 4096], kicker=CHARACTERS[start]
        )
        for number, start in enumerate(range(0, len(CHARACTERS), 4096))
    )
    lines = list(archive.iter_export_lines())
    assert len(lines) == 276
    assert b"".join(lines) == _as_orjson(archive)


@pytest.mark.parametrize(
    "filters",
    [
        {},
        {"with_evidence": True},
        {"since": "1990-01-01"},
        {"until": "1992-12-08", "with_evidence": True},
        {"page_name": "头版"},
        {"since": "2020-01-01"},
    ],
)
def test_lines_are_the_records_byte_for_byte(filled, filters):
    lines = list(filled.iter_export_lines(**filters))
    assert b"".join(lines) == _as_orjson(filled, **filters)
    assert all(line.endswith(b"}\n") and line.count(b"\n") == 1 for line in lines)


def test_the_lines_in_order_with_files_spliced_in(filled):
    lines = list(filled.iter_export_lines())
    assert len(lines) == 3 + (filled.engine.dialect.name == "sqlite")
    first = orjson.loads(lines[0])
    assert (first["article_id"], first["files"]) == ("900002", [])  # the file of 1985 is missing
    assert list(first) == [*(name for name in first if name != "files"), "files"]
    with_files = orjson.loads(lines[-1])
    assert with_files["article_id"] == "900001"  # page_no None: last of its day
    # Its page's scan (no PDF: no page number), then its stored picture; a picture without URL.
    assert with_files["files"] == [
        {
            "url": f"{BASE}/Img/2016/12/2016120503-1.jpg",
            "path": "scan/cd.jpg",
            "sha256": "cd",
            "kind": "scan",
        },
        {"url": f"{BASE}/pic/1.jpg", "path": "image/ab.jpg", "sha256": "ab", "kind": "image"},
    ]
    assert [orjson.loads(line)["files"] for line in lines[1:-1]] == [[]] * (len(lines) - 2)


def test_an_exact_line(filled):
    (line,) = filled.iter_export_lines(page_name="头版")
    record = orjson.loads(line)
    assert line.startswith(
        b'{"article_id":"900002","url":"http://szb.sxworker.com/content/1985-11/15/900002.html",'
        b'"issue_date":"1985-11-15","page_no":1,"page_label":"3","page_name":"\xe5\xa4\xb4\xe7\x89\x88",'
    )
    assert line.endswith(
        f'"last_seen":"{record["last_seen"]}","version":1,"content_hash":"{record["content_hash"]}",'
        '"files":[]}\n'.encode()
    )
    assert b'"kicker":null,' in line and b'"images":[{"url":"http://szb.sxworker.com/pic/2.jpg"}],' in line


@pytest.mark.parametrize("chunk", [1, 100, 1 << 20])
def test_write_lines_writes_every_line_in_order(chunk):
    lines = [f'{{"n":{number}}}\n'.encode() for number in range(250)]
    out = io.BytesIO()
    assert write_lines(iter(lines), out, chunk=chunk) == 250
    assert out.getvalue() == b"".join(lines)


def test_write_lines_of_nothing_writes_nothing():
    out = io.BytesIO()
    assert write_lines(iter(()), out) == 0
    assert out.getvalue() == b""


class _FullDisk(io.BytesIO):
    def write(self, data) -> int:
        raise OSError(28, "No space left on device")


def test_a_failed_write_stops_the_export():
    gathered = []

    def lines():
        for number in range(1000):
            gathered.append(number)
            yield b"x" * 99 + b"\n"

    with pytest.raises(OSError, match="No space left"):
        write_lines(lines(), _FullDisk(), chunk=1000)
    assert len(gathered) < 1000  # the failure stops the stream, it is not read to its end
