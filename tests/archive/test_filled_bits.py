"""Revision 0009's ``articles.filled``: each article's filled fields as bits, kept by the
archive after every write (new, unchanged, changed, page facts filled in), set for the rows
stored before it by the migration, and the index ``sxworker templates`` reads instead of the
rows. Both backends where ``db_target`` runs."""

from __future__ import annotations

from sqlalchemy import select, text

from sxworker.archive import Archive, database_url, migrate
from sxworker.archive.engines import writable_engine
from sxworker.archive.schema import articles
from sxworker.archive.templates import FILLED, TEMPLATE_FIELDS
from tests.archive.test_archive import BASE, article
from tests.archive.test_scale_indexes import _run

DAY = "2010-07-06"


def _bits(*names: str) -> int:
    return sum(1 << TEMPLATE_FIELDS.index(name) for name in names)


PAGE = ("page_no", "page_label", "page_name", "page_image_url")
# What tests.archive.test_archive.article fills by default.
DEFAULT = _bits("title", "author", "body", "images", *PAGE)


def _stored_bits(archive: Archive) -> dict[str, int]:
    """article_id → the stored bits, after checking every row's against the rule."""
    with archive.engine.connect() as conn:
        rows = conn.execute(select(articles.c.article_id, articles.c.filled, FILLED.label("rule"))).all()
    assert [row.article_id for row in rows if row.filled != row.rule] == []
    return {row.article_id: row.filled for row in rows}


def test_every_write_leaves_the_bits_of_the_row_as_stored(archive):
    archive.store_articles(
        [
            article("1", DAY),
            article("2", DAY, kicker="引题", subtitle="副题", author="", images=[], page_name=None),
            article("3", DAY, page_no=2, page_label="A2", page_name=None, page_image_url=None),
        ]
    )
    assert _stored_bits(archive) == {
        "1": DEFAULT,
        "2": _bits("kicker", "title", "subtitle", "body", "page_no", "page_label", "page_image_url"),
        "3": _bits("title", "author", "body", "images", "page_no", "page_label"),
    }

    # Seen again without its byline, pictures or page name: the stored values stay, so do
    # their bits; a changed text with a kicker gains one.
    archive.store_articles(
        [
            article("1", DAY, author=None, images=[], page_name=None),
            article("2", DAY, kicker="引题", subtitle="副题", author="", images=[], body="新的正文。"),
        ]
    )
    bits = _stored_bits(archive)
    assert bits["1"] == DEFAULT
    assert bits["2"] == _bits("kicker", "title", "subtitle", "body", *PAGE)

    # The page's scan given to the article its own view showed without one.
    archive.store_pages(
        [{"issue_date": DAY, "url": f"{BASE}/bm.aspx?ban=A2", "page_no": 2, "page_label": "A2",
          "page_name": "要闻", "scan_url": f"{BASE}/Img/2010/07/2010070602-1.jpg"}]
    )  # fmt: skip
    archive.fill_page_facts([DAY])
    assert _stored_bits(archive)["3"] == DEFAULT


def test_the_templates_fill_rates_are_the_bits_counted(archive):
    archive.store_articles(
        [
            article("1", DAY, template="t" * 12),
            article("2", DAY, template="t" * 12, author=None, images=[], page_name=""),
            article("3", "2011-01-01", template="u" * 12, kicker="引题"),
        ]
    )
    t, u = sorted(archive.templates(), key=lambda summary: summary["template"])
    assert (t["articles"], t["first_date"], t["last_date"]) == (2, DAY, DAY)
    assert t["fill_rates"] == {
        "kicker": 0.0, "title": 1.0, "subtitle": 0.0, "author": 0.5, "body": 1.0, "images": 0.5,
        "page_no": 1.0, "page_label": 1.0, "page_name": 0.5, "page_image_url": 1.0,
    }  # fmt: skip
    assert t["example_url"] == f"{BASE}/content/2010-07/06/2.html"
    assert u["fill_rates"]["kicker"] == 1.0 and u["example_url"].endswith("/2011-01/01/3.html")


def test_the_templates_are_counted_from_the_index_alone(tmp_path):
    target = str(tmp_path / "a.sqlite3")
    with Archive.open(target) as archive:
        archive.store_articles([article("1", DAY, template="t" * 12)])
    with Archive.open_readonly(target) as reader:
        plans = _run(reader, lambda a: a.templates())
    (plan,) = [p for p in plans if "ix_articles_template_filled" in p]
    assert "COVERING INDEX" in plan and "TEMP B-TREE" not in plan, plans


def test_the_upgrade_sets_the_bits_of_the_rows_stored_before_it(db_target):
    engine = writable_engine(database_url(db_target))  # sxworker's SQL functions registered
    migrate.upgrade(engine, "0008")
    rows = [
        {"article_id": "1", "url": "u1", "kicker": None, "subtitle": "副题", "author": "李颖", "images": "[]",
         "page_no": 3, "page_label": "", "page_name": "头版", "page_image_url": None},
        {"article_id": "2", "url": "u2", "kicker": "引题", "subtitle": "", "author": None,
         "images": '[{"url": "x"}]', "page_no": None, "page_label": "A3", "page_name": None,
         "page_image_url": f"{BASE}/a.jpg"},
    ]  # fmt: skip
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO articles (article_id, url, issue_date, kicker, title, subtitle, author, body,"
                " images, page_no, page_label, page_name, page_image_url, content_hash, version,"
                " first_seen, last_seen) VALUES (:article_id, :url, '2010-07-06', :kicker,"
                " '标题', :subtitle, :author, '正文', :images, :page_no, :page_label, :page_name,"
                " :page_image_url, 'x', 1, '2020-01-01T00:00:00Z', '2020-01-01T00:00:00Z')"
            ),
            rows,
        )
    engine.dispose()
    with Archive.open(db_target) as archive:
        assert _stored_bits(archive) == {
            "1": _bits("title", "subtitle", "author", "body", "page_no", "page_name"),
            "2": _bits("kicker", "title", "body", "images", "page_label", "page_image_url"),
        }
