"""End to end: the real spider, through Scrapy, against the local replica."""

from __future__ import annotations

import re
import sqlite3

import pytest

from sxworker import config
from sxworker.archive import Archive
from sxworker.crawl import stats as stat


def stored(path):
    with Archive.open_readonly(str(path)) as archive:
        return list(archive.iter_export()), archive.page_rows(), archive.issue_rows()


@pytest.fixture(scope="module")
def full_crawl(tmp_path_factory):
    """One crawl of the whole replica, shared by the tests that only read its result."""
    from sxworker.replica import ReplicaServer
    from tests.conftest import run_crawl

    with ReplicaServer() as server:
        db = tmp_path_factory.mktemp("full") / "archive.sqlite3"
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        result = run_crawl(server.base_url, db, start=dates[0], end=dates[-1])
        requests = list(server.requests)
        site = server.site
    return result, db, requests, site


def test_polite_crawl_fetches_each_thing_once(full_crawl):
    _, _, requests, site = full_crawl
    article_requests = [path for path in requests if "/content/" in path]
    mobile = [path for path in article_requests if path.startswith("/m/")]
    # The 1992 page links one article only in its mobile form: fetched as desktop.
    assert mobile == []
    assert "/content/1992-12/08/088530.html" in article_requests
    assert len(article_requests) == len(set(article_requests))
    assert not any(path.startswith("/admin/") for path in requests)  # robots.txt obeyed
    assert requests.count("/robots.txt") == 1
    # Scans, pictures and PDFs (tests/crawl/test_files.py) are fetched once each and do not count
    # towards the pages-per-article ratio.
    file_requests = [path for path in requests if path.startswith(("/Img/", "/PDF/", "/pic/"))]
    assert file_requests and len(file_requests) == len(set(file_requests))
    other_requests = len(requests) - len(file_requests)
    assert other_requests / len(site.expected_articles) <= 1.9  # tiny replica: pages weigh a lot


def test_broken_link_is_logged_and_counted_and_the_crawl_goes_on(full_crawl):
    result, *_ = full_crawl
    assert "article not stored: " in result.log and "282050.html: HTTP 404" in result.log
    assert result.crawler.stats.get_value(stat.FAILED["article"]) == 1
    assert "Traceback" not in result.log


def test_a_second_crawl_duplicates_nothing_and_refetches_only_the_recheck_window(full_crawl, crawl):
    _, db, first_requests, site = full_crawl
    before = sqlite3.connect(db).execute("select count(*) from articles").fetchone()
    from sxworker.replica import ReplicaServer

    with ReplicaServer() as server:
        dates = sorted(i["issue_date"] for i in site.expected_issues)
        again = crawl(server.base_url, start=dates[0], end=dates[-1], db=db)
        requests = list(server.requests)
    assert again.ok
    connection = sqlite3.connect(db)
    assert connection.execute("select count(*) from articles").fetchone() == before
    assert connection.execute("select count(*) from article_versions").fetchone() == (0,)
    assert connection.execute("select max(version) from articles").fetchone() == (1,)
    # Re-fetched: the latest issue's articles (the re-check window: 7 days before the latest
    # issue) and the link that failed last time (retried first); nothing else.
    latest = dates[-1]
    recheck = sorted(
        f"/content/{a['issue_date'][:7]}/{a['issue_date'][8:]}/{a['article_id']}.html"
        for a in site.expected_articles
        if a["issue_date"] == latest
    )
    articles_fetched = [path for path in requests if "/content/" in path]
    assert articles_fetched[0] == "/content/2008-09/01/282050.html"
    assert sorted(articles_fetched[1:]) == recheck
    assert again.crawler.stats.get_value(stat.ARTICLES_UNCHANGED) == len(recheck)
    assert again.crawler.stats.get_value(stat.ARTICLES_NEW, 0) == 0
    pages_first = [path for path in first_requests if "/content/" not in path]
    pages_again = [path for path in requests if "/content/" not in path]
    assert len(pages_again) < len(pages_first)


def test_a_date_range_takes_only_its_issues(replica, crawl):
    result = crawl(replica.base_url, start="1990-01-01", end="2005-12-07")
    assert result.ok
    articles, _, issues = stored(result.db)
    assert [i["issue_date"] for i in issues] == ["1990-07-26", "1992-12-08", "2005-12-07"]
    assert {r["issue_date"] for r in articles} == {"1990-07-26", "1992-12-08", "2005-12-07"}
    assert len(articles) == sum(
        1 for e in replica.site.expected_articles if "1990-01-01" <= e["issue_date"] <= "2005-12-07"
    )


