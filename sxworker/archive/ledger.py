"""The completeness ledger: what each issue and page lists against what the archive holds,
and the failures table of what a crawl could not fetch or read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import chain
from typing import Any
from urllib.parse import urlsplit

import orjson
from sqlalchemy import Connection, case, func, select, update

from sxworker.archive.insights import year_of
from sxworker.archive.schema import articles, failures, issues, pages

# How many missing ids a gap row names; the count is always complete.
_MISSING_SHOWN = 20


def record_failures(
    conn: Connection, insert_stmt, rows: list[dict[str, Any]], now: str, *, attempt: bool = True
) -> None:
    """Add or bump one failure row per URL (``insert_stmt`` is the dialect's INSERT).
    With ``attempt=False`` (a failure known from elsewhere, e.g. a WARC capture) no try is
    counted: a new row has none, an existing one is only opened again."""
    values = [
        {
            "url": row["url"],
            "target": failure_target(row["url"]),
            "kind": row["kind"],
            "issue_date": row.get("issue_date"),
            "status": row.get("status"),
            "error": row["error"],
            "attempts": 1 if attempt else 0,
            "first_failed": now,
            "last_try": now,
            "resolved_at": None,
        }
        for row in {failure_target(row["url"]): row for row in rows}.values()
    ]
    if not attempt:
        # Open again if it was resolved, its count of tries untouched.
        reopen = insert_stmt.on_conflict_do_update(
            index_elements=[failures.c.target], set_={"resolved_at": None}
        )
        conn.execute(reopen, values)
        return
    stmt = insert_stmt.on_conflict_do_update(
        index_elements=[failures.c.target],
        set_={
            "url": insert_stmt.excluded.url,
            "kind": insert_stmt.excluded.kind,
            "issue_date": func.coalesce(insert_stmt.excluded.issue_date, failures.c.issue_date),
            "status": insert_stmt.excluded.status,
            "error": insert_stmt.excluded.error,
            "attempts": failures.c.attempts + 1,
            "last_try": insert_stmt.excluded.last_try,
            "resolved_at": None,
        },
    )
    conn.execute(stmt, values)


def _dated(query, table, since: str | None, until: str | None):
    """``query`` limited to the issues ``since``..``until`` of ``table``."""
    if since:
        query = query.where(table.c.issue_date >= since)
    if until:
        query = query.where(table.c.issue_date <= until)
    return query


def failure_target(url: str) -> str:
    """A failure's key: the URL's path and query, so a mirror or a new port is the same thing."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def resolve_failures(conn: Connection, urls: Iterable[str], now: str, chunk: int = 500) -> int:
    """Mark the open failures of these URLs as resolved; returns how many were open."""
    wanted = sorted({failure_target(url) for url in urls})
    resolved = 0
    for start in range(0, len(wanted), chunk):
        result = conn.execute(
            update(failures)
            .where(failures.c.target.in_(wanted[start : start + chunk]), failures.c.resolved_at.is_(None))
            .values(resolved_at=now)
        )
        resolved += result.rowcount or 0
    return resolved


def open_failures(
    conn: Connection,
    *,
    kinds: Iterable[str] | None = None,
    max_attempts: int | None = None,
    limit: int | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[dict[str, Any]]:
    """Unresolved failures (of issues ``since``..``until``), fewest attempts and oldest
    first (the ones most likely to heal)."""
    query = _dated(select(failures).where(failures.c.resolved_at.is_(None)), failures, since, until)
    if kinds is not None:
        query = query.where(failures.c.kind.in_(list(kinds)))
    if max_attempts is not None:
        query = query.where(failures.c.attempts < max_attempts)
    query = query.order_by(failures.c.attempts, failures.c.last_try, failures.c.id)
    if limit is not None:
        query = query.limit(limit)
    return [dict(row._mapping) for row in conn.execute(query)]


def stored_article_ids(conn: Connection, issue_date: str) -> set[str]:
    query = select(articles.c.article_id).where(articles.c.issue_date == issue_date)
    return set(conn.execute(query).scalars())


def newest_issue_date(conn: Connection) -> str | None:
    return conn.execute(select(func.max(issues.c.issue_date))).scalar()


def fill_rates_by_year(conn: Connection, fields: Iterable[str]) -> dict[str, tuple[int, dict[str, float]]]:
    """Per year of issue: how many articles the archive holds, and the share of them that
    have each field — the norm a crawl's own fill rates are compared with."""
    fields = list(fields)
    year = year_of(articles.c.issue_date)
    query = select(
        year,
        func.count(),
        *[func.sum(case((articles.c[name].is_not(None), 1), else_=0)) for name in fields],
    ).group_by(year)
    found = {}
    for row_year, total, *filled in conn.execute(query):
        found[row_year] = (
            total,
            {name: (count or 0) / total for name, count in zip(fields, filled, strict=True)},
        )
    return found


def gaps(
    conn: Connection, since: str | None = None, until: str | None = None, *, max_attempts: int | None = None
) -> list[dict[str, Any]]:
    """Issues the archive does not hold completely: fewer pages than the page list names,
    linked articles not stored (per issue, and per page that links them), pages with no
    article, or open failures (those tried ``max_attempts`` times do not count)."""

    # One row per issue from each table, its values joined by the database (the articles'
    # ids from an index): at 300,000 articles a row per page or article, or a page number
    # per article, cost most of the time in Python. A page's rows are read one by one only
    # for the few issues that turn out incomplete.
    article_query = _dated(
        select(articles.c.issue_date, func.aggregate_strings(articles.c.article_id, ",")).group_by(
            articles.c.issue_date
        ),
        articles,
        since,
        until,
    )
    page_query = _dated(
        select(pages.c.issue_date, func.count(), func.aggregate_strings(pages.c.article_ids, ",")).group_by(
            pages.c.issue_date
        ),
        pages,
        since,
        until,
    )
    # A numbered page no stored article is on (each a probe of (issue_date, page_no)).
    empty_query = _dated(
        select(pages.c.issue_date, func.count())
        .where(
            pages.c.page_no.is_not(None),
            # The id, not *: the (issue_date, page_no) index then answers without the rows.
            ~select(articles.c.id)
            .where(articles.c.issue_date == pages.c.issue_date, articles.c.page_no == pages.c.page_no)
            .exists(),
        )
        .group_by(pages.c.issue_date),
        pages,
        since,
        until,
    )
    issue_query = _dated(select(issues.c.issue_date, issues.c.page_count), issues, since, until)
    open_failures = select(failures.c.issue_date, func.count()).where(failures.c.resolved_at.is_(None))
    if max_attempts is not None:
        open_failures = open_failures.where(failures.c.attempts < max_attempts)
    failure_query = _dated(open_failures, failures, since, until).group_by(failures.c.issue_date)

    stored = {
        issue_date: set(article_ids.split(",")) for issue_date, article_ids in conn.execute(article_query)
    }
    page_lists = {issue_date: (count, linked) for issue_date, count, linked in conn.execute(page_query)}
    empty_by_date = dict(conn.execute(empty_query).all())
    open_by_date = dict(conn.execute(failure_query).all())
    incomplete = []
    for issue_date, page_count in conn.execute(issue_query.order_by(issues.c.issue_date)):
        page_rows, linked = page_lists.get(issue_date, (0, None))
        if (
            (page_count is not None and page_count > page_rows)
            or issue_date in empty_by_date
            or issue_date in open_by_date
            # Each page's list is a JSON list of ids, the lists joined by commas.
            or not stored.get(issue_date, set()).issuperset(
                chain.from_iterable(orjson.loads(f"[{linked}]") if linked else ())
            )
        ):
            incomplete.append((issue_date, page_count))
    found = []
    rows = _page_rows(conn, [issue_date for issue_date, _ in incomplete])
    for issue_date, page_count in incomplete:
        found.append(
            _gap(
                issue_date,
                page_count,
                rows[issue_date],
                stored.get(issue_date, set()),
                empty_by_date.get(issue_date, 0),
                open_by_date.get(issue_date, 0),
            )
        )
    return found


def _page_rows(
    conn: Connection, issue_dates: list[str], chunk: int = 500
) -> dict[str, list[tuple[int | None, str | None]]]:
    """Each issue's pages as (page number, linked ids as JSON), in the order a gap lists them."""
    found: dict[str, list[tuple[int | None, str | None]]] = defaultdict(list)
    for start in range(0, len(issue_dates), chunk):
        query = (
            select(pages.c.issue_date, pages.c.page_no, pages.c.article_ids)
            .where(pages.c.issue_date.in_(issue_dates[start : start + chunk]))
            .order_by(pages.c.issue_date, pages.c.page_no.is_(None), pages.c.page_no, pages.c.page_key)
        )
        for issue_date, page_no, article_ids in conn.execute(query):
            found[issue_date].append((page_no, article_ids))
    return found


def issue_complete(conn: Connection, issue_date: str, max_attempts: int | None = None) -> bool:
    """Whether the archive holds all of an issue: its pages, every listed page and linked
    article, and no open failure (failures tried ``max_attempts`` times are given up on).
    A crawl need not visit such an issue's pages again."""
    listed = conn.execute(
        select(func.count()).select_from(issues).where(issues.c.issue_date == issue_date)
    ).scalar_one()
    stored_pages = conn.execute(
        select(func.count()).select_from(pages).where(pages.c.issue_date == issue_date)
    ).scalar_one()
    return bool(listed and stored_pages) and not gaps(conn, issue_date, issue_date, max_attempts=max_attempts)


def _gap(
    issue_date: str,
    page_count: int | None,
    page_rows: list[tuple[int | None, str | None]],
    stored: set[str],
    empty_pages: int,
    failed: int,
) -> dict[str, Any]:
    """What is missing of one issue that is not whole."""
    listed: dict[str, None] = {}
    short_pages = []
    for page_no, article_ids in page_rows:
        linked = orjson.loads(article_ids or "[]")
        listed.update(dict.fromkeys(linked))
        page_missing = [article_id for article_id in linked if article_id not in stored]
        if page_missing:
            short_pages.append(
                {"page_no": page_no, "articles_linked": len(linked), "articles_missing": len(page_missing)}
            )
    missing = [article_id for article_id in listed if article_id not in stored]
    return {
        "issue_date": issue_date,
        "pages_listed": page_count,
        "pages_stored": len(page_rows),
        "pages_without_articles": empty_pages,
        "articles_listed": len(listed),
        "articles_missing": len(missing),
        "missing_article_ids": missing[:_MISSING_SHOWN],
        "pages_missing_articles": short_pages,
        "open_failures": failed,
    }
