"""Search and export on PostgreSQL beside SQLite, the same synthetic archive in both.

    python benchmarks/bench_postgres.py --pg-url postgresql+psycopg://postgres@127.0.0.1:PORT/postgres
        [--articles 300000] [--queries 5] [--sqlite PATH] [--keep-pg]

The PostgreSQL server is the one ``.ci/setup-postgres.sh`` starts (its URL also read from
``SXWORKER_TEST_PG_URL``). A database of its own (``sxworker_bench``) is created on that
server, filled with ``bench_archive.build`` — the same articles, in the same order, through
``Archive.store_articles`` as the SQLite archive — and dropped at the end unless
``--keep-pg``. An SQLite archive given with ``--sqlite`` is reused when it exists (built
there and kept otherwise). Then, alternating the two backends query by query:

- top-20 ``search`` latency (p50/p95/max) for 1-, 2- and 4-character words, ranked queries
  (4-character passages cut from random articles), the worst case (four common characters
  that never occur together: no hit) and multi-word queries;
- JSONL export to a file and to /dev/null (articles/s, peak RSS), each in a subprocess.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_archive import QUERIES, bench_export, build, rare_queries  # noqa: E402
from sxworker.archive import Archive  # noqa: E402

BENCH_DATABASE = "sxworker_bench"
# Four characters each common in this corpus (each in well over half the articles) that the
# text generator never writes in this order: a phrase no article holds.
WORST = ["党矿企安", "厂职省劳", "会企党矿", "安工职厂"]
MULTI_WORD = ["工会 安全", "劳模 职工", "企业 帮扶 困难", "西安 技能", "安全生产 职工代表"]


def _server_engine(pg_url: str) -> Engine:
    """An autocommit engine on the server's maintenance database, for CREATE/DROP DATABASE."""
    return create_engine(make_url(pg_url).set(database="postgres"), isolation_level="AUTOCOMMIT")


def bench_url(pg_url: str) -> str:
    return make_url(pg_url).set(database=BENCH_DATABASE).render_as_string(hide_password=False)


def create_database(pg_url: str) -> bool:
    """Create the benchmark's database; False when it exists already (reused as it is)."""
    engine = _server_engine(pg_url)
    with engine.connect() as conn:
        exists = conn.execute(
            text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": BENCH_DATABASE}
        ).first()
        if not exists:
            conn.execute(text(f"CREATE DATABASE {BENCH_DATABASE}"))
    engine.dispose()
    return not exists


def drop_database(pg_url: str) -> None:
    engine = _server_engine(pg_url)
    with engine.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)"))
    engine.dispose()


def pg_sizes(url: str) -> dict:
    engine = create_engine(url)
    with engine.connect() as conn:
        sizes = conn.execute(
            text(
                "SELECT pg_database_size(current_database()),"
                " pg_relation_size('ix_articles_search_vector'), pg_total_relation_size('articles')"
            )
        ).one()
    engine.dispose()
    return {
        "database_mib": round(sizes[0] / 2**20, 1),
        "search_vector_index_mib": round(sizes[1] / 2**20, 1),
        "articles_table_with_indexes_mib": round(sizes[2] / 2**20, 1),
    }


def _count(target: str) -> int:
    with Archive.open_readonly(target) as archive:
        return archive.count_export()


def _summary(timings: list[float], hits: list[int], examples: list[str], orders: set[str]) -> dict:
    timings = sorted(timings)
    return {
        "examples": examples[:3],
        "order": sorted(orders),
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 1),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 1),
        "max_ms": round(timings[-1], 1),
        "mean_hits": round(statistics.mean(hits), 1),
    }


def bench_search(targets: dict[str, str], repeats: int) -> dict:
    """Each query on each backend in turn (so the machine's load falls on both alike)."""
    archives = {name: Archive.open_readonly(target) for name, target in targets.items()}
    try:
        for archive in archives.values():
            archive.search("预热")  # the index's first pages read once
        kinds = {f"{length}_char": queries for length, queries in QUERIES.items()}
        kinds["ranked_4_char"] = rare_queries(archives["sqlite"])
        kinds["worst_4_common_chars"] = WORST
        kinds["multi_word"] = MULTI_WORD
        results: dict[str, dict] = {}
        for kind, queries in kinds.items():
            measured = {name: ([], [], set()) for name in archives}
            for _ in range(repeats):
                for query in queries:
                    for name, archive in archives.items():
                        timings, hits, orders = measured[name]
                        began = time.perf_counter()
                        found = archive.search(query, limit=20)
                        timings.append((time.perf_counter() - began) * 1000)
                        hits.append(len(found.hits))
                        orders.add(found.order)
            results[kind] = {
                name: _summary(*measured[name][:2], queries, measured[name][2]) for name in archives
            }
        return results
    finally:
        for archive in archives.values():
            archive.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("SXWORKER_TEST_PG_URL"))
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--queries", type=int, default=5, help="repeats of each query")
    parser.add_argument(
        "--sqlite", type=Path, default=None, help="the SQLite archive: reused, or built and kept"
    )
    parser.add_argument("--keep-pg", action="store_true", help="keep the PostgreSQL database afterwards")
    options = parser.parse_args()
    if not options.pg_url:
        parser.error("no PostgreSQL server: --pg-url or SXWORKER_TEST_PG_URL (.ci/setup-postgres.sh)")
    pg = bench_url(options.pg_url)
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "articles": options.articles,
    }
    with tempfile.TemporaryDirectory(prefix="sxworker-bench-pg-") as temp:
        workdir = Path(temp)
        sqlite_path = options.sqlite or workdir / "big.sqlite3"
        try:
            build_seconds = {}
            if create_database(options.pg_url):
                build_seconds["postgresql"] = round(build(pg, options.articles), 1)  # type: ignore[arg-type]
            if not sqlite_path.exists():
                build_seconds["sqlite"] = round(build(sqlite_path, options.articles), 1)
            # What autovacuum does to a table soon after a large load: the GIN index's pending
            # entries merged and the planner's statistics gathered.
            engine = create_engine(pg, isolation_level="AUTOCOMMIT")
            with engine.connect() as conn:
                conn.execute(text("VACUUM ANALYZE articles"))
            engine.dispose()
            report["build_seconds"] = build_seconds
            # What each holds (a build stopped early holds fewer than --articles: the same
            # first ones in both, the builder being deterministic).
            report["articles_stored"] = {
                "sqlite": _count(str(sqlite_path)),
                "postgresql": _count(pg),
            }
            report["postgresql_sizes"] = pg_sizes(pg)
            report["sqlite_mib"] = round(sqlite_path.stat().st_size / 2**20, 1)
            report["search"] = bench_search({"sqlite": str(sqlite_path), "postgresql": pg}, options.queries)
            report["export_jsonl_to_file"] = {
                "sqlite": bench_export(sqlite_path, workdir / "sqlite.jsonl"),
                "postgresql": bench_export(pg, workdir / "postgresql.jsonl"),  # type: ignore[arg-type]
            }
            (workdir / "sqlite.jsonl").unlink()
            (workdir / "postgresql.jsonl").unlink()
            report["export_jsonl_to_devnull"] = {
                "sqlite": bench_export(sqlite_path, Path(os.devnull)),
                "postgresql": bench_export(pg, Path(os.devnull)),  # type: ignore[arg-type]
            }
        finally:
            if not options.keep_pg:
                drop_database(options.pg_url)
    report["benchmark_peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
