"""What the archive holds, in numbers: totals, per-year counts, last crawl, gaps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, and_, exists, func, select

from sxworker.archive.insights import year_of
from sxworker.archive.schema import articles, issues, pages


def gaps(conn) -> list[dict[str, Any]]:
    """Issues whose page list names more pages than are stored, or with a stored page
    that has no stored article."""
    stored_pages = (
        select(pages.c.issue_date, func.count().label("stored")).group_by(pages.c.issue_date).subquery()
    )
    has_article = exists().where(
        and_(articles.c.issue_date == pages.c.issue_date, articles.c.page_no == pages.c.page_no)
    )
    empty_pages = (
        select(pages.c.issue_date, func.count().label("empty"))
        .where(~has_article)
        .group_by(pages.c.issue_date)
        .subquery()
    )
    query = (
        select(
            issues.c.issue_date,
            issues.c.page_count,
            func.coalesce(stored_pages.c.stored, 0).label("stored"),
            func.coalesce(empty_pages.c.empty, 0).label("empty"),
        )
        .select_from(
            issues.outerjoin(stored_pages, stored_pages.c.issue_date == issues.c.issue_date).outerjoin(
                empty_pages, empty_pages.c.issue_date == issues.c.issue_date
            )
        )
        .order_by(issues.c.issue_date)
    )
    found = []
    for row in conn.execute(query):
        listed_more = row.page_count is not None and row.page_count > row.stored
        if listed_more or row.empty:
            found.append(
                {
                    "issue_date": row.issue_date,
                    "pages_listed": row.page_count,
                    "pages_stored": row.stored,
                    "pages_without_articles": row.empty,
                }
            )
    return found


def counts(conn) -> dict[str, Any]:
    """Rows per table and the span of article issue dates."""
    span = conn.execute(select(func.min(articles.c.issue_date), func.max(articles.c.issue_date))).one()
    totals = {
        name: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in (("issues", issues), ("pages", pages), ("articles", articles))
    }
    return {**totals, "first_issue": span[0], "last_issue": span[1]}


def stats(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        article_years = dict(
            conn.execute(
                select(year_of(articles.c.issue_date), func.count()).group_by(year_of(articles.c.issue_date))
            ).all()
        )
        issue_years = dict(
            conn.execute(
                select(year_of(issues.c.issue_date), func.count()).group_by(year_of(issues.c.issue_date))
            ).all()
        )
        last_crawl = max(
            (
                value
                for value in (
                    conn.execute(select(func.max(articles.c.last_seen))).scalar(),
                    conn.execute(select(func.max(issues.c.last_seen))).scalar(),
                )
                if value
            ),
            default=None,
        )
        found_gaps = gaps(conn)
        totals = counts(conn)
    years = sorted(set(article_years) | set(issue_years))
    return {
        **totals,
        "last_crawl": last_crawl,
        "per_year": [
            {"year": year, "issues": issue_years.get(year, 0), "articles": article_years.get(year, 0)}
            for year in years
        ],
        "incomplete_issues": len(found_gaps),
        "gaps": found_gaps,
    }