def test_scheduled_run_takes_the_latest_issue_and_its_recheck_window(replica, crawl):
    result = crawl(replica.base_url, SXWORKER_RECHECK_DAYS="7")
    assert result.ok, result.log[-2000:]
    _, _, issues = stored(result.db)
    assert [i["issue_date"] for i in issues] == ["2023-10-17"]
    assert "latest issue 2023-10-17; re-checking from 2023-10-10" in result.log


def test_a_test_crawl_has_the_project_settings_and_its_log_reaches_caplog(replica, crawl, caplog):
    """The in-process crawl (tests/conftest.py): every SXWORKER_* setting is its default
    unless the test sets it, whatever the environment the tests run in; pytest sees the log."""
    result = crawl(replica.base_url, SXWORKER_RECHECK_DAYS="3")
    given = {"SXWORKER_BASE_URL", "SXWORKER_DB", "FILES_STORE", "SXWORKER_RECHECK_DAYS"}
    given |= {"SXWORKER_RETRY_BACKOFF_BASE", "SXWORKER_RETRY_BACKOFF_MAX"}
    settings = result.crawler.settings
    assert {name: config.read(settings, name) for name in config.SETTINGS if name not in given} == {
        name: config.default(name) for name in config.SETTINGS if name not in given
    }
    assert config.read(settings, "SXWORKER_RECHECK_DAYS") == 3
    assert settings["TWISTED_REACTOR"] == "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
    assert "Spider closed (finished)" in result.log
    assert any(record.getMessage() == "Spider closed (finished)" for record in caplog.records)


def test_issue_url_template_jumps_straight_to_the_range(replica, crawl):
    replica.clear_requests()
    result = crawl(
        replica.base_url,
        start="1985-11-20",
        end="1985-12-01",
        SXWORKER_ISSUE_URL_TEMPLATE="{base}/html/{date:%Y-%m}/{date:%d}/node_1.htm",
    )
    assert result.ok
    _, _, issues = stored(result.db)
    assert [i["issue_date"] for i in issues] == ["1985-11-29"]
    assert "/" not in replica.requests  # never went through the front page


def test_a_wrong_issue_url_template_falls_back_to_the_walk(replica, crawl):
    result = crawl(
        replica.base_url,
        start="2016-12-05",
        end="2016-12-06",
        SXWORKER_ISSUE_URL_TEMPLATE="{base}/nothing/{date:%Y%m%d}.htm",
        SXWORKER_JUMP_TRIES="2",
    )
    assert result.ok
    _, _, issues = stored(result.db)
    assert [i["issue_date"] for i in issues] == ["2016-12-05"]
    assert "walking from the front page" in result.log


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-a", "start=2016-13-01"], "sxworker: error: start: '2016-13-01' is not a date; use YYYY-MM-DD"),
        (
            ["-a", "start=2016-01-01", "-a", "end=yesterday"],
            "sxworker: error: end: 'yesterday' is not a date",
        ),
        (["-a", "end=2016-01-01"], "sxworker: error: end: given without start"),
        (
            ["-a", "start=2016-02-01", "-a", "end=2016-01-01"],
            "sxworker: error: start: 2016-02-01 is after end 2016-01-01",
        ),
        # A typo would otherwise run a scheduled crawl, exit 0.
        (
            ["-a", "strat=2016-12-01"],
            "sxworker: error: unknown spider argument(s): strat (the spider takes: start, end)",
        ),
    ],
)
def test_bad_dates_stop_at_once_with_one_line(replica, crawl_command, args, message):
    """The command checks its arguments before Scrapy starts: its exit status and output."""
    replica.clear_requests()
    process, db = crawl_command(replica.base_url, *args)
    assert process.returncode == 2
    assert process.stderr.strip().startswith(message)
    assert len(process.stderr.strip().splitlines()) == 1
    assert replica.requests == [] and not db.exists()


def test_a_front_page_that_only_links_to_the_paper(crawl):
    from sxworker.replica import ReplicaServer, answer

    with ReplicaServer() as server:
        server.faults["/"] = answer(
            200,
            content_type="text/html; charset=utf-8",
            body='<html><body><a href="/about.htm">关于我们</a> '
            '<a href="/epaper/2023/1017/A01.html">进入电子版</a></body></html>'.encode(),
        )
        result = crawl(server.base_url, start="2023-10-17", end="2023-10-17")
    assert result.ok
    articles, pages, _ = stored(result.db)
    assert len(pages) == 4
    assert len(articles) == sum(1 for e in server.site.expected_articles if e["issue_date"] == "2023-10-17")


