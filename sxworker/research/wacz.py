"""``sxworker export --format wacz``: the WARC captures of a date range as one WACZ package.

A WACZ (Web Archive Collection Zipped, 1.1.1) is what ReplayWeb.page opens: the WARC data
under ``archive/``, a CDXJ index of it under ``indexes/``, ``pages/pages.jsonl`` (here one
line per captured article: url, ts, title, text, so the package can be searched), and
``datapackage.json`` naming every part with its sha256. py-wacz (the ``wacz`` package, of
the ``replay`` extra) writes the index, the manifest and the zip; this module chooses what
goes in.

What goes in: every whole record of the captures in ``SXWORKER_WARC_DIR`` whose URL path
spells no date (the site's pictures, styles, robots.txt, each file's warcinfo), or a date in
range (articles, page views, scans of those issues), copied byte for byte into one WARC —
so their digests still hold. The captures are read by the rule ``reparse`` keeps: an
``.open`` file up to its last whole record, a finished file that is damaged refuses the
export (one line, exit 2) before the package is written.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sxworker.archive import Archive
from sxworker.crawl.captures import warc_date_utc
from sxworker.crawl.warc import WarcReadError, read_records, warc_files
from sxworker.research import output as written
from sxworker.research.options import UserError
from sxworker.site import urls

NO_CAPTURES = "no WARC captures: set SXWORKER_WARC_DIR (or --warc-dir) to a crawl's WARC folder"
NEEDS_EXTRA = "needs py-wacz and pywb: pip install 'sxworker[replay]'"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "陕西工人报 articles", "hasText": True}
_HTML = ("text/html", "application/xhtml+xml")


@dataclass
class Packed:
    """What went into a package: records copied, and the newest capture of each article
    (by issue date and id: its URL as captured and its WARC-Date)."""

    records: int = 0
    articles: dict[tuple[str, str], tuple[str, str]] = field(default_factory=dict)


def captures_of(warc_dir: str | None) -> list[Path]:
    """The WARC files of ``warc_dir``, in the order written; none is one line saying how
    captures are turned on."""
    if not warc_dir:
        raise UserError(NO_CAPTURES)
    try:
        return warc_files([warc_dir])
    except WarcReadError as exc:
        raise UserError(f"{exc} ({NO_CAPTURES})") from exc


def in_range(url: str, since: str | None, until: str | None) -> bool:
    """Whether a record belongs to an issue in range: its URL path spells no date (it is
    shared by all issues), or a date within ``since``..``until``."""
    parts = urlsplit(url)
    spelled = urls.date_in_url(f"{parts.scheme}://{parts.netloc}{parts.path}") if parts.path else None
    if spelled is None:
        return True
    day = spelled.isoformat()
    return (since is None or day >= since) and (until is None or day <= until)


def _raw(record: Any) -> tuple[Any, bytes]:
    """The record's WARC headers and its block as stored, HTTP headers and all."""
    return record.rec_headers, record.raw_stream.read()


def copy_captures(files: list[Path], out: Path, since: str | None, until: str | None) -> Packed:
    """Every whole record in range (see the module docstring) into the gzip WARC ``out``,
    one gzip member per record as the crawl writes them; raises WarcReadError on damage."""
    packed = Packed()
    with out.open("wb") as sink:
        for path in files:
            for _offset, _record, (headers, block) in read_records(path, _raw):
                uri = headers.get_header("WARC-Target-URI") or ""
                if uri and not in_range(uri, since, until):
                    continue
                member = headers.to_bytes(encoding="utf-8") + block + b"\r\n\r\n"
                sink.write(gzip.compress(member, compresslevel=6, mtime=0))
                packed.records += 1
                if headers.get_header("WARC-Type") == "response":
                    _note_article(packed, uri, headers.get_header("WARC-Date") or "", block)
    return packed


