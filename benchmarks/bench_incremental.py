"""What a second run of a complete range costs, CPU per stored article, peak RSS.

    python benchmarks/bench_incremental.py [--extra-issues 20]

1. Serves the replica scaled up with synthetic issues (several hundred articles).
2. Crawls the whole range into a new archive (the first run), then the same range again
   into the same archive (the second run), with the project's settings except throttling.
3. Reports the second run's requests as a ratio of the first run's: overall, and for the
   issues outside the re-check window (what the issue's goal ≤ 0.1 is about; the window's
   issues are fetched again on purpose, to catch late edits). Requests are put on an issue
   by the replica's own ground truth (page, article, scan and picture URLs per issue).
4. Reports the first run's CPU milliseconds per stored article and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_crawl import FULL_CRAWL, _run  # noqa: E402
from sxworker.replica import ReplicaServer  # noqa: E402

SETTINGS = {"AUTOTHROTTLE_ENABLED": "False", "DOWNLOAD_DELAY": "0", "LOG_LEVEL": "WARNING"}
RECHECK_DAYS = 7


def _issue_of_paths(site) -> dict[str, str]:
    """Every page, article, scan and picture path of the replica → its issue date."""
    owner: dict[str, str] = {}

    def put(url: str | None, issue_date: str) -> None:
        if url:
            owner[urlsplit(url).path] = issue_date

    for page in site.expected_pages:
        put(page["url"], page["issue_date"])
        put(page.get("scan_url"), page["issue_date"])
        put(page.get("pdf_url"), page["issue_date"])
    for article in site.expected_articles:
        put(article["url"], article["issue_date"])
        put(article.get("page_image_url"), article["issue_date"])
        for image in article.get("images") or []:
            put(image["url"], article["issue_date"])
    for issue in site.expected_issues:
        put(issue.get("url"), issue["issue_date"])
    return owner


def _split(paths: list[str], owner: dict[str, str], window_start: str) -> dict[str, int]:
    counts = {"window": 0, "outside": 0, "unplaced": 0}
    for path in paths:
        day = owner.get(urlsplit(path).path)
        if day is None:
            counts["unplaced"] += 1
        elif day >= window_start:
            counts["window"] += 1
        else:
            counts["outside"] += 1
    return counts


def bench(extra_issues: int, workdir: Path) -> dict:
    with ReplicaServer(extra_issues=extra_issues) as server:
        site = server.site
        dates = sorted(issue["issue_date"] for issue in site.expected_issues)
        window_start = (date.fromisoformat(dates[-1]) - timedelta(days=RECHECK_DAYS)).isoformat()
        overrides = {
            **SETTINGS,
            "SXWORKER_BASE_URL": server.base_url,
            "SXWORKER_DB": str(workdir / "archive.sqlite3"),
            "FILES_STORE": str(workdir / "files"),
            "SXWORKER_RECHECK_DAYS": str(RECHECK_DAYS),
        }
        runs, requests = [], []
        for _ in range(2):
            server.clear_requests()
            runs.append(_run(FULL_CRAWL, json.dumps(overrides), dates[0], dates[-1]))
            requests.append(list(server.requests))
        owner = _issue_of_paths(site)
    first, second = (_split(paths, owner, window_start) for paths in requests)
    in_window = sum(1 for issue in site.expected_issues if issue["issue_date"] >= window_start)
    return {
        "issues": len(site.expected_issues),
        "issues_in_recheck_window": in_window,
        "articles": len(site.expected_articles),
        "first_run_requests": len(requests[0]),
        "second_run_requests": len(requests[1]),
        "second_over_first": round(len(requests[1]) / len(requests[0]), 3),
        "first_run_by_place": first,
        "second_run_by_place": second,
        "second_over_first_outside_window": round(second["outside"] / first["outside"], 3),
        "articles_stored_first_run": runs[0]["stored"],
        "articles_new_second_run": runs[1]["stored"],
        "cpu_ms_per_stored_article": round(runs[0]["cpu_seconds"] * 1000 / max(runs[0]["stored"], 1), 2),
        "peak_rss_mib_first_run": round(runs[0]["max_rss_kib"] / 1024, 1),
        "peak_rss_mib_second_run": round(runs[1]["max_rss_kib"] / 1024, 1),
        "seconds": [round(run["seconds"], 1) for run in runs],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--extra-issues", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        result = bench(args.extra_issues, Path(workdir))
    result["machine"] = f"{platform.machine()}, {platform.python_version()}"
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
