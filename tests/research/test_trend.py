"""``sxworker trend``: per period, the articles matching each term as search finds them, all
articles, the share; its table, JSON, CSV and chart, the report's chart and Datasette's query."""

from __future__ import annotations

import collections
import csv
import io
import json
import re
import sqlite3
import sys

import pytest
from click.testing import CliRunner

from sxworker.archive import Archive, trends
from sxworker.archive.trends import TrendRow
from sxworker.research import trend as trend_module
from sxworker.research.cli import main
from sxworker.research.datasette_plugin import sxworker_fts
from tests.archive.test_archive import article
from tests.research.webcheck import require

try:
    import matplotlib  # noqa: F401

    HAVE_MATPLOTLIB = True
except ImportError:
    HAVE_MATPLOTLIB = False


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def json_lines(result) -> list[dict]:
    """A command's --json output (its messages go to stderr)."""
    return [json.loads(line) for line in result.stdout.splitlines()]


# -- what search finds, per year, on the replica ---------------------------------------------

# 1 and 2 characters, four, two words that must both occur, a word found nowhere.
REPLICA_TERMS = ["工会", "党", "职工", "人人有责", "工会 职工", "火箭"]


def test_trend_counts_what_search_finds_per_year(replica, crawl, db_target):
    dates = sorted(issue["issue_date"] for issue in replica.site.expected_issues)
    # Every article stored (the replica's one broken link aside): the totals are the ground truth.
    crawl(replica.base_url, db=db_target, start=dates[0], end=dates[-1])
    rows = json_lines(run("trend", *REPLICA_TERMS, "--db", db_target, "--json"))

    # Every year from the first issue's to the last's, each term in the order given.
    years = [str(year) for year in range(1985, 2024)]
    assert [(row["term"], row["period"]) for row in rows] == [(t, y) for t in REPLICA_TERMS for y in years]
    expected_totals = collections.Counter(a["issue_date"][:4] for a in replica.site.expected_articles)
    assert expected_totals == {"1985": 12, "1990": 7, "1992": 4, "2005": 7, "2008": 4, "2016": 7, "2023": 9}
    for term in REPLICA_TERMS:
        hits = json_lines(run("search", term, "--db", db_target, "--json", "--limit", "10000"))
        found = collections.Counter(hit["issue_date"][:4] for hit in hits)
        series = [row for row in rows if row["term"] == term]
        assert {row["period"]: row["articles"] for row in series if row["articles"]} == found, term
        assert {row["period"]: row["total"] for row in series if row["total"]} == expected_totals
        for row in series:
            total = expected_totals.get(row["period"], 0)
            assert row["share"] == (found[row["period"]] / total if total else None)
    by_term = {row["term"]: row for row in rows if row["period"] == "1985"}
    assert (by_term["工会"]["articles"], by_term["党"]["articles"], by_term["火箭"]["articles"]) == (5, 0, 0)
    assert by_term["工会 职工"]["articles"] == 5 and by_term["人人有责"]["articles"] == 1


# -- exact rows on a small archive, both backends ------------------------------------------

SMALL = [
    article("000001", "2001-03-05", title="工会工作会议召开", body="职工代表参加。", page_name="头版"),
    article("000002", "2001-03-05", title="春耕", body="农民下地。", page_name="综合"),
    article("000003", "2001-07-01", title="党的生日", body="工会组织活动。", page_name="头版"),
    # 2002: no article at all
    article("000004", "2003-01-20", title="技能大赛", body="职工比武。", page_name="头版"),
    article("000005", "2003-01-21", title="工会帮扶困难职工", body="送温暖。", page_name="综合"),
]


@pytest.fixture
def small(archive):
    archive.store_articles(SMALL)
    return archive


def rows_of(archive: Archive, terms: list[str], **filters) -> list[tuple]:
    return [
        (row.term, row.period, row.articles, row.total, row.share)
        for row in trends.trend(archive.engine, terms, **filters)
    ]


def test_trend_per_year_with_an_empty_year_and_an_unknown_term(small):
    assert rows_of(small, ["工会", "党", "工会 职工", "火箭"]) == [
        ("工会", "2001", 2, 3, 2 / 3),
        ("工会", "2002", 0, 0, None),
        ("工会", "2003", 1, 2, 0.5),
        ("党", "2001", 1, 3, 1 / 3),
        ("党", "2002", 0, 0, None),
        ("党", "2003", 0, 2, 0.0),
        ("工会 职工", "2001", 1, 3, 1 / 3),
        ("工会 职工", "2002", 0, 0, None),
        ("工会 职工", "2003", 1, 2, 0.5),
        ("火箭", "2001", 0, 3, 0.0),
        ("火箭", "2002", 0, 0, None),
        ("火箭", "2003", 0, 2, 0.0),
    ]


