"""Every command at archive scale: each ``sxworker`` command timed as a whole process
(interpreter start and imports included) on a large SQLite archive, and Datasette's pages.

    python benchmarks/bench_commands.py [--articles 300000] [--keep PATH] [--runs 3]

The archive is bench_archive.py's (``build``: realistic Chinese articles, 40 a day from
1985, stored through ``Archive.store_articles``), with the rest of a crawl's records added
here once: an issue and its 8 pages per day (each page listing its articles; every 100th
issue lists one article not stored, a gap), 30 crawl runs and a few open failures. With
``--keep PATH`` an existing archive is reused (and brought to the newest schema first:
``migrate``'s time is reported). Each command runs ``--runs`` times; the median is
reported, with the slowest. ``export`` is also run over the first tenth of the dates, so
that its peak memory at a tenth of the articles sits beside the whole export's.
Prints one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_archive import build  # noqa: E402

from sxworker.archive import Archive, migrate  # noqa: E402

PAGES = 8  # build() puts article n on page n % 8 + 1
TERMS = ("工会", "劳模", "安全生产")


def add_crawl_records(path: Path) -> float:
    """Issues, pages (with the article ids they list), runs and failures for the articles
    build() stored, as a crawl would have recorded them; once per archive."""
    began = time.perf_counter()
    with sqlite3.connect(path) as connection:
        if connection.execute("SELECT count(*) FROM issues").fetchone()[0]:
            return 0.0
        by_page: dict[tuple[str, int], list[str]] = {}
        for issue_date, page_no, article_id in connection.execute(
            "SELECT issue_date, page_no, article_id FROM articles ORDER BY issue_date, page_no, article_id"
        ):
            by_page.setdefault((issue_date, page_no), []).append(article_id)
    dates = sorted({issue_date for issue_date, _ in by_page})
    with Archive.open(str(path)) as archive:
        issues, pages = [], []
        for number, issue_date in enumerate(dates):
            month, day = issue_date[:7], issue_date[8:]
            issues.append(
                {
                    "issue_date": issue_date,
                    "url": f"http://szb.sxworker.com/html/{month}/{day}/node_1.htm",
                    "page_count": PAGES,
                }
            )
            for page_no in range(1, PAGES + 1):
                listed = list(by_page.get((issue_date, page_no), []))
                if number % 100 == 0 and page_no == 1:
                    listed.append("9999999")  # linked, never stored: a gap
                pages.append(
                    {
                        "issue_date": issue_date,
                        "page_no": page_no,
                        "page_label": str(page_no),
                        "page_name": ("头版", "要闻", "综合新闻", "职工天地")[(page_no - 1) % 4],
                        "url": f"http://szb.sxworker.com/html/{month}/{day}/node_{page_no}.htm",
                        "article_count": len(listed),
                        "article_ids": listed,
                    }
                )
            if len(pages) >= 8000:
                archive.store_issues(issues)
                archive.store_pages(pages)
                issues, pages = [], []
        archive.store_issues(issues)
        archive.store_pages(pages)
        archive.record_failures(
            {
                "url": f"http://szb.sxworker.com/content/{day[:7]}/{day[8:]}/9999999.html",
                "kind": "article",
                "issue_date": day,
                "status": 404,
                "error": "HTTP 404",
            }
            for day in dates[::100]
        )
        for number in range(30):
            first = date.fromisoformat(dates[-1]) - timedelta(days=7 * (30 - number))
            run_id = archive.start_run(
                mode="scheduled", range_start=first.isoformat(), range_end=dates[-1], args={}
            )
            archive.finish_run(
                run_id,
                outcome="ok",
                finish_reason="finished",
                counters={"requests": 400, "articles_new": 280, "articles_unchanged": 40},
                fill_rates=None,
                message=None,
                range_start=None,
                range_end=None,
            )
    return time.perf_counter() - began


def schema_revision(path: Path) -> str | None:
    with sqlite3.connect(path) as connection:
        try:
            return connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        except sqlite3.OperationalError:
            return None


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float  # user + system: what the machine's other load does not inflate as much
    peak_rss_kib: int
    exit_status: int
    stderr: str


# Linux keeps a process's peak RSS across fork and exec: a command started from this
# process, grown by the build, would report this process's peak as its own. So the commands
# are started by a small launcher, itself started before anything grows.
LAUNCHER = r"""
import json, os, subprocess, sys, tempfile, time
for line in sys.stdin:
    args, env = json.loads(line)
    with tempfile.TemporaryFile() as errors:
        began = time.perf_counter()
        process = subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - began
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")[-2000:]
    cpu = usage.ru_utime + usage.ru_stime
    print(json.dumps([wall, cpu, usage.ru_maxrss, process.returncode, stderr]), flush=True)
"""


class Launcher:
    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-c", LAUNCHER],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )

    def run(self, args: list[str], env: dict[str, str]) -> Run:
        """One ``python -m sxworker ARGS`` process (cwd: the repository); its rusage from wait4.
        ARGS starting with ``-c`` are Python's: a baseline, not a command."""
        assert self._process.stdin is not None and self._process.stdout is not None
        command = [sys.executable, *args] if args[0] == "-c" else [sys.executable, "-m", "sxworker", *args]
        self._process.stdin.write(json.dumps([command, env]) + "\n")
        self._process.stdin.flush()
        return Run(*json.loads(self._process.stdout.readline()))

    def close(self) -> None:
        assert self._process.stdin is not None
        self._process.stdin.close()
        self._process.wait()


LAUNCH: Launcher | None = None


