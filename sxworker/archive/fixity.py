"""Fixity: whether the archive still holds what was stored (``sxworker verify``).

Three checks of the database and what it describes, each reading only: the database's own
integrity check (SQLite's ``PRAGMA integrity_check``; PostgreSQL's ``amcheck`` extension
where it is installed), every article's and every earlier version's ``content_hash``
recomputed from its text with :func:`~sxworker.archive.articles.content_hash`, and every
stored file's size and SHA-256 against the file in FILES_STORE. Each finding is a
:class:`Problem`; the WARC captures are checked on the research side (they are the crawl's).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from sxworker.archive.articles import TEXT_FIELDS, content_hash
from sxworker.archive.errors import first_line, unreachable
from sxworker.archive.files import STORED
from sxworker.archive.schema import article_versions, articles, files

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Problem:
    """One thing found wrong: its kind (``database``, ``article``, ``version``, ``file``,
    ``warc``), which one, what is wrong, and what was expected and found instead."""

    kind: str
    subject: str
    what: str
    expected: str | None = None
    found: str | None = None

    def line(self) -> str:
        text = f"{self.kind} {self.subject}: {self.what}"
        if self.expected is not None or self.found is not None:
            text += f": expected {self.expected}, found {self.found}"
        return text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Integrity:
    """What the database's own integrity check was and found; ``note`` says why it could
    not be made (``checked`` False)."""

    method: str
    checked: bool = True
    problems: list[Problem] = field(default_factory=list)
    note: str | None = None


def totals(conn: Connection) -> dict[str, int]:
    """How much the checks read: articles, versions, stored files and their bytes."""
    stored = select(func.count(), func.coalesce(func.sum(files.c.bytes), 0)).where(files.c.status == STORED)
    count, size = conn.execute(stored).one()
    return {
        "articles": conn.execute(select(func.count()).select_from(articles)).scalar_one(),
        "versions": conn.execute(select(func.count()).select_from(article_versions)).scalar_one(),
        "files": count,
        "file_bytes": int(size),
    }


# -- the database's own check --------------------------------------------------------------


def integrity(engine: Engine) -> Integrity:
    if engine.dialect.name == "sqlite":
        return _sqlite_integrity(engine)
    if engine.dialect.name == "postgresql":
        return _pg_integrity(engine)
    return Integrity(engine.dialect.name, checked=False, note=f"no integrity check for {engine.dialect.name}")


def _sqlite_integrity(engine: Engine) -> Integrity:
    # Pages, b-trees, indexes and constraints; the FTS5 index's own 'integrity-check' is an
    # INSERT, which a read-only connection cannot run, so its text is checked by the hashes.
    result = Integrity("SQLite PRAGMA integrity_check")
    try:
        with engine.connect() as conn:
            messages = [message for (message,) in conn.exec_driver_sql("PRAGMA integrity_check")]
    except DBAPIError as exc:  # damage bad enough that the check itself fails
        messages = [first_line(exc)]
    result.problems = [Problem("database", "integrity_check", text) for text in messages if text != "ok"]
    return result


_AMCHECK_SCHEMA = """
SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE e.extname = 'amcheck'
"""
# The archive's relations: those of the schema its connections use (search_path).
_BTREE_INDEXES = """
SELECT c.oid, c.relname FROM pg_class c JOIN pg_am a ON a.oid = c.relam
WHERE c.relkind = 'i' AND a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace
ORDER BY c.relname
"""
_TABLES = """
SELECT c.oid, c.relname FROM pg_class c
WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace ORDER BY c.relname
"""


def _pg_integrity(engine: Engine) -> Integrity:
    """amcheck: every B-tree index checked against its table (``bt_index_check`` with
    ``heapallindexed``), and every table's pages (``verify_heapam``, amcheck 1.3+)."""
    result = Integrity("PostgreSQL amcheck")
    with engine.connect() as conn:
        schema = conn.execute(text(_AMCHECK_SCHEMA)).scalar()
        if schema is None:
            result.checked = False
            result.note = (
                "the amcheck extension is not installed in this database "
                "(a superuser's CREATE EXTENSION amcheck lets verify check its indexes and tables)"
            )
            return result
        where = conn.dialect.identifier_preparer.quote_identifier(schema)
        indexes = conn.execute(text(_BTREE_INDEXES)).all()
        tables = conn.execute(text(_TABLES)).all()
        has_heapam = conn.execute(text(f"SELECT to_regproc('{where}.verify_heapam')")).scalar() is not None
    checks = [
        (f"index {name}", f"SELECT {where}.bt_index_check(CAST(CAST(:oid AS oid) AS regclass), true)", oid)
        for oid, name in indexes
    ]
    result.method += f" ({len(indexes)} indexes" + (f", {len(tables)} tables)" if has_heapam else ")")
    if has_heapam:
        checks += [
            (
                f"table {name}",
                f"SELECT blkno, offnum, msg FROM {where}.verify_heapam(CAST(CAST(:oid AS oid) AS regclass))",
                oid,
            )
            for oid, name in tables
        ]
    for subject, query, oid in checks:
        # A connection per relation: a corrupt one aborts its transaction, not the others'.
        with engine.connect() as conn:
            try:
                rows = conn.execute(text(query), {"oid": oid}).all()
            except DBAPIError as exc:
                if unreachable(exc):  # amcheck is the superuser's unless EXECUTE is granted
                    result.checked = False
                    result.note = f"amcheck could not be run: {first_line(exc)}"
                    return result
                result.problems.append(Problem("database", subject, first_line(exc)))
                continue
        for row in rows if subject.startswith("table ") else ():
            result.problems.append(Problem("database", subject, f"block {row[0]}, tuple {row[1]}: {row[2]}"))
    return result


