"""Article parsing per era/template, on saved raw bytes (tests/fixtures/<era>-<kind>.html)."""

import json

import pytest

from sxworker.site.parsers.article import ArticleParseError, PageContext, parse_article
from tests.conftest import FIXTURES, SITE, fixture_bytes

EXPECTED = json.loads((FIXTURES / "expected-articles.json").read_text(encoding="utf-8"))

CASES = [
    ("1985-article.html", "/content/1985-11/15/038852.html", "038852", "text/html"),
    ("1990-article.html", "/content/1990-07/26/064531.html", "064531", "text/html; charset=gb2312"),
    ("2005-article.html", "/content/2005-12/07/227631.html", "227631", "text/html; charset=utf-8"),
    ("2008-article.html", "/content/2008-09/01/282045.html", "282045", "text/html; charset=utf-8"),
    ("2016-article.html", "/content/2016-12/05/134356.html", "134356", "text/html; charset=utf-8"),
    ("2023-article.html", "/content/2023-10/17/016201.html", "016201", "text/html; charset=utf-8"),
]


@pytest.mark.parametrize(("fixture", "path", "article_id", "content_type"), CASES)
def test_every_era_parses_to_the_ground_truth(fixture, path, article_id, content_type):
    article = parse_article(fixture_bytes(fixture), SITE + path, base_url=SITE, content_type=content_type)
    assert article.public_fields() == EXPECTED[article_id]


def test_1985_gbk_table_page_with_meta_only_charset():
    article = parse_article(
        fixture_bytes("1985-article.html"),
        SITE + "/content/1985-11/15/038852.html",
        base_url=SITE,
        content_type="text/html",
    )
    assert (article.kicker, article.title, article.subtitle, article.author) == (
        "安全生产 人人有责",
        "一封写给天车司机的信",
        "致天车司机",
        "赵振华",
    )
    assert (article.page_no, article.page_label, article.page_name) == (4, "A4", None)
    assert article.page_image_url == SITE + "/Img/1985/11/1985111504-1.jpg"
    assert article.body.splitlines()[-1] == "安全生产,人人有责。让我们共同努力,杜绝事故,保证安全生产。"


def test_mobile_page_is_canonicalised_and_dated_by_its_url():
    url = SITE + "/m/content/2016-12/05/134356.html"
    article = parse_article(fixture_bytes("2016-mobile.html"), url, base_url=SITE)
    assert article.url == SITE + "/content/2016-12/05/134356.html"
    assert article.issue_date == "2016-12-05"  # the page prints 2023年09月15日
    assert article.title == "发挥党员作用 勇于担当作为"
    assert article.author == "李颖"
    assert article.page_no == 3  # from the page-scan URL
    assert article.page_image_url == SITE + "/Img/2016/12/2016120503-1.jpg"
    lines = article.body.splitlines()
    assert lines[0].startswith("党的十八大以来")
    assert lines[-1] == "(作者系省国防工会经审委主任、经济部部长)"
    assert not any(marker in article.body for marker in ("上篇", "下篇", "分享到", "©", "TOP"))
    desktop = parse_article(
        fixture_bytes("2016-article.html"), SITE + "/content/2016-12/05/134356.html", base_url=SITE
    )
    assert (article.title, article.author, article.body) == (desktop.title, desktop.author, desktop.body)


SEED_BARE = """<html><head><meta charset="utf-8"><title>陕西工人报电子版</title></head><body>
<div>等待处理…</div>
<div>发挥党员作用 勇于担当作为</div>
<div>2023年09月15日</div>
<div>李颖</div>
<div>党的十八大以来,习总书记多次强调“好干部”要“对党忠诚、个人干净、敢于担当”,为新时期干部队伍建设指明了方向。<br><br>
发挥党员的先锋模范作用,就是要勇于担当。责任担当是党员干部的必备素质和政治品格。<br><br>
(作者系省国防工会经审委主任、经济部部长)</div>
<div>上篇:<a href="134355.html">男子因乙肝遭就业歧视 诉讼维权获赔1.2万元</a></div>
<div>下篇:<a href="134357.html">延迟退休年龄应由劳动者说了算</a></div>
<div>分享到</div><div>© 2023 陕西工人报</div><div>制作单位:53BK.com</div><div>↑ TOP</div>
<div>http://szb.sxworker.com/Img/2016/12/2016120503-1.jpg</div>
</body></html>"""


