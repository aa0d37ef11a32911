"""What the commands write: a set of files replaced as one (a reader never sees half a file, a
failure leaves the earlier set whole), never over the archive; a SHA-256; and a progress bar
for long exports."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from sxworker import config
from sxworker.archive import database_url
from sxworker.crawl.runlock import lock_path

PROGRESS_MIN = 5000  # records; shorter exports finish before a bar would help


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[Iterable[Any]], Iterator[Any]]]:
    """A progress bar on stderr (shown for long exports only) wrapped around the records."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn(f"exporting {label}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        disable=total < PROGRESS_MIN,
        transient=True,
    )

    def advance(records: Iterable[Any]) -> Iterator[Any]:
        task = bar.add_task("export", total=total)
        for number, record in enumerate(records, 1):
            yield record
            if number % 500 == 0:
                bar.update(task, completed=number)

    with bar:
        yield advance


class HashingFile(io.BufferedWriter):
    """A file written through a large buffer (an export is hundreds of MB in small records)
    that hashes (SHA-256) what is written as it is written: the checksum of a 1 GB export
    without reading it back. Only for a file written straight through, never seeked."""

    def __init__(self, path: Path) -> None:
        super().__init__(io.FileIO(path, "wb"), buffer_size=1 << 20)
        self._sha256 = hashlib.sha256()

    def write(self, data: Any) -> int:
        self._sha256.update(data)
        return super().write(data)

    def hexdigest(self) -> str:
        return self._sha256.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RefusedOutput(RuntimeError):
    """An output sxworker will not replace; the command shows the message as one line."""


_SQLITE_FILES = ("-wal", "-shm", "-journal")


def _archive_files(target: str) -> list[tuple[Path, str]]:
    """The archive's own files: the database and what SQLite keeps beside it (beside the
    file its name resolves to, as SQLite does), and the crawls' run lock."""
    lock = lock_path(target, config.read(os.environ, "SXWORKER_LOCK_FILE"))
    files = [] if lock is None else [(lock, "the archive's run lock")]
    url = make_url(database_url(target))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        database = Path(url.database).resolve()
        files.append((database, "the archive"))
        files += [(Path(f"{database}{suffix}"), f"the archive's {suffix} file") for suffix in _SQLITE_FILES]
    return files


def _refuse_to_replace(final: Path, archive: str, *, folder: bool) -> None:
    for own, what in _archive_files(archive):
        # samefile also sees one file under another spelling: a hard link, a case-insensitive disk.
        if final.resolve() == own.resolve() or (final.exists() and own.exists() and final.samefile(own)):
            raise RefusedOutput(f"refusing to write {final}: it is {what}")
    if final.is_symlink():
        # Replacing the link loses it, writing through it changes a file not named: neither.
        raise RefusedOutput(f"refusing to write {final}: it is a symbolic link (give the path it points to)")
    if not final.exists():
        return
    if folder and not final.is_dir():
        raise RefusedOutput(f"refusing to write {final}/: it is not a folder")
    if not folder and not final.is_file():
        raise RefusedOutput(f"refusing to write {final}: it is not a regular file")
    # What `>` would refuse, and a file made read-only (chmod a-w), which root's `>` ignores.
    if not folder and (not os.access(final, os.W_OK) or not final.stat().st_mode & 0o222):
        raise RefusedOutput(f"refusing to write {final}: it is write-protected")


def _new_mode(folder: bool) -> int:
    # What open() or mkdir() would give; mkstemp and mkdtemp make theirs private.
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if folder else 0o666) & ~umask


@contextmanager
def replacing(archive: str) -> Iterator[Callable[..., Path]]:
    """Write a set of files (an export, its checksum, its data card) as one: each is
    written to a temporary name beside it, and all are renamed into place only when the
    block ends without error, so a failure leaves the earlier set whole and a reader never
    sees half a file. ``stage(final)`` or ``stage(final, folder=True)`` returns the path to
    write instead of ``final``; it raises :class:`RefusedOutput` for a file of the archive
    at ``archive`` and for anything but a writable regular file (a folder)."""
    staged: list[tuple[Path, Path]] = []

    def stage(final: Path, *, folder: bool = False) -> Path:
        _refuse_to_replace(final, archive, folder=folder)
        final.parent.mkdir(parents=True, exist_ok=True)
        beside = {"dir": final.parent, "prefix": f".{final.name}.", "suffix": ".tmp"}
        if folder:
            temp = Path(tempfile.mkdtemp(**beside))
        else:
            handle, name = tempfile.mkstemp(**beside)
            os.close(handle)
            temp = Path(name)
        staged.append((temp, final))
        temp.chmod(_new_mode(folder))
        return temp

    try:
        yield stage
        for temp, final in staged:
            if temp.is_dir() and final.is_dir():
                shutil.rmtree(final)  # os.replace cannot replace a folder that holds files
            os.replace(temp, final)
    except BaseException:
        for temp, _final in staged:
            if temp.is_dir():
                shutil.rmtree(temp, ignore_errors=True)
            else:
                temp.unlink(missing_ok=True)
        raise
