"""Full-text search terms for Chinese without spaces: one token per character.

SQLite FTS5's trigram tokenizer cannot match 1- and 2-character terms (工会, 党), and the
unicode61 tokenizer takes a run of Han characters as one "word". So the index is fed text
in which every CJK character stands alone (``工会代表`` → ``工 会 代 表``) while Latin words
and numbers stay whole; a query term becomes the phrase of its characters (``"工 会"``), which
FTS5 matches as adjacent tokens — any length, no false splits. The same two functions serve
PostgreSQL (a ``simple`` tsvector of the spaced text and ``phraseto_tsquery``).
"""

from __future__ import annotations

import re

# Han ideographs (incl. extension A and compatibility), kana, hangul, full-width forms:
# scripts written without spaces between words.
_UNSPACED = re.compile(
    r"([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff])"
)
# What is not a letter or digit separates tokens (unicode61 does the same), so quotes, *,
# parentheses, AND/OR/NOT spelt in capitals and full-width punctuation are only text.
_SEPARATOR = re.compile(r"[^\w]+|_")


def fts_text(text: str | None) -> str:
    """Text as it is indexed: CJK characters as separate tokens."""
    if not text:
        return ""
    return _UNSPACED.sub(r" \1 ", text)


def query_terms(query: str) -> list[list[str]]:
    """A user's query as terms, each the list of tokens it must match in sequence."""
    terms = []
    for chunk in query.split():
        tokens = [token.lower() for token in _SEPARATOR.split(fts_text(chunk)) if token]
        if tokens:
            terms.append(tokens)
    return terms


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query, every term a quoted phrase (so nothing
    the user types is FTS syntax); None when nothing searchable is left."""
    terms = query_terms(query)
    if not terms:
        return None
    return " AND ".join('"' + " ".join(tokens) + '"' for tokens in terms)
