"""Full-text search over the archive (SQLite: an FTS5 index kept by the store).

``articles_fts`` is an external-content FTS5 table over ``articles`` (rowid = the
date-ordered ``search_key``) whose index holds each text field twice, as
:func:`~sxworker.archive.fulltext.fts_text` and
:func:`~sxworker.archive.fulltext.fts_bigrams` prepare it, split by the ``ascii``
tokenizer (migration 0007). The store keeps it in step with every insert and text change,
inside the same transaction: new texts are prepared in Python and inserted as values; the
old text of a changed article is taken out through the SQL functions ``sxworker_fts_text``
and ``sxworker_fts_bigrams`` registered on each connection. Nothing is deferred, so no
archive is ever searchable yet missing articles from its index, whenever a writer dies.
Snippets are cut in Python from the stored text (FTS5's own snippet() would count offsets
in the spaced text).

What the index costs to build was measured option by option at 300,000 articles
(``benchmarks/bench_fts.py``; RESULTS.md, "Full-text index at 300,000 articles"): the
Python forms and unicode61's own splitting were most of it, FTS5's merging the rest.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, text

from sxworker.archive.fulltext import (
    BIGRAM_COLUMNS,
    UNIGRAM_COLUMNS,
    check_query,
    fts_bigrams,
    fts_query,
    fts_text,
    query_terms,
)

FTS_TABLE = "articles_fts"
# Each text field twice: as unigrams and as bigrams (see fulltext). The content columns
# named here need not exist in ``articles``: the index is only ever read for rowids.
INDEXED = (*UNIGRAM_COLUMNS, *BIGRAM_COLUMNS)
# bm25 weights, in INDEXED order: a hit in the title counts most, in the body least.
_WEIGHTS = "10.0, 6.0, 4.0, 3.0, 1.0, 10.0, 6.0, 4.0, 3.0, 1.0"
# Up to this many matches a query is ranked by relevance (bm25, a few ms); beyond, the
# newest matches are shown (ranking 300,000 matches takes half a second).
RANK_LIMIT = 2000
_SNIPPET_BEFORE = 24
_SNIPPET_AFTER = 56


_EPOCH = date(1900, 1, 1)
_ID_SPAN = 10**10  # article ids are 6 digits; ten leave room and keep the key in 63 bits


def search_key(issue_date: str, article_id: str) -> int:
    """Issue date and article id as one integer ordered by date: unique exactly when
    (issue_date, article_id) is, for ids of up to ten digits."""
    days = (date.fromisoformat(issue_date) - _EPOCH).days
    return days * _ID_SPAN + int(article_id) % _ID_SPAN


def key_range(since: str | None, until: str | None) -> tuple[int | None, int | None]:
    """The search keys of the articles between two issue dates (inclusive)."""
    low = search_key(since, "0") if since else None
    high = search_key(until, "0") + _ID_SPAN - 1 if until else None
    return low, high


def register_functions(dbapi_connection) -> None:
    """Make ``sxworker_fts_text`` and ``sxworker_fts_bigrams`` available to SQL on an
    SQLite connection."""
    dbapi_connection.create_function("sxworker_fts_text", 1, fts_text, deterministic=True)
    dbapi_connection.create_function("sxworker_fts_bigrams", 1, fts_bigrams, deterministic=True)


_SPACED = ", ".join(
    [f"sxworker_fts_text({name})" for name in UNIGRAM_COLUMNS]
    + [f"sxworker_fts_bigrams({name})" for name in UNIGRAM_COLUMNS]
)
_COLUMNS = ", ".join(INDEXED)
_INSERT_VALUES = f"INSERT INTO {FTS_TABLE} (rowid, {_COLUMNS}) VALUES ({', '.join('?' * (len(INDEXED) + 1))})"
_unindex_rows = text(
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {_COLUMNS}) SELECT 'delete', search_key, {_SPACED}"
    " FROM articles WHERE issue_date = :issue_date AND article_id = :article_id"
)


def fts_values(row: Mapping[str, Any]) -> tuple[Any, ...]:
    """An article's row of the index: its search key, then each text field as unigrams and
    as bigrams, in INDEXED order."""
    fields = [row.get(name) for name in UNIGRAM_COLUMNS]
    return (row["search_key"], *map(fts_text, fields), *map(fts_bigrams, fields))


def index_articles(conn: Connection, rows: Iterable[Mapping[str, Any]]) -> None:
    """Add articles to the index, after they were written (rows with ``search_key`` and the
    text fields as stored)."""
    values = [fts_values(row) for row in rows]
    if values:
        # The DB-API cursor: an executemany of plain tuples, without SQLAlchemy's per-row work.
        conn.exec_driver_sql(_INSERT_VALUES, values)


def unindex_articles(conn: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Take articles out of the index, before their text is replaced."""
    params = [{"issue_date": d, "article_id": a} for d, a in keys]
    if params:
        conn.execute(_unindex_rows, params)


