"""Validate → dedupe → store, each on its own, with a real crawler object and a temp archive."""

import pytest
from scrapy.exceptions import DropItem

from sxworker.archive import Archive
from sxworker.crawl.layout import LayoutWatchPipeline
from sxworker.crawl.pipelines import DedupePipeline, StorePipeline, ValidatePipeline
from sxworker.crawl.spiders.sxworker import SxworkerSpider
from sxworker.site.items import Article, FetchFailure, Issue, Page

BASE = "http://szb.sxworker.com"


def make_article(article_id="134356", **fields):
    values = {
        "article_id": article_id,
        "url": f"{BASE}/content/2016-12/05/{article_id}.html",
        "issue_date": "2016-12-05",
        "title": "标题",
        "body": "正文。",
        "page_no": 3,
    }
    values.update(fields)
    return Article(**values)


@pytest.fixture
def crawler(tmp_path, component_crawler):
    return component_crawler(SxworkerSpider, SXWORKER_DB=str(tmp_path / "a.sqlite3"), SXWORKER_BATCH_SIZE=3)


@pytest.mark.parametrize("missing", ["article_id", "issue_date", "title", "body"])
def test_validate_turns_an_article_without_a_required_field_into_its_failure(crawler, missing):
    pipeline = ValidatePipeline.from_crawler(crawler)
    item = make_article(**{missing: None})
    failure = pipeline.process_item(item)
    issue_date = None if missing == "issue_date" else "2016-12-05"
    assert failure == FetchFailure(
        url=item.url,
        kind="article",
        error=f"invalid article at {item.url}: missing {missing}",
        issue_date=issue_date,
        stage="parse",
    )
    assert crawler.stats.get_value("sxworker/invalid/article") == 1


def test_an_invalid_item_with_no_address_at_all_is_dropped(crawler):
    pipeline = ValidatePipeline.from_crawler(crawler)
    with pytest.raises(DropItem, match="missing url"):
        pipeline.process_item(make_article(url=None))
    assert crawler.stats.get_value("sxworker/invalid/article") == 1


def test_the_store_records_an_invalid_items_failure_in_the_ledger(crawler, tmp_path):
    validate, store = ValidatePipeline.from_crawler(crawler), StorePipeline.from_crawler(crawler)
    store.open_spider()
    store.process_item(validate.process_item(make_article(title=None)))
    store.close_spider()
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        assert [(row["kind"], row["error"]) for row in archive.open_failures()] == [
            ("article", f"invalid article at {BASE}/content/2016-12/05/134356.html: missing title")
        ]


def test_validate_passes_complete_items(crawler):
    pipeline = ValidatePipeline.from_crawler(crawler)
    item = make_article()
    assert pipeline.process_item(item) is item
    assert pipeline.process_item(Issue(issue_date="2016-12-05")).issue_date == "2016-12-05"


def test_dedupe_keeps_one_of_each(crawler):
    pipeline = DedupePipeline.from_crawler(crawler)
    pipeline.process_item(make_article())
    with pytest.raises(DropItem):
        pipeline.process_item(make_article(title="listed on another page"))
    pipeline.process_item(Page(issue_date="2016-12-05", url=f"{BASE}/p?page=3", page_no=3))
    with pytest.raises(DropItem):
        pipeline.process_item(Page(issue_date="2016-12-05", url=f"{BASE}/p?date=2016-12-05", page_no=3))
    pipeline.process_item(Page(issue_date="2016-12-05", url=f"{BASE}/p?page=4", page_no=4))
    assert crawler.stats.get_value("sxworker/duplicate/article") == 1
    assert crawler.stats.get_value("sxworker/duplicate/page") == 1


def test_store_writes_in_batches_and_flushes_on_close(crawler, tmp_path):
    pipeline = StorePipeline.from_crawler(crawler)
    pipeline.open_spider()
    pipeline.process_item(Issue(issue_date="2016-12-05", url=f"{BASE}/i"))
    pipeline.process_item(make_article("000001"))
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        assert archive.counts()["articles"] == 0  # still in the batch
    pipeline.process_item(make_article("000002"))  # third item fills the batch of 3
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        assert archive.counts()["articles"] == 2
    pipeline.process_item(make_article("000003"))
    pipeline.close_spider()
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        assert archive.counts() == {
            "issues": 1,
            "pages": 0,
            "articles": 3,
            "first_issue": "2016-12-05",
            "last_issue": "2016-12-05",
        }
    assert crawler.stats.get_value("sxworker/articles/new") == 3


def test_the_store_withholds_what_is_pending_once_the_layout_alarm_fires(crawler, tmp_path, monkeypatch):
    watch = LayoutWatchPipeline(crawler)
    # In a crawl the store finds the watch through Scrapy's Crawler.get_item_pipeline.
    monkeypatch.setattr(
        crawler, "get_item_pipeline", lambda cls: watch if cls is LayoutWatchPipeline else None
    )
    store = StorePipeline.from_crawler(crawler)
    store.open_spider()
    store.process_item(Issue(issue_date="2016-12-05", url=f"{BASE}/i"))
    store.process_item(make_article("000001"))
    watch.alarm = "layout change suspected after 30 articles"
    store.close_spider()
    with Archive.open_readonly(str(tmp_path / "a.sqlite3")) as archive:
        assert (archive.counts()["issues"], archive.counts()["articles"]) == (1, 0)
    assert crawler.stats.get_value("sxworker/articles/withheld") == 1
