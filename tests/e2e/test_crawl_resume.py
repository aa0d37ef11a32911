"""kill -9 in the middle of a crawl, then the same command again: the archive ends up as
if the crawl had never been interrupted — nothing lost, nothing twice. With and without
Scrapy's JOBDIR."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer
from tests.conftest import ROOT, clean_environment, run_crawl

EXTRA_ISSUES = 5
VOLATILE = ("first_seen", "last_seen")


def _slowly(handler) -> bool:
    # Enough to catch the crawl in the middle — with pictures still on their way when the
    # articles that show them are ready to be stored.
    time.sleep(0.1 if "/pic/" in handler.path else 0.01)
    return False


def _export(db, base_url: str) -> str:
    """Articles, pages, issues and file records as JSON, without what differs between two
    runs (times, row ids, the replica's port)."""

    def kept(rows, drop=VOLATILE):
        return [{k: v for k, v in row.items() if k not in drop} for row in rows]

    with Archive.open_readonly(str(db)) as archive:
        tables = [
            kept(archive.iter_export()),
            kept(archive.page_rows(), (*VOLATILE, "id")),
            kept(archive.issue_rows(), (*VOLATILE, "id")),
            # Every file row an uninterrupted crawl has: a crash must not lose one for good.
            sorted(kept(archive.file_rows(), ("id", "fetched_at")), key=lambda row: row["url"]),
        ]
    return json.dumps(tables, ensure_ascii=False, indent=1).replace(base_url, "BASE")


def _articles_stored(db) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
            return connection.execute("select count(*) from articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def _command(base_url: str, db, dates: list[str], extra: dict[str, str]) -> list[str]:
    command = [sys.executable, "-m", "scrapy", "crawl", "sxworker", "-a", f"start={dates[0]}"]
    command += ["-a", f"end={dates[-1]}"]
    settings = {
        "SXWORKER_BASE_URL": base_url,
        "SXWORKER_DB": str(db),
        "FILES_STORE": str(db.parent / "files"),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "SXWORKER_BATCH_SIZE": "20",
        # Only the latest issue is fetched again: what the killed run stored stays stored,
        # and whatever it left unrecorded cannot come back by a re-check.
        "SXWORKER_RECHECK_DAYS": "0",
        **extra,
    }
    for name, value in settings.items():
        command += ["-s", f"{name}={value}"]
    return command


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The same crawl, never interrupted."""
    with ReplicaServer(extra_issues=EXTRA_ISSUES) as server:
        db = tmp_path_factory.mktemp("reference") / "archive.sqlite3"
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        result = run_crawl(server.base_url, db, start=dates[0], end=dates[-1])
        assert result.ok, result.log[-2000:]
        return _export(db, server.base_url), len(server.site.expected_articles)


@pytest.mark.parametrize(
    ("jobdir", "stop"),
    [(False, signal.SIGKILL), (True, signal.SIGKILL), (True, signal.SIGINT)],
    ids=["kill-9", "kill-9-jobdir", "ctrl-c-jobdir"],
)
def test_stopped_then_the_same_command_finishes_the_job(reference, tmp_path, jobdir, stop):
    expected, article_count = reference
    db = tmp_path / "archive.sqlite3"
    extra = {"JOBDIR": str(tmp_path / "job")} if jobdir else {}
    env = clean_environment()
    with ReplicaServer(extra_issues=EXTRA_ISSUES) as server:
        dates = sorted(i["issue_date"] for i in server.site.expected_issues)
        command = _command(server.base_url, db, dates, extra)
        server.faults["*"] = _slowly
        quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        victim = subprocess.Popen(command, cwd=ROOT, env=env, **quiet)
        deadline = time.monotonic() + 120
        while _articles_stored(db) < article_count // 3 and time.monotonic() < deadline:
            assert victim.poll() is None, "the crawl ended before it could be killed"
            time.sleep(0.05)
        victim.send_signal(stop)
        victim.wait(timeout=60)
        killed_at = _articles_stored(db)
        assert 0 < killed_at < article_count
        del server.faults["*"]
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
        base_url = server.base_url
    assert again.returncode == 0, again.stderr[-3000:]
    assert _export(db, base_url) == expected
    with Archive.open_readonly(str(db)) as archive:
        newest, killed = archive.recent_runs()
    assert newest["outcome"] in ("ok", "failures")
    # The second run did not fetch again what the first one stored.
    assert newest["articles_new"] == article_count - killed_at
    if stop == signal.SIGKILL:
        assert killed["outcome"] == "killed" and killed["finished_at"] is None
        assert ("was not closed cleanly" in again.stderr) == jobdir
    else:
        assert killed["outcome"] == "interrupted" and killed["finish_reason"] == "shutdown"
        assert "Resuming crawl" in again.stderr
