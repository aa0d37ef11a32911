"""End-to-end crawl of the third, independently designed replica (tests/thirdsite.py).

The crawler was not written against these templates (302 root, node_N pages whose N is not
the page number, query-string pages, thumbnail page lists, image-only 上一期/下一期, td.font0N
article tables, GBK bytes under a gb2312 <meta>): this checks that it generalises.
Every difference is collected, so a failure lists them all.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from thirdsite import build_third_site

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer

REPO = Path(__file__).resolve().parent.parent
ARTICLE_FIELDS = (
    "article_id",
    "url",
    "issue_date",
    "page_no",
    "page_label",
    "page_name",
    "page_image_url",
    "kicker",
    "title",
    "subtitle",
    "author",
    "body",
    "images",
)
PAGE_FIELDS = (
    ("page_label", "page_label"),
    ("page_name", "page_name"),
    ("url", "url"),
    ("scan_url", "page_image_url"),
    ("pdf_url", "pdf_url"),
)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("thirdsite")
    db = tmp_path / "third.sqlite3"
    with ReplicaServer(builder=build_third_site) as server:
        site = server.site
        assert site is not None
        dates = sorted(i["issue_date"] for i in site.expected_issues)
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "crawl",
                "sxworker",
                "-a",
                f"start={dates[0]}",
                "-a",
                f"end={dates[-1]}",
                "-s",
                f"SXWORKER_BASE_URL={server.base_url}",
                "-s",
                f"SXWORKER_DB={db}",
                "-s",
                f"FILES_STORE={tmp_path / 'files'}",
                "-s",
                "AUTOTHROTTLE_ENABLED=False",
                "-s",
                "DOWNLOAD_DELAY=0",
                "-s",
                "LOG_LEVEL=WARNING",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert db.exists(), f"no archive written\n{proc.stderr[-4000:]}"
    archive = Archive.open_readonly(str(db))
    try:
        articles = list(archive.iter_export())
        pages = archive.page_rows()
        issues = archive.issue_rows()
    finally:
        archive.close()
    return site, articles, pages, proc.stderr, issues


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "…"


def test_articles_match_ground_truth(crawled):
    site, articles, _pages, stderr, _issues = crawled
    got = {a["article_id"]: a for a in articles}
    mismatches: list[str] = []
    for exp in site.expected_articles:
        aid = exp["article_id"]
        row = got.get(aid)
        if row is None:
            mismatches.append(f"{aid} ({exp['issue_date']} p{exp['page_no']}): not in archive")
            continue
        for name in ARTICLE_FIELDS:
            if row.get(name) != exp[name]:
                mismatches.append(f"{aid} {name}: got {_show(row.get(name))} expected {_show(exp[name])}")
    expected_ids = {a["article_id"] for a in site.expected_articles}
    for aid in sorted(set(got) - expected_ids):
        mismatches.append(f"{aid}: unexpected article {_show(got[aid].get('title'))}")
    assert not mismatches, (
        f"{len(mismatches)} mismatches:\n"
        + "\n".join(mismatches)
        + "\n--- crawl log tail ---\n"
        + stderr[-2000:]
    )


def test_pages_match_ground_truth(crawled):
    site, _articles, pages, _stderr, _issues = crawled
    got: dict[tuple[str, int | None], dict] = {}
    extra: list[str] = []
    for row in pages:
        key = (row["issue_date"], row["page_no"])
        if key in got:
            extra.append(f"{key}: duplicate page row {row['url']}")
        got[key] = row
    mismatches: list[str] = list(extra)
    for exp in site.expected_pages:
        key = (exp["issue_date"], exp["page_no"])
        row = got.pop(key, None)
        if row is None:
            mismatches.append(f"page {key}: not in archive")
            continue
        for got_name, exp_name in PAGE_FIELDS:
            if row.get(got_name) != exp[exp_name]:
                mismatches.append(
                    f"page {key} {got_name}: got {_show(row.get(got_name))} expected {_show(exp[exp_name])}"
                )
    for key, row in sorted(got.items(), key=lambda kv: (kv[0][0], kv[0][1] or 0)):
        mismatches.append(f"page {key}: unexpected page row {row['url']}")
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


def test_issues_match_ground_truth(crawled):
    site, _articles, _pages, _stderr, issues = crawled
    got = {row["issue_date"]: row for row in issues}
    mismatches: list[str] = []
    for exp in site.expected_issues:
        row = got.pop(exp["issue_date"], None)
        if row is None:
            mismatches.append(f"issue {exp['issue_date']}: not in archive")
        elif row.get("page_count") != exp["page_count"]:
            mismatches.append(
                f"issue {exp['issue_date']} page_count: got {row.get('page_count')!r} "
                f"expected {exp['page_count']!r}"
            )
    mismatches += [f"issue {d}: unexpected issue row {row.get('url')}" for d, row in sorted(got.items())]
    assert not mismatches, f"{len(mismatches)} mismatches:\n" + "\n".join(mismatches)


def test_crawl_log_has_no_traceback(crawled):
    _site, _articles, _pages, stderr, _issues = crawled
    assert "Traceback" not in stderr, stderr[-3000:]
