"""Term trends: per period (year or month), the articles a search query matches beside all
articles of that period.

A query matches here exactly what ``sxworker search`` finds for it: on SQLite the FTS5
expression of :func:`~sxworker.archive.fulltext.fts_query` over ``articles_fts``, bounded
by :func:`~sxworker.archive.search.key_range`; on PostgreSQL the tsquery that
:func:`~sxworker.archive.pg_search.match` makes of the query for search. On SQLite the matches of
each period are counted by the index alone, between the search keys of its first and last
day (the rowid says the issue date): no article row is read unless a page name filters
them, and nothing is sorted. Grouping all matches by the day in their key took twice as
long, and reading 300,000 scattered rows for their dates most of a second per term.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, func, select, text

from sxworker.archive import pg_search
from sxworker.archive.fulltext import check_query, fts_query
from sxworker.archive.records import filtered
from sxworker.archive.schema import articles
from sxworker.archive.search import FTS_TABLE, key_range, search_key

# A period is named by the start of its issue dates: "2016" or "2016-12".
PERIODS = {"year": 4, "month": 7}

# A search key is a day number times a step plus the article id (search.search_key): the
# key of a day's id 0 over the step is that day's number, counted from an epoch.
_STEP = search_key("2000-01-02", "0") - search_key("2000-01-01", "0")
_EPOCH = date(2000, 1, 1) - timedelta(days=search_key("2000-01-01", "0") // _STEP)


@dataclass(frozen=True)
class TrendRow:
    term: str
    period: str
    articles: int
    total: int

    @property
    def share(self) -> float | None:
        """Matching articles over all articles of the period; None for a period without any."""
        return self.articles / self.total if self.total else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "period": self.period,
            "articles": self.articles,
            "total": self.total,
            "share": self.share,
        }


def trend(
    engine: Engine,
    terms: Iterable[str],
    *,
    by: str = "year",
    since: str | None = None,
    until: str | None = None,
    page_name: str | None = None,
) -> list[TrendRow]:
    """For each term (a search query: all its words must match) and each period from
    ``since`` (else the first article's) to ``until`` (else the last article's), how many
    articles match and how many there are; a period without articles has total 0. Rows are
    ordered by term as given, then by period. A term search would refuse as too large
    (:func:`~sxworker.archive.fulltext.check_query`) is refused before anything is read."""
    if by not in PERIODS:
        raise ValueError(f"by must be one of {', '.join(PERIODS)}, not {by!r}")
    terms = list(dict.fromkeys(terms))
    for term in terms:
        check_query(term)
    with engine.connect() as conn:
        totals = period_totals(conn, by, since, until, page_name)
        periods = _span(by, totals, since, until)
        # A period without articles has no match to look for.
        days = {period: _days(period, since, until) for period in periods if totals.get(period)}
        rows = []
        for term in terms:
            matched = matches_per_period(conn, term, days, page_name)
            rows += [TrendRow(term, p, matched.get(p, 0), totals.get(p, 0)) for p in periods]
    return rows


def period_totals(
    conn: Connection, by: str, since: str | None, until: str | None, page_name: str | None
) -> dict[str, int]:
    """All articles per period (of the dates and page name given)."""
    # Per issue date, in the order of its index, then summed here: grouped by a substring of
    # the date, the database would sort 300,000 rows first.
    query = filtered(
        select(articles.c.issue_date, func.count()).group_by(articles.c.issue_date), since, until, page_name
    )
    totals: dict[str, int] = {}
    for issue_date, count in conn.execute(query):
        period = issue_date[: PERIODS[by]]
        totals[period] = totals.get(period, 0) + count
    return totals


def matches_per_period(
    conn: Connection, query: str, days: dict[str, tuple[str, str]], page_name: str | None
) -> dict[str, int]:
    """The articles matching ``query`` (as search matches them) in each period, given as its
    first and last issue date, of the page name given."""
    if not days:
        return {}
    if conn.dialect.name == "postgresql":
        return _postgres_matches(conn, query, days, page_name)
    match = fts_query(query)
    if match is None:
        return {}
    join, page_filter = "", ""
    if page_name:
        # Each match's page name from the index that holds it beside the key, not from the
        # article's row: SQLite would take the unique key index instead (5 times slower).
        join = " CROSS JOIN articles AS a INDEXED BY ix_articles_key_page_name ON a.search_key = f.rowid"
        page_filter = " AND a.page_name = :page_name"
    statement = text(
        f"SELECT count(*) FROM {FTS_TABLE} AS f{join}"
        f" WHERE {FTS_TABLE} MATCH :match AND f.rowid >= :low AND f.rowid <= :high{page_filter}"
    )
    counted = {}
    for period, (first, last) in days.items():
        low, high = key_range(first, last)
        params = {"match": match, "low": low, "high": high, "page_name": page_name}
        counted[period] = conn.execute(statement, params).scalar_one()
    return counted


def _postgres_matches(
    conn: Connection, query: str, days: dict[str, tuple[str, str]], page_name: str | None
) -> dict[str, int]:
    matched = pg_search.match(query)
    if matched is None:
        return {}
    tsquery, params = matched
    # One pass over the index's matches, grouped: the periods are of one length, in order.
    length = len(next(iter(days)))
    spans = list(days.values())
    params |= {"since": spans[0][0], "until": spans[-1][1]}
    page_filter = ""
    if page_name:
        page_filter = " AND a.page_name = :page_name"
        params["page_name"] = page_name
    statement = text(
        f"SELECT substr(a.issue_date, 1, {length}) AS period, count(*)"
        f" FROM articles a, (SELECT {tsquery} AS q) AS q"
        f" WHERE a.{pg_search.VECTOR_COLUMN} @@ q.q"
        f" AND a.issue_date >= :since AND a.issue_date <= :until{page_filter} GROUP BY period"
    )
    return {period: count for period, count in conn.execute(statement, params) if period in days}


def _days(period: str, since: str | None, until: str | None) -> tuple[str, str]:
    """The first and last issue date of ``period`` within ``since`` … ``until``."""
    year, month = int(period[:4]), int(period[5:7] or 0)
    if month:
        first, after = date(year, month, 1), date(year + month // 12, month % 12 + 1, 1)
    else:
        first, after = date(year, 1, 1), date(year + 1, 1, 1)
    last = (after - timedelta(days=1)).isoformat()
    return max(first.isoformat(), since or ""), min(last, until or last)


def _span(by: str, totals: dict[str, int], since: str | None, until: str | None) -> list[str]:
    """Every period from the first to the last, those without articles included."""
    length = PERIODS[by]
    first = since[:length] if since else min(totals, default=None)
    last = until[:length] if until else max(totals, default=None)
    if first is None or last is None or first > last:
        return []
    if by == "year":
        return [f"{year:04d}" for year in range(int(first), int(last) + 1)]
    periods = []
    year, month = int(first[:4]), int(first[5:7])
    while (name := f"{year:04d}-{month:02d}") <= last:
        periods.append(name)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return periods


def per_year_sql(match: str) -> str:
    """SQLite SQL counting one term per year as :func:`trend` does, for a query tool
    (Datasette's canned query): ``match`` is SQL giving the term's FTS5 MATCH expression.
    Its columns are ``year``, ``articles``, ``total`` and ``share``, one row for every year
    from the first article's to the last's; each year's matches are counted between the
    search keys of its first and last day, as :func:`matches_per_period` counts them."""

    def key_of(day: str) -> str:
        return f"cast(round(julianday({day}) - julianday('{_EPOCH.isoformat()}')) as integer) * {_STEP}"

    low, high = key_of("year || '-01-01'"), key_of("printf('%04d', year + 1) || '-01-01'")
    return (
        "with recursive years(year) as ("
        " select min(substr(issue_date, 1, 4)) from articles having count(*) > 0"
        " union all select printf('%04d', year + 1) from years"
        " where year < (select max(substr(issue_date, 1, 4)) from articles)),"
        # Materialized, the bounds are numbers the index seeks to; computed inside each count,
        # they made the query three times slower (0.7 s for 工会 at 300,000 articles).
        f" bounds as materialized (select year, {low} as low, {high} as high from years),"
        " counted as materialized (select year,"
        f" (select count(*) from {FTS_TABLE} where {FTS_TABLE} match {match}"
        " and rowid >= low and rowid < high) as articles,"
        " (select count(*) from articles where issue_date >= year || '-01-01'"
        " and issue_date <= year || '-12-31') as total"
        " from bounds)"
        " select year, articles, total, 1.0 * articles / nullif(total, 0) as share from counted order by year"
    )
