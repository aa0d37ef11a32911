"""Full-text search indexes, one per backend, filled from the articles already stored.

SQLite: nothing any more — its FTS5 index is built by 0003, keyed by the date-ordered
``search_key`` (an index keyed by ``articles.id``, as this revision first made it, is
replaced there).
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
    if bind.dialect.name == "postgresql":
        from sxworker.archive import pg_search

        op.add_column("articles", sa.Column(pg_search.VECTOR_COLUMN, postgresql.TSVECTOR))
        pg_search.fill_missing(bind)
        op.create_index(pg_search.VECTOR_INDEX, "articles", [pg_search.VECTOR_COLUMN], postgresql_using="gin")


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from sxworker.archive import pg_search

        op.drop_index(pg_search.VECTOR_INDEX, table_name="articles")
        op.drop_column("articles", pg_search.VECTOR_COLUMN)
