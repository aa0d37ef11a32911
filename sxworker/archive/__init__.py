"""The archive: schema, batched storage and reading. All SQL lives in this package."""

from sxworker.archive.store import DEFAULT_DB, Archive, ArchiveError, StoreResult

__all__ = ["DEFAULT_DB", "Archive", "ArchiveError", "StoreResult"]