def test_stopping_a_crawl_keeps_what_it_already_parsed(tmp_path):
    """SIGINT mid-crawl (a hanging page holds the crawl): the batch in memory is flushed.
    A signal to the process: ``scrapy crawl`` in a subprocess."""
    import signal
    import subprocess
    import sys
    import time

    from sxworker.replica import ReplicaServer
    from tests.conftest import ROOT, clean_environment

    release = __import__("threading").Event()

    def hang(handler) -> bool:
        release.wait(30)
        return False

    with ReplicaServer() as server:
        server.faults["/html/1985-11/15/node_3.htm"] = hang
        db = tmp_path / "stopped.sqlite3"
        command = [
            sys.executable,
            "-m",
            "scrapy",
            "crawl",
            "sxworker",
            "-a",
            "start=1985-11-01",
            "-s",
            f"SXWORKER_BASE_URL={server.base_url}",
            "-s",
            f"SXWORKER_DB={db}",
            "-s",
            "AUTOTHROTTLE_ENABLED=False",
            "-s",
            "DOWNLOAD_DELAY=0",
            "-s",
            "SXWORKER_BATCH_SIZE=1000",
            "-s",
            f"FILES_STORE={tmp_path / 'files'}",  # never the working tree's data/files
        ]
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=clean_environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while "/html/1985-11/15/node_3.htm" not in server.requests and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # let the other pages' articles be parsed
        process.send_signal(signal.SIGINT)
        release.set()
        _, stderr = process.communicate(timeout=60)
    assert "shutting down gracefully" in stderr
    articles, _, _ = stored(db)
    assert len(articles) >= 40  # everything but (at most) the held page's articles
    assert len({(r["issue_date"], r["article_id"]) for r in articles}) == len(articles)


def test_bad_answers_at_article_urls_are_logged_and_not_stored(crawl):
    from sxworker.replica import ReplicaServer, answer, fail_times

    bad = {
        "/content/2023-10/17/016201.html": answer(
            200, content_type="image/jpeg", body=b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(300)
        ),
        "/content/2023-10/17/016202.html": answer(200, content_type="text/html; charset=utf-8", body=b""),
        "/content/2023-10/17/016204.html": answer(
            200,
            content_type="text/html; charset=utf-8",
            body="<html><body><h1>标题</h1><p>正文被截断".encode(),
        ),
        "/content/2023-10/17/016205.html": answer(
            200, content_type="text/html", body=b"<html><body>\x81\x30\xff\xfe\x80</body></html>"
        ),
    }
    with ReplicaServer() as server:
        server.faults.update(bad)
        server.faults["/content/2023-10/17/016206.html"] = fail_times(2, status=503)
        result = crawl(server.base_url, start="2023-10-17", end="2023-10-17")
        requests = list(server.requests)
        expected = {e["article_id"] for e in server.site.expected_articles if e["issue_date"] == "2023-10-17"}
    assert result.ok
    articles, _, _ = stored(result.db)
    assert {r["article_id"] for r in articles} == expected - {"016201", "016202", "016204", "016205"}
    assert requests.count("/content/2023-10/17/016206.html") == 3  # retried after two 503s, then stored
    for path, reason in [
        ("016201.html", "not an HTML page"),
        ("016202.html", "not an HTML page"),
        ("016204.html", "truncated HTML"),
        ("016205.html", "cannot be decoded cleanly"),
    ]:
        assert re.search(rf"article not stored: \S+/{path}: {reason}", result.log), path
    assert result.crawler.stats.get_value(stat.FAILED["article"]) == 4
    assert "Traceback" not in result.log


def test_the_spider_refuses_arguments_it_does_not_take_wherever_it_is_started():
    from sxworker.crawl.spiders.sxworker import SxworkerSpider

    with pytest.raises(ValueError, match=r"^unknown spider argument\(s\): ende, strat \(the spider takes"):
        SxworkerSpider(strat="2016-12-01", ende="2016-12-31")
    assert (
        SxworkerSpider(start="2016-12-01", _job="a scheduler's own").requested.start.isoformat()
        == "2016-12-01"
    )
