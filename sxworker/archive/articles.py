"""The ``articles`` table and its ``article_versions``: storing a batch of articles.

An article is known by (issue_date, article_id). A new one is inserted; one whose text
changed (its :func:`content_hash` differs) keeps its old text as a version and takes the
new; an unchanged one is only touched (last seen, and the newest reading of its page and
template). A value once stored is never replaced by NULL, and the full-text index follows
every insert and text change in the same transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, bindparam, func, insert, select, update

from sxworker.archive import pg_search, search, templates
from sxworker.archive.schema import article_versions, articles
from sxworker.archive.statements import IN_CHUNK
from sxworker.site.items import EVIDENCE_FIELDS

TEXT_FIELDS = ("kicker", "title", "subtitle", "author", "body", "images")
PAGE_FIELDS = ("page_no", "page_label", "page_name", "page_url", "page_image_url", "issue_number")

Key = tuple[str, str]  # (issue_date, article_id)


@dataclass
class StoreResult:
    """What a batch of articles came to: how many were new, changed, and unchanged."""

    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def __iadd__(self, other: StoreResult) -> StoreResult:
        self.new += other.new
        self.changed += other.changed
        self.unchanged += other.unchanged
        return self


def content_hash(row: dict[str, Any]) -> str:
    """A fingerprint of an article's text: what changes when the paper edits it."""
    images = row.get("images") or []
    if isinstance(images, str):
        images = json.loads(images)
    # Picture URLs enter by path only: the same text served under another host or scheme
    # (a mirror, http→https) is not a new version.
    pictures = [[urlsplit(image.get("url") or "").path, image.get("caption")] for image in images]
    payload = [row.get(name) for name in TEXT_FIELDS[:-1]] + [pictures]
    encoded = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(encoded.encode("utf-8")).hexdigest()


def article_row(row: dict[str, Any], seen_at: str) -> dict[str, Any]:
    """An article as the ``articles`` table holds it, first and last seen at ``seen_at``."""
    images = row.get("images") or []
    values = {column.name: row.get(column.name) for column in articles.columns if column.name != "id"}
    values["images"] = json.dumps(images, ensure_ascii=False)
    evidence = row.get("evidence")
    values["evidence"] = None if evidence is None else json.dumps(evidence, ensure_ascii=False)
    values["content_hash"] = content_hash({**row, "images": images})
    values["search_key"] = search.search_key(row["issue_date"], row["article_id"])
    values["version"] = 1
    values["first_seen"] = seen_at
    values["last_seen"] = seen_at
    return values


def batch_of(rows: Iterable[dict[str, Any]], seen_at: str) -> dict[Key, dict[str, Any]]:
    """The rows as :func:`article_row` makes them, by key; of two with one key the later wins."""
    batch: dict[Key, dict[str, Any]] = {}
    for row in rows:
        prepared = article_row(row, seen_at)
        batch[(prepared["issue_date"], prepared["article_id"])] = prepared
    return batch


def store_batch(conn: Connection, batch: dict[Key, dict[str, Any]]) -> StoreResult:
    """Insert the new articles of ``batch``, version the changed ones, touch the rest."""
    known = _known(conn, list(batch))
    new, changed, same = [], [], []
    for key, row in batch.items():
        if key not in known:
            new.append(row)
            continue
        _keep_stored_values(row, known[key])
        if known[key]["content_hash"] != row["content_hash"]:
            changed.append(row)
        else:
            same.append(row)
    if new:
        conn.execute(insert(articles), new)
        _index(conn, new)
    if changed:
        _unindex(conn, changed)
        _version(conn, changed)
        _index(conn, changed)
    if same:
        conn.execute(_touch_article, [_update_params(row) for row in same])
    # From the rows as now stored (a None kept an old value): every article of the batch.
    templates.refresh_filled(conn, _same_article, [_key_params(row) for row in batch.values()])
    return StoreResult(new=len(new), changed=len(changed), unchanged=len(same))