def _note_article(packed: Packed, uri: str, warc_date: str, block: bytes) -> None:
    """Keep the newest successful HTML capture of each article (files are read oldest first)."""
    root = urls.site_root_of(uri)
    ref = urls.parse_content_url(urls.normalize_base(root), uri) if root else None
    if ref is None:
        return
    head = block[: block.find(b"\r\n\r\n")].decode("latin-1")
    status_line, _, header_text = head.partition("\r\n")
    status = status_line.split(" ", 2)[1] if status_line.count(" ") else ""
    content_type = next(
        (
            line.split(":", 1)[1].strip().lower()
            for line in header_text.split("\r\n")
            if line.lower().startswith("content-type:")
        ),
        "",
    )
    if not status.startswith("2") or (content_type and not content_type.startswith(_HTML)):
        return
    packed.articles[(ref.issue_date.isoformat(), ref.article_id)] = (uri, warc_date)


def page_lines(
    archive: Archive, packed: Packed, since: str | None, until: str | None
) -> Iterator[dict[str, Any]]:
    """One page per captured article: those the archive holds in its export order, with
    their title and text; then any it does not hold (another crawl's captures), URL only."""
    listed = set()
    for record in archive.iter_export(since, until, None):
        key = (record["issue_date"], record["article_id"])
        capture = packed.articles.get(key)
        if capture is None:
            continue
        listed.add(key)
        yield _page(key, *capture) | {"title": record["title"], "text": _text(record)}
    for key in sorted(packed.articles.keys() - listed):
        yield _page(key, *packed.articles[key])


def _page(key: tuple[str, str], url: str, warc_date: str) -> dict[str, Any]:
    # The capture's own WARC-Date, so that ReplayWeb.page opens exactly that capture.
    return {"id": "/".join(key), "url": url, "ts": warc_date_utc(warc_date) or warc_date}


def _text(record: dict[str, Any]) -> str:
    heads = [record.get(name) for name in ("kicker", "title", "subtitle", "author")]
    return "\n".join([*(head for head in heads if head), record["body"]])


def _py_wacz(args: list[str]) -> None:
    """py-wacz's own command (it prints as it goes: kept for the error message)."""
    try:
        from wacz.main import main as wacz_main
    except ImportError as exc:
        raise UserError(f"--format wacz {NEEDS_EXTRA}") from exc
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        status = wacz_main(args)
    if status != 0:
        last = said.getvalue().strip().splitlines()[-1:] or ["failed"]
        raise UserError(f"wacz {args[0]}: {last[0]}")


def validate(package: Path) -> None:
    """``wacz validate -f package``: raises UserError with py-wacz's verdict if it fails."""
    _py_wacz(["validate", "-f", str(package)])


@dataclass(frozen=True)
class WaczSummary:
    records: int
    pages: int
    sha256: str


def export_wacz(
    target: str, warc_dir: str | None, output: str | None, since: str | None, until: str | None
) -> WaczSummary:
    """Write the package of the captures of ``since``..``until`` to ``output`` (and
    ``output.sha256``), replaced as one, never over the archive."""
    if output is None:
        raise UserError("--format wacz needs -o FILE.wacz: a package is a zip file, not a stream")
    try:
        import wacz.main  # noqa: F401
    except ImportError as exc:
        raise UserError(f"--format wacz {NEEDS_EXTRA}") from exc
    files = captures_of(warc_dir)
    path = Path(output)
    with Archive.open_readonly(target) as archive, written.replacing(target) as stage:
        package, checksum = stage(path), stage(Path(f"{path}.sha256"))
        # The copied WARC is as large as the range's captures: beside the output, on its disk.
        with tempfile.TemporaryDirectory(dir=path.parent, prefix=f".{path.name}.") as work:
            warc = Path(work) / f"sxworker-{since or 'first'}-{until or 'last'}.warc.gz"
            try:
                packed = copy_captures(files, warc, since, until)
            except WarcReadError as exc:
                raise UserError(str(exc)) from exc
            pages = Path(work) / "pages.jsonl"
            count = 0
            with pages.open("w", encoding="utf-8") as out:
                out.write(json.dumps(PAGES_HEADER, ensure_ascii=False) + "\n")
                for line in page_lines(archive, packed, since, until):
                    out.write(json.dumps(line, ensure_ascii=False) + "\n")
                    count += 1
            _py_wacz(["create", "-o", str(package), "-p", str(pages), "--copy-pages", str(warc)])
        digest = written.sha256_of(package)
        checksum.write_text(f"{digest}  {path.name}\n", encoding="utf-8")
    return WaczSummary(records=packed.records, pages=count, sha256=digest)
