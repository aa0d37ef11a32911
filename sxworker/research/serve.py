"""``sxworker serve``: browse the archive in Datasette, read-only.

The archive is opened as every reader opens it (:meth:`Archive.open_readonly`: current,
write-ahead log included; an older or newer schema refused) and served under the name
``archive`` (:mod:`sxworker.research.datasette_archive`), with metadata describing its
tables and columns, facets on the articles table and a ``search`` canned query that
understands Chinese (see :mod:`sxworker.research.datasette_plugin`).
"""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from sxworker.archive import Archive, ArchiveError, database_url
from sxworker.archive.fulltext import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from sxworker.archive.search import RANK_LIMIT
from sxworker.archive.templates import TEMPLATE_FIELDS
from sxworker.archive.trends import per_year_sql
from sxworker.site.items import CITATION_FIELDS, FIELDS
from sxworker.site.urls import DEFAULT_BASE_URL

DATABASE_NAME = "archive"
SOURCE_URL = DEFAULT_BASE_URL
# row-archive-articles.html: the article page with how to cite it (datasette_plugin).
TEMPLATES = Path(__file__).with_name("templates")

# Ranks the RANK_LIMIT newest matches, not all of them: the index's rowid is date-ordered,
# so those are read straight off it, where ranking every match of a broad query ("工会")
# took 0.15 s at 100,000 articles (0.5 s at 300,000) against 0.015 s this way.
SEARCH_SQL = (
    "select a.article_id, a.issue_date, a.page_no, a.page_name, a.title, a.author,"
    " substr(a.body, 1, 120) as excerpt"
    " from (select rowid, rank from articles_fts where articles_fts match sxworker_fts(:q)"
    f" order by rowid desc limit {RANK_LIMIT}) as m"
    " join articles a on a.search_key = m.rowid"
    " order by m.rank limit 100"
)

PER_YEAR_SQL = (
    "select substr(issue_date, 1, 4) as year, count(*) as articles,"
    " count(distinct issue_date) as issues"
    " from articles group by year order by year"
)

# Columns of the articles table that hold JSON text.
_JSON_COLUMNS = ("images", "evidence")


def _described(name: str) -> str:
    """An article field's meaning (sxworker.site.items.FIELDS) as a column description."""
    meaning = FIELDS[name]
    return f"JSON: {meaning}." if name in _JSON_COLUMNS else f"{meaning[:1].upper()}{meaning[1:]}."


# The article fields (less ``files``, a table of its own, and the citation export makes),
# plus the archive's own columns.
ARTICLE_COLUMNS = {
    "id": "Row id in this archive.",
    "search_key": "Issue date and id as one date-ordered number (the rowid of articles_fts).",
    **{name: _described(name) for name in FIELDS if name not in ("files", *CITATION_FIELDS)},
    "source_url": "The URL the text was actually fetched from (desktop or mobile form).",
    "filled": "Which fields the article has, one bit each (the fill rates of sxworker templates): "
    + ", ".join(f"{name} {1 << bit}" for bit, name in enumerate(TEMPLATE_FIELDS))
    + ".",
}

ISSUE_COLUMNS = {
    "issue_date": "YYYY-MM-DD, the date of the issue.",
    "url": "URL of the issue's first page.",
    "issue_number": "期号, the issue number printed on the paper.",
    "page_count": "Pages (版) the issue has.",
    "first_seen": "When the crawler first saw this issue (UTC).",
    "last_seen": "When the crawler last saw this issue (UTC).",
}

PAGE_COLUMNS = {
    "issue_date": "YYYY-MM-DD, the date of the issue.",
    "page_key": "The page number when printed, else its label or URL: one row per page.",
    "page_no": "版次 as a number.",
    "page_label": "版次 as printed.",
    "page_name": "版名, e.g. 综合新闻, 头版.",
    "url": "URL of the page.",
    "scan_url": "URL of the page scan.",
    "pdf_url": "URL of the page as PDF, where the site offers one.",
    "article_count": "Articles listed on the page.",
    "article_ids": "JSON list of the ids of this issue's articles the page links (the completeness ledger).",
    "first_seen": "When the crawler first saw this page (UTC).",
    "last_seen": "When the crawler last saw this page (UTC).",
}

VERSION_COLUMNS = {
    "issue_date": "Issue date of the article.",
    "article_id": "Id of the article (with issue_date, the key into articles).",
    "version": "Which version of the text this was.",
    "first_seen": "When this text was first seen (UTC).",
    "last_seen": "When this text was last seen (UTC).",
}


