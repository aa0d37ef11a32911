"""``sxworker templates`` (one row per template fingerprint: counts, span, fill rates,
common values, an example) and the layout alarm's per-template norms. Both backends where
``db_target`` runs."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.crawl.stats import LAYOUT_ALARM as LAYOUT_ALARM_STAT
from sxworker.research.cli import main
from sxworker.site.items import Article
from tests.archive.test_archive import BASE, article
from tests.archive.test_ledger import _watch

DAY = "2016-12-05"
EVIDENCE = {"title": {"how": ["role title (font#main-title)"]}}


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# -- sxworker templates ----------------------------------------------------------------------


def _fill_templates(archive: Archive) -> None:
    rows = []
    # Template T, 12 articles of 2016: the same "author" on 8 of them (a misread line).
    for number in range(12):
        rows.append(
            article(
                f"{100 + number}",
                f"2016-12-{5 + number % 3:02d}",
                template="t" * 12,
                author="责任编辑" if number < 8 else f"作者{number}",
                kicker="引题" if number < 3 else None,
                subtitle=None,
                images=[] if number % 2 else [{"url": f"{BASE}/pic/{number}.jpg", "caption": None}],
                page_name=None if number == 0 else "要闻",
                evidence=EVIDENCE,
            )
        )
    # Template U, 3 articles of 2020, one author on all: too few to be judged.
    for number in range(3):
        rows.append(
            article(f"{200 + number}", "2020-01-02", template="u" * 12, author="本报记者", page_no=None)
        )
    # Two articles stored before templates were recorded.
    rows.append(article("300", "1985-11-15", author=None, subtitle="副题"))
    rows.append(article("301", "1985-11-16", author="李颖", subtitle="副题"))
    archive.store_articles(rows)


def _templates(db: str, *args: str) -> list[dict]:
    result = run("templates", "--db", db, "--json", *args)
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


FULL = {"title": 1.0, "body": 1.0, "page_no": 1.0, "page_label": 1.0, "page_image_url": 1.0}


def test_templates_json(archive, db_target):
    _fill_templates(archive)
    u, t, unknown = _templates(db_target)  # newest first
    assert t == {
        "template": "tttttttttttt",
        "articles": 12,
        "first_date": "2016-12-05",
        "last_date": "2016-12-07",
        "fill_rates": {
            **FULL,
            "kicker": 0.25,
            "subtitle": 0.0,
            "author": 1.0,
            "images": 0.5,
            "page_name": 0.9167,
        },
        "common_values": {
            "author": {"value": "责任编辑", "share": 0.6667},
            "kicker": {"value": "引题", "share": 0.25},
            "subtitle": None,
        },
        "suspicious": ["author"],
        "example_url": f"{BASE}/content/2016-12/07/111.html",  # one of its newest
    }
    assert u["template"] == "uuuuuuuuuuuu" and u["articles"] == 3
    assert u["common_values"]["author"] == {"value": "本报记者", "share": 1.0}
    assert u["fill_rates"]["page_no"] == 0.0
    assert u["suspicious"] == []  # 3 articles: no pattern yet
    assert unknown == {
        "template": None,
        "articles": 2,
        "first_date": "1985-11-15",
        "last_date": "1985-11-16",
        "fill_rates": {
            **FULL,
            "kicker": 0.0,
            "subtitle": 1.0,
            "author": 0.5,
            "images": 1.0,
            "page_name": 1.0,
        },
        "common_values": {
            "author": {"value": "李颖", "share": 0.5},
            "kicker": None,
            "subtitle": {"value": "副题", "share": 1.0},
        },
        "suspicious": [],
        "example_url": f"{BASE}/content/1985-11/16/301.html",
    }
    assert list(t) == [
        "template",
        "articles",
        "first_date",
        "last_date",
        "fill_rates",
        "common_values",
        "suspicious",
        "example_url",
    ]


def test_templates_newest_first_or_by_articles(archive, db_target):
    _fill_templates(archive)
    assert [row["template"] for row in _templates(db_target)] == ["uuuuuuuuuuuu", "tttttttttttt", None]
    by_count = _templates(db_target, "--sort", "articles")
    assert [row["template"] for row in by_count] == ["tttttttttttt", "uuuuuuuuuuuu", None]


def test_templates_table(archive, db_target):
    _fill_templates(archive)
    result = run("templates", "--db", db_target)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    t_row = next(line for line in lines if line.startswith("│ tttttttttttt") and "2016-12-05" in line)
    assert [cell.strip() for cell in t_row.strip("│").split("│")] == [
        "tttttttttttt",
        "12",
        "2016-12-05",
        "2016-12-07",
        "25%",
        "100%",
        "0%",
        "100%",
        "100%",
        "50%",
        "100%",
        "100%",
        "92%",
        "100%",
    ]
    assert "⚠ 责任编辑 (67%)" in result.stdout
    assert "本报记者 (100%)" in result.stdout and "⚠ 本报记者" not in result.stdout
    assert any(line.startswith("│ unknown") for line in lines)


def test_an_archive_made_before_templates_is_one_unknown_group(archive, db_target):
    archive.store_articles(
        [article("1"), article("2", author="张三"), article("3", "2016-12-06", author="张三")]
    )
    (row,) = _templates(db_target)
    assert (row["template"], row["articles"], row["suspicious"]) == (None, 3, [])
    assert (row["first_date"], row["last_date"]) == ("2016-12-05", "2016-12-06")
    assert row["common_values"]["author"] == {"value": "张三", "share": 0.6667}


def test_a_tie_goes_to_the_smallest_value_in_code_point_order(archive, db_target):
    # Two each of "b", "B" and "张三" (a locale's order would put "b" first), one "A".
    authors = ["b", "张三", "B", "A", "b", "B", "张三"]
    archive.store_articles(
        [article(str(number), template="t" * 12, author=author) for number, author in enumerate(authors)]
    )
    (row,) = _templates(db_target)
    assert row["common_values"]["author"] == {"value": "B", "share": 0.2857}
    assert row["common_values"]["kicker"] is None


def test_templates_of_an_empty_archive_is_a_message(archive, db_target):
    for args in ((), ("--json",)):
        result = run("templates", "--db", db_target, *args)
        assert result.exit_code == 0
        assert result.stdout == ""
        assert result.stderr == "sxworker: the archive holds no articles\n"


def test_templates_of_a_missing_archive_is_one_line(tmp_path):
    missing = tmp_path / "none.sqlite3"
    result = run("templates", "--db", str(missing))
    assert result.exit_code == 2
    assert result.stderr == f"sxworker: error: no archive at {missing}\n"
    assert not missing.exists()


def test_templates_refuses_a_bad_sort(tmp_path):
    result = run("templates", "--db", str(tmp_path / "a.sqlite3"), "--sort", "oldest")
    assert result.exit_code == 2
    assert "'oldest' is not one of 'newest', 'articles'" in result.stderr


# -- the layout alarm's per-template norms -------------------------------------------------


def _item(article_id: str, template: str | None, **fields) -> Article:
    row = article(article_id, DAY, template=template, **fields)
    return Article(**{k: v for k, v in row.items() if k in Article.__dataclass_fields__})


def _feed(watch, items) -> None:
    async def feed() -> None:
        for item in items:
            watch.process_item(item)
        await asyncio.sleep(0)  # the engine's close is scheduled, not awaited, by the watch

    asyncio.run(feed())


REQUIRED_NORMS = {"title": 1.0, "body": 1.0, "issue_date": 1.0}


@pytest.fixture
def two_templates(tmp_path):
    """2016: template T (120 articles) prints page numbers, template U (200) does not —
    so the year's page_no norm (120/320) is too low to watch."""
    db = str(tmp_path / "archive.sqlite3")
    with Archive.open(db) as archive:
        archive.store_articles([article(str(i), DAY, template="T") for i in range(1, 121)])
        archive.store_articles([article(str(i), DAY, template="U", page_no=None) for i in range(200, 400)])
    return db


