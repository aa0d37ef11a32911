"""The archive module: upserts, versions, read-only access — on a temporary SQLite file and,
when a test server is configured (SXWORKER_TEST_PG_URL), on PostgreSQL (fixture ``db_target``)."""

import json
import sqlite3

import pytest

from sxworker.archive import EXPORT_FIELDS, Archive, ArchiveError

BASE = "http://szb.sxworker.com"


def article(article_id="134356", issue_date="2016-12-05", **fields):
    row = {
        "article_id": article_id,
        "url": f"{BASE}/content/{issue_date[:7]}/{issue_date[8:]}/{article_id}.html",
        "issue_date": issue_date,
        "page_no": 3,
        "page_label": "3",
        "page_name": "维权·言论",
        "page_image_url": f"{BASE}/Img/2016/12/2016120503-1.jpg",
        "kicker": None,
        "title": "发挥党员作用 勇于担当作为",
        "subtitle": None,
        "author": "李颖",
        "body": "第一段。\n第二段。",
        "images": [{"url": f"{BASE}/pic/1.jpg", "caption": "图为现场"}],
    }
    row.update(fields)
    return row


@pytest.fixture
def archive(db_target):
    with Archive.open(db_target) as opened:
        yield opened


def test_schema_is_created_on_first_use_in_wal_mode(tmp_path):
    path = tmp_path / "new" / "archive.sqlite3"
    Archive.open(str(path)).close()
    connection = sqlite3.connect(path)
    tables = {name for (name,) in connection.execute("select name from sqlite_master where type='table'")}
    assert {"issues", "pages", "articles", "article_versions", "sxworker_meta"} <= tables
    assert connection.execute("pragma journal_mode").fetchone() == ("wal",)


def test_new_changed_and_unchanged_articles(archive):
    assert archive.store_articles([article(), article("134357")]).new == 2
    result = archive.store_articles([article(), article("134357", body="改过的正文。")])
    assert (result.new, result.changed, result.unchanged) == (0, 1, 1)
    records = {r["article_id"]: r for r in archive.iter_export()}
    assert records["134356"]["version"] == 1
    assert records["134357"]["version"] == 2
    assert records["134357"]["body"] == "改过的正文。"
    with archive.engine.connect() as conn:
        old = conn.exec_driver_sql("select version, body from article_versions").fetchall()
    assert old == [(1, "第一段。\n第二段。")]


def test_a_missing_page_field_never_erases_a_stored_one(archive):
    archive.store_articles([article()])
    archive.store_articles([article(page_name=None, page_image_url=None, page_no=None)])
    (record,) = list(archive.iter_export())
    assert (record["page_no"], record["page_name"]) == (3, "维权·言论")
    assert record["page_image_url"] == f"{BASE}/Img/2016/12/2016120503-1.jpg"


def test_a_refetch_without_byline_or_pictures_never_blanks_them(archive):
    archive.store_articles([article(kicker="引题")])
    bare = {"kicker": None, "author": None, "images": []}
    assert archive.store_articles([article(**bare)]).unchanged == 1
    result = archive.store_articles([article(**bare, body="改过的正文。")])
    assert result.changed == 1
    (record,) = list(archive.iter_export())
    assert [record[k] for k in ("version", "body", "kicker", "author")] == [2, "改过的正文。", "引题", "李颖"]
    assert record["images"] == [{"url": f"{BASE}/pic/1.jpg", "caption": "图为现场"}]
    assert archive.store_articles([article(**bare, body="改过的正文。")]).unchanged == 1  # no churn
    assert archive.store_articles([article(author="张三", body="改过的正文。")]).changed == 1


def test_the_same_text_under_another_host_is_not_a_new_version(archive):
    archive.store_articles([article()])
    moved = article(
        url="https://mirror.example/content/2016-12/05/134356.html",
        images=[{"url": "https://mirror.example/pic/1.jpg", "caption": "图为现场"}],
    )
    assert archive.store_articles([moved]).unchanged == 1


def test_equal_ids_on_different_dates_are_different_articles(archive):
    archive.store_articles([article("088530", "1992-12-08"), article("088530", "2016-12-05")])
    assert [r["issue_date"] for r in archive.articles_by_id("088530")] == ["1992-12-08", "2016-12-05"]