FILE_COLUMNS = {
    "url": "URL the file was fetched from.",
    "kind": "scan (版面图), image (a picture in an article) or pdf (版面 PDF).",
    "path": "Where it is kept, relative to FILES_STORE, mirroring the URL path; empty unless stored.",
    "sha256": "SHA-256 of the stored bytes.",
    "bytes": "Size of the stored file.",
    "content_type": "The type the bytes show (image/jpeg, application/pdf, …).",
    "status": "stored, missing (no usable answer) or rejected (not what the URL should hold).",
    "error": "Why it is missing or rejected.",
    "fetched_at": "When it was last fetched or tried (UTC).",
}

FAILURE_COLUMNS = {
    "url": "What could not be fetched or read.",
    "target": "The URL's path and query: the same failure on any mirror.",
    "kind": "article, page, scan, image or pdf.",
    "status": "HTTP status, when there was one.",
    "error": "What went wrong (timeout, HTTP 404, not an HTML page, no title found, …).",
    "attempts": "How many runs tried it.",
    "first_failed": "When it first failed (UTC).",
    "last_try": "When it was last tried (UTC).",
    "resolved_at": "When it was stored after all; empty while still open.",
}

RUN_COLUMNS = {
    "mode": "scheduled (latest issue + re-check window) or range (start/end given).",
    "range_start": "First issue date of the run's range.",
    "range_end": "Last issue date of the run's range.",
    "args": "The run's arguments and notable settings (JSON).",
    "requests": "HTTP requests made.",
    "articles_skipped": "Stored articles not fetched again (outside the re-check window).",
    "failed": "Pages and articles that failed (see failures).",
    "invalid": "Articles read without a title or text.",
    "finish_reason": "Scrapy's finish reason (finished, shutdown, layout_changed, …).",
    "outcome": "ok, failures, layout-alarm, interrupted, killed or error.",
    "fill_rates": "Share of the run's articles with title, body, date and page (JSON).",
    "message": "The layout alarm's message, when it fired.",
    "host": "The machine the run ran on.",
    "pid": "Its process id there ('running' with no such process: the run was killed).",
}


def build_metadata(title: str = "陕西工人报 archive") -> dict[str, Any]:
    """Datasette metadata for an sxworker archive served as ``archive``."""
    return {
        "title": title,
        "description": (
            "Articles of 陕西工人报 (Shaanxi Workers' Daily), the provincial trade-union newspaper, "
            "as crawled by sxworker. Search Chinese with the “search” query: 1- and 2-character "
            "words (工会, 党) work."
        ),
        "source": "szb.sxworker.com — 陕西工人报 e-paper",
        "source_url": SOURCE_URL,
        "license": "Texts © 陕西工人报; archived for research. Check the rights before republishing.",
        "plugins": {"sxworker": {"read_only": True}},
        "databases": {
            DATABASE_NAME: {
                "description": "One row per article (newest text), per page and per issue.",
                "plugins": {"sxworker": {"search_query": "search"}},
                "tables": {
                    "articles": {
                        "description": (
                            "One row per article, newest text; earlier texts are in article_versions. "
                            "Search: use the search query (the table search box leads there)."
                        ),
                        "sort": "issue_date",
                        "facets": ["page_name", "author"],
                        "label_column": "title",
                        "columns": ARTICLE_COLUMNS,
                    },
                    "issues": {
                        "description": "One row per issue (期) found.",
                        "sort": "issue_date",
                        "columns": ISSUE_COLUMNS,
                    },
                    "pages": {
                        "description": "One row per page (版) of an issue.",
                        "sort": "issue_date",
                        "facets": ["page_name"],
                        "columns": PAGE_COLUMNS,
                    },
                    "article_versions": {
                        "description": "Earlier texts of articles the paper edited after first publication.",
                        "columns": VERSION_COLUMNS,
                    },
                    "files": {
                        "description": "Page scans, pictures and page PDFs downloaded into FILES_STORE.",
                        "sort": "url",
                        "facets": ["kind", "status"],
                        "columns": FILE_COLUMNS,
                    },
                    "failures": {
                        "description": (
                            "What crawls could not fetch or read; the next crawl retries the open ones."
                        ),
                        "sort_desc": "last_try",
                        "facets": ["kind", "error"],
                        "columns": FAILURE_COLUMNS,
                    },
                    "crawl_runs": {
                        "description": "One row per crawl: what it was asked, what it did, how it ended.",
                        "sort_desc": "id",
                        "facets": ["outcome"],
                        "columns": RUN_COLUMNS,
                    },
                    "sxworker_meta": {"hidden": True},
                },
                "queries": {
                    "search": {
                        "title": "Search articles (全文检索)",
                        "description": (
                            "Full-text search over title, subtitle, kicker, author and body. Words are "
                            "separated by spaces and all must occur; punctuation is searched literally. "
                            f"At most {MAX_QUERY_WORDS} words and {MAX_QUERY_CHARS} characters. "
                            f"The best 100 of the {RANK_LIMIT:,} newest matches are shown: for older "
                            "articles of a common word, add another word (or use sxworker search --until)."
                        ),
                        "sql": SEARCH_SQL,
                        "params": ["q"],
                    },
                    "articles_per_year": {
                        "title": "Articles and issues per year",
                        "sql": PER_YEAR_SQL,
                    },
                    "trend": {
                        "title": "A word's share of each year's articles (词频趋势)",
                        "description": (
                            "Per year: the articles the search query finds for q, all articles, and "
                            "their share (empty for a year without articles), as sxworker trend counts."
                        ),
                        "sql": per_year_sql("sxworker_fts(:q)"),
                        "params": ["q"],
                    },
                },
            }
        },
    }


