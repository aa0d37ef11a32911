"""WACZ export and replay start-up beside one plain read of the same captures, in one run.

    python benchmarks/bench_replay.py [--extra-issues 60] [--copies 1] [--rounds 3] [--pages 30]

1. Serves the replica scaled up with synthetic issues on loopback and crawls it once with raw
   capture on (throttling off): the WARC files. ``--copies K`` repeats those files K times
   (as K crawls of the same issues would leave them), for a larger set.
2. Alternates, ``--rounds`` times, each in a subprocess: one read of every record of the
   captures (the reparse rule's reader, :func:`sxworker.crawl.warc.read_records`: the floor
   for anything that reads them all), ``sxworker export --format wacz`` of them all,
   ``wacz validate`` of the package, and ``sxworker replay --port 0`` until it says where it
   serves — first with no index cached (it checks and indexes every file), then again with
   all cached — each time fetching ``--pages`` article replay links one after another.
3. Reports medians: seconds of each, the ratio of each to the plain read, MiB/s, and the
   median time of one replayed article page.

Ratios are what to compare across machines; absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_crawl import SPEED_SETTINGS  # noqa: E402
from sxworker.replica import ReplicaServer  # noqa: E402

READ = r"""
import sys
from sxworker.crawl.warc import read_records, warc_files
count = 0
for path in warc_files([sys.argv[1]]):
    for _offset, _record, _block in read_records(path, lambda record: record.raw_stream.read()):
        count += 1
print(count)
"""
CRAWL = r"""
import json, sys
from sxworker.crawl.runner import run_crawl
run_crawl(json.loads(sys.argv[1]), start=sys.argv[2], end=sys.argv[3])
"""


CACHE: dict[str, str] = {}  # XDG_CACHE_HOME of the replays: the replay index cache


def _env() -> dict[str, str]:
    kept = {name: value for name, value in os.environ.items() if not name.startswith("SXWORKER_")}
    return kept | CACHE


def _timed(*command: str) -> float:
    began = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=_env(), capture_output=True, text=True, check=True)
    return time.perf_counter() - began


def _replay(warc: Path, links: list[str], log: Path) -> tuple[float, list[float]]:
    """Seconds until replay says where it serves, and the seconds of each page fetched."""
    began = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "sxworker", "replay", "--port", "0", "--warc-dir", str(warc)],
            cwd=ROOT,
            env=_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while not (found := re.search(r"at (http://127\.0\.0\.1:\d+/sxworker)/", log.read_text())):
            if process.poll() is not None:
                raise RuntimeError(f"replay exited: {log.read_text()}")
            time.sleep(0.05)
        ready = time.perf_counter() - began
        pages = []
        for link in links:
            start = time.perf_counter()
            with urllib.request.urlopen(link.replace("{base}", found.group(1)), timeout=60) as response:
                response.read()
            pages.append(time.perf_counter() - start)
        return ready, pages
    finally:
        process.terminate()
        process.wait(timeout=60)


def bench(extra_issues: int, copies: int, rounds: int, pages: int, workdir: Path) -> dict:
    from sxworker.archive import Archive
    from sxworker.research.replay import replay_link

    db = workdir / "archive.sqlite3"
    warc = workdir / "warc"
    with ReplicaServer(extra_issues=extra_issues) as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        settings = {
            **SPEED_SETTINGS,
            "SXWORKER_BASE_URL": server.base_url,
            "SXWORKER_DB": str(db),
            "FILES_STORE": str(workdir / "files"),
            "SXWORKER_WARC_DIR": str(warc),
        }
        subprocess.run(
            [sys.executable, "-c", CRAWL, json.dumps(settings), dates[0], dates[-1]],
            cwd=ROOT,
            env=_env(),
            capture_output=True,
            check=True,
        )
    originals = sorted(warc.iterdir())
    for copy in range(1, copies):
        for path in originals:
            shutil.copy(path, path.with_name(path.name.replace("sxworker-", f"sxworker-copy{copy:03d}-")))
    with Archive.open_readonly(str(db)) as archive:
        records = list(archive.iter_export())
    step = max(1, len(records) // pages)
    links = [replay_link(record, base="{base}") for record in records[::step][:pages]]
    mib = sum(path.stat().st_size for path in warc.iterdir()) / 2**20

    steps = ("read", "wacz_export", "wacz_validate", "replay_ready_first", "replay_ready_cached")
    times: dict[str, list[float]] = {name: [] for name in steps}
    page_times: list[float] = []
    package = workdir / "all.wacz"
    for _round in range(rounds):
        times["read"].append(_timed(sys.executable, "-c", READ, str(warc)))
        export = ["export", "--format", "wacz", "--db", str(db), "--warc-dir", str(warc), "-o", str(package)]
        times["wacz_export"].append(_timed(sys.executable, "-m", "sxworker", *export))
        times["wacz_validate"].append(_timed(sys.executable, "-m", "wacz", "validate", "-f", str(package)))
        # A first start (no index cached), then a second (every index cached).
        CACHE["XDG_CACHE_HOME"] = tempfile.mkdtemp(dir=workdir)
        ready, fetched = _replay(warc, links, workdir / "replay.log")
        times["replay_ready_first"].append(ready)
        ready, fetched_again = _replay(warc, links, workdir / "replay.log")
        times["replay_ready_cached"].append(ready)
        page_times += fetched + fetched_again
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {
        "articles": len(records),
        "warc_files": len(list(warc.iterdir())),
        "warc_mib": round(mib, 1),
        "wacz_mib": round(package.stat().st_size / 2**20, 1),
        "seconds": {name: round(value, 2) for name, value in medians.items()},
        "ratio_to_read": {name: round(value / medians["read"], 2) for name, value in medians.items()},
        "mib_per_s": {name: round(mib / value, 1) for name, value in medians.items()},
        "replayed_page_ms_median": round(statistics.median(page_times) * 1000, 1),
        "replayed_pages": len(page_times),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-issues", type=int, default=60)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pages", type=int, default=30)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="sxworker-bench-replay-") as folder:
        began = time.perf_counter()
        result = bench(options.extra_issues, options.copies, options.rounds, options.pages, Path(folder))
    result["machine"] = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    result["bench_seconds"] = round(time.perf_counter() - began, 1)
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
