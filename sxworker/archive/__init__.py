"""The archive: schema, batched storage and reading. All SQL lives in this package.

Other layers import from here, not from the modules: :class:`Archive` is the way in, and
these names are what they need besides it.
"""

from sxworker.archive.articles import StoreResult
from sxworker.archive.engines import DEFAULT_DB, database_url, shown
from sxworker.archive.errors import ArchiveError
from sxworker.archive.issues import page_key
from sxworker.archive.store import Archive, now_utc
from sxworker.site.items import EVIDENCE_FIELDS, EXPORT_FIELDS

__all__ = [
    "DEFAULT_DB",
    "EVIDENCE_FIELDS",
    "EXPORT_FIELDS",
    "Archive",
    "ArchiveError",
    "StoreResult",
    "database_url",
    "now_utc",
    "page_key",
    "shown",
]
