"""A date-ordered search key for every article; SQLite's full-text index keyed by it.

``articles.search_key`` = days since 1900-01-01 × 10¹⁰ + article id: unique like
(issue_date, article_id), and ordered by date. SQLite's FTS5 table ``articles_fts`` uses it
as rowid, so the newest matches of a broad query are read straight off the index; the
table indexes each text field as unigrams and as bigrams.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_KEY_SQL = {
    "sqlite": "CAST(julianday(issue_date) - julianday('1900-01-01') AS INTEGER) * 10000000000"
    " + CAST(article_id AS INTEGER) % 10000000000",
    "postgresql": "(issue_date::date - DATE '1900-01-01')::bigint * 10000000000"
    " + (article_id::bigint % 10000000000)",
}
_FIELDS = ("title", "subtitle", "kicker", "author", "body")
# Each field as unigrams and as bigrams (sxworker.archive.fulltext, as of this revision).
_COLUMNS = ", ".join([*_FIELDS, *(f"{name}_bigrams" for name in _FIELDS)])


def upgrade() -> None:
    bind = op.get_bind()
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("search_key", sa.BigInteger))
    op.execute(sa.text(f"UPDATE articles SET search_key = {_KEY_SQL[bind.dialect.name]}"))
    op.create_index("ux_articles_search_key", "articles", ["search_key"], unique=True)
    if bind.dialect.name == "sqlite":
        spaced = ", ".join(
            [f"sxworker_fts_text({name})" for name in _FIELDS]
            + [f"sxworker_fts_bigrams({name})" for name in _FIELDS]
        )
        op.execute(sa.text("DROP TABLE IF EXISTS articles_fts"))
        op.execute(
            sa.text(
                f"CREATE VIRTUAL TABLE articles_fts USING fts5({_COLUMNS},"
                " content='articles', content_rowid='search_key')"
            )
        )
        # sxworker_fts_text and _bigrams are registered on every connection of the archive's engine.
        op.execute(
            sa.text(f"INSERT INTO articles_fts (rowid, {_COLUMNS}) SELECT search_key, {spaced} FROM articles")
        )


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        op.execute(sa.text("DROP TABLE IF EXISTS articles_fts"))
    op.drop_index("ux_articles_search_key", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("search_key")
