"""Articles read back as records: the newest version of each, with its archived files,
as export writes them and ``sxworker show`` shows them (the fields of EXPORT_FIELDS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Select, func, select

from sxworker.archive import files as file_records
from sxworker.archive.schema import articles
from sxworker.site.items import EVIDENCE_FIELDS, EXPORT_FIELDS

# ``files`` is not a column of ``articles``: it comes from the files table.
EXPORT_COLUMNS = tuple(name for name in EXPORT_FIELDS if name != "files")


def export_record(row: tuple) -> dict[str, Any]:
    """One article as export writes it, from a row of the EXPORT_COLUMNS in order."""
    record = dict(zip(EXPORT_COLUMNS, row, strict=True))
    record["images"] = orjson.loads(record["images"] or "[]")
    record["files"] = []
    return record


def iter_export(
    engine: Engine,
    since: str | None,
    until: str | None,
    page_name: str | None,
    *,
    with_evidence: bool,
) -> Iterator[dict[str, Any]]:
    """Every article (of the dates and page name given), ordered by issue date, page and
    id; streamed. ``with_evidence`` adds EVIDENCE_FIELDS (evidence decoded)."""
    columns = (*EXPORT_COLUMNS, *EVIDENCE_FIELDS) if with_evidence else EXPORT_COLUMNS
    query = filtered(select(*[articles.c[name] for name in columns]), since, until, page_name)
    query = query.order_by(
        articles.c.issue_date,
        articles.c.page_no.is_(None),
        articles.c.page_no,
        articles.c.article_id,
    )
    with engine.connect() as conn, engine.connect() as files_conn:
        result = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
        # Files come from a second date-ordered stream walked in step with the articles.
        days = file_records.FilesByDate(file_records.stored_by_date(files_conn, since, until))
        for row in result:
            record = export_record(row[: len(EXPORT_COLUMNS)])
            day = days.day(record["issue_date"])
            if day is not None:
                record["files"] = day.of_article(record)
            if with_evidence:
                template, evidence = row[len(EXPORT_COLUMNS) :]
                record["template"] = template
                record["evidence"] = None if evidence is None else orjson.loads(evidence)
            yield record


def count_export(conn: Connection, since: str | None, until: str | None, page_name: str | None) -> int:
    query = filtered(select(func.count()).select_from(articles), since, until, page_name)
    return conn.execute(query).scalar_one()


def articles_by_id(conn: Connection, article_id: str) -> list[dict[str, Any]]:
    """Every article with ``article_id`` (ids recur across the years), oldest issue first."""
    query = (
        select(*[articles.c[name] for name in EXPORT_COLUMNS])
        .where(articles.c.article_id == article_id)
        .order_by(articles.c.issue_date)
    )
    records = [export_record(row) for row in conn.execute(query)]
    days = dict(file_records.stored_by_date(conn, dates=[r["issue_date"] for r in records]))
    for record in records:
        if record["issue_date"] in days:
            record["files"] = days[record["issue_date"]].of_article(record)
    return records


def filtered(query: Select, since: str | None, until: str | None, page_name: str | None) -> Select:
    """``query`` over articles, limited to the issue dates and the page name given."""
    if since:
        query = query.where(articles.c.issue_date >= since)
    if until:
        query = query.where(articles.c.issue_date <= until)
    if page_name:
        query = query.where(articles.c.page_name == page_name)
    return query
