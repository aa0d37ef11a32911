"""The WARC faults the tests make: a record's start, a byte flipped inside a record, a file
left unfinished (``.open``) with its last record cut short."""

from __future__ import annotations

from pathlib import Path

from warcio.archiveiterator import ArchiveIterator


def record_starts(path: Path, rec_type: str | None = None) -> list[int]:
    """The byte offset of each record of a WARC file (of one type, when given)."""
    with path.open("rb") as handle:
        archive = ArchiveIterator(handle)
        return [archive.get_record_offset() for record in archive if rec_type in (None, record.rec_type)]


def damage_record(path: Path, index: int) -> int:
    """Flip one byte inside the index-th record (its gzip member fails); its start."""
    start = record_starts(path)[index]
    data = bytearray(path.read_bytes())
    data[start + 20] ^= 0xFF
    path.write_bytes(bytes(data))
    return start


def leave_open(path: Path) -> Path:
    """The file as a crawl killed mid-record leaves it: renamed ``.open``, cut inside its
    last record."""
    last = record_starts(path)[-1]
    unfinished = path.with_name(path.name + ".open")
    unfinished.write_bytes(path.read_bytes()[: last + 50])
    path.unlink()
    return unfinished
