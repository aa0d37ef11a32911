"""The header and page rules for the barest templates, where no heading or role names the
lines: a subtitle's leading dash, the type (bold, larger) that tells title from kicker or
subtitle, the flat pages of the 1990s, and the page an article names in its breadcrumb or
its date line. Raw bytes as the site would send them (GB2312 for the old tables)."""

from __future__ import annotations

import pytest

from sxworker.site.parsers.article import parse_article
from tests.conftest import SITE
from tests.site.test_parsers_roles import URL, page

# -- a subtitle's leading dash above the title ---------------------------------------------

DASHED = "——记全国劳动模范、宝鸡石油机械厂高级技师王建国"


def _above_the_title(kicker_markup: str, after_title: str = "") -> bytes:
    return page(
        f"""<div class="article">{kicker_markup}<h1 class="title">三十年磨一剑</h1>{after_title}
<p class="author">本报记者 李明</p><div id="content">
<p>\u3000\u3000清晨六点，王建国已经站在了车间的机床旁。三十年来，他第一个到岗，最后一个离开。</p>
<p>\u3000\u3000“技术这东西，一天不练就生疏了。”王建国说。</p></div></div>""",
        "<title>陕西工人报</title>",
    )


@pytest.mark.parametrize(
    "markup", [f'<p class="kicker">{DASHED}</p>', f"<p>{DASHED}</p>"], ids=["role", "plain"]
)
def test_a_dashed_line_above_the_title_is_its_subtitle_when_none_follows(markup):
    article = parse_article(_above_the_title(markup), URL, base_url=SITE)
    assert (article.kicker, article.title, article.subtitle, article.author) == (
        None,
        "三十年磨一剑",
        "记全国劳动模范、宝鸡石油机械厂高级技师王建国",
        "本报记者 李明",
    )
    assert article.body.startswith("清晨六点") and "记全国" not in article.body
    assert "mark: starts with a dash (——), the line above the title" in article.evidence["subtitle"]


def test_with_a_subtitle_after_the_title_a_dashed_kicker_stays_and_a_dashed_banner_is_no_subtitle():
    after = '<p class="subtitle">——写在宝鸡石油机械厂建厂六十周年之际</p>'
    article = parse_article(_above_the_title(f'<p class="kicker">{DASHED}</p>', after), URL, base_url=SITE)
    assert (article.kicker, article.subtitle) == (DASHED, "写在宝鸡石油机械厂建厂六十周年之际")
    banner = parse_article(_above_the_title("<p>——劳模风采——</p>"), URL, base_url=SITE)
    assert (banner.kicker, banner.subtitle, banner.title) == (None, None, "三十年磨一剑")


# -- the barest tables: which of two header lines is the title, by its type ------------------

OLD_TEXT = (
    "　　本报讯（记者 张卫东）5月11日，省总工会召开会议，部署今年“五一”期间走访慰问劳模工作。<br><br>"
    "　　会议要求，各级工会要深入基层，对困难劳模做到应帮尽帮。"
)


def _old_table(upper: str, lower: str, above: str = "") -> bytes:
    """A table template of the early 2000s, as the site sent it: GB2312, no classes that
    name a role, no heading, the header lines set off only by their type."""
    rows = f"<tr><td align=center>{above}</td></tr>" if above else ""
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>陕西工人报</title></head><body><table width=560 align=center>{rows}
<tr><td align=center class=font01>{upper}</td></tr><tr><td align=center class=font02>{lower}</td></tr>
<tr><td class=font03>{OLD_TEXT}</td></tr></table></body></html>"""
    return html.encode("gb2312")


TITLE_LINE, SECOND_LINE = "省总工会部署“五一”劳模慰问工作", "要求各级工会把关怀送到劳模心坎上"


@pytest.mark.parametrize(
    ("upper", "lower"),
    [
        (f"<b>{TITLE_LINE}</b>", SECOND_LINE),
        (f'<font size="5">{TITLE_LINE}</font>', f'<font size="3">{SECOND_LINE}</font>'),
        (
            f'<span style="font-size:22pt">{TITLE_LINE}</span>',
            f'<span style="font-size:16px">{SECOND_LINE}</span>',
        ),
        (f'<span style="font-weight: bold">{TITLE_LINE}</span>', SECOND_LINE),
    ],
    ids=["b", "font-size", "style-size", "style-bold"],
)
def test_the_line_in_bolder_or_larger_type_is_the_title_and_the_one_below_its_subtitle(upper, lower):
    article = parse_article(_old_table(upper, lower), URL, base_url=SITE)
    assert (article.kicker, article.title, article.subtitle) == (None, TITLE_LINE, SECOND_LINE)
    assert article.body.startswith("本报讯（记者 张卫东）5月11日") and SECOND_LINE not in article.body
    assert "set off from the line below it (bold or larger type)" in article.evidence["title"]


def test_in_plain_or_larger_type_below_the_lower_line_stays_the_title_under_its_kicker():
    for upper, lower in [
        (TITLE_LINE, SECOND_LINE),
        (f'<font size="3">{TITLE_LINE}</font>', f'<font size="5"><b>{SECOND_LINE}</b></font>'),
        (f"<b>{TITLE_LINE}</b>", f"<b>{SECOND_LINE}</b>"),
    ]:
        article = parse_article(_old_table(upper, lower), URL, base_url=SITE)
        assert (article.kicker, article.title, article.subtitle) == (TITLE_LINE, SECOND_LINE, None), upper


def test_a_kicker_over_a_bold_title_over_its_subtitle():
    article = parse_article(
        _old_table(f"<b>{TITLE_LINE}</b>", SECOND_LINE, above="喜迎五一"), URL, base_url=SITE
    )
    assert (article.kicker, article.title, article.subtitle) == ("喜迎五一", TITLE_LINE, SECOND_LINE)


# -- the page an article is on, from its breadcrumb -------------------------------------------


def _with_breadcrumb(crumb: str) -> bytes:
    return page(
        f"""<div class="nav">{crumb}</div><div class="title">夜校里的“充电”时光</div>
