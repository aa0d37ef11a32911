"""The run log: one ``crawl_runs`` row per crawl, opened when it starts, closed when it ends."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, func, insert, select, update

from sxworker.archive.schema import crawl_runs

RUN_COUNTERS = (
    "requests",
    "articles_new",
    "articles_changed",
    "articles_unchanged",
    "articles_skipped",
    "failed",
    "invalid",
)


def start_run(
    conn: Connection,
    *,
    started_at: str,
    mode: str,
    range_start: str | None,
    range_end: str | None,
    args: dict[str, Any],
    pid: int,
    host: str,
) -> int:
    result = conn.execute(
        insert(crawl_runs).values(
            started_at=started_at,
            mode=mode,
            range_start=range_start,
            range_end=range_end,
            args=json.dumps(args, ensure_ascii=False, sort_keys=True),
            outcome="running",
            host=host,
            pid=pid,
        )
    )
    return result.inserted_primary_key[0]


def finish_run(
    conn: Connection,
    run_id: int,
    *,
    finished_at: str,
    outcome: str,
    finish_reason: str | None,
    counters: dict[str, int],
    fill_rates: dict[str, float] | None,
    message: str | None,
    range_start: str | None,
    range_end: str | None,
) -> None:
    values: dict[str, Any] = {name: counters.get(name, 0) for name in RUN_COUNTERS}
    values.update(
        finished_at=finished_at,
        outcome=outcome,
        finish_reason=finish_reason,
        fill_rates=json.dumps(fill_rates, sort_keys=True) if fill_rates is not None else None,
        message=message,
    )
    if range_start is not None:
        values.update(range_start=range_start, range_end=range_end)
    conn.execute(update(crawl_runs).where(crawl_runs.c.id == run_id).values(**values))


def mark_dead_runs(conn: Connection, host: str) -> int:
    """Runs of this host still marked running whose process is gone (killed, or the
    machine went down). Another machine's runs (one PostgreSQL archive) are its own affair."""
    running = select(crawl_runs.c.id, crawl_runs.c.pid).where(
        crawl_runs.c.outcome == "running", crawl_runs.c.host == host
    )
    dead = [run_id for run_id, pid in conn.execute(running) if not _alive(pid)]
    if dead:
        conn.execute(
            update(crawl_runs)
            .where(crawl_runs.c.id.in_(dead))
            .values(outcome="killed", message="the process ended without closing its run")
        )
    return len(dead)


def recent_runs(conn: Connection, limit: int) -> list[dict[str, Any]]:
    query = select(crawl_runs).order_by(crawl_runs.c.id.desc()).limit(limit)
    rows = []
    for row in conn.execute(query):
        record = dict(row._mapping)
        record["args"] = json.loads(record["args"] or "{}")
        record["fill_rates"] = json.loads(record["fill_rates"]) if record["fill_rates"] else None
        rows.append(record)
    return rows


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextmanager
def server_run_lock(engine: Engine, name: str) -> Iterator[bool]:
    """PostgreSQL: a session advisory lock named after the archive, held by one connection
    for the whole run; yields whether it was free. The server drops it when the session
    ends, however the process ends."""
    key = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)
    with engine.connect() as conn:
        got = bool(conn.execute(select(func.pg_try_advisory_lock(key))).scalar_one())
        conn.commit()
        try:
            yield got
        finally:
            if got:
                conn.execute(select(func.pg_advisory_unlock(key)))
                conn.commit()
