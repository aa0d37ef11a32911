"""``sxworker demo``: the real spider, the real pipelines, the bundled replica, no network."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.table import Table

from sxworker.archive import Archive
from sxworker.crawl.runner import run_crawl
from sxworker.replica import ReplicaServer


def run_demo(db: str) -> None:
    console = Console(stderr=True)
    Path(db).parent.mkdir(parents=True, exist_ok=True)
    with ReplicaServer() as server:
        dates = sorted(issue["issue_date"] for issue in server.site.expected_issues)
        console.print(f"Replica of szb.sxworker.com serving at {server.base_url}")
        console.print(f"Crawling {dates[0]} … {dates[-1]} into {db}")
        run_crawl(
            {
                "SXWORKER_BASE_URL": server.base_url,
                "SXWORKER_DB": db,
                # The replica's scans mirror real URL paths: never mix them into a real
                # archive's data/files.
                "FILES_STORE": str(Path(db).parent / "demo-files"),
                # Raw capture on, so that `sxworker replay` and `export --format wacz` have
                # the demo's pages to show (SXWORKER_WARC_DIR=data/demo-warc).
                "SXWORKER_WARC_DIR": str(Path(db).parent / "demo-warc"),
                # The replica is our own loopback server: politeness delays would only
                # make a newcomer wait.
                "AUTOTHROTTLE_ENABLED": False,
                "DOWNLOAD_DELAY": 0,
                "LOG_LEVEL": "WARNING",
            },
            start=dates[0],
            end=dates[-1],
        )
    with Archive.open_readonly(db) as archive:
        counts = archive.counts()
        table = Table(title=f"Stored in {db}")
        for column in ("date", "page", "id", "title", "author"):
            table.add_column(column)
        for record in archive.iter_export():
            page = record["page_label"] or (str(record["page_no"]) if record["page_no"] else "")
            if record["page_name"]:
                page = f"{page} {record['page_name']}".strip()
            table.add_row(
                record["issue_date"], page, record["article_id"], record["title"], record["author"] or ""
            )
    out = Console()
    out.print(table)
    out.print(
        f"{counts['issues']} issues, {counts['pages']} pages, {counts['articles']} articles "
        f"({counts['first_issue']} … {counts['last_issue']}). "
        f"Next: sxworker export --db {db} | head",
        soft_wrap=True,
    )
