"""Raw capture: a crawl of the replica with SXWORKER_WARC_DIR set, and the WARC files it leaves."""

from __future__ import annotations

import gzip
import io
import logging
import random
import re
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sxworker.crawl import stats as stat
from sxworker.crawl.warc import (
    RotatingWarcWriter,
    WarcCapture,
    WarcReadError,
    iter_responses,
    read_records,
    warc_files,
)
from tests.warc_faults import record_starts

MAX_BYTES = 64 * 1024
GZIPPED_ARTICLE = "/content/2016-12/05/134356.html"
FILE_NAME = re.compile(r"^sxworker-\d{8}T\d{6}Z-(\d{5})\.warc\.gz$")


def _gzipped(server):
    """A fault hook serving one article gzip-encoded, as a server with compression on would."""

    def hook(handler) -> bool:
        resource = server.site.get(GZIPPED_ARTICLE)
        body = gzip.compress(resource.body)
        handler.send_response(200)
        handler.send_header("Content-Type", resource.content_type)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
        return True

    return hook


@contextmanager
def capture_crawl(folder: Path, faults: Callable[[Any], dict[str, Any]] | None = None):
    """A crawl of the whole replica with raw capture on (small files, so they rotate) into
    ``folder``; ``faults(server)`` adds fault hooks. The replica keeps running while the
    result is in use, so tests can check that reading the captures asks it nothing."""
    from sxworker.replica import ReplicaServer
    from tests.conftest import run_crawl

    with ReplicaServer() as server:
        server.faults[GZIPPED_ARTICLE] = _gzipped(server)
        if faults is not None:
            server.faults.update(faults(server))
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        result = run_crawl(
            server.base_url,
            folder / "archive.sqlite3",
            start=dates[0],
            end=dates[-1],
            settings={"SXWORKER_WARC_DIR": str(folder / "warc"), "SXWORKER_WARC_MAX_BYTES": str(MAX_BYTES)},
        )
        assert result.ok, result.log[-2000:]
        yield {
            "server": server,
            "requests": list(server.requests),
            "db": folder / "archive.sqlite3",
            "files": folder / "files",  # FILES_STORE of the crawl (see crawl_overrides)
            "warc": folder / "warc",
            "crawl": result,
        }


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """One crawl of the whole replica with raw capture on."""
    with capture_crawl(tmp_path_factory.mktemp("captured")) as crawl:
        yield crawl


def records_of(path: Path) -> list:
    """Every record of a file with its headers and payload read (digests checked)."""
    out = []
    with path.open("rb") as handle:
        for record in ArchiveIterator(handle, check_digests="raise"):
            out.append(
                (record.rec_type, record.rec_headers, record.http_headers, record.content_stream().read())
            )
    return out


def test_every_response_is_recorded_with_its_request(captured):
    files = sorted(captured["warc"].iterdir())
    responses, requests = {}, {}
    for path in files:
        for rec_type, warc_headers, http_headers, payload in records_of(path):
            if rec_type == "response":
                responses[warc_headers.get_header("WARC-Record-ID")] = (warc_headers, http_headers, payload)
            elif rec_type == "request":
                requests[warc_headers.get_header("WARC-Concurrent-To")] = (warc_headers, http_headers)
    served = captured["requests"]
    recorded = sorted(_path_of(h.get_header("WARC-Target-URI")) for h, _, _ in responses.values())
    # Also the meta-refresh front page, robots.txt and the broken link's 404.
    assert recorded == sorted(served)
    assert {"/", "/robots.txt", "/content/2008-09/01/282050.html"} <= set(recorded)
    assert set(requests) == set(responses)
    for record_id, (warc_headers, http_headers) in requests.items():
        response_headers = responses[record_id][0]
        url = warc_headers.get_header("WARC-Target-URI")
        assert url == response_headers.get_header("WARC-Target-URI")
        assert warc_headers.get_header("WARC-Date") == response_headers.get_header("WARC-Date")
        assert http_headers.protocol == "GET"
        assert http_headers.statusline.split()[0] == _path_of(url)
        assert http_headers.get_header("Host") == urlsplit(url).netloc
        assert http_headers.get_header("User-Agent").startswith("sxworker/")


