"""Articles read back as records: the newest version of each, with its archived files,
as export writes them and ``sxworker show`` shows them (the fields of EXPORT_FIELDS)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, Select, cast, func, literal, select
from sqlalchemy.types import LargeBinary

from sxworker.archive import files as file_records
from sxworker.archive.schema import articles
from sxworker.site.items import EVIDENCE_FIELDS, EXPORT_FIELDS

# ``files`` is not a column of ``articles``: it comes from the files table.
EXPORT_COLUMNS = tuple(name for name in EXPORT_FIELDS if name != "files")


# The order of schema's ix_articles_export_order, which SQLite walks instead of sorting.
_EXPORT_ORDER = (
    articles.c.issue_date,
    articles.c.page_no.is_(None),
    articles.c.page_no,
    articles.c.article_id,
)


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
    query = query.order_by(*_EXPORT_ORDER)
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


# The JSONL lines are built by SQLite's json_object in two parts around ``images`` (stored as
# json.dumps text, re-encoded here as orjson writes it), then ``files`` is spliced in: the bytes
# orjson.dumps(record) gives, without a str per column, a dict per article or the UTF-8
# decoding and re-encoding of each body (1.3-1.4 x the articles/s: SQLite's own reading of
# the rows is most of what is left, benchmarks/RESULTS.md). json_object escapes strings exactly as orjson does
# (tests/archive/test_export_lines.py checks every character).
_BEFORE_IMAGES = EXPORT_COLUMNS[: EXPORT_COLUMNS.index("images")]
_AFTER_IMAGES = EXPORT_COLUMNS[EXPORT_COLUMNS.index("images") + 1 :]


def _json_object(names: tuple[str, ...]):
    pairs = [part for name in names for part in (literal(name), articles.c[name])]
    return cast(func.json_object(*pairs), LargeBinary)


def iter_export_lines(
    engine: Engine,
    since: str | None,
    until: str | None,
    page_name: str | None,
    *,
    with_evidence: bool,
) -> Iterator[bytes]:
    """What :func:`iter_export` streams, as the JSONL lines ``orjson.dumps`` makes of its
    records (newline included), byte for byte; built by the database where it is SQLite."""
    if engine.dialect.name != "sqlite":
        for record in iter_export(engine, since, until, page_name, with_evidence=with_evidence):
            yield orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        return
    columns = [
        _json_object(_BEFORE_IMAGES),
        articles.c.images,
        _json_object(_AFTER_IMAGES),
        articles.c.issue_date,
        articles.c.page_no,
        articles.c.page_image_url,
    ]
    if with_evidence:
        columns += [articles.c.template, articles.c.evidence]
    query = filtered(select(*columns), since, until, page_name).order_by(*_EXPORT_ORDER)
    with engine.connect() as conn, engine.connect() as files_conn:
        days = file_records.FilesByDate(file_records.stored_by_date(files_conn, since, until))
        result = conn.execute(query)
        # Rows straight from the DBAPI cursor: a SQLAlchemy Row per article costs more than
        # its line (no column of this query has a result processor on SQLite).
        try:
            while rows := result.cursor.fetchmany(1000):
                for row in rows:
                    yield _line(row, days, with_evidence)
        finally:
            result.close()


def _line(row: tuple, days: file_records.FilesByDate, with_evidence: bool) -> bytes:
    before, images, after, issue_date, page_no, page_image_url = row[:6]
    listed = orjson.loads(images or "[]") if images != "[]" else []
    day = days.day(issue_date)
    files = b"[]"
    if day is not None:
        found = day.of_article({"page_no": page_no, "page_image_url": page_image_url, "images": listed})
        files = orjson.dumps(found)
    parts = [before[:-1], b',"images":', orjson.dumps(listed), b",", after[1:-1], b',"files":', files]
    if with_evidence:
        template, evidence = row[6:]
        evidence = None if evidence is None else orjson.loads(evidence)
        parts += [b',"template":', orjson.dumps(template), b',"evidence":', orjson.dumps(evidence)]
    parts.append(b"}\n")
    return b"".join(parts)


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
