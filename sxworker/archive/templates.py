"""The article templates an archive holds (``sxworker templates``), and the per-template
fill rates the layout alarm takes as norms.

Per template fingerprint (``articles.template``; NULL for articles stored before templates
were recorded): how many articles, their date span, how often each field is filled, the
most common value of the fields that should vary from article to article, and one URL to
open. An author or kicker that one value fills on most of a template's articles is that
template's fixed text read as a field — what an operator looks for after a first crawl.

Counts, spans and fill rates come from ``ix_articles_template_filled`` alone: each article's
``filled`` bits (:data:`FILLED`, which the archive sets from the row as stored after every
write) grouped per template, so no article's row (its body) is read. The most common values
are counted per template from each field's index and ranked in SQL, so only one row per
template and field comes back.
"""

from __future__ import annotations

import operator
from collections import defaultdict
from collections.abc import Iterable
from functools import reduce
from typing import Any

from sqlalchemy import ColumnElement, Connection, Row, String, and_, case, collate, func, select, update

from sxworker.archive.schema import articles

# Every article field the archive stores, in the contract's order (issue_date, url and id
# are always there).
TEMPLATE_FIELDS = (
    "kicker",
    "title",
    "subtitle",
    "author",
    "body",
    "images",
    "page_no",
    "page_label",
    "page_name",
    "page_image_url",
)
# Fields whose value should differ between articles of one template.
VARYING_FIELDS = ("author", "kicker", "subtitle")
# One value on at least this share of a template's articles is suspicious ...
SUSPICIOUS_SHARE = 0.5
# ... once the template has this many articles (two of three is no pattern).
SUSPICIOUS_MIN_ARTICLES = 10
ORDERS = ("newest", "articles")


def _present(name: str):
    column = articles.c[name]
    if name == "images":
        return column != "[]"  # a JSON list, "[]" when the article has no picture
    if isinstance(column.type, String):
        return and_(column.is_not(None), column != "")
    return column.is_not(None)


# Bit i of ``articles.filled``: the i-th of TEMPLATE_FIELDS is filled (revision 0009 holds a
# copy of this rule for the rows stored before it).
FILLED: ColumnElement[int] = reduce(
    operator.add, [case((_present(name), 1 << bit), else_=0) for bit, name in enumerate(TEMPLATE_FIELDS)]
)


def refresh_filled(
    conn: Connection, where: ColumnElement[bool], params: list[dict[str, Any]] | None = None
) -> None:
    """Set ``filled`` from the stored values of the articles ``where`` selects (run with each
    of ``params`` when given): after every write of an article's fields."""
    statement = update(articles).where(where).values(filled=FILLED)
    if params is None:
        conn.execute(statement)
    elif params:
        conn.execute(statement, params)


def summaries(conn: Connection, order: str = "newest") -> list[dict[str, Any]]:
    """One dict per template: ``template`` (None: not recorded), ``articles``,
    ``first_date``, ``last_date``, ``fill_rates``, ``common_values``, ``suspicious``,
    ``example_url``. ``order``: newest last issue first, or most articles first."""
    if order not in ORDERS:
        raise ValueError(f"order must be one of {ORDERS}, not {order!r}")
    # One row per (template, bits), a few hundred however large the archive, summed here.
    query = select(
        articles.c.template,
        articles.c.filled,
        func.count().label("articles"),
        func.min(articles.c.issue_date).label("first_date"),
        func.max(articles.c.issue_date).label("last_date"),
        # URLs are dated (/content/YYYY-MM/DD/ID.html): the greatest is one of the newest.
        func.max(articles.c.url).label("url"),
    ).group_by(articles.c.template, articles.c.filled)
    groups: dict[str | None, list[Row]] = defaultdict(list)
    for row in conn.execute(query):
        groups[row.template].append(row)
    found = []
    for template, rows in groups.items():
        total = sum(row.articles for row in rows)
        filled = [
            sum(row.articles for row in rows if ((row.filled or 0) >> bit) & 1)
            for bit in range(len(TEMPLATE_FIELDS))
        ]
        found.append(
            {
                "template": template,
                "articles": total,
                "first_date": min(row.first_date for row in rows),
                "last_date": max(row.last_date for row in rows),
                "fill_rates": {
                    name: round(count / total, 4) for name, count in zip(TEMPLATE_FIELDS, filled, strict=True)
                },
                "common_values": dict.fromkeys(VARYING_FIELDS),
                "suspicious": [],
                "example_url": max(row.url for row in rows),
            }
        )
    by_template = {summary["template"]: summary for summary in found}
    for (name, template), (value, count) in _most_common(conn).items():
        summary = by_template[template]
        share = count / summary["articles"]
        summary["common_values"][name] = {"value": value, "share": round(share, 4)}
    for summary in found:
        if summary["articles"] >= SUSPICIOUS_MIN_ARTICLES:
            summary["suspicious"] = [
                name
                for name, common in summary["common_values"].items()
                if common is not None and common["share"] >= SUSPICIOUS_SHARE
            ]
    # Stable sorts, least significant key first (templates are few; rows were summed in SQL).
    found.sort(key=lambda summary: summary["template"] or "")
    keys = ("last_date", "articles") if order == "articles" else ("articles", "last_date")
    for key in keys:
        found.sort(key=lambda summary: summary[key], reverse=True)
    return found


def _most_common(conn: Connection) -> dict[tuple[str, str | None], tuple[str, int]]:
    """(field, template) → (value, count) of the most common value of each VARYING_FIELDS
    field per template; ties go to the smallest value (in code point order), so the answer
    is stable. Each field's values are counted per template from its (field, template)
    index; the greatest count per template and the smallest value that has it are found in
    SQL, so one row per template comes back (at 300,000 articles some 220,000 distinct
    bylines through Python cost more than the counting; ranking them all by a window
    function, a sort, cost seconds)."""
    # Python's order of strings, which the smallest value followed before it was found in SQL.
    binary = "BINARY" if conn.dialect.name == "sqlite" else "C"
    best: dict[tuple[str, str | None], tuple[str, int]] = {}
    for name in VARYING_FIELDS:
        column = articles.c[name]
        counted = (
            select(column.label("value"), articles.c.template, func.count().label("n"))
            .where(_present(name))
            .group_by(column, articles.c.template)
            .cte(f"counted_{name}")
        )
        top = (
            select(counted.c.template, func.max(counted.c.n).label("n"))
            .group_by(counted.c.template)
            .subquery(f"top_{name}")
        )
        query = (
            select(top.c.template, func.min(collate(counted.c.value, binary)), top.c.n)
            .join_from(
                counted,
                top,
                and_(counted.c.template.is_not_distinct_from(top.c.template), counted.c.n == top.c.n),
            )
            .group_by(top.c.template, top.c.n)
        )
        for template, value, count in conn.execute(query):
            best[(name, template)] = (value, count)
    return best


def fill_rates_by_template(
    conn: Connection, fields: Iterable[str]
) -> dict[str, tuple[int, dict[str, float]]]:
    """Per recorded template: how many articles the archive holds, and the share of them
    that have each field (the layout alarm's norm for articles of that template)."""
    fields = list(fields)
    query = (
        select(
            articles.c.template,
            func.count(),
            *[func.sum(case((articles.c[name].is_not(None), 1), else_=0)) for name in fields],
        )
        .where(articles.c.template.is_not(None))
        .group_by(articles.c.template)
    )
    found = {}
    for template, total, *filled in conn.execute(query):
        found[template] = (
            total,
            {name: (count or 0) / total for name, count in zip(fields, filled, strict=True)},
        )
    return found
