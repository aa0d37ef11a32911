"""Page scans, article pictures and page PDFs: downloaded by Scrapy's FilesPipeline into
FILES_STORE at paths mirroring their URL path, checked, and recorded in the ``files`` table.

Runs before the StorePipeline and hands it each file's record: the store writes an item's
file records in the same batch as the item, before it, so that no crash (kill -9 included)
can leave a stored article whose files are unrecorded (a re-run skips stored articles and
would never ask for them again). A file that fails is a record too: the article is stored
whatever becomes of its files.
Each URL is fetched once per crawl (a scan is shared by every article of its page) and not
at all when the archive says it is stored and the file on disk still has the recorded size.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote, urlsplit

from itemadapter import ItemAdapter
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.http.request import NO_CALLBACK
from scrapy.pipelines.files import FilesPipeline, FSFilesStore
from scrapy.pipelines.media import MediaPipeline

from sxworker import config
from sxworker.archive import Archive, now_utc
from sxworker.archive.files import MISSING, REJECTED, STORED
from sxworker.crawl import stats as stat
from sxworker.crawl.pipelines import StorePipeline
from sxworker.crawl.scrapy_internals import forget_media_results
from sxworker.crawl.session import CrawlSession
from sxworker.site.items import Article, FileRetry, Page

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from twisted.python.failure import Failure

logger = logging.getLogger(__name__)

# Which setting turns each kind of file on or off.
KIND_SETTINGS = {
    "scan": "SXWORKER_FILES_SCANS",
    "image": "SXWORKER_FILES_IMAGES",
    "pdf": "SXWORKER_FILES_PDFS",
}

_SIGNATURES = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)
_UNSAFE = re.compile(r"[^\w.\-]")
# What a ``files`` row says about a file; when it was fetched aside.
_FILE_FIELDS = (
    "kind",
    "path",
    "sha256",
    "bytes",
    "content_type",
    "status",
    "error",
    "issue_date",
    "page_no",
    "article_id",
)
_MAX_SEGMENT = 120


@dataclass(frozen=True)
class FileLink:
    """A file URL met in an item, what it is, and the page or article it belongs to."""

    url: str
    kind: str
    issue_date: str | None
    page_no: int | None
    article_id: str | None
    referer: str | None


def file_links(item: Any) -> list[FileLink]:
    """The file URLs an item names: a page's scan and PDF, an article's page scan and pictures."""
    adapter = ItemAdapter(item)
    issue_date, page_no = adapter.get("issue_date"), adapter.get("page_no")
    found: list[FileLink] = []
    if isinstance(item, Page):
        referer = adapter.get("url")
        for kind, url in (("scan", adapter.get("scan_url")), ("pdf", adapter.get("pdf_url"))):
            if url:
                found.append(FileLink(url, kind, issue_date, page_no, None, referer))
    elif isinstance(item, FileRetry):
        found.append(FileLink(item.url, item.kind, item.issue_date, None, None, None))
    elif isinstance(item, Article):
        referer = adapter.get("url")
        if adapter.get("page_image_url"):
            # A scan belongs to the page, not to the article that happened to show it.
            found.append(FileLink(adapter["page_image_url"], "scan", issue_date, page_no, None, referer))
        for image in adapter.get("images") or ():
            if image.get("url"):
                found.append(
                    FileLink(image["url"], "image", issue_date, page_no, adapter.get("article_id"), referer)
                )
    return [link for link in found if urlsplit(link.url).scheme in ("http", "https")]


def mirrored_path(url: str) -> str:
    """The URL's path as a relative path under FILES_STORE, made safe: no ``..``, no
    absolute path, no hidden names, only letters, digits, ``.``, ``-`` and ``_``."""
    parts = urlsplit(url)
    segments: list[str] = []
    for raw in unquote(parts.path).replace("\\", "/").split("/"):
        if raw in ("", ".", ".."):
            continue
        segment = _UNSAFE.sub("_", raw)
        # A leading dot would hide the file (or spell ".." again once characters are replaced).
        segment = "_" + segment[1:] if segment.startswith(".") else segment
        if len(segment) > _MAX_SEGMENT:
            digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:12]
            segment = f"{segment[: _MAX_SEGMENT - 13]}-{digest}"
        elif segment != raw:
            # "a b.jpg" and "a+b.jpg" both read "a_b.jpg" once made safe: a hash of the
            # original name keeps two such files apart.
            name = PurePosixPath(segment)
            digest = hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
            segment = f"{name.stem}-{digest}{name.suffix}"
        segments.append(segment)
    if not segments:
        segments = ["index"]
    if parts.query:
        # Two URLs that differ in their query only are two files.
        name = PurePosixPath(segments[-1])
        digest = hashlib.sha1(parts.query.encode("utf-8")).hexdigest()[:10]
        segments[-1] = f"{name.stem}-{digest}{name.suffix}"
    path = "/".join(segments)
    if PurePosixPath(path).is_absolute() or ".." in PurePosixPath(path).parts:
        raise ValueError(f"unsafe file path for {url}")  # cannot happen; the guard is cheap
    return path


def sniff(body: bytes) -> str | None:
    """The MIME type the bytes themselves show, for the kinds of files we keep."""
    for magic, mime in _SIGNATURES:
        if body.startswith(magic):
            return mime
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    # The PDF spec lets junk precede the header within the first KiB.
    if b"%PDF-" in body[:1024]:
        return "application/pdf"
    return None


def _acceptable(kind: str, mime: str | None) -> bool:
    if mime is None:
        return False
    return mime == "application/pdf" if kind == "pdf" else mime.startswith("image/")


def enabled_kinds(is_on: Callable[[str], bool]) -> set[str]:
    """The kinds of files kept, ``is_on`` telling whether a KIND_SETTINGS name is on."""
    return {kind for kind, name in KIND_SETTINGS.items() if is_on(name)}


def kinds_from_environment(environ: Mapping[str, str] = os.environ) -> set[str]:
    """The kinds of files kept by the SXWORKER_FILES_* environment variables, read as the
    settings read them (sxworker.config: False, 0, no or off turns one off)."""
    return enabled_kinds(lambda name: config.read(environ, name))


def declared_type(header: str | None) -> str | None:
    """The MIME type a Content-Type header names, without its parameters."""
    return (header or "").split(";")[0].strip() or None


@dataclass(frozen=True)
class Outcome:
    """What becomes of a downloaded file: ``stored`` (``content_type`` is the type the
    bytes show), or ``missing``/``rejected`` with an ``error`` (and the declared type)."""

    status: str
    error: str | None
    content_type: str | None


def check_download(kind: str, status: int, body: bytes, declared: str | None) -> Outcome:
    """The checks every downloaded file passes before it is kept: an HTTP 200 answer, and
    bytes that are what the link says (an image, or a PDF)."""
    if status != 200:
        return Outcome(MISSING, f"HTTP {status}", declared)
    mime = sniff(body)
    if not _acceptable(kind, mime):
        wanted = "a PDF" if kind == "pdf" else "an image"
        return Outcome(
            REJECTED, f"not {wanted}: Content-Type {declared or 'none'}, starts {body[:16]!r}", declared
        )
    # The type the bytes show, not the header's: a PNG served as image/jpeg is a PNG.
    return Outcome(STORED, None, mime)


def file_row(link: FileLink, *, fetched_at: str | None = None, **outcome: Any) -> dict[str, Any]:
    """A row for :meth:`Archive.store_files`: the link's URL, kind and place, and the outcome."""
    return {
        "url": link.url,
        "kind": link.kind,
        "issue_date": link.issue_date,
        "page_no": link.page_no,
        "article_id": link.article_id,
        "fetched_at": fetched_at or now_utc(),
        **outcome,
    }


