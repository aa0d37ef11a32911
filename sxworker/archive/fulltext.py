"""Full-text search terms for Chinese, which is written without spaces.

SQLite FTS5's trigram tokenizer cannot match 1- and 2-character terms (工会, 党), and the
unicode61 tokenizer takes a whole run of Han characters as one "word". So the index is fed
two prepared forms of each text, both split on spaces by unicode61:

- unigrams: every CJK character a token (``工会代表`` → ``工 会 代 表``), for 1-character
  queries;
- bigrams: every overlapping pair of a CJK run a token (``工 会`` → ``工会 会代 代表``), for
  longer ones. A 4-character query is then the phrase of its three bigrams, whose posting
  lists are short even when its characters are the commonest of the archive; matched as
  unigrams, the same query would walk the lists of four very common tokens.

Latin words and numbers stay whole in both. A user's query becomes quoted phrases only,
so nothing typed (quotes, ``*``, AND, parentheses, full-width punctuation) is FTS syntax.
PostgreSQL's index uses the unigram form (a ``simple`` tsvector, ``phraseto_tsquery``).
"""

from __future__ import annotations

import re

from sxworker.archive.errors import ArchiveError

# Han ideographs (incl. extension A and compatibility), kana, hangul, full-width forms:
# scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
_UNSPACED = re.compile(f"([{_CJK}])")
_CJK_RUN = re.compile(f"[{_CJK}]+")
# What is not a letter or digit separates tokens (unicode61 does the same).
_SEPARATOR = re.compile(r"[^\w]+|_")

UNIGRAM_COLUMNS = ("title", "subtitle", "kicker", "author", "body")
BIGRAM_COLUMNS = tuple(f"{name}_bigrams" for name in UNIGRAM_COLUMNS)

# What a query may hold. Each word is one more posting list to walk and to rank by, and the
# time grows faster than their number: 5,000 one-character words took 25 s; through
# Datasette, 64 copies of 工 took 2.7 s on 30,000 articles against 0.3 s for 16. A search a
# person types needs neither more words nor more characters (a pasted sentence is one word).
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16


def fts_text(text: str | None) -> str:
    """Text as the unigram columns index it: CJK characters as separate tokens."""
    if not text:
        return ""
    return _UNSPACED.sub(r" \1 ", text)


def _pairs(run: re.Match[str]) -> str:
    chars = run.group()
    if len(chars) == 1:
        return f" {chars} "
    return " " + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + " "


def fts_bigrams(text: str | None) -> str:
    """Text as the bigram columns index it: each CJK run as its overlapping pairs."""
    if not text:
        return ""
    return _CJK_RUN.sub(_pairs, text)


def _tokens(text: str) -> list[str]:
    return [token.lower() for token in _SEPARATOR.split(text) if token]


def query_terms(query: str) -> list[list[str]]:
    """A user's query as terms, each the list of unigram tokens it must match in sequence."""
    terms = []
    for chunk in query.split():
        tokens = _tokens(fts_text(chunk))
        if tokens:
            terms.append(tokens)
    return terms


def check_query(query: str) -> None:
    """Refuse, in one line, a query of more than MAX_QUERY_CHARS characters or more than
    MAX_QUERY_WORDS words (those with something searchable in them)."""
    if len(query) > MAX_QUERY_CHARS:
        raise ArchiveError(f"query too long: {len(query):,} characters (at most {MAX_QUERY_CHARS})")
    words = len(query_terms(query))
    if words > MAX_QUERY_WORDS:
        raise ArchiveError(f"query has too many words: {words:,} (at most {MAX_QUERY_WORDS})")


def _phrase(chunk: str) -> str | None:
    """One query term as an FTS5 column-filtered phrase."""
    if any(len(run) > 1 for run in _CJK_RUN.findall(chunk)):
        tokens, columns = _tokens(fts_bigrams(chunk)), BIGRAM_COLUMNS
    else:
        tokens, columns = _tokens(fts_text(chunk)), UNIGRAM_COLUMNS
    if not tokens:
        return None
    return "{" + " ".join(columns) + '} : "' + " ".join(tokens) + '"'


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query (every term must match); None when
    nothing searchable is left."""
    phrases = [phrase for phrase in (_phrase(chunk) for chunk in query.split()) if phrase]
    return " AND ".join(phrases) if phrases else None
