"""Reparse speed beside the crawl it replays, measured side by side in one run on this machine.

    python benchmarks/bench_reparse.py [--extra-issues 60] [--rounds 3] [--jobs 2] [--profile]

1. Serves the replica scaled up with synthetic issues on loopback and crawls it once with
   raw capture on (throttling off, 16 concurrent): the WARC files a reparse reads.
2. Alternates, ``--rounds`` times: a throttle-off crawl of the replica into an empty archive,
   and ``sxworker reparse`` of the captures into an empty archive (files restored too), each
   in a subprocess; reports articles/s of each (medians), the ratio, and CPU seconds. With
   ``--jobs`` above 1, each round also reparses in that many jobs (``reparse --jobs``).

3. With ``--profile``, one more reparse under cProfile: the share of its time spent indexing
   and answering from the captures, parsing, the full-text index and the files pipeline.

The issue-13 goal is a reparse at ≥ 2 × the throttle-off crawl. Ratios are what to compare
across machines; absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_crawl import SPEED_SETTINGS  # noqa: E402
from sxworker.replica import ReplicaServer  # noqa: E402

# Runs inside a subprocess: the crawl, or the reparse, and its own CPU time.
MEASURED = r"""
import json, resource, sys, time
began = time.perf_counter()
if sys.argv[1] == "crawl":
    from sxworker.crawl.runner import run_crawl
    stats = run_crawl(json.loads(sys.argv[2]), start=sys.argv[3], end=sys.argv[4]).stats
    stored = stats.get_value("sxworker/articles/new", 0)
elif sys.argv[1] == "reparse":
    from sxworker.research.reparse import reparse
    result = reparse([sys.argv[2]], sys.argv[3], files_store=sys.argv[4], jobs=int(sys.argv[5]))
    stored = result.stored.new
else:  # a reparse under cProfile: the share of its time each part takes
    import cProfile, pstats
    from sxworker.research.reparse import reparse
    profile = cProfile.Profile()
    result = profile.runcall(reparse, [sys.argv[2]], sys.argv[3], files_store=sys.argv[4])
    stored = result.stored.new
    totals = {}
    for (path, _, name), (_, _, _, cumulative, _) in pstats.Stats(profile).stats.items():
        for part, (suffix, function) in PARTS.items():
            if path.endswith(suffix) and name == function:
                totals[part] = totals.get(part, 0.0) + cumulative
seconds = time.perf_counter() - began
usage = resource.getrusage(resource.RUSAGE_SELF)
jobs = resource.getrusage(resource.RUSAGE_CHILDREN)  # a reparse in jobs: theirs
cpu = usage.ru_utime + usage.ru_stime + jobs.ru_utime + jobs.ru_stime
report = {"seconds": seconds, "stored": stored, "cpu_seconds": cpu}
if sys.argv[1] == "profile":
    report["shares"] = {part: round(total / seconds, 3) for part, total in totals.items()}
