"""``articles.filled``: which fields each article has, one bit a field, so that ``sxworker
templates`` counts its fill rates from an index instead of reading every article's row.

At 300,000 articles the fill rates were a scan of every row, bodies included (``template``
and ``images`` lie after ``body``): 1.3–2.0 s of the command's 2.7 s (issue 13). SQLite
3.40 reads the rows even for an index on the fill tests as expressions, or on a VIRTUAL
generated column (its plan says ``USING INDEX``, not ``COVERING INDEX``), and cannot add a
STORED one to a table that exists; so the bits are a plain column the archive keeps
(``templates.FILLED``, set in SQL from the row as stored, after every write), and
``ix_articles_template_filled`` (template, filled, issue_date, url) answers the whole query.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# A migration keeps its own copy of the rule (templates.TEMPLATE_FIELDS and _present at
# this revision): bit i is set when the i-th field is filled.
_TEXT = ("kicker", "title", "subtitle", "author", "body")
_PAGE_TEXT = ("page_label", "page_name", "page_image_url")


def _bits() -> str:
    tests = [f"({name} IS NOT NULL AND {name} <> '')" for name in _TEXT]
    tests += ["(images <> '[]')", "(page_no IS NOT NULL)"]
    tests += [f"({name} IS NOT NULL AND {name} <> '')" for name in _PAGE_TEXT]
    return " + ".join(f"(CASE WHEN {test} THEN {1 << bit} ELSE 0 END)" for bit, test in enumerate(tests))


def upgrade() -> None:
    # A nullable column: SQLite adds it in place (no table copy, the full-text index keyed
    # by search_key untouched); then every row's bits, then the index over them. pysqlite
    # runs the DDL outside the upgrade's transaction, so an upgrade interrupted after it
    # keeps the column (and no new revision): run again, this adds only what is missing.
    if "filled" not in {column["name"] for column in sa.inspect(op.get_bind()).get_columns("articles")}:
        op.add_column("articles", sa.Column("filled", sa.Integer))
    op.execute(sa.text(f"UPDATE articles SET filled = {_bits()}"))
    op.create_index(
        "ix_articles_template_filled",
        "articles",
        ["template", "filled", "issue_date", "url"],
        if_not_exists=True,
    )


def downgrade() -> None:
    op.drop_index("ix_articles_template_filled", table_name="articles")
    # ALTER TABLE DROP COLUMN (SQLite >= 3.35), not a batch's copy of the table: the copy
    # would lose revision 0006's index on an expression (page_no IS NULL).
    op.drop_column("articles", "filled")
