"""One crawl per archive at a time: an overlapping cron start gives up at once.

For an SQLite archive the lock is an advisory ``flock`` on a file beside it; for one on a
database server, an advisory lock in that database (so crawls from several machines
exclude each other too). Either way it is dropped when the process ends, however it ends
(kill -9 included): no stale lock to clean up.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from sxworker.archive import Archive, database_url

# EX_TEMPFAIL (sysexits.h): "try again later" — what an overlapping cron start is.
EXIT_LOCKED = 75


class LockedError(Exception):
    """Another crawl holds the archive's lock; the message says which process."""


def lock_path(target: str, configured: str | None = None) -> Path | None:
    """``SXWORKER_LOCK_FILE`` if set, else ``<archive file>.lock`` for SQLite, beside the file
    the name resolves to; None for a PostgreSQL archive (the database holds the lock); for
    another server, a lock file named after it in the temporary folder."""
    if configured:
        return Path(configured)
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        # Symlinks followed: an archive crawled under two names (a link to it, a relative
        # path) is still one archive, so one lock.
        return Path(f"{Path(url.database).resolve()}.lock")
    if url.get_backend_name() == "postgresql":
        return None
    name = f"sxworker-{url.host or 'local'}-{url.port or ''}-{url.database or 'db'}.lock"
    return Path(tempfile.gettempdir()) / name


@contextmanager
def archive_lock(target: str, configured: str | None = None) -> Iterator[None]:
    """Hold the archive's run lock for the block, or raise :class:`LockedError` at once."""
    path = lock_path(target, configured)
    if path is not None:
        with run_lock(path):
            yield
        return
    with Archive.exclusive_run(target) as got:
        if not got:
            raise LockedError(
                "another crawl or reparse of this archive is running (its database holds the lock)"
            )
        yield


@contextmanager
def run_lock(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            message = f"another crawl or reparse of this archive is running (pid {holder}; lock {path})"
            raise LockedError(message) from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        yield
    finally:
        handle.close()
