"""Shared fixtures: the local replica of the site, crawls against it, saved pages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

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
    """``scrapy crawl sxworker`` in a subprocess (Twisted's reactor runs once per process)."""
    command = [sys.executable, "-m", "scrapy", "crawl", "sxworker", *args]
    merged = {
        "SXWORKER_BASE_URL": base_url,
        "SXWORKER_DB": str(db),
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "LOG_LEVEL": "INFO",
        **(settings or {}),
    }
    for name, value in merged.items():
        command += ["-s", f"{name}={value}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SXWORKER_")}
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
