"""Reparse speed beside the crawl it replays, measured side by side in one run on this machine.

    python benchmarks/bench_reparse.py [--extra-issues 60] [--rounds 3]

1. Serves the replica scaled up with synthetic issues on loopback and crawls it once with
   raw capture on (throttling off, 16 concurrent): the WARC files a reparse reads.
2. Alternates, ``--rounds`` times: a throttle-off crawl of the replica into an empty archive,
   and ``sxworker reparse`` of the captures into an empty archive (files restored too), each
   in a subprocess; reports articles/s of each (medians), the ratio, and CPU seconds.

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
else:
    from sxworker.research.reparse import reparse
    result = reparse([sys.argv[2]], sys.argv[3], files_store=sys.argv[4])
    stored = result.stored.new
seconds = time.perf_counter() - began
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": seconds, "stored": stored, "cpu_seconds": usage.ru_utime + usage.ru_stime}))
"""


def _run(*args: str) -> dict:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SXWORKER_")}
    done = subprocess.run(
        [sys.executable, "-c", MEASURED, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True
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


def bench(extra_issues: int, rounds: int, workdir: Path) -> dict:
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
        crawls, reparses = [], []
        for round_no in range(rounds):
            crawl_db = workdir / f"crawl-{round_no}" / "archive.sqlite3"
            crawl_db.parent.mkdir()
            crawls.append(_run("crawl", json.dumps(_crawl_settings(server.base_url, crawl_db)), start, end))
            reparse_db = workdir / f"reparse-{round_no}" / "archive.sqlite3"
            reparse_db.parent.mkdir()
            reparses.append(_run("reparse", str(warc), str(reparse_db), str(reparse_db.parent / "files")))
        articles = len(server.site.expected_articles)

    def rate(runs: list[dict]) -> float:
        return statistics.median(run["stored"] / run["seconds"] for run in runs)

    crawl_rate, reparse_rate = rate(crawls), rate(reparses)
    return {
        "articles": articles,
        "warc_mib": round(sum(path.stat().st_size for path in warc.iterdir()) / 2**20, 1),
        "crawl_articles_per_s": round(crawl_rate, 1),
        "reparse_articles_per_s": round(reparse_rate, 1),
        "reparse_to_crawl_ratio": round(reparse_rate / crawl_rate, 2),
        "crawl_cpu_s": round(statistics.median(run["cpu_seconds"] for run in crawls), 2),
        "reparse_cpu_s": round(statistics.median(run["cpu_seconds"] for run in reparses), 2),
        "stored": {
            "crawl": [run["stored"] for run in crawls],
            "reparse": [run["stored"] for run in reparses],
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-issues", type=int, default=60)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sxworker-bench-reparse-") as folder:
        began = time.perf_counter()
        result = bench(options.extra_issues, options.rounds, Path(folder))
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result["bench_seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
