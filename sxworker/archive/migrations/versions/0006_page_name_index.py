"""Indexes the readers need at archive scale (300,000 articles; issue 13):

- ``ix_articles_key_page_name`` (search_key, page_name): ``trend --page-name`` looks up the
  page name of each of a term's matches (a full-text rowid) in this index alone, not in the
  article's row: 0.4 µs a match instead of 2 µs through ``ux_articles_search_key`` (and 3 s
  for three terms at 300,000 articles before it). (page_name, search_key) was no help:
  SQLite then looks up each match's key in a range of the page's keys.
- ``ix_articles_page_name_date`` (page_name, issue_date): the articles of a page name per
  issue date (trend's totals, ``export --page-name``, the report's page names) from the index.
- ``ix_articles_export_order`` (issue_date, page_no IS NULL, page_no, article_id): export's
  order, so that an export walks the index instead of sorting every article first; it also
  holds all that the completeness ledger (``gaps``, ``stats``) reads of an article.
- ``ix_articles_last_seen``: the last crawl (``stats``) without a scan of every article.
- ``ix_articles_author``, ``ix_articles_kicker``, ``ix_articles_subtitle`` (each with
  template): the most common value per template (``templates``) and Datasette's author
  facet counted from an index in its order, not by sorting every article's row.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# The fields templates.VARYING_FIELDS names (a migration keeps its own copy: it must not
# change when the code does).
VARYING = ("author", "kicker", "subtitle")


def upgrade() -> None:
    # pysqlite runs DDL outside the upgrade's transaction, so an upgrade interrupted (each
    # index is a pass over every article: minutes at 300,000) keeps the indexes made so far
    # and no new revision; run again, it makes the others.
    create = functools.partial(op.create_index, table_name="articles", if_not_exists=True)
    create("ix_articles_key_page_name", columns=["search_key", "page_name"])
    create("ix_articles_page_name_date", columns=["page_name", "issue_date"])
    create(
        "ix_articles_export_order",
        columns=["issue_date", sa.text("(page_no IS NULL)"), "page_no", "article_id"],
    )
    create("ix_articles_last_seen", columns=["last_seen"])
    for column in VARYING:
        create(f"ix_articles_{column}", columns=[column, "template"])


def downgrade() -> None:
    for name in (
        *[f"ix_articles_{column}" for column in VARYING],
        "ix_articles_last_seen",
        "ix_articles_export_order",
        "ix_articles_page_name_date",
        "ix_articles_key_page_name",
    ):
        op.drop_index(name, table_name="articles")