print(json.dumps(report))
"""
# What the profiled reparse's time is split into (each a function's cumulative time; none
# calls another of them): (the end of its file's path, its name).
PARTS = {
    "indexing the captures": ("sxworker/crawl/captures.py", "read"),
    "answering from the captures": ("sxworker/crawl/replay.py", "download_request"),
    "parsing articles": ("sxworker/site/parsers/article.py", "parse_article"),
    "parsing page views": ("sxworker/site/parsers/issue_page.py", "parse_listing"),
    "full-text index (SQLite)": ("sxworker/archive/search.py", "index_articles"),
    "files pipeline": ("sxworker/crawl/filestore.py", "media_to_download"),
}


def _run(*args: str) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SXWORKER_")}
    done = subprocess.run(
        [sys.executable, "-c", f"PARTS = {PARTS!r}\n{MEASURED}", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _crawl_settings(base_url: str, db: Path, **more: str) -> dict[str, str]:
    return {
        **SPEED_SETTINGS,
        "SXWORKER_BASE_URL": base_url,
        "SXWORKER_DB": str(db),
        "FILES_STORE": str(db.parent / "files"),
        **more,
    }


def bench(extra_issues: int, rounds: int, workdir: Path, profile: bool = False, jobs: int = 1) -> dict:
    with ReplicaServer(extra_issues=extra_issues) as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        start, end = dates[0], dates[-1]
        warc = workdir / "warc"
        capture = workdir / "capture" / "archive.sqlite3"
        capture.parent.mkdir()
        _run(
            "crawl",
            json.dumps(_crawl_settings(server.base_url, capture, SXWORKER_WARC_DIR=str(warc))),
            start,
            end,
        )
        crawls, reparses, in_jobs = [], [], []
        for round_no in range(rounds):
            crawl_db = workdir / f"crawl-{round_no}" / "archive.sqlite3"
            crawl_db.parent.mkdir()
            crawls.append(_run("crawl", json.dumps(_crawl_settings(server.base_url, crawl_db)), start, end))
            reparse_db = workdir / f"reparse-{round_no}" / "archive.sqlite3"
            reparse_db.parent.mkdir()
            reparses.append(
                _run("reparse", str(warc), str(reparse_db), str(reparse_db.parent / "files"), "1")
            )
            if jobs > 1:
                jobs_db = workdir / f"reparse-jobs-{round_no}" / "archive.sqlite3"
                jobs_db.parent.mkdir()
                in_jobs.append(
                    _run("reparse", str(warc), str(jobs_db), str(jobs_db.parent / "files"), str(jobs))
                )
        articles = len(server.site.expected_articles)
    profiled = None
    if profile:
        profiled_db = workdir / "reparse-profiled" / "archive.sqlite3"
        profiled_db.parent.mkdir()
        profiled = _run("profile", str(warc), str(profiled_db), str(profiled_db.parent / "files"))

    def rate(runs: list[dict]) -> float:
        return statistics.median(run["stored"] / run["seconds"] for run in runs)

    crawl_rate, reparse_rate = rate(crawls), rate(reparses)
    result = {
        "articles": articles,
        "warc_mib": round(sum(path.stat().st_size for path in warc.iterdir()) / 2**20, 1),
        "crawl_articles_per_s": round(crawl_rate, 1),
        "reparse_articles_per_s": round(reparse_rate, 1),
        "reparse_to_crawl_ratio": round(reparse_rate / crawl_rate, 2),
        "crawl_cpu_s": round(statistics.median(run["cpu_seconds"] for run in crawls), 2),
        "reparse_cpu_s": round(statistics.median(run["cpu_seconds"] for run in reparses), 2),
        "reparse_cpu_ms_per_article": round(
            statistics.median(1000 * run["cpu_seconds"] / run["stored"] for run in reparses), 2
        ),
        "rounds": {
            "crawl_articles_per_s": [round(run["stored"] / run["seconds"], 1) for run in crawls],
            "reparse_articles_per_s": [round(run["stored"] / run["seconds"], 1) for run in reparses],
        },
        "stored": {
            "crawl": [run["stored"] for run in crawls],
            "reparse": [run["stored"] for run in reparses],
        },
    }
    if in_jobs:
        jobs_rate = rate(in_jobs)
        result["jobs"] = jobs
        result["jobs_reparse_articles_per_s"] = round(jobs_rate, 1)
        result["jobs_reparse_to_crawl_ratio"] = round(jobs_rate / crawl_rate, 2)
        result["jobs_reparse_cpu_s"] = round(statistics.median(run["cpu_seconds"] for run in in_jobs), 2)
        result["rounds"]["jobs_reparse_articles_per_s"] = [
            round(run["stored"] / run["seconds"], 1) for run in in_jobs
        ]
        result["stored"]["jobs_reparse"] = [run["stored"] for run in in_jobs]
    if profiled is not None:
        # Under cProfile (which slows Python code several times over): shares, not times.
        result["profiled_reparse_shares"] = profiled["shares"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-issues", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=1, help="also reparse in this many jobs, each round")
    parser.add_argument("--profile", action="store_true", help="one more reparse, under cProfile: its shares")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sxworker-bench-reparse-") as folder:
        began = time.perf_counter()
        result = bench(options.extra_issues, options.rounds, Path(folder), options.profile, options.jobs)
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result["bench_seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
