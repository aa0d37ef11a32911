"""What the commands write, as a user checks it: ``-o`` never replaces the archive, its own
files or anything but a regular file; an export set appears whole or not at all, with the
mode a new file gets; and standard output that goes away (``| head``, a full disk) ends an
export with no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.research import datacard
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.conftest import ROOT


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def archive_of(path: Path, count: int = 2) -> Path:
    with Archive.open(str(path)) as archive:
        archive.store_articles(
            [article(f"{number:06d}", "2016-12-05", page_no=2, body="正文" * 300) for number in range(count)]
        )
    return path


@pytest.fixture
def archive_path(tmp_path: Path) -> Path:
    """An archive with the files beside it that reading and crawling leave there."""
    path = archive_of(tmp_path / "a.sqlite3")
    with Archive.open_readonly(str(path)) as archive:
        archive.counts()  # a reader of a WAL archive makes its -wal and -shm files
    Path(f"{path}.lock").touch()
    return path


def listing(folder: Path) -> dict[str, bytes | None]:
    """Every name in ``folder`` with its bytes (None for what is not a regular file)."""
    return {
        path.name: path.read_bytes() if path.is_file() and not path.is_symlink() else None
        for path in sorted(folder.iterdir())
    }


COMMANDS = [["export"], ["export", "--format", "csv", "--with-files"], ["report"]]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
@pytest.mark.parametrize(
    ("name", "what"),
    [
        ("a.sqlite3", "the archive"),
        ("a.sqlite3-wal", "the archive's -wal file"),
        ("a.sqlite3-shm", "the archive's -shm file"),
        ("a.sqlite3.lock", "the archive's run lock"),
        ("a.sqlite3-journal", "the archive's -journal file"),
    ],
)
@pytest.mark.parametrize("as_url", [False, True], ids=["path", "url"])
def test_an_output_that_is_the_archive_or_its_file_is_refused(archive_path, command, name, what, as_url):
    db = f"sqlite:///{archive_path}" if as_url else str(archive_path)
    before = listing(archive_path.parent)
    output = archive_path.parent / name
    result = run(*command, "--db", db, "-o", str(output))
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: refusing to write {output}: it is {what}\n"
    # The archive is byte-identical and nothing was added beside it (no temporary file).
    assert listing(archive_path.parent) == before


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
def test_a_link_to_the_archive_is_refused_as_the_archive(archive_path, command):
    link = archive_path.parent / "link.jsonl"
    link.symlink_to(archive_path.name)
    before = listing(archive_path.parent)
    result = run(*command, "--db", str(archive_path), "-o", str(link))
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: refusing to write {link}: it is the archive\n"
    assert listing(archive_path.parent) == before and link.is_symlink()


def test_an_archive_named_through_a_link_keeps_the_files_beside_the_file_it_names(archive_path, tmp_path):
    link = tmp_path / "elsewhere" / "link.sqlite3"
    link.parent.mkdir()
    link.symlink_to(archive_path)
    before = listing(tmp_path)
    output = Path(f"{archive_path}-wal")
    result = run("export", "--db", str(link), "-o", str(output))
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: refusing to write {output}: it is the archive's -wal file\n"
    assert listing(tmp_path) == before


def test_the_run_lock_sxworker_lock_file_names_is_refused(archive_path, tmp_path):
    lock = tmp_path / "crawl.lock"
    lock.touch()
    result = CliRunner().invoke(
        main, ["report", "--db", str(archive_path), "-o", str(lock)], env={"SXWORKER_LOCK_FILE": str(lock)}
    )
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: refusing to write {lock}: it is the archive's run lock\n"
    assert lock.read_bytes() == b""


def symlink(path: Path) -> None:
    (path.parent / "elsewhere.txt").write_text("someone else's file\n")
    path.symlink_to("elsewhere.txt")


def write_protected(path: Path) -> None:
    path.write_text("published, kept read-only\n")
    path.chmod(0o444)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda command: " ".join(command))
@pytest.mark.parametrize(
    ("make", "why"),
    [
        (symlink, "it is a symbolic link (give the path it points to)"),
        (os.mkfifo, "it is not a regular file"),
        (write_protected, "it is write-protected"),
    ],
    ids=["symlink", "fifo", "write-protected"],
)
def test_an_output_that_is_not_a_writable_regular_file_is_refused(tmp_path, command, make, why):
    archive = archive_of(tmp_path / "db" / "a.sqlite3")
    output = tmp_path / "out" / "articles"
    output.parent.mkdir()
    make(output)
    before = listing(output.parent)
    result = run(*command, "--db", str(archive), "-o", str(output))
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: refusing to write {output}: {why}\n"
    assert listing(output.parent) == before


@pytest.mark.parametrize("suffix", [".sha256", ".md"])
def test_an_export_whose_checksum_or_card_is_a_link_is_refused(archive_path, tmp_path, suffix):
    output = tmp_path / "articles.jsonl"
    companion = Path(f"{output}{suffix}")
    symlink(companion)
    before = listing(tmp_path)
    result = run("export", "--db", str(archive_path), "-o", str(output))
    assert result.exit_code == 2
    why = "it is a symbolic link (give the path it points to)"
    assert result.output == f"sxworker: error: refusing to write {companion}: {why}\n"
    assert listing(tmp_path) == before


def test_a_failed_export_leaves_the_earlier_set_whole(archive_path, tmp_path, monkeypatch):
    output = tmp_path / "out" / "articles.jsonl"
    store = tmp_path / "files"
    store.mkdir()
    export = ["export", "--db", str(archive_path), "-o", str(output)]
    export += ["--with-files", "--files-store", str(store)]
    assert run(*export).exit_code == 0
    folder = Path(f"{output}.files")
    (folder / "earlier.txt").write_text("from the earlier export\n")
    before, files_before = listing(output.parent), listing(folder)

    def fail(**_fields):
        raise RuntimeError("the data card could not be written")

    # The last file of the set fails, after the data, its checksum and the files are written.
    monkeypatch.setattr(datacard, "render", fail)
    result = run(*export, "--since", "2020-01-01")  # would export nothing: different bytes
    assert result.exit_code == 2
    assert result.output == "sxworker: error: the data card could not be written\n"
    assert listing(output.parent) == before
    assert listing(folder) == files_before


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)
    yield
    os.umask(previous)


@pytest.mark.usefixtures("umask_027")
def test_new_files_get_the_mode_the_umask_gives(archive_path, tmp_path):
    output = tmp_path / "out" / "articles.jsonl"
    export = ["export", "--db", str(archive_path), "-o", str(output), "--with-files"]
    assert run(*export, "--files-store", str(tmp_path)).exit_code == 0
    report = tmp_path / "out" / "report.html"
    assert run("report", "--db", str(archive_path), "-o", str(report)).exit_code == 0
    modes = {path.name: oct(path.stat().st_mode & 0o777) for path in output.parent.iterdir()}
    assert modes == {
        "articles.jsonl": "0o640",
        "articles.jsonl.sha256": "0o640",
        "articles.jsonl.md": "0o640",
        "articles.jsonl.files": "0o750",
        "report.html": "0o640",
    }


# -- standard output that goes away ------------------------------------------------------


def sxworker(*args: str, stdout) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "sxworker", *args], cwd=ROOT, stdout=stdout, stderr=subprocess.PIPE
    )


@pytest.mark.parametrize("fmt", ["jsonl", "csv"])
def test_export_into_a_closed_pipe_ends_quietly(tmp_path, fmt):
    # Far more than a pipe holds: the export is still writing when head has gone.
    archive = archive_of(tmp_path / "a.sqlite3", count=500)
    export = sxworker("export", "--db", str(archive), "--format", fmt, stdout=subprocess.PIPE)
    head = subprocess.run(["head", "-1"], stdin=export.stdout, capture_output=True, timeout=60, check=True)
    export.stdout.close()
    _, stderr = export.communicate(timeout=60)
    assert head.stdout.count(b"\n") == 1
    # As click (and Python's SIGPIPE recipe) end a command whose reader went away: status 1, no words.
    assert (export.returncode, stderr) == (1, b"")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full (Linux)")
def test_export_to_a_full_disk_is_one_line(archive_path):
    with open("/dev/full", "wb") as full:
        export = sxworker("export", "--db", str(archive_path), stdout=full)
        _, stderr = export.communicate(timeout=60)
    assert (export.returncode, stderr) == (2, b"sxworker: error: [Errno 28] No space left on device\n")
