"""The archive as a Datasette database, read the way every sxworker reader reads it.

Datasette opens a file itself (``immutable=1`` or ``mode=ro``); :class:`ArchiveDatabase`
takes its connections from an :class:`~sxworker.archive.Archive` opened read-only instead,
so that ``sxworker serve`` sees what ``stats`` and ``search`` see: the pages a crawl still
holds in the write-ahead log, the same fallbacks where the folder is read-only, the same
pragmas and search functions.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from datasette.database import Database

from sxworker.archive import Archive
from sxworker.archive.search import FTS_TABLE


class ArchiveDatabase(Database):
    """One archive file for Datasette, read through ``archive`` (opened read-only)."""

    def __init__(self, datasette, archive: Archive, path: Path) -> None:
        # Mutable to Datasette: the file can change while served (a crawl writing), so it
        # must neither cache the table counts nor hash the file once at start.
        super().__init__(datasette, path=str(path), is_mutable=True)
        self.archive = archive

    def connect(self, write: bool = False) -> sqlite3.Connection:
        if write:
            raise PermissionError("the archive is served read-only")
        proxied = self.archive.engine.raw_connection()
        connection = proxied.driver_connection
        # Datasette keeps each connection for the life of its thread: taken out of the
        # engine's pool, which could otherwise close it under a thread still using it.
        proxied.detach()
        return connection

    async def table_names(self) -> list[str]:
        # The full-text index is no table to list or count: its columns are computed when
        # the index is written and stored nowhere, so reading its rows fails by design
        # ("no such column: T.title_bigrams"). Its page leads to the search query instead
        # (datasette_plugin).
        return [name for name in await super().table_names() if name != FTS_TABLE]
