"""The researcher's commands: search, show, stats and export with its data card."""

from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.research.cli import main
from tests.archive.test_archive import article


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_issues([{"issue_date": "1985-11-15", "page_count": 4}, {"issue_date": "2016-12-05"}])
        archive.store_pages([{"issue_date": "2016-12-05", "url": "http://x/p3", "page_no": 3}])
        archive.store_articles(
            [
                article(
                    "134356",
                    "2016-12-05",
                    title="发挥党员作用 勇于担当作为",
                    body="党的十八大以来,工会工作。",
                ),
                article(
                    "134357",
                    "2016-12-05",
                    title="延迟退休年龄应由劳动者说了算",
                    body="弹性退休。",
                    author=None,
                ),
                article(
                    "038852",
                    "1985-11-15",
                    title="一封写给天车司机的信",
                    body="安全生产,人人有责。",
                    page_no=4,
                    page_name=None,
                ),
                article(
                    "088530",
                    "1992-12-08",
                    title="企业转换经营机制中的工会",
                    body="工会的作用更加重要了。",
                    page_name="工会工作",
                ),
                article("088530", "2016-12-05", title="同号不同日的另一篇", body="另一篇文章。"),
            ]
        )
    return path


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ("工会", {"134356", "088530"}),  # two characters
        ("党", {"134356"}),  # one character
        ("人人有责", {"038852"}),  # four characters
        ("工会 党", {"134356"}),  # every term must match
        ("天车 司机", {"038852"}),
    ],
)
def test_search_finds_short_chinese_terms(archive_path, query, ids):
    result = run("search", query, "--db", str(archive_path), "--json")
    assert result.exit_code == 0
    hits = [json.loads(line) for line in result.output.splitlines()]
    assert {hit["article_id"] for hit in hits} == ids
    assert {"article_id", "issue_date", "page_no", "title"} <= set(hits[0])


def test_search_ranks_title_hits_first_and_filters_by_date(archive_path):
    hits = [
        json.loads(line)
        for line in run("search", "工会", "--db", str(archive_path), "--json").output.splitlines()
    ]
    assert hits[0]["article_id"] == "088530"  # 工会 in the title beats 工会 in the body
    result = run("search", "工会", "--db", str(archive_path), "--json", "--since", "2000-01-01")
    assert [json.loads(line)["article_id"] for line in result.output.splitlines()] == ["134356"]


@pytest.mark.parametrize("query", ['"工会', "工会*", "AND", "(党)", "工会 OR", "，。！", "NEAR(工 会)", "'"])
def test_search_syntax_is_never_an_error(archive_path, query):
    result = run("search", query, "--db", str(archive_path))
    assert result.exit_code == 0


def test_search_with_no_hit_says_so(archive_path):
    result = run("search", "火箭", "--db", str(archive_path))
    assert result.exit_code == 0
    assert "no articles match '火箭'" in result.output


def test_search_table_for_people(archive_path):
    result = run("search", "工会", "--db", str(archive_path))
    assert "企业转换经营机制中的工会" in result.output and "2 articles matching" in result.output


def test_show_one_article_in_full(archive_path):
    result = run("show", "134356", "--db", str(archive_path), "--json")
    record = json.loads(result.output)
    assert record["title"] == "发挥党员作用 勇于担当作为"
    assert record["body"] == "党的十八大以来,工会工作。"
    assert record["version"] == 1
    table = run("show", "134356", "--db", str(archive_path))
    assert "发挥党员作用 勇于担当作为" in table.output and "2016-12-05" in table.output


def test_show_a_recurring_id_needs_a_date(archive_path):
    result = run("show", "088530", "--db", str(archive_path))
    assert result.exit_code == 2
    assert (
        result.output.strip()
        == "sxworker: error: article id 088530 occurs on 1992-12-08, 2016-12-05; add --date"
    )
    dated = run("show", "1992-12-08/088530", "--db", str(archive_path), "--json")
    assert json.loads(dated.output)["title"] == "企业转换经营机制中的工会"


def test_show_unknown_article_is_exit_2(archive_path):
    result = run("show", "999999", "--db", str(archive_path))
    assert result.exit_code == 2
    assert result.output.strip() == "sxworker: error: no article 999999 in the archive"


