"""What the archive holds, in numbers: totals, per-year counts, last crawl, gaps."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Engine, func, select

from sxworker.archive import ledger, runs
from sxworker.archive.insights import year_of
from sxworker.archive.schema import articles, issues, pages


def counts(conn) -> dict[str, Any]:
    """Rows per table and the span of article issue dates."""
    # Two scalar subqueries, each one end of the issue_date index; min and max in one SELECT
    # read the whole index.
    span = conn.execute(
        select(
            select(func.min(articles.c.issue_date)).scalar_subquery(),
            select(func.max(articles.c.issue_date)).scalar_subquery(),
        )
    ).one()
    totals = {
        name: conn.execute(select(func.count()).select_from(table)).scalar_one()
        for name, table in (("issues", issues), ("pages", pages), ("articles", articles))
    }
    return {**totals, "first_issue": span[0], "last_issue": span[1]}


def stats(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        # Counted per issue from the issue_date index and added up per year here: grouped by
        # substr() in SQL, every one of 300,000 rows cost a function call and a sort.
        article_years: Counter[str] = Counter()
        for issue_date, count in conn.execute(
            select(articles.c.issue_date, func.count()).group_by(articles.c.issue_date)
        ):
            article_years[issue_date[:4]] += count
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
        found_gaps = ledger.gaps(conn)
        last_runs = runs.recent_runs(conn, 1)
        open_failures = len(ledger.open_failures(conn))
        totals = counts(conn)
    years = sorted(set(article_years) | set(issue_years))
    return {
        **totals,
        "last_crawl": last_crawl,
        "last_run": (
            {name: last_runs[0][name] for name in ("id", "started_at", "finished_at", "outcome")}
            if last_runs
            else None
        ),
        "open_failures": open_failures,
        "per_year": [
            {"year": year, "issues": issue_years.get(year, 0), "articles": article_years.get(year, 0)}
            for year in years
        ],
        "incomplete_issues": len(found_gaps),
        "gaps": found_gaps,
    }
