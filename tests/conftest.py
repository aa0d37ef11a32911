"""Shared fixtures: the local replica of the site, crawls against it, saved pages."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from sxworker.archive import Archive
from sxworker.replica import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SITE = "http://szb.sxworker.com"


def fixture_bytes(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(scope="session")
def replica() -> Iterator[ReplicaServer]:
    with ReplicaServer() as server:
        yield server


def run_scrapy_crawl(
    base_url: str, db: Path, *args: str, settings: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl sxworker`` in a subprocess (Twisted's reactor runs once per process).

    Files go beside a file archive (``<folder>/files``), or to a fresh temporary folder for
    a database URL: never into the working tree's data/files."""
    command = [sys.executable, "-m", "scrapy", "crawl", "sxworker", *args]
    if "://" in str(db):
        files_store = tempfile.mkdtemp(prefix="sxworker-files-")
    else:
        files_store = str(Path(db).parent / "files")
    merged = {
        "SXWORKER_BASE_URL": base_url,
        "SXWORKER_DB": str(db),
        "FILES_STORE": files_store,
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        # Retries still back off, but in tens of milliseconds, not seconds.
        "SXWORKER_RETRY_BACKOFF_BASE": "0.02",
        "SXWORKER_RETRY_BACKOFF_MAX": "0.2",
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_") and k != "FILES_STORE"}
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture
def crawl(tmp_path: Path):
    """Crawl a base URL into a fresh archive in tmp_path; returns (process, archive path)."""

    def _crawl(base_url: str, *args: str, db: Path | None = None, **settings: str):
        target = db or tmp_path / "archive.sqlite3"
        process = run_scrapy_crawl(base_url, target, *args, settings=settings)
        return process, target

    return _crawl


# -- archive backends: SQLite always, PostgreSQL when SXWORKER_TEST_PG_URL names a server ----

PG_URL_VARIABLE = "SXWORKER_TEST_PG_URL"


def postgres_url_or_skip() -> str:
    """The test server's URL; skips without one, except in CI, which must test PostgreSQL."""
    url = os.environ.get(PG_URL_VARIABLE)
    if url:
        return url
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {PG_URL_VARIABLE} is not: .ci/setup-postgres.sh did not run")
    pytest.skip(f"PostgreSQL tests need {PG_URL_VARIABLE} (see .ci/setup-postgres.sh)")


@contextmanager
def postgres_schema(base_url: str) -> Iterator[str]:
    """A fresh, uniquely named schema on the test server, dropped afterwards: yields a URL
    whose connections use it (search_path), so each test sees an empty database."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    name = f"sxworker_t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(base_url)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    url = make_url(base_url).update_query_dict({"options": f"-csearch_path={name}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql("SET LOCAL lock_timeout = '20s'")
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_target(request, tmp_path: Path) -> Iterator[str]:
    """Where a test archive goes, once per backend: an SQLite file path (in a folder that
    does not exist yet) or a PostgreSQL URL of an empty schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "sub" / "archive.sqlite3")
    else:
        with postgres_schema(postgres_url_or_skip()) as url:
            yield url


@pytest.fixture
def archive(db_target: str) -> Iterator[Archive]:
    """An archive opened for writing, once per backend."""
    with Archive.open(db_target) as opened:
        yield opened
