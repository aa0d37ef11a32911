"""Unattended runs: faults end in the right record, the ledger heals, the run log and the
layout alarm tell the operator what happened, and one crawl runs at a time."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.crawl.runlock import lock_path, run_lock
from sxworker.replica import ReplicaServer, answer, fail_times
from sxworker.research.cli import main

DAY = "2023-10-17"
ARTICLE = "/content/2023-10/17/{}.html"


def hanging(seconds: float):
    def hook(handler) -> bool:
        time.sleep(seconds)
        return False

    return hook


def mislabelled_gbk(server: ReplicaServer, path: str):
    """The replica's own page, re-encoded as GBK but still labelled UTF-8."""
    text = server.site.resources[path].body.decode("utf-8")

    return answer(200, text.encode("gbk", "xmlcharrefreplace"), "text/html; charset=utf-8")


def locks_archive_while_served(db, seconds: float):
    """Serve normally, but first hold the archive's write lock for a while from another
    connection (what a long write by another program looks like to the crawl)."""
    started = threading.Event()

    def hold() -> None:
        connection = sqlite3.connect(db, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        started.set()
        time.sleep(seconds)
        connection.execute("COMMIT")
        connection.close()

    def hook(handler) -> bool:
        if not started.is_set():
            threading.Thread(target=hold, daemon=True).start()
            started.wait(5)
        return False

    return hook


def failure_rows(db) -> dict[str, dict]:
    with Archive.open_readonly(str(db)) as archive:
        return {row["url"].split("/")[-1]: row for row in archive.open_failures()}


def runs_of(db) -> list[dict]:
    with Archive.open_readonly(str(db)) as archive:
        return archive.recent_runs()


def stored_ids(db, day: str = DAY) -> set[str]:
    with Archive.open_readonly(str(db)) as archive:
        return {row["article_id"] for row in archive.iter_export(since=day, until=day)}


@pytest.fixture(scope="module")
def faulty_crawl(tmp_path_factory):
    """One crawl of 2023-10-17 with a different fault at each article."""
    from tests.conftest import run_crawl

    db = tmp_path_factory.mktemp("faults") / "archive.sqlite3"
    with ReplicaServer() as server:
        expected = {a["article_id"]: a for a in server.site.expected_articles if a["issue_date"] == DAY}
        faults = {
            "016201": fail_times(1, status=500),  # 500, then 200
            "016202": fail_times(1, status=429, retry_after=1),
            "016204": hanging(4),  # longer than DOWNLOAD_TIMEOUT, every time
            "016205": answer(200, "<html><body><h1>标题</h1><p>正文".encode(), length=4000),  # truncated
            "016206": answer(200, b""),  # empty 200
            "016210": answer(200, b"<html><body>" + "很长的页面。".encode() * 40000 + b"</body></html>"),
            "016211": answer(302, headers={"Location": ARTICLE.format("016211")}),  # a loop
            "016213": answer(302, headers={"Location": "http://elsewhere.invalid/content/x.html"}),
            "016214": mislabelled_gbk(server, ARTICLE.format("016214")),
        }
        for article_id, hook in faults.items():
            server.faults[ARTICLE.format(article_id)] = hook
        # A page view of the issue arrives while another program holds the archive locked.
        server.faults["/epaper/2023/1017/A02.html"] = locks_archive_while_served(db, 3)
        result = run_crawl(
            server.base_url,
            db,
            start=DAY,
            end=DAY,
            settings={
                "DOWNLOAD_TIMEOUT": "1",
                "RETRY_TIMES": "1",
                "DOWNLOAD_MAXSIZE": "200000",
                "DOWNLOAD_WARNSIZE": "0",
                "REDIRECT_MAX_TIMES": "3",
            },
        )
        requests = list(server.requests)
    return result, db, expected, requests


def test_each_fault_ends_in_the_right_record(faulty_crawl):
    result, db, expected, requests = faulty_crawl
    assert result.ok, result.log[-2000:]
    assert "Traceback" not in result.log
    # Stored: retried after a 500 and after a 429, the mislabelled GBK page, and the
    # untouched ones — with the text the replica served.
    assert stored_ids(db) == {"016201", "016202", "016214"}
    with Archive.open_readonly(str(db)) as archive:
        gbk = next(r for r in archive.iter_export(since=DAY, until=DAY) if r["article_id"] == "016214")
    assert (gbk["title"], gbk["body"]) == (expected["016214"]["title"], expected["016214"]["body"])
    assert requests.count(ARTICLE.format("016201")) == 2
    assert requests.count(ARTICLE.format("016202")) == 2
    # Each failure: one row with what happened.
    rows = failure_rows(db)
    assert set(rows) == {
        "016204.html",
        "016205.html",
        "016206.html",
        "016210.html",
        "016211.html",
        "016213.html",
    }
    assert all(row["kind"] == "article" and row["issue_date"] == DAY for row in rows.values())
    assert all(row["attempts"] == 1 and row["resolved_at"] is None for row in rows.values())
    assert "TimeoutError" in rows["016204.html"]["error"] or "took longer" in rows["016204.html"]["error"]
    assert "ResponseFailed" in rows["016205.html"]["error"] or "DataLoss" in rows["016205.html"]["error"]
    assert rows["016206.html"]["error"] == "not an HTML page"
    assert "Cancelled" in rows["016210.html"]["error"] or "maxsize" in rows["016210.html"]["error"].lower()
    assert "redirect" in rows["016211.html"]["error"].lower()
    assert "elsewhere.invalid" in rows["016213.html"]["error"] or "offsite" in rows["016213.html"]["error"]
    assert not any("elsewhere" in path for path in requests)


def test_the_run_log_says_what_the_faulty_run_did(faulty_crawl):
    _, db, _, _ = faulty_crawl
    (run,) = runs_of(db)
    assert (run["mode"], run["range_start"], run["range_end"]) == ("range", DAY, DAY)
    assert (run["articles_new"], run["articles_changed"], run["failed"]) == (3, 0, 6)
    assert (run["outcome"], run["finish_reason"]) == ("failures", "finished")
    assert run["requests"] > 0 and run["finished_at"] >= run["started_at"]
    # Three articles read; the empty page reached the parser and counts as unreadable (the
    # other faults never produced a page to read).
    assert run["fill_rates"]["title"] == pytest.approx(3 / 4)


def test_gaps_lists_the_incomplete_issue_and_its_failures(faulty_crawl):
    _, db, _, _ = faulty_crawl
    result = CliRunner().invoke(main, ["gaps", "--db", str(db), "--json"])
    assert result.exit_code == 0
    (gap,) = [json.loads(line) for line in result.output.splitlines()]
    assert gap["issue_date"] == DAY
    assert gap["articles_missing"] == 6 and gap["open_failures"] == 6
    assert sorted(gap["missing_article_ids"]) == ["016204", "016205", "016206", "016210", "016211", "016213"]
    # Per page (A1 also teases an article of another page that failed):
    per_page = [(page["page_no"], page["articles_missing"]) for page in gap["pages_missing_articles"]]
    assert per_page == [(1, 1), (2, 3), (3, 2), (4, 1)]
    failures = CliRunner().invoke(main, ["gaps", "--failures", "--db", str(db), "--json"])
    assert len(failures.output.splitlines()) == 6
    table = CliRunner().invoke(main, ["gaps", "--db", str(db)])
    assert DAY in table.output and "016204" in table.output
    runs = CliRunner().invoke(main, ["runs", "--db", str(db)])
    assert "failures" in runs.output and DAY in runs.output
    stats = json.loads(CliRunner().invoke(main, ["stats", "--db", str(db), "--json"]).output)
    assert (stats["incomplete_issues"], stats["open_failures"]) == (1, 6)
    assert (stats["last_run"]["id"], stats["last_run"]["outcome"]) == (1, "failures")


def test_the_next_run_retries_failures_first_and_heals_the_ledger(faulty_crawl, crawl, tmp_path):
    _, db, expected, _ = faulty_crawl
    healed = tmp_path / "healed.sqlite3"
    healed.write_bytes(db.read_bytes())
    with ReplicaServer() as server:
        # A scheduled run (no dates): only the latest issue is in its window.
        result = crawl(server.base_url, db=healed)
        requests = list(server.requests)
    assert result.ok, result.log[-2000:]
    retried = {ARTICLE.format(i) for i in ("016204", "016205", "016206", "016210", "016211", "016213")}
    articles = [path for path in requests if "/content/" in path]
    assert set(articles[: len(retried)]) == retried  # before anything else
    assert stored_ids(healed) == set(expected)
    assert failure_rows(healed) == {}
    with Archive.open_readonly(str(healed)) as archive:
        assert archive.gaps() == []
        newest, first = archive.recent_runs()
    assert (first["outcome"], newest["outcome"], newest["mode"]) == ("failures", "ok", "scheduled")
    assert newest["failed"] == 0 and newest["articles_new"] == 6


# The site's new template: the article is rendered by a script, the page has no text.
_js_app = answer(
    200,
    '<html><head><meta charset="utf-8"><title>陕西工人报</title></head>'
    '<body><div id="app"></div><script src="/static/app.js"></script></body></html>'.encode(),
)


def test_a_layout_change_stops_the_run_loudly_and_stores_nothing(crawl, tmp_path):
    with ReplicaServer() as server:
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        first = crawl(server.base_url, start=dates[0], end=dates[-1])
        assert first.ok
        db = first.db
        with Archive.open_readonly(str(db)) as archive:
            before = list(archive.iter_export())
        for resource in server.site.expected_articles:
            server.faults[resource["url"].removeprefix(server.base_url)] = _js_app
        alarmed = crawl(
            server.base_url,
            start=dates[0],
            end=dates[-1],
            db=db,
            SXWORKER_REFETCH="True",
            SXWORKER_ALARM_MIN_ARTICLES="5",
        )
    assert not alarmed.ok  # scrapy crawl exits 1
    assert "layout change suspected after 5 articles: fill rate of title 0% (norm 100%)" in alarmed.log
    with Archive.open_readonly(str(db)) as archive:
        assert list(archive.iter_export()) == before
        run = archive.recent_runs()[0]
    assert (run["outcome"], run["finish_reason"]) == ("layout-alarm", "layout_changed")
    assert run["message"].startswith("layout change suspected")
    assert run["fill_rates"]["title"] == 0


def test_an_overlapping_start_exits_at_once_with_one_line(crawl_command, tmp_path):
    """The command's lock, exit status and output: ``scrapy crawl`` in a subprocess."""
    db = tmp_path / "archive.sqlite3"
    with run_lock(lock_path(str(db))):
        started = time.monotonic()
        process, _ = crawl_command("http://127.0.0.1:9", db=db)
    assert process.returncode == 75
    assert time.monotonic() - started < 30
    last_line = process.stderr.strip().splitlines()[-1]
    assert last_line.startswith("sxworker: error: another crawl or reparse of this archive is running (pid ")
    assert "Traceback" not in process.stderr
    assert not db.exists()  # it gave up before touching anything


def test_a_crawl_through_a_symlink_gives_way_to_one_of_the_archive_it_names(crawl_command, tmp_path):
    link = tmp_path / "link.sqlite3"
    link.symlink_to("two.sqlite3")
    with run_lock(tmp_path / "two.sqlite3.lock"):  # as a crawl of two.sqlite3 holds it
        process, _ = crawl_command("http://127.0.0.1:9", db=link)
    assert process.returncode == 75
    last_line = process.stderr.strip().splitlines()[-1]
    assert last_line == (
        "sxworker: error: another crawl or reparse of this archive is running "
        f"(pid {os.getpid()}; lock {tmp_path / 'two.sqlite3.lock'})"
    )
    assert not (tmp_path / "two.sqlite3").exists()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link.sqlite3", "two.sqlite3.lock"]


def test_a_missing_scan_keeps_its_issue_open_until_a_later_run_gets_it(crawl):
    scan = "/Img/1985/11/1985111501-1.jpg"
    with ReplicaServer() as server:
        assert scan in server.site.resources
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        server.faults[scan] = answer(404, b"<html><body>404</body></html>")
        first = crawl(server.base_url, start=dates[0], end=dates[-1])
        db = first.db
        (failed,) = [row for row in failure_rows(db).values() if row["kind"] == "scan"]
        assert (failed["issue_date"], failed["error"]) == ("1985-11-15", "HTTP 404")
        with Archive.open_readonly(str(db)) as archive:
            assert [gap["issue_date"] for gap in archive.gaps() if gap["open_failures"]] == [
                "1985-11-15",
                "2008-09-01",  # the replica's broken article link
            ]
        del server.faults[scan]
        server.clear_requests()
        second = crawl(server.base_url, start=dates[0], end=dates[-1], db=db)
        requests = list(server.requests)
        scan_url = server.base_url + scan
    assert first.ok and second.ok
    assert requests.count(scan) == 1
    with Archive.open_readonly(str(db)) as archive:
        assert archive.stored_file(scan_url)["status"] == "stored"
        assert [gap["issue_date"] for gap in archive.gaps()] == ["2008-09-01"]


def test_a_late_edit_in_the_recheck_window_becomes_version_2(crawl):
    path = ARTICLE.format("016201")
    with ReplicaServer() as server:
        first = crawl(server.base_url, start=DAY, end=DAY)
        db = first.db
        with Archive.open_readonly(str(db)) as archive:
            before = {r["article_id"]: r for r in archive.iter_export()}
        old_body = before["016201"]["body"]
        first_paragraph = old_body.split("\n")[0]
        page = server.site.resources[path].body.decode("utf-8")
        assert first_paragraph in page
        edited = page.replace(first_paragraph, first_paragraph + "(本文有更正)").encode("utf-8")
        server.faults[path] = answer(200, edited)
        time.sleep(1.1)  # last_seen has one-second resolution
        second = crawl(server.base_url, db=db)  # scheduled: the latest issue is re-checked
    assert first.ok and second.ok
    with Archive.open_readonly(str(db)) as archive:
        after = {r["article_id"]: r for r in archive.iter_export()}
        with archive.engine.connect() as conn:
            query = "select article_id, version, body from article_versions"
            versions = conn.exec_driver_sql(query).fetchall()
    assert after["016201"]["version"] == 2
    assert after["016201"]["body"] == old_body.replace(first_paragraph, first_paragraph + "(本文有更正)")
    assert versions == [("016201", 1, old_body)]
    unchanged = after["016202"]
    assert unchanged["version"] == 1 and unchanged["first_seen"] == before["016202"]["first_seen"]
    assert unchanged["last_seen"] > before["016202"]["last_seen"]


def test_a_site_that_answers_nothing_is_an_error_for_cron(crawl_command):
    """What cron sees, the exit status: ``scrapy crawl`` in a subprocess."""
    with ReplicaServer() as server:
        server.faults["*"] = fail_times(100, status=503)
        process, db = crawl_command(server.base_url, RETRY_TIMES="1")
        base_url = server.base_url
    assert process.returncode == 1
    assert "no page of the site could be read: is it down, or SXWORKER_BASE_URL wrong?" in process.stderr
    (run,) = runs_of(db)
    assert (run["outcome"], run["finish_reason"], run["mode"]) == ("error", "finished", "scheduled")
    assert run["message"].startswith("no page of the site could be read")
    failed = [(row["url"].removeprefix(base_url), row["status"]) for row in failure_rows(db).values()]
    assert failed == [("/", 503)]


def test_a_failed_page_on_the_way_back_is_retried_and_still_walked(crawl):
    """The latest issue's first page failed yesterday: today it is retried first, and the
    walk through it (to the other pages and issues) still happens."""
    first_page = "/epaper/2023/1017/A01.html"
    with ReplicaServer() as server:
        latest = [a["article_id"] for a in server.site.expected_articles if a["issue_date"] == DAY]
        server.faults[first_page] = fail_times(2, status=503)
        failed = crawl(server.base_url, RETRY_TIMES="1")
        db = failed.db
        assert [row["kind"] for row in failure_rows(db).values()] == ["page"]
        assert stored_ids(db) == set()
        healed = crawl(server.base_url, db=db)
    # Exit status 1, then 0: the first run read no page at all.
    assert (failed.ok, healed.ok) == (False, True)
    assert stored_ids(db) == set(latest)
    assert failure_rows(db) == {}
    assert runs_of(db)[0]["outcome"] == "ok"


def test_an_archive_that_cannot_be_used_is_one_line_before_any_request(crawl_command, tmp_path):
    """The command's exit status and its one line: ``scrapy crawl`` in a subprocess."""
    broken = tmp_path / "not-an-archive.sqlite3"
    broken.write_text("a text file, not SQLite")
    with ReplicaServer() as server:
        process, _ = crawl_command(server.base_url, db=broken)
        requests = list(server.requests)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines()[-1] == (
        f"sxworker: error: cannot use archive {broken}: cannot open archive: file is not a database"
    )
    assert "Traceback" not in process.stderr
    assert requests == []
    assert broken.read_text() == "a text file, not SQLite"


def test_a_files_store_that_cannot_be_made_is_not_blamed_on_the_archive(crawl_command, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the files store should be")
    with ReplicaServer() as server:
        process, _ = crawl_command(server.base_url, FILES_STORE=str(blocker / "files"))
        requests = list(server.requests)
    assert process.returncode == 1
    assert process.stderr.strip().splitlines()[-1] == (
        f"sxworker: error: cannot start the crawl: [Errno 20] Not a directory: '{blocker / 'files'}'"
    )
    assert "Traceback" not in process.stderr
    assert requests == []


def test_a_missing_picture_is_retried_by_the_next_run_though_its_article_is_not(crawl):
    picture = "/pic/200809/01/282046_2.jpg"
    with ReplicaServer() as server:
        assert picture in server.site.resources
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        span = {"start": dates[0], "end": dates[-1]}
        server.faults[picture] = answer(404, b"<html><body>404</body></html>")
        first = crawl(server.base_url, **span)
        db = first.db
        kinds = sorted(row["kind"] for row in failure_rows(db).values() if row["issue_date"] == "2008-09-01")
        assert kinds == ["article", "image"]  # the picture, and the replica's broken link
        del server.faults[picture]
        server.clear_requests()
        second = crawl(server.base_url, **span, db=db)
        requests = list(server.requests)
        picture_url = server.base_url + picture
    assert first.ok and second.ok
    assert requests.count(picture) == 1
    assert not any(path.startswith("/content/2008-09/01/") and "282050" not in path for path in requests)
    with Archive.open_readonly(str(db)) as archive:
        assert archive.stored_file(picture_url)["status"] == "stored"
    assert [row["kind"] for row in failure_rows(db).values()] == ["article"]


def test_a_failed_page_that_now_redirects_is_resolved(crawl):
    moved = "/epaper/2023/1017/A03-old.html"
    with ReplicaServer() as server:
        failed = crawl(server.base_url, RETRY_TIMES="0")
        db = failed.db
        with Archive.open(str(db)) as archive:
            archive.record_failures(
                [{"url": server.url(moved), "kind": "page", "issue_date": DAY, "error": "HTTP 503"}]
            )
        server.faults[moved] = answer(301, headers={"Location": server.url("/epaper/2023/1017/A03.html")})
        healed = crawl(server.base_url, db=db)
        requests = list(server.requests)
    assert failed.ok and healed.ok
    assert moved in requests
    assert failure_rows(db) == {}