def test_trend_per_month_within_dates_and_of_one_page_name(small):
    months = rows_of(small, ["工会"], by="month", since="2001-02-01", until="2001-07-31")
    assert months == [
        ("工会", "2001-02", 0, 0, None),
        ("工会", "2001-03", 1, 2, 0.5),
        ("工会", "2001-04", 0, 0, None),
        ("工会", "2001-05", 0, 0, None),
        ("工会", "2001-06", 0, 0, None),
        ("工会", "2001-07", 1, 1, 1.0),
    ]
    assert rows_of(small, ["工会", "职工"], page_name="头版") == [
        ("工会", "2001", 2, 2, 1.0),
        ("工会", "2002", 0, 0, None),
        ("工会", "2003", 0, 1, 0.0),
        ("职工", "2001", 1, 2, 0.5),
        ("职工", "2002", 0, 0, None),
        ("职工", "2003", 1, 1, 1.0),
    ]
    assert rows_of(small, ["工会"], by="month", since="2002-12-31", until="2003-01-20") == [
        ("工会", "2002-12", 0, 0, None),
        ("工会", "2003-01", 0, 1, 0.0),
    ]
    # Nothing in range, or nothing searchable in the term.
    assert rows_of(small, ["工会"], since="2010-01-01") == []
    assert rows_of(small, ["，。"], until="2001-12-31") == [("，。", "2001", 0, 3, 0.0)]


# -- the command ---------------------------------------------------------------------------


@pytest.fixture
def small_path(tmp_path):
    path = tmp_path / "small.sqlite3"
    with Archive.open(str(path)) as archive:
        archive.store_articles(SMALL)
    return str(path)


def test_trend_table_json_and_csv(small_path):
    table = run("trend", "工会", "火箭", "--db", small_path)
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert "Articles matching each term, per year" in lines[0]
    assert re.search(r"2001 │\s+3 │ 2\s+66\.67% │ 0\s+0\.00% │", table.output)
    assert re.search(r"2002 │\s+0 │ 0\s+— │ 0\s+— │", table.output)

    rows = json_lines(run("trend", "工会", "--db", small_path, "--json"))
    assert rows == [
        {"term": "工会", "period": "2001", "articles": 2, "total": 3, "share": 2 / 3},
        {"term": "工会", "period": "2002", "articles": 0, "total": 0, "share": None},
        {"term": "工会", "period": "2003", "articles": 1, "total": 2, "share": 0.5},
    ]

    result = CliRunner().invoke(main, ["trend", "工会", "--db", small_path, "--csv", "--by", "month"])
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese as UTF-8
    read = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"))))
    assert len(read) == 23  # 2001-03 … 2003-01
    assert read[0] == {"term": "工会", "period": "2001-03", "articles": "1", "total": "2", "share": "0.5"}
    assert read[1] == {"term": "工会", "period": "2001-04", "articles": "0", "total": "0", "share": ""}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--by", "week"], "--by: 'week' is not one of year, month"),
        (["--json", "--csv"], "--json and --csv: choose one"),
        (["--plot", "chart.pdf"], "--plot: chart.pdf must end in .svg or .png"),
        (["--since", "2001-13-01"], "--since: '2001-13-01' is not a date"),
        # What search refuses, as it refuses it.
        (["工" * 201], "query too long: 201 characters (at most 200)"),
        ([" ".join("工" * 17)], "query has too many words: 17 (at most 16)"),
    ],
)
def test_trend_bad_input_is_one_line_exit_2(small_path, args, message):
    result = CliRunner().invoke(main, ["trend", "工会", "--db", small_path, *args])
    assert result.exit_code == 2
    assert result.output.count("\n") == 1 and message in result.output
    assert "Traceback" not in result.output


def test_trend_of_a_missing_archive_or_an_empty_range(small_path, tmp_path):
    missing = CliRunner().invoke(main, ["trend", "工会", "--db", str(tmp_path / "nope.sqlite3")])
    assert missing.exit_code == 2 and missing.output.count("\n") == 1
    empty = run("trend", "工会", "--db", small_path, "--since", "2020-01-01", "--json")
    assert empty.exit_code == 0
    assert empty.output == "sxworker: no articles in the archive for these dates and page name\n"


# -- the chart -----------------------------------------------------------------------------


def drawn_glyphs(svg: str, text: str) -> list[tuple[str, str]]:
    """(glyph id, outline) of each character matplotlib drew for ``text``: with svg.fonttype
    'path' each text is a comment, then a group using one outline per character."""
    outlines = dict(re.findall(r'<path id="([^"]+)" d="([^"]+)"', svg))
    start = svg.index(f"<!-- {text} -->")
    group = svg[start : svg.index("</g>", start)]
    return [(glyph, outlines[glyph]) for glyph in re.findall(r'<use xlink:href="#([^"]+)"', group)]


