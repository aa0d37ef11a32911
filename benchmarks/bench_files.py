"""Files (page scans, pictures, PDFs): what a first crawl fetches and what a second one does.

    python benchmarks/bench_files.py [--extra-issues 40]

Serves the replica (scaled up with synthetic issues) on loopback and crawls all of it into
a fresh archive and FILES_STORE, three times in a row:
1. first run: every page, article and file is new;
2. second run, scheduled-style: what the crawl re-visits by default (complete issues outside
   the re-check window are skipped);
3. third run with ``SXWORKER_REFETCH=True``: every page and article fetched again, so every
   item names its files again — the case where the files table and the disk check matter.
Then the first run again into a new archive with all files turned off, for the crawl-time
cost of files. Reports requests and bytes for files and for everything else, per run, and
the ratios side by side. Bytes are the response bodies the replica served.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sxworker.replica import ReplicaServer  # noqa: E402

FILE_PREFIXES = ("/Img/", "/PDF/", "/pic/")
SPEED_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": False,
    "DOWNLOAD_DELAY": 0,
    "CONCURRENT_REQUESTS": 16,
    "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
    "LOG_LEVEL": "WARNING",
}

# Runs inside a subprocess (Twisted's reactor runs once per process).
CRAWL = r"""
import json, sys, time
from sxworker.crawl.runner import run_crawl

overrides = json.loads(sys.argv[1])
began = time.perf_counter()
stats = run_crawl(overrides, start=sys.argv[2], end=sys.argv[3]).stats.get_stats()
print(json.dumps({"seconds": time.perf_counter() - began,
                  "stored": stats.get("sxworker/files/stored", 0),
                  "uptodate": stats.get("sxworker/files/uptodate", 0)}))
"""


def crawl(server: ReplicaServer, dates: list[str], overrides: dict) -> dict:
    server.clear_requests()
    settings = {**SPEED_SETTINGS, "SXWORKER_BASE_URL": server.base_url, **overrides}
    result = subprocess.run(
        [sys.executable, "-c", CRAWL, json.dumps(settings), dates[0], dates[-1]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_") and k != "FILES_STORE"},
    )
    run = json.loads(result.stdout.strip().splitlines()[-1])
    assert server.site is not None
    files = [path for path in server.requests if path.startswith(FILE_PREFIXES)]
    other = [path for path in server.requests if not path.startswith(FILE_PREFIXES)]

    def body_bytes(paths: list[str]) -> int:
        return sum(len(res.body) for path in paths if (res := server.site.get(path)) is not None)

    run.update(
        file_requests=len(files),
        file_bytes=body_bytes(files),
        other_requests=len(other),
        other_bytes=body_bytes(other),
    )
    return run


def _ratio(value: float, base: float) -> float | None:
    return round(value / base, 3) if base else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-issues", type=int, default=40)
    options = parser.parse_args()
    with (
        tempfile.TemporaryDirectory(prefix="bench-files-") as temp,
        ReplicaServer(extra_issues=options.extra_issues) as server,
    ):
        work = Path(temp)
        assert server.site is not None
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        target = {"SXWORKER_DB": str(work / "archive.sqlite3"), "FILES_STORE": str(work / "files")}
        first = crawl(server, dates, target)
        second = crawl(server, dates, target)
        refetch = crawl(server, dates, {**target, "SXWORKER_REFETCH": True})
        no_files = crawl(
            server,
            dates,
            {
                "SXWORKER_DB": str(work / "nofiles.sqlite3"),
                "FILES_STORE": str(work / "nofiles"),
                "SXWORKER_FILES_SCANS": False,
                "SXWORKER_FILES_IMAGES": False,
                "SXWORKER_FILES_PDFS": False,
            },
        )
        on_disk = sum(p.stat().st_size for p in (work / "files").rglob("*") if p.is_file())
        articles = len(server.site.expected_articles)
    runs = {"first": first, "second": second, "refetch": refetch, "first_without_files": no_files}
    report = {
        "machine": f"{platform.node()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "issues": len(dates),
        "articles_in_replica": articles,
        "files_on_disk_bytes": on_disk,
        "runs": {
            name: {k: round(v, 2) if isinstance(v, float) else v for k, v in run.items()}
            for name, run in runs.items()
        },
        "ratios_to_first": {
            name: {
                "file_requests": _ratio(run["file_requests"], first["file_requests"]),
                "file_bytes": _ratio(run["file_bytes"], first["file_bytes"]),
                "other_requests": _ratio(run["other_requests"], first["other_requests"]),
            }
            for name, run in (("second", second), ("refetch", refetch))
        },
        "first_run_seconds_with_files_vs_without": _ratio(first["seconds"], no_files["seconds"]),
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
