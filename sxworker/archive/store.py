"""The archive database: the only module that speaks SQL.

Writes are batched (one transaction per batch, ``executemany`` for the rows), upserts keep
what is already known (a new value never replaces a stored one with NULL), and an article
whose text changed keeps its old text in ``article_versions``.
"""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import (
    Engine,
    bindparam,
    create_engine,
    event,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from sxworker import config
from sxworker.archive import files as file_records
from sxworker.archive import ledger, migrate, pg_search, runs, search, summary
from sxworker.archive import templates as template_stats
from sxworker.archive.schema import (
    article_versions,
    articles,
    issues,
    pages,
)
from sxworker.site.items import EVIDENCE_FIELDS, EXPORT_FIELDS

DEFAULT_DB: str = config.default("SXWORKER_DB")
TEXT_FIELDS = ("kicker", "title", "subtitle", "author", "body", "images")
PAGE_FIELDS = ("page_no", "page_label", "page_name", "page_url", "page_image_url", "issue_number")
_IN_CHUNK = 500


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the message is one line."""


@dataclass
class StoreResult:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def __iadd__(self, other: StoreResult) -> StoreResult:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        return self


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def database_url(target: str) -> str:
    """An SQLAlchemy URL for a file path or a URL given by the user."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def content_hash(row: dict[str, Any]) -> str:
    """A fingerprint of an article's text: what changes when the paper edits it."""
    images = row.get("images") or []
    if isinstance(images, str):
        images = json.loads(images)
    # Picture URLs enter by path only: the same text served under another host or scheme
    # (a mirror, http→https) is not a new version.
    pictures = [[urlsplit(image.get("url") or "").path, image.get("caption")] for image in images]
    payload = [row.get(name) for name in TEXT_FIELDS[:-1]] + [pictures]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def _set_sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets readers (Datasette, the CLI) work while a crawl writes; busy_timeout rides
    # out a reader's lock instead of failing the batch.
    cursor.execute("PRAGMA busy_timeout = 30000")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()
    search.register_functions(dbapi_connection)


def _set_pg_readonly(dbapi_connection, _record) -> None:
    # A reader never writes, whatever a caller tries: every transaction is READ ONLY.
    autocommit = dbapi_connection.autocommit
    dbapi_connection.autocommit = True
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    dbapi_connection.autocommit = autocommit


class Archive:
    """An open archive. Use :meth:`open` for writing and :meth:`open_readonly` for reading."""

    def __init__(self, engine: Engine, *, readonly: bool) -> None:
        self.engine = engine
        self.readonly = readonly

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, target: str) -> Archive:
        """Open for writing, creating the file, its folder and the schema when missing."""
        url = database_url(target)
        engine = cls._engine(url)
        if engine.dialect.name == "sqlite" and url.startswith("sqlite:///"):
            database = make_url(url).database
            if database and database != ":memory:":
                Path(database).parent.mkdir(parents=True, exist_ok=True)
        archive = cls(engine, readonly=False)
        archive._prepare()
        return archive

    @classmethod
    def open_readonly(cls, target: str) -> Archive:
        """Open an existing archive for reading; never creates or changes anything."""
        url = database_url(target)
        parsed = cls._parse(url)
        if parsed.get_backend_name() == "sqlite":
            database = parsed.database or ""
            if not database or database == ":memory:" or not Path(database).is_file():
                raise ArchiveError(f"no archive at {database or target}")
            path = Path(database).resolve()
            engine = create_engine(
                "sqlite://",
                creator=lambda: sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True),
            )
            event.listen(engine, "connect", _set_sqlite_pragmas)
        else:
            engine = cls._engine(url)
            if engine.dialect.name == "postgresql":
                event.listen(engine, "connect", _set_pg_readonly)
        archive = cls(engine, readonly=True)
        archive._check_schema(target)
        return archive

    @classmethod
    def upgrade(cls, target: str, revision: str = "head") -> tuple[str | None, str]:
        """Migrate the archive's schema to ``revision``; returns (before, after)."""
        with cls.open_for_upgrade(target) as archive:
            try:
                return migrate.upgrade(archive.engine, revision)
            except DBAPIError as exc:
                raise ArchiveError(f"cannot upgrade archive: {_first_line(exc)}") from exc

    @classmethod
    @contextmanager
    def exclusive_run(cls, target: str) -> Iterator[bool]:
        """On a database server: whether this process alone now runs crawls (or reparse)
        of the archive; it keeps that until the block ends."""
        url = database_url(target)
        engine = cls._engine(url)
        # Named by the URL without its password: one lock per archive (database and schema).
        name = make_url(url).render_as_string(hide_password=True)
        try:
            with ExitStack() as stack:
                try:
                    got = stack.enter_context(runs.server_run_lock(engine, name))
                except DBAPIError as exc:
                    raise ArchiveError(f"cannot open archive: {_first_line(exc)}") from exc
                yield got
        finally:
            engine.dispose()

    @classmethod
    def open_for_upgrade(cls, target: str) -> Archive:
        """An existing archive, writable, its schema untouched (for :meth:`upgrade`)."""
        url = database_url(target)
        parsed = cls._parse(url)
        if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
            raise ArchiveError(f"no archive at {parsed.database or target}")
        return cls(cls._engine(url), readonly=False)

    @staticmethod
    def _parse(url: str):
        try:
            return make_url(url)
        except ArgumentError as exc:
            raise ArchiveError(f"not a database path or URL: {url}") from exc

    @classmethod
    def _engine(cls, url: str) -> Engine:
        cls._parse(url)
        try:
            engine = create_engine(url)
        except (NoSuchModuleError, ImportError) as exc:
            raise ArchiveError(f"cannot use database {url}: {exc}") from exc
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine

    def _prepare(self) -> None:
        try:
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA journal_mode = WAL")
            migrate.upgrade(self.engine)
        except DBAPIError as exc:
            raise ArchiveError(f"cannot open archive: {_first_line(exc)}") from exc

    def _check_schema(self, target: str) -> None:
        """Read-only: refuse an archive older or newer than this sxworker; write nothing."""
        try:
            with self.engine.connect() as conn:
                migrate.check_current(conn, target)
        except DBAPIError as exc:
            raise ArchiveError(f"not an sxworker archive: {_first_line(exc)}") from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def _insert(self, table):
        if self.engine.dialect.name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as dialect_insert
        else:
            from sqlalchemy.dialects.sqlite import insert as dialect_insert
        return dialect_insert(table)

    def _upsert(
        self, table, *, on: tuple[str, ...], keep: tuple[str, ...] = (), replace: tuple[str, ...] = ()
    ):
        """An INSERT that, for a row already stored (same ``on`` columns), takes the new
        values of ``replace`` and keeps a stored value of ``keep`` where the new one is NULL."""
        stmt = self._insert(table)
        set_ = {name: stmt.excluded[name] for name in replace}
        set_.update({name: func.coalesce(stmt.excluded[name], table.c[name]) for name in keep})
        return stmt.on_conflict_do_update(index_elements=[table.c[name] for name in on], set_=set_)

    def store_issues(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> None:
        rows = list(rows)
        if not rows:
            return
        seen_at = seen_at or now_utc()
        values = [
            {
                "issue_date": row["issue_date"],
                "url": row.get("url"),
                "issue_number": row.get("issue_number"),
                "page_count": row.get("page_count"),
                "first_seen": seen_at,
                "last_seen": seen_at,
            }
            for row in rows
        ]
        stmt = self._upsert(
            issues, on=("issue_date",), keep=("url", "issue_number", "page_count"), replace=("last_seen",)
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, values)

    def store_pages(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> None:
        rows = list(rows)
        if not rows:
            return
        seen_at = seen_at or now_utc()
        values = [
            {
                "issue_date": row["issue_date"],
                "page_key": page_key(row),
                "page_no": row.get("page_no"),
                "page_label": row.get("page_label"),
                "page_name": row.get("page_name"),
                "url": row["url"],
                "scan_url": row.get("scan_url"),
                "pdf_url": row.get("pdf_url"),
                "article_count": row.get("article_count"),
                "article_ids": json.dumps(row["article_ids"]) if row.get("article_ids") else None,
                "first_seen": seen_at,
                "last_seen": seen_at,
            }
            for row in rows
        ]
        stmt = self._upsert(
            pages,
            on=("issue_date", "page_key"),
            keep=_PAGE_KEPT,
            replace=("url", "last_seen"),
        )
        with self.engine.begin() as conn:
            conn.execute(stmt, values)

    def store_articles(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> StoreResult:
        """Insert new articles, version changed ones, touch unchanged ones — one transaction."""
        seen_at = seen_at or now_utc()
        batch: dict[tuple[str, str], dict[str, Any]] = {}
        for row in rows:
            prepared = _article_row(row, seen_at)
            batch[(prepared["issue_date"], prepared["article_id"])] = prepared
        result = StoreResult()
        if not batch:
            return result
        with self.engine.begin() as conn:
            known = self._known(conn, list(batch))
            new, changed, same = [], [], []
            for key, row in batch.items():
                if key in known:
                    _keep_stored_values(row, known[key])
                if key not in known:
                    new.append(row)
                elif known[key]["content_hash"] != row["content_hash"]:
                    changed.append(row)
                else:
                    same.append(row)
            if new:
                conn.execute(insert(articles), new)
                self._index(conn, new)
            if changed:
                self._unindex(conn, changed)
                self._version(conn, changed)
                self._index(conn, changed)
            if same:
                conn.execute(_touch_article, [_update_params(row) for row in same])
        result.new, result.changed, result.unchanged = len(new), len(changed), len(same)
        return result

    def store_files(self, rows: Iterable[dict[str, Any]], fetched_at: str | None = None) -> None:
        """Record what became of file URLs (stored, missing or rejected); one transaction."""
        fetched_at = fetched_at or now_utc()
        # One row per URL per statement: PostgreSQL refuses an upsert touching a row twice.
        values = {row["url"]: file_records.file_values(row, fetched_at) for row in rows}
        if not values:
            return
        with self.engine.begin() as conn:
            stmt = self._upsert(
                file_records.files, on=("url",), keep=file_records.LINKS, replace=file_records.OUTCOME
            )
            conn.execute(stmt, list(values.values()))

    def stored_file(self, url: str) -> dict[str, Any] | None:
        """The ``files`` row of ``url``, or None when it was never fetched."""
        with self.engine.connect() as conn:
            return file_records.stored_file(conn, url)

    def stored_file_at(self, path: str) -> dict[str, Any] | None:
        """A stored file at ``path`` relative to FILES_STORE, whatever URL it came from."""
        with self.engine.connect() as conn:
            return file_records.stored_file_at(conn, path)

    def file_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return file_records.file_rows(conn)

    def _index(self, conn, rows: list[dict[str, Any]]) -> None:
        if self.engine.dialect.name == "sqlite":
            search.index_articles(conn, [(row["issue_date"], row["article_id"]) for row in rows])
        elif self.engine.dialect.name == "postgresql":
            pg_search.index_articles(conn, rows)

    def _unindex(self, conn, rows: list[dict[str, Any]]) -> None:
        if self.engine.dialect.name == "sqlite":
            search.unindex_articles(conn, [(row["issue_date"], row["article_id"]) for row in rows])

    def search(
        self,
        query: str,
        *,
        limit: int = 20,
        since: str | None = None,
        until: str | None = None,
        order: str = "relevance",
    ) -> search.Results:
        """Articles matching every term of ``query`` (any length, Chinese included): best
        first, or newest first (``order="date"``, or a very broad query on SQLite)."""
        if self.engine.dialect.name == "postgresql":
            hits = pg_search.search(self.engine, query, limit=limit, since=since, until=until)
            if order == "date":
                hits = sorted(hits, key=lambda hit: hit.issue_date, reverse=True)
            return search.Results(hits, order)
        return search.search(self.engine, query, limit=limit, since=since, until=until, order=order)

    @staticmethod
    def _known(conn, keys: list[tuple[str, str]]) -> dict[tuple[str, str], dict[str, Any]]:
        """Hash and optional text fields of the stored articles among ``keys``."""
        wanted = set(keys)
        ids = sorted({article_id for _, article_id in keys})
        columns = [articles.c.issue_date, articles.c.article_id, articles.c.content_hash]
        columns += [articles.c[name] for name in _KEPT_WHEN_EMPTY]
        known: dict[tuple[str, str], dict[str, Any]] = {}
        for start in range(0, len(ids), _IN_CHUNK):
            query = select(*columns).where(articles.c.article_id.in_(ids[start : start + _IN_CHUNK]))
            for row in conn.execute(query):
                key = (row.issue_date, row.article_id)
                if key in wanted:
                    known[key] = dict(row._mapping)
        return known

    def _version(self, conn, rows: list[dict[str, Any]]) -> None:
        kept = (*TEXT_FIELDS, "content_hash", "first_seen", "last_seen")
        conn.execute(
            insert(article_versions).from_select(
                ["issue_date", "article_id", "version", *kept],
                select(
                    articles.c.issue_date,
                    articles.c.article_id,
                    articles.c.version,
                    *[articles.c[name] for name in kept],
                ).where(_same_article),
            ),
            [_key_params(row) for row in rows],
        )
        replaced = (*TEXT_FIELDS, "content_hash", "source_url")
        conn.execute(
            _replace_text,
            [{**_update_params(row), **{f"b_{name}": row[name] for name in replaced}} for row in rows],
        )

    def fill_page_facts(self, issue_dates: Iterable[str]) -> int:
        """Give articles the facts of their page (scan, URL, label, name) where their own
        view did not show them — e.g. an article teased on page 1 that belongs to page 2."""
        dates = sorted(set(issue_dates))
        if not dates:
            return 0
        changed = 0
        with self.engine.begin() as conn:
            for start in range(0, len(dates), _IN_CHUNK):
                chunk = dates[start : start + _IN_CHUNK]
                values = {
                    article_column: func.coalesce(
                        articles.c[article_column],
                        select(pages.c[page_column])
                        .where(
                            pages.c.issue_date == articles.c.issue_date, pages.c.page_no == articles.c.page_no
                        )
                        .limit(1)
                        .scalar_subquery(),
                    )
                    for article_column, page_column in _PAGE_FACTS
                }
                missing = or_(*[articles.c[column].is_(None) for column, _ in _PAGE_FACTS])
                result = conn.execute(
                    update(articles)
                    .where(articles.c.issue_date.in_(chunk), articles.c.page_no.is_not(None), missing)
                    .values(**values)
                )
                changed += result.rowcount or 0
        return changed

    # -- the ledger and the run log -------------------------------------------------------

    def record_failures(
        self, rows: Iterable[dict[str, Any]], at: str | None = None, *, attempt: bool = True
    ) -> None:
        """Record what could not be fetched or read (one row per URL, attempts counted
        unless ``attempt`` is False)."""
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                insert_stmt = self._insert(ledger.failures)
                ledger.record_failures(conn, insert_stmt, rows, at or now_utc(), attempt=attempt)

    def resolve_failures(self, urls: Iterable[str], at: str | None = None) -> int:
        with self.engine.begin() as conn:
            return ledger.resolve_failures(conn, urls, at or now_utc())

    def open_failures(
        self,
        *,
        kinds: Iterable[str] | None = None,
        max_attempts: int | None = None,
        limit: int | None = None,
        since: str | None = None,
        until: str | None = None,
    ) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return ledger.open_failures(
                conn, kinds=kinds, max_attempts=max_attempts, limit=limit, since=since, until=until
            )

    def stored_article_ids(self, issue_date: str) -> set[str]:
        with self.engine.connect() as conn:
            return ledger.stored_article_ids(conn, issue_date)

    def issue_complete(self, issue_date: str, max_attempts: int | None = None) -> bool:
        with self.engine.connect() as conn:
            return ledger.issue_complete(conn, issue_date, max_attempts)

    def newest_issue_date(self) -> str | None:
        with self.engine.connect() as conn:
            return ledger.newest_issue_date(conn)

    def fill_rates_by_year(self, fields: Iterable[str]) -> dict[str, tuple[int, dict[str, float]]]:
        with self.engine.connect() as conn:
            return ledger.fill_rates_by_year(conn, fields)

    def fill_rates_by_template(self, fields: Iterable[str]) -> dict[str, tuple[int, dict[str, float]]]:
        with self.engine.connect() as conn:
            return template_stats.fill_rates_by_template(conn, fields)

    def templates(self, order: str = "newest") -> list[dict[str, Any]]:
        """The article templates held: counts, span, fill rates, common values (see
        :mod:`sxworker.archive.templates`)."""
        with self.engine.connect() as conn:
            return template_stats.summaries(conn, order)

    def gaps(self, since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return ledger.gaps(conn, since, until)

    def start_run(self, **details: Any) -> int:
        """Open a ``crawl_runs`` row; this host's earlier runs left 'running' by a dead
        process become 'killed'."""
        host = socket.gethostname()
        with self.engine.begin() as conn:
            runs.mark_dead_runs(conn, host)
            return runs.start_run(conn, started_at=now_utc(), pid=os.getpid(), host=host, **details)

    def finish_run(self, run_id: int, **details: Any) -> None:
        with self.engine.begin() as conn:
            runs.finish_run(conn, run_id, finished_at=now_utc(), **details)

    def recent_runs(self, limit: int = 20) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return runs.recent_runs(conn, limit)

    # -- reading -----------------------------------------------------------------------

    def iter_export(
        self,
        since: str | None = None,
        until: str | None = None,
        page_name: str | None = None,
        *,
        with_evidence: bool = False,
    ) -> Iterator[dict[str, Any]]:
        """Every article, newest version, ordered by issue date, page and id; streamed.
        ``with_evidence`` adds EVIDENCE_FIELDS (evidence decoded) after the others."""
        columns = (*_EXPORT_COLUMNS, *EVIDENCE_FIELDS) if with_evidence else _EXPORT_COLUMNS
        query = _filtered(select(*[articles.c[name] for name in columns]), since, until, page_name)
        query = query.order_by(
            articles.c.issue_date,
            articles.c.page_no.is_(None),
            articles.c.page_no,
            articles.c.article_id,
        )
        with self.engine.connect() as conn, self.engine.connect() as files_conn:
            result = conn.execution_options(stream_results=True, yield_per=1000).execute(query)
            # Files come from a second date-ordered stream walked in step with the articles.
            days = file_records.FilesByDate(file_records.stored_by_date(files_conn, since, until))
            for row in result:
                record = export_record(row[: len(_EXPORT_COLUMNS)])
                day = days.day(record["issue_date"])
                if day is not None:
                    record["files"] = day.of_article(record)
                if with_evidence:
                    template, evidence = row[len(_EXPORT_COLUMNS) :]
                    record["template"] = template
                    record["evidence"] = None if evidence is None else orjson.loads(evidence)
                yield record

    def count_export(
        self, since: str | None = None, until: str | None = None, page_name: str | None = None
    ) -> int:
        query = _filtered(select(func.count()).select_from(articles), since, until, page_name)
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def stats(self) -> dict[str, Any]:
        """Totals, per-year counts, last crawl and gaps (see :mod:`sxworker.archive.summary`)."""
        return summary.stats(self.engine)

    def articles_by_id(self, article_id: str) -> list[dict[str, Any]]:
        query = (
            select(*[articles.c[name] for name in _EXPORT_COLUMNS])
            .where(articles.c.article_id == article_id)
            .order_by(articles.c.issue_date)
        )
        with self.engine.connect() as conn:
            records = [export_record(row) for row in conn.execute(query)]
            days = dict(file_records.stored_by_date(conn, dates=[r["issue_date"] for r in records]))
        for record in records:
            if record["issue_date"] in days:
                record["files"] = days[record["issue_date"]].of_article(record)
        return records

    def counts(self) -> dict[str, Any]:
        """Rows per table and the span of issue dates."""
        with self.engine.connect() as conn:
            return summary.counts(conn)

    def page_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [
                dict(row._mapping)
                for row in conn.execute(
                    select(pages).order_by(pages.c.issue_date, pages.c.page_no, pages.c.page_key)
                )
            ]

    def issue_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(select(issues).order_by(issues.c.issue_date))]


# What a later view of a page that lacks it never erases.
_PAGE_KEPT = ("page_no", "page_label", "page_name", "scan_url", "pdf_url", "article_count", "article_ids")

_PAGE_FACTS = (
    ("page_image_url", "scan_url"),
    ("page_url", "url"),
    ("page_label", "page_label"),
    ("page_name", "page_name"),
)

_EXPORT_COLUMNS = tuple(name for name in EXPORT_FIELDS if name != "files")

_same_article = (articles.c.issue_date == bindparam("b_issue_date")) & (
    articles.c.article_id == bindparam("b_article_id")
)

# The newest reading (template, evidence) replaces the stored one, also when the text is
# unchanged — a reparse after a parser upgrade fills them in — but None never erases one.
_KEPT_FIELDS = (*PAGE_FIELDS, *EVIDENCE_FIELDS)

_touch_article = (
    update(articles)
    .where(_same_article)
    .values(
        url=bindparam("b_url"),
        last_seen=bindparam("b_last_seen"),
        **{name: func.coalesce(bindparam(f"b_{name}"), articles.c[name]) for name in _KEPT_FIELDS},
    )
)

_replace_text = (
    update(articles)
    .where(_same_article)
    .values(
        url=bindparam("b_url"),
        last_seen=bindparam("b_last_seen"),
        version=articles.c.version + 1,
        **{name: func.coalesce(bindparam(f"b_{name}"), articles.c[name]) for name in _KEPT_FIELDS},
        **{name: bindparam(f"b_{name}") for name in (*TEXT_FIELDS, "content_hash", "source_url")},
    )
)


def _filtered(query, since: str | None, until: str | None, page_name: str | None):
    if since:
        query = query.where(articles.c.issue_date >= since)
    if until:
        query = query.where(articles.c.issue_date <= until)
    if page_name:
        query = query.where(articles.c.page_name == page_name)
    return query


def _key_params(row: dict[str, Any]) -> dict[str, Any]:
    return {"b_issue_date": row["issue_date"], "b_article_id": row["article_id"]}


def _update_params(row: dict[str, Any]) -> dict[str, Any]:
    params = {f"b_{name}": row.get(name) for name in _KEPT_FIELDS}
    params.update(_key_params(row))
    params["b_url"] = row["url"]
    params["b_last_seen"] = row["last_seen"]
    return params


# Optional fields a later view of an article may lack (a page served without its byline
# or pictures): the stored value stays, so a re-fetch never blanks what the archive had.
_KEPT_WHEN_EMPTY = ("kicker", "subtitle", "author", "images")


def _keep_stored_values(row: dict[str, Any], stored: dict[str, Any]) -> None:
    """Fill the row's empty optional fields from the stored article, and hash it again."""
    merged = False
    for name in _KEPT_WHEN_EMPTY:
        empty = row[name] in (None, "[]")
        if empty and stored[name] not in (None, "[]"):
            row[name] = stored[name]
            merged = True
    if merged:
        row["content_hash"] = content_hash(row)


def _article_row(row: dict[str, Any], seen_at: str) -> dict[str, Any]:
    images = row.get("images") or []
    values = {column.name: row.get(column.name) for column in articles.columns if column.name != "id"}
    values["images"] = json.dumps(images, ensure_ascii=False)
    evidence = row.get("evidence")
    values["evidence"] = None if evidence is None else json.dumps(evidence, ensure_ascii=False)
    values["content_hash"] = content_hash({**row, "images": images})
    values["search_key"] = search.search_key(row["issue_date"], row["article_id"])
    values["version"] = 1
    values["first_seen"] = seen_at
    values["last_seen"] = seen_at
    return values


def page_key(row: dict[str, Any]) -> str:
    if row.get("page_no") is not None:
        return f"no:{row['page_no']}"
    if row.get("page_label"):
        return f"label:{row['page_label']}"
    return f"url:{row['url']}"


def export_record(row: tuple) -> dict[str, Any]:
    """One article as export writes it, from a row of the _EXPORT_COLUMNS in order."""
    record = dict(zip(_EXPORT_COLUMNS, row, strict=True))
    record["images"] = orjson.loads(record["images"] or "[]")
    record["files"] = []
    return record


def _first_line(exc: BaseException) -> str:
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__
