"""Full-text search over the archive (SQLite: an FTS5 index kept by the store).

``articles_fts`` is an external-content FTS5 table over ``articles`` whose index holds the
texts as :func:`~sxworker.archive.fulltext.fts_text` spaces them. The store keeps it in
step with every insert and text change, inside the same transaction, through the SQL
function ``sxworker_fts_text`` registered on each connection. Snippets are cut in Python
from the stored text (FTS5's own snippet() would count offsets in the spaced text).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text

from sxworker.archive.fulltext import fts_query, fts_text, query_terms

FTS_TABLE = "articles_fts"
INDEXED = ("title", "subtitle", "kicker", "author", "body")
# bm25 weights, in INDEXED order: a hit in the title counts most, in the body least.
_WEIGHTS = "10.0, 6.0, 4.0, 3.0, 1.0"
_SNIPPET_BEFORE = 24
_SNIPPET_AFTER = 56


def register_functions(dbapi_connection) -> None:
    """Make ``sxworker_fts_text`` available to SQL on an SQLite connection."""
    dbapi_connection.create_function("sxworker_fts_text", 1, fts_text, deterministic=True)


def ensure_index(conn: Connection) -> None:
    """Create the FTS5 table if missing, and index every article when it was."""
    exists = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FTS_TABLE,)
    ).first()
    if exists:
        return
    columns = ", ".join(INDEXED)
    conn.exec_driver_sql(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content='articles', content_rowid='id')"
    )
    conn.exec_driver_sql(_INSERT_SQL + " FROM articles")


_SPACED = ", ".join(f"sxworker_fts_text({name})" for name in INDEXED)
_INSERT_SQL = f"INSERT INTO {FTS_TABLE} (rowid, {', '.join(INDEXED)}) SELECT id, {_SPACED}"
_DELETE_SQL = (
    f"INSERT INTO {FTS_TABLE} ({FTS_TABLE}, rowid, {', '.join(INDEXED)}) SELECT 'delete', id, {_SPACED}"
)
_WHERE_KEY = " FROM articles WHERE issue_date = :issue_date AND article_id = :article_id"
_index_rows = text(_INSERT_SQL + _WHERE_KEY)
_unindex_rows = text(_DELETE_SQL + _WHERE_KEY)


def index_articles(conn: Connection, keys: Iterable[tuple[str, str]]) -> None:
    """Add articles (by issue date and id) to the index, after they were written."""
    params = [{"issue_date": d, "article_id": a} for d, a in keys]
    if params:
        conn.execute(_index_rows, params)


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


def search(
    engine: Engine, query: str, *, limit: int = 20, since: str | None = None, until: str | None = None
) -> list[Hit]:
    """Articles matching every term of ``query``, best first."""
    match = fts_query(query)
    if match is None:
        return []
    filters = ""
    params: dict[str, Any] = {"match": match, "limit": limit}
    if since:
        filters += " AND a.issue_date >= :since"
        params["since"] = since
    if until:
        filters += " AND a.issue_date <= :until"
        params["until"] = until
    statement = text(
        "SELECT a.article_id, a.issue_date, a.page_no, a.page_label, a.page_name, a.title, a.author, a.url,"
        f" a.kicker, a.subtitle, a.body, bm25({FTS_TABLE}, {_WEIGHTS}) AS score"
        f" FROM {FTS_TABLE} JOIN articles a ON a.id = {FTS_TABLE}.rowid"
        f" WHERE {FTS_TABLE} MATCH :match{filters}"
        " ORDER BY score, a.issue_date DESC LIMIT :limit"
    )
    terms = ["".join(tokens) for tokens in query_terms(query)]
    with engine.connect() as conn:
        rows = conn.execute(statement, params).mappings().all()
    return [
        Hit(
            article_id=row["article_id"],
            issue_date=row["issue_date"],
            page_no=row["page_no"],
            page_label=row["page_label"],
            page_name=row["page_name"],
            title=row["title"],
            author=row["author"],
            url=row["url"],
            snippet=snippet(row, terms),
            score=-row["score"],
        )
        for row in rows
    ]


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