def _known(conn: Connection, keys: list[Key]) -> dict[Key, dict[str, Any]]:
    """Hash and optional text fields of the stored articles among ``keys``."""
    wanted = set(keys)
    ids = sorted({article_id for _, article_id in keys})
    columns = [articles.c.issue_date, articles.c.article_id, articles.c.content_hash]
    columns += [articles.c[name] for name in _KEPT_WHEN_EMPTY]
    known: dict[Key, dict[str, Any]] = {}
    for start in range(0, len(ids), IN_CHUNK):
        query = select(*columns).where(articles.c.article_id.in_(ids[start : start + IN_CHUNK]))
        for row in conn.execute(query):
            key = (row.issue_date, row.article_id)
            if key in wanted:
                known[key] = dict(row._mapping)
    return known


def _version(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Copy the stored text of ``rows`` to article_versions, then give them the new one."""
    kept = (*TEXT_FIELDS, "content_hash", "first_seen", "last_seen")
    conn.execute(
        insert(article_versions).from_select(
            ["issue_date", "article_id", "version", *kept],
            select(
                articles.c.issue_date,
                articles.c.article_id,
                articles.c.version,
                *[articles.c[name] for name in kept],
            ).where(_same_article),
        ),
        [_key_params(row) for row in rows],
    )
    replaced = (*TEXT_FIELDS, "content_hash", "source_url")
    conn.execute(
        _replace_text,
        [{**_update_params(row), **{f"b_{name}": row[name] for name in replaced}} for row in rows],
    )


def _index(conn: Connection, rows: list[dict[str, Any]]) -> None:
    if conn.dialect.name == "sqlite":
        search.index_articles(conn, rows)
    elif conn.dialect.name == "postgresql":
        pg_search.index_articles(conn, rows)


def _unindex(conn: Connection, rows: list[dict[str, Any]]) -> None:
    # PostgreSQL's index is a column of the row: replacing the row's vector is enough.
    if conn.dialect.name == "sqlite":
        search.unindex_articles(conn, [(row["issue_date"], row["article_id"]) for row in rows])


_same_article = (articles.c.issue_date == bindparam("b_issue_date")) & (
    articles.c.article_id == bindparam("b_article_id")
)

# The newest reading (template, evidence) replaces the stored one, also when the text is
# unchanged — a reparse after a parser upgrade fills them in — but None never erases one.
_KEPT_FIELDS = (*PAGE_FIELDS, *EVIDENCE_FIELDS)

_touch_article = (
    update(articles)
    .where(_same_article)
    .values(
        url=bindparam("b_url"),
        last_seen=bindparam("b_last_seen"),
        **{name: func.coalesce(bindparam(f"b_{name}"), articles.c[name]) for name in _KEPT_FIELDS},
    )
)

_replace_text = (
    update(articles)
    .where(_same_article)
    .values(
        url=bindparam("b_url"),
        last_seen=bindparam("b_last_seen"),
        version=articles.c.version + 1,
        **{name: func.coalesce(bindparam(f"b_{name}"), articles.c[name]) for name in _KEPT_FIELDS},
        **{name: bindparam(f"b_{name}") for name in (*TEXT_FIELDS, "content_hash", "source_url")},
    )
)


def _key_params(row: dict[str, Any]) -> dict[str, Any]:
    return {"b_issue_date": row["issue_date"], "b_article_id": row["article_id"]}


def _update_params(row: dict[str, Any]) -> dict[str, Any]:
    params = {f"b_{name}": row.get(name) for name in _KEPT_FIELDS}
    params.update(_key_params(row))
    params["b_url"] = row["url"]
    params["b_last_seen"] = row["last_seen"]
    return params


# Optional fields a later view of an article may lack (a page served without its byline
# or pictures): the stored value stays, so a re-fetch never blanks what the archive had.
_KEPT_WHEN_EMPTY = ("kicker", "subtitle", "author", "images")


def _keep_stored_values(row: dict[str, Any], stored: dict[str, Any]) -> None:
    """Fill the row's empty optional fields from the stored article, and hash it again."""
    merged = False
    for name in _KEPT_WHEN_EMPTY:
        empty = row[name] in (None, "[]")
        if empty and stored[name] not in (None, "[]"):
            row[name] = stored[name]
            merged = True
    if merged:
        row["content_hash"] = content_hash(row)
