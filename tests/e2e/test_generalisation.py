"""End-to-end crawls of three independently built replicas of the site, checked against
their own ground truth field by field.

``sxworker/replica`` (the bundled one), ``tests/sites/altsite.py`` and ``tests/sites/thirdsite.py``
were each written from SITE.md alone, by someone who had not read the parsers: different
page URL schemes (node_N.htm, query strings, 302/meta/JS front pages), page lists (links,
a <select>, thumbnails), templates (tables with <br>, divs, custom elements, mobile) and
encodings. Every difference is collected so that a failure lists them all.
"""

from __future__ import annotations

import pytest

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer, build_site
from sxworker.site.items import ARTICLE_FIELDS
from tests.conftest import run_crawl
from tests.sites.altsite import build_alt_site
from tests.sites.thirdsite import build_third_site

SITES = {"replica": build_site, "altsite": build_alt_site, "thirdsite": build_third_site}
PAGE_FIELDS = (
    ("page_label", "page_label"),
    ("page_name", "page_name"),
    ("url", "url"),
    ("scan_url", "page_image_url"),
)


@pytest.fixture(scope="module", params=sorted(SITES))
def crawled(request, tmp_path_factory):
    db = tmp_path_factory.mktemp(request.param) / "archive.sqlite3"
    with ReplicaServer(builder=SITES[request.param]) as server:
        site = server.site
        dates = sorted(issue["issue_date"] for issue in site.expected_issues)
        result = run_crawl(
            server.base_url, db, start=dates[0], end=dates[-1], settings={"LOG_LEVEL": "WARNING"}
        )
    assert result.ok, result.log[-4000:]
    with Archive.open_readonly(str(db)) as archive:
        return site, list(archive.iter_export()), archive.page_rows(), archive.issue_rows(), result.log


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 300 else text[:300] + "…"


def test_articles_match_ground_truth(crawled):
    site, articles, _, _, log = crawled
    got = {(row["issue_date"], row["article_id"]): row for row in articles}
    mismatches = []
    for expected in site.expected_articles:
        key = (expected["issue_date"], expected["article_id"])
        row = got.pop(key, None)
        if row is None:
            mismatches.append(f"{key}: not in the archive")
            continue
        mismatches += [
            f"{key} {name}: got {_show(row[name])} expected {_show(expected[name])}"
            for name in ARTICLE_FIELDS
            if row[name] != expected[name]
        ]
    mismatches += [f"{key}: unexpected article {_show(row['title'])}" for key, row in sorted(got.items())]
    assert not mismatches, "\n".join([*mismatches, "--- crawl log tail ---", log[-2000:]])


def test_pages_match_ground_truth(crawled):
    site, _, pages, _, _ = crawled
    got: dict[tuple[str, int | None], dict] = {}
    mismatches = []
    for row in pages:
        key = (row["issue_date"], row["page_no"])
        if key in got:
            mismatches.append(f"page {key}: stored twice ({row['url']})")
        got[key] = row
    for expected in site.expected_pages:
        key = (expected["issue_date"], expected["page_no"])
        row = got.pop(key, None)
        if row is None:
            mismatches.append(f"page {key}: not in the archive")
            continue
        mismatches += [
            f"page {key} {ours}: got {_show(row[ours])} expected {_show(expected[theirs])}"
            for ours, theirs in PAGE_FIELDS
            if row[ours] != expected[theirs]
        ]
    mismatches += [f"page {key}: unexpected ({row['url']})" for key, row in got.items()]
    assert not mismatches, "\n".join(mismatches)


def test_issues_match_ground_truth(crawled):
    site, _, _, issues, _ = crawled
    assert [(row["issue_date"], row["page_count"]) for row in issues] == [
        (issue["issue_date"], issue["page_count"]) for issue in site.expected_issues
    ]


def test_crawl_log_has_no_traceback(crawled):
    assert "Traceback" not in crawled[4]
