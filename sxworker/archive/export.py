"""Export formats: each writer takes the archive's records and a binary stream."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from typing import Any, BinaryIO

import orjson

from sxworker.archive.store import EXPORT_FIELDS

FORMATS = ("jsonl", "csv", "parquet")
_PARQUET_BATCH = 5000


def write_jsonl(records: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    # orjson writes UTF-8 (Chinese as characters, never \uXXXX) several times faster than
    # json.dumps + encode: the difference between 35,000 and 50,000+ articles/s.
    count = 0
    for record in records:
        out.write(orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE))
        count += 1
    return count


def write_csv(records: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    # A BOM so that Excel, the tool many researchers open CSV in, reads the Chinese as UTF-8.
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="")
    writer = csv.DictWriter(text, fieldnames=EXPORT_FIELDS)
    writer.writeheader()
    count = 0
    for record in records:
        row = dict(record)
        for name in ("images", "files"):
            row[name] = json.dumps(row[name], ensure_ascii=False)
        writer.writerow(row)
        count += 1
    text.flush()
    text.detach()
    return count


def write_parquet(records: Iterable[dict[str, Any]], out: BinaryIO) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RuntimeError("Parquet export needs pyarrow: pip install 'sxworker[parquet]'") from exc
    schema = pa.schema(
        [
            (name, pa.int64() if name in ("page_no", "issue_number", "version") else pa.string())
            for name in EXPORT_FIELDS
        ]
    )
    count = 0
    with pq.ParquetWriter(out, schema) as writer:
        batch: list[dict[str, Any]] = []
        for record in records:
            row = dict(record)
            for name in ("images", "files"):
                row[name] = json.dumps(row[name], ensure_ascii=False)
            batch.append(row)
            if len(batch) >= _PARQUET_BATCH:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                count += len(batch)
                batch = []
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


WRITERS = {"jsonl": write_jsonl, "csv": write_csv, "parquet": write_parquet}
