"""Crawl and store speed, measured side by side in one run on this machine.

    python benchmarks/bench_crawl.py [--extra-issues 60] [--store-rows 20000] [--rounds 3]
        [--no-index] [--before-tree DIR]

1. Serves the replica scaled up with synthetic issues (≥ 2,000 articles) on loopback.
2. Runs the full sxworker crawl (parse, load, validate, dedupe, store) in a subprocess,
   then a bare Scrapy crawl of exactly the URLs the full crawl requested (no parsing, no
   pipelines), with the same concurrency and throttling off; reports pages/s, the ratio,
   peak RSS of each, and requests per stored article.
3. Stores the same article rows with ``Archive.store_articles`` and with raw
   ``sqlite3.executemany`` of the same rows and full-text index rows (same schema, same
   batch size) and reports rows/s and the ratio, and raw rows/s without the index
   (``--store-rows 0`` skips this part).

``--no-index`` adds, in every round, the same full crawl with the full-text index stubbed
out (in the benchmark's subprocess only: ``search.index_articles`` does nothing), to show
how much of the gap to the bare crawl is the index. ``--before-tree DIR`` adds the full
crawl of another checkout (``git worktree add /tmp/before <rev>``), run from that tree, so
that a change is measured against its starting point in the same run. The extra crawls are
under ``"variants"``, each with its ratios to the same round's bare crawl; all crawls of a
round run one after the other, and the rounds repeat that order.

Ratios are what to compare across machines; absolute numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sxworker.archive import Archive  # noqa: E402
from sxworker.archive.articles import article_row  # noqa: E402
from sxworker.archive.fulltext import UNIGRAM_COLUMNS, fts_bigrams, fts_text  # noqa: E402
from sxworker.archive.schema import articles  # noqa: E402
from sxworker.archive.search import INDEXED  # noqa: E402
from sxworker.replica import ReplicaServer  # noqa: E402

SPEED_SETTINGS = {
    "AUTOTHROTTLE_ENABLED": "False",
    "DOWNLOAD_DELAY": "0",
    "CONCURRENT_REQUESTS": "16",
    "CONCURRENT_REQUESTS_PER_DOMAIN": "16",
    "LOG_LEVEL": "WARNING",
}

# The replica server runs in this (the parent) process on the same two cores as the crawl,
# so wall-clock rates include its share; CPU milliseconds per page of the crawling process
# are reported beside them as the steadier measure.

# Runs inside a subprocess: a crawl of given URLs that only counts responses.
BARE_CRAWL = r"""
import json, resource, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess

urls = json.load(open(sys.argv[1]))
settings = json.loads(sys.argv[2])

class Bare(scrapy.Spider):
    name = "bare"
    count = 0
    async def start(self):
        for url in urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.failed)
    def parse(self, response):
        Bare.count += 1
    def failed(self, failure):
        Bare.count += 1

process = CrawlerProcess({**settings, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False,
                          "COOKIES_ENABLED": False})
process.crawl(Bare)
began = time.perf_counter()
cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
process.start()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - began, "responses": Bare.count,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before,
                  "max_rss_kib": usage.ru_maxrss}))
"""

# Runs inside a subprocess: the real crawl through the project's own settings (argv[4]
# "no-index": with the full-text index stubbed out, for the --no-index variant).
FULL_CRAWL = r"""
import json, resource, sys, time
from sxworker.crawl.runner import run_crawl

if sys.argv[4:] == ["no-index"]:
    from sxworker.archive import search
    search.index_articles = lambda conn, rows: None
