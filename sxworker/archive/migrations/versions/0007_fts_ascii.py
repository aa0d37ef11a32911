"""SQLite's full-text index split on spaces by FTS5's ``ascii`` tokenizer, merged less often.

The texts it holds are prepared in Python (:mod:`sxworker.archive.fulltext`), letters
folded and separators spaced as unicode61 did it, so ``articles_fts`` keeps the same tokens,
columns and rowids — a search finds the same articles in the same order — at a third of
the tokenizer's cost. Its FTS5 settings, measured at 300,000 articles (issue 13;
``benchmarks/bench_fts.py``): ``automerge`` 16 segments a level instead of 4 (each posting
rewritten fewer times), ``crisismerge`` 64, and a 64 MiB ``hashsize`` so that a large batch
is flushed as one segment. The index is rebuilt from the articles and merged into one
segment ('optimize'). PostgreSQL's index is a column of ``articles``: nothing changes there.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# A migration keeps its own copy of the table's shape: it must not change when the code does.
_FIELDS = ("title", "subtitle", "kicker", "author", "body")
_COLUMNS = ", ".join([*_FIELDS, *(f"{name}_bigrams" for name in _FIELDS)])
_SPACED = ", ".join(
    [f"sxworker_fts_text({name})" for name in _FIELDS] + [f"sxworker_fts_bigrams({name})" for name in _FIELDS]
)
_SETTINGS = {"automerge": 16, "crisismerge": 64, "hashsize": 64 * 2**20}


def _rebuild(tokenizer: str, settings: dict[str, int]) -> None:
    from sxworker.archive.search import register_functions

    # The archive's engines register sxworker_fts_text and _bigrams on every connection; an
    # engine of Alembic's own or a test's does not.
    register_functions(op.get_bind().connection.driver_connection)
    op.execute(sa.text("DROP TABLE IF EXISTS articles_fts"))
    op.execute(
        sa.text(
            f"CREATE VIRTUAL TABLE articles_fts USING fts5({_COLUMNS},"
            f" content='articles', content_rowid='search_key', tokenize='{tokenizer}')"
        )
    )
    for name, value in settings.items():
        op.execute(
            sa.text("INSERT INTO articles_fts (articles_fts, rank) VALUES (:name, :value)").bindparams(
                name=name, value=value
            )
        )
    fill = f"INSERT INTO articles_fts (rowid, {_COLUMNS}) SELECT search_key, {_SPACED} FROM articles"
    op.execute(sa.text(fill))
    op.execute(sa.text("INSERT INTO articles_fts (articles_fts) VALUES ('optimize')"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild("ascii", _SETTINGS)


def downgrade() -> None:
    # 0003's table: unicode61 splits the prepared texts into the same tokens.
    if op.get_bind().dialect.name == "sqlite":
        _rebuild("unicode61", {})
