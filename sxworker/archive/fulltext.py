"""Full-text search terms for Chinese, which is written without spaces.

SQLite FTS5's trigram tokenizer cannot match 1- and 2-character terms (工会, 党), and the
unicode61 tokenizer takes a whole run of Han characters as one "word". So the index is fed
two prepared forms of each text, tokens separated by spaces:

- unigrams: every CJK character a token (``工会代表`` → ``工 会 代 表``), for 1-character
  queries;
- bigrams: every overlapping pair of a CJK run a token (``工 会`` → ``工会 会代 代表``), for
  longer ones. A 4-character query is then the phrase of its three bigrams, whose posting
  lists are short even when its characters are the commonest of the archive; matched as
  unigrams, the same query would walk the lists of four very common tokens.

Latin words and numbers stay whole in both. Both forms are finished here, as unicode61
would finish them (letters lower-cased and without diacritics, what is no letter or digit a
space), so the index splits them with FTS5's ``ascii`` tokenizer, on spaces only: the
tokens are those unicode61 made of the forms before (migration 0007), and splitting costs
a third of what it did (issue 13). The forms are made with ``str.translate`` over a table
filled as characters are first met, not a regular expression substitution per character:
five times faster. A user's query becomes quoted phrases of the same tokens only, so nothing
typed (quotes, ``*``, AND, parentheses, full-width punctuation) is FTS syntax.
PostgreSQL's tsvector holds the same tokens, both forms (:mod:`sxworker.archive.pg_search`).
"""

from __future__ import annotations

import operator
import re
import unicodedata
from collections.abc import Callable

from sxworker.archive.errors import ArchiveError

# Han ideographs (incl. extension A and compatibility), kana, hangul, full-width forms:
# scripts written without spaces between words.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002ffff"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_CJK_RUN = re.compile(f"[{_CJK}]+")
_CJK_RUN_SPLIT = re.compile(f"([{_CJK}]+)")

UNIGRAM_COLUMNS = ("title", "subtitle", "kicker", "author", "body")
BIGRAM_COLUMNS = tuple(f"{name}_bigrams" for name in UNIGRAM_COLUMNS)

# What a query may hold. Each word is one more posting list to walk and to rank by, and the
# time grows faster than their number: 5,000 one-character words took 25 s; through
# Datasette, 64 copies of 工 took 2.7 s on 30,000 articles against 0.3 s for 16. A search a
# person types needs neither more words nor more characters (a pasted sentence is one word).
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 16


def _is_token_char(char: str) -> bool:
    # unicode61's default token characters: letters, numbers and private-use characters.
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def _folded(char: str) -> str:
    """A letter or digit as unicode61 (remove_diacritics=1) indexes it: lower case, without
    its combining marks."""
    decomposed = unicodedata.normalize("NFD", char.lower())
    return "".join(part for part in decomposed if not unicodedata.combining(part))


class _Form(dict):
    """A ``str.translate`` table, each character's entry made when it is first met: a CJK
    character becomes ``cjk`` (given the character), any other letter or digit is folded,
    and what is neither becomes a space."""

    def __init__(self, cjk: Callable[[str], str]) -> None:
        super().__init__()
        self.cjk = cjk

    def __missing__(self, code: int) -> str:
        char = chr(code)
        if _CJK_CHAR.match(char):
            value = self.cjk(char)
        elif _is_token_char(char):
            value = _folded(char)
        else:
            value = " "
        self[code] = value
        return value


# CJK characters that are no letter (the kana middle dot ・) separate tokens, as unicode61
# has them; yet inside a run they pair like the others before the pairs lose them.
_CJK_SEPARATORS = "".join(chr(code) for code in range(0x3040, 0x3100) if not _is_token_char(chr(code)))
_HAS_CJK_SEPARATOR = re.compile(f"[{_CJK_SEPARATORS}]")
_SPACE_CJK_SEPARATORS = {ord(char): " " for char in _CJK_SEPARATORS}
_UNIGRAM_FORM = _Form(lambda char: f" {char} " if _is_token_char(char) else " ")
_PAIRING_FORM = _Form(lambda char: char)
_add = operator.add


def fts_text(text: str | None) -> str:
    """Text as the unigram columns index it: CJK characters as separate tokens."""
    if not text:
        return ""
    return text.translate(_UNIGRAM_FORM)


def fts_bigrams(text: str | None) -> str:
    """Text as the bigram columns index it: each CJK run as its overlapping pairs."""
    if not text:
        return ""
    parts = _CJK_RUN_SPLIT.split(text)
    # What lies between the runs, folded in one translate: "一" cannot be in it.
    parts[0::2] = "一".join(parts[0::2]).translate(_PAIRING_FORM).split("一")
    # A run of one character is that character (no pair).
    parts[1::2] = [" ".join(map(_add, run, run[1:])) or run for run in parts[1::2]]
    spaced = " ".join(parts)
    return spaced.translate(_SPACE_CJK_SEPARATORS) if _HAS_CJK_SEPARATOR.search(spaced) else spaced


def split_tokens(form: str) -> list[str]:
    """The tokens of a prepared form (fts_text's or fts_bigrams's), as the index splits it:
    PostgreSQL's vector (pg_search) takes these, so both backends hold the same tokens."""
    return form.split()


def query_terms(query: str) -> list[list[str]]:
    """A user's query as terms, each the list of unigram tokens it must match in sequence."""
    terms = []
    for chunk in query.split():
        tokens = split_tokens(fts_text(chunk))
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
        tokens, columns = split_tokens(fts_bigrams(chunk)), BIGRAM_COLUMNS
    else:
        tokens, columns = split_tokens(fts_text(chunk)), UNIGRAM_COLUMNS
    if not tokens:
        return None
    return "{" + " ".join(columns) + '} : "' + " ".join(tokens) + '"'


def fts_query(query: str) -> str | None:
    """An FTS5 MATCH expression for a user's query (every term must match); None when
    nothing searchable is left."""
    phrases = [phrase for phrase in (_phrase(chunk) for chunk in query.split()) if phrase]
    return " AND ".join(phrases) if phrases else None
