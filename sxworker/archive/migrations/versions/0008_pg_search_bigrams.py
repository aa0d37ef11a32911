"""PostgreSQL's search vector in its second form: each field's unigrams, then its bigram form
(each run of CJK characters as its overlapping pairs), written by pg_search as a tsvector
literal of the tokens SQLite indexes. A phrase of common characters is then matched by the
short posting lists of its pairs (issue 13: 1–5 s per query at 58,000 articles before).

Every article's vector is computed again (about 2.5 ms of Python per article: some minutes
at 300,000). SQLite: nothing. Downgrade leaves the vectors as they are: their unigram part
is the first form's, which the first form's queries (unigram phrases) still match.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        from sxworker.archive import pg_search

        op.execute(f"UPDATE articles SET {pg_search.VECTOR_COLUMN} = NULL")
        pg_search.fill_missing(bind)


def downgrade() -> None:
    pass
