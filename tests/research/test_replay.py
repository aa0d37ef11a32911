"""``sxworker replay``: a crawl's captures served by pywb on loopback, and the replay links of
``show`` and the Datasette article page."""

from __future__ import annotations

import hashlib
import html
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from click.testing import CliRunner
from w3lib.encoding import html_to_unicode

from sxworker.archive import Archive
from sxworker.research import replay, wacz
from sxworker.research.cli import main
from tests.conftest import ROOT, SITE, clean_environment
from tests.crawl.test_warc import capture_crawl
from tests.research.test_cite import seed_datasette_pages, seed_record
from tests.research.webcheck import dump_dom, screenshot
from tests.warc_faults import damage_record, leave_open

HAVE_PYWB = replay.importlib.util.find_spec("pywb") is not None
needs_pywb = pytest.mark.skipif(not HAVE_PYWB, reason="the replay extra: pip install 'sxworker[replay]'")
SEED = ("2016-12-05", "134356")
CAPTURED = "2024-05-01T23:30:00Z"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


class Replaying:
    def __init__(self, process: subprocess.Popen, base: str, log: Path, temp: Path) -> None:
        self.process, self.base, self.log, self.temp = process, base, log, temp

    def get(self, url: str) -> tuple[int, str]:
        with urllib.request.urlopen(url, timeout=30) as response:
            # Decoded as a browser would: the older pages are GBK, said in a <meta> tag.
            _encoding, text = html_to_unicode(response.headers.get("Content-Type"), response.read())
            return response.status, text


