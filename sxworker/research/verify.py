"""``sxworker verify``: a fixity check of the archive, its files and its WARC captures.

It reads everything and changes nothing: the archive is opened read-only, files and WARC
files are only read. In order: the database's own integrity check, every article's and
version's ``content_hash`` recomputed from its text, every stored file's size and SHA-256,
and every WARC record's block and payload digests (read by crawl/warc.py's reader, by the
rule reparse uses: a ``.open`` file may end inside its last record, any other damage is
found). Each problem is reported as it is found; the :class:`Report` sums them up.
"""

from __future__ import annotations

import base64
import hashlib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeRemainingColumn
from sqlalchemy.exc import DBAPIError

from sxworker.archive import Archive
from sxworker.archive.errors import first_line
from sxworker.archive.fixity import Problem
from sxworker.crawl.warc import WarcReadError, read_records, warc_files

Emit = Callable[[Problem], None]
# What is counted in the summary, in its order.
_CHECKED = ("articles", "versions", "files", "warc_files", "warc_records")


@dataclass
class Report:
    """What was checked, what was wrong, and what could not be checked (``notes``)."""

    integrity: str = ""
    checked: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_CHECKED, 0))
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def sound(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = self.checked
        scope = (
            f"{counts['articles']} articles, {counts['versions']} earlier versions, {counts['files']} files, "
            f"{counts['warc_records']} WARC records in {counts['warc_files']} WARC files; "
            f"integrity: {self.integrity}"
        )
        if self.sound:
            return f"verify: sound: checked {scope}"
        kinds: dict[str, int] = {}
        for problem in self.problems:
            kinds[problem.kind] = kinds.get(problem.kind, 0) + 1
        found = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        total = len(self.problems)
        return f"verify: {total} problem{'s' if total > 1 else ''} ({found}); checked {scope}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "sound": self.sound,
            "problems": [problem.as_dict() for problem in self.problems],
            "checked": self.checked,
            "integrity": self.integrity,
            "notes": self.notes,
        }


def verify(
    target: str, files_store: Path, warc_dir: Path | None, emit: Emit, *, progress: bool = True
) -> Report:
    """Check the archive at ``target``, the files in ``files_store`` and the WARC files in
    ``warc_dir`` (None: not checked); ``emit`` is given each problem as it is found.
    ``progress``: bars on a terminal (never drawn elsewhere)."""
    report = Report()

    def found(problem: Problem) -> None:
        report.problems.append(problem)
        emit(problem)

    with Archive.open_readonly(target) as archive, _progress(progress) as bar:
        totals = archive.fixity_totals()
        integrity = archive.check_integrity()
        report.integrity = integrity.method + ("" if integrity.checked else ": not checked")
        if integrity.note:
            report.notes.append(f"database integrity not checked: {integrity.note}")
        for problem in integrity.problems:
            found(problem)
        hashes = bar("content hashes", totals["articles"] + totals["versions"])
        if _each(archive.hash_problems(hashes), found, "content hashes"):
            report.checked["articles"], report.checked["versions"] = totals["articles"], totals["versions"]
        stored = bar("files", totals["file_bytes"])
        if _each(archive.file_problems(files_store, stored), found, "files") and files_store.is_dir():
            report.checked["files"] = totals["files"]
    if warc_dir is None:
        report.notes.append("WARC captures not checked: no --warc-dir (or SXWORKER_WARC_DIR)")
    else:
        _check_warcs(warc_dir, report, found, progress)
    return report


def _each(problems: Iterator[Problem], found: Emit, what: str) -> bool:
    """Pass on each problem; a database that fails while read is one more (the integrity
    check says more). Whether the check ran to its end."""
    try:
        for problem in problems:
            found(problem)
    except DBAPIError as exc:
        found(Problem("database", what, f"could not be read to the end: {first_line(exc)}"))
        return False
    return True


# -- WARC captures -------------------------------------------------------------------------