def bench(args: list[str], env: dict[str, str], runs: int, ok: tuple[int, ...] = (0,)) -> dict:
    done = []
    for _ in range(runs):
        assert LAUNCH is not None
        run = LAUNCH.run(args, env)
        if run.exit_status not in ok:
            raise RuntimeError(f"sxworker {' '.join(args)}: exit {run.exit_status}: {run.stderr[-500:]!r}")
        done.append(run)
    return {
        "median_s": round(statistics.median(run.wall_s for run in done), 3),
        "max_s": round(max(run.wall_s for run in done), 3),
        "median_cpu_s": round(statistics.median(run.cpu_s for run in done), 3),
        "peak_rss_mib": round(max(run.peak_rss_kib for run in done) / 1024, 1),
    }


def bench_datasette(path: Path, runs: int) -> dict:
    """Datasette's table page and search page through serve's app, in process (Datasette's
    own client): the first request after start and the median of the next ``runs``."""
    from sxworker.research.serve import DATABASE_NAME, make_datasette

    pages = {
        "table_page": f"/{DATABASE_NAME}/articles",
        "search_page_工会": f"/{DATABASE_NAME}/search?q=工会",
        "search_page_劳动竞赛": f"/{DATABASE_NAME}/search?q=劳动竞赛",
    }
    found = {}
    with Archive.open_readonly(str(path)) as archive:
        datasette = make_datasette(archive, path)

        async def fetch(url: str) -> float:
            began = time.perf_counter()
            response = await datasette.client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")
            return time.perf_counter() - began

        async def measure() -> None:
            await datasette.invoke_startup()
            for name, url in pages.items():
                first = await fetch(url)
                later = [await fetch(url) for _ in range(runs)]
                found[name] = {"first_s": round(first, 3), "median_s": round(statistics.median(later), 3)}

        asyncio.run(measure())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=3, help="runs of each command (the median is shown)")
    parser.add_argument("--keep", type=Path, default=None, help="build the archive here and keep it")
    options = parser.parse_args()
    global LAUNCH
    LAUNCH = Launcher()
    report: dict = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "load_average_at_start": [round(value, 2) for value in os.getloadavg()],
    }
    with tempfile.TemporaryDirectory() as temp:
        workdir = Path(temp)
        path = options.keep or workdir / "big.sqlite3"
        if not path.exists():
            report["build_seconds"] = round(build(path, options.articles), 1)
        env = {**os.environ, "SXWORKER_DB": str(path), "PYTHONDONTWRITEBYTECODE": "1"}
        env.pop("SXWORKER_WARC_DIR", None)
        if schema_revision(path) != migrate.head():
            began = time.perf_counter()
            subprocess.run([sys.executable, "-m", "sxworker", "migrate"], cwd=ROOT, env=env, check=True)
            report["migrate_seconds"] = round(time.perf_counter() - began, 1)
        report["crawl_records_seconds"] = round(add_crawl_records(path), 1)
        with sqlite3.connect(path) as connection:
            count, first, last = connection.execute(
                "SELECT count(*), min(issue_date), max(issue_date) FROM articles"
            ).fetchone()
            article_id, issue_date = connection.execute(
                "SELECT article_id, issue_date FROM articles ORDER BY issue_date DESC LIMIT 1 OFFSET ?",
                (count // 3,),
            ).fetchone()
        report |= {"articles": count, "archive_mib": round(path.stat().st_size / 2**20, 1)}
        tenth = (
            date.fromisoformat(first) + (date.fromisoformat(last) - date.fromisoformat(first)) / 10
        ).isoformat()
        out = workdir / "out"
        out.mkdir()
        runs = options.runs
        commands = {
            # What every command pays before it reads anything, on this machine at this load.
            "baseline_python_start": ["-c", "pass"],
            "baseline_import_archive": ["-c", "import sxworker.archive"],
            "help": ["--help"],
            "stats": ["stats"],
            "stats_json": ["stats", "--json"],
            "gaps_json": ["gaps", "--json"],
            "runs": ["runs"],
            "show": ["show", article_id, "--date", issue_date],
            "show_json": ["show", article_id, "--date", issue_date, "--json"],
            "cite": ["cite", article_id, "--date", issue_date],
            "templates": ["templates"],
            "search_1_char": ["search", "党", "--json"],
            "search_2_char": ["search", "工会", "--json"],
            "search_4_char": ["search", "劳动竞赛"],
            "trend_3_terms": ["trend", *TERMS, "--json"],
            "trend_3_terms_page_name": ["trend", *TERMS, "--page-name", "头版", "--json"],
        }
        timings = {name: bench(args, env, runs) for name, args in commands.items()}
        export_args = ["export", "-o", str(out / "all.jsonl")]
        export = bench(export_args, env, runs)
        tenth_export = bench(["export", "--until", tenth, "-o", str(out / "tenth.jsonl")], env, 1)
        export |= {
            "articles_per_s": round(count / export["median_s"]),
            "articles_per_cpu_s": round(count / export["median_cpu_s"]),
            "output_mib": round((out / "all.jsonl").stat().st_size / 2**20, 1),
            "tenth_of_the_articles_peak_rss_mib": tenth_export["peak_rss_mib"],
        }
        timings["export_jsonl_to_file"] = export
        # report and verify may take longer (each reads every article): one run each.
        timings["report"] = bench(["report", "-o", str(out / "report.html")], env, 1)
        timings["verify_json"] = bench(["verify", "--json"], env, 1, ok=(0, 1))
        report["commands"] = timings
        report["datasette"] = bench_datasette(path, runs)
    LAUNCH.close()
    report["load_average_at_end"] = [round(value, 2) for value in os.getloadavg()]
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
