"""``sxworker verify``: a sound archive passes; an altered text, a damaged or lost file and
a damaged WARC record are each one line naming it, with what was expected and found, and
exit status 1. It changes nothing. The archive checks run on both backends."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text
from warcio.archiveiterator import ArchiveIterator

from sxworker.archive import Archive, database_url
from sxworker.archive.articles import content_hash
from sxworker.research.cli import main
from tests.archive.test_archive import article
from tests.conftest import ROOT
from tests.crawl.test_warc import capture_crawl, write_plain

SCAN = b"\xff\xd8\xff\xe0 a page scan"
HTML = [("Content-Type", "text/html")]


@pytest.fixture(autouse=True)
def no_environment(monkeypatch):
    # Options fall back on these: a test names what it checks, whatever the shell has set.
    for name in ("SXWORKER_DB", "FILES_STORE", "SXWORKER_WARC_DIR"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str):
    return CliRunner().invoke(main, ["verify", *args], catch_exceptions=False)


def report(*args: str) -> tuple[int, dict]:
    result = run(*args, "--json")
    return result.exit_code, json.loads(result.stdout)


def execute(target: str, statement: str, **params: object) -> None:
    """Raw SQL on the archive, past the Archive API: how bit rot or a stray UPDATE looks."""
    engine = create_engine(database_url(target))
    with engine.begin() as conn:
        conn.execute(text(statement), params)
    engine.dispose()


def flip_one_byte(value: str) -> str:
    """``value`` with one bit of its first ASCII byte flipped (still valid UTF-8)."""
    data = bytearray(value.encode("utf-8"))
    at = next(i for i, byte in enumerate(data) if byte < 0x80)
    data[at] ^= 0x01
    return data.decode("utf-8")


# -- the archive and its files, on both backends ---------------------------------------------


@pytest.fixture
def stocked(db_target, tmp_path):
    """An archive with two articles (one edited once: an earlier version) and one stored
    file in ``tmp_path/files``; (target, files store)."""
    store = tmp_path / "files"
    (store / "Img" / "2016" / "12").mkdir(parents=True)
    (store / "Img" / "2016" / "12" / "2016120503-1.jpg").write_bytes(SCAN)
    with Archive.open(db_target) as archive:
        archive.store_articles([article("134356", "2016-12-05"), article("038852", "1985-11-15")])
        archive.store_articles([article("134356", "2016-12-05", body="第一段。\n改过的第二段。")])
        archive.store_files(
            [
                {
                    "url": "http://szb.sxworker.com/Img/2016/12/2016120503-1.jpg",
                    "kind": "scan",
                    "path": "Img/2016/12/2016120503-1.jpg",
                    "sha256": hashlib.sha256(SCAN).hexdigest(),
                    "bytes": len(SCAN),
                    "status": "stored",
                    "issue_date": "2016-12-05",
                },
                {"url": "http://szb.sxworker.com/Img/gone.jpg", "kind": "image", "status": "missing"},
            ]
        )
    return db_target, store


def test_a_sound_archive_exits_0_with_a_summary(stocked):
    target, store = stocked
    result = run("--db", target, "--files-store", str(store))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "verify: sound: checked 2 articles, 1 earlier versions, 1 files, 0 WARC records in 0 WARC files; "
        f"integrity: {report('--db', target, '--files-store', str(store))[1]['integrity']}"
    ]
    assert "WARC captures not checked" in result.stderr


def test_an_altered_text_is_named_with_the_hash_expected_and_found(stocked):
    target, store = stocked
    with Archive.open_readonly(target) as archive:
        (stored,) = [r for r in archive.iter_export() if r["article_id"] == "038852"]
    altered = flip_one_byte(stored["body"])
    execute(target, "UPDATE articles SET body = :body WHERE article_id = '038852'", body=altered)

    result = run("--db", target, "--files-store", str(store))

    found = content_hash({**stored, "body": altered})
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == (
        f"article 1985-11-15/038852: text does not give its content_hash: "
        f"expected {stored['content_hash']}, found {found}"
    )
    assert result.stdout.splitlines()[1].startswith("verify: 1 problem (1 article); checked 2 articles")


def test_an_altered_earlier_version_is_named_too(stocked):
    target, store = stocked
    execute(target, "UPDATE article_versions SET title = title || '!' WHERE article_id = '134356'")
    status, found = report("--db", target, "--files-store", str(store))
    assert status == 1 and not found["sound"]
    problems = [(p["kind"], p["subject"]) for p in found["problems"]]
    assert problems == [("version", "2016-12-05/134356 (version 1)")]


def test_a_damaged_file_is_named_with_what_was_recorded_and_what_is_there(stocked):
    target, store = stocked
    scan = store / "Img" / "2016" / "12" / "2016120503-1.jpg"
    damaged = bytearray(SCAN)
    damaged[5] ^= 0xFF
    scan.write_bytes(bytes(damaged))

    result = run("--db", target, "--files-store", str(store))

    assert result.exit_code == 1
    recorded = f"{len(SCAN)} bytes, sha256 {hashlib.sha256(SCAN).hexdigest()}"
    now = f"{len(SCAN)} bytes, sha256 {hashlib.sha256(bytes(damaged)).hexdigest()}"
    assert result.stdout.splitlines()[0] == (
        f"file Img/2016/12/2016120503-1.jpg (issue 2016-12-05): sha256 differs: "
        f"expected {recorded}, found {now}"
    )


def test_a_lost_file_and_a_lost_files_store_are_problems(stocked, tmp_path):
    target, store = stocked
    (store / "Img" / "2016" / "12" / "2016120503-1.jpg").unlink()
    status, found = report("--db", target, "--files-store", str(store))
    assert status == 1
    assert [(p["subject"], p["what"], p["found"]) for p in found["problems"]] == [
        ("Img/2016/12/2016120503-1.jpg (issue 2016-12-05)", "missing from FILES_STORE", "no file")
    ]
    status, found = report("--db", target, "--files-store", str(tmp_path / "elsewhere"))
    assert status == 1 and found["checked"]["files"] == 0
    assert found["problems"][0]["what"] == "no such folder: none of 1 stored files checked"


def test_the_database_integrity_check_is_the_backends_own(stocked):
    target, store = stocked
    if target.startswith("postgresql"):
        _, found = report("--db", target, "--files-store", str(store))
        assert found["integrity"] == "PostgreSQL amcheck: not checked"
        assert "the amcheck extension is not installed" in found["notes"][0]
        engine = create_engine(target)
        with engine.connect() as conn:
            available = conn.execute(text("SELECT 1 FROM pg_available_extensions WHERE name = 'amcheck'"))
            if available.first() is None:
                pytest.skip("this PostgreSQL server has no amcheck (postgresql-contrib)")
        engine.dispose()
        execute(target, "CREATE EXTENSION IF NOT EXISTS amcheck")  # into the test's own schema
    status, found = report("--db", target, "--files-store", str(store))
    assert status == 0, found
    expected = "SQLite PRAGMA integrity_check" if target.endswith(".sqlite3") else "PostgreSQL amcheck ("
    assert found["integrity"].startswith(expected)


def test_a_damaged_sqlite_page_is_found_by_the_integrity_check(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([article(f"{n:06d}", body="正文" * 400) for n in range(200)])
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    # A b-tree page of the articles table: its header's cell count set past what fits.
    pages = [n for n in range(1, len(data) // page_size) if data[n * page_size] == 0x0D]
    at = pages[len(pages) // 2] * page_size
    data[at + 3 : at + 5] = b"\xff\xff"
    path.write_bytes(bytes(data))

    status, found = report("--db", str(path), "--files-store", str(tmp_path / "files"))

    assert status == 1
    assert found["problems"][0]["kind"] == "database"


# -- a crawled archive with its files and WARC captures ----------------------------------------


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    """One crawl of the whole replica with raw capture on: archive, files and WARC files."""
    with capture_crawl(tmp_path_factory.mktemp("verify")) as crawl:
        yield crawl


@pytest.fixture
def copy(crawled, tmp_path):
    """A copy of the crawl's folder to damage: (archive, files store, WARC folder)."""
    folder = tmp_path / "copy"
    shutil.copytree(crawled["db"].parent, folder)
    return folder / "archive.sqlite3", folder / "files", folder / "warc"


