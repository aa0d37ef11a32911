"""Batched archive writes: a passing refusal keeps the rows, a bad row costs only itself."""

from __future__ import annotations

import pytest
from scrapy.utils.test import get_crawler
from sqlalchemy.exc import IntegrityError, OperationalError

from sxworker.crawl import batches
from sxworker.crawl.batches import PatientWriter
from sxworker.crawl.stats import STORE_REFUSED as REFUSED_STAT
from sxworker.crawl.stats import STORE_UNSAVED as UNSAVED_STAT

LOCKED = OperationalError("INSERT …", {}, Exception("database is locked"))
BAD_ROW = IntegrityError("INSERT …", {}, Exception("NOT NULL constraint failed: articles.title"))


@pytest.fixture
def stats():
    crawler = get_crawler()
    crawler.stats.open_spider()
    return crawler.stats


def test_a_locked_archive_keeps_the_batch_and_waits_before_the_next_try(stats):
    writer, kept = PatientWriter(stats, "items"), []

    def locked(batch):
        raise LOCKED

    batch = {"article": [{"url": "a"}, {"url": "b"}]}
    assert writer.write(batch, locked, kept.append) is False
    assert kept == [batch]
    assert not writer.due()  # not at every item: each try can block for the busy timeout
    assert stats.get_value("sxworker/store/deferred") == 1


def test_a_row_the_archive_refuses_costs_only_itself(stats):
    written = []

    def write(batch):
        rows = [row for rows in batch.values() for row in rows]
        if any(row["url"] == "bad" for row in rows):
            raise BAD_ROW
        written.extend(rows)

    batch = {"page": [{"url": "p"}], "article": [{"url": "a"}, {"url": "bad"}, {"url": "b"}]}
    assert PatientWriter(stats, "items").write(batch, write, pytest.fail) is True
    assert [row["url"] for row in written] == ["p", "a", "b"]
    assert stats.get_value(REFUSED_STAT) == 1


def test_what_cannot_be_written_by_the_end_is_counted(stats, monkeypatch):
    monkeypatch.setattr(batches.time, "sleep", lambda _seconds: None)
    tries = []

    def flush():
        tries.append(1)
        return False

    PatientWriter(stats, "items").close(flush, lambda: 7)
    assert len(tries) == 3
    assert stats.get_value(UNSAVED_STAT) == 7
