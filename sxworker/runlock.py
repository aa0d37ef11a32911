"""One crawl per archive at a time: an overlapping cron start gives up at once.

The lock is an advisory ``flock`` on a file beside the archive, so the kernel drops it
when the process ends, however it ends (kill -9 included): no stale lock to clean up.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from sxworker.archive.store import database_url

# EX_TEMPFAIL (sysexits.h): "try again later" — what an overlapping cron start is.
EXIT_LOCKED = 75


class LockedError(Exception):
    """Another crawl holds the archive's lock; the message says which process."""


def lock_path(target: str, configured: str | None = None) -> Path:
    """``SXWORKER_LOCK_FILE`` if set, else ``<archive file>.lock``; for a database server,
    a lock file named after the server and database in the temporary folder (one crawl
    per machine; crawls from several machines need ``SXWORKER_LOCK_FILE`` on a shared disk)."""
    if configured:
        return Path(configured)
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database + ".lock")
    name = f"sxworker-{url.host or 'local'}-{url.port or ''}-{url.database or 'db'}.lock"
    return Path(tempfile.gettempdir()) / name


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
