"""Raw capture: every response of a crawl kept in WARC files, and read back for ``reparse``.

With ``SXWORKER_WARC_DIR`` set, :class:`WarcCapture` writes a request and a response record
for each response the crawl receives to ``sxworker-<UTC start>-<seq>.warc.gz`` files there
(one gzip member per record, a ``warcinfo`` record first in each file). A file is written
under ``….warc.gz.open`` and renamed when it is full (``SXWORKER_WARC_MAX_BYTES``) or the
crawl ends, so a file still being written — or left behind by a killed crawl — shows it.
Each record is flushed as written: a kill loses at most the record being written, and
:func:`iter_responses` reads such an ``.open`` file up to its last whole record; a finished
file that ends early, or any damaged record, is an error. :func:`read_records` walks every
record by the same rule (``sxworker verify`` recomputes their digests).
"""

from __future__ import annotations

import io
import logging
import os
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, redirect_stderr
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO, TypeVar
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Request, Response
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from sxworker import config
from sxworker.crawl import stats as stat

logger = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_MAX_BYTES: int = config.default("SXWORKER_WARC_MAX_BYTES")
FINISHED_SUFFIX = ".warc.gz"
OPEN_SUFFIX = ".warc.gz.open"
_PREFIX = "sxworker-"
# Headers that describe the transfer, not the body as the parser saw it: Scrapy has
# de-chunked it, and Content-Length is rewritten to the body that is recorded.
_TRANSFER_HEADERS = {"transfer-encoding", "content-length"}


class WarcReadError(ValueError):
    """WARC input that cannot be read (the message names the file and what is wrong)."""


# -- writing -------------------------------------------------------------------------------


