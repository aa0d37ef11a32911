"""JSONL export throughput on an existing archive: the records path (each article a dict,
encoded by orjson: what CSV, Parquet, --with-files and --with-citation still take) against
the lines path (``sxworker export`` to JSONL), run in turn in one call, each in a subprocess
of its own, to a file through the checksumming writer export uses and to /dev/null.

    python benchmarks/bench_export.py --db /tmp/sx300k-new.sqlite3 --out /tmp/export.jsonl

The archive is only read; the output file is deleted after each run. Prints JSON: per path
and target the median articles/s of the rounds, every round's figure, and peak RSS.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

EXPORT = r"""
import json, resource, sys, time
from pathlib import Path
from sxworker.archive import Archive
from sxworker.archive.export import write_jsonl, write_lines
from sxworker.research.output import HashingFile

path, target, db = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
began = time.perf_counter()
with Archive.open_readonly(db) as archive, HashingFile(target) as out:
    if path == "records":
        count = write_jsonl(archive.iter_export(), out)
    else:
        count = write_lines(archive.iter_export_lines(), out)
print(json.dumps({"count": count, "seconds": time.perf_counter() - began,
                  "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

PATHS = ("records", "lines")


def run_once(path: str, target: Path, db: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", EXPORT, path, str(target), db],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    if target != Path(os.devnull):
        target.unlink(missing_ok=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an archive (SQLite file or database URL), read only")
    parser.add_argument("--out", type=Path, required=True, help="the file written (and deleted) each run")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    runs: dict[str, list[dict]] = {
        f"{path}_to_{where}": [] for where in ("file", "devnull") for path in PATHS
    }
    for _ in range(options.rounds):
        # In turn, so that a drift in the machine's speed falls on both paths alike.
        for where, target in (("file", options.out), ("devnull", Path(os.devnull))):
            for path in PATHS:
                runs[f"{path}_to_{where}"].append(run_once(path, target, options.db))
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_end": os.getloadavg()[0],
    }
    for name, measured in runs.items():
        rates = [round(run["count"] / run["seconds"]) for run in measured]
        report[name] = {
            "articles": measured[0]["count"],
            "articles_per_s": round(statistics.median(rates)),
            "rounds": rates,
            "peak_rss_mib": round(max(run["max_rss_kib"] for run in measured) / 1024, 1),
        }
    for where in ("file", "devnull"):
        lines, records = report[f"lines_to_{where}"], report[f"records_to_{where}"]
        report[f"ratio_to_{where}"] = round(lines["articles_per_s"] / records["articles_per_s"], 2)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