overrides = json.loads(sys.argv[1])
began = time.perf_counter()
cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
stats = run_crawl(overrides, start=sys.argv[2], end=sys.argv[3]).stats.get_stats()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({"seconds": time.perf_counter() - began,
                  "cpu_seconds": usage.ru_utime + usage.ru_stime - cpu_before,
                  "responses": stats.get("response_received_count", 0),
                  "stored": stats.get("sxworker/articles/new", 0),
                  "max_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _run(code: str, *args: str, tree: Path = ROOT) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], cwd=tree, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict], bare_runs: list[dict]) -> dict:
    """Medians of one kind of crawl and its ratios to the bare crawls of the same rounds."""
    rate = statistics.median(run["responses"] / run["seconds"] for run in runs)
    cpu = statistics.median(run["cpu_seconds"] * 1000 / run["responses"] for run in runs)
    rss = statistics.median(run["max_rss_kib"] for run in runs)
    bare_rate = statistics.median(run["responses"] / run["seconds"] for run in bare_runs)
    bare_cpu = statistics.median(run["cpu_seconds"] * 1000 / run["responses"] for run in bare_runs)
    bare_rss = statistics.median(run["max_rss_kib"] for run in bare_runs)
    return {
        "pages_per_s": round(rate, 1),
        "cpu_ms_per_page": round(cpu, 2),
        "peak_rss_mib": round(rss / 1024, 1),
        "pages_per_s_ratio": round(rate / bare_rate, 3),
        "cpu_throughput_ratio": round(bare_cpu / cpu, 3),
        "cpu_ms_per_page_ratio": round(cpu / bare_cpu, 3),
        "peak_rss_ratio": round(rss / bare_rss, 3),
        "articles_stored": runs[0]["stored"],
    }


def bench_crawl(
    extra_issues: int, workdir: Path, rounds: int, *, no_index: bool = False, before_tree: Path | None = None
) -> dict:
    """Full and bare crawls alternate ``rounds`` times; the median of each is reported, so
    a noisy neighbour slows both sides rather than one."""
    full_runs, bare_runs = [], []
    variants: dict[str, tuple[Path, list[str]]] = {}
    if no_index:
        variants["full_no_index"] = (ROOT, ["no-index"])
    if before_tree is not None:
        variants["before"] = (before_tree, [])
    variant_runs: dict[str, list[dict]] = {name: [] for name in variants}
    with ReplicaServer(extra_issues=extra_issues) as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        expected = len(server.site.expected_articles)
        for round_no in range(rounds):

            def overrides(name: str, round_no: int = round_no) -> str:
                return json.dumps(
                    {
                        **SPEED_SETTINGS,
                        "SXWORKER_BASE_URL": server.base_url,
                        "SXWORKER_DB": str(workdir / f"{name}-{round_no}.sqlite3"),
                        # Scans and pictures too (the bare crawl then fetches them as well),
                        # kept in the temporary folder rather than the working tree's data/files.
                        "FILES_STORE": str(workdir / f"files-{name}-{round_no}"),
                    }
                )

            server.clear_requests()
            full_runs.append(_run(FULL_CRAWL, overrides("full"), dates[0], dates[-1]))
            requested = [server.base_url + path for path in server.requests if path != "/robots.txt"]
            for name, (tree, extra) in variants.items():
                variant_runs[name].append(
                    _run(FULL_CRAWL, overrides(name), dates[0], dates[-1], *extra, tree=tree)
                )
            url_file = workdir / "urls.json"
            url_file.write_text(json.dumps(requested))
            bare_runs.append(_run(BARE_CRAWL, str(url_file), json.dumps(SPEED_SETTINGS)))
    full = statistics.median(run["responses"] / run["seconds"] for run in full_runs)
    bare = statistics.median(run["responses"] / run["seconds"] for run in bare_runs)
    full_cpu = statistics.median(run["cpu_seconds"] * 1000 / run["responses"] for run in full_runs)
    bare_cpu = statistics.median(run["cpu_seconds"] * 1000 / run["responses"] for run in bare_runs)
    full_rss = statistics.median(run["max_rss_kib"] for run in full_runs)
    bare_rss = statistics.median(run["max_rss_kib"] for run in bare_runs)
    stored = full_runs[0]["stored"]
    return {
        "rounds": rounds,
        "articles_in_replica": expected,
        "articles_stored": stored,
        "requests_full": len(requested) + 1,
        "requests_per_stored_article": round((len(requested) + 1) / max(stored, 1), 3),
        "full_pages_per_s": round(full, 1),
        "bare_pages_per_s": round(bare, 1),
        "pages_per_s_ratio": round(full / bare, 3),
        "pages_per_s_ratio_each_round": [
            round((f["responses"] / f["seconds"]) / (b["responses"] / b["seconds"]), 3)
            for f, b in zip(full_runs, bare_runs, strict=True)
        ],
        "full_cpu_ms_per_page": round(full_cpu, 2),
        "bare_cpu_ms_per_page": round(bare_cpu, 2),
        "cpu_throughput_ratio": round(bare_cpu / full_cpu, 3),
        "full_peak_rss_mib": round(full_rss / 1024, 1),
        "bare_peak_rss_mib": round(bare_rss / 1024, 1),
        "peak_rss_ratio": round(full_rss / bare_rss, 3),
        "variants": {name: _summary(runs, bare_runs) for name, runs in variant_runs.items()},
    }


def _rows(count: int, base_url: str) -> list[dict]:
    server = ReplicaServer(extra_issues=60)
    server.bind()
    try:
        source = server.site.expected_articles
    finally:
        server.stop()
    rows = []
    for index in range(count):
        row = dict(source[index % len(source)])
        row["article_id"] = f"{index:07d}"
        row["url"] = f"{base_url}/content/2024-01/02/{row['article_id']}.html"
        rows.append(row)
    return rows


def _raw_store(path: Path, rows: list[dict], batch: int, *, fulltext: bool) -> float:
    """Seconds for plain sqlite3 executemany of the same prepared rows, in the same schema,
    one transaction per batch — with the same full-text index rows, or without them."""
    Archive.open(str(path)).close()  # same schema and indexes
    columns = [c.name for c in articles.columns if c.name != "id"]
    sql = f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    fts_sql = (
        f"INSERT INTO articles_fts (rowid, {', '.join(INDEXED)}) VALUES ({', '.join('?' for _ in range(11))})"
    )
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    began = time.perf_counter()
    for start in range(0, len(rows), batch):
        prepared = [article_row(row, "2026-01-01T00:00:00Z") for row in rows[start : start + batch]]
        with connection:
            connection.executemany(sql, [tuple(p[c] for c in columns) for p in prepared])
            if fulltext:
                connection.executemany(
                    fts_sql,
                    [
                        (
                            p["search_key"],
                            *(fts_text(p[name]) for name in UNIGRAM_COLUMNS),
                            *(fts_bigrams(p[name]) for name in UNIGRAM_COLUMNS),
                        )
                        for p in prepared
                    ],
                )
    seconds = time.perf_counter() - began
    connection.close()
    return seconds


def bench_store(count: int, batch: int, workdir: Path) -> dict:
    rows = _rows(count, "http://szb.sxworker.com")
    archive = Archive.open(str(workdir / "ours.sqlite3"))
    began = time.perf_counter()
    for start in range(0, len(rows), batch):
        archive.store_articles(rows[start : start + batch])
    ours = time.perf_counter() - began
    archive.close()
    raw = _raw_store(workdir / "raw.sqlite3", rows, batch, fulltext=True)
    raw_rows_only = _raw_store(workdir / "raw-rows.sqlite3", rows, batch, fulltext=False)
    return {
        "rows": count,
        "batch": batch,
        "archive_rows_per_s": round(count / ours),
        "raw_executemany_rows_per_s": round(count / raw),
        "store_ratio": round(raw / ours, 3),
        # For scale: the same rows without their full-text index (what issue 3 first measured).
        "raw_rows_only_per_s": round(count / raw_rows_only),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra-issues", type=int, default=60)
    parser.add_argument("--store-rows", type=int, default=20000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--no-index", action="store_true", help="also crawl with the full-text index stubbed out"
    )
    parser.add_argument("--before-tree", type=Path, help="also crawl with the sxworker of this checkout")
    options = parser.parse_args()
    if options.before_tree is not None and not (options.before_tree / "sxworker").is_dir():
        parser.error(f"--before-tree {options.before_tree}: no sxworker/ there")
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        report = {
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "crawl": bench_crawl(
                options.extra_issues,
                workdir,
                options.rounds,
                no_index=options.no_index,
                before_tree=options.before_tree,
            ),
        }
        if options.store_rows > 0:
            report["store"] = bench_store(options.store_rows, options.batch, workdir)
        report |= {
            "benchmark_process_peak_rss_mib": round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            ),
        }
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
