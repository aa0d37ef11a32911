"""Reading an archive from a folder the reader cannot write (issue 12, item 8): it reads, a
crawl's log included, and what keeps it from reading is said as a permission problem, never
as "not an sxworker archive".

The readers run without root's override of file permissions. When the tests run as root
(they do in CI) the reader is root without CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and
CAP_FOWNER — permission bits then bind it as they bind any user — rather than another user,
who might not be able to reach the interpreter at all (a Python under /root); else it is
the user running the tests.
"""

from __future__ import annotations

import ctypes
import functools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sxworker.archive import Archive
from tests.archive.test_archive import article
from tests.conftest import ROOT, clean_environment

AS_ROOT = os.geteuid() == 0
# prctl(2)'s PR_CAPBSET_DROP, and capability(7)'s numbers of the three overrides.
_PR_CAPBSET_DROP = 24
_OVERRIDES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
NOBODY = 65534


def _without_overrides() -> None:
    """In the child before exec: the overrides leave the bounding set, so the program that
    runs as root has them neither effective nor permitted."""
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in _OVERRIDES:
        if libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def read(*args: str) -> subprocess.CompletedProcess[str]:
    """``sxworker ARGS`` as a reader without root's override of permissions."""
    return subprocess.run(
        [sys.executable, "-m", "sxworker", *args],
        cwd=ROOT,
        env={**clean_environment(), "PYTHONDONTWRITEBYTECODE": "1"},
        preexec_fn=_without_overrides if AS_ROOT else None,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@functools.cache
def _overrides_dropped() -> bool:
    """Whether a reader started by :func:`read` really lacks the overrides."""
    try:
        status = subprocess.run(
            [sys.executable, "-c", "print(open('/proc/self/status').read())"],
            preexec_fn=_without_overrides,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout
    except (subprocess.SubprocessError, OSError):
        return False
    effective = int(next(line for line in status.splitlines() if line.startswith("CapEff:")).split()[1], 16)
    return not any(effective & (1 << capability) for capability in _OVERRIDES)


@pytest.fixture
def folder(tmp_path) -> Iterator[Path]:
    """A fresh folder for the archive; made read-only by the tests, made writable again
    afterwards so that pytest can remove it."""
    if AS_ROOT and not _overrides_dropped():
        pytest.skip("cannot start a reader without root's permission override (no CAP_SETPCAP?)")
    path = tmp_path / "shelf"
    path.mkdir()
    try:
        yield path
    finally:
        path.chmod(0o755)
        for item in path.iterdir():
            item.chmod(0o644)


def make_archive(path: Path, count: int = 2) -> None:
    with Archive.open(str(path)) as archive:
        archive.store_articles([article(f"{n:06d}", "2016-12-05") for n in range(count)])


def read_only(folder: Path) -> None:
    for item in folder.iterdir():
        item.chmod(0o444)
    folder.chmod(0o555)


def test_an_archive_in_a_read_only_folder_is_read(folder):
    make_archive(folder / "a.sqlite3")
    assert sorted(p.name for p in folder.iterdir()) == ["a.sqlite3"]  # closed: no -wal, no -shm
    read_only(folder)

    stats = read("stats", "--db", str(folder / "a.sqlite3"), "--json")
    search = read("search", "第二段", "--db", str(folder / "a.sqlite3"), "--json")

    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["articles"] == 2
    assert search.returncode == 0 and len(search.stdout.splitlines()) == 2, search.stderr
    assert sorted(p.name for p in folder.iterdir()) == ["a.sqlite3"]


def test_what_a_killed_crawl_left_in_its_log_is_read_too(folder, tmp_path):
    # A crawl killed with articles still in its write-ahead log: the archive file, its -wal
    # and its -shm as they were at that moment (a reader holding its snapshot keeps the
    # crawl's close from folding the log back into the file).
    live = tmp_path / "live.sqlite3"
    make_archive(live)
    keeper = sqlite3.connect(live)
    keeper.execute("BEGIN")
    keeper.execute("SELECT count(*) FROM articles").fetchone()
    with Archive.open(str(live)) as archive:
        archive.store_articles([article("999999", "2016-12-06")])
        for suffix in ("", "-wal", "-shm"):
            shutil.copyfile(f"{live}{suffix}", folder / f"a.sqlite3{suffix}")
    keeper.rollback()
    keeper.close()
    in_file_alone = sqlite3.connect(f"{(folder / 'a.sqlite3').as_uri()}?immutable=1", uri=True)
    assert in_file_alone.execute("SELECT count(*) FROM articles").fetchone() == (2,)
    in_file_alone.close()
    read_only(folder)

    result = read("stats", "--db", str(folder / "a.sqlite3"), "--json")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["articles"] == 3  # the log's article too: not stale


@pytest.mark.skipif(not AS_ROOT, reason="needs a folder another user owns (chown)")
def test_a_folder_a_crawl_may_write_is_refused_as_a_permission_problem(folder):
    make_archive(folder / "a.sqlite3")
    # The crawl's user owns the folder and may write in it meanwhile; the reader may not.
    os.chown(folder, NOBODY, NOBODY)
    folder.chmod(0o755)

    result = read("stats", "--db", str(folder / "a.sqlite3"))

    assert result.returncode == 2
    assert result.stderr == (
        f"sxworker: error: cannot read archive {folder / 'a.sqlite3'}: SQLite must create a.sqlite3-shm "
        f"beside it to read it while it can change, and this user cannot write to {folder} "
        "(give this user write access there, or read a copy)\n"
    )


def test_an_archive_the_reader_may_not_read_is_a_permission_problem(folder):
    make_archive(folder / "a.sqlite3")
    (folder / "a.sqlite3").chmod(0o000)

    result = read("stats", "--db", str(folder / "a.sqlite3"))

    assert result.returncode == 2
    path = folder / "a.sqlite3"
    assert result.stderr == f"sxworker: error: cannot read archive {path}: permission denied\n"
    assert "not an sxworker archive" not in result.stderr
