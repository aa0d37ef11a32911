"""Full-text search on PostgreSQL: a weighted ``tsvector`` column kept by the store.

``articles.search_vector`` (added by migration 0002, PostgreSQL only, GIN-indexed) holds
``to_tsvector('simple', …)`` of the texts tokenised in Python exactly as the SQLite index
sees them (:mod:`sxworker.archive.fulltext`: one token per CJK character, punctuation as
separators), so both backends find the same articles. Title weighs most (A), subtitle and
kicker next (B), byline (C), body (D). A query is one ``phraseto_tsquery`` per term, AND-ed,
ranked by ``ts_rank``; the hits have the same shape as the SQLite branch's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, Engine, text

from sxworker.archive.fulltext import check_query, query_terms
from sxworker.archive.search import Hit, snippet

VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_articles_search_vector"
_WEIGHTS = (("title", "A"), ("subtitle", "B"), ("kicker", "B"), ("author", "C"), ("body", "D"))
_FILL_BATCH = 1000

_VECTOR = " || ".join(
    f"setweight(to_tsvector('simple', CAST(:{name} AS text)), '{weight}')" for name, weight in _WEIGHTS
)
_update_by_key = text(
    f"UPDATE articles SET {VECTOR_COLUMN} = {_VECTOR}"
    " WHERE issue_date = :issue_date AND article_id = :article_id"
)
_update_by_id = text(f"UPDATE articles SET {VECTOR_COLUMN} = {_VECTOR} WHERE id = :id")


def tokens(value: str | None) -> str:
    """A text as the space-separated tokens the index holds (the same tokens as SQLite's)."""
    if not value:
        return ""
    return " ".join(token for term in query_terms(value) for token in term)


def _params(row: Any) -> dict[str, Any]:
    return {name: tokens(row.get(name)) for name, _ in _WEIGHTS}


def index_articles(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """(Re)compute the search vector of articles just inserted or changed, by date and id."""
    params = [
        {**_params(row), "issue_date": row["issue_date"], "article_id": row["article_id"]} for row in rows
    ]
    if params:
        conn.execute(_update_by_key, params)


def fill_missing(conn: Connection) -> int:
    """Compute the vector of every article that has none (after the column is added)."""
    filled = 0
    names = ", ".join(name for name, _ in _WEIGHTS)
    select_missing = text(
        f"SELECT id, {names} FROM articles WHERE {VECTOR_COLUMN} IS NULL ORDER BY id LIMIT {_FILL_BATCH}"
    )
    while True:
        rows = conn.execute(select_missing).mappings().all()
        if not rows:
            return filled
        conn.execute(_update_by_id, [{**_params(row), "id": row["id"]} for row in rows])
        filled += len(rows)


def search(
    engine: Engine, query: str, *, limit: int = 20, since: str | None = None, until: str | None = None
) -> list[Hit]:
    """Articles matching every term of ``query`` (each a phrase of its tokens), best first;
    a query larger than :func:`~sxworker.archive.fulltext.check_query` allows is refused."""
    check_query(query)
    terms = query_terms(query)
    if not terms:
        return []
    matching, params = tsquery(terms)
    params["limit"] = limit
    filters = ""
    if since:
        filters += " AND a.issue_date >= :since"
        params["since"] = since
    if until:
        filters += " AND a.issue_date <= :until"
        params["until"] = until
    # The columns a Hit has (whatever fields the SQLite branch gives it) and the snippet needs.
    columns = ", ".join(f"a.{name}" for name in dict.fromkeys([*_HIT_COLUMNS, "kicker", "subtitle", "body"]))
    statement = text(
        f"SELECT {columns}, ts_rank(a.{VECTOR_COLUMN}, q.q) AS score"
        f" FROM articles a, (SELECT {matching} AS q) AS q"
        f" WHERE a.{VECTOR_COLUMN} @@ q.q{filters}"
        " ORDER BY score DESC, a.issue_date DESC, a.article_id LIMIT :limit"
    )
    joined = ["".join(term) for term in terms]
    with engine.connect() as conn:
        rows = conn.execute(statement, params).mappings().all()
    return [
        Hit(
            **{name: row[name] for name in _HIT_COLUMNS},
            snippet=snippet(row, joined),
            score=float(row["score"]),
        )
        for row in rows
    ]


_HIT_COLUMNS = tuple(field.name for field in fields(Hit) if field.name not in {"snippet", "score"})


def tsquery(terms: list[list[str]]) -> tuple[str, dict[str, Any]]:
    """SQL for the tsquery matching every term (of :func:`query_terms`; each a phrase of its
    tokens) and its parameters."""
    params: dict[str, Any] = {f"t{i}": " ".join(term) for i, term in enumerate(terms)}
    return " && ".join(f"phraseto_tsquery('simple', CAST(:{name} AS text))" for name in params), params
