"""The completeness ledger (``failures``, ``pages.article_ids``), the run log
(``crawl_runs``) and ``files``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("pages") as batch:
        batch.add_column(sa.Column("article_ids", sa.Text))
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("target", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("issue_date", sa.String(10)),
        sa.Column("status", sa.Integer),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("first_failed", sa.String(32), nullable=False),
        sa.Column("last_try", sa.String(32), nullable=False),
        sa.Column("resolved_at", sa.String(32)),
    )
    op.create_index("ix_failures_open", "failures", ["resolved_at", "kind"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("started_at", sa.String(32), nullable=False),
        sa.Column("finished_at", sa.String(32)),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("range_start", sa.String(10)),
        sa.Column("range_end", sa.String(10)),
        sa.Column("args", sa.Text, nullable=False),
        sa.Column("requests", sa.Integer),
        sa.Column("articles_new", sa.Integer),
        sa.Column("articles_changed", sa.Integer),
        sa.Column("articles_unchanged", sa.Integer),
        sa.Column("articles_skipped", sa.Integer),
        sa.Column("failed", sa.Integer),
        sa.Column("invalid", sa.Integer),
        sa.Column("finish_reason", sa.Text),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("fill_rates", sa.Text),
        sa.Column("message", sa.Text),
        sa.Column("host", sa.String(255)),
        sa.Column("pid", sa.Integer),
    )
    op.create_table(
        "files",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("path", sa.Text),
        sa.Column("sha256", sa.String(64)),
        sa.Column("bytes", sa.BigInteger),
        sa.Column("content_type", sa.Text),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("issue_date", sa.String(10)),
        sa.Column("page_no", sa.Integer),
        sa.Column("article_id", sa.String(16)),
        sa.Column("fetched_at", sa.String(32), nullable=False),
    )
    op.create_index("ix_files_issue", "files", ["issue_date", "page_no"])
    op.create_index("ix_files_path", "files", ["path"])


def downgrade() -> None:
    op.drop_index("ix_files_path", table_name="files")
    op.drop_index("ix_files_issue", table_name="files")
    op.drop_table("files")
    op.drop_table("crawl_runs")
    op.drop_index("ix_failures_open", table_name="failures")
    op.drop_table("failures")
    with op.batch_alter_table("pages") as batch:
        batch.drop_column("article_ids")