def on_disk(basedir: str | os.PathLike[str], path: str) -> Path:
    """Where a stored file's relative (``/``-separated) path is under a local store."""
    return Path(basedir, *path.split("/"))


def holds_intact(basedir: str | os.PathLike[str], row: dict[str, Any]) -> bool:
    """Whether a local store holds the file a stored ``files`` row describes, byte for byte
    (size first: a cut-off or replaced file usually fails that without being read)."""
    if not row.get("path"):
        return False
    path = on_disk(basedir, row["path"])
    try:
        if path.stat().st_size != row["bytes"]:
            return False
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest() == row["sha256"]
    except OSError:
        return False


class AtomicFSFilesStore(FSFilesStore):
    """Writes each file beside its final name and renames it: a file on disk is whole."""

    def persist_file(
        self,
        path: str | os.PathLike[str],
        buf: BytesIO,
        info: MediaPipeline.SpiderInfo | None,
        meta: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        absolute_path = on_disk(self.basedir, os.fspath(path))
        root = Path(self.basedir).resolve()
        if not absolute_path.resolve().is_relative_to(root):
            raise ValueError(f"{path} is outside {root}")
        absolute_path.parent.mkdir(parents=True, exist_ok=True)
        # Stored names never start with a dot (see mirrored_path), so this one is free.
        partial = absolute_path.with_name(f".{absolute_path.name}.{os.getpid()}.part")
        try:
            partial.write_bytes(buf.getvalue())
            os.replace(partial, absolute_path)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise


class ArchiveFilesPipeline(FilesPipeline):
    """FilesPipeline for scans, pictures and PDFs, recorded in the archive's ``files`` table."""

    STORE_SCHEMES: ClassVar[dict[str, Any]] = {
        **FilesPipeline.STORE_SCHEMES,
        "": AtomicFSFilesStore,
        "file": AtomicFSFilesStore,
    }

    def __init__(self, store_uri: str | os.PathLike[str], download_func: None = None, *, crawler: Crawler):
        settings = crawler.settings
        self.kinds = enabled_kinds(lambda name: config.read(settings, name))
        if not self.kinds:
            raise NotConfigured("files: scans, pictures and PDFs are all turned off")
        # Redirects are followed as MEDIA_ALLOW_REDIRECTS says (on in crawl/settings.py).
        super().__init__(store_uri, crawler=crawler)
        self.crawler = crawler
        self.stats = crawler.stats
        self.archive: Archive | None = None
        self.session: CrawlSession | None = None
        # Not ``store``: FilesPipeline's name for the files store.
        self.item_store: StorePipeline | None = None
        self.requested: set[str] = set()
        self.links: dict[str, FileLink] = {}

    def open_spider(self, spider: Any = None) -> None:
        super().open_spider()
        self.session = CrawlSession.of(self.crawler)
        self.archive = self.session.archive
        # Found through Scrapy's public lookup: the store writes what this pipeline records.
        self.item_store = self.crawler.get_item_pipeline(StorePipeline)
        if self.item_store is None:
            raise RuntimeError("the files pipeline hands its records to the StorePipeline (ITEM_PIPELINES)")

    # -- which files -----------------------------------------------------------------

    def get_media_requests(self, item: Any, info: MediaPipeline.SpiderInfo) -> list[Request]:
        requests = []
        for link in file_links(item):
            if link.kind not in self.kinds or link.url in self.requested:
                continue
            self.requested.add(link.url)
            self.links[link.url] = link
            headers = {"Referer": link.referer} if link.referer else None
            requests.append(Request(link.url, callback=NO_CALLBACK, headers=headers))
        return requests

    def file_path(
        self,
        request: Request,
        response: Response | None = None,
        info: MediaPipeline.SpiderInfo | None = None,
        *,
        item: Any = None,
    ) -> str:
        return mirrored_path(request.url)

    def media_to_download(
        self, request: Request, info: MediaPipeline.SpiderInfo, *, item: Any = None
    ) -> dict[str, Any] | None:
        assert self.archive is not None
        # The same path under another URL is the same file when the site moves host or
        # scheme (http → https): decades of scans are not fetched again for that.
        row = self.archive.stored_file(request.url) or self.archive.stored_file_at(mirrored_path(request.url))
        if row is not None and urlsplit(row["url"]).path != urlsplit(request.url).path:
            row = None  # another URL that happens to be kept at the same path
        if row is None or row["status"] != STORED or not row["path"] or not self._intact(row):
            return None
        if row["url"] != request.url:
            kept = ("path", "sha256", "bytes", "content_type")
            self._record(request.url, status=STORED, **{name: row[name] for name in kept})
        else:
            self.links.pop(request.url, None)
        self.stats.inc_value(stat.FILES["uptodate"])
        return {"url": request.url, "path": row["path"], "checksum": row["sha256"], "status": "uptodate"}

    def _intact(self, row: dict[str, Any]) -> bool:
        if not isinstance(self.store, FSFilesStore):
            return True  # a remote store: trust the archive rather than stat every object
        return holds_intact(self.store.basedir, row)

    # -- what came back --------------------------------------------------------------

    async def media_downloaded(
        self,
        response: Response,
        request: Request,
        info: MediaPipeline.SpiderInfo,
        *,
        item: Any = None,
    ) -> dict[str, Any]:
        kind = self._link(request.url).kind
        declared = declared_type(response.headers.get("Content-Type", b"").decode("latin-1"))
        if response.status == 200 and "dataloss" in response.flags:
            # Only when DOWNLOAD_FAIL_ON_DATALOSS is off; otherwise the download failed and
            # was retried before we got here.
            return self._failed(request.url, MISSING, "truncated download", declared)
        outcome = check_download(kind, response.status, response.body, declared)
        fetched_at = self.session.fetched_at(response) if self.session else None
        if outcome.status != STORED:
            assert outcome.error is not None
            return self._failed(request.url, outcome.status, outcome.error, outcome.content_type, fetched_at)
        # Written here, not through FilesPipeline.media_downloaded, which logs each file a
        # store cannot take with a traceback.
        path = self.file_path(request, response=response, info=info, item=item)
        try:
            self.store.persist_file(path, BytesIO(response.body), info)
        except OSError as exc:
            # The store is at fault (read-only, full, a file where a folder should be), not
            # the file: recorded missing (its issue stays open for the next run), and counted
            # so that the run ends in error (crawl/runlog.py) and cron hears of it.
            self.stats.inc_value(stat.FILES_UNWRITTEN)
            error = f"not written to FILES_STORE: {exc}"
            return self._failed(request.url, MISSING, error, outcome.content_type, fetched_at, logging.ERROR)
        self.inc_stats("downloaded")  # FilesPipeline's own counters, as its media_downloaded keeps them
        checksum = hashlib.sha256(response.body).hexdigest()
        self._record(
            request.url,
            fetched_at=fetched_at,
            status=STORED,
            path=path,
            sha256=checksum,
            bytes=len(response.body),
            content_type=outcome.content_type,
        )
        self.stats.inc_value(stat.FILES[STORED])
        return {"url": request.url, "path": path, "checksum": checksum, "status": "downloaded"}

    def media_failed(self, failure: Failure, request: Request, info: MediaPipeline.SpiderInfo) -> None:  # type: ignore[override]
        # Recorded here, and not raised: Scrapy logs every exception raised from here with a
        # traceback, and a missing file is an expected outcome, not a bug.
        error = failure.getErrorMessage() or type(failure.value).__name__
        if isinstance(failure.value, IgnoreRequest):
            error = f"not fetched: {error}"
        self._failed(request.url, MISSING, error, None)

    def item_completed(self, results: list[Any], item: Any, info: MediaPipeline.SpiderInfo) -> Any:
        # Outcomes were recorded as they came; the item passes on unchanged. MediaPipeline
        # keeps every result for the whole crawl to answer a repeated request; ours never
        # repeat (see get_media_requests), and decades of scans would fill memory.
        forget_media_results(info)
        return item

    # -- recording -------------------------------------------------------------------

    def _link(self, url: str) -> FileLink:
        return self.links.get(url) or FileLink(url, "image", None, None, None, None)

    def _failed(
        self,
        url: str,
        status: str,
        error: str,
        content_type: str | None,
        fetched_at: str | None = None,
        level: int = logging.WARNING,
    ) -> dict[str, Any]:
        logger.log(level, "file not stored: %s: %s", url, error)
        self.stats.inc_value(stat.FILES[status])
        self._record(url, fetched_at=fetched_at, status=status, error=error, content_type=content_type)
        return {"url": url, "path": None, "checksum": None, "status": status}

    def _record(self, url: str, *, fetched_at: str | None = None, **outcome: Any) -> None:
        link = self.links.pop(url, None) or self._link(url)
        row = file_row(link, fetched_at=fetched_at, **outcome)
        if self.session is not None and self.session.replaying and self._known_as(row):
            return  # a reparse read what the archive says already: nothing was fetched anew
        assert self.item_store is not None
        self.item_store.add_file(row)

    def _known_as(self, row: dict[str, Any]) -> bool:
        assert self.archive is not None
        known = self.archive.stored_file(row["url"])
        return known is not None and all(known.get(name) == row.get(name) for name in _FILE_FIELDS)
