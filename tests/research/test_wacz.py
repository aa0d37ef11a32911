"""``sxworker export --format wacz``: a crawl's captures packed, indexed, listed and validated."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from sxworker.archive import Archive
from sxworker.crawl.captures import warc_date_utc
from sxworker.crawl.warc import warc_files
from sxworker.research import wacz
from sxworker.research.cli import main
from tests.crawl.test_warc import capture_crawl
from tests.warc_faults import damage_record, leave_open

pytest.importorskip("wacz.main", reason="the replay extra: pip install 'sxworker[replay]'")


@pytest.fixture(scope="module")
def captured(tmp_path_factory):
    """The whole replica crawled with raw capture on (small WARC files, so they rotate)."""
    with capture_crawl(tmp_path_factory.mktemp("captured")) as crawl:
        yield crawl


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def export(captured, output: Path, *args: str, warc: Path | None = None):
    return run(
        "export",
        "--format",
        "wacz",
        "--db",
        str(captured["db"]),
        "--warc-dir",
        str(warc or captured["warc"]),
        "-o",
        str(output),
        *args,
    )


def archived(db: Path) -> list[dict]:
    with Archive.open_readonly(str(db)) as archive:
        return list(archive.iter_export())


def pages_of(package: Path) -> list[dict]:
    with zipfile.ZipFile(package) as zipped:
        return [json.loads(line) for line in zipped.read("pages/pages.jsonl").decode("utf-8").splitlines()]


def records_of(package: Path) -> list[tuple[str, str, str]]:
    """(type, URI, WARC-Date) of every record in the package's WARC data."""
    out = []
    with zipfile.ZipFile(package) as zipped:
        for name in zipped.namelist():
            if name.startswith("archive/"):
                for record in ArchiveIterator(io.BytesIO(zipped.read(name)), check_digests=True):
                    record.content_stream().read()
                    headers = record.rec_headers
                    out.append(
                        (record.rec_type, headers.get_header("WARC-Target-URI") or "", headers["WARC-Date"])
                    )
    return out


def captured_records(warc: Path) -> list[tuple[str, str, str]]:
    out = []
    for path in warc_files([warc]):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                headers = record.rec_headers
                out.append(
                    (record.rec_type, headers.get_header("WARC-Target-URI") or "", headers["WARC-Date"])
                )
    return out


def newest_article_dates(warc: Path) -> dict[str, str]:
    """URL → WARC-Date of the newest successful capture of each article."""
    dates = {}
    for path in warc_files([warc]):
        with path.open("rb") as handle:
            for record in ArchiveIterator(handle):
                url = record.rec_headers.get_header("WARC-Target-URI") or ""
                response = record.rec_type == "response" and "/content/" in url
                if response and record.http_headers.get_statuscode().startswith("2"):
                    dates[url] = warc_date_utc(record.rec_headers["WARC-Date"])
    return dates


def test_the_package_validates_and_lists_every_article_with_its_title_and_text(captured, tmp_path):
    package = tmp_path / "all.wacz"

    result = export(captured, package)

    assert result.exit_code == 0, result.output
    wacz.validate(package)  # py-wacz's `wacz validate -f`: raises with its verdict if invalid
    articles = archived(captured["db"])
    dates = newest_article_dates(captured["warc"])
    header, *pages = pages_of(package)
    assert header == {
        "format": "json-pages-1.0",
        "id": "pages",
        "title": "陕西工人报 articles",
        "hasText": True,
    }
    assert [(page["id"], page["url"], page["ts"], page["title"]) for page in pages] == [
        (f"{a['issue_date']}/{a['article_id']}", a["url"], dates[a["url"]], a["title"]) for a in articles
    ]
    assert len(pages) == len(articles) > 20
    seed = next(page for page in pages if page["id"] == "2016-12-05/134356")
    record = next(a for a in articles if a["article_id"] == "134356")
    assert seed["text"] == "\n".join(
        [
            *(record[name] for name in ("kicker", "title", "subtitle", "author") if record[name]),
            record["body"],
        ]
    )
    # Every record of the captures, byte for byte (their digests checked on reading).
    assert sorted(records_of(package)) == sorted(captured_records(captured["warc"]))
    assert (
        result.output == f"sxworker: {package}: {len(records_of(package))} WARC records, {len(pages)} pages\n"
    )
    assert (tmp_path / "all.wacz.sha256").read_text() == (
        f"{hashlib.sha256(package.read_bytes()).hexdigest()}  all.wacz\n"
    )


def test_datapackage_names_every_part_with_its_sha256(captured, tmp_path):
    package = tmp_path / "all.wacz"
    assert export(captured, package).exit_code == 0
    with zipfile.ZipFile(package) as zipped:
        manifest = json.loads(zipped.read("datapackage.json"))
        names = set(zipped.namelist())
        parts = {
            resource["path"]: (resource["hash"], resource["bytes"]) for resource in manifest["resources"]
        }
        assert parts == {
            name: (f"sha256:{hashlib.sha256(zipped.read(name)).hexdigest()}", len(zipped.read(name)))
            for name in names - {"datapackage.json", "datapackage-digest.json"}
        }
        digest = json.loads(zipped.read("datapackage-digest.json"))
        assert digest["hash"] == f"sha256:{hashlib.sha256(zipped.read('datapackage.json')).hexdigest()}"
    assert manifest["wacz_version"] == "1.1.1"
    assert {"pages/pages.jsonl", "indexes/index.cdx.gz", "indexes/index.idx"} <= set(parts)
    # The CDXJ index: one line per response (GET requests are not looked up).
    with zipfile.ZipFile(package) as zipped:
        index = gzip.decompress(zipped.read("indexes/index.cdx.gz")).decode("utf-8").splitlines()
    responses = sorted(uri for kind, uri, _date in records_of(package) if kind == "response")
    assert sorted(json.loads(line.split(" ", 2)[2])["url"] for line in index) == responses