def test_response_records_hold_the_body_the_parser_saw(captured):
    statuses = {}
    for path in sorted(captured["warc"].iterdir()):
        for rec_type, warc_headers, http_headers, payload in records_of(path):
            if rec_type != "response":
                continue
            url_path = _path_of(warc_headers.get_header("WARC-Target-URI"))
            statuses[url_path] = http_headers.get_statuscode()
            assert warc_headers.get_header("WARC-Payload-Digest").startswith("sha1:")
            assert http_headers.get_header("Content-Length") == str(len(payload))
            assert http_headers.get_header("Transfer-Encoding") is None
            if url_path == GZIPPED_ARTICLE:
                # Served gzip-encoded; recorded decoded, and the headers say so.
                assert http_headers.get_header("Content-Encoding") is None
                assert payload == captured["server"].site.get(GZIPPED_ARTICLE).body
    assert statuses["/content/2008-09/01/282050.html"] == "404"
    assert statuses["/"] == "200"


def test_files_rotate_past_the_size_limit_and_are_finished_at_the_end(captured):
    files = sorted(captured["warc"].iterdir())
    assert len(files) >= 3
    numbers = [int(FILE_NAME.match(path.name).group(1)) for path in files]
    assert numbers == list(range(1, len(files) + 1))
    assert len({path.name.split("-")[1] for path in files}) == 1  # one crawl, one start time
    for path in files[:-1]:
        assert path.stat().st_size >= MAX_BYTES
    for path in files:
        records = records_of(path)
        assert records[0][0] == "warcinfo"
        assert records[0][1].get_header("WARC-Filename") == path.name
        assert b"software: sxworker" in records[0][3]
        assert [kind for kind, *_ in records[1:]] == ["response", "request"] * ((len(records) - 1) // 2)
    assert f"raw capture: {len(files)} WARC file(s)" in captured["crawl"].log
    assert captured["crawl"].crawler.stats.get_value(stat.WARC_RESPONSES) == len(captured["requests"])


def test_capture_is_off_without_a_folder():
    with pytest.raises(NotConfigured):
        WarcCapture.from_crawler(get_crawler(settings_dict={"SXWORKER_WARC_DIR": None}))


# -- a file still being written, or left by a killed crawl -------------------------------------


def _write(folder: Path, count: int) -> RotatingWarcWriter:
    writer = RotatingWarcWriter(folder, info={"software": "test"})
    for number in range(count):
        _exchange(
            writer,
            f"http://example.test/content/2016-12/05/{number}.html",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", "1")],
            f"<html><body><p>第{number}篇</p></body></html>".encode(),
        )
    return writer


def _exchange(writer: RotatingWarcWriter, url: str, headers: list[tuple[str, str]], body: bytes) -> None:
    writer.write_exchange(
        url,
        method="GET",
        request_headers=[("User-Agent", "test")],
        request_body=b"",
        status=200,
        protocol="HTTP/1.1",
        response_headers=headers,
        body=body,
    )


def _urls(path: Path) -> list[str]:
    return [urlsplit(response.url).path for response in iter_responses(path)]


def test_a_file_being_written_is_named_open_and_can_be_read(tmp_path):
    writer = _write(tmp_path, 3)
    (unfinished,) = tmp_path.iterdir()
    assert unfinished.name.endswith(".warc.gz.open") and unfinished == writer.current
    assert _urls(unfinished) == [f"/content/2016-12/05/{n}.html" for n in range(3)]
    writer.close()
    (finished,) = tmp_path.iterdir()
    assert finished.name == unfinished.name[: -len(".open")]
    assert warc_files([tmp_path]) == [finished]


def test_a_cut_off_last_record_loses_only_that_record(tmp_path, caplog):
    _write(tmp_path, 3)
    (path,) = tmp_path.iterdir()
    starts = record_starts(path, "response")
    path.write_bytes(path.read_bytes()[: starts[-1] + 40])  # killed while writing the third
    with caplog.at_level(logging.WARNING, logger="sxworker.crawl.warc"):
        assert _urls(path) == ["/content/2016-12/05/0.html", "/content/2016-12/05/1.html"]
    assert f"ends inside a record at byte {starts[-1]}" in caplog.text


def test_a_finished_file_that_ends_inside_a_record_is_damaged(tmp_path, caplog):
    _write(tmp_path, 3).close()
    (path,) = tmp_path.iterdir()
    starts = record_starts(path, "response")
    path.write_bytes(path.read_bytes()[: starts[-1] + 40])  # cut short after it was finished
    with (
        caplog.at_level(logging.WARNING, logger="sxworker.crawl.warc"),
        pytest.raises(WarcReadError) as raised,
    ):
        _urls(path)
    assert str(raised.value) == f"{path}: damaged WARC record at byte {starts[-1]}"
    assert caplog.text == ""


def test_an_empty_file_is_damaged_unless_a_crawl_was_writing_it(tmp_path):
    (tmp_path / "a.warc.gz.open").write_bytes(b"")  # killed before its first record
    assert _urls(tmp_path / "a.warc.gz.open") == []
    (tmp_path / "a.warc.gz").write_bytes(b"")
    with pytest.raises(WarcReadError, match=f"^{re.escape(str(tmp_path / 'a.warc.gz'))}: empty WARC file$"):
        _urls(tmp_path / "a.warc.gz")


@pytest.mark.parametrize("finished", [True, False])
def test_a_damaged_record_is_an_error_with_nothing_on_stderr(tmp_path, capfd, finished):
    writer = _write(tmp_path, 1)
    # A body zlib decompresses block by block: a flipped byte early in it makes warcio
    # print zlib errors to stderr as it reads on.
    big = random.Random(1).randbytes(1 << 20)
    _exchange(writer, "http://example.test/Img/big.jpg", [("Content-Type", "image/jpeg")], big)
    _exchange(writer, "http://example.test/content/2016-12/05/9.html", [], b"<html></html>")
    if finished:
        writer.close()
    (path,) = tmp_path.iterdir()
    starts = record_starts(path, "response")
    data = bytearray(path.read_bytes())
    data[starts[1] + 2000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(WarcReadError) as raised:
        _urls(path)
    assert str(raised.value) == f"{path}: damaged WARC record at byte {starts[1]}"
    assert capfd.readouterr() == ("", "")


def test_damage_before_the_last_record_is_an_error(tmp_path):
    _write(tmp_path, 3)
    (path,) = tmp_path.iterdir()
    starts = record_starts(path, "response")
    data = bytearray(path.read_bytes())
    data[starts[0] + 30] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(WarcReadError, match=f"damaged WARC record at byte {starts[0]}"):
        _urls(path)


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"<html>not a WARC</html>", "not a WARC file"), (None, "no such WARC file or folder")],
)
def test_what_is_not_a_warc_is_an_error(tmp_path, content, message):
    path = tmp_path / "x.warc.gz"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(WarcReadError, match=message):
        _urls(warc_files([path])[0])


