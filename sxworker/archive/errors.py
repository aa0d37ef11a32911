"""The archive's one error type, and how a database error becomes its one-line message.

It sits below every other archive module (it imports none of them), so that the schema
migrations and the facade alike can raise it.
"""

from __future__ import annotations


class ArchiveError(Exception):
    """A problem with the archive a user can act on; the message is one line."""


def first_line(exc: BaseException) -> str:
    """The first line of a database error's own message (the driver's, not SQLAlchemy's
    wrapper with the statement and its parameters)."""
    text = str(getattr(exc, "orig", None) or exc)
    return text.splitlines()[0] if text else type(exc).__name__
