"""Full-text search on PostgreSQL: a weighted ``tsvector`` column kept by the store.

``articles.search_vector`` (added by migration 0002, PostgreSQL only, GIN-indexed) holds the
texts tokenised in Python exactly as the SQLite index sees them
(:mod:`sxworker.archive.fulltext`), written as a tsvector literal (no PostgreSQL parser in
between, so both backends find the same articles). Each field is there twice, as SQLite's
two column sets hold it: its unigrams (one token per CJK character) and then its bigram
form (each run of CJK characters as its overlapping pairs), a position apart, so that no
phrase runs from one form or field into the next. Title weighs most (A), subtitle and
kicker next (B), byline (C), body (D).

A query term is the phrase of its bigram-form tokens (SQLite matches a term with a run of
two or more CJK characters in its bigram columns, others in its unigram ones; without such
a run both forms are the same tokens). A 4-character phrase is then three pair lexemes,
whose GIN posting lists are short even when its characters are the commonest of the
archive; matched as unigrams, PostgreSQL rechecked every article holding all four (1–5 s a
query at 58,000 articles). Terms are AND-ed.

As on SQLite, a query with up to ``RANK_LIMIT`` matches is ranked (``ts_rank``) and a
broader one shows its newest matches, found by walking the date-ordered ``search_key``
index (a few rows read for a common word; ranking 300,000 matches takes seconds). Which it
is, the planner's statistics say first (how many articles hold every lexeme: exact for a
common one, too few if anything for several — so a query they call broad is); a query they
call narrow is ranked from its first ``RANK_LIMIT + 1`` matches, and when there are that
many it is broad after all. Known slow case: a phrase that is rare although each of its
pairs is in thousands of articles is walked by date through many rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection, Engine, text

from sxworker.archive.fulltext import check_query, fts_bigrams, fts_text, split_tokens
from sxworker.archive.search import RANK_LIMIT, Hit, Results, snippet

VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_articles_search_vector"
_WEIGHTS = (("title", "A"), ("subtitle", "B"), ("kicker", "B"), ("author", "C"), ("body", "D"))
_FILL_BATCH = 1000

_update_by_key = text(
    f"UPDATE articles SET {VECTOR_COLUMN} = CAST(:vector AS tsvector)"
    " WHERE issue_date = :issue_date AND article_id = :article_id"
)
_update_by_id = text(f"UPDATE articles SET {VECTOR_COLUMN} = CAST(:vector AS tsvector) WHERE id = :id")


def unigrams(value: str | None) -> list[str]:
    """A text's tokens as SQLite's unigram columns hold them."""
    return split_tokens(fts_text(value)) if value else []


def bigrams(value: str | None) -> list[str]:
    """A text's tokens as SQLite's bigram columns hold them."""
    return split_tokens(fts_bigrams(value)) if value else []


def vector(row: Any) -> str:
    """An article's texts as a tsvector literal: per field its unigrams, then its bigram
    form, each token at its position with the field's weight."""
    parts = []
    position = 0
    for name, weight in _WEIGHTS:
        value = row.get(name)
        if not value:
            continue
        for tokens in (unigrams(value), bigrams(value)):
            for token in tokens:
                position += 1
                # Tokens are letters and digits only: nothing to escape in the literal.
                parts.append(f"'{token}':{position}{weight}")
            position += 1
    return " ".join(parts)


