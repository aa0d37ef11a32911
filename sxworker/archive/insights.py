"""Figures about the archive as a whole, for ``sxworker report``.

Portable SQL (SQLite and PostgreSQL): ``issue_date`` is a ``YYYY-MM-DD`` string, so years
and months are ``substr`` of it, never a database's date functions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, desc, func, literal_column, select, union

from sxworker.archive.schema import article_versions, articles, issues, pages


def year_of(column):
    # Constants inline, not bound: PostgreSQL binds each parameter apart, and substr($1, $2)
    # in the SELECT would not be the substr($3, $4) of the GROUP BY.
    return func.substr(column, literal_column("1"), literal_column("4"))


def month_of(column):
    return func.substr(column, literal_column("1"), literal_column("7"))


def totals(conn: Connection) -> dict[str, Any]:
    """Row counts, the span of issue dates, and when the crawler first and last saw things."""

    def count(table) -> int:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()

    issue_span = conn.execute(select(func.min(issues.c.issue_date), func.max(issues.c.issue_date))).one()
    article_span = conn.execute(
        select(
            func.min(articles.c.issue_date),
            func.max(articles.c.issue_date),
            func.min(articles.c.first_seen),
            func.max(articles.c.last_seen),
            func.count(func.distinct(articles.c.issue_date)),
            func.count(func.distinct(articles.c.author)),
        )
    ).one()
    issue_seen = conn.execute(select(func.min(issues.c.first_seen), func.max(issues.c.last_seen))).one()
    return {
        "issues": count(issues),
        "pages": count(pages),
        "articles": count(articles),
        "article_versions": count(article_versions),
        "issues_with_articles": article_span[4],
        "authors": article_span[5],
        "first_issue": _min(issue_span[0], article_span[0]),
        "last_issue": _max(issue_span[1], article_span[1]),
        "first_seen": _min(issue_seen[0], article_span[2]),
        "last_seen": _max(issue_seen[1], article_span[3]),
    }


def _issue_dates():
    """Every issue date the archive knows, from issues and from articles."""
    return union(select(issues.c.issue_date), select(articles.c.issue_date)).subquery("known")


def issues_per_month(conn: Connection) -> dict[str, int]:
    """``{"YYYY-MM": issues}`` for every month with at least one issue."""
    known = _issue_dates()
    month = month_of(known.c.issue_date).label("month")
    rows = conn.execute(select(month, func.count()).group_by(month).order_by(month))
    return {row[0]: row[1] for row in rows}


def articles_per_year(conn: Connection) -> dict[str, int]:
    year = year_of(articles.c.issue_date).label("year")
    rows = conn.execute(select(year, func.count()).group_by(year).order_by(year))
    return {row[0]: row[1] for row in rows}


def pages_per_issue(conn: Connection) -> dict[int, int]:
    """``{pages: issues having that many}``: page rows per issue, else the issue's page_count."""
    per_issue = (
        select(pages.c.issue_date, func.count().label("n")).group_by(pages.c.issue_date).subquery("per_issue")
    )
    counted = conn.execute(select(per_issue.c.n, func.count()).group_by(per_issue.c.n)).all()
    distribution: dict[int, int] = {int(n): issues_n for n, issues_n in counted}
    # Issues with no page rows yet but a known page count.
    rows = conn.execute(
        select(issues.c.page_count, func.count())
        .where(
            issues.c.page_count.is_not(None),
            issues.c.issue_date.not_in(select(pages.c.issue_date)),
        )
        .group_by(issues.c.page_count)
    )
    for n, issues_n in rows:
        distribution[int(n)] = distribution.get(int(n), 0) + issues_n
    return dict(sorted(distribution.items()))


def top_page_names(conn: Connection, limit: int = 15) -> list[dict[str, Any]]:
    """The most frequent page names (版名): pages, articles, first and last issue."""
    articles_per_name = (
        select(articles.c.page_name, func.count().label("articles"))
        .where(articles.c.page_name.is_not(None))
        .group_by(articles.c.page_name)
        .subquery("per_name")
    )
    pages_n = func.count().label("pages")
    query = (
        select(
            pages.c.page_name,
            pages_n,
            func.min(pages.c.issue_date).label("first_issue"),
            func.max(pages.c.issue_date).label("last_issue"),
            func.coalesce(func.max(articles_per_name.c.articles), 0).label("articles"),
        )
        .select_from(pages.outerjoin(articles_per_name, articles_per_name.c.page_name == pages.c.page_name))
        .where(pages.c.page_name.is_not(None), pages.c.page_name != "")
        .group_by(pages.c.page_name)
        .order_by(desc(pages_n), pages.c.page_name)
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


def recent_issues(conn: Connection, limit: int = 8) -> list[dict[str, Any]]:
    """The most recently crawled issues: date, pages, articles, last seen."""
    per_issue = (
        select(articles.c.issue_date, func.count().label("articles"))
        .group_by(articles.c.issue_date)
        .subquery("per_issue")
    )
    query = (
        select(
            issues.c.issue_date,
            issues.c.issue_number,
            issues.c.page_count,
            func.coalesce(per_issue.c.articles, 0).label("articles"),
            issues.c.first_seen,
            issues.c.last_seen,
        )
        .select_from(issues.outerjoin(per_issue, per_issue.c.issue_date == issues.c.issue_date))
        .order_by(desc(issues.c.last_seen), desc(issues.c.issue_date))
        .limit(limit)
    )
    return [dict(row._mapping) for row in conn.execute(query)]


# What the report shows, each part one or a few queries.
PARTS: dict[str, Callable[[Connection], Any]] = {
    "totals": totals,
    "issues_per_month": issues_per_month,
    "articles_per_year": articles_per_year,
    "pages_per_issue": pages_per_issue,
    "top_page_names": top_page_names,
    "recent_issues": recent_issues,
}


def collect(engine, done: Callable[[str], None] | None = None) -> dict[str, Any]:
    """Everything the report shows (PARTS), in one read transaction; ``done(part)`` is
    called after each part (a progress bar)."""
    found = {}
    with engine.connect() as conn:
        for name, part in PARTS.items():
            found[name] = part(conn)
            if done is not None:
                done(name)
    return found


def _min(*values):
    present = [value for value in values if value is not None]
    return min(present) if present else None


def _max(*values):
    present = [value for value in values if value is not None]
    return max(present) if present else None
