"""The archive's one error type, and how a database error becomes its one-line message.

It sits below every other archive module (it imports none of them), so that the schema
migrations and the facade alike can raise it.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the message is one line."""


def first_line(exc: BaseException) -> str:
    """The first line of a database error's own message (the driver's, not SQLAlchemy's
    wrapper with the statement and its parameters)."""
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__


# SQLite's result codes for an archive it could not get at (a permission, a folder it cannot
# write its -shm file in, a lock, an I/O error), as against what it read not being one.
_SQLITE_UNREACHABLE = (
    *("SQLITE_READONLY", "SQLITE_CANTOPEN", "SQLITE_PERM", "SQLITE_AUTH", "SQLITE_IOERR"),
    *("SQLITE_BUSY", "SQLITE_LOCKED"),
)


def unreachable(exc: BaseException) -> bool:
    """Whether a database error says the archive could not be got at — no permission, a
    read-only folder, a server down or refusing the login — rather than that what was read
    is not an archive."""
    orig = getattr(exc, "orig", None) or exc
    name = getattr(orig, "sqlite_errorname", None)  # sqlite3 errors name their code (3.11+)
    if name is not None:
        return name.startswith(_SQLITE_UNREACHABLE)
    sqlstate = getattr(orig, "sqlstate", None) or ""
    # PostgreSQL: class 08 the connection, 28 the login, 42501 a missing privilege; a
    # failed connect has no SQLSTATE and is an OperationalError.
    if sqlstate:
        return sqlstate[:2] in ("08", "28") or sqlstate == "42501"
    return isinstance(exc, OperationalError)


def reading_error(exc: DBAPIError, shown_target: str) -> ArchiveError:
    """The one line for a database error met opening an archive to read it: a permission
    problem is never "not an sxworker archive"."""
    if unreachable(exc):
        return ArchiveError(f"cannot read archive {shown_target}: {first_line(exc)}")
    return ArchiveError(f"not an sxworker archive: {first_line(exc)}")
