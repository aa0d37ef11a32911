"""How each article was read: ``articles.template`` (the fingerprint of its page's
template, indexed for ``sxworker templates`` and the layout alarm's per-template norms) and
``articles.evidence`` (per field, how the parser found it; JSON). Both start NULL: an
archive made before them gets them from the next crawl or ``sxworker reparse``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable columns: SQLite adds them in place (ALTER TABLE ADD COLUMN), no table copy,
    # so the full-text index keyed by search_key is untouched.
    with op.batch_alter_table("articles") as batch:
        batch.add_column(sa.Column("template", sa.String(32)))
        batch.add_column(sa.Column("evidence", sa.Text))
    op.create_index("ix_articles_template", "articles", ["template"])


def downgrade() -> None:
    op.drop_index("ix_articles_template", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("evidence")
        batch.drop_column("template")
