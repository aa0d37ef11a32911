"""``sxworker trend`` latency on a large synthetic archive: three terms, per year and month.

    python benchmarks/bench_trend.py [--articles 300000] [--rounds 5] [--keep PATH]

The archive is the one benchmarks/bench_archive.py builds (its ``build``: the replica's
Chinese text, fixed seed, 40 articles a day from 1985, stored through
``Archive.store_articles``); ``--keep PATH`` builds it there once and reuses it. Then, for
sets of three terms, :func:`sxworker.archive.trends.trend` is timed in this process (the
archive open, after one untimed run) per year, per month, and per year of one page name,
the whole command (``sxworker trend … --json`` in a new process, interpreter start and
imports included) once per set, and the ``trend`` query of ``sxworker serve`` per term.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_archive import build  # noqa: E402
from sxworker.archive import Archive, trends  # noqa: E402

TERM_SETS = {
    # 1, 2 and 4 characters.
    "mixed": ["党", "工会", "安全生产"],
    # Words in almost every article of this corpus: the most matches to count.
    "common": ["工会", "职工", "企业"],
    # Each term two words that must both occur.
    "two_words": ["工会 职工", "安全 生产", "劳模 技能"],
}
VARIANTS = {"per_year": {"by": "year"}, "per_month": {"by": "month"}, "per_year_page": {"page_name": "头版"}}


def bench_calls(path: Path, rounds: int) -> dict:
    results = {}
    with Archive.open_readonly(str(path)) as archive:
        for set_name, terms in TERM_SETS.items():
            for variant, options in VARIANTS.items():
                rows = trends.trend(archive.engine, terms, **options)  # untimed: the pages cached once
                timings = []
                for _ in range(rounds):
                    began = time.perf_counter()
                    trends.trend(archive.engine, terms, **options)
                    timings.append((time.perf_counter() - began) * 1000)
                results[f"{set_name}/{variant}"] = {
                    "terms": terms,
                    "periods": len(rows) // len(terms),
                    "matches": {term: sum(r.articles for r in rows if r.term == term) for term in terms},
                    "p50_ms": round(statistics.median(timings), 1),
                    "max_ms": round(max(timings), 1),
                }
    return results


def bench_canned_query(path: Path, rounds: int) -> dict | None:
    """The ``trend`` query of ``sxworker serve``, run with sqlite3 as Datasette runs it."""
    try:
        from sxworker.research.datasette_plugin import sxworker_fts
    except ImportError:  # no Datasette here
        return None
    sql = trends.per_year_sql("sxworker_fts(:q)")
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    connection.create_function("sxworker_fts", 1, sxworker_fts, deterministic=True)
    results = {}
    try:
        for term in TERM_SETS["mixed"]:
            connection.execute(sql, {"q": term}).fetchall()
            timings = []
            for _ in range(rounds):
                began = time.perf_counter()
                connection.execute(sql, {"q": term}).fetchall()
                timings.append((time.perf_counter() - began) * 1000)
            results[term] = {"p50_ms": round(statistics.median(timings), 1), "max_ms": round(max(timings), 1)}
    finally:
        connection.close()
    return results


def bench_command(path: Path) -> dict:
    results = {}
    for set_name, terms in TERM_SETS.items():
        began = time.perf_counter()
        process = subprocess.run(
            [sys.executable, "-m", "sxworker", "trend", *terms, "--db", str(path), "--json"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        )
        seconds = time.perf_counter() - began
        results[set_name] = {"seconds": round(seconds, 2), "rows": len(process.stdout.splitlines())}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "sxworker", "--version"], cwd=ROOT, capture_output=True, check=True)
    results["startup_only"] = {"seconds": round(time.perf_counter() - started, 2)}
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--rounds", type=int, default=5, help="timed runs of each trend")
    parser.add_argument("--keep", type=Path, default=None, help="build the archive here and keep it")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        path = options.keep or Path(temp) / "big.sqlite3"
        build_seconds = None
        if not path.exists():
            build_seconds = round(build(path, options.articles), 1)
        with Archive.open_readonly(str(path)) as archive:
            articles = archive.counts()["articles"]
        report = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "articles": articles,
            "build_seconds": build_seconds,
            "trend": bench_calls(path, options.rounds),
            "command": bench_command(path),
            "datasette_trend_query": bench_canned_query(path, options.rounds),
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
