"""``sxworker reparse --jobs N``: the issue dates split over N processes, under one lock."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sxworker.archive import Archive
from sxworker.research.reparse import split_dates
from sxworker.research.reparse_jobs import ReparseJobError, answer_of
from tests.conftest import ROOT
from tests.research.test_reparse import (
    NOT_RESTORED,
    captured,  # noqa: F401  (the module's fixture: the replica crawled with capture on)
    file_rows,
    files_store,  # noqa: F401
    reparse_json,
    run,
    stored,
    tree,
)

# -- the split ------------------------------------------------------------------------------


def test_the_dates_are_split_into_spans_of_about_as_many_articles():
    articles = {"2001-01-01": 10, "2001-01-02": 10, "2001-03-05": 10, "2002-07-01": 10}
    assert split_dates(articles, 2) == [(None, "2001-03-04"), ("2001-03-05", None)]
    assert split_dates(articles, 4) == [
        (None, "2001-01-01"),
        ("2001-01-02", "2001-03-04"),
        ("2001-03-05", "2002-06-30"),
        ("2002-07-01", None),
    ]
    # One big day is never cut; a span ends the day before the next begins.
    assert split_dates({"1990-05-01": 100, "1990-05-03": 1, "1990-05-04": 1}, 2) == [
        (None, "1990-05-02"),
        ("1990-05-03", None),
    ]


def test_the_split_keeps_the_range_asked_for_and_never_makes_more_spans_than_days():
    articles = {"1985-01-01": 5, "1999-12-31": 5, "2000-01-01": 5, "2024-01-01": 5}
    assert split_dates(articles, 2, "1999-01-01", "2000-06-30") == [
        ("1999-01-01", "1999-12-31"),
        ("2000-01-01", "2000-06-30"),
    ]
    assert split_dates(articles, 8) == [
        (None, "1999-12-30"),
        ("1999-12-31", "1999-12-31"),
        ("2000-01-01", "2023-12-31"),
        ("2024-01-01", None),
    ]
    # The cut nearest the middle, even where no day reaches it.
    assert split_dates({"2001-01-01": 6, "2001-01-02": 1, "2001-01-03": 10}, 2) == [
        (None, "2001-01-02"),
        ("2001-01-03", None),
    ]
    assert split_dates({"2001-01-01": 3}, 4) == [(None, None)]
    assert split_dates({}, 4, "2001-01-01", None) == [("2001-01-01", None)]


# -- the command ----------------------------------------------------------------------------


def test_two_jobs_store_what_one_reparse_stores(captured, tmp_path, files_store):  # noqa: F811
    one, two = tmp_path / "one.sqlite3", tmp_path / "two.sqlite3"
    single = reparse_json(str(captured["warc"]), "--db", str(one), "--files-store", str(tmp_path / "f1"))
    split = reparse_json(
        str(captured["warc"]), "--db", str(two), "--files-store", str(tmp_path / "f2"), "--jobs", "2"
    )

    assert (single["jobs"], split["jobs"]) == (1, 2)
    assert {**split, "jobs": 1} == single
    assert single["new"] == len(captured["server"].site.expected_articles)
    assert stored(two) == stored(one)

    def files(path):
        return {
            url: {k: v for k, v in row.items() if k not in NOT_RESTORED}
            for url, row in file_rows(path).items()
        }

    assert files(two) == files(one)
    assert tree(tmp_path / "f2") == tree(tmp_path / "f1")
    with Archive.open_readonly(str(two)) as archive:
        runs = archive.recent_runs()
    # Each job recorded its own run, with its span; between them they cover all of time.
    assert [run["mode"] for run in runs] == ["reparse", "reparse"]
    spans = sorted((run["range_start"], run["range_end"]) for run in runs)
    newest = max(issue["issue_date"] for issue in captured["server"].site.expected_issues)
    assert spans[0][0] == "1949-01-01" and spans[1][1] >= newest  # an open end: today
    assert spans[0][1] < spans[1][0] <= newest
    assert {run["outcome"] for run in runs} <= {"ok", "failures"}


def test_jobs_keep_to_since_and_until_and_say_how_many_ran(captured, tmp_path):  # noqa: F811
    site = captured["server"].site
    target = tmp_path / "a.sqlite3"
    span = ("--since", "1990-01-01", "--until", "2005-12-07")
    result = run("reparse", str(captured["warc"]), "--db", str(target), *span, "-j", "3", "--no-files")
    assert result.exit_code == 0, result.output
    expected = [e for e in site.expected_articles if "1990-01-01" <= e["issue_date"] <= "2005-12-07"]
    assert result.output.startswith(f"{len(expected)} new, 0 changed, 0 unchanged, 0 failed articles;")
    assert result.output.endswith(f"into {target} in 3 jobs\n")
    assert sorted(r["article_id"] for r in stored(target)[0]) == sorted(e["article_id"] for e in expected)


def test_jobs_zero_is_one_per_core_and_a_negative_count_is_refused(captured, tmp_path):  # noqa: F811
    summary = reparse_json(
        str(captured["warc"]), "--db", str(tmp_path / "a.sqlite3"), "--jobs", "0", "--no-files"
    )
    dates = {issue["issue_date"] for issue in captured["server"].site.expected_issues}
    assert summary["jobs"] == min(os.cpu_count() or 1, len(dates))
    result = run("reparse", str(captured["warc"]), "--db", str(tmp_path / "b.sqlite3"), "--jobs", "-1")
    assert result.exit_code == 2
    assert "Invalid value for '-j' / '--jobs'" in result.output
    assert not (tmp_path / "b.sqlite3").exists()


def test_a_locked_archive_stops_a_reparse_in_jobs_before_anything_is_written(captured, tmp_path):  # noqa: F811
    from sxworker.crawl.runlock import lock_path, run_lock

    target = tmp_path / "a.sqlite3"
    with run_lock(lock_path(str(target))):
        result = run("reparse", str(captured["warc"]), "--db", str(target), "--jobs", "2")
    assert result.exit_code == 2
    assert result.output.startswith("sxworker: error: another crawl or reparse of this archive is running")
    assert result.output.count("\n") == 1
    assert not target.exists()


def test_a_job_that_ends_without_its_result_is_one_line_naming_its_span():
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    receiving, sending = context.Pipe(duplex=False)
    process = context.Process(target=os._exit, args=(3,))
    process.start()
    sending.close()
    answer = answer_of("2001-01-01 to 2001-06-30", process, receiving)
    assert isinstance(answer, ReparseJobError)
    assert (
        str(answer) == "the reparse job for 2001-01-01 to 2001-06-30 ended without its result (exit status 3)"
    )


# -- stopping ---------------------------------------------------------------------------------


def _jobs_of(pid: int) -> list[int]:
    """The reparse jobs ``pid`` started (multiprocessing's resource tracker is not one)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue
        if parent == pid and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


def _gone(pids: list[int], within: float) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(Path(f"/proc/{pid}").exists() and "Z" not in _state(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


def _runs(target: Path) -> list[dict]:
    if not target.exists():
        return []
    try:
        with Archive.open_readonly(str(target)) as archive:
            return archive.recent_runs()
    except Exception:  # not made or migrated yet
        return []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"


@pytest.fixture(scope="module")
def larger(tmp_path_factory):
    """The captures of the replica with 12 synthetic issues more (~500 articles): a reparse
    of them takes seconds, long enough to stop one in the middle."""
    from sxworker.replica import ReplicaServer
    from tests.conftest import run_crawl

    folder = tmp_path_factory.mktemp("larger")
    with ReplicaServer(extra_issues=12) as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        settings = {"SXWORKER_WARC_DIR": str(folder / "warc"), "SXWORKER_FILES_SCANS": "false"}
        result = run_crawl(
            server.base_url, folder / "archive.sqlite3", start=dates[0], end=dates[-1], settings=settings
        )
        assert result.ok, result.log[-2000:]
        return {"warc": folder / "warc", "articles": len(server.site.expected_articles)}


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL], ids=["sigterm", "kill-9"])
def test_the_jobs_end_with_the_command_however_it_is_stopped(larger, tmp_path, how):
    target = tmp_path / "a.sqlite3"
    env = {name: value for name, value in os.environ.items() if not name.startswith("SXWORKER_")}
    command = [sys.executable, "-m", "sxworker", "reparse", str(larger["warc"]), "--db", str(target)]
    parent = subprocess.Popen(
        [*command, "--jobs", "2", "--no-files"], cwd=ROOT, env=env, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while len(jobs := _jobs_of(parent.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(jobs) >= 2, parent.stderr.read() if parent.poll() is not None else "no jobs started"
    # Both at work (each has opened its run) before the command is stopped.
    while len(_runs(target)) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert [run["outcome"] for run in _runs(target)] == ["running", "running"]

    parent.send_signal(how)
    parent.wait(timeout=30)

    # No job is left writing to the archive without the lock its parent held: each ended
    # there and then, none lived to finish its span (a finished run has its outcome).
    assert _gone(jobs, within=10)
    assert parent.returncode != 0
    assert [run["outcome"] for run in _runs(target)] == ["running", "running"]
    again = subprocess.run(
        [*command, "--no-files", "--json"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout)
    assert summary["new"] + summary["unchanged"] == larger["articles"]
