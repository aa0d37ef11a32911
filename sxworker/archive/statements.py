"""SQL that the table modules share: the dialect's INSERT, the upsert that keeps what is
already known, and how long an IN list may be."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Table, func

if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql, sqlite

# Keys per IN (...) list: well below SQLite's limit on the parameters of one statement
# (999 before SQLite 3.32), however many keys a batch holds.
IN_CHUNK = 500


def dialect_insert(conn: Connection, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT of the backend on ``conn``, the kind that has ON CONFLICT."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def upsert(
    conn: Connection,
    table: Table,
    *,
    on: tuple[str, ...],
    keep: tuple[str, ...] = (),
    replace: tuple[str, ...] = (),
) -> postgresql.Insert | sqlite.Insert:
    """An INSERT that, for a row already stored (same ``on`` columns), takes the new
    values of ``replace`` and keeps a stored value of ``keep`` where the new one is NULL."""
    stmt = dialect_insert(conn, table)
    set_ = {name: stmt.excluded[name] for name in replace}
    set_.update({name: func.coalesce(stmt.excluded[name], table.c[name]) for name in keep})
    return stmt.on_conflict_do_update(index_elements=[table.c[name] for name in on], set_=set_)
