"""Full-text search indexes, one per backend, filled from the articles already stored.

SQLite: the FTS5 table ``articles_fts`` (:mod:`sxworker.archive.search`; needs the SQL
function ``sxworker_fts_text`` that the archive's engine registers on every connection).
PostgreSQL: ``articles.search_vector`` (tsvector) with a GIN index
(:mod:`sxworker.archive.pg_search`). The store keeps either in step on every insert and
text change.

Revision ID: 0002
Revises: 0001
Create Date: 2025-01-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from sxworker.archive import search

        search.ensure_index(bind)
    elif bind.dialect.name == "postgresql":
        from sxworker.archive import pg_search

        op.add_column("articles", sa.Column(pg_search.VECTOR_COLUMN, postgresql.TSVECTOR))
        pg_search.fill_missing(bind)
        op.create_index(pg_search.VECTOR_INDEX, "articles", [pg_search.VECTOR_COLUMN], postgresql_using="gin")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        from sxworker.archive import search

        op.execute(sa.text(f"DROP TABLE IF EXISTS {search.FTS_TABLE}"))
    elif bind.dialect.name == "postgresql":
        from sxworker.archive import pg_search

        op.drop_index(pg_search.VECTOR_INDEX, table_name="articles")
        op.drop_column("articles", pg_search.VECTOR_COLUMN)