def test_the_chart_draws_chinese_glyphs_not_tofu(small_path, tmp_path):
    require(HAVE_MATPLOTLIB, "matplotlib is not installed (pip install 'sxworker[plot]')")
    chart = tmp_path / "out" / "trend.svg"
    result = run("trend", "工会", "党", "--db", small_path, "--plot", str(chart))
    assert result.exit_code == 0
    assert f"sxworker: chart written to {chart}" in result.output
    svg = chart.read_text(encoding="utf-8")
    assert sorted(path.name for path in chart.parent.iterdir()) == ["trend.svg"]

    (gong_id, gong), (hui_id, hui) = drawn_glyphs(svg, "工会")
    # What a character no installed font has looks like in the same chart: the tofu box.
    missing = "\U000f0000"
    with pytest.warns(UserWarning, match="missing from font"):
        tofu_svg = trend_module.chart([TrendRow(missing, "2001", 1, 2)], "year", "svg").decode("utf-8")
    [(_, tofu)] = drawn_glyphs(tofu_svg, missing)
    assert gong != hui and tofu not in (gong, hui)
    # Outlines named by the font they come from: neither matplotlib's own font nor its last resort.
    assert not re.search("DejaVu|LastResort", gong_id + hui_id), (gong_id, hui_id)
    [(_, dang)] = drawn_glyphs(svg, "党")
    assert dang not in (gong, hui, tofu)
    # The same archive draws the same bytes (no date, fixed ids).
    again = tmp_path / "again.svg"
    run("trend", "工会", "党", "--db", small_path, "--plot", str(again))
    assert again.read_bytes() == chart.read_bytes()


def test_the_chart_as_png(small_path, tmp_path):
    require(HAVE_MATPLOTLIB, "matplotlib is not installed (pip install 'sxworker[plot]')")
    from PIL import Image

    chart = tmp_path / "trend.png"
    result = run("trend", "工会", "--db", small_path, "--by", "month", "--plot", str(chart), "--json")
    assert result.exit_code == 0
    with Image.open(chart) as image:
        assert image.format == "PNG" and image.size[0] > 1000


def test_the_chart_without_a_chinese_font_or_matplotlib_says_what_to_install(
    small_path, tmp_path, monkeypatch
):
    require(HAVE_MATPLOTLIB, "matplotlib is not installed (pip install 'sxworker[plot]')")
    monkeypatch.setattr(trend_module, "CJK_FAMILIES", ("No Such Font SC",))
    chart = tmp_path / "trend.svg"
    result = CliRunner().invoke(main, ["trend", "工会", "--db", small_path, "--plot", str(chart)])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "install Debian's fonts-noto-cjk" in result.output
    assert not chart.exists()
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    result = CliRunner().invoke(main, ["trend", "工会", "--db", small_path, "--plot", str(chart)])
    assert result.exit_code == 2 and "pip install 'sxworker[plot]'" in result.output


def test_a_chinese_font_installed_after_matplotlib_listed_its_fonts_is_found(monkeypatch):
    require(HAVE_MATPLOTLIB, "matplotlib is not installed (pip install 'sxworker[plot]')")
    from matplotlib import font_manager

    try:
        family = trend_module.cjk_family()
    except trend_module.TrendError:
        pytest.skip("no Chinese font on this machine (apt-get install fonts-noto-cjk)")
    manager = font_manager.fontManager
    # matplotlib's cached list as it was before the font package came: no face of its files.
    files = {font.fname for font in manager.ttflist if font.name in trend_module.CJK_FAMILIES}
    kept = [font for font in manager.ttflist if font.fname not in files]
    monkeypatch.setattr(manager, "ttflist", kept)
    assert family not in {font.name for font in manager.ttflist}
    assert trend_module.cjk_family() == family
    assert family in {font.name for font in manager.ttflist}


def test_the_report_shows_the_trend_chart(small_path, tmp_path):
    require(HAVE_MATPLOTLIB, "matplotlib is not installed (pip install 'sxworker[plot]')")
    output = tmp_path / "report.html"
    result = run("report", "--db", small_path, "--trend", "工会", "--trend", "党", "-o", str(output))
    assert result.exit_code == 0
    html = output.read_text(encoding="utf-8")
    assert "Term trends · 词频趋势" in html
    section = html[html.index("Term trends") :]
    assert "<?xml" not in html and section.index("<svg") < section.index("</svg>")
    assert "<!-- 工会 -->" in section and "<!-- 党 -->" in section
    # Still self-contained: the chart's references are to its own parts only.
    assert not re.search(r"<script|<link|<img|\bsrc=|url\((?!#)|href=\"(?!#)", html, re.I)
    plain = tmp_path / "plain.html"
    run("report", "--db", small_path, "-o", str(plain))
    assert "Term trends" not in plain.read_text(encoding="utf-8")


# -- Datasette -----------------------------------------------------------------------------


def test_datasette_trend_query_counts_as_the_command(small_path):
    pytest.importorskip("datasette")
    from sxworker.research.serve import build_metadata

    query = build_metadata()["databases"]["archive"]["queries"]["trend"]
    assert query["params"] == ["q"]
    connection = sqlite3.connect(f"file:{small_path}?mode=ro", uri=True)
    connection.create_function("sxworker_fts", 1, sxworker_fts)
    try:
        for term in ("工会", "工会 职工", "火箭", "，。"):
            got = connection.execute(query["sql"], {"q": term}).fetchall()
            expected = json_lines(run("trend", term, "--db", small_path, "--json"))
            assert got == [(r["period"], r["articles"], r["total"], r["share"]) for r in expected], term
    finally:
        connection.close()