def archive_path(target: str) -> Path:
    """The SQLite file behind ``target``; a file that is not SQLite at all is refused on
    its header, before SQLite opens it."""
    url = database_url(target)
    if make_url(url).get_backend_name() != "sqlite":
        raise ArchiveError("serve needs an SQLite archive file (Datasette does not read PostgreSQL)")
    path = Path(make_url(url).database or "").expanduser()
    if not path.is_file():
        raise ArchiveError(f"no archive at {path}")
    with path.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            raise ArchiveError(f"not an SQLite archive: {path}")
    return path.resolve()


class ServeError(Exception):
    """Serving cannot start (the address is taken, say); the message is one line."""


def make_datasette(archive: Archive, path: Path):
    """A Datasette over one archive, read through ``archive`` (opened read-only)."""
    from datasette.app import Datasette
    from datasette.plugins import pm

    from sxworker.research import datasette_plugin
    from sxworker.research.datasette_archive import ArchiveDatabase

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name=datasette_plugin.PLUGIN_NAME)
    # Datasette's error handler prints every error it answers with rich when rich is
    # installed (sxworker's tables need it), with the locals of each frame; rich refuses an
    # error that is not being handled, which turns the 404 of a URL no route matches
    # (…/-/insert) into a 500. Without it, Datasette prints the traceback of a server error only.
    errors = pm.get_plugin("datasette.handle_exception")
    if errors is not None:
        errors.rich = None
    datasette = Datasette(
        [],
        metadata=build_metadata(),
        # No facet suggestions: each is a query over every article of the table cut off at
        # its time limit, some 70 of them per page of articles — 3 s at 30,000 articles.
        settings={"facet_time_limit_ms": 1000, "sql_time_limit_ms": 3000, "suggest_facets": False},
        template_dir=str(TEMPLATES),
    )
    datasette.add_database(ArchiveDatabase(datasette, archive, path), name=DATABASE_NAME)
    return datasette


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on host:port (port 0: any free one), or a one-line ServeError."""
    try:
        family, kind, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        sock = socket.socket(family, kind)
    except OSError as exc:
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    try:
        # As uvicorn does: a port left in TIME_WAIT by a server just stopped is free again.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen()
    except OSError as exc:
        sock.close()
        raise ServeError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    return sock


def serve(target: str, host: str, port: int) -> None:
    """Serve the archive until interrupted. Everything that can fail before serving (the
    archive, its schema, its tables, the address) fails before "serving … at" is printed."""
    import uvicorn

    path = archive_path(target)
    with Archive.open_readonly(target) as archive:
        # Reads the tables Datasette shows first: a damaged file is refused here, in one line.
        totals = archive.counts()
        datasette = make_datasette(archive, path)
        with listen(host, port) as sock:
            shown_host = f"[{host}]" if ":" in host else host
            print(
                f"sxworker: serving {path} read-only at http://{shown_host}:{sock.getsockname()[1]}"
                f"/{DATABASE_NAME} ({totals['articles']:,} articles, {totals['issues']:,} issues)",
                flush=True,
            )
            config = uvicorn.Config(datasette.app(), log_level="warning", lifespan="on")
            uvicorn.Server(config).run(sockets=[sock])
