"""Where an archive lives: a path or URL made an SQLAlchemy engine, with the settings
every connection of that engine gets (SQLite pragmas and search functions, PostgreSQL
read-only for readers), and how it is named where people see it (:func:`shown`: never
with a password)."""

from __future__ import annotations

import os
import re
import sqlite3
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from sxworker import config
from sxworker.archive import search
from sxworker.archive.errors import ArchiveError, unreachable

DEFAULT_DB: str = config.default("SXWORKER_DB")
# user:password@ in a URL SQLAlchemy cannot parse (a bad port, say): the password is
# everything up to the last @ before the host.
_PASSWORD = re.compile(r"(://[^/?#@:]*):[^/?#]*@")


def database_url(target: str) -> str:
    """An SQLAlchemy URL for a file path or a URL given by the user."""
    if "://" in target:
        return target
    return f"sqlite:///{Path(target).expanduser()}"


def shown(target: str) -> str:
    """``target`` (a path or URL) as it may be printed or logged: a URL's password is
    ``***``. Every message and log line that names an archive names it through this."""
    if "://" not in target:
        return target
    try:
        url = make_url(target)
    except (ArgumentError, ValueError):
        return _PASSWORD.sub(r"\1:***@", target)
    return target if url.password is None else url.render_as_string(hide_password=True)


def parse_url(url: str) -> URL:
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as exc:  # ValueError: a port that is not a number
        raise ArchiveError(f"not a database path or URL: {shown(url)}") from exc


def engine_for(url: str) -> Engine:
    """An engine for ``url``; a missing driver is an :class:`ArchiveError`."""
    parse_url(url)
    try:
        engine = create_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise ArchiveError(f"cannot use database {shown(url)}: {exc}") from exc
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
    """An engine that cannot write: SQLite opened as :func:`sqlite_reader_uri` says,
    PostgreSQL transactions READ ONLY. An SQLite file that does not exist is refused,
    never created."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        uri = sqlite_reader_uri(parsed.database or "", target)
        engine = create_engine("sqlite://", creator=lambda: sqlite3.connect(uri, uri=True))
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    engine = engine_for(url)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _set_pg_readonly)
    return engine


def sqlite_reader_uri(database: str, target: str) -> str:
    """The URI every reader opens an SQLite archive through: ``mode=ro``, which reads
    what a crawl has in the write-ahead log too.

    A WAL archive is read through its ``-shm`` index, which SQLite makes beside the file
    when missing (a crawl removes it when it ends). In a folder this user cannot write,
    that fails ("attempt to write a readonly database") unless the ``-wal`` and ``-shm`` a
    running or killed crawl left are there; then the archive is read as ``immutable``
    (no index needed) only when that is safe: no log holds pages the file does not, and
    nobody can change it (its folder is writable by no one: ``chmod a-w``). Otherwise the
    refusal says why, as a permission problem, never as "not an sxworker archive". This is
    the one way readers open an SQLite archive (the CLI, the report, serve)."""
    if not database or database == ":memory:":
        raise ArchiveError(f"no archive at {database or target}")
    path = Path(database)
    try:
        found = path.is_file()
    except PermissionError:
        found = True  # a folder on the way that this user may not look into: said below
    if not found:
        raise ArchiveError(f"no archive at {database}")
    path = path.resolve()  # where SQLite keeps its -wal and -shm: beside the real file
    if not os.access(path, os.R_OK):
        raise ArchiveError(f"cannot read archive {path}: permission denied")
    readonly = f"{path.as_uri()}?mode=ro"
    if os.access(path.parent, os.W_OK | os.X_OK):
        return readonly
    try:
        probe = sqlite3.connect(readonly, uri=True)
        try:
            probe.execute("PRAGMA schema_version").fetchone()  # the first read opens the log
        finally:
            probe.close()
    except sqlite3.Error as exc:
        if not unreachable(exc):
            return readonly  # not a database at all: the schema check says so
        if _unchangeable(path):
            return f"{path.as_uri()}?immutable=1"
        raise ArchiveError(
            f"cannot read archive {path}: SQLite must create {path.name}-shm beside it to read it "
            f"while it can change, and this user cannot write to {path.parent} "
            "(give this user write access there, or read a copy)"
        ) from exc
    return readonly


def _unchangeable(path: Path) -> bool:
    """Whether an SQLite archive is whole in its file and no one can change it: no
    write-ahead log with pages in it, and a folder no one may write in, so no writer can
    make one (a read-only mount is not enough: it may be a view of a folder a crawl
    writes through another)."""
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    return not path.parent.stat().st_mode & 0o222


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
