"""Search latency, export throughput and archive size on a large synthetic archive.

    python benchmarks/bench_archive.py [--articles 300000] [--queries 40]

Builds an SQLite archive of realistic Chinese articles (the replica's text generator, fixed
seed) through ``Archive.store_articles`` — so the full-text index is built the way a crawl
builds it — then measures:
- ``search`` latency (p50/p95) for 1-, 2- and 4-character queries, the 20 best hits;
- JSONL export throughput and the export's peak memory, in a subprocess of its own;
- the archive's size on disk, with and without its full-text index.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sxworker.archive import Archive  # noqa: E402
from sxworker.replica import textgen  # noqa: E402

QUERIES = {
    1: ["党", "工", "劳", "矿", "厂", "会", "企", "职", "省", "安"],
    2: ["工会", "劳模", "职工", "安全", "技能", "企业", "帮扶", "困难", "农民", "西安"],
    4: ["职工代表", "劳动竞赛", "安全生产", "困难职工", "技能大赛", "工会组织", "劳动模范", "产业工人"],
}

EXPORT = r"""
import json, resource, sys, time
from sxworker.archive import Archive
from sxworker.archive.export import write_jsonl

began = time.perf_counter()
with Archive.open_readonly(sys.argv[1]) as archive, open(sys.argv[2], "wb", buffering=1 << 20) as out:
    count = write_jsonl(archive.iter_export(), out)
print(json.dumps({"count": count, "seconds": time.perf_counter() - began,
                  "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def synthetic_rows(count: int) -> Iterator[dict]:
    """The benchmark's articles: the replica's generated text (fixed seed), 40 a day from 1985."""
    rng = random.Random(20261125)
    first = date(1985, 1, 1)
    for number in range(count):
        issue_date = (first + timedelta(days=number // 40)).isoformat()
        yield {
            "article_id": f"{number:07d}",
            "url": f"http://szb.sxworker.com/content/{issue_date[:7]}/{issue_date[8:]}/{number:07d}.html",
            "issue_date": issue_date,
            "page_no": number % 8 + 1,
            "page_label": str(number % 8 + 1),
            "page_name": ("头版", "要闻", "综合新闻", "职工天地")[number % 4],
            "kicker": textgen.kicker(rng) if number % 5 == 0 else None,
            "title": textgen.title(rng),
            "subtitle": None,
            "author": textgen.byline(rng),
            "body": "\n".join(textgen.paragraphs(rng)),
            "images": [],
        }


def build(path: Path, count: int, batch: int = 2000) -> float:
    """Seconds to generate and store ``count`` synthetic articles through
    ``Archive.store_articles``, one batch (and transaction) at a time."""
    archive = Archive.open(str(path))
    began = time.perf_counter()
    rows = []
    for row in synthetic_rows(count):
        rows.append(row)
        if len(rows) == batch:
            archive.store_articles(rows)
            rows = []
    if rows:
        archive.store_articles(rows)
    archive.close()
    return time.perf_counter() - began


def rare_queries(archive: Archive, count: int = 10) -> list[str]:
    """Four-character passages cut from random articles: selective queries, which are
    ranked by relevance (the common words of QUERIES match too many to rank)."""
    rng = random.Random(7)
    records = list(archive.iter_export(since="1985-01-01", until="1985-01-31"))
    picked = []
    while len(picked) < count:
        body = rng.choice(records)["body"].replace("\n", "")
        start = rng.randrange(0, max(1, len(body) - 4))
        passage = body[start : start + 4]
        if all("\u4e00" <= char <= "\u9fff" for char in passage):
            picked.append(passage)
    return picked


def bench_search(path: Path, repeats: int) -> dict:
    results = {}
    with Archive.open_readonly(str(path)) as archive:
        archive.search("预热")  # load the index pages once
        queries_by_kind = {f"{length}_char": queries for length, queries in QUERIES.items()}
        queries_by_kind["rare_4_char"] = rare_queries(archive)
        for kind, queries in queries_by_kind.items():
            timings = []
            hits = []
            orders = set()
            for _ in range(repeats):
                for query in queries:
                    began = time.perf_counter()
                    found = archive.search(query, limit=20)
                    timings.append((time.perf_counter() - began) * 1000)
                    hits.append(len(found.hits))
                    orders.add(found.order)
            timings.sort()
            results[kind] = {
                "examples": queries[:3],
                "order": sorted(orders),
                "queries": len(timings),
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(timings[int(len(timings) * 0.95) - 1], 1),
                "max_ms": round(timings[-1], 1),
                "mean_hits": round(statistics.mean(hits), 1),
            }
    return results


def bench_export(path: Path, out: Path) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", EXPORT, str(path), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(result.stdout.strip().splitlines()[-1])
    return {
        "articles": measured["count"],
        "articles_per_s": round(measured["count"] / measured["seconds"]),
        "peak_rss_mib": round(measured["max_rss_kib"] / 1024, 1),
        "output_mib": round(out.stat().st_size / 2**20, 1) if out.is_file() else None,
    }


def page_size(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("PRAGMA page_size").fetchone()[0]


def index_size(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        pages = connection.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'articles_fts%'"
        ).fetchone()[0]
    except sqlite3.OperationalError:  # dbstat not compiled in
        pages = None
    connection.close()
    return pages or 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=3, help="repeats of each query")
    parser.add_argument("--keep", type=Path, default=None, help="build the archive here and keep it")
    parser.add_argument(
        "--page-size", type=int, default=None, help="SQLite page size of a new archive (SQLite: 4096)"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        path = options.keep or workdir / "big.sqlite3"
        build_seconds = None
        if not path.exists():
            if options.page_size:
                # Set before the first table: an empty file keeps it once VACUUM writes it.
                with closing(sqlite3.connect(path)) as connection:
                    connection.execute(f"PRAGMA page_size = {int(options.page_size)}")
                    connection.execute("VACUUM")
            build_seconds = build(path, options.articles)
        size = path.stat().st_size
        report = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "articles": options.articles,
            "page_size": page_size(path),
            "build_seconds": round(build_seconds, 1) if build_seconds else None,
            "archive_mib": round(size / 2**20, 1),
            "fulltext_index_mib": round(index_size(path) / 2**20, 1),
            "search": bench_search(path, options.queries),
            # To a file (bounded by this machine's disk) and to /dev/null (the exporter alone).
            "export_jsonl_to_file": bench_export(path, workdir / "export.jsonl"),
            "export_jsonl_to_devnull": bench_export(path, Path(os.devnull)),
            "benchmark_peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