def test_a_folder_without_warc_files_is_an_error(tmp_path):
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(WarcReadError, match="no WARC files in"):
        warc_files([tmp_path])


def _path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def write_plain(path: Path, pages: list[tuple[str, str]]) -> None:
    """An uncompressed WARC, as other tools write them: one 200 text/html response per
    (URL, HTML) pair."""
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for url, html in pages:
            body = html.encode()
            writer.write_record(
                writer.create_warc_record(
                    url,
                    "response",
                    payload=io.BytesIO(body),
                    length=len(body),
                    http_headers=StatusAndHeaders("200 OK", [("Content-Type", "text/html")], "HTTP/1.1"),
                )
            )


def test_an_uncompressed_finished_file_reads_to_its_end(tmp_path):
    # Another tool's plain .warc: warcio leaves the blank lines after the last record out of
    # its length, which is not a record cut short.
    path = tmp_path / "other.warc"
    write_plain(
        path,
        [
            (
                f"http://example.test/content/2016-12/05/{number}.html",
                f"<html><body><p>第{number}篇</p></body></html>",
            )
            for number in range(2)
        ],
    )
    assert _urls(path) == ["/content/2016-12/05/0.html", "/content/2016-12/05/1.html"]
    assert [record.rec_type for _, record, _ in read_records(path, lambda record: None)] == ["response"] * 2