def test_stats(archive_path):
    result = run("stats", "--db", str(archive_path), "--json")
    stats = json.loads(result.output)
    assert (stats["issues"], stats["pages"], stats["articles"]) == (2, 1, 5)
    assert (stats["first_issue"], stats["last_issue"]) == ("1985-11-15", "2016-12-05")
    assert stats["per_year"] == [
        {"year": "1985", "issues": 1, "articles": 1},
        {"year": "1992", "issues": 0, "articles": 1},
        {"year": "2016", "issues": 1, "articles": 3},
    ]
    # 1985-11-15 lists 4 pages and none is stored.
    assert stats["gaps"] == [
        {
            "issue_date": "1985-11-15",
            "pages_listed": 4,
            "pages_stored": 0,
            "pages_without_articles": 0,
            "articles_listed": 0,
            "articles_missing": 0,
            "missing_article_ids": [],
            "pages_missing_articles": [],
            "open_failures": 0,
        }
    ]
    table = run("stats", "--db", str(archive_path))
    assert "incomplete issues" in table.output and "1985-11-15" in table.output


def test_export_to_a_file_writes_checksum_and_data_card(archive_path, tmp_path):
    out = tmp_path / "exports" / "articles.jsonl"
    result = run("export", "--db", str(archive_path), "-o", str(out), "--page-name", "维权·言论")
    assert result.exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["article_id"] for r in records] == ["088530", "134356", "134357"]
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    assert (tmp_path / "exports" / "articles.jsonl.sha256").read_text() == f"{digest}  articles.jsonl\n"
    card = (tmp_path / "exports" / "articles.jsonl.md").read_text(encoding="utf-8")
    assert "| articles | 3 |" in card
    assert "page name 维权·言论" in card
    assert "| `body` |" in card and "## How to cite" in card and digest in card


@pytest.mark.parametrize("command", [["search", "工会"], ["show", "1"], ["stats"]])
def test_missing_archive_is_one_line_exit_2(tmp_path, command):
    result = run(*command, "--db", str(tmp_path / "none.sqlite3"))
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and "no archive at" in result.output


def test_reading_never_changes_the_archive(archive_path):
    before = archive_path.read_bytes()
    for command in (["search", "工会"], ["show", "134356"], ["stats"], ["export"]):
        run(*command, "--db", str(archive_path))
    assert archive_path.read_bytes() == before


def test_phrases_do_not_cross_punctuation_and_bigrams_find_inner_pairs(tmp_path):
    path = tmp_path / "b.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles(
            [
                article("000001", title="甲", body="工会,代表大会召开。"),
                article("000002", title="乙", body="职工代表大会召开。"),
            ]
        )
        assert [h.article_id for h in archive.search("代表大会").hits] == ["000002", "000001"] or {
            h.article_id for h in archive.search("代表大会").hits
        } == {"000001", "000002"}
        assert [h.article_id for h in archive.search("工代表").hits] == ["000002"]
        assert [h.article_id for h in archive.search("会代").hits] == []  # 工会,代表: a comma between
        assert {h.article_id for h in archive.search("会").hits} == {"000001", "000002"}


def test_broad_queries_list_the_newest_matches(tmp_path, monkeypatch):
    from sxworker.archive import search as search_module

    monkeypatch.setattr(search_module, "RANK_LIMIT", 2)
    path = tmp_path / "c.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles(
            [article(f"00000{n}", f"2016-12-0{n}", body="工会工作。") for n in range(1, 6)]
        )
        results = archive.search("工会", limit=3)
        assert results.order == "date"
        assert [h.issue_date for h in results.hits] == ["2016-12-05", "2016-12-04", "2016-12-03"]
        dated = archive.search("工会", limit=3, since="2016-12-02", until="2016-12-03")
        assert [h.issue_date for h in dated.hits] == ["2016-12-03", "2016-12-02"]
    result = run("search", "工会", "--db", str(path))
    assert "more than 2 articles match; showing the newest" in result.output


def test_export_parquet(archive_path, tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "articles.parquet"
    assert run("export", "--db", str(archive_path), "--format", "parquet", "-o", str(out)).exit_code == 0
    table = pq.read_table(out)
    assert table.num_rows == 5
    rows = table.to_pylist()
    assert [row["article_id"] for row in rows] == ["038852", "088530", "088530", "134356", "134357"]
    assert rows[3]["title"] == "发挥党员作用 勇于担当作为" and rows[3]["page_no"] == 3
    assert json.loads(rows[0]["images"]) == [
        {"url": "http://szb.sxworker.com/pic/1.jpg", "caption": "图为现场"}
    ]


def test_export_parquet_without_pyarrow_is_one_line(archive_path, tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_pyarrow(name, *args, **kwargs):
        if name.startswith("pyarrow"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pyarrow)
    result = run(
        "export", "--db", str(archive_path), "--format", "parquet", "-o", str(tmp_path / "x.parquet")
    )
    assert result.exit_code == 2
    assert "pip install 'sxworker[parquet]'" in result.output
    assert not (tmp_path / "x.parquet").exists()