def test_bare_mobile_layout_without_any_class_or_heading():
    article = parse_article(SEED_BARE.encode(), SITE + "/m/content/2016-12/05/134356.html", base_url=SITE)
    assert article.title == "发挥党员作用 勇于担当作为"
    assert article.author == "李颖"
    assert article.body.splitlines() == [
        "党的十八大以来,习总书记多次强调“好干部”要“对党忠诚、个人干净、敢于担当”,为新时期干部队伍建设指明了方向。",
        "发挥党员的先锋模范作用,就是要勇于担当。责任担当是党员干部的必备素质和政治品格。",
        "(作者系省国防工会经审委主任、经济部部长)",
    ]
    assert article.page_no == 3


CUSTOM_TAGS = """<html><head><meta charset="utf-8"><title>陕西工人报</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="node_2.htm">第02版:综合新闻</a></div>
<founder-yinti>技能强省</founder-yinti><founder-title>工匠精神进车间</founder-title>
<founder-subtitle>——记省劳模孙建华</founder-subtitle><founder-author>文/图 王五</founder-author>
<founder-content><p>&nbsp;&nbsp;孙建华在车间里干了三十年,带出了二十多个徒弟,个个都是技术骨干。</p>
<p>　　他说:“手艺是练出来的。”</p></founder-content>
<div class="page">当前版:第02版:综合新闻</div>
</body></html>"""


def test_custom_element_template_and_context_from_the_linking_page():
    context = PageContext(
        page_url=SITE + "/x/node_2.htm",
        page_no=2,
        page_label="02",
        page_name="综合新闻",
        link_text="工匠精神进车间",
    )
    article = parse_article(
        CUSTOM_TAGS.encode(), SITE + "/content/2012-05/02/500001.html", base_url=SITE, context=context
    )
    assert (article.kicker, article.title, article.subtitle, article.author) == (
        "技能强省",
        "工匠精神进车间",
        "记省劳模孙建华",
        "文/图 王五",
    )
    assert (
        article.body
        == "孙建华在车间里干了三十年,带出了二十多个徒弟,个个都是技术骨干。\n他说:“手艺是练出来的。”"
    )
    assert (article.page_no, article.page_label, article.page_name, article.page_url) == (
        2,
        "02",
        "综合新闻",
        SITE + "/x/node_2.htm",
    )


def test_own_page_markers_win_over_the_linking_page():
    context = PageContext(page_url=SITE + "/a/node_1.htm", page_no=1, page_label="1", page_name="头版")
    article = parse_article(
        CUSTOM_TAGS.encode(), SITE + "/content/2012-05/02/500001.html", base_url=SITE, context=context
    )
    assert (article.page_no, article.page_name, article.page_url) == (2, "综合新闻", None)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "not an HTML page"),
        (b"\xff\xd8\xff\xe0 JFIF binary", "not an HTML page"),
        (b"<html><body><h1>\xe6\xa0\x87\xe9\xa2\x98</h1><p>" + "正文。".encode() * 30, "truncated"),
        (b"<html><body><p>\x81\x30\xff\xfe</p></body></html>", "cannot be decoded"),
        (b"<html><body><p>404 - not found</p></body></html>", "no title"),
        ("<html><body><h1>只有标题</h1></body></html>".encode(), "no article text"),
    ],
)
def test_pages_that_are_not_storable_articles_are_errors(body, reason):
    with pytest.raises(ArticleParseError, match=reason):
        parse_article(body, SITE + "/content/2016-12/05/134356.html", base_url=SITE)


def test_a_url_that_is_not_an_article_is_an_error():
    with pytest.raises(ArticleParseError, match="not an article URL"):
        parse_article(fixture_bytes("2016-article.html"), SITE + "/index.aspx", base_url=SITE)


def test_scripts_after_the_closing_tag_are_not_truncation():
    page = fixture_bytes("2016-article.html") + b"<script>" + b"var x = 1;\n" * 2000 + b"</script>"
    article = parse_article(page, SITE + "/content/2016-12/05/134356.html", base_url=SITE)
    assert article.title == "发挥党员作用 勇于担当作为"