@dataclass(frozen=True)
class Hit:
    article_id: str
    issue_date: str
    page_no: int | None
    page_label: str | None
    page_name: str | None
    title: str
    author: str | None
    url: str
    snippet: str
    score: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "article_id": self.article_id,
            "issue_date": self.issue_date,
            "page_no": self.page_no,
            "page_label": self.page_label,
            "page_name": self.page_name,
            "title": self.title,
            "author": self.author,
            "url": self.url,
            "snippet": self.snippet,
            "score": round(self.score, 4),
        }


@dataclass(frozen=True)
class Results:
    hits: list[Hit]
    # "relevance", or "date" when the query matched too many articles to rank them all
    # quickly (or the caller asked for date order); newest first then.
    order: str


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
    or when more than RANK_LIMIT articles match (ranking them all would take seconds on a
    large archive; the newest are found by walking the date-ordered index). A query
    larger than :func:`~sxworker.archive.fulltext.check_query` allows is refused."""
    check_query(query)
    match = fts_query(query)
    if match is None:
        return Results([], order)
    low, high = key_range(since, until)
    bounds = ""
    params: dict[str, Any] = {"match": match}
    if low is not None:
        bounds += " AND rowid >= :low"
        params["low"] = low
    if high is not None:
        bounds += " AND rowid <= :high"
        params["high"] = high
    where = f"FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :match{bounds}"
    with engine.connect() as conn:
        if order == "relevance":
            matched = conn.execute(
                text(f"SELECT count(*) FROM (SELECT rowid {where} LIMIT {RANK_LIMIT + 1})"), params
            ).scalar_one()
            if matched == 0:
                # Nothing to rank or list: a phrase of common pairs that never occur together
                # would walk their long posting lists a second time to find it again.
                return Results([], order)
            if matched > RANK_LIMIT:
                order = "date"
        if order == "relevance":
            ranked = text(
                f"SELECT rowid, bm25({FTS_TABLE}, {_WEIGHTS}) AS score {where}"
                " ORDER BY score, rowid DESC LIMIT :limit"
            )
        else:
            ranked = text(f"SELECT rowid, 0.0 AS score {where} ORDER BY rowid DESC LIMIT :limit")
        keys = conn.execute(ranked, {**params, "limit": limit}).all()
        rows = {
            row["search_key"]: row
            for row in conn.execute(
                text(
                    "SELECT search_key, article_id, issue_date, page_no, page_label, page_name, title,"
                    " author, url, kicker, subtitle, body FROM articles WHERE search_key IN :keys"
                ).bindparams(bindparam("keys", expanding=True)),
                {"keys": [key for key, _ in keys]},
            ).mappings()
        }
    terms = ["".join(tokens) for tokens in query_terms(query)]
    hits = [_hit(rows[key], terms, -score) for key, score in keys if key in rows]
    return Results(hits, order)


def _hit(row: Any, terms: list[str], score: float) -> Hit:
    return Hit(
        article_id=row["article_id"],
        issue_date=row["issue_date"],
        page_no=row["page_no"],
        page_label=row["page_label"],
        page_name=row["page_name"],
        title=row["title"],
        author=row["author"],
        url=row["url"],
        snippet=snippet(row, terms),
        score=score,
    )


def snippet(row: Any, terms: list[str]) -> str:
    """A short passage around the first place a term occurs (title and byline excluded)."""
    for field in ("body", "subtitle", "kicker", "title"):
        value = row[field] or ""
        folded = value.lower()
        found = [folded.find(term) for term in terms if folded.find(term) >= 0]
        if found:
            start = min(found)
            begin = max(0, start - _SNIPPET_BEFORE)
            end = min(len(value), start + _SNIPPET_AFTER)
            text_ = value[begin:end].replace("\n", " ")
            return ("…" if begin else "") + text_ + ("…" if end < len(value) else "")
    body = (row["body"] or "").replace("\n", " ")
    return body[: _SNIPPET_BEFORE + _SNIPPET_AFTER] + ("…" if len(body) > 80 else "")


def highlight_spans(value: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the query's terms occur in ``value`` (for terminal highlighting)."""
    spans = []
    for term in terms:
        spans += [(m.start(), m.end()) for m in re.finditer(re.escape(term), value, re.IGNORECASE)]
    return sorted(spans)
