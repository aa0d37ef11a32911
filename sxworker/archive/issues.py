"""The ``issues`` and ``pages`` tables: what each issue and page of the paper showed, and
the facts of a page that its articles take over where their own view lacked them."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Connection, func, or_, select, update

from sxworker.archive import templates
from sxworker.archive.schema import articles, issues, pages
from sxworker.archive.statements import IN_CHUNK, upsert

# What a later view of an issue or a page that lacks it never erases.
_ISSUE_KEPT = ("url", "issue_number", "page_count")
_PAGE_KEPT = ("page_no", "page_label", "page_name", "scan_url", "pdf_url", "article_count", "article_ids")

# (article column, page column): what an article takes from its page.
_PAGE_FACTS = (
    ("page_image_url", "scan_url"),
    ("page_url", "url"),
    ("page_label", "page_label"),
    ("page_name", "page_name"),
)


def page_key(row: dict[str, Any]) -> str:
    """What tells a page apart within its issue: its number, else its label, else its URL."""
    if row.get("page_no") is not None:
        return f"no:{row['page_no']}"
    if row.get("page_label"):
        return f"label:{row['page_label']}"
    return f"url:{row['url']}"


def store_issues(conn: Connection, rows: list[dict[str, Any]], seen_at: str) -> None:
    values = [
        {
            "issue_date": row["issue_date"],
            "url": row.get("url"),
            "issue_number": row.get("issue_number"),
            "page_count": row.get("page_count"),
            "first_seen": seen_at,
            "last_seen": seen_at,
        }
        for row in rows
    ]
    conn.execute(upsert(conn, issues, on=("issue_date",), keep=_ISSUE_KEPT, replace=("last_seen",)), values)


def store_pages(conn: Connection, rows: list[dict[str, Any]], seen_at: str) -> None:
    values = [
        {
            "issue_date": row["issue_date"],
            "page_key": page_key(row),
            "page_no": row.get("page_no"),
            "page_label": row.get("page_label"),
            "page_name": row.get("page_name"),
            "url": row["url"],
            "scan_url": row.get("scan_url"),
            "pdf_url": row.get("pdf_url"),
            "article_count": row.get("article_count"),
            "article_ids": json.dumps(row["article_ids"]) if row.get("article_ids") else None,
            "first_seen": seen_at,
            "last_seen": seen_at,
        }
        for row in rows
    ]
    stmt = upsert(conn, pages, on=("issue_date", "page_key"), keep=_PAGE_KEPT, replace=("url", "last_seen"))
    conn.execute(stmt, values)


def fill_page_facts(conn: Connection, dates: list[str]) -> int:
    """Give the articles of ``dates`` (distinct issue dates) the facts of their page where
    they lack them; returns how many articles changed."""
    changed = 0
    for start in range(0, len(dates), IN_CHUNK):
        chunk = dates[start : start + IN_CHUNK]
        values = {
            article_column: func.coalesce(
                articles.c[article_column],
                select(pages.c[page_column])
                .where(pages.c.issue_date == articles.c.issue_date, pages.c.page_no == articles.c.page_no)
                .limit(1)
                .scalar_subquery(),
            )
            for article_column, page_column in _PAGE_FACTS
        }
        missing = or_(*[articles.c[column].is_(None) for column, _ in _PAGE_FACTS])
        result = conn.execute(
            update(articles)
            .where(articles.c.issue_date.in_(chunk), articles.c.page_no.is_not(None), missing)
            .values(**values)
        )
        if result.rowcount:
            templates.refresh_filled(conn, articles.c.issue_date.in_(chunk))
        changed += result.rowcount or 0
    return changed


def page_rows(conn: Connection) -> list[dict[str, Any]]:
    query = select(pages).order_by(pages.c.issue_date, pages.c.page_no, pages.c.page_key)
    return [dict(row._mapping) for row in conn.execute(query)]


def issue_rows(conn: Connection) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(select(issues).order_by(issues.c.issue_date))]
