"""The full-text index's design options side by side (issue 13): build, size and searches.

    python benchmarks/bench_fts.py [--articles 40000] [--repeats 5] [--options NAME,…]

Every option indexes the same synthetic articles (``bench_archive.synthetic_rows``,
generated beforehand) into a fresh SQLite file in WAL mode, one transaction per batch of
2,000 as the store writes them, the index alone (no article rows: ``bench_archive.py``
times the whole store). The Python forms of the texts are made inside the timed loop, as
the store makes them. Then the same searches run on each option's index, the way
``search.search`` uses it (matches counted up to RANK_LIMIT + 1, then the newest 20 or
the best 20 by bm25), with the expressions ``fulltext.fts_query`` makes:

- ``1_char``, ``2_char``, ``4_char``: bench_archive's common words (newest 20);
- ``rare_4_char``: four characters cut from random articles (ranked);
- ``worst_4_char``: four characters whose three pairs are each among the commonest of
  the corpus, yet never occur in that order — every posting list long, nothing to find.

An option that cannot run a kind of query (no positions, no columns) gives SQLite's reason.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_archive import QUERIES, synthetic_rows  # noqa: E402
from sxworker.archive.fulltext import _CJK, _CJK_RUN, UNIGRAM_COLUMNS, fts_bigrams, fts_query, fts_text  # noqa: E402
from sxworker.archive.search import RANK_LIMIT, search_key  # noqa: E402

BATCH = 2000
WEIGHTS = "10.0, 6.0, 4.0, 3.0, 1.0, 10.0, 6.0, 4.0, 3.0, 1.0"

# The forms as migration 0003's code made them (a regular expression substitution per CJK
# character, a Python call per run), for the "before" option.
_UNSPACED = re.compile(f"([{_CJK}])")


def _old_pairs(run: re.Match[str]) -> str:
    chars = run.group()
    if len(chars) == 1:
        return f" {chars} "
    return " " + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + " "


def old_text(value: str | None) -> str:
    return _UNSPACED.sub(r" \1 ", value) if value else ""


def old_bigrams(value: str | None) -> str:
    return _CJK_RUN.sub(_old_pairs, value) if value else ""


@dataclass(frozen=True)
class Option:
    what: str
    unigram: Callable[[str | None], str] = fts_text
    bigram: Callable[[str | None], str] | None = fts_bigrams
    tokenizer: str = "ascii"
    detail: str = "full"
    settings: dict[str, int] = field(default_factory=dict)
    optimize: bool = False


_MERGE = {"automerge": 16, "crisismerge": 64, "hashsize": 64 * 2**20}
OPTIONS = {
    "before": Option("0003: regex forms, unicode61, FTS5 defaults", old_text, old_bigrams, "unicode61"),
    "forms": Option("translate forms, unicode61, defaults", tokenizer="unicode61"),
    "ascii": Option("translate forms, ascii tokenizer, defaults"),
    "hash64": Option("ascii + hashsize 64 MiB", settings={"hashsize": 64 * 2**20}),
    "automerge16": Option("ascii + hashsize 64 MiB, automerge 16, crisismerge 64", settings=_MERGE),
    "pgsz8000": Option("automerge16 + pgsz 8000", settings={**_MERGE, "pgsz": 8000}),
    "chosen": Option("automerge16 + 'optimize' at the end (migration 0007)", settings=_MERGE, optimize=True),
    "unigrams_only": Option("unigram columns only (automerge16)", bigram=None, settings=_MERGE),
    "detail_column": Option("automerge16, detail=column (no positions)", detail="column", settings=_MERGE),
    "detail_none": Option("automerge16, detail=none (rowids only)", detail="none", settings=_MERGE),
}


def _columns(option: Option) -> list[str]:
    bigrams = [f"{name}_bigrams" for name in UNIGRAM_COLUMNS] if option.bigram else []
    return [*UNIGRAM_COLUMNS, *bigrams]


def build(path: Path, option: Option, rows: list[dict]) -> dict:
    columns = _columns(option)
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute(
        f"CREATE VIRTUAL TABLE f USING fts5({', '.join(columns)}, content='',"
        f" tokenize='{option.tokenizer}', detail={option.detail})"
    )
    for name, value in option.settings.items():
        connection.execute("INSERT INTO f (f, rank) VALUES (?, ?)", (name, value))
    connection.commit()
    insert = f"INSERT INTO f (rowid, {', '.join(columns)}) VALUES ({', '.join('?' * (len(columns) + 1))})"
    began, cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(rows), BATCH):
        values = []
        for row in rows[start : start + BATCH]:
            fields = [row[name] for name in UNIGRAM_COLUMNS]
            bigrams = map(option.bigram, fields) if option.bigram else ()
            values.append((row["search_key"], *map(option.unigram, fields), *bigrams))
        with connection:
            connection.executemany(insert, values)
    if option.optimize:
        with connection:
            connection.execute("INSERT INTO f (f) VALUES ('optimize')")
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    size = connection.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'f%'").fetchone()[0]
    connection.close()
    return {
        "build_s": round(seconds, 1),
        "articles_per_s": round(len(rows) / seconds),
        "cpu_ms_per_article": round(cpu / len(rows) * 1000, 3),
        "index_mib": round(size / 2**20, 1),
        "index_mib_at_300k": round(size / 2**20 * 300_000 / len(rows)),
    }


def unigram_query(query: str) -> str:
    """A query as the unigram columns alone can take it: the phrase of its characters."""
    tokens = fts_text(query).split()
    return "{" + " ".join(UNIGRAM_COLUMNS) + '} : "' + " ".join(tokens) + '"'


def one_search(connection: sqlite3.Connection, match: str, ranked_weights: str) -> int:
    """search.search's use of the index: count up to RANK_LIMIT + 1, then nothing more (no
    match), the best 20 (at most RANK_LIMIT matches) or the newest 20."""
    where = "FROM f WHERE f MATCH ?"
    counted = f"SELECT count(*) FROM (SELECT rowid {where} LIMIT {RANK_LIMIT + 1})"
    matched = connection.execute(counted, (match,)).fetchone()[0]
    if matched == 0:
        return 0
    if matched <= RANK_LIMIT:
        sql = f"SELECT rowid, bm25(f, {ranked_weights}) AS score {where} ORDER BY score, rowid DESC LIMIT 20"
    else:
        sql = f"SELECT rowid {where} ORDER BY rowid DESC LIMIT 20"
    return len(connection.execute(sql, (match,)).fetchall())


def _percentiles(timings: list[float]) -> dict:
    timings.sort()
    return {
        "queries": len(timings),
        "p50_ms": round(statistics.median(timings), 2),
        "p95_ms": round(timings[max(0, int(len(timings) * 0.95) - 1)], 2),
        "max_ms": round(timings[-1], 2),
    }


def bench_search(path: Path, option: Option, queries: dict[str, list[str]], repeats: int) -> dict:
    connection = sqlite3.connect(path)
    weights = WEIGHTS if option.bigram else WEIGHTS[: WEIGHTS.index(", 10.0")]
    results: dict = {}
    try:
        for kind, texts in queries.items():
            matches = [fts_query(text) if option.bigram else unigram_query(text) for text in texts]
            try:
                one_search(connection, matches[0], weights)  # the index's pages read once
            except sqlite3.OperationalError as exc:  # what this detail= cannot answer
                results[kind] = f"cannot: {exc}"
                continue
            timings = []
            for _ in range(repeats):
                for match in matches:
                    began = time.perf_counter()
                    one_search(connection, match, weights)
                    timings.append((time.perf_counter() - began) * 1000)
            results[kind] = {"examples": texts[:3], **_percentiles(timings)}
    finally:
        connection.close()
    return results


def rare_passages(rows: list[dict], count: int = 10) -> list[str]:
    """Four-character passages cut from random articles (bench_archive's rare queries)."""
    rng = random.Random(7)
    picked = []
    while len(picked) < count:
        body = rng.choice(rows)["body"].replace("\n", "")
        start = rng.randrange(0, max(1, len(body) - 4))
        passage = body[start : start + 4]
        if len(passage) == 4 and all("\u4e00" <= char <= "\u9fff" for char in passage):
            picked.append(passage)
    return picked


def worst_passages(rows: list[dict], count: int = 10) -> list[str]:
    """Four characters whose three pairs are each among the 300 commonest of the corpus
    but which occur in no article: the most a phrase query walks to find nothing."""
    pairs: collections.Counter[str] = collections.Counter()
    for row in rows[:3000]:
        for run in _CJK_RUN.findall(row["body"]):
            pairs.update(run[i : i + 2] for i in range(len(run) - 1))
    common = [pair for pair, _ in pairs.most_common(300)]
    following = collections.defaultdict(list)
    for pair in common:
        following[pair[0]].append(pair)
    bodies = "\n".join(row["title"] + "\n" + row["body"] for row in rows)
    found = []
    for first in common:
        for second in following[first[1]]:
            for third in following[second[1]]:
                passage = first + second[1] + third[1]
                if len(set(passage)) == 4 and passage not in bodies and passage not in found:
                    found.append(passage)
                if len(found) == count:
                    return found
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40_000)
    parser.add_argument("--repeats", type=int, default=5, help="repeats of each query")
    parser.add_argument("--options", default=",".join(OPTIONS), help=f"of {', '.join(OPTIONS)}")
    options = parser.parse_args()
    names = options.options.split(",")
    unknown = [name for name in names if name not in OPTIONS]
    if unknown:
        parser.error(f"unknown option {unknown[0]!r}; choose from {', '.join(OPTIONS)}")
    rows = list(synthetic_rows(options.articles))
    for row in rows:
        row["search_key"] = search_key(row["issue_date"], row["article_id"])
    queries = {f"{length}_char": texts for length, texts in QUERIES.items()}
    queries["rare_4_char"] = rare_passages(rows)
    queries["worst_4_char"] = worst_passages(rows)
    report = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sqlite": sqlite3.sqlite_version,
        "articles": options.articles,
        "load_average": os.getloadavg()[0],
        "options": {},
    }
    with tempfile.TemporaryDirectory() as temp:
        for name in names:
            option = OPTIONS[name]
            path = Path(temp) / f"{name}.sqlite3"
            measured = {"what": option.what, **build(path, option, rows)}
            measured["search"] = bench_search(path, option, queries, options.repeats)
            report["options"][name] = measured
            print(json.dumps({name: measured}, ensure_ascii=False), file=sys.stderr, flush=True)
            for leftover in Path(temp).glob(f"{name}.sqlite3*"):
                leftover.unlink()
    report["load_average_after"] = os.getloadavg()[0]
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
