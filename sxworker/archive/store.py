"""The :class:`Archive`: the one object the other layers open, write and read the archive
through.

It opens the database (:mod:`~sxworker.archive.engines`), brings its schema up to date
(:mod:`~sxworker.archive.migrate`) and holds the transactions; the SQL of each table is in
that table's module (articles, issues, files, ledger, runs, templates, records, summary,
search). Writes are batched: one transaction per batch, ``executemany`` for the rows.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from sxworker.archive import (
    articles,
    engines,
    fixity,
    issues,
    ledger,
    migrate,
    pg_search,
    records,
    runs,
    search,
    summary,
)
from sxworker.archive import files as file_records
from sxworker.archive import templates as template_stats
from sxworker.archive.articles import StoreResult
from sxworker.archive.errors import ArchiveError, first_line, reading_error
from sxworker.archive.statements import dialect_insert


def now_utc() -> str:
    """The archive's timestamps: UTC to the second, ``Z``-suffixed ISO 8601."""
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


class Archive:
    """An open archive. Use :meth:`open` for writing and :meth:`open_readonly` for reading."""

    def __init__(self, engine: Engine, *, readonly: bool) -> None:
        self.engine = engine
        self.readonly = readonly

    # -- opening -----------------------------------------------------------------------

    @classmethod
    def open(cls, target: str) -> Archive:
        """Open for writing, creating the file, its folder and the schema when missing."""
        archive = cls(engines.writable_engine(engines.database_url(target)), readonly=False)
        archive._prepare()
        return archive

    @classmethod
    def open_readonly(cls, target: str) -> Archive:
        """Open an existing archive for reading; never creates or changes anything."""
        archive = cls(engines.readonly_engine(engines.database_url(target), target), readonly=True)
        archive._check_schema(target)
        return archive

    @classmethod
    def upgrade(cls, target: str, revision: str = "head") -> tuple[str | None, str]:
        """Migrate the archive's schema to ``revision``; returns (before, after)."""
        with cls.open_for_upgrade(target) as archive:
            try:
                return migrate.upgrade(archive.engine, revision)
            except DBAPIError as exc:
                message = f"cannot upgrade archive {engines.shown(target)}: {first_line(exc)}"
                raise ArchiveError(message) from exc

    @classmethod
    @contextmanager
    def exclusive_run(cls, target: str) -> Iterator[bool]:
        """On a database server: whether this process alone now runs crawls (or reparse)
        of the archive; it keeps that until the block ends."""
        url = engines.database_url(target)
        engine = engines.engine_for(url)
        # Named by the URL without its password: one lock per archive (database and schema).
        name = make_url(url).render_as_string(hide_password=True)
        try:
            with ExitStack() as stack:
                try:
                    got = stack.enter_context(runs.server_run_lock(engine, name))
                except DBAPIError as exc:
                    raise ArchiveError(f"cannot open archive: {first_line(exc)}") from exc
                yield got
        finally:
            engine.dispose()

    @classmethod
    def open_for_upgrade(cls, target: str) -> Archive:
        """An existing archive, writable, its schema untouched (for :meth:`upgrade`)."""
        return cls(engines.existing_engine(engines.database_url(target), target), readonly=False)

    def _prepare(self) -> None:
        try:
            if self.engine.dialect.name == "sqlite":
                with self.engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA journal_mode = WAL")
            migrate.upgrade(self.engine)
        except DBAPIError as exc:
            raise ArchiveError(f"cannot open archive: {first_line(exc)}") from exc

    def _check_schema(self, target: str) -> None:
        """Read-only: refuse an archive older or newer than this sxworker; write nothing."""
        try:
            with self.engine.connect() as conn:
                migrate.check_current(conn, engines.shown(target))
        except DBAPIError as exc:
            raise reading_error(exc, engines.shown(target)) from exc

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Archive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------
    # An empty batch writes nothing: SQLAlchemy would run an INSERT given no rows once, with
    # no values (and fail on the first NOT NULL column).

    def store_issues(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> None:
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                issues.store_issues(conn, rows, seen_at or now_utc())

    def store_pages(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> None:
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                issues.store_pages(conn, rows, seen_at or now_utc())

    def store_articles(self, rows: Iterable[dict[str, Any]], seen_at: str | None = None) -> StoreResult:
        """Insert new articles, version changed ones, touch unchanged ones — one transaction."""
        batch = articles.batch_of(rows, seen_at or now_utc())
        if not batch:
            return StoreResult()
        with self.engine.begin() as conn:
            return articles.store_batch(conn, batch)

    def fill_page_facts(self, issue_dates: Iterable[str]) -> int:
        """Give articles the facts of their page (scan, URL, label, name) where their own
        view did not show them — e.g. an article teased on page 1 that belongs to page 2."""
        dates = sorted(set(issue_dates))
        if not dates:
            return 0
        with self.engine.begin() as conn:
            return issues.fill_page_facts(conn, dates)

    def store_files(self, rows: Iterable[dict[str, Any]], fetched_at: str | None = None) -> None:
        """Record what became of file URLs (stored, missing or rejected); one transaction."""
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                file_records.store_files(conn, rows, fetched_at or now_utc())

    # -- the ledger and the run log -------------------------------------------------------

    def record_failures(
        self, rows: Iterable[dict[str, Any]], at: str | None = None, *, attempt: bool = True
    ) -> None:
        """Record what could not be fetched or read (one row per URL, attempts counted
        unless ``attempt`` is False)."""
        rows = list(rows)
        if rows:
            with self.engine.begin() as conn:
                insert_stmt = dialect_insert(conn, ledger.failures)
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
            return pg_search.search(self.engine, query, limit=limit, since=since, until=until, order=order)
        return search.search(self.engine, query, limit=limit, since=since, until=until, order=order)

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
        return records.iter_export(self.engine, since, until, page_name, with_evidence=with_evidence)

    def iter_export_lines(
        self,
        since: str | None = None,
        until: str | None = None,
        page_name: str | None = None,
        *,
        with_evidence: bool = False,
    ) -> Iterator[bytes]:
        """:meth:`iter_export` as JSONL lines, byte for byte what ``orjson.dumps`` makes of
        its records, built faster."""
        return records.iter_export_lines(self.engine, since, until, page_name, with_evidence=with_evidence)

    def count_export(
        self, since: str | None = None, until: str | None = None, page_name: str | None = None
    ) -> int:
        with self.engine.connect() as conn:
            return records.count_export(conn, since, until, page_name)

    def stats(self) -> dict[str, Any]:
        """Totals, per-year counts, last crawl and gaps (see :mod:`sxworker.archive.summary`)."""
        return summary.stats(self.engine)

    def articles_by_id(self, article_id: str) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return records.articles_by_id(conn, article_id)

    def counts(self) -> dict[str, Any]:
        """Rows per table and the span of issue dates."""
        with self.engine.connect() as conn:
            return summary.counts(conn)

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

    def page_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return issues.page_rows(conn)

    def issue_rows(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            return issues.issue_rows(conn)

    # -- fixity (sxworker verify; see :mod:`sxworker.archive.fixity`) -------------------------

    def fixity_totals(self) -> dict[str, int]:
        """Articles, versions, stored files and their bytes: what the checks read."""
        with self.engine.connect() as conn:
            return fixity.totals(conn)

    def check_integrity(self) -> fixity.Integrity:
        """The database's own integrity check (SQLite's, or PostgreSQL's amcheck)."""
        return fixity.integrity(self.engine)

    def hash_problems(self, progress: fixity.Progress | None = None) -> Iterator[fixity.Problem]:
        """Articles and versions whose text no longer gives their content_hash."""
        return fixity.hash_problems(self.engine, progress)

    def file_problems(self, store: Path, progress: fixity.Progress | None = None) -> Iterator[fixity.Problem]:
        """Stored files missing from ``store`` or changed there."""
        return fixity.file_problems(self.engine, store, progress)