def index_articles(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    """(Re)compute the search vector of articles just inserted or changed, by date and id."""
    params = [
        {"vector": vector(row), "issue_date": row["issue_date"], "article_id": row["article_id"]}
        for row in rows
    ]
    if params:
        conn.execute(_update_by_key, params)


def fill_missing(conn: Connection) -> int:
    """Compute the vector of every article that has none (after the column is added or
    cleared for a new form)."""
    filled = 0
    names = ", ".join(name for name, _ in _WEIGHTS)
    select_missing = text(
        f"SELECT id, {names} FROM articles WHERE {VECTOR_COLUMN} IS NULL ORDER BY id LIMIT {_FILL_BATCH}"
    )
    while True:
        rows = conn.execute(select_missing).mappings().all()
        if not rows:
            return filled
        conn.execute(_update_by_id, [{"vector": vector(row), "id": row["id"]} for row in rows])
        filled += len(rows)


def match(query: str) -> tuple[str, dict[str, Any]] | None:
    """SQL for the tsquery matching every term of ``query`` (each the phrase of its
    bigram-form tokens), and its parameter; None when nothing searchable is left."""
    phrases = [" <-> ".join(f"'{token}'" for token in tokens) for tokens in map(bigrams, query.split())]
    phrases = [f"({phrase})" for phrase in phrases if phrase]
    if not phrases:
        return None
    return "CAST(:match AS tsquery)", {"match": " & ".join(phrases)}


def _candidates(query: str) -> str:
    """Every lexeme of ``query`` AND-ed, no phrase: a superset of its matches that the GIN
    index answers without reading a row (a phrase needs each row's positions)."""
    return " & ".join(f"'{token}'" for token in dict.fromkeys(bigrams(query)))


def search(
    engine: Engine,
    query: str,
    *,
    limit: int = 20,
    since: str | None = None,
    until: str | None = None,
    order: str = "relevance",
) -> Results:
    """Articles matching every term of ``query``: best first, or newest first when asked
    or when more than RANK_LIMIT articles may match (see the module docstring). A query
    larger than :func:`~sxworker.archive.fulltext.check_query` allows is refused."""
    check_query(query)
    matching = match(query)
    if matching is None:
        return Results([], order)
    condition, params = matching
    params |= {"limit": limit, "candidates": _candidates(query)}
    filters = ""
    if since:
        filters += " AND a.issue_date >= :since"
        params["since"] = since
    if until:
        filters += " AND a.issue_date <= :until"
        params["until"] = until
    columns = ", ".join(f"a.{name}" for name in dict.fromkeys([*_HIT_COLUMNS, "kicker", "subtitle", "body"]))
    where = f"a.{VECTOR_COLUMN} @@ {condition}{filters}"
    # Newest first along the search_key index, each article's vector checked as it comes:
    # a broad query finds its newest matches in the first rows it reads.
    newest = text(
        f"SELECT {columns}, 0.0 AS score FROM articles a WHERE {where}"
        " ORDER BY a.search_key DESC LIMIT :limit"
    )
    # Autocommit: no BEGIN and ROLLBACK around a search's statements (each a round trip,
    # which on a loaded machine costs as much as the query).
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        # How many articles hold every lexeme, as the planner's statistics say: exact for a
        # common lexeme, too few if anything for several. More than RANK_LIMIT: broad,
        # without counting (the GIN bitmap of a lexeme in most articles is slow to build).
        plan = conn.execute(
            text(
                "EXPLAIN (FORMAT JSON) SELECT 1 FROM articles a"
                f" WHERE a.{VECTOR_COLUMN} @@ CAST(:candidates AS tsquery){filters}"
            ),
            params,
        ).scalar_one()
        if plan[0]["Plan"]["Plan Rows"] > RANK_LIMIT:
            return _results(conn.execute(newest, params).mappings().all(), query, "date")
        # Else up to RANK_LIMIT + 1 matches, scored, and the best (or newest) of them: more
        # than RANK_LIMIT, and the query is broad after all.
        score = f"ts_rank(a.{VECTOR_COLUMN}, {condition})" if order == "relevance" else "0.0"
        ranking = "m.score DESC, m.search_key DESC" if order == "relevance" else "m.search_key DESC"
        rows = (
            conn.execute(
                text(
                    f"WITH m AS MATERIALIZED (SELECT a.search_key, {score} AS score FROM articles a"
                    f" WHERE {where} LIMIT {RANK_LIMIT + 1})"
                    f" SELECT {columns}, m.score, (SELECT count(*) FROM m) AS matched"
                    f" FROM m JOIN articles a ON a.search_key = m.search_key ORDER BY {ranking} LIMIT :limit"
                ),
                params,
            )
            .mappings()
            .all()
        )
        if rows and rows[0]["matched"] > RANK_LIMIT:
            # The statistics said too few: the planner, told so too, would take a bitmap of
            # every match and sort it; it is kept to the search_key index instead.
            conn.execute(text("SET enable_bitmapscan = off"))
            try:
                rows = conn.execute(newest, params).mappings().all()
            finally:
                conn.execute(text("RESET enable_bitmapscan"))
            return _results(rows, query, "date")
    return _results(rows, query, order)


def _results(rows: list[Any], query: str, order: str) -> Results:
    """The hits of rows read by :func:`search`, with their snippets."""
    joined = ["".join(tokens) for tokens in map(unigrams, query.split()) if tokens]
    hits = [
        Hit(
            **{name: row[name] for name in _HIT_COLUMNS},
            snippet=snippet(row, joined),
            score=float(row["score"]),
        )
        for row in rows
    ]
    return Results(hits, order)


_HIT_COLUMNS = tuple(field.name for field in fields(Hit) if field.name not in {"snippet", "score"})
