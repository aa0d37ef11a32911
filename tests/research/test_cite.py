"""Citations: ``sxworker cite`` in GB/T 7714-2015, APA 7 and BibTeX, the block in ``show``
and on the Datasette article page, and ``export --with-citation``."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive
from sxworker.research import citation
from sxworker.research.cli import main
from sxworker.site.parsers.article import parse_article
from tests.archive.test_archive import article
from tests.conftest import SITE, fixture_bytes

SEED_URL = f"{SITE}/content/2016-12/05/134356.html"
# When the test archive captured its articles: the access date a citation gives.
CAPTURED = "2024-05-01T23:30:00Z"

# The seed article (李颖, 发挥党员作用 勇于担当作为, 2016-12-05, 第3版), by the rules:
# GB/T 7714-2015 4.4 (连续出版物中的析出文献) for an online newspaper, [N/OL], with the
# 引用日期 in brackets after 出版日期(版次), then the URL; APA 7's newspaper article (no
# retrieval date); biblatex's @article with date and urldate.
SEED_GBT = (
    "李颖. 发挥党员作用 勇于担当作为[N/OL]. 陕西工人报, 2016-12-05(3)[2024-05-01]. "
    "http://szb.sxworker.com/content/2016-12/05/134356.html."
)
SEED_APA = (
    "李颖. (2016, December 5). 发挥党员作用 勇于担当作为. 陕西工人报, 3. "
    "http://szb.sxworker.com/content/2016-12/05/134356.html"
)
SEED_BIBTEX = """@article{sxworker-2016-12-05-134356,
  author = {李颖},
  title = {发挥党员作用 勇于担当作为},
  journal = {陕西工人报},
  date = {2016-12-05},
  pages = {3},
  url = {http://szb.sxworker.com/content/2016-12/05/134356.html},
  urldate = {2024-05-01},
}"""


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def seed_record() -> dict:
    """The seed article as the parser reads the saved page."""
    return parse_article(fixture_bytes("2016-article.html"), SEED_URL, base_url=SITE).public_fields()


@pytest.fixture
def archive_path(tmp_path):
    path = tmp_path / "a.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles([seed_record()], seen_at="2023-01-01T00:00:00Z")
        # Seen again later, unchanged: the citation gives the latest capture of the text.
        archive.store_articles([seed_record()], seen_at=CAPTURED)
        archive.store_articles(
            [
                article("134357", "2016-12-05", title="延迟退休年龄应由劳动者说了算", author=None),
                article("088530", "1992-12-08", title="企业转换经营机制中的工会", page_no=2, page_label="2"),
                article("088530", "2016-12-05", title="同号不同日的另一篇"),
            ],
            seen_at=CAPTURED,
        )
    return path


@pytest.mark.parametrize(
    ("style", "expected"), [("gbt7714", SEED_GBT), ("apa", SEED_APA), ("bibtex", SEED_BIBTEX)]
)
def test_the_seed_article_is_cited_exactly(archive_path, style, expected):
    assert citation.STYLES[style](seed_record() | {"last_seen": CAPTURED}) == expected
    result = run("cite", "134356", "--db", str(archive_path), "--style", style)
    assert result.exit_code == 0
    assert result.output == expected + "\n"


def test_gbt7714_is_the_default_style(archive_path):
    assert run("cite", "134356", "--db", str(archive_path)).output == SEED_GBT + "\n"


def _record(**fields) -> dict:
    return seed_record() | {"last_seen": CAPTURED} | fields


def test_no_author_begins_with_the_title_and_never_says_none():
    record = _record(author=None)
    assert citation.gbt7714(record) == (
        "发挥党员作用 勇于担当作为[N/OL]. 陕西工人报, 2016-12-05(3)[2024-05-01]. " + SEED_URL + "."
    )
    assert citation.apa(record) == f"发挥党员作用 勇于担当作为. (2016, December 5). 陕西工人报, 3. {SEED_URL}"
    assert "author" not in citation.bibtex(record)
    assert not any("None" in text for _, text in citation.citations(record))


def test_no_page_leaves_the_page_out():
    record = _record(page_no=None, page_label=None)
    assert citation.gbt7714(record) == (
        f"李颖. 发挥党员作用 勇于担当作为[N/OL]. 陕西工人报, 2016-12-05[2024-05-01]. {SEED_URL}."
    )
    assert citation.apa(record) == (
        f"李颖. (2016, December 5). 发挥党员作用 勇于担当作为. 陕西工人报. {SEED_URL}"
    )
    assert "pages" not in citation.bibtex(record)
    assert not any("None" in text for _, text in citation.citations(record))


def test_bylines_subtitles_and_page_labels():
    record = _record(
        author="本报记者 王瑞 通讯员 张敏、李四 赵五",
        subtitle="省总工会援建宁强县纪实",
        page_no=4,
        page_label="A4",
        title="增长5% & 更多_{}",
    )
    # GB/T 7714: the trades are no names; more than three names are three and ", 等".
    assert citation.gbt7714(record) == (
        "王瑞, 张敏, 李四, 等. 增长5% & 更多_{}: 省总工会援建宁强县纪实[N/OL]. 陕西工人报, "
        f"2016-12-05(A4)[2024-05-01]. {SEED_URL}."
    )
    assert citation.apa(record).startswith("王瑞, 张敏, 李四, & 赵五. (2016, December 5). 增长5%")
    entry = citation.bibtex(record)
    assert "  author = {王瑞 and 张敏 and 李四 and 赵五}," in entry
    assert r"  title = {增长5\% \& 更多\_\{\}: 省总工会援建宁强县纪实}," in entry
    assert "  pages = {A4}," in entry
    # A zero-padded label is the page's number; a byline that is only a trade is its creator.
    assert citation.gbt7714(_record(page_no=None, page_label="03")).count("2016-12-05(3)") == 1
    assert citation.gbt7714(_record(author="本报评论员")).startswith("本报评论员. ")
    assert "(2016, December 5). 工会在哪里？ 陕西工人报, 3." in citation.apa(_record(title="工会在哪里？"))


def test_a_recurring_id_asks_for_the_date(archive_path):
    result = run("cite", "088530", "--db", str(archive_path))
    assert result.exit_code == 2
    assert result.output == (
        "sxworker: error: article id 088530 occurs on 1992-12-08, 2016-12-05; add --date\n"
    )
    dated = run("cite", "088530", "--date", "1992-12-08", "--db", str(archive_path))
    assert dated.exit_code == 0
    assert dated.output.startswith(
        "李颖. 企业转换经营机制中的工会[N/OL]. 陕西工人报, 1992-12-08(2)[2024-05-01]. "
    )
    assert run("cite", "1992-12-08/088530", "--db", str(archive_path)).output == dated.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["999999"], "sxworker: error: no article 999999 in the archive\n"),
        (
            ["134356", "--date", "2016-12-06"],
            "sxworker: error: no article 134356 on 2016-12-06 in the archive\n",
        ),
    ],
)
def test_an_unknown_article_is_one_line_exit_2(archive_path, args, message):
    result = run("cite", *args, "--db", str(archive_path))
    assert (result.exit_code, result.output) == (2, message)


def test_a_bad_date_or_a_missing_archive_is_one_line_exit_2(archive_path, tmp_path):
    bad = run("cite", "134356", "--date", "2016-13-05", "--db", str(archive_path))
    assert bad.exit_code == 2 and bad.output.count("\n") == 1 and "--date" in bad.output
    missing = run("cite", "134356", "--db", str(tmp_path / "none.sqlite3"))
    assert missing.exit_code == 2 and missing.output.count("\n") == 1 and "no archive at" in missing.output


def test_show_prints_the_citation_block(archive_path):
    result = run("show", "134356", "--db", str(archive_path))
    assert result.exit_code == 0
    lines = [line.strip("│ ") for line in result.output.splitlines()]
    assert "GB/T 7714-2015" in lines and "APA 7" in lines and "BibTeX" in lines
    assert SEED_GBT in lines and SEED_APA in lines
    assert "@article{sxworker-2016-12-05-134356," in lines
    # --json stays the article's fields.
    assert "citation" not in json.loads(run("show", "134356", "--db", str(archive_path), "--json").output)


def test_export_with_citation_adds_the_column(archive_path, tmp_path):
    lines = run("export", "--db", str(archive_path), "--with-citation").output.splitlines()
    records = {(r["issue_date"], r["article_id"]): r for r in map(json.loads, lines)}
    assert records[("2016-12-05", "134356")]["citation"] == SEED_GBT
    assert records[("2016-12-05", "134357")]["citation"].startswith("延迟退休年龄应由劳动者说了算[N/OL]. ")
    assert list(records[("2016-12-05", "134356")])[-1] == "citation"
    out = tmp_path / "a.csv"
    result = run("export", "--db", str(archive_path), "--format", "csv", "--with-citation", "-o", str(out))
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0])[-1] == "citation"
    assert {row["citation"] for row in rows if row["article_id"] == "134356"} == {SEED_GBT}
    assert "| `citation` |" in (tmp_path / "a.csv.md").read_text(encoding="utf-8")
    # Without the flag the export is unchanged.
    plain = run("export", "--db", str(archive_path), "--format", "csv").output
    assert "citation" not in plain.splitlines()[0]
    assert "citation" not in json.loads(run("export", "--db", str(archive_path)).output.splitlines()[0])


def seed_datasette_pages(archive_path: Path) -> tuple[str, str]:
    """The Datasette article page of the seed article, and the pages table's page (which
    shows no article's blocks), as ``sxworker serve`` renders them."""
    pytest.importorskip("datasette")
    from sxworker.research.serve import make_datasette

    async def pages() -> tuple[str, str]:
        with Archive.open_readonly(str(archive_path)) as archive:
            datasette = make_datasette(archive, archive_path)
            found = await datasette.client.get(
                "/archive/articles.json?article_id=134356&_shape=array&_col=id"
            )
            (row,) = found.json()
            page = await datasette.client.get(f"/archive/articles/{row['id']}")
            other = await datasette.client.get("/archive/pages")
            return page.text, other.text

    return asyncio.run(pages())


def test_the_datasette_article_page_shows_the_citations(archive_path):
    page, other = seed_datasette_pages(archive_path)
    assert "Cite this article" in page
    for text in (SEED_GBT, SEED_APA, SEED_BIBTEX):
        assert f'<pre style="white-space: pre-wrap">{text}</pre>' in page
    assert "Cite this article" not in other
