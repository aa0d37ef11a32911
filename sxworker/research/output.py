"""What the commands write: atomically (a reader never sees half a file), with a SHA-256, and
with a progress bar for long exports."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

PROGRESS_MIN = 5000  # records; shorter exports finish before a bar would help


@contextmanager
def progress(total: int, label: str) -> Iterator[Callable[[Iterable[Any]], Iterator[Any]]]:
    """A progress bar on stderr (shown for long exports only) wrapped around the records."""
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


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomically(path: Path, write: Callable[[Any], int]) -> int:
    """Write to a temporary file beside ``path`` and rename it: a reader never sees half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        # A large buffer: an export is hundreds of MB written in small records.
        with os.fdopen(handle, "wb", buffering=1 << 20) as out:
            count = write(out)
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return count