def test_export_order_and_fields(archive):
    archive.store_articles(
        [
            article("000003", "2016-12-05", page_no=None),
            article("000002", "2016-12-05", page_no=2),
            article("000001", "2016-12-05", page_no=2),
            article("000009", "1985-11-15", page_no=4),
        ]
    )
    records = list(archive.iter_export())
    assert [r["article_id"] for r in records] == ["000009", "000001", "000002", "000003"]
    assert tuple(records[0]) == EXPORT_FIELDS
    assert records[0]["images"] == [{"url": f"{BASE}/pic/1.jpg", "caption": "图为现场"}]
    assert records[0]["files"] == []
    assert [r["article_id"] for r in archive.iter_export(since="2000-01-01", until="2016-12-05")] == [
        "000001",
        "000002",
        "000003",
    ]


def test_issues_and_pages_upsert_without_losing_values(archive):
    archive.store_issues([{"issue_date": "2016-12-05", "url": f"{BASE}/i", "page_count": 3}])
    archive.store_issues([{"issue_date": "2016-12-05", "url": f"{BASE}/i", "page_count": None}])
    page = {
        "issue_date": "2016-12-05",
        "url": f"{BASE}/p3",
        "page_no": 3,
        "page_name": "维权·言论",
        "scan_url": f"{BASE}/Img/2016/12/2016120503-1.jpg",
    }
    archive.store_pages([page])
    archive.store_pages([{**page, "page_name": None, "scan_url": None}])
    assert [(i["issue_date"], i["page_count"]) for i in archive.issue_rows()] == [("2016-12-05", 3)]
    (stored,) = archive.page_rows()
    assert (stored["page_name"], stored["scan_url"]) == ("维权·言论", f"{BASE}/Img/2016/12/2016120503-1.jpg")


def test_readonly_open_of_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no archive at"):
        Archive.open_readonly(str(tmp_path / "missing.sqlite3"))
    assert not (tmp_path / "missing.sqlite3").exists()


def test_readonly_open_of_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(ArchiveError, match="not an sxworker archive"):
        Archive.open_readonly(str(path))


def test_readonly_archive_refuses_writes(db_target):
    Archive.open(db_target).close()
    with Archive.open_readonly(db_target) as reader, pytest.raises(Exception, match=r"readonly|read-only"):
        reader.store_articles([article()])


def test_archive_from_a_newer_sxworker_is_refused(tmp_path):
    path = tmp_path / "a.sqlite3"
    Archive.open(str(path)).close()
    with sqlite3.connect(path) as connection:
        connection.execute("update sxworker_meta set value = '999' where key = 'schema_version'")
    with pytest.raises(ArchiveError, match="newer than this sxworker"):
        Archive.open_readonly(str(path))


def test_images_are_stored_as_json_text(archive, tmp_path):
    archive.store_articles([article()])
    with archive.engine.connect() as conn:
        (images,) = conn.exec_driver_sql("select images from articles").one()
    assert json.loads(images) == [{"url": f"{BASE}/pic/1.jpg", "caption": "图为现场"}]
    assert "图为现场" in images  # Chinese stored as characters, not \\u escapes


def test_articles_take_missing_page_facts_from_their_page(archive):
    archive.store_pages(
        [
            {
                "issue_date": "2010-07-06",
                "url": f"{BASE}/bm.aspx?ban=A2",
                "page_no": 2,
                "page_label": "A2",
                "page_name": None,
                "scan_url": f"{BASE}/Img/2010/07/2010070602-1.jpg",
            }
        ]
    )
    archive.store_articles(
        [
            article("310611", "2010-07-06", page_no=2, page_label="A2", page_name=None, page_image_url=None),
            article(
                "310612", "2010-07-06", page_no=None, page_label=None, page_name=None, page_image_url=None
            ),
        ]
    )
    assert archive.fill_page_facts(["2010-07-06"]) == 1
    first, second = archive.iter_export()
    assert first["page_image_url"] == f"{BASE}/Img/2010/07/2010070602-1.jpg"
    assert first["page_url"] == f"{BASE}/bm.aspx?ban=A2"
    assert second["page_image_url"] is None