def test_since_and_until_keep_the_issues_in_range_and_what_all_share(captured, tmp_path):
    package = tmp_path / "2016.wacz"
    result = export(captured, package, "--since", "2016-01-01", "--until", "2016-12-31")
    assert result.exit_code == 0, result.output
    wacz.validate(package)
    expected = [a for a in archived(captured["db"]) if a["issue_date"].startswith("2016-")]
    assert [page["id"] for page in pages_of(package)[1:]] == [
        f"{a['issue_date']}/{a['article_id']}" for a in expected
    ]
    assert len(expected) > 0
    kept = {uri for _type, uri, _date in records_of(package)}
    everything = {uri for _type, uri, _date in captured_records(captured["warc"])}
    assert kept == {uri for uri in everything if wacz.in_range(uri, "2016-01-01", "2016-12-31")}
    assert f"{captured['server'].base_url}/robots.txt" in kept
    assert not any("/1985-" in uri or "/2023-" in uri for uri in kept)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h/content/2016-12/05/134356.html", True),
        ("http://h/Img/2016/12/2016120503-1.jpg", True),
        ("http://h/content/2017-01/02/1.html", False),
        ("http://h/html/1985-11/15/node_1.htm", False),
        ("http://h/robots.txt", True),
        ("http://h/style.css?v=20200101", True),  # a date in the query is not an issue's
    ],
)
def test_in_range(url, expected):
    assert wacz.in_range(url, "2016-01-01", "2016-12-31") is expected


def test_an_open_file_is_packed_up_to_its_last_whole_record(captured, tmp_path):
    folder = tmp_path / "warc"
    shutil.copytree(captured["warc"], folder)
    leave_open(sorted(folder.iterdir())[-1])
    package = tmp_path / "open.wacz"

    result = export(captured, package, warc=folder)

    assert result.exit_code == 0, result.output
    wacz.validate(package)
    assert len(records_of(package)) == len(captured_records(captured["warc"])) - 1


def one_line(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output == f"sxworker: error: {text}\n"


def test_no_captures_say_how_to_turn_them_on(captured, tmp_path):
    base = ["export", "--format", "wacz", "--db", str(captured["db"]), "-o", str(tmp_path / "a.wacz")]
    one_line(run(*base, env={"SXWORKER_WARC_DIR": ""}), wacz.NO_CAPTURES)
    (tmp_path / "empty").mkdir()
    one_line(
        run(*base, "--warc-dir", str(tmp_path / "empty")),
        f"no WARC files in {tmp_path / 'empty'} ({wacz.NO_CAPTURES})",
    )
    one_line(
        run(*base, "--warc-dir", str(tmp_path / "none")),
        f"no such WARC file or folder: {tmp_path / 'none'} ({wacz.NO_CAPTURES})",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty"]


def test_a_damaged_finished_file_is_one_line_and_writes_nothing(captured, tmp_path):
    folder = tmp_path / "warc"
    shutil.copytree(captured["warc"], folder)
    damaged = sorted(folder.iterdir())[1]
    start = damage_record(damaged, 2)

    result = export(captured, tmp_path / "out.wacz", warc=folder)

    one_line(result, f"{damaged}: damaged WARC record at byte {start}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warc"]


def test_without_o_or_onto_the_archive_it_refuses(captured, tmp_path):
    base = ["export", "--format", "wacz", "--db", str(captured["db"]), "--warc-dir", str(captured["warc"])]
    one_line(run(*base), "--format wacz needs -o FILE.wacz: a package is a zip file, not a stream")
    one_line(run(*base, "-o", str(captured["db"])), f"refusing to write {captured['db']}: it is the archive")
    one_line(
        run(*base, "-o", str(tmp_path / "a.wacz"), "--page-name", "头版"),
        "--format wacz packs whole captures: it takes --since/--until only",
    )


def test_without_the_extra_it_says_what_to_install(captured, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "wacz.main", None)  # import wacz.main raises ImportError
    result = export(captured, tmp_path / "a.wacz")
    one_line(result, "--format wacz needs py-wacz and pywb: pip install 'sxworker[replay]'")
    assert list(tmp_path.iterdir()) == []


def test_a_range_without_captured_articles_keeps_only_what_all_issues_share(captured, tmp_path):
    package = tmp_path / "none.wacz"
    result = export(captured, package, "--since", "2030-01-01")
    assert result.exit_code == 0, result.output
    wacz.validate(package)
    assert pages_of(package) == [wacz.PAGES_HEADER]
    kept = sorted(records_of(package))
    assert kept == sorted(
        r for r in captured_records(captured["warc"]) if wacz.in_range(r[1], "2030-01-01", None)
    )
    assert {kind for kind, _uri, _date in kept} == {"warcinfo", "request", "response"}
    assert result.output == f"sxworker: {package}: {len(kept)} WARC records, 0 pages\n"