def _check_warcs(folder: Path, report: Report, found: Emit, progress: bool) -> None:
    if not folder.is_dir():
        found(Problem("warc", str(folder), "no such folder: no WARC file checked"))
        return
    try:
        paths = warc_files([folder])
    except WarcReadError:  # a folder with no WARC file in it: a capture not begun
        report.notes.append(f"no WARC files in {folder}")
        return
    with _progress(progress) as bar:
        advance = bar("WARC files", sum(path.stat().st_size for path in paths))
        for path in paths:
            report.checked["warc_files"] += 1
            read_up_to = 0
            try:
                for offset, record, mismatches in read_records(path, _digest_mismatches):
                    report.checked["warc_records"] += 1
                    advance(offset - read_up_to)
                    read_up_to = offset
                    for mismatch in mismatches:
                        found(_record_problem(path, offset, record, mismatch))
            except WarcReadError as exc:
                what = str(exc).removeprefix(f"{path}: ")
                found(Problem("warc", str(path), f"{what}; the records after it are not checked"))
            advance(path.stat().st_size - read_up_to)


def _record_problem(path: Path, offset: int, record: Any, mismatch: tuple[str, str, str]) -> Problem:
    header, declared, computed = mismatch
    headers = record.rec_headers
    names = (record.rec_type, headers.get_header("WARC-Target-URI"), headers.get_header("WARC-Record-ID"))
    which = " ".join(name for name in names if name)
    subject = f"{path} record at byte {offset} ({which})"
    return Problem("warc", subject, f"{header} does not match", declared, computed)


# Records holding an HTTP message: their payload digest covers what follows its headers;
# any other record's payload is its whole block (WARC 1.1, section 5.9).
_HTTP_BLOCK = "application/http"
_HEADERS_END = b"\r\n\r\n"


def _digest_mismatches(record: Any) -> list[tuple[str, str, str]]:
    """Read a record's whole block (read_records gives it unparsed) and recompute the
    digests it declares: (header, declared, computed) for each that does not match."""
    headers = record.rec_headers
    declared = {name: headers.get_header(name) for name in ("WARC-Block-Digest", "WARC-Payload-Digest")}
    block = _Digest(declared["WARC-Block-Digest"])
    payload = _Digest(declared["WARC-Payload-Digest"])
    http = (headers.get_header("Content-Type") or "").startswith(_HTTP_BLOCK)
    head: bytes | None = b"" if http else None  # an HTTP message's headers, until they end
    while chunk := record.raw_stream.read(1 << 16):
        block.update(chunk)
        if head is None:
            payload.update(chunk)
            continue
        head += chunk
        end = head.find(_HEADERS_END)
        if end >= 0:
            payload.update(head[end + len(_HEADERS_END) :])
            head = None
    return [
        (name, value, computed)
        for (name, value), digest in zip(declared.items(), (block, payload), strict=True)
        if value and (computed := digest.mismatch()) is not None
    ]


class _Digest:
    """A declared digest (``algorithm:value``, base 32 as warcio writes it, or hex) and
    the hash of the bytes given to :meth:`update`."""

    def __init__(self, declared: str | None) -> None:
        self.algorithm, _, self.value = (declared or "").partition(":")
        try:
            self.hash: Any = hashlib.new(self.algorithm.lower())
        except ValueError:
            self.hash = None

    def update(self, data: bytes) -> None:
        if self.hash is not None:
            self.hash.update(data)

    def mismatch(self) -> str | None:
        """None when the bytes have the declared digest; else theirs, written as declared."""
        if self.hash is None:
            return f"{self.algorithm}:? (an algorithm this Python does not know)"
        digest = self.hash.digest()
        base32 = base64.b32encode(digest).decode()
        if self.value.upper() == base32 or self.value.lower() == digest.hex():
            return None
        return f"{self.algorithm}:{digest.hex() if len(self.value) == 2 * len(digest) else base32}"


# -- progress ------------------------------------------------------------------------------


@contextmanager
def _progress(shown: bool) -> Iterator[Callable[[str, int], Callable[[int], None]]]:
    """Progress bars on stderr, drawn only on a terminal: ``bar(label, total)`` adds one and
    returns its ``advance(amount)`` (rows or bytes)."""
    # The console holds the real stderr: the WARC reader swaps sys.stderr while warcio reads,
    # and a bar drawn into that would read as warcio complaining of damage. Problem lines
    # printed to a terminal go above the bars; to a pipe or file, straight there.
    console = Console(file=sys.stderr, stderr=True)
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TimeRemainingColumn())
    with Progress(
        *columns,
        console=console,
        transient=True,
        disable=not (shown and console.is_terminal),
        redirect_stdout=sys.stdout.isatty(),
        redirect_stderr=False,
    ) as progress:

        def bar(label: str, total: int) -> Callable[[int], None]:
            task = progress.add_task(label, total=total)
            return lambda amount: progress.advance(task, amount)

        yield bar
