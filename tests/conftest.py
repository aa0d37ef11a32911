"""Shared fixtures: the local replica of the site, crawls against it, saved pages."""

from __future__ import annotations

import io
import logging
import os
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.settings import Settings

from sxworker import config
from sxworker.archive import Archive
from sxworker.crawl import runner
from sxworker.crawl import stats as stat
from sxworker.crawl.runlog import GOOD_OUTCOMES
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


# -- crawls: in this process on the asyncio reactor; ``scrapy crawl`` where the command is the point

# The settings module ``scrapy.cfg`` names, as ``scrapy crawl`` loads it.
SETTINGS_MODULE = "sxworker.settings"
CRAWL_TIMEOUT = 180.0


def pytest_configure(config: pytest.Config) -> None:
    """Install and start the reactor the crawl's settings name (TWISTED_REACTOR) before
    anything can import twisted.internet.reactor and install another: the one the project's
    in-process crawls run on (sxworker/crawl/runner.py), once for the whole session. Its
    asyncio loop runs only while a crawl does, so tests that call asyncio.run() between
    crawls find no loop running."""
    if "twisted.internet.reactor" in sys.modules:
        raise pytest.UsageError("a Twisted reactor was installed before tests/conftest.py could install one")
    runner.reactor_loop()


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop the reactor before the interpreter exits (see sxworker/crawl/runner.py)."""
    runner.stop_reactor()


def crawl_overrides(base_url: str, db: Path | str, settings: dict[str, Any] | None = None) -> dict[str, Any]:
    """What every test crawl sets (``-s``) over the project's settings, then ``settings``.
    Files go beside a file archive (``<folder>/files``), or to a fresh temporary folder for a
    database URL: never into the working tree's data/files."""
    if "://" in str(db):
        files_store = tempfile.mkdtemp(prefix="sxworker-files-")
    else:
        files_store = str(Path(db).parent / "files")
    return {
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


def crawl_settings(base_url: str, db: Path | str, settings: dict[str, Any] | None = None) -> Settings:
    """The project's settings as ``scrapy crawl sxworker -s …`` gets them in an environment
    without SXWORKER_* variables, with :func:`crawl_overrides`.

    The settings module reads SXWORKER_* and FILES_STORE from os.environ once, when first
    imported: each of those is put back to its default here, so that a variable set where
    the tests run never reaches a test crawl."""
    result = Settings()
    result.setmodule(SETTINGS_MODULE, priority="project")
    result.update(config.from_environment({}), priority="project")
    result.update(crawl_overrides(base_url, db, settings), priority="cmdline")
    return result


@dataclass
class Crawl:
    """A finished crawl: its crawler (``crawler.stats``), its archive, and its log as
    ``scrapy crawl`` would have printed it (the records at the crawl's LOG_LEVEL)."""

    crawler: Crawler
    db: Path | str
    log: str

    @property
    def outcome(self) -> str | None:
        """The run's outcome (sxworker/crawl/runlog.py): ``scrapy crawl`` exits 0 for
        GOOD_OUTCOMES, 1 for any other."""
        return self.crawler.stats.get_value(stat.OUTCOME)

    @property
    def ok(self) -> bool:
        """What exit status 0 means: the run finished with a good outcome."""
        return self.outcome in GOOD_OUTCOMES


@contextmanager
def _captured_log(level: int | str) -> Iterator[io.StringIO]:
    """Every log record at ``level`` or above, formatted as Scrapy's root handler does. The
    records still reach the root logger's other handlers (pytest's: caplog, the report)."""
    settings = Settings()
    text = io.StringIO()
    handler = logging.StreamHandler(text)
    handler.setLevel(level)
    handler.setFormatter(logging.Formatter(settings["LOG_FORMAT"], settings["LOG_DATEFORMAT"]))
    root = logging.getLogger()
    saved = root.level
    root.addHandler(handler)
    if root.level > handler.level:
        root.setLevel(handler.level)
    try:
        yield text
    finally:
        root.removeHandler(handler)
        root.setLevel(saved)


def run_crawl(
    base_url: str,
    db: Path | str,
    *,
    settings: dict[str, Any] | None = None,
    spider: str | type[Spider] = "sxworker",
    timeout: float = CRAWL_TIMEOUT,
    **spider_args: Any,
) -> Crawl:
    """One crawl in this process, as ``scrapy crawl sxworker -a NAME=VALUE -s NAME=VALUE``
    runs it (sxworker/crawl/runner.py: Scrapy's AsyncCrawlerRunner on the asyncio reactor),
    less what the command itself adds: the exit status and its one-line errors (tests for
    those run the command, ``run_scrapy_crawl``)."""
    final = crawl_settings(base_url, db, settings)
    with _captured_log(final["LOG_LEVEL"]) as log:
        try:
            crawler = runner.run_crawl(final, spider=spider, spider_args=spider_args, timeout=timeout)
        except TimeoutError:
            pytest.fail(f"the crawl did not finish within {timeout} s")
    return Crawl(crawler, db, log.getvalue())


@pytest.fixture
def crawl(tmp_path: Path):
    """Crawl a base URL in this process into a fresh archive in tmp_path (or ``db``):
    ``crawl(base_url, start=…, end=…, db=…, NAME=value…)``, settings by their upper-case
    names; returns the finished :class:`Crawl`."""

    def _crawl(
        base_url: str,
        *,
        db: Path | str | None = None,
        start: str | None = None,
        end: str | None = None,
        **settings: Any,
    ) -> Crawl:
        spider_args = {name: value for name, value in (("start", start), ("end", end)) if value}
        return run_crawl(base_url, db or tmp_path / "archive.sqlite3", settings=settings, **spider_args)

    return _crawl


def run_scrapy_crawl(
    base_url: str, db: Path | str, *args: str, settings: dict[str, str] | None = None, timeout: int = 180
) -> subprocess.CompletedProcess[str]:
    """``scrapy crawl sxworker`` in a subprocess, for what only the command does: its exit
    status, its one-line errors, the one-crawl lock. The settings of :func:`run_crawl`
    (as ``-s``), and no SXWORKER_* variable from the tests' environment."""
    command = [sys.executable, "-m", "scrapy", "crawl", "sxworker", *args]
    for name, value in crawl_overrides(base_url, db, settings).items():
        command += ["-s", f"{name}={value}"]
    return subprocess.run(
        command,
        cwd=ROOT,
        env=clean_environment(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def clean_environment() -> dict[str, str]:
    """This process's environment without the variables the crawl's settings read."""
    return {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_") and k != "FILES_STORE"}


@pytest.fixture
def crawl_command(tmp_path: Path):
    """``scrapy crawl sxworker`` in a subprocess into a fresh archive in tmp_path (or ``db``);
    returns (process, archive path)."""

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


@pytest.fixture
def component_crawler() -> Iterator[Any]:
    """Crawlers for testing one component on its own: ``make(spidercls=None, **settings)``
    gives one with the crawl session every component reaches (the archive at SXWORKER_DB,
    opened once, and its run lock) and open stats; the sessions close after the test."""
    from scrapy.utils.test import get_crawler

    from sxworker.crawl.session import CrawlSession

    made: list[Crawler] = []

    def make(spidercls: type[Spider] | None = None, **settings: Any) -> Crawler:
        crawler = get_crawler(
            spidercls, {"EXTENSIONS": {"sxworker.crawl.session.CrawlSession": 0}, **settings}
        )
        crawler.stats.open_spider()
        made.append(crawler)
        return crawler

    yield make
    for crawler in made:
        CrawlSession.of(crawler).close()
