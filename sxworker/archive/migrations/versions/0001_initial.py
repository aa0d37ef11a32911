"""The initial schema: issues, pages, articles, article_versions, sxworker_meta.

Exactly what sxworker wrote before it used Alembic (``sxworker_meta.schema_version`` = 1);
such archives are stamped with this revision instead of running it.

Revision ID: 0001
Revises:
Create Date: 2025-01-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sxworker_meta",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "issues",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issue_date", sa.String(10), nullable=False, unique=True),
        sa.Column("url", sa.Text),
        sa.Column("issue_number", sa.Integer),
        sa.Column("page_count", sa.Integer),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
    )
    op.create_table(
        "pages",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issue_date", sa.String(10), nullable=False),
        sa.Column("page_key", sa.String(512), nullable=False),
        sa.Column("page_no", sa.Integer),
        sa.Column("page_label", sa.String(16)),
        sa.Column("page_name", sa.Text),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("scan_url", sa.Text),
        sa.Column("pdf_url", sa.Text),
        sa.Column("article_count", sa.Integer),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.UniqueConstraint("issue_date", "page_key", name="uq_pages_issue_page"),
    )
    op.create_index("ix_pages_issue_date", "pages", ["issue_date"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("issue_date", sa.String(10), nullable=False),
        sa.Column("page_no", sa.Integer),
        sa.Column("page_label", sa.String(16)),
        sa.Column("page_name", sa.Text),
        sa.Column("page_url", sa.Text),
        sa.Column("page_image_url", sa.Text),
        sa.Column("issue_number", sa.Integer),
        sa.Column("kicker", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subtitle", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("images", sa.Text, nullable=False),
        sa.Column("source_url", sa.Text),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.UniqueConstraint("issue_date", "article_id", name="uq_articles_date_id"),
    )
    op.create_index("ix_articles_issue_date", "articles", ["issue_date", "page_no"])
    op.create_index("ix_articles_article_id", "articles", ["article_id"])
    op.create_index("ix_articles_url", "articles", ["url"])
    op.create_table(
        "article_versions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("issue_date", sa.String(10), nullable=False),
        sa.Column("article_id", sa.String(16), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("kicker", sa.Text),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("subtitle", sa.Text),
        sa.Column("author", sa.Text),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("images", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen", sa.String(32), nullable=False),
        sa.Column("last_seen", sa.String(32), nullable=False),
        sa.UniqueConstraint("issue_date", "article_id", "version", name="uq_versions_article_version"),
    )
    meta = sa.table("sxworker_meta", sa.column("key", sa.String), sa.column("value", sa.Text))
    op.bulk_insert(meta, [{"key": "schema_version", "value": "1"}])


def downgrade() -> None:
    for table in ("article_versions", "articles", "pages", "issues", "sxworker_meta"):
        op.drop_table(table)