def options(copy) -> list[str]:
    db, files, warc = copy
    return ["--db", str(db), "--files-store", str(files), "--warc-dir", str(warc)]


def fingerprint(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path.relative_to(folder)): (hashlib.sha256(path.read_bytes()).digest(), path.stat().st_mtime_ns)
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_the_crawl_is_sound_and_verify_changes_nothing(copy):
    folder = copy[0].parent
    before = fingerprint(folder)
    status, found = report(*options(copy))
    assert status == 0, found["problems"]
    checked = found["checked"]
    assert checked["articles"] > 0 and checked["files"] > 0
    assert checked["warc_files"] == len(list(copy[2].iterdir())) > 1
    assert found["notes"] == []
    after = fingerprint(folder)
    # A read-only SQLite reader of a WAL archive makes the index it reads through (-shm)
    # and an empty log beside it when they are missing, as every reader does; it writes
    # nothing into either the archive or the log.
    assert (folder / "archive.sqlite3-wal").stat().st_size == 0
    assert {name: value for name, value in after.items() if not name.endswith(("-shm", "-wal"))} == before


def _record_starts(path: Path) -> list[tuple[int, str]]:
    with path.open("rb") as handle:
        records = ArchiveIterator(handle)
        return [(records.get_record_offset(), r.rec_headers.get_header("WARC-Target-URI")) for r in records]


