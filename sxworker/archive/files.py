"""The ``files`` table: page scans, article pictures and page PDFs kept in FILES_STORE.

The crawl's files pipeline (:mod:`sxworker.crawl.filestore`) writes rows through
:meth:`Archive.store_files`; export reads them back per issue date, merged with the
article stream (two ordered streams, no query per article).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select

from sxworker.archive.schema import files
from sxworker.archive.statements import upsert

KINDS = ("scan", "image", "pdf")
STORED, MISSING, REJECTED = "stored", "missing", "rejected"

# What a stored file looks like in an export record's ``files`` list (INTERFACE.md).
_PUBLIC = ("url", "path", "sha256", "kind")
# Links keep a value already known: an outcome reported without them never erases them.
# On a URL already recorded: its outcome is replaced, its links are kept unless new ones
# are known.
LINKS = ("issue_date", "page_no", "article_id")
OUTCOME = ("kind", "path", "sha256", "bytes", "content_type", "status", "error", "fetched_at")


def file_values(row: dict[str, Any], fetched_at: str) -> dict[str, Any]:
    """A ``files`` row from an outcome dict; unknown keys are ignored, absent ones NULL."""
    values = {column.name: row.get(column.name) for column in files.columns if column.name != "id"}
    values["fetched_at"] = row.get("fetched_at") or fetched_at
    return values


def store_files(conn: Connection, rows: list[dict[str, Any]], fetched_at: str) -> None:
    """Record the outcome of each URL of ``rows``; of two rows for one URL the later wins."""
    # One row per URL per statement: PostgreSQL refuses an upsert touching a row twice.
    values = {row["url"]: file_values(row, fetched_at) for row in rows}
    conn.execute(upsert(conn, files, on=("url",), keep=LINKS, replace=OUTCOME), list(values.values()))


def stored_file(conn: Connection, url: str) -> dict[str, Any] | None:
    """The recorded outcome for ``url``, or None when it was never fetched."""
    row = conn.execute(select(files).where(files.c.url == url)).first()
    return dict(row._mapping) if row is not None else None


def stored_file_at(conn: Connection, path: str) -> dict[str, Any] | None:
    """A stored file kept at ``path`` (under any URL: the same file on another host)."""
    query = select(files).where(files.c.path == path, files.c.status == "stored")
    query = query.order_by(files.c.id).limit(1)
    row = conn.execute(query).first()
    return dict(row._mapping) if row is not None else None


def file_rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(select(files).order_by(files.c.url))]


@dataclass
class DayFiles:
    """The stored files of one issue date, as export needs to find them."""

    by_url: dict[str, dict[str, Any]] = field(default_factory=dict)
    pdfs_by_page: dict[int | None, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, row: dict[str, Any]) -> None:
        public = {name: row[name] for name in _PUBLIC}
        self.by_url[row["url"]] = public
        if row["kind"] == "pdf":
            self.pdfs_by_page.setdefault(row["page_no"], []).append(public)

    def of_article(self, record: dict[str, Any]) -> list[dict[str, Any]]:
        """The files of an article: its page's scan, its page's PDF, then its pictures."""
        found: list[dict[str, Any]] = []
        scan = self.by_url.get(record.get("page_image_url") or "")
        if scan is not None:
            found.append(scan)
        if record.get("page_no") is not None:
            found.extend(self.pdfs_by_page.get(record["page_no"], ()))
        for image in record.get("images") or ():
            stored = self.by_url.get(image.get("url") or "")
            if stored is not None and stored not in found:
                found.append(stored)
        return found


def _stored_query(since: str | None, until: str | None, dates: Iterable[str] | None = None):
    query = select(
        files.c.issue_date, files.c.url, files.c.path, files.c.sha256, files.c.kind, files.c.page_no
    ).where(files.c.status == STORED, files.c.issue_date.is_not(None))
    if since:
        query = query.where(files.c.issue_date >= since)
    if until:
        query = query.where(files.c.issue_date <= until)
    if dates is not None:
        query = query.where(files.c.issue_date.in_(sorted(set(dates))))
    return query.order_by(files.c.issue_date, files.c.id)


def stored_by_date(
    conn: Connection, since: str | None = None, until: str | None = None, dates: Iterable[str] | None = None
) -> Iterator[tuple[str, DayFiles]]:
    """Stored files grouped by issue date, in date order, streamed."""
    result = conn.execution_options(stream_results=True, yield_per=1000).execute(
        _stored_query(since, until, dates)
    )
    rows = (dict(row._mapping) for row in result)
    for issue_date, group in itertools.groupby(rows, key=lambda row: row["issue_date"]):
        day = DayFiles()
        for row in group:
            day.add(row)
        yield issue_date, day


class FilesByDate:
    """Walks the date-ordered groups of :func:`stored_by_date` in step with a date-ordered
    article stream: each group is read once, whatever the number of articles."""

    def __init__(self, groups: Iterator[tuple[str, DayFiles]]) -> None:
        self._groups = groups
        self._ahead = next(groups, None)
        self._date: str | None = None
        self._day: DayFiles | None = None

    def day(self, issue_date: str) -> DayFiles | None:
        if issue_date == self._date:
            return self._day
        self._date, self._day = issue_date, None
        while self._ahead is not None and self._ahead[0] < issue_date:
            self._ahead = next(self._groups, None)
        if self._ahead is not None and self._ahead[0] == issue_date:
            self._day = self._ahead[1]
            self._ahead = next(self._groups, None)
        return self._day