def test_a_template_with_enough_articles_is_judged_by_its_own_norm(two_templates, component_crawler):
    crawler, watch = _watch(component_crawler, two_templates, SXWORKER_ALARM_MIN_ARTICLES=10)
    assert watch.norms_by_year == {"2016": REQUIRED_NORMS}
    assert watch.norms_by_template == {"T": {**REQUIRED_NORMS, "page_no": 1.0}, "U": REQUIRED_NORMS}

    _feed(watch, [_item(str(i), "T", page_no=None) for i in range(1000, 1010)])

    alarm = crawler.stats.get_value(LAYOUT_ALARM_STAT)
    assert alarm.startswith("layout change suspected after 10 articles: fill rate of page_no 0% (norm 100%)")
    assert crawler.engine.closed_with == "layout_changed"


def test_unknown_templates_fall_back_to_the_year(two_templates, component_crawler):
    crawler, watch = _watch(component_crawler, two_templates, SXWORKER_ALARM_MIN_ARTICLES=10)
    # A template the archive never saw, none recorded, and U (which has no page numbers).
    items = [
        _item(str(i), template, page_no=None) for i, template in enumerate(["new", None, "U"] * 10, 1000)
    ]
    _feed(watch, items)
    assert crawler.stats.get_value(LAYOUT_ALARM_STAT) is None
    assert crawler.engine.closed_with is None


def test_a_template_with_few_articles_is_judged_by_its_year(tmp_path, component_crawler):
    db = str(tmp_path / "archive.sqlite3")
    with Archive.open(db) as archive:
        # 150 articles with page numbers (stored before templates), 50 of template S without.
        archive.store_articles([article(str(i), DAY) for i in range(1, 151)])
        archive.store_articles([article(str(i), DAY, template="S", page_no=None) for i in range(200, 250)])
    crawler, watch = _watch(component_crawler, db, SXWORKER_ALARM_MIN_ARTICLES=10)
    assert watch.norms_by_template == {}  # S rests on 50 articles: not trusted yet

    _feed(watch, [_item(str(i), "S", page_no=None) for i in range(1000, 1010)])

    alarm = crawler.stats.get_value(LAYOUT_ALARM_STAT)
    assert alarm.startswith("layout change suspected after 10 articles: fill rate of page_no 0% (norm 75%)")
