"""Helpers for the browser and Datasette tests: a small archive, headless chromium, skips.

A tool that is missing locally skips its test; with ``CI`` set in the environment it fails
instead, so CI cannot pass by skipping (``.ci/setup-chromium.sh`` installs chromium).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

from sxworker.archive import Archive
from sxworker.archive.fulltext import fts_text

BASE = "http://szb.sxworker.com"
CHROMIUM = os.environ.get("SXWORKER_CHROMIUM") or "/usr/bin/chromium"

# issue date → [(page_no, page_name, [(article_id, title, author, body)])]
ISSUES = {
    "1985-11-15": [
        (
            1,
            "头版",
            [("038852", "省总工会召开第七次职工代表大会", "本报记者 王瑞", "会议讨论了工会工作报告。")],
        ),
        (2, "综合新闻", [("038853", "西安纺织城女工夜校开学", "李娜", "三百多名女工走进课堂。")]),
        (3, "职工生活", []),
        (4, "副刊", [("038854", "秋色", "石磊", "渭河两岸秋意正浓。")]),
    ],
    "1985-11-29": [
        (1, "头版", [("038901", "劳模座谈会在延安举行", "本报记者 张敏", "全省劳动模范畅谈体会。")]),
        (2, "综合新闻", []),
    ],
    "1986-03-04": [
        (1, "头版", [("039100", "党的建设进车间", "何苗", "车间党支部活动有声有色。")]),
    ],
    "2023-10-17": [
        (1, "头版", [("134356", "秋收时节的工会身影", "通讯员 吴倩", "各级工会组织志愿服务队助农秋收。")]),
        (2, "要闻", [("134357", "全省职工职业技能大赛决赛开幕", "本报记者 王瑞", "大赛设十个工种。")]),
        (3, "综合新闻", [("134358", "“工匠精神”进企业", None, "宣讲团走进企业一线。")]),
        (4, "职工天地", []),
    ],
}
TITLES = [article[1] for pages in ISSUES.values() for _, _, articles in pages for article in articles]
UNION_TITLES = {"省总工会召开第七次职工代表大会", "秋收时节的工会身影"}  # those with 工会 in the title


def build_archive(path: Path) -> Path:
    """A small archive with known titles across 1985–2023 (gaps between), searchable."""
    issue_rows, page_rows, article_rows = [], [], []
    for date, pages in ISSUES.items():
        issue_rows.append(
            {
                "issue_date": date,
                "url": f"{BASE}/html/{date[:7]}/{date[8:]}/node_1.htm",
                "page_count": len(pages),
            }
        )
        for page_no, page_name, articles in pages:
            page_url = f"{BASE}/html/{date[:7]}/{date[8:]}/node_{page_no}.htm"
            page_rows.append(
                {
                    "issue_date": date,
                    "page_no": page_no,
                    "page_label": str(page_no),
                    "page_name": page_name,
                    "url": page_url,
                    "article_count": len(articles),
                }
            )
            for article_id, title, author, body in articles:
                article_rows.append({
                    "article_id": article_id,
                    "url": f"{BASE}/content/{date[:7]}/{date[8:]}/{article_id}.html",
                    "issue_date": date, "page_no": page_no, "page_label": str(page_no),
                    "page_name": page_name, "page_url": page_url, "title": title, "author": author,
                    "body": body, "images": [],
                })  # fmt: skip
    with Archive.open(str(path)) as archive:
        archive.store_issues(issue_rows, seen_at="2024-01-02T03:04:05Z")
        archive.store_pages(page_rows, seen_at="2024-01-02T03:04:05Z")
        archive.store_articles(article_rows, seen_at="2024-01-02T03:04:05Z")
    _ensure_fts(path)
    return path


def _ensure_fts(path: Path) -> None:
    """The archive's ``articles_fts`` as INTERFACE describes it, if store.py did not make it."""
    connection = sqlite3.connect(path)
    try:
        exists = connection.execute("select 1 from sqlite_master where name = 'articles_fts'").fetchone()
        if exists:
            return
        connection.execute(
            "create virtual table articles_fts using fts5(title, subtitle, kicker, author, body,"
            " content='articles', content_rowid='id')"
        )
        rows = connection.execute("select id, title, subtitle, kicker, author, body from articles").fetchall()
        connection.executemany(
            "insert into articles_fts (rowid, title, subtitle, kicker, author, body)"
            " values (?, ?, ?, ?, ?, ?)",
            [(row[0], *(fts_text(value) for value in row[1:])) for row in rows],
        )
        connection.commit()
    finally:
        connection.close()


def require(condition: bool, reason: str) -> None:
    """Skip locally, fail in CI, when something the test needs is missing."""
    if condition:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this is a failure, not a skip)")
    pytest.skip(reason)


def require_chromium() -> str:
    require(os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} not found (apt-get install chromium)")
    return CHROMIUM


def chromium(url: str, profile: Path, *extra: str, timeout: int = 90) -> subprocess.CompletedProcess[str]:
    command = [
        require_chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={profile}",
        *extra,
        url,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


def dump_dom(url: str, profile: Path) -> str:
    process = chromium(url, profile, "--dump-dom")
    assert process.returncode == 0, process.stderr[-2000:]
    return process.stdout


def screenshot(url: str, png: Path, profile: Path, *, size: str = "1280,1600") -> Path:
    process = chromium(url, profile, f"--screenshot={png}", f"--window-size={size}")
    assert process.returncode == 0, process.stderr[-2000:]
    assert png.is_file() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", process.stderr[-2000:]
    print(f"\nscreenshot: {png}")
    return png