class RotatingWarcWriter:
    """Request/response pairs into gzip-compressed WARC files that rotate past ``max_bytes``."""

    def __init__(
        self, directory: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES, info: dict[str, str]
    ) -> None:
        self.directory = Path(directory)
        self.max_bytes = max_bytes
        self.info = info
        self.started = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        self.sequence = 0
        self.finished: list[Path] = []
        self._out: BinaryIO | None = None
        self._open_path: Path | None = None
        self._writer: WARCWriter | None = None

    @property
    def current(self) -> Path | None:
        """The ``.open`` file being written, if any."""
        return self._open_path

    def write_exchange(
        self,
        url: str,
        *,
        method: str,
        request_headers: list[tuple[str, str]],
        request_body: bytes,
        status: int,
        protocol: str,
        response_headers: list[tuple[str, str]],
        body: bytes,
    ) -> None:
        """One request and its response, linked by WARC-Concurrent-To, in the same file."""
        writer = self._writer_with_room()
        target = urlsplit(url)
        path = target.path or "/"
        if target.query:
            path += "?" + target.query
        request_headers = list(request_headers)
        if not any(name.lower() == "host" for name, _ in request_headers):
            # Scrapy's download handler adds Host on the wire; it is not in request.headers.
            request_headers.insert(0, ("Host", target.netloc))
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(request_body),
            length=len(request_body),
            http_headers=StatusAndHeaders(
                f"{method} {path} {protocol}", request_headers, protocol=protocol, is_http_request=True
            ),
        )
        headers = [(name, value) for name, value in response_headers if name.lower() not in _TRANSFER_HEADERS]
        headers.append(("Content-Length", str(len(body))))
        response = writer.create_warc_record(
            url,
            "response",
            payload=io.BytesIO(body),
            length=len(body),
            http_headers=StatusAndHeaders(_status_line(status), headers, protocol=protocol),
        )
        # Response first, then the request pointing at it (WARC-Concurrent-To), sharing its
        # Target-URI and Date: the layout warcio and the Wayback tools expect.
        writer.write_request_response_pair(request, response)
        # warcio flushes its gzip member into the file after each record; pushing it on to the
        # OS as well means a killed crawl loses at most the record being written.
        assert self._out is not None
        self._out.flush()

    def close(self) -> None:
        """Finish the current file (rename it from ``.open``)."""
        if self._out is None:
            return
        self._out.close()
        assert self._open_path is not None
        finished = self._open_path.with_name(self._open_path.name[: -len(".open")])
        os.replace(self._open_path, finished)
        self.finished.append(finished)
        self._out = self._writer = self._open_path = None

    def _writer_with_room(self) -> WARCWriter:
        if self._out is not None and self._out.tell() >= self.max_bytes:
            self.close()
        if self._writer is None:
            self._open_next()
        assert self._writer is not None
        return self._writer

    def _open_next(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self.sequence += 1
            stem = f"{_PREFIX}{self.started}-{self.sequence:05d}"
            path = self.directory / f"{stem}{OPEN_SUFFIX}"
            if (self.directory / f"{stem}{FINISHED_SUFFIX}").exists():
                continue  # another crawl started in the same second
            try:
                out = path.open("xb")
            except FileExistsError:
                continue
            break
        self._out, self._open_path = out, path
        self._writer = WARCWriter(out, gzip=True)
        # The name it will have when finished, which is how it is known once done.
        info = self._writer.create_warcinfo_record(f"{stem}{FINISHED_SUFFIX}", self.info)
        self._writer.write_record(info)
        out.flush()


def _status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """Scrapy's Headers (bytes names, lists of bytes values) as name/value pairs; repeated
    headers (Set-Cookie) stay separate lines."""
    return [
        (name.decode("latin-1"), value.decode("latin-1"))
        for name, values in headers.items()
        for value in values
    ]


class WarcCapture:
    """Scrapy extension: every response the crawl downloads, with its request, into WARC files.

    Connected to ``response_downloaded``, which sees each response as it comes off the
    wire, before the downloader middlewares: redirects, retried 5xx answers and the
    meta-refresh front page (which MetaRefreshMiddleware turns into a new request, so
    ``response_received`` never sees it) are all recorded. The body is recorded as the
    parsers see it, though: decoded the way HttpCompressionMiddleware decodes it, with
    Content-Encoding dropped for what was undone and Content-Length set to the recorded
    body — the headers describe the body as stored, not as transferred.
    """

    def __init__(self, writer: RotatingWarcWriter, stats: Any = None) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCapture:
        settings = crawler.settings
        directory = config.read(settings, "SXWORKER_WARC_DIR")
        if not directory:
            raise NotConfigured("SXWORKER_WARC_DIR is not set")
        info = {
            "software": "sxworker (Scrapy, warcio)",
            "format": "WARC File Format 1.0",
            "description": f"crawl of {config.read(settings, 'SXWORKER_BASE_URL')}",
            "http-header-user-agent": settings.get("USER_AGENT") or "",
            "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
        }
        writer = RotatingWarcWriter(
            directory, max_bytes=config.read(settings, "SXWORKER_WARC_MAX_BYTES"), info=info
        )
        extension = cls(writer, crawler.stats)
        crawler.signals.connect(extension.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def response_downloaded(self, response: Response, request: Request) -> None:
        headers = _header_pairs(response.headers)
        body = response.body
        if request.method != "HEAD":
            body, headers = decode_content(body, headers)
        self.writer.write_exchange(
            response.url,
            method=request.method,
            request_headers=_header_pairs(request.headers),
            request_body=request.body,
            status=response.status,
            protocol=response.protocol or "HTTP/1.1",
            response_headers=headers,
            body=body,
        )
        if self.stats is not None:
            self.stats.inc_value(stat.WARC_RESPONSES)

    def spider_closed(self) -> None:
        self.writer.close()
        if self.writer.finished:
            logger.info(
                "raw capture: %d WARC file(s) in %s", len(self.writer.finished), self.writer.directory
            )


def decode_content(body: bytes, headers: list[tuple[str, str]]) -> tuple[bytes, list[tuple[str, str]]]:
    """The body with its Content-Encoding undone (gzip, deflate; br when brotli is
    installed, as for Scrapy), and the headers left saying what still applies."""
    codings = [
        coding.strip().lower()
        for name, value in headers
        if name.lower() == "content-encoding"
        for coding in value.split(",")
        if coding.strip()
    ]
    while codings and (decoded := _undo(codings[-1], body)) is not None:
        body = decoded
        codings.pop()
    kept = [(name, value) for name, value in headers if name.lower() != "content-encoding"]
    if codings:
        kept.append(("Content-Encoding", ", ".join(codings)))
    return body, kept


def _undo(coding: str, body: bytes) -> bytes | None:
    try:
        if coding == "identity":
            return body
        if coding in ("gzip", "x-gzip"):
            return zlib.decompress(body, zlib.MAX_WBITS | 32)
        if coding == "deflate":
            try:
                return zlib.decompress(body)
            except zlib.error:
                return zlib.decompress(body, -zlib.MAX_WBITS)  # raw deflate, as some servers send
        if coding == "br":
            import brotli

            return brotli.decompress(body)
    except ImportError:
        return None
    except Exception:
        # A body that does not decode as it says (brotli raises its own error type) is
        # kept as received, its Content-Encoding with it.
        return None
    return None


# -- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapturedResponse:
    """One response record: what the crawl received for ``url``."""

    url: str
    status: int
    content_type: str
    body: bytes
    warc_date: str
    # Where a redirect (3xx) pointed, as the Location header said it: maybe relative.
    location: str = ""
    # The response's HTTP headers as recorded, and where its record starts in its file
    # (for reading it again later: :func:`response_at`).
    headers: tuple[tuple[str, str], ...] = ()
    offset: int = 0


def warc_files(sources: Iterable[Path | str]) -> list[Path]:
    """The WARC files named, or found in the folders named, ordered by name (which is the
    order they were written in: the names start with the crawl's UTC start time)."""
    found: list[Path] = []
    for source in map(Path, sources):
        if source.is_dir():
            inside = [
                path
                for path in source.iterdir()
                if path.is_file() and path.name.endswith((FINISHED_SUFFIX, OPEN_SUFFIX, ".warc"))
            ]
            if not inside:
                raise WarcReadError(f"no WARC files in {source}")
            found.extend(inside)
        elif source.is_file():
            found.append(source)
        else:
            raise WarcReadError(f"no such WARC file or folder: {source}")
    return sorted(set(found), key=lambda path: (_unfinished_name(path.name), str(path)))


def _unfinished_name(name: str) -> str:
    return name[: -len(".open")] if name.endswith(".open") else name


def iter_responses(path: Path) -> Iterator[CapturedResponse]:
    """The response records of one WARC file, in file order.

    One rule for damage: a file still named ``….open`` (being written, or left by a killed
    crawl) may end inside a record — it yields every whole record before that one, with one
    warning. Any other damage raises :class:`WarcReadError` naming the file and the byte: a
    finished file that ends early, a record that does not match its length or digest, a
    file that is not a WARC.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            if _has_records(path, handle):
                yield from _responses_in(path, handle, size)
    except OSError as exc:
        raise WarcReadError(f"{path}: {exc.strerror or exc}") from exc


_GZIP_MAGIC = b"\x1f\x8b"


def _has_records(path: Path, handle: BinaryIO) -> bool:
    """Whether the file open at its start in ``handle`` has records to read: not when it is
    empty (an error, unless a crawl was still writing it); what is not a WARC raises."""
    head = handle.read(5)
    if not head:
        if not _unfinished(path):
            raise WarcReadError(f"{path}: empty WARC file")
        # The writer had opened it and written nothing yet when the crawl was killed.
        logger.warning("%s: empty WARC file", path)
        return False
    if not head.startswith((_GZIP_MAGIC, b"WARC/")):
        raise WarcReadError(f"{path}: not a WARC file")
    handle.seek(0)
    return True


def _unfinished(path: Path) -> bool:
    return path.name.endswith(".open")


def _responses_in(path: Path, handle: BinaryIO, size: int) -> Iterator[CapturedResponse]:
    archive = ArchiveIterator(handle, check_digests=True)
    records = iter(archive)
    whole_up_to = 0
    while True:
        # A damaged or cut-off record can fail inside warcio in many ways (ArchiveLoadFailed,
        # zlib.error, EOFError, even AttributeError on a half header), or only complain on
        # stderr (a zlib error mid-member, a record not followed by its blank lines) and read
        # short; each means the same: no more whole records here.
        try:
            with _warcio_quiet() as complaints:
                record = next(records)
                is_response = record.rec_type == "response" and bool(record.http_headers)
                captured = _captured(record) if is_response else None
                # Asked after the record is read: warcio reads it to its end to say where it began.
                offset = archive.get_record_offset()
                length = archive.get_record_length()
        except Exception:  # StopIteration included: the end of the file
            break
        if complaints.getvalue() or not _read_whole(record) or (is_response and captured is None):
            break
        whole_up_to = offset + length
        if captured is not None:
            yield replace(captured, offset=offset)
    _check_end(path, handle, size, whole_up_to)


def _check_end(path: Path, handle: BinaryIO, size: int, whole_up_to: int) -> None:
    """After the last whole record, which ends at ``whole_up_to``: the end of the file, or
    the one thing a killed crawl leaves — its unfinished file cut off inside the record
    being written, with nothing after it; anything else raises :class:`WarcReadError`."""
    if whole_up_to >= size or _blank_after(handle, whole_up_to, size):
        return
    if not _unfinished(path) or _record_starts_after(handle, whole_up_to + 1):
        # warcio's message quotes the damaged bytes; the offset is what helps a person.
        raise WarcReadError(f"{path}: damaged WARC record at byte {whole_up_to}")
    logger.warning("%s: ends inside a record at byte %d; read the records before it", path, whole_up_to)


def _blank_after(handle: BinaryIO, offset: int, size: int) -> bool:
    """Whether only the blank lines that close a record follow ``offset``: warcio leaves
    them out of an uncompressed record's length, so the last record of a ``.warc`` ends
    four bytes before the file does."""
    if size - offset > 4:
        return False
    handle.seek(offset)
    return not handle.read().strip(b"\r\n")


@contextmanager
def _warcio_quiet() -> Iterator[io.StringIO]:
    """What warcio prints to stderr about a damaged record (a zlib error per block it reads
    on, say) kept as a sign of the damage instead, which is reported once. ``sys.stderr`` is
    swapped only while warcio reads; logging's handlers keep the stream they were given."""
    with redirect_stderr(io.StringIO()) as complaints:
        yield complaints


def _read_whole(record: Any) -> bool:
    """Whether the record's block was read to the length its header gives, and its digests
    (when it has them) match."""
    stream = record.raw_stream
    if getattr(stream, "limit", 0) > 0:
        return False
    checker = getattr(record, "digest_checker", None)
    return checker is None or checker.passed is not False


def _record_starts_after(handle: BinaryIO, offset: int) -> bool:
    """Whether another record (gzip member or WARC header) begins at or after ``offset``:
    then the damage is inside the file, not a cut-off end."""
    handle.seek(offset)
    carry = b""
    while block := handle.read(1 << 20):
        window = carry + block
        if _GZIP_MAGIC + b"\x08" in window or b"WARC/1." in window:
            return True
        carry = window[-7:]
    return False


def response_at(handle: BinaryIO, offset: int) -> CapturedResponse | None:
    """The response record that starts at ``offset`` of an open WARC file (one that
    :func:`iter_responses` has read whole before); None if it is not a whole response."""
    handle.seek(offset)
    with _warcio_quiet():
        record = next(iter(ArchiveIterator(handle, check_digests=True)), None)
        if record is None or record.rec_type != "response" or not record.http_headers:
            return None
        captured = _captured(record)
    return replace(captured, offset=offset) if captured is not None else None


def _captured(record: Any) -> CapturedResponse | None:
    headers = record.http_headers
    raw = record.raw_stream.read()
    # A record cut short (the last one of a killed crawl's file) reads fewer bytes than it
    # announces, or fails its payload digest: either way it is not what was received.
    expected = record.payload_length
    if expected is not None and expected >= 0 and len(raw) != expected:
        return None
    checker = getattr(record, "digest_checker", None)
    if checker is not None and checker.passed is False:
        return None
    return captured_response(_target(record), headers, raw, record.rec_headers.get_header("WARC-Date") or "")


def captured_response(url: str, headers: StatusAndHeaders, raw: bytes, warc_date: str) -> CapturedResponse:
    """A whole response record's target, HTTP headers, payload and WARC-Date as a
    :class:`CapturedResponse` (crawl/warcscan.py reads sxworker's own files into it too)."""
    # sxworker's own captures are decoded already; another tool's may not be. An encoding
    # that cannot be undone here leaves the bytes as they are, for the parser to refuse.
    body, pairs = decode_content(raw, list(headers.headers))
    return CapturedResponse(
        url=url,
        status=int(headers.get_statuscode() or 0),
        content_type=headers.get_header("Content-Type") or "",
        body=body,
        warc_date=warc_date,
        location=headers.get_header("Location") or "",
        headers=tuple(_body_as_decoded(pairs, body)),
    )


def _body_as_decoded(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str]]:
    """The headers with Content-Length saying what the body is now (decoded, de-chunked)."""
    kept = [(name, value) for name, value in headers if name.lower() not in _TRANSFER_HEADERS]
    return [*kept, ("Content-Length", str(len(body)))]


def _target(record: Any) -> str:
    return record.rec_headers.get_header("WARC-Target-URI") or ""


def read_records(path: Path, read: Callable[[Any], T]) -> Iterator[tuple[int, Any, T]]:
    """Every whole record of one WARC file, in file order: (offset, record, what ``read``
    returned for it). ``read`` gets each warcio record unparsed — its ``raw_stream`` is the
    whole block, HTTP headers included — and may read it (``sxworker verify`` hashes it);
    what it raises counts as the record's damage, as what warcio raises does.

    Damage is judged by :func:`iter_responses`'s rule: an ``.open`` file may end inside
    its last record; otherwise a record not read whole (to its Content-Length, warcio
    silent) raises :class:`WarcReadError` naming the byte it starts at, after the records
    before it are yielded.
    """
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            if not _has_records(path, handle):
                return
            archive = ArchiveIterator(handle, no_record_parse=True)
            records = iter(archive)
            whole_up_to = 0
            damaged = None  # the record that could not be read whole, if its header could
            while True:
                record = None
                try:  # as in _responses_in: any failure inside warcio ends the whole records
                    with _warcio_quiet() as complaints:
                        record = next(records)
                        result = read(record)
                        offset = archive.get_record_offset()
                        length = archive.get_record_length()
                except Exception:
                    damaged = record
                    break
                if complaints.getvalue() or getattr(record.raw_stream, "limit", 0) > 0:
                    damaged = record
                    break
                whole_up_to = offset + length
                yield offset, record, result
            try:
                _check_end(path, handle, size, whole_up_to)
            except WarcReadError as exc:
                if damaged is None:
                    raise
                which = " ".join(name for name in (damaged.rec_type, _target(damaged)) if name)
                raise WarcReadError(f"{exc} ({which})") from None
    except OSError as exc:
        raise WarcReadError(f"{path}: {exc.strerror or exc}") from exc