# -- content hashes ------------------------------------------------------------------------

_HASHED = [*TEXT_FIELDS, "content_hash"]


def hash_problems(engine: Engine, progress: Progress | None = None) -> Iterator[Problem]:
    """Every article, then every earlier version, whose text no longer gives its recorded
    ``content_hash``; streamed, ``progress`` told each thousand rows read."""
    current = select(articles.c.issue_date, articles.c.article_id, articles.c.version, *_columns(articles))
    earlier = select(
        article_versions.c.issue_date,
        article_versions.c.article_id,
        article_versions.c.version,
        *_columns(article_versions),
    )
    for kind, query, table in (("article", current, articles), ("version", earlier, article_versions)):
        query = query.order_by(table.c.issue_date, table.c.article_id, table.c.version)
        with engine.connect() as conn:
            done = 0
            for row in conn.execution_options(stream_results=True, yield_per=1000).execute(query):
                record = dict(row._mapping)
                found = content_hash(record)
                if found != record["content_hash"]:
                    yield _hash_problem(kind, record, found)
                done += 1
                if progress is not None and done % 1000 == 0:
                    progress(1000)
            if progress is not None:
                progress(done % 1000)


def _columns(table: Any) -> list[Any]:
    return [table.c[name] for name in _HASHED]


def _hash_problem(kind: str, record: dict[str, Any], found: str) -> Problem:
    article = f"{record['issue_date']}/{record['article_id']}"
    subject = article if kind == "article" else f"{article} (version {record['version']})"
    return Problem(kind, subject, "text does not give its content_hash", record["content_hash"], found)


# -- stored files --------------------------------------------------------------------------


def file_problems(engine: Engine, store: Path, progress: Progress | None = None) -> Iterator[Problem]:
    """Every stored file whose file in ``store`` is missing or has another size or SHA-256
    than its ``files`` row records; ``progress`` told the bytes read. A path shared by
    several rows (one file under several URLs) is read once."""
    query = (
        select(files.c.path, files.c.sha256, files.c.bytes, files.c.issue_date)
        .where(files.c.status == STORED)
        .order_by(files.c.path, files.c.id)
    )
    with engine.connect() as conn:
        if not store.is_dir():
            stored = conn.execute(select(func.count()).where(files.c.status == STORED)).scalar_one()
            if stored:
                yield Problem("file", str(store), f"no such folder: none of {stored} stored files checked")
            return
        last: tuple[str, Read] | None = None
        seen: set[Problem] = set()
        for path, sha256, size, issue_date in conn.execution_options(stream_results=True).execute(query):
            if last is None or last[0] != path:
                last = (path, _read(store, path, progress))
            subject = f"{path} (issue {issue_date})" if issue_date else str(path)
            problem = _compare(subject, last[1], size, sha256)
            if problem is not None and problem not in seen:
                seen.add(problem)
                yield problem


_MISSING = "missing"
# What reading a stored file gave: (size, SHA-256), or why it could not be read.
Read = tuple[int, str] | str


def _read(store: Path, relative: str | None, progress: Progress | None) -> Read:
    parts = PurePosixPath(relative or "").parts
    if not parts or parts[0] == "/" or ".." in parts:
        # The crawl never writes outside FILES_STORE (crawl/filestore.py); a row that says
        # otherwise is not followed there.
        return "its path is not inside FILES_STORE"
    digest = hashlib.sha256()
    size = 0
    try:
        with store.joinpath(*parts).open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
                size += len(block)
                if progress is not None:
                    progress(len(block))
    except FileNotFoundError:
        return _MISSING
    except OSError as exc:
        return f"cannot be read: {exc.strerror or exc}"
    return size, digest.hexdigest()


def _compare(subject: str, read: Read, size: int | None, sha256: str | None) -> Problem | None:
    recorded = f"{size} bytes, sha256 {sha256}"
    if read == _MISSING:
        return Problem("file", subject, "missing from FILES_STORE", recorded, "no file")
    if isinstance(read, str):
        return Problem("file", subject, read)
    found_size, found_sha = read
    if size != found_size or sha256 != found_sha:
        what = "size and sha256 differ" if size != found_size else "sha256 differs"
        return Problem("file", subject, what, recorded, f"{found_size} bytes, sha256 {found_sha}")
    return None