<div class="info">发布时间：2019-04-18　作者：孙丽　来源：陕西工人报</div>
<div class="text"><div>&nbsp;&nbsp;&nbsp;&nbsp;每周二、四晚上七点，某采油厂的职工夜校准时亮起灯光。</div>
<div>&nbsp;&nbsp;&nbsp;&nbsp;“白天上班，晚上学习，日子过得充实。”采油工小刘说。</div>
<div>（责任编辑：王五）</div></div><div class="foot">版权所有 陕西工人报社</div>"""
    )


@pytest.mark.parametrize(
    "crumb",
    [
        "当前位置：首页 &gt; 第03版：职工生活",
        '您的位置：<a href="/">首页</a> » <a href="node_3.htm">第03版：职工生活</a> » 正文',
    ],
)
def test_the_breadcrumbs_page_step_names_the_articles_page(crumb):
    article = parse_article(_with_breadcrumb(crumb), URL, base_url=SITE)
    assert (article.page_no, article.page_label, article.page_name) == (3, "03", "职工生活")
    assert article.evidence["page_no"] == ["the breadcrumb's 第N版 step"]
    assert (article.title, article.author) == ("夜校里的“充电”时光", "孙丽")
    assert article.body.endswith("采油工小刘说。")


def test_a_breadcrumb_without_a_page_step_names_no_page():
    article = parse_article(_with_breadcrumb("当前位置：首页 &gt; 职工生活 &gt; 正文"), URL, base_url=SITE)
    assert (article.page_no, article.page_name) == (None, None)


# -- the flat pages of the 1990s: <center> after <center> in <body> --------------------------


def _flat(upper: str) -> bytes:
    html = f"""<HTML><HEAD><META http-equiv=Content-Type content="text/html; charset=gb2312">
<TITLE>陕西工人报--劳动竞赛结硕果</TITLE></HEAD><BODY>
<CENTER><FONT size=2>陕西工人报 1998年10月20日</FONT></CENTER><HR>
<CENTER>{upper}</CENTER>
<CENTER><FONT size=5><B>劳动竞赛结硕果</B></FONT></CENTER>
<CENTER><FONT size=2>通讯员 马建军</FONT></CENTER>
<FONT size=3>　　本报讯　铜川矿务局“安全生产百日赛”日前落下帷幕。全局原煤产量同比增长百分之十二。<BR>
　　竞赛中，各矿涌现出一批先进班组和个人。<BR></FONT><HR>
<CENTER><A href="../index.htm">返回目录</A></CENTER></BODY></HTML>"""
    return html.encode("gb2312")


def test_on_a_flat_page_the_line_in_smaller_type_right_above_the_title_is_its_kicker():
    article = parse_article(
        _flat("<FONT size=3 color=#0000ff>铜川矿务局开展“安全生产百日赛”</FONT>"), URL, base_url=SITE
    )
    assert (article.kicker, article.title, article.subtitle, article.author) == (
        "铜川矿务局开展“安全生产百日赛”",
        "劳动竞赛结硕果",
        None,
        "通讯员 马建军",
    )
    assert article.evidence["kicker"] == [
        "position: short line in smaller type in the block right above the title"
    ]
    assert article.body.startswith("本报讯 铜川矿务局")


def test_on_a_flat_page_a_line_above_the_title_in_the_same_type_is_no_kicker():
    article = parse_article(
        _flat("<FONT size=5><B>铜川矿务局开展“安全生产百日赛”</B></FONT>"), URL, base_url=SITE
    )
    assert (article.kicker, article.title) == (None, "劳动竞赛结硕果")


@pytest.mark.parametrize(
    ("line", "page"),
    [
        ("陕西工人报 1998年10月20日 第2版", (2, "2", None)),
        ("1998年10月20日 星期二 第A4版：要闻", (4, "A4", "要闻")),
    ],
)
def test_the_papers_date_line_with_its_page_names_the_page(line, page):
    markup = _flat("铜川矿务局开展“安全生产百日赛”").replace(
        "陕西工人报 1998年10月20日".encode("gb2312"), line.encode("gb2312")
    )
    article = parse_article(markup, URL, base_url=SITE)
    assert (article.page_no, article.page_label, article.page_name) == page
    assert article.evidence["page_no"] == ["the date line's 第N版"]


def test_a_title_broken_by_br_inside_its_bold_is_one_title_not_kicker_and_title():
    broken = _old_table("<b>省总工会召开十四届<br>五次全委（扩大）会议</b>", "本报记者 王强")
    article = parse_article(broken, URL, base_url=SITE)
    assert (article.kicker, article.title, article.author) == (
        None,
        "省总工会召开十四届 五次全委（扩大）会议",
        "本报记者 王强",
    )
    assert "two lines joined: one <b>, <strong> or <font> holds both" in article.evidence["title"]
    # Two lines in one cell with no element setting them off together stay kicker and title.
    apart = parse_article(
        _old_table("喜迎五一<br>省总工会部署劳模慰问工作", "本报记者 王强"), URL, base_url=SITE
    )
    assert (apart.kicker, apart.title) == ("喜迎五一", "省总工会部署劳模慰问工作")