def test_a_damaged_warc_record_is_named_by_file_byte_and_url(copy):
    warc = sorted(copy[2].iterdir())[1]
    offset = next(start for start, url in _record_starts(warc) if url)
    data = bytearray(warc.read_bytes())
    data[offset + 60] ^= 0xFF  # inside the gzip member's compressed data
    warc.write_bytes(bytes(data))

    result = run(*options(copy))

    assert result.exit_code == 1
    assert f"warc {warc}: damaged WARC record at byte {offset}" in result.stdout
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("warc ")]
    assert line.endswith("; the records after it are not checked")
    assert "verify: 1 problem (1 warc)" in result.stdout
    assert result.stderr == ""  # warcio's own complaints are not passed on


def test_a_record_whose_bytes_no_longer_match_its_digests_is_named(tmp_path, copy):
    warc = tmp_path / "plain" / "other-tool.warc"
    warc.parent.mkdir()
    # Uncompressed, as other tools write them: a flipped bit is read, not a zlib error.
    write_plain(warc, [(f"http://example.test/{name}.html", f"<html>{name}</html>") for name in ("a", "b")])
    offset = _record_starts(warc)[1][0]
    data = warc.read_bytes()
    warc.write_bytes(data.replace(b"<html>b<", b"<html>c<"))

    db, files, _ = copy
    status, found = report("--db", str(db), "--files-store", str(files), "--warc-dir", str(warc.parent))

    assert status == 1
    assert [p["what"] for p in found["problems"]] == [
        "WARC-Block-Digest does not match",
        "WARC-Payload-Digest does not match",
    ]
    problem = found["problems"][1]
    which = "response http://example.test/b.html <urn:uuid:"
    assert problem["subject"].startswith(f"{warc} record at byte {offset} ({which}")
    assert problem["expected"].startswith("sha1:") and problem["found"].startswith("sha1:")
    assert problem["expected"] != problem["found"]
    assert found["checked"]["warc_records"] == 2


def test_a_killed_crawls_open_file_cut_off_inside_its_last_record_is_expected(copy):
    last = sorted(copy[2].iterdir())[-1]
    offset = _record_starts(last)[-1][0]
    cut = last.with_name(last.name + ".open")
    cut.write_bytes(last.read_bytes()[: offset + 40])
    last.unlink()
    status, found = report(*options(copy))
    assert status == 0, found["problems"]


def test_an_empty_warc_folder_is_a_note_a_missing_one_a_problem(copy, tmp_path):
    db, files, _ = copy
    (tmp_path / "empty").mkdir()
    status, found = report("--db", str(db), "--files-store", str(files), "--warc-dir", f"{tmp_path}/empty")
    assert status == 0 and found["notes"] == [f"no WARC files in {tmp_path / 'empty'}"]
    status, found = report("--db", str(db), "--files-store", str(files), "--warc-dir", f"{tmp_path}/none")
    assert status == 1 and found["problems"][0]["what"] == "no such folder: no WARC file checked"


def test_no_archive_is_one_line_exit_2(tmp_path):
    result = run("--db", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 2
    assert result.output == f"sxworker: error: no archive at {tmp_path / 'none.sqlite3'}\n"


def test_the_readme_says_what_to_do_with_each_kind_of_finding():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Fixity: `sxworker verify`", 1)[1].split("\n## ", 1)[0]
    for kind in ("database", "article", "version", "file", "warc"):
        assert f"`{kind} " in section, kind
