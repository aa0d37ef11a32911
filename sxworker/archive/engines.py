"""Where an archive lives: a path or URL made an SQLAlchemy engine, with the settings
every connection of that engine gets (SQLite pragmas and search functions, PostgreSQL
read-only for readers)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from sxworker import config
from sxworker.archive import search
from sxworker.archive.errors import ArchiveError

DEFAULT_DB: str = config.default("SXWORKER_DB")


def database_url(target: str) -> str:
    """An SQLAlchemy URL for a file path or a URL given by the user."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except ArgumentError as exc:
        raise ArchiveError(f"not a database path or URL: {url}") from exc


def engine_for(url: str) -> Engine:
    """An engine for ``url``; a missing driver is an :class:`ArchiveError`."""
    parse_url(url)
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise ArchiveError(f"cannot use database {url}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def writable_engine(url: str) -> Engine:
    """An engine for writing; an SQLite file's folder is made when missing (SQLite makes
    the file itself)."""
    engine = engine_for(url)
    if engine.dialect.name == "sqlite" and url.startswith("sqlite:///"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    return engine


def existing_engine(url: str, target: str) -> Engine:
    """An engine for an archive that must exist already (an SQLite file is never created)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite" and not Path(parsed.database or "").is_file():
        raise ArchiveError(f"no archive at {parsed.database or target}")
    return engine_for(url)


def readonly_engine(url: str, target: str) -> Engine:
    """An engine that cannot write: SQLite opened ``mode=ro``, PostgreSQL transactions
    READ ONLY. An SQLite file that does not exist is refused, never created."""
    parsed = parse_url(url)
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
        return engine
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _set_pg_readonly)
    return engine


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