@contextmanager
def replaying(warc: Path, folder: Path, *args: str, cache: Path | None = None) -> Iterator[Replaying]:
    """``sxworker replay --port 0`` in a subprocess (its temporary folder under ``folder``,
    its index cache in ``cache`` or ``folder``), until the block ends; the address is the
    one its "replaying … at" line names."""
    log, temp = folder / "replay.log", folder / "tmp"
    temp.mkdir(parents=True)
    env = clean_environment() | {"TMPDIR": str(temp), "XDG_CACHE_HOME": str(cache or folder / "cache")}
    with log.open("w", encoding="utf-8") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sxworker", "replay", "--port", "0", "--warc-dir", str(warc), *args],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 120
        pattern = r"at (http://127\.0\.0\.1:\d+/sxworker)/ \(read-only; Ctrl-C to stop\)"
        while not (found := re.search(pattern, log.read_text("utf-8"))):
            if process.poll() is not None:
                pytest.fail(f"sxworker replay exited {process.returncode}: {log.read_text('utf-8')}")
            if time.monotonic() > deadline:
                pytest.fail(f"sxworker replay did not say where it serves in 120 s: {log.read_text('utf-8')}")
            time.sleep(0.2)
        yield Replaying(process, found.group(1), log, temp)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def text_of(page: str) -> str:
    """The page with entities read and white space runs as one space, as the parser reads
    a title (the seed's has an &nbsp; in it)."""
    return " ".join(html.unescape(page).split())


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir()}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The replica crawled with raw capture on, and ``sxworker replay`` serving the captures."""
    if not HAVE_PYWB:
        pytest.skip("the replay extra: pip install 'sxworker[replay]'")
    with capture_crawl(tmp_path_factory.mktemp("captured")) as crawl:
        before = digests(crawl["warc"])
        with Archive.open_readonly(str(crawl["db"])) as archive:
            crawl["articles"] = {(r["issue_date"], r["article_id"]): r for r in archive.iter_export()}
        with replaying(crawl["warc"], tmp_path_factory.mktemp("replay")) as server:
            crawl["replay"] = server
            yield crawl
        # Read-only: the captures are as they were.
        assert digests(crawl["warc"]) == before


def test_an_articles_replay_link_shows_it_as_captured(replayed):
    server = replayed["replay"]
    for key in (SEED, *list(replayed["articles"])[:3]):
        record = replayed["articles"][key]
        link = replay.replay_link(record, base=server.base)
        seen = re.sub(r"\D", "", record["last_seen"])
        assert link == f"{server.base}/{seen}/{record['url']}"
        status, page = server.get(link)
        assert status == 200
        # The page as the site served it (with pywb's links rewritten): its title and text.
        assert f"<title>{record['title']}" in text_of(page)
        assert record["body"].splitlines()[0][:20] in text_of(page)


def test_a_replayed_article_renders_in_chromium(replayed, tmp_path):
    record = replayed["articles"][SEED]
    link = replay.replay_link(record, base=replayed["replay"].base)
    dom = dump_dom(link, tmp_path / "profile")
    assert f">{record['title']}</h1>" in text_of(dom)
    png = screenshot(link, tmp_path / "replay-article.png", tmp_path / "profile")
    assert png.stat().st_size > 10_000


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])  # SIGINT: Ctrl-C
def test_sigterm_or_ctrl_c_stops_it_and_removes_its_folder(replayed, tmp_path, stop):
    with replaying(replayed["warc"], tmp_path) as server:
        assert list(server.temp.iterdir())  # the collection while it serves
        server.process.send_signal(stop)
        assert server.process.wait(timeout=30) == 0
    files = len(list(replayed["warc"].iterdir()))
    assert server.log.read_text("utf-8").splitlines() == [
        f"sxworker: replaying {files} WARC files at {server.base}/ (read-only; Ctrl-C to stop)",
        # Not at SXWORKER_REPLAY_URL's default port: how to make show's links lead here.
        "sxworker: show and serve link articles to http://127.0.0.1:8090/sxworker; "
        f"for this replay, set SXWORKER_REPLAY_URL={server.base}",
        "sxworker: replay stopped",
    ]
    assert list(server.temp.iterdir()) == []
    with pytest.raises(OSError):
        urllib.request.urlopen(server.base + "/", timeout=5)


def test_an_open_file_is_replayed_up_to_its_last_whole_record(replayed, tmp_path):
    folder = tmp_path / "warc"
    shutil.copytree(replayed["warc"], folder)
    leave_open(sorted(folder.iterdir())[-1])
    with replaying(folder, tmp_path) as server:
        status, page = server.get(replay.replay_link(replayed["articles"][SEED], base=server.base))
    assert status == 200 and replayed["articles"][SEED]["title"] in text_of(page)


def test_a_second_replay_indexes_only_the_files_new_since_the_first(replayed, tmp_path):
    warc = tmp_path / "warc"
    shutil.copytree(replayed["warc"], warc)
    cache = tmp_path / "cache"
    link = replay.replay_link(replayed["articles"][SEED], base="{base}")
    with replaying(warc, tmp_path / "one", cache=cache) as server:
        assert server.get(link.replace("{base}", server.base))[0] == 200
    (folder,) = (cache / "sxworker" / "replay").iterdir()

    def key(path: Path) -> str:
        return f"{path.name}.{path.stat().st_size}.{path.stat().st_mtime_ns}.cdxj"

    first = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert sorted(first) == sorted(key(path) for path in warc.iterdir())
    (folder / "sxworker-gone.warc.gz.1.2.cdxj").write_text("")  # of a file no longer there
    added = warc / "sxworker-99991231T000000Z-00001.warc.gz"
    shutil.copy(sorted(warc.iterdir())[0], added)

    with replaying(warc, tmp_path / "two", cache=cache) as server:
        status, page = server.get(link.replace("{base}", server.base))

    assert status == 200 and replayed["articles"][SEED]["title"] in text_of(page)
    second = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    assert second == first | {key(added): second[key(added)]}  # the others not made again


def test_a_large_first_replay_says_it_is_indexing(replayed, tmp_path, monkeypatch):
    monkeypatch.setattr(replay, "ANNOUNCED_BYTES", 0)
    monkeypatch.setattr(replay, "lay_out", lambda *args: (_ for _ in ()).throw(KeyboardInterrupt))
    monkeypatch.setattr(replay.tempfile, "tempdir", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    result = run("replay", "--port", "0", "--warc-dir", str(replayed["warc"]))
    files = len(list(replayed["warc"].iterdir()))
    assert (result.exit_code, result.output) == (
        0,
        f"sxworker: checking and indexing {files} of {files} WARC files …\nsxworker: replay stopped\n",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache"]  # its folder removed


# -- bad input: one line, exit 2 -----------------------------------------------------------


def one_line(result, text: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output == f"sxworker: error: {text}\n"


@needs_pywb
def test_no_captures_say_how_to_turn_them_on(tmp_path):
    one_line(run("replay", "--port", "0", env={"SXWORKER_WARC_DIR": ""}), wacz.NO_CAPTURES)
    one_line(
        run("replay", "--port", "0", "--warc-dir", str(tmp_path)),
        f"no WARC files in {tmp_path} ({wacz.NO_CAPTURES})",
    )


@needs_pywb
def test_a_port_in_use_is_one_line(replayed):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run("replay", "--port", str(port), "--warc-dir", str(replayed["warc"]))
    one_line(result, f"cannot listen on 127.0.0.1:{port}: Address already in use")


@needs_pywb
def test_a_damaged_finished_file_is_one_line(replayed, tmp_path, monkeypatch):
    folder = tmp_path / "warc"
    shutil.copytree(replayed["warc"], folder)
    damaged = sorted(folder.iterdir())[0]
    start = damage_record(damaged, 1)
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(replay.tempfile, "tempdir", str(tmp_path / "tmp"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    result = run("replay", "--port", "0", "--warc-dir", str(folder))

    one_line(result, f"{damaged}: damaged WARC record at byte {start}")
    assert list((tmp_path / "tmp").iterdir()) == []


def test_without_the_extra_it_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pywb", None)  # find_spec answers None
    result = run("replay", "--warc-dir", str(tmp_path))
    one_line(result, "replay needs py-wacz and pywb: pip install 'sxworker[replay]'")


# -- the links -------------------------------------------------------------------------------


SEED_LINK = f"http://127.0.0.1:8090/sxworker/20240501233000/{SITE}/content/2016-12/05/134356.html"


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([seed_record()], seen_at=CAPTURED)
    return path


def test_the_link_is_the_capture_time_and_url_under_sxworker_replay_url(monkeypatch):
    record = {"url": f"{SITE}/content/2016-12/05/134356.html", "last_seen": CAPTURED}
    monkeypatch.delenv("SXWORKER_REPLAY_URL", raising=False)
    assert replay.replay_link(record) == SEED_LINK
    monkeypatch.setenv("SXWORKER_REPLAY_URL", "https://wayback.example.org/coll/")
    assert replay.replay_link(record) == (
        f"https://wayback.example.org/coll/20240501233000/{SITE}/content/2016-12/05/134356.html"
    )
    assert replay.replay_link(record | {"last_seen": None}, base="http://h/c") == (
        f"http://h/c/{SITE}/content/2016-12/05/134356.html"
    )


def test_show_links_the_article_to_its_replay(archive_path, monkeypatch):
    monkeypatch.delenv("SXWORKER_REPLAY_URL", raising=False)
    result = run("show", "134356", "--db", str(archive_path))
    assert result.exit_code == 0, result.output
    lines = [line.strip("│ ") for line in result.output.splitlines()]
    assert lines[lines.index("As captured (sxworker replay)") + 1] == SEED_LINK


def test_the_datasette_article_page_links_to_its_replay(archive_path, monkeypatch):
    monkeypatch.delenv("SXWORKER_REPLAY_URL", raising=False)

    page, other = seed_datasette_pages(archive_path)
    assert f'<p><a href="{SEED_LINK}">{SEED_LINK}</a>' in page
    assert "As captured" not in other
